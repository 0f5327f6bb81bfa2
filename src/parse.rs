//! Parsing: one tree-sitter `Parser` per language per thread, and each language's
//! rule queries read once per process ([`crate::query`]), so a file is parsed once
//! and matched in a single walk.
//!
//! Before a text reaches the parser, [`check_limits`] measures how deeply it nests:
//! the Python grammar's C scanner aborts the whole process (an assertion, not an
//! error) once its indentation stack outgrows its 1 KiB state buffer, at about 510
//! nested blocks, and very deep brackets make trees that recursive code cannot walk.
//! A text past either limit is refused with an error that names the limit.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::sync::OnceLock;

use tree_sitter::{ParseOptions, Parser, Query, Tree};

use crate::guard;
use crate::lang::Language;
use crate::query::RuleQuery;
use crate::rules::{self, Rule};

thread_local! {
    static PARSERS: RefCell<[Option<Parser>; 2]> = const { RefCell::new([None, None]) };
}

fn slot(language: Language) -> usize {
    match language {
        Language::Python => 0,
        Language::Scala => 1,
    }
}

/// Python files may nest indented blocks at most this deep. CPython itself refuses
/// more than 100 levels; the grammar's scanner aborts the process at about 510.
pub const MAX_INDENT_DEPTH: usize = 200;

/// Brackets (`(`, `[`, `{`) may nest at most this deep, in either language. CPython
/// refuses more than 200; far deeper trees exhaust the stack of recursive walks.
pub const MAX_BRACKET_DEPTH: usize = 1000;

/// A text that nests deeper than sparkguard reads: what, and where it first does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooDeep {
    /// Byte offset of the line where the limit is passed.
    pub offset: usize,
    pub message: String,
}

impl TooDeep {
    /// `line N: ...`, counted in `text`.
    pub fn located(&self, text: &str) -> String {
        let line = text.as_bytes()[..self.offset.min(text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        format!("line {line}: {}", self.message)
    }
}

/// A text [`check_limits`] found within the limits: [`parse_within`] parses it
/// without measuring it again.
#[derive(Clone, Copy, Debug)]
pub struct WithinLimits<'a> {
    language: Language,
    text: &'a str,
}

/// Parses a text already found within the nesting limits (as [`parse`] does, less
/// the second measure).
pub fn parse_within(within: WithinLimits<'_>) -> Option<Tree> {
    parse_unchecked(within.language, within.text, None)
}

/// `Err` says which nesting limit `text` exceeds, and where.
pub fn check_limits(language: Language, text: &str) -> Result<WithinLimits<'_>, TooDeep> {
    let nesting = nesting(language, text);
    if nesting.indent > MAX_INDENT_DEPTH {
        return Err(TooDeep {
            offset: nesting.indent_at,
            message: format!(
                "indented blocks nest {} levels deep; sparkguard reads at most {MAX_INDENT_DEPTH} (Python itself stops at 100)",
                nesting.indent
            ),
        });
    }
    if nesting.bracket > MAX_BRACKET_DEPTH {
        return Err(TooDeep {
            offset: nesting.bracket_at,
            message: format!(
                "brackets nest {} levels deep; sparkguard reads at most {MAX_BRACKET_DEPTH}",
                nesting.bracket
            ),
        });
    }
    Ok(WithinLimits { language, text })
}

/// The deepest nesting of a text, and the offset of the line where it first passes
/// the limit.
#[derive(Debug, Default, PartialEq, Eq)]
struct Nesting {
    indent: usize,
    indent_at: usize,
    bracket: usize,
    bracket_at: usize,
}

