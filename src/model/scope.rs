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
    pub kind: ScopeKind,
    /// For functions: the returned expressions and the declared result type.
    pub returns: Vec<Node<'t>>,
    pub return_type: Option<Node<'t>>,
}

/// What opened a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// The file: a use may see a later definition (a function runs after the
    /// module has been read).
    File,
    /// A function body: uses see only the bindings made before them.
    Function,
    /// A lambda or a `case` clause: ordered, and run where it is written (a loop
    /// over a lambda's body is still a loop).
    Lambda,
    /// A class or object body: members see each other whatever the order.
    Members,
}

impl ScopeKind {
    fn ordered(self) -> bool {
        matches!(self, ScopeKind::Function | ScopeKind::Lambda)
    }
}

/// A loop: what runs once per iteration.
#[derive(Clone, Debug)]
pub struct Loop<'t> {
    pub kind: LoopKind,
    /// The whole loop.
    pub range: Range<usize>,
    /// What runs on every iteration: the body, and a `while` condition.
    pub body: Range<usize>,
    /// What the loop iterates over (`None` for `while`).
    pub iterable: Option<Node<'t>>,
    /// The names bound per iteration (`for t in tables` → `t`).
    pub targets: Vec<&'t str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopKind {
    For,
    While,
    Comprehension,
    /// `xs.foreach { ... }`
    Foreach,
    /// `xs.foldLeft(init)(f)`, `xs.reduce(f)`, `functools.reduce(f, xs, init)`
    Fold,
    /// `xs.map { x => ... }`: a loop when `xs` is a local collection.
    Map,
}

/// Methods that add a step to a DataFrame's plan.
pub const PLAN_GROWTH: &[&str] = &[
    "withColumn",
    "withColumnRenamed",
    "withColumns",
    "withColumnsRenamed",
    "select",
    "drop",
    "union",
    "unionByName",
    "unionAll",
    "join",
];

/// What a function does to one of its parameters: it returns the parameter with a
/// plan step added (`def with_flag(df, c): return df.withColumn(...)`). The same
/// summary answers for a function of this file today and, through the project
/// index, for one imported from another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamGrowth {
    /// The parameter's position.
    pub param: usize,
    /// The growth method applied to it.
    pub method: &'static str,
}

/// A name reassigned from an expression (`df = df.withColumn(...)`, Scala's
/// `df = ...` on a `var`): what loops carry from one iteration to the next.
#[derive(Clone, Copy, Debug)]
pub struct Reassignment<'t> {
    pub target: Node<'t>,
    pub value: Node<'t>,
}

/// How a loop's body paces itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pacing {
    /// Neither sleeps nor reads a clock.
    Free,
    /// Reads a clock: a benchmark when it repeats the same job.
    Timed,
    /// Sleeps between iterations: a poll.
    Sleeps,
}

