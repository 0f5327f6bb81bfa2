//! The rule queries (`queries/<language>/<rule-name>.scm`) read by sparkguard itself
//! into matchers dispatched on node kind, and run over a tree in one walk.
//!
//! Why not tree-sitter's own `Query`: compiling one analyses the patterns against
//! the whole parse table of the grammar, about 10 ms of CPU for any Scala query and
//! 70 ms for all of them, in every process, before the first file is read; and its
//! cursor keeps a pending state per ancestor, which is quadratic on long method
//! chains. The rules use a small part of the query language: node patterns by kind
//! or wildcard, fields, alternations, captures and the `#eq?` / `#any-of?`
//! predicates (and their `#not-` forms). That part is read here in microseconds,
//! and matched at each node whose kind starts a pattern, so a walk costs what a walk
//! of the tree costs. Every query file is still compiled by tree-sitter in the tests
//! (`tests/catalog.rs`), and a test runs both matchers over the corpus and asserts
//! they find exactly the same matches.

use std::cell::RefCell;
use std::ops::{ControlFlow, Range};
use std::rc::Rc;

use tree_sitter::{Language as Grammar, Node};

use crate::lang::Language;
use crate::rules::{self, Rule};

/// What node a pattern matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A named node of this kind (`(call)`).
    Named(u16),
    /// An anonymous node of this kind (`"=="`).
    Anonymous(u16),
    /// Any named node (`(_)`).
    AnyNamed,
    /// Any node (`_`).
    Any,
}

impl Kind {
    fn admits(self, node: Node<'_>) -> bool {
        match self {
            // A symbol id names one kind, named or not: the id alone decides.
            Kind::Named(id) | Kind::Anonymous(id) => node.kind_id() == id,
            Kind::AnyNamed => node.is_named(),
            Kind::Any => true,
        }
    }
}

/// One node of a pattern, with what its children must match.
#[derive(Debug)]
struct NodePattern {
    kind: Kind,
    /// In order; each matches a later child than the one before.
    children: Vec<Slot>,
}

/// A place in a pattern: a node or an alternation, maybe under a field, with its
/// captures.
#[derive(Debug)]
struct Slot {
    field: Option<std::num::NonZeroU16>,
    alternatives: Vec<NodePattern>,
    captures: Vec<u32>,
    /// The pattern's predicates on one of these captures alone, checked as soon as
    /// the node is captured: most candidates fail on the method name.
    checks: Vec<usize>,
}

/// A text predicate on a capture.
#[derive(Debug)]
enum Predicate {
    /// `#eq?` / `#not-eq?` with a string, or `#any-of?` / `#not-any-of?`.
    Text {
        capture: u32,
        values: Vec<String>,
        positive: bool,
    },
    /// `#eq?` / `#not-eq?` between two captures.
    SameText {
        left: u32,
        right: u32,
        positive: bool,
    },
}

/// One top-level pattern of a query file.
#[derive(Debug)]
struct Pattern {
    root: Slot,
    predicates: Vec<Predicate>,
    /// What a node must pass before the pattern is tried there.
    gate: Option<Gate>,
}

/// A test a node must pass for a pattern to match there, far cheaper than trying:
/// a node reached from it down `path` (fields, in order) has one of `values` as its
/// text. Built from a pattern's `#eq?` / `#any-of?` on a capture every match makes
/// (the method name of `(call function: (attribute attribute: (identifier) @m))`),
/// so it never turns away a node the pattern matches; most call nodes fail it.
#[derive(Debug)]
struct Gate {
    path: Vec<std::num::NonZeroU16>,
    /// Sorted, for a binary search.
    values: Vec<String>,
    /// The index of `path` among the query's distinct gate paths: the texts down a
    /// path are found once per node, whatever the number of patterns asking.
    path_index: usize,
}

/// How many fields down a gate may look: the cursors [`Gates`] keeps.
const GATE_DEPTH: usize = 3;

impl Gate {
    /// The gate of a pattern rooted at `root`: the first positive text predicate on a
    /// capture reached through fields alone, where each slot on the way has one
    /// alternative (so every match passes through it).
    fn of(root: &Slot, predicates: &[Predicate]) -> Option<Gate> {
        fn find(
            slot: &Slot,
            predicates: &[Predicate],
            path: &mut Vec<std::num::NonZeroU16>,
        ) -> Option<Gate> {
            for &check in &slot.checks {
                if let Predicate::Text {
                    values,
                    positive: true,
                    ..
                } = &predicates[check]
                {
                    let mut values = values.clone();
                    values.sort();
                    return Some(Gate {
                        path: path.clone(),
                        values,
                        path_index: 0,
                    });
                }
            }
            let [alternative] = slot.alternatives.as_slice() else {
                return None;
            };
            if path.len() == GATE_DEPTH {
                return None;
            }
            for child in &alternative.children {
                if let Some(field) = child.field {
                    path.push(field);
                    if let Some(gate) = find(child, predicates, path) {
                        return Some(gate);
                    }
                    path.pop();
                }
            }
            None
        }
        find(root, predicates, &mut Vec::new())
    }
}