/// The bytes [`nesting`] acts on; the others it steps over.
static NESTING_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"\n\\()[]{}#/'\"";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// Measures indentation (Python only: the levels of the stack the grammar's scanner
/// keeps, counted at the start of each logical line) and bracket nesting, skipping
/// strings and comments. It errs on the high side, never the low: a string form it
/// does not know is read as code.
fn nesting(language: Language, text: &str) -> Nesting {
    let bytes = text.as_bytes();
    let python = language == Language::Python;
    let mut result = Nesting::default();
    let mut indents: Vec<usize> = vec![0];
    let mut brackets = 0usize;
    let mut line_start = 0usize;
    let mut at_line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        if at_line_start && brackets == 0 && python {
            // The indentation of a logical line that is not blank.
            let mut column = 0;
            while i < bytes.len() {
                match bytes[i] {
                    b' ' => column += 1,
                    b'\t' => column = (column / 8 + 1) * 8,
                    b'\x0c' => column = 0,
                    _ => break,
                }
                i += 1;
            }
            at_line_start = false;
            let blank = matches!(bytes.get(i), None | Some(b'\n' | b'\r' | b'#'));
            if !blank {
                while indents.last().is_some_and(|&top| top > column) {
                    indents.pop();
                }
                if indents.last().is_none_or(|&top| top < column) {
                    indents.push(column);
                }
                let depth = indents.len() - 1;
                if depth == MAX_INDENT_DEPTH + 1 && result.indent <= MAX_INDENT_DEPTH {
                    result.indent_at = line_start;
                }
                result.indent = result.indent.max(depth);
            }
            continue;
        }
        // Most bytes are none of the ones below: skip them in a tight loop.
        while i < bytes.len() && !NESTING_BYTES[usize::from(bytes[i])] {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        match bytes[i] {
            b'\n' => {
                line_start = i + 1;
                at_line_start = true;
            }
            b'\\' => {
                // A line continuation (or a stray backslash): the next byte is not
                // a line start.
                if bytes.get(i + 1) == Some(&b'\n') {
                    line_start = i + 2;
                }
                i += 1;
            }
            b'(' | b'[' | b'{' => {
                brackets += 1;
                if brackets == MAX_BRACKET_DEPTH + 1 && result.bracket <= MAX_BRACKET_DEPTH {
                    result.bracket_at = line_start;
                }
                result.bracket = result.bracket.max(brackets);
            }
            b')' | b']' | b'}' => brackets = brackets.saturating_sub(1),
            b'#' if python => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if !python && bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if !python && bytes.get(i + 1) == Some(&b'*') => {
                let end = find(bytes, i + 2, b"*/").map_or(bytes.len(), |at| at + 2);
                line_start = last_line_start(bytes, i, end, line_start);
                i = end;
                continue;
            }
            // A Scala character literal: `'('`, `'\''`.
            b'\'' if !python && bytes.get(i + 2) == Some(&b'\'') => {
                i += 3;
                continue;
            }
            b'\''
                if !python
                    && bytes.get(i + 1) == Some(&b'\\')
                    && bytes.get(i + 3) == Some(&b'\'') =>
            {
                i += 4;
                continue;
            }
            quote @ (b'"' | b'\'') if python || quote == b'"' => {
                let end = string_end(bytes, i, quote);
                line_start = last_line_start(bytes, i, end, line_start);
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    result
}

/// The offset just past the string literal opening at `start`: single or triple
/// quoted; a single-quoted one also ends at the end of its line.
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let triple = bytes.len() >= start + 3 && bytes[start + 1] == quote && bytes[start + 2] == quote;
    if triple {
        let closing = [quote; 3];
        let mut i = start + 3;
        while i < bytes.len() {
            if bytes[i] == b'\\' {
                i += 2;
                continue;
            }
            if bytes[i..].starts_with(&closing) {
                return i + 3;
            }
            i += 1;
        }
        return bytes.len();
    }
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| from + at)
}

/// The start of the last line that begins inside `bytes[from..to]`, else `current`.
fn last_line_start(bytes: &[u8], from: usize, to: usize, current: usize) -> usize {
    bytes[from..to]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(current, |at| from + at + 1)
}

/// Parses `text`; syntax errors stay in the tree as `ERROR` nodes. `None` when the
/// text is past a nesting limit ([`check_limits`] says which).
pub fn parse(language: Language, text: &str) -> Option<Tree> {
    reparse(language, text, None)
}

/// Parses `text` reusing `old`, a tree of the previous text already told of every
/// change with `Tree::edit`: only the edited region is parsed again (what the
/// editor server does on each keystroke). With `None` this is [`parse`].
pub fn reparse(language: Language, text: &str, old: Option<&Tree>) -> Option<Tree> {
    if check_limits(language, text).is_err() {
        return None;
    }
    parse_unchecked(language, text, old)
}

/// [`reparse`] without the nesting guard: only for a text found within the limits.
fn parse_unchecked(language: Language, text: &str, old: Option<&Tree>) -> Option<Tree> {
    PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let parser = parsers[slot(language)].get_or_insert_with(|| {
            let mut parser = Parser::new();
            parser
                .set_language(&language.grammar())
                .expect("the bundled grammar matches the tree-sitter version");
            parser
        });
        // A parse stopped by the budget would otherwise resume on the next call.
        parser.reset();
        let bytes = text.as_bytes();
        let mut input = |at: usize, _| bytes.get(at..).unwrap_or_default();
        let mut progress = |_: &tree_sitter::ParseState| {
            if guard::exceeded() {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let options = ParseOptions::new().progress_callback(&mut progress);
        parser.parse_with_options(&mut input, old, Some(options))
    })
}

/// All rule queries of one language in one tree-sitter `Query`, and which rule each
/// pattern belongs to: what the tests check the query files and sparkguard's own
/// matcher ([`crate::query`]) against.
pub struct CompiledQuery {
    pub query: Query,
    pub pattern_rules: Vec<&'static Rule>,
}

static QUERIES: [OnceLock<RuleQuery>; 2] = [OnceLock::new(), OnceLock::new()];

/// The rule queries of `language`, read on first use (in microseconds: see
/// [`crate::query`] for why tree-sitter does not compile them at run time).
pub fn rule_query(language: Language) -> &'static RuleQuery {
    QUERIES[slot(language)]
        .get_or_init(|| RuleQuery::new(language).unwrap_or_else(|err| panic!("{err}")))
}

