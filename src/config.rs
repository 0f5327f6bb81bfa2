//! Finds and validates `sparkguard.toml`, `.sparkguard.toml` and `[tool.sparkguard]`
//! in `pyproject.toml`, and resolves them into the `Settings` one file is checked with.
//!
//! Each checked file gets the config of its nearest ancestor directory that holds
//! one (no merging between levels), unless `--config` forces a single file. Every key
//! is declared once in `KEYS` with the type its value must have and its docs (what
//! `sparkguard config` and `docs/configuration.md` show); a value that does not fit
//! is a `ConfigError` whose label points at the offending text in the file.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use toml_edit::{Document, Item, TableLike, Value};

use crate::diagnostic::Severity;
use crate::rules::{RULES, Rule, by_code};

/// The names a config file can have, most preferred first when one directory holds
/// several. `pyproject.toml` counts only when it has a `[tool.sparkguard]` table.
pub const CONFIG_FILE_NAMES: [&str; 3] = ["sparkguard.toml", ".sparkguard.toml", "pyproject.toml"];

const PYPROJECT: &str = "pyproject.toml";

/// The settings one file is checked with.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The directory of the config file these settings came from (globs are relative
    /// to it), or the current directory when there is none.
    pub root: PathBuf,
    /// The config file these settings were read from, if any.
    pub config_file: Option<PathBuf>,
    /// Codes or code prefixes (`SG1`, `SG101`) to run; empty means all.
    pub select: Vec<String>,
    /// Codes or code prefixes never to run.
    pub ignore: Vec<String>,
    /// Files and directories not to check when walking directories.
    pub exclude: PathGlobs,
    /// Codes or prefixes not to run on the files matching a glob.
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// Counts at or below this are small for `take(n)`, `head(n)`, `limit(n)`.
    pub take_threshold: i64,
    /// Severities that replace a rule's default one, by exact rule code.
    pub severity: HashMap<String, Severity>,
    /// Tables known to be small enough to broadcast or collect.
    pub small_tables: Vec<String>,
    /// Columns with few distinct values: a per-key result keyed by them is small.
    pub low_cardinality_columns: Vec<String>,
    /// Columns with many distinct values: a per-key result keyed by them is large.
    pub high_cardinality_columns: Vec<String>,
    /// The largest broadcast threshold that is acceptable, as written (`"1g"`).
    pub max_broadcast_threshold: String,
    /// Iterations of a loop from which plan growth inside it is stage-heavy.
    pub loop_threshold: i64,
    /// Actions on one uncached DataFrame from which they count as repeated.
    pub repeated_actions: i64,
    /// Files that are test code (config `test-paths`); `None` means the defaults,
    /// [`DEFAULT_TEST_PATHS`].
    pub test_paths: Option<PathGlobs>,
    /// Report the Spark rules in test code too (config `check-tests`, `--check-tests`).
    pub check_tests: bool,
    /// Where results are cached (config `cache-dir`, absolute); `None` means
    /// `.sparkguard_cache` at the project root.
    pub cache_dir: Option<PathBuf>,
    /// `--fix` and `--diff` apply unsafe fixes too (config `unsafe-fixes`,
    /// `--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// Codes or prefixes run on top of `select` (config `extend-select`, `--extend-select`).
    pub extend_select: Vec<String>,
    /// Run the rules marked preview along with the rest (config `preview`, `--preview`).
    pub preview: bool,
}

/// The selector that means every rule: `select = ["ALL"]`, `--select ALL`.
pub const ALL: &str = "ALL";

/// Where test code lives by the conventions of pytest, unittest, sbt and Maven: the
/// default of `test-paths`.
pub const DEFAULT_TEST_PATHS: &[&str] = &[
    "tests/",
    "test/",
    "testing/",
    "**/src/test/",
    "**/src/it/",
    "test_*.py",
    "*_test.py",
    "*_tests.py",
    "conftest.py",
    "*Test.scala",
    "*Tests.scala",
    "*Suite.scala",
    "*Spec.scala",
    "*IT.scala",
];

static DEFAULT_TEST_GLOBS: std::sync::LazyLock<PathGlobs> = std::sync::LazyLock::new(|| {
    let patterns: Vec<String> = DEFAULT_TEST_PATHS.iter().map(|p| p.to_string()).collect();
    PathGlobs::new(Path::new("."), &patterns).expect("the default test globs compile")
});

impl Default for Settings {
    fn default() -> Self {
        Settings {
            root: PathBuf::from("."),
            config_file: None,
            select: Vec::new(),
            ignore: Vec::new(),
            exclude: PathGlobs::default(),
            per_file_ignores: Vec::new(),
            take_threshold: 10_000,
            severity: HashMap::new(),
            small_tables: Vec::new(),
            low_cardinality_columns: Vec::new(),
            high_cardinality_columns: Vec::new(),
            max_broadcast_threshold: "1g".to_string(),
            loop_threshold: 10,
            repeated_actions: 2,
            test_paths: None,
            check_tests: false,
            cache_dir: None,
            unsafe_fixes: false,
            extend_select: Vec::new(),
            preview: false,
        }
    }
}

impl Settings {
    /// Whether `rule` runs on `path` (a path relative to the current directory, or
    /// absolute): selected, not ignored, and not ignored for that file by
    /// `per-file-ignores`.
    pub fn rule_enabled(&self, rule: &Rule, path: &Path) -> bool {
        if !self.rule_selected(rule) || matches_any(rule, &self.ignore) {
            return false;
        }
        if self.per_file_ignores.is_empty() {
            return true;
        }
        let relative = self.relative_path(path);
        !self
            .per_file_ignores
            .iter()
            .any(|entry| entry.applies_to(relative.as_deref()) && matches_any(rule, &entry.codes))
    }

    /// Whether `select` and `extend-select` pick `rule`, before `ignore`. A rule off
    /// by default, and a preview rule while preview is off, is picked only by its
    /// exact code; `ALL` picks every rule, preview rules only with preview on.
    pub fn rule_selected(&self, rule: &Rule) -> bool {
        let opt_in = !rule.enabled_by_default || (rule.preview && !self.preview);
        let gated = rule.preview && !self.preview;
        let picks = |selector: &String| {
            if selector == ALL {
                !gated
            } else if opt_in {
                selector == rule.code
            } else {
                rule.code.starts_with(selector.as_str())
            }
        };
        let by_select = if self.select.is_empty() {
            !opt_in
        } else {
            self.select.iter().any(picks)
        };
        by_select || self.extend_select.iter().any(picks)
    }

