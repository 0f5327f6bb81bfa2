//! Suppression comments: `# sparkguard: ignore[...]` and `# noqa: ...` of any shape,
//! on a line with a finding, on their own line, and in Scala.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let comment = common::text_of(data).replace(['\n', '\r'], " ");
    let python = format!(
        "from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\n\
         rows = spark.table('e').collect()  # {comment}\n# {comment}\nn = spark.table('e').count()\n"
    );
    common::check_as("job.py", &python);
    let scala = format!(
        "import org.apache.spark.sql.SparkSession\nobject J {{\n  val spark = SparkSession.builder.getOrCreate()\n  \
         val rows = spark.table(\"e\").collect() // {comment}\n  // {comment}\n  val n = spark.table(\"e\").count()\n}}\n"
    );
    common::check_as("Job.scala", &scala);
    common::check_as("submit.sh", &format!("spark-submit --conf spark.driver.maxResultSize=0 # {comment}\n"));
});
