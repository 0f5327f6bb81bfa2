use super::{Check, SettingContext, declare_rule};
use crate::diagnostic::{Edit, Fix};
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
    ///
    /// ## Fix
    /// Unsafe (applied with `--unsafe-fixes`): a literal `0` in the call (`"0"`, `"0g"`,
    /// `0`, `0L`) becomes `"1g"`, the default. A job that does bring more than 1 GiB to
    /// the driver then fails with a clear error instead of running, so the limit is the
    /// author's to choose. A value held in a constant is left alone.
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

/// Replaces a literal `0` (`"0"`, `'0g'`, `0`, `0L`) that ends the setting's span
/// with `"1g"`, the default. Unsafe: a job that relied on more than 1 GiB of results
/// fails after it. A value held in a constant is left alone (other code may use it).
pub fn fix(setting: &Setting, source: &str) -> Option<Fix> {
    let span = source.get(setting.range.clone())?;
    let trimmed = span.trim_end();
    let end = setting.range.start + trimmed.len();
    let literal = if let Some(quote) = trimmed.chars().last().filter(|c| matches!(c, '"' | '\'')) {
        let body = &trimmed[..trimmed.len() - 1];
        let open = body.rfind(quote)?;
        // A prefixed string (`f"0"`, `s"0"`) or a triple quote is not a plain literal.
        let before = body[..open].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == quote || c == '_') {
            return None;
        }
        parse_size(&body[open + 1..])?;
        setting.range.start + open..end
    } else {
        let digits = trimmed.trim_end_matches(['l', 'L']);
        let number = digits.trim_end_matches(|c: char| c.is_ascii_digit());
        if number.len() == digits.len()
            || number
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            return None;
        }
        setting.range.start + number.len()..end
    };
    if parse_size(setting.value.as_deref()?)? != 0 {
        return None;
    }
    Some(Fix {
        title: "Set `spark.driver.maxResultSize` to `\"1g\"` (the default)".to_string(),
        edits: vec![Edit {
            range: literal,
            replacement: "\"1g\"".to_string(),
        }],
        safe: false,
    })
}
