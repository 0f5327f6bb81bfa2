#!/usr/bin/env bash
# How sparkguard's time grows with the size of one file: generated Spark job files of
# 0.5, 1, 2, 4 and 10 MB, and method chains of 1,000 to 20,000 calls in Python and
# Scala. For each input it prints the median seconds of `check` and of `parse-only`
# (reading and parsing alone, the floor under `check`, measured in the same run), their
# ratio, and the growth factor: how much the time grew against the previous input,
# divided by how much the input grew (1.0 is linear, 2.0 at a doubling is quadratic).
#
#   bench/growth.sh [--quick]
#
# Environment: RUNS (timed runs per command, default 3), SPARKGUARD (the binary,
# default target/release/sparkguard, built when missing). `--quick` stops at 4 MB and
# 10,000 calls. Not part of scripts/test.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bin="${SPARKGUARD:-$root/target/release/sparkguard}"
if [[ ! -x "$bin" ]]; then
    echo "bench: building $bin" >&2
    cargo build --release --quiet
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# shellcheck source=bench/common.sh
source "$root/bench/common.sh"

python3 - "$bin" "$work" "${RUNS:-3}" "${1:-}" "$(cold "$bin")" <<'PY'
import os, resource, statistics, subprocess, sys, time

bin_, work, runs, quick = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "--quick"
# `--no-cache` when the binary knows it: each run times a cold check.
cold = [sys.argv[5]] if sys.argv[5] else []
HEAD = "from pyspark.sql import SparkSession\nfrom pyspark.sql import functions as F\nspark = SparkSession.builder.getOrCreate()\n"

def job_file(size):
    """Jobs as a data team writes them: reads, joins, aggregations, a cache, repeated actions."""
    parts, total, i = [HEAD], len(HEAD), 0
    while total < size:
        part = (f"def job_{i}(path, users):\n"
                f"    events = spark.read.parquet(path).filter(F.col('day') == '{i}')\n"
                f"    daily = events.join(users, 'user_id').groupBy('country').agg(F.sum('amount'))\n"
                f"    if daily.count() == 0:\n        return None\n"
                f"    top = daily.orderBy(F.desc('sum(amount)')).limit(10).collect()\n"
                f"    daily.write.mode('overwrite').parquet(path + '/out_{i}')\n"
                f"    for row in top:\n        print(row)\n    return daily.collect()\n\n")
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)

def python_chain(n):
    return HEAD + "rows = spark.table('t')" + ".filter('x > 1')" * n + ".collect()\n"

def scala_chain(n):
    return ("import org.apache.spark.sql.SparkSession\nobject J {\n  val spark = SparkSession.builder.getOrCreate()\n"
            "  val rows = spark.table(\"t\")" + ".filter(\"x > 1\")" * n + ".collect()\n}\n")

def timed(args):
    """Median wall and user seconds of `runs` runs, after one warm-up."""
    walls, users = [], []
    for k in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        start = time.perf_counter()
        proc = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - start
        user = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before
        if proc.returncode not in (0, 1):
            sys.exit(f"bench: {' '.join(args)} exited {proc.returncode}: {proc.stderr.decode()[-300:]}")
        if k:
            walls.append(wall)
            users.append(user)
    return statistics.median(walls), statistics.median(users)

def series(title, unit, inputs):
    print(f"\n### {title}\n")
    print(f"| input | {unit} | check s (user) | parse-only s (user) | check / parse | growth factor |")
    print("|---|---|---|---|---|---|")
    previous = None
    for label, measure, name, text in inputs:
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text)
        check_wall, check_user = timed([bin_, "check", *cold, "--output-format", "concise", path])
        _, parse_user = timed([bin_, "parse-only", path])
        growth = ""
        if previous:
            growth = f"{(check_user / max(previous[1], 1e-3)) / (measure / previous[0]):.2f}"
        ratio = check_user / max(parse_user, 1e-3)
        print(f"| {label} | {measure:g} | {check_user:.2f} ({check_wall:.2f} wall) | {parse_user:.2f} | {ratio:.1f} | {growth} |")
        previous = (measure, check_user)
        os.remove(path)

sizes = [0.5, 1, 2, 4] + ([] if quick else [10])
series("Job files", "MB", [(f"{mb:g} MB", mb, f"jobs_{mb}.py", job_file(int(mb * 1_000_000))) for mb in sizes])
calls = [1000, 2000, 5000, 10000] + ([] if quick else [20000])
series("Python method chains", "calls", [(f"{n} calls", n, f"chain_{n}.py", python_chain(n)) for n in calls])
series("Scala method chains", "calls", [(f"{n} calls", n, f"Chain_{n}.scala", scala_chain(n)) for n in calls])
print("\nThe growth factor divides the time ratio by the size ratio against the row above: near 1 is linear.")
PY
