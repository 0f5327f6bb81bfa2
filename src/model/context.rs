//! Where code runs and what kind of code it is, as far as the syntax tells: test code
//! (test functions, fixtures, test classes and suites, and the helpers that compare
//! DataFrames for them), and how a file is launched (a script, a Jupyter kernel, a
//! Databricks notebook). The readers record the facts during their walk; the
//! decisions are made here, once for both languages.
//!
//! Why test code is set apart: tests run on fixture data a few rows long, so
//! collecting, counting or looping over it costs nothing. What the Spark rules say
//! about production data is false there, and it is most of what they would say in a
//! repository with tests.

use std::ops::Range;

use super::scope::ActionSite;

/// How the code of a file is started, which decides what a driver setting in it can
/// still change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Launch {
    /// A Python or Scala source file: run as a script, submitted, or imported.
    #[default]
    Script,
    /// A Jupyter notebook: `spark` may be predefined by the kernel, but only a notebook
    /// that shows Spark is Spark code.
    Jupyter,
    /// A Databricks source notebook: a Spark session always exists.
    Databricks,
}

impl Launch {
    /// Whether the file is a notebook of either kind.
    pub fn is_notebook(self) -> bool {
        self != Launch::Script
    }
}

/// Names a notebook kernel defines without an import; using one unbound marks a
/// Jupyter notebook as Spark code.
pub const PREDEFINED_NAMES: &[&str] = &["spark", "sc", "sqlContext", "display"];

/// A function the reader saw, for the test-support judgement.
#[derive(Clone, Debug)]
pub struct FunctionSpan<'t> {
    pub name: &'t str,
    pub range: Range<usize>,
}

/// Actions that bring rows to the driver, which a comparison helper runs on both of
/// the DataFrames it compares.
const GATHERING_ACTIONS: &[&str] = &[
    "collect",
    "collectAsList",
    "toPandas",
    "take",
    "head",
    "tail",
    "first",
    "toLocalIterator",
    "takeAsList",
    "collectAsMap",
];

/// Whether a function is a test by its name: `test`, `test_*` (pytest) and `testX*`
/// (JUnit style). `testimonials` is not a test.
pub fn is_test_function_name(name: &str) -> bool {
    name.strip_prefix("test").is_some_and(|rest| {
        rest.is_empty()
            || rest.starts_with('_')
            || rest.starts_with(|c: char| c.is_ascii_uppercase())
    })
}

