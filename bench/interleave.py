#!/usr/bin/env python3
"""Runs commands in interleaved rounds and prints their CPU, wall and peak memory.

    python3 bench/interleave.py --rounds 10 --title T NAME='CMD ARG...' NAME2='CMD...' \
        [--ratio NAME/NAME2 ...]

Each round runs every command once, in the order given, so a machine whose speed
drifts (other work starting or stopping) slows all of them alike. Each run's CPU time
(user + system) and peak resident set come from the kernel's accounting of that one
finished process (`os.wait4`), its wall time from a monotonic clock. One warm-up
round is not counted. A ratio A/B is taken round by round, and its median, minimum
and maximum are printed: the figure to quote is the median CPU ratio.

Prints a markdown table. Not a test: figures to quote, not assertions.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time


def run_once(argv):
    """(cpu seconds, wall seconds, peak RSS MiB, exit status) of one run of argv."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(argv, stdout=null, stderr=null)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return cpu, wall, usage.ru_maxrss / 1024, proc.returncode


def spread(values, scale=1.0, digits=1):
    fmt = "%." + str(digits) + "f"
    return "%s (%s–%s)" % tuple(fmt % (v * scale) for v in
                                (statistics.median(values), min(values), max(values)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--title", default="")
    parser.add_argument("--ratio", action="append", default=[],
                        help="NAME_A/NAME_B: per-round ratio of A's figures to B's")
    parser.add_argument("commands", nargs="+", help="NAME='COMMAND ARG ...'")
    args = parser.parse_args()

    commands = []
    for spec in args.commands:
        name, sep, cmd = spec.partition("=")
        if not sep or not cmd:
            sys.exit("interleave: expected NAME='COMMAND', got %r" % spec)
        commands.append((name, shlex.split(cmd)))
    names = [name for name, _ in commands]
    for ratio in args.ratio:
        a, _, b = ratio.partition("/")
        if a not in names or b not in names:
            sys.exit("interleave: --ratio %s names a command not given" % ratio)

    results = {name: [] for name in names}
    for round_number in range(args.rounds + 1):
        for name, argv in commands:
            cpu, wall, rss, code = run_once(argv)
            if code not in (0, 1):
                sys.exit("interleave: %s exited %d: %s" % (name, code, shlex.join(argv)))
            if round_number > 0:
                results[name].append((cpu, wall, rss))

    if args.title:
        print("\n" + args.title + "\n")
    print("| command | CPU ms, median (min–max) | wall ms, median (min–max) | peak RSS MiB |")
    print("|---|---:|---:|---:|")
    for name, argv in commands:
        runs = results[name]
        print("| %s `%s` | %s | %s | %.1f |" % (
            name, shlex.join(os.path.basename(a) if i == 0 else a for i, a in enumerate(argv)),
            spread([r[0] for r in runs], 1000), spread([r[1] for r in runs], 1000),
            statistics.median(r[2] for r in runs)))
    if args.ratio:
        print()
        print("| ratio | CPU, median (min–max) | wall, median (min–max) |")
        print("|---|---:|---:|")
        for ratio in args.ratio:
            a, _, b = ratio.partition("/")
            pairs = list(zip(results[a], results[b]))
            cpu = [x[0] / y[0] for x, y in pairs if y[0] > 0]
            wall = [x[1] / y[1] for x, y in pairs if y[1] > 0]
            print("| %s | %s | %s |" % (ratio, spread(cpu, digits=2) if cpu else "n/a",
                                        spread(wall, digits=2) if wall else "n/a"))
    print("\n%d counted rounds after one warm-up, commands interleaved within each round; "
          "%d cores, load average %s at the end." % (
              args.rounds, os.cpu_count(), " ".join(open("/proc/loadavg").read().split()[:3])))


if __name__ == "__main__":
    main()
