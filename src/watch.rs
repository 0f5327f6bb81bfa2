//! `check --watch`: check, then check again whenever a checked file or a config file
//! under the watched paths changes, until interrupted.
//!
//! Changes are found by polling: every [`INTERVAL`] the paths are walked (honouring
//! `.gitignore` and `.ignore`, as the check does) and each relevant file's size and
//! modification time compared with the last walk's: no platform notification API and
//! no new dependency, and a change is seen within one interval.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::config::CONFIG_FILE_NAMES;
use crate::discover::is_checked_file;

/// How often the paths are walked for changes.
pub const INTERVAL: Duration = Duration::from_millis(250);

/// What a walk saw of one file: its size and modification time.
type Stamp = (u64, Option<SystemTime>);

/// Every checked file and config file under `paths`, with its stamp.
fn snapshot(paths: &[PathBuf]) -> BTreeMap<PathBuf, Stamp> {
    let mut files = BTreeMap::new();
    for path in paths {
        let mut walk = ignore::WalkBuilder::new(path);
        walk.hidden(false).git_global(false).require_git(false);
        // A config file above a watched directory configures it too.
        for dir in path.ancestors().skip(1) {
            for name in CONFIG_FILE_NAMES {
                let candidate = dir.join(name);
                if let Ok(meta) = candidate.metadata() {
                    files.insert(candidate, (meta.len(), meta.modified().ok()));
                }
            }
        }
        for entry in walk.build().flatten() {
            let path = entry.path();
            if entry.depth() > 0 && path.file_name().is_some_and(|name| name == ".git") {
                continue;
            }
            if !relevant(path) {
                continue;
            }
            if let Ok(meta) = entry.metadata()
                && meta.is_file()
            {
                files.insert(path.to_path_buf(), (meta.len(), meta.modified().ok()));
            }
        }
    }
    files
}

/// Whether a change to `path` can change the findings: a file the check reads, a
/// config file, or an ignore file.
fn relevant(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("");
    is_checked_file(path)
        || CONFIG_FILE_NAMES.contains(&name)
        || name == ".gitignore"
        || name == ".ignore"
}

/// Runs `check` now and after every change under `paths`; returns only if the
/// output cannot be written. On a terminal the screen is cleared before each run.
pub fn run(paths: &[PathBuf], mut check: impl FnMut() -> u8) -> u8 {
    let clear = io::stdout().is_terminal();
    let mut seen = snapshot(paths);
    loop {
        if clear {
            let mut out = io::stdout().lock();
            let _ = out.write_all(b"\x1b[2J\x1b[H");
            let _ = out.flush();
        }
        check();
        let mut err = io::stderr().lock();
        if writeln!(err, "Watching for file changes.").is_err() {
            return 2;
        }
        drop(err);
        let _ = io::stdout().lock().flush();
        loop {
            std::thread::sleep(INTERVAL);
            let now = snapshot(paths);
            if now != seen {
                seen = now;
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_source_file_changes_the_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("job.py");
        std::fs::write(&file, "x = 1\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "a").unwrap();
        let paths = [dir.path().to_path_buf()];
        let before = snapshot(&paths);
        assert!(before.contains_key(&file), "{before:?}");
        // Files the check never reads are not watched.
        std::fs::write(dir.path().join("notes.txt"), "ab").unwrap();
        assert_eq!(snapshot(&paths), before);
        std::fs::write(&file, "x = 12\n").unwrap();
        assert_ne!(snapshot(&paths), before);
    }
}
