#!/usr/bin/env python3
"""Side-by-side benchmark: pocketrec versus the nearest-neighbour recommenders of `implicit`.

What it does
------------
For each dataset (MovieLens ml-latest-small and UCI Online Retail) and each split
(random, temporal):

1. prepares an interactions file (``user,item,weight,timestamp``) in a scratch directory
   under ``target/peer-bench/`` (for Online Retail also a ``catalogue.json``);
2. splits it with ``pocketrec split`` so that both sides see byte-identical train/test files
   (``--python-split`` swaps in a small Python splitter with the same definition; it exists
   only to test this script while the CLI is not ready);
3. fits implicit's CosineRecommender, TFIDFRecommender and BM25Recommender (K = 20 and 100)
   on a binary and on a weighted user x item matrix built from train.csv, single-threaded,
   and recommends 10 items per test user, filtering items the user already has;
4. runs ``pocketrec recommend`` with the models popular, content, item-knn, user-knn,
   sequential and hybrid, twice:
   with the default config ("pocketrec default <model>") and with a config chosen by
   ``pocketrec tune`` on train.csv alone ("pocketrec <model>"; the tuner holds out part of
   the training file, never the test file); the checks use the tuned rows;
5. scores every list with one metric function (precision, recall, NDCG, MAP at 10, hit rate,
   catalogue coverage) and prints one markdown table per dataset x split, then a summary
   with PASS/FAIL against the targets:
       item-knn NDCG@10 >= best implicit NDCG@10
       hybrid   NDCG@10 >= 1.05 x best implicit NDCG@10
       hybrid   NDCG@10 >= best of its components (popular, content, item-knn, user-knn, sequential)

Users absent from train.csv get an empty list from implicit (no popularity fallback); with
the split definition used here every test user has training items, so this does not arise,
but the summary notes how many such users there were if it ever does.

How to run
----------
    bash tests/benches/peer_implicit.sh [--datasets movielens,retail] [--splits random,temporal]
                                        [--pocketrec PATH] [--config cfg.json] [--json OUT]

The script creates a virtualenv at target/peer-venv (if absent), installs implicit, numpy
and scipy into it and re-runs itself there.  When the data or implicit cannot be had it
prints "skipped: ..." and exits 0.  Without ``--pocketrec`` it builds the CLI with
``cargo build --release`` and uses target/release/pocketrec.

Testing options: ``--python-split`` (fallback splitter) and ``--implicit-only`` (no pocketrec
at all; implies ``--python-split``).  ``--strict`` makes a FAIL exit with status 1.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

# Single-threaded numerics for a fair comparison; must be set before numpy is imported
# (numpy/scipy/implicit are imported lazily, inside the functions that need them).
THREAD_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "RAYON_NUM_THREADS": "1",
}
for _k, _v in THREAD_ENV.items():
    os.environ.setdefault(_k, _v)

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / "target" / "peer-venv"
WORK = REPO / "target" / "peer-bench"
DATA_ROOT = Path("/work/shared/data")
VENV_PACKAGES = ["implicit", "numpy", "scipy"]

TOP_N = 10
TEST_FRACTION = 0.2
SEED = 42
IMPLICIT_MODELS = ("cosine", "tfidf", "bm25")
IMPLICIT_KS = (20, 100)
IMPLICIT_VARIANTS = ("binary", "weighted")
POCKETREC_MODELS = ("popular", "content", "item-knn", "user-knn", "sequential", "hybrid")
HYBRID_COMPONENTS = ("popular", "content", "item-knn", "user-knn", "sequential")
HYBRID_TARGET = 1.05
POCKETREC_TIMEOUT_S = 900  # per CLI call


def log(msg: str) -> None:
    """Progress messages go to stderr so stdout holds only the report."""
    print(msg, file=sys.stderr, flush=True)


def skip(reason: str) -> None:
    print(f"skipped: {reason}", flush=True)
    sys.exit(0)


# --------------------------------------------------------------------------------------
# Environment: virtualenv with implicit
# --------------------------------------------------------------------------------------

def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def _last_error_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("ERROR")]
    return (errors or lines or ["unknown error"])[-1]


def ensure_venv_and_reexec() -> None:
    """Create target/peer-venv with implicit in it (if needed) and re-run this script there."""
    py = VENV / "bin" / "python"
    if py.exists() and subprocess.run([str(py), "-c", "pass"], capture_output=True).returncode != 0:
        log(f"{VENV} is broken (python moved?); recreating it")
        shutil.rmtree(VENV, ignore_errors=True)
    if not py.exists():
        log(f"creating virtualenv {VENV}")
        res = subprocess.run([sys.executable, "-m", "venv", str(VENV)], capture_output=True, text=True)
        if res.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            skip(f"could not install implicit: venv creation failed: {_last_error_line(res.stderr + res.stdout)}")
    probe = subprocess.run([str(py), "-c", "import implicit, numpy, scipy"], capture_output=True, text=True)
    if probe.returncode != 0:
        log(f"installing {' '.join(VENV_PACKAGES)} into {VENV} ...")
        t0 = time.perf_counter()
        res = subprocess.run(
            [str(py), "-m", "pip", "install", "--disable-pip-version-check", *VENV_PACKAGES],
            capture_output=True, text=True,
        )
        if res.returncode != 0:
            skip(f"could not install implicit: {_last_error_line(res.stderr + res.stdout)}")
        log(f"installed in {time.perf_counter() - t0:.1f} s")
        probe = subprocess.run([str(py), "-c", "import implicit, numpy, scipy"], capture_output=True, text=True)
        if probe.returncode != 0:
            skip(f"could not install implicit: import failed: {_last_error_line(probe.stderr)}")
    env = dict(os.environ, **THREAD_ENV)
    os.execve(str(py), [str(py), str(Path(__file__).resolve()), *sys.argv[1:]], env)


# --------------------------------------------------------------------------------------
# Data preparation
# --------------------------------------------------------------------------------------

INTERACTION_HEADER = ["user", "item", "weight", "timestamp"]

# Online Retail codes that are not products (postage, fees, manual adjustments, ...).  Real
# products are five digits with an optional letter suffix (85123A); every code below fails
# that pattern too, the list is kept for documentation.
RETAIL_NON_PRODUCT = {"POST", "DOT", "M", "C2", "D", "S", "BANK CHARGES", "AMAZONFEE", "CRUK", "PADS", "B"}
RETAIL_PRODUCT_CODE = re.compile(r"\d{5}[A-Z]*")


def retail_is_product(code: str) -> bool:
    if code in RETAIL_NON_PRODUCT or code.startswith(("GIFT_0001_", "DCGS")):
        return False
    return RETAIL_PRODUCT_CODE.fullmatch(code) is not None


def prepare_movielens(src: Path, out: Path) -> dict:
    """ratings.csv -> interactions.csv (weight = rating).  The catalogue is the source folder."""
    out.mkdir(parents=True, exist_ok=True)
    inter = out / "interactions.csv"
    with open(src / "ratings.csv", newline="", encoding="utf-8") as fin, \
            open(inter, "w", newline="", encoding="utf-8") as fout:
        w = csv.writer(fout, lineterminator="\n")
        w.writerow(INTERACTION_HEADER)
        n = 0
        for row in csv.DictReader(fin):
            w.writerow([row["userId"], row["movieId"], row["rating"], row["timestamp"]])
            n += 1
    with open(src / "movies.csv", newline="", encoding="utf-8") as f:
        n_items = sum(1 for _ in csv.DictReader(f))
    return {"interactions": inter, "catalog": src, "catalogue_size": n_items, "rows": n}


def prepare_retail(src: Path, out: Path) -> dict:
    """online_retail.csv -> interactions.csv + catalogue.json (see module docstring)."""
    out.mkdir(parents=True, exist_ok=True)
    inter = out / "interactions.csv"
    descriptions: dict[str, Counter] = defaultdict(Counter)
    prices: dict[str, list[float]] = defaultdict(list)
    dropped = Counter()
    n = 0
    with open(src / "online_retail.csv", newline="", encoding="utf-8") as fin, \
            open(inter, "w", newline="", encoding="utf-8") as fout:
        w = csv.writer(fout, lineterminator="\n")
        w.writerow(INTERACTION_HEADER)
        for row in csv.DictReader(fin):
            if row["InvoiceNo"].startswith("C"):
                dropped["cancellation"] += 1
                continue
            qty = int(row["Quantity"])
            if qty <= 0:
                dropped["quantity<=0"] += 1
                continue
            if not row["CustomerID"].strip():
                dropped["no customer"] += 1
                continue
            # A handful of codes occur in lower and upper case ("85123a" / "85123A") for the
            # same product; upper-case them so they are one item.
            code = row["StockCode"].strip().upper()
            if not retail_is_product(code):
                dropped["non-product code"] += 1
                continue
            ts = calendar.timegm(datetime.strptime(row["InvoiceDate"], "%Y-%m-%d %H:%M:%S").timetuple())
            w.writerow([row["CustomerID"].strip(), code, qty, ts])
            n += 1
            desc = row["Description"].strip()
            if desc:
                descriptions[code][desc] += 1
            prices[code].append(float(row["UnitPrice"]))
    items = []
    for code in sorted(prices):
        counts = descriptions.get(code)
        # most common description; ties broken alphabetically so the file is deterministic
        title = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counts else ""
        items.append({"id": code, "title": title, "price": round(statistics.median(prices[code]), 4)})
    cat = out / "catalogue.json"
    with open(cat, "w", encoding="utf-8") as f:
        json.dump({"items": items}, f, ensure_ascii=False)
    log(f"retail: kept {n} lines, {len(items)} items; dropped {dict(dropped)}")
    return {"interactions": inter, "catalog": cat, "catalogue_size": len(items), "rows": n}


# dataset name -> (folder under the data root, files it needs, preparation function)
DATASETS = {
    "movielens": ("movielens-latest-small", ["ratings.csv", "movies.csv"], prepare_movielens),
    "retail": ("online-retail", ["online_retail.csv"], prepare_retail),
}


# --------------------------------------------------------------------------------------
# Splitting
# --------------------------------------------------------------------------------------

def read_interactions(path: Path) -> list[tuple[str, str, float, int]]:
    with open(path, newline="", encoding="utf-8") as f:
        # weight and timestamp may be empty; an empty weight counts 1, an empty timestamp 0
        return [(r["user"], r["item"], float(r.get("weight") or 1.0), int(float(r.get("timestamp") or 0)))
                for r in csv.DictReader(f)]


def python_split(all_csv: Path, mode: str, test_fraction: float, seed: int, out_dir: Path) -> None:
    """Fallback splitter, for testing this script only (the benchmark uses `pocketrec split`).

    Per user, over the user's distinct items: when n >= 2, round(test_fraction * n) items (at
    least 1) go to test -- a seeded shuffle for "random", the latest by first timestamp for
    "temporal"; users with one item stay in train.  All rows of a test (user, item) go to
    test.csv, the others to train.csv; users.txt lists the users with test items.
    """
    rows = read_interactions(all_csv)
    first_ts: dict[str, dict[str, int]] = defaultdict(dict)
    for u, i, _w, ts in rows:
        seen = first_ts[u]
        if i not in seen or ts < seen[i]:
            seen[i] = ts
    rng = random.Random(seed)
    test_pairs: set[tuple[str, str]] = set()
    test_users = []
    for u in sorted(first_ts):
        items = first_ts[u]
        n = len(items)
        if n < 2:
            continue
        n_test = max(1, math.floor(test_fraction * n + 0.5))  # round half away from zero
        if mode == "random":
            order = sorted(items)
            rng.shuffle(order)
            chosen = order[:n_test]
        elif mode == "temporal":
            order = sorted(items, key=lambda it: (items[it], it))
            chosen = order[-n_test:]
        else:
            raise ValueError(f"unknown split {mode}")
        test_pairs.update((u, it) for it in chosen)
        test_users.append(u)
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "train.csv", "w", newline="", encoding="utf-8") as ftr, \
            open(out_dir / "test.csv", "w", newline="", encoding="utf-8") as fte:
        wtr, wte = csv.writer(ftr, lineterminator="\n"), csv.writer(fte, lineterminator="\n")
        wtr.writerow(INTERACTION_HEADER)
        wte.writerow(INTERACTION_HEADER)
        for u, i, w, ts in rows:
            (wte if (u, i) in test_pairs else wtr).writerow([u, i, f"{w:g}", ts])
    (out_dir / "users.txt").write_text("".join(f"{u}\n" for u in test_users), encoding="utf-8")


def pocketrec_split(binary: Path, all_csv: Path, catalog: Path, mode: str, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("train.csv", "test.csv", "users.txt"):  # never score a stale split
        (out_dir / name).unlink(missing_ok=True)
    cmd = [str(binary), "split", "--interactions", str(all_csv), "--split", mode,
           "--test-fraction", str(TEST_FRACTION), "--seed", str(SEED), "--out-dir", str(out_dir)]
    # The split resolves item ids against the catalogue when the CLI asks for one.
    help_text = subprocess.run([str(binary), "split", "--help"], capture_output=True, text=True).stdout
    if "--catalog" in help_text:
        cmd += ["--catalog", str(catalog)]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=POCKETREC_TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        raise RuntimeError(f"pocketrec split timed out after {POCKETREC_TIMEOUT_S} s") from e
    if res.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` failed ({res.returncode}): {res.stderr.strip()[-2000:]}")
    for name in ("train.csv", "test.csv", "users.txt"):
        if not (out_dir / name).exists():
            raise RuntimeError(f"pocketrec split did not write {out_dir / name}")


# --------------------------------------------------------------------------------------
# Metrics: one implementation for every recommender
# --------------------------------------------------------------------------------------

def read_test(path: Path) -> dict[str, set[str]]:
    truth: dict[str, set[str]] = defaultdict(set)
    for u, i, _w, _ts in read_interactions(path):
        truth[u].add(i)
    return truth


def read_users(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def evaluate(recs: dict[str, list[str]], truth: dict[str, set[str]], users: list[str],
             catalogue_size: int, k: int = TOP_N) -> dict:
    """Top-k metrics with binary relevance, averaged over the users of users.txt.

    precision = hits / k; recall = hits / |test items|; NDCG with gains 1/log2(rank + 1)
    (rank from 1) and the ideal DCG over min(k, |test|) hits; MAP = sum_i P@i * rel_i /
    min(k, |test|); hit rate = share of users with at least one hit; coverage = distinct
    recommended items / catalogue size.  A missing or short list simply scores lower.
    Users without test items (should not happen) are left out of the averages and counted.
    """
    sums = Counter()
    evaluated = empty = no_truth = duplicates = 0
    recommended: set[str] = set()
    for u in users:
        positives = truth.get(u)
        if not positives:
            no_truth += 1
            continue
        evaluated += 1
        raw = recs.get(u) or []
        # a repeated item counts once (first position)
        ranked, seen = [], set()
        for it in raw:
            if it in seen:
                duplicates += 1
                continue
            seen.add(it)
            ranked.append(it)
        ranked = ranked[:k]
        if not ranked:
            empty += 1
        recommended.update(ranked)
        hits = 0
        dcg = ap = 0.0
        for pos, it in enumerate(ranked):
            if it in positives:
                hits += 1
                dcg += 1.0 / math.log2(pos + 2)
                ap += hits / (pos + 1)
        ideal = min(k, len(positives))
        idcg = sum(1.0 / math.log2(p + 2) for p in range(ideal))
        sums["precision"] += hits / k
        sums["recall"] += hits / len(positives)
        sums["ndcg"] += dcg / idcg
        sums["map"] += ap / ideal
        sums["hit_rate"] += 1.0 if hits else 0.0
    out = {m: (sums[m] / evaluated if evaluated else 0.0)
           for m in ("precision", "recall", "ndcg", "map", "hit_rate")}
    out["coverage"] = len(recommended) / catalogue_size if catalogue_size else 0.0
    out.update(users=evaluated, empty_lists=empty, users_without_test=no_truth, duplicate_recs=duplicates)
    return out


# --------------------------------------------------------------------------------------
# implicit side
# --------------------------------------------------------------------------------------

def implicit_version() -> tuple[str, tuple[int, ...]]:
    import implicit
    ver = getattr(implicit, "__version__", "0")
    nums = tuple(int(x) for x in re.findall(r"\d+", ver)[:3])
    return ver, nums


def build_matrices(train_csv: Path):
    """User x item CSR matrices (binary and summed weights) plus the id maps."""
    import numpy as np
    from scipy.sparse import csr_matrix

    rows = read_interactions(train_csv)
    users = {u: n for n, u in enumerate(sorted({r[0] for r in rows}))}
    items = {i: n for n, i in enumerate(sorted({r[1] for r in rows}))}
    r = np.fromiter((users[x[0]] for x in rows), dtype=np.int32, count=len(rows))
    c = np.fromiter((items[x[1]] for x in rows), dtype=np.int32, count=len(rows))
    w = np.fromiter((x[2] for x in rows), dtype=np.float64, count=len(rows))
    weighted = csr_matrix((w, (r, c)), shape=(len(users), len(items)))  # duplicates are summed
    weighted.sum_duplicates()
    weighted.eliminate_zeros()  # weight 0 (or summing to 0) is no interaction
    binary = weighted.copy()
    binary.data[:] = 1.0
    return {"binary": binary.astype(np.float32), "weighted": weighted.astype(np.float32)}, users, items


def make_implicit_model(name: str, k: int):
    import inspect
    from implicit import nearest_neighbours as nn

    cls = {"cosine": nn.CosineRecommender, "tfidf": nn.TFIDFRecommender, "bm25": nn.BM25Recommender}[name]
    kwargs = {"K": k}
    if "num_threads" in inspect.signature(cls.__init__).parameters:
        kwargs["num_threads"] = 1
    return cls(**kwargs)


def run_implicit(model_name: str, k: int, matrix, user_index: dict, item_ids: list[str],
                 users: list[str], version: tuple[int, ...]) -> tuple[dict[str, list[str]], float, float, int]:
    """Fit one model and recommend TOP_N items for each user; returns recs, fit s, total s, cold."""
    import warnings

    import numpy as np

    # implicit's own weighting helpers hand a COO matrix to its kNN code, which then warns
    # about converting it to CSR; that conversion is part of implicit's fit, not ours.
    warnings.filterwarnings("ignore", message="Method expects CSR input")
    model = make_implicit_model(model_name, k)
    new_api = version >= (0, 5)
    t0 = time.perf_counter()
    if new_api:
        model.fit(matrix, show_progress=False)  # users x items
    else:
        model.fit(matrix.T.tocsr(), show_progress=False)  # implicit < 0.5 wants items x users
    fit_s = time.perf_counter() - t0

    known = [u for u in users if u in user_index]
    cold = len(users) - len(known)
    recs: dict[str, list[str]] = {u: [] for u in users}  # users absent from train: empty list
    if known:
        rows = np.array([user_index[u] for u in known], dtype=np.int32)
        if new_api:
            ids, _scores = model.recommend(rows, matrix[rows], N=TOP_N, filter_already_liked_items=True)
        else:
            ids = np.full((len(rows), TOP_N), -1, dtype=np.int64)
            for n, row in enumerate(rows):
                got = [i for i, _s in model.recommend(int(row), matrix, N=TOP_N, filter_already_liked_items=True)]
                ids[n, : len(got)] = got
        for u, row_ids in zip(known, ids):
            recs[u] = [item_ids[i] for i in row_ids if i >= 0]  # -1 pads short lists
    total_s = time.perf_counter() - t0
    return recs, fit_s, total_s, cold


# --------------------------------------------------------------------------------------
# pocketrec side
# --------------------------------------------------------------------------------------

def build_pocketrec() -> Path:
    log("building pocketrec: cargo build --release ...")
    res = subprocess.run(["cargo", "build", "--release"], cwd=REPO, capture_output=True, text=True)
    if res.returncode != 0:
        tail = "\n".join(res.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"cargo build --release failed:\n{tail}")
    binary = REPO / "target" / "release" / "pocketrec"
    if not binary.exists():
        raise RuntimeError(f"{binary} not found after the build")
    return binary


def read_recs_jsonl(path: Path) -> dict[str, list[str]]:
    recs: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as f:
        for ln in f:
            if ln.strip():
                obj = json.loads(ln)
                recs[str(obj["user"])] = [str(x) for x in obj.get("items", [])]
    return recs


def run_tune(binary: Path, catalog: Path, split_dir: Path, split: str,
             config: Path | None) -> tuple[Path, float]:
    """Tunes pocketrec on train.csv alone (an inner validation split of the same
    kind as the outer one); the test file is never read. Returns the config path."""
    out = split_dir / "tuned.json"
    out.unlink(missing_ok=True)
    cmd = [str(binary), "tune", "--catalog", str(catalog), "--interactions", str(split_dir / "train.csv"),
           "--split", split, "--k", str(TOP_N), "--out", str(out)]
    if config:
        cmd += ["--config", str(config)]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=POCKETREC_TIMEOUT_S * 10)
    if res.returncode != 0:
        raise RuntimeError(f"tune: exit {res.returncode}: {res.stderr.strip()[-500:]}")
    return out, time.perf_counter() - t0


def run_pocketrec(binary: Path, model: str, catalog: Path, split_dir: Path,
                  config: Path | None, tag: str = "") -> tuple[dict[str, list[str]], float]:
    out = split_dir / f"recs-{tag}{model}.jsonl"
    out.unlink(missing_ok=True)  # never score a stale output
    cmd = [str(binary), "recommend", "--catalog", str(catalog),
           "--interactions", str(split_dir / "train.csv"), "--users", str(split_dir / "users.txt"),
           "--k", str(TOP_N), "--model", model, "--out", str(out)]
    if config:
        cmd += ["--config", str(config)]
    t0 = time.perf_counter()
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=POCKETREC_TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        raise RuntimeError(f"timed out after {POCKETREC_TIMEOUT_S} s") from e
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        raise RuntimeError(f"exit {res.returncode}: {res.stderr.strip()[-500:]}")
    return read_recs_jsonl(out), wall


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------

def fmt(x, digits=4) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n### {title}\n")
    print("| configuration | P@10 | R@10 | NDCG@10 | MAP@10 | hit rate | coverage | fit s | total s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if r.get("error"):
            msg = " ".join(r["error"].split()).replace("|", "/")[:100]
            print(f"| {r['config']} | error: {msg} | | | | | | | |")
            continue
        m = r["metrics"]
        print(f"| {r['config']} | {fmt(m['precision'])} | {fmt(m['recall'])} | {fmt(m['ndcg'])} | "
              f"{fmt(m['map'])} | {fmt(m['hit_rate'])} | {fmt(m['coverage'])} | "
              f"{fmt(r.get('fit_s'), 3)} | {fmt(r.get('total_s'), 3)} |")


def summarise(rows: list[dict]) -> dict:
    """Best implicit configuration vs pocketrec item-knn / hybrid, with the PASS/FAIL checks."""
    ndcg = {r["config"]: r["metrics"]["ndcg"] for r in rows if not r.get("error")}
    imp = {c: v for c, v in ndcg.items() if c.startswith("implicit ")}
    best_cfg = max(imp, key=imp.get) if imp else None
    best = imp.get(best_cfg)

    def ratio(a, b):
        return a / b if a is not None and b else None

    knn = ndcg.get("pocketrec item-knn")
    hyb = ndcg.get("pocketrec hybrid")
    comps = {c: ndcg.get(f"pocketrec {c}") for c in HYBRID_COMPONENTS}
    missing_components = [c for c, v in comps.items() if v is None]
    comps = {c: v for c, v in comps.items() if v is not None}
    best_comp = max(comps, key=comps.get) if comps else None
    s = {
        "best_implicit": best_cfg, "best_implicit_ndcg": best,
        "item_knn_ndcg": knn, "item_knn_ratio": ratio(knn, best),
        "hybrid_ndcg": hyb, "hybrid_ratio_implicit": ratio(hyb, best),
        "best_component": best_comp, "best_component_ndcg": comps.get(best_comp),
        "hybrid_ratio_component": ratio(hyb, comps.get(best_comp)),
        "missing_components": missing_components,
    }
    # When pocketrec ran, a model without a result (it failed) fails its checks.
    ran = any(r["config"].startswith("pocketrec ") for r in rows)
    checks = {}
    if best is not None and (ran or knn is not None):
        checks["item-knn >= best implicit"] = knn is not None and knn >= best
    if best is not None and (ran or hyb is not None):
        checks[f"hybrid >= {HYBRID_TARGET} x best implicit"] = hyb is not None and hyb >= HYBRID_TARGET * best
    if ran or hyb is not None:
        checks["hybrid >= best component"] = hyb is not None and best_comp is not None and hyb >= comps[best_comp]
    s["checks"] = checks
    return s


def print_summary(s: dict) -> None:
    print()
    if s["best_implicit"]:
        print(f"- best implicit: {s['best_implicit']}, NDCG@10 {fmt(s['best_implicit_ndcg'])}")
    if s["item_knn_ndcg"] is not None:
        print(f"- pocketrec item-knn NDCG@10 {fmt(s['item_knn_ndcg'])}, ratio to best implicit {fmt(s['item_knn_ratio'], 3)}")
    if s["hybrid_ndcg"] is not None:
        print(f"- pocketrec hybrid NDCG@10 {fmt(s['hybrid_ndcg'])}, ratio to best implicit "
              f"{fmt(s['hybrid_ratio_implicit'], 3)} (target >= {HYBRID_TARGET}), ratio to best component "
              f"{s['best_component']} {fmt(s['hybrid_ratio_component'], 3)} (target >= 1.0)")
    if s["hybrid_ndcg"] is not None and s["missing_components"]:
        print(f"- note: component(s) without a result: {', '.join(s['missing_components'])}")
    for name, ok in s["checks"].items():
        print(f"- {'PASS' if ok else 'FAIL'}: {name}")


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------

def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--datasets", default="movielens,retail", help="comma list of: movielens, retail")
    p.add_argument("--splits", default="random,temporal", help="comma list of: random, temporal")
    p.add_argument("--pocketrec", type=Path, help="pocketrec binary (default: cargo build --release)")
    p.add_argument("--config", type=Path, help="config file passed through to pocketrec recommend")
    p.add_argument("--json", type=Path, help="write all numbers to this JSON file")
    p.add_argument("--data-root", type=Path, default=DATA_ROOT, help=f"data folder (default {DATA_ROOT})")
    p.add_argument("--python-split", action="store_true",
                   help="use the Python fallback splitter instead of `pocketrec split` (testing only)")
    p.add_argument("--implicit-only", action="store_true",
                   help="run only the implicit side (testing only; implies --python-split)")
    p.add_argument("--strict", action="store_true", help="exit 1 when a PASS/FAIL check fails")
    p.add_argument("--no-tune", action="store_true",
                   help="skip `pocketrec tune`; the checks then use the default (or --config) rows")
    a = p.parse_args(argv)
    a.datasets = [d.strip() for d in a.datasets.split(",") if d.strip()]
    a.splits = [s.strip() for s in a.splits.split(",") if s.strip()]
    for d in a.datasets:
        if d not in DATASETS:
            p.error(f"unknown dataset {d!r} (choose from {', '.join(DATASETS)})")
    for s in a.splits:
        if s not in ("random", "temporal"):
            p.error(f"unknown split {s!r} (choose from random, temporal)")
    if a.implicit_only:
        a.python_split = True
    return a


def main(argv=None) -> int:
    args = parse_args(argv)

    # 1. data: skip cleanly when it is not there (checked before any install work)
    available = []
    for name in args.datasets:
        sub, files, _prep = DATASETS[name]
        folder = args.data_root / sub
        missing = [f for f in files if not (folder / f).is_file()]
        if missing:
            print(f"skipped: {name}: data not found ({folder}/{missing[0]})", flush=True)
        else:
            available.append(name)
    if not available:
        skip(f"no benchmark data found under {args.data_root}")

    # 2. environment: venv with implicit, then re-run inside it
    if not in_venv():
        ensure_venv_and_reexec()  # does not return
    try:
        ver, ver_nums = implicit_version()
    except Exception as e:  # noqa: BLE001 - any import problem means we cannot run the peer
        skip(f"could not install implicit: {e}")
    log(f"implicit {ver}, python {platform.python_version()}")

    # 3. pocketrec binary (unless testing the implicit side alone)
    binary = None
    if not args.implicit_only:
        try:
            binary = args.pocketrec.resolve() if args.pocketrec else build_pocketrec()
        except RuntimeError as e:
            print(f"error: {e}\n(use --implicit-only to run the implicit side alone)", file=sys.stderr)
            return 2
        if not binary.exists():
            print(f"error: pocketrec binary {binary} not found", file=sys.stderr)
            return 2

    report = {
        "meta": {
            "implicit_version": ver, "python": platform.python_version(),
            "date": datetime.now().isoformat(timespec="seconds"), "thread_env": THREAD_ENV,
            "splitter": "python-fallback" if args.python_split else "pocketrec",
            "pocketrec": str(binary) if binary else None,
            "config": str(args.config) if args.config else None,
            "k": TOP_N, "test_fraction": TEST_FRACTION, "seed": SEED,
            "cold_users": "empty list (implicit has no fallback)",
        },
        "results": {},
    }
    all_checks = []
    n_errors = 0
    t_start = time.perf_counter()

    for ds in available:
        sub, _files, prep = DATASETS[ds]
        folder = args.data_root / sub
        log(f"{ds}: preparing data")
        info = prep(folder, WORK / ds)
        report["results"][ds] = {}
        for split in args.splits:
            split_dir = WORK / ds / (f"{split}-py" if args.python_split else split)
            log(f"{ds}/{split}: splitting into {split_dir}")
            try:
                if args.python_split:
                    python_split(info["interactions"], split, TEST_FRACTION, SEED, split_dir)
                else:
                    pocketrec_split(binary, info["interactions"], info["catalog"], split, split_dir)
            except (RuntimeError, OSError) as e:
                print(f"\nerror: {ds}/{split}: split failed: {e}", flush=True)
                report["results"][ds][split] = {"error": f"split failed: {e}"}
                n_errors += 1
                continue
            truth = read_test(split_dir / "test.csv")
            users = read_users(split_dir / "users.txt")
            rows: list[dict] = []

            def add(config, recs, fit_s, total_s, **extra):
                rows.append({"config": config, "fit_s": fit_s, "total_s": total_s,
                             "metrics": evaluate(recs, truth, users, info["catalogue_size"]), **extra})

            # implicit
            matrices, user_index, item_index = build_matrices(split_dir / "train.csv")
            item_ids = [None] * len(item_index)
            for it, n in item_index.items():
                item_ids[n] = it
            for model_name in IMPLICIT_MODELS:
                for k in IMPLICIT_KS:
                    for variant in IMPLICIT_VARIANTS:
                        cfg = f"implicit {model_name} K={k} {variant}"
                        log(f"{ds}/{split}: {cfg}")
                        recs, fit_s, total_s, cold = run_implicit(
                            model_name, k, matrices[variant], user_index, item_ids, users, ver_nums)
                        add(cfg, recs, fit_s, total_s, cold_users=cold)

            # pocketrec (fit_s is left empty: the CLI call does load + fit + recommend at once).
            # Rows "pocketrec default <model>" use the defaults (or --config); rows
            # "pocketrec <model>" use a config tuned on train.csv alone, and carry the checks.
            if binary:
                variants = [("default ", args.config)]
                if not args.no_tune:
                    log(f"{ds}/{split}: pocketrec tune")
                    try:
                        tuned, tune_s = run_tune(binary, info["catalog"], split_dir, split, args.config)
                        log(f"{ds}/{split}: tuned in {tune_s:.1f} s -> {tuned}")
                        variants.append(("", tuned))
                    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
                        rows.append({"config": "pocketrec tune", "error": str(e)})
                else:
                    variants = [("", args.config)]
                for tag, config in variants:
                    for model in POCKETREC_MODELS:
                        cfg = f"pocketrec {tag}{model}"
                        log(f"{ds}/{split}: {cfg}")
                        try:
                            recs, wall = run_pocketrec(binary, model, info["catalog"], split_dir, config,
                                                       tag.strip().replace(" ", "-") + ("-" if tag else ""))
                        except (RuntimeError, OSError, ValueError, KeyError) as e:
                            rows.append({"config": cfg, "error": str(e)})
                            continue
                        add(cfg, recs, None, wall)

            title = (f"{ds} / {split} split — {len(users)} test users, {len(truth)} with test items, "
                     f"{len(user_index)} train users x {len(item_index)} train items, "
                     f"catalogue {info['catalogue_size']}")
            print_table(title, rows)
            summary = summarise(rows)
            print_summary(summary)
            cold = max((r.get("cold_users", 0) for r in rows), default=0)
            if cold:
                print(f"- note: {cold} test users are absent from train.csv; implicit gives them an empty list")
            all_checks += list(summary["checks"].values())
            report["results"][ds][split] = {
                "split_dir": str(split_dir), "test_users": len(users),
                "train_users": len(user_index), "train_items": len(item_index),
                "catalogue_size": info["catalogue_size"], "rows": rows, "summary": summary,
            }

    elapsed = time.perf_counter() - t_start
    report["meta"]["elapsed_s"] = elapsed
    n_fail = sum(1 for ok in all_checks if not ok)
    if all_checks:
        # worded so it is not mistaken for a test runner's "N passed, N failed" closing line
        print(f"\nchecks: {len(all_checks) - n_fail} PASS, {n_fail} FAIL")
    print(f"\nimplicit {ver}; splitter: {report['meta']['splitter']}; elapsed {elapsed:.1f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
        log(f"wrote {args.json}")
    if n_errors:
        return 2
    return 1 if (args.strict and n_fail) else 0


if __name__ == "__main__":
    sys.exit(main())
