//! The rule registry. A rule lives in one file under `rules/`: its docs (the doc
//! comment, kept as data so `sparkguard rule`, SARIF and LSP hover print the same
//! text), its metadata and its check. Candidates come from the tree-sitter queries in
//! `queries/<language>/<rule-name>.scm`; the check decides with the Spark model.

use tree_sitter::Node;

use crate::diagnostic::{Fix, Severity};
use crate::model::SparkModel;
use crate::model::settings::Setting;

mod action_in_loop;
mod broadcast_collected;
mod broadcast_threshold_too_high;
mod broadcast_unbounded;
mod collect_as_map;
mod collect_per_key;
mod collect_to_driver;
mod count_for_emptiness;
mod cross_join;
mod driver_memory_in_code;
mod group_by_key;
mod plan_growth_in_loop;
mod repartition_to_one;
mod repeated_action_without_cache;
pub mod sql_broadcast_hint;
pub mod syntax_error;
mod topandas_to_driver;
mod unbounded_take;
mod unlimited_max_result_size;
pub mod unused_suppression;
mod window_without_partition;

/// A rule's fixed facts. The docs are markdown with the sections `## What it does`,
/// `## Why is this bad?`, `## Example` and `## Use instead`.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: the distributed alternative.
    pub help: &'static str,
    pub docs: &'static str,
    pub check: Check,
    /// Runs unless configured otherwise. A rule that is off by default runs only
    /// when `select` names its code exactly.
    pub enabled_by_default: bool,
    /// New and still allowed to change: runs only with preview on (`--preview`,
    /// config `preview`), or when its exact code is selected.
    pub preview: bool,
}

/// How a rule finds what it reports.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// Decides on each match of the rule's queries (`queries/<language>/<name>.scm`).
    Query(CheckFn),
    /// Decides on each Spark setting a file makes: in code, in `spark-defaults.conf`,
    /// or on a `spark-submit` line.
    Setting(SettingCheckFn),
    /// Both: query candidates and settings.
    QueryAndSetting(CheckFn, SettingCheckFn),
    /// Reported by another pass (SG901 by the suppression pass, SG902 by the
    /// engine when the parser cannot read the file).
    Elsewhere,
}

impl Check {
    pub fn query(self) -> Option<CheckFn> {
        match self {
            Check::Query(f) | Check::QueryAndSetting(f, _) => Some(f),
            _ => None,
        }
    }

    pub fn setting(self) -> Option<SettingCheckFn> {
        match self {
            Check::Setting(f) | Check::QueryAndSetting(_, f) => Some(f),
            _ => None,
        }
    }
}

pub type CheckFn = fn(&mut Checker<'_, '_>, &Candidate<'_>);

/// Returns the message when `setting` is a finding.
pub type SettingCheckFn = fn(&Setting, &SettingContext<'_>) -> Option<String>;

/// What a setting check knows besides the setting itself.
pub struct SettingContext<'a> {
    /// Every setting the same file makes.
    pub all: &'a [Setting],
    /// The language of the code, or `None` for launch configuration.
    pub language: Option<crate::lang::Language>,
    /// How the code is started (launch files count as scripts).
    pub launch: crate::model::context::Launch,
    /// Config `max-broadcast-threshold`, in bytes.
    pub max_broadcast_threshold: i64,
}

impl Rule {
    /// The docs without the single leading space every doc-comment line carries.
    pub fn docs_text(&self) -> String {
        let mut out = String::new();
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string()
    }

    /// The family the rule belongs to, named after the hundreds of its code: what
    /// review bots show as its category.
    pub fn family(&self) -> &'static str {
        match self.code.get(..3) {
            Some("SG1") => "driver-collection",
            Some("SG2") => "broadcast",
            Some("SG3") => "stage-heavy",
            Some("SG4") => "driver-config",
            _ => "meta",
        }
    }

    /// The first sentence of "What it does", on one line: the rule's summary.
    pub fn summary(&self) -> String {
        let section = self.docs_section("What it does").unwrap_or_default();
        let joined = section.split_whitespace().collect::<Vec<_>>().join(" ");
        match joined.find(". ") {
            Some(end) => joined[..=end].to_string(),
            None => joined,
        }
    }

    /// One section of the docs (`"What it does"`, ...), without its heading.
    pub fn docs_section(&self, heading: &str) -> Option<String> {
        let text = self.docs_text();
        let marker = format!("## {heading}");
        let start = text.find(&marker)? + marker.len();
        let rest = &text[start..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        Some(rest[..end].trim().to_string())
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

/// Declares a rule as a `static`, keeping its doc comment as the `docs` text.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $ident:ident = {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:ident,
            help: $help:literal,
            check: $check:expr
            $(, enabled_by_default: $enabled:literal)?
            $(, preview: $preview:literal)? $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub static $ident: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            name: $name,
            severity: $crate::diagnostic::Severity::$severity,
            help: $help,
            docs: concat!($($doc, "\n"),*),
            check: $check,
            enabled_by_default: true $(&& $enabled)?,
            preview: false $(|| $preview)?,
        };
    };
}
pub(crate) use declare_rule;

