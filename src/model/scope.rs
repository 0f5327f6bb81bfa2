//! Scopes and bindings, shared by every language's reader: which definition a use of
//! a name sees, plus the memo that makes each expression's value computed once.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::Node;

use super::Value;

/// How deep evaluation may recurse before giving up (Unknown).
pub const MAX_DEPTH: u32 = 256;

#[derive(Debug)]
pub struct Scope<'t> {
    pub range: Range<usize>,
    pub parent: usize,
    /// Uses see only the bindings made before them (a function body); otherwise
    /// (a module, an object's members) a use may see a later definition.
    pub ordered: bool,
    /// For functions: the returned expressions and the declared result type.
    pub returns: Vec<Node<'t>>,
    pub return_type: Option<Node<'t>>,
}

#[derive(Clone, Copy, Debug)]
pub enum Bound<'t> {
    /// `name = value`, maybe with a declared type.
    Value {
        annotation: Option<Node<'t>>,
        value: Option<Node<'t>>,
    },
    /// A function parameter.
    Param {
        annotation: Option<Node<'t>>,
        default: Option<Node<'t>>,
    },
    /// A function definition: its scope.
    Function(usize),
    /// A loop target, a pattern, an unpacked tuple: nothing known.
    Opaque,
}

#[derive(Clone, Copy, Debug)]
pub struct Binding<'t> {
    pub scope: usize,
    /// The binding is seen by uses at or after this offset.
    pub visible_from: usize,
    pub bound: Bound<'t>,
}

/// The scopes of one file; scope 0 is the file itself.
pub struct Scopes<'t> {
    pub scopes: Vec<Scope<'t>>,
    pub bindings: HashMap<&'t str, Vec<Binding<'t>>>,
}

impl<'t> Scopes<'t> {
    pub fn new(len: usize) -> Self {
        Scopes {
            scopes: vec![Scope {
                range: 0..len,
                parent: 0,
                ordered: false,
                returns: Vec::new(),
                return_type: None,
            }],
            bindings: HashMap::new(),
        }
    }

    pub fn open(&mut self, node: Node<'t>, parent: usize, ordered: bool) -> usize {
        self.scopes.push(Scope {
            range: node.byte_range(),
            parent,
            ordered,
            returns: Vec::new(),
            return_type: node.child_by_field_name("return_type"),
        });
        self.scopes.len() - 1
    }

    pub fn bind(&mut self, name: &'t str, scope: usize, visible_from: usize, bound: Bound<'t>) {
        self.bindings.entry(name).or_default().push(Binding {
            scope,
            visible_from,
            bound,
        });
    }

    /// The innermost scope holding `offset`.
    pub fn scope_at(&self, offset: usize) -> usize {
        // Scopes are opened in source order and nest, so the last one holding the
        // offset is the innermost.
        self.scopes
            .iter()
            .rposition(|s| s.range.start <= offset && offset < s.range.end)
            .unwrap_or(0)
    }

    /// The binding a use of `name` at `offset` sees.
    pub fn lookup(&self, name: &str, offset: usize) -> Option<Binding<'t>> {
        let bindings = self.bindings.get(name)?;
        let here = self.scope_at(offset);
        let mut scope = here;
        loop {
            if bindings.iter().any(|b| b.scope == scope) {
                let last_before = bindings
                    .iter()
                    .rev()
                    .find(|b| b.scope == scope && b.visible_from <= offset);
                return match last_before {
                    Some(b) => Some(*b),
                    // A nested function runs later and sees the final binding; so
                    // does any use in an unordered scope.
                    None if !self.scopes[scope].ordered || here != scope => {
                        bindings.iter().rev().find(|b| b.scope == scope).copied()
                    }
                    None => None,
                };
            }
            if scope == 0 {
                return None;
            }
            scope = self.scopes[scope].parent;
        }
    }

    /// How many bindings `name` has in the whole file.
    pub fn binding_count(&self, name: &str) -> usize {
        self.bindings.get(name).map_or(0, Vec::len)
    }

    /// How many bindings `name` has in `scope`.
    pub fn bindings_in(&self, name: &str, scope: usize) -> usize {
        self.bindings
            .get(name)
            .map_or(0, |b| b.iter().filter(|b| b.scope == scope).count())
    }

    pub fn is_bound(&self, name: &str) -> bool {
        self.bindings.contains_key(name)
    }
}

/// Walks every node in order, keeping the stack of open scopes: `visit` gets each
/// node and the innermost scope around it, and returns a scope the node opens.
pub fn walk<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>, usize) -> Option<(usize, usize)>) {
    let mut cursor = root.walk();
    // (scope, end offset)
    let mut stack: Vec<(usize, usize)> = vec![(0, usize::MAX)];
    loop {
        let node = cursor.node();
        while stack.len() > 1 && node.start_byte() >= stack.last().unwrap().1 {
            stack.pop();
        }
        if let Some(opened) = visit(node, stack.last().unwrap().0) {
            stack.push(opened);
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// Each expression's value, computed once; cycles and runaway depth end in Unknown.
#[derive(Default)]
pub struct Memo {
    values: RefCell<HashMap<usize, Value>>,
    depth: Cell<u32>,
}

impl Memo {
    pub fn value<'t>(&self, node: Node<'t>, compute: impl FnOnce() -> Value) -> Value {
        if let Some(value) = self.values.borrow().get(&node.id()) {
            return *value;
        }
        if self.depth.get() >= MAX_DEPTH {
            return Value::UNKNOWN;
        }
        // A name defined through itself meets this placeholder and ends in Unknown.
        self.values.borrow_mut().insert(node.id(), Value::UNKNOWN);
        let value = self.nested(compute).unwrap_or(Value::UNKNOWN);
        self.values.borrow_mut().insert(node.id(), value);
        value
    }

    /// Runs `f` one level deeper, or not at all past the depth limit.
    pub fn nested<T>(&self, f: impl FnOnce() -> T) -> Option<T> {
        if self.depth.get() >= MAX_DEPTH {
            return None;
        }
        self.depth.set(self.depth.get() + 1);
        let result = f();
        self.depth.set(self.depth.get() - 1);
        Some(result)
    }
}

/// A column expression that is an aggregate or a literal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AggregateExpr {
    Literal,
    /// `gathers`: it collects rows into one value (`collect_list`).
    Aggregate {
        gathers: bool,
    },
}

impl AggregateExpr {
    pub fn combine(self, other: AggregateExpr) -> AggregateExpr {
        match (self, other) {
            (AggregateExpr::Literal, x) | (x, AggregateExpr::Literal) => x,
            (AggregateExpr::Aggregate { gathers: a }, AggregateExpr::Aggregate { gathers: b }) => {
                AggregateExpr::Aggregate { gathers: a || b }
            }
        }
    }

    /// Combines the expressions of an argument list: `Some` only when all of them
    /// are aggregates or literals and at least one is an aggregate.
    pub fn all(items: impl IntoIterator<Item = Option<AggregateExpr>>) -> Option<AggregateExpr> {
        let mut result = AggregateExpr::Literal;
        for item in items {
            result = result.combine(item?);
        }
        matches!(result, AggregateExpr::Aggregate { .. }).then_some(result)
    }
}
