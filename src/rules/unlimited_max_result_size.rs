use super::{Check, SettingContext, declare_rule};
use crate::model::settings::{Setting, parse_size};

declare_rule! {
    /// ## What it does
    /// Flags `spark.driver.maxResultSize` set to `0` (unlimited), in code, in
    /// `spark-defaults.conf` or on a `spark-submit` line.
    ///
    /// ## Why is this bad?
    /// `maxResultSize` (1 GiB by default) is the guard that turns an oversized
    /// `collect()` into a clean job failure with a clear message. With `0` the
    /// driver accepts results until its heap is exhausted, and dies with an
    /// `OutOfMemoryError` that takes the whole application, and every other job in
    /// it, down.
    ///
    /// ## Example
    /// ```python
    /// from pyspark import SparkConf
    ///
    /// conf = SparkConf().set("spark.driver.maxResultSize", "0")
    /// ```
    ///
    /// ## Use instead
    /// Keep a finite limit below the driver heap, and bring less data to the driver.
    /// ```python
    /// from pyspark import SparkConf
    ///
    /// conf = SparkConf().set("spark.driver.maxResultSize", "512m")
    /// ```
    pub static UNLIMITED_MAX_RESULT_SIZE = {
        code: "SG402",
        name: "unlimited-max-result-size",
        severity: Error,
        help: "keep a finite limit (default `1g`) below the driver heap",
        check: Check::Setting(check),
    };
}

fn check(setting: &Setting, _context: &SettingContext<'_>) -> Option<String> {
    if setting.key != "spark.driver.maxResultSize" {
        return None;
    }
    if parse_size(setting.value.as_deref()?)? != 0 {
        return None;
    }
    Some(
        "`spark.driver.maxResultSize=0` removes the limit that stops an oversized result before it exhausts the driver"
            .to_string(),
    )
}
