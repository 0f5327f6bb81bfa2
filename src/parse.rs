//! Parsing: one tree-sitter `Parser` per language per thread, and each language's
//! rule queries compiled once per process into one combined query, so a file is
//! parsed once and matched in a single pass.

use std::cell::RefCell;
use std::sync::OnceLock;

use tree_sitter::{Parser, Query, Tree};

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

/// Parses `text`; syntax errors stay in the tree as `ERROR` nodes.
pub fn parse(language: Language, text: &str) -> Option<Tree> {
    reparse(language, text, None)
}

/// Parses `text` reusing `old`, a tree of the previous text already told of every
/// change with `Tree::edit`: only the edited region is parsed again (what the
/// editor server does on each keystroke). With `None` this is [`parse`].
pub fn reparse(language: Language, text: &str, old: Option<&Tree>) -> Option<Tree> {
    PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let parser = parsers[slot(language)].get_or_insert_with(|| {
            let mut parser = Parser::new();
            parser
                .set_language(&language.grammar())
                .expect("the bundled grammar matches the tree-sitter version");
            parser
        });
        parser.parse(text, old)
    })
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
