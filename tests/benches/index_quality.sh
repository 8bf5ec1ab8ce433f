#!/usr/bin/env bash
# Measures what serving from the privacy-protected model index costs in recommendation
# quality, against the live fit (tests/benches/index_quality.py).
#   bash tests/benches/index_quality.sh [--datasets movielens,retail] [--splits random,temporal]
#                                       [--grid | --no-grid] [--pocketrec PATH] [--json OUT]
# Skips cleanly (exit 0, "skipped: ...") when the data is not available.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="${PYTHON:-python3}"
if ! command -v "$py" >/dev/null 2>&1; then
    echo "skipped: no python3 found"
    exit 0
fi
exec "$py" "$here/index_quality.py" "$@"
