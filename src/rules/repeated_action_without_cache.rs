use super::{Candidate, Check, Checker, call_span, declare_rule};
use crate::lang::NodeExt;
use crate::model::Kind;
use crate::model::scope::CACHING;

declare_rule! {
    /// ## What it does
    /// Flags the second action (the `repeated-actions` setting, 2 by default) on
    /// one DataFrame whose lineage has a shuffle — a join, an aggregation, a
    /// sort, `distinct`, `repartition` — in the same function, when nothing caches,
    /// persists or checkpoints it first.
    ///
    /// ## Why is this bad?
    /// A DataFrame stores no data. Each action runs the whole lineage again, from
    /// reading the source through every shuffle: two actions on a joined and
    /// aggregated DataFrame read and shuffle everything twice.
    ///
    /// ## Example
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// events = spark.table("events")
    /// users = spark.table("users")
    /// daily = events.join(users, "user_id").groupBy("day").agg(F.sum("amount"))
    /// print(daily.count())
    /// daily.write.parquet("marts/daily")
    /// ```
    ///
    /// ## Use instead
    /// Cache it before the first action (and `unpersist()` when done), or fold the
    /// actions into one.
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// events = spark.table("events")
    /// users = spark.table("users")
    /// daily = events.join(users, "user_id").groupBy("day").agg(F.sum("amount")).cache()
    /// print(daily.count())
    /// daily.write.parquet("marts/daily")
    /// daily.unpersist()
    /// ```
    pub static REPEATED_ACTION_WITHOUT_CACHE = {
        code: "SG303",
        name: "repeated-action-without-cache",
        severity: Info,
        help: "`cache()` it before the first action (and `unpersist()` when done), or combine the actions",
        check: Check::Query(check),
    };
}

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let (Some(receiver), Some(violation)) = (candidate.get("receiver"), candidate.get("violation"))
    else {
        return;
    };
    let model = checker.model;
    // This call must run a job itself (`groupBy(..).count()` does not).
    let target = model.value(receiver);
    if !(target.is_distributed() || target.kind == Kind::Writer) {
        return;
    }
    let root = model.chain_root(receiver);
    if root.kind_name() != "identifier" {
        return;
    }
    let value = model.value(root);
    // An RDD keeps its shuffle output between jobs (later jobs skip those
    // stages); a DataFrame plans, and shuffles, anew for every action.
    if value.kind != Kind::DataFrame || !value.shuffled || value.cached {
        return;
    }
    let Some(binding) = model.binding_id(root) else {
        return;
    };
    let body = model.body_at(violation.start_byte());
    let name = model.text(root);
    let threshold = checker.repeated_actions.max(2) as usize;
    // The actions on the same definition, in the same function, up to this one.
    let mut uses = 0;
    let mut first = None;
    let mut cached = false;
    let sites = model.action_sites();
    for &at in model.actions_on(binding) {
        let site = &sites[at];
        if site.call.start_byte() >= violation.end_byte() {
            break;
        }
        if model.body_at(site.call.start_byte()) != body
            || model.exclusive(site.call.start_byte(), violation.start_byte())
        {
            continue;
        }
        let site_root = model.chain_root(site.receiver);
        if model.text(site_root) != name {
            continue;
        }
        if CACHING.contains(&site.name) {
            // `df.cache()` between the definition and this action.
            cached |= site.receiver == site_root;
            continue;
        }
        let target = model.value(site.receiver);
        if target.is_distributed() || target.kind == Kind::Writer {
            uses += 1;
            first.get_or_insert(site.call);
            if uses > threshold {
                // Reported at the threshold-th action already.
                return;
            }
        }
    }
    if cached || uses != threshold {
        return;
    }
    let Some(first) = first else {
        return;
    };
    let place = (checker.place)(first.start_byte());
    checker.report(
        call_span(candidate),
        format!(
            "action number {threshold} on `{name}` (first on {place}) recomputes its joins and aggregations from the source"
        ),
    );
    if let Some(finding) = checker.findings.last_mut() {
        finding
            .related
            .push((first.byte_range(), format!("first action on `{name}`")));
    }
}
