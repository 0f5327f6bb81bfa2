#!/usr/bin/env bash
# Peak memory and CPU of `sparkguard check` as the tree grows: the Python sources of
# the pyspark sdist copied 1, 2, 4 and 8 times, each checked cold (`--no-cache`). With
# BASELINE (another sparkguard binary, say main's before a change) both binaries run
# in turn, round by round, so a change in the machine's load touches both alike. Each
# figure is the whole process's, from wait4(2): peak RSS (ru_maxrss) and CPU (user +
# system). It prints a markdown table of the medians, and the ratios after / before.
#
#   bench/memory.sh
#
# Environment: RUNS (rounds per input, default 3), BASELINE (the binary to compare
# with), SPARKGUARD (the binary measured, default target/release/sparkguard, built
# when missing), PYSPARK_VERSION (4.3.0). The inputs are those of bench/compare.sh,
# under target/bench, made here when missing. Not part of scripts/test.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

pyspark_version="${PYSPARK_VERSION:-4.3.0}"
work="$root/target/bench"
log() { echo "memory: $*" >&2; }

# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
pyspark_copies

bin="${SPARKGUARD:-$root/target/release/sparkguard}"
if [[ ! -x "$bin" ]]; then
    log "building $bin"
    cargo build --release --quiet
fi

python3 - "$bin" "${BASELINE:-}" "$copies" "${RUNS:-3}" <<'PY'
import os, statistics, subprocess, sys

bin_, baseline, copies, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def run(binary, tree):
    """One cold check of `tree`: (peak RSS in MiB, CPU seconds)."""
    with open(os.devnull, "wb") as null:
        child = subprocess.Popen(
            [binary, "check", "--exit-zero", "--no-cache", "--output-format", "concise", tree],
            stdout=null, stderr=null)
        _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"memory: {binary} failed on {tree}")
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime

tools = [("after", bin_)] + ([("before", baseline)] if baseline else [])
rows = []
for n in (1, 2, 4, 8):
    tree = f"{copies}/x{n}"
    figures = {name: [] for name, _ in tools}
    for _ in range(runs):
        for name, binary in tools:
            figures[name].append(run(binary, tree))
    row = {"n": n}
    for name, _ in tools:
        row[name] = (statistics.median(f[0] for f in figures[name]),
                     statistics.median(f[1] for f in figures[name]))
    if baseline:
        # Ratios round by round, then their median: robust to drift in load.
        pairs = list(zip(figures["after"], figures["before"]))
        row["rss ratio"] = statistics.median(a[0] / b[0] for a, b in pairs)
        row["cpu ratio"] = statistics.median(a[1] / b[1] for a, b in pairs)
    rows.append(row)
    print(f"memory: {n}x done", file=sys.stderr)

print(f"\n{runs} rounds per input, medians; `check --no-cache` over the pyspark sources copied n times\n")
if baseline:
    print("| copies | peak RSS before (MiB) | peak RSS after (MiB) | after / before | CPU before (s) | CPU after (s) | after / before |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n']}x | {r['before'][0]:.1f} | {r['after'][0]:.1f} | {r['rss ratio']:.2f} "
              f"| {r['before'][1]:.2f} | {r['after'][1]:.2f} | {r['cpu ratio']:.2f} |")
else:
    print("| copies | peak RSS (MiB) | CPU (s) |")
    print("|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n']}x | {r['after'][0]:.1f} | {r['after'][1]:.2f} |")
PY