    pub fn severity_of(&self, rule: &Rule) -> Severity {
        self.severity
            .get(rule.code)
            .copied()
            .unwrap_or(rule.severity)
    }

    /// Whether `path` (relative to the current directory, or absolute) is test code
    /// by `test-paths`: the file or one of its directories below `root` matches. A
    /// file outside `root` is judged by its path as given.
    pub fn is_test_path(&self, path: &Path) -> bool {
        let globs = self.test_paths.as_ref().unwrap_or(&DEFAULT_TEST_GLOBS);
        if globs.is_empty() {
            return false;
        }
        let relative = self.relative_path(path).unwrap_or_else(|| {
            path.components()
                .filter(|c| matches!(c, std::path::Component::Normal(_)))
                .collect()
        });
        globs.matches_path_or_parents(&relative, false)
    }

    /// Whether `path` or one of its parent directories below `root` matches `exclude`.
    pub fn is_excluded(&self, path: &Path) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        match self.relative_path(path) {
            Some(relative) => self
                .exclude
                .matches_path_or_parents(&relative, path.is_dir()),
            None => false,
        }
    }

    /// Whether `path` itself (not its parents) matches `exclude`: what a directory
    /// walk asks of each entry, having pruned excluded directories already.
    pub fn excludes_entry(&self, path: &Path, is_dir: bool) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        match self.relative_path(path) {
            Some(relative) => self.exclude.matches(&relative, is_dir),
            None => false,
        }
    }

    /// `path` relative to `root`, or `None` when it lies outside it. Globs are
    /// matched against this.
    pub fn relative_path(&self, path: &Path) -> Option<PathBuf> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let path = absolutize(path, &cwd);
        let root = absolutize(&self.root, &cwd);
        if let Ok(relative) = path.strip_prefix(&root) {
            return Some(relative.to_path_buf());
        }
        // One of them may be spelled through a symbolic link.
        let path = path.canonicalize().ok()?;
        let root = root.canonicalize().ok()?;
        path.strip_prefix(&root).ok().map(Path::to_path_buf)
    }
}

fn matches_any(rule: &Rule, prefixes: &[String]) -> bool {
    prefixes
        .iter()
        .any(|prefix| prefix == ALL || rule.code.starts_with(prefix.as_str()))
}

/// Gitignore-style globs relative to a config's directory: a pattern without a `/`
/// (other than a trailing one) matches at any depth, a trailing `/` matches
/// directories only, `**` crosses directories and a leading `!` re-includes.
#[derive(Clone, Debug)]
pub struct PathGlobs {
    patterns: Vec<String>,
    matcher: Gitignore,
}

impl Default for PathGlobs {
    fn default() -> Self {
        PathGlobs {
            patterns: Vec::new(),
            matcher: Gitignore::empty(),
        }
    }
}

/// A glob that could not be compiled: its index among the patterns and why.
#[derive(Clone, Debug)]
pub struct GlobError {
    pub index: usize,
    pub message: String,
}

impl PathGlobs {
    pub fn new(root: &Path, patterns: &[String]) -> Result<PathGlobs, GlobError> {
        let mut builder = GitignoreBuilder::new(root);
        for (index, pattern) in patterns.iter().enumerate() {
            builder.add_line(None, pattern).map_err(|err| GlobError {
                index,
                message: glob_error_message(&err),
            })?;
        }
        let matcher = builder.build().map_err(|err| GlobError {
            index: 0,
            message: glob_error_message(&err),
        })?;
        Ok(PathGlobs {
            patterns: patterns.to_vec(),
            matcher,
        })
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `relative` itself matches (a later `!pattern` can re-include it).
    pub fn matches(&self, relative: &Path, is_dir: bool) -> bool {
        self.matcher.matched(relative, is_dir).is_ignore()
    }

    /// Whether `relative` or one of its parent directories matches. As in git, a
    /// path below a matching directory cannot be re-included.
    pub fn matches_path_or_parents(&self, relative: &Path, is_dir: bool) -> bool {
        let parents: Vec<&Path> = relative
            .ancestors()
            .skip(1)
            .filter(|parent| !parent.as_os_str().is_empty())
            .collect();
        parents
            .iter()
            .rev()
            .any(|parent| self.matches(parent, true))
            || self.matches(relative, is_dir)
    }
}

fn glob_error_message(err: &ignore::Error) -> String {
    // The crate's messages name a line of a gitignore file; keep the glob part.
    match err {
        ignore::Error::Glob { err, .. } => err.clone(),
        ignore::Error::WithLineNumber { err, .. } | ignore::Error::WithPath { err, .. } => {
            glob_error_message(err)
        }
        other => other.to_string(),
    }
}

/// One `per-file-ignores` entry. A pattern starting with `!` applies to the files
/// that do *not* match the rest of it.
#[derive(Clone, Debug)]
pub struct PerFileIgnore {
    pub pattern: String,
    pub codes: Vec<String>,
    negated: bool,
    globs: PathGlobs,
}

impl PerFileIgnore {
    pub fn new(root: &Path, pattern: &str, codes: Vec<String>) -> Result<PerFileIgnore, GlobError> {
        let (negated, glob) = match pattern.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, pattern),
        };
        Ok(PerFileIgnore {
            pattern: pattern.to_string(),
            codes,
            negated,
            globs: PathGlobs::new(root, &[glob.to_string()])?,
        })
    }

    /// Whether this entry applies to a file at `relative` (`None`: outside the
    /// config's directory, where no glob matches).
    pub fn applies_to(&self, relative: Option<&Path>) -> bool {
        let matched =
            relative.is_some_and(|relative| self.globs.matches_path_or_parents(relative, false));
        matched != self.negated
    }
}

// ---------------------------------------------------------------------------
// Errors

/// A config that could not be used: unreadable, not TOML, or a key or value that is
/// not allowed. When it comes from a file, it carries the file's text and a label
/// on the offending key or value.
#[derive(Clone, Debug)]
pub struct ConfigError(Box<ErrorDetails>);

#[derive(Clone, Debug)]
struct ErrorDetails {
    message: String,
    config_file: Option<PathBuf>,
    source_code: Option<NamedSource<Arc<str>>>,
    span: Option<Range<usize>>,
    label: Option<String>,
    help: Option<String>,
}

