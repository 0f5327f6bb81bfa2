//! The Scala side of the Spark model: reads imports, `val`/`var`/`def` bindings,
//! parameters (implicit ones too), method results and comments in one walk, then
//! answers what an expression is on demand, memoized per node.
//!
//! Scala shapes that matter: `df.collect` without parentheses is a field access,
//! `df collect` a postfix call, `df union other` an infix call, and
//! `rdd.collect { case ... }` is a transformation, not the action.

use crate::lang::{FastMap, Language, NodeExt};
use std::collections::HashSet;

use tree_sitter::{Node, Tree};

use super::api::{self, AGGREGATE_FUNCTIONS, Args, GATHERING_AGGREGATES};
use super::args::{CallArgs, Reader};
use super::context::{self, FunctionSpan, Launch};
use super::index::{
    Arg, CallSite, CallTarget, Constant, FileFacts, Function, Passed, PassedLookup, Reading,
    Summary,
};
use super::scope::Nested;
use super::scope::{
    ACTIONS, ActionSite, AggregateExpr, Binding, Bound, BranchIndex, CACHING, Chain, ChainCall,
    ChainRoots, Loop, LoopKind, Memo, PACING, PLAN_GROWTH, Pacing, ParamGrowth, Reassignment,
    Regions, ScopeKind, Scopes, WRITES, walk,
};
use super::settings::Setting;
use super::{Cardinality, Comment, Key, Kind, ModelOptions, Size, Value};

/// Methods that set Spark settings on a builder, a `SparkConf` or `spark.conf`.
const SETTING_METHODS: &[&str] = &[
    "config",
    "set",
    "setAll",
    "setIfMissing",
    "master",
    "setMaster",
];

/// Package prefixes whose import makes a file Spark code.
const SPARK_PACKAGES: &[&str] = &["org.apache.spark", "io.delta", "com.databricks"];

const FUNCTIONS: &str = "org.apache.spark.sql.functions";

/// Scala's own collections: constructing one gives local data.
const COLLECTIONS: &[&str] = &[
    "Seq",
    "List",
    "Array",
    "Vector",
    "Set",
    "Map",
    "Option",
    "Some",
    "Iterator",
    "IndexedSeq",
    "ListBuffer",
    "ArrayBuffer",
    "Range",
    "LazyList",
    "Stream",
    "Tuple2",
];

