#!/usr/bin/env bash
# Times sparkguard on a generated tree of Scala Spark sources, against the cost of
# parsing the same files alone, and prints a markdown table: files, MB, median
# seconds, throughput, peak RSS, findings, and the check / parse-only time ratio.
#
#   bench/scala.sh
#
# Environment: RUNS (timed runs per command, default 5), SCALA_MB (megabytes to
# generate, default 5), SCALA_SEED (generator seed, default 7). The tree is written
# by bench/gen_scala.py into target/bench/scala once and reused while MB and seed
# stay the same. Not part of scripts/test.
#
# (a) is the whole check with the concise format sent to /dev/null; (b) is
# `sparkguard parse-only`, which parses every file with tree-sitter and exits, so
# (a) / (b) says what the model and the rules cost on top of parsing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs="${RUNS:-5}"
megabytes_wanted="${SCALA_MB:-5}"
seed="${SCALA_SEED:-7}"

work="$root/target/bench"
tree="$work/scala"
stamp="$work/scala.generated"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

log() { echo "bench: $*" >&2; }

# shellcheck source=bench/common.sh
source "$root/bench/common.sh"

# --- inputs, generated and built once ------------------------------------------

wanted="mb=$megabytes_wanted seed=$seed generator=$(sha256sum bench/gen_scala.py | cut -c1-16)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    log "generating $megabytes_wanted MB of Scala into $tree"
    rm -rf "$tree" "$stamp"
    mkdir -p "$work"
    python3 bench/gen_scala.py "$tree" --mb "$megabytes_wanted" --seed "$seed"
    echo "$wanted" >"$stamp"
fi

log "cargo build --release"
cargo build --release
sparkguard="$root/target/release/sparkguard"

# shellcheck disable=SC2046 # `cold` gives one flag or none.
check_cmd=("$sparkguard" check $(cold "$sparkguard") --exit-zero --output-format concise "$tree")
parse_cmd=("$sparkguard" parse-only "$tree")

# A check that fails here would be timed failing: stop instead.
if ! "${check_cmd[@]}" >/dev/null 2>"$scratch/err"; then
    log "failed: ${check_cmd[*]}"
    cat "$scratch/err" >&2
    exit 1
fi
# parse-only is a hidden debugging subcommand; a build without it still gets (a).
parse_available=true
if ! "${parse_cmd[@]}" >/dev/null 2>"$scratch/err"; then
    log "skipping (b): ${parse_cmd[*]} failed:"
    sed 's/^/bench:   /' "$scratch/err" >&2
    parse_available=false
fi

# --- measurements --------------------------------------------------------------

# Median wall-clock seconds of "$@" over $runs runs, after one warm-up run.
median_seconds() {
    if command -v hyperfine >/dev/null; then
        hyperfine --style none --warmup 1 --runs "$runs" \
            --export-json "$scratch/hyperfine.json" -- "$(printf '%q ' "$@")" >/dev/null
        python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' \
            "$scratch/hyperfine.json"
        return
    fi
    "$@" >/dev/null 2>&1
    local i start end
    for ((i = 0; i < runs; i++)); do
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s%N)
        echo $((end - start))
    done | sort -n | awk '{ t[NR] = $1 }
        END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.3f\n", m / 1e9 }'
}

# Peak resident set size of one run of "$@", in MiB.
peak_rss_mib() {
    local kib
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -v -o "$scratch/time" "$@" >/dev/null 2>&1
        kib=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$scratch/time")
    else
        kib=$(python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@")
    fi
    awk -v k="$kib" 'BEGIN { printf "%.1f\n", k / 1024 }'
}

# Megabytes per second for $1 seconds.
throughput() {
    awk -v mb="$megabytes" -v s="$1" 'BEGIN { printf "%.1f", (s > 0) ? mb / s : 0 }'
}

if command -v hyperfine >/dev/null; then timer="hyperfine"; else timer="date +%s%N loop"; fi
if [[ -x /usr/bin/time ]]; then rss_by="/usr/bin/time -v"; else rss_by="getrusage(RUSAGE_CHILDREN)"; fi

files=$(find "$tree" -type f -name '*.scala' | wc -l)
lines=$(find "$tree" -type f -name '*.scala' -exec cat {} + | wc -l)
megabytes=$(find "$tree" -type f -name '*.scala' -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }')

log "timing (a) check ($runs runs)"
check_seconds=$(median_seconds "${check_cmd[@]}")
check_rss=$(peak_rss_mib "${check_cmd[@]}")
findings=$("$sparkguard" check $(cold "$sparkguard") --exit-zero --output-format json-lines "$tree" | grep -c . || true)

if $parse_available; then
    log "timing (b) parse-only ($runs runs)"
    parse_seconds=$(median_seconds "${parse_cmd[@]}")
    parse_rss=$(peak_rss_mib "${parse_cmd[@]}")
    ratio=$(awk -v a="$check_seconds" -v b="$parse_seconds" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
    parse_row="| (b) parse only | \`sparkguard parse-only\` | $parse_seconds | $(throughput "$parse_seconds") | $parse_rss | |"
else
    ratio="n/a (no parse-only subcommand in this build)"
    parse_row="| (b) parse only | \`sparkguard parse-only\` | n/a | n/a | n/a | |"
fi
version=$("$sparkguard" --version 2>/dev/null || echo "sparkguard (unknown version)")

# --- report --------------------------------------------------------------------

cat <<EOF

$version on generated Scala (seed $seed): $files files, $lines lines, $megabytes MB; $(nproc) cores;
median of $runs runs by $timer after one warm-up; peak RSS by $rss_by.

| run | command | median s | MB/s | peak RSS MiB | findings |
|---|---|---:|---:|---:|---:|
| (a) check | \`sparkguard check --no-cache --exit-zero --output-format concise\` | $check_seconds | $(throughput "$check_seconds") | $check_rss | $findings |
$parse_row

check / parse-only time ratio: $ratio
EOF
