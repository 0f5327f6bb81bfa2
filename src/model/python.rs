//! The Python side of the Spark model: reads imports, scopes, bindings, parameters,
//! function returns and comments in one walk of the tree, then answers what an
//! expression is on demand, memoized per node.

use crate::lang::node::KindSet;
use crate::lang::{FastMap, Language, NodeExt};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

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
use super::{Cardinality, Comment, Key, Kind, ModelOptions, OneRow, Size, Value};

/// Methods that set Spark settings on a builder, a `SparkConf` or `spark.conf`.
const SETTING_METHODS: &[&str] = &[
    "config",
    "set",
    "setAll",
    "setIfMissing",
    "master",
    "setMaster",
];

/// Module roots whose import makes a file Spark code.
const SPARK_MODULES: &[&str] = &["pyspark", "delta", "dlt", "databricks"];

pub struct PythonModel<'t> {
    text: &'t str,
    pub options: ModelOptions,
    spark: bool,
    /// Local name → qualified name (`F` → `pyspark.sql.functions`).
    imports: FastMap<&'t str, String>,
    /// Modules imported with `*`.
    star_imports: Vec<String>,
    scopes: Scopes<'t>,
    pub comments: Vec<Comment>,
    /// Calls that may set a Spark setting (`.config`, `.set`, `.setAll`).
    setting_calls: Vec<Node<'t>>,
    loops: Vec<Loop<'t>>,
    actions: Vec<ActionSite<'t>>,
    /// The branches of each `if`: code in two of them never runs together.
    branches: Vec<Vec<std::ops::Range<usize>>>,
    /// Byte ranges the parser could not read.
    pub errors: Vec<std::ops::Range<usize>>,
    /// `errors`, indexed.
    pub error_regions: Regions,
    /// The first construct only Python 2 has, and its name.
    pub python2: Option<(Node<'t>, &'static str)>,
    /// Long literal collections of numbers, which no rule looks inside.
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
    /// Calls of plain functions (`f(x)`, `module.f(x)`), for the project index.
    plain_calls: Vec<Node<'t>>,
    /// Names passed as arguments (`map(rank, frames)`): a function handed on as a
    /// value is called where no call site shows what it is given.
    passed_names: Vec<Node<'t>>,
    /// Functions defined at module level: name, definition, scope.
    module_functions: Vec<(&'t str, Node<'t>, usize)>,
    /// The file's root, to find a function's definition from its scope.
    root: Node<'t>,
    /// Calls of a plain name (`helper(df, cols)`), by the name: the call sites of
    /// the file's own functions.
    calls_by_name: FastMap<&'t str, Vec<Node<'t>>>,
    /// The function expressions of calls that may pace a loop (`time.sleep`).
    pacing: Vec<Node<'t>>,
    /// Names reassigned from an expression, in source order.
    reassignments: Vec<Reassignment<'t>>,
    /// `frames.append(x)` calls, by the list's name: what a list built in a loop
    /// holds.
    appends: FastMap<&'t str, Vec<Node<'t>>>,
    /// `self.x = value` in the methods of each class, by (the class's scope, `x`):
    /// what an attribute holds in every method of the class.
    self_attrs: HashMap<(usize, &'t str), Vec<Node<'t>>>,
    /// `self.xs.append(v)` calls, by (the class's scope, `xs`).
    self_appends: HashMap<(usize, &'t str), Vec<Node<'t>>>,
    /// Test functions, fixtures, test classes and test-support helpers.
    pub test_regions: Vec<std::ops::Range<usize>>,
    functions: Vec<FunctionSpan<'t>>,
    /// Where `assert` and `raise` statements start.
    asserts: Vec<usize>,
    /// The two sides of each `==` / `!=`.
    comparisons: Vec<context::Comparison>,
    /// Uses of names a notebook kernel predefines (Jupyter notebooks only).
    predefined_uses: Vec<Node<'t>>,
    memo: Memo,
    /// The nodes where a rule query's pattern may start, in tree order.
    pub query_roots: Vec<Node<'t>>,
    /// Where each identifier of the file starts, by its text, built on first use (by
    /// fixes that must see every use of a name). Offsets, not nodes: a cell holding
    /// nodes would tie the model to one tree lifetime.
    identifiers: std::cell::OnceCell<HashMap<Box<str>, Vec<usize>>>,
    /// `reassignments` by where their value starts, built on first use.
    assignments_by_value: std::cell::OnceCell<FastMap<usize, Vec<usize>>>,
    /// `collection_len` by node, and `returns_frames` by scope: both follow calls
    /// through the file's functions, which may call each other many times.
    lens: std::cell::RefCell<FastMap<usize, Option<i64>>>,
    frames: std::cell::RefCell<FastMap<usize, bool>>,
}

/// The kinds [`PythonModel::visit`] records something of: every arm of its match
/// but `identifier`, which it reads only in Jupyter notebooks (where every node is
/// visited). A kind added to the match is added here too.
static VISITED: LazyLock<KindSet> = LazyLock::new(|| {
    KindSet::new(
        Language::Python,
        &[
            "import_statement",
            "import_from_statement",
            "function_definition",
            "class_definition",
            "lambda",
            "assignment",
            "augmented_assignment",
            "named_expression",
            "for_statement",
            "for_in_clause",
            "if_statement",
            "while_statement",
            "list_comprehension",
            "set_comprehension",
            "dictionary_comprehension",
            "generator_expression",
            "as_pattern",
            "return_statement",
            "ERROR",
            "list",
            "tuple",
            "set",
            "decorated_definition",
            "assert_statement",
            "raise_statement",
            "comparison_operator",
            "call",
            "comment",
        ],
    )
});

/// The kinds [`PythonModel::chain_step`] steps down from.
static CHAIN_STEPS: LazyLock<KindSet> = LazyLock::new(|| {
    KindSet::new(
        Language::Python,
        &["call", "attribute", "parenthesized_expression"],
    )
});

impl<'t> PythonModel<'t> {
    pub fn build(text: &'t str, tree: &'t Tree, options: ModelOptions) -> Self {
        let mut model = Self::empty(text, tree, options);
        model.walk(tree.root_node());
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
        // A Jupyter notebook is Spark code when it imports Spark or uses a name only a
        // Spark kernel defines.
        if model.options.launch == Launch::Jupyter && !model.spark {
            model.spark = model.predefined_uses.iter().any(|node| {
                let name = model.text_of(*node);
                model.lookup(name, node.start_byte()).is_none() && !model.imports.contains_key(name)
            });
        }
        model
    }

    /// A model that knows nothing (the file is not analysed).
    pub fn empty(text: &'t str, tree: &'t Tree, options: ModelOptions) -> Self {
        PythonModel {
            text,
            spark: options.launch == Launch::Databricks,
            options,
            imports: FastMap::default(),
            star_imports: Vec::new(),
            scopes: Scopes::new(tree.root_node().end_byte().max(text.len())),
            comments: Vec::new(),
            setting_calls: Vec::new(),
            loops: Vec::new(),
            actions: Vec::new(),
            branches: Vec::new(),
            errors: Vec::new(),
            error_regions: Regions::default(),
            literal_runs: Vec::new(),
            python2: None,
            chain_roots: ChainRoots::default(),
            depth: 0,
            action_index: Default::default(),
            branch_index: BranchIndex::default(),
            loop_bodies: Nested::default(),
            plain_calls: Vec::new(),
            passed_names: Vec::new(),
            module_functions: Vec::new(),
            root: tree.root_node(),
            calls_by_name: FastMap::default(),
            pacing: Vec::new(),
            reassignments: Vec::new(),
            appends: FastMap::default(),
            self_attrs: HashMap::new(),
            self_appends: HashMap::new(),
            test_regions: Vec::new(),
            functions: Vec::new(),
            asserts: Vec::new(),
            comparisons: Vec::new(),
            predefined_uses: Vec::new(),
            memo: Memo::default(),
            query_roots: Vec::new(),
            identifiers: std::cell::OnceCell::new(),
            assignments_by_value: std::cell::OnceCell::new(),
            lens: Default::default(),
            frames: Default::default(),
        }
    }

    /// Sees the project through `project` from now on: what was computed without
    /// it is forgotten.
    pub fn rebind(&mut self, project: std::sync::Arc<super::index::ProjectIndex>) {
        self.options.project = project;
        self.memo = Memo::default();
        self.lens.take();
        self.frames.take();
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
        self.text_of(node)
    }

    fn text_of(&self, node: Node<'t>) -> &'t str {
        &self.text[node.byte_range()]
    }

    // ---- the walk ------------------------------------------------------------------

    fn walk(&mut self, root: Node<'t>) {
        let collect = crate::parse::rule_query(Language::Python).root_kinds();
        let mut collected = Vec::new();
        self.depth = walk(root, collect, &mut collected, |node, scope| {
            // Only these kinds step down a chain; debug builds (the tests) hold the
            // set to `chain_step`.
            debug_assert!(
                CHAIN_STEPS.contains(&node) || self.chain_step(node).is_none(),
                "`chain_step` steps down from `{}` nodes: the kind belongs in CHAIN_STEPS",
                node.kind_name()
            );
            if CHAIN_STEPS.contains(&node) {
                let mut roots = std::mem::take(&mut self.chain_roots);
                roots.add(node, |n| self.chain_step(n));
                self.chain_roots = roots;
            }
            self.visit(node, scope)
                .map(|opened| (opened, node.end_byte()))
        });
        self.query_roots = collected;
    }

    fn bind(&mut self, name: Node<'t>, scope: usize, visible_from: usize, bound: Bound<'t>) {
        let name = self.text_of(name);
        self.scopes.bind(name, scope, visible_from, bound);
    }

    /// The names a loop target binds (`t`, `(k, v)`).
    fn target_names(&self, target: Option<Node<'t>>) -> Vec<&'t str> {
        let mut names = Vec::new();
        let mut stack: Vec<Node<'t>> = target.into_iter().collect();
        while let Some(node) = stack.pop() {
            if node.kind_name() == "identifier" {
                names.push(self.text_of(node));
            } else {
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor));
            }
        }
        names
    }

    /// Binds every identifier of a target pattern as opaque.
    fn bind_opaque_targets(&mut self, target: Node<'t>, scope: usize, visible_from: usize) {
        if target.kind_name() == "identifier" {
            self.bind(target, scope, visible_from, Bound::Opaque);
            return;
        }
        if matches!(target.kind_name(), "attribute" | "subscript") {
            return;
        }
        let mut cursor = target.walk();
        for child in target.named_children(&mut cursor) {
            self.bind_opaque_targets(child, scope, visible_from);
        }
    }

    fn new_scope(&mut self, node: Node<'t>, parent: usize, kind: ScopeKind) -> usize {
        self.scopes.open(node, parent, kind)
    }

    /// Records what `node` tells; returns a new scope that `node` opens.
    fn visit(&mut self, node: Node<'t>, scope: usize) -> Option<usize> {
        if self.python2.is_none() {
            self.python2 = crate::rules::syntax_error::python2_only(node, self.text)
                .map(|construct| (node, construct));
        }
        // Most nodes are of kinds `record` takes none of: they are passed by on
        // their kind id, before any name is compared. Debug builds (the tests) pass
        // every node on, and a node passed by that an arm takes is a kind missing
        // from `VISITED`.
        let passed_by = self.options.launch != Launch::Jupyter && !VISITED.contains(&node);
        if passed_by && !cfg!(debug_assertions) {
            return None;
        }
        let mut taken = true;
        let opened = self.record(node, scope, &mut taken);
        debug_assert!(
            !(passed_by && taken),
            "the model records `{}` nodes: the kind belongs in VISITED",
            node.kind_name()
        );
        opened
    }

    /// What `visit` records of `node`; `taken` is cleared when no arm takes it.
    fn record(&mut self, node: Node<'t>, scope: usize, taken: &mut bool) -> Option<usize> {
        match node.kind_name() {
            "import_statement" => self.visit_import(node),
            "import_from_statement" => self.visit_import_from(node),
            "function_definition" => {
                let new = self.new_scope(node, scope, ScopeKind::Function);
                if let Some(name) = node.field("name") {
                    self.bind(name, scope, node.start_byte(), Bound::Function(new));
                    if scope == 0 {
                        self.module_functions.push((self.text_of(name), node, new));
                    }
                    let name = self.text_of(name);
                    if context::is_test_function_name(name) {
                        self.test_regions.push(node.byte_range());
                    }
                    self.functions.push(FunctionSpan {
                        name,
                        range: node.byte_range(),
                    });
                }
                if let Some(params) = node.field("parameters") {
                    self.visit_parameters(params, new, node.start_byte());
                }
                return Some(new);
            }
            "class_definition" => {
                if let Some(name) = node.field("name") {
                    self.bind(name, scope, node.start_byte(), Bound::Class);
                    let bases: Vec<&str> = node
                        .field("superclasses")
                        .map(|list| {
                            let mut cursor = list.walk();
                            list.named_children(&mut cursor)
                                .map(|base| self.text_of(base))
                                .collect()
                        })
                        .unwrap_or_default();
                    if context::is_python_test_class(self.text_of(name), &bases) {
                        self.test_regions.push(node.byte_range());
                    }
                }
                return Some(self.new_scope(node, scope, ScopeKind::Members));
            }
            "lambda" => {
                let new = self.new_scope(node, scope, ScopeKind::Lambda);
                if let Some(params) = node.field("parameters") {
                    self.bind_opaque_targets(params, new, node.start_byte());
                }
                return Some(new);
            }
            "assignment" => self.visit_assignment(node, scope),
            "augmented_assignment" => {
                // `i += 1` changes `i` on every iteration of a loop around it.
                if let (Some(left), Some(right)) = (node.field("left"), node.field("right"))
                    && left.kind_name() == "identifier"
                {
                    self.reassignments.push(Reassignment {
                        target: left,
                        value: right,
                    });
                }
                if let Some(left) = node.field("left") {
                    self.bind_opaque_targets(left, scope, node.end_byte());
                }
            }
            "named_expression" => {
                if let (Some(name), Some(value)) = (node.field("name"), node.field("value")) {
                    let bound = Bound::Value {
                        annotation: None,
                        value: Some(value),
                    };
                    self.bind(name, scope, node.end_byte(), bound);
                }
            }
            "for_statement" | "for_in_clause" => {
                if let Some(left) = node.field("left") {
                    self.bind_opaque_targets(left, scope, node.start_byte());
                }
                if node.kind_name() == "for_statement"
                    && let Some(body) = node.field("body")
                {
                    self.loops.push(Loop {
                        kind: LoopKind::For,
                        range: node.byte_range(),
                        body: body.byte_range(),
                        iterable: node.field("right"),
                        targets: self.target_names(node.field("left")),
                    });
                }
            }
            "if_statement" => {
                let mut ranges = Vec::new();
                if let Some(consequence) = node.field("consequence") {
                    ranges.push(consequence.byte_range());
                }
                let mut cursor = node.walk();
                for alternative in node.children_by_field_name("alternative", &mut cursor) {
                    ranges.push(alternative.byte_range());
                }
                self.branches.push(ranges);
            }
            "while_statement" => self.loops.push(Loop {
                kind: LoopKind::While,
                range: node.byte_range(),
                body: node.byte_range(),
                iterable: None,
                targets: Vec::new(),
            }),
            "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => {
                let mut cursor = node.walk();
                let clauses: Vec<Node<'t>> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind_name() == "for_in_clause")
                    .collect();
                if let Some(first) = clauses.first() {
                    let targets = clauses
                        .iter()
                        .flat_map(|c| self.target_names(c.field("left")))
                        .collect();
                    self.loops.push(Loop {
                        kind: LoopKind::Comprehension,
                        range: node.byte_range(),
                        body: node.byte_range(),
                        iterable: first.field("right"),
                        targets,
                    });
                }
            }
            "as_pattern" => {
                if let Some(alias) = node.field("alias") {
                    self.bind_opaque_targets(alias, scope, node.start_byte());
                }
            }
            "return_statement" => {
                if let Some(value) = node.named_child(0) {
                    self.scopes.scopes[scope].returns.push(value);
                }
            }
            "ERROR" => self.errors.push(node.byte_range()),
            "list" | "tuple" | "set" if is_numeric_literal_run(node) => {
                self.literal_runs.push(node.byte_range());
            }
            "decorated_definition" => {
                // `@pytest.fixture`, `@fixture(scope="session")`: fixtures build test data.
                let mut cursor = node.walk();
                let fixture = node
                    .named_children(&mut cursor)
                    .filter(|child| child.kind_name() == "decorator")
                    .any(|decorator| self.text_of(decorator).contains("fixture"));
                if fixture {
                    self.test_regions.push(node.byte_range());
                }
            }
            "assert_statement" | "raise_statement" => self.asserts.push(node.start_byte()),
            "comparison_operator" if node.named_child_count() == 2 => {
                if let (Some(left), Some(right)) = (node.named_child(0), node.named_child(1)) {
                    self.comparisons
                        .push((left.byte_range(), right.byte_range()));
                }
            }
            "identifier"
                if self.options.launch == Launch::Jupyter
                    && context::PREDEFINED_NAMES.contains(&self.text_of(node)) =>
            {
                self.predefined_uses.push(node);
            }
            "call" => {
                // The callee's parts, looked up once: a field lookup walks the node's
                // children.
                let function = node.field("function");
                let function_kind = function.map(|f| f.kind_name());
                let object = function.and_then(|f| f.field("object"));
                let object_is_name = object.is_some_and(|o| o.kind_name() == "identifier");
                let method = function
                    .filter(|_| function_kind == Some("attribute"))
                    .and_then(|f| f.field("attribute"));
                if let Some(function) = function {
                    let last = self.text_of(function).rsplit('.').next().unwrap_or("");
                    if PACING.iter().any(|p| {
                        *p == last || p.strip_suffix(last).is_some_and(|m| m.ends_with('.'))
                    }) {
                        self.pacing.push(function);
                    }
                    if let (Some(object), Some(method)) = (object, method)
                        && matches!(self.text_of(method), "append" | "extend" | "insert")
                    {
                        if object_is_name {
                            // An `extend` or `insert` adds items the map cannot read:
                            // the list's size and kinds are unknown then.
                            self.appends
                                .entry(self.text_of(object))
                                .or_default()
                                .push(node);
                        }
                        if let Some(key) = self.self_attribute_key(object, scope) {
                            self.self_appends.entry(key).or_default().push(node);
                        }
                    }
                    if function_kind == Some("identifier") {
                        self.calls_by_name
                            .entry(self.text_of(function))
                            .or_default()
                            .push(node);
                    }
                }
                if function_kind == Some("identifier") || object_is_name {
                    self.plain_calls.push(node);
                }
                if let Some(args) = node.field("arguments") {
                    let mut cursor = args.walk();
                    for arg in args.named_children(&mut cursor) {
                        let value = match arg.kind_name() {
                            "keyword_argument" => arg.field("value"),
                            _ => Some(arg),
                        };
                        if let Some(value) = value.filter(|v| v.kind_name() == "identifier") {
                            self.passed_names.push(value);
                        }
                    }
                }
                if let Some(method) = method {
                    let name = self.text_of(method);
                    if SETTING_METHODS.contains(&name) {
                        self.setting_calls.push(node);
                    }
                    if (ACTIONS.contains(&name)
                        || WRITES.contains(&name)
                        || CACHING.contains(&name))
                        && let Some(receiver) = object
                    {
                        self.actions.push(ActionSite {
                            call: node,
                            receiver,
                            name,
                        });
                    }
                }
            }
            "comment" => {
                let line_start = self.text[..node.start_byte()]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let own_line = self.text[line_start..node.start_byte()].trim().is_empty();
                self.comments.push(Comment {
                    range: node.byte_range(),
                    own_line,
                });
            }
            _ => *taken = false,
        }
        None
    }

    fn note_module(&mut self, module: &str) {
        let root = module.split('.').next().unwrap_or("");
        if SPARK_MODULES.contains(&root) {
            self.spark = true;
        }
    }

    fn visit_import(&mut self, node: Node<'t>) {
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            match name.kind_name() {
                "dotted_name" => {
                    let full = self.text_of(name);
                    self.note_module(full);
                    let first = name.named_child(0).map_or(full, |n| self.text_of(n));
                    self.imports.insert(first, first.to_string());
                }
                "aliased_import" => {
                    let (Some(module), Some(alias)) = (name.field("name"), name.field("alias"))
                    else {
                        continue;
                    };
                    let module = self.text_of(module);
                    self.note_module(module);
                    self.imports.insert(self.text_of(alias), module.to_string());
                }
                _ => {}
            }
        }
    }

    fn visit_import_from(&mut self, node: Node<'t>) {
        let Some(module) = node.field("module_name") else {
            return;
        };
        let module = self.text_of(module).to_string();
        self.note_module(&module);
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind_name() == "wildcard_import" {
                self.star_imports.push(module.clone());
            }
        }
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            match name.kind_name() {
                "dotted_name" => {
                    let local = self.text_of(name);
                    self.imports.insert(local, format!("{module}.{local}"));
                }
                "aliased_import" => {
                    let (Some(original), Some(alias)) = (name.field("name"), name.field("alias"))
                    else {
                        continue;
                    };
                    let original = self.text_of(original);
                    self.imports
                        .insert(self.text_of(alias), format!("{module}.{original}"));
                }
                _ => {}
            }
        }
    }

    fn visit_parameters(&mut self, params: Node<'t>, scope: usize, at: usize) {
        let mut cursor = params.walk();
        for param in params.named_children(&mut cursor) {
            let (name, annotation, default) = match param.kind_name() {
                "identifier" => (Some(param), None, None),
                "typed_parameter" => (
                    param
                        .named_child(0)
                        .filter(|n| n.kind_name() == "identifier"),
                    param.field("type"),
                    None,
                ),
                "default_parameter" | "typed_default_parameter" => (
                    param.field("name"),
                    param.field("type"),
                    param.field("value"),
                ),
                _ => (None, None, None),
            };
            if let Some(name) = name {
                self.bind(
                    name,
                    scope,
                    at,
                    Bound::Param {
                        annotation,
                        default,
                    },
                );
            }
        }
    }

    fn visit_assignment(&mut self, node: Node<'t>, scope: usize) {
        let Some(left) = node.field("left") else {
            return;
        };
        let Some(mut right) = node.field("right") else {
            return; // an annotation without a value
        };
        // `a = b = expr`: every name gets the innermost value.
        while right.kind_name() == "assignment" {
            match right.field("right") {
                Some(inner) => right = inner,
                None => return,
            }
        }
        if left.kind_name() == "identifier" {
            self.reassignments.push(Reassignment {
                target: left,
                value: right,
            });
            let bound = Bound::Value {
                annotation: node.field("type"),
                value: Some(right),
            };
            self.bind(left, scope, node.end_byte(), bound);
        } else {
            if let Some(key) = self.self_attribute_key(left, scope) {
                self.self_attrs.entry(key).or_default().push(right);
                self.reassignments.push(Reassignment {
                    target: left,
                    value: right,
                });
            }
            if !self.bind_unpacked(left, right, scope, node.end_byte()) {
                self.bind_opaque_targets(left, scope, node.end_byte());
            }
        }
    }

    /// For `self.x` written in a method (or a function nested in one): the class's
    /// scope and `x`.
    fn self_attribute_key(&self, node: Node<'t>, scope: usize) -> Option<(usize, &'t str)> {
        if node.kind_name() != "attribute" {
            return None;
        }
        let object = node.field("object")?;
        if object.kind_name() != "identifier" || self.text_of(object) != "self" {
            return None;
        }
        let attribute = self.text_of(node.field("attribute")?);
        let mut current = scope;
        // The nearest class around the method.
        for _ in 0..64 {
            let s = self.scopes.scopes.get(current)?;
            if s.kind == ScopeKind::Members {
                return Some((current, attribute));
            }
            if current == 0 {
                return None;
            }
            current = s.parent;
        }
        None
    }

    /// What the methods of the class assign to `self.x`, for a use of `self.x`.
    fn self_attribute_values(&self, node: Node<'t>) -> Option<&[Node<'t>]> {
        let scope = self.scopes.scope_at(node.start_byte());
        let key = self.self_attribute_key(node, scope)?;
        self.self_attrs.get(&key).map(Vec::as_slice)
    }

    /// `a, b = x, y` binds each name to its element; `train, test =
    /// df.randomSplit(...)` binds each name to a split, which has at most the rows of
    /// `df`. `false` when the targets are not plain names matched to known parts.
    fn bind_unpacked(
        &mut self,
        left: Node<'t>,
        right: Node<'t>,
        scope: usize,
        visible_from: usize,
    ) -> bool {
        if !matches!(
            left.kind_name(),
            "pattern_list" | "tuple_pattern" | "list_pattern"
        ) {
            return false;
        }
        let mut cursor = left.walk();
        let targets: Vec<Node<'t>> = left.named_children(&mut cursor).collect();
        if targets.iter().any(|t| t.kind_name() != "identifier") {
            return false;
        }
        let values: Vec<Node<'t>> = match right.kind_name() {
            "expression_list" | "tuple" | "list" => {
                let mut cursor = right.walk();
                right.named_children(&mut cursor).collect()
            }
            "call" if is_split_call(self.text, right) => vec![right; targets.len()],
            _ => return false,
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

    // ---- name resolution -------------------------------------------------------------

    fn lookup(&self, name: &str, offset: usize) -> Option<Binding<'t>> {
        self.scopes.lookup(name, offset)
    }

    /// The dotted name an expression spells through the imports
    /// (`F.max` → `pyspark.sql.functions.max`), when its root is not a local value.
    fn qualified(&self, node: Node<'t>) -> Option<String> {
        match node.kind_name() {
            "identifier" => {
                let name = self.text_of(node);
                if let Some(full) = self.imports.get(name) {
                    return Some(full.clone());
                }
                if self.scopes.is_bound(name) {
                    return None;
                }
                if let Some(module) = self
                    .star_imports
                    .iter()
                    .find(|m| m.as_str() == "pyspark.sql.functions")
                    && AGGREGATE_FUNCTIONS.contains(&name)
                {
                    return Some(format!("{module}.{name}"));
                }
                Some(name.to_string())
            }
            "attribute" => {
                let object = node.field("object")?;
                let attribute = node.field("attribute")?;
                let mut base = self.qualified(object)?;
                base.push('.');
                base.push_str(self.text_of(attribute));
                Some(base)
            }
            _ => None,
        }
    }

    // ---- evaluation ----------------------------------------------------------------

    /// What the expression `node` is.
    pub fn value(&self, node: Node<'t>) -> Value {
        self.memo
            .value_of_chain(node, |n| self.chain_step(n), |n| self.compute(n))
    }

    /// One step down a method chain, as `method_chain` takes it: a call or
    /// attribute to its object, a parenthesized expression to what it holds.
    fn chain_step(&self, node: Node<'t>) -> Option<Node<'t>> {
        let attribute = match node.kind_name() {
            "call" => node
                .field("function")
                .filter(|f| f.kind_name() == "attribute")?,
            "attribute" => node,
            "parenthesized_expression" => return node.named_child(0),
            _ => return None,
        };
        attribute.field("attribute")?;
        attribute.field("object")
    }

    /// The root of the method chain `node` ends (`method_chain(node).root`, memoized).
    pub fn chain_root(&self, node: Node<'t>) -> Node<'t> {
        self.chain_roots.root(node)
    }

    fn compute(&self, node: Node<'t>) -> Value {
        match node.kind_name() {
            "call" => self.call_value(node),
            "attribute" => self.member_value(node, None),
            "identifier" => self.identifier_value(node),
            "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => self.value(inner),
                None => Value::UNKNOWN,
            },
            "subscript" => {
                let object = node.field("value");
                // `frames[0]` of a list of DataFrames is a DataFrame.
                let index = node.field("subscript");
                if let (Some(object), Some(index)) = (object, index)
                    && self.int_value(index).is_some()
                    && self.elements_distributed(object)
                {
                    return Value::of(Kind::DataFrame);
                }
                match object.map(|o| self.value(o)) {
                    Some(v) if v.kind == Kind::Pandas => v,
                    // `rows[0]` is one row; `pdf["rate"]` is still the whole column.
                    Some(v) if v.kind == Kind::Collected => {
                        let index = node.field("subscript");
                        let one = index.is_some_and(|i| self.int_value(i).is_some());
                        if one {
                            v.with_size(v.size.min(Size::One(OneRow::Action)))
                        } else {
                            v
                        }
                    }
                    Some(v) if v.kind != Kind::Unknown => Value::OTHER,
                    _ => Value::UNKNOWN,
                }
            }
            "list"
            | "tuple"
            | "dictionary"
            | "set"
            | "string"
            | "concatenated_string"
            | "integer"
            | "float"
            | "true"
            | "false"
            | "none"
            | "binary_operator"
            | "comparison_operator"
            | "boolean_operator"
            | "not_operator" => Value::OTHER,
            "list_comprehension"
            | "dictionary_comprehension"
            | "set_comprehension"
            | "generator_expression" => self.comprehension_value(node),
            _ => Value::UNKNOWN,
        }
    }

    /// A comprehension over collected data is collected data.
    fn comprehension_value(&self, node: Node<'t>) -> Value {
        let mut cursor = node.walk();
        for clause in node.named_children(&mut cursor) {
            if clause.kind_name() == "for_in_clause"
                && let Some(source) = clause.field("right")
            {
                let value = self.value(source);
                if value.kind == Kind::Collected {
                    return value;
                }
            }
        }
        Value::OTHER
    }

    fn identifier_value(&self, node: Node<'t>) -> Value {
        let name = self.text_of(node);
        let value = match self.lookup(name, node.start_byte()) {
            Some(binding) => self.binding_value(binding),
            None => match self.imports.get(name) {
                Some(q) => self.qualified_value(q, None),
                None => Value::UNKNOWN,
            },
        };
        if !self.spark {
            return value;
        }
        let value = value.or_by_convention(name, super::is_dataframe_name(name));
        // A parameter every caller in the project passes small data for is small.
        if matches!(value.kind, Kind::DataFrame | Kind::Rdd | Kind::Unknown)
            && let Some((Passed::SmallData(kind, size), _)) =
                self.passed_arguments(node, Reading::SmallData)
        {
            return Value::sized(kind, size);
        }
        value
    }

    /// What calling the function `q` (imported, or of another module) gives: its
    /// summary in the project index, with the caller's arguments where the result
    /// depends on them; else what the API knows of the name.
    fn qualified_call_value(&self, q: &str, args: &PyArgs<'_, 't>) -> Value {
        let project = &self.options.project;
        if project.is_empty() {
            return self.qualified_value(q, Some(args));
        }
        let name = q.trim_start_matches('.');
        if project.is_telling_function(name)
            && let Some(function) = project.function(name)
        {
            return summary_value(&function, args, &self.options);
        }
        let known = self.qualified_value(q, Some(args));
        if known == Value::UNKNOWN {
            // A function whose summary tells nothing gives an unknown value, as no
            // function does: it is looked up as no answer, and this file is not
            // checked again when another file's function of that name comes or goes.
            project.telling_function(name);
            return known;
        }
        // Where the API knows the name, a project function of that name, even one
        // that tells nothing, overrides what the API says.
        match project.function(name) {
            Some(function) => summary_value(&function, args, &self.options),
            None => known,
        }
    }

    // ---- facts for the project index -------------------------------------------------

    /// What this file tells the rest of the project.
    pub fn facts(&self) -> FileFacts {
        let mut facts = FileFacts::default();
        let mut names: Vec<&&'t str> = self.scopes.bindings.keys().collect();
        names.sort();
        for name in names {
            let bindings = &self.scopes.bindings[*name];
            let at_module: Vec<_> = bindings.iter().filter(|b| b.scope == 0).collect();
            let [binding] = at_module.as_slice() else {
                continue;
            };
            if let Bound::Value {
                value: Some(value), ..
            } = binding.bound
            {
                if let Some(n) = self.int_value(value) {
                    facts.constants.push((name.to_string(), Constant::Int(n)));
                } else if value.kind_name() == "string"
                    && let Some(s) = self.string_value(value)
                {
                    facts.constants.push((name.to_string(), Constant::Str(s)));
                } else if matches!(value.kind_name(), "list" | "tuple" | "set" | "dictionary")
                    && !self.appends.contains_key(*name)
                {
                    let items = value.named_child_count() as i64;
                    facts
                        .constants
                        .push((name.to_string(), Constant::Items(items)));
                }
            }
        }
        for (name, definition, scope) in &self.module_functions {
            let params = self.param_names(*definition);
            let summary = self.summary(*scope, &params);
            facts.functions.push(Function {
                name: name.to_string(),
                params: params.iter().map(|p| p.to_string()).collect(),
                summary,
            });
        }
        if self.spark {
            for call in &self.plain_calls {
                if let Some(site) = self.call_site(*call) {
                    facts.calls.push(site);
                }
            }
            for name in &self.passed_names {
                if let Some(site) = self.passed_function(*name) {
                    facts.calls.push(site);
                }
            }
        }
        facts
    }

    /// A function handed on as a value (`map(rank, frames)`), as a call site whose
    /// arguments are not known.
    fn passed_function(&self, name: Node<'t>) -> Option<CallSite> {
        let text = self.text_of(name);
        let target = match self.lookup(text, name.start_byte()).map(|b| b.bound) {
            Some(Bound::Function(_)) => CallTarget::Local,
            Some(_) => return None,
            None => {
                let q = self.imports.get(text)?;
                CallTarget::Imported(q.clone())
            }
        };
        Some(CallSite {
            callee: text.to_string(),
            target,
            positional: Vec::new(),
            named: Vec::new(),
            splat: true,
        })
    }

    /// For a use of a parameter of a module-level function: its default, when
    /// every call of the function leaves the parameter out, so it always is the
    /// default. The calls are the whole project's (through the index), or the
    /// file's when it is checked alone. `None` when it has no default, no call is
    /// visible, a call passes it or spreads `*args`, or the function is handed on
    /// as a value.
    pub fn omitted_param_default(&self, node: Node<'t>) -> Option<Node<'t>> {
        let name = self.text_of(node);
        let binding = self.lookup(name, node.start_byte())?;
        let Bound::Param {
            default: Some(default),
            ..
        } = binding.bound
        else {
            return None;
        };
        let (function, position) = self.param_of_module_function(binding.scope, name)?;
        let calls: Vec<Cow<'_, CallSite>> = if self.options.project.is_empty() {
            self.calls_by_name
                .get(function)
                .into_iter()
                .flatten()
                .filter_map(|call| self.call_site(*call))
                .chain(
                    self.passed_names
                        .iter()
                        .filter(|n| self.text_of(**n) == function)
                        .filter_map(|n| self.passed_function(*n)),
                )
                .map(Cow::Owned)
                .collect()
        } else {
            self.options.project.calls_of(&self.options.file, function)
        };
        let leaves_out = |call: &Cow<'_, CallSite>| {
            !call.splat
                && call.positional.len() <= position
                && !call.named.iter().any(|(n, _)| n == name)
        };
        (!calls.is_empty() && calls.iter().all(leaves_out)).then_some(default)
    }

    /// A module function's summary: what it returns, and which parameter its rows
    /// or its `limit` come from.
    fn summary(&self, scope: usize, params: &[&'t str]) -> Summary {
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
            grows: self.scopes.scopes[scope]
                .returns
                .iter()
                .find_map(|ret| self.growth_of_params(*ret, params, 0)),
            returns_frames: self.returns_frames(scope),
        };
        for ret in &self.scopes.scopes[scope].returns {
            let chain = self.method_chain(*ret);
            let param_at = |node: Node<'t>| {
                (node.kind_name() == "identifier")
                    .then(|| params.iter().position(|p| *p == self.text_of(node)))
                    .flatten()
            };
            if let Some(position) = param_at(chain.root)
                && chain.calls.iter().all(|c| api::keeps_rows(c.name))
            {
                summary.rows_of = Some(position);
            }
            for call in &chain.calls {
                if call.name == "limit"
                    && let Some(count) = PyArgs::of(self, call.args).node(0, &["num", "n"])
                    && let Some(position) = param_at(count)
                {
                    summary.limit_param = Some(position);
                }
            }
        }
        summary
    }

    /// One call of a plain function, with what it passes.
    fn call_site(&self, call: Node<'t>) -> Option<CallSite> {
        let function = call.field("function")?;
        let callee = match function.kind_name() {
            "identifier" => function,
            _ => function.field("attribute")?,
        };
        let local = function.kind_name() == "identifier"
            && matches!(
                self.lookup(self.text_of(function), function.start_byte())
                    .map(|b| b.bound),
                Some(Bound::Function(_))
            );
        let target = if local {
            CallTarget::Local
        } else {
            let q = self.qualified(function)?;
            // A name no import explains: a builtin, or a star import.
            if !q.contains('.') {
                return None;
            }
            CallTarget::Imported(q)
        };
        let args = PyArgs::of_call(self, call);
        let arg = |node: Node<'t>| {
            if let Some(n) = self.int_value(node) {
                return Arg::Int(n);
            }
            // An imported name: the index knows it once it has every file.
            if matches!(node.kind_name(), "identifier" | "attribute")
                && !(node.kind_name() == "identifier" && self.scopes.is_bound(self.text_of(node)))
                && let Some(q) = self.qualified(node)
                && q.contains('.')
            {
                return Arg::Constant(q.trim_start_matches('.').into());
            }
            if let Some(n) = self.collection_len(node) {
                return Arg::Items(n);
            }
            let value = self.value(node);
            if value.is_distributed() || value.kind == Kind::Collected {
                Arg::Data(value.kind, value.size)
            } else {
                Arg::Other
            }
        };
        Some(CallSite {
            callee: self.text_of(callee).to_string(),
            target,
            positional: args.positional.iter().map(|n| arg(*n)).collect(),
            named: args
                .named
                .iter()
                .map(|(name, n)| (name.to_string(), arg(*n)))
                .collect(),
            splat: args.splat,
        })
    }

    fn binding_value(&self, binding: Binding<'t>) -> Value {
        match binding.bound {
            Bound::Value { annotation, value }
            | Bound::Param {
                annotation,
                default: value,
            } => {
                if let Some(annotation) = annotation {
                    let kind = self.annotation_kind(annotation);
                    if kind != Kind::Unknown {
                        return Value::of(kind);
                    }
                }
                match value {
                    Some(v) if v.kind_name() != "none" => self.value(v),
                    _ => Value::UNKNOWN,
                }
            }
            Bound::Function(_) | Bound::Class => Value::OTHER,
            Bound::Opaque => self.loop_item_value(binding),
        }
    }

    /// The variable of a `for` loop over a collection of DataFrames (`for df in
    /// frames`, `for part in self.parts`) is a DataFrame.
    fn loop_item_value(&self, binding: Binding<'t>) -> Value {
        let at = self
            .loops
            .partition_point(|l| l.range.start < binding.visible_from);
        let Some(l) = self.loops.get(at) else {
            return Value::UNKNOWN;
        };
        let distributed = l.kind == LoopKind::For
            && l.range.start == binding.visible_from
            && l.targets.len() == 1
            && l.iterable.is_some_and(|it| {
                self.memo
                    .nested(|| self.elements_distributed(it))
                    .unwrap_or(false)
            });
        if distributed {
            Value::of(Kind::DataFrame)
        } else {
            Value::UNKNOWN
        }
    }

    /// What a type annotation names.
    fn annotation_kind(&self, annotation: Node<'t>) -> Kind {
        let text = self.text_of(annotation);
        let text = text.trim_matches(|c| c == '"' || c == '\'');
        for container in [
            "List[",
            "list[",
            "Sequence[",
            "Iterable[",
            "Iterator[",
            "Dict[",
            "dict[",
            "Tuple[",
            "tuple[",
            "Mapping[",
            "Callable[",
        ] {
            if text.contains(container) {
                return Kind::Other;
            }
        }
        for token in text
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .filter(|t| !t.is_empty())
        {
            let (first, rest) = token.split_once('.').unwrap_or((token, ""));
            // A class this file defines under Spark's name (a library that
            // implements its own `DataFrame`) is that class, not Spark's.
            if rest.is_empty()
                && self
                    .lookup(first, annotation.start_byte())
                    .is_some_and(|b| matches!(b.bound, Bound::Class))
            {
                return Kind::Other;
            }
            let full = match self.imports.get(first) {
                Some(q) if rest.is_empty() => q.clone(),
                Some(q) => format!("{q}.{rest}"),
                None => token.to_string(),
            };
            let last = full.rsplit('.').next().unwrap_or(&full);
            let local_module = full.starts_with("pandas") || full.starts_with("pyspark.pandas");
            let kind = match last {
                "DataFrame" | "Series" if local_module => Kind::Pandas,
                "DataFrame" | "Dataset" => Kind::DataFrame,
                "RDD" => Kind::Rdd,
                "SparkSession" | "SQLContext" | "HiveContext" => Kind::Session,
                "SparkContext" => Kind::Context,
                "GroupedData" => Kind::Grouped { global: false },
                _ => continue,
            };
            return kind;
        }
        Kind::Unknown
    }

    fn call_value(&self, node: Node<'t>) -> Value {
        let Some(function) = node.field("function") else {
            return Value::UNKNOWN;
        };
        let args = PyArgs::of_call(self, node);
        match function.kind_name() {
            "attribute" => self.member_value(function, Some(&args)),
            "identifier" => {
                let name = self.text_of(function);
                if let Some(binding) = self.lookup(name, function.start_byte()) {
                    return match binding.bound {
                        Bound::Function(scope) => self.function_value(scope),
                        // An instance of a class of this file: not Spark.
                        Bound::Class => Value::OTHER,
                        _ => Value::UNKNOWN,
                    };
                }
                match self.qualified(function) {
                    Some(q) => self.qualified_call_value(&q, &args),
                    None => Value::UNKNOWN,
                }
            }
            _ => Value::UNKNOWN,
        }
    }

    /// `object.attribute`, read (`args` is `None`) or called: the Spark API table
    /// when the receiver is known, else the module-level name it spells.
    fn member_value(&self, attribute: Node<'t>, args: Option<&PyArgs<'_, 't>>) -> Value {
        let (Some(object), Some(name)) = (attribute.field("object"), attribute.field("attribute"))
        else {
            return Value::UNKNOWN;
        };
        // `self.df`, assigned in a method of the class (`self.df = spark.table(t)`
        // in `__init__`): what the methods assign to it.
        if args.is_none()
            && self.spark
            && let Some(values) = self.self_attribute_values(attribute)
        {
            let assigned = self
                .memo
                .nested(|| {
                    Value::merge(
                        values
                            .iter()
                            // `self.df = self.df.filter(x)`: the use inside the value
                            // sees the other assignments.
                            .filter(|v| {
                                v.kind_name() != "none"
                                    && !(v.start_byte() <= attribute.start_byte()
                                        && attribute.end_byte() <= v.end_byte())
                            })
                            .map(|v| self.value(*v)),
                    )
                })
                .unwrap_or(Value::UNKNOWN);
            if assigned.kind != Kind::Unknown {
                return assigned;
            }
        }
        let receiver = self.value(object);
        if receiver.kind != Kind::Unknown {
            let none = PyArgs::none(self);
            let args = args.unwrap_or(&none);
            return api::method(receiver, self.text_of(name), args, &self.options);
        }
        // `self.helper(...)`: a method of the class around the call, defined once in
        // this file, returns what its body returns.
        if args.is_some()
            && object.kind_name() == "identifier"
            && matches!(self.text_of(object), "self" | "cls")
            && let Some(class) = self.scopes.members_around(attribute.start_byte())
            && let Some(binding) = self.scopes.only_binding_in(self.text_of(name), class)
            && let Bound::Function(method) = binding.bound
        {
            return self.function_value(method);
        }
        match self.qualified(attribute) {
            Some(q) => match args {
                Some(args) => self.qualified_call_value(&q, args),
                None => self.qualified_value(&q, None),
            },
            // `self.spark`, `self._sc`: an attribute named like the session or the
            // context, by the same convention as a name.
            None if args.is_none() && self.spark && object.kind_name() == "identifier" => {
                let name = self.text_of(name).trim_start_matches('_');
                Value::UNKNOWN.or_by_convention(name, false)
            }
            None => Value::UNKNOWN,
        }
    }

    /// What a function defined in this file returns.
    fn function_value(&self, scope: usize) -> Value {
        let scope = &self.scopes.scopes[scope];
        let returned = Value::merge(scope.returns.iter().map(|ret| self.value(*ret)));
        if let Some(annotation) = scope.return_type {
            let kind = self.annotation_kind(annotation);
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

    /// `DataFrame(jdf, sql_ctx)`: the wrapped frame is the caller's data when `jdf` is
    /// a parameter (a DataFrame of any size), or a known DataFrame's own `_jdf`.
    /// Anything else is what a JVM library computed and handed back (metrics, check
    /// results, a model's output): nothing is known of it, not even that it is data
    /// worth reporting, so it stays unknown.
    fn wrapped_dataframe(&self, args: &PyArgs<'_, 't>) -> Value {
        let Some(jdf) = args.node(0, &["jdf"]) else {
            return Value::UNKNOWN;
        };
        match jdf.kind_name() {
            "identifier" => match self.lookup(self.text_of(jdf), jdf.start_byte()) {
                Some(binding) if matches!(binding.bound, Bound::Param { .. }) => {
                    Value::of(Kind::DataFrame)
                }
                _ => Value::UNKNOWN,
            },
            "attribute"
                if jdf
                    .field("attribute")
                    .is_some_and(|a| self.text_of(a) == "_jdf") =>
            {
                let frame = jdf
                    .field("object")
                    .map_or(Value::UNKNOWN, |o| self.value(o));
                if frame.kind == Kind::DataFrame {
                    frame
                } else {
                    Value::UNKNOWN
                }
            }
            _ => Value::UNKNOWN,
        }
    }

    /// A module-level function, class or attribute named by its qualified name;
    /// `args` is `None` for a property access.
    fn qualified_value(&self, q: &str, args: Option<&PyArgs<'_, 't>>) -> Value {
        let parts: Vec<&str> = q.split('.').collect();
        let last = *parts.last().unwrap_or(&"");
        let ends = |suffix: &str| q == suffix || q.ends_with(&format!(".{suffix}"));
        if ends("SparkSession.builder") {
            return Value::of(Kind::Builder);
        }
        if args.is_none() {
            return Value::UNKNOWN;
        }
        let args = args.unwrap();
        if ends("SparkSession.getActiveSession") || ends("SparkSession.active") {
            return Value::of(Kind::Session);
        }
        if ends("SparkContext") || ends("SparkContext.getOrCreate") {
            return Value::of(Kind::Context);
        }
        if ends("SparkConf") {
            return Value::of(Kind::Conf);
        }
        // `DataFrame(jdf, sql_ctx)`: a JVM DataFrame wrapped for Python.
        if last == "DataFrame" && q.starts_with("pyspark.sql.") {
            return self.wrapped_dataframe(args);
        }
        // The legacy entry points answer the session's methods.
        if ends("SQLContext")
            || ends("HiveContext")
            || ends("SQLContext.getOrCreate")
            || ends("HiveContext.getOrCreate")
        {
            return Value::of(Kind::Session);
        }
        // Builtins that copy what they are given keep collected data collected;
        // anything else they make is a local value (Spark's datasets are not
        // iterable in Python, so an iterator is over driver data).
        let source = match q {
            "dict" | "list" | "set" | "sorted" | "tuple" | "frozenset" | "enumerate"
            | "reversed" | "iter" => Some(args.value(0, &[])),
            "map" | "filter" => Some(args.value(1, &[])),
            "zip" => Some(args.value(0, &[])),
            _ => None,
        };
        if let Some(source) = source {
            return if source.kind == Kind::Collected {
                source
            } else {
                Value::OTHER
            };
        }
        if ends("DeltaTable.forPath") || ends("DeltaTable.forName") {
            return Value::of(Kind::DeltaTable);
        }
        match parts.first().copied() {
            // Other libraries' frames are local data, never Spark's, whatever the
            // name they are bound to.
            Some(
                "pandas" | "polars" | "daft" | "duckdb" | "modin" | "dask" | "pyarrow" | "vaex"
                | "cudf" | "ibis" | "datatable" | "numpy",
            ) => {
                return Value::of(Kind::Pandas);
            }
            Some("pyspark") if q.starts_with("pyspark.sql.functions.") => {
                return if last == "broadcast" {
                    args.value(0, &["df"])
                } else {
                    Value::OTHER
                };
            }
            Some("dlt") if matches!(last, "read" | "read_stream") => {
                return Value::of(Kind::DataFrame);
            }
            Some("functools") if last == "reduce" => {
                let folded = args.value(0, &["function"]);
                let initial = args.value(2, &["initial"]);
                let function_text = args.node(0, &["function"]).map(|n| self.text_of(n));
                if initial.is_distributed()
                    || function_text.is_some_and(|t| t.starts_with("DataFrame.union"))
                    || folded.is_distributed()
                {
                    return Value::of(Kind::DataFrame);
                }
                return Value::UNKNOWN;
            }
            _ => {}
        }
        Value::UNKNOWN
    }

    /// The integer `node` evaluates to, when it is a known constant.
    pub fn int_value(&self, node: Node<'t>) -> Option<i64> {
        self.memo.nested(|| self.compute_int(node)).flatten()
    }

    fn compute_int(&self, node: Node<'t>) -> Option<i64> {
        match node.kind_name() {
            "integer" => parse_int(self.text_of(node)),
            "parenthesized_expression" => self.int_value(node.named_child(0)?),
            "unary_operator" => {
                let operand = self.int_value(node.field("argument")?)?;
                match self.text_of(node.field("operator")?) {
                    "-" => operand.checked_neg(),
                    "+" => Some(operand),
                    _ => None,
                }
            }
            "binary_operator" => {
                let left = self.int_value(node.field("left")?)?;
                let right = self.int_value(node.field("right")?)?;
                match self.text_of(node.field("operator")?) {
                    "+" => left.checked_add(right),
                    "-" => left.checked_sub(right),
                    "*" => left.checked_mul(right),
                    "//" if right != 0 => Some(left.div_euclid(right)),
                    "**" => u32::try_from(right).ok().and_then(|r| left.checked_pow(r)),
                    _ => None,
                }
            }
            "identifier" => {
                let name = self.text_of(node);
                match self.passed_arguments(node, Reading::Int) {
                    None | Some((Passed::Untold, _)) => {}
                    Some((Passed::Most { most, default }, default_value)) => {
                        let default = match (default, default_value) {
                            (true, Some(value)) => Some(self.int_value(value)?),
                            (true, None) => return None,
                            (false, _) => None,
                        };
                        return most.max(default);
                    }
                    Some(_) => return None,
                }
                match self.scopes.constant_or_default(name, node.start_byte()) {
                    Some(value) => self.int_value(value),
                    None => match self.imported_constant(node)? {
                        Constant::Int(n) => Some(*n),
                        Constant::Str(_) => None,
                        Constant::Items(_) => None,
                    },
                }
            }
            "attribute" => match self.imported_constant(node)? {
                Constant::Int(n) => Some(*n),
                Constant::Str(_) => None,
                Constant::Items(_) => None,
            },
            _ => None,
        }
    }

    /// The constant another file of the project defines, as `node` (an imported
    /// name, or `module.NAME`) spells it.
    fn imported_constant(&self, node: Node<'t>) -> Option<&Constant> {
        if self.options.project.is_empty() {
            return None;
        }
        if node.kind_name() == "identifier" && self.scopes.is_bound(self.text_of(node)) {
            return None;
        }
        let q = self.qualified(node)?;
        self.options.project.constant(q.trim_start_matches('.'))
    }

    /// For a use of a parameter of a module-level function: what the calls in the
    /// project pass for it, as `reading` reads them, and the parameter's default.
    fn passed_arguments(
        &self,
        node: Node<'t>,
        reading: Reading,
    ) -> Option<(Passed, Option<Node<'t>>)> {
        if self.options.project.is_empty() {
            return None;
        }
        let name = self.text_of(node);
        let binding = self.lookup(name, node.start_byte())?;
        let Bound::Param { default, .. } = binding.bound else {
            return None;
        };
        // Reassigned in the body: the caller's value is not the only one.
        if self.scopes.bindings_in(name, binding.scope) != 1 {
            return None;
        }
        let (function, position) = self.param_of_module_function(binding.scope, name)?;
        let passed = self.options.project.passed(PassedLookup {
            file: self.options.file.to_string(),
            function: function.to_string(),
            position,
            param: name.to_string(),
            has_default: default.is_some(),
            reading,
        });
        Some((passed, default))
    }

    /// The text a string expression holds, with each interpolation as `x`.
    pub fn string_value(&self, node: Node<'t>) -> Option<String> {
        match node.kind_name() {
            "string" => {
                let mut out = String::new();
                let mut cursor = node.walk();
                for child in node.children(&mut cursor) {
                    match child.kind_name() {
                        "string_content" | "escape_sequence" => out.push_str(self.text_of(child)),
                        "interpolation" => out.push('x'),
                        _ => {}
                    }
                }
                Some(out)
            }
            "concatenated_string" => {
                let mut out = String::new();
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    out.push_str(&self.string_value(child)?);
                }
                Some(out)
            }
            "parenthesized_expression" => self.string_value(node.named_child(0)?),
            "identifier" => {
                let value = self.constant(node)?;
                self.memo.nested(|| self.string_value(value)).flatten()
            }
            // `"SELECT ... {}".format(x)`: the template, each field as `x`.
            "call" => {
                let function = node.field("function")?;
                let method = function.field("attribute")?;
                if self.text_of(method) != "format" {
                    return None;
                }
                let template = self
                    .memo
                    .nested(|| self.string_value(function.field("object")?))
                    .flatten()?;
                let mut out = String::new();
                let mut depth = 0;
                for c in template.chars() {
                    match c {
                        '{' => {
                            if depth == 0 {
                                out.push('x');
                            }
                            depth += 1;
                        }
                        '}' if depth > 0 => depth -= 1,
                        _ if depth == 0 => out.push(c),
                        _ => {}
                    }
                }
                Some(out)
            }
            // `"DESCRIBE " + table`: the literal parts, any other part as `x`.
            "binary_operator"
                if node
                    .field("operator")
                    .is_some_and(|o| self.text_of(o) == "+") =>
            {
                let part = |side: &str| {
                    let child = node.field(side)?;
                    Some(
                        self.memo
                            .nested(|| self.string_value(child))
                            .flatten()
                            .unwrap_or_else(|| "x".to_string()),
                    )
                };
                let (left, right) = (part("left")?, part("right")?);
                // Only text: at least one side is a string.
                if left == "x" && right == "x" {
                    return None;
                }
                Some(left + &right)
            }
            // `"SELECT ... %s" % x`
            "binary_operator"
                if node
                    .field("operator")
                    .is_some_and(|o| self.text_of(o) == "%") =>
            {
                let template = self
                    .memo
                    .nested(|| self.string_value(node.field("left")?))
                    .flatten()?;
                Some(template.replace("%s", "x").replace("%d", "1"))
            }
            _ => None,
        }
    }

    /// Whether `node` is literal data: a literal list, tuple, set or dict, a small
    /// `range(n)`, or a name bound once to one of those.
    fn is_literal_data(&self, node: Node<'t>) -> bool {
        match node.kind_name() {
            "list" | "tuple" | "set" | "dictionary" => true,
            "call" => {
                let function = node.field("function");
                if function.is_some_and(|f| self.text_of(f) == "range") {
                    let args = PyArgs::of_call(self, node);
                    let n = match args.count() {
                        1 => args.int(0, &[]),
                        _ => args
                            .int(1, &[])
                            .zip(args.int(0, &[]))
                            .map(|(end, start)| end - start),
                    };
                    return n.is_some_and(|n| n <= self.options.small_count);
                }
                false
            }
            "identifier" => match self.constant(node) {
                Some(value) if value.kind_name() != "identifier" => self.is_literal_data(value),
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether `node` is an aggregate column expression: `Some(gathers)` for an
    /// aggregate (gathers: it collects rows into one value), `None` otherwise.
    /// Literals count as aggregates that gather nothing.
    /// The module-level function whose body is `scope`, and the position of its
    /// parameter `name`.
    fn param_of_module_function(&self, scope: usize, name: &str) -> Option<(&'t str, usize)> {
        let (function, definition, _) =
            self.module_functions.iter().find(|(_, _, s)| *s == scope)?;
        let position = self
            .param_names(*definition)
            .iter()
            .position(|p| *p == name)?;
        Some((*function, position))
    }

    fn aggregate(&self, node: Node<'t>) -> Option<AggregateExpr> {
        match node.kind_name() {
            "integer" | "float" => Some(AggregateExpr::Literal),
            "string" => {
                // `selectExpr("count(*) AS n")`
                let text = self.string_value(node)?;
                super::sql::aggregate_expression(&text)
                    .map(|gathers| AggregateExpr::Aggregate { gathers })
            }
            "parenthesized_expression" => self.aggregate(node.named_child(0)?),
            // `select([F.sum(c) for c in cols])`, `select([F.max("a"), F.min("a")])`:
            // a list of aggregates is as one as each of them.
            "list" | "tuple" => {
                let mut cursor = node.walk();
                let items: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                let mut result: Option<AggregateExpr> = None;
                for item in items {
                    let item = self.memo.nested(|| self.aggregate(item)).flatten()?;
                    result = Some(result.map_or(item, |r| r.combine(item)));
                }
                result
            }
            "list_comprehension" | "generator_expression" => self
                .memo
                .nested(|| self.aggregate(node.field("body")?))
                .flatten(),
            // A name bound once to such a list.
            "identifier" => match self.lookup(self.text_of(node), node.start_byte())?.bound {
                Bound::Value {
                    value: Some(value), ..
                } if self.scopes.binding_count(self.text_of(node)) == 1
                    && matches!(value.kind_name(), "list" | "list_comprehension" | "tuple") =>
                {
                    self.memo.nested(|| self.aggregate(value)).flatten()
                }
                _ => None,
            },
            "binary_operator" => {
                let left = self.aggregate(node.field("left")?)?;
                let right = self.aggregate(node.field("right")?)?;
                Some(left.combine(right))
            }
            "call" => {
                let function = node.field("function")?;
                // A wrapper method on an aggregate column keeps it one.
                if function.kind_name() == "attribute" {
                    let method = self.text_of(function.field("attribute")?);
                    if matches!(method, "alias" | "name" | "cast" | "astype") {
                        let object = function.field("object")?;
                        return self.aggregate(object);
                    }
                }
                let q = self.qualified(function)?;
                let name = q.strip_prefix("pyspark.sql.functions.")?;
                if AGGREGATE_FUNCTIONS.contains(&name) {
                    return Some(AggregateExpr::Aggregate {
                        gathers: GATHERING_AGGREGATES.contains(&name),
                    });
                }
                match name {
                    "lit" => Some(AggregateExpr::Literal),
                    "round" | "coalesce" | "bround" | "format_number" => {
                        let args = PyArgs::of_call(self, node);
                        let mut result = AggregateExpr::Literal;
                        for arg in args.positional.iter() {
                            result = result.combine(self.aggregate(*arg)?);
                        }
                        Some(result)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The method chain `node` ends: `df.filter(..).count()` → root `df`, calls
    /// `filter`, `count`.
    pub fn method_chain(&self, node: Node<'t>) -> Chain<'t> {
        let mut calls = Vec::new();
        let mut current = node;
        loop {
            let (attribute, call, args) = match current.kind_name() {
                "call" => match current.field("function") {
                    Some(f) if f.kind_name() == "attribute" => {
                        (f, current, current.field("arguments"))
                    }
                    _ => break,
                },
                "attribute" => (current, current, None),
                // `(df\n .filter(..)\n .withColumn(..))`
                "parenthesized_expression" => match current.named_child(0) {
                    Some(inner) => {
                        current = inner;
                        continue;
                    }
                    None => break,
                },
                _ => break,
            };
            let (Some(object), Some(name)) =
                (attribute.field("object"), attribute.field("attribute"))
            else {
                break;
            };
            calls.push(ChainCall {
                name: self.text_of(name),
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

    /// A lambda's parameter names and body.
    pub fn lambda_parts(&self, node: Node<'t>) -> Option<(Vec<&'t str>, Node<'t>)> {
        if node.kind_name() != "lambda" {
            return None;
        }
        let params = self.target_names(node.field("parameters"));
        let mut params = params;
        params.reverse();
        Some((params, node.field("body")?))
    }

    /// Whether the items of a collection are DataFrames or RDDs: a list literal of
    /// them, a comprehension building them, or a name bound to one of those.
    pub fn elements_distributed(&self, node: Node<'t>) -> bool {
        match node.kind_name() {
            "list" | "tuple" | "set" => {
                let mut cursor = node.walk();
                let items: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                !items.is_empty() && items.iter().all(|i| self.value(*i).is_distributed())
            }
            "list_comprehension" | "generator_expression" => node
                .field("body")
                .is_some_and(|b| self.value(b).is_distributed()),
            "identifier" => {
                let name = self.text_of(node);
                match self.lookup(name, node.start_byte()) {
                    // `frames = []` filled by `frames.append(df)`.
                    Some(Binding {
                        bound:
                            Bound::Value {
                                value: Some(value), ..
                            },
                        scope,
                        ..
                    }) if value.kind_name() == "list" && value.named_child_count() == 0 => {
                        let range = &self.scopes.scopes[scope].range;
                        let appended: Vec<Node<'t>> = self
                            .appends
                            .get(name)
                            .into_iter()
                            .flatten()
                            .filter(|c| range.start <= c.start_byte() && c.end_byte() <= range.end)
                            .map(|c| {
                                let appends = c
                                    .field("function")
                                    .and_then(|f| f.field("attribute"))
                                    .is_some_and(|m| self.text_of(m) == "append");
                                PyArgs::of_call(self, *c).node(0, &[]).filter(|_| appends)
                            })
                            .collect::<Option<Vec<_>>>()
                            .unwrap_or_default();
                        !appended.is_empty()
                            && appended.iter().all(|a| {
                                self.memo
                                    .nested(|| self.value(*a).is_distributed())
                                    .unwrap_or(false)
                            })
                    }
                    Some(Binding {
                        bound:
                            Bound::Value {
                                value: Some(value), ..
                            },
                        ..
                    }) if value.kind_name() != "identifier" => self
                        .memo
                        .nested(|| self.elements_distributed(value))
                        .unwrap_or(false),
                    Some(Binding {
                        bound:
                            Bound::Param {
                                annotation: Some(annotation),
                                ..
                            },
                        ..
                    }) => {
                        let text = self.text_of(annotation);
                        text.contains("[DataFrame]") || text.contains("[RDD")
                    }
                    _ => false,
                }
            }
            // `load_all(paths)`: a function that returns a list of DataFrames, of
            // this file or (through the index) of another.
            "call" => {
                let Some(function) = node.field("function") else {
                    return false;
                };
                if function.kind_name() == "identifier"
                    && let Some(binding) =
                        self.lookup(self.text_of(function), function.start_byte())
                {
                    return match binding.bound {
                        Bound::Function(scope) => self
                            .memo
                            .nested(|| self.returns_frames(scope))
                            .unwrap_or(false),
                        _ => false,
                    };
                }
                if self.options.project.is_empty() {
                    return false;
                }
                self.qualified(function)
                    .and_then(|q| {
                        self.options
                            .project
                            .telling_function(q.trim_start_matches('.'))
                    })
                    .is_some_and(|f| f.summary.returns_frames)
            }
            // `self.frames`: what the class's methods assign and append to it.
            "attribute" => {
                let Some(values) = self.self_attribute_values(node) else {
                    return false;
                };
                let scope = self.scopes.scope_at(node.start_byte());
                let appended = self
                    .self_attribute_key(node, scope)
                    .and_then(|key| self.self_appends.get(&key));
                let empty = |v: &Node<'t>| v.kind_name() == "list" && v.named_child_count() == 0;
                let filled: Vec<Node<'t>> = values
                    .iter()
                    .copied()
                    .filter(|v| !empty(v) && v.kind_name() != "none")
                    .collect();
                let appended_distributed = match appended {
                    None => None,
                    Some(calls) => calls
                        .iter()
                        .map(|c| {
                            let appends = c
                                .field("function")
                                .and_then(|f| f.field("attribute"))
                                .is_some_and(|m| self.text_of(m) == "append");
                            let item =
                                PyArgs::of_call(self, *c).node(0, &[]).filter(|_| appends)?;
                            self.memo.nested(|| self.value(item).is_distributed())
                        })
                        .collect::<Option<Vec<bool>>>()
                        .map(|all| all.iter().all(|d| *d)),
                };
                let filled_distributed = filled.iter().all(|v| {
                    self.memo
                        .nested(|| self.elements_distributed(*v))
                        .unwrap_or(false)
                });
                match appended_distributed {
                    Some(distributed) => distributed && filled_distributed,
                    None => !filled.is_empty() && filled_distributed,
                }
            }
            _ => false,
        }
    }

    /// Whether the function of `scope` returns a collection of DataFrames.
    fn returns_frames(&self, scope: usize) -> bool {
        if let Some(known) = self.frames.borrow().get(&scope) {
            return *known;
        }
        // A function that returns through itself meets this placeholder.
        self.frames.borrow_mut().insert(scope, false);
        let returns = &self.scopes.scopes[scope].returns;
        let frames =
            !returns.is_empty() && returns.iter().all(|ret| self.elements_distributed(*ret));
        self.frames.borrow_mut().insert(scope, frames);
        frames
    }

    /// Whether `node` iterates over a small literal collection.
    pub fn is_small_iterable(&self, node: Node<'t>) -> bool {
        self.is_small_collection(node)
    }

    /// The binding a use of the identifier `node` sees, as (scope, offset): equal
    /// for two uses of the same definition.
    pub fn binding_id(&self, node: Node<'t>) -> Option<(usize, usize)> {
        let binding = self.lookup(self.text_of(node), node.start_byte())?;
        Some((binding.scope, binding.visible_from))
    }

    /// What the identifier `node` stands for when it is a constant: bound once in
    /// its scope, to an expression.
    fn constant(&self, node: Node<'t>) -> Option<Node<'t>> {
        self.scopes.constant(self.text_of(node), node.start_byte())
    }

    pub fn definition(&self, node: Node<'t>) -> Option<Node<'t>> {
        self.scopes
            .definition(self.text_of(node), node.start_byte())
    }

    /// Whether code at `a` and at `b` sits in different branches of one `if`.
    pub fn exclusive(&self, a: usize, b: usize) -> bool {
        self.branch_index.exclusive(a, b)
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
                self.is_small_loop(l)
            })
    }

    /// A loop over a literal collection or `range(k)` of at most `loop-threshold`
    /// items.
    fn is_small_loop(&self, l: &Loop<'t>) -> bool {
        l.iterable.is_some_and(|it| self.is_small_collection(it))
    }

    fn is_small_collection(&self, node: Node<'t>) -> bool {
        self.collection_len(node)
            .is_some_and(|n| n <= self.options.loop_threshold)
    }

    /// How many items a collection written out in the code holds: a literal, a
    /// `range(k)`, what `enumerate`/`sorted`/`zip`/`.items()` keep of one, a name
    /// bound once to one, or a parameter every caller passes one for (the most any
    /// caller passes). `None` when nothing in the code says.
    fn collection_len(&self, node: Node<'t>) -> Option<i64> {
        if let Some(known) = self.lens.borrow().get(&node.id()) {
            return *known;
        }
        // A parameter passed through itself meets this placeholder.
        self.lens.borrow_mut().insert(node.id(), None);
        let len = self.compute_collection_len(node);
        self.lens.borrow_mut().insert(node.id(), len);
        len
    }

    fn compute_collection_len(&self, node: Node<'t>) -> Option<i64> {
        match node.kind_name() {
            "list" | "tuple" | "set" | "dictionary" => Some(node.named_child_count() as i64),
            // A string literal's characters: a fixed sweep, never data.
            "string" => Some(0),
            "parenthesized_expression" => self.collection_len(node.named_child(0)?),
            "call" => {
                let function = node.field("function")?;
                let args = PyArgs::of_call(self, node);
                match function.kind_name() {
                    "identifier" => match self.text_of(function) {
                        "range" => match args.count() {
                            1 => args.int(0, &[]),
                            _ => args
                                .int(1, &[])
                                .zip(args.int(0, &[]))
                                .map(|(end, start)| (end - start).max(0)),
                        },
                        "enumerate" | "sorted" | "reversed" | "list" | "tuple" | "set" => {
                            self.collection_len(args.node(0, &[])?)
                        }
                        // As long as its shortest input.
                        "zip" => args
                            .positional
                            .iter()
                            .filter_map(|inner| self.collection_len(*inner))
                            .min(),
                        _ => None,
                    },
                    // `{...}.items()`
                    "attribute" => {
                        let method = self.text_of(function.field("attribute")?);
                        if !matches!(method, "items" | "keys" | "values") {
                            return None;
                        }
                        self.collection_len(function.field("object")?)
                    }
                    _ => None,
                }
            }
            // A list the code appends to holds as many items as it is given.
            "identifier" if self.appends.contains_key(self.text_of(node)) => None,
            "identifier" => match self.constant(node) {
                Some(value) if value.kind_name() != "identifier" => {
                    self.memo.nested(|| self.collection_len(value)).flatten()
                }
                _ if !self.scopes.is_bound(self.text_of(node)) => {
                    match self.imported_constant(node)? {
                        Constant::Items(n) => Some(*n),
                        _ => None,
                    }
                }
                _ => self.param_collection_len(node),
            },
            // `settings.TABLES`
            "attribute" => match self.imported_constant(node)? {
                Constant::Items(n) => Some(*n),
                _ => None,
            },
            _ => None,
        }
    }

    /// For a parameter: the most items any caller passes for it. Across the
    /// project when the index is there and the function is a module's (its callers
    /// may be anywhere); else the calls of this file.
    fn param_collection_len(&self, node: Node<'t>) -> Option<i64> {
        let most = |lens: Vec<Option<i64>>| {
            lens.into_iter()
                .try_fold(0i64, |most, n| Some(most.max(n?)))
        };
        if !self.options.project.is_empty() && self.module_function_param(node) {
            let (Passed::Most { most, default }, default_value) =
                self.passed_arguments(node, Reading::Items)?
            else {
                return None;
            };
            let default = match (default, default_value) {
                (true, Some(value)) => {
                    Some(self.memo.nested(|| self.collection_len(value)).flatten()?)
                }
                (true, None) => return None,
                (false, _) => None,
            };
            return Some(most.max(default).unwrap_or(0).max(0));
        }
        let args = self.param_arguments(node)?;
        most(
            args.iter()
                .map(|a| self.memo.nested(|| self.collection_len(*a)).flatten())
                .collect(),
        )
    }

    /// Whether the identifier `node` is a use of a parameter of a module-level
    /// function.
    fn module_function_param(&self, node: Node<'t>) -> bool {
        self.lookup(self.text_of(node), node.start_byte())
            .is_some_and(|binding| {
                matches!(binding.bound, Bound::Param { .. })
                    && self
                        .module_functions
                        .iter()
                        .any(|(_, _, scope)| *scope == binding.scope)
            })
    }

    /// The definition node of the function whose scope is `scope`.
    fn function_node(&self, scope: usize) -> Option<Node<'t>> {
        let range = &self.scopes.scopes.get(scope)?.range;
        let node = self
            .root
            .descendant_for_byte_range(range.start, range.end)?;
        (node.kind_name() == "function_definition").then_some(node)
    }

    /// The parameter names of a function definition, in order.
    fn param_names(&self, function: Node<'t>) -> Vec<&'t str> {
        let Some(params) = function.field("parameters") else {
            return Vec::new();
        };
        let mut cursor = params.walk();
        params
            .named_children(&mut cursor)
            .filter_map(|p| match p.kind_name() {
                "identifier" => Some(p),
                "typed_parameter" => p.named_child(0).filter(|n| n.kind_name() == "identifier"),
                "default_parameter" | "typed_default_parameter" => p.field("name"),
                _ => None,
            })
            .map(|n| self.text_of(n))
            .collect()
    }

    /// What every call of the file passes for the parameter a use of `node` sees:
    /// `None` when it is not a parameter of a function of this file, when a call
    /// does not pass it plainly, or when no call is visible (a caller elsewhere may
    /// pass anything).
    pub fn param_arguments(&self, node: Node<'t>) -> Option<Vec<Node<'t>>> {
        let name = self.text_of(node);
        let binding = self.lookup(name, node.start_byte())?;
        if !matches!(binding.bound, Bound::Param { .. })
            || self.scopes.bindings_in(name, binding.scope) != 1
        {
            return None;
        }
        let function = self.function_node(binding.scope)?;
        let function_name = self.text_of(function.field("name")?);
        if self.scopes.binding_count(function_name) != 1 {
            return None;
        }
        let index = self.param_names(function).iter().position(|p| *p == name)?;
        // A method's callers pass `self` implicitly.
        let method =
            self.scopes.scopes[self.scopes.scopes[binding.scope].parent].kind == ScopeKind::Members;
        if method {
            return None;
        }
        let calls = self.calls_by_name.get(function_name)?;
        let mut out = Vec::new();
        for call in calls {
            let args = PyArgs::of_call(self, *call);
            if args.splat {
                return None;
            }
            out.push(args.node(index, &[name])?);
        }
        (!out.is_empty()).then_some(out)
    }

    /// What the function `callee` names does to its parameters, when it is a
    /// function of this file that returns a parameter with a plan step added.
    pub fn param_growth(&self, callee: Node<'t>) -> Option<ParamGrowth> {
        let local = (callee.kind_name() == "identifier")
            .then(|| self.lookup(self.text_of(callee), callee.start_byte()))
            .flatten();
        let Some(binding) = local else {
            // A function of another module (`add_cols`, `helpers.add_cols`): what
            // the project index says it does.
            if self.options.project.is_empty() {
                return None;
            }
            let q = self.qualified(callee)?;
            return self
                .options
                .project
                .telling_function(q.trim_start_matches('.'))?
                .summary
                .grows;
        };
        let Bound::Function(scope) = binding.bound else {
            return None;
        };
        let params = self.param_names(self.function_node(scope)?);
        self.scopes.scopes[scope]
            .returns
            .iter()
            .find_map(|value| self.growth_of_params(*value, &params, 0))
    }

    /// The parameter `value` returns grown, following names bound in the function.
    fn growth_of_params(
        &self,
        value: Node<'t>,
        params: &[&str],
        depth: u32,
    ) -> Option<ParamGrowth> {
        if depth > 4 {
            return None;
        }
        let chain = self.method_chain(value);
        if chain.root.kind_name() != "identifier" {
            return None;
        }
        let root = self.text_of(chain.root);
        let method = chain
            .calls
            .iter()
            .find_map(|c| PLAN_GROWTH.iter().copied().find(|g| *g == c.name));
        if let Some(param) = params.iter().position(|p| *p == root)
            && matches!(
                self.lookup(root, chain.root.start_byte()).map(|b| b.bound),
                Some(Bound::Param { .. })
            )
        {
            return method.map(|method| ParamGrowth { param, method });
        }
        // `out = df.withColumn(...); return out`
        let definition = self.definition(chain.root)?;
        let inner = self.growth_of_params(definition, params, depth + 1)?;
        Some(ParamGrowth {
            method: method.unwrap_or(inner.method),
            ..inner
        })
    }

    /// The expressions `node` may evaluate to: both arms of a conditional.
    pub fn result_expressions(&self, node: Node<'t>) -> Vec<Node<'t>> {
        match node.kind_name() {
            "conditional_expression" => {
                let mut cursor = node.walk();
                let parts: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                // `a if cond else b`
                let mut out = Vec::new();
                for part in [parts.first(), parts.get(2)].into_iter().flatten() {
                    out.extend(self.result_expressions(*part));
                }
                out
            }
            "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => self.result_expressions(inner),
                None => vec![node],
            },
            _ => vec![node],
        }
    }

    /// Names reassigned from an expression in `range`, in source order.
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
            if !(l.body.start <= f.start_byte() && f.end_byte() <= l.body.end) {
                continue;
            }
            match self.qualified(*f) {
                Some(q) if q == "time.sleep" => return Pacing::Sleeps,
                Some(q) if PACING.contains(&q.as_str()) => pacing = Pacing::Timed,
                _ => {}
            }
        }
        pacing
    }

    /// Whether the code at `node` runs on at most one iteration of `l`: under an
    /// `if` that compares the loop variable with a literal (`if c == "x":`), or
    /// followed in its block by `break` or `return`.
    pub fn runs_at_most_once(&self, l: &Loop<'t>, node: Node<'t>) -> bool {
        let mut current = node;
        while let Some(parent) = current.parent() {
            if parent.start_byte() < l.body.start {
                break;
            }
            if parent.kind_name() == "block" {
                let mut sibling = current.next_named_sibling();
                while let Some(s) = sibling {
                    if matches!(s.kind_name(), "break_statement" | "return_statement") {
                        return true;
                    }
                    sibling = s.next_named_sibling();
                }
            }
            if parent.kind_name() == "if_statement"
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
        if condition.kind_name() != "comparison_operator" || condition.named_child_count() != 2 {
            return false;
        }
        let text = self.text_of(condition);
        if !text.contains("==") {
            return false;
        }
        let (Some(a), Some(b)) = (condition.named_child(0), condition.named_child(1)) else {
            return false;
        };
        let is_target =
            |n: Node<'t>| n.kind_name() == "identifier" && targets.contains(&self.text_of(n));
        let is_literal = |n: Node<'t>| matches!(n.kind_name(), "string" | "integer" | "float");
        (is_target(a) && is_literal(b)) || (is_literal(a) && is_target(b))
    }

    /// The qualified name a called expression spells (`F.broadcast` →
    /// `pyspark.sql.functions.broadcast`), when it is not a local value.
    pub fn function_name(&self, node: Node<'t>) -> Option<String> {
        self.qualified(node)
    }

    /// How code of this file can spell the module-level name `qualified`
    /// (`operator.add`) through its imports: `add` after `from operator import add`,
    /// `op.add` after `import operator as op`. `None` when no import reaches it, or
    /// the local name is also bound in the file (it may not mean the import there).
    pub fn spelling_of(&self, qualified: &str) -> Option<String> {
        let (module, name) = qualified.rsplit_once('.')?;
        let mut found: Vec<String> = self
            .imports
            .iter()
            .filter(|(local, _)| !self.scopes.is_bound(local))
            .filter_map(|(local, full)| {
                if full == qualified {
                    Some(local.to_string())
                } else if full == module {
                    Some(format!("{local}.{name}"))
                } else {
                    None
                }
            })
            .collect();
        // The shortest, then in text order: the same spelling every run.
        found.sort_by_key(|spelling| (spelling.len(), spelling.clone()));
        found.into_iter().next()
    }

    /// For the target of an assignment that ends at `end`, the binding it makes (as
    /// [`PythonModel::binding_id`] gives it for its uses) when it is the only binding
    /// of the name in its scope: every use of that binding then sees this value.
    pub fn sole_binding(&self, target: Node<'t>, end: usize) -> Option<(usize, usize)> {
        let name = self.text_of(target);
        let scope = self.scopes.scope_at(target.start_byte());
        if self.scopes.bindings_in(name, scope) != 1 {
            return None;
        }
        let binding = self.lookup(name, end)?;
        (binding.scope == scope).then_some((binding.scope, binding.visible_from))
    }

    /// The file's root node.
    pub fn root(&self) -> Node<'t> {
        self.root
    }

    /// Where every identifier spelling `name` starts (uses, bindings, attribute and
    /// keyword names alike), in text order.
    pub fn identifier_offsets(&self, name: &str) -> &[usize] {
        let index = self.identifiers.get_or_init(|| {
            let mut index: HashMap<Box<str>, Vec<usize>> = HashMap::new();
            let mut cursor = self.root.walk();
            loop {
                let node = cursor.node();
                if node.kind_name() == "identifier" {
                    index
                        .entry(self.text_of(node).into())
                        .or_default()
                        .push(node.start_byte());
                } else if cursor.goto_first_child() {
                    continue;
                }
                while !cursor.goto_next_sibling() {
                    if !cursor.goto_parent() {
                        return index;
                    }
                }
            }
        });
        index.get(name).map_or(&[], Vec::as_slice)
    }

    /// The name `value` is assigned to, when it is the value of exactly one plain
    /// assignment (`name = value`; not `a = b = value`). Found without asking the
    /// tree for a parent, which walks down from the root.
    pub fn assigned_name(&self, value: Node<'t>) -> Option<Node<'t>> {
        let index = self.assignments_by_value.get_or_init(|| {
            let mut index: FastMap<usize, Vec<usize>> = FastMap::default();
            for (i, r) in self.reassignments.iter().enumerate() {
                index.entry(r.value.start_byte()).or_default().push(i);
            }
            index
        });
        let mut found = index
            .get(&value.start_byte())?
            .iter()
            .map(|&i| &self.reassignments[i])
            .filter(|r| r.value == value);
        let only = found.next()?;
        found.next().is_none().then_some(only.target)
    }

    /// The binding a use of `name` at `offset` sees, as [`PythonModel::binding_id`]
    /// gives it.
    pub fn binding_at(&self, name: &str, offset: usize) -> Option<(usize, usize)> {
        let binding = self.lookup(name, offset)?;
        Some((binding.scope, binding.visible_from))
    }

    /// The identifier `name` that starts at `offset`.
    pub fn identifier_at(&self, name: &str, offset: usize) -> Option<Node<'t>> {
        self.root
            .descendant_for_byte_range(offset, offset + name.len())
            .filter(|node| node.kind_name() == "identifier")
    }

    /// Whether `name` is bound or imported anywhere in the file, or the file imports
    /// `*` from a module (which may bind it).
    pub fn name_taken(&self, name: &str) -> bool {
        self.scopes.is_bound(name)
            || self.imports.contains_key(name)
            || !self.star_imports.is_empty()
    }

    /// The string literals whose text makes up `node`'s string value: the literal
    /// itself, the parts of a concatenation, or the literal a name is bound to.
    pub fn string_parts(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut parts = Vec::new();
        self.memo
            .nested(|| self.collect_string_parts(node, &mut parts));
        parts
    }

    fn collect_string_parts(&self, node: Node<'t>, parts: &mut Vec<Node<'t>>) {
        match node.kind_name() {
            "string" => parts.push(node),
            "concatenated_string" | "parenthesized_expression" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    self.memo.nested(|| self.collect_string_parts(child, parts));
                }
            }
            "binary_operator" => {
                for side in ["left", "right"] {
                    if let Some(child) = node.field(side) {
                        self.memo.nested(|| self.collect_string_parts(child, parts));
                    }
                }
            }
            "call" => {
                // `"...".format(...)`
                if let Some(function) = node.field("function")
                    && function.kind_name() == "attribute"
                    && let Some(object) = function.field("object")
                {
                    self.memo
                        .nested(|| self.collect_string_parts(object, parts));
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
            let (Some(object), Some(method)) =
                (function.field("object"), function.field("attribute"))
            else {
                continue;
            };
            let receiver = self.value(object).kind;
            let body = self.scopes.scopes[self.scopes.body_at(call.start_byte())]
                .range
                .clone();
            let method = self.text_of(method);
            let args = PyArgs::of_call(self, *call);
            if !super::settings::sets_setting(receiver, method) {
                continue;
            }
            // `.master("local[2]")` / `.setMaster(...)`: the `spark.master` setting.
            if super::settings::sets_master(method) {
                if let Some(value) = args.node(0, &["master", "value"]) {
                    out.push(Setting {
                        key: "spark.master".to_string(),
                        value: self.constant_text(value),
                        range: call.byte_range(),
                        at_launch: false,
                        body: body.clone(),
                    });
                }
                continue;
            }
            let mut pairs = Vec::new();
            match args.node(0, &["key", "pairs", "map"]) {
                Some(first) if matches!(first.kind_name(), "dictionary" | "list" | "tuple") => {
                    self.collect_pairs(first, &mut pairs)
                }
                Some(key) => {
                    if let Some(value) = args.node(1, &["value"]) {
                        pairs.push((key, value));
                    }
                }
                None => {
                    if let Some(map) = args.node(usize::MAX, &["map"]) {
                        self.collect_pairs(map, &mut pairs);
                    }
                }
            }
            for (key, value) in pairs {
                let Some(key_text) = self.string_value(key) else {
                    continue;
                };
                out.push(Setting {
                    key: key_text,
                    value: self.constant_text(value),
                    range: key.start_byte()..value.end_byte(),
                    at_launch: false,
                    body: body.clone(),
                });
            }
        }
        out
    }

    /// The (key, value) pairs of a dict literal or a list of 2-tuples.
    fn collect_pairs(&self, node: Node<'t>, pairs: &mut Vec<(Node<'t>, Node<'t>)>) {
        let mut cursor = node.walk();
        for item in node.named_children(&mut cursor) {
            let pair = match item.kind_name() {
                "pair" => item.field("key").zip(item.field("value")),
                "tuple" | "list" => item.named_child(0).zip(item.named_child(1)),
                _ => None,
            };
            pairs.extend(pair);
        }
    }

    /// A constant written as text: a string's content, a number, `true`/`false`.
    fn constant_text(&self, node: Node<'t>) -> Option<String> {
        match node.kind_name() {
            "true" => Some("true".to_string()),
            "false" => Some("false".to_string()),
            _ => self
                .string_value(node)
                .or_else(|| self.int_value(node).map(|n| n.to_string())),
        }
    }

    /// The argument at `index` of `args` (an `argument_list`), or the keyword
    /// argument named one of `keywords`.
    pub fn argument(&self, args: Node<'t>, index: usize, keywords: &[&str]) -> Option<Node<'t>> {
        PyArgs::of(self, Some(args)).node(index, keywords)
    }
}

/// What a call of a function summarised in the project index gives, with `args`
/// the caller's arguments.
pub(super) fn summary_value<'t, R: Reader<'t>>(
    function: &Function,
    args: &CallArgs<'_, 't, R>,
    options: &ModelOptions,
) -> Value {
    let summary = function.summary;
    let mut value = Value::sized(summary.kind, summary.size);
    if let (Some(what), Some(range)) = (summary.reads, args.call().map(|c| c.byte_range())) {
        value.origin = Some(super::Origin {
            through_call: true,
            ..super::Origin::new(range, what)
        });
    }
    if let Some(position) = summary.rows_of {
        let name = function.params.get(position).map_or("", String::as_str);
        let passed = args.value(position, &[name]);
        if passed.kind != Kind::Unknown {
            value.size = passed.size;
            value.origin = passed.origin;
            if value.kind == Kind::Unknown {
                value.kind = passed.kind;
            }
        }
    }
    if let Some(position) = summary.limit_param {
        let name = function.params.get(position).map_or("", String::as_str);
        let count = args.int(position, &[name]);
        value.size = if options.is_small_count(count) {
            Size::Few(super::FewRows::Limit)
        } else {
            value.size.min(Size::Capped(count))
        };
    }
    value
}

/// `df.randomSplit(...)`: a call whose result unpacks into several datasets, each
/// with at most the rows of the receiver.
fn is_split_call(text: &str, call: Node<'_>) -> bool {
    call.field("function")
        .filter(|f| f.kind_name() == "attribute")
        .and_then(|f| f.field("attribute"))
        .is_some_and(|name| matches!(&text[name.byte_range()], "randomSplit"))
}

/// Python's integer literal forms: `1_000`, `0x10`, `0o7`, `0b1`.
fn parse_int(text: &str) -> Option<i64> {
    let text = text.replace('_', "");
    let lower = text.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(oct) = lower.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()
    } else if let Some(bin) = lower.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()
    } else {
        lower.parse().ok()
    }
}

/// A list, tuple or set of at least [`LITERAL_RUN`] items that are all numbers,
/// booleans or `None`: data written into the code, where no rule finds anything.
fn is_numeric_literal_run(node: Node<'_>) -> bool {
    if node.named_child_count() < LITERAL_RUN {
        return false;
    }
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .all(|item| match item.kind_name() {
            "integer" | "float" | "true" | "false" | "none" | "comment" => true,
            "unary_operator" => item
                .field("argument")
                .is_some_and(|n| matches!(n.kind_name(), "integer" | "float")),
            _ => false,
        })
}

/// How many items make a literal collection long enough to skip.
const LITERAL_RUN: usize = 256;

/// The arguments of a Python call.
type PyArgs<'m, 't> = CallArgs<'m, 't, PythonModel<'t>>;

impl<'m, 't> PyArgs<'m, 't> {
    /// The arguments of `call`, which knows its own node.
    fn of_call(model: &'m PythonModel<'t>, call: Node<'t>) -> Self {
        let mut args = Self::of(model, call.field("arguments"));
        args.call = Some(call);
        args
    }

    fn of(model: &'m PythonModel<'t>, list: Option<Node<'t>>) -> Self {
        let mut args = Self::none(model);
        let Some(list) = list else { return args };
        args.list = Some(list);
        if list.kind_name() == "generator_expression" {
            args.positional.push(list);
            return args;
        }
        let mut cursor = list.walk();
        for child in list.named_children(&mut cursor) {
            match child.kind_name() {
                "keyword_argument" => {
                    if let (Some(name), Some(value)) = (child.field("name"), child.field("value")) {
                        args.named.push((model.text_of(name), value));
                    }
                }
                "list_splat" | "dictionary_splat" => args.splat = true,
                "comment" => {}
                _ => args.positional.push(child),
            }
        }
        args
    }
}

impl<'t> Reader<'t> for PythonModel<'t> {
    fn value(&self, node: Node<'t>) -> Value {
        PythonModel::value(self, node)
    }

    fn int_value(&self, node: Node<'t>) -> Option<i64> {
        PythonModel::int_value(self, node)
    }

    fn string_value(&self, node: Node<'t>) -> Option<String> {
        PythonModel::string_value(self, node)
    }

    fn is_literal_data(&self, node: Node<'t>) -> bool {
        PythonModel::is_literal_data(self, node)
    }

    fn aggregate(&self, node: Node<'t>) -> Option<AggregateExpr> {
        PythonModel::aggregate(self, node)
    }

    fn key_of(&self, node: Node<'t>) -> Option<Key> {
        PythonModel::key_of(self, node)
    }

    fn lambda_key(&self, node: Node<'t>, pair: bool) -> Option<Key> {
        PythonModel::lambda_key(self, node, pair)
    }

    fn is_point_lookup(&self, node: Node<'t>) -> bool {
        PythonModel::is_point_lookup(self, node)
    }

    fn is_large_range(&self, node: Node<'t>) -> bool {
        node.kind_name() == "call"
            && node
                .field("function")
                .is_some_and(|f| self.text_of(f) == "range")
            && !self.is_literal_data(node)
    }
}

// ---- keys ------------------------------------------------------------------------

impl<'t> PythonModel<'t> {
    /// A key named by `text` written at `range`.
    fn named_key(&self, range: std::ops::Range<usize>, text: &str) -> Key {
        Key::new(range, super::keys::cardinality(text, &self.options))
    }

    /// The range of a string literal's content.
    fn string_content_range(&self, node: Node<'t>) -> std::ops::Range<usize> {
        let mut cursor = node.walk();
        let content = node
            .children(&mut cursor)
            .find(|c| c.kind_name() == "string_content");
        content.map_or(node.byte_range(), |c| c.byte_range())
    }

    /// The column a column expression names: `"country"`, `F.col("country")`,
    /// `df.country`, `df["country"]`; `None` for anything else.
    fn column_name(&self, node: Node<'t>) -> Option<(std::ops::Range<usize>, String)> {
        match node.kind_name() {
            "string" => Some((self.string_content_range(node), self.string_value(node)?)),
            "call" => {
                let function = node.field("function")?;
                let args = PyArgs::of_call(self, node);
                if function.kind_name() == "attribute" {
                    let method = self.text_of(function.field("attribute")?);
                    if matches!(
                        method,
                        "alias" | "name" | "cast" | "astype" | "asc" | "desc"
                    ) {
                        return self.column_name(function.field("object")?);
                    }
                }
                let q = self.qualified(function)?;
                let name = q.strip_prefix("pyspark.sql.functions.")?;
                matches!(name, "col" | "column")
                    .then(|| self.column_name(args.node(0, &["col"])?))
                    .flatten()
            }
            "attribute" => {
                let object = node.field("object")?;
                let attribute = node.field("attribute")?;
                (self.value(object).kind == Kind::DataFrame)
                    .then(|| (attribute.byte_range(), self.text_of(attribute).to_string()))
            }
            "subscript" => {
                let object = node.field("value")?;
                let index = node.field("subscript")?;
                (self.value(object).kind == Kind::DataFrame)
                    .then(|| self.column_name(index))
                    .flatten()
            }
            "identifier" => {
                let value = self.constant(node)?;
                (value.kind_name() == "string")
                    .then(|| self.memo.nested(|| self.column_name(value)).flatten())
                    .flatten()
            }
            _ => None,
        }
    }

    /// The key a grouping or selected column expression names.
    pub fn key_of(&self, node: Node<'t>) -> Option<Key> {
        if matches!(node.kind_name(), "list" | "tuple") {
            let mut cursor = node.walk();
            let items: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
            let mut keys = items.iter().map(|i| self.key_of(*i));
            let first = keys.next()??;
            return keys.try_fold(first, |acc, key| Some(acc.combine(key?)));
        }
        // `expr.alias("day")`: what the expression is, else what its name says.
        if node.kind_name() == "call"
            && let Some(function) = node.field("function")
            && function.kind_name() == "attribute"
            && let Some(method) = function.field("attribute")
            && matches!(self.text_of(method), "alias" | "name" | "cast" | "astype")
            && let Some(object) = function.field("object")
        {
            let inner = self.memo.nested(|| self.key_of(object)).flatten()?;
            if inner.cardinality != Cardinality::Unknown || self.text_of(method) == "cast" {
                return Some(inner);
            }
            // An alias that names a categorical column (`.alias("day")`) says what
            // the expression is; a generic one (`.alias("key")`) says nothing.
            let args = PyArgs::of_call(self, node);
            if let Some(alias) = args
                .node(0, &["alias"])
                .filter(|a| a.kind_name() == "string")
                && let Some(name) = self.string_value(alias)
            {
                let key = self.named_key(self.string_content_range(alias), &name);
                if key.cardinality == Cardinality::Low {
                    return Some(key);
                }
            }
            return Some(inner);
        }
        if let Some((range, name)) = self.column_name(node) {
            return Some(self.named_key(range, &name));
        }
        // `F.spark_partition_id()`, `F.year("ts")`: few values per batch.
        if node.kind_name() == "call"
            && let Some(function) = node.field("function")
            && let Some(q) = self.qualified(function)
            && let Some(name) = q.strip_prefix("pyspark.sql.functions.")
            && super::keys::CATEGORICAL_FUNCTIONS.contains(&name)
        {
            return Some(Key::new(node.byte_range(), Cardinality::Low));
        }
        Some(Key::new(node.byte_range(), Cardinality::Unknown))
    }

    /// The key `lambda r: (r.k, ...)` (with `pair`) or `lambda r: r.k` makes of
    /// each element; `None` when the function is not a lambda.
    pub fn lambda_key(&self, node: Node<'t>, pair: bool) -> Option<Key> {
        if node.kind_name() != "lambda" {
            return None;
        }
        let mut body = node.field("body")?;
        while body.kind_name() == "parenthesized_expression" {
            body = body.named_child(0)?;
        }
        if pair && body.kind_name() == "tuple" {
            body = body.named_child(0)?;
        }
        Some(self.element_key(body))
    }

    /// The key an expression on an element names: `r.user_id`, `r["country"]`,
    /// `word`.
    fn element_key(&self, node: Node<'t>) -> Key {
        let named = match node.kind_name() {
            "attribute" => node
                .field("attribute")
                .map(|a| (a.byte_range(), self.text_of(a).to_string())),
            "subscript" => node
                .field("subscript")
                .filter(|i| i.kind_name() == "string")
                .and_then(|i| Some((self.string_content_range(i), self.string_value(i)?))),
            "identifier" => Some((node.byte_range(), self.text_of(node).to_string())),
            _ => None,
        };
        match named {
            Some((range, name)) => self.named_key(range, &name),
            None => Key::new(node.byte_range(), Cardinality::Unknown),
        }
    }

    /// A condition that fixes an identifier column to one value: `col("id") == x`,
    /// `df.user_id == 42`, `"id = 42"`, and either side of `&`.
    pub fn is_point_lookup(&self, node: Node<'t>) -> bool {
        match node.kind_name() {
            "parenthesized_expression" => node
                .named_child(0)
                .is_some_and(|inner| self.is_point_lookup(inner)),
            "binary_operator" => {
                let operator = node.field("operator").map(|o| self.text_of(o));
                let side = |name: &str| {
                    node.field(name)
                        .is_some_and(|n| self.memo.nested(|| self.is_point_lookup(n)) == Some(true))
                };
                match operator {
                    // Narrowed by either side.
                    Some("&") => side("left") || side("right"),
                    // A few points: each side fixes a key.
                    Some("|") => side("left") && side("right"),
                    _ => false,
                }
            }
            // `col("id").isin(1, 2, 3)`: a few literal values of an identifier.
            "call" => {
                let Some(function) = node.field("function") else {
                    return false;
                };
                if function.kind_name() != "attribute"
                    || function
                        .field("attribute")
                        .is_none_or(|a| self.text_of(a) != "isin")
                {
                    return false;
                }
                let identifier_column = function.field("object").is_some_and(|n| {
                    self.column_name(n).is_some_and(|(_, name)| {
                        super::keys::cardinality(&name, &self.options) == Cardinality::High
                    })
                });
                let Some(arguments) = node.field("arguments") else {
                    return false;
                };
                let mut cursor = arguments.walk();
                let values: Vec<Node<'t>> = arguments.named_children(&mut cursor).collect();
                let literal = |n: &Node<'t>| {
                    matches!(
                        n.kind_name(),
                        "integer" | "string" | "float" | "true" | "false"
                    )
                };
                let count = match values.as_slice() {
                    [list] if matches!(list.kind_name(), "list" | "tuple" | "set") => {
                        let mut cursor = list.walk();
                        let items: Vec<Node<'t>> = list.named_children(&mut cursor).collect();
                        items.iter().all(literal).then_some(items.len())
                    }
                    values => values.iter().all(literal).then_some(values.len()),
                };
                identifier_column
                    && count.is_some_and(|n| n > 0 && (n as i64) <= self.options.small_count)
            }
            "comparison_operator" => {
                let mut cursor = node.walk();
                let operators: Vec<&str> = node
                    .children_by_field_name("operators", &mut cursor)
                    .map(|o| self.text_of(o))
                    .collect();
                if operators != ["=="] {
                    return false;
                }
                let (Some(left), Some(right)) = (node.named_child(0), node.named_child(1)) else {
                    return false;
                };
                let identifier_column = |n: Node<'t>| {
                    n.kind_name() != "string"
                        && self.column_name(n).is_some_and(|(_, name)| {
                            super::keys::cardinality(&name, &self.options) == Cardinality::High
                        })
                };
                let column =
                    |n: Node<'t>| n.kind_name() != "string" && self.column_name(n).is_some();
                (identifier_column(left) && !column(right))
                    || (identifier_column(right) && !column(left))
            }
            "string" => self.string_value(node).is_some_and(|condition| {
                super::sql::size(&format!("SELECT * FROM t WHERE {condition}"), &self.options)
                    == Some(Size::Few(super::FewRows::PointLookup))
            }),
            _ => false,
        }
    }
}
