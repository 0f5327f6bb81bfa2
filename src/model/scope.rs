//! Scopes and bindings, shared by every language's reader: which definition a use of
//! a name sees, plus the memo that makes each expression's value computed once.

use crate::lang::{FastMap, NodeExt};
use std::cell::{Cell, RefCell};
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
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
    pub bindings: FastMap<&'t str, Vec<Binding<'t>>>,
    /// The same bindings by name and scope, in the order they were made: a name
    /// bound in each of 20,000 functions is looked up without scanning them all.
    scoped: FastMap<(&'t str, usize), Vec<Binding<'t>>>,
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
            bindings: FastMap::default(),
            scoped: FastMap::default(),
        }
    }

    pub fn open(&mut self, node: Node<'t>, parent: usize, kind: ScopeKind) -> usize {
        self.scopes.push(Scope {
            range: node.byte_range(),
            parent,
            kind,
            returns: Vec::new(),
            return_type: node.field("return_type"),
        });
        self.scopes.len() - 1
    }

    pub fn bind(&mut self, name: &'t str, scope: usize, visible_from: usize, bound: Bound<'t>) {
        let binding = Binding {
            scope,
            visible_from,
            bound,
        };
        self.bindings.entry(name).or_default().push(binding);
        self.scoped.entry((name, scope)).or_default().push(binding);
    }

    /// The innermost scope holding `offset`.
    pub fn scope_at(&self, offset: usize) -> usize {
        // Scopes are opened in source order and nest: the last one opened at or
        // before the offset holds it, or one of its parents does.
        let mut scope = self
            .scopes
            .partition_point(|s| s.range.start <= offset)
            .saturating_sub(1);
        while scope != 0 && !self.scopes[scope].range.contains(&offset) {
            scope = self.scopes[scope].parent;
        }
        scope
    }

    /// The binding a use of `name` at `offset` sees.
    pub fn lookup(&self, name: &str, offset: usize) -> Option<Binding<'t>> {
        if !self.bindings.contains_key(name) {
            return None;
        }
        let here = self.scope_at(offset);
        let mut scope = here;
        loop {
            if let Some(bindings) = self.scoped.get(&(name, scope)) {
                let last_before = bindings.iter().rev().find(|b| b.visible_from <= offset);
                return match last_before {
                    Some(b) => Some(*b),
                    // A nested function runs later and sees the final binding; so
                    // does any use in an unordered scope.
                    None if !self.scopes[scope].kind.ordered() || here != scope => {
                        bindings.last().copied()
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
    /// same function as it, skipping loops `small` says are small. `bodies` indexes
    /// the loops' bodies, so only the loops around `range` are looked at.
    pub fn loop_around<'l>(
        &self,
        loops: &'l [Loop<'t>],
        bodies: &Nested,
        range: &Range<usize>,
        small: impl Fn(&Loop<'t>) -> bool,
    ) -> Option<&'l Loop<'t>> {
        let body = &self.scopes[self.body_at(range.start)].range;
        // Innermost first: the first loop that passes is the innermost that does.
        bodies
            .around(range.start)
            .map(|at| &loops[at])
            .filter(|l| range.end <= l.body.end)
            // A comprehension's first iterable is evaluated once.
            .filter(|l| {
                l.iterable.is_none_or(|it| {
                    !(it.start_byte() <= range.start && range.end <= it.end_byte())
                })
            })
            .filter(|l| body.start <= l.range.start)
            .find(|l| !small(l))
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
        // Borrowed keys of a tuple cannot be looked up with a shorter-lived `name`
        // directly; the name's own entry gives the `'t` one.
        let Some((&key, _)) = self.bindings.get_key_value(name) else {
            return 0;
        };
        self.scoped.get(&(key, scope)).map_or(0, Vec::len)
    }

    /// The one binding `name` has in `scope` itself, when it has exactly one.
    pub fn only_binding_in(&self, name: &str, scope: usize) -> Option<Binding<'t>> {
        let (&key, _) = self.bindings.get_key_value(name)?;
        match self.scoped.get(&(key, scope))?.as_slice() {
            [only] => Some(*only),
            _ => None,
        }
    }

    /// The class or object body whose member functions hold `offset`.
    pub fn members_around(&self, offset: usize) -> Option<usize> {
        let mut scope = self.scope_at(offset);
        loop {
            if self.scopes[scope].kind == ScopeKind::Members {
                return Some(scope);
            }
            if scope == 0 {
                return None;
            }
            scope = self.scopes[scope].parent;
        }
    }

    pub fn is_bound(&self, name: &str) -> bool {
        self.bindings.contains_key(name)
    }
}

/// Walks every node in order, keeping the stack of open scopes: `visit` gets each
/// node and the innermost scope around it, and returns a scope the node opens.
/// Returns how deep the tree is (the root is depth 0). The nodes whose kind is set in
/// `collect` (by kind id) are pushed on `collected` in the walk's order: the rule
/// query's candidate roots, found without a second walk of the tree.
pub fn walk<'t>(
    root: Node<'t>,
    collect: &[bool],
    collected: &mut Vec<Node<'t>>,
    mut visit: impl FnMut(Node<'t>, usize) -> Option<(usize, usize)>,
) -> usize {
    let mut cursor = root.walk();
    // Counted here: the cursor's own `depth()` walks its whole stack.
    let mut level = 0;
    let mut depth = 0;
    // (scope, end offset)
    let mut stack: Vec<(usize, usize)> = vec![(0, usize::MAX)];
    loop {
        let node = cursor.node();
        if collect
            .get(usize::from(node.kind_id()))
            .copied()
            .unwrap_or(false)
        {
            collected.push(node);
        }
        while stack.len() > 1 && node.start_byte() >= stack.last().unwrap().1 {
            stack.pop();
        }
        if let Some(opened) = visit(node, stack.last().unwrap().0) {
            stack.push(opened);
        }
        if cursor.goto_first_child() {
            level += 1;
            depth = depth.max(level);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return depth;
            }
            level -= 1;
        }
    }
}

