#!/usr/bin/env bash
# Runs the pocketrec vs reference-recommenders benchmark (tests/benches/peer_implicit.py):
# implicit's kNN, ALS and BPR, NumPy EASE and RP3beta (best of grid on the test set) beside
# pocketrec recommend (popular, content, item-knn, user-knn, sequential, hybrid, ease, als).
#   bash tests/benches/peer_implicit.sh [--datasets movielens,retail] [--splits random,temporal]
#                                       [--references knn,als,bpr,ease,rp3beta] [--quick]
#                                       [--pocketrec PATH] [--config cfg.json] [--json OUT]
#                                       [--ease-lambda 500] [--ease-variant log1p]
#   bash tests/benches/peer_implicit.sh --implicit-only --quick   # references only, tiny grid
# The Python script creates target/peer-venv with implicit, numpy and scipy from PyPI on first
# use and skips cleanly (exit 0, "skipped: ...") when the data or the packages are not available.
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
