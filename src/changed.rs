//! `--changed-since REV`: the lines a change touched, so that a review reports only
//! findings on them. The lines come from the `git` on PATH: `git diff REV` between
//! the revision and the working tree (committed, staged and unstaged edits alike),
//! plus every line of each untracked file that `.gitignore` does not exclude.
//!
//! A finding is kept when any line of its span was added or changed. Lines that were
//! only deleted leave nothing to point at and count for nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::diagnostic::Diagnostic;
use crate::report::artifact::relative_to;

/// Which lines of a file changed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Lines {
    /// A file git does not track: all of it is new.
    All,
    /// Inclusive 1-based line ranges, in diff order.
    Ranges(Vec<(u32, u32)>),
}

/// The lines changed since a revision, by path relative to the work tree's top.
#[derive(Debug)]
pub struct ChangedLines {
    toplevel: PathBuf,
    cwd: PathBuf,
    by_path: HashMap<String, Lines>,
}

impl ChangedLines {
    /// Asks git, run in `cwd`, what changed since `rev`. The error says why not: no
    /// git, not a repository, an unknown revision.
    pub fn since(rev: &str, cwd: &Path) -> Result<ChangedLines, String> {
        if rev.is_empty() || rev.starts_with('-') {
            return Err(format!("--changed-since: `{rev}` is not a git revision"));
        }
        let toplevel = git(cwd, &["rev-parse", "--show-toplevel"]).map_err(|err| match err {
            GitError::Failed(_) => format!(
                "--changed-since needs a git repository, and {} is not inside one",
                cwd.display()
            ),
            other => other.to_string(),
        })?;
        let toplevel = PathBuf::from(toplevel.trim_end_matches(['\n', '\r']));
        let toplevel = toplevel.canonicalize().unwrap_or(toplevel);
        let commit = git(
            &toplevel,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )
        .map_err(|err| match err {
            GitError::Failed(_) => format!("--changed-since: unknown revision `{rev}`"),
            other => other.to_string(),
        })?;
        let commit = commit.trim();
        let diff = git(
            &toplevel,
            &[
                "-c",
                "core.quotePath=false",
                "diff",
                "--no-color",
                "--no-ext-diff",
                "--no-renames",
                "--unified=0",
                "--src-prefix=a/",
                "--dst-prefix=b/",
                commit,
                "--",
            ],
        )
        .map_err(|err| format!("--changed-since: {err}"))?;
        let mut by_path = parse_diff(&diff);
        let untracked = git(
            &toplevel,
            &["ls-files", "--others", "--exclude-standard", "-z"],
        )
        .map_err(|err| format!("--changed-since: {err}"))?;
        for path in untracked.split('\0').filter(|path| !path.is_empty()) {
            by_path.insert(path.to_string(), Lines::All);
        }
        let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
        Ok(ChangedLines {
            toplevel,
            cwd,
            by_path,
        })
    }

    /// Whether any line of the finding's span was added or changed.
    pub fn touches(&self, diagnostic: &Diagnostic) -> bool {
        let Some(path) = relative_to(&self.toplevel, &self.cwd, &diagnostic.path) else {
            return false;
        };
        let (first, last) = (
            diagnostic.start.line,
            diagnostic.end.line.max(diagnostic.start.line),
        );
        match self.by_path.get(&path) {
            None => false,
            Some(Lines::All) => true,
            Some(Lines::Ranges(ranges)) => ranges
                .iter()
                .any(|&(start, end)| start <= last && first <= end),
        }
    }
}

#[derive(Debug)]
enum GitError {
    /// git could not be started.
    Missing(std::io::Error),
    /// git ran and failed; its stderr.
    Failed(String),
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::Missing(err) => write!(f, "--changed-since needs git on PATH: {err}"),
            GitError::Failed(stderr) => write!(f, "git failed: {}", stderr.trim()),
        }
    }
}

