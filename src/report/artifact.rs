//! Where a checked file is, as review bots need it: relative to the project root (the
//! git work tree holding the current directory, or the current directory itself) with
//! `/` separators, and as a URI. Display paths are relative to the current directory
//! or as given; a bot that posts on a pull request wants them relative to the
//! repository, whatever directory the check ran in.

use std::path::{Component, Path, PathBuf};

/// The directory review formats make paths relative to.
#[derive(Clone, Debug)]
pub struct ProjectRoot {
    /// The root, absolute and canonical.
    dir: PathBuf,
    /// The directory display paths are relative to, absolute and canonical.
    cwd: PathBuf,
}

impl ProjectRoot {
    /// The nearest ancestor of the current directory holding `.git` (a directory, or
    /// the file a linked worktree has), else the current directory.
    pub fn discover() -> ProjectRoot {
        let cwd = std::env::current_dir()
            .and_then(|dir| dir.canonicalize())
            .unwrap_or_else(|_| PathBuf::from("."));
        let dir = cwd
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(cwd.as_path())
            .to_path_buf();
        ProjectRoot { dir, cwd }
    }

    /// A root at `dir` for display paths relative to `cwd` (both absolute).
    pub fn new(dir: PathBuf, cwd: PathBuf) -> ProjectRoot {
        ProjectRoot { dir, cwd }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `display_path` relative to the root with `/` separators, or `None` when the
    /// file lies outside it.
    pub fn relative(&self, display_path: &str) -> Option<String> {
        relative_to(&self.dir, &self.cwd, display_path)
    }

    /// The path a fingerprint and a baseline entry use: root-relative when it can
    /// be, else the display path with `/` separators.
    pub fn key(&self, display_path: &str) -> String {
        self.relative(display_path)
            .unwrap_or_else(|| display_path.replace('\\', "/"))
    }

    /// The root as a `file:` URI ending in `/`, the form SARIF's
    /// `originalUriBaseIds` requires.
    pub fn uri(&self) -> String {
        let mut uri = file_uri(&self.dir);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }

    /// The absolute `file:` URI of a display path.
    pub fn absolute_uri(&self, display_path: &str) -> String {
        file_uri(&normalize(&self.cwd.join(display_path)))
    }
}

/// `display_path` (relative to `cwd`, or absolute) relative to `root`, with `/`
/// separators; `None` outside `root`. The file is resolved through symlinks when it
/// exists, so a path through a linked directory still lands inside the root.
pub fn relative_to(root: &Path, cwd: &Path, display_path: &str) -> Option<String> {
    let joined = cwd.join(display_path);
    let resolved = joined.canonicalize().unwrap_or_else(|_| normalize(&joined));
    let rest = resolved.strip_prefix(root).ok()?;
    let parts: Vec<String> = rest
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

/// `.` and `..` removed without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// An absolute path as a `file:` URI.
fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let encoded = encode_path(&text);
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        // A Windows drive path: `file:///C:/...`.
        format!("file:///{encoded}")
    }
}

/// Percent-encodes a `/`-separated path for a URI: everything but the unreserved
/// characters, `/` and the drive colon.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_root_with_forward_slashes() {
        let root = ProjectRoot::new(PathBuf::from("/repo"), PathBuf::from("/repo/jobs"));
        assert_eq!(
            root.relative("etl/daily.py").as_deref(),
            Some("jobs/etl/daily.py")
        );
        assert_eq!(root.relative("./a.py").as_deref(), Some("jobs/a.py"));
        assert_eq!(root.relative("../b.py").as_deref(), Some("b.py"));
        assert_eq!(root.relative("/elsewhere/c.py"), None);
        assert_eq!(root.key("/elsewhere/c.py"), "/elsewhere/c.py");
        assert_eq!(root.uri(), "file:///repo/");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode_path("a b/ü#.py"), "a%20b/%C3%BC%23.py");
    }
}
