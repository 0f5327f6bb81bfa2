//! Just enough SQL to tell whether a query's result is evidently small: a small
//! `LIMIT` on the outer query, or an outer `SELECT` of aggregates only with no
//! `GROUP BY`. Anything it does not understand is not small.

use super::api::{AGGREGATE_FUNCTIONS, GATHERING_AGGREGATES};

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Number(i64),
    Open,
    Close,
    Comma,
    Str,
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

/// Whether the result of `sql` is evidently at most a few rows.
pub fn is_bounded(sql: &str, small: i64) -> bool {
    let tokens = tokens(sql);
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
    use super::is_bounded;

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