/// The gates' work at one node at a time: the cursors they walk with (one per
/// level, made once per file) and, per gate path, the texts found down it from the
/// current node.
struct Gates<'t, 's> {
    cursors: Vec<tree_sitter::TreeCursor<'t>>,
    node: Option<Node<'t>>,
    /// By path index: the texts, once found for `node`.
    texts: Vec<Option<Vec<&'s str>>>,
}

impl<'t, 's> Gates<'t, 's> {
    fn new(root: Node<'t>, paths: usize) -> Gates<'t, 's> {
        Gates {
            cursors: (0..GATE_DEPTH).map(|_| root.walk()).collect(),
            node: None,
            texts: vec![None; paths],
        }
    }

    /// Whether `node` passes `gate` (always, for a pattern without one).
    fn pass(&mut self, gate: Option<&Gate>, node: Node<'t>, text: &'s str) -> bool {
        let Some(gate) = gate else {
            return true;
        };
        if self.node != Some(node) {
            self.node = Some(node);
            self.texts.iter_mut().for_each(|t| *t = None);
        }
        let texts = match &self.texts[gate.path_index] {
            Some(texts) => texts,
            None => {
                let mut found = Vec::new();
                down(&mut self.cursors, node, &gate.path, text, &mut found);
                self.texts[gate.path_index].insert(found)
            }
        };
        texts.iter().any(|own| {
            gate.values
                .binary_search_by(|v| v.as_str().cmp(own))
                .is_ok()
        })
    }
}

/// The texts of the nodes down `path` from `node`; every child under a field is
/// taken, a field a node has twice too.
fn down<'t, 's>(
    cursors: &mut [tree_sitter::TreeCursor<'t>],
    node: Node<'t>,
    path: &[std::num::NonZeroU16],
    text: &'s str,
    found: &mut Vec<&'s str>,
) {
    let Some((&field, rest)) = path.split_first() else {
        found.push(node_text(node, text));
        return;
    };
    let Some((cursor, deeper)) = cursors.split_first_mut() else {
        return;
    };
    cursor.reset(node);
    if !cursor.goto_first_child() {
        return;
    }
    loop {
        if cursor.field_id() == Some(field) {
            down(deeper, cursor.node(), rest, text, found);
        }
        if !cursor.goto_next_sibling() {
            return;
        }
    }
}

/// A captured node: the index of its capture name, and the node.
#[derive(Debug, Clone, Copy)]
pub struct Capture<'t> {
    pub index: u32,
    pub node: Node<'t>,
}

/// One match of one pattern.
#[derive(Debug)]
pub struct Match<'t> {
    pub pattern_index: usize,
    pub captures: Vec<Capture<'t>>,
}

/// Every rule query of one language, and which rule each pattern belongs to.
#[derive(Debug)]
pub struct RuleQuery {
    patterns: Vec<Pattern>,
    /// The rule of each pattern, by pattern index.
    pub pattern_rules: Vec<&'static Rule>,
    capture_names: Vec<String>,
    /// For each node kind id, the patterns whose root can be a node of that kind.
    by_kind: Vec<Vec<usize>>,
    /// Patterns whose root is a wildcard.
    any_kind: Vec<usize>,
    /// By node kind id, whether a pattern can start at a node of that kind.
    root_kinds: Vec<bool>,
    /// How many distinct paths the patterns' gates look down.
    gate_paths: usize,
}