impl ConfigError {
    /// An error that points nowhere in a file (command-line values, I/O).
    pub fn new(message: impl Into<String>) -> ConfigError {
        ConfigError(Box::new(ErrorDetails {
            message: message.into(),
            config_file: None,
            source_code: None,
            span: None,
            label: None,
            help: None,
        }))
    }

    fn with_help(mut self, help: Option<String>) -> ConfigError {
        self.0.help = help;
        self
    }

    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The config file at fault, if the error comes from one.
    pub fn config_file(&self) -> Option<&Path> {
        self.0.config_file.as_deref()
    }

    /// The byte range of the offending text in the config file.
    pub fn span(&self) -> Option<Range<usize>> {
        self.0.span.clone()
    }

    /// The offending text itself.
    pub fn labelled_text(&self) -> Option<&str> {
        let source = self.0.source_code.as_ref()?;
        source.inner().get(self.0.span.clone()?)
    }

    pub fn label(&self) -> Option<&str> {
        self.0.label.as_deref()
    }

    pub fn help_text(&self) -> Option<&str> {
        self.0.help.as_deref()
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for ConfigError {}

impl Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("sparkguard::config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0
            .source_code
            .as_ref()
            .map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.0.span.clone()?;
        self.0.source_code.as_ref()?;
        let label = LabeledSpan::new_primary_with_span(self.0.label.clone(), span);
        Some(Box::new(std::iter::once(label)))
    }
}

// ---------------------------------------------------------------------------
// Known keys

/// What a key's value must be, and the `Settings` field it is stored in. Adding a
/// key is one entry in `KEYS` and one field in `Settings` (and its default in
/// `Settings::default()`); then `scripts/docs` regenerates `docs/configuration.md`.
enum Field {
    /// An array of rule codes or prefixes, each a prefix of a known code.
    Codes(fn(&mut Settings) -> &mut Vec<String>),
    /// An array of strings.
    Strings(fn(&mut Settings) -> &mut Vec<String>),
    /// A Spark size (`"50m"`, `"1g"`, `"10485760"`), kept as written.
    Size(fn(&mut Settings) -> &mut String),
    /// An integer greater than zero.
    PositiveInt(fn(&mut Settings) -> &mut i64),
    /// An array of globs relative to the config's directory.
    Globs(fn(&mut Settings) -> &mut PathGlobs),
    /// As `Globs`, for a setting whose absence means its defaults.
    OptionalGlobs(fn(&mut Settings) -> &mut Option<PathGlobs>),
    /// `true` or `false`.
    Bool(fn(&mut Settings) -> &mut bool),
    /// A table from a glob to an array of rule codes or prefixes.
    PerFileIgnores(fn(&mut Settings) -> &mut Vec<PerFileIgnore>),
    /// A table from an exact rule code to `"error"`, `"warning"` or `"info"`.
    Severities(fn(&mut Settings) -> &mut HashMap<String, Severity>),
    /// A directory, relative to the config's directory; `None` means the default.
    Dir(fn(&mut Settings) -> &mut Option<PathBuf>, &'static str),
}

/// One config key: what validation needs (`field`) and what its documentation says
/// (`sparkguard config`, `docs/configuration.md`). The default is not written here:
/// it is read from `Settings::default()`, so the docs cannot disagree with it.
struct Key {
    name: &'static str,
    field: Field,
    /// What the key does, in markdown: one or more sentences.
    doc: &'static str,
    /// A TOML line (or table) setting the key, as in `sparkguard.toml`. A test
    /// checks that it is valid.
    example: &'static str,
}

/// Every key a config may set, in the order the docs list them.
static KEYS: &[Key] = &[
    Key {
        name: "select",
        field: Field::Codes(|s| &mut s.select),
        doc: "The rules to run: codes (`SG101`) or code prefixes (`SG1` for every driver-collection \
              rule), or `ALL` for every rule. Empty, the default, runs every rule that is on by \
              default. `--select` on the command line replaces it.",
        example: r#"select = ["SG1", "SG9"]"#,
    },
    Key {
        name: "extend-select",
        field: Field::Codes(|s| &mut s.extend_select),
        doc: "Rules to run on top of `select` (or of the default rules when `select` is empty): \
              codes, prefixes or `ALL`. `--extend-select` on the command line adds to it.",
        example: r#"extend-select = ["SG105"]"#,
    },
    Key {
        name: "ignore",
        field: Field::Codes(|s| &mut s.ignore),
        doc: "Rules never to run, as codes or code prefixes; applied after `select`. \
              `--ignore` on the command line adds to it.",
        example: r#"ignore = ["SG104", "SG30"]"#,
    },
    Key {
        name: "exclude",
        field: Field::Globs(|s| &mut s.exclude),
        doc: "Files and directories never checked when walking directories: gitignore-style \
              globs relative to the config file's directory (a pattern without `/` matches at \
              any depth, a trailing `/` matches directories only, `!` re-includes). Files named \
              on the command line are checked anyway, unless `--force-exclude` is given.",
        example: r#"exclude = ["notebooks/scratch/", "build/", "*_generated.py"]"#,
    },
    Key {
        name: "per-file-ignores",
        field: Field::PerFileIgnores(|s| &mut s.per_file_ignores),
        doc: "Rules not to run on some files: a table from a glob (as in `exclude`; a leading \
              `!` means the files that do not match) to the codes or prefixes to ignore there.",
        example: "[per-file-ignores]\n\"tests/**\" = [\"SG101\", \"SG102\"]\n\"jobs/backfill_*.py\" = [\"SG3\"]",
    },
    Key {
        name: "take-threshold",
        field: Field::PositiveInt(|s| &mut s.take_threshold),
        doc: "The largest `n` that `take(n)`, `head(n)`, `tail(n)`, `takeOrdered(n, ...)`, \
              `top(n)` and `takeSample(_, n)` may bring to the driver before SG103 flags them; \
              also the largest `limit(n)` or `spark.range(n)` that makes data evidently small.",
        example: "take-threshold = 1000",
    },
    Key {
        name: "severity",
        field: Field::Severities(|s| &mut s.severity),
        doc: "Severities that replace a rule's default one: a table from an exact rule code to \
              `\"error\"`, `\"warning\"` or `\"info\"`. The severity labels a finding (and sets \
              the level of a GitHub annotation); every reported finding makes the exit code 1.",
        example: "[severity]\nSG103 = \"error\"\nSG303 = \"warning\"",
    },
    Key {
        name: "small-tables",
        field: Field::Strings(|s| &mut s.small_tables),
        doc: "Tables known to be small, by the name or path the code reads them with \
              (`spark.table(\"dim_country\")`, `FROM ref.currencies`, `/data/ref/*`); `*` \
              matches any run of characters and case is ignored. Their reads are evidently \
              small, so collecting or broadcasting them is not flagged, and SG203 accepts SQL \
              broadcast hints that name them.",
        example: r#"small-tables = ["dim_country", "ref.currencies"]"#,
    },
    Key {
        name: "low-cardinality-columns",
        field: Field::Strings(|s| &mut s.low_cardinality_columns),
        doc: "Columns with few distinct values, by name (case is ignored): a per-key result \
              keyed by them (`groupBy(k).agg(...)`, `select(k).distinct()`, `reduceByKey`) is \
              evidently small. Wins over what the name suggests.",
        example: r#"low-cardinality-columns = ["store_id", "plan"]"#,
    },
    Key {
        name: "high-cardinality-columns",
        field: Field::Strings(|s| &mut s.high_cardinality_columns),
        doc: "Columns with many distinct values, by name (case is ignored): a collect of a \
              per-key result keyed by them is SG101, whatever the name suggests.",
        example: r#"high-cardinality-columns = ["sku_group", "region"]"#,
    },
    Key {
        name: "max-broadcast-threshold",
        field: Field::Size(|s| &mut s.max_broadcast_threshold),
        doc: "The largest `spark.sql.autoBroadcastJoinThreshold` that SG204 accepts, as a Spark \
              size: a number of bytes, or a number with `k`, `m`, `g`, `t` or `p` (powers of \
              1024; `kb`, `mib` and the like work too).",
        example: r#"max-broadcast-threshold = "256m""#,
    },
    Key {
        name: "loop-threshold",
        field: Field::PositiveInt(|s| &mut s.loop_threshold),
        doc: "Loops over a literal collection (or `range(k)`) of at most this many items are \
              short enough that SG301 and SG302 do not flag the plan growth or the actions \
              inside them.",
        example: "loop-threshold = 5",
    },
    Key {
        name: "repeated-actions",
        field: Field::PositiveInt(|s| &mut s.repeated_actions),
        doc: "Which action on one uncached DataFrame SG303 flags: with the default 2, the second \
              action on a DataFrame whose lineage holds a join, an aggregation or a sort (a value \
              of 1 counts as 2).",
        example: "repeated-actions = 3",
    },
    Key {
        name: "test-paths",
        field: Field::OptionalGlobs(|s| &mut s.test_paths),
        doc: "Files that are test code, where the Spark rules (SG1xx to SG4xx) are silent \
              unless `check-tests` is set: gitignore-style globs relative to the config file's \
              directory, as in `exclude`. Setting it replaces the defaults; `[]` leaves only \
              test code recognised by its syntax (pytest and unittest tests, ScalaTest suites).",
        example: r#"test-paths = ["tests/", "it/", "*_check.py"]"#,
    },
    Key {
        name: "check-tests",
        field: Field::Bool(|s| &mut s.check_tests),
        doc: "Report the Spark rules in test code too, as everywhere else (`--check-tests` on \
              the command line does the same).",
        example: "check-tests = true",
    },
    Key {
        name: "cache-dir",
        field: Field::Dir(|s| &mut s.cache_dir, crate::cache::DEFAULT_DIR_NAME),
        doc: "Where `check` stores each file's results, so that a run over unchanged files \
              reads them back instead of parsing: a directory, relative to the config file's \
              directory. The default is `.sparkguard_cache` beside the config that governs \
              the current directory (without one, at the root of the git repository or in the \
              current directory). The `SPARKGUARD_CACHE_DIR` environment variable wins over \
              it, `--no-cache` turns the cache off, and `sparkguard clean` removes it. Only \
              the config that governs the current directory (or `--config`) sets it.",
        example: r#"cache-dir = "build/sparkguard-cache""#,
    },
    Key {
        name: "unsafe-fixes",
        field: Field::Bool(|s| &mut s.unsafe_fixes),
        doc: "Let `--fix` and `--diff` apply unsafe fixes too: rewrites that may change what \
              the code does or need a newer Spark (`--unsafe-fixes` on the command line does the \
              same). Without it, unsafe fixes are only counted in the summary.",
        example: "unsafe-fixes = true",
    },
    Key {
        name: "preview",
        field: Field::Bool(|s| &mut s.preview),
        doc: "Run the rules marked preview (new, and still allowed to change between releases) \
              along with the others; `--preview` on the command line does the same. Without it a \
              preview rule runs only when its exact code is selected.",
        example: "preview = true",
    },
];

/// The names of every key a config may set.
pub fn known_keys() -> impl Iterator<Item = &'static str> {
    KEYS.iter().map(|key| key.name)
}

/// A config key as its documentation shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyDoc {
    pub name: &'static str,
    /// What the value must be (`a positive integer`).
    pub value_type: &'static str,
    /// The default value, written as TOML (`10000`, `[]`, `"1g"`).
    pub default: String,
    /// What the key does, in markdown.
    pub doc: &'static str,
    /// A TOML snippet setting the key, as in `sparkguard.toml`.
    pub example: &'static str,
}

