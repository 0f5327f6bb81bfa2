use super::{Check, SettingContext, declare_rule};
use crate::lang::Language;
use crate::model::context::Launch;
use crate::model::settings::{Setting, human_size, master_in_body, parse_memory_mib};

declare_rule! {
    /// ## What it does
    /// Flags `spark.driver.memory` and `spark.driver.memoryOverhead` set in
    /// application code (`SparkSession.builder.config`, `SparkConf().set`,
    /// `spark.conf.set`). The message states what the setting asks for: the heap
    /// plus the overhead, which defaults to max(10 % of the heap, 384 MiB).
    ///
    /// ## Why is this bad?
    /// The driver's memory is fixed when its JVM starts. Under `spark-submit`, in a
    /// notebook, with an active session, and in any Scala or Java application, the
    /// JVM is already running when this line executes, so the value is silently
    /// ignored and the driver keeps its default heap (1 GiB). Only a plain
    /// `python job.py` run, where the builder starts the JVM, uses it — and the same
    /// script then behaves differently when it is submitted to a cluster.
    ///
    /// Python code that names its master (`.master(...)`, `setMaster(...)`) in the
    /// same function as the setting is not reported: it is written to start its own
    /// driver with `python` (a local script, a library's `start()` helper, a
    /// command-line tool), and then the builder passes the setting to the new JVM.
    ///
    /// ## Example
    /// ```python
    /// from pyspark.sql import SparkSession
    ///
    /// spark = (
    ///     SparkSession.builder.appName("report")
    ///     .config("spark.driver.memory", "8g")
    ///     .getOrCreate()
    /// )
    /// ```
    ///
    /// ## Use instead
    /// Set driver memory where the driver is launched.
    /// ```shell
    /// spark-submit --driver-memory 8g --conf spark.driver.memoryOverhead=1g report.py
    /// ```
    pub static DRIVER_MEMORY_IN_CODE = {
        code: "SG401",
        name: "driver-memory-in-code",
        severity: Warning,
        help: "pass `--driver-memory` / `--conf spark.driver.memoryOverhead=...` to spark-submit or set them in `spark-defaults.conf`",
        check: Check::Setting(check),
    };
}

const MIN_OVERHEAD: i64 = 384 << 20;
const DEFAULT_HEAP: i64 = 1 << 30;

fn check(setting: &Setting, context: &SettingContext<'_>) -> Option<String> {
    if setting.at_launch {
        return None;
    }
    let key = setting.key.as_str();
    if key != "spark.driver.memory" && key != "spark.driver.memoryOverhead" {
        return None;
    }
    // What the two settings together ask for, with Spark's defaults for the one
    // not set: this setting's own value, and the other key's as the same body sets
    // it (another function may configure another session).
    let find = |name: &str| -> Result<Option<i64>, ()> {
        if name == key {
            return Ok(setting.value.as_deref().and_then(parse_memory_mib));
        }
        let mut values = context
            .all
            .iter()
            .filter(|s| s.key == name && s.at_launch == setting.at_launch && s.body == setting.body)
            .map(|s| s.value.as_deref().and_then(parse_memory_mib));
        match (values.next(), values.next()) {
            (None, _) => Ok(None),
            (Some(only), None) => Ok(only),
            // Set twice in one body: which one applies depends on the path taken.
            (Some(_), Some(_)) => Err(()),
        }
    };
    let heap = find("spark.driver.memory");
    let overhead = find("spark.driver.memoryOverhead");
    let asks = match (heap, overhead) {
        (Ok(None), Ok(None)) | (Err(()), _) | (_, Err(())) => String::new(),
        (Ok(heap), Ok(overhead)) => {
            let heap_bytes = heap.unwrap_or(DEFAULT_HEAP);
            let overhead_bytes = overhead.unwrap_or((heap_bytes / 10).max(MIN_OVERHEAD));
            format!(
                " ({}{} heap + {} overhead = {})",
                human_size(heap_bytes),
                if heap.is_none() { " default" } else { "" },
                human_size(overhead_bytes),
                human_size(heap_bytes + overhead_bytes)
            )
        }
    };
    let value = setting.value.as_deref().unwrap_or("…");
    // Python code that names its master starts its own driver: run with `python`,
    // the builder launches the JVM with these settings, whatever the master (a local
    // script, a library's `start()`, a command-line tool). A submitted job takes its
    // master from spark-submit instead.
    if context.language == Some(Language::Python)
        && context.launch != Launch::Databricks
        && master_in_body(context.all, &setting.body)
    {
        return None;
    }
    let when = match (context.language, context.launch) {
        // A Python kernel has no JVM until the builder starts one: the setting is
        // honoured, unless a session already runs (then nothing here can change it).
        (Some(Language::Python), Launch::Jupyter) => return None,
        (Some(Language::Python), Launch::Script) => {
            "it takes effect only when this builder starts the JVM (`python job.py`); under spark-submit, on a cluster or with a session already running it is silently ignored"
        }
        (_, Launch::Databricks) => {
            "a Databricks notebook runs in a driver that has already started, so it is silently ignored"
        }
        (_, Launch::Jupyter) => {
            "a Scala kernel is itself the driver JVM, already running, so it is silently ignored"
        }
        _ => "the driver JVM is already running when this code runs, so it is silently ignored",
    };
    Some(format!(
        "`{key}={value}` set in application code{asks}: {when}"
    ))
}