impl RuleQuery {
    /// Reads every query file of `language`. `Err` names the file and the problem.
    pub fn new(language: Language) -> Result<RuleQuery, String> {
        let grammar = language.grammar();
        let mut reader = QueryReader {
            grammar: &grammar,
            capture_names: Vec::new(),
        };
        let mut patterns = Vec::new();
        let mut pattern_rules = Vec::new();
        for (name, text) in language.queries() {
            let at_fault =
                |problem: String| format!("queries/{}/{name}.scm: {problem}", language.name());
            let rule =
                rules::by_name(name).ok_or_else(|| at_fault(format!("no rule named {name}")))?;
            let read = reader.read_file(text).map_err(at_fault)?;
            for pattern in read {
                patterns.push(pattern);
                pattern_rules.push(rule);
            }
        }
        let mut by_kind = vec![Vec::new(); grammar.node_kind_count()];
        let mut any_kind = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let mut kinds: Vec<Kind> = pattern.root.alternatives.iter().map(|a| a.kind).collect();
            kinds.dedup();
            if kinds
                .iter()
                .any(|k| matches!(k, Kind::Any | Kind::AnyNamed))
            {
                any_kind.push(index);
                continue;
            }
            for kind in kinds {
                if let Kind::Named(id) | Kind::Anonymous(id) = kind
                    && let Some(list) = by_kind.get_mut(usize::from(id))
                    && list.last() != Some(&index)
                {
                    list.push(index);
                }
            }
        }
        // Gates down the same path share the texts found there.
        let mut gate_paths: Vec<Vec<std::num::NonZeroU16>> = Vec::new();
        for gate in patterns.iter_mut().filter_map(|p| p.gate.as_mut()) {
            gate.path_index = match gate_paths.iter().position(|p| *p == gate.path) {
                Some(at) => at,
                None => {
                    gate_paths.push(gate.path.clone());
                    gate_paths.len() - 1
                }
            };
        }
        let root_kinds = by_kind
            .iter()
            .map(|patterns| !patterns.is_empty() || !any_kind.is_empty())
            .collect();
        Ok(RuleQuery {
            patterns,
            pattern_rules,
            capture_names: reader.capture_names,
            by_kind,
            any_kind,
            root_kinds,
            gate_paths: gate_paths.len(),
        })
    }

    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// The capture names, by capture index.
    pub fn capture_names(&self) -> &[String] {
        &self.capture_names
    }

    /// By node kind id, whether a pattern can start at a node of that kind: the
    /// model's walk collects those nodes for [`RuleQuery::each_match_among`].
    pub fn root_kinds(&self) -> &[bool] {
        &self.root_kinds
    }

    /// [`RuleQuery::each_match`] over the nodes a walk of the tree under `root`
    /// collected by [`RuleQuery::root_kinds`], in the walk's order: the same matches
    /// in the same order, without walking the tree again.
    pub fn each_match_among<'t>(
        &self,
        nodes: &[Node<'t>],
        root: Node<'t>,
        text: &str,
        skip: &[Range<usize>],
        mut each: impl FnMut(&Match<'t>) -> ControlFlow<()>,
    ) {
        let mut skipped = skip.iter().peekable();
        let children = Children::default();
        let mut gates = Gates::new(root, self.gate_paths);
        for &node in nodes {
            while skipped.peek().is_some_and(|r| r.end <= node.start_byte()) {
                skipped.next();
            }
            if skipped.peek().is_some_and(|r| {
                r.start <= node.start_byte() && node.end_byte() <= r.end && node.id() != root.id()
            }) {
                continue;
            }
            if self
                .match_at(node, text, &children, &mut gates, &mut each)
                .is_break()
            {
                return;
            }
        }
    }

    /// Every pattern that may start at `node` (by its kind, then its gate), tried
    /// there in pattern order.
    fn match_at<'t, 's>(
        &self,
        node: Node<'t>,
        text: &'s str,
        children: &Children<'t>,
        gates: &mut Gates<'t, 's>,
        each: &mut impl FnMut(&Match<'t>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let candidates = self
            .by_kind
            .get(usize::from(node.kind_id()))
            .map_or(&[][..], Vec::as_slice);
        children.clear();
        for &index in candidates.iter().chain(&self.any_kind) {
            if gates.pass(self.patterns[index].gate.as_ref(), node, text) {
                self.match_pattern(index, node, text, children, each)?;
            }
        }
        ControlFlow::Continue(())
    }

    /// Calls `each` on every match in the tree under `root`, never starting one
    /// inside the nodes spanning `skip` (sorted, apart): the items of a
    /// 1.7-million-item literal list cannot start a match, and are not visited.
    /// Matches come in the order of their root nodes (pre-order), then by pattern
    /// (wildcard-rooted patterns last).
    pub fn each_match<'t>(
        &self,
        root: Node<'t>,
        text: &str,
        skip: &[Range<usize>],
        mut each: impl FnMut(&Match<'t>) -> ControlFlow<()>,
    ) {
        let mut cursor = root.walk();
        let mut skipped = skip.iter().peekable();
        let children = Children::default();
        let mut gates = Gates::new(root, self.gate_paths);
        loop {
            let node = cursor.node();
            while skipped.peek().is_some_and(|r| r.end <= node.start_byte()) {
                skipped.next();
            }
            let skip_this = skipped.peek().is_some_and(|r| {
                r.start <= node.start_byte() && node.end_byte() <= r.end && node.id() != root.id()
            });
            if !skip_this {
                if self
                    .match_at(node, text, &children, &mut gates, &mut each)
                    .is_break()
                {
                    return;
                }
                if cursor.goto_first_child() {
                    continue;
                }
            }
            loop {
                if cursor.node().id() == root.id() {
                    return;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    /// Every distinct match of pattern `index` rooted at `node`.
    fn match_pattern<'t>(
        &self,
        index: usize,
        node: Node<'t>,
        text: &str,
        children: &Children<'t>,
        each: &mut impl FnMut(&Match<'t>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let pattern = &self.patterns[index];
        let context = Context {
            predicates: &pattern.predicates,
            text,
            children,
        };
        let mut found: Vec<Vec<Capture<'t>>> = Vec::new();
        let mut captures = Vec::new();
        context.match_slot(&pattern.root, node, &mut captures, &mut |captures| {
            if pattern.predicates.iter().all(|p| holds(p, captures, text))
                && !found.iter().any(|seen| same_captures(seen, captures))
            {
                found.push(captures.clone());
            }
        });
        for captures in found {
            each(&Match {
                pattern_index: index,
                captures,
            })?;
        }
        ControlFlow::Continue(())
    }
}

fn same_captures(a: &[Capture<'_>], b: &[Capture<'_>]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.index == y.index && x.node.id() == y.node.id())
}

/// A node's children with their fields.
type ChildList<'t> = Rc<[(Node<'t>, Option<std::num::NonZeroU16>)]>;

/// The children of the nodes the patterns tried at one node have looked into, so
/// that twenty patterns rooted at `call` walk its children once.
#[derive(Default)]
struct Children<'t> {
    known: RefCell<Vec<(usize, ChildList<'t>)>>,
}

impl<'t> Children<'t> {
    fn of(&self, node: Node<'t>) -> ChildList<'t> {
        let id = node.id();
        if let Some((_, list)) = self.known.borrow().iter().find(|(known, _)| *known == id) {
            return list.clone();
        }
        let mut cursor = node.walk();
        let mut children = Vec::new();
        if cursor.goto_first_child() {
            loop {
                children.push((cursor.node(), cursor.field_id()));
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        let list: ChildList<'t> = children.into();
        self.known.borrow_mut().push((id, list.clone()));
        list
    }

    fn clear(&self) {
        self.known.borrow_mut().clear();
    }
}

/// What matching one pattern at one node needs besides the pattern.
struct Context<'a, 't> {
    predicates: &'a [Predicate],
    text: &'a str,
    children: &'a Children<'t>,
}

impl<'t> Context<'_, 't> {
    /// Matches `slot` at `node`: calls `done` once per way it matches, with its
    /// captures pushed onto `captures`.
    fn match_slot(
        &self,
        slot: &Slot,
        node: Node<'t>,
        captures: &mut Vec<Capture<'t>>,
        done: &mut dyn FnMut(&mut Vec<Capture<'t>>),
    ) {
        for alternative in &slot.alternatives {
            if !alternative.kind.admits(node) {
                continue;
            }
            let mark = captures.len();
            captures.extend(slot.captures.iter().map(|&index| Capture { index, node }));
            let checked = slot
                .checks
                .iter()
                .all(|&p| holds(&self.predicates[p], &captures[mark..], self.text));
            if checked {
                if alternative.children.is_empty() {
                    done(captures);
                } else {
                    let children = self.children.of(node);
                    self.match_children(&alternative.children, &children, 0, captures, done);
                }
            }
            captures.truncate(mark);
        }
    }

    /// Matches `slots` in order against `children[from..]`, each slot a later child
    /// than the one before, as tree-sitter does when no anchor is given.
    fn match_children(
        &self,
        slots: &[Slot],
        children: &[(Node<'t>, Option<std::num::NonZeroU16>)],
        from: usize,
        captures: &mut Vec<Capture<'t>>,
        done: &mut dyn FnMut(&mut Vec<Capture<'t>>),
    ) {
        let Some((slot, rest)) = slots.split_first() else {
            done(captures);
            return;
        };
        for (at, &(child, field)) in children.iter().enumerate().skip(from) {
            if slot.field.is_some() && slot.field != field {
                continue;
            }
            self.match_slot(slot, child, captures, &mut |captures| {
                self.match_children(rest, children, at + 1, captures, done)
            });
        }
    }
}

fn node_text<'a>(node: Node<'_>, text: &'a str) -> &'a str {
    text.get(node.byte_range()).unwrap_or_default()
}

/// Whether `predicate` holds for `captures` (as tree-sitter has it, a predicate on
/// a capture that did not capture holds).
fn holds(predicate: &Predicate, captures: &[Capture<'_>], text: &str) -> bool {
    let nodes = |index: u32| {
        captures
            .iter()
            .filter(move |c| c.index == index)
            .map(|c| c.node)
    };
    match predicate {
        Predicate::Text {
            capture,
            values,
            positive,
        } => nodes(*capture).all(|node| {
            let text = node_text(node, text);
            values.iter().any(|value| value == text) == *positive
        }),
        Predicate::SameText {
            left,
            right,
            positive,
        } => nodes(*left).all(|a| {
            nodes(*right).all(|b| (node_text(a, text) == node_text(b, text)) == *positive)
        }),
    }
}

/// Reads query files into patterns, sharing capture names across them.
struct QueryReader<'g> {
    grammar: &'g Grammar,
    capture_names: Vec<String>,
}

/// A token of a query file, with its byte offset.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    OpenAlternation,
    CloseAlternation,
    Capture(String),
    Str(String),
    /// `name:`
    Field(String),
    /// `#eq?`
    Predicate(String),
    /// A node kind or `_`.
    Word(String),
    /// Syntax this reader does not take (anchors, quantifiers, negated fields).
    Other(char),
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token)>, String> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let word_end = |mut j: usize| {
        while j < bytes.len()
            && (bytes[j].is_ascii_alphanumeric()
                || matches!(bytes[j], b'_' | b'-' | b'.' | b'?' | b'!'))
        {
            j += 1;
        }
        j
    };
    while i < bytes.len() {
        let start = i;
        let token = match bytes[i] {
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b';' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'(' => {
                i += 1;
                Token::Open
            }
            b')' => {
                i += 1;
                Token::Close
            }
            b'[' => {
                i += 1;
                Token::OpenAlternation
            }
            b']' => {
                i += 1;
                Token::CloseAlternation
            }
            b'"' => {
                let mut value = String::new();
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return Err(format!("byte {start}: unterminated string")),
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => {
                            let escaped = match bytes.get(i + 1) {
                                Some(b'n') => '\n',
                                Some(b't') => '\t',
                                Some(b'r') => '\r',
                                Some(b'0') => '\0',
                                Some(&b) => b as char,
                                None => return Err(format!("byte {start}: unterminated string")),
                            };
                            value.push(escaped);
                            i += 2;
                        }
                        Some(_) => {
                            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
                            value.push(c);
                            i += c.len_utf8();
                        }
                    }
                }
                Token::Str(value)
            }
            b'@' => {
                i = word_end(i + 1);
                Token::Capture(text[start + 1..i].to_string())
            }
            b'#' => {
                i = word_end(i + 1);
                Token::Predicate(text[start + 1..i].to_string())
            }
            b if b.is_ascii_alphanumeric() || b == b'_' => {
                i = word_end(i);
                if bytes.get(i) == Some(&b':') {
                    i += 1;
                    Token::Field(text[start..i - 1].to_string())
                } else {
                    Token::Word(text[start..i].to_string())
                }
            }
            _ => {
                let c = text[i..].chars().next().unwrap_or('\u{fffd}');
                i += c.len_utf8();
                Token::Other(c)
            }
        };
        tokens.push((start, token));
    }
    Ok(tokens)
}

/// A cursor over one file's tokens.
struct Tokens {
    tokens: Vec<(usize, Token)>,
    at: usize,
    len: usize,
}

impl Tokens {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(_, t)| t)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.at).map_or(self.len, |(at, _)| *at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).map(|(_, t)| t.clone());
        self.at += 1;
        token
    }

    fn fail<T>(&self, problem: impl std::fmt::Display) -> Result<T, String> {
        Err(format!("byte {}: {problem}", self.offset()))
    }
}

impl QueryReader<'_> {
    fn read_file(&mut self, text: &str) -> Result<Vec<Pattern>, String> {
        let mut tokens = Tokens {
            tokens: tokenize(text)?,
            at: 0,
            len: text.len(),
        };
        let mut patterns = Vec::new();
        while tokens.peek().is_some() {
            let mut predicates = Vec::new();
            let mut root = self.slot(&mut tokens, None, &mut predicates)?;
            attach_checks(&mut root, &predicates);
            if !patterns.is_empty() || !root.alternatives.is_empty() {
                let gate = Gate::of(&root, &predicates);
                patterns.push(Pattern {
                    root,
                    predicates,
                    gate,
                });
            }
        }
        if patterns.is_empty() {
            return Err("no pattern".to_string());
        }
        let violation = self.capture_names.iter().position(|n| n == "violation");
        for pattern in &patterns {
            let mut all = Vec::new();
            collect_captures(&pattern.root, &mut all);
            if violation.is_none_or(|v| !all.contains(&(v as u32))) {
                return Err("every pattern must capture @violation".to_string());
            }
        }
        Ok(patterns)
    }

    fn capture(&mut self, name: String) -> u32 {
        match self.capture_names.iter().position(|n| *n == name) {
            Some(index) => index as u32,
            None => {
                self.capture_names.push(name);
                (self.capture_names.len() - 1) as u32
            }
        }
    }

    /// A node or an alternation and the captures after it.
    fn slot(
        &mut self,
        tokens: &mut Tokens,
        field: Option<std::num::NonZeroU16>,
        predicates: &mut Vec<Predicate>,
    ) -> Result<Slot, String> {
        let alternatives = match tokens.peek() {
            Some(Token::OpenAlternation) => {
                tokens.next();
                let mut alternatives = Vec::new();
                loop {
                    match tokens.peek() {
                        Some(Token::CloseAlternation) => {
                            tokens.next();
                            break;
                        }
                        None => return tokens.fail("an alternation is not closed"),
                        _ => {
                            let slot = self.slot(tokens, None, predicates)?;
                            if !slot.captures.is_empty() || slot.alternatives.len() != 1 {
                                return tokens.fail("captures and nested alternations inside an alternation are not supported; capture the alternation");
                            }
                            alternatives.extend(slot.alternatives);
                        }
                    }
                }
                alternatives
            }
            _ => vec![self.node(tokens, predicates)?],
        };
        let mut captures = Vec::new();
        while let Some(Token::Capture(name)) = tokens.peek() {
            let name = name.clone();
            tokens.next();
            captures.push(self.capture(name));
        }
        if let Some(Token::Other(c)) = tokens.peek() {
            return tokens.fail(format!(
                "`{c}` (quantifiers, anchors, negated fields) is not supported in rule queries"
            ));
        }
        Ok(Slot {
            field,
            alternatives,
            captures,
            checks: Vec::new(),
        })
    }

    fn node(
        &mut self,
        tokens: &mut Tokens,
        predicates: &mut Vec<Predicate>,
    ) -> Result<NodePattern, String> {
        match tokens.next() {
            Some(Token::Word(word)) if word == "_" => Ok(NodePattern {
                kind: Kind::Any,
                children: Vec::new(),
            }),
            Some(Token::Str(value)) => {
                let id = self.grammar.id_for_node_kind(&value, false);
                if id == 0 {
                    return tokens.fail(format!("the grammar has no token \"{value}\""));
                }
                Ok(NodePattern {
                    kind: Kind::Anonymous(id),
                    children: Vec::new(),
                })
            }
            Some(Token::Open) => {
                let kind = match tokens.next() {
                    Some(Token::Word(word)) if word == "_" => Kind::AnyNamed,
                    Some(Token::Word(word)) => {
                        let id = self.grammar.id_for_node_kind(&word, true);
                        if id == 0 {
                            return tokens.fail(format!("the grammar has no node `{word}`"));
                        }
                        if self.grammar.supertypes().contains(&id) {
                            return tokens.fail(format!("`{word}` is a supertype, which rule queries do not use; name its subtypes"));
                        }
                        Kind::Named(id)
                    }
                    Some(Token::Str(value)) => {
                        let id = self.grammar.id_for_node_kind(&value, false);
                        if id == 0 {
                            return tokens.fail(format!("the grammar has no token \"{value}\""));
                        }
                        Kind::Anonymous(id)
                    }
                    _ => return tokens.fail("expected a node kind after `(`"),
                };
                let mut children = Vec::new();
                loop {
                    match tokens.peek() {
                        Some(Token::Close) => {
                            tokens.next();
                            break;
                        }
                        None => return tokens.fail("a pattern is not closed"),
                        Some(Token::Open)
                            if matches!(
                                tokens.tokens.get(tokens.at + 1),
                                Some((_, Token::Predicate(_)))
                            ) =>
                        {
                            predicates.push(self.predicate(tokens)?);
                        }
                        Some(Token::Field(name)) => {
                            let name = name.clone();
                            let Some(id) = self.grammar.field_id_for_name(&name) else {
                                return tokens.fail(format!("the grammar has no field `{name}`"));
                            };
                            tokens.next();
                            children.push(self.slot(tokens, Some(id), predicates)?);
                        }
                        _ => children.push(self.slot(tokens, None, predicates)?),
                    }
                }
                Ok(NodePattern { kind, children })
            }
            Some(Token::Other(c)) => tokens.fail(format!(
                "`{c}` (quantifiers, anchors, negated fields) is not supported in rule queries"
            )),
            Some(other) => tokens.fail(format!("unexpected {other:?}")),
            None => tokens.fail("unexpected end of the query"),
        }
    }

    fn predicate(&mut self, tokens: &mut Tokens) -> Result<Predicate, String> {
        tokens.next(); // `(`
        let Some(Token::Predicate(name)) = tokens.next() else {
            return tokens.fail("expected a predicate");
        };
        let mut arguments = Vec::new();
        loop {
            match tokens.next() {
                Some(Token::Close) => break,
                Some(Token::Capture(capture)) => arguments.push(Err(capture)),
                Some(Token::Str(value)) => arguments.push(Ok(value)),
                _ => return tokens.fail(format!("bad argument to #{name}")),
            }
        }
        let capture_named = |reader: &mut Self, capture: &str| {
            Ok::<u32, String>(reader.capture(capture.to_string()))
        };
        let (positive, base) = match name.strip_prefix("not-") {
            Some(base) => (false, base),
            None => (true, name.as_str()),
        };
        match (base, arguments.as_slice()) {
            ("eq?", [Err(capture), Ok(value)]) => Ok(Predicate::Text {
                capture: capture_named(self, capture)?,
                values: vec![value.clone()],
                positive,
            }),
            ("eq?", [Err(left), Err(right)]) => Ok(Predicate::SameText {
                left: capture_named(self, left)?,
                right: capture_named(self, right)?,
                positive,
            }),
            ("any-of?", [Err(capture), values @ ..]) if values.iter().all(Result::is_ok) => {
                Ok(Predicate::Text {
                    capture: capture_named(self, capture)?,
                    values: values.iter().filter_map(|v| v.clone().ok()).collect(),
                    positive,
                })
            }
            _ => tokens.fail(format!(
                "#{name} with these arguments is not supported in rule queries"
            )),
        }
    }
}

