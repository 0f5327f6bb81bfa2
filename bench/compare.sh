#!/usr/bin/env bash
# sparkguard side by side with its peers, on the Python sources of the pyspark sdist:
# pyspark-antipattern (a PySpark linter), ruff with every rule (`--select ALL`), and
# the floor under any tree-sitter linter, `sparkguard parse-only` (discover, read
# and parse every file with the same tree-sitter crates, nothing else), and
# `parse-only --walk`, which also visits every node once with a tree cursor. All of them
# run interleaved, round by round, so a change in the machine's load between rounds
# touches every tool alike; each figure is the whole process's, from wait4(2).
#
#   bench/compare.sh
#
# It reports, as markdown tables:
#   - the whole tree: min / median / max of wall, CPU (user + system) and peak RSS
#     per tool, and each round's CPU ratio of sparkguard to each other tool;
#   - a second run over the unchanged tree (the results cache warm), wall and CPU;
#   - one 5-line PySpark file and one 9-line Scala file;
#   - scaling: the tree copied 1, 2, 4 and 8 times (CPU and peak RSS of sparkguard
#     and of parse-only, and sparkguard's CPU per copy).
#
# Environment: ROUNDS (default 5), PYSPARK_VERSION (4.3.0), RUFF_VERSION (0.17.6),
# ANTIPATTERN_VERSION (0.4.1), BASELINE (another sparkguard binary, say main's
# before a change, timed in the same rounds as `before`; in the scaling table at
# 1x and 8x only). What it downloads and
# builds stays under target/bench and is reused. Not part of scripts/test.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

pyspark_version="${PYSPARK_VERSION:-4.3.0}"
ruff_version="${RUFF_VERSION:-0.17.6}"
antipattern_version="${ANTIPATTERN_VERSION:-0.4.1}"
work="$root/target/bench"
venv="$work/compare-venv"
log() { echo "compare: $*" >&2; }

# --- inputs, fetched and built once ------------------------------------------

# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
pyspark_copies

if ! "$venv/bin/ruff" --version 2>/dev/null | grep -qx "ruff $ruff_version" ||
    ! "$venv/bin/pyspark-antipattern" --version 2>/dev/null | grep -q "$antipattern_version"; then
    log "installing ruff $ruff_version and pyspark-antipattern $antipattern_version into $venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "ruff==$ruff_version" "pyspark-antipattern==$antipattern_version"
fi

log "cargo build --release"
cargo build --release --quiet
bin="$root/target/release/sparkguard"

# The single files: the smallest job each language's user checks in a hook.
small="$work/small"
mkdir -p "$small"
cat >"$small/job.py" <<'PY'
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
rows = spark.table("events").collect()
print(len(rows))
PY
cat >"$small/Job.scala" <<'SCALA'
import org.apache.spark.sql.SparkSession

object Job {
  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().getOrCreate()
    val rows = spark.table("events").collect()
    println(rows.length)
  }
}
SCALA

cache_dir="$work/compare-cache"
rm -rf "$cache_dir"

python3 - "$bin" "$venv" "$tree" "$copies" "$small" "$cache_dir" "${ROUNDS:-5}" "${BASELINE:-}" <<'PY'
import os, statistics, subprocess, sys, tempfile, time

bin_, venv, tree, copies, small, cache_dir, rounds, baseline = sys.argv[1:]
rounds = int(rounds)
ruff = f"{venv}/bin/ruff"
antipattern = f"{venv}/bin/pyspark-antipattern"

def has_cache(binary):
    help_text = subprocess.run([binary, "check", "--help"], capture_output=True, text=True)
    return "--no-cache" in help_text.stdout

# A baseline from before the cache has no cache to turn off; one from after it has.
cached_binaries = {b for b in (bin_, baseline) if b and has_cache(b)}

def sparkguard(path, *, binary=bin_, cache=False):
    argv = [binary, "check", "--exit-zero", "--output-format", "concise", path]
    return argv if cache or binary not in cached_binaries else argv + ["--no-cache"]

def parse_only(path):
    return [bin_, "parse-only", path]

