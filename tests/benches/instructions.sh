#!/bin/sh
# Instruction counts (valgrind callgrind: repeatable on a busy machine, unlike
# wall-clock time) of the CLI on MovieLens ml-latest-small, for one or more
# pocketrec binaries side by side, e.g. before and after a change:
#
#   sh tests/benches/instructions.sh OLD/pocketrec target/release/pocketrec
#
# Each line: command, model, then the instruction count of each binary.
# `eval` fits what the model needs and answers every test user (610);
# `similar` fits and answers one item. Skips when valgrind or the data is missing.
set -eu
ML=${ML:-"$(dirname "$0")/../../../shared/data/movielens-latest-small"}
command -v valgrind >/dev/null || { echo "skipped: no valgrind"; exit 0; }
[ -f "$ML/ratings.csv" ] || { echo "skipped: no $ML/ratings.csv"; exit 0; }
[ $# -ge 1 ] || { echo "usage: $0 BINARY [BINARY...]" >&2; exit 2; }
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >/dev/null 2>"${TMPDIR:-/tmp}/cg.$$"
    grep -o 'Collected : [0-9]*' "${TMPDIR:-/tmp}/cg.$$" | awk '{print $3}'
    rm -f "${TMPDIR:-/tmp}/cg.$$"
}
for model in hybrid item-knn content user-knn sequential popular; do
    line="eval $model"
    for bin in "$@"; do
        line="$line $(count "$bin" eval --catalog "$ML" --interactions "$ML/ratings.csv" --models "$model" --json)"
    done
    echo "$line"
done
for model in hybrid content item-knn; do
    line="similar $model"
    for bin in "$@"; do
        line="$line $(count "$bin" similar --catalog "$ML" --interactions "$ML/ratings.csv" --item 1 --k 10 --model "$model")"
    done
    echo "$line"
done
