//! Turns the paths on the command line into the files to check.
//!
//! Directories are walked with the `ignore` crate, so `.gitignore`, `.ignore` and git's
//! excludes apply (inside a git repository or not) and hidden entries are skipped;
//! each entry is also matched against the `exclude` of the config that governs it.
//! A file named on the command line is always checked, unless `force_exclude` asks
//! for the same filters to apply to it (what a pre-commit hook wants, since it
//! passes every staged file).

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;

use crate::config::{ConfigError, ConfigResolver, absolutize, slash_path};

/// Whether a file with this name is checked: Python, Scala and notebooks by
/// extension, plus `spark-defaults.conf` and shell scripts (for `spark-submit`
/// settings). `.sbt` and everything else is not.
pub fn is_checked_file(path: &Path) -> bool {
    crate::engine::FileKind::of(path).is_some()
}

/// One file to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    /// Where to read it from.
    pub path: PathBuf,
    /// How to show it: as given on the command line, or the directory argument
    /// joined with the path found below it, with `/` separators.
    pub display_path: String,
}

/// A command-line path that could not be expanded, or a config met on the way
/// that is invalid.
#[derive(Clone, Debug)]
pub struct DiscoverError {
    /// The path at fault: the argument, or the config file.
    pub display_path: String,
    pub message: String,
    /// The full config error (with its source and label) when that is the cause.
    pub config_error: Option<ConfigError>,
}

const UNSUPPORTED: &str =
    "unsupported file type (expected .py, .ipynb, .scala, .sc, .sh or spark-defaults.conf)";

/// Expands the command-line paths into the files to check, sorted by display path, deduplicated.
pub fn discover(
    paths: &[PathBuf],
    resolver: &ConfigResolver,
    force_exclude: bool,
) -> (Vec<InputFile>, Vec<DiscoverError>) {
    let mut found = Found {
        resolver,
        files: Vec::new(),
        seen: HashSet::new(),
        errors: Vec::new(),
        listings: HashMap::new(),
    };
    for path in paths {
        let display_path = slash_path(path);
        match std::fs::metadata(path) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                found.error(display_path, "no such file or directory".to_string());
            }
            Err(err) => found.error(display_path, err.to_string()),
            Ok(meta) if meta.is_dir() => found.walk(path, force_exclude),
            Ok(_) => found.explicit_file(path, display_path, force_exclude),
        }
    }
    let Found {
        mut files,
        mut errors,
        ..
    } = found;
    files.sort_by(|a, b| (&a.display_path, &a.path).cmp(&(&b.display_path, &b.path)));
    errors.sort_by(|a, b| (&a.display_path, &a.message).cmp(&(&b.display_path, &b.message)));
    errors.dedup_by(|a, b| a.display_path == b.display_path && a.message == b.message);
    (files, errors)
}

struct Found<'r> {
    resolver: &'r ConfigResolver,
    files: Vec<InputFile>,
    /// Absolute paths already listed, so a file reached twice is checked once.
    seen: HashSet<PathBuf>,
    errors: Vec<DiscoverError>,
    /// Directory → the names in it that the ignore files let through.
    listings: HashMap<PathBuf, HashSet<OsString>>,
}

