//! `check -` and `--stdin-filename PATH`: checking a buffer that is not on disk (an
//! editor's unsaved file, a pre-commit stage) as if it were the file at PATH. The
//! name decides everything a path decides for a file — the language, the config
//! found by walking up from it, the `test-paths` and `per-file-ignores` that match it
//! and the path the findings show — while the text is read from standard input.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The buffer read from standard input and the file it stands for.
#[derive(Debug)]
pub struct StdinSource {
    /// The path the buffer is checked as (relative to the current directory or
    /// absolute); `stdin.py` in the current directory without `--stdin-filename`.
    pub path: PathBuf,
    /// How findings name it: `--stdin-filename` as given, or `-`.
    pub display_path: String,
    pub text: String,
}

/// The name the buffer gets without `--stdin-filename`: Python, in the current
/// directory, so the config of the current directory applies.
const DEFAULT_NAME: &str = "stdin.py";

/// Whether this run reads standard input: `check -`, or `--stdin-filename` with no
/// other path than `-` (or the default `.`). `Err` when paths are named too, which
/// would leave it unclear what is checked.
pub fn wanted(paths: &[PathBuf], stdin_filename: Option<&Path>) -> Result<bool, String> {
    let dash = paths.iter().any(|path| path.as_os_str() == "-");
    let only_default = paths.len() == 1 && paths[0].as_os_str() == ".";
    if dash && paths.len() > 1 {
        return Err("`-` (standard input) cannot be checked together with other paths".into());
    }
    if stdin_filename.is_some() && !dash && !only_default {
        return Err(
            "--stdin-filename reads the file from standard input; name no paths, or `-`".into(),
        );
    }
    Ok(dash || stdin_filename.is_some())
}

/// Reads all of standard input as the buffer for `stdin_filename` (or `-`). Bytes
/// that are not text are an error naming the buffer, as for a file.
pub fn read(stdin_filename: Option<&Path>) -> Result<StdinSource, String> {
    let display_path = match stdin_filename {
        Some(path) => crate::config::slash_path(path),
        None => "-".to_string(),
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|err| format!("{display_path}: cannot read standard input: {err}"))?;
    let text =
        crate::source::decode(bytes).map_err(|message| format!("{display_path}: {message}"))?;
    Ok(StdinSource {
        path: stdin_filename.map_or_else(|| PathBuf::from(DEFAULT_NAME), Path::to_path_buf),
        display_path,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<PathBuf> {
        list.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn dash_or_a_stdin_filename_reads_stdin() {
        assert_eq!(wanted(&paths(&["-"]), None), Ok(true));
        assert_eq!(wanted(&paths(&["."]), Some(Path::new("a.py"))), Ok(true));
        assert_eq!(wanted(&paths(&["-"]), Some(Path::new("a.py"))), Ok(true));
        assert_eq!(wanted(&paths(&["."]), None), Ok(false));
        assert_eq!(wanted(&paths(&["jobs"]), None), Ok(false));
    }

    #[test]
    fn stdin_and_paths_together_are_refused() {
        assert!(wanted(&paths(&["-", "jobs"]), None).is_err());
        assert!(wanted(&paths(&["jobs"]), Some(Path::new("a.py"))).is_err());
    }
}
