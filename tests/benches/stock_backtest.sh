#!/usr/bin/env bash
# Back-test of `pocketrec stock` against "stock last period's sales" on the
# Online Retail log (see stock_backtest.py for the simulation): weekly plans
# with a lead time of 2 weeks at three Monday cut-offs, then monthly plans
# with a lead time of 1 month at three month starts. Also times the whole
# plan of the full log. Needs ../shared/data (skips without it).
#
#   tests/benches/stock_backtest.sh [ORDERS_CSV]
set -euo pipefail
cd "$(dirname "$0")/../.."
ORDERS=${1:-../shared/data/online-retail/online_retail.csv}
if [ ! -f "$ORDERS" ]; then
    echo "skip: $ORDERS not found" >&2
    exit 0
fi
cargo build --release --bin pocketrec >&2
BIN=${CARGO_TARGET_DIR:-target}/release/pocketrec
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "# the whole plan (weekly, lead time 2, 95%), three runs:"
for run in 1 2 3; do
    "$BIN" stock --orders "$ORDERS" --lead-time 2 --service-level 95 --period week \
        --out "$OUT/plan.json" 2>&1 | grep '^stock:'
done
python3 tests/benches/stock_backtest.py "$BIN" "$ORDERS" --period week --lead-time 2 \
    --cutoffs 2011-06-06,2011-08-01,2011-10-03
python3 tests/benches/stock_backtest.py "$BIN" "$ORDERS" --period month --lead-time 1 \
    --cutoffs 2011-06-01,2011-08-01,2011-10-01
