//! Just enough SQL to tell whether a query's result is evidently small: a command
//! (`DESCRIBE`, `SHOW`, `INSERT`, ...), a small `LIMIT` on the outer query, an outer
//! `SELECT` of aggregates only with no `GROUP BY`, or a `WHERE` that fixes an
//! identifier column to one value. Anything it does not understand is not small.

use super::api::{AGGREGATE_FUNCTIONS, GATHERING_AGGREGATES};
use super::{Cardinality, FewRows, Key, ModelOptions, OneRow, Size};

/// Statements whose result is metadata, a status, or nothing: never the rows of a
/// table.
const COMMANDS: &[&str] = &[
    "add", "alter", "analyze", "cache", "clear", "comment", "convert", "create", "delete", "desc",
    "describe", "drop", "explain", "fsck", "grant", "insert", "list", "load", "merge", "msck",
    "optimize", "refresh", "repair", "replace", "reset", "restore", "revoke", "set", "show",
    "truncate", "uncache", "update", "use", "vacuum",
];

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Number(i64),
    Open,
    Close,
    Comma,
    Str,
    /// `=`
    Eq,
    Other,
}

fn tokens(sql: &str) -> Vec<(Token, usize)> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'-' && bytes.get(i + 1) == Some(&b'-') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if c == b'\'' || c == b'"' || c == b'`' {
            i += 1;
            while i < bytes.len() && bytes[i] != c {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push((Token::Str, depth));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                i += 1;
            }
            match sql[start..i].parse::<i64>() {
                Ok(n) => out.push((Token::Number(n), depth)),
                Err(_) => out.push((Token::Other, depth)),
            }
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push((Token::Word(sql[start..i].to_ascii_lowercase()), depth));
        } else if c == b'(' {
            out.push((Token::Open, depth));
            depth += 1;
            i += 1;
        } else if c == b')' {
            depth = depth.saturating_sub(1);
            out.push((Token::Close, depth));
            i += 1;
        } else if c == b'=' {
            out.push((Token::Eq, depth));
            i += 1;
        } else if c == b',' {
            out.push((Token::Comma, depth));
            i += 1;
        } else {
            // Skip one whole character (the text may hold non-ASCII).
            i += sql[i..].chars().next().map_or(1, char::len_utf8);
            out.push((Token::Other, depth));
        }
    }
    out
}

fn is_word(token: &Token, word: &str) -> bool {
    matches!(token, Token::Word(w) if w == word)
}

/// How big the result of `sql` evidently is, when the text says: `None` when it
/// may be every row of a table.
pub fn size(sql: &str, options: &ModelOptions) -> Option<Size> {
    let tokens = tokens(sql);
    if let Some((Token::Word(first), 0)) = tokens.first()
        && COMMANDS.contains(&first.as_str())
    {
        return Some(Size::One(OneRow::SqlCommand));
    }
    if is_bounded_tokens(&tokens, options.small_count) {
        return Some(if has_outer_limit(&tokens, options.small_count) {
            Size::Few(FewRows::Limit)
        } else {
            Size::One(OneRow::Aggregate)
        });
    }
    if point_lookup(&tokens, options) {
        return Some(Size::Few(FewRows::PointLookup));
    }
    per_key(&tokens, options).map(Size::PerKey)
}