/// Each expression's value, computed once; cycles and runaway depth end in Unknown.
#[derive(Default)]
pub struct Memo {
    values: RefCell<FastMap<usize, Value>>,
    depth: Cell<u32>,
}

impl Memo {
    /// Whether `node`'s value is known (or being computed).
    pub fn contains(&self, node: Node<'_>) -> bool {
        self.values.borrow().contains_key(&node.id())
    }

    /// The value of `node` when its value depends on a chain of receivers
    /// (`receiver` gives the next one down: `a.f().g()` → `a.f()` → `a`): the
    /// receivers not yet known are computed first, innermost first, so a method chain
    /// of any length is evaluated in one pass without deep recursion (which would
    /// stop at [`MAX_DEPTH`] and make the end of a long chain unknown).
    pub fn value_of_chain<'t>(
        &self,
        node: Node<'t>,
        receiver: impl Fn(Node<'t>) -> Option<Node<'t>>,
        compute: impl Fn(Node<'t>) -> Value,
    ) -> Value {
        if !self.contains(node) {
            let mut pending = Vec::new();
            let mut next = receiver(node);
            while let Some(inner) = next {
                if self.contains(inner) {
                    break;
                }
                pending.push(inner);
                next = receiver(inner);
            }
            for inner in pending.into_iter().rev() {
                self.value(inner, || compute(inner));
            }
        }
        self.value(node, || compute(node))
    }

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

/// The root of every method chain in a tree, found while the model is built:
/// every call of a 20,000-call chain asks for the same root, and walking the chain
/// each time would be quadratic.
#[derive(Default)]
pub struct ChainRoots<'t> {
    roots: FastMap<usize, Node<'t>>,
}

impl<'t> ChainRoots<'t> {
    /// Notes the chain `node` ends, unless known; `step` gives the next node down a
    /// chain (the steps the language's `method_chain` takes). Called on every node
    /// in tree order: outer calls come first, and one walk down fills in the whole
    /// chain below.
    pub fn add(&mut self, node: Node<'t>, step: impl Fn(Node<'t>) -> Option<Node<'t>>) {
        if self.roots.contains_key(&node.id()) {
            return;
        }
        let Some(mut next) = step(node) else {
            return;
        };
        let mut path = vec![node];
        let root = loop {
            if let Some(&root) = self.roots.get(&next.id()) {
                break root;
            }
            match step(next) {
                Some(below) => {
                    path.push(next);
                    next = below;
                }
                None => break next,
            }
        };
        for inner in path {
            self.roots.insert(inner.id(), root);
        }
    }

