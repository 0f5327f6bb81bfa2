//! The identity of a finding that survives edits elsewhere in its file: what SARIF's
//! `partialFingerprints`, GitLab's `fingerprint` and the baseline all use, computed
//! here only.
//!
//! A fingerprint hashes the rule code, the root-relative path, the text of the
//! flagged line with its whitespace collapsed, and the finding's occurrence index
//! among the findings of that rule on equal lines of that file. Line numbers are not
//! part of it, so inserting or deleting lines above a finding keeps its fingerprint;
//! the occurrence index keeps two equal flagged lines (or two findings on one line)
//! apart, so every fingerprint in a run is unique.

use std::collections::HashMap;

use super::Sources;
use super::artifact::ProjectRoot;
use crate::diagnostic::Diagnostic;

/// The key under which SARIF carries the fingerprint in `partialFingerprints`; its
/// version changes whenever the computation does.
pub const SARIF_KEY: &str = "sparkguardFingerprint/v1";

/// One finding's fingerprint and what went into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// 16 lowercase hex digits.
    pub hash: String,
    /// The root-relative path (see [`ProjectRoot::key`]).
    pub path: String,
    /// The flagged line, whitespace collapsed to single spaces and trimmed.
    pub line: String,
}

/// The fingerprint of each of `diagnostics`, in the same order. The diagnostics must
/// be in output order (as the CLI sorts them), which decides the occurrence index.
pub fn fingerprints(
    diagnostics: &[Diagnostic],
    sources: &Sources<'_>,
    root: &ProjectRoot,
) -> Vec<Fingerprint> {
    let mut keys: HashMap<&str, String> = HashMap::new();
    let mut seen: HashMap<(&'static str, String, String), u32> = HashMap::new();
    diagnostics
        .iter()
        .map(|diagnostic| {
            let path = keys
                .entry(diagnostic.path.as_str())
                .or_insert_with(|| root.key(&diagnostic.path))
                .clone();
            let text = sources.get(&diagnostic.path);
            let line = normalized_line(text.as_deref().unwrap_or(""), diagnostic.range.start);
            let occurrence = seen
                .entry((diagnostic.code, path.clone(), line.clone()))
                .or_insert(0);
            let hash = hash_parts(&[diagnostic.code, &path, &line, &occurrence.to_string()]);
            *occurrence += 1;
            Fingerprint { hash, path, line }
        })
        .collect()
}

/// The line of `text` holding byte `offset`, whitespace collapsed.
fn normalized_line(text: &str, offset: usize) -> String {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// 64-bit FNV-1a over the parts, each followed by a NUL so that no two different
/// part lists hash the same bytes. Written out rather than taken from `std`, whose
/// hasher output may change between Rust releases: baselines outlive toolchains.
fn hash_parts(parts: &[&str]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::report::tests::finding;

    fn root() -> ProjectRoot {
        ProjectRoot::new(PathBuf::from("/repo"), PathBuf::from("/repo"))
    }

    fn hashes(path: &str, text: &str, needles: &[&str]) -> Vec<String> {
        let diagnostics: Vec<Diagnostic> = needles
            .iter()
            .map(|needle| finding(path, text, needle))
            .collect();
        let mut sources = Sources::new();
        sources.insert(path, text);
        fingerprints(&diagnostics, &sources, &root())
            .into_iter()
            .map(|f| f.hash)
            .collect()
    }

    #[test]
    fn the_hash_is_fixed_across_releases() {
        // FNV-1a of the empty input is the offset basis; of "a\0" a known value.
        assert_eq!(hash_parts(&[]), "cbf29ce484222325");
        assert_eq!(hash_parts(&["a"]), "089be207b544f1e4");
    }

    #[test]
    fn moving_the_line_keeps_the_fingerprint() {
        let before = hashes("a.py", "x = 1\nrows = df.collect()\n", &["collect()"]);
        let after = hashes(
            "a.py",
            "# new\n\nx = 1\n    rows  =  df.collect()\n",
            &["collect()"],
        );
        assert_eq!(before, after);
    }

    #[test]
    fn equal_lines_get_distinct_fingerprints() {
        let text = "rows = df.collect()\nrows = df.collect()\n";
        let diagnostics = vec![
            finding("a.py", text, "collect()"),
            Diagnostic {
                range: 29..38,
                ..finding("a.py", text, "collect()")
            },
        ];
        let mut sources = Sources::new();
        sources.insert("a.py", text);
        let found = fingerprints(&diagnostics, &sources, &root());
        assert_eq!(found[0].line, found[1].line);
        assert_ne!(found[0].hash, found[1].hash);
    }

    #[test]
    fn path_and_rule_are_part_of_it() {
        let text = "rows = df.collect()\n";
        assert_ne!(
            hashes("a.py", text, &["collect()"]),
            hashes("b.py", text, &["collect()"])
        );
    }
}
