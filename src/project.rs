//! How `check` runs over a project in flat memory, with the results cache.
//!
//! The first pass ([`first_pass`]) reads each file, and either takes its results
//! from the cache or parses it once, extracts its facts for the project index and
//! checks it right away against an empty index, recording what the check looked up
//! there ([`index::record`]). Then the tree, the model and, for a file without
//! findings, the text are dropped: what stays per file is its facts (until the index
//! takes them), its findings and its lookups. The second pass ([`second_pass`])
//! asks whether the joined index answers each file's lookups as the empty one did
//! ([`index::Reads::hold_in`]); only a file it answers differently is read, parsed
//! and checked again, now with the index. Memory then grows with the facts and the
//! findings, not with the source, and most files are parsed once.
//!
//! [`engine::prepare_file`] and [`engine::check_prepared`] check the same files by
//! keeping every tree instead; the corpus tests prove both give the same findings.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cache::{self, Cache};
use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::engine::{self, FileError, FileKind, FileReport};
use crate::model::index::{ProjectIndex, Reads, WaitingFacts};
use crate::source;

/// A file after the first pass.
#[derive(Debug)]
pub struct Pending {
    pub path: PathBuf,
    pub display_path: String,
    kind: FileKind,
    /// What the file tells the rest of the project, until the index takes it.
    pub facts: Option<WaitingFacts>,
    diagnostics: Vec<Diagnostic>,
    test_code: bool,
    /// What the check of `diagnostics` looked up in the index, and the answers.
    reads: Reads,
    /// The text, kept only when it is not on disk (standard input).
    text: Option<String>,
    /// A digest of the text, when there are findings: their file is read again
    /// to render them, once the run no longer holds the project ([`Reread`]).
    digest: Option<u64>,
    /// The tree and model, when kept for a second check.
    kept: Option<engine::Kept>,
    /// The file's cache entry, and whether it already holds these results.
    key: Option<cache::Key>,
    cached: bool,
}

/// How much source the first pass may keep parsed for the second: the trees and
/// models of the files whose lookups the project's index may answer otherwise,
/// so that they are not parsed twice. A kept tree and model take about twenty times
/// the bytes of their source; the budget keeps memory flat however big the tree.
#[derive(Debug)]
pub struct Budget {
    left: AtomicUsize,
}

impl Budget {
    /// What a run of `check` keeps: 256 KiB of source, about 5 MiB of trees and
    /// models. Few files are checked twice (11 of pyspark's 515), so a small budget
    /// saves most of their second parse.
    pub const DEFAULT_BYTES: usize = 256 << 10;

    pub fn new(bytes: usize) -> Budget {
        Budget {
            left: AtomicUsize::new(bytes),
        }
    }

    /// Takes `bytes`; `false` (and nothing taken) when they do not fit.
    fn take(&self, bytes: usize) -> bool {
        self.left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .is_ok()
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(Budget::DEFAULT_BYTES)
    }
}

/// How a run's files were checked, for `SPARKGUARD_TIMINGS` and the tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Route {
    /// The cache held results that still hold.
    #[default]
    Cached,
    /// Checked once in the first pass: the index changed nothing it looked up.
    Once,
    /// Checked again in the second pass, with the index.
    Again,
}

fn error(display_path: &str, message: String) -> FileError {
    FileError {
        display_path: display_path.to_string(),
        message,
    }
}

/// Reads `path` and decodes it: its bytes are what the cache is keyed by.
fn read(path: &Path, display_path: &str) -> Result<(FileKind, Vec<u8>), FileError> {
    let kind = FileKind::of(path).ok_or_else(|| {
        error(
            display_path,
            "not a Python, Scala, notebook or Spark launch file".to_string(),
        )
    })?;
    let bytes = std::fs::read(path)
        .map_err(|err| error(display_path, format!("cannot read file: {err}")))?;
    Ok((kind, bytes))
}

/// The first pass over one file: its results from `cache`, or its facts and its
/// findings against an empty index.
pub fn first_pass(
    path: &Path,
    display_path: &str,
    settings: &Settings,
    cache: Option<&Cache>,
    budget: &Budget,
) -> Result<Pending, FileError> {
    let (kind, bytes) = read(path, display_path)?;
    let key = cache.map(|cache| cache.key(path, display_path, settings, &bytes));
    let text = source::decode(bytes).map_err(|message| error(display_path, message))?;
    if let (Some(cache), Some(found)) = (cache, &key)
        && let Some(hit) = cache.load(found, text.len())
    {
        return Ok(Pending {
            path: path.to_path_buf(),
            display_path: display_path.to_string(),
            kind,
            facts: hit.facts.map(WaitingFacts::new),
            text: None,
            digest: (!hit.diagnostics.is_empty()).then(|| text_digest(&text)),
            diagnostics: hit.diagnostics,
            test_code: hit.test_code,
            reads: hit.reads,
            kept: None,
            key,
            cached: true,
        });
    }
    checked_first(
        path,
        display_path,
        kind,
        text,
        settings,
        budget,
        cache,
        key,
        false,
    )
}

/// The first pass over text that is not on disk (standard input, as `path`): never
/// cached, and its text is kept, for there is no file to read it again from.
pub fn first_pass_source(
    path: &Path,
    display_path: &str,
    text: String,
    settings: &Settings,
    budget: &Budget,
) -> Result<Pending, FileError> {
    let kind = FileKind::of(path).ok_or_else(|| {
        error(
            display_path,
            "not a Python, Scala, notebook or Spark launch file".to_string(),
        )
    })?;
    checked_first(
        path,
        display_path,
        kind,
        text,
        settings,
        budget,
        None,
        None,
        true,
    )
}

