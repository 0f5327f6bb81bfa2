//! The per-file pipeline: text → tree → Spark model → rule candidates and checks →
//! suppressions → diagnostics with positions. Every front end (CLI, editor server,
//! Databricks notebooks, tests) comes through `check_source`; Jupyter notebooks
//! through `check_notebook_source`.
//!
//! A project is checked in two passes: [`prepare_file`] reads and parses each file
//! once and extracts its facts; the [`ProjectIndex`] joins them; [`check_prepared`]
//! checks each file with its kept tree and model and the index. `check_source` and
//! friends check one file alone, with an empty index.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Related};
use crate::guard;
use crate::lang::{self, Language};
use crate::model::context::Launch;
use crate::model::index::{FileFacts, ProjectIndex, Reads};
use crate::model::settings::Setting;
use crate::model::{self, Comment};
use crate::model::{ModelOptions, SparkModel};
use crate::parse;
use crate::rules::{self, Candidate, Checker, Finding, SettingContext};
use crate::source::notebook::{self, Notebook};
use crate::source::{self, LineIndex};
use crate::suppress;

/// The outcome of checking one file on disk.
#[derive(Debug)]
pub struct FileReport {
    pub display_path: String,
    /// The text that was checked, for renderers that show source.
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The file is test code by its path, or holds test code by its syntax: the
    /// Spark rules were silent there (unless `check-tests`).
    pub test_code: bool,
}

/// What checking one text gives: the findings, and whether test code was set apart.
#[derive(Debug, Default)]
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub test_code: bool,
}

/// A file that could not be checked, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub display_path: String,
    pub message: String,
}

/// Reads and decodes one file, and says what kind of file it is.
fn read_source(path: &Path, display_path: &str) -> Result<(FileKind, String), FileError> {
    let fail = |message: String| FileError {
        display_path: display_path.to_string(),
        message,
    };
    let kind = FileKind::of(path)
        .ok_or_else(|| fail("not a Python, Scala, notebook or Spark launch file".to_string()))?;
    let bytes = std::fs::read(path).map_err(|err| fail(format!("cannot read file: {err}")))?;
    let text = source::decode(bytes).map_err(fail)?;
    Ok((kind, text))
}

/// Reads, decodes and checks one file.
pub fn check_file(
    path: &Path,
    display_path: &str,
    settings: &Settings,
) -> Result<FileReport, FileError> {
    let (kind, text) = read_source(path, display_path)?;
    let checked =
        check_kind(kind, display_path, &text, settings, &Arc::default()).map_err(|message| {
            FileError {
                display_path: display_path.to_string(),
                message,
            }
        })?;
    Ok(FileReport {
        display_path: display_path.to_string(),
        text,
        diagnostics: checked.diagnostics,
        test_code: checked.test_code,
    })
}

/// Checks in-memory `text` as the content of the file at `path`, whose kind is judged
/// by its name: what `check_file` does once the file is read (`--fix` re-checks its
/// edited text through here).
pub fn check_text(
    path: &Path,
    display_path: &str,
    text: &str,
    settings: &Settings,
) -> Result<Vec<Diagnostic>, String> {
    check_text_in(path, display_path, text, settings, &Arc::default())
}

/// As [`check_text`], seeing the rest of the project through `project` (the index
/// `check` builds in its first pass), so the text is judged as `check` judges it.
pub fn check_text_in(
    path: &Path,
    display_path: &str,
    text: &str,
    settings: &Settings,
    project: &Arc<ProjectIndex>,
) -> Result<Vec<Diagnostic>, String> {
    let kind = FileKind::of(path)
        .ok_or_else(|| "not a Python, Scala, notebook or Spark launch file".to_string())?;
    Ok(check_kind(kind, display_path, text, settings, project)?.diagnostics)
}

/// Checks `text` as a file of `kind`. `Err` when it cannot be read as one, or nests
/// deeper than the parser can take ([`parse::check_limits`]).
fn check_kind(
    kind: FileKind,
    display_path: &str,
    text: &str,
    settings: &Settings,
    project: &Arc<ProjectIndex>,
) -> Result<Checked, String> {
    Ok(match kind {
        FileKind::Jupyter => {
            let notebook = notebook::parse_ipynb(text)?;
            check_source_limits(&notebook)?;
            check_notebook_in(
                display_path,
                text,
                &notebook,
                settings,
                Launch::Jupyter,
                project,
            )
        }
        FileKind::Source(language) => {
            match notebook::parse_databricks(text) {
                Some(notebook) => check_source_limits(&notebook)?,
                None => {
                    parse::check_limits(language, text).map_err(|err| err.located(text))?;
                }
            }
            check_source_in(display_path, language, text, settings, project)
        }
        FileKind::Launch(launch) => Checked {
            diagnostics: check_launch_source(display_path, launch, text, settings),
            test_code: false,
        },
    })
}

