use crate::lang::NodeExt;
use tree_sitter::Node;

use super::{Candidate, Check, Checker, call_span, declare_rule, mentions};
use crate::model::scope::{ACTIONS, Chain, Loop, Pacing};
use crate::model::{Kind, SparkModel};

declare_rule! {
    /// ## What it does
    /// Flags an action (`count`, `collect`, `toPandas`, `show`, `take`, `first`,
    /// `head`, `foreach`, a `write...save/parquet/...`) on Spark data inside a
    /// loop (`for`, `while` and its condition, a comprehension, Scala's `.foreach`
    /// and `.map` over a local collection, a `match` arm inside them) when every
    /// iteration reads the same input: the same DataFrame acted on each time, or a
    /// slice of it by the loop variable that is not cached. One finding per loop, on
    /// its first action; the others are related positions.
    ///
    /// Not flagged: loops over a small literal collection (`loop-threshold`, 10
    /// items by default, also a parameter every call site in the project passes one
    /// for, and a list constant of another module);
    /// iterations that each work on other data (a table, path or query named by the
    /// loop variable, or the loop variable itself); metadata commands (`DESCRIBE`,
    /// `SHOW`, `spark.catalog`); polls (the body sleeps) and benchmarks (it reads a
    /// clock around the same job each time); iterative algorithms that checkpoint; a write per iteration to an
    /// output the loop variable names (or a name the body derives from it), of data that is not a slice by it;
    /// `Option.foreach`; and tests a ScalaTest loop registers.
    ///
    /// ## Why is this bad?
    /// Every action is a Spark job: it plans the query in the driver, schedules its
    /// stages and reads the input again. A loop over dates, keys or thresholds that
    /// filters the same DataFrame and counts or writes each time scans the source
    /// once per iteration, with all the scheduling overhead, where one job could do
    /// it all.
    ///
    /// ## Example
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// events = spark.table("events")
    /// days = [f"2026-01-{d:02d}" for d in range(1, 15)]
    /// report = {}
    /// for day in days:
    ///     report[day] = events.filter(F.col("day") == day).count()
    /// ```
    ///
    /// ## Use instead
    /// Compute every iteration in one job: group by the loop dimension, join with
    /// the list of keys, or write partitioned output; `cache()` what every
    /// iteration reuses when a loop cannot be avoided.
    /// ```python
    /// from pyspark.sql import functions as F
    ///
    /// events = spark.table("events")
    /// days = [f"2026-01-{d:02d}" for d in range(1, 15)]
    /// report = events.filter(F.col("day").isin(days)).groupBy("day").count()
    /// report.write.parquet("daily_counts")
    /// ```
    pub static ACTION_IN_LOOP = {
        code: "SG302",
        name: "action-in-loop",
        severity: Warning,
        help: "compute all iterations in one job (`groupBy` over the loop dimension, a join with the list of keys, `write.partitionBy(...)`), or `cache()` what every iteration reuses",
        check: Check::Query(check),
    };
}

/// Writer methods that run a job.
const WRITES: &[&str] = crate::model::scope::WRITES;

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let (Some(receiver), Some(method), Some(violation)) = (
        candidate.get("receiver"),
        candidate.get("method"),
        candidate.get("violation"),
    ) else {
        return;
    };
    let model = checker.model;
    let method = model.text(method);
    let Some(verdict) = judge(model, receiver, method, violation) else {
        return;
    };
    // One finding per loop: the first action in it, with the others related.
    let mut later = Vec::new();
    for site in model.action_sites() {
        let call = site.call;
        if call.id() == violation.id()
            || call.start_byte() < verdict.lp.body.start
            || call.end_byte() > verdict.lp.body.end
        {
            continue;
        }
        let Some(other) = judge(model, site.receiver, site.name, call) else {
            continue;
        };
        if other.lp.range != verdict.lp.range {
            continue;
        }
        if call.start_byte() < violation.start_byte() {
            return;
        }
        later.push((
            call.byte_range(),
            format!("`{}()` runs another job here", site.name),
        ));
    }
    checker.report(call_span(candidate), verdict.message);
    if let Some(finding) = checker.findings.last_mut() {
        finding.related.extend(later);
    }
}