/// Every config key with its type, default, docs and example, in docs order.
pub fn key_docs() -> Vec<KeyDoc> {
    KEYS.iter()
        .map(|key| KeyDoc {
            name: key.name,
            value_type: key.field.expected(),
            default: key.field.default_toml(),
            doc: key.doc,
            example: key.example,
        })
        .collect()
}

/// One key's documentation, by exact name.
pub fn key_doc(name: &str) -> Option<KeyDoc> {
    key_docs().into_iter().find(|key| key.name == name)
}

/// The resolved settings as a config file would set them: every key, one per line,
/// in the order the docs list them (`check --show-settings`).
pub fn settings_toml(settings: &Settings) -> String {
    let mut copy = settings.clone();
    let mut out = String::new();
    for key in KEYS {
        out.push_str(&format!(
            "{} = {}\n",
            key.name,
            key.field.value_toml(&mut copy)
        ));
    }
    out
}

/// The key closest to a misspelt `name`, for a "did you mean" hint.
pub fn closest_key(name: &str) -> Option<&'static str> {
    closest(name, known_keys())
}

impl Field {
    fn expected(&self) -> &'static str {
        match self {
            Field::Codes(_) => "an array of rule codes or prefixes",
            Field::Strings(_) => "an array of strings",
            Field::Size(_) => "a size such as \"50m\" or \"1g\"",
            Field::PositiveInt(_) => "a positive integer",
            Field::Globs(_) | Field::OptionalGlobs(_) => "an array of glob patterns",
            Field::Bool(_) => "true or false",
            Field::PerFileIgnores(_) => "a table of glob patterns to arrays of rule codes",
            Field::Severities(_) => "a table of rule codes to severities",
            Field::Dir(..) => "a directory path",
        }
    }

    /// The default value, as TOML, read from `Settings::default()`.
    fn default_toml(&self) -> String {
        self.value_toml(&mut Settings::default())
    }

    /// The value in `defaults`, as TOML (patterns as written, relative to the
    /// config's directory).
    fn value_toml(&self, defaults: &mut Settings) -> String {
        let strings = |items: &[String]| {
            let quoted: Vec<String> = items.iter().map(|item| toml_string(item)).collect();
            format!("[{}]", quoted.join(", "))
        };
        match self {
            Field::Codes(field) | Field::Strings(field) => strings(field(defaults)),
            Field::Size(field) => toml_string(field(defaults)),
            Field::PositiveInt(field) => field(defaults).to_string(),
            Field::Globs(field) => strings(field(defaults).patterns()),
            Field::OptionalGlobs(field) => match field(defaults) {
                Some(globs) => strings(globs.patterns()),
                None => {
                    let patterns: Vec<String> =
                        DEFAULT_TEST_PATHS.iter().map(|p| p.to_string()).collect();
                    strings(&patterns)
                }
            },
            Field::Bool(field) => field(defaults).to_string(),
            Field::PerFileIgnores(field) => {
                let entries: Vec<String> = field(defaults)
                    .iter()
                    .map(|entry| {
                        format!(
                            "{} = {}",
                            toml_string(&entry.pattern),
                            strings(&entry.codes)
                        )
                    })
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
            Field::Severities(field) => {
                let mut entries: Vec<String> = field(defaults)
                    .iter()
                    .map(|(code, severity)| format!("{code} = {}", toml_string(severity.as_str())))
                    .collect();
                entries.sort();
                format!("{{{}}}", entries.join(", "))
            }
            Field::Dir(field, default) => match field(defaults) {
                Some(dir) => toml_string(&dir.to_string_lossy()),
                None => toml_string(default),
            },
        }
    }

    fn apply(
        &self,
        file: &ConfigFile<'_>,
        name: &str,
        item: &Item,
        settings: &mut Settings,
    ) -> Result<(), ConfigError> {
        let expected = self.expected();
        match self {
            Field::Codes(field) => {
                *field(settings) = file.codes(name, item, expected)?;
            }
            Field::Strings(field) => {
                let strings = file.strings(name, item, expected)?;
                *field(settings) = strings.into_iter().map(|(s, _)| s.to_string()).collect();
            }
            Field::Size(field) => {
                let text = item
                    .as_str()
                    .ok_or_else(|| file.wrong_type(name, item, expected))?;
                if crate::model::settings::parse_size(text).is_none_or(|n| n <= 0) {
                    return Err(file.error(
                        item.span(),
                        format!("`{name}` in {} must be {expected}", file.name),
                        format!("expected {expected}, found {text:?}"),
                    ));
                }
                *field(settings) = text.to_string();
            }
            Field::PositiveInt(field) => {
                let number = item
                    .as_integer()
                    .ok_or_else(|| file.wrong_type(name, item, expected))?;
                if number <= 0 {
                    return Err(file.error(
                        item.span(),
                        format!("`{name}` in {} must be {expected}", file.name),
                        format!("expected {expected}, found {number}"),
                    ));
                }
                *field(settings) = number;
            }
            Field::Globs(field) => {
                *field(settings) = file.globs(name, item, expected)?;
            }
            Field::OptionalGlobs(field) => {
                *field(settings) = Some(file.globs(name, item, expected)?);
            }
            Field::Bool(field) => {
                *field(settings) = item
                    .as_bool()
                    .ok_or_else(|| file.wrong_type(name, item, expected))?;
            }
            Field::PerFileIgnores(field) => {
                *field(settings) = file.per_file_ignores(name, item, expected)?;
            }
            Field::Severities(field) => {
                *field(settings) = file.severities(name, item, expected)?;
            }
            Field::Dir(field, _) => {
                let text = item
                    .as_str()
                    .ok_or_else(|| file.wrong_type(name, item, expected))?;
                if text.trim().is_empty() {
                    return Err(file.error(
                        item.span(),
                        format!("`{name}` in {} must be {expected}", file.name),
                        "expected a directory path, found an empty string".to_string(),
                    ));
                }
                *field(settings) = Some(file.root.join(text));
            }
        }
        Ok(())
    }
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    Value::from(text).to_string().trim().to_string()
}