/// Compiles every query of `language` into one tree-sitter `Query`. Compiling a
/// query analyses it against the grammar, which is costly (tens of milliseconds):
/// only the tests do it, to check each file against the grammar and the run-time
/// matcher against tree-sitter's.
pub fn compile_rule_query(language: Language) -> Result<CompiledQuery, String> {
    let grammar = language.grammar();
    let mut source = String::new();
    let mut starts = Vec::new();
    for (name, text) in language.queries() {
        let rule = rules::by_name(name).ok_or_else(|| {
            format!(
                "queries/{}/{name}.scm: no rule named {name}",
                language.name()
            )
        })?;
        starts.push((source.len(), rule));
        source.push_str(text);
        source.push('\n');
    }
    let query = match Query::new(&grammar, &source) {
        Ok(query) => query,
        Err(err) => {
            // Find the file at fault.
            for file in compile_each(language) {
                file?;
            }
            return Err(format!("combined {} query: {err}", language.name()));
        }
    };
    // Each pattern belongs to the rule whose file holds its first byte.
    let pattern_rules = (0..query.pattern_count())
        .map(|i| {
            let at = query.start_byte_for_pattern(i);
            starts
                .iter()
                .rev()
                .find(|(start, _)| *start <= at)
                .map(|(_, rule)| *rule)
                .expect("every pattern comes from a file")
        })
        .collect();
    Ok(CompiledQuery {
        query,
        pattern_rules,
    })
}

/// Compiles each query file of `language` alone: `Err` names the file and the
/// problem (a syntax error, a node the grammar lacks, no `@violation` capture).
pub fn compile_each(language: Language) -> Vec<Result<(), String>> {
    let grammar = language.grammar();
    language
        .queries()
        .iter()
        .map(|(name, text)| {
            let query = Query::new(&grammar, text)
                .map_err(|err| format!("queries/{}/{name}.scm: {err}", language.name()))?;
            if !query.capture_names().contains(&"violation") {
                return Err(format!(
                    "queries/{}/{name}.scm: every pattern must capture @violation",
                    language.name()
                ));
            }
            Ok(())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep_ifs(levels: usize, tail: &str) -> String {
        let mut text = String::from("import pyspark\n");
        for k in 0..levels {
            text.push_str(&" ".repeat(k));
            text.push_str("if x:\n");
        }
        text.push_str(&" ".repeat(levels));
        text.push_str(tail);
        text
    }

    #[test]
    fn deep_blocks_are_refused_before_the_scanner_aborts() {
        // Past ~510 levels with a string open the grammar's scanner aborts the
        // process: the guard refuses the text, and `parse` does not run.
        let text = deep_ifs(600, "rows = spark.table('t').collect()\n");
        let err = check_limits(Language::Python, &text)
            .unwrap_err()
            .located(&text);
        assert!(
            err.starts_with("line 203: indented blocks nest 600 levels deep"),
            "{err}"
        );
        assert!(err.contains("at most 200"), "{err}");
        assert!(parse(Language::Python, &text).is_none());
        let ok = deep_ifs(150, "rows = spark.table('t').collect()\n");
        assert!(check_limits(Language::Python, &ok).is_ok());
        assert!(parse(Language::Python, &ok).is_some());
    }

    #[test]
    fn indentation_inside_brackets_strings_and_comments_does_not_count() {
        let mut text = String::from("x = [\n");
        for k in 0..400 {
            text.push_str(&" ".repeat(k));
            text.push_str("1,\n");
        }
        text.push_str("]\ns = '''\n");
        for k in 0..400 {
            text.push_str(&" ".repeat(k));
            text.push_str("text\n");
        }
        text.push_str("'''\n");
        for k in 0..400 {
            text.push_str(&" ".repeat(k));
            text.push_str("# note\n");
        }
        assert_eq!(nesting(Language::Python, &text).indent, 0);
    }

    #[test]
    fn deep_brackets_are_refused_in_both_languages() {
        let py = format!("x = {}1{}\n", "(".repeat(1001), ")".repeat(1001));
        let err = check_limits(Language::Python, &py).unwrap_err();
        assert!(err.message.contains("1001"), "{err:?}");
        let scala = format!(
            "object A {{ val x = {}1{} }}\n",
            "{".repeat(2000),
            "}".repeat(2000)
        );
        let err = check_limits(Language::Scala, &scala)
            .unwrap_err()
            .located(&scala);
        assert!(err.starts_with("line 1: brackets nest 2001"), "{err}");
        // Brackets in strings and comments are text.
        let quoted = format!("s = \"{}\"  # {}\n", "(".repeat(5000), "[".repeat(5000));
        assert!(check_limits(Language::Python, &quoted).is_ok());
        let scala_quoted = format!("val s = \"{}\" // {}\n", "(".repeat(5000), "{".repeat(5000));
        let chars = "val c = '{'\n".repeat(2000);
        assert!(check_limits(Language::Scala, &chars).is_ok());
        assert!(check_limits(Language::Scala, &scala_quoted).is_ok());
    }
}
