#!/usr/bin/env bash
# Runs the pocketrec vs statsforecast forecasting benchmark (tests/benches/peer_statsforecast.py).
#   bash tests/benches/peer_statsforecast.sh [--sets m1_monthly,hospital_monthly,...]
#                                           [--pocketrec PATH] [--max-history 520] [--json OUT] [--strict]
# The Python script creates target/forecast-venv with statsforecast on first use and skips
# cleanly (exit 0, "skipped: ...") when the data or statsforecast is not available.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# single-threaded numerics on both sides, for a fair comparison
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1
py="${PYTHON:-python3}"
if ! command -v "$py" >/dev/null 2>&1; then
    echo "skipped: no python3 found"
    exit 0
fi
exec "$py" "$here/peer_statsforecast.py" "$@"
