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

use crate::cache::{self, Cache};
use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::engine::{self, FileError, FileKind, FileReport};
use crate::model::index::{PackedReads, ProjectIndex, WaitingFacts};
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
    reads: PackedReads,
    /// The text, kept only when it is not on disk (standard input).
    text: Option<String>,
    /// A digest of the text, when there are findings: their file is read again
    /// to render them, once the run no longer holds the project ([`Reread`]).
    digest: Option<u64>,
    /// The file's cache entry, and whether it already holds these results.
    key: Option<cache::Key>,
    cached: bool,
    /// The length of its text.
    pub bytes: usize,
}

/// A source this big (in bytes) is a big file: its tree and model take many times
/// its size, and [`map_in_lanes`] checks few such files at once.
pub const BIG_FILE_BYTES: u64 = 128 << 10;

/// `work` on every item, in parallel, in the order of `items`, as a parallel `map`
/// gives; but the big items (`is_big`) go through lanes of their own, one after the
/// other in each, with one lane for each two threads (at least one). The rest run
/// on every thread, beside and after the lanes.
///
/// A big file's tree and model are the largest things a run holds, and a parallel
/// map would hold as many of them at once as it has threads whenever big files
/// come together, as the biggest files of a tree often do. In lanes, the run's peak
/// memory holds at most one big file for each two threads, and the other threads
/// keep busy with the small files, so no thread waits.
pub fn map_in_lanes<T: Send, R: Send>(
    items: Vec<T>,
    is_big: impl Fn(&T) -> bool,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    use rayon::prelude::*;
    let count = items.len();
    let lanes = (rayon::current_num_threads() / 2).max(1);
    let mut big: Vec<Vec<(usize, T)>> = (0..lanes).map(|_| Vec::new()).collect();
    let mut small = Vec::new();
    let mut next_lane = 0;
    for (at, item) in items.into_iter().enumerate() {
        if is_big(&item) {
            big[next_lane].push((at, item));
            next_lane = (next_lane + 1) % lanes;
        } else {
            small.push((at, item));
        }
    }
    let work = &work;
    let (mut done, small_done) = rayon::join(
        || {
            big.into_par_iter()
                .flat_map_iter(|lane| {
                    lane.into_iter()
                        .map(|(at, item)| (at, work(item)))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        },
        || {
            small
                .into_par_iter()
                .map(|(at, item)| (at, work(item)))
                .collect::<Vec<_>>()
        },
    );
    done.extend(small_done);
    done.sort_unstable_by_key(|(at, _)| *at);
    debug_assert_eq!(done.len(), count);
    done.into_iter().map(|(_, result)| result).collect()
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
            reads: PackedReads::new(&hit.reads),
            key,
            cached: true,
            bytes: text.len(),
        });
    }
    checked_first(path, display_path, kind, text, settings, cache, key, false)
}

/// The first pass over text that is not on disk (standard input, as `path`): never
/// cached, and its text is kept, for there is no file to read it again from.
pub fn first_pass_source(
    path: &Path,
    display_path: &str,
    text: String,
    settings: &Settings,
) -> Result<Pending, FileError> {
    let kind = FileKind::of(path).ok_or_else(|| {
        error(
            display_path,
            "not a Python, Scala, notebook or Spark launch file".to_string(),
        )
    })?;
    checked_first(path, display_path, kind, text, settings, None, None, true)
}

/// The first pass's check of one file's text against its own facts.
#[allow(clippy::too_many_arguments)]
fn checked_first(
    path: &Path,
    display_path: &str,
    kind: FileKind,
    text: String,
    settings: &Settings,
    cache: Option<&Cache>,
    key: Option<cache::Key>,
    keep_text: bool,
) -> Result<Pending, FileError> {
    let bytes = text.len();
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
    Ok(Pending {
        path: path.to_path_buf(),
        display_path: display_path.to_string(),
        kind,
        facts: analysis.facts.map(WaitingFacts::new),
        digest: (!keep_text && !checked.diagnostics.is_empty()).then(|| text_digest(&text)),
        text: keep_text.then_some(text),
        diagnostics: checked.diagnostics,
        test_code: checked.test_code,
        reads: PackedReads::new(&analysis.reads),
        key,
        cached: false,
        bytes,
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

    /// Whether the file is still the text that was checked.
    pub fn holds(&self) -> bool {
        self.load().is_some()
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
        reads,
        mut text,
        mut digest,
        mut key,
        cached,
        bytes: _,
    } = pending;
    // Text from standard input is held to the end: there is no file to read again.
    let held = text.is_some();
    // What a second check looked up, for the cache.
    let mut again = None;
    let route = if reads.hold_in(project) {
        if cached { Route::Cached } else { Route::Once }
    } else {
        let current = match text.take() {
            Some(text) => text,
            None => {
                let (_, bytes) = read(&path, &display_path)?;
                // A file changed since the first pass is checked as it is now, but
                // not stored under the key of what it was.
                if key.as_ref().is_some_and(|key| !key.holds(&bytes)) {
                    key = None;
                }
                source::decode(bytes).map_err(|message| error(&display_path, message))?
            }
        };
        let analysis = engine::analyse(kind, &display_path, &current, settings, Some(project))
            .map_err(|message| error(&display_path, message))?;
        text = Some(current);
        diagnostics = analysis.checked.diagnostics;
        test_code = analysis.checked.test_code;
        again = Some(analysis.reads);
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
    if let (Some(cache), Some(key), Some(reads)) = (cache, &key, &again) {
        cache.restore_results(key, &diagnostics, test_code, reads);
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
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn lanes_keep_the_order_and_hold_few_big_items_at_once() {
        let in_flight = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let items: Vec<usize> = (0..200).collect();
        let done = map_in_lanes(
            items,
            |item| item % 3 == 0,
            |item| {
                if item % 3 == 0 {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_micros(200));
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                }
                item * 2
            },
        );
        assert_eq!(done, (0..200).map(|item| item * 2).collect::<Vec<_>>());
        let lanes = (rayon::current_num_threads() / 2).max(1);
        assert!(most.into_inner() <= lanes);
        assert!(map_in_lanes(Vec::<usize>::new(), |_| true, |item| item).is_empty());
    }

    #[test]
    fn sources_read_texts_again_one_file_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let reread = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            Reread {
                path,
                digest: text_digest(text),
            }
        };
        let (a, b) = (reread("a.py", "a = 1\n"), reread("b.py", "b = 2\n"));
        let mut sources = crate::report::Sources::new();
        sources.insert_on_disk("a.py", &a);
        sources.insert_on_disk("b.py", &b);
        sources.insert("c.py", "c = 3\n");
        assert_eq!(sources.get("a.py").as_deref(), Some("a = 1\n"));
        // The text held for the last ask is given again without a read.
        std::fs::remove_file(dir.path().join("a.py")).unwrap();
        assert_eq!(sources.get("a.py").as_deref(), Some("a = 1\n"));
        assert_eq!(sources.get("b.py").as_deref(), Some("b = 2\n"));
        assert_eq!(sources.get("c.py").as_deref(), Some("c = 3\n"));
        // Asked again after another file, `a.py` is read again: it is gone now.
        assert_eq!(sources.get("a.py").as_deref(), None);
        assert!(!a.holds() && b.holds());
        // A file changed since its check gives no text.
        std::fs::write(dir.path().join("b.py"), "b = 3\n").unwrap();
        assert!(!b.holds());
        assert_eq!(sources.get("b.py").as_deref(), None);
        assert_eq!(sources.get("d.py").as_deref(), None);
        assert_eq!(sources.paths(), ["a.py", "b.py", "c.py"]);
    }

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