fn rule_codes() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|rule| rule.code)
}

/// Whether `code` is a rule code or the prefix of one.
fn is_code_prefix(code: &str) -> bool {
    code == ALL || (!code.is_empty() && rule_codes().any(|known| known.starts_with(code)))
}

fn known_list<'a>(what: &str, items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(|item| format!("`{item}`")).collect();
    format!("{what}: {}", items.join(", "))
}

/// Why a code or prefix is not allowed, as help text.
fn code_help(code: &str) -> String {
    let upper = code.to_ascii_uppercase();
    if upper != code && is_code_prefix(&upper) {
        return format!("did you mean `{upper}`?");
    }
    match closest(code, rule_codes()) {
        Some(known) => format!("did you mean `{known}`?"),
        None => known_list("known rule codes", rule_codes()),
    }
}

/// Checks codes given on the command line (`--select`, `--ignore`).
fn check_cli_codes(flag: &str, codes: &[String]) -> Result<(), ConfigError> {
    match codes.iter().find(|code| !is_code_prefix(code)) {
        Some(code) => Err(ConfigError::new(format!(
            "unknown rule code or prefix `{code}` in {flag}"
        ))
        .with_help(Some(code_help(code)))),
        None => Ok(()),
    }
}

/// The known word closest to `word`, if one is close enough to be a likely typo.
fn closest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase().replace('_', "-");
    known
        .into_iter()
        .filter_map(|candidate| {
            let lower = candidate.to_ascii_lowercase();
            let distance = edit_distance(&word, &lower);
            let close = distance <= (lower.chars().count() / 3).max(1)
                || (word.len() >= 2 && lower.starts_with(&word));
            close.then_some((distance, candidate))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

// ---------------------------------------------------------------------------
// Reading a config file

/// A string from the file and where it is.
type Spanned<'a> = (&'a str, Option<Range<usize>>);

/// One config file being validated: its text and how to name it in messages.
struct ConfigFile<'a> {
    path: &'a Path,
    /// The path as messages show it: relative to the current directory when inside it.
    name: String,
    text: Arc<str>,
    /// The file's directory, which globs are relative to.
    root: &'a Path,
}