/// Every rule, sorted by code.
pub static RULES: &[&Rule] = &[
    &collect_to_driver::COLLECT_TO_DRIVER,
    &topandas_to_driver::TOPANDAS_TO_DRIVER,
    &unbounded_take::UNBOUNDED_TAKE,
    &collect_as_map::COLLECT_AS_MAP,
    &collect_per_key::COLLECT_PER_KEY,
    &broadcast_unbounded::BROADCAST_UNBOUNDED,
    &broadcast_collected::BROADCAST_COLLECTED,
    &sql_broadcast_hint::SQL_BROADCAST_HINT,
    &broadcast_threshold_too_high::BROADCAST_THRESHOLD_TOO_HIGH,
    &plan_growth_in_loop::PLAN_GROWTH_IN_LOOP,
    &action_in_loop::ACTION_IN_LOOP,
    &repeated_action_without_cache::REPEATED_ACTION_WITHOUT_CACHE,
    &group_by_key::GROUP_BY_KEY,
    &window_without_partition::WINDOW_WITHOUT_PARTITION,
    &count_for_emptiness::COUNT_FOR_EMPTINESS,
    &cross_join::CROSS_JOIN,
    &repartition_to_one::REPARTITION_TO_ONE,
    &driver_memory_in_code::DRIVER_MEMORY_IN_CODE,
    &unlimited_max_result_size::UNLIMITED_MAX_RESULT_SIZE,
    &unused_suppression::UNUSED_SUPPRESSION,
    &syntax_error::SYNTAX_ERROR,
];

/// The fix of a setting `rule` flagged in code (`source` is the checked text), for
/// the setting rules that have one.
pub fn setting_fix(rule: &Rule, setting: &Setting, source: &str) -> Option<Fix> {
    match rule.code {
        "SG402" => unlimited_max_result_size::fix(setting, source),
        _ => None,
    }
}

pub fn by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.code == code)
}

pub fn by_name(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.name == name)
}

/// One match of a rule's query: the captures by name.
pub struct Candidate<'tree> {
    pub captures: Vec<(&'tree str, Node<'tree>)>,
}

impl<'tree> Candidate<'tree> {
    pub fn get(&self, name: &str) -> Option<Node<'tree>> {
        self.captures
            .iter()
            .find(|(capture, _)| *capture == name)
            .map(|(_, node)| *node)
    }
}

/// What a check sees: the model of the file, the settings, and where to report.
pub struct Checker<'m, 'tree> {
    pub model: &'m SparkModel<'tree>,
    pub take_threshold: i64,
    /// Config `repeated-actions`.
    pub repeated_actions: i64,
    pub rule: &'static Rule,
    pub findings: Vec<Finding>,
    /// Where an offset of the checked text is, as a message names it: `line 12` in a
    /// file, `cell 3, line 2` in a Jupyter notebook (whose code was joined from cells).
    pub place: &'m dyn Fn(usize) -> String,
}

/// A finding before positions and paths are attached by the engine.
#[derive(Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    pub range: std::ops::Range<usize>,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// Other places the message names: byte range and a few words on what is there.
    pub related: Vec<(std::ops::Range<usize>, String)>,
}

impl Checker<'_, '_> {
    pub fn report_with_fix(&mut self, range: std::ops::Range<usize>, message: String, fix: Fix) {
        self.findings.push(Finding {
            rule: self.rule,
            range,
            message,
            help: None,
            fix: Some(fix),
            related: Vec::new(),
        });
    }

    /// How `value`'s rows are described in a message.
    pub fn rows(&self, value: crate::model::Value) -> String {
        value.rows_phrase(self.model.source(), self.model.options(), self.place)
    }

    /// Reports a finding about `value`'s rows; the place they were read is related.
    pub fn report_about(
        &mut self,
        range: std::ops::Range<usize>,
        message: String,
        value: crate::model::Value,
    ) {
        self.report(range, message);
        if let (Some(finding), Some(related)) = (self.findings.last_mut(), value.related()) {
            finding.related.push(related);
        }
    }

    pub fn report(&mut self, range: std::ops::Range<usize>, message: String) {
        self.findings.push(Finding {
            rule: self.rule,
            range,
            message,
            help: None,
            fix: None,
            related: Vec::new(),
        });
    }
}

/// The receiver and method name of a method-call candidate with no arguments
/// (`x.collect()`, `x.collect`, `x collect`). `None` for a call with arguments (Scala's
/// `rdd.collect(partialFunction)` is a transformation).
pub fn argumentless_call<'t>(
    checker: &Checker<'_, 't>,
    candidate: &Candidate<'t>,
) -> Option<(Node<'t>, &'t str)> {
    let receiver = candidate.get("receiver")?;
    let method = candidate.get("method")?;
    if let Some(args) = candidate.get("args")
        && checker.model.argument(args, 0, &[]).is_some()
    {
        return None;
    }
    Some((receiver, checker.model.text(method)))
}

/// The span of one call of a chain: from its method name to the end of the call.
pub fn chain_call_span(call: &crate::model::scope::ChainCall<'_>) -> std::ops::Range<usize> {
    call.name_node.start_byte()..call.node.end_byte()
}

/// The comments of the file that start inside `range` (comments are kept in text
/// order, so this is a binary search, not a scan).
pub fn comments_in<'m>(
    model: &'m SparkModel<'_>,
    range: &std::ops::Range<usize>,
) -> &'m [crate::model::Comment] {
    let comments = model.comments();
    let first = comments.partition_point(|c| c.range.start < range.start);
    let end = comments.partition_point(|c| c.range.start < range.end);
    &comments[first..end.max(first)]
}

/// Whether an identifier token of `text` is one of `names`.
pub fn mentions(text: &str, names: &[&str]) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|token| names.contains(&token))
}

/// The span the user sees for a method call: from the method name to the end of the
/// call, so a multi-line chain is reported on the line of `.collect()`.
pub fn call_span(candidate: &Candidate<'_>) -> std::ops::Range<usize> {
    let call = candidate
        .get("violation")
        .expect("queries capture @violation");
    match candidate.get("method") {
        Some(method) => method.start_byte()..call.end_byte(),
        None => call.byte_range(),
    }
}
