use super::{Candidate, Check, Checker, declare_rule};
use crate::model::{Kind, ModelOptions};

declare_rule! {
    /// ## What it does
    /// Flags `/*+ BROADCAST(t) */`, `BROADCASTJOIN` and `MAPJOIN` hints in SQL text
    /// that reaches `spark.sql(...)` — a literal, a multi-line or interpolated
    /// string, or a variable holding one — unless every hinted table is declared in
    /// the `small-tables` setting. The finding points at the hint inside the string.
    ///
    /// ## Why is this bad?
    /// The hint forces a broadcast join whatever the table's size: Spark collects
    /// the hinted table into the driver and copies it to every executor. Tables
    /// grow; the hint stays, and one day the driver runs out of memory.
    ///
    /// ## Example
    /// ```python
    /// spark.sql("""
    ///     SELECT /*+ BROADCAST(c) */ o.*, c.segment
    ///     FROM orders o JOIN customers c ON o.customer_id = c.customer_id
    /// """).write.parquet("orders_by_segment")
    /// ```
    ///
    /// ## Use instead
    /// Remove the hint and let adaptive execution pick the join, or declare the
    /// table small in config `small-tables` when it really is.
    /// ```python
    /// spark.sql(
    ///     "SELECT o.*, c.segment FROM orders o JOIN customers c ON o.customer_id = c.customer_id"
    /// ).write.parquet("orders_by_segment")
    /// ```
    pub static SQL_BROADCAST_HINT = {
        code: "SG203",
        name: "sql-broadcast-hint",
        severity: Warning,
        help: "remove the hint and let adaptive execution choose, or declare the table small in config `small-tables`",
        check: Check::Query(check),
    };
}

fn check(checker: &mut Checker<'_, '_>, candidate: &Candidate<'_>) {
    let (Some(receiver), Some(args)) = (candidate.get("receiver"), candidate.get("args")) else {
        return;
    };
    let model = checker.model;
    if model.value(receiver).kind != Kind::Session {
        return;
    }
    let Some(query) = model.argument(args, 0, &["sqlQuery"]) else {
        return;
    };
    for part in model.string_parts(query) {
        for (range, message) in hint_findings(model.text(part), model.options()) {
            let start = part.start_byte();
            checker.report(start + range.start..start + range.end, message);
        }
    }
}

/// The broadcast hints of SQL text that name a table not declared small, as
/// (range in `sql`, message). Shared by strings passed to `spark.sql` and by the
/// SQL cells of notebooks.
pub fn hint_findings(sql: &str, options: &ModelOptions) -> Vec<(std::ops::Range<usize>, String)> {
    broadcast_hints(sql)
        .into_iter()
        .filter(|hint| {
            hint.tables.is_empty() || !hint.tables.iter().all(|t| options.is_small_table(t))
        })
        .map(|hint| {
            let message = format!(
                "SQL hint `{}({})` broadcasts a table that is not declared small",
                hint.name,
                hint.tables.join(", ")
            );
            (hint.range, message)
        })
        .collect()
}

/// One broadcast hint found in SQL text.
#[derive(Debug, PartialEq)]
pub struct Hint {
    pub name: String,
    pub tables: Vec<String>,
    /// From the hint's name to its closing parenthesis, in `text`'s bytes.
    pub range: std::ops::Range<usize>,
}

/// The `BROADCAST`, `BROADCASTJOIN` and `MAPJOIN` hints inside `/*+ ... */`
/// comments of `text`.
pub fn broadcast_hints(text: &str) -> Vec<Hint> {
    let mut hints = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("/*+") {
        let at = from + open;
        let body_start = at + 3;
        // A hint inside a `--` line comment of the SQL is not applied.
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..at].contains("--") {
            from = body_start;
            continue;
        }
        let body_end = text[body_start..]
            .find("*/")
            .map_or(text.len(), |e| body_start + e);
        let body = &text[body_start..body_end];
        let upper = body.to_ascii_uppercase();
        let mut i = 0;
        while i < body.len() {
            let rest = &upper[i..];
            let name = ["BROADCASTJOIN", "BROADCAST", "MAPJOIN"]
                .into_iter()
                .find(|n| rest.starts_with(n));
            let boundary = i == 0 || !body.as_bytes()[i - 1].is_ascii_alphanumeric();
            match name {
                Some(name) if boundary => {
                    let after = i + name.len();
                    let args = body[after..].trim_start();
                    let args_start = body.len() - args.len();
                    let (tables, end) = match args.strip_prefix('(') {
                        Some(inner) => {
                            let close = inner.find(')').unwrap_or(inner.len());
                            let tables = inner[..close]
                                .split(',')
                                .map(|t| t.trim().trim_matches('`').to_string())
                                .filter(|t| !t.is_empty())
                                .collect();
                            (
                                tables,
                                args_start + 1 + close + usize::from(close < inner.len()),
                            )
                        }
                        None => (Vec::new(), after),
                    };
                    hints.push(Hint {
                        name: body[i..after].to_string(),
                        tables,
                        range: body_start + i..body_start + end,
                    });
                    i = end.max(i + 1);
                }
                _ => i += rest.chars().next().map_or(1, char::len_utf8),
            }
        }
        from = body_end;
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::broadcast_hints;

    #[test]
    fn finds_each_hint_and_its_tables() {
        let sql = "SELECT /*+ BROADCAST(c), MAPJOIN(d, e) */ * FROM o JOIN c";
        let hints = broadcast_hints(sql);
        assert_eq!(hints.len(), 2);
        assert_eq!(hints[0].tables, ["c"]);
        assert_eq!(&sql[hints[0].range.clone()], "BROADCAST(c)");
        assert_eq!(hints[1].tables, ["d", "e"]);
        assert_eq!(&sql[hints[1].range.clone()], "MAPJOIN(d, e)");
        let lower = broadcast_hints("select /*+ broadcastjoin(t) */ 1");
        assert_eq!(lower[0].name, "broadcastjoin");
        assert!(broadcast_hints("SELECT broadcast(x) FROM t").is_empty());
        assert!(broadcast_hints("SELECT /*+ REPARTITION(3) */ * FROM t").is_empty());
        assert!(broadcast_hints("/* BROADCAST(t) */ SELECT 1").is_empty());
        assert!(broadcast_hints("SELECT 1 -- /*+ BROADCAST(t) */\nFROM t").is_empty());
        assert_eq!(
            broadcast_hints("SELECT 1 -- old\nSELECT /*+ BROADCAST(t) */ 2").len(),
            1
        );
    }
}
