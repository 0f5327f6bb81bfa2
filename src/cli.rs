//! The command line: subcommands, their flags (each documented where it is declared),
//! and the exit code contract — 0 clean, 1 findings, 2 a file, path, usage or config
//! error. This module wires the stages together and decides what goes to which
//! stream: findings to stdout; errors and the summary line to stderr.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;

use crate::baseline::{self, Baseline};
use crate::cache::{self, Cache};
use crate::changed::ChangedLines;
use crate::config::{self, CliOverrides, ConfigError, ConfigResolver, Settings};
use crate::diagnostic::Diagnostic;
use crate::discover::{InputFile, discover};
use crate::engine::{self, FileError, FileReport};
use crate::fix::{self, FileFix};
use crate::guard;
use crate::lang::Language;
use crate::model::index::ProjectIndex;
use crate::parse;
use crate::project;
use crate::report::artifact::ProjectRoot;
use crate::report::fingerprint::{self, Fingerprint};
use crate::report::rule_docs::{self, DocsFormat};
use crate::report::{self, Checked, OutputFormat, RenderOptions, Sources, statistics};
use crate::rules::{self, RULES, Rule};
use crate::stdin::{self, StdinSource};
use crate::{add_noqa, show, watch};

const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

/// Finds Spark code that will exhaust the driver's memory or make a job stage-heavy.
#[derive(Debug, Parser)]
#[command(name = "sparkguard", version, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Never color the output (setting the NO_COLOR environment variable does the same)
    #[arg(long, global = true)]
    no_color: bool,

    /// When to color the output: auto (a terminal; never with NO_COLOR, anywhere with
    /// FORCE_COLOR), always or never (these two win over both variables)
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    color: Option<ColorChoice>,
}

/// `--color`: when output may be colored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set; anywhere when `FORCE_COLOR` is
    Auto,
    /// Always, even into a pipe or a file
    Always,
    /// Never
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check Python and Scala files, and the directories holding them
    #[command(after_help = CHECK_EXAMPLES)]
    Check(Box<CheckArgs>),
    /// Print one rule's documentation, or every rule's with --all
    Rule(RuleArgs),
    /// List every rule: code, name and the one-line remedy
    Rules(RulesArgs),
    /// Describe the config keys: every key, or one key's type, default and example
    Config(ConfigArgs),
    /// Run the language server for editors (LSP over stdin and stdout)
    Server,
    /// Remove the results cache that `check` keeps (.sparkguard_cache by default)
    Clean(CleanArgs),
    /// Print the version (the same as `sparkguard --version`)
    Version,
    /// Only read and parse the files (the baseline the benchmarks compare against)
    #[command(hide = true)]
    ParseOnly(ParseOnlyArgs),
}

#[derive(Debug, Args)]
struct CleanArgs {
    /// Use this config file's `cache-dir` instead of the nearest config's
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ParseOnlyArgs {
    #[arg(value_name = "PATHS", default_value = ".")]
    paths: Vec<PathBuf>,

    /// Also visit every node of each tree once, in order, with a tree cursor: the
    /// floor under any check that reads the whole tree
    #[arg(long)]
    walk: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files and directories to check; directories are walked, honouring .gitignore
    /// and the configured excludes; `-` reads one file from standard input
    #[arg(value_name = "PATHS", default_value = ".")]
    paths: Vec<PathBuf>,

    /// Read the file to check from standard input and check it as PATH: its name
    /// decides the language, the config, test-paths and the path findings show
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with_all = ["fix", "diff", "watch", "add_noqa", "write_baseline"]
    )]
    stdin_filename: Option<PathBuf>,

    /// Check again whenever a checked file or a config changes, until interrupted
    #[arg(long, short, conflicts_with_all = ["fix", "diff", "add_noqa", "write_baseline"])]
    watch: bool,

    /// Write the findings to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    output_file: Option<PathBuf>,

    /// How findings are printed
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    output_format: OutputFormat,

    /// Run only these rules: comma-separated codes or code prefixes (SG101,SG3), or
    /// ALL; replaces the configured `select`
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    select: Option<Vec<String>>,

    /// Run these rules too, on top of `select`: comma-separated codes, prefixes or
    /// ALL; added to the configured `extend-select`
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    extend_select: Vec<String>,

    /// Run the rules marked preview (new, still allowed to change) with the others;
    /// the same as `preview = true` in the config
    #[arg(long)]
    preview: bool,

    /// Never run these rules: comma-separated codes or code prefixes; added to the
    /// configured `ignore`
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    ignore: Vec<String>,

    /// Use this config file for every checked file instead of looking for the
    /// nearest sparkguard.toml, .sparkguard.toml or pyproject.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Apply the configured excludes to files named on the command line too (what a
    /// pre-commit hook wants, since it passes every changed file)
    #[arg(long)]
    force_exclude: bool,

    /// Print how many findings each rule produced instead of the findings
    #[arg(long)]
    statistics: bool,

    /// Exit 0 even when there are findings (errors still exit 2)
    #[arg(long)]
    exit_zero: bool,

    /// Apply the safe fixes (and the unsafe ones with --unsafe-fixes) and write the
    /// files back, then report the findings that are left; the exit code reflects
    /// those alone. A fix that would leave a syntax error is not applied
    #[arg(long)]
    fix: bool,

    /// Let --fix, --fix-only and --diff apply unsafe fixes too: rewrites that may change
    /// what the code does or need a newer Spark (config `unsafe-fixes`)
    #[arg(long)]
    unsafe_fixes: bool,

    /// As --fix, but report nothing else: no remaining findings, exit 0 unless a file
    /// could not be checked or written
    #[arg(long, conflicts_with = "diff")]
    fix_only: bool,

    /// With --fix or --fix-only, exit 1 when something was fixed, even when no
    /// finding remains
    #[arg(long, conflicts_with = "exit_zero")]
    exit_non_zero_on_fix: bool,

    /// After the output, list per file the fixes applied (with --fix, --fix-only or
    /// --diff) or available (without), each rule with its count, on stderr
    #[arg(long)]
    show_fixes: bool,

    /// Print what `--fix` would change as a unified diff, write nothing, and exit 1
    /// when there is something to change (findings are not printed)
    #[arg(long)]
    diff: bool,

    /// Print findings and errors only, without the summary line
    #[arg(long, short)]
    quiet: bool,

    /// Report only the findings that are not in this baseline file (written by
    /// `--write-baseline`). Findings match by rule, file and the text of the flagged
    /// line, so lines inserted or deleted above a finding do not bring it back
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Record the current findings in FILE as the baseline for `--baseline`, print
    /// nothing else, and exit 0 (2 if a file could not be checked). The file is
    /// sorted JSON; re-writing it without new or fixed findings gives the same bytes
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["baseline", "changed_since", "fix", "fix_only", "diff", "statistics"]
    )]
    write_baseline: Option<PathBuf>,

    /// Report only the findings on lines added or changed since the git revision
    /// REV: committed, staged or not; untracked files count as all new. Runs the git
    /// found on PATH in the current directory
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,

    /// Report the Spark rules in test code too (files matching `test-paths`, test
    /// functions, fixtures, suites and assertion helpers), which are silent there by
    /// default; the same as `check-tests = true` in the config
    #[arg(long)]
    check_tests: bool,

    /// Neither read nor write the results cache (.sparkguard_cache, or `cache-dir`)
    #[arg(long)]
    no_cache: bool,

    /// Print the settings the first file is checked with (its config file, the
    /// rules that run, every key resolved) and exit
    #[arg(long, conflicts_with_all = ["show_files", "add_noqa", "watch"])]
    show_settings: bool,

    /// Print the files that would be checked, one per line, and exit
    #[arg(long, conflicts_with_all = ["add_noqa", "watch"])]
    show_files: bool,

    /// Add a `noqa` suppression for every current finding to the source (merged with
    /// one already on the line), then exit 0; for adopting sparkguard on old code
    #[arg(long, conflicts_with_all = ["fix", "diff", "write_baseline", "statistics"])]
    add_noqa: bool,
}

