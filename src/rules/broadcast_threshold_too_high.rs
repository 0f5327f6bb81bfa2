use super::{Check, SettingContext, declare_rule};
use crate::model::settings::{Setting, human_size, parse_size};

declare_rule! {
    /// ## What it does
    /// Flags `spark.sql.autoBroadcastJoinThreshold` and
    /// `spark.sql.adaptive.autoBroadcastJoinThreshold` set above the
    /// `max-broadcast-threshold` setting (1 GiB by default), in code, in
    /// `spark-defaults.conf` or on a `spark-submit` line. `-1` (broadcasting off) is
    /// never flagged.
    ///
    /// ## Why is this bad?
    /// Every table whose estimated size is under the threshold is broadcast: the
    /// driver collects it and every executor receives a copy. Estimates are often
    /// far below the real size (after filters, on files without statistics), so a
    /// threshold in gigabytes turns ordinary joins into driver `OutOfMemoryError`s.
    ///
    /// ## Example
    /// ```python
    /// spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "4g")
    /// ```
    ///
    /// ## Use instead
    /// Keep the threshold at tens of megabytes and broadcast explicitly what is
    /// known to be small.
    /// ```python
    /// spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "50m")
    /// ```
    pub static BROADCAST_THRESHOLD_TOO_HIGH = {
        code: "SG204",
        name: "broadcast-threshold-too-high",
        severity: Warning,
        help: "keep the threshold at tens of MB and broadcast explicitly what is known to be small",
        check: Check::Setting(check),
    };
}

const KEYS: &[&str] = &[
    "spark.sql.autoBroadcastJoinThreshold",
    "spark.sql.adaptive.autoBroadcastJoinThreshold",
];

fn check(setting: &Setting, context: &SettingContext<'_>) -> Option<String> {
    if !KEYS.contains(&setting.key.as_str()) {
        return None;
    }
    let value = setting.value.as_deref()?;
    let bytes = parse_size(value)?;
    if bytes <= context.max_broadcast_threshold {
        return None;
    }
    Some(format!(
        "`{}` set to {value} ({}), above max-broadcast-threshold ({})",
        setting.key,
        human_size(bytes),
        human_size(context.max_broadcast_threshold)
    ))
}
