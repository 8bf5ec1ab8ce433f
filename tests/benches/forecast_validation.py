#!/usr/bin/env python3
"""Validation splits for forecasting design choices, cut from the training data only.

    python3 tests/benches/forecast_validation.py [--pocketrec PATH] [--model auto,theta]
                                                 [--splits a,b] [--peer]

Choices in src/forecast/ (the short-history seasonal adjustment, which members see the
adjusted series, the shrinkage rule, the seasonal-strength switch of 2026-12-02) were made on
these splits, never on the test parts of ../shared/data/forecast/*.json. Each split holds out
the last `horizon` values of every training series:

* `<set>_val`: the set itself (m4_weekly cut to its last 520 training weeks, as in
  peer_statsforecast.py); jewelry's 111 weeks minus 13 are too few for the short-history path,
  so the next three splits stand in for it:
* `m4w_short`: M4 weekly cut to 111 + 13 weeks (two seasons of 52, like jewelry);
* `m1_short`: M1 monthly cut to 30 + 18 months (two and a half seasons of 12);
* `hosp_short`: hospital monthly cut to 30 + 12 months;
* `seasonal_rolling`: the long end of it: the strongly seasonal series of the M4 monthly
  sample cut at up to 12 origins a year apart (at least 120 months before the 24 held out);
* `seasonal_long`: the stand-in for the held-out "tourism-like" set (long, strongly seasonal
  monthly series, horizon 24): the monthly training series of M1 and M4 (sample of 10) with at
  least 60 + 24 values whose seasonal strength on the first 60+ values (the part before the
  24 held out) exceeds 0.6. Seasonal strength F_S = max(0, 1 − Var(R)/Var(S + R)) of a
  classical additive decomposition of log y (2×12 moving-average trend, phase means as S),
  as in Wang, Smith & Hyndman (2006); the selection never looks at the held-out part.

It writes the splits under target/forecast-validation/, runs `pocketrec forecast-eval` on each
and prints OWA, 95% coverage and MSIS. With --peer it also runs statsforecast's AutoETS on
every split (the venv of peer_statsforecast.py, target/forecast-venv; forecasts cached under
target/forecast-validation/) and scores it with the same code, so that `auto` and AutoETS are
compared on validation data before anyone looks at the test parts.
Exits 0 with "skipped: ..." when ../shared is absent.
"""

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "forecast"
OUT = ROOT / "target" / "forecast-validation"
VENV_PY = ROOT / "target" / "forecast-venv" / "bin" / "python"

# name -> (source sets, training values kept (None: all, after the 520 cut), horizon or None)
SPLITS = {
    "m1_monthly_val": (["m1_monthly"], None, None),
    "hospital_monthly_val": (["hospital_monthly"], None, None),
    "m4_weekly_val": (["m4_weekly"], None, None),
    "jewelry_weekly_val": (["jewelry_weekly"], None, None),
    "m3_quarterly_val": (["m3_quarterly"], None, None),
    "m4_monthly_sample10_val": (["m4_monthly_sample10"], None, None),
    "m4w_short": (["m4_weekly"], 111, 13),
    "m1_short": (["m1_monthly"], 30, 18),
    "hosp_short": (["hospital_monthly"], 30, 12),
    "seasonal_long": (["m1_monthly", "m4_monthly_sample10"], None, 24),
    "seasonal_rolling": (["m4_monthly_sample10"], None, 24),
}
# seasonal_rolling: the long end of seasonal_long. M4 monthly's long series cut at several
# origins (every ROLL_STEP months back from the end of training, at most ROLL_MAX per series),
# each window with at least ROLL_MIN values before its 24 held out and strength > 0.6.
ROLL_STEP, ROLL_MAX, ROLL_MIN = 12, 12, 120
# seasonal_long: shortest history before the held-out part, and the strength threshold.
LONG_MIN = 60
STRENGTH_MIN = 0.6


def seasonal_strength(y: list[float], m: int) -> float:
    """F_S of a classical additive decomposition of log y (0 when it cannot be computed)."""
    n = len(y)
    if m < 2 or n < 3 * m or min(y) <= 0:
        return 0.0
    x = [math.log(v) for v in y]
    half = m // 2
    detrended = [None] * n
    for t in range(half, n - half):
        window = x[t - half : t + half + 1]
        trend = (sum(window[1:-1]) + 0.5 * (window[0] + window[-1])) / m if m % 2 == 0 else sum(window) / m
        detrended[t] = x[t] - trend
    phase = [[d for t, d in enumerate(detrended) if d is not None and t % m == k] for k in range(m)]
    means = [sum(p) / len(p) for p in phase]
    centre = sum(means) / m
    s_plus_r, r = [], []
    for t, d in enumerate(detrended):
        if d is not None:
            s_plus_r.append(d)
            r.append(d - (means[t % m] - centre))

    def var(v):
        mu = sum(v) / len(v)
        return sum((a - mu) ** 2 for a in v) / len(v)

    total = var(s_plus_r)
    return 0.0 if total <= 0 else max(0.0, 1.0 - var(r) / total)


