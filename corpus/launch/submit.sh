#!/usr/bin/env bash
# Nightly jobs. Driver memory is set here, at launch, where it takes effect: no SG401.
set -euo pipefail

JOBS=/opt/jobs

# --- must fire ---------------------------------------------------------------------

spark-submit --master yarn --conf spark.driver.maxResultSize=0 "$JOBS/export_all.py"  # expect: SG402
spark-submit --master yarn --conf=spark.driver.maxResultSize=0 "$JOBS/export_all.py"  # expect: SG402
spark-submit --master yarn --conf spark.sql.autoBroadcastJoinThreshold=4g "$JOBS/join.py"  # expect: SG204
spark-submit --master yarn --conf spark.sql.autoBroadcastJoinThreshold=2147483648 "$JOBS/join.py"  # expect: SG204
spark-submit --master yarn --conf=spark.sql.adaptive.autoBroadcastJoinThreshold=2GB "$JOBS/join.py"  # expect: SG204

# Quoted words are the same words to the shell.
spark-submit --master yarn --conf "spark.driver.maxResultSize=0" "$JOBS/export_all.py"  # expect: SG402
spark-submit --master yarn --conf 'spark.sql.autoBroadcastJoinThreshold=8g' "$JOBS/join.py"  # expect: SG204

# spark-submit by its full path.
"${SPARK_HOME}/bin/spark-submit" --conf spark.driver.maxResultSize=0 "$JOBS/export_all.py"  # expect: SG402

# Driver sizing at launch is right; the unlimited result size is not.
spark-submit --master yarn --deploy-mode cluster --driver-memory 8g --conf spark.driver.memoryOverhead=2g --conf spark.driver.maxResultSize=0 "$JOBS/rollup.py"  # expect: SG402

spark-submit \
  --master yarn \
  --deploy-mode cluster \
  --driver-memory 8g \
  --conf spark.sql.autoBroadcastJoinThreshold=3g "$JOBS/daily.py"  # expect: SG204

# --- must not fire -----------------------------------------------------------------

spark-submit \
  --master yarn \
  --deploy-mode cluster \
  --driver-memory 8g \
  --conf spark.driver.memory=8g \
  --conf spark.driver.memoryOverhead=2g \
  --conf spark.sql.autoBroadcastJoinThreshold=10m \
  --conf spark.sql.adaptive.autoBroadcastJoinThreshold=64MB \
  --conf spark.driver.maxResultSize=2g \
  "$JOBS/daily.py"

spark-submit --master yarn --conf spark.sql.autoBroadcastJoinThreshold=-1 "$JOBS/join.py"
spark-submit --master yarn --conf spark.sql.autoBroadcastJoinThreshold=1g "$JOBS/join.py"
spark-submit --master yarn --conf spark.sql.autoBroadcastJoinThreshold=10485760 "$JOBS/join.py"
spark-submit --master yarn --conf spark.sql.autoBroadcastJoinThreshold=50B "$JOBS/join.py"
spark-submit --master yarn --conf spark.driver.maxResultSize=4g "$JOBS/export_all.py"
spark-submit --master yarn --conf spark.sql.files.maxRecordsPerFile=0 --conf spark.sql.files.maxPartitionBytes=2g "$JOBS/compact.py"

# spark-submit --conf spark.driver.maxResultSize=0 "$JOBS/export_all.py"
echo "never run exports with spark.driver.maxResultSize=0"