/// The key of an outer `SELECT DISTINCT a, b FROM ...` or `... GROUP BY a, b`: one
/// row per distinct value of it. A column written as a plain name is judged by its
/// name; anything else (an expression, a quoted name, `*`) is of unknown cardinality.
fn per_key(tokens: &[(Token, usize)], options: &ModelOptions) -> Option<Key> {
    let top: Vec<&Token> = tokens
        .iter()
        .filter(|(_, depth)| *depth == 0)
        .map(|(t, _)| t)
        .collect();
    // Several results joined or combined: the key says nothing alone.
    if top.iter().any(|t| {
        ["union", "intersect", "except", "join"]
            .iter()
            .any(|w| is_word(t, w))
    }) {
        return None;
    }
    let columns: &[&Token] = if matches!(top.as_slice(), [first, second, ..] if is_word(first, "select") && is_word(second, "distinct"))
    {
        let end = top.iter().position(|t| is_word(t, "from"))?;
        &top[2..end]
    } else {
        let at = top
            .windows(2)
            .position(|w| is_word(w[0], "group") && is_word(w[1], "by"))?;
        let rest = &top[at + 2..];
        let end = rest
            .iter()
            .position(|t| {
                [
                    "having",
                    "order",
                    "limit",
                    "window",
                    "qualify",
                    "sort",
                    "cluster",
                    "distribute",
                ]
                .iter()
                .any(|w| is_word(t, w))
            })
            .unwrap_or(rest.len());
        &rest[..end]
    };
    let mut key: Option<Key> = None;
    for item in columns.split(|t| matches!(t, Token::Comma)) {
        let cardinality = match item {
            [Token::Word(name)] if !GROUPING_WORDS.contains(&name.as_str()) => {
                super::keys::cardinality(name, options)
            }
            // `t.name`: the column part says.
            [Token::Word(_), Token::Other, Token::Word(name)] => {
                super::keys::cardinality(name, options)
            }
            [] => return None,
            _ => Cardinality::Unknown,
        };
        // Not written in the file as such: the SQL text names it.
        let part = Key::new(0..0, cardinality);
        key = Some(key.map_or(part, |k| k.combine(part)));
    }
    key
}

/// `GROUP BY ALL`, `ROLLUP`, `CUBE`, `GROUPING SETS`: not a plain column.
const GROUPING_WORDS: &[&str] = &["all", "rollup", "cube", "grouping"];

/// A small `LIMIT n` closes the outer query.
fn has_outer_limit(tokens: &[(Token, usize)], small: i64) -> bool {
    let top: Vec<&Token> = tokens
        .iter()
        .filter(|(_, depth)| *depth == 0)
        .map(|(t, _)| t)
        .collect();
    matches!(
        top.iter().rposition(|t| is_word(t, "limit")).and_then(|pos| top.get(pos + 1)),
        Some(Token::Number(n)) if *n <= small
    )
}

/// The outer `WHERE` compares an identifier column to one value with `=` (and no
/// `OR`, no `GROUP BY`, no set operation).
fn point_lookup(tokens: &[(Token, usize)], options: &ModelOptions) -> bool {
    let top: Vec<&Token> = tokens
        .iter()
        .filter(|(_, depth)| *depth == 0)
        .map(|(t, _)| t)
        .collect();
    if top.iter().any(|t| {
        ["or", "group", "union", "intersect", "except", "join", "in"]
            .iter()
            .any(|w| is_word(t, w))
    }) {
        return false;
    }
    let Some(at) = top.iter().position(|t| is_word(t, "where")) else {
        return false;
    };
    let rest = &top[at + 1..];
    rest.windows(3).any(|w| match (w[0], w[1], w[2]) {
        (Token::Word(column), Token::Eq, Token::Number(_) | Token::Str) => {
            super::keys::cardinality(column, options) == Cardinality::High
        }
        _ => false,
    })
}

/// Whether the result of `sql` is evidently at most a few rows.
pub fn is_bounded(sql: &str, small: i64) -> bool {
    is_bounded_tokens(&tokens(sql), small)
}