impl Found<'_> {
    fn error(&mut self, display_path: String, message: String) {
        self.errors.push(DiscoverError {
            display_path,
            message,
            config_error: None,
        });
    }

    fn config_error(&mut self, err: ConfigError) {
        let display_path = match err.config_file() {
            Some(file) => {
                let cwd = self.resolver.cwd();
                slash_path(file.strip_prefix(cwd).unwrap_or(file))
            }
            None => String::new(),
        };
        self.errors.push(DiscoverError {
            display_path,
            message: err.to_string(),
            config_error: Some(err),
        });
    }

    fn push(&mut self, path: PathBuf, display_path: String) {
        if self.seen.insert(absolutize(&path, self.resolver.cwd())) {
            self.files.push(InputFile { path, display_path });
        }
    }

    fn explicit_file(&mut self, path: &Path, display_path: String, force_exclude: bool) {
        if !is_checked_file(path) {
            // A hook passes every staged file: the ones of other kinds are not errors.
            if !force_exclude {
                self.error(display_path, UNSUPPORTED.to_string());
            }
            return;
        }
        if force_exclude && self.filtered_out(path) {
            return;
        }
        self.push(path.to_path_buf(), display_path);
    }

    /// Whether the config `exclude` or an ignore file drops a path named on the
    /// command line (only asked under `force_exclude`).
    fn filtered_out(&mut self, path: &Path) -> bool {
        match self.resolver.settings_for(path) {
            Ok(settings) if settings.is_excluded(path) => true,
            Ok(_) => self.ignored_by_ignore_files(path),
            Err(err) => {
                self.config_error(err);
                true
            }
        }
    }

    /// Whether `path`, or a directory on the way to it, is one that a walk of its
    /// parent would skip. The climb stops at the current directory when `path` is
    /// inside it, else at the root of the git repository (or of the file system).
    fn ignored_by_ignore_files(&mut self, path: &Path) -> bool {
        let cwd = self.resolver.cwd().to_path_buf();
        let path = absolutize(path, &cwd);
        let inside_cwd = path.starts_with(&cwd);
        let mut current = path.as_path();
        while let (Some(name), Some(parent)) = (current.file_name(), current.parent()) {
            if inside_cwd && current == cwd {
                break;
            }
            if !self.listing(parent).contains(name) {
                return true;
            }
            if !inside_cwd && parent.join(".git").exists() {
                break;
            }
            current = parent;
        }
        false
    }

    /// The names in `dir` that survive the ignore files (hidden names included:
    /// naming a hidden file on the command line is deliberate).
    fn listing(&mut self, dir: &Path) -> &HashSet<OsString> {
        self.listings.entry(dir.to_path_buf()).or_insert_with(|| {
            WalkBuilder::new(dir)
                .max_depth(Some(1))
                .hidden(false)
                .require_git(false)
                .build()
                .filter_map(Result::ok)
                .filter(|entry| entry.depth() == 1)
                .map(|entry| entry.file_name().to_os_string())
                .collect()
        })
    }

    fn walk(&mut self, dir: &Path, force_exclude: bool) {
        if force_exclude && self.filtered_out(dir) {
            return;
        }
        let prefix = display_prefix(dir);
        // The walker wants an owned filter: it gets its own handle on the resolver
        // and reports config errors through a shared list.
        let pruning_errors = Arc::new(Mutex::new(Vec::new()));
        let resolver = self.resolver.clone();
        let errors = pruning_errors.clone();
        let walker = WalkBuilder::new(dir)
            .require_git(false)
            .filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
                if entry.depth() == 0 || !is_dir {
                    return true;
                }
                match resolver.settings_for(entry.path()) {
                    Ok(settings) => !settings.excludes_entry(entry.path(), true),
                    Err(err) => {
                        errors.lock().unwrap_or_else(|e| e.into_inner()).push(err);
                        true
                    }
                }
            })
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                // A bad line in someone's ignore file does not stop the walk.
                Err(err) if err.is_partial() => continue,
                Err(err) => {
                    self.error(prefix.display(), err.to_string());
                    continue;
                }
            };
            let is_file = entry.file_type().is_some_and(|kind| kind.is_file());
            if entry.depth() == 0 || !is_file || !is_checked_file(entry.path()) {
                continue;
            }
            match self.resolver.settings_for(entry.path()) {
                Ok(settings) if settings.excludes_entry(entry.path(), false) => continue,
                Ok(_) => {}
                Err(err) => {
                    self.config_error(err);
                    continue;
                }
            }
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let display_path = prefix.join(relative);
            self.push(entry.into_path(), display_path);
        }
        let pruning_errors =
            std::mem::take(&mut *pruning_errors.lock().unwrap_or_else(|e| e.into_inner()));
        for err in pruning_errors {
            self.config_error(err);
        }
    }
}

/// How the files found under a directory argument are shown.
enum DisplayPrefix {
    /// `.`: the relative path alone.
    None,
    Dir(String),
}

fn display_prefix(dir: &Path) -> DisplayPrefix {
    if dir.components().all(|c| c == Component::CurDir) {
        return DisplayPrefix::None;
    }
    let text = slash_path(dir);
    let trimmed = text.trim_end_matches('/');
    // Only the root directory is all slashes.
    DisplayPrefix::Dir(if trimmed.is_empty() {
        String::new()
    } else {
        trimmed.to_string()
    })
}

impl DisplayPrefix {
    fn join(&self, relative: &Path) -> String {
        let relative = slash_path(relative);
        match self {
            DisplayPrefix::None => relative,
            DisplayPrefix::Dir(dir) => format!("{dir}/{relative}"),
        }
    }

    fn display(&self) -> String {
        match self {
            DisplayPrefix::None => ".".to_string(),
            DisplayPrefix::Dir(dir) if dir.is_empty() => "/".to_string(),
            DisplayPrefix::Dir(dir) => dir.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(dir: &str, relative: &str) -> String {
        display_prefix(Path::new(dir)).join(Path::new(relative))
    }

    #[test]
    fn current_directory_adds_no_prefix() {
        assert_eq!(shown(".", "sub/y.py"), "sub/y.py");
        assert_eq!(shown("./", "x.py"), "x.py");
        assert_eq!(shown("./.", "x.py"), "x.py");
    }

    #[test]
    fn directory_argument_is_kept_as_given() {
        assert_eq!(shown("corpus", "python/x.py"), "corpus/python/x.py");
        assert_eq!(shown("corpus/", "python/x.py"), "corpus/python/x.py");
        assert_eq!(shown("./corpus", "x.py"), "./corpus/x.py");
        assert_eq!(shown("../jobs", "x.py"), "../jobs/x.py");
        assert_eq!(shown("/", "x.py"), "/x.py");
    }

    #[test]
    fn extensions_decide_what_is_checked() {
        for name in [
            "a.py",
            "b.ipynb",
            "C.scala",
            "d.sc",
            "dir/e.py",
            "submit.sh",
            "conf/spark-defaults.conf",
        ] {
            assert!(is_checked_file(Path::new(name)), "{name}");
        }
        for name in [
            "build.sbt",
            "x.pyc",
            "README.md",
            "py",
            "Makefile",
            "x.PY",
            "app.conf",
        ] {
            assert!(!is_checked_file(Path::new(name)), "{name}");
        }
    }
}
