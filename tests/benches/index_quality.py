#!/usr/bin/env python3
"""What serving from the privacy-protected model index costs in recommendation quality.

What it measures
----------------
A shop can serve recommendations from a live fit on its interaction log (which means
publishing the log) or from the static model index `pocketrec build` writes, which holds
item-level aggregates only, under the config's `privacy` rules (contribution cap, minimum
support, optional differential privacy).  `pocketrec eval --via-index` builds the training
part of a split into such an index in memory, encodes and decodes it, and evaluates it exactly
as `pocketrec eval` evaluates the live fit, on the same split.  This script runs both and
prints, for MovieLens ml-latest-small and the UCI Online Retail invoice lines:

1. per dataset x split (random, temporal) and model (popular, content, item-knn, sequential,
   hybrid): the metrics of the live fit, of the index with the default privacy rules
   (minSupport 5, maxItemsPerShopper 200, no epsilon) and the relative change.  An index
   holds no user-kNN, so the live "hybrid" blends user-kNN in and the index one cannot;
   the row "hybrid (userKnn=0)" compares like with like, with the config
   ``{"hybrid": {"weights": {"userKnn": 0}}}`` on both sides;
2. a privacy grid (``--grid``, the default): minSupport in {1, 2, 5, 10} x epsilon in
   {none, 8, 2, 1} for item-knn, sequential and the like-for-like hybrid, NDCG via the index
   with ``--noise-seed 1`` (reproducible), against the live fit, with the numbers of links
   the rules suppressed (from eval's stderr).

How to run
----------
    bash tests/benches/index_quality.sh [--datasets movielens,retail] [--splits random,temporal]
                                        [--grid | --no-grid] [--pocketrec PATH] [--json OUT]

Tables go to stdout, progress (seconds per eval run) to stderr.  Without ``--pocketrec`` it
runs ``cargo build --release`` (a no-op when up to date) and uses target/release/pocketrec.
Data is read by path from ../shared/data next to the repository (``--data-root``); scratch
files go to target/index-quality/.  Missing data prints "skipped: ..." and exits 0.  The data
preparation is peer_implicit.py's (``prepare_movielens``, ``prepare_retail``); importing that
module only defines functions, its virtualenv logic runs in its own ``main()``.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import peer_implicit  # noqa: E402  (data preparation and the cargo build only)

REPO = HERE.parents[1]
WORK = REPO / "target" / "index-quality"
DATA_ROOT = REPO.parent / "shared" / "data"
DATASETS = peer_implicit.DATASETS  # name -> (folder, required files, preparation function)
SPLITS = ("random", "temporal")

MODELS = ("popular", "content", "item-knn", "sequential", "hybrid")
GRID_MODELS = ("item-knn", "sequential", "hybrid")
LIKE_FOR_LIKE = {"hybrid": {"weights": {"userKnn": 0}}}
MIN_SUPPORTS = (1, 2, 5, 10)
EPSILONS = (None, 8, 2, 1)
NOISE_SEED = 1
# eval --json reports all of these; the printed table shows the first four
TABLE_METRICS = ("ndcg", "recall", "hitRate", "coverage")
ALL_METRICS = ("ndcg", "recall", "precision", "map", "hitRate", "coverage")
EVAL_TIMEOUT_S = 1800

SUPPRESSED_RE = re.compile(
    r"index: (\d+) shoppers capped \((\d+) rows\), (\d+) item-kNN and (\d+) sequential links suppressed")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# Running pocketrec eval
# --------------------------------------------------------------------------------------

class Evaluator:
    """Runs `pocketrec eval --json` and keeps a record of every run for the JSON report."""

    def __init__(self, binary: Path):
        self.binary = binary
        self.runs: list[dict] = []
        self.config_dir = WORK / "configs"
        self.config_dir.mkdir(parents=True, exist_ok=True)

    def config_file(self, config: dict | None) -> Path | None:
        if not config:
            return None
        text = json.dumps(config, sort_keys=True)
        name = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
        path = self.config_dir / f"{name}.json"
        path.write_text(text + "\n", encoding="utf-8")
        return path

    def command(self, data: dict, split: str, models, config: dict | None, via_index: bool) -> list[str]:
        cmd = [str(self.binary), "eval", "--catalog", str(data["catalog"]),
               "--interactions", str(data["interactions"]), "--split", split,
               "--models", ",".join(models), "--json"]
        path = self.config_file(config)
        if path:
            cmd += ["--config", str(path)]
        if via_index:
            cmd += ["--via-index", "--noise-seed", str(NOISE_SEED)]
        return cmd

    def run(self, data: dict, split: str, models, config: dict | None = None,
            via_index: bool = False) -> dict:
        """Metrics per model ({model: {ndcg, recall, ...}}) and, via the index, the rules' counts."""
        cmd = self.command(data, split, models, config, via_index)
        label = f"{data['name']}/{split} {'index' if via_index else 'live '} {','.join(models)}" \
                f"{' ' + json.dumps(config, sort_keys=True) if config else ''}"
        t0 = time.perf_counter()
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=EVAL_TIMEOUT_S)
        except subprocess.TimeoutExpired as e:
            raise RuntimeError(f"{label}: timed out after {EVAL_TIMEOUT_S} s") from e
        seconds = time.perf_counter() - t0
        log(f"{seconds:7.1f} s  {label}")
        if res.returncode != 0:
            raise RuntimeError(f"{label}: exit {res.returncode}: {res.stderr.strip()[-1000:]}")
        out = json.loads(res.stdout)
        result = {
            "metrics": {r["model"]: r for r in out["results"]},
            "index": parse_index_report(res.stderr) if via_index else None,
            "seconds": seconds,
        }
        self.runs.append({"command": cmd, "seconds": round(seconds, 3), "index": result["index"]})
        return result