/// Fills each slot's `checks`: the predicates on its captures alone.
fn attach_checks(slot: &mut Slot, predicates: &[Predicate]) {
    slot.checks = predicates
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p, Predicate::Text { capture, .. } if slot.captures.contains(capture)))
        .map(|(i, _)| i)
        .collect();
    for alternative in &mut slot.alternatives {
        for child in &mut alternative.children {
            attach_checks(child, predicates);
        }
    }
}

fn collect_captures(slot: &Slot, out: &mut Vec<u32>) {
    out.extend(&slot.captures);
    for alternative in &slot.alternatives {
        for child in &alternative.children {
            collect_captures(child, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use streaming_iterator::StreamingIterator;
    use tree_sitter::QueryCursor;

    use super::*;
    use crate::lang::NodeExt;
    use crate::parse;

    /// A match as (pattern, sorted (capture name, node id)): comparable across the
    /// two matchers, whose capture indices differ.
    type Key = (usize, Vec<(String, usize)>);

    /// Each language's queries compiled by tree-sitter, once for all the tests.
    fn compiled(language: Language) -> &'static parse::CompiledQuery {
        static COMPILED: [std::sync::OnceLock<parse::CompiledQuery>; 2] =
            [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
        let slot = usize::from(language == Language::Scala);
        COMPILED[slot].get_or_init(|| parse::compile_rule_query(language).unwrap())
    }

    fn tree_sitter_matches(language: Language, tree: &tree_sitter::Tree, text: &str) -> Vec<Key> {
        let compiled = compiled(language);
        let names = compiled.query.capture_names();
        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(&compiled.query, tree.root_node(), text.as_bytes());
        let mut all = Vec::new();
        while let Some(m) = matches.next() {
            let mut captures: Vec<(String, usize)> = m
                .captures()
                .iter()
                .map(|c| (names[c.index as usize].to_string(), c.node.id()))
                .collect();
            captures.sort();
            all.push((m.pattern_index, captures));
        }
        all.sort();
        all
    }

    fn own_matches(
        language: Language,
        tree: &tree_sitter::Tree,
        text: &str,
        skip: &[Range<usize>],
    ) -> Vec<Key> {
        let query = parse::rule_query(language);
        let names = query.capture_names();
        let key = |m: &Match<'_>| {
            let mut captures: Vec<(String, usize)> = m
                .captures
                .iter()
                .map(|c| (names[c.index as usize].clone(), c.node.id()))
                .collect();
            captures.sort();
            (m.pattern_index, captures)
        };
        let mut all = Vec::new();
        query.each_match(tree.root_node(), text, skip, |m| {
            all.push(key(m));
            ControlFlow::Continue(())
        });
        // The model's walk collects the candidate roots; matching among them finds
        // the same matches in the same order.
        let mut roots = Vec::new();
        crate::model::scope::walk(tree.root_node(), query.root_kinds(), &mut roots, |_, _| {
            None
        });
        let mut among = Vec::new();
        query.each_match_among(&roots, tree.root_node(), text, skip, |m| {
            among.push(key(m));
            ControlFlow::Continue(())
        });
        assert_eq!(among, all, "matches among the walk's roots");
        all.sort();
        all
    }

    fn corpus_sources(dir: &Path, out: &mut Vec<(Language, String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                corpus_sources(&path, out);
            } else if let Some(language) = crate::lang::language_of_path(&path) {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((language, path.display().to_string(), text));
            }
        }
    }

    #[test]
    fn every_pattern_is_read_as_tree_sitter_reads_it() {
        for language in Language::ALL {
            let own = RuleQuery::new(language).unwrap();
            let compiled = compiled(language);
            assert_eq!(own.pattern_count(), compiled.query.pattern_count());
            let own_rules: Vec<_> = own.pattern_rules.iter().map(|r| r.code).collect();
            let ts_rules: Vec<_> = compiled.pattern_rules.iter().map(|r| r.code).collect();
            assert_eq!(own_rules, ts_rules);
            let mut own_names = own.capture_names().to_vec();
            let mut ts_names: Vec<String> = compiled
                .query
                .capture_names()
                .iter()
                .map(|n| n.to_string())
                .collect();
            own_names.sort();
            ts_names.sort();
            assert_eq!(own_names, ts_names);
        }
    }

    #[test]
    fn the_matcher_finds_exactly_what_tree_sitter_finds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut cases = Vec::new();
        corpus_sources(&root.join("corpus"), &mut cases);
        corpus_sources(&root.join("tests"), &mut cases);
        assert!(cases.len() > 40, "{} corpus files", cases.len());
        let chain = format!(
            "import pyspark\nrows = spark.table('t'){}.collect()\n",
            ".filter('x')".repeat(300)
        );
        cases.push((Language::Python, "chain".into(), chain));
        let nested = format!(
            "object A {{ val x = {}spark.table(\"t\").collect(){} }}\n",
            "Some(".repeat(200),
            ")".repeat(200)
        );
        cases.push((Language::Scala, "nested".into(), nested));
        let comparisons = "import pyspark\nif df.count() == 0 < 1 == df2.count():\n    pass\nok = len(df.collect()) == 0 == 1\n";
        cases.push((Language::Python, "comparisons".into(), comparisons.into()));
        let mut total = 0;
        for (language, name, text) in cases {
            let tree = parse::parse(language, &text).unwrap();
            let expected = tree_sitter_matches(language, &tree, &text);
            let got = own_matches(language, &tree, &text, &[]);
            assert_eq!(got, expected, "{name}");
            total += got.len();
        }
        assert!(total > 500, "{total} matches");
    }

    #[test]
    fn most_patterns_have_a_gate_on_a_name() {
        for language in Language::ALL {
            let query = RuleQuery::new(language).unwrap();
            let gated: Vec<&Gate> = query
                .patterns
                .iter()
                .filter_map(|p| p.gate.as_ref())
                .collect();
            assert!(
                gated.len() * 2 > query.patterns.len(),
                "{language:?}: {} of {} patterns gated",
                gated.len(),
                query.patterns.len()
            );
            assert!(
                gated
                    .iter()
                    .all(|g| !g.values.is_empty() && g.path.len() <= GATE_DEPTH)
            );
            assert!(
                gated
                    .iter()
                    .any(|g| g.values.iter().any(|v| v == "collect"))
            );
        }
    }

    #[test]
    fn skipped_literal_lists_lose_no_match() {
        let numbers = vec!["1"; 300].join(", ");
        let text = format!(
            "import pyspark\nrows = spark.createDataFrame([{numbers}]).collect()\nn = sc.parallelize(({numbers})).count()\nspark.table('t').collect()\n"
        );
        let tree = parse::parse(Language::Python, &text).unwrap();
        let mut skip = Vec::new();
        let mut cursor = tree.walk();
        'walk: loop {
            let node = cursor.node();
            if matches!(node.kind_name(), "list" | "tuple") && node.named_child_count() >= 256 {
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
        let all = own_matches(Language::Python, &tree, &text, &[]);
        assert!(all.len() >= 3);
        assert_eq!(all, own_matches(Language::Python, &tree, &text, &skip));
        assert_eq!(all, tree_sitter_matches(Language::Python, &tree, &text));
    }

    #[test]
    fn syntax_outside_the_supported_part_is_an_error() {
        let grammar = Language::Python.grammar();
        let read = |text: &str| {
            QueryReader {
                grammar: &grammar,
                capture_names: Vec::new(),
            }
            .read_file(text)
            .map(|patterns| patterns.len())
        };
        assert_eq!(read("(call) @violation\n(identifier) @violation"), Ok(2));
        for (text, problem) in [
            ("(call (identifier)* @x) @violation", "not supported"),
            ("(call . (identifier)) @violation", "not supported"),
            ("(no_such_node) @violation", "no node `no_such_node`"),
            ("(call nope: (identifier)) @violation", "no field `nope`"),
            ("(call) @other", "@violation"),
            ("(call (#match? @violation \"x\")) @violation", "#match?"),
            ("(call", "not closed"),
            ("(expression) @violation", "supertype"),
        ] {
            let err = read(text).unwrap_err();
            assert!(err.contains(problem), "{text}: {err}");
        }
    }
}
