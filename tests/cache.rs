//! The results cache as users meet it: the real binary run twice over a temporary
//! project. Every run with the cache must print exactly what a run without it
//! prints; `SPARKGUARD_TIMINGS=1` says how each file was checked, which is how these
//! tests tell a hit from a miss.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::Finished as Run;
use tempfile::TempDir;

/// Every output format `check` has.
const FORMATS: &[&str] = &[
    "full",
    "concise",
    "grouped",
    "json",
    "json-lines",
    "sarif",
    "github",
    "gitlab",
    "rdjson",
    "rdjsonl",
    "junit",
    "pylint",
    "azure",
];

/// A settings module and a job that reads its constant: whether the job's
/// `take(LIMIT)` is flagged depends on the other file.
const SETTINGS_SMALL: &str = "LIMIT = 10\n";
const SETTINGS_LARGE: &str = "LIMIT = 5000000\n";
const JOB: &str = "\
from pyspark.sql import SparkSession
from etl.settings import LIMIT

spark = SparkSession.builder.getOrCreate()
rows = spark.table(\"events\").take(LIMIT)
";

struct Project {
    dir: TempDir,
}

impl Project {
    /// A project holding a copy of the whole corpus (findings with fixes, related
    /// positions, notebooks, cross-file facts) and the settings job above.
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&Path::new(support::CRATE_ROOT).join("corpus"), dir.path());
        let project = Project { dir };
        project.write("etl/__init__.py", "");
        project.write("etl/settings.py", SETTINGS_SMALL);
        project.write("etl/job.py", JOB);
        project
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn cache_dir(&self) -> PathBuf {
        self.root().join(".sparkguard_cache")
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sparkguard"));
        command
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .env("SPARKGUARD_TIMINGS", "1")
            .env_remove(sparkguard::cache::DIR_VARIABLE);
        command
    }

    fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().unwrap())
    }

    /// `check` in `format`, with the cache or without.
    fn check(&self, format: &str, cache: bool) -> Checked {
        let mut args = vec!["check", "--output-format", format, "."];
        if !cache {
            args.push("--no-cache");
        }
        Checked::of(self.run(&args))
    }
}

/// What a `check` printed, and how its files were checked.
#[derive(Debug)]
struct Checked {
    code: i32,
    stdout: String,
    /// stderr without the timing lines.
    stderr: String,
    /// (from the cache, checked once, checked again)
    routes: (usize, usize, usize),
}

impl Checked {
    fn of(run: Run) -> Checked {
        let mut routes = None;
        let mut stderr = String::new();
        for line in run.stderr.lines() {
            if let Some(rest) = line.strip_prefix("timings: ") {
                let numbers: Vec<usize> = rest
                    .split(' ')
                    .filter_map(|word| word.parse().ok())
                    .collect();
                if rest.contains("from the cache") {
                    routes = Some((numbers[0], numbers[1], numbers[2]));
                }
            } else {
                stderr.push_str(line);
                stderr.push('\n');
            }
        }
        Checked {
            code: run.code,
            stdout: run.stdout,
            stderr,
            routes: routes.unwrap_or_else(|| panic!("no routes in:\n{}", run.stderr)),
        }
    }

    fn files(&self) -> usize {
        self.routes.0 + self.routes.1 + self.routes.2
    }