def parse_index_report(stderr: str) -> dict | None:
    m = SUPPRESSED_RE.search(stderr)
    if not m:
        return None
    keys = ("capped_shoppers", "capped_rows", "suppressed_item_links", "suppressed_successors")
    return dict(zip(keys, map(int, m.groups())))


# --------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------

def relative(live: float, index: float) -> float | None:
    return (index - live) / live if live else None


def pick(metrics: dict) -> dict:
    return {m: metrics[m] for m in ALL_METRICS if m in metrics}


def comparison_row(dataset: str, split: str, label: str, live: dict, index: dict) -> dict:
    live, index = pick(live), pick(index)
    change = {m: relative(live[m], index[m]) for m in live if m in index}
    return {"dataset": dataset, "split": split, "model": label,
            "live": live, "index": index, "change": change}


def compare(ev: Evaluator, data: dict, split: str) -> tuple[list[dict], dict]:
    """Table 1 for one dataset x split; also returns the live metrics the grid compares with."""
    live = ev.run(data, split, MODELS)
    index = ev.run(data, split, MODELS, via_index=True)
    live_l4l = ev.run(data, split, ["hybrid"], LIKE_FOR_LIKE)
    index_l4l = ev.run(data, split, ["hybrid"], LIKE_FOR_LIKE, via_index=True)
    name = data["name"]
    rows = [comparison_row(name, split, m, live["metrics"][m], index["metrics"][m]) for m in MODELS]
    rows.append(comparison_row(name, split, "hybrid (userKnn=0)",
                               live_l4l["metrics"]["hybrid"], index_l4l["metrics"]["hybrid"]))
    for row in rows:
        row["index_report"] = index["index"] if row["model"] != "hybrid (userKnn=0)" else index_l4l["index"]
    reference = {"item-knn": live["metrics"]["item-knn"], "sequential": live["metrics"]["sequential"],
                 "hybrid": live_l4l["metrics"]["hybrid"]}
    return rows, reference


def grid_config(min_support: int, epsilon: float | None) -> dict:
    privacy: dict = {"minSupport": min_support}
    if epsilon is not None:
        privacy["epsilon"] = epsilon
    return {**LIKE_FOR_LIKE, "privacy": privacy}