/// The first pass's check of one file's text against its own facts.
#[allow(clippy::too_many_arguments)]
fn checked_first(
    path: &Path,
    display_path: &str,
    kind: FileKind,
    text: String,
    settings: &Settings,
    budget: &Budget,
    cache: Option<&Cache>,
    key: Option<cache::Key>,
    keep_text: bool,
) -> Result<Pending, FileError> {
    let analysis = engine::analyse(kind, display_path, &text, settings, None)
        .map_err(|message| error(display_path, message))?;
    let checked = analysis.checked;
    // The entry is written now, with the file's whole facts (the run's index keeps
    // only a part of them): a file the index answers as its own facts did keeps
    // these results, and a second check replaces only them.
    if let (Some(cache), Some(key)) = (cache, &key) {
        cache.store(
            key,
            analysis.facts.as_ref(),
            &checked.diagnostics,
            checked.test_code,
            &analysis.reads,
        );
    }
    // The tree and model are kept, while the budget lasts, for a file the project
    // may answer otherwise: one that looked anything up.
    let kept = analysis
        .kept
        .filter(|kept| !analysis.reads.is_empty() && budget.take(kept.len()));
    Ok(Pending {
        path: path.to_path_buf(),
        display_path: display_path.to_string(),
        kind,
        facts: analysis.facts.map(WaitingFacts::new),
        digest: (!keep_text && !checked.diagnostics.is_empty()).then(|| text_digest(&text)),
        text: keep_text.then_some(text),
        diagnostics: checked.diagnostics,
        test_code: checked.test_code,
        reads: analysis.reads,
        kept,
        key,
        cached: false,
    })
}

/// A digest of a text, to tell whether a file read again is the text checked.
fn text_digest(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Where the text of a file with findings is, while the run does not hold it: its
/// findings are rendered with it after the project index is gone, so that the
/// texts and the index are never held at once.
#[derive(Debug)]
pub struct Reread {
    path: PathBuf,
    digest: u64,
}

impl Reread {
    /// The text again; `None` when the file cannot be read or is no longer the
    /// text that was checked (then its findings are shown without their source).
    pub fn load(&self) -> Option<String> {
        let bytes = std::fs::read(&self.path).ok()?;
        let text = source::decode(bytes).ok()?;
        (text_digest(&text) == self.digest).then_some(text)
    }
}

/// The second pass over one file: its first-pass findings when `project` answers
/// its lookups as before, else a check with `project`; the results are stored in
/// `cache` when they are not the first pass's. The report holds the text only when it
/// is not on disk; else, for a file with findings, the [`Reread`] gives it.
pub fn second_pass(
    pending: Pending,
    settings: &Settings,
    project: &Arc<ProjectIndex>,
    cache: Option<&Cache>,
) -> Result<(FileReport, Route, Option<Reread>), FileError> {
    let Pending {
        path,
        display_path,
        kind,
        facts: _,
        mut diagnostics,
        mut test_code,
        mut reads,
        mut text,
        mut digest,
        mut key,
        cached,
        kept,
    } = pending;
    // Text from standard input is held to the end: there is no file to read again.
    let held = text.is_some();
    let route = if reads.hold_in(project) {
        if cached { Route::Cached } else { Route::Once }
    } else {
        let (checked, again) = match (kept, text.take()) {
            (Some(kept), _) => {
                let (checked, reads, kept_text) = kept.recheck(&display_path, settings, project);
                text = Some(kept_text);
                (checked, reads)
            }
            (None, kept_text) => {
                let current = match kept_text {
                    Some(text) => text,
                    None => {
                        let (_, bytes) = read(&path, &display_path)?;
                        // A file changed since the first pass is checked as it is
                        // now, but not stored under the key of what it was.
                        if key.as_ref().is_some_and(|key| !key.holds(&bytes)) {
                            key = None;
                        }
                        source::decode(bytes).map_err(|message| error(&display_path, message))?
                    }
                };
                let analysis =
                    engine::analyse(kind, &display_path, &current, settings, Some(project))
                        .map_err(|message| error(&display_path, message))?;
                text = Some(current);
                (analysis.checked, analysis.reads)
            }
        };
        diagnostics = checked.diagnostics;
        test_code = checked.test_code;
        reads = again;
        Route::Again
    };
    // The text is for rendering findings, and for nothing else; a file's is read
    // again for that.
    if diagnostics.is_empty() {
        text = None;
        digest = None;
    } else if !held && let Some(checked) = text.take() {
        digest = Some(text_digest(&checked));
    }
    let reread = digest.map(|digest| Reread {
        path: path.clone(),
        digest,
    });
    if let (Some(cache), Some(key)) = (cache, &key)
        && route == Route::Again
    {
        cache.restore_results(key, &diagnostics, test_code, &reads);
    }
    let report = FileReport {
        display_path,
        text: text.unwrap_or_default(),
        diagnostics,
        test_code,
    };
    Ok((report, route, reread))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_read_again_is_the_text_checked_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.py");
        std::fs::write(&path, "rows = df.collect()\n").unwrap();
        let reread = Reread {
            path: path.clone(),
            digest: text_digest("rows = df.collect()\n"),
        };
        assert_eq!(reread.load().as_deref(), Some("rows = df.collect()\n"));
        std::fs::write(&path, "rows = df.take(5)\n").unwrap();
        assert_eq!(reread.load(), None);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(reread.load(), None);
    }
}