fn is_bounded_tokens(tokens: &[(Token, usize)], small: i64) -> bool {
    let top: Vec<&Token> = tokens
        .iter()
        .filter(|(_, depth)| *depth == 0)
        .map(|(t, _)| t)
        .collect();
    // A set operation joins several results: leave it alone.
    if top
        .iter()
        .any(|t| is_word(t, "union") || is_word(t, "intersect") || is_word(t, "except"))
    {
        return false;
    }
    // `... LIMIT n` at the end of the outer query.
    if let Some(pos) = top.iter().rposition(|t| is_word(t, "limit"))
        && let Some(Token::Number(n)) = top.get(pos + 1)
        && *n <= small
    {
        return true;
    }
    if top.iter().any(|t| is_word(t, "group")) {
        return false;
    }
    // The outer SELECT list: items between `select` and `from` at depth 0.
    let Some(select) = tokens
        .iter()
        .position(|(t, depth)| *depth == 0 && is_word(t, "select"))
    else {
        return false;
    };
    let Some(from) = tokens[select..]
        .iter()
        .position(|(t, depth)| *depth == 0 && is_word(t, "from"))
    else {
        // `SELECT current_version()`: no table, one row.
        return !top
            .iter()
            .any(|t| is_word(t, "explode") || is_word(t, "lateral") || is_word(t, "values"));
    };
    let end = select + from;
    let items = &tokens[select + 1..end];
    if items.is_empty() {
        return false;
    }
    items
        .split(|(t, depth)| *depth == 0 && *t == Token::Comma)
        .all(|item| aggregate_item(item) == Some(false))
}

/// Whether a SQL column expression (`count(*) AS n`) is an aggregate: `Some(gathers)`
/// where `gathers` says it collects rows into one value (`collect_list`).
pub fn aggregate_expression(text: &str) -> Option<bool> {
    let tokens = tokens(text);
    if tokens.is_empty() || tokens.iter().any(|(t, d)| *d == 0 && *t == Token::Comma) {
        return None;
    }
    aggregate_item(&tokens)
}

/// An item of the select list that is an aggregate call (maybe inside arithmetic and
/// with an alias) or a literal: `Some(gathers)`, where `gathers` says an aggregate
/// collects rows into one value.
fn aggregate_item(item: &[(Token, usize)]) -> Option<bool> {
    let mut saw_aggregate = false;
    let mut gathers = false;
    let mut i = 0;
    while i < item.len() {
        let (token, depth) = &item[i];
        if *depth > 0 {
            i += 1;
            continue;
        }
        match token {
            Token::Word(word) if matches!(item.get(i + 1), Some((Token::Open, _))) => {
                if AGGREGATE_FUNCTIONS.contains(&word.as_str()) {
                    gathers |= GATHERING_AGGREGATES.contains(&word.as_str());
                    saw_aggregate = true;
                } else if !matches!(word.as_str(), "round" | "coalesce" | "cast" | "nvl") {
                    return None;
                }
            }
            Token::Word(word) if word == "over" => return None,
            Token::Word(word) if word == "as" => break,
            Token::Word(_) if i > 0 => break, // an alias without AS
            Token::Word(_) => return None,    // a bare column
            _ => {}
        }
        i += 1;
    }
    let literal = item
        .iter()
        .all(|(t, _)| matches!(t, Token::Number(_) | Token::Str));
    (saw_aggregate || literal).then_some(gathers)
}

#[cfg(test)]
mod tests {
    use super::{is_bounded, size};
    use crate::model::{FewRows, ModelOptions, OneRow, Size};

    #[test]
    fn commands_are_one_row() {
        let options = ModelOptions::default();
        for sql in [
            "DESCRIBE TABLE events",
            "desc events",
            "SHOW TABLES IN lake",
            "INSERT INTO t SELECT * FROM u",
            "  create table t as select * from u",
            "MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET *",
            "OPTIMIZE events ZORDER BY (user_id)",
            "MSCK REPAIR TABLE t",
        ] {
            assert_eq!(
                size(sql, &options),
                Some(Size::One(OneRow::SqlCommand)),
                "{sql}"
            );
        }
        assert_eq!(size("SELECT * FROM t", &options), None);
        assert_eq!(size("WITH x AS (SELECT 1) SELECT * FROM t", &options), None);
    }

