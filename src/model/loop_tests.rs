//! What the model answers about loops and the functions they call: the facts a
//! project index will later supply across files (what a helper does to its
//! argument, what its callers pass).

use tree_sitter::Node;

use super::{ModelOptions, SparkModel};
use crate::lang::{Language, NodeExt};
use crate::parse;

/// The first node of `kind` whose text is `text`.
fn find<'t>(root: Node<'t>, source: &str, kind: &str, text: &str) -> Node<'t> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind_name() == kind && &source[node.byte_range()] == text {
            return node;
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    panic!("no {kind} `{text}` in the source");
}

fn with_model(language: Language, source: &str, f: impl FnOnce(&SparkModel<'_>, Node<'_>)) {
    let tree = parse::parse(language, source).unwrap();
    let model = SparkModel::build(language, source, &tree, ModelOptions::default());
    f(&model, tree.root_node());
}

#[test]
fn a_python_helper_that_returns_its_argument_grown_says_which_and_how() {
    let source = "import pyspark\n\
def with_flag(df, name):\n    out = df.withColumn(name, 1)\n    return out\n\
def fresh(df, name):\n    return spark.table(name)\n\
a = with_flag(x, 'a')\nb = fresh(x, 'b')\n";
    with_model(Language::Python, source, |model, root| {
        let call = find(root, source, "call", "with_flag(x, 'a')");
        let growth = model.param_growth(call.field("function").unwrap());
        assert!(growth.is_some_and(|g| g.param == 0 && g.method == "withColumn"));
        let call = find(root, source, "call", "fresh(x, 'b')");
        assert_eq!(model.param_growth(call.field("function").unwrap()), None);
    });
}

#[test]
fn a_scala_function_that_unions_its_two_arguments_grows_the_first() {
    let source = "import org.apache.spark.sql.DataFrame\n\
object O {\n  def unionTwo(a: DataFrame, b: DataFrame): DataFrame = a.unionByName(b)\n  def both(a: Int, b: Int): Int = a + b\n  val x = unionTwo(p, q)\n  val y = both(1, 2)\n}\n";
    with_model(Language::Scala, source, |model, root| {
        let call = find(root, source, "call_expression", "unionTwo(p, q)");
        let callee = call.field("function").unwrap();
        let growth = model.param_growth(callee).unwrap();
        assert_eq!((growth.param, growth.method), (0, "unionByName"));
        let call = find(root, source, "call_expression", "both(1, 2)");
        assert_eq!(model.param_growth(call.field("function").unwrap()), None);
    });
}

#[test]
fn a_parameter_is_a_small_collection_only_when_every_visible_caller_passes_one() {
    let source = "import pyspark\n\
def keys(df, ks):\n    for k in ks:\n        pass\n\
def lags(df, ls):\n    for l in ls:\n        pass\n\
def unseen(df, us):\n    for u in us:\n        pass\n\
keys(a, ['x', 'y'])\nkeys(a, ks=('z',))\nlags(a, [1])\nlags(a, list(range(40)))\n";
    with_model(Language::Python, source, |model, root| {
        let loop_ks = find(root, source, "for_statement", "for k in ks:\n        pass");
        let iterable = loop_ks.field("right").unwrap();
        assert_eq!(model.param_arguments(iterable).map(|a| a.len()), Some(2));
        assert!(model.is_small_iterable(iterable));
        let loop_ls = find(root, source, "for_statement", "for l in ls:\n        pass");
        assert!(!model.is_small_iterable(loop_ls.field("right").unwrap()));
        let loop_us = find(root, source, "for_statement", "for u in us:\n        pass");
        let us = loop_us.field("right").unwrap();
        assert_eq!(model.param_arguments(us), None);
        assert!(!model.is_small_iterable(us));
    });
}

#[test]
fn a_step_under_an_equality_test_of_the_loop_variable_runs_at_most_once() {
    let source = "import pyspark\n\
for c in df.columns:\n    if c == 'x':\n        df = df.withColumn(c, 1)\n    if c.startswith('y'):\n        df = df.drop(c)\n";
    with_model(Language::Python, source, |model, root| {
        let once = find(root, source, "assignment", "df = df.withColumn(c, 1)");
        let lp = model.loop_around(&once.byte_range()).unwrap();
        assert!(model.runs_at_most_once(lp, once));
        let every = find(root, source, "assignment", "df = df.drop(c)");
        assert!(!model.runs_at_most_once(lp, every));
    });
}

#[test]
fn scalatest_bodies_registered_in_a_loop_are_not_run_by_it() {
    let source = "import org.apache.spark.sql.DataFrame\n\
class S extends AnyFunSuite {\n  days.foreach { d =>\n    test(s\"day $d\") {\n      df.count()\n    }\n    df.show()\n  }\n}\n";
    with_model(Language::Scala, source, |model, root| {
        let registered = find(root, source, "call_expression", "df.count()");
        assert!(model.loop_around(&registered.byte_range()).is_none());
        let run = find(root, source, "call_expression", "df.show()");
        assert!(model.loop_around(&run.byte_range()).is_some());
    });
}

#[test]
fn a_parameter_every_call_of_the_file_leaves_out_is_its_default() {
    let source = "import pyspark\n\
def rank(df, cols=()):\n    return cols\n\
def rank_passed(df, cols=()):\n    return cols\n\
def rank_mapped(df, cols=()):\n    return cols\n\
a = rank(x)\nb = rank_passed(x, ['k'])\nc = rank_passed(x)\n\
d = rank_mapped(x)\ne = list(map(rank_mapped, [x]))\n";
    with_model(Language::Python, source, |model, root| {
        let cols = |function: &str| {
            let def = find(root, source, "identifier", function);
            let body = def.parent().unwrap().field("body").unwrap();
            let ret = body.named_child(0).unwrap().named_child(0).unwrap();
            assert_eq!(model.text(ret), "cols");
            model.omitted_param_default(ret).map(|d| model.text(d))
        };
        assert_eq!(cols("rank"), Some("()"));
        assert_eq!(cols("rank_passed"), None);
        assert_eq!(cols("rank_mapped"), None);
    });
}
