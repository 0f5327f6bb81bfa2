//! Parsing: one tree-sitter `Parser` per language per thread, and each language's
//! rule queries compiled once per process into one combined query, so a file is
//! parsed once and matched in a single pass.
//!
//! Before a text reaches the parser, [`check_limits`] measures how deeply it nests:
//! the Python grammar's C scanner aborts the whole process (an assertion, not an
//! error) once its indentation stack outgrows its 1 KiB state buffer, at about 510
//! nested blocks, and very deep brackets make trees that recursive code cannot walk.
//! A text past either limit is refused with an error that names the limit.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::sync::OnceLock;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, ParseOptions, Parser, Query, QueryCursor, QueryMatch, Tree};

use crate::guard;
use crate::lang::Language;
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

/// `Err` says which nesting limit `text` exceeds, and where.
pub fn check_limits(language: Language, text: &str) -> Result<(), TooDeep> {
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
    Ok(())
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

/// How many levels below its root one query run starts matches. The query cursor
/// keeps a pending state for every ancestor a match started at, and steps them all at
/// each node: one run over a 20,000-call method chain is quadratic. Runs that each
/// start matches at most this deep, one per node this far below the last run's root,
/// keep the pending states few and the whole linear.
const RUN_DEPTH: u32 = 24;

/// Calls `each` on every match of `query` in the tree under `root`, as one run of a
/// query cursor would (in another order when the tree is `depth` levels deep or
/// more than [`RUN_DEPTH`]), until it breaks.
pub fn each_match<'t>(
    query: &Query,
    root: Node<'t>,
    text: &str,
    depth: usize,
    each: impl FnMut(&QueryMatch<'_, 't>) -> ControlFlow<()>,
) {
    each_match_outside(query, root, text, depth, &[], each);
}

/// As [`each_match`], never looking inside the nodes spanning `skip` (sorted, apart):
/// the query cursor spends most of its time on the items of a 1.7-million-item list
/// that no pattern can match.
pub fn each_match_outside<'t>(
    query: &Query,
    root: Node<'t>,
    text: &str,
    depth: usize,
    skip: &[std::ops::Range<usize>],
    mut each: impl FnMut(&QueryMatch<'_, 't>) -> ControlFlow<()>,
) {
    if skip.is_empty() {
        let _ = each_match_in(query, root, text, depth, None, &mut each);
        return;
    }
    // A node around a skipped region meets the query once per gap: keep one match.
    let mut seen = std::collections::HashSet::new();
    let mut dedup = |m: &QueryMatch<'_, 't>| {
        let key: Vec<usize> = std::iter::once(m.pattern_index)
            .chain(m.captures().iter().map(|c| c.node.id()))
            .collect();
        if seen.insert(key) {
            each(m)
        } else {
            ControlFlow::Continue(())
        }
    };
    let mut start = 0;
    let gaps = skip
        .iter()
        .map(|r| r.start..r.end)
        .chain(std::iter::once(text.len()..text.len()));
    for region in gaps {
        let gap = start..region.start.max(start);
        start = region.end.max(start);
        if gap.is_empty() {
            continue;
        }
        if each_match_in(query, root, text, depth, Some(gap), &mut dedup).is_break() {
            return;
        }
    }
}

fn each_match_in<'t>(
    query: &Query,
    root: Node<'t>,
    text: &str,
    depth: usize,
    range: Option<std::ops::Range<usize>>,
    each: &mut impl FnMut(&QueryMatch<'_, 't>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut cursor = QueryCursor::new();
    if let Some(range) = range {
        cursor.set_byte_range(range);
    }
    if depth < RUN_DEPTH as usize {
        let mut matches = cursor.matches(query, root, text.as_bytes());
        while let Some(m) = matches.next() {
            if each(m).is_break() {
                return ControlFlow::Break(());
            }
        }
        return ControlFlow::Continue(());
    }
    cursor.set_max_start_depth(Some(RUN_DEPTH - 1));
    let mut roots = vec![root];
    while let Some(run_root) = roots.pop() {
        let mut matches = cursor.matches(query, run_root, text.as_bytes());
        while let Some(m) = matches.next() {
            if each(m).is_break() {
                return ControlFlow::Break(());
            }
        }
        push_nodes_at_depth(run_root, RUN_DEPTH, &mut roots);
    }
    ControlFlow::Continue(())
}

/// Pushes the nodes exactly `depth` levels below `root` (in reverse order, so they
/// pop in source order).
fn push_nodes_at_depth<'t>(root: Node<'t>, depth: u32, out: &mut Vec<Node<'t>>) {
    let first = out.len();
    let mut cursor = root.walk();
    let mut level = 0;
    loop {
        if level == depth {
            out.push(cursor.node());
        } else if cursor.goto_first_child() {
            level += 1;
            continue;
        }
        loop {
            if level == 0 {
                out[first..].reverse();
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            cursor.goto_parent();
            level -= 1;
        }
    }
}