pub struct ScalaModel<'t> {
    text: &'t str,
    pub options: ModelOptions,
    spark: bool,
    /// Local name → qualified name (`F` → `org.apache.spark.sql.functions`).
    imports: FastMap<&'t str, String>,
    /// Packages and objects imported with `_` / `*`.
    wildcards: Vec<String>,
    scopes: Scopes<'t>,
    pub comments: Vec<Comment>,
    pub errors: Vec<std::ops::Range<usize>>,
    /// `errors`, indexed.
    pub error_regions: Regions,
    /// Regions no rule looks inside (none are found in Scala yet).
    pub literal_runs: Vec<std::ops::Range<usize>>,
    chain_roots: ChainRoots<'t>,
    /// How deep the tree is.
    pub depth: usize,
    /// Which action sites act on each binding, built on first use.
    pub action_index: super::ActionIndex,
    /// The `if` branches, indexed.
    branch_index: BranchIndex,
    /// The loops' bodies, indexed.
    loop_bodies: Nested,
    /// Calls that may set a Spark setting (`.config`, `.set`, `.setAll`).
    setting_calls: Vec<Node<'t>>,
    loops: Vec<Loop<'t>>,
    actions: Vec<ActionSite<'t>>,
    /// The branches of each `if`: code in two of them never runs together.
    branches: Vec<Vec<std::ops::Range<usize>>>,
    /// Field accesses that are the function of a call (`df.count` in `df.count()`).
    callees: HashSet<usize>,
    /// Objects defined in the file: name → scope of their members.
    objects: FastMap<&'t str, usize>,
    /// Objects and traits, whose members other files may use.
    containers: Vec<(&'t str, usize)>,
    /// Objects, traits and classes, whose `def`s other files may call.
    definers: Vec<(&'t str, usize)>,
    /// The `def`s of `definers`: qualified name (`Helpers.preview`), scope, definition.
    member_functions: Vec<(String, usize, Node<'t>)>,
    /// Calls whose callee is a plain or dotted name, for the project index.
    plain_calls: Vec<Node<'t>>,
    /// The value each `case` clause of a `match` takes apart, by the clause's id,
    /// until the walk reaches the clause.
    matched: FastMap<usize, Node<'t>>,
    /// Assignments that are named arguments (`f(x = 1)`), by node id.
    named_arguments: HashSet<usize>,
    /// The file's root, to find a function's definition from its scope.
    root: Node<'t>,
    /// Calls of a plain name (`helper(df, cols)`), by the name.
    calls_by_name: FastMap<&'t str, Vec<Node<'t>>>,
    /// Calls that pace a loop (`Thread.sleep`, `System.nanoTime`).
    pacing: Vec<Node<'t>>,
    /// Vars reassigned from an expression, in source order.
    reassignments: Vec<Reassignment<'t>>,
    /// Bodies registered to run later, not where they are written: ScalaTest's
    /// `test("...") { ... }`, `it(...)`, `"..." in { ... }`.
    deferred: Vec<std::ops::Range<usize>>,
    /// Test suites, test-support helpers and `test*` methods.
    pub test_regions: Vec<std::ops::Range<usize>>,
    functions: Vec<FunctionSpan<'t>>,
    /// Where assertions start: `assert(...)`, `throw`, ScalaTest matchers.
    asserts: Vec<usize>,
    /// The two sides of each `==` / `!=` / `===`.
    comparisons: Vec<context::Comparison>,
    /// Uses of names a notebook kernel predefines (Jupyter notebooks only).
    predefined_uses: Vec<Node<'t>>,
    memo: Memo,
    /// The nodes where a rule query's pattern may start, in tree order.
    pub query_roots: Vec<Node<'t>>,
}

impl<'t> ScalaModel<'t> {
    pub fn build(text: &'t str, tree: &'t Tree, options: ModelOptions) -> Self {
        let mut model = ScalaModel {
            text,
            spark: options.launch == Launch::Databricks,
            options,
            imports: FastMap::default(),
            wildcards: Vec::new(),
            scopes: Scopes::new(tree.root_node().end_byte().max(text.len())),
            comments: Vec::new(),
            errors: Vec::new(),
            error_regions: Regions::default(),
            literal_runs: Vec::new(),
            chain_roots: ChainRoots::default(),
            depth: 0,
            action_index: Default::default(),
            branch_index: BranchIndex::default(),
            loop_bodies: Nested::default(),
            setting_calls: Vec::new(),
            loops: Vec::new(),
            actions: Vec::new(),
            branches: Vec::new(),
            callees: HashSet::new(),
            named_arguments: HashSet::new(),
            objects: FastMap::default(),
            containers: Vec::new(),
            definers: Vec::new(),
            member_functions: Vec::new(),
            plain_calls: Vec::new(),
            matched: FastMap::default(),
            root: tree.root_node(),
            calls_by_name: FastMap::default(),
            pacing: Vec::new(),
            reassignments: Vec::new(),
            deferred: Vec::new(),
            test_regions: Vec::new(),
            functions: Vec::new(),
            asserts: Vec::new(),
            comparisons: Vec::new(),
            predefined_uses: Vec::new(),
            memo: Memo::default(),
            query_roots: Vec::new(),
        };
        let collect = crate::parse::rule_query(Language::Scala).root_kinds();
        let mut collected = Vec::new();
        model.depth = walk(tree.root_node(), collect, &mut collected, |node, scope| {
            let mut roots = std::mem::take(&mut model.chain_roots);
            roots.add(node, |n| model.chain_step(n));
            model.chain_roots = roots;
            model
                .visit(node, scope)
                .map(|opened| (opened, node.end_byte()))
        });
        model.query_roots = collected;
        model.member_functions = model.find_member_functions();
        model.error_regions = Regions::new(model.errors.clone());
        model.branch_index = BranchIndex::new(&model.branches);
        model.loop_bodies = Nested::new(model.loops.iter().map(|l| l.body.clone()).collect());
        let support = context::test_support_regions(
            model.text,
            &model.functions,
            &model.asserts,
            &model.comparisons,
            &model.actions,
        );
        model.test_regions.extend(support);
        if model.options.launch == Launch::Jupyter && !model.spark {
            model.spark = model.predefined_uses.iter().any(|node| {
                let name = model.text(*node);
                model.scopes.lookup(name, node.start_byte()).is_none()
                    && !model.imports.contains_key(name)
            });
        }
        model
    }

    /// Sees the project through `project` from now on: what was computed without
    /// it is forgotten.
    pub fn rebind(&mut self, project: std::sync::Arc<super::index::ProjectIndex>) {
        self.options.project = project;
        self.memo = Memo::default();
    }

    /// Forgets the values computed so far (while extracting facts): the second pass
    /// computes them again with the project index, and holding them between the
    /// passes would keep every kept file's values in memory at once.
    pub fn forget_values(&mut self) {
        self.memo = Memo::default();
    }

    pub fn is_spark_code(&self) -> bool {
        self.spark
    }

    pub fn source(&self) -> &'t str {
        self.text
    }

    pub fn text(&self, node: Node<'t>) -> &'t str {
        &self.text[node.byte_range()]
    }

    // ---- the walk ------------------------------------------------------------------

    fn bind(&mut self, name: Node<'t>, scope: usize, visible_from: usize, bound: Bound<'t>) {
        let name = self.text(name);
        self.scopes.bind(name, scope, visible_from, bound);
    }

    /// Binds every identifier of a pattern as opaque.
    fn bind_pattern(&mut self, pattern: Node<'t>, scope: usize, visible_from: usize) {
        if pattern.kind_name() == "identifier" {
            self.bind(pattern, scope, visible_from, Bound::Opaque);
            return;
        }
        if matches!(
            pattern.kind_name(),
            "type_identifier" | "generic_type" | "stable_type_identifier"
        ) {
            return;
        }
        let mut cursor = pattern.walk();
        for child in pattern.named_children(&mut cursor) {
            self.bind_pattern(child, scope, visible_from);
        }
    }

    /// `val (a, b) = (x, y)` binds each name to its element; `val Array(train, test)
    /// = df.randomSplit(...)` (or a tuple pattern) binds each name to a split, which
    /// has at most the rows of `df`. `false` when the pattern is not plain names
    /// matched to known parts.
    fn bind_destructured(
        &mut self,
        pattern: Node<'t>,
        value: Node<'t>,
        scope: usize,
        visible_from: usize,
    ) -> bool {
        let targets: Vec<Node<'t>> = match pattern.kind_name() {
            "tuple_pattern" => {
                let mut cursor = pattern.walk();
                pattern.named_children(&mut cursor).collect()
            }
            "case_class_pattern"
                if pattern
                    .field("type")
                    .is_some_and(|t| matches!(self.text(t), "Array" | "Seq" | "List")) =>
            {
                let mut cursor = pattern.walk();
                pattern
                    .children_by_field_name("pattern", &mut cursor)
                    .filter(|p| p.is_named())
                    .collect()
            }
            _ => return false,
        };
        if targets.is_empty() || targets.iter().any(|t| t.kind_name() != "identifier") {
            return false;
        }
        let values: Vec<Node<'t>> = if value.kind_name() == "tuple_expression" {
            let mut cursor = value.walk();
            value.named_children(&mut cursor).collect()
        } else if self.is_split_call(value) {
            vec![value; targets.len()]
        } else {
            return false;
        };
        if values.len() != targets.len() {
            return false;
        }
        for (target, value) in targets.into_iter().zip(values) {
            let bound = Bound::Value {
                annotation: None,
                value: Some(value),
            };
            self.bind(target, scope, visible_from, bound);
        }
        true
    }

    /// `df.randomSplit(...)`, `randomSplitAsList(...)`: several datasets, each with at
    /// most the rows of the receiver.
    fn is_split_call(&self, node: Node<'t>) -> bool {
        node.kind_name() == "call_expression"
            && node
                .field("function")
                .filter(|f| f.kind_name() == "field_expression")
                .and_then(|f| f.field("field"))
                .is_some_and(|f| matches!(self.text(f), "randomSplit" | "randomSplitAsList"))
    }

    /// `case Success(df) =>` over `Try(expr)` (`Some(df)` over `Some(expr)` /
    /// `Option(expr)`, `Right(df)` over `Right(expr)`): `df` is `expr`. The matched
    /// value may be a name bound to the wrapper (`val attempt = Try(...)`).
    fn bind_case_pattern(&mut self, clause: Node<'t>, scrutinee: Node<'t>, scope: usize) {
        let Some(pattern) = clause.field("pattern") else {
            return;
        };
        if pattern.kind_name() != "case_class_pattern" {
            return;
        }
        let Some(wrapper) = pattern.field("type").map(|t| self.text(t)) else {
            return;
        };
        let mut cursor = pattern.walk();
        let inner: Vec<Node<'t>> = pattern
            .children_by_field_name("pattern", &mut cursor)
            .filter(|p| p.is_named())
            .collect();
        let [inner] = inner.as_slice() else {
            return;
        };
        let (name, annotation) = match inner.kind_name() {
            "identifier" => (*inner, None),
            "typed_pattern" => match inner.field("pattern") {
                Some(name) if name.kind_name() == "identifier" => (name, inner.field("type")),
                _ => return,
            },
            _ => return,
        };
        let value = self.unwrapped(scrutinee, wrapper);
        if value.is_none() && annotation.is_none() {
            return;
        }
        self.bind(
            name,
            scope,
            clause.start_byte(),
            Bound::Value { annotation, value },
        );
    }

    /// The expression a `Try(e)` / `Some(e)` / `Option(e)` / `Right(e)` wraps, for the
    /// case pattern `wrapper(...)` that takes it apart; through a `val` bound to it.
    fn unwrapped(&self, node: Node<'t>, wrapper: &str) -> Option<Node<'t>> {
        let node = match node.kind_name() {
            "identifier" => match self
                .scopes
                .lookup(self.text(node), node.start_byte())?
                .bound
            {
                Bound::Value {
                    value: Some(value), ..
                } => value,
                _ => return None,
            },
            _ => node,
        };
        if node.kind_name() != "call_expression" {
            return None;
        }
        let function = node.field("function")?;
        let made_by = self.text(function);
        let fits = match wrapper {
            "Success" => matches!(made_by, "Try" | "scala.util.Try"),
            "Some" => matches!(made_by, "Some" | "Option"),
            "Right" => made_by == "Right",
            _ => false,
        };
        if !fits {
            return None;
        }
        let arguments = node.field("arguments")?;
        match arguments.kind_name() {
            // `Try { ... }`: the block's last expression.
            "block" => last_expression(arguments),
            _ => arguments.named_child(0),
        }
    }

    fn visit(&mut self, node: Node<'t>, scope: usize) -> Option<usize> {
        match node.kind_name() {
            "import_declaration" => self.visit_import(node),
            "val_definition" | "var_definition" => {
                let pattern = node.field("pattern")?;
                // `val x =` with the value on the next lines: an indented block.
                let value = node.field("value").map(|v| match v.kind_name() {
                    "indented_block" => last_expression(v).unwrap_or(v),
                    _ => v,
                });
                if pattern.kind_name() == "identifier" {
                    let bound = Bound::Value {
                        annotation: node.field("type"),
                        value,
                    };
                    self.bind(pattern, scope, node.end_byte(), bound);
                } else if !value.is_some_and(|value| {
                    self.bind_destructured(pattern, value, scope, node.end_byte())
                }) {
                    self.bind_pattern(pattern, scope, node.end_byte());
                }
            }
            "arguments" => {
                // `f(x = 1)`: a named argument, which binds nothing.
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind_name() == "assignment_expression" {
                        self.named_arguments.insert(child.id());
                    }
                }
            }
            "assignment_expression" => {
                // `x = value` reassigns a var.
                let left = node.field("left")?;
                if left.kind_name() == "identifier" && !self.named_arguments.contains(&node.id()) {
                    if let Some(value) = node.field("right") {
                        self.reassignments.push(Reassignment {
                            target: left,
                            value,
                        });
                    }
                    let bound = Bound::Value {
                        annotation: None,
                        value: node.field("right"),
                    };
                    // The assignment changes the var where it was declared (a lambda
                    // or a loop body assigning an outer var included).
                    let declared = self
                        .scopes
                        .lookup(self.text(left), node.start_byte())
                        .map_or(scope, |b| b.scope);
                    self.bind(left, declared, node.end_byte(), bound);
                }
            }
            "function_definition" | "given_definition" => {
                let opened = self.scopes.open(node, scope, ScopeKind::Function);
                if let Some(body) = node.field("body") {
                    self.scopes.scopes[opened].returns.push(body);
                }
                if let Some(name) = node.field("name") {
                    self.bind(name, scope, node.start_byte(), Bound::Function(opened));
                    let name = self.text(name);
                    if context::is_test_function_name(name) {
                        self.test_regions.push(node.byte_range());
                    }
                    self.functions.push(FunctionSpan {
                        name,
                        range: node.byte_range(),
                    });
                }
                return Some(opened);
            }
            "class_definition" | "object_definition" | "trait_definition" | "enum_definition" => {
                let opened = self.scopes.open(node, scope, ScopeKind::Members);
                if let Some(extends) = node.field("extend") {
                    let parents: Vec<&str> = self
                        .text(extends)
                        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                        .filter(|word| !word.is_empty())
                        .collect();
                    if context::is_scala_test_parent(&parents) {
                        self.test_regions.push(node.byte_range());
                    }
                }
                if node.kind_name() == "object_definition"
                    && let Some(name) = node.field("name")
                {
                    self.objects.insert(self.text(name), opened);
                }
                if matches!(
                    node.kind_name(),
                    "object_definition" | "trait_definition" | "class_definition"
                ) && let Some(name) = node.field("name")
                {
                    self.definers.push((self.text(name), opened));
                }
                if matches!(node.kind_name(), "object_definition" | "trait_definition")
                    && let Some(name) = node.field("name")
                {
                    self.containers.push((self.text(name), opened));
                }
                return Some(opened);
            }
            "lambda_expression" => {
                let opened = self.scopes.open(node, scope, ScopeKind::Lambda);
                // `x => ...`: a bare parameter (typed ones are `binding` nodes).
                if let Some(param) = node
                    .field("parameters")
                    .filter(|p| p.kind_name() == "identifier")
                {
                    self.bind(param, opened, node.start_byte(), Bound::Opaque);
                }
                return Some(opened);
            }
            "extension_definition" => {
                return Some(self.scopes.open(node, scope, ScopeKind::Function));
            }
            "match_expression" => {
                if let (Some(value), Some(body)) = (node.field("value"), node.field("body")) {
                    let mut cursor = body.walk();
                    for clause in body.named_children(&mut cursor) {
                        if clause.kind_name() == "case_clause" {
                            self.matched.insert(clause.id(), value);
                        }
                    }
                }
            }
            "case_clause" => {
                let opened = self.scopes.open(node, scope, ScopeKind::Lambda);
                if let Some(scrutinee) = self.matched.remove(&node.id()) {
                    self.bind_case_pattern(node, scrutinee, opened);
                }
                return Some(opened);
            }
            "parameter" | "class_parameter" | "binding" => {
                let name = node.field("name")?;
                let bound = Bound::Param {
                    annotation: node.field("type"),
                    default: node.field("default_value"),
                };
                self.bind(name, scope, node.start_byte(), bound);
            }
            "enumerator" => {
                // `x <- xs`: the first child is the pattern.
                if let Some(pattern) = node.named_child(0) {
                    self.bind_pattern(pattern, scope, node.start_byte());
                }
            }
            "return_expression" => {
                if let Some(value) = node.named_child(0) {
                    self.scopes.scopes[scope].returns.push(value);
                }
            }
            "ERROR" => self.errors.push(node.byte_range()),
            "call_expression" => {
                if let Some(function) = node.field("function")
                    && function.kind_name() == "identifier"
                    && matches!(
                        self.text(function),
                        "assert" | "assertResult" | "assertEquals" | "assertTrue" | "fail"
                    )
                {
                    self.asserts.push(node.start_byte());
                }
                self.visit_call(node);
            }
            "throw_expression" => self.asserts.push(node.start_byte()),
            "infix_expression" => {
                // `i += 1` changes the var `i`.
                if let (Some(left), Some(operator), Some(right)) = (
                    node.field("left"),
                    node.field("operator"),
                    node.field("right"),
                ) && left.kind_name() == "identifier"
                    && matches!(
                        self.text(operator),
                        "+=" | "-=" | "*=" | "/=" | "++=" | "++"
                    )
                {
                    self.reassignments.push(Reassignment {
                        target: left,
                        value: right,
                    });
                }
                // `"registers a test" in { ... }`: the block runs when the suite does.
                if let (Some(operator), Some(right)) = (node.field("operator"), node.field("right"))
                    && matches!(
                        self.text(operator),
                        "in" | "should" | "must" | "can" | "ignore"
                    )
                    && matches!(right.kind_name(), "block" | "indented_block")
                {
                    self.deferred.push(right.byte_range());
                }
                // ScalaTest matchers: `rows should have length 2`, `n shouldBe 3`.
                if let Some(operator) = node.field("operator") {
                    match self.text(operator) {
                        "should" | "shouldBe" | "shouldEqual" | "must" | "mustBe" | "mustEqual" => {
                            self.asserts.push(node.start_byte())
                        }
                        "==" | "!=" | "===" | "sameElements" => {
                            if let (Some(left), Some(right)) =
                                (node.field("left"), node.field("right"))
                            {
                                self.comparisons
                                    .push((left.byte_range(), right.byte_range()));
                            }
                        }
                        _ => {}
                    }
                }
            }
            "identifier"
                if self.options.launch == Launch::Jupyter
                    && context::PREDEFINED_NAMES.contains(&self.text(node)) =>
            {
                self.predefined_uses.push(node);
            }
            "for_expression" => {
                // The field also names the parentheses around the enumerators.
                let enumerators = node
                    .children_by_field_name("enumerators", &mut node.walk())
                    .find(|e| e.kind_name() == "enumerators");
                let first = enumerators.and_then(|e| e.named_child(0));
                if let Some(body) = node.field("body") {
                    self.loops.push(Loop {
                        kind: LoopKind::For,
                        range: node.byte_range(),
                        body: body.byte_range(),
                        iterable: first.and_then(|e| e.named_child(1)),
                        targets: first
                            .and_then(|e| e.named_child(0))
                            .map(|p| self.pattern_names(p))
                            .unwrap_or_default(),
                    });
                }
            }
            "field_expression" | "postfix_expression" if !self.callees.contains(&node.id()) => {
                // `df.count` / `df count`: an action without parentheses.
                let (receiver, name) = match node.kind_name() {
                    "field_expression" => (node.field("value"), node.field("field")),
                    _ => (node.named_child(0), node.named_child(1)),
                };
                if let (Some(receiver), Some(name)) = (receiver, name)
                    && ACTIONS.contains(&self.text(name))
                {
                    self.actions.push(ActionSite {
                        call: node,
                        receiver,
                        name: self.text(name),
                    });
                }
            }
            "if_expression" => {
                let ranges = ["consequence", "alternative"]
                    .iter()
                    .filter_map(|field| node.field(field))
                    .map(|branch| branch.byte_range())
                    .collect();
                self.branches.push(ranges);
            }
            "while_expression" | "do_while_expression" => self.loops.push(Loop {
                kind: LoopKind::While,
                range: node.byte_range(),
                body: node.byte_range(),
                iterable: None,
                targets: Vec::new(),
            }),
            "comment" | "block_comment" => {
                let line_start = self.text[..node.start_byte()]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let own_line = self.text[line_start..node.start_byte()].trim().is_empty();
                self.comments.push(Comment {
                    range: node.byte_range(),
                    own_line,
                });
            }
            _ => {}
        }
        None
    }

    /// Setting calls, and loops written as calls: `xs.foreach { ... }`,
    /// `xs.foldLeft(init)(f)`.
    fn visit_call(&mut self, node: Node<'t>) {
        let Some(function) = node.field("function") else {
            return;
        };
        let arguments = node.field("arguments");
        let callee_text = self.text(function);
        if PACING.iter().any(|p| callee_text.ends_with(p)) || callee_text.ends_with(".sleep") {
            self.pacing.push(function);
        }
        if function.kind_name() == "identifier" {
            self.calls_by_name
                .entry(callee_text)
                .or_default()
                .push(node);
        }
        if matches!(function.kind_name(), "identifier" | "field_expression") {
            self.plain_calls.push(node);
        }
        // `test("name") { body }`: the body runs when the suite runs.
        if function.kind_name() == "call_expression"
            && let Some(inner) = function.field("function")
            && inner.kind_name() == "identifier"
            && matches!(
                self.text(inner),
                "test" | "it" | "ignore" | "scenario" | "property" | "describe"
            )
            && let Some(arguments) = arguments
        {
            self.deferred.push(arguments.byte_range());
        }
        // Only a field access is a callee; an inner call (`xs.collect()(0)`,
        // `xs.foldLeft(z)(f)`) is a call of its own.
        if function.kind_name() == "field_expression" {
            self.callees.insert(function.id());
        }
        if function.kind_name() == "generic_function"
            && let Some(inner) = function.field("function")
        {
            self.callees.insert(inner.id());
        }
        if function.kind_name() == "field_expression"
            && let Some(method) = function.field("field")
        {
            let method = self.text(method);
            if (ACTIONS.contains(&method) || WRITES.contains(&method) || CACHING.contains(&method))
                && let Some(receiver) = function.field("value")
            {
                self.actions.push(ActionSite {
                    call: node,
                    receiver,
                    name: method,
                });
            }
            if SETTING_METHODS.contains(&method) {
                self.setting_calls.push(node);
            }
            if matches!(
                method,
                "map" | "flatMap" | "reduce" | "reduceLeft" | "reduceRight" | "reduceOption"
            ) && let Some(arguments) = arguments
            {
                self.loops.push(Loop {
                    kind: if method.starts_with("reduce") {
                        LoopKind::Fold
                    } else {
                        LoopKind::Map
                    },
                    range: node.byte_range(),
                    body: arguments.byte_range(),
                    iterable: function.field("value"),
                    targets: self.lambda_params(arguments),
                });
            }
            if method == "foreach"
                && let Some(arguments) = arguments
            {
                self.loops.push(Loop {
                    kind: LoopKind::Foreach,
                    range: node.byte_range(),
                    body: arguments.byte_range(),
                    iterable: function.field("value"),
                    targets: self.lambda_params(arguments),
                });
            }
        }
        // `xs.foldLeft(init)(f)`: the inner call names the collection.
        if function.kind_name() == "call_expression"
            && let Some(inner) = function.field("function")
            && inner.kind_name() == "field_expression"
            && let Some(method) = inner.field("field")
            && matches!(self.text(method), "foldLeft" | "foldRight" | "fold")
            && let Some(arguments) = arguments
        {
            self.loops.push(Loop {
                kind: LoopKind::Fold,
                range: node.byte_range(),
                body: arguments.byte_range(),
                iterable: inner.field("value"),
                targets: self.lambda_params(arguments),
            });
        }
    }

    /// The parameter names of the lambda passed in `arguments`.
    fn lambda_params(&self, arguments: Node<'t>) -> Vec<&'t str> {
        let mut stack = vec![arguments];
        while let Some(node) = stack.pop() {
            if node.kind_name() == "lambda_expression" {
                return node
                    .field("parameters")
                    .map(|p| self.pattern_names(p))
                    .unwrap_or_default();
            }
            if node.kind_name() == "case_clause" {
                return node
                    .field("pattern")
                    .map(|p| self.pattern_names(p))
                    .unwrap_or_default();
            }
            if matches!(node.kind_name(), "arguments" | "block" | "case_block") {
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor));
            }
        }
        Vec::new()
    }

    /// The identifiers a pattern or parameter list binds.
    fn pattern_names(&self, pattern: Node<'t>) -> Vec<&'t str> {
        let mut names = Vec::new();
        let mut stack = vec![pattern];
        while let Some(node) = stack.pop() {
            match node.kind_name() {
                "identifier" => names.push(self.text(node)),
                "binding" | "parameter" => {
                    if let Some(name) = node.field("name") {
                        names.push(self.text(name));
                    }
                }
                "type_identifier" | "generic_type" => {}
                _ => {
                    let mut cursor = node.walk();
                    stack.extend(node.named_children(&mut cursor));
                }
            }
        }
        names
    }

    /// The method chain `node` ends: `df.filter(..).count()` → root `df`, calls
    /// `filter`, `count` (field accesses like `df.count` and postfix calls too).
    pub fn method_chain(&self, node: Node<'t>) -> Chain<'t> {
        let mut calls = Vec::new();
        let mut current = node;
        loop {
            let (object, name, call, args) = match current.kind_name() {
                "call_expression" => {
                    let Some(function) = current.field("function") else {
                        break;
                    };
                    let function = match function.kind_name() {
                        "generic_function" => function.field("function").unwrap_or(function),
                        _ => function,
                    };
                    // A curried call `xs.foldLeft(z)(f)`: the inner call names it.
                    if function.kind_name() == "call_expression" {
                        current = function;
                        continue;
                    }
                    if function.kind_name() != "field_expression" {
                        break;
                    }
                    (
                        function.field("value"),
                        function.field("field"),
                        current,
                        current.field("arguments"),
                    )
                }
                "field_expression" => (
                    current.field("value"),
                    current.field("field"),
                    current,
                    None,
                ),
                "generic_function" | "parenthesized_expression" => {
                    let inner = match current.kind_name() {
                        "generic_function" => current.field("function"),
                        _ => current.named_child(0),
                    };
                    match inner {
                        Some(inner) => {
                            current = inner;
                            continue;
                        }
                        None => break,
                    }
                }
                "postfix_expression" => (
                    current.named_child(0),
                    current.named_child(1),
                    current,
                    None,
                ),
                _ => break,
            };
            let (Some(object), Some(name)) = (object, name) else {
                break;
            };
            calls.push(ChainCall {
                name: self.text(name),
                name_node: name,
                node: call,
                args,
            });
            current = object;
        }
        calls.reverse();
        Chain {
            root: current,
            calls,
        }
    }

    /// A lambda's parameter names and body (`(a, b) => a.union(b)`).
    pub fn lambda_parts(&self, node: Node<'t>) -> Option<(Vec<&'t str>, Node<'t>)> {
        let lambda = match node.kind_name() {
            "lambda_expression" => node,
            // `{ case (acc, c) => ... }`
            "case_block" => {
                let mut cursor = node.walk();
                let clause = node
                    .named_children(&mut cursor)
                    .find(|c| c.kind_name() == "case_clause")?;
                let mut names = self.pattern_names(clause.field("pattern")?);
                names.reverse();
                return Some((names, clause.field("body")?));
            }
            "arguments" | "block" | "parenthesized_expression" => {
                let mut cursor = node.walk();
                let inner = node.named_children(&mut cursor).next()?;
                return self.lambda_parts(inner);
            }
            _ => return None,
        };
        let params = lambda
            .field("parameters")
            .map(|p| {
                let mut names = self.pattern_names(p);
                names.reverse();
                names
            })
            .unwrap_or_default();
        let mut cursor = lambda.walk();
        let body = lambda
            .named_children(&mut cursor)
            .filter(|c| Some(*c) != lambda.field("parameters"))
            .last()?;
        Some((params, body))
    }

    /// Whether the items of a collection are DataFrames or RDDs: `Seq(df1, df2)`,
    /// `tables.map(t => spark.table(t))`, a value declared `Seq[DataFrame]`.
    pub fn elements_distributed(&self, node: Node<'t>) -> bool {
        match node.kind_name() {
            "call_expression" => {
                let Some(function) = node.field("function") else {
                    return false;
                };
                let args = ScalaArgs::of_call(self, node);
                match function.kind_name() {
                    "identifier" if COLLECTIONS.contains(&self.text(function)) => {
                        !args.positional.is_empty()
                            && args
                                .positional
                                .iter()
                                .all(|a| self.value(*a).is_distributed())
                    }
                    "field_expression" => {
                        let method = function.field("field").map(|f| self.text(f));
                        let Some(arguments) = node.field("arguments") else {
                            return false;
                        };
                        if !matches!(method, Some("map")) {
                            return self.project_returns_frames(function);
                        }
                        match self.lambda_parts(arguments) {
                            Some((_, body)) => self.value(body).is_distributed(),
                            // `paths.map(spark.read.parquet(_))`, `tables.map(spark.table)`
                            None => args.positional.first().is_some_and(|f| {
                                let chain = self.method_chain(*f);
                                matches!(self.value(chain.root).kind, Kind::Session | Kind::Reader)
                                    && !chain.calls.is_empty()
                            }),
                        }
                    }
                    _ => self.project_returns_frames(function),
                }
            }
            // `Tables.all`: a member of another object or file, called without
            // parentheses.
            "field_expression" => self.project_returns_frames(node),
            "identifier" => {
                let Some((annotation, value)) =
                    self.scopes.declared(self.text(node), node.start_byte())
                else {
                    return self.project_returns_frames(node);
                };
                annotation.is_some_and(|a| {
                    let text = self.text(a);
                    text.contains("[DataFrame]")
                        || text.contains("[Dataset[")
                        || text.contains("[RDD[")
                        // `frames: DataFrame*`
                        || text.ends_with("DataFrame*")
                        || (text.starts_with("Dataset[") || text.starts_with("RDD["))
                            && text.ends_with("]*")
                }) || value.is_some_and(|v| {
                    v.kind_name() != "identifier"
                        && self
                            .memo
                            .nested(|| self.elements_distributed(v))
                            .unwrap_or(false)
                })
            }
            _ => false,
        }
    }

    /// Whether the function `callee` names, a member another object or file
    /// defines, returns a collection of DataFrames (through the project index).
    fn project_returns_frames(&self, callee: Node<'t>) -> bool {
        if self.options.project.is_empty() {
            return false;
        }
        if callee.kind_name() == "identifier"
            && self
                .scopes
                .lookup(self.text(callee), callee.start_byte())
                .is_some()
        {
            return false;
        }
        let Some(q) = self.qualified(callee) else {
            return false;
        };
        let parts: Vec<&str> = q.split('.').collect();
        (0..parts.len().min(2))
            .map(|from| parts[parts.len() - 2.min(parts.len()) + from..].join("."))
            .find_map(|name| self.options.project.function(&name))
            .is_some_and(|f| f.summary.returns_frames)
    }

    /// Whether `node` iterates over a small literal collection.
    pub fn is_small_iterable(&self, node: Node<'t>) -> bool {
        self.is_small_collection(node)
    }

    /// The binding a use of the identifier `node` sees, as (scope, offset).
    pub fn binding_id(&self, node: Node<'t>) -> Option<(usize, usize)> {
        let binding = self.scopes.lookup(self.text(node), node.start_byte())?;
        Some((binding.scope, binding.visible_from))
    }

    /// What the identifier `node` stands for when it is a constant: bound once in
    /// its scope, to an expression.
    fn constant(&self, node: Node<'t>) -> Option<Node<'t>> {
        self.scopes.constant(self.text(node), node.start_byte())
    }

    pub fn definition(&self, node: Node<'t>) -> Option<Node<'t>> {
        self.scopes.definition(self.text(node), node.start_byte())
    }

    /// Whether code at `a` and at `b` sits in different branches of one `if`.
    pub fn exclusive(&self, a: usize, b: usize) -> bool {
        self.branch_index.exclusive(a, b)
    }

    /// Whether `node` is the function a call calls (`df.collect` in
    /// `df.collect()`).
    pub fn is_callee(&self, node: Node<'t>) -> bool {
        self.callees.contains(&node.id())
    }

    pub fn action_sites(&self) -> &[ActionSite<'t>] {
        &self.actions
    }

    pub fn body_at(&self, offset: usize) -> usize {
        self.scopes.body_at(offset)
    }

    pub fn loop_around(&self, range: &std::ops::Range<usize>) -> Option<&Loop<'t>> {
        self.scopes
            .loop_around(&self.loops, &self.loop_bodies, range, |l| {
                !self.is_real_loop(l) || self.deferred_within(l, range)
            })
    }

    /// Whether `range` sits in a body that `l` only registers to run later (a
    /// ScalaTest loop over cases registers one test per case).
    fn deferred_within(&self, l: &Loop<'t>, range: &std::ops::Range<usize>) -> bool {
        self.deferred.iter().any(|d| {
            l.body.start <= d.start
                && d.end <= l.body.end
                && d.start <= range.start
                && range.end <= d.end
        })
    }

    /// A loop that runs its body many times: not one over a small literal
    /// collection, not `df.foreach` (a Spark action) and not `option.foreach`.
    fn is_real_loop(&self, l: &Loop<'t>) -> bool {
        let Some(iterable) = l.iterable else {
            return true;
        };
        if self.is_small_collection(iterable) {
            return false;
        }
        if matches!(l.kind, LoopKind::Foreach | LoopKind::Map | LoopKind::Fold) {
            let value = self.value(iterable);
            if value.is_distributed() || self.is_option(iterable) {
                return false;
            }
        }
        true
    }

    /// An `Option`: `Some(..)`, `Option(..)`, `.headOption`, `.find(..)`, `.get(..)`
    /// on a map, `.lift(..)`, or a value declared `Option[...]`.
    fn is_option(&self, node: Node<'t>) -> bool {
        match node.kind_name() {
            "call_expression" => {
                let Some(function) = node.field("function") else {
                    return false;
                };
                match function.kind_name() {
                    "identifier" => matches!(self.text(function), "Some" | "Option"),
                    "field_expression" => function.field("field").is_some_and(|f| {
                        matches!(self.text(f), "find" | "get" | "lift" | "collectFirst")
                    }),
                    _ => false,
                }
            }
            "field_expression" => node
                .field("field")
                .is_some_and(|f| matches!(self.text(f), "headOption" | "lastOption" | "toOption")),
            "identifier" => {
                let Some((annotation, value)) =
                    self.scopes.declared(self.text(node), node.start_byte())
                else {
                    return false;
                };
                annotation.is_some_and(|a| {
                    let text = self.text(a);
                    text.starts_with("Option[") || text.starts_with("Some[")
                }) || value.is_some_and(|v| self.memo.nested(|| self.is_option(v)).unwrap_or(false))
            }
            _ => false,
        }
    }

    /// A literal collection (`Seq(...)`, `List(...)`) or range (`1 to k`) of at
    /// most `loop-threshold` items.
    fn is_small_collection(&self, node: Node<'t>) -> bool {
        let limit = self.options.loop_threshold;
        match node.kind_name() {
            "call_expression" => {
                let Some(function) = node.field("function") else {
                    return false;
                };
                let function = match function.kind_name() {
                    "generic_function" => function.field("function").unwrap_or(function),
                    _ => function,
                };
                // `Seq(...).map(f)`: as many items as the collection mapped.
                if function.kind_name() == "field_expression" {
                    return function.field("field").is_some_and(|f| {
                        matches!(
                            self.text(f),
                            "map" | "filter" | "filterNot" | "sortBy" | "zip" | "take"
                        )
                    }) && function
                        .field("value")
                        .is_some_and(|v| self.is_small_collection(v));
                }
                function.kind_name() == "identifier"
                    && COLLECTIONS.contains(&self.text(function))
                    && ScalaArgs::of_call(self, node).count() as i64 <= limit
            }
            "field_expression" => {
                // `Seq(...).zipWithIndex`, `xs.indices`
                node.field("field")
                    .is_some_and(|f| matches!(self.text(f), "zipWithIndex" | "indices" | "reverse"))
                    && node
                        .field("value")
                        .is_some_and(|v| self.is_small_collection(v))
            }
            "infix_expression" => {
                let operator = node.field("operator").map(|o| self.text(o));
                if !matches!(operator, Some("to" | "until")) {
                    return false;
                }
                self.range_len(node).is_some_and(|n| n <= limit)
            }
            "parenthesized_expression" => node
                .named_child(0)
                .is_some_and(|inner| self.is_small_collection(inner)),
            "identifier" => match self.constant(node) {
                Some(value) if value.kind_name() != "identifier" => self
                    .memo
                    .nested(|| self.is_small_collection(value))
                    .unwrap_or(false),
                // A parameter: small when every caller passes a small collection.
                _ => self.param_arguments(node).is_some_and(|args| {
                    args.iter().all(|a| {
                        self.memo
                            .nested(|| self.is_small_collection(*a))
                            .unwrap_or(false)
                    })
                }),
            },
            _ => false,
        }
    }

    /// The definition node of the function whose scope is `scope`.
    fn function_node(&self, scope: usize) -> Option<Node<'t>> {
        let range = &self.scopes.scopes.get(scope)?.range;
        let node = self
            .root
            .descendant_for_byte_range(range.start, range.end)?;
        (node.kind_name() == "function_definition").then_some(node)
    }

    /// The parameter names of a function definition with one parameter list.
    fn param_names(&self, function: Node<'t>) -> Option<Vec<&'t str>> {
        let mut cursor = function.walk();
        let lists: Vec<Node<'t>> = function
            .children_by_field_name("parameters", &mut cursor)
            .collect();
        let [params] = lists.as_slice() else {
            return None;
        };
        let mut cursor = params.walk();
        Some(
            params
                .named_children(&mut cursor)
                .filter(|p| p.kind_name() == "parameter")
                .filter_map(|p| p.field("name"))
                .map(|n| self.text(n))
                .collect(),
        )
    }

    /// What every call of the file passes for the parameter a use of `node` sees:
    /// `None` when it is not a parameter of a function of this file, when a call
    /// does not pass it plainly, or when no call is visible.
    pub fn param_arguments(&self, node: Node<'t>) -> Option<Vec<Node<'t>>> {
        let name = self.text(node);
        let binding = self.scopes.lookup(name, node.start_byte())?;
        if !matches!(binding.bound, Bound::Param { .. })
            || self.scopes.bindings_in(name, binding.scope) != 1
        {
            return None;
        }
        let function = self.function_node(binding.scope)?;
        let function_name = self.text(function.field("name")?);
        if self.scopes.binding_count(function_name) != 1 {
            return None;
        }
        let index = self
            .param_names(function)?
            .iter()
            .position(|p| *p == name)?;
        let calls = self.calls_by_name.get(function_name)?;
        let mut out = Vec::new();
        for call in calls {
            let args = ScalaArgs::of_call(self, *call);
            out.push(args.node(index, &[name])?);
        }
        (!out.is_empty()).then_some(out)
    }

    /// What the function `callee` names does to its parameters, when it is a
    /// function of this file that returns a parameter with a plan step added
    /// (`unionTwo`, `unionTwo _`).
    pub fn param_growth(&self, callee: Node<'t>) -> Option<ParamGrowth> {
        let callee = match callee.kind_name() {
            // `f _`
            "postfix_expression" | "method_value" => callee.named_child(0)?,
            _ => callee,
        };
        let local = (callee.kind_name() == "identifier")
            .then(|| self.scopes.lookup(self.text(callee), callee.start_byte()))
            .flatten();
        let Some(binding) = local else {
            // A member of another object or file (`Helpers.addCols`): what the
            // project index says it does.
            if self.options.project.is_empty() {
                return None;
            }
            let q = self.qualified(callee)?;
            let parts: Vec<&str> = q.split('.').collect();
            return (0..parts.len().min(2))
                .map(|from| parts[parts.len() - 2.min(parts.len()) + from..].join("."))
                .find_map(|name| self.options.project.function(&name))?
                .summary
                .grows;
        };
        let Bound::Function(scope) = binding.bound else {
            return None;
        };
        let params = self.param_names(self.function_node(scope)?)?;
        self.growth_of_params(scope, &params)
    }

    /// The parameter the function of `scope` returns with a plan step added.
    fn growth_of_params(&self, scope: usize, params: &[&str]) -> Option<ParamGrowth> {
        self.scopes.scopes[scope]
            .returns
            .iter()
            .flat_map(|body| self.result_expressions(*body))
            .find_map(|value| {
                let chain = self.method_chain(value);
                let param = params.iter().position(|p| {
                    chain.root.kind_name() == "identifier" && *p == self.text(chain.root)
                })?;
                let method = chain
                    .calls
                    .iter()
                    .find_map(|c| PLAN_GROWTH.iter().copied().find(|g| *g == c.name))
                    .or_else(|| self.infix_growth(value))?;
                Some(ParamGrowth { param, method })
            })
    }

    /// `a union b`: the growth method of an infix call.
    fn infix_growth(&self, node: Node<'t>) -> Option<&'static str> {
        if node.kind_name() != "infix_expression" {
            return None;
        }
        let operator = self.text(node.field("operator")?);
        PLAN_GROWTH.iter().copied().find(|g| *g == operator)
    }

    /// The expressions `node` may evaluate to: a block's last expression, both
    /// branches of an `if`, every `case` of a `match`, the first item of a tuple (a
    /// fold's accumulator).
    pub fn result_expressions(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut out = Vec::new();
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            match node.kind_name() {
                "block" | "indented_block" => stack.extend(last_expression(node)),
                "parenthesized_expression" => stack.extend(node.named_child(0)),
                "if_expression" => {
                    stack.extend(node.field("consequence"));
                    stack.extend(node.field("alternative"));
                }
                "match_expression" => {
                    if let Some(body) = node.field("body") {
                        let mut cursor = body.walk();
                        for clause in body.named_children(&mut cursor) {
                            stack.extend(clause.field("body"));
                        }
                    }
                }
                "tuple_expression" => stack.extend(node.named_child(0)),
                _ => out.push(node),
            }
        }
        out
    }

    /// Vars reassigned from an expression in `range`, in source order.
    pub fn reassignments_in(&self, range: &std::ops::Range<usize>) -> Vec<Reassignment<'t>> {
        self.reassignments
            .iter()
            .filter(|r| range.start <= r.target.start_byte() && r.value.end_byte() <= range.end)
            .copied()
            .collect()
    }

    /// Whether the body of `l` sleeps (a poll) or reads a clock (a benchmark).
    pub fn pacing(&self, l: &Loop<'t>) -> Pacing {
        let mut pacing = Pacing::Free;
        for f in &self.pacing {
            if l.body.start <= f.start_byte() && f.end_byte() <= l.body.end {
                if self.text(*f).ends_with("sleep") {
                    return Pacing::Sleeps;
                }
                pacing = Pacing::Timed;
            }
        }
        pacing
    }

    /// Whether the code at `node` runs on at most one iteration of `l`: under an
    /// `if` that compares the loop variable with a literal (`if (c == "x")`), or
    /// followed in its block by `return`.
    pub fn runs_at_most_once(&self, l: &Loop<'t>, node: Node<'t>) -> bool {
        let mut current = node;
        while let Some(parent) = current.parent() {
            if parent.start_byte() < l.body.start {
                break;
            }
            if matches!(parent.kind_name(), "block" | "indented_block") {
                let mut sibling = current.next_named_sibling();
                while let Some(s) = sibling {
                    if s.kind_name() == "return_expression" {
                        return true;
                    }
                    sibling = s.next_named_sibling();
                }
            }
            if parent.kind_name() == "if_expression"
                && parent
                    .field("consequence")
                    .is_some_and(|c| c.id() == current.id())
                && parent
                    .field("condition")
                    .is_some_and(|c| self.compares_target_to_literal(c, &l.targets))
            {
                return true;
            }
            current = parent;
        }
        false
    }

    fn compares_target_to_literal(&self, condition: Node<'t>, targets: &[&str]) -> bool {
        let condition = match condition.kind_name() {
            "parenthesized_expression" => match condition.named_child(0) {
                Some(inner) => inner,
                None => return false,
            },
            _ => condition,
        };
        if condition.kind_name() != "infix_expression" {
            return false;
        }
        let (Some(left), Some(operator), Some(right)) = (
            condition.field("left"),
            condition.field("operator"),
            condition.field("right"),
        ) else {
            return false;
        };
        if !matches!(self.text(operator), "==" | "equals") {
            return false;
        }
        let is_target =
            |n: Node<'t>| n.kind_name() == "identifier" && targets.contains(&self.text(n));
        let is_literal = |n: Node<'t>| {
            matches!(
                n.kind_name(),
                "string" | "integer_literal" | "floating_point_literal" | "character_literal"
            )
        };
        (is_target(left) && is_literal(right)) || (is_literal(left) && is_target(right))
    }

    fn visit_import(&mut self, node: Node<'t>) {
        let mut path = Vec::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind_name() {
                "identifier" => path.push(self.text(child)),
                "namespace_wildcard" => {
                    self.wildcards.push(path.join("."));
                }
                "namespace_selectors" => {
                    let base = path.join(".");
                    let mut inner = child.walk();
                    for selector in child.named_children(&mut inner) {
                        match selector.kind_name() {
                            "identifier" => {
                                let name = self.text(selector);
                                self.imports.insert(name, format!("{base}.{name}"));
                            }
                            "arrow_renamed_identifier" | "as_renamed_identifier" => {
                                let (Some(name), Some(alias)) =
                                    (selector.field("name"), selector.field("alias"))
                                else {
                                    continue;
                                };
                                let alias = self.text(alias);
                                if alias != "_" {
                                    let name = self.text(name);
                                    self.imports.insert(alias, format!("{base}.{name}"));
                                }
                            }
                            "namespace_wildcard" => self.wildcards.push(base.clone()),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        let full = path.join(".");
        if SPARK_PACKAGES.iter().any(|p| {
            full == *p
                || full
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('.'))
        }) {
            self.spark = true;
        }
        if let Some(last) = path.last()
            && node
                .named_children(&mut node.walk())
                .all(|c| c.kind_name() == "identifier")
        {
            self.imports.insert(last, full.clone());
        }
    }

    // ---- evaluation ----------------------------------------------------------------

    pub fn value(&self, node: Node<'t>) -> Value {
        self.memo
            .value_of_chain(node, |n| self.chain_step(n), |n| self.compute(n))
    }

    /// One step down a method chain, as `method_chain` takes it.
    fn chain_step(&self, node: Node<'t>) -> Option<Node<'t>> {
        match node.kind_name() {
            "call_expression" => {
                let function = node.field("function")?;
                let function = match function.kind_name() {
                    "generic_function" => function.field("function").unwrap_or(function),
                    _ => function,
                };
                match function.kind_name() {
                    "call_expression" => Some(function),
                    "field_expression" => {
                        function.field("field")?;
                        function.field("value")
                    }
                    _ => None,
                }
            }
            "field_expression" => {
                node.field("field")?;
                node.field("value")
            }
            "generic_function" => node.field("function"),
            "parenthesized_expression" => node.named_child(0),
            "postfix_expression" => {
                node.named_child(1)?;
                node.named_child(0)
            }
            _ => None,
        }
    }

    /// The root of the method chain `node` ends (`method_chain(node).root`, memoized).
    pub fn chain_root(&self, node: Node<'t>) -> Node<'t> {
        self.chain_roots.root(node)
    }

    fn method(&self, receiver: Value, name: &str, args: &ScalaArgs<'_, 't>) -> Value {
        api::method(receiver, name, args, &self.options)
    }

    fn compute(&self, node: Node<'t>) -> Value {
        match node.kind_name() {
            "call_expression" => self.call_value(node),
            "field_expression" => self.member_value(node, &ScalaArgs::none(self), false),
            "postfix_expression" => {
                let (Some(object), Some(method)) = (node.named_child(0), node.named_child(1))
                else {
                    return Value::UNKNOWN;
                };
                let receiver = self.value(object);
                self.method(receiver, self.text(method), &ScalaArgs::none(self))
            }
            "infix_expression" => {
                let (Some(left), Some(operator), Some(right)) = (
                    node.field("left"),
                    node.field("operator"),
                    node.field("right"),
                ) else {
                    return Value::UNKNOWN;
                };
                if operator.kind_name() != "identifier" {
                    return Value::OTHER; // `+`, `===`, `>`: arithmetic and column logic
                }
                let receiver = self.value(left);
                let mut args = ScalaArgs::none(self);
                args.positional.push(right);
                self.method(receiver, self.text(operator), &args)
            }
            "generic_function" => match node.field("function") {
                Some(function) => self.value(function),
                None => Value::UNKNOWN,
            },
            "identifier" => self.identifier_value(node),
            "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => self.value(inner),
                None => Value::UNKNOWN,
            },
            "block" | "indented_block" => match last_expression(node) {
                Some(last) => self.value(last),
                None => Value::OTHER,
            },
            "instance_expression" => {
                let text = self.text(node);
                if text.contains("SQLContext") || text.contains("HiveContext") {
                    Value::of(Kind::Session)
                } else if text.contains("SparkContext") {
                    Value::of(Kind::Context)
                } else if text.contains("SparkConf") {
                    Value::of(Kind::Conf)
                } else {
                    Value::OTHER
                }
            }
            "string"
            | "interpolated_string_expression"
            | "integer_literal"
            | "floating_point_literal"
            | "boolean_literal"
            | "tuple_expression"
            | "unit"
            | "lambda_expression"
            | "case_block"
            | "prefix_expression" => Value::OTHER,
            _ => Value::UNKNOWN,
        }
    }

    fn identifier_value(&self, node: Node<'t>) -> Value {
        let name = self.text(node);
        let value = match self.scopes.lookup(name, node.start_byte()) {
            Some(binding) => self.binding_value(binding),
            None => Value::UNKNOWN,
        };
        if !self.spark {
            return value;
        }
        let value = value.or_by_convention(name, super::is_dataframe_name(name));
        // A parameter every caller in the project passes small data for is small.
        if matches!(value.kind, Kind::DataFrame | Kind::Rdd | Kind::Unknown)
            && let Some(Passed::SmallData(kind, size)) = self.passed_small_data(node)
        {
            return Value::sized(kind, size);
        }
        value
    }

    fn binding_value(&self, binding: Binding<'t>) -> Value {
        match binding.bound {
            Bound::Value { annotation, value }
            | Bound::Param {
                annotation,
                default: value,
            } => {
                if let Some(annotation) = annotation {
                    let kind = self.type_kind(annotation);
                    if kind != Kind::Unknown {
                        // A declared type says what it is; the value may still say
                        // it is small.
                        let known = value.map(|v| self.value(v)).filter(|v| v.kind == kind);
                        return known.unwrap_or(Value::of(kind));
                    }
                }
                match value {
                    Some(v) => self.value(v),
                    None => Value::UNKNOWN,
                }
            }
            // A parameterless `def` is used by name.
            Bound::Function(scope) => self.function_value(scope),
            Bound::Class => Value::OTHER,
            Bound::Opaque => Value::UNKNOWN,
        }
    }

    /// What a declared type names.
    fn type_kind(&self, node: Node<'t>) -> Kind {
        let name_node = match node.kind_name() {
            "generic_type" => node.field("type").unwrap_or(node),
            _ => node,
        };
        let text = self.text(name_node);
        let last = text.rsplit('.').next().unwrap_or(text);
        match last {
            "DataFrame" | "Dataset" => Kind::DataFrame,
            // A GraphX graph is modelled as the distributed data it holds.
            "RDD" | "PairRDDFunctions" | "Graph" | "VertexRDD" | "EdgeRDD" | "GraphOps" => {
                Kind::Rdd
            }
            "SQLContext" | "HiveContext" => Kind::Session,
            "SparkSession" => Kind::Session,
            "SparkContext" => Kind::Context,
            "RelationalGroupedDataset" => Kind::Grouped { global: false },
            "KeyValueGroupedDataset" => Kind::Grouped { global: false },
            _ if COLLECTIONS.contains(&last) => Kind::Other,
            "Int" | "Long" | "String" | "Double" | "Boolean" | "Unit" | "Row" | "Column" => {
                Kind::Other
            }
            _ => Kind::Unknown,
        }
    }

    /// `object.field`, read or called with `args`: the Spark API table when the
    /// receiver is known, else the name it spells through the imports.
    fn member_value(&self, access: Node<'t>, args: &ScalaArgs<'_, 't>, call: bool) -> Value {
        let (Some(object), Some(field)) = (access.field("value"), access.field("field")) else {
            return Value::UNKNOWN;
        };
        let receiver = self.value(object);
        if receiver.kind != Kind::Unknown {
            return self.method(receiver, self.text(field), args);
        }
        match self.qualified(access) {
            Some(q) => self.qualified_value(&q, args, call),
            None => Value::UNKNOWN,
        }
    }

    fn function_value(&self, scope: usize) -> Value {
        let scope = &self.scopes.scopes[scope];
        let returned = Value::merge(scope.returns.iter().map(|ret| self.value(*ret)));
        if let Some(annotation) = scope.return_type {
            let kind = self.type_kind(annotation);
            // A local collection declared (`Array[Row]`, `Map[K, V]`) and data
            // collected from Spark returned: the collected data says how big it is.
            if kind == Kind::Other && returned.kind == Kind::Collected {
                return returned;
            }
            // The declared type says what it is; the returns may still say its size.
            if kind != Kind::Unknown {
                return if returned.kind == kind {
                    Value {
                        size: returned.size,
                        origin: returned.origin,
                        key: returned.key,
                        ..Value::of(kind)
                    }
                } else {
                    Value::of(kind)
                };
            }
        }
        returned
    }

    fn call_value(&self, node: Node<'t>) -> Value {
        let Some(function) = node.field("function") else {
            return Value::UNKNOWN;
        };
        let args = ScalaArgs::of_call(self, node);
        let function = match function.kind_name() {
            "generic_function" => function.field("function").unwrap_or(function),
            _ => function,
        };
        match function.kind_name() {
            "field_expression" => self.member_value(function, &args, true),
            "identifier" => {
                let name = self.text(function);
                if let Some(binding) = self.scopes.lookup(name, function.start_byte()) {
                    return match binding.bound {
                        Bound::Function(scope) => self.function_value(scope),
                        _ => Value::UNKNOWN,
                    };
                }
                if COLLECTIONS.contains(&name) {
                    return Value::sized(Kind::Other, Size::Driver);
                }
                match self.qualified(function) {
                    Some(q) => self.qualified_value(&q, &args, true),
                    None => Value::UNKNOWN,
                }
            }
            // Curried calls: `xs.foldLeft(df)((acc, x) => ...)`.
            "call_expression" => {
                let inner = self.value(function);
                if inner.kind != Kind::Unknown {
                    return inner;
                }
                let Some(method) = function
                    .field("function")
                    .filter(|f| f.kind_name() == "field_expression")
                    .and_then(|f| f.field("field"))
                else {
                    return Value::UNKNOWN;
                };
                if matches!(self.text(method), "foldLeft" | "foldRight" | "fold") {
                    let initial = ScalaArgs::of_call(self, function);
                    let start = initial.value(0, &[]);
                    if start.is_distributed() {
                        return start.with_size(Size::Unknown);
                    }
                }
                Value::UNKNOWN
            }
            _ => Value::UNKNOWN,
        }
    }

    /// The dotted name an expression spells through the imports, when its root is
    /// not a local value.
    fn qualified(&self, node: Node<'t>) -> Option<String> {
        match node.kind_name() {
            "identifier" => {
                let name = self.text(node);
                if self.scopes.is_bound(name) {
                    return None;
                }
                if let Some(full) = self.imports.get(name) {
                    return Some(full.clone());
                }
                if self.wildcards.iter().any(|w| w == FUNCTIONS) && is_functions_member(name) {
                    return Some(format!("{FUNCTIONS}.{name}"));
                }
                Some(name.to_string())
            }
            "field_expression" => {
                let object = node.field("value")?;
                let field = node.field("field")?;
                let mut base = self.qualified(object)?;
                base.push('.');
                base.push_str(self.text(field));
                Some(base)
            }
            _ => None,
        }
    }

    fn qualified_value(&self, q: &str, args: &ScalaArgs<'_, 't>, call: bool) -> Value {
        let ends = |suffix: &str| q == suffix || q.ends_with(&format!(".{suffix}"));
        if ends("SparkSession.builder") {
            return Value::of(Kind::Builder);
        }
        if ends("SparkSession.active") || ends("SparkSession.getActiveSession") {
            return Value::of(Kind::Session);
        }
        if ends("SparkContext.getOrCreate") {
            return Value::of(Kind::Context);
        }
        if ends("DeltaTable.forPath") || ends("DeltaTable.forName") {
            return Value::of(Kind::DeltaTable);
        }
        // GraphX: a graph loaded from files is large; one built from vertex and edge
        // RDDs is as big as they are.
        if call && ends("GraphLoader.edgeListFile") {
            return match args.call_range() {
                Some(range) => Value::read(Kind::Rdd, super::Origin::new(range, "edge list file")),
                None => Value::sized(Kind::Rdd, Size::Large),
            };
        }
        if call
            && (ends("Graph")
                || ends("Graph.apply")
                || ends("Graph.fromEdges")
                || ends("Graph.fromEdgeTuples"))
        {
            let first = args.value(0, &[]);
            let second = args.value(1, &[]);
            let size = match (first.is_distributed(), second.is_distributed()) {
                (true, true) => first.size.max(second.size),
                (true, false) => first.size,
                _ => Size::Unknown,
            };
            return Value::sized(Kind::Rdd, size);
        }
        if call && (ends("SQLContext") || ends("HiveContext") || ends("SQLContext.getOrCreate")) {
            return Value::of(Kind::Session);
        }
        // A member function another file (or object) defines: its summary.
        if call && !self.options.project.is_empty() {
            let parts: Vec<&str> = q.split('.').collect();
            let found = (0..parts.len().min(2))
                .map(|from| parts[parts.len() - 2.min(parts.len()) + from..].join("."))
                .find_map(|name| self.options.project.function(&name));
            if let Some(function) = found {
                return super::python::summary_value(&function, args, &self.options);
            }
        }
        if call && let Some(name) = q.strip_prefix(&format!("{FUNCTIONS}.")) {
            return if name == "broadcast" {
                args.value(0, &[])
            } else {
                Value::OTHER
            };
        }
        Value::UNKNOWN
    }

    /// The integer `node` evaluates to, when it is a known constant.
    pub fn int_value(&self, node: Node<'t>) -> Option<i64> {
        self.memo.nested(|| self.compute_int(node)).flatten()
    }

    fn compute_int(&self, node: Node<'t>) -> Option<i64> {
        match node.kind_name() {
            "integer_literal" => parse_int(self.text(node)),
            "parenthesized_expression" => self.int_value(node.named_child(0)?),
            "prefix_expression" => {
                let operand = self.int_value(node.named_child(0)?)?;
                self.text(node)
                    .trim_start()
                    .starts_with('-')
                    .then(|| -operand)
            }
            "infix_expression" => {
                let left = self.int_value(node.field("left")?)?;
                let right = self.int_value(node.field("right")?)?;
                match self.text(node.field("operator")?) {
                    "+" => left.checked_add(right),
                    "-" => left.checked_sub(right),
                    "*" => left.checked_mul(right),
                    "/" if right != 0 => Some(left / right),
                    _ => None,
                }
            }
            "field_expression" => {
                // `Limits.SampleRows`: a constant member of an object in this file,
                // or of one another file defines.
                let object = node.field("value")?;
                let Some(scope) = self.objects.get(self.text(object)).copied() else {
                    return match self.project_constant(node)? {
                        Constant::Int(n) => Some(*n),
                        Constant::Str(_) => None,
                        Constant::Items(_) => None,
                    };
                };
                let name = self.text(node.field("field")?);
                let binding = self.scopes.bindings.get(name)?;
                let [member] = binding.as_slice() else {
                    return None;
                };
                match member.bound {
                    Bound::Value {
                        value: Some(value), ..
                    } if member.scope == scope => self.int_value(value),
                    _ => None,
                }
            }
            "identifier" => {
                let name = self.text(node);
                match self.scopes.constant_or_default(name, node.start_byte()) {
                    Some(value) => self.int_value(value),
                    None if !self.scopes.is_bound(name) => match self.project_constant(node)? {
                        Constant::Int(n) => Some(*n),
                        Constant::Str(_) => None,
                        Constant::Items(_) => None,
                    },
                    None => None,
                }
            }
            _ => None,
        }
    }

    /// The constant another file defines as `Object.Member` (or a member a wildcard
    /// import or a parent trait brings in, by its name alone).
    fn project_constant(&self, node: Node<'t>) -> Option<&Constant> {
        if self.options.project.is_empty() {
            return None;
        }
        let name = match node.kind_name() {
            "field_expression" => {
                let object = node.field("value")?;
                let field = node.field("field")?;
                if object.kind_name() != "identifier" {
                    return None;
                }
                format!("{}.{}", self.text(object), self.text(field))
            }
            _ => {
                // A member of a parent (`object Report extends Limits`) or of a
                // wildcard import (`import etl.Config._`), else the name alone.
                let name = self.text(node);
                let mut owners: Vec<String> = Vec::new();
                let mut current = node.parent();
                while let Some(n) = current {
                    if let Some(extend) = n.field("extend") {
                        let mut cursor = extend.walk();
                        for parent in extend.children_by_field_name("type", &mut cursor) {
                            owners.push(self.text(parent).to_string());
                        }
                    }
                    current = n.parent();
                }
                for wildcard in &self.wildcards {
                    owners.push(wildcard.rsplit('.').next().unwrap_or(wildcard).to_string());
                }
                for owner in owners {
                    if let Some(constant) =
                        self.options.project.constant(&format!("{owner}.{name}"))
                    {
                        return Some(constant);
                    }
                }
                name.to_string()
            }
        };
        self.options.project.constant(&name)
    }

    /// What this file tells the rest of the project: the constant members of its
    /// objects and traits.
    pub fn facts(&self) -> FileFacts {
        let mut facts = FileFacts::default();
        for (container, scope) in &self.containers {
            let mut names: Vec<&&'t str> = self.scopes.bindings.keys().collect();
            names.sort();
            for name in names {
                let in_scope: Vec<_> = self.scopes.bindings[*name]
                    .iter()
                    .filter(|b| b.scope == *scope)
                    .collect();
                let [binding] = in_scope.as_slice() else {
                    continue;
                };
                let Bound::Value {
                    value: Some(value), ..
                } = binding.bound
                else {
                    continue;
                };
                let constant = match self.int_value(value) {
                    Some(n) => Constant::Int(n),
                    None if value.kind_name() == "string" => match self.string_value(value) {
                        Some(s) => Constant::Str(s),
                        None => continue,
                    },
                    None => continue,
                };
                facts
                    .constants
                    .push((format!("{container}.{name}"), constant));
            }
        }
        for (name, scope, definition) in &self.member_functions {
            let Some(params) = self.param_names(*definition) else {
                continue;
            };
            facts.functions.push(Function {
                name: name.clone(),
                params: params.iter().map(|p| p.to_string()).collect(),
                summary: self.summary(*scope, &params),
            });
        }
        if self.spark {
            for call in &self.plain_calls {
                if let Some(site) = self.call_site(*call) {
                    facts.calls.push(site);
                }
            }
        }
        facts
    }

    /// The `def`s of the file's objects, traits and classes, by qualified name.
    fn find_member_functions(&self) -> Vec<(String, usize, Node<'t>)> {
        let definers: FastMap<usize, &'t str> = self
            .definers
            .iter()
            .map(|(name, scope)| (*scope, *name))
            .collect();
        let mut out = Vec::new();
        for (name, bindings) in &self.scopes.bindings {
            for binding in bindings {
                let Some(container) = definers.get(&binding.scope) else {
                    continue;
                };
                // An overloaded name says nothing by itself.
                if bindings.iter().filter(|b| b.scope == binding.scope).count() != 1 {
                    continue;
                }
                if let Bound::Function(function) = binding.bound
                    && let Some(definition) = self.function_node(function)
                {
                    out.push((format!("{container}.{name}"), function, definition));
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// A member function's summary: what it returns, and which parameter its rows or
    /// its `limit` come from.
    fn summary(&self, scope: usize, params: &[&'t str]) -> Summary {
        // A declared column, string, number or `Unit` is no data: its body need not
        // be read (helpers of column expressions are most of a shared library).
        if let Some(annotation) = self.scopes.scopes[scope].return_type
            && matches!(
                self.text(annotation).rsplit('.').next(),
                Some("Column" | "String" | "Int" | "Long" | "Double" | "Boolean" | "Unit")
            )
        {
            return Summary::of_kind(Kind::Other);
        }
        let value = self.function_value(scope);
        let mut summary = Summary {
            kind: value.kind,
            // A key written in this file means nothing in another.
            size: match value.size {
                Size::PerKey(key) => Size::PerKey(super::Key {
                    start: 0,
                    end: 0,
                    ..key
                }),
                size => size,
            },
            rows_of: None,
            limit_param: None,
            reads: value.origin.map(|o| o.what),
            grows: self.growth_of_params(scope, params),
            returns_frames: self.scopes.scopes[scope].return_type.is_some_and(|t| {
                let t = self.text(t);
                t.contains("[DataFrame]") || t.contains("[Dataset[") || t.contains("[RDD[")
            }) || {
                let returns = &self.scopes.scopes[scope].returns;
                !returns.is_empty()
                    && returns
                        .iter()
                        .flat_map(|body| self.result_expressions(*body))
                        .all(|ret| self.elements_distributed(ret))
            },
        };
        let param_at = |node: Node<'t>| {
            (node.kind_name() == "identifier")
                .then(|| params.iter().position(|p| *p == self.text(node)))
                .flatten()
        };
        for ret in &self.scopes.scopes[scope].returns {
            for result in self.result_expressions(*ret) {
                let chain = self.method_chain(result);
                if let Some(position) = param_at(chain.root)
                    && chain.calls.iter().all(|c| api::keeps_rows(c.name))
                {
                    summary.rows_of = Some(position);
                }
                for call in &chain.calls {
                    if call.name == "limit"
                        && let Some(args) = call.args
                        && let Some(count) = self.argument(args, 0, &["n"])
                        && let Some(position) = param_at(count)
                    {
                        summary.limit_param = Some(position);
                    }
                }
            }
        }
        summary
    }

    /// One call of a plain or dotted name (`preview(df, 5)`, `Helpers.preview(df, 5)`),
    /// with what it passes; `None` for a method of a known value (`df.limit(5)`).
    fn call_site(&self, call: Node<'t>) -> Option<CallSite> {
        let arguments = call.field("arguments")?;
        // A call that passes nothing tells nothing of a parameter.
        if arguments.named_child_count() == 0 {
            return None;
        }
        let function = call.field("function")?;
        let (callee, target) = match function.kind_name() {
            "identifier" => {
                let name = self.text(function);
                let bound = self
                    .scopes
                    .lookup(name, function.start_byte())
                    .map(|b| b.bound);
                match bound {
                    Some(Bound::Function(_)) => (function, CallTarget::Local),
                    Some(_) => return None,
                    None if COLLECTIONS.contains(&name) => return None,
                    None => (function, CallTarget::Imported(self.qualified(function)?)),
                }
            }
            "field_expression" => {
                // A helper is called through a path of names (`Helpers.preview`,
                // `etl.Helpers.preview`) whose root is no local value: a method of a
                // value (`df.limit(5)`, `spark.read.parquet(p)`) is not one.
                let mut root = function.field("value")?;
                while root.kind_name() == "field_expression" {
                    root = root.field("value")?;
                }
                if root.kind_name() != "identifier" {
                    return None;
                }
                let name = self.text(root);
                if self.scopes.is_bound(name) || context::PREDEFINED_NAMES.contains(&name) {
                    return None;
                }
                (
                    function.field("field")?,
                    CallTarget::Imported(self.qualified(function)?),
                )
            }
            _ => return None,
        };
        // Spark's, Scala's and Java's own functions are no project's helpers.
        if let CallTarget::Imported(q) = &target
            && (q.starts_with("org.apache.spark.")
                || q.starts_with("scala.")
                || q.starts_with("java."))
        {
            return None;
        }
        let args = ScalaArgs::of_call(self, call);
        let arg = |node: Node<'t>| {
            if let Some(n) = self.int_value(node) {
                return Arg::Int(n);
            }
            // An object's constant: the index knows it once it has every file.
            if matches!(node.kind_name(), "identifier" | "field_expression")
                && !(node.kind_name() == "identifier" && self.scopes.is_bound(self.text(node)))
                && let Some(q) = self.qualified(node)
                && q.contains('.')
            {
                let parts: Vec<&str> = q.rsplitn(3, '.').collect();
                return Arg::Constant(format!("{}.{}", parts[1], parts[0]).into());
            }
            let value = self.value(node);
            if value.is_distributed() || value.kind == Kind::Collected {
                Arg::Data(value.kind, value.size)
            } else {
                Arg::Other
            }
        };
        Some(CallSite {
            callee: self.text(callee).to_string(),
            target,
            positional: args.positional.iter().map(|n| arg(*n)).collect(),
            named: args
                .named
                .iter()
                .map(|(name, n)| (name.to_string(), arg(*n)))
                .collect(),
            splat: false,
        })
    }

    /// For a use of a parameter of a member function: whether every call in the
    /// project passes small Spark data for it (see [`Reading::SmallData`]).
    fn passed_small_data(&self, node: Node<'t>) -> Option<Passed> {
        if self.options.project.is_empty() {
            return None;
        }
        let name = self.text(node);
        let binding = self.scopes.lookup(name, node.start_byte())?;
        let Bound::Param { default, .. } = binding.bound else {
            return None;
        };
        if self.scopes.bindings_in(name, binding.scope) != 1 {
            return None;
        }
        let (function, _, definition) = self
            .member_functions
            .iter()
            .find(|(_, scope, _)| *scope == binding.scope)?;
        let position = self
            .param_names(*definition)?
            .iter()
            .position(|p| *p == name)?;
        Some(self.options.project.passed(PassedLookup {
            file: self.options.file.to_string(),
            function: function.to_string(),
            position,
            param: name.to_string(),
            has_default: default.is_some(),
            reading: Reading::SmallData,
        }))
    }

    /// The text a string expression holds, with each interpolation as `x`, and
    /// `.stripMargin` applied.
    pub fn string_value(&self, node: Node<'t>) -> Option<String> {
        match node.kind_name() {
            "string" => Some(unquote(self.text(node)).to_string()),
            "interpolated_string_expression" => {
                let body = node.named_child(1)?;
                let mut out = String::new();
                let mut last = body.start_byte();
                let mut cursor = body.walk();
                for part in body.named_children(&mut cursor) {
                    if part.kind_name() == "interpolation" {
                        out.push_str(&self.text[last..part.start_byte()]);
                        out.push('x');
                        last = part.end_byte();
                    }
                }
                out.push_str(&self.text[last..body.end_byte()]);
                Some(unquote(&out).to_string())
            }
            "field_expression" => {
                let field = self.text(node.field("field")?);
                let inner = self.string_value(node.field("value")?)?;
                match field {
                    "stripMargin" => Some(
                        inner
                            .lines()
                            .map(|l| l.trim_start().strip_prefix('|').unwrap_or(l))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ),
                    "trim" => Some(inner.trim().to_string()),
                    _ => None,
                }
            }
            "parenthesized_expression" => self.string_value(node.named_child(0)?),
            "identifier" => {
                let value = self.constant(node)?;
                self.memo.nested(|| self.string_value(value)).flatten()
            }
            _ => None,
        }
    }

    /// How many numbers `a to b` (inclusive) or `a until b` holds, when known.
    fn range_len(&self, node: Node<'t>) -> Option<i64> {
        let operator = self.text(node.field("operator")?);
        let start = self.int_value(node.field("left")?)?;
        let end = self.int_value(node.field("right")?)?;
        match operator {
            "to" => Some((end - start + 1).max(0)),
            "until" => Some((end - start).max(0)),
            _ => None,
        }
    }

    /// Literal data: `Seq(...)`, `List(...)`, `Array(...)`, a small `1 to n`, or a
    /// name bound once to one of those.
    fn is_literal_data(&self, node: Node<'t>) -> bool {
        match node.kind_name() {
            "call_expression" => {
                let function = node.field("function");
                let function = function.map(|f| match f.kind_name() {
                    "generic_function" => f.field("function").unwrap_or(f),
                    _ => f,
                });
                function.is_some_and(|f| {
                    f.kind_name() == "identifier" && COLLECTIONS.contains(&self.text(f))
                })
            }
            "infix_expression" => self
                .range_len(node)
                .is_some_and(|n| n <= self.options.small_count),
            "identifier" => match self.constant(node) {
                Some(value) if value.kind_name() != "identifier" => self.is_literal_data(value),
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether `node` is an aggregate column expression or a literal.
    fn aggregate(&self, node: Node<'t>) -> Option<AggregateExpr> {
        match node.kind_name() {
            "integer_literal" | "floating_point_literal" => Some(AggregateExpr::Literal),
            "string" => {
                let text = self.string_value(node)?;
                super::sql::aggregate_expression(&text)
                    .map(|gathers| AggregateExpr::Aggregate { gathers })
            }
            "parenthesized_expression" => self.aggregate(node.named_child(0)?),
            "infix_expression" => {
                let operator = node.field("operator")?;
                if operator.kind_name() != "operator_identifier" {
                    // `count("*") as "n"`
                    if self.text(operator) == "as" || self.text(operator) == "alias" {
                        return self.aggregate(node.field("left")?);
                    }
                    return None;
                }
                let left = self.aggregate(node.field("left")?)?;
                let right = self.aggregate(node.field("right")?)?;
                Some(left.combine(right))
            }
            "call_expression" => {
                let function = node.field("function")?;
                if function.kind_name() == "field_expression" {
                    let method = self.text(function.field("field")?);
                    if matches!(method, "as" | "alias" | "name" | "cast") {
                        return self.aggregate(function.field("value")?);
                    }
                }
                let q = self.qualified(function)?;
                let name = q.strip_prefix(&format!("{FUNCTIONS}."))?;
                if AGGREGATE_FUNCTIONS.contains(&name) {
                    return Some(AggregateExpr::Aggregate {
                        gathers: GATHERING_AGGREGATES.contains(&name),
                    });
                }
                match name {
                    "lit" => Some(AggregateExpr::Literal),
                    "round" | "coalesce" | "bround" => {
                        let args = ScalaArgs::of_call(self, node);
                        AggregateExpr::all(args.positional.iter().map(|a| self.aggregate(*a)))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The qualified name a called expression spells (`F.broadcast` →
    /// `org.apache.spark.sql.functions.broadcast`), when it is not a local value.
    pub fn function_name(&self, node: Node<'t>) -> Option<String> {
        self.qualified(node)
    }

    /// The string literals whose text makes up `node`'s string value.
    pub fn string_parts(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut parts = Vec::new();
        self.memo
            .nested(|| self.collect_string_parts(node, &mut parts));
        parts
    }

    fn collect_string_parts(&self, node: Node<'t>, parts: &mut Vec<Node<'t>>) {
        match node.kind_name() {
            "string" | "interpolated_string_expression" => parts.push(node),
            "parenthesized_expression" => {
                if let Some(inner) = node.named_child(0) {
                    self.memo.nested(|| self.collect_string_parts(inner, parts));
                }
            }
            "field_expression" => {
                if let Some(value) = node.field("value") {
                    self.memo.nested(|| self.collect_string_parts(value, parts));
                }
            }
            "infix_expression" => {
                for side in ["left", "right"] {
                    if let Some(child) = node.field(side) {
                        self.memo.nested(|| self.collect_string_parts(child, parts));
                    }
                }
            }
            "identifier" => {
                if let Some(value) = self.constant(node) {
                    self.memo.nested(|| self.collect_string_parts(value, parts));
                }
            }
            _ => {}
        }
    }

    /// The Spark settings this file makes in code, in source order.
    pub fn settings(&self) -> Vec<Setting> {
        let mut out = Vec::new();
        for call in &self.setting_calls {
            let Some(function) = call.field("function") else {
                continue;
            };
            let (Some(object), Some(method)) = (function.field("value"), function.field("field"))
            else {
                continue;
            };
            let receiver = self.value(object).kind;
            let body = self.scopes.scopes[self.scopes.body_at(call.start_byte())]
                .range
                .clone();
            let method = self.text(method);
            if !super::settings::sets_setting(receiver, method) {
                continue;
            }
            let args = ScalaArgs::of_call(self, *call);
            // `.master("local[2]")` / `.setMaster(...)`: the `spark.master` setting.
            if super::settings::sets_master(method) {
                if let Some(value) = args.node(0, &[]) {
                    out.push(Setting {
                        key: "spark.master".to_string(),
                        value: self.string_value(value),
                        range: call.byte_range(),
                        at_launch: false,
                        body: body.clone(),
                    });
                }
                continue;
            }
            let mut pairs = Vec::new();
            match (args.node(0, &[]), args.node(1, &[])) {
                (Some(key), Some(value)) => pairs.push((key, value)),
                (Some(collection), None) => self.collect_pairs(collection, &mut pairs),
                _ => {}
            }
            for (key, value) in pairs {
                let Some(key_text) = self.string_value(key) else {
                    continue;
                };
                let value_text = match value.kind_name() {
                    "boolean_literal" => Some(self.text(value).to_string()),
                    _ => self
                        .string_value(value)
                        .or_else(|| self.int_value(value).map(|n| n.to_string())),
                };
                out.push(Setting {
                    key: key_text,
                    value: value_text,
                    range: key.start_byte()..value.end_byte(),
                    at_launch: false,
                    body: body.clone(),
                });
            }
        }
        out
    }

    /// The (key, value) pairs of `Map("k" -> "v", ...)` or `Seq(("k", "v"), ...)`.
    fn collect_pairs(&self, node: Node<'t>, pairs: &mut Vec<(Node<'t>, Node<'t>)>) {
        if node.kind_name() != "call_expression" {
            return;
        }
        let args = ScalaArgs::of_call(self, node);
        for item in &args.positional {
            let pair = match item.kind_name() {
                "infix_expression"
                    if item.field("operator").is_some_and(|o| self.text(o) == "->") =>
                {
                    item.field("left").zip(item.field("right"))
                }
                "tuple_expression" => item.named_child(0).zip(item.named_child(1)),
                _ => None,
            };
            pairs.extend(pair);
        }
    }

    pub fn argument(&self, args: Node<'t>, index: usize, keywords: &[&str]) -> Option<Node<'t>> {
        ScalaArgs::of(self, Some(args)).node(index, keywords)
    }
}

/// The last expression of a block: its value.
fn last_expression(block: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = block.walk();
    block
        .named_children(&mut cursor)
        .filter(|c| !matches!(c.kind_name(), "comment" | "block_comment"))
        .last()
}

fn unquote(text: &str) -> &str {
    let text = text
        .strip_prefix("\"\"\"")
        .and_then(|t| t.strip_suffix("\"\"\""))
        .unwrap_or(text);
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
}

/// Scala integer literals: `10`, `10L`, `1_000`, `0x1F`, `-1`.
fn parse_int(text: &str) -> Option<i64> {
    let text = text.replace('_', "");
    let text = text.trim_end_matches(['L', 'l']);
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => i64::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    Some(if negative { -value } else { value })
}

/// Names of `org.apache.spark.sql.functions` members that the model reads.
fn is_functions_member(name: &str) -> bool {
    name == "broadcast" || name == "lit" || AGGREGATE_FUNCTIONS.contains(&name)
}

/// The arguments of a Scala call.
type ScalaArgs<'m, 't> = CallArgs<'m, 't, ScalaModel<'t>>;

impl<'m, 't> ScalaArgs<'m, 't> {
    /// The arguments of `call`, which knows its own node.
    fn of_call(model: &'m ScalaModel<'t>, call: Node<'t>) -> Self {
        let mut args = Self::of(model, call.field("arguments"));
        args.call = Some(call);
        args
    }

    fn of(model: &'m ScalaModel<'t>, list: Option<Node<'t>>) -> Self {
        let mut args = Self::none(model);
        let Some(list) = list else { return args };
        args.list = Some(list);
        if matches!(list.kind_name(), "case_block" | "block") {
            // `f { case ... }` / `f { x => ... }`: one function argument.
            args.positional.push(list);
            return args;
        }
        let mut cursor = list.walk();
        for child in list.named_children(&mut cursor) {
            match child.kind_name() {
                "assignment_expression" => {
                    if let (Some(name), Some(value)) = (child.field("left"), child.field("right")) {
                        args.named.push((model.text(name), value));
                    }
                }
                "comment" | "block_comment" => {}
                _ => args.positional.push(child),
            }
        }
        args
    }
}

impl<'t> Reader<'t> for ScalaModel<'t> {
    fn value(&self, node: Node<'t>) -> Value {
        ScalaModel::value(self, node)
    }

    fn int_value(&self, node: Node<'t>) -> Option<i64> {
        ScalaModel::int_value(self, node)
    }

    fn string_value(&self, node: Node<'t>) -> Option<String> {
        ScalaModel::string_value(self, node)
    }

    fn is_literal_data(&self, node: Node<'t>) -> bool {
        ScalaModel::is_literal_data(self, node)
    }

    fn aggregate(&self, node: Node<'t>) -> Option<AggregateExpr> {
        ScalaModel::aggregate(self, node)
    }

    fn key_of(&self, node: Node<'t>) -> Option<Key> {
        ScalaModel::key_of(self, node)
    }

    fn lambda_key(&self, node: Node<'t>, pair: bool) -> Option<Key> {
        ScalaModel::lambda_key(self, node, pair)
    }

    fn is_point_lookup(&self, node: Node<'t>) -> bool {
        ScalaModel::is_point_lookup(self, node)
    }

    fn is_large_range(&self, node: Node<'t>) -> bool {
        node.kind_name() == "infix_expression"
            && self
                .range_len(node)
                .is_some_and(|n| n > self.options.small_count)
    }
}

// ---- keys ------------------------------------------------------------------------

impl<'t> ScalaModel<'t> {
    fn named_key(&self, range: std::ops::Range<usize>, text: &str) -> Key {
        Key::new(range, super::keys::cardinality(text, &self.options))
    }

    /// The column a column expression names: `"k"`, `$"k"`, `'k`, `col("k")`,
    /// `df("k")`, `x.as("k")`'s `x`.
    fn column_name(&self, node: Node<'t>) -> Option<(std::ops::Range<usize>, String)> {
        match node.kind_name() {
            "string" => {
                let range = node.byte_range();
                let inner =
                    (range.start + 1).min(range.end)..range.end.saturating_sub(1).max(range.start);
                Some((inner, self.string_value(node)?))
            }
            "interpolated_string_expression" => {
                let interpolator = node.field("interpolator")?;
                if self.text(interpolator) != "$" {
                    return None;
                }
                let body = node.named_child(1)?;
                let range = body.byte_range();
                let inner =
                    (range.start + 1).min(range.end)..range.end.saturating_sub(1).max(range.start);
                Some((inner, self.string_value(node)?))
            }
            "quote_expression" => {
                let name = node.named_child(0)?;
                Some((name.byte_range(), self.text(name).to_string()))
            }
            "call_expression" => {
                let function = node.field("function")?;
                let args = ScalaArgs::of_call(self, node);
                let first = args.node(0, &[])?;
                match function.kind_name() {
                    "identifier" if matches!(self.text(function), "col" | "column") => {
                        self.column_name(first)
                    }
                    // `df("k")`
                    "identifier" if self.value(function).kind == Kind::DataFrame => {
                        self.column_name(first)
                    }
                    "field_expression" => {
                        let field = self.text(function.field("field")?);
                        match field {
                            "col" | "apply" => self.column_name(first),
                            "as" | "alias" | "name" | "cast" => {
                                self.column_name(function.field("value")?)
                            }
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
            "identifier" => {
                let value = self.constant(node)?;
                matches!(value.kind_name(), "string")
                    .then(|| self.memo.nested(|| self.column_name(value)).flatten())
                    .flatten()
            }
            _ => None,
        }
    }

    pub fn key_of(&self, node: Node<'t>) -> Option<Key> {
        if let Some((range, name)) = self.column_name(node) {
            return Some(self.named_key(range, &name));
        }
        if node.kind_name() == "call_expression"
            && let Some(function) = node.field("function")
            && let Some(q) = self.qualified(function)
            && let Some(name) = q.rsplit('.').next()
            && super::keys::CATEGORICAL_FUNCTIONS.contains(&name)
        {
            return Some(Key::new(node.byte_range(), Cardinality::Low));
        }
        Some(Key::new(node.byte_range(), Cardinality::Unknown))
    }

    /// The key `x => (x.k, v)` (with `pair`), `x => x.k` or `_.k` makes of each
    /// element.
    pub fn lambda_key(&self, node: Node<'t>, pair: bool) -> Option<Key> {
        let mut body = match node.kind_name() {
            "lambda_expression" => {
                let count = node.named_child_count();
                node.named_child(u32::try_from(count.checked_sub(1)?).ok()?)?
            }
            "field_expression"
                if node
                    .field("value")
                    .is_some_and(|v| v.kind_name() == "wildcard") =>
            {
                node
            }
            _ => return None,
        };
        while matches!(body.kind_name(), "parenthesized_expression" | "block") {
            body = match body.kind_name() {
                "block" => last_expression(body)?,
                _ => body.named_child(0)?,
            };
        }
        if pair && body.kind_name() == "tuple_expression" {
            body = body.named_child(0)?;
        }
        let named = match body.kind_name() {
            "field_expression" => body
                .field("field")
                .map(|f| (f.byte_range(), self.text(f).to_string())),
            "identifier" => Some((body.byte_range(), self.text(body).to_string())),
            _ => None,
        };
        Some(match named {
            Some((range, name)) => self.named_key(range, &name),
            None => Key::new(body.byte_range(), Cardinality::Unknown),
        })
    }

    /// `$"id" === x`, `col("user_id") === id`, `"id = 42"`, either side of `&&`.
    pub fn is_point_lookup(&self, node: Node<'t>) -> bool {
        match node.kind_name() {
            "parenthesized_expression" => node
                .named_child(0)
                .is_some_and(|inner| self.is_point_lookup(inner)),
            "infix_expression" => {
                let (Some(left), Some(operator), Some(right)) = (
                    node.field("left"),
                    node.field("operator"),
                    node.field("right"),
                ) else {
                    return false;
                };
                match self.text(operator) {
                    "&&" | "and" => [left, right]
                        .iter()
                        .any(|n| self.memo.nested(|| self.is_point_lookup(*n)) == Some(true)),
                    // A few points: each side fixes a key.
                    "||" | "or" => [left, right]
                        .iter()
                        .all(|n| self.memo.nested(|| self.is_point_lookup(*n)) == Some(true)),
                    "===" | "equalTo" => {
                        let identifier_column = |n: Node<'t>| {
                            n.kind_name() != "string"
                                && self.column_name(n).is_some_and(|(_, name)| {
                                    super::keys::cardinality(&name, &self.options)
                                        == Cardinality::High
                                })
                        };
                        let column = |n: Node<'t>| {
                            n.kind_name() != "string" && self.column_name(n).is_some()
                        };
                        (identifier_column(left) && !column(right))
                            || (identifier_column(right) && !column(left))
                    }
                    _ => false,
                }
            }
            // `col("id").isin(1, 2, 3)`: a few literal values of an identifier.
            "call_expression" => {
                let (Some(function), Some(arguments)) =
                    (node.field("function"), node.field("arguments"))
                else {
                    return false;
                };
                if function.kind_name() != "field_expression"
                    || function
                        .field("field")
                        .is_none_or(|f| self.text(f) != "isin")
                {
                    return false;
                }
                let identifier_column = function.field("value").is_some_and(|n| {
                    self.column_name(n).is_some_and(|(_, name)| {
                        super::keys::cardinality(&name, &self.options) == Cardinality::High
                    })
                });
                let mut cursor = arguments.walk();
                let values: Vec<Node<'t>> = arguments.named_children(&mut cursor).collect();
                let literal = values.iter().all(|n| {
                    matches!(
                        n.kind_name(),
                        "integer_literal" | "string" | "floating_point_literal" | "boolean_literal"
                    )
                });
                identifier_column
                    && literal
                    && !values.is_empty()
                    && values.len() as i64 <= self.options.small_count
            }
            "string" => self.string_value(node).is_some_and(|condition| {
                super::sql::size(&format!("SELECT * FROM t WHERE {condition}"), &self.options)
                    == Some(Size::Few(super::FewRows::PointLookup))
            }),
            _ => false,
        }
    }
}
