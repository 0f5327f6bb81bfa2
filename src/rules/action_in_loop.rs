use super::{Candidate, Check, Checker, call_span, declare_rule, mentions};
use crate::model::Kind;

declare_rule! {
    /// ## What it does
    /// Flags an action (`count`, `collect`, `toPandas`, `show`, `take`, `first`,
    /// `head`, `foreach`, a `write...save/parquet/...`) on Spark data inside a
    /// loop, including in a `while` condition, when every iteration reads the same
    /// input. Loops over a small literal collection (`loop-threshold`, 10 items by
    /// default) are not flagged, nor loops whose iterations each work on other data:
    /// a different table or path (`spark.table(t)` for `t` in the loop), or the loop
    /// variable itself (`for df in frames`).
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
    let value = model.value(receiver);
    let runs_job = if WRITES.contains(&method) {
        value.kind == Kind::Writer
    } else {
        value.is_distributed()
    };
    if !runs_job {
        return;
    }
    let Some(lp) = model.loop_around(&violation.byte_range()) else {
        return;
    };
    // Each iteration reading its own table or path is work a single job would do
    // as well: only a loop that rereads the same input is flagged.
    if !lp.targets.is_empty() && reads_per_iteration(checker, receiver, &lp.targets, &lp.body) {
        return;
    }
    checker.report(
        call_span(candidate),
        format!(
            "`{method}()` inside a loop runs a Spark job, and rereads its input, on every iteration"
        ),
    );
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
    checker: &Checker<'_, '_>,
    receiver: tree_sitter::Node<'_>,
    targets: &[&str],
    body: &std::ops::Range<usize>,
) -> bool {
    let model = checker.model;
    let mut node = receiver;
    for _ in 0..8 {
        let chain = model.method_chain(node);
        // `for df in frames: df.count()`: each iteration has its own data.
        if chain.root.kind() == "identifier" && targets.contains(&model.text(chain.root)) {
            return true;
        }
        if matches!(
            model.value(chain.root).kind,
            Kind::Session | Kind::Context | Kind::Reader
        ) {
            // Every argument up to the call that reads the source names it.
            for call in &chain.calls {
                if let Some(args) = call.args {
                    let text = model.text(args);
                    let named = if call.name == "sql" {
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
        if chain.root.kind() != "identifier" {
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