/// Whether a function's name says it asserts: `assert_df_equality`,
/// `assertDataFrameEqual`, `assertSmallDatasetEquality`, `expect_column_values`.
pub fn is_assertion_helper_name(name: &str) -> bool {
    if name.starts_with("assert") || name.starts_with("expect_") {
        return true;
    }
    name.strip_prefix("expect")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// Whether a Python class is a test class: pytest collects `Test*` classes, and
/// unittest's are subclasses of a `*TestCase` (`unittest.TestCase`,
/// `ReusedSQLTestCase`) or of a project's `*TestBase`.
pub fn is_python_test_class(name: &str, bases: &[&str]) -> bool {
    name.starts_with("Test") || bases.iter().any(|base| is_test_base(base))
}

/// Whether a Scala class, object or trait that extends `parents` is a test suite:
/// ScalaTest (`AnyFunSuite`, `FlatSpec`, `WordSpec`, ... and `*Like` traits), specs2
/// (`Specification`), MUnit (`munit.FunSuite`), utest (`TestSuite`), Spark's own
/// `QueryTest`, and the `*SuiteBase` / `*TestBase` traits of testing libraries.
pub fn is_scala_test_parent(parents: &[&str]) -> bool {
    parents.iter().any(|parent| {
        is_test_base(parent)
            || [
                "Suite",
                "Spec",
                "Specification",
                "SpecLike",
                "SuiteLike",
                "QueryTest",
            ]
            .iter()
            .any(|suffix| parent.ends_with(suffix))
    })
}

fn is_test_base(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    ["TestCase", "TestBase", "TestSuite", "SuiteBase"]
        .iter()
        .any(|suffix| last.ends_with(suffix))
}

/// An `==` / `!=` comparison: the byte ranges of its two sides.
pub type Comparison = (Range<usize>, Range<usize>);

/// The regions of test support among `functions`: a function whose name says it
/// asserts, or one that gathers rows of at least two DataFrames to the driver and
/// then asserts or raises on them (`asserts` holds the offsets of `assert`, `raise`,
/// `throw` and ScalaTest matchers) or compares one gathered side with another
/// (`df1.collect() != df2.collect()`, as an equality helper returns).
pub fn test_support_regions(
    source: &str,
    functions: &[FunctionSpan<'_>],
    asserts: &[usize],
    comparisons: &[Comparison],
    actions: &[ActionSite<'_>],
) -> Vec<Range<usize>> {
    // Where each gathering action is, and the name its receiver starts from.
    let gathering: Vec<(usize, &str)> = actions
        .iter()
        .filter(|site| GATHERING_ACTIONS.contains(&site.name))
        .map(|site| (site.call.start_byte(), receiver_root(source, site)))
        .collect();
    let gathers_in = |range: &Range<usize>| gathering.iter().any(|(at, _)| range.contains(at));
    let mut regions = Vec::new();
    for function in functions {
        if is_assertion_helper_name(function.name) {
            regions.push(function.range.clone());
            continue;
        }
        // What the function itself does, not the functions nested in it: an outer
        // function full of closures is not one comparison.
        let nested: Vec<&Range<usize>> = functions
            .iter()
            .map(|other| &other.range)
            .filter(|r| {
                **r != function.range
                    && function.range.start <= r.start
                    && r.end <= function.range.end
            })
            .collect();
        let inside = |offset: usize| {
            function.range.contains(&offset) && !nested.iter().any(|r| r.contains(&offset))
        };
        // Two DataFrames are gathered: two receivers that start from different names
        // (`left` and `right`; not `rows_df` gathered in each branch of an `if`).
        let mut roots: Vec<&str> = gathering
            .iter()
            .filter(|(at, _)| inside(*at))
            .map(|(_, root)| *root)
            .collect();
        roots.sort_unstable();
        roots.dedup();
        if roots.len() < 2 {
            continue;
        }
        let asserts_here = asserts.iter().any(|&at| inside(at));
        let compares_gathered = comparisons
            .iter()
            .any(|(left, right)| inside(left.start) && gathers_in(left) && gathers_in(right));
        if asserts_here || compares_gathered {
            regions.push(function.range.clone());
        }
    }
    regions
}

/// The name a receiver chain starts from (`left` in `left.select("a").collect()`).
fn receiver_root<'s>(source: &'s str, site: &ActionSite<'_>) -> &'s str {
    let text = &source[site.receiver.byte_range()];
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// Whether `range` lies inside one of `regions`.
pub fn within(regions: &[Range<usize>], range: &Range<usize>) -> bool {
    regions
        .iter()
        .any(|region| region.start <= range.start && range.end <= region.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_tests() {
        assert!(is_test_function_name("test_totals"));
        assert!(is_test_function_name("testTotals"));
        assert!(is_test_function_name("test"));
        assert!(!is_test_function_name("testimonial_counts"));
        assert!(!is_test_function_name("latest_totals"));
    }

    #[test]
    fn names_of_assertion_helpers() {
        assert!(is_assertion_helper_name("assert_df_equality"));
        assert!(is_assertion_helper_name("assertDataFrameEqual"));
        assert!(is_assertion_helper_name("expect_column_to_exist"));
        assert!(is_assertion_helper_name("expectRowCount"));
        assert!(!is_assertion_helper_name("expected_rows"));
        assert!(!is_assertion_helper_name("expectation_suite"));
        assert!(!is_assertion_helper_name("load_events"));
    }

    #[test]
    fn test_classes_and_suites() {
        assert!(is_python_test_class("TestJoins", &[]));
        assert!(is_python_test_class("JoinChecks", &["unittest.TestCase"]));
        assert!(is_python_test_class("JoinChecks", &["ReusedSQLTestCase"]));
        assert!(!is_python_test_class("Pipeline", &["object"]));
        assert!(is_scala_test_parent(&["AnyFunSuite"]));
        assert!(is_scala_test_parent(&["AnyFlatSpec", "Matchers"]));
        assert!(is_scala_test_parent(&["Specification"]));
        assert!(is_scala_test_parent(&["munit.FunSuite"]));
        assert!(is_scala_test_parent(&["DataFrameSuiteBase"]));
        assert!(is_scala_test_parent(&["QueryTest", "SharedSparkSession"]));
        assert!(!is_scala_test_parent(&["App"]));
        assert!(!is_scala_test_parent(&["Serializable", "Logging"]));
    }
}