def split(name: str, sources: list[dict], keep: int | None, horizon: int | None) -> dict:
    h = horizon or sources[0]["horizon"]
    m = int(sources[0]["season_length"])
    series = []
    if name == "seasonal_rolling":
        for source in sources:
            for s in source["series"]:
                for k in range(ROLL_MAX):
                    end = len(s["train"]) - k * ROLL_STEP
                    train = s["train"][:end]
                    if end - h < ROLL_MIN or seasonal_strength(train[:-h], m) <= STRENGTH_MIN:
                        break
                    series.append({"id": f"{s['id']}@{end}", "train": train[:-h], "test": train[-h:]})
        out = {k: v for k, v in sources[0].items() if k != "series"}
        out.update(dataset=name, series=series, n_series=len(series), horizon=h)
        return out
    for source in sources:
        for s in source["series"]:
            train = s["train"][-520:] if source["dataset"] == "m4_weekly" else s["train"]
            if keep is not None:
                if len(train) < keep + h:
                    continue
                train = train[-(keep + h):]
            if len(train) - h < 8:
                continue
            if name == "seasonal_long" and (
                len(train) - h < LONG_MIN or seasonal_strength(train[:-h], m) <= STRENGTH_MIN
            ):
                continue
            series.append({"id": f"{source['dataset']}:{s['id']}#{len(series)}", "train": train[:-h], "test": train[-h:]})
    out = {k: v for k, v in sources[0].items() if k != "series"}
    out.update(dataset=name, series=series, n_series=len(series), horizon=h)
    return out


PEER_CODE = """
import json, sys, numpy as np, pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import AutoETS
data = json.load(open(sys.argv[1]))
h, m = data["horizon"], int(data["season_length"])
df = pd.concat([pd.DataFrame({"unique_id": s["id"], "ds": np.arange(len(s["train"])),
                              "y": np.asarray(s["train"], float)}) for s in data["series"]])
fc = StatsForecast(models=[AutoETS(season_length=m)], freq=1, n_jobs=1).forecast(df=df, h=h, level=[95])
fc = fc.reset_index() if "unique_id" not in fc.columns else fc
with open(sys.argv[2], "w") as out:
    for uid, g in fc.groupby("unique_id", sort=False):
        out.write(json.dumps({"id": str(uid), "model": "AutoETS", "point": g["AutoETS"].tolist(),
            "intervals": [{"level": 95, "lower": g["AutoETS-lo-95"].tolist(),
                           "upper": g["AutoETS-hi-95"].tolist()}]}) + "\\n")
"""


def peer_forecasts(path: Path) -> Path | None:
    """AutoETS forecasts of one split (cached next to it); None without the venv."""
    cache = path.with_suffix(".AutoETS.jsonl")
    if cache.exists():
        return cache
    if not VENV_PY.exists():
        print("  (no target/forecast-venv: run peer_statsforecast.sh once for --peer)", file=sys.stderr)
        return None
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", NUMBA_NUM_THREADS="1")
    subprocess.run([str(VENV_PY), "-c", PEER_CODE, str(path), str(cache)], check=True, env=env)
    return cache


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pocketrec", default=str(ROOT / "target" / "release" / "pocketrec"))
    ap.add_argument("--model", default="auto")
    ap.add_argument("--splits", default=",".join(SPLITS))
    ap.add_argument("--peer", action="store_true", help="also score statsforecast's AutoETS")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} not found")
        return 0
    if not Path(args.pocketrec).exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    OUT.mkdir(parents=True, exist_ok=True)
    sources: dict[str, dict] = {}
    print(f"{'split':24} {'series':>6} {'model':22} {'OWA':>6} {'sMAPE':>7} {'MASE':>6} {'cov95':>6} {'MSIS':>7}")
    for name in args.splits.split(","):
        set_names, keep, horizon = SPLITS[name]
        for set_name in set_names:
            if set_name not in sources:
                sources[set_name] = json.loads((DATA / f"{set_name}.json").read_text())
        data = split(name, [sources[s] for s in set_names], keep, horizon)
        path = OUT / f"{name}.json"
        text = json.dumps(data)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            path.with_suffix(".AutoETS.jsonl").unlink(missing_ok=True)
        cmd = [args.pocketrec, "forecast-eval", "--input", str(path), "--model", args.model, "--json"]
        if args.peer and (peer := peer_forecasts(path)) is not None:
            cmd += ["--forecasts", f"AutoETS={peer}"]
        run = subprocess.run(cmd, check=True, capture_output=True, text=True)
        for row in json.loads(run.stdout)["results"]:
            print(f"{name:24} {data['n_series']:6} {row['method']:22} {row['owa']:6.3f} {row['smape']:7.3f} "
                  f"{row['mase']:6.3f} {row['coverage95']:6.3f} {row['msis']:7.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