def run(argv, env=None):
    """Runs argv with its output thrown away: (wall s, CPU s, peak RSS MiB)."""
    # stderr goes to a file: a pipe nobody reads while the tool runs would fill up
    # and stop a tool that prints much there.
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        err = stderr.read().decode(errors="replace")[-4000:]
    code = child.returncode
    # Findings exit 1 for every tool here; 2 and up, or a signal, is a failure.
    if code < 0 or code >= 2:
        sys.exit(f"compare: {' '.join(argv)} failed with {code}:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024

def rounds_of(commands, env_of=lambda name: None):
    """Every command once per round, in turn; figures by name."""
    figures = {name: [] for name in commands}
    for name, argv in commands.items():  # one warm-up each: the page cache
        run(argv, env_of(name))
    for _ in range(rounds):
        for name, argv in commands.items():
            figures[name].append(run(argv, env_of(name)))
    return figures

def mmm(values, fmt):
    return " / ".join(fmt % v for v in (min(values), statistics.median(values), max(values)))

def table(figures, title):
    print(f"\n### {title}\n")
    print("| command | wall s (min / median / max) | CPU s | peak RSS MiB |")
    print("|---|---:|---:|---:|")
    for name, rows in figures.items():
        walls, cpus, rss = zip(*rows)
        print(f"| {name} | {mmm(walls, '%.3f')} | {mmm(cpus, '%.3f')} | {mmm(rss, '%.1f')} |")

def ratios(figures, of, others, title):
    print(f"\n{title}\n")
    print("| CPU ratio | " + " | ".join(f"round {i + 1}" for i in range(rounds)) + " | median |")
    print("|---|" + "---:|" * (rounds + 1))
    for other in others:
        per_round = [a[1] / b[1] for a, b in zip(figures[of], figures[other])]
        cells = " | ".join("%.2f" % r for r in per_round)
        print(f"| {of} / {other} | {cells} | {statistics.median(per_round):.2f} |")

files = sum(len([f for f in fs if f.endswith(".py")]) for _, _, fs in os.walk(tree))
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tree) for f in fs
           if f.endswith(".py"))
load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else "?"
print(f"pyspark sources: {files} Python files, {size / 1e6:.1f} MB; {os.cpu_count()} cores; "
      f"load average {' '.join(load)} at the start; {rounds} rounds after one warm-up each.")

# --- the whole tree --------------------------------------------------------------
whole = {
    "sparkguard": sparkguard(tree),
    "pyspark-antipattern": [antipattern, "check", tree],
    "ruff --select ALL": [ruff, "check", "--isolated", "--select", "ALL", "--no-cache",
                          "--exit-zero", "--output-format", "concise", tree],
    "parse-only": parse_only(tree),
    # The parse and one cursor walk over every node: the floor under any check that
    # reads the whole tree, as the model does.
    "parse-only --walk": [bin_, "parse-only", "--walk", tree],
}
if baseline:
    whole["before"] = sparkguard(tree, binary=baseline)
figures = rounds_of(whole)
table(figures, "The whole tree, no cache")
ratios(figures, "sparkguard", [n for n in whole if n != "sparkguard"],
       "Per round, sparkguard's CPU against each:")

# --- a second run over the unchanged tree ------------------------------------------
env = dict(os.environ, SPARKGUARD_CACHE_DIR=cache_dir)
run(sparkguard(tree, cache=True), env)  # fills the cache
warm = {"sparkguard, cache warm": sparkguard(tree, cache=True), "sparkguard, no cache":
        sparkguard(tree)}
table(rounds_of(warm, lambda name: env), "A second run over the unchanged tree")

# --- one small file ------------------------------------------------------------------
py, scala = f"{small}/job.py", f"{small}/Job.scala"
single = {
    "sparkguard, 5-line .py": sparkguard(py),
    "pyspark-antipattern, 5-line .py": [antipattern, "check", py],
    "ruff --select ALL, 5-line .py": [ruff, "check", "--isolated", "--select", "ALL",
                                      "--no-cache", "--exit-zero", py],
    "parse-only, 5-line .py": parse_only(py),
    "sparkguard, 9-line .scala": sparkguard(scala),
    "parse-only, 9-line .scala": parse_only(scala),
}
if baseline:
    single["before, 5-line .py"] = sparkguard(py, binary=baseline)
    single["before, 9-line .scala"] = sparkguard(scala, binary=baseline)
table(rounds_of(single), "One small file")

# --- scaling -------------------------------------------------------------------------
scaling = {}
for n in (1, 2, 4, 8):
    scaling[f"sparkguard {n}x"] = sparkguard(f"{copies}/x{n}")
    scaling[f"parse-only {n}x"] = parse_only(f"{copies}/x{n}")
    if baseline and n in (1, 8):
        scaling[f"before {n}x"] = sparkguard(f"{copies}/x{n}", binary=baseline)
figures = rounds_of(scaling)
table(figures, "Scaling: the tree 1, 2, 4 and 8 times")
print("\n| copies | sparkguard CPU s per copy (median) | sparkguard / parse-only CPU (median) |")
print("|---:|---:|---:|")
for n in (1, 2, 4, 8):
    cpu = [r[1] for r in figures[f"sparkguard {n}x"]]
    floor = [r[1] for r in figures[f"parse-only {n}x"]]
    ratio = statistics.median(a / b for a, b in zip(cpu, floor))
    print(f"| {n} | {statistics.median(cpu) / n:.3f} | {ratio:.2f} |")
PY