/// Runs git in `dir` and returns its stdout.
fn git(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let output: Output = Command::new("git")
        .args(args)
        .current_dir(dir)
        // Never wait on a pager or a prompt.
        .env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(GitError::Missing)?;
    if !output.status.success() {
        return Err(GitError::Failed(
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The added and changed lines of each new-side file in a `--unified=0` diff.
fn parse_diff(diff: &str) -> HashMap<String, Lines> {
    let mut by_path: HashMap<String, Lines> = HashMap::new();
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if let Some(target) = line.strip_prefix("+++ ") {
            let target = target.trim_end_matches('\t');
            let target = if target.starts_with('"') {
                unquote(target)
            } else {
                target.to_string()
            };
            current = target.strip_prefix("b/").map(str::to_string);
            if let Some(path) = &current {
                by_path
                    .entry(path.clone())
                    .or_insert_with(|| Lines::Ranges(Vec::new()));
            }
        } else if line.starts_with("diff --git ") {
            current = None;
        } else if let Some(hunk) = line.strip_prefix("@@ ") {
            let (Some(path), Some(range)) = (&current, new_side(hunk)) else {
                continue;
            };
            if let Some(Lines::Ranges(ranges)) = by_path.get_mut(path) {
                ranges.push(range);
            }
        }
    }
    by_path
}

/// The new-side lines of a hunk header's rest (`-3,2 +4,5 @@ ...`), or `None` for a
/// hunk that only deletes.
fn new_side(hunk: &str) -> Option<(u32, u32)> {
    let plus = hunk.split_whitespace().find(|part| part.starts_with('+'))?;
    let mut numbers = plus[1..].splitn(2, ',');
    let start: u32 = numbers.next()?.parse().ok()?;
    let count: u32 = match numbers.next() {
        Some(count) => count.parse().ok()?,
        None => 1,
    };
    (count > 0).then(|| (start, start + count - 1))
}

/// A path git quoted C-style (`"b/a\tb.py"`, octal escapes for bytes it will not show).
fn unquote(quoted: &str) -> String {
    let inner = quoted
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(quoted);
    let mut bytes = Vec::with_capacity(inner.len());
    let mut chars = inner.bytes().peekable();
    while let Some(byte) = chars.next() {
        if byte != b'\\' {
            bytes.push(byte);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'r') => bytes.push(b'\r'),
            Some(b'a') => bytes.push(0x07),
            Some(b'b') => bytes.push(0x08),
            Some(b'f') => bytes.push(0x0c),
            Some(b'v') => bytes.push(0x0b),
            Some(digit @ b'0'..=b'7') => {
                let mut value = u32::from(digit - b'0');
                for _ in 0..2 {
                    match chars.peek() {
                        Some(&next @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(next - b'0');
                            chars.next();
                        }
                        _ => break,
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => bytes.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_give_the_new_side_lines() {
        let diff = "\
diff --git a/job.py b/job.py
index 1..2 100644
--- a/job.py
+++ b/job.py
@@ -3 +3 @@ spark = x
-a
+b
@@ -10,0 +11,2 @@
+c
+d
@@ -20,2 +21,0 @@
-e
-f
diff --git a/gone.py b/gone.py
--- a/gone.py
+++ /dev/null
@@ -1 +0,0 @@
-x
diff --git \"a/we\\tird.py\" \"b/we\\tird.py\"
--- \"a/we\\tird.py\"
+++ \"b/we\\tird.py\"
@@ -1 +1 @@
-x
+y
";
        let parsed = parse_diff(diff);
        assert_eq!(parsed["job.py"], Lines::Ranges(vec![(3, 3), (11, 12)]));
        assert_eq!(parsed["we\tird.py"], Lines::Ranges(vec![(1, 1)]));
        assert!(!parsed.contains_key("gone.py"));
        assert_eq!(parsed.len(), 2);
    }

    #[test]
    fn a_finding_is_kept_when_any_line_of_its_span_changed() {
        let changed = ChangedLines {
            toplevel: PathBuf::from("/repo"),
            cwd: PathBuf::from("/repo"),
            by_path: HashMap::from([
                ("job.py".to_string(), Lines::Ranges(vec![(5, 6), (10, 10)])),
                ("new.py".to_string(), Lines::All),
            ]),
        };
        let at = |path: &str, first: u32, last: u32| {
            let mut diagnostic = crate::report::tests::finding(path, "x.collect()\n", "collect()");
            diagnostic.start.line = first;
            diagnostic.end.line = last;
            changed.touches(&diagnostic)
        };
        assert!(at("job.py", 5, 5));
        assert!(at("job.py", 3, 5), "a span ending on a changed line");
        assert!(at("job.py", 7, 12), "a span around a changed line");
        assert!(!at("job.py", 7, 9));
        assert!(!at("job.py", 11, 11));
        assert!(at("new.py", 1, 1));
        assert!(!at("other.py", 5, 5));
        assert!(!at("/elsewhere/job.py", 5, 5));
    }

    #[test]
    fn octal_escapes_are_utf8_bytes() {
        assert_eq!(unquote("\"b/\\303\\274.py\""), "b/ü.py");
    }
}