/// Why an action in a loop is a finding.
struct Verdict<'l, 't> {
    lp: &'l Loop<'t>,
    message: String,
}

/// Whether the action `method` on `receiver` (the whole call is `call`) runs a
/// needless job on every iteration of a loop around it.
fn judge<'l, 't>(
    model: &'l SparkModel<'t>,
    receiver: Node<'t>,
    method: &str,
    call: Node<'t>,
) -> Option<Verdict<'l, 't>> {
    let write = WRITES.contains(&method);
    if !write && !ACTIONS.contains(&method) {
        return None;
    }
    let value = model.value(receiver);
    let runs_job = if write {
        value.kind == Kind::Writer
    } else {
        value.is_distributed()
    };
    if !runs_job {
        return None;
    }
    let lp = model.loop_around(&call.byte_range())?;
    // An action on one iteration only (`if c == "id":`, or just before `break`)
    // runs once.
    if model.runs_at_most_once(lp, call) {
        return None;
    }
    // Polls run their job on purpose; iterative algorithms that checkpoint keep
    // each iteration's job short.
    if model.pacing(lp) == Pacing::Sleeps || model.checkpoints(lp) || metadata_only(model, receiver)
    {
        return None;
    }
    // Each iteration reading its own table or path is work a single job would do
    // as well: only a loop that rereads the same input is flagged.
    if !lp.targets.is_empty() && reads_per_iteration(model, receiver, &lp.targets, &lp.body) {
        return None;
    }
    let chain = model.method_chain(receiver);
    let filtered_by_target = chain.calls.iter().any(|c| {
        matches!(c.name, "filter" | "where")
            && c.args.is_some_and(|a| mentions(model.text(a), &lp.targets))
    });
    // A write whose output is named by the loop variable (or by a name the body
    // derives from it: `url = f"{root}/{d}"`), of data that is not a slice of the
    // same input by that variable: each iteration makes its own output.
    if write && !filtered_by_target {
        let mut naming: Vec<&str> = lp.targets.clone();
        naming.extend(
            model
                .reassignments_in(&lp.body)
                .iter()
                .filter(|r| {
                    r.target.kind_name() == "identifier"
                        && r.value.end_byte() <= call.start_byte()
                        && mentions(model.text(r.value), &lp.targets)
                })
                .map(|r| model.text(r.target)),
        );
        if model
            .text(call)
            .get(receiver.end_byte() - call.start_byte()..)
            .is_some_and(|rest| mentions(rest, &naming))
        {
            return None;
        }
    }
    // The same DataFrame every time: nothing in the receiver changes per iteration.
    let changing: Vec<&str> = model
        .reassignments_in(&lp.range)
        .iter()
        .map(|r| model.text(r.target))
        .chain(lp.targets.iter().copied())
        .collect();
    // `self.df = self.df.filter(rule)` in the loop: the attribute changes too (and
    // when it is cached each time, the action reads the cache).
    let attribute_changes: Vec<_> = model
        .reassignments_in(&lp.range)
        .into_iter()
        .filter(|r| r.target.kind_name() != "identifier")
        .filter(|r| mentions_path(model.text(receiver), model.text(r.target)))
        .collect();
    if attribute_changes
        .iter()
        .any(|r| model.value(r.value).cached)
    {
        return None;
    }
    let attribute_changes = !attribute_changes.is_empty();
    let invariant = !mentions(model.text(receiver), &changing)
        && !attribute_changes
        && chain.root.kind_name() == "identifier"
        && !carried(model, lp, chain.root);
    // A benchmark times the same job on every iteration; a loop that times jobs
    // that differ per iteration only logs how long the waste took.
    if invariant && model.pacing(lp) == Pacing::Timed {
        return None;
    }
    let root = model.value(chain.root);
    // Slicing a cached input per iteration reads the cache, not the source.
    if root.cached && !invariant {
        return None;
    }
    let message = if invariant {
        format!(
            "`{method}()` on the same {} in every iteration of a loop runs the same Spark job each time",
            value_name(value)
        )
    } else if root.is_small() || local_data(model, &chain) {
        format!("`{method}()` inside a loop runs a Spark job on every iteration")
    } else {
        format!(
            "`{method}()` inside a loop runs a Spark job, and rereads its input, on every iteration"
        )
    };
    Some(Verdict { lp, message })
}

