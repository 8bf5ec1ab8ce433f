#!/usr/bin/env bash
# Runs the pocketrec vs implicit peer benchmark (tests/benches/peer_implicit.py).
#   bash tests/benches/peer_implicit.sh [--datasets movielens,retail] [--splits random,temporal]
#                                       [--pocketrec PATH] [--config cfg.json] [--json OUT]
# The Python script creates target/peer-venv with implicit on first use and skips cleanly
# (exit 0, "skipped: ...") when the data or implicit is not available.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# single-threaded numerics on both sides, for a fair comparison
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 RAYON_NUM_THREADS=1
py="${PYTHON:-python3}"
if ! command -v "$py" >/dev/null 2>&1; then
    echo "skipped: no python3 found"
    exit 0
fi
exec "$py" "$here/peer_implicit.py" "$@"