    /// The root of the chain `node` ends (`node` itself when it ends none).
    pub fn root(&self, node: Node<'t>) -> Node<'t> {
        self.roots.get(&node.id()).copied().unwrap_or(node)
    }
}

/// Ranges that nest or lie apart (the bodies of loops), indexed to list the ones
/// around an offset, innermost first, without scanning them all.
#[derive(Clone, Debug, Default)]
pub struct Nested {
    /// Indices into the ranges given, by start; outer before inner.
    order: Vec<usize>,
    starts: Vec<usize>,
    ranges: Vec<Range<usize>>,
    /// For each position in `order`, the position of the innermost range around it.
    parents: Vec<usize>,
}

impl Nested {
    pub fn new(ranges: Vec<Range<usize>>) -> Self {
        let mut order: Vec<usize> = (0..ranges.len()).collect();
        order.sort_by_key(|&i| (ranges[i].start, std::cmp::Reverse(ranges[i].end), i));
        let mut parents = Vec::with_capacity(order.len());
        let mut open: Vec<usize> = Vec::new();
        for (at, &i) in order.iter().enumerate() {
            let range = &ranges[i];
            while open.last().is_some_and(|&top| {
                let outer = &ranges[order[top]];
                outer.end < range.end || outer.end <= range.start
            }) {
                open.pop();
            }
            parents.push(open.last().copied().unwrap_or(usize::MAX));
            open.push(at);
        }
        let starts = order.iter().map(|&i| ranges[i].start).collect();
        Nested {
            order,
            starts,
            ranges,
            parents,
        }
    }

    /// The indices of the ranges holding `offset`, innermost first.
    pub fn around(&self, offset: usize) -> impl Iterator<Item = usize> + '_ {
        let mut at = self
            .starts
            .partition_point(|&start| start <= offset)
            .wrapping_sub(1);
        std::iter::from_fn(move || {
            while at != usize::MAX {
                let i = self.order[at];
                at = self.parents[at];
                if self.ranges[i].contains(&offset) || self.ranges[i].start == offset {
                    return Some(i);
                }
            }
            None
        })
    }
}

/// Byte ranges in source order, for asking which of them hold an offset without
/// scanning them all.
#[derive(Clone, Debug, Default)]
pub struct Regions {
    /// Outermost ranges only, sorted and disjoint.
    outer: Vec<Range<usize>>,
}

impl Regions {
    /// The regions of `ranges` (in any order; nested ones fold into their parent).
    pub fn new(mut ranges: Vec<Range<usize>>) -> Self {
        ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        let mut outer: Vec<Range<usize>> = Vec::new();
        for range in ranges {
            match outer.last_mut() {
                Some(last) if range.start < last.end => last.end = last.end.max(range.end),
                _ => outer.push(range),
            }
        }
        Regions { outer }
    }

    /// Whether one region holds all of `range`.
    pub fn holds(&self, range: &Range<usize>) -> bool {
        let at = self.outer.partition_point(|r| r.start <= range.start);
        at > 0 && range.end <= self.outer[at - 1].end
    }

    /// The first region, if any.
    pub fn first(&self) -> Option<&Range<usize>> {
        self.outer.first()
    }
}

/// The branches of every `if`, indexed to say whether two offsets sit in different
/// branches of one `if` without scanning them all. Branches nest (an `if` inside a
/// branch) or are apart, so each offset has a short chain of branches around it.
#[derive(Clone, Debug, Default)]
pub struct BranchIndex {
    /// (range, which `if`, which of its branches), by start; outer before inner.
    branches: Vec<(Range<usize>, usize, usize)>,
    /// The innermost branch around each one, or `usize::MAX`.
    parents: Vec<usize>,
}