impl ConfigFile<'_> {
    fn error(&self, span: Option<Range<usize>>, message: String, label: String) -> ConfigError {
        // The TOML parser may point one past the end of a file cut short; the label
        // must stay inside the text it labels.
        let len = self.text.len();
        let span = span.map(|span| span.start.min(len)..span.end.min(len));
        ConfigError(Box::new(ErrorDetails {
            message,
            config_file: Some(self.path.to_path_buf()),
            source_code: Some(
                NamedSource::new(&self.name, self.text.clone()).with_language("toml"),
            ),
            span,
            label: Some(label),
            help: None,
        }))
    }

    fn wrong_type(&self, name: &str, item: &Item, expected: &str) -> ConfigError {
        self.error(
            item.span(),
            format!("`{name}` in {} must be {expected}", self.name),
            format!("expected {expected}, found {}", type_name(item)),
        )
    }

    /// The strings of an array, with their spans.
    fn strings<'i>(
        &self,
        name: &str,
        item: &'i Item,
        expected: &str,
    ) -> Result<Vec<Spanned<'i>>, ConfigError> {
        let array = item
            .as_array()
            .ok_or_else(|| self.wrong_type(name, item, expected))?;
        array
            .iter()
            .map(|value| match value.as_str() {
                Some(text) => Ok((text, value.span())),
                None => Err(self.error(
                    value.span(),
                    format!("`{name}` in {} must be {expected}", self.name),
                    format!("expected a string, found {}", value_type_name(value)),
                )),
            })
            .collect()
    }

    /// An array of rule codes or prefixes, each checked against the registry.
    fn globs(&self, name: &str, item: &Item, expected: &str) -> Result<PathGlobs, ConfigError> {
        let strings = self.strings(name, item, expected)?;
        let patterns: Vec<String> = strings.iter().map(|(s, _)| s.to_string()).collect();
        PathGlobs::new(self.root, &patterns).map_err(|err| {
            let (pattern, span) = &strings[err.index];
            self.error(
                span.clone(),
                format!("invalid glob `{pattern}` in {}", self.name),
                err.message,
            )
        })
    }

    fn codes(&self, name: &str, item: &Item, expected: &str) -> Result<Vec<String>, ConfigError> {
        let strings = self.strings(name, item, expected)?;
        for (code, span) in &strings {
            if !is_code_prefix(code) {
                return Err(self
                    .error(
                        span.clone(),
                        format!("unknown rule code or prefix `{code}` in {}", self.name),
                        "not a known rule code or prefix".to_string(),
                    )
                    .with_help(Some(code_help(code))));
            }
        }
        Ok(strings
            .into_iter()
            .map(|(code, _)| code.to_string())
            .collect())
    }

    fn per_file_ignores(
        &self,
        name: &str,
        item: &Item,
        expected: &str,
    ) -> Result<Vec<PerFileIgnore>, ConfigError> {
        let table = item
            .as_table_like()
            .ok_or_else(|| self.wrong_type(name, item, expected))?;
        let mut entries = Vec::new();
        for (pattern, codes) in table.iter() {
            let codes = self.codes(name, codes, "an array of rule codes or prefixes")?;
            let entry = PerFileIgnore::new(self.root, pattern, codes).map_err(|err| {
                self.error(
                    key_span(table, pattern),
                    format!("invalid glob `{pattern}` in {}", self.name),
                    err.message,
                )
            })?;
            entries.push(entry);
        }
        Ok(entries)
    }

    fn severities(
        &self,
        name: &str,
        item: &Item,
        expected: &str,
    ) -> Result<HashMap<String, Severity>, ConfigError> {
        let table = item
            .as_table_like()
            .ok_or_else(|| self.wrong_type(name, item, expected))?;
        let mut severities = HashMap::new();
        for (code, value) in table.iter() {
            if by_code(code).is_none() {
                let upper = code.to_ascii_uppercase();
                let help = if by_code(&upper).is_some() {
                    format!("did you mean `{upper}`?")
                } else if is_code_prefix(&upper) {
                    "a severity is set per rule: use a full rule code".to_string()
                } else {
                    code_help(code)
                };
                return Err(self
                    .error(
                        key_span(table, code),
                        format!("unknown rule code `{code}` in `{name}` of {}", self.name),
                        "not a known rule code".to_string(),
                    )
                    .with_help(Some(help)));
            }
            let expected = r#""error", "warning" or "info""#;
            let text = value
                .as_str()
                .ok_or_else(|| self.wrong_type(code, value, expected))?;
            let severity = Severity::parse(text).ok_or_else(|| {
                let help = closest(text, ["error", "warning", "info"])
                    .map(|known| format!("did you mean \"{known}\"?"));
                self.error(
                    value.span(),
                    format!("invalid severity `{text}` for `{code}` in {}", self.name),
                    format!("expected {expected}"),
                )
                .with_help(help)
            })?;
            severities.insert(code.to_string(), severity);
        }
        Ok(severities)
    }

    /// Validates the keys of `table` (the whole file, or `[tool.sparkguard]`).
    fn settings(&self, table: &dyn TableLike) -> Result<Settings, ConfigError> {
        let mut settings = Settings {
            root: self.root.to_path_buf(),
            config_file: Some(self.path.to_path_buf()),
            ..Settings::default()
        };
        for (name, item) in table.iter() {
            let Some(key) = KEYS.iter().find(|key| key.name == name) else {
                let span = key_span(table, name);
                let help = match closest(name, known_keys()) {
                    Some(known) => format!("did you mean `{known}`?"),
                    None => known_list("known keys", known_keys()),
                };
                return Err(self
                    .error(
                        span,
                        format!("unknown key `{name}` in {}", self.name),
                        "unknown key".to_string(),
                    )
                    .with_help(Some(help)));
            };
            key.field.apply(self, name, item, &mut settings)?;
        }
        Ok(settings)
    }
}

fn key_span(table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
    table.get_key_value(key).and_then(|(key, _)| key.span())
}

fn type_name(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(value) => value_type_name(value),
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
    }
}