/// Shown under `sparkguard check --help`.
const CHECK_EXAMPLES: &str = "\
Examples:
  # the current directory; some files and directories
  sparkguard check
  sparkguard check jobs/ etl/daily.py
  # only the driver-collection rules (SG1xx), without SG104
  sparkguard check --select SG1 --ignore SG104 jobs/
  # annotations on a GitHub pull request
  sparkguard check --output-format github .
  # what --fix would change, writing nothing
  sparkguard check --diff jobs/
  # apply the safe fixes, then the unsafe ones too, listing what was fixed
  sparkguard check --fix --show-fixes jobs/
  sparkguard check --fix --unsafe-fixes jobs/
  # fix in a pre-commit hook: report nothing else, fail when a file changed
  sparkguard check --fix-only --exit-non-zero-on-fix jobs/
  # an editor's unsaved buffer, checked as the file it will be saved as
  sparkguard check --stdin-filename jobs/daily.py -
  # every rule, preview rules too, the findings into a file
  sparkguard check --select ALL --preview --output-format json -o findings.json
  # re-check on every change
  sparkguard check --watch jobs/
  # suppress every current finding, to hold the line from here on
  sparkguard check --add-noqa jobs/

Exit codes: 0 no findings, 1 findings, 2 an error (a bad argument, an invalid
config, a file that cannot be read).";

#[derive(Debug, Args)]
struct RuleArgs {
    /// The rule's code (SG101) or name (collect-to-driver)
    #[arg(value_name = "RULE", required_unless_present = "all")]
    rule: Option<String>,

    /// Print every rule's documentation, in code order
    #[arg(long, conflicts_with = "rule")]
    all: bool,

    /// How the documentation is printed
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    output_format: DocsFormat,
}

#[derive(Debug, Args)]
struct RulesArgs {
    /// How the list is printed
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    output_format: DocsFormat,
}

#[derive(Debug, Args)]
struct ConfigArgs {
    /// One key to describe (take-threshold); without it, every key
    #[arg(value_name = "KEY")]
    key: Option<String>,

    /// How the description is printed
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    output_format: DocsFormat,
}

/// Parses the arguments, runs the command and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout and exit 0; usage errors exit 2.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(EXIT_ERROR));
        }
    };
    let choice = match (cli.color, cli.no_color) {
        (Some(choice), _) => choice,
        (None, true) => ColorChoice::Never,
        (None, false) => ColorChoice::Auto,
    };
    let colors = Colors::detect(choice);
    let code = match cli.command {
        Command::Check(args) => run_check(&args, colors),
        Command::Rule(args) => run_rule(&args, colors),
        Command::Rules(args) => finish_output(rule_docs::render_rules(
            RULES,
            args.output_format,
            &mut io::stdout().lock(),
        )),
        Command::Config(args) => run_config(&args, colors),
        Command::ParseOnly(args) => run_parse_only(&args),
        Command::Clean(args) => run_clean(&args, colors),
        Command::Server => crate::lsp::run_stdio(),
        Command::Version => finish_output(writeln!(
            io::stdout().lock(),
            "sparkguard {}",
            crate::VERSION
        )),
    };
    ExitCode::from(code)
}

/// Whether each stream may be colored. `--color always|never` decides alone;
/// otherwise (`auto`) a non-empty `NO_COLOR` turns color off, a non-empty
/// `FORCE_COLOR` (other than `0`) turns it on, and else only a terminal is colored.
/// `--no-color` is `--color never`.
#[derive(Clone, Copy, Debug)]
struct Colors {
    stdout: bool,
    stderr: bool,
}

impl Colors {
    fn detect(choice: ColorChoice) -> Self {
        let set = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
        let forced = match choice {
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
            ColorChoice::Auto if set("NO_COLOR").is_some() => Some(false),
            ColorChoice::Auto => set("FORCE_COLOR").map(|value| value != "0"),
        };
        Colors {
            stdout: forced.unwrap_or_else(|| io::stdout().is_terminal()),
            stderr: forced.unwrap_or_else(|| io::stderr().is_terminal()),
        }
    }
}

/// Anything that kept a path from being checked, printed as `error: <path>: <message>`.
#[derive(Debug)]
struct PathError {
    display_path: String,
    message: String,
}

/// The result of checking one discovered file.
enum Outcome {
    /// Checked, with whether unsafe fixes are applicable to the file's findings,
    /// and where its text is when the report does not hold it.
    Checked(FileReport, bool, Option<project::Reread>),
    /// Checked with `--fix` or `--diff`.
    Fixed(Box<FileFix>),
    Failed(PathError),
    Config(ConfigError),
}

