#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ and prints what each run did.
#
#   bash tests/benches/fuzz.sh [SECONDS_PER_TARGET=60] [TARGET...]
#
# Targets: catalogue, interactions, forecast, options (default: all, one
# after another). Installs the nightly toolchain and cargo-fuzz when they
# are missing, builds the targets (release, with overflow checks and debug
# assertions: see fuzz/Cargo.toml), runs each for the given time on its
# corpus (fuzz/corpus/<target>, git-ignored, grown run after run) and its
# committed seeds (fuzz/seeds/<target>), and prints a table of runs,
# coverage (libFuzzer's cov:), features (ft:), corpus entries, crashes
# (crash-, oom-, leak- and timeout- files this run left in
# fuzz/artifacts/<target>/) and slow units (slow-unit- files: inputs that
# took over 10 s, not failures). Exits 1 when any crash was found.
#
# A crash: `cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>`
# replays it; once fixed, add it to tests/fuzz_regressions.rs.
#
# Like the other scripts here, a benchmark rather than a test: not run by
# `cargo test`.
set -euo pipefail

seconds=${1:-60}
shift || true
all=(catalogue interactions forecast options)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

case $seconds in
'' | *[!0-9]*)
    echo "usage: $0 [SECONDS_PER_TARGET=60] [TARGET...]; got seconds '$seconds'" >&2
    exit 2
    ;;
esac
for t in "${targets[@]}"; do
    case " ${all[*]} " in
    *" $t "*) ;;
    *)
        echo "unknown target '$t'; targets: ${all[*]}" >&2
        exit 2
        ;;
    esac
done

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root/fuzz"

if ! rustup toolchain list | grep -q '^nightly'; then
    echo "installing the nightly toolchain" >&2
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz
fi

# cargo fuzz builds one target per call (or all of them without a name).
for t in "${targets[@]}"; do
    cargo +nightly fuzz build -O "$t" >&2
done

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
rows=()
crashed=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    # Findings of earlier runs stay in artifacts/; count this run's only.
    touch "$logs/$t.start"
    echo "fuzzing $t for ${seconds}s" >&2
    # libFuzzer exits non-zero on a crash; the table reports it.
    cargo +nightly fuzz run -O "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -timeout=30 -print_final_stats=1 \
        >"$logs/$t.log" 2>&1 || true
    # The last status line has the final cov:, ft: and corp: figures.
    status=$(grep -E '^#[0-9]+.*cov: ' "$logs/$t.log" | tail -1 || true)
    runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$logs/$t.log" | grep -oE '[0-9]+$' || true)
    # A crash stops the run before the final stats: take the last status.
    [ -n "$runs" ] || runs=$(grep -oE '^#[0-9]+' <<<"$status" | tr -d '#' || true)
    cov=$(grep -oE 'cov: [0-9]+' <<<"$status" | grep -oE '[0-9]+' || true)
    ft=$(grep -oE 'ft: [0-9]+' <<<"$status" | grep -oE '[0-9]+' || true)
    corpus=$(find "corpus/$t" -type f | wc -l)
    # libFuzzer names its findings crash-, oom-, leak-, timeout- or
    # slow-unit-<sha1>; slow units are inputs slower than -report_slow_units
    # (10 s by default here), reported but not failures.
    crashes=$(find "artifacts/$t" -type f -newer "$logs/$t.start" ! -name 'slow-unit-*' | wc -l)
    slow=$(find "artifacts/$t" -type f -newer "$logs/$t.start" -name 'slow-unit-*' | wc -l)
    [ "$crashes" -eq 0 ] || crashed=1
    if grep -qE '^==[0-9]+== ERROR|^thread .* panicked' "$logs/$t.log"; then
        grep -E -m 3 -A 3 'panicked|ERROR: libFuzzer' "$logs/$t.log" >&2 || true
    fi
    rows+=("$(printf '%-13s %12s %8s %8s %8s %8s %6s' "$t" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$corpus" "$crashes" "$slow")")
done

printf '%-13s %12s %8s %8s %8s %8s %6s\n' target runs cov ft corpus crashes slow
printf '%s\n' "${rows[@]}"
if [ "$crashed" -ne 0 ]; then
    echo "crashes found: see fuzz/artifacts/<target>/" >&2
    exit 1
fi
