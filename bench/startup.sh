#!/usr/bin/env bash
# What one run of sparkguard costs in CPU: a 5-line PySpark file, a 9-line Scala file,
# and the Python sources of the pyspark sdist, each against the floor of parsing the
# same files alone (`sparkguard parse-only`) and, when BEFORE names one, against
# another sparkguard binary (an older build) on the same input, interleaved round by
# round by bench/interleave.py. Prints markdown tables with the per-round ratios.
#
#   bench/startup.sh
#   BEFORE=/path/to/older/sparkguard bench/startup.sh
#
# Environment: ROUNDS (counted rounds, default 10), PYSPARK_VERSION (default 4.3.0),
# PYSPARK_SDIST (an already downloaded pyspark sdist to extract instead of
# downloading one), BEFORE (another sparkguard binary). Inputs stay under
# target/bench, shared with bench/python.sh. Not part of scripts/test.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

rounds="${ROUNDS:-10}"
pyspark_version="${PYSPARK_VERSION:-4.3.0}"
work="$root/target/bench"
small="$work/startup"

log() { echo "bench: $*" >&2; }

# --- inputs ------------------------------------------------------------------------

mkdir -p "$small"
cat >"$small/job.py" <<'EOF'
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
rows = spark.table("events").collect()
print(len(rows))
EOF
cat >"$small/Job.scala" <<'EOF'
import org.apache.spark.sql.SparkSession

object Job {
  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder.getOrCreate()
    val rows = spark.table("events").collect()
    println(rows.length)
  }
}
EOF

# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
pyspark_tree

log "cargo build --release"
cargo build --release
sg="$root/target/release/sparkguard"
before="${BEFORE:-}"
if [[ -n "$before" && ! -x "$before" ]]; then
    log "BEFORE=$before is not an executable"
    exit 2
fi

check() { echo "$1 check $(cold "$1") --exit-zero --output-format concise $2"; }

# --- measurements --------------------------------------------------------------------

measure() {
    local title="$1" input="$2"
    local -a specs=("now=$(check "$sg" "$input")" "parse=$sg parse-only $input")
    local -a ratios=(--ratio now/parse)
    if [[ -n "$before" ]]; then
        specs+=("before=$(check "$before" "$input")")
        ratios+=(--ratio now/before --ratio before/parse)
    fi
    log "timing: $title ($rounds rounds)"
    python3 bench/interleave.py --rounds "$rounds" --title "$title" "${ratios[@]}" "${specs[@]}"
}

files=$(find "$tree" -type f -name '*.py' | wc -l)
megabytes=$(find "$tree" -type f -name '*.py' -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }')

echo "$("$sg" --version)${before:+; before: $("$before" --version) at $before}"
measure "### A 5-line PySpark file" "$small/job.py"
measure "### A 9-line Scala file" "$small/Job.scala"
measure "### pyspark $pyspark_version: $files Python files, $megabytes MB" "$tree"