/// Discovers, reads and parses the files in parallel as `check` does, and stops
/// there: the time of this is the floor under the time of `check`.
fn run_parse_only(args: &ParseOnlyArgs) -> u8 {
    let resolver = match ConfigResolver::new(None, CliOverrides::default()) {
        Ok(resolver) => resolver,
        Err(err) => {
            eprintln!("error: {err}");
            return EXIT_ERROR;
        }
    };
    let (inputs, _) = discover(&args.paths, &resolver, false);
    let (parsed, nodes) = inputs
        .par_iter()
        .map(|input| match engine::parse_file(&input.path) {
            Ok(tree) if args.walk => (1, count_nodes(&tree)),
            Ok(_) => (1, 0),
            Err(_) => (0, 0),
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    if args.walk {
        println!("parsed {parsed} of {} files, {nodes} nodes", inputs.len());
    } else {
        println!("parsed {parsed} of {} files", inputs.len());
    }
    0
}

/// Every node of `tree`, visited once in order by the walk the models make
/// ([`walk`](crate::model::scope::walk)), recording nothing.
fn count_nodes(tree: &tree_sitter::Tree) -> usize {
    let mut nodes = 0;
    crate::model::scope::walk(tree.root_node(), &[], &mut Vec::new(), |_, _| {
        nodes += 1;
        None
    });
    nodes
}

fn run_check(args: &CheckArgs, colors: Colors) -> u8 {
    let reads_stdin = match stdin::wanted(&args.paths, args.stdin_filename.as_deref()) {
        Ok(wanted) => wanted,
        Err(message) => {
            print_error(colors, &message);
            return EXIT_ERROR;
        }
    };
    let source = if reads_stdin {
        // What only files on disk can do.
        let refused = [
            (args.fix, "--fix"),
            (args.fix_only, "--fix-only"),
            (args.diff, "--diff"),
            (args.watch, "--watch"),
            (args.add_noqa, "--add-noqa"),
            (args.write_baseline.is_some(), "--write-baseline"),
        ];
        if let Some((_, flag)) = refused.iter().find(|(given, _)| *given) {
            print_error(
                colors,
                &format!("{flag} works on files; it cannot be used with standard input"),
            );
            return EXIT_ERROR;
        }
        match stdin::read(args.stdin_filename.as_deref()) {
            Ok(source) => Some(source),
            Err(message) => {
                print_error(colors, &message);
                return EXIT_ERROR;
            }
        }
    } else {
        None
    };
    if args.watch {
        return watch::run(&args.paths, || check_once(args, colors, None));
    }
    check_once(args, colors, source.as_ref())
}

/// The files a run checks: those found under the paths, or the one read from
/// standard input (none when `--force-exclude` excludes its name).
fn inputs_of(
    args: &CheckArgs,
    resolver: &ConfigResolver,
    source: Option<&StdinSource>,
) -> (Vec<InputFile>, Vec<crate::discover::DiscoverError>) {
    let Some(source) = source else {
        return discover(&args.paths, resolver, args.force_exclude);
    };
    let excluded = args.force_exclude
        && resolver
            .settings_for(&source.path)
            .is_ok_and(|settings| settings.is_excluded(&source.path));
    let inputs = if excluded {
        Vec::new()
    } else {
        vec![InputFile {
            path: source.path.clone(),
            display_path: source.display_path.clone(),
        }]
    };
    (inputs, Vec::new())
}

/// One run of `check` (each change under `--watch` makes another).
fn check_once(args: &CheckArgs, colors: Colors, source: Option<&StdinSource>) -> u8 {
    let overrides = CliOverrides {
        select: args.select.as_deref().map(clean_selectors),
        extend_select: clean_selectors(&args.extend_select),
        ignore: clean_selectors(&args.ignore),
        check_tests: args.check_tests,
        unsafe_fixes: args.unsafe_fixes,
        preview: args.preview,
    };
    // Unknown codes are refused by the resolver, as config errors.
    let resolver = match ConfigResolver::new(args.config.as_deref(), overrides) {
        Ok(resolver) => resolver,
        Err(err) => {
            print_config_error(&err, colors);
            return EXIT_ERROR;
        }
    };

    // A bad baseline or revision fails before any file is checked.
    let review = match ReviewFilter::new(args) {
        Ok(review) => review,
        Err(message) => {
            print_error(colors, &message);
            return EXIT_ERROR;
        }
    };

    let (inputs, discover_errors) = inputs_of(args, &resolver, source);
    if args.show_files {
        return show::files(&inputs, &discover_errors, colors.stderr);
    }
    if args.show_settings {
        return show::settings(&inputs, &discover_errors, &resolver, colors.stderr);
    }
    let time_budget = guard::budget();
    // Compiling the rule queries is the run's, not the first file's: keep it out of
    // the per-file budgets (only for the languages there are files of).
    let needs = |language: Language| {
        inputs
            .iter()
            .any(|input| match engine::FileKind::of(&input.path) {
                Some(engine::FileKind::Source(of)) => of == language,
                Some(engine::FileKind::Jupyter) => true,
                _ => false,
            })
    };
    rayon::join(
        || needs(Language::Python).then(|| parse::rule_query(Language::Python)),
        || needs(Language::Scala).then(|| parse::rule_query(Language::Scala)),
    );
    // Only people read progress: a terminal, and a human output format.
    let human = matches!(
        args.output_format,
        OutputFormat::Full | OutputFormat::Concise | OutputFormat::Grouped
    );
    let progress = Progress::start(
        inputs.len(),
        human && !args.quiet && !args.diff && io::stderr().is_terminal(),
    );
    // `--diff` wins over `--fix`: it never writes.
    let fixing = args.fix || args.fix_only || args.diff;
    // First pass: each file's facts and its findings against an empty index, from
    // the cache or from one parse (see `project`).
    let started = std::time::Instant::now();
    // Text from standard input is not the file on disk: it is never cached.
    let cache = (!args.no_cache && !fixing && source.is_none()).then(|| run_cache(&resolver));
    let cache = cache.as_ref();
    // Big files go through lanes of their own (see `project::map_in_lanes`): few
    // of their trees are held at once. Text from standard input is one file.
    let sizes: Vec<u64> = inputs
        .par_iter()
        .map(|input| match source {
            Some(source) => source.text.len() as u64,
            None => std::fs::metadata(&input.path).map_or(0, |meta| meta.len()),
        })
        .collect();
    let mut prepared: Vec<Result<(Arc<Settings>, project::Pending), Outcome>> =
        project::map_in_lanes(
            inputs.iter().zip(sizes).collect(),
            |(_, bytes)| *bytes >= project::BIG_FILE_BYTES,
            |(input, _)| {
                // One file's panic or runaway analysis is its own error; the run
                // goes on.
                guard::isolate(time_budget, || {
                    prepare_input(&resolver, input, source, cache)
                })
                .unwrap_or_else(|failure| {
                    Err(Outcome::Failed(PathError {
                        display_path: input.display_path.clone(),
                        message: failure.message(),
                    }))
                })
            },
        );
    // The project index joins what every file tells the others.
    let waiting: Vec<_> = prepared
        .iter_mut()
        .filter_map(|p| match p {
            Ok((_, pending)) => pending.facts.take(),
            Err(_) => None,
        })
        .collect();
    // Built on a thread of the pool that parsed the files: the index then takes the
    // memory their trees gave back there, not new memory on this thread.
    let (project, ()) = rayon::join(|| Arc::new(ProjectIndex::for_one_run(waiting)), || ());
    let indexed = std::time::Instant::now();
    // Second pass: the files whose lookups the index answers otherwise are checked
    // again, with it.
    let routes: [AtomicUsize; 3] = Default::default();
    let big = |p: &Result<(Arc<Settings>, project::Pending), Outcome>| {
        p.as_ref()
            .is_ok_and(|(_, pending)| pending.bytes as u64 >= project::BIG_FILE_BYTES)
    };
    let mut outcomes: Vec<Outcome> = project::map_in_lanes(prepared, big, |p| match p {
        Err(outcome) => {
            progress.done_one();
            outcome
        }
        Ok((settings, pending)) => {
            let display_path = pending.display_path.clone();
            let outcome = guard::isolate(time_budget, || {
                if fixing {
                    return fix_prepared(
                        args,
                        &pending.path,
                        &pending.display_path,
                        &settings,
                        &project,
                    );
                }
                match project::second_pass(pending, &settings, &project, cache) {
                    Ok((report, route, reread)) => {
                        routes[route as usize].fetch_add(1, Ordering::Relaxed);
                        Outcome::Checked(report, settings.unsafe_fixes, reread)
                    }
                    Err(err) => Outcome::Failed(PathError {
                        display_path: err.display_path,
                        message: err.message,
                    }),
                }
            })
            .unwrap_or_else(|failure| {
                Outcome::Failed(PathError {
                    display_path,
                    message: failure.message(),
                })
            });
            progress.done_one();
            outcome
        }
    });
    progress.finish();
    // `SPARKGUARD_TIMINGS=1`: how long each pass took, for benchmarks.
    if std::env::var_os("SPARKGUARD_TIMINGS").is_some_and(|v| v == "1") {
        let checked = started.elapsed().as_secs_f64();
        eprintln!(
            "timings: first pass (read, parse, facts) and index {:.3} s, second pass (model, rules) {:.3} s, {:.0} % in the first",
            (indexed - started).as_secs_f64(),
            checked - (indexed - started).as_secs_f64(),
            100.0 * (indexed - started).as_secs_f64() / checked.max(1e-9)
        );
        let [cached, once, again] = routes.map(AtomicUsize::into_inner);
        eprintln!(
            "timings: {cached} files from the cache, {once} checked once, {again} checked again with the index"
        );
    }
    if let Some(message) = cache.and_then(Cache::write_error) {
        print_warning(colors, &message);
    }
    // The findings are rendered with their files' texts, read again now that the
    // project index is gone: the run never holds the texts and the index at once.
    // The renderers read each file's text when they come to it (see `Sources`);
    // `--add-noqa` edits the texts, so it holds them all.
    drop(project);
    let hold_texts = args.add_noqa;
    let changed: Vec<String> = outcomes
        .par_iter_mut()
        .filter_map(|outcome| match outcome {
            Outcome::Checked(report, _, Some(reread)) if hold_texts => match reread.load() {
                Some(text) => {
                    report.text = text;
                    None
                }
                None => Some(report.display_path.clone()),
            },
            Outcome::Checked(report, _, Some(reread)) => {
                (!reread.holds()).then(|| report.display_path.clone())
            }
            _ => None,
        })
        .collect();
    for display_path in &changed {
        print_warning(
            colors,
            &format!(
                "{display_path}: the file changed while it was checked; its findings are shown without its source"
            ),
        );
    }

    let mut errors = Vec::new();
    let mut config_errors = Vec::new();
    for err in discover_errors {
        match err.config_error {
            Some(config_error) => config_errors.push(config_error),
            None => errors.push(PathError {
                display_path: err.display_path,
                message: err.message,
            }),
        }
    }
    let mut reports = Vec::new();
    // The texts to read again, beside `reports`.
    let mut rereads = Vec::new();
    let mut fixes = FixTally::default();
    // Without fixing: the findings of files where unsafe fixes are applicable.
    let mut unsafe_enabled = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(report, unsafe_fixes, reread) => {
                if unsafe_fixes {
                    unsafe_enabled.push(report.display_path.clone());
                }
                reports.push(report);
                rereads.push(reread.filter(|_| !hold_texts));
            }
            Outcome::Fixed(fixed) => {
                if let Some(message) = &fixed.write_error {
                    errors.push(PathError {
                        display_path: fixed.display_path.clone(),
                        message: message.clone(),
                    });
                }
                reports.push(fixes.add(*fixed, args.diff));
                rereads.push(None);
            }
            Outcome::Failed(err) => errors.push(err),
            Outcome::Config(err) => config_errors.push(err),
        }
    }

    // Errors first, on stderr, in path order so repeated runs print the same thing.
    errors.sort_by(|a, b| (&a.display_path, &a.message).cmp(&(&b.display_path, &b.message)));
    for err in &errors {
        print_error(colors, &format!("{}: {}", err.display_path, err.message));
    }
    // Fixes not applied: said like errors, but the findings they belong to remain and
    // decide the exit code.
    for note in &fixes.notes {
        print_error(colors, &format!("{}: {}", note.display_path, note.message));
    }
    // Every file under a broken config fails the same way: print each error once.
    let mut printed = Vec::new();
    for err in &config_errors {
        let text = render_config_error(err, colors.stderr);
        if !printed.contains(&text) {
            let _ = write!(io::stderr().lock(), "{text}");
            printed.push(text);
        }
    }
    let error_count = errors.len() + printed.len();

    let mut diagnostics: Vec<Diagnostic> = reports
        .iter()
        .flat_map(|report| report.diagnostics.iter().cloned())
        .collect();
    diagnostics.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| (a.end, &a.message).cmp(&(b.end, &b.message)))
    });

    let mut sources = Sources::new();
    for (report, reread) in reports.iter().zip(&rereads) {
        // A file that changed is shown without source rather than with another.
        if changed.contains(&report.display_path) {
            continue;
        }
        match reread {
            Some(reread) => sources.insert_on_disk(&report.display_path, reread),
            None => sources.insert(&report.display_path, &report.text),
        }
    }

    let root = ProjectRoot::discover();
    // A fingerprint reads the line of its finding: made only for the formats that
    // print them and the baselines that are made or matched of them.
    let fingerprints = (args.write_baseline.is_some()
        || review.baseline.is_some()
        || args.output_format.prints_fingerprints())
    .then(|| fingerprint::fingerprints(&diagnostics, &sources, &root));
    if let Some((path, fingerprints)) = args.write_baseline.as_ref().zip(fingerprints.as_ref()) {
        return write_baseline(path, &diagnostics, fingerprints, error_count, args, colors);
    }
    let (diagnostics, fingerprints) = review.retain(diagnostics, fingerprints);
    if args.add_noqa {
        let paths: Vec<(&str, &std::path::Path)> = inputs
            .iter()
            .map(|input| (input.display_path.as_str(), input.path.as_path()))
            .collect();
        let tally = add_noqa::write_files(&paths, &reports, &diagnostics);
        for (path, message) in &tally.notes {
            print_error(colors, &format!("{path}: {message}"));
        }
        for (path, message) in &tally.errors {
            print_error(colors, &format!("{path}: {message}"));
        }
        if !args.quiet {
            eprintln!("{}", tally.summary());
        }
        return if error_count + tally.errors.len() > 0 {
            EXIT_ERROR
        } else {
            EXIT_CLEAN
        };
    }
    let file_errors = file_errors(&errors, &config_errors);

    // `-o FILE`: the findings go there, uncolored; everything else stays on stderr.
    let (mut out, to_file): (io::BufWriter<Box<dyn Write>>, bool) = match &args.output_file {
        Some(path) => match std::fs::File::create(path) {
            Ok(file) => (io::BufWriter::new(Box::new(file)), true),
            Err(err) => {
                print_error(
                    colors,
                    &format!("{}: cannot write the output file: {err}", path.display()),
                );
                return EXIT_ERROR;
            }
        },
        None => (io::BufWriter::new(Box::new(io::stdout().lock())), false),
    };
    let written = if args.fix_only {
        Ok(())
    } else if args.diff {
        fixes
            .diffs
            .iter()
            .try_for_each(|diff| out.write_all(diff.as_bytes()))
    } else if args.statistics {
        statistics::render(args.output_format, &diagnostics, &mut out)
    } else {
        let options = RenderOptions {
            color: colors.stdout && !to_file,
        };
        let checked = Checked {
            diagnostics: &diagnostics,
            fingerprints: fingerprints.as_deref().unwrap_or_default(),
            sources: &sources,
            errors: &file_errors,
            root: &root,
        };
        report::render(args.output_format, &checked, options, &mut out)
    }
    .and_then(|()| out.flush());
    drop(out);
    if let (Some(path), Err(err)) = (&args.output_file, &written) {
        print_error(
            colors,
            &format!("{}: cannot write the output file: {err}", path.display()),
        );
        return EXIT_ERROR;
    }
    if let Some(code) = output_failure(written) {
        return code;
    }

    let hidden = if fixing {
        fixes.hidden
    } else {
        diagnostics
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|fix| !fix.safe))
            .filter(|d| !unsafe_enabled.contains(&d.path))
            .count()
    };
    if fixing && !args.quiet {
        let verb = if args.diff { "Would fix" } else { "Fixed" };
        let remaining = (!args.fix_only).then_some(diagnostics.len());
        let mut stderr = io::stderr().lock();
        let _ = writeln!(
            stderr,
            "{}",
            fix_summary(verb, fixes.fixed, remaining, error_count)
        );
        if args.show_fixes {
            let _ = write!(stderr, "{}", fixes.enumeration(args.diff));
        }
        if let Some(line) = hidden_fixes_line(hidden) {
            let _ = writeln!(stderr, "{line}");
        }
    } else if !args.quiet {
        let mut stderr = io::stderr().lock();
        if matches!(
            args.output_format,
            OutputFormat::Full | OutputFormat::Concise
        ) && !args.statistics
        {
            let _ = writeln!(stderr, "{}", summary(&diagnostics, error_count));
            if let Some(line) = fixable_line(&diagnostics, hidden) {
                let _ = writeln!(stderr, "{line}");
            }
        }
        if args.show_fixes {
            let _ = write!(stderr, "{}", available_fixes(&diagnostics, &unsafe_enabled));
        }
    }
    if args.statistics && !args.quiet {
        let tests = reports.iter().filter(|report| report.test_code).count();
        eprintln!(
            "{}",
            test_code_summary(tests, reports.len(), args.check_tests)
        );
    }

    if error_count > 0 {
        EXIT_ERROR
    } else if args.diff {
        if fixes.diffs.is_empty() || args.exit_zero {
            EXIT_CLEAN
        } else {
            EXIT_FINDINGS
        }
    } else if (args.exit_non_zero_on_fix && fixes.fixed > 0)
        || (!diagnostics.is_empty() && !args.exit_zero && !args.fix_only)
    {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Fixes one file in the second pass, its text checked in every round with the
/// project's index (as `check` would check it), and written back unless `--diff`.
fn fix_prepared(
    args: &CheckArgs,
    path: &Path,
    display_path: &str,
    settings: &Settings,
    project: &Arc<ProjectIndex>,
) -> Outcome {
    let write = !args.diff;
    match fix::fix_file(path, display_path, settings, project, write) {
        Ok(fixed) => Outcome::Fixed(Box::new(fixed)),
        Err(err) => Outcome::Failed(PathError {
            display_path: err.display_path,
            message: err.message,
        }),
    }
}

/// The first pass over one discovered file: read, parse and extract its facts (a
/// file to fix too: the others see its facts while it is fixed).
fn prepare_input(
    resolver: &ConfigResolver,
    input: &InputFile,
    source: Option<&StdinSource>,
    cache: Option<&Cache>,
) -> Result<(Arc<Settings>, project::Pending), Outcome> {
    match resolver.settings_for(&input.path) {
        Err(err) => Err(Outcome::Config(err)),
        Ok(settings) if source.is_some() => {
            let text = source.map(|source| source.text.clone()).unwrap_or_default();
            match project::first_pass_source(&input.path, &input.display_path, text, &settings) {
                Ok(prepared) => Ok((settings, prepared)),
                Err(err) => Err(Outcome::Failed(PathError {
                    display_path: err.display_path,
                    message: err.message,
                })),
            }
        }
        Ok(settings) => {
            match project::first_pass(&input.path, &input.display_path, &settings, cache) {
                Ok(pending) => Ok((settings, pending)),
                Err(err) => Err(Outcome::Failed(PathError {
                    display_path: err.display_path,
                    message: err.message,
                })),
            }
        }
    }
}

/// The cache of a run started in the current directory (see [`cache::locate`]).
/// A broken config there is reported with the files it governs; the cache then
/// takes its default place.
fn run_cache(resolver: &ConfigResolver) -> Cache {
    let root = ProjectRoot::discover();
    let settings = resolver
        .settings_for(Path::new(CACHE_PROBE))
        .unwrap_or_default();
    Cache::new(cache::locate(&settings, root.dir()))
}

/// A file name in the current directory, whose settings are the current directory's.
const CACHE_PROBE: &str = "sparkguard-cache-probe.py";

/// `sparkguard clean`: removes the cache `check` would use from here.
fn run_clean(args: &CleanArgs, colors: Colors) -> u8 {
    let resolver = match ConfigResolver::new(args.config.as_deref(), CliOverrides::default()) {
        Ok(resolver) => resolver,
        Err(err) => {
            print_config_error(&err, colors);
            return EXIT_ERROR;
        }
    };
    let settings = match resolver.settings_for(Path::new(CACHE_PROBE)) {
        Ok(settings) => settings,
        Err(err) => {
            print_config_error(&err, colors);
            return EXIT_ERROR;
        }
    };
    let dir = cache::locate(&settings, ProjectRoot::discover().dir());
    match cache::clean(&dir) {
        Ok(cache::Cleaned::Removed) => {
            eprintln!("Removed the cache {}.", dir.display());
            EXIT_CLEAN
        }
        Ok(cache::Cleaned::Absent) => {
            eprintln!("No cache at {}.", dir.display());
            EXIT_CLEAN
        }
        Err(message) => {
            print_error(colors, &message);
            EXIT_ERROR
        }
    }
}

/// A progress line on stderr (`checked 120/4000 files`) for runs long enough to
/// wonder about: it appears after [`Progress::DELAY`], is redrawn in place, and is
/// erased before anything else is printed.
struct Progress {
    done: Arc<AtomicUsize>,
    stop: Option<(mpsc::Sender<()>, thread::JoinHandle<()>)>,
}

impl Progress {
    const DELAY: Duration = Duration::from_secs(1);

    /// Starts the line's thread when `show` is set; otherwise counts silently.
    fn start(total: usize, show: bool) -> Progress {
        let done = Arc::new(AtomicUsize::new(0));
        if !show {
            return Progress { done, stop: None };
        }
        let (sender, receiver) = mpsc::channel::<()>();
        let counter = Arc::clone(&done);
        let handle = thread::spawn(move || {
            if receiver.recv_timeout(Self::DELAY).is_ok() {
                return;
            }
            let mut drawn = false;
            loop {
                let line = format!(
                    "\r\x1b[2Kchecked {}/{total} files",
                    counter.load(Ordering::Relaxed)
                );
                drawn |= io::stderr().lock().write_all(line.as_bytes()).is_ok();
                match receiver.recv_timeout(Duration::from_millis(200)) {
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    _ => break,
                }
            }
            if drawn {
                let _ = io::stderr().lock().write_all(b"\r\x1b[2K");
            }
        });
        Progress {
            done,
            stop: Some((sender, handle)),
        }
    }

    fn done_one(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Erases the line (if it was drawn) and stops its thread.
    fn finish(self) {
        if let Some((sender, handle)) = self.stop {
            let _ = sender.send(());
            let _ = handle.join();
        }
    }
}

/// The filters review bots ask for: `--baseline` and `--changed-since`.
struct ReviewFilter {
    baseline: Option<Baseline>,
    changed: Option<ChangedLines>,
}

impl ReviewFilter {
    fn new(args: &CheckArgs) -> Result<ReviewFilter, String> {
        let baseline = args.baseline.as_deref().map(Baseline::read).transpose()?;
        let changed = match &args.changed_since {
            Some(rev) => {
                let cwd = std::env::current_dir()
                    .map_err(|err| format!("cannot read the current directory: {err}"))?;
                Some(ChangedLines::since(rev, &cwd)?)
            }
            None => None,
        };
        Ok(ReviewFilter { baseline, changed })
    }

    /// The findings (and their fingerprints, when they were made: always with a
    /// baseline) that are new and on changed lines.
    fn retain(
        &self,
        diagnostics: Vec<Diagnostic>,
        fingerprints: Option<Vec<Fingerprint>>,
    ) -> (Vec<Diagnostic>, Option<Vec<Fingerprint>>) {
        let keeps = |diagnostic: &Diagnostic, fingerprint: Option<&Fingerprint>| {
            self.baseline
                .as_ref()
                .zip(fingerprint)
                .is_none_or(|(baseline, fingerprint)| !baseline.contains(fingerprint))
                && self
                    .changed
                    .as_ref()
                    .is_none_or(|changed| changed.touches(diagnostic))
        };
        match fingerprints {
            Some(fingerprints) => {
                let (diagnostics, fingerprints) = diagnostics
                    .into_iter()
                    .zip(fingerprints)
                    .filter(|(diagnostic, fingerprint)| keeps(diagnostic, Some(fingerprint)))
                    .unzip();
                (diagnostics, Some(fingerprints))
            }
            None => (
                diagnostics
                    .into_iter()
                    .filter(|diagnostic| keeps(diagnostic, None))
                    .collect(),
                None,
            ),
        }
    }
}

/// `--write-baseline`: records the findings and says how many on stderr.
fn write_baseline(
    path: &std::path::Path,
    diagnostics: &[Diagnostic],
    fingerprints: &[Fingerprint],
    error_count: usize,
    args: &CheckArgs,
    colors: Colors,
) -> u8 {
    if let Err(message) = baseline::write(path, diagnostics, fingerprints) {
        print_error(colors, &message);
        return EXIT_ERROR;
    }
    if !args.quiet {
        let findings = if diagnostics.len() == 1 {
            "finding"
        } else {
            "findings"
        };
        eprintln!(
            "Wrote {} {findings} to the baseline {}.",
            diagnostics.len(),
            path.display()
        );
    }
    if error_count > 0 {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    }
}

/// The errors the review formats report (SARIF notifications, JUnit errors): files
/// that could not be checked, and config files at fault.
fn file_errors(errors: &[PathError], config_errors: &[ConfigError]) -> Vec<FileError> {
    let mut all: Vec<FileError> = errors
        .iter()
        .map(|err| FileError {
            display_path: err.display_path.clone(),
            message: err.message.clone(),
        })
        .collect();
    for err in config_errors {
        if let Some(file) = err.config_file() {
            let error = FileError {
                display_path: file.display().to_string(),
                message: err.message().to_string(),
            };
            if !all.contains(&error) {
                all.push(error);
            }
        }
    }
    all
}

/// What `--fix` and `--diff` did across the files.
#[derive(Default)]
struct FixTally {
    /// Fixes applied (or, with `--diff`, that would be).
    fixed: usize,
    /// Fixes that were not applied, and files whose fixes did not settle.
    notes: Vec<PathError>,
    /// With `--diff`: each changed file's diff, in path order.
    diffs: Vec<String>,
    /// Unsafe fixes left unapplied because `--unsafe-fixes` was not given.
    hidden: usize,
    /// Each file with fixes applied: its path and how many per rule code.
    applied: Vec<(String, Vec<(&'static str, usize)>)>,
}

impl FixTally {
    /// Counts one file's fixes and returns what is left in it, for the renderers.
    fn add(&mut self, fixed: FileFix, diff: bool) -> FileReport {
        let note = |message: String| PathError {
            display_path: fixed.display_path.clone(),
            message,
        };
        for rejected in &fixed.outcome.rejected {
            self.notes.push(note(rejected.message()));
        }
        if !fixed.outcome.converged {
            self.notes.push(note(format!(
                "fixes still changed the file after {} rounds; stopped there",
                fix::MAX_ROUNDS
            )));
        }
        self.fixed += fixed.outcome.fixed_count();
        self.hidden += fixed.outcome.hidden_count();
        if !fixed.outcome.applied.is_empty() {
            self.applied
                .push((fixed.display_path.clone(), fixed.outcome.applied.clone()));
        }
        if diff {
            let text = fixed.diff();
            if !text.is_empty() {
                // Files come in path order, so the diffs do too.
                self.diffs.push(text);
            }
        }
        fixed.into_report()
    }
}

impl FixTally {
    /// `--show-fixes` after fixing: each file's applied fixes by rule, in path order.
    fn enumeration(&self, diff: bool) -> String {
        let mut applied = self.applied.clone();
        applied.sort();
        let per_file = applied.iter().map(|(path, codes)| {
            let counts = codes.iter().map(|(code, count)| (*code, *count, None));
            (path.as_str(), counts.collect::<Vec<_>>())
        });
        let heading = if diff { "Would fix:" } else { "Fixed:" };
        enumerate_fixes(heading, per_file.collect())
    }
}

/// One file's fixes for `--show-fixes`: its path, and per rule code the count and a
/// note on their applicability.
type FileFixes<'a> = (&'a str, Vec<(&'static str, usize, Option<&'a str>)>);

/// Lines of `--show-fixes`: a heading, then per file `- path:` and one line per rule,
/// `    2 × SG307 (count-for-emptiness)`, with a note for unsafe ones. Empty when no
/// file has a fix.
fn enumerate_fixes(heading: &str, files: Vec<FileFixes<'_>>) -> String {
    if files.is_empty() {
        return String::new();
    }
    let mut out = format!("{heading}\n");
    for (path, codes) in files {
        out.push_str(&format!("- {path}:\n"));
        for (code, count, note) in codes {
            let name = rules::by_code(code).map_or("", |rule| rule.name);
            out.push_str(&format!("    {count} × {code} ({name})"));
            if let Some(note) = note {
                out.push_str(&format!(" [{note}]"));
            }
            out.push('\n');
        }
    }
    out
}

/// `--show-fixes` without fixing: the fixes the findings carry, per file and rule;
/// unsafe ones that `--unsafe-fixes` would apply are marked.
fn available_fixes(diagnostics: &[Diagnostic], unsafe_enabled: &[String]) -> String {
    let mut files: Vec<FileFixes<'_>> = Vec::new();
    for d in diagnostics {
        let Some(fix) = &d.fix else {
            continue;
        };
        let note = (!fix.safe).then(|| {
            if unsafe_enabled.contains(&d.path) {
                "unsafe"
            } else {
                "unsafe: needs --unsafe-fixes"
            }
        });
        if files.last().is_none_or(|(path, _)| *path != d.path) {
            files.push((&d.path, Vec::new()));
        }
        let codes = &mut files.last_mut().expect("pushed above").1;
        match codes
            .iter_mut()
            .find(|(code, _, n)| *code == d.code && *n == note)
        {
            Some(entry) => entry.1 += 1,
            None => codes.push((d.code, 1, note)),
        }
    }
    for (_, codes) in &mut files {
        codes.sort();
    }
    enumerate_fixes("Fixes available:", files)
}

/// `1 hidden fix can be enabled with --unsafe-fixes.`, when there is one.
fn hidden_fixes_line(hidden: usize) -> Option<String> {
    match hidden {
        0 => None,
        1 => Some("1 hidden fix can be enabled with --unsafe-fixes.".to_string()),
        n => Some(format!(
            "{n} hidden fixes can be enabled with --unsafe-fixes."
        )),
    }
}

/// Under the summary of a check: how many findings `--fix` would fix, and how many
/// more `--unsafe-fixes` would. `None` when no finding has a fix.
fn fixable_line(diagnostics: &[Diagnostic], hidden: usize) -> Option<String> {
    let with_fix = diagnostics.iter().filter(|d| d.fix.is_some()).count();
    let fixable = with_fix - hidden;
    match (fixable, hidden_fixes_line(hidden)) {
        (0, None) => None,
        (0, Some(line)) => Some(format!(
            "No fixes available with --fix; {}",
            lowercase_first(&line)
        )),
        (n, None) => Some(format!("{n} fixable with --fix.")),
        (n, Some(line)) => Some(format!(
            "{n} fixable with --fix; {}",
            lowercase_first(&line)
        )),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `Fixed 3 findings (1 remaining).`, `Would fix 1 finding (0 remaining).`, with the
/// errors counted; `--fix-only` reports no remaining count.
fn fix_summary(verb: &str, fixed: usize, remaining: Option<usize>, error_count: usize) -> String {
    let findings = if fixed == 1 { "finding" } else { "findings" };
    let mut line = format!("{verb} {fixed} {findings}");
    if let Some(remaining) = remaining {
        line.push_str(&format!(" ({remaining} remaining)"));
    }
    match error_count {
        0 => {}
        1 => line.push_str("; 1 error"),
        errors => line.push_str(&format!("; {errors} errors")),
    }
    line.push('.');
    line
}

/// How many checked files held test code, and what was done with it: the policy
/// made visible under `--statistics`.
fn test_code_summary(tests: usize, files: usize, check_tests: bool) -> String {
    let files_word = if files == 1 { "file" } else { "files" };
    let verb = if tests == 1 { "was" } else { "were" };
    if check_tests {
        format!(
            "{tests} of {files} checked {files_word} held test code, checked like the rest (--check-tests)."
        )
    } else {
        format!(
            "{tests} of {files} checked {files_word} {verb} treated as test code: the Spark rules are silent there (--check-tests reports them)."
        )
    }
}

/// Trims the comma-separated pieces and drops empty ones (`--select SG1,`).
fn clean_selectors(selectors: &[String]) -> Vec<String> {
    selectors
        .iter()
        .map(|selector| selector.trim().to_string())
        .filter(|selector| !selector.is_empty())
        .collect()
}

/// `Found 3 findings in 2 files.`, `All checks passed.`, with the errors counted.
fn summary(diagnostics: &[Diagnostic], error_count: usize) -> String {
    let plural = |count: usize, word: &str| {
        if count == 1 {
            format!("{count} {word}")
        } else {
            format!("{count} {word}s")
        }
    };
    let mut paths: Vec<&str> = diagnostics.iter().map(|d| d.path.as_str()).collect();
    paths.dedup();
    match (diagnostics.len(), error_count) {
        (0, 0) => "All checks passed.".to_string(),
        (0, errors) => format!("No findings; {}.", plural(errors, "error")),
        (findings, 0) => format!(
            "Found {} in {}.",
            plural(findings, "finding"),
            plural(paths.len(), "file")
        ),
        (findings, errors) => format!(
            "Found {} in {}; {}.",
            plural(findings, "finding"),
            plural(paths.len(), "file"),
            plural(errors, "error")
        ),
    }
}

fn run_rule(args: &RuleArgs, colors: Colors) -> u8 {
    let Some(wanted) = args.rule.as_deref().filter(|_| !args.all) else {
        return finish_output(rule_docs::render_rule_pages(
            RULES,
            args.output_format,
            &mut io::stdout().lock(),
        ));
    };
    let Some(rule) = find_rule(wanted) else {
        print_error(
            colors,
            &format!("unknown rule `{wanted}`; `sparkguard rules` lists them"),
        );
        return EXIT_ERROR;
    };
    finish_output(rule_docs::render_rule(
        rule,
        args.output_format,
        &mut io::stdout().lock(),
    ))
}

fn run_config(args: &ConfigArgs, colors: Colors) -> u8 {
    let mut out = io::stdout().lock();
    let Some(name) = &args.key else {
        return finish_output(rule_docs::render_keys(
            &config::key_docs(),
            args.output_format,
            &mut out,
        ));
    };
    match config::key_doc(name) {
        Some(key) => finish_output(rule_docs::render_key(&key, args.output_format, &mut out)),
        None => {
            let hint = match config::closest_key(name) {
                Some(known) => format!("did you mean `{known}`? "),
                None => String::new(),
            };
            print_error(
                colors,
                &format!("unknown config key `{name}`; {hint}`sparkguard config` lists them"),
            );
            EXIT_ERROR
        }
    }
}

/// A rule by code (any case) or by name.
fn find_rule(text: &str) -> Option<&'static Rule> {
    rules::by_code(&text.to_ascii_uppercase()).or_else(|| rules::by_name(text))
}

/// The exit code after printing to stdout: 0, or the code for a failed write.
fn finish_output(written: io::Result<()>) -> u8 {
    output_failure(written).unwrap_or(EXIT_CLEAN)
}

/// A closed pipe (`sparkguard check | head`) is the reader's choice, not an error:
/// nothing is said and the exit code is what the findings make it. Any other write
/// failure is an error.
fn output_failure(written: io::Result<()>) -> Option<u8> {
    match written {
        Ok(()) => None,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => None,
        Err(err) => {
            let _ = writeln!(io::stderr().lock(), "error: cannot write the output: {err}");
            Some(EXIT_ERROR)
        }
    }
}

fn print_warning(colors: Colors, message: &str) {
    let prefix = if colors.stderr {
        "\u{1b}[1;33mwarning\u{1b}[0m"
    } else {
        "warning"
    };
    let _ = writeln!(io::stderr().lock(), "{prefix}: {message}");
}

fn print_error(colors: Colors, message: &str) {
    let prefix = if colors.stderr {
        "\u{1b}[1;31merror\u{1b}[0m"
    } else {
        "error"
    };
    let _ = writeln!(io::stderr().lock(), "{prefix}: {message}");
}

fn print_config_error(err: &ConfigError, colors: Colors) {
    let _ = write!(
        io::stderr().lock(),
        "{}",
        render_config_error(err, colors.stderr)
    );
}

/// A config error drawn by miette, pointing into the file when it can.
fn render_config_error(err: &ConfigError, color: bool) -> String {
    let mut text = String::new();
    // A drawing that fails, or panics in the layout (a line past 65,535 columns), is
    // said in one line instead.
    let drawn = guard::isolate(guard::DEFAULT_BUDGET, || {
        report::full::handler(color)
            .with_primary_span_start()
            .render_report(&mut text, err)
            .is_ok()
    })
    .unwrap_or(false);
    if !drawn {
        text = format!("error: {err}\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every subcommand (and the top level) with its path, hidden ones left out.
    fn commands() -> Vec<(String, clap::Command)> {
        let top = Cli::command();
        let mut all = vec![("sparkguard".to_string(), top.clone())];
        for sub in top.get_subcommands().filter(|sub| !sub.is_hide_set()) {
            all.push((format!("sparkguard {}", sub.get_name()), sub.clone()));
        }
        all
    }

    #[test]
    fn every_command_and_flag_has_a_one_line_description() {
        for (path, command) in commands() {
            let about = command.get_about().map(|about| about.to_string());
            assert!(
                about.as_deref().is_some_and(|text| !text.is_empty()),
                "`{path}` has no description"
            );
            for arg in command.get_arguments().filter(|arg| !arg.is_hide_set()) {
                let help = arg
                    .get_help()
                    .map(|help| help.to_string())
                    .unwrap_or_default();
                assert!(
                    !help.trim().is_empty(),
                    "`{path}`: `{}` has no description",
                    arg.get_id()
                );
                assert!(
                    !help.contains('\n'),
                    "`{path}`: the description of `{}` is not one line",
                    arg.get_id()
                );
            }
        }
    }

    #[test]
    fn check_help_shows_examples_that_parse() {
        let mut command = Cli::command();
        let help = command
            .find_subcommand_mut("check")
            .unwrap()
            .render_long_help()
            .to_string();
        assert!(help.contains("Examples:"), "{help}");
        let examples: Vec<&str> = CHECK_EXAMPLES
            .lines()
            .map(str::trim)
            .filter(|line| line.starts_with("sparkguard check"))
            .collect();
        assert!(examples.len() >= 3, "{examples:?}");
        for example in examples {
            let words: Vec<&str> = example.split_whitespace().collect();
            if let Err(err) = Cli::try_parse_from(&words) {
                panic!("the example `{example}` does not parse: {err}");
            }
        }
    }

    #[test]
    fn the_version_is_the_crate_version() {
        let command = Cli::command();
        assert_eq!(command.get_version(), Some(crate::VERSION));
    }
}