/// The names of calls that pace a loop or time its body: a poll or a benchmark
/// runs its job on purpose (`time.sleep`, `Thread.sleep`, `System.nanoTime`).
pub const PACING: &[&str] = &[
    "time.sleep",
    "time.time",
    "time.perf_counter",
    "time.perf_counter_ns",
    "time.monotonic",
    "time.time_ns",
    "Thread.sleep",
    "System.nanoTime",
    "System.currentTimeMillis",
];

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
    /// A class definition.
    Class,
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
                kind: ScopeKind::File,
                returns: Vec::new(),
                return_type: None,
            }],
            bindings: HashMap::new(),
        }
    }

    pub fn open(&mut self, node: Node<'t>, parent: usize, kind: ScopeKind) -> usize {
        self.scopes.push(Scope {
            range: node.byte_range(),
            parent,
            kind,
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
                    None if !self.scopes[scope].kind.ordered() || here != scope => {
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

    /// The innermost function, class or file around `offset`: code there runs when
    /// that body runs (lambdas are transparent: they run where they are written).
    pub fn body_at(&self, offset: usize) -> usize {
        let mut scope = self.scope_at(offset);
        while self.scopes[scope].kind == ScopeKind::Lambda {
            scope = self.scopes[scope].parent;
        }
        scope
    }

    /// The innermost loop in `loops` whose body holds `range` and that runs in the
    /// same function as it, skipping loops `small` says are small.
    pub fn loop_around<'l>(
        &self,
        loops: &'l [Loop<'t>],
        range: &Range<usize>,
        small: impl Fn(&Loop<'t>) -> bool,
    ) -> Option<&'l Loop<'t>> {
        let body = &self.scopes[self.body_at(range.start)].range;
        loops
            .iter()
            .filter(|l| l.body.start <= range.start && range.end <= l.body.end)
            // A comprehension's first iterable is evaluated once.
            .filter(|l| {
                l.iterable.is_none_or(|it| {
                    !(it.start_byte() <= range.start && range.end <= it.end_byte())
                })
            })
            .filter(|l| body.start <= l.range.start)
            .filter(|l| !small(l))
            .max_by_key(|l| l.body.start)
    }

    /// The declared type and the value (or parameter default) of the binding a use
    /// of `name` at `offset` sees.
    pub fn declared(
        &self,
        name: &str,
        offset: usize,
    ) -> Option<(Option<Node<'t>>, Option<Node<'t>>)> {
        match self.lookup(name, offset)?.bound {
            Bound::Value { annotation, value }
            | Bound::Param {
                annotation,
                default: value,
            } => Some((annotation, value)),
            _ => None,
        }
    }

    /// Like [`Scopes::constant`], and also a parameter's default value when the
    /// parameter is never reassigned (`def preview(df, n=20)` → `20`).
    pub fn constant_or_default(&self, name: &str, offset: usize) -> Option<Node<'t>> {
        let binding = self.lookup(name, offset)?;
        if self.bindings_in(name, binding.scope) != 1 {
            return None;
        }
        match binding.bound {
            Bound::Value { value, .. } => value,
            Bound::Param { default, .. } => default,
            _ => None,
        }
    }

    /// The expression a use of `name` at `offset` stands for when it is a constant:
    /// the only binding of the name in its scope (each object or function may have
    /// its own), bound to an expression.
    pub fn constant(&self, name: &str, offset: usize) -> Option<Node<'t>> {
        let binding = self.lookup(name, offset)?;
        if self.bindings_in(name, binding.scope) != 1 {
            return None;
        }
        match binding.bound {
            Bound::Value { value, .. } => value,
            _ => None,
        }
    }

    /// The expression the binding seen by a use of `name` at `offset` was bound to.
    pub fn definition(&self, name: &str, offset: usize) -> Option<Node<'t>> {
        match self.lookup(name, offset)?.bound {
            Bound::Value { value, .. } => value,
            _ => None,
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

/// One method call of a chain `root.a(..).b(..)`, from the root outwards.
#[derive(Clone, Copy, Debug)]
pub struct ChainCall<'t> {
    pub name: &'t str,
    /// The method name.
    pub name_node: Node<'t>,
    /// The whole call (or field access, for Scala's `df.count`).
    pub node: Node<'t>,
    pub args: Option<Node<'t>>,
}

/// A method chain: its root expression and its calls in order.
#[derive(Clone, Debug)]
pub struct Chain<'t> {
    pub root: Node<'t>,
    pub calls: Vec<ChainCall<'t>>,
}

/// Actions that run a Spark job.
pub const ACTIONS: &[&str] = &[
    "collect",
    "collectAsList",
    "collectAsMap",
    "count",
    "countByKey",
    "countByValue",
    "first",
    "foreach",
    "foreachPartition",
    "head",
    "isEmpty",
    "reduce",
    "saveAsTextFile",
    "saveAsObjectFile",
    "saveAsPickleFile",
    "show",
    "tail",
    "take",
    "takeOrdered",
    "takeSample",
    "toLocalIterator",
    "toPandas",
    "top",
];

/// Methods that keep a DataFrame's data for later actions.
pub const CACHING: &[&str] = &["cache", "persist", "checkpoint", "localCheckpoint"];

/// Writer methods that run a job.
pub const WRITES: &[&str] = &[
    "csv",
    "insertInto",
    "jdbc",
    "json",
    "orc",
    "parquet",
    "save",
    "saveAsTable",
    "text",
];

/// A call of an action, a write or a cache found while reading the file.
#[derive(Clone, Copy, Debug)]
pub struct ActionSite<'t> {
    pub call: Node<'t>,
    pub receiver: Node<'t>,
    pub name: &'t str,
}
