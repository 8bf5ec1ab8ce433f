#!/usr/bin/env python3
"""Side-by-side benchmark: pocketrec's forecaster versus statsforecast.

What it does
------------
For each data set of ../shared/data/forecast/ (m1_monthly, hospital_monthly, m4_weekly,
jewelry_weekly: regular; carparts_intermittent: intermittent):

1. runs statsforecast's AutoETS, AutoTheta, AutoARIMA and SeasonalNaive (on the intermittent
   set also CrostonClassic, CrostonOptimized, CrostonSBA and TSB) on the training part of
   every series, single-threaded, with 80% and 95% intervals where the model has them, and
   writes the forecasts as JSON lines in the format of ``pocketrec forecast``
   (cached under target/forecast-bench/, keyed by data set, model and history cut);
2. runs ``pocketrec forecast-eval`` on the same file, which fits pocketrec's models
   (auto = the default, plus ets, theta, arima, or tsb/sba/croston on the intermittent set)
   and scores them and the statsforecast forecasts with one implementation of the M4
   measures (sMAPE, MASE, OWA against Naive2, RMSE, MAE, 95% coverage, MSIS);
3. prints one table, then PASS/FAIL for the targets:
       regular sets: pocketrec auto OWA <= AutoETS OWA on every set,
                     and mean OWA over the sets <= 0.95 x AutoETS's mean OWA;
                     pocketrec auto 95% coverage in [0.90, 0.98] on every set
       intermittent: pocketrec auto MASE and RMSE <= the better of CrostonOptimized and TSB

m4_weekly has series of up to 2,597 weeks; by default every series of m4_weekly is cut to
its last 520 training values (``--max-history``) for all methods alike, so that
statsforecast's AutoARIMA with season 52 finishes in reasonable time. MASE and MSIS are then
scaled by the cut history. statsforecast's TSB has no default smoothing parameters; it runs
with alpha_d = alpha_p = 0.1 (``--tsb-alpha``).

How to run
----------
    bash tests/benches/peer_statsforecast.sh [--sets m1_monthly,...] [--pocketrec PATH]
                                             [--max-history 520] [--skip SET:MODEL,...]
                                             [--json OUT] [--strict]

statsforecast's forecasts are cached in target/forecast-bench/ (delete it to refit them);
on two cores the first run takes about two hours, most of it AutoARIMA (season 52 on
m4_weekly alone about an hour); later runs only refit pocketrec, in about a minute.

The script creates target/forecast-venv (if absent), pip-installs statsforecast into it and
re-runs itself there. When the data or statsforecast cannot be had it prints
"skipped: ..." and exits 0. Without --pocketrec it builds the CLI with
``cargo build --release`` (into $CARGO_TARGET_DIR or target/).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

THREAD_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
}
for _k, _v in THREAD_ENV.items():
    os.environ.setdefault(_k, _v)

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / "target" / "forecast-venv"
WORK = REPO / "target" / "forecast-bench"
DATA = REPO.parent / "shared" / "data" / "forecast"
REGULAR = [
    "m1_monthly",
    "hospital_monthly",
    "m4_weekly",
    "jewelry_weekly",
    "m3_quarterly",
    "m4_monthly_sample10",
    "classic_airpassengers",
    "classic_bjsales",
    "classic_promodata_weekly",
]
INTERMITTENT = ["carparts_intermittent"]
LONG_SETS = {"m4_weekly"}
# The classic single series (classic/*.csv with a train/test split), each scored as a set of
# one: name -> (file, season length). BJsales is an index series without a season.
CLASSIC = {
    "classic_airpassengers": ("airpassengers.csv", 12),
    "classic_bjsales": ("bjsales.csv", 1),
    "classic_promodata_weekly": ("promodata_weekly.csv", 52),
}
# Peer runs left out unless asked for (--default-skip ''): AutoARIMA is slow (most of the
# two hours of a first run) and AutoETS is the bar; "*" stands for every set.
DEFAULT_SKIP = "*:AutoARIMA"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def skip(reason: str) -> None:
    print(f"skipped: {reason}", flush=True)
    sys.exit(0)


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure_venv_and_reexec() -> None:
    """Create the venv with statsforecast (if needed) and re-run this script inside it."""
    if in_venv():
        return
    py = VENV / "bin" / "python"
    if not py.exists():
        log(f"creating {VENV}")
        res = subprocess.run([sys.executable, "-m", "venv", str(VENV)], capture_output=True, text=True)
        if res.returncode != 0:
            skip("could not create a virtualenv: " + (res.stderr.strip().splitlines() or ["?"])[-1])
    check = subprocess.run([str(py), "-c", "import statsforecast"], capture_output=True)
    if check.returncode != 0:
        log("installing statsforecast into the venv (first run only)")
        res = subprocess.run(
            [str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q", "statsforecast"],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            skip("could not install statsforecast: " + (res.stderr.strip().splitlines() or ["?"])[-1])
    os.execv(str(py), [str(py), __file__, *sys.argv[1:]])


def pocketrec_binary(given: str | None) -> Path:
    if given:
        return Path(given)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    log("building pocketrec (cargo build --release)")
    res = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    if res.returncode != 0:
        sys.exit("cargo build failed")
    return target / "release" / "pocketrec"


def load_classic(name: str) -> dict:
    """One classic/*.csv series (columns period,value,split[,regressors]) as an evaluation set."""
    import csv

    file, m = CLASSIC[name]
    with (DATA / "classic" / file).open() as f:
        rows = list(csv.DictReader(f))
    train = [float(r["value"]) for r in rows if r["split"] == "train"]
    test = [float(r["value"]) for r in rows if r["split"] == "test"]
    return {
        "dataset": name,
        "season_length": m,
        "horizon": len(test),
        "series": [{"id": file.removesuffix(".csv"), "train": train, "test": test}],
    }


def load(name: str, max_history: int) -> dict:
    if name in CLASSIC:
        return load_classic(name)
    data = json.loads((DATA / f"{name}.json").read_text())
    # hospital_monthly repeats ids (767 series, 35 ids): forecasts are matched by id, so
    # every id gets its position appended ("TH7#12"), for both sides alike.
    seen = set()
    unique = all(s["id"] not in seen and not seen.add(s["id"]) for s in data["series"])
    for i, s in enumerate(data["series"]):
        if not unique:
            s["id"] = f"{s['id']}#{i}"
        if max_history > 0:
            s["train"] = s["train"][-max_history:]
    return data


def peer_models(intermittent: bool, m: int, tsb_alpha: float):
    from statsforecast.models import (
        AutoARIMA,
        AutoETS,
        AutoTheta,
        CrostonClassic,
        CrostonOptimized,
        CrostonSBA,
        SeasonalNaive,
        TSB,
    )

    models = [
        ("AutoETS", lambda: AutoETS(season_length=m)),
        ("AutoTheta", lambda: AutoTheta(season_length=m)),
        ("AutoARIMA", lambda: AutoARIMA(season_length=m)),
        ("SeasonalNaive", lambda: SeasonalNaive(season_length=m)),
    ]
    if intermittent:
        models += [
            ("CrostonClassic", lambda: CrostonClassic()),
            ("CrostonOptimized", lambda: CrostonOptimized()),
            ("CrostonSBA", lambda: CrostonSBA()),
            ("TSB", lambda: TSB(alpha_d=tsb_alpha, alpha_p=tsb_alpha)),
        ]
    return models


def run_peer(name: str, data: dict, label: str, make, cache: Path) -> float:
    """Forecast every series with one statsforecast model; write JSON lines; return ms/series."""
    meta = cache.with_suffix(".meta.json")
    if cache.exists() and meta.exists():
        return json.loads(meta.read_text())["ms_per_series"]
    import numpy as np
    import pandas as pd
    from statsforecast import StatsForecast

    h = data["horizon"]
    rows = []
    for s in data["series"]:
        n = len(s["train"])
        rows.append(pd.DataFrame({"unique_id": s["id"], "ds": np.arange(n), "y": np.asarray(s["train"], float)}))
    df = pd.concat(rows, ignore_index=True)
    model = make()
    sf = StatsForecast(models=[model], freq=1, n_jobs=1)
    levels = [80, 95]
    start = time.perf_counter()
    try:
        fc = sf.forecast(df=df, h=h, level=levels)
    except Exception as e:  # models without intervals (Croston family)
        log(f"  {label}: no intervals ({type(e).__name__}); point forecasts only")
        start = time.perf_counter()
        fc = sf.forecast(df=df, h=h)
        levels = []
    seconds = time.perf_counter() - start
    fc = fc.reset_index() if "unique_id" not in fc.columns else fc
    col = [c for c in fc.columns if c not in ("unique_id", "ds") and "-lo-" not in c and "-hi-" not in c][0]
    with cache.open("w") as out:
        for uid, g in fc.groupby("unique_id", sort=False):
            line = {"id": str(uid), "model": label, "point": g[col].astype(float).tolist(), "intervals": []}
            for lv in levels:
                lo, hi = f"{col}-lo-{lv}", f"{col}-hi-{lv}"
                if lo in g.columns:
                    line["intervals"].append(
                        {"level": lv, "lower": g[lo].astype(float).tolist(), "upper": g[hi].astype(float).tolist()}
                    )
            out.write(json.dumps(line) + "\n")
    ms = 1000.0 * seconds / len(data["series"])
    meta.write_text(json.dumps({"ms_per_series": ms}))
    return ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(REGULAR + INTERMITTENT))
    ap.add_argument("--pocketrec")
    ap.add_argument("--max-history", type=int, default=520, help="cut of the long sets (m4_weekly)")
    ap.add_argument("--tsb-alpha", type=float, default=0.1)
    ap.add_argument(
        "--skip",
        default="",
        help="peer runs to leave out, comma-separated SET:MODEL (e.g. m4_weekly:AutoARIMA, which "
        "takes about an hour with season 52)",
    )
    ap.add_argument("--default-skip", default=DEFAULT_SKIP, help="skipped too, unless set to ''")
    ap.add_argument("--json")
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    if not DATA.exists():
        skip(f"no forecasting data at {DATA}")
    ensure_venv_and_reexec()
    try:
        import statsforecast  # noqa: F401
    except Exception as e:  # pragma: no cover
        skip(f"statsforecast does not import: {e}")
    binary = pocketrec_binary(args.pocketrec)
    WORK.mkdir(parents=True, exist_ok=True)
    results = {}
    for name in sets:
        intermittent = name in INTERMITTENT
        cut = args.max_history if name in LONG_SETS else 0
        data = load(name, cut)
        m = int(data["season_length"])
        cut_file = WORK / f"{name}-cut{cut}.json"
        cut_file.write_text(json.dumps(data))
        log(f"{name}: {len(data['series'])} series, horizon {data['horizon']}, season {m}, history cut {cut or 'none'}")
        peer_ms = {}
        specs = []
        skip_list = f"{args.skip},{args.default_skip}".split(",")
        skipped = {x.split(":", 1)[1] for x in skip_list if x.startswith((f"{name}:", "*:"))}
        for label, make in peer_models(intermittent, m, args.tsb_alpha):
            if label in skipped:
                log(f"  statsforecast {label}: skipped (--skip)")
                continue
            suffix = f"-a{args.tsb_alpha}" if label == "TSB" else ""
            cache = WORK / f"{name}-cut{cut}-{label}{suffix}.jsonl"
            log(f"  statsforecast {label}")
            peer_ms[label] = run_peer(name, data, label, make, cache)
            specs.append(f"statsforecast {label}={cache}")
        own = "auto,ets,theta,arima" if not intermittent else "auto,tsb,sba,croston"
        cmd = [str(binary), "forecast-eval", "--input", str(cut_file), "--model", own, "--json"]
        for s in specs:
            cmd += ["--forecasts", s]
        log(f"  pocketrec forecast-eval --model {own}")
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            sys.exit(f"pocketrec forecast-eval failed on {name}: {res.stderr}")
        out = json.loads(res.stdout)
        for r in out["results"]:
            label = r["method"].removeprefix("statsforecast ")
            if label in peer_ms:
                r["msPerSeries"] = peer_ms[label]
        results[name] = out
    print_report(results, sets, args)


def fmt(v, spec=".3f") -> str:
    return "-" if v is None or (isinstance(v, float) and v != v) else format(v, spec)


def print_report(results: dict, sets: list[str], args) -> None:
    print("| set | method | sMAPE | MASE | OWA | RMSE | cov95 | MSIS | ms/series |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in sets:
        for r in results[name]["results"]:
            print(
                f"| {name} | {r['method']} | {fmt(r['smape'])} | {fmt(r['mase'])} | {fmt(r['owa'])} | "
                f"{fmt(r['rmse'])} | {fmt(r['coverage95'])} | {fmt(r['msis'])} | {fmt(r['msPerSeries'], '.2f')} |"
            )
    print()
    checks = []
    info = []

    def row(name, method):
        for r in results[name]["results"]:
            if r["method"] == method:
                return r
        return None

    regular = [s for s in sets if s in REGULAR]
    ours, theirs = [], []
    for name in regular:
        a, e = row(name, "pocketrec auto"), row(name, "statsforecast AutoETS")
        if a is None or e is None:
            continue
        ours.append(a["owa"])
        theirs.append(e["owa"])
        checks.append((f"{name}: auto OWA {a['owa']:.3f} <= AutoETS OWA {e['owa']:.3f}", a["owa"] <= e["owa"]))
        cov = a["coverage95"]
        if name in CLASSIC:
            # One series of 12-13 test points: its coverage can only be k/h (11/12 = 0.917 or 1),
            # so it is shown, not checked.
            info.append(f"{name}: auto 95% coverage {cov:.3f} (one series; AutoETS {e['coverage95']:.3f})")
            continue
        checks.append((f"{name}: auto 95% coverage {cov:.3f} in [0.90, 0.98]", 0.90 <= cov <= 0.98))
    if ours:
        mo, mt = sum(ours) / len(ours), sum(theirs) / len(theirs)
        checks.append(
            (f"regular sets: mean auto OWA {mo:.3f} <= 0.95 x mean AutoETS OWA {mt:.3f} (= {0.95 * mt:.3f})", mo <= 0.95 * mt)
        )
    for name in [s for s in sets if s in INTERMITTENT]:
        a = row(name, "pocketrec auto")
        peers = [row(name, f"statsforecast {p}") for p in ("CrostonOptimized", "TSB")]
        peers = [p for p in peers if p is not None]
        if a is None or not peers:
            continue
        best_mase = min(p["mase"] for p in peers)
        best_rmse = min(p["rmse"] for p in peers)
        checks.append((f"{name}: auto MASE {a['mase']:.4f} <= best peer {best_mase:.4f}", a["mase"] <= best_mase))
        checks.append((f"{name}: auto RMSE {a['rmse']:.4f} <= best peer {best_rmse:.4f}", a["rmse"] <= best_rmse))
    for text in info:
        print(f"INFO  {text}")
    failed = 0
    for text, ok in checks:
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "checks": checks}, indent=1))
    if args.strict and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