    /// Prints what `other` printed (the routes aside).
    fn assert_same_output(&self, other: &Checked, what: &str) {
        assert_eq!(self.code, other.code, "{what}: exit code");
        assert_eq!(self.stdout, other.stdout, "{what}: stdout");
        assert_eq!(self.stderr, other.stderr, "{what}: stderr");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn entries(project: &Project) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(project.cache_dir().join("files"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    entries
}

#[test]
fn a_second_run_reads_every_file_from_the_cache_and_prints_the_same_in_every_format() {
    let project = Project::new();
    let first = project.check("json", true);
    assert_eq!(first.routes.0, 0, "a cold cache holds nothing");
    assert!(first.code == 1 && first.files() > 20, "{first:?}");
    // The directory is kept out of git and backups.
    let gitignore = std::fs::read_to_string(project.cache_dir().join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|line| line == "*"), "{gitignore}");
    assert!(project.cache_dir().join("CACHEDIR.TAG").is_file());
    for format in FORMATS {
        let without = project.check(format, false);
        let with = project.check(format, true);
        assert_eq!(
            with.routes,
            (first.files(), 0, 0),
            "{format}: every file hit"
        );
        with.assert_same_output(&without, format);
    }
    // Fixes and related positions come back too.
    let sarif = project.check("sarif", true).stdout;
    assert!(
        sarif.contains("\"fixes\"") && sarif.contains("\"relatedLocations\""),
        "{sarif}"
    );
}

#[test]
fn a_changed_file_alone_is_checked_again() {
    let project = Project::new();
    let first = project.check("concise", true);
    project.write(
        "etl/job.py",
        &format!("{JOB}everything = spark.table(\"events\").collect()\n"),
    );
    let second = project.check("concise", true);
    assert_eq!(second.routes.0, first.files() - 1, "{second:?}");
    second.assert_same_output(&project.check("concise", false), "after an edit");
    assert!(second.stdout.contains("SG101"), "{}", second.stdout);
}

#[test]
fn other_settings_miss_the_cache() {
    let project = Project::new();
    let first = project.check("concise", true);
    // Through the command line: the file's settings change.
    let selected = Checked::of(project.run(&["check", "--select", "SG101", "."]));
    assert_eq!(selected.routes.0, 0, "{selected:?}");
    let plain = Checked::of(project.run(&["check", "--select", "SG101", "--no-cache", "."]));
    selected.assert_same_output(&plain, "--select");
    // Through a config file.
    project.write("sparkguard.toml", "take-threshold = 1\n");
    let configured = project.check("concise", true);
    assert_eq!(configured.routes.0, 0, "{configured:?}");
    configured.assert_same_output(&project.check("concise", false), "a config");
    assert_ne!(configured.stdout, first.stdout);
}

/// The job's file does not change, but the constant it reads from another file
/// does: its cached findings no longer hold (the entry records each lookup it made
/// in the project index, with a digest of the answer), and it alone among the
/// unchanged files is checked again.
#[test]
fn a_change_in_what_a_file_read_from_another_file_checks_it_again() {
    let project = Project::new();
    let small = project.check("concise", true);
    let job = |stdout: &str| {
        stdout
            .lines()
            .filter(|line| line.starts_with("etl/job.py:"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(job(&small.stdout), Vec::<String>::new(), "{}", small.stdout);
    project.write("etl/settings.py", SETTINGS_LARGE);
    let large = project.check("concise", true);
    large.assert_same_output(&project.check("concise", false), "a larger constant");
    let found = job(&large.stdout);
    assert!(
        found.len() == 1 && found[0].starts_with("etl/job.py:5:30: SG103"),
        "{found:?}"
    );
    // settings.py changed; job.py read it; every other file is a hit.
    assert_eq!(large.routes.0, small.files() - 2, "{large:?}");
    // And back: the entry written for the large constant does not hold either.
    project.write("etl/settings.py", SETTINGS_SMALL);
    let back = project.check("concise", true);
    back.assert_same_output(&small, "the small constant again");
}

#[test]
fn a_cached_file_keeps_its_calls_of_a_function_no_file_defined_yet() {
    // A run's index keeps only the calls of functions some file defines; the cache
    // must keep the rest, for a helper written later is called by them.
    let project = Project::new();
    project.write(
        "jobs/preview_job.py",
        "from pyspark.sql import SparkSession\n\
         from jobs.peek import preview\n\n\
         spark = SparkSession.builder.getOrCreate()\n\
         preview(spark.table(\"t\"), 5)\n",
    );
    project.check("concise", true);
    project.write(
        "jobs/peek.py",
        "from pyspark.sql import DataFrame\n\n\n\
         def preview(df: DataFrame, n):\n    return df.take(n)\n",
    );
    let with_helper = project.check("concise", true);
    with_helper.assert_same_output(&project.check("concise", false), "a new helper");
    // Its only call passes 5: `take(n)` is small.
    assert!(
        !with_helper.stdout.contains("jobs/peek.py"),
        "{}",
        with_helper.stdout
    );
    // The helper, checked again with the index, is stored with its results.
    let again = project.check("concise", true);
    again.assert_same_output(&with_helper, "the helper from the cache");
    assert_eq!(again.routes.0, again.files(), "{again:?}");
}

#[test]
fn corrupt_truncated_and_foreign_entries_are_ignored_and_written_again() {
    let project = Project::new();
    let expected = project.check("json", true);
    let entries = entries(&project);
    assert!(entries.len() > 20);
    let foreign = "{\"format\": 1, \"build\": \"0.0.0+other\"}";
    for (i, entry) in entries.iter().enumerate() {
        let text = std::fs::read(entry).unwrap();
        let broken: Vec<u8> = match i % 4 {
            0 => b"\x00\xffnot json at all".to_vec(),
            1 => text[..text.len() / 2].to_vec(),
            2 => foreign.as_bytes().to_vec(),
            _ => Vec::new(),
        };
        std::fs::write(entry, broken).unwrap();
    }
    let again = project.check("json", true);
    assert_eq!(again.routes.0, 0, "{again:?}");
    again.assert_same_output(&expected, "over broken entries");
    let warm = project.check("json", true);
    assert_eq!(
        warm.routes.0,
        expected.files(),
        "the entries were written again"
    );
    warm.assert_same_output(&expected, "rewritten entries");
}

/// An entry whose findings point past the end of its file (bytes the content hash
/// cannot tell from the real ones are not possible, but a hand-edited entry is) is
/// a miss, never a panic in a renderer.
#[test]
fn an_entry_with_positions_outside_its_file_is_a_miss() {
    let project = Project::new();
    let expected = project.check("full", true);
    for entry in entries(&project) {
        let text = std::fs::read_to_string(&entry).unwrap();
        let moved = text.replace(
            "\"range\":{\"start\":",
            "\"range\":{\"start\":99999999,\"x\":",
        );
        std::fs::write(&entry, moved).unwrap();
    }
    let again = project.check("full", true);
    again.assert_same_output(&expected, "entries with bad ranges");
    assert!(again.routes.0 < expected.files(), "{again:?}");
}

#[test]
fn concurrent_runs_share_the_cache_safely() {
    let project = Project::new();
    let expected = project.check("json", false);
    let children: Vec<_> = (0..4)
        .map(|_| {
            project
                .command(&["check", "--output-format", "json", "."])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let run = Checked::of(Run::from(child.wait_with_output().unwrap()));
        run.assert_same_output(&expected, "a concurrent run");
    }
    let warm = project.check("json", true);
    assert_eq!(warm.routes.0, expected.files(), "{warm:?}");
    warm.assert_same_output(&expected, "after concurrent runs");
    // No temporary file was left behind.
    for entry in entries(&project) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit()),
            "{name}"
        );
    }
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let project = Project::new();
    let run = project.check("concise", false);
    assert_eq!(run.routes.0, 0);
    assert!(!project.cache_dir().exists());
    project.check("concise", true);
    assert!(project.cache_dir().exists());
    let again = project.check("concise", false);
    assert_eq!(again.routes.0, 0, "--no-cache read the cache: {again:?}");
}

/// `--fix` and `--diff` neither read the cache nor write it; a check after a fix
/// sees the fixed text, never what the cache held for the old one.
#[test]
fn fixing_never_uses_stale_results() {
    let project = Project::new();
    project.check("concise", true);
    let diff = project.run(&["check", "--diff", "."]);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    let fix = project.run(&["check", "--fix", "."]);
    assert!(fix.stderr.contains("Fixed"), "{}", fix.stderr);
    let after = project.check("json", true);
    after.assert_same_output(&project.check("json", false), "after --fix");
    assert!(after.routes.0 > 0, "unchanged files still hit");
}

#[test]
fn the_cache_dir_setting_and_variable_move_it() {
    let project = Project::new();
    project.write("sparkguard.toml", "cache-dir = \"build/lint-cache\"\n");
    project.check("concise", true);
    assert!(project.root().join("build/lint-cache/files").is_dir());
    assert!(!project.cache_dir().exists());
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = elsewhere.path().join("sg");
    let run = project
        .command(&["check", "."])
        .env(sparkguard::cache::DIR_VARIABLE, &dir)
        .output()
        .unwrap();
    Checked::of(Run::from(run));
    assert!(dir.join("files").is_dir());
    // `clean` removes the one the config names.
    let clean = project.run(&["clean"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert!(!project.root().join("build/lint-cache").exists());
}

#[test]
fn clean_removes_the_cache_and_refuses_what_is_not_one() {
    let project = Project::new();
    project.check("concise", true);
    assert!(project.cache_dir().is_dir());
    let clean = project.run(&["clean"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert!(
        clean.stderr.contains("Removed the cache"),
        "{}",
        clean.stderr
    );
    assert!(!project.cache_dir().exists());
    let again = project.run(&["clean"]);
    assert_eq!(again.code, 0);
    assert!(again.stderr.contains("No cache at"), "{}", again.stderr);
    // A directory that is not a cache is never deleted.
    project.write("sparkguard.toml", "cache-dir = \"etl\"\n");
    let refused = project.run(&["clean"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("is not a sparkguard cache"),
        "{}",
        refused.stderr
    );
    assert!(project.root().join("etl/job.py").is_file());
}
