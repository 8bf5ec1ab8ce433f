#!/usr/bin/env bash
# Scale benchmark of the EASE model's fit: fit seconds, wall seconds and peak memory at
# growing catalogue sizes, on seeded synthetic shops (tests/benches/ease_scale.py gen).
#
#   bash tests/benches/ease_scale.sh                       # SIZES="1000 5000 10000 20000"
#   SIZES="1000 5000" bash tests/benches/ease_scale.sh
#   THREADS=1 bash tests/benches/ease_scale.sh             # exported as POCKETREC_THREADS
#   SEED=2 EASE_CONFIG=cfg.json bash tests/benches/ease_scale.sh
#
# Each size n runs, under `/usr/bin/time -f '%e %M'`,
#   pocketrec eval --catalog C --interactions I --split random --models ease --json
# which fits popularity (always) and EASE on the 80% training split, then scores the held-out
# 20%. "fit s" is the eval JSON's fitSeconds for ease (aggregating the log + the EASE fit:
# Gram matrix, Cholesky inverse, top-K links); "wall s" and "peak RSS" are the whole process
# (loading, split, fit, scoring). NDCG etc. are meaningless on this synthetic data and are
# not reported: this measures cost only.
#
# Data: target/ease-scale/<n>/{catalog.json,interactions.csv,gen.json}; n items,
# max(20000, 2n) users of ~30 items each (Zipf-like popularity, every item touched), reused
# when gen.json matches the seed. Outputs per size: eval.json, time.txt, stderr.txt there.
#
# Expected cost (EASE is O(n^3) time, O(n^2) memory; measured on 2 shared cores, all threads):
# 1k 0.2 s fit / 70 MB, 5k ~3 s / 0.3 GB, 10k ~20 s / 1 GB, 20k (EASE's default maxItems)
# ~2.5 min / 3.5 GB peak RSS (budget 5 GB); the default run takes ~3-4 min in all.
# Generation adds 2-5 s per size (first run only).
# Needs python3 and GNU time at /usr/bin/time. Prints a markdown table; exits non-zero if a
# run failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
seed="${SEED:-1}"
py="${PYTHON:-python3}"
target="${CARGO_TARGET_DIR:-target}"
bin="${BIN:-$target/release/pocketrec}"
work="$target/ease-scale"
read -r -a sizes <<<"${SIZES:-1000 5000 10000 20000}"
if [ -n "${THREADS:-}" ]; then
    export POCKETREC_THREADS="$THREADS"
fi
config_args=()
[ -z "${EASE_CONFIG:-}" ] || config_args=(--config "$EASE_CONFIG")

[ -x /usr/bin/time ] || { echo "ease_scale: needs GNU time at /usr/bin/time" >&2; exit 1; }
if [ ! -x "$bin" ]; then
    echo "building the release CLI (cargo build --release)" >&2
    cargo build --release >&2
fi
mkdir -p "$work"

failed=0
for n in "${sizes[@]}"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "ease_scale: a size is an item count, got $n" >&2; exit 2; }
    dir="$work/$n"
    if "$py" -B -c 'import json,sys; m=json.load(open(sys.argv[1])); sys.exit(0 if (m["seed"],m["format"])==(int(sys.argv[2]),1) else 1)' \
        "$dir/gen.json" "$seed" 2>/dev/null; then
        echo "== $n items: reusing $dir" >&2
    else
        echo "== $n items: generating $dir (seed $seed)" >&2
        "$py" -B "$here/ease_scale.py" gen --items "$n" --seed "$seed" --out "$dir"
    fi
    echo "   fitting EASE (threads: ${POCKETREC_THREADS:-all})" >&2
    rm -f "$dir/eval.json" "$dir/time.txt"
    status=0
    /usr/bin/time -f '%e %M' -o "$dir/time.txt" \
        "$bin" eval --catalog "$dir/catalog.json" --interactions "$dir/interactions.csv" \
        --split random --models ease --json ${config_args[@]+"${config_args[@]}"} \
        >"$dir/eval.json" 2>"$dir/stderr.txt" || status=$?
    if [ "$status" -ne 0 ]; then
        failed=1
        echo "   FAILED (exit $status):" >&2
        tail -n 20 "$dir/stderr.txt" >&2
        rm -f "$dir/eval.json"
    fi
    echo "   time: $(tail -n 1 "$dir/time.txt") (wall s, max RSS kB)" >&2
done

echo
"$py" -B "$here/ease_scale.py" table "$work" "${sizes[@]}"
echo
echo "fit s: eval JSON fitSeconds of ease (log aggregation + EASE fit); wall s and peak RSS" \
     "(MB = 10^6 bytes, from /usr/bin/time %M) cover the whole eval process. Ranking metrics" \
     "on this synthetic data are meaningless and not reported. Files: $work/<n>/"
exit "$failed"