    #[test]
    fn a_where_on_an_identifier_is_a_point_lookup() {
        let options = ModelOptions::default();
        let lookup = Some(Size::Few(FewRows::PointLookup));
        assert_eq!(size("SELECT * FROM users WHERE id = 42", &options), lookup);
        assert_eq!(
            size(
                "SELECT * FROM users WHERE user_id = 'x' AND active = true",
                &options
            ),
            lookup
        );
        assert_eq!(
            size("SELECT * FROM users WHERE country = 'NZ'", &options),
            None
        );
        assert_eq!(size("SELECT * FROM users WHERE id >= 42", &options), None);
        assert_eq!(
            size("SELECT * FROM users WHERE id = 1 OR id = 2", &options),
            None
        );
    }

    #[test]
    fn distinct_and_group_by_are_one_row_per_key() {
        use crate::model::Cardinality;
        let options = ModelOptions::default();
        let cardinality = |sql: &str| match size(sql, &options) {
            Some(Size::PerKey(key)) => Some(key.cardinality),
            _ => None,
        };
        assert_eq!(
            cardinality("SELECT DISTINCT country FROM users"),
            Some(Cardinality::Low)
        );
        assert_eq!(
            cardinality("select distinct user_id from events where day = '2024-01-01'"),
            Some(Cardinality::High)
        );
        assert_eq!(
            cardinality("SELECT DISTINCT `x` FROM t"),
            Some(Cardinality::Unknown)
        );
        assert_eq!(
            cardinality("SELECT country, count(*) FROM users GROUP BY country ORDER BY 2"),
            Some(Cardinality::Low)
        );
        assert_eq!(
            cardinality(
                "SELECT u.region, u.user_id, sum(x) FROM users u GROUP BY u.region, u.user_id"
            ),
            Some(Cardinality::High)
        );
        assert_eq!(
            cardinality("SELECT a, count(*) FROM t GROUP BY ALL"),
            Some(Cardinality::Unknown)
        );
        // Not one key: joins and set operations, and plain selects.
        assert_eq!(
            cardinality("SELECT DISTINCT country FROM a JOIN b ON a.id = b.id"),
            None
        );
        assert_eq!(
            cardinality("SELECT country FROM a UNION SELECT country FROM b"),
            None
        );
        assert_eq!(cardinality("SELECT * FROM t"), None);
        // A key inside a subquery is not the outer result's.
        assert_eq!(
            cardinality("SELECT * FROM (SELECT DISTINCT country FROM t) x"),
            None
        );
    }

    #[test]
    fn aggregates_without_group_by_are_small() {
        assert!(is_bounded("SELECT COUNT(*) FROM t", 100));
        assert!(is_bounded(
            "select max(ts) as latest, min(ts) from events where x > 1",
            100
        ));
        assert!(is_bounded("SELECT count(DISTINCT user_id) n FROM t", 100));
        assert!(!is_bounded("SELECT k, COUNT(*) FROM t GROUP BY k", 100));
        assert!(!is_bounded("SELECT * FROM t", 100));
        assert!(!is_bounded("SELECT collect_list(x) FROM t", 100));
        assert!(!is_bounded(
            "SELECT count(*) OVER (PARTITION BY k) FROM t",
            100
        ));
        assert!(!is_bounded(
            "SELECT count(*) FROM a UNION ALL SELECT count(*) FROM b",
            100
        ));
    }

    #[test]
    fn a_small_outer_limit_is_small() {
        assert!(is_bounded("SELECT * FROM t LIMIT 10", 100));
        assert!(!is_bounded("SELECT * FROM t LIMIT 1000000", 100));
        assert!(!is_bounded(
            "SELECT * FROM (SELECT * FROM t LIMIT 10) JOIN u",
            100
        ));
        assert!(is_bounded(
            "SELECT * FROM (SELECT * FROM t) x ORDER BY a LIMIT 5",
            100
        ));
    }
}