fn value_name(value: crate::model::Value) -> &'static str {
    match value.kind {
        Kind::Writer => "DataFrame",
        _ => value.describe(),
    }
}

/// Whether `text` uses the dotted name `path` (`self.df` in `self.df.filter(x)`,
/// not in `self.dfs`).
fn mentions_path(text: &str, path: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(path).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + path.len()..].chars().next();
        !before.is_some_and(|c| word(c) || c == '.') && !after.is_some_and(word)
    })
}

/// Whether the name `root` changes from one iteration of `lp` to the next: bound
/// or reassigned inside the loop.
fn carried<'t>(model: &SparkModel<'t>, lp: &Loop<'t>, root: Node<'t>) -> bool {
    let name = model.text(root);
    if lp.targets.contains(&name) {
        return true;
    }
    if model
        .definition(root)
        .is_some_and(|d| lp.range.start <= d.start_byte() && d.end_byte() <= lp.range.end)
    {
        return true;
    }
    model
        .reassignments_in(&lp.range)
        .iter()
        .any(|r| model.text(r.target) == name)
}

/// Data built in the driver: `spark.createDataFrame(rows)`, `spark.range(n)`,
/// `sc.parallelize(items)`.
fn local_data(model: &SparkModel<'_>, chain: &Chain<'_>) -> bool {
    matches!(model.value(chain.root).kind, Kind::Session | Kind::Context)
        && chain.calls.first().is_some_and(|c| {
            matches!(
                c.name,
                "createDataFrame" | "createDataset" | "range" | "parallelize"
            )
        })
}

/// Commands that read only metadata: `spark.sql("DESCRIBE ...")`, `SHOW`,
/// `EXPLAIN`, and anything through `spark.catalog`.
fn metadata_only(model: &SparkModel<'_>, receiver: Node<'_>) -> bool {
    let chain = model.method_chain(receiver);
    if model.value(chain.root).kind != Kind::Session {
        return false;
    }
    let Some(first) = chain.calls.first() else {
        return false;
    };
    if first.name == "catalog" {
        return true;
    }
    if first.name != "sql" {
        return false;
    }
    let Some(query) = first.args.and_then(|a| model.argument(a, 0, &["sqlQuery"])) else {
        return false;
    };
    let text = model
        .text(query)
        .trim_start_matches(|c: char| c.is_ascii_alphabetic() && c.is_ascii_lowercase())
        .trim_start_matches(['"', '\'', '(', ' ', '\n'])
        .to_ascii_uppercase();
    ["DESCRIBE", "DESC ", "SHOW", "EXPLAIN"]
        .iter()
        .any(|k| text.starts_with(k))
}

/// Calls that read a source: their arguments name what is read.
const SOURCES: &[&str] = &[
    "table",
    "sql",
    "load",
    "parquet",
    "csv",
    "json",
    "orc",
    "text",
    "textFile",
    "jdbc",
    "delta",
    "avro",
    "xml",
    "wholeTextFiles",
    "binaryFiles",
    "forPath",
    "forName",
];