impl BranchIndex {
    /// `ifs`: the branch ranges of each `if`.
    pub fn new(ifs: &[Vec<Range<usize>>]) -> Self {
        let mut branches: Vec<(Range<usize>, usize, usize)> = ifs
            .iter()
            .enumerate()
            .flat_map(|(i, ranges)| {
                ranges
                    .iter()
                    .enumerate()
                    .map(move |(b, range)| (range.clone(), i, b))
            })
            .collect();
        branches.sort_by_key(|(r, i, b)| (r.start, std::cmp::Reverse(r.end), *i, *b));
        let mut parents = Vec::with_capacity(branches.len());
        let mut open: Vec<usize> = Vec::new();
        for (at, (range, _, _)) in branches.iter().enumerate() {
            while open.last().is_some_and(|&top| {
                branches[top].0.end < range.end || branches[top].0.end <= range.start
            }) {
                open.pop();
            }
            parents.push(open.last().copied().unwrap_or(usize::MAX));
            open.push(at);
        }
        BranchIndex { branches, parents }
    }

    /// The (if, branch) pairs around `offset`, innermost first.
    fn around(&self, offset: usize) -> Vec<(usize, usize)> {
        let mut at = self
            .branches
            .partition_point(|(r, _, _)| r.start <= offset)
            .wrapping_sub(1);
        let mut out = Vec::new();
        while at != usize::MAX {
            let (range, i, b) = &self.branches[at];
            if range.contains(&offset) {
                out.push((*i, *b));
            }
            at = self.parents[at];
        }
        out
    }

    /// Whether `a` and `b` sit in different branches of one `if`.
    pub fn exclusive(&self, a: usize, b: usize) -> bool {
        let of_a = self.around(a);
        if of_a.is_empty() {
            return false;
        }
        self.around(b)
            .iter()
            .any(|(i, y)| of_a.iter().any(|(j, x)| i == j && x != y))
    }
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

#[cfg(test)]
mod index_tests {
    use super::*;

    /// Ranges that nest or lie apart, as syntax trees give them.
    fn laminar() -> Vec<Range<usize>> {
        vec![
            0..100,
            10..40,
            12..20,
            12..20,
            25..39,
            50..60,
            70..100,
            71..72,
            100..120,
        ]
    }

    #[test]
    fn nested_lists_the_ranges_around_an_offset_innermost_first() {
        let ranges = laminar();
        let nested = Nested::new(ranges.clone());
        for offset in 0..125 {
            let mut expected: Vec<usize> = (0..ranges.len())
                .filter(|&i| ranges[i].contains(&offset))
                .collect();
            expected.sort_by_key(|&i| (std::cmp::Reverse(ranges[i].start), ranges[i].end));
            let mut found: Vec<usize> = nested.around(offset).collect();
            // Equal ranges come in either order.
            found.sort_by_key(|&i| (std::cmp::Reverse(ranges[i].start), ranges[i].end, i));
            expected.sort_by_key(|&i| (std::cmp::Reverse(ranges[i].start), ranges[i].end, i));
            assert_eq!(found, expected, "offset {offset}");
        }
    }

    #[test]
    fn branch_index_agrees_with_a_scan_of_every_if() {
        let ifs = vec![
            vec![0..10, 10..30],
            vec![12..15, 16..20, 21..29],
            vec![40..50, 55..60],
            vec![41..45, 45..49],
        ];
        let index = BranchIndex::new(&ifs);
        let scan = |a: usize, b: usize| {
            ifs.iter().any(|branches| {
                let of = |at: usize| branches.iter().position(|r| r.contains(&at));
                matches!((of(a), of(b)), (Some(x), Some(y)) if x != y)
            })
        };
        for a in 0..62 {
            for b in 0..62 {
                assert_eq!(index.exclusive(a, b), scan(a, b), "{a} {b}");
            }
        }
    }

    #[test]
    fn regions_hold_ranges_inside_one_outer_region() {
        let regions = Regions::new(vec![50..60, 10..20, 12..15, 20..30]);
        assert!(regions.holds(&(12..14)) && regions.holds(&(10..20)) && regions.holds(&(20..30)));
        assert!(!regions.holds(&(15..25)) && !regions.holds(&(5..12)) && !regions.holds(&(31..32)));
        assert_eq!(regions.first(), Some(&(10..20)));
    }
}