fn value_type_name(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date-time",
        Value::Array(_) => "an array",
        Value::InlineTable(_) => "a table",
    }
}

/// Reads and validates one config file. `Ok(None)` for a `pyproject.toml` without
/// a `[tool.sparkguard]` table, which is not a sparkguard config.
fn load_config(path: &Path, cwd: &Path) -> Result<Option<Settings>, ConfigError> {
    let name = display_name(path, cwd);
    let text = std::fs::read_to_string(path)
        .map_err(|err| ConfigError::new(format!("cannot read config file {name}: {err}")))?;
    let root = path.parent().unwrap_or(Path::new("/"));
    let is_pyproject = path.file_name().is_some_and(|file| file == PYPROJECT);
    let file = ConfigFile {
        path,
        name,
        text: Arc::from(text),
        root,
    };
    let document = match Document::parse(&*file.text) {
        Ok(document) => document,
        // A broken pyproject.toml is someone else's problem unless it means to
        // configure sparkguard.
        Err(_) if is_pyproject && !file.text.contains("tool.sparkguard") => return Ok(None),
        Err(err) => {
            return Err(file.error(
                err.span(),
                format!(
                    "invalid TOML in {}: {}",
                    file.name,
                    first_line(err.message())
                ),
                first_line(err.message()).to_string(),
            ));
        }
    };
    if !is_pyproject {
        return file.settings(document.as_table()).map(Some);
    }
    let Some(tool) = document.get("tool").and_then(Item::as_table_like) else {
        return Ok(None);
    };
    let Some(item) = tool.get("sparkguard") else {
        return Ok(None);
    };
    match item.as_table_like() {
        Some(table) => file.settings(table).map(Some),
        None => Err(file.wrong_type("tool.sparkguard", item, "a table")),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text).trim()
}

/// How messages name a file: relative to `cwd` when inside it, with `/` separators.
fn display_name(path: &Path, cwd: &Path) -> String {
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    slash_path(shown)
}