/// `text`, as a file of `kind`, within the parser's nesting limits (a notebook that
/// is not notebook JSON is left to the check, which says why).
fn check_limits_of(kind: FileKind, text: &str) -> Result<(), String> {
    match kind {
        FileKind::Jupyter => match notebook::parse_ipynb(text) {
            Ok(notebook) => check_source_limits(&notebook),
            Err(_) => Ok(()),
        },
        FileKind::Source(language) => match notebook::parse_databricks(text) {
            Some(notebook) => check_source_limits(&notebook),
            None => parse::check_limits(language, text)
                .map(|_| ())
                .map_err(|err| err.located(text)),
        },
        FileKind::Launch(_) => Ok(()),
    }
}

/// Each virtual source of a notebook within the parser's nesting limits; the error
/// names the cell.
fn check_source_limits(notebook: &Notebook) -> Result<(), String> {
    for source in &notebook.sources {
        parse::check_limits(source.language, &source.text).map_err(|err| {
            let at = source.map.cell_position(err.offset);
            format!("cell {}, line {}: {}", at.cell, at.line, err.message)
        })?;
    }
    Ok(())
}

/// What a checked file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// Python or Scala source (a Databricks source notebook too).
    Source(Language),
    /// A Jupyter `.ipynb` notebook.
    Jupyter,
    /// Settings made where the driver is launched.
    Launch(LaunchFile),
}

/// Files that set Spark settings at launch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaunchFile {
    /// `spark-defaults.conf`
    Defaults,
    /// A shell script that calls `spark-submit`.
    SubmitScript,
}

impl FileKind {
    pub fn of(path: &Path) -> Option<FileKind> {
        if notebook::is_jupyter_path(path) {
            return Some(FileKind::Jupyter);
        }
        if let Some(language) = lang::language_of_path(path) {
            return Some(FileKind::Source(language));
        }
        let name = path.file_name()?.to_str()?;
        if name == "spark-defaults.conf" {
            return Some(FileKind::Launch(LaunchFile::Defaults));
        }
        if name.ends_with(".sh") {
            return Some(FileKind::Launch(LaunchFile::SubmitScript));
        }
        None
    }
}

/// Checks the settings of a launch file (`spark-defaults.conf`, a submit script).
pub fn check_launch_source(
    display_path: &str,
    kind: LaunchFile,
    text: &str,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let launch_settings = match kind {
        LaunchFile::Defaults => model::settings::from_defaults_conf(text),
        LaunchFile::SubmitScript => model::settings::from_submit_script(text),
    };
    let path = Path::new(display_path);
    // Settings made at launch are never rewritten: no source for fixes.
    let found = setting_findings(&launch_settings, None, Launch::Script, settings, path, None);
    let comments = hash_comments(text);
    let mut found = suppress::apply(text, &comments, found, settings, path);
    // Launch files are never rewritten: no finding there offers a fix.
    for finding in &mut found {
        finding.fix = None;
    }
    let index = LineIndex::new(text);
    let mut diagnostics: Vec<Diagnostic> = found
        .into_iter()
        .map(|finding| to_diagnostic(finding, display_path, text, &index, settings))
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics
}

/// The `#` comments of a shell script or properties file.
fn hash_comments(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let hash = content
            .char_indices()
            .find(|&(i, c)| c == '#' && (i == 0 || content[..i].ends_with(char::is_whitespace)))
            .map(|(i, _)| i);
        if let Some(hash) = hash {
            comments.push(Comment {
                range: offset + hash..offset + content.len(),
                own_line: content[..hash].trim().is_empty(),
            });
        }
        offset += line.len();
    }
    comments
}

/// Runs the setting rules on `settings_made`.
fn setting_findings(
    settings_made: &[Setting],
    language: Option<Language>,
    launch: Launch,
    settings: &Settings,
    path: &Path,
    source: Option<&str>,
) -> Vec<Finding> {
    let context = SettingContext {
        all: settings_made,
        language,
        launch,
        max_broadcast_threshold: model::settings::parse_size(&settings.max_broadcast_threshold)
            .unwrap_or(1 << 30),
    };
    let mut found = Vec::new();
    for rule in rules::RULES {
        let Some(check) = rule.check.setting() else {
            continue;
        };
        if !settings.rule_enabled(rule, path) {
            continue;
        }
        for setting in settings_made {
            if let Some(message) = check(setting, &context) {
                found.push(Finding {
                    rule,
                    range: setting.range.clone(),
                    message,
                    help: None,
                    fix: source.and_then(|source| rules::setting_fix(rule, setting, source)),
                    related: Vec::new(),
                });
            }
        }
    }
    found
}

/// A file the first pass has read and parsed: its text, its tree and model (kept
/// for the second pass, so no file is parsed twice) and its facts for the project
/// index.
pub struct Prepared {
    pub path: PathBuf,
    pub display_path: String,
    pub kind: FileKind,
    pub text: String,
    /// The tree and the model built in the first pass, for the second.
    held: Option<Held>,
    /// What the file tells the rest of the project; `None` for notebooks and
    /// launch files, which nothing imports.
    pub facts: Option<FileFacts>,
}

/// The parse gate: whether `text` may hold a finding at all. Only text that names
/// a Spark package (the model's Spark code starts with its import) or holds a
/// suppression comment (which may be unused) can; every other file is skipped
/// unparsed, unless it is small enough to be a settings module the index reads.
/// The corpus tests prove the gate drops no finding ([`with_open_gate`]).
fn may_hold_findings(language: Language, text: &str) -> bool {
    OPEN_GATE.get() || language.may_be_spark(text) || suppress::may_suppress(text)
}