/// Whether the data `receiver` stands for differs per iteration: the loop variable
/// itself, or read from a source it names (`spark.table(t)`,
/// `spark.read.format("delta").load(path_of(t))`, `spark.sql(f"SELECT * FROM {t}")`),
/// or a name bound in the loop body to such a read.
fn reads_per_iteration(
    model: &SparkModel<'_>,
    receiver: Node<'_>,
    targets: &[&str],
    body: &std::ops::Range<usize>,
) -> bool {
    let mut node = receiver;
    for _ in 0..8 {
        let chain = model.method_chain(node);
        // `for df in frames: df.count()`: each iteration has its own data.
        if chain.root.kind_name() == "identifier" && targets.contains(&model.text(chain.root)) {
            return true;
        }
        // `self.spark.sql(...)`, `ctx.spark.table(...)`: a session held by an object.
        let held_session = chain.calls.first().is_some_and(|c| {
            c.args.is_none()
                && matches!(
                    c.name,
                    "spark" | "sparkSession" | "spark_session" | "sqlContext" | "sc"
                )
        });
        // Data built in the driver per item (`spark.createDataFrame([row])`) is one
        // job per item where one job over all items would do.
        if local_data(model, &chain) {
            return false;
        }
        if held_session
            || matches!(
                model.value(chain.root).kind,
                Kind::Session | Kind::Context | Kind::Reader
            )
        {
            // Every argument up to the call that reads the source names it.
            for call in &chain.calls {
                if let Some(args) = call.args {
                    let text = model.text(args);
                    // A query text that is not written out (`spark.sql(rule["query"])`)
                    // and depends on the loop variable is another query each time.
                    let written = call.name == "sql"
                        && model
                            .argument(args, 0, &["sqlQuery"])
                            .is_some_and(|q| !model.string_parts(q).is_empty());
                    let named = if written {
                        sql_names_source(text, targets)
                    } else {
                        mentions(text, targets)
                    };
                    if named {
                        return true;
                    }
                }
                if SOURCES.contains(&call.name) {
                    break;
                }
            }
            return false;
        }
        if chain.root.kind_name() != "identifier" {
            return false;
        }
        // A name bound inside the loop: follow it to what it was bound to.
        match model.definition(chain.root) {
            Some(value) if body.start <= value.start_byte() && value.end_byte() <= body.end => {
                node = value;
            }
            _ => return false,
        }
    }
    false
}

/// Whether a loop variable sits where SQL text names a table (after `FROM`,
/// `JOIN`, `TABLE` or `INTO`), rather than in a condition on the same table.
fn sql_names_source(sql: &str, targets: &[&str]) -> bool {
    let lower = sql.to_ascii_lowercase();
    let words: Vec<(usize, &str)> = word_positions(&lower);
    words.iter().enumerate().any(|(i, (_, word))| {
        if !targets.contains(word) {
            return false;
        }
        // The nearest keyword before the variable decides its role.
        words[..i]
            .iter()
            .rev()
            .map(|(_, w)| *w)
            .find(|w| {
                matches!(
                    *w,
                    "from"
                        | "join"
                        | "table"
                        | "into"
                        | "where"
                        | "and"
                        | "or"
                        | "on"
                        | "select"
                        | "having"
                        | "by"
                        | "limit"
                        | "when"
                        | "then"
                        | "set"
                        | "in"
                )
            })
            .is_some_and(|w| matches!(w, "from" | "join" | "table" | "into"))
    })
}

/// The identifier-like words of `text` with their offsets.
fn word_positions(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word_char = c.is_alphanumeric() || c == '_';
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &text[s..]));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::sql_names_source;

    #[test]
    fn a_loop_variable_names_the_source_only_in_table_position() {
        assert!(sql_names_source("f\"SELECT * FROM {t}\"", &["t"]));
        assert!(sql_names_source("s\"SELECT a FROM db.$t JOIN u\"", &["t"]));
        assert!(!sql_names_source(
            "f\"SELECT count(*) FROM events WHERE day = '{d}'\"",
            &["d"]
        ));
        assert!(!sql_names_source("\"SELECT * FROM events\"", &["d"]));
    }
}