/// A path as text with `/` separators.
pub(crate) fn slash_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// `path` made absolute against `base` with `.` and `..` removed, without touching
/// the file system (so paths that do not exist yet work too).
pub(crate) fn absolutize(path: &Path, base: &Path) -> PathBuf {
    let joined;
    let path = if path.is_absolute() {
        path
    } else {
        joined = base.join(path);
        &joined
    };
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Resolving the settings of each file

/// Command-line flags that change every config: `--select` replaces the config's
/// `select`, `--ignore` adds to its `ignore`.
#[derive(Clone, Debug, Default)]
pub struct CliOverrides {
    pub select: Option<Vec<String>>,
    /// `--extend-select`: added to the config's `extend-select`.
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    /// `--preview`: run the preview rules whatever the config says.
    pub preview: bool,
    /// `--check-tests`: report in test code whatever the config says.
    pub check_tests: bool,
    /// `--unsafe-fixes`: apply unsafe fixes whatever the config says.
    pub unsafe_fixes: bool,
}

impl CliOverrides {
    fn apply(&self, settings: &mut Settings) {
        if let Some(select) = &self.select {
            settings.select = select.clone();
        }
        settings
            .extend_select
            .extend(self.extend_select.iter().cloned());
        settings.ignore.extend(self.ignore.iter().cloned());
        settings.check_tests |= self.check_tests;
        settings.unsafe_fixes |= self.unsafe_fixes;
        settings.preview |= self.preview;
    }
}

type Resolved = Result<Arc<Settings>, ConfigError>;

/// Finds the config of each checked file, reading each directory's config once.
/// Cloning is cheap and clones share the cache.
#[derive(Clone)]
pub struct ConfigResolver {
    inner: Arc<Resolver>,
}

struct Resolver {
    cwd: PathBuf,
    overrides: CliOverrides,
    /// The settings of `--config`, used for every file.
    forced: Option<Arc<Settings>>,
    /// The settings of files with no config above them.
    fallback: Arc<Settings>,
    /// Directory (absolute) → the settings of the files directly inside it.
    by_dir: Mutex<HashMap<PathBuf, Resolved>>,
}

impl ConfigResolver {
    /// `forced` is the `--config` file, which then applies to every file.
    pub fn new(forced: Option<&Path>, overrides: CliOverrides) -> Result<Self, ConfigError> {
        let cwd = std::env::current_dir()
            .map_err(|err| ConfigError::new(format!("cannot read the current directory: {err}")))?;
        Self::in_dir(cwd, forced, overrides)
    }

    /// As [`ConfigResolver::new`], with `cwd` in place of the current directory: the
    /// root of the files no config covers (an editor's workspace folder).
    pub fn in_dir(
        cwd: PathBuf,
        forced: Option<&Path>,
        overrides: CliOverrides,
    ) -> Result<Self, ConfigError> {
        if let Some(select) = &overrides.select {
            check_cli_codes("--select", select)?;
        }
        check_cli_codes("--extend-select", &overrides.extend_select)?;
        check_cli_codes("--ignore", &overrides.ignore)?;
        let mut fallback = Settings {
            root: cwd.clone(),
            ..Settings::default()
        };
        overrides.apply(&mut fallback);
        let forced = match forced {
            None => None,
            Some(path) => {
                let path = absolutize(path, &cwd);
                // A pyproject.toml without the table configures nothing: the
                // defaults apply, with globs relative to its directory.
                let mut settings = load_config(&path, &cwd)?.unwrap_or_else(|| Settings {
                    root: path.parent().unwrap_or(Path::new("/")).to_path_buf(),
                    config_file: Some(path.clone()),
                    ..Settings::default()
                });
                overrides.apply(&mut settings);
                Some(Arc::new(settings))
            }
        };
        Ok(ConfigResolver {
            inner: Arc::new(Resolver {
                cwd,
                overrides,
                forced,
                fallback: Arc::new(fallback),
                by_dir: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// The directory relative paths are resolved against.
    pub fn cwd(&self) -> &Path {
        &self.inner.cwd
    }

    /// The settings for one file (path may be relative to cwd); nearest ancestor config wins.
    pub fn settings_for(&self, file: &Path) -> Result<Arc<Settings>, ConfigError> {
        let inner = &*self.inner;
        if let Some(forced) = &inner.forced {
            return Ok(forced.clone());
        }
        let file = absolutize(file, &inner.cwd);
        let mut visited = Vec::new();
        let mut dir = file.parent();
        let resolved = loop {
            let Some(current) = dir else {
                break Ok(inner.fallback.clone());
            };
            if let Some(hit) = inner.lock().get(current) {
                break hit.clone();
            }
            visited.push(current.to_path_buf());
            if let Some(found) = inner.config_in(current) {
                break found;
            }
            dir = current.parent();
        };
        // The lock is not held while reading files: two threads may read the same
        // config at once, and both get the same answer.
        let mut cache = inner.lock();
        for dir in visited {
            cache.insert(dir, resolved.clone());
        }
        resolved
    }
}

impl Resolver {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Resolved>> {
        // A panic elsewhere cannot leave the map half-written: keep using it.
        self.by_dir
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The settings of the config file in `dir`, if it holds one.
    fn config_in(&self, dir: &Path) -> Option<Resolved> {
        for name in CONFIG_FILE_NAMES {
            let path = dir.join(name);
            if !path.is_file() {
                continue;
            }
            match load_config(&path, &self.cwd) {
                Ok(Some(mut settings)) => {
                    self.overrides.apply(&mut settings);
                    return Some(Ok(Arc::new(settings)));
                }
                Ok(None) => {}
                Err(err) => return Some(Err(err)),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("take-treshold", "take-threshold"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_ignores_case_and_underscores() {
        assert_eq!(
            closest("take_threshold", known_keys()),
            Some("take-threshold")
        );
        assert_eq!(closest("Select", known_keys()), Some("select"));
        assert_eq!(
            closest("warn", ["error", "warning", "info"]),
            Some("warning")
        );
        assert_eq!(closest("colour", known_keys()), None);
    }

    #[test]
    fn absolutize_removes_dots() {
        let base = Path::new("/work/project");
        assert_eq!(
            absolutize(Path::new("./a/../b.py"), base),
            Path::new("/work/project/b.py")
        );
        assert_eq!(absolutize(Path::new("../x"), base), Path::new("/work/x"));
        assert_eq!(absolutize(Path::new("/abs/./y"), base), Path::new("/abs/y"));
    }

    #[test]
    fn globs_without_slash_match_at_any_depth() {
        let globs = PathGlobs::new(
            Path::new("/r"),
            &[
                "*.gen.py".to_string(),
                "generated/**".to_string(),
                "build/".to_string(),
            ],
        )
        .unwrap();
        assert!(globs.matches_path_or_parents(Path::new("a/b/x.gen.py"), false));
        assert!(globs.matches_path_or_parents(Path::new("generated/x.py"), false));
        assert!(!globs.matches_path_or_parents(Path::new("src/generated/x.py"), false));
        assert!(globs.matches_path_or_parents(Path::new("src/build/x.py"), false));
        assert!(!globs.matches_path_or_parents(Path::new("build"), false));
        assert!(!globs.matches_path_or_parents(Path::new("src/x.py"), false));
    }

    /// Validates `text` as the whole of a `sparkguard.toml`.
    fn validate(text: &str) -> Result<Settings, ConfigError> {
        let document = Document::parse(text).map_err(|err| ConfigError::new(err.to_string()))?;
        let file = ConfigFile {
            path: Path::new("/project/sparkguard.toml"),
            name: "sparkguard.toml".to_string(),
            text: Arc::from(text),
            root: Path::new("/project"),
        };
        file.settings(document.as_table())
    }

    #[test]
    fn every_key_example_is_valid_and_sets_its_key() {
        for key in KEYS {
            let document = Document::parse(key.example)
                .unwrap_or_else(|err| panic!("the example of `{}` is not TOML: {err}", key.name));
            assert_eq!(
                document.iter().map(|(name, _)| name).collect::<Vec<_>>(),
                [key.name],
                "the example of `{}` sets other keys",
                key.name
            );
            if let Err(err) = validate(key.example) {
                panic!("the example of `{}` is rejected: {err}", key.name);
            }
            assert!(!key.doc.trim().is_empty(), "`{}` has no doc", key.name);
        }
    }

    #[test]
    fn every_key_example_is_valid_in_pyproject_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(PYPROJECT);
        for key in KEYS {
            let text = crate::report::rule_docs::pyproject_example(key.example);
            std::fs::write(&path, &text).unwrap();
            let settings = load_config(&path, dir.path())
                .unwrap_or_else(|err| panic!("`{}` in pyproject.toml: {err}\n{text}", key.name));
            assert!(settings.is_some(), "no [tool.sparkguard] in:\n{text}");
        }
    }

    #[test]
    fn every_documented_default_is_a_valid_value_equal_to_the_default() {
        for key in KEYS {
            let text = format!("{} = {}", key.name, key.field.default_toml());
            let settings = validate(&text)
                .unwrap_or_else(|err| panic!("the default of `{}` is rejected: {err}", key.name));
            // Read back through the same field, it is the value Settings::default() has.
            let mut read = settings;
            assert_eq!(
                value_of(&key.field, &mut read),
                value_of(&key.field, &mut Settings::default()),
                "`{}`",
                key.name
            );
        }
    }

    /// A field's value in `settings`, in a form tests can compare.
    fn value_of(field: &Field, settings: &mut Settings) -> String {
        match field {
            Field::Codes(field) | Field::Strings(field) => format!("{:?}", field(settings)),
            Field::Size(field) => field(settings).clone(),
            Field::PositiveInt(field) => field(settings).to_string(),
            Field::Globs(field) => format!("{:?}", field(settings).patterns()),
            Field::OptionalGlobs(field) => match field(settings) {
                Some(globs) => format!("{:?}", globs.patterns()),
                None => format!("{DEFAULT_TEST_PATHS:?}"),
            },
            Field::Bool(field) => field(settings).to_string(),
            Field::PerFileIgnores(field) => {
                let entries: Vec<_> = field(settings)
                    .iter()
                    .map(|entry| (entry.pattern.clone(), entry.codes.clone()))
                    .collect();
                format!("{entries:?}")
            }
            Field::Severities(field) => {
                let mut entries: Vec<_> = field(settings).iter().collect();
                entries.sort();
                format!("{entries:?}")
            }
            // Relative to the config's directory (`validate`'s is `/project`), which
            // is where the default lies too.
            Field::Dir(field, default) => match field(settings) {
                Some(dir) => dir
                    .strip_prefix("/project")
                    .unwrap_or(dir)
                    .to_string_lossy()
                    .into_owned(),
                None => default.to_string(),
            },
        }
    }

    #[test]
    fn every_key_has_a_distinct_name() {
        let mut names: Vec<&str> = known_keys().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KEYS.len());
    }
}