thread_local! {
    /// Set while [`with_open_gate`] runs: every file is parsed and checked.
    static OPEN_GATE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `work` with the parse gate open on this thread: every file is parsed and
/// checked as if it might hold findings. For the tests that prove the gate sound.
#[doc(hidden)]
pub fn with_open_gate<T>(work: impl FnOnce() -> T) -> T {
    struct Close(bool);
    impl Drop for Close {
        fn drop(&mut self) {
            OPEN_GATE.set(self.0);
        }
    }
    let _close = Close(OPEN_GATE.replace(true));
    work()
}

/// Files that may not be Spark code are still read for their constants, when they
/// are small enough to be settings modules.
const SETTINGS_FILE_BYTES: usize = 32 * 1024;

/// How much source the first pass may keep parsed for the second. A kept tree and
/// model take about twenty times the bytes of their source, so keeping every file of
/// a large repository would make memory grow with it; past the budget, a file's tree
/// is dropped after its facts are read and the second pass parses it again. Most
/// repositories fit whole and are parsed once.
#[derive(Debug)]
pub struct TreeBudget {
    left: std::sync::atomic::AtomicUsize,
}

impl TreeBudget {
    /// What a run of `check` keeps: 8 MiB of source, about 160 MiB of trees and models.
    pub const DEFAULT_BYTES: usize = 8 << 20;

    pub fn new(bytes: usize) -> TreeBudget {
        TreeBudget {
            left: std::sync::atomic::AtomicUsize::new(bytes),
        }
    }

    /// Takes `bytes` from the budget; `false` (and nothing taken) when they do not fit.
    fn take(&self, bytes: usize) -> bool {
        use std::sync::atomic::Ordering;
        self.left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .is_ok()
    }
}

impl Default for TreeBudget {
    fn default() -> Self {
        TreeBudget::new(TreeBudget::DEFAULT_BYTES)
    }
}

/// The first pass over one file: reads, decodes and parses it, and extracts its
/// facts; its tree and model are kept for the second pass while `budget` lasts.
pub fn prepare_file(
    path: &Path,
    display_path: &str,
    settings: &Settings,
    budget: &TreeBudget,
) -> Result<Prepared, FileError> {
    let (kind, text) = read_source(path, display_path)?;
    prepare_kind(path, display_path, kind, text, settings, budget)
}

fn prepare_kind(
    path: &Path,
    display_path: &str,
    kind: FileKind,
    text: String,
    settings: &Settings,
    budget: &TreeBudget,
) -> Result<Prepared, FileError> {
    // Past the parser's nesting limits the file is refused here, with the limit named.
    check_limits_of(kind, &text).map_err(|message| FileError {
        display_path: display_path.to_string(),
        message,
    })?;
    Ok(prepare_text(
        path,
        display_path,
        kind,
        text,
        settings,
        budget,
    ))
}

/// The first pass over one file already read.
pub fn prepare_text(
    path: &Path,
    display_path: &str,
    kind: FileKind,
    text: String,
    settings: &Settings,
    budget: &TreeBudget,
) -> Prepared {
    let mut prepared = Prepared {
        path: path.to_path_buf(),
        display_path: display_path.to_string(),
        kind,
        text,
        held: None,
        facts: None,
    };
    let FileKind::Source(language) = kind else {
        return prepared;
    };
    let text = &prepared.text;
    if notebook::parse_databricks(text).is_some() {
        return prepared;
    }
    let wanted = may_hold_findings(language, text) || text.len() <= SETTINGS_FILE_BYTES;
    if !wanted {
        return prepared;
    }
    let Some(tree) = parse::parse(language, text) else {
        return prepared;
    };
    let options = model_options_in(settings, Launch::Script, &Arc::default(), display_path);
    let held = Held::new(
        Parsed {
            text: prepared.text.clone(),
            tree,
        },
        |parsed| SparkModel::build(language, &parsed.text, &parsed.tree, options),
    );
    let mut held = held;
    prepared.facts = Some(held.borrow_dependent().facts(display_path));
    if budget.take(prepared.text.len()) {
        held.with_dependent_mut(|_, model| model.forget_values());
        prepared.held = Some(held);
    }
    prepared
}

/// A file's text and tree, which its model borrows.
struct Parsed {
    text: String,
    tree: tree_sitter::Tree,
}

type Model<'a> = SparkModel<'a>;

self_cell::self_cell!(
    /// A file's text and tree with the model built on them, kept from the first
    /// pass to the second.
    struct Held {
        owner: Parsed,
        #[covariant]
        dependent: Model,
    }
);

/// The second pass over one file: checks it with its kept tree and model and the
/// project's index.
pub fn check_prepared(
    prepared: Prepared,
    settings: &Settings,
    project: &Arc<ProjectIndex>,
) -> Result<FileReport, FileError> {
    let display_path = prepared.display_path.as_str();
    let text = prepared.text.as_str();
    let checked = match prepared.kind {
        FileKind::Jupyter => {
            let notebook = notebook::parse_ipynb(text).map_err(|message| FileError {
                display_path: display_path.to_string(),
                message,
            })?;
            check_notebook_in(
                display_path,
                text,
                &notebook,
                settings,
                Launch::Jupyter,
                project,
            )
        }
        FileKind::Source(language) => {
            if let Some(notebook) = notebook::parse_databricks(text) {
                check_notebook_in(
                    display_path,
                    text,
                    &notebook,
                    settings,
                    Launch::Databricks,
                    project,
                )
            } else {
                let path = Path::new(display_path);
                let lines = LineIndex::new(text);
                let place = |offset: usize| file_line(&lines, offset);
                let found = match prepared.held {
                    // Nothing can be found in a file that is not Spark code and has
                    // no suppression (it was parsed only for its constants).
                    _ if !may_hold_findings(language, text) => Found::default(),
                    Some(mut held) => held.with_dependent_mut(|parsed, model| {
                        model.rebind(project.clone());
                        model_findings(
                            model,
                            &parsed.tree,
                            language,
                            text,
                            settings,
                            path,
                            Launch::Script,
                            &place,
                        )
                    }),
                    None => findings_in(
                        language,
                        text,
                        None,
                        settings,
                        path,
                        Launch::Script,
                        &place,
                        project,
                    ),
                };
                checked_of(found, display_path, text, &lines, settings)
            }
        }
        FileKind::Launch(launch) => Checked {
            diagnostics: check_launch_source(display_path, launch, text, settings),
            test_code: false,
        },
    };
    Ok(FileReport {
        display_path: prepared.display_path,
        text: prepared.text,
        diagnostics: checked.diagnostics,
        test_code: checked.test_code,
    })
}

/// What [`analyse`] found in one file.
pub(crate) struct Analysis {
    pub checked: Checked,
    /// What the check looked up in the project index, and the answers.
    pub reads: Reads,
    pub facts: Option<FileFacts>,
}

/// Runs the rules on a built model and gives the file's diagnostics, recording
/// what the model looked up in its index while they ran.
fn checked_model(
    model: &SparkModel<'_>,
    tree: &tree_sitter::Tree,
    language: Language,
    text: &str,
    settings: &Settings,
    display_path: &str,
) -> (Checked, Reads) {
    let path = Path::new(display_path);
    let lines = LineIndex::new(text);
    let place = |offset: usize| file_line(&lines, offset);
    let (found, reads) = crate::model::index::record(|| {
        model_findings(
            model,
            tree,
            language,
            text,
            settings,
            path,
            Launch::Script,
            &place,
        )
    });
    (
        checked_of(found, display_path, text, &lines, settings),
        reads,
    )
}

/// Checks one file's `text` (of `kind`, read from disk), recording what the check
/// looks up in the project index. With `project`, against it; without, the file's
/// facts are extracted from the same tree and the file is checked against an index
/// of its own facts alone, the first pass of the streaming run loop
/// ([`crate::project`]), which checks again only the files the project's index
/// answers differently. `Err` when the text cannot be read as a file of `kind`.
pub(crate) fn analyse(
    kind: FileKind,
    display_path: &str,
    text: &str,
    settings: &Settings,
    project: Option<&Arc<ProjectIndex>>,
) -> Result<Analysis, String> {
    use crate::model::index::record;
    let empty = Arc::default();
    let index = project.unwrap_or(&empty);
    let plain = |(checked, reads): (Checked, Reads)| Analysis {
        checked,
        reads,
        facts: None,
    };
    let language = match kind {
        FileKind::Jupyter => {
            let notebook = notebook::parse_ipynb(text)?;
            check_source_limits(&notebook)?;
            return Ok(plain(record(|| {
                check_notebook_in(
                    display_path,
                    text,
                    &notebook,
                    settings,
                    Launch::Jupyter,
                    index,
                )
            })));
        }
        FileKind::Launch(launch) => {
            let checked = Checked {
                diagnostics: check_launch_source(display_path, launch, text, settings),
                test_code: false,
            };
            return Ok(plain((checked, Reads::default())));
        }
        FileKind::Source(language) => language,
    };
    // Each text is read as a notebook or measured for nesting once: the measure
    // gives the error and lets the parse skip its own.
    if let Some(notebook) = notebook::parse_databricks(text) {
        check_source_limits(&notebook)?;
        return Ok(plain(record(|| {
            check_notebook_in(
                display_path,
                text,
                &notebook,
                settings,
                Launch::Databricks,
                index,
            )
        })));
    }
    let within = parse::check_limits(language, text).map_err(|err| err.located(text))?;
    // The gates of the two passes: what may hold a finding is checked, and small
    // files that may not are still read for the constants a settings module holds.
    let checkable = may_hold_findings(language, text);
    let for_facts = project.is_none() && (checkable || text.len() <= SETTINGS_FILE_BYTES);
    let nothing = || plain((Checked::default(), Reads::default()));
    if !checkable && !for_facts {
        return Ok(nothing());
    }
    let Some(tree) = parse::parse_within(within) else {
        return Ok(nothing());
    };
    // Facts are what the file says alone: extracted with an empty index. Only the
    // rules' run, recorded, sees an index (the model forgets on `rebind` what it
    // computed before).
    let options = model_options_in(settings, Launch::Script, &empty, display_path);
    let mut model = SparkModel::build(language, text, &tree, options);
    // Shared with the file's own index below, and given back whole once the model
    // that holds that index is gone.
    let facts = for_facts.then(|| Arc::new(model.facts(display_path)));
    let unshared = |facts: Option<Arc<FileFacts>>| {
        facts.map(|facts| Arc::try_unwrap(facts).unwrap_or_else(|shared| (*shared).clone()))
    };
    if !checkable {
        drop(model);
        return Ok(Analysis {
            facts: unshared(facts),
            ..nothing()
        });
    }
    // Without the project's index, what the file defines and calls itself is known
    // at once.
    let index = match project {
        Some(project) => project.clone(),
        None => Arc::new(ProjectIndex::of_shared(facts.clone())),
    };
    model.rebind(index);
    let (checked, reads) = checked_model(&model, &tree, language, text, settings, display_path);
    drop(model);
    Ok(Analysis {
        checked,
        reads,
        facts: unshared(facts),
    })
}

/// Reads, decodes and parses one file without analysing it (for benchmarks).
pub fn parse_file(path: &Path) -> Result<tree_sitter::Tree, String> {
    let language = lang::language_of_path(path).ok_or("not a Python or Scala file")?;
    let bytes = std::fs::read(path).map_err(|err| err.to_string())?;
    let text = source::decode(bytes)?;
    parse::parse(language, &text).ok_or_else(|| "the parser gave up".to_string())
}

/// Checks in-memory text as if it were the file `display_path`. A Databricks source
/// notebook (known by its header line) is checked cell by cell, whatever `language`
/// says; its positions are ordinary file positions, with `cell` set.
pub fn check_source(
    display_path: &str,
    language: Language,
    text: &str,
    settings: &Settings,
) -> Vec<Diagnostic> {
    check_source_checked(display_path, language, text, settings).diagnostics
}

/// As [`check_source`], saying also whether test code was set apart.
pub fn check_source_checked(
    display_path: &str,
    language: Language,
    text: &str,
    settings: &Settings,
) -> Checked {
    check_source_reparsed(display_path, language, text, settings, None).0
}

/// As [`check_source_checked`], parsing with `old_tree` (the tree of the previous
/// text, brought up to date with `Tree::edit`) so only what changed is parsed again;
/// also returns the new tree, for the next edit. `None` for a notebook, or for a file
/// that is not parsed at all.
pub fn check_source_reparsed(
    display_path: &str,
    language: Language,
    text: &str,
    settings: &Settings,
    old_tree: Option<&tree_sitter::Tree>,
) -> (Checked, Option<tree_sitter::Tree>) {
    check_source_with(
        display_path,
        language,
        text,
        settings,
        old_tree,
        &Arc::default(),
    )
}

/// As [`check_source_checked`], seeing the rest of the project through `project`.
fn check_source_in(
    display_path: &str,
    language: Language,
    text: &str,
    settings: &Settings,
    project: &Arc<ProjectIndex>,
) -> Checked {
    check_source_with(display_path, language, text, settings, None, project).0
}

fn check_source_with(
    display_path: &str,
    language: Language,
    text: &str,
    settings: &Settings,
    old_tree: Option<&tree_sitter::Tree>,
    project: &Arc<ProjectIndex>,
) -> (Checked, Option<tree_sitter::Tree>) {
    if let Some(notebook) = notebook::parse_databricks(text) {
        let checked = check_notebook_in(
            display_path,
            text,
            &notebook,
            settings,
            Launch::Databricks,
            project,
        );
        return (checked, None);
    }
    let index = LineIndex::new(text);
    // The same gate as `findings_in`: a file that cannot hold a finding is not parsed.
    let tree = if may_hold_findings(language, text) {
        parse::reparse(language, text, old_tree)
    } else {
        None
    };
    let found = findings_in(
        language,
        text,
        tree.as_ref(),
        settings,
        Path::new(display_path),
        Launch::Script,
        &|offset| file_line(&index, offset),
        project,
    );
    (
        checked_of(found, display_path, text, &index, settings),
        tree,
    )
}

/// A check's findings as the file's diagnostics, in report order.
fn checked_of(
    found: Found,
    display_path: &str,
    text: &str,
    lines: &LineIndex,
    settings: &Settings,
) -> Checked {
    let mut diagnostics: Vec<Diagnostic> = found
        .findings
        .into_iter()
        .map(|finding| to_diagnostic(finding, display_path, text, lines, settings))
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Checked {
        diagnostics,
        test_code: found.test_code,
    }
}

/// What checking one open file of a project gives: its findings, its tree for the
/// next incremental parse, its facts as this text gives them, and the index it was
/// checked with when its facts changed the one it was given.
pub struct ProjectChecked {
    pub checked: Checked,
    pub tree: Option<tree_sitter::Tree>,
    /// `None`: the text holds nothing the index keeps (a notebook, a file too large
    /// to be a settings module that is not Spark code, a file past the nesting limits).
    pub facts: Option<FileFacts>,
    /// The index with this text's facts, when they differ from `project`'s.
    pub index: Option<Arc<ProjectIndex>>,
}

/// Checks in-memory `text` of the file at `path` (as settings match it) as one file
/// of a project: the two passes of `sparkguard check` on one file whose name in the
/// index is `key`, so its diagnostics are those the CLI gives for the project whose
/// other files `project` holds. `old_tree` is the tree of the previous text, brought
/// up to date with `Tree::edit`. Stops early, with a partial result the caller
/// drops, when cancelled ([`guard::cancellable`]).
pub fn check_source_in_project(
    path: &Path,
    key: &str,
    language: Language,
    text: &str,
    settings: &Settings,
    old_tree: Option<&tree_sitter::Tree>,
    project: &Arc<ProjectIndex>,
) -> ProjectChecked {
    let display_path = path.to_string_lossy();
    let without = || project.without(key).map(Arc::new);
    if let Some(notebook) = notebook::parse_databricks(text) {
        // Nothing imports a notebook: it keeps no facts.
        let index = without();
        let checked = check_notebook_in(
            &display_path,
            text,
            &notebook,
            settings,
            Launch::Databricks,
            index.as_ref().unwrap_or(project),
        );
        return ProjectChecked {
            checked,
            tree: None,
            facts: None,
            index,
        };
    }
    // The gates of both passes: facts are read from Spark code, files that may
    // suppress, and files small enough to be settings modules; findings only from
    // the first two.
    let findable = may_hold_findings(language, text);
    let tree = if findable || text.len() <= SETTINGS_FILE_BYTES {
        parse::reparse(language, text, old_tree)
    } else {
        None
    };
    let (Some(tree), false) = (tree, guard::cancelled()) else {
        return ProjectChecked {
            checked: Checked::default(),
            tree: None,
            facts: None,
            index: without(),
        };
    };
    let options = model_options_in(settings, Launch::Script, &Arc::default(), key);
    let mut model = SparkModel::build(language, text, &tree, options);
    let facts = model.facts(key);
    let index = project.with_facts(facts.clone()).map(Arc::new);
    model.rebind(index.clone().unwrap_or_else(|| project.clone()));
    let lines = LineIndex::new(text);
    let found = if findable && !guard::cancelled() {
        let place = |offset: usize| file_line(&lines, offset);
        model_findings(
            &model,
            &tree,
            language,
            text,
            settings,
            path,
            Launch::Script,
            &place,
        )
    } else {
        Found::default()
    };
    drop(model);
    ProjectChecked {
        checked: checked_of(found, &display_path, text, &lines, settings),
        tree: Some(tree),
        facts: Some(facts),
        index,
    }
}

/// Checks a notebook an editor holds as cells, in a project: `notebook` was built
/// from `text` with [`notebook::from_cells`]. Positions point into `text`, with `cell`
/// set; messages name places by cell and line, as in a Jupyter notebook; imported
/// constants and helpers are known through `project`.
pub fn check_notebook_cells_in(
    display_path: &str,
    text: &str,
    notebook: &Notebook,
    settings: &Settings,
    project: &Arc<ProjectIndex>,
) -> Vec<Diagnostic> {
    check_notebook_in(
        display_path,
        text,
        notebook,
        settings,
        Launch::Jupyter,
        project,
    )
    .diagnostics
}

/// As [`check_notebook_source`], in a project.
pub fn check_notebook_source_in(
    display_path: &str,
    text: &str,
    settings: &Settings,
    project: &Arc<ProjectIndex>,
) -> Result<Vec<Diagnostic>, String> {
    let notebook = notebook::parse_ipynb(text)?;
    check_source_limits(&notebook)?;
    Ok(check_notebook_in(
        display_path,
        text,
        &notebook,
        settings,
        Launch::Jupyter,
        project,
    )
    .diagnostics)
}

/// Checks the JSON text of a Jupyter notebook as if it were the file `display_path`
/// (what `check_file` does for `.ipynb`, and what an editor holding the text calls).
/// Positions and byte ranges point into the JSON text; `cell` gives the notebook
/// view. An error says why the text is not a notebook (invalid JSON: where).
pub fn check_notebook_source(
    display_path: &str,
    text: &str,
    settings: &Settings,
) -> Result<Vec<Diagnostic>, String> {
    let notebook = notebook::parse_ipynb(text)?;
    check_source_limits(&notebook)?;
    Ok(check_notebook(display_path, text, &notebook, settings, Launch::Jupyter).diagnostics)
}

/// Checks each virtual source of a notebook (`spark` and `sc` predefined) and maps
/// every finding back to the notebook file `text`.
fn check_notebook(
    display_path: &str,
    text: &str,
    notebook: &Notebook,
    settings: &Settings,
    launch: Launch,
) -> Checked {
    check_notebook_in(
        display_path,
        text,
        notebook,
        settings,
        launch,
        &Arc::default(),
    )
}

/// As [`check_notebook`], with the project's index.
fn check_notebook_in(
    display_path: &str,
    text: &str,
    notebook: &Notebook,
    settings: &Settings,
    launch: Launch,
    project: &Arc<ProjectIndex>,
) -> Checked {
    let path = Path::new(display_path);
    let index = LineIndex::new(text);
    let mut diagnostics = Vec::new();
    let mut test_code = false;
    let mut spark_code = false;
    for source in &notebook.sources {
        // A message names places as the finding itself is shown: by cell and line in a
        // Jupyter notebook, by file line in a Databricks one.
        let place = |offset: usize| match launch {
            Launch::Jupyter => {
                let cell = source.map.cell_position(offset);
                format!("cell {}, line {}", cell.cell, cell.line)
            }
            _ => file_line(&index, source.map.file_offset(offset, false)),
        };
        let found = findings_in(
            source.language,
            &source.text,
            None,
            settings,
            path,
            launch,
            &place,
            project,
        );
        test_code |= found.test_code;
        spark_code |= found.spark_code;
        for mut finding in found.findings {
            let cell = source.map.cell_position(finding.range.start);
            let related_cells: Vec<_> = finding
                .related
                .iter()
                .map(|(range, _)| source.map.cell_position(range.start))
                .collect();
            finding.fix = finding.fix.and_then(|fix| source.map.map_fix(&fix));
            finding.range = source.map.file_range(finding.range);
            for (range, _) in &mut finding.related {
                *range = source.map.file_range(range.clone());
            }
            let mut diagnostic = to_diagnostic(finding, display_path, text, &index, settings);
            diagnostic.cell = Some(cell);
            for (related, cell) in diagnostic.related.iter_mut().zip(related_cells) {
                related.cell = Some(cell);
            }
            diagnostics.push(diagnostic);
        }
    }
    // `%sql` cells run their SQL as it is: broadcast hints there count too. A Jupyter
    // notebook whose code never shows Spark runs its SQL elsewhere (DuckDB, a
    // database).
    let rule = &rules::sql_broadcast_hint::SQL_BROADCAST_HINT;
    let sql_is_spark = spark_code || launch == Launch::Databricks;
    let silenced = !settings.check_tests && settings.is_test_path(path);
    if sql_is_spark && !silenced && settings.rule_enabled(rule, path) {
        let options = model_options(settings, launch);
        for cell in &notebook.sql_cells {
            for (range, message) in rules::sql_broadcast_hint::hint_findings(&cell.text, &options) {
                let position = cell.map.cell_position(range.start);
                let finding = Finding {
                    rule,
                    range: cell.map.file_range(range),
                    message,
                    help: None,
                    fix: None,
                    related: Vec::new(),
                };
                let mut diagnostic = to_diagnostic(finding, display_path, text, &index, settings);
                diagnostic.cell = Some(position);
                diagnostics.push(diagnostic);
            }
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Checked {
        diagnostics,
        test_code,
    }
}

/// The model's settings for one file.
fn model_options(settings: &Settings, launch: Launch) -> ModelOptions {
    model_options_in(settings, launch, &Arc::default(), "")
}

/// The model's settings for the file `file` of a project.
fn model_options_in(
    settings: &Settings,
    launch: Launch,
    project: &Arc<ProjectIndex>,
    file: &str,
) -> ModelOptions {
    ModelOptions {
        small_count: settings.take_threshold,
        launch,
        small_tables: std::sync::Arc::new(settings.small_tables.clone()),
        loop_threshold: settings.loop_threshold,
        low_cardinality: std::sync::Arc::new(settings.low_cardinality_columns.clone()),
        high_cardinality: std::sync::Arc::new(settings.high_cardinality_columns.clone()),
        project: project.clone(),
        file: file.into(),
    }
}

/// Runs the rules and the suppression pass; findings are in byte ranges of `text`.
pub fn findings(language: Language, text: &str, settings: &Settings, path: &Path) -> Vec<Finding> {
    let index = LineIndex::new(text);
    findings_with(language, text, settings, path, Launch::Script, &|offset| {
        file_line(&index, offset)
    })
    .findings
}

/// `line N` of the byte `offset` of `text`, as messages name a place.
/// (Through the file's line index: a file with thousands of findings asks this for
/// each.)
fn file_line(index: &LineIndex, offset: usize) -> String {
    format!("line {}", index.line_of(offset) + 1)
}

/// The findings of one text, and what the model learnt of it on the way.
#[derive(Debug, Default)]
pub struct Found {
    pub findings: Vec<Finding>,
    /// Test code was set apart: the whole file by its path, or regions by syntax.
    pub test_code: bool,
    /// The model judged the text Spark code.
    pub spark_code: bool,
}

/// As [`findings`], for code started as `launch`: in notebooks `spark` and `sc` are
/// predefined, so Spark rules run without imports. `place` says where an offset of
/// `text` is, as messages name it (`line 12`, `cell 3, line 2`).
pub fn findings_with(
    language: Language,
    text: &str,
    settings: &Settings,
    path: &Path,
    launch: Launch,
    place: &dyn Fn(usize) -> String,
) -> Found {
    findings_in(
        language,
        text,
        None,
        settings,
        path,
        launch,
        place,
        &Arc::default(),
    )
}

/// As [`findings_with`], with the file's tree when the first pass kept it, and the
/// project's index.
#[allow(clippy::too_many_arguments)]
fn findings_in(
    language: Language,
    text: &str,
    tree: Option<&tree_sitter::Tree>,
    settings: &Settings,
    path: &Path,
    launch: Launch,
    place: &dyn Fn(usize) -> String,
    project: &Arc<ProjectIndex>,
) -> Found {
    // Most files of a mixed repository never mention Spark, nor a suppression that
    // could be unused: nothing can be found in them, so they are not even parsed.
    if !launch.is_notebook() && !may_hold_findings(language, text) {
        return Found::default();
    }
    let parsed;
    let tree = match tree {
        Some(tree) => tree,
        None => {
            let Some(tree) = parse::parse(language, text) else {
                return Found::default();
            };
            parsed = tree;
            &parsed
        }
    };
    let options = model_options_in(settings, launch, project, &path.to_string_lossy());
    let model = SparkModel::build(language, text, tree, options);
    model_findings(&model, tree, language, text, settings, path, launch, place)
}

/// Runs the rules, the suppression pass and the test-code filter on a built model.
#[allow(clippy::too_many_arguments)]
fn model_findings(
    model: &SparkModel<'_>,
    tree: &tree_sitter::Tree,
    language: Language,
    text: &str,
    settings: &Settings,
    path: &Path,
    launch: Launch,
    place: &dyn Fn(usize) -> String,
) -> Found {
    let mut found = Vec::new();
    if model.is_spark_code() {
        let rule_query = parse::rule_query(language);
        let names = rule_query.capture_names();
        let skip = model.skippable();
        rule_query.each_match_among(model.query_roots(), tree.root_node(), text, skip, |m| {
            // A runaway file stops here; `guard::isolate` turns it into its error.
            if guard::exceeded() {
                return ControlFlow::Break(());
            }
            let rule = rule_query.pattern_rules[m.pattern_index];
            if !settings.rule_enabled(rule, path) {
                return ControlFlow::Continue(());
            }
            let Some(check) = rule.check.query() else {
                return ControlFlow::Continue(());
            };
            // What the parser could not read is never the sole reason for a finding.
            if m.captures
                .iter()
                .any(|c| model.in_syntax_error(&c.node.byte_range()))
            {
                return ControlFlow::Continue(());
            }
            // A field access that is a call's callee is reported through the call,
            // which the same queries match too.
            let violation = m
                .captures
                .iter()
                .find(|c| names[c.index as usize] == "violation");
            if violation.is_some_and(|c| model.is_callee(c.node)) {
                return ControlFlow::Continue(());
            }
            let candidate = Candidate {
                captures: m
                    .captures
                    .iter()
                    .map(|c| (names[c.index as usize].as_str(), c.node))
                    .collect(),
            };
            let mut checker = Checker {
                model,
                take_threshold: settings.take_threshold,
                repeated_actions: settings.repeated_actions,
                rule,
                findings: Vec::new(),
                place,
            };
            check(&mut checker, &candidate);
            found.extend(checker.findings);
            ControlFlow::Continue(())
        });
    }
    // What does not parse is not checked: say so, once per file.
    let syntax_error = &rules::syntax_error::SYNTAX_ERROR;
    if model.is_spark_code()
        && settings.rule_enabled(syntax_error, path)
        && let Some((range, message)) = rules::syntax_error::first_problem(model, text, tree)
    {
        found.push(Finding {
            rule: syntax_error,
            range,
            message,
            help: None,
            fix: None,
            related: Vec::new(),
        });
    }
    if model.is_spark_code() {
        let made = model.settings();
        found.extend(setting_findings(
            &made,
            Some(language),
            launch,
            settings,
            path,
            Some(text),
        ));
    }
    // One call can match a pattern twice (e.g. through alternations): keep one.
    found.sort_by(|a, b| (a.range.start, a.rule.code).cmp(&(b.range.start, b.rule.code)));
    found.dedup_by(|a, b| a.range == b.range && a.rule.code == b.rule.code);
    let mut found = suppress::apply(text, model.comments(), found, settings, path);
    // Test code runs on fixture data: the Spark rules are silent there. This comes
    // after the suppression pass, so a suppression written for such a finding still
    // counts as used; the meta rules (SG9xx) speak everywhere.
    let test_file = settings.is_test_path(path);
    let test_code = test_file || model.has_test_code();
    if test_code && !settings.check_tests {
        found.retain(|finding| {
            finding.rule.code.starts_with("SG9")
                || !(test_file || model.in_test_code(&finding.range))
        });
    }
    Found {
        findings: found,
        test_code,
        spark_code: model.is_spark_code(),
    }
}

fn to_diagnostic(
    finding: Finding,
    display_path: &str,
    text: &str,
    index: &LineIndex,
    settings: &Settings,
) -> Diagnostic {
    let rule = finding.rule;
    Diagnostic {
        code: rule.code,
        name: rule.name,
        severity: settings.severity_of(rule),
        path: display_path.to_string(),
        start: index.position(text, finding.range.start),
        end: index.position(text, finding.range.end),
        range: finding.range,
        message: finding.message,
        help: finding.help.unwrap_or_else(|| rule.help.to_string()),
        fix: finding.fix,
        cell: None,
        related: finding
            .related
            .into_iter()
            .map(|(range, message)| Related {
                start: index.position(text, range.start),
                end: index.position(text, range.end),
                range,
                message,
                cell: None,
            })
            .collect(),
    }
}