/// All rule queries of one language in one `Query`, and which rule each pattern
/// belongs to.
pub struct RuleQuery {
    pub query: Query,
    pub pattern_rules: Vec<&'static Rule>,
}

static QUERIES: [OnceLock<RuleQuery>; 2] = [OnceLock::new(), OnceLock::new()];

/// The combined rule query of `language`, compiled on first use.
pub fn rule_query(language: Language) -> &'static RuleQuery {
    QUERIES[slot(language)]
        .get_or_init(|| compile_rule_query(language).unwrap_or_else(|err| panic!("{err}")))
}

/// Compiles every query of `language` into one. Compiling a query analyses it
/// against the grammar, which is costly: each file is compiled on its own only to
/// name the file in an error (and by the tests that check every file).
pub fn compile_rule_query(language: Language) -> Result<RuleQuery, String> {
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
    Ok(RuleQuery {
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

    /// Every match as (pattern, captured nodes), sorted.
    fn match_set(
        each: impl FnOnce(&mut dyn FnMut(usize, Vec<(u32, usize)>)),
    ) -> Vec<(usize, Vec<(u32, usize)>)> {
        let mut all = Vec::new();
        each(&mut |pattern, captures| all.push((pattern, captures)));
        all.sort();
        all
    }

    #[test]
    fn split_runs_find_exactly_the_matches_of_one_run() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut cases: Vec<(Language, String)> = Vec::new();
        for (dir, language) in [("python", Language::Python), ("scala", Language::Scala)] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    cases.push((language, std::fs::read_to_string(path).unwrap()));
                }
            }
        }
        let chain = format!(
            "import pyspark\nrows = spark.table('t'){}.collect()\n",
            ".filter('x')".repeat(300)
        );
        cases.push((Language::Python, chain));
        let nested = format!(
            "object A {{ val x = {}spark.table(\"t\").collect(){} }}\n",
            "Some(".repeat(200),
            ")".repeat(200)
        );
        cases.push((Language::Scala, nested));
        for (language, text) in cases {
            let tree = parse(language, &text).unwrap();
            let query = &rule_query(language).query;
            let key = |m: &QueryMatch<'_, '_>| {
                let captures = m
                    .captures()
                    .iter()
                    .map(|c| (c.index, c.node.id()))
                    .collect();
                (m.pattern_index, captures)
            };
            let single = match_set(|push| {
                let mut cursor = QueryCursor::new();
                let mut matches = cursor.matches(query, tree.root_node(), text.as_bytes());
                while let Some(m) = matches.next() {
                    let (p, c) = key(m);
                    push(p, c);
                }
            });
            let split = match_set(|push| {
                each_match(query, tree.root_node(), &text, usize::MAX, |m| {
                    let (p, c) = key(m);
                    push(p, c);
                    ControlFlow::Continue(())
                })
            });
            assert!(!single.is_empty());
            assert_eq!(single, split, "{}", &text[..text.len().min(200)]);
        }
    }

    #[test]
    fn skipped_literal_lists_lose_no_match() {
        let numbers = vec!["1"; 300].join(", ");
        let text = format!(
            "import pyspark\nrows = spark.createDataFrame([{numbers}]).collect()\nn = sc.parallelize(({numbers})).count()\nspark.table('t').collect()\n"
        );
        let tree = parse(Language::Python, &text).unwrap();
        let mut skip = Vec::new();
        let mut cursor = tree.walk();
        'walk: loop {
            let node = cursor.node();
            if matches!(node.kind(), "list" | "tuple") && node.named_child_count() >= 256 {
                skip.push(node.byte_range());
            }
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        assert_eq!(skip.len(), 2);
        let query = &rule_query(Language::Python).query;
        let key = |m: &QueryMatch<'_, '_>| {
            let captures: Vec<(u32, usize)> = m
                .captures()
                .iter()
                .map(|c| (c.index, c.node.id()))
                .collect();
            (m.pattern_index, captures)
        };
        let all = match_set(|push| {
            each_match(query, tree.root_node(), &text, 0, |m| {
                let (p, c) = key(m);
                push(p, c);
                ControlFlow::Continue(())
            })
        });
        let outside = match_set(|push| {
            each_match_outside(query, tree.root_node(), &text, 0, &skip, |m| {
                let (p, c) = key(m);
                push(p, c);
                ControlFlow::Continue(())
            })
        });
        assert!(all.len() >= 3);
        assert_eq!(all, outside);
    }
}
