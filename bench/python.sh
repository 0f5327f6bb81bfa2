#!/usr/bin/env bash
# Times sparkguard against ruff on the Python sources of the pyspark sdist and
# prints a markdown table: files, MB, median seconds, ratio, peak RSS, findings.
#
#   bench/python.sh
#
# Environment: RUNS (timed runs per tool, default 5), PYSPARK_VERSION (default
# 4.3.0), RUFF_VERSION (default 0.17.6), BASELINE (another sparkguard binary, say
# the last release's, timed in the same run for a before/after row). Everything it fetches or builds stays under
# target/bench and is reused by the next run. Not part of scripts/test.
#
# Both tools print the concise format to /dev/null: ruff's default format renders
# a source snippet per finding, which would time its renderer more than its
# checks. ruff runs --isolated so that no config file found on the way changes
# what it checks.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs="${RUNS:-5}"
pyspark_version="${PYSPARK_VERSION:-4.3.0}"
ruff_version="${RUFF_VERSION:-0.17.6}"

work="$root/target/bench"
venv="$work/venv"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

log() { echo "bench: $*" >&2; }

# --- inputs, fetched and built once ------------------------------------------

# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
pyspark_tree

if ! "$venv/bin/ruff" --version 2>/dev/null | grep -qx "ruff $ruff_version"; then
    log "installing ruff $ruff_version into $venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "ruff==$ruff_version"
fi
ruff="$venv/bin/ruff"

log "cargo build --release"
cargo build --release
sparkguard="$root/target/release/sparkguard"

# shellcheck disable=SC2046 # `cold` gives one flag or none.
sparkguard_cmd=("$sparkguard" check $(cold "$sparkguard") --exit-zero --output-format concise "$tree")
ruff_cmd=("$ruff" check --isolated --select ALL --no-cache --exit-zero --output-format concise "$tree")

# A tool that fails here would be timed failing: stop instead.
for cmd in sparkguard_cmd ruff_cmd; do
    declare -n argv="$cmd"
    if ! "${argv[@]}" >/dev/null 2>"$scratch/err"; then
        log "failed: ${argv[*]}"
        cat "$scratch/err" >&2
        exit 1
    fi
    unset -n argv
done

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

# Peak resident set size (MiB) and CPU time, user + system (s), of one run of "$@".
# CPU time suffers less than wall time when other work shares the machine.
rss_and_cpu() {
    local kib cpu
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -v -o "$scratch/time" "$@" >/dev/null 2>&1
        kib=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$scratch/time")
        cpu=$(awk -F: '/(User|System) time \(seconds\)/ { s += $2 } END { print s }' "$scratch/time")
    else
        read -r kib cpu < <(python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(r.ru_maxrss, r.ru_utime + r.ru_stime)' "$@")
    fi
    awk -v k="$kib" -v c="$cpu" 'BEGIN { printf "%.1f %.2f\n", k / 1024, c }'
}

if command -v hyperfine >/dev/null; then timer="hyperfine"; else timer="date +%s%N loop"; fi
if [[ -x /usr/bin/time ]]; then rss_by="/usr/bin/time -v"; else rss_by="getrusage(RUSAGE_CHILDREN)"; fi

# Other work on the machine skews the times: the report shows how busy it was.
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

files=$(find "$tree" -type f -name '*.py' | wc -l)
megabytes=$(find "$tree" -type f -name '*.py' -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }')

log "timing sparkguard ($runs runs)"
sg_seconds=$(median_seconds "${sparkguard_cmd[@]}")
read -r sg_rss sg_cpu < <(rss_and_cpu "${sparkguard_cmd[@]}")
sg_findings=$("$sparkguard" check $(cold "$sparkguard") --exit-zero --output-format json-lines "$tree" | grep -c . || true)

log "timing ruff ($runs runs)"
ruff_seconds=$(median_seconds "${ruff_cmd[@]}")
read -r ruff_rss ruff_cpu < <(rss_and_cpu "${ruff_cmd[@]}")
ruff_findings=$("$ruff" check --isolated --select ALL --no-cache --exit-zero \
    --output-format json-lines "$tree" 2>/dev/null | grep -c . || true)

# How the time splits between the first pass (read, parse, facts, index) and the
# second (model, rules), as the binary itself measures it.
first_pass=$(SPARKGUARD_TIMINGS=1 "${sparkguard_cmd[@]}" 2>&1 >/dev/null | sed -n 's/.*, \([0-9]*\) % in the first/\1/p')

baseline_row=""
if [[ -n "${BASELINE:-}" ]]; then
    log "timing the baseline $BASELINE ($runs runs)"
    # shellcheck disable=SC2046
    base_cmd=("$BASELINE" check $(cold "$BASELINE") --exit-zero --output-format concise "$tree")
    base_seconds=$(median_seconds "${base_cmd[@]}")
    read -r base_rss base_cpu < <(rss_and_cpu "${base_cmd[@]}")
    base_findings=$("$BASELINE" check $(cold "$BASELINE") --exit-zero --output-format json-lines "$tree" | grep -c . || true)
    baseline_row="| baseline \`$BASELINE\` | same command | $base_seconds | $base_cpu | $base_rss | $base_findings |"
fi

ratio=$(awk -v a="$sg_seconds" -v b="$ruff_seconds" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
sg_version=$("$sparkguard" --version 2>/dev/null || echo "sparkguard (unknown version)")

# --- report --------------------------------------------------------------------

cat <<EOF

pyspark $pyspark_version sdist: $files Python files, $megabytes MB; $(nproc) cores,
load average $load before timing; median of $runs runs by $timer after one warm-up;
peak RSS and CPU time (user + system, one run) by $rss_by.

| tool | command | median s | CPU s | peak RSS MiB | findings |
|---|---|---:|---:|---:|---:|
| $sg_version | \`sparkguard check --no-cache --exit-zero --output-format concise\` | $sg_seconds | $sg_cpu | $sg_rss | $sg_findings |
| ruff $ruff_version | \`ruff check --isolated --select ALL --no-cache --exit-zero --output-format concise\` | $ruff_seconds | $ruff_cpu | $ruff_rss | $ruff_findings |
$baseline_row

sparkguard / ruff time ratio: $ratio
first pass (read, parse, facts, project index): ${first_pass:-?} % of the check
EOF