def grid(ev: Evaluator, data: dict, split: str, reference: dict) -> list[dict]:
    """Table 2 for one dataset x split: one row per (minSupport, epsilon)."""
    rows = []
    for min_support in MIN_SUPPORTS:
        for epsilon in EPSILONS:
            res = ev.run(data, split, GRID_MODELS, grid_config(min_support, epsilon), via_index=True)
            models = {m: {"index": pick(res["metrics"][m]),
                          "ndcg_change": relative(reference[m]["ndcg"], res["metrics"][m]["ndcg"])}
                      for m in GRID_MODELS}
            rows.append({"dataset": data["name"], "split": split, "min_support": min_support,
                         "epsilon": epsilon, "models": models, "index_report": res["index"],
                         "live_ndcg": {m: reference[m]["ndcg"] for m in GRID_MODELS}})
    return rows


# --------------------------------------------------------------------------------------
# Printing
# --------------------------------------------------------------------------------------

def fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.4f}"


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:+.1f}%"


def count(x: int | None) -> str:
    return "-" if x is None else f"{x:,}"


def render(groups: list[tuple[str, int]], headers: list[str], rows: list[list[str]]) -> str:
    """Plain-text table: first column left-aligned, the rest right-aligned; `groups` are
    (label, number of columns) spans printed above the headers."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    sep = "  "
    col = 0
    top = []
    for label, span in groups:
        width = sum(widths[col:col + span]) + len(sep) * (span - 1)
        top.append(label.center(width) if col else label.ljust(width))
        col += span

    def line(cells: list[str]) -> str:
        return sep.join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = [sep.join(top).rstrip(), line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


METRIC_LABELS = {"ndcg": "ndcg@10", "recall": "recall@10", "precision": "precision@10",
                 "map": "map@10", "hitRate": "hit rate", "coverage": "coverage"}


def print_comparison(rows: list[dict]) -> None:
    ds, split = rows[0]["dataset"], rows[0]["split"]
    groups = [("", 1)] + [(METRIC_LABELS[m], 3) for m in TABLE_METRICS]
    headers = ["model"] + ["live", "index", "change"] * len(TABLE_METRICS)
    body = [[r["model"]] + [c for m in TABLE_METRICS
                            for c in (fmt(r["live"][m]), fmt(r["index"][m]), pct(r["change"][m]))]
            for r in rows]
    print(f"\n== {ds} / {split}: live fit vs model index (default privacy: minSupport 5, cap 200, no epsilon)\n")
    print(render(groups, headers, body))
    rep = rows[0].get("index_report")
    if rep:
        print(f"index: {count(rep['capped_shoppers'])} shoppers capped ({count(rep['capped_rows'])} rows), "
              f"{count(rep['suppressed_item_links'])} item-kNN and {count(rep['suppressed_successors'])} "
              f"sequential links suppressed")
    print("hybrid: live blends user-kNN in, the index cannot; hybrid (userKnn=0) is like for like")


def print_grid(rows: list[dict]) -> None:
    ds, split = rows[0]["dataset"], rows[0]["split"]
    labels = {"item-knn": "item-knn", "sequential": "sequential", "hybrid": "hybrid (userKnn=0)"}
    groups = [("", 2)] + [(labels[m], 2) for m in GRID_MODELS] + [("links suppressed", 2)]
    headers = ["minSupport", "epsilon"] + ["ndcg@10", "change"] * len(GRID_MODELS) + ["item-kNN", "sequential"]
    live = rows[0]["live_ndcg"]
    body = [["live fit", "-"] + [c for m in GRID_MODELS for c in (fmt(live[m]), "")] + ["-", "-"]]
    for r in rows:
        rep = r["index_report"] or {}
        body.append([str(r["min_support"]), "none" if r["epsilon"] is None else f"{r['epsilon']:g}"]
                    + [c for m in GRID_MODELS
                       for c in (fmt(r["models"][m]["index"]["ndcg"]), pct(r["models"][m]["ndcg_change"]))]
                    + [count(rep.get("suppressed_item_links")), count(rep.get("suppressed_successors"))])
    print(f"\n== {ds} / {split}: privacy grid, ndcg@10 via the index (cap 200, noise seed {NOISE_SEED})\n")
    print(render(groups, headers, body))


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------

def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--datasets", default="movielens,retail", help="comma list of: movielens, retail")
    p.add_argument("--splits", default="random,temporal", help="comma list of: random, temporal")
    p.add_argument("--grid", action=argparse.BooleanOptionalAction, default=True,
                   help="run the privacy grid (default: yes)")
    p.add_argument("--json", type=Path, help="write every row to this JSON file")
    p.add_argument("--pocketrec", type=Path, help="pocketrec binary (default: cargo build --release)")
    p.add_argument("--data-root", type=Path, default=DATA_ROOT, help=f"data folder (default {DATA_ROOT})")
    a = p.parse_args(argv)
    a.datasets = [d.strip() for d in a.datasets.split(",") if d.strip()]
    a.splits = [s.strip() for s in a.splits.split(",") if s.strip()]
    for d in a.datasets:
        if d not in DATASETS:
            p.error(f"unknown dataset {d!r} (choose from {', '.join(DATASETS)})")
    for s in a.splits:
        if s not in SPLITS:
            p.error(f"unknown split {s!r} (choose from {', '.join(SPLITS)})")
    return a


def available_datasets(names: list[str], root: Path) -> list[str]:
    """The datasets whose files are there; prints a "skipped: ..." line for the others."""
    found = []
    for name in names:
        folder, files, _prep = DATASETS[name]
        missing = [f for f in files if not (root / folder / f).is_file()]
        if missing:
            print(f"skipped: {name}: data not found ({root / folder / missing[0]})", flush=True)
        else:
            found.append(name)
    return found


def pocketrec_binary(path: Path | None) -> Path:
    if path:
        if not path.is_file():
            raise RuntimeError(f"pocketrec binary {path} not found")
        return path.resolve()
    return peer_implicit.build_pocketrec()


def prepare(name: str, root: Path) -> dict:
    folder, _files, prep = DATASETS[name]
    t0 = time.perf_counter()
    info = prep(root / folder, WORK / name)
    log(f"{time.perf_counter() - t0:7.1f} s  {name}: prepared {info['rows']} rows, {info['catalogue_size']} items")
    return {"name": name, "catalog": info["catalog"], "interactions": info["interactions"],
            "rows": info["rows"], "catalogue_size": info["catalogue_size"]}


def main(argv=None) -> int:
    args = parse_args(argv)
    names = available_datasets(args.datasets, args.data_root)
    if not names:
        print(f"skipped: no benchmark data found under {args.data_root}", flush=True)
        return 0
    try:
        ev = Evaluator(pocketrec_binary(args.pocketrec))
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    t_start = time.perf_counter()
    comparison, grid_rows, datasets, errors = [], [], {}, 0
    for name in names:
        data = prepare(name, args.data_root)
        datasets[name] = {k: str(v) if isinstance(v, Path) else v for k, v in data.items()}
        for split in args.splits:
            try:
                rows, reference = compare(ev, data, split)
                comparison += rows
                print_comparison(rows)
                if args.grid:
                    cells = grid(ev, data, split, reference)
                    grid_rows += cells
                    print_grid(cells)
            except RuntimeError as e:
                errors += 1
                print(f"\nerror: {name}/{split}: {e}", flush=True)
            sys.stdout.flush()
    elapsed = time.perf_counter() - t_start
    eval_seconds = sum(r["seconds"] for r in ev.runs)
    print(f"\n{len(ev.runs)} eval runs, {eval_seconds:.1f} s in eval, {elapsed:.1f} s in all")
    if args.json:
        report = {
            "meta": {"date": datetime.now().isoformat(timespec="seconds"), "python": platform.python_version(),
                     "pocketrec": str(ev.binary), "models": MODELS, "grid_models": GRID_MODELS,
                     "like_for_like_config": LIKE_FOR_LIKE, "noise_seed": NOISE_SEED,
                     "datasets": datasets, "splits": args.splits, "elapsed_seconds": round(elapsed, 1)},
            "comparison": comparison, "grid": grid_rows, "runs": ev.runs,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        log(f"wrote {args.json}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
