#!/usr/bin/env python3
"""Validation splits for forecasting design choices, cut from the training data only.

    python3 tests/benches/forecast_validation.py [--pocketrec PATH] [--model auto,theta]

Choices in src/forecast/ (the short-history seasonal adjustment, which members see the
adjusted series, the shrinkage rule) were made on these splits, never on the test parts of
../shared/data/forecast/*.json. Each split holds out the last `horizon` values of every
training series:

* `<set>_val`: the set itself (m4_weekly cut to its last 520 training weeks, as in
  peer_statsforecast.py); jewelry's 111 weeks minus 13 are too few for the short-history path,
  so the next three splits stand in for it:
* `m4w_short`: M4 weekly cut to 111 + 13 weeks (two seasons of 52, like jewelry);
* `m1_short`: M1 monthly cut to 30 + 18 months (two and a half seasons of 12);
* `hosp_short`: hospital monthly cut to 30 + 12 months.

It writes the splits under target/forecast-validation/, runs `pocketrec forecast-eval` on each
and prints OWA, 95% coverage and MSIS. Exits 0 with "skipped: ..." when ../shared is absent.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "forecast"
OUT = ROOT / "target" / "forecast-validation"

# name -> (source set, training values kept (None: all, after the 520 cut), horizon or None)
SPLITS = {
    "m1_monthly_val": ("m1_monthly", None, None),
    "hospital_monthly_val": ("hospital_monthly", None, None),
    "m4_weekly_val": ("m4_weekly", None, None),
    "jewelry_weekly_val": ("jewelry_weekly", None, None),
    "m4w_short": ("m4_weekly", 111, 13),
    "m1_short": ("m1_monthly", 30, 18),
    "hosp_short": ("hospital_monthly", 30, 12),
}


def split(source: dict, keep: int | None, horizon: int | None) -> dict:
    h = horizon or source["horizon"]
    series = []
    for s in source["series"]:
        train = s["train"][-520:] if source["dataset"] == "m4_weekly" else s["train"]
        if keep is not None:
            if len(train) < keep + h:
                continue
            train = train[-(keep + h):]
        if len(train) - h < 8:
            continue
        series.append({"id": s["id"], "train": train[:-h], "test": train[-h:]})
    out = {k: v for k, v in source.items() if k != "series"}
    out.update(series=series, n_series=len(series), horizon=h)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pocketrec", default=str(ROOT / "target" / "release" / "pocketrec"))
    ap.add_argument("--model", default="auto")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} not found")
        return 0
    if not Path(args.pocketrec).exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    OUT.mkdir(parents=True, exist_ok=True)
    sources: dict[str, dict] = {}
    print(f"{'split':22} {'series':>6} {'model':16} {'OWA':>6} {'cov95':>6} {'MSIS':>7}")
    for name, (set_name, keep, horizon) in SPLITS.items():
        if set_name not in sources:
            sources[set_name] = json.loads((DATA / f"{set_name}.json").read_text())
        data = split(sources[set_name], keep, horizon)
        path = OUT / f"{name}.json"
        path.write_text(json.dumps(data))
        run = subprocess.run(
            [args.pocketrec, "forecast-eval", "--input", str(path), "--model", args.model, "--json"],
            check=True, capture_output=True, text=True,
        )
        for row in json.loads(run.stdout)["results"]:
            print(f"{name:22} {data['n_series']:6} {row['method']:16} {row['owa']:6.3f} "
                  f"{row['coverage95']:6.3f} {row['msis']:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
