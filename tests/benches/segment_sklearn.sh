#!/usr/bin/env bash
# pocketrec segment against scikit-learn's KMeans on the online-retail log
# (tests/benches/segment_sklearn.py): inertia, adjusted Rand index and time,
# for a fixed k and for k auto. Not a test: timings depend on the machine.
#   cargo build --release && bash tests/benches/segment_sklearn.sh [--k 4] [--pocketrec PATH]
# Creates target/segment-venv with scikit-learn on first use; skips cleanly
# (exit 0, "skipped: ...") when python3, pip, scikit-learn or the data are missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# single-threaded numerics in scikit-learn, like pocketrec's k-means
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
data="${DATA:-$root/../shared/data/online-retail/online_retail.csv}"
[ -f "$data" ] || data=/work/shared/data/online-retail/online_retail.csv
if [ ! -f "$data" ]; then
    echo "skipped: no online-retail data (set DATA=path/to/online_retail.csv)"
    exit 0
fi
py="${PYTHON:-python3}"
if ! command -v "$py" >/dev/null 2>&1; then
    echo "skipped: no python3 found"
    exit 0
fi
venv="${CARGO_TARGET_DIR:-$root/target}/segment-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import sklearn" 2>/dev/null; then
    if ! "$py" -m venv "$venv" >/dev/null 2>&1 \
        || ! "$venv/bin/pip" install --quiet scikit-learn >/dev/null 2>&1; then
        echo "skipped: could not create $venv with scikit-learn (pip install failed)"
        exit 0
    fi
fi
exec "$venv/bin/python" "$here/segment_sklearn.py" --data "$data" "$@"
