#!/usr/bin/env bash
# What a newcomer waits for the first time: how long each way of installing
# sparkguard takes from nothing, and how much it leaves on disk.
#
#   bench/install.sh
#
# Every step starts cold, as on a fresh clone: its own empty cargo target
# directory and, for the pre-commit hooks, an empty pre-commit cache. Crates and
# Python packages come from the registries (or the machine's download caches, which
# it does not clear). It prints a markdown table and the load average, since other
# work on the machine stretches every figure. Steps:
#
#   wheel        `maturin build --release` of the wheel
#   pip          `pip install .` into a new virtual environment (build included)
#   hook-rust    `pre-commit run` of the `sparkguard` hook (pre-commit's rust language)
#   hook-pip     `pre-commit run` of `sparkguard-pip` (pre-commit's python language)
#
# STEPS picks some (`STEPS="wheel hook-pip" bench/install.sh`). The hooks are
# installed from this repository's HEAD commit, as a user's config pins a revision. Everything stays under target/bench-install,
# which is emptied first. Not part of scripts/test: it takes several minutes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

steps="${STEPS:-wheel pip hook-rust hook-pip}"
work="$root/target/bench-install"
python="${PYTHON:-python3}"
rm -rf "$work"
mkdir -p "$work"
# A user's build does not share this checkout's target directory.
unset CARGO_TARGET_DIR

log() { echo "bench: $*" >&2; }

rows=()

# Runs "$@" once, returns its wall-clock seconds in $elapsed; its output goes to
# $work/<name>.log, and a failure stops the script with that log.
timed() {
    local name="$1"
    shift
    local start end
    start=$(date +%s.%N)
    if ! "$@" >"$work/$name.log" 2>&1; then
        log "$name failed; its output:"
        cat "$work/$name.log" >&2
        exit 1
    fi
    end=$(date +%s.%N)
    elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
}

size_of() { du -sm "$1" | cut -f1; }

# A throwaway repository with one Python file that has a finding.
user_repo="$work/user-repo"
mkdir -p "$user_repo"
cat >"$user_repo/job.py" <<'EOF'
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
rows = spark.table("events").collect()
EOF
git -C "$user_repo" init --quiet
git -C "$user_repo" add job.py

tools="$work/tools"
if [[ " $steps " == *" wheel "* || " $steps " == *" hook-"* ]]; then
    log "installing maturin and pre-commit into $tools"
    "$python" -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet --disable-pip-version-check maturin pre-commit
fi

for step in $steps; do
    case "$step" in
        wheel)
            log "wheel: maturin build --release (cold target directory)"
            timed wheel env CARGO_TARGET_DIR="$work/wheel-target" \
                "$tools/bin/maturin" build --release --out "$work/wheels"
            wheel=$(ls "$work"/wheels/sparkguard-*.whl)
            wheel_kb=$(( $(stat -c %s "$wheel") / 1024 ))
            rows+=("| wheel | \`maturin build --release\` | $elapsed | wheel file ${wheel_kb} KiB |")
            ;;
        pip)
            log "pip: pip install . into a new virtual environment"
            "$python" -m venv "$work/pip-venv"
            before=$(size_of "$work/pip-venv")
            timed pip env CARGO_TARGET_DIR="$work/pip-target" \
                "$work/pip-venv/bin/python" -m pip install --disable-pip-version-check "$root"
            after=$(size_of "$work/pip-venv")
            "$work/pip-venv/bin/sparkguard" --version >&2
            binary_mb=$(awk -v b="$(stat -c %s "$work/pip-venv/bin/sparkguard")" 'BEGIN { printf "%.1f", b / 1048576 }')
            rows+=("| pip | \`pip install .\` | $elapsed | venv +$((after - before)) MB; binary ${binary_mb} MB |")
            ;;
        hook-rust | hook-pip)
            id=sparkguard
            [[ "$step" == hook-pip ]] && id=sparkguard-pip
            home="$work/pre-commit-$step"
            printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: %s\n' \
                "$root" "$(git -C "$root" rev-parse HEAD)" "$id" >"$user_repo/.pre-commit-config.yaml"
            git -C "$user_repo" add .pre-commit-config.yaml
            log "$step: pre-commit run of $id, first with an empty pre-commit cache, then again"
            # The hook finds SG101 and fails: that is the expected outcome.
            run_hook='cd "$1" && PRE_COMMIT_HOME="$2" "$3" run --color never --files job.py; test $? -eq 1'
            timed "$step" sh -c "$run_hook" sh "$user_repo" "$home" "$tools/bin/pre-commit"
            grep -q SG101 "$work/$step.log" || { log "$step: no SG101 in the output"; cat "$work/$step.log" >&2; exit 1; }
            first=$elapsed
            timed "$step-again" sh -c "$run_hook" sh "$user_repo" "$home" "$tools/bin/pre-commit"
            rows+=("| $step | \`pre-commit run\` of \`$id\`, first run | $first | cache $(size_of "$home") MB; the next run: ${elapsed} s |")
            ;;
        *)
            log "unknown step $step"
            exit 2
            ;;
    esac
done

echo
echo "sparkguard $(grep -m1 '^version' Cargo.toml | cut -d'"' -f2), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| step | what | seconds | disk |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
