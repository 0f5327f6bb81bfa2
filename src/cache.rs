//! The results cache: what checking a file gave, stored per file so that a second
//! run over an unchanged tree reads it back instead of parsing.
//!
//! An entry holds a file's facts for the project index, its findings (with fixes
//! and related positions, as every output format renders them), whether it held
//! test code, and the lookups its check made in the project index with a digest of
//! each answer ([`Reads`]). It is used only when all of these match the run:
//!
//! - the binary (its version, and the size and modification time of the executable,
//!   so a rebuilt binary of the same version does not trust its predecessor),
//! - the settings that apply to the file ([`settings_digest`]),
//! - the file's path and display path (findings and facts name it),
//! - the file's bytes (a 128-bit content hash),
//!
//! and its findings are used only when the project index of this run gives every
//! recorded lookup the same answer: a file's findings change when a constant or a
//! function summary it read from another file changes, and only then. Anything else
//! (a corrupt, truncated or foreign entry, a finding naming an unknown rule or a
//! place past the end of the file) is a miss, and the entry is written again.
//!
//! Entries live in `<dir>/files/`, one per file, named by a hash of the paths; the
//! directory holds a `.gitignore` of `*` and a `CACHEDIR.TAG`, so neither git nor
//! backup tools pick it up. Every write goes to a temporary file in the same
//! directory and is renamed over the entry: a reader sees an old entry or a new one,
//! never half of one, and two runs at once both leave a valid entry.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::diagnostic::{CellPosition, Diagnostic, Fix, Position, Related, Severity};
use crate::model::index::{FileFacts, Reads};
use crate::rules;

/// The directory name a cache gets at the project root by default.
pub const DEFAULT_DIR_NAME: &str = ".sparkguard_cache";

/// The environment variable that names the cache directory, over the config.
pub const DIR_VARIABLE: &str = "SPARKGUARD_CACHE_DIR";

/// The layout of an entry; a change of it makes every old entry a miss.
const FORMAT: u32 = 2;

/// The `CACHEDIR.TAG` signature (<https://bford.info/cachedir/>).
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file marks the sparkguard results cache; `sparkguard clean` removes it.\n";

/// A cache directory for one run.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    /// Why an entry could not be written, the first time it happened.
    write_error: Mutex<Option<String>>,
}

/// Where one file's entry is and what it must match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    entry: PathBuf,
    display_path: String,
    settings: String,
    content: String,
}

impl Key {
    /// Whether `bytes` are the content this key was made for.
    pub fn holds(&self, bytes: &[u8]) -> bool {
        self.content == format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
    }
}

/// What checking one file gave, as the cache gives it back.
#[derive(Debug)]
pub struct Hit {
    pub facts: Option<FileFacts>,
    pub diagnostics: Vec<Diagnostic>,
    pub test_code: bool,
    pub reads: Reads,
}

/// One file's entry on disk.
#[derive(Serialize, Deserialize)]
struct Entry {
    format: u32,
    build: String,
    settings: String,
    content: String,
    display_path: String,
    facts: Option<FileFacts>,
    test_code: bool,
    diagnostics: Vec<Stored>,
    reads: Reads,
}

/// A [`Diagnostic`] as stored: the rule by its code, the path left to the entry.
#[derive(Serialize, Deserialize)]
struct Stored {
    code: String,
    severity: Severity,
    range: std::ops::Range<usize>,
    start: Position,
    end: Position,
    message: String,
    help: String,
    fix: Option<Fix>,
    cell: Option<CellPosition>,
    related: Vec<Related>,
}

impl Stored {
    fn of(diagnostic: &Diagnostic) -> Stored {
        Stored {
            code: diagnostic.code.to_string(),
            severity: diagnostic.severity,
            range: diagnostic.range.clone(),
            start: diagnostic.start,
            end: diagnostic.end,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            fix: diagnostic.fix.clone(),
            cell: diagnostic.cell,
            related: diagnostic.related.clone(),
        }
    }

    /// The diagnostic back, for the file `display_path` of `len` bytes; `None` when
    /// the entry cannot be of this binary and this file.
    fn restore(self, display_path: &str, len: usize) -> Option<Diagnostic> {
        let rule = rules::by_code(&self.code)?;
        let inside = |range: &std::ops::Range<usize>| range.start <= range.end && range.end <= len;
        let edits_inside = self
            .fix
            .as_ref()
            .is_none_or(|fix| fix.edits.iter().all(|edit| inside(&edit.range)));
        let related_inside = self.related.iter().all(|related| inside(&related.range));
        if !inside(&self.range) || !edits_inside || !related_inside {
            return None;
        }
        Some(Diagnostic {
            code: rule.code,
            name: rule.name,
            severity: self.severity,
            path: display_path.to_string(),
            range: self.range,
            start: self.start,
            end: self.end,
            message: self.message,
            help: self.help,
            fix: self.fix,
            cell: self.cell,
            related: self.related,
        })
    }
}

/// What identifies this binary: its version, and the size and modification time of
/// the executable (a development build changes them without changing the version).
fn build() -> &'static str {
    static BUILD: LazyLock<String> = LazyLock::new(|| {
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|meta| {
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |since| since.as_nanos());
                format!("{}-{modified}", meta.len())
            })
            .unwrap_or_else(|_| "unknown".to_string());
        format!("{}+{exe}", crate::VERSION)
    });
    &BUILD
}

/// A digest of every setting that can change what checking a file finds. It names
/// each field of [`Settings`], so a new field does not compile until it is placed
/// here (or said not to matter); the severity table is sorted, since a map's order
/// varies from run to run.
pub fn settings_digest(settings: &Settings) -> String {
    let Settings {
        root,
        config_file,
        select,
        extend_select,
        ignore,
        preview,
        // Which files a walk finds does not change what a found file holds.
        exclude: _,
        per_file_ignores,
        take_threshold,
        severity,
        small_tables,
        low_cardinality_columns,
        high_cardinality_columns,
        max_broadcast_threshold,
        loop_threshold,
        repeated_actions,
        test_paths,
        check_tests,
        unsafe_fixes,
        // Where results are stored does not change them.
        cache_dir: _,
    } = settings;
    let mut severities: Vec<(&String, &Severity)> = severity.iter().collect();
    severities.sort();
    let per_file: Vec<(&String, &Vec<String>)> = per_file_ignores
        .iter()
        .map(|entry| (&entry.pattern, &entry.codes))
        .collect();
    let text = format!(
        "{root:?}|{config_file:?}|{select:?}|{extend_select:?}|{ignore:?}|{preview}|\
         {per_file:?}|{take_threshold}|\
         {severities:?}|{small_tables:?}|{low_cardinality_columns:?}|\
         {high_cardinality_columns:?}|{max_broadcast_threshold:?}|{loop_threshold}|\
         {repeated_actions}|{:?}|{check_tests}|{unsafe_fixes}",
        test_paths.as_ref().map(|globs| globs.patterns()),
    );
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
}

impl Cache {
    /// A cache in `dir`, which is created when the first entry is written.
    pub fn new(dir: PathBuf) -> Cache {
        Cache {
            dir,
            write_error: Mutex::new(None),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn files(&self) -> PathBuf {
        self.dir.join("files")
    }

    /// The key of the file at `path` (shown as `display_path`) holding `bytes`,
    /// checked with `settings`.
    pub fn key(&self, path: &Path, display_path: &str, settings: &Settings, bytes: &[u8]) -> Key {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let mut name = absolute.to_string_lossy().into_owned();
        name.push('\0');
        name.push_str(display_path);
        let entry = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(name.as_bytes()));
        Key {
            entry: self.files().join(entry),
            display_path: display_path.to_string(),
            settings: settings_digest(settings),
            content: format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes)),
        }
    }

    /// The stored results of `key`'s file, when there is an entry that matches it
    /// in every part; `len` is the length of the file's decoded text, which every
    /// stored position must lie within.
    pub fn load(&self, key: &Key, len: usize) -> Option<Hit> {
        let bytes = std::fs::read(&key.entry).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        if entry.format != FORMAT
            || entry.build != build()
            || entry.settings != key.settings
            || entry.content != key.content
            || entry.display_path != key.display_path
            || entry
                .facts
                .as_ref()
                .is_some_and(|facts| facts.path != key.display_path)
        {
            return None;
        }
        let diagnostics = entry
            .diagnostics
            .into_iter()
            .map(|stored| stored.restore(&key.display_path, len))
            .collect::<Option<Vec<Diagnostic>>>()?;
        Some(Hit {
            facts: entry.facts,
            diagnostics,
            test_code: entry.test_code,
            reads: entry.reads,
        })
    }

    /// Stores what checking `key`'s file gave. A failure is remembered (see
    /// [`Cache::write_error`]) and otherwise ignored: the run's results do not
    /// depend on the cache.
    pub fn store(
        &self,
        key: &Key,
        facts: Option<&FileFacts>,
        diagnostics: &[Diagnostic],
        test_code: bool,
        reads: &Reads,
    ) {
        #[derive(Serialize)]
        struct EntryRef<'a> {
            format: u32,
            build: &'a str,
            settings: &'a str,
            content: &'a str,
            display_path: &'a str,
            facts: Option<&'a FileFacts>,
            test_code: bool,
            diagnostics: Vec<Stored>,
            reads: &'a Reads,
        }
        let entry = EntryRef {
            format: FORMAT,
            build: build(),
            settings: &key.settings,
            content: &key.content,
            display_path: &key.display_path,
            facts,
            test_code,
            diagnostics: diagnostics.iter().map(Stored::of).collect(),
            reads,
        };
        let written = serde_json::to_vec(&entry)
            .map_err(std::io::Error::other)
            .and_then(|bytes| {
                self.prepare()
                    .and_then(|()| write_atomic(&key.entry, &bytes))
            });
        if let Err(err) = written {
            let mut first = self
                .write_error
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            first.get_or_insert_with(|| {
                format!(
                    "cannot write the cache in {}: {err}; checked without storing results",
                    self.dir.display()
                )
            });
        }
    }

    /// Replaces the results of `key`'s entry (written by [`Cache::store`] in this
    /// run) with those of a second check, keeping its facts: the project index of
    /// a run keeps only the facts its own lookups can ask for, so the entry holds
    /// the file's whole facts from the first check. An entry that is gone or is
    /// another's by now is left alone: the cache is never needed for a right result.
    pub fn restore_results(
        &self,
        key: &Key,
        diagnostics: &[Diagnostic],
        test_code: bool,
        reads: &Reads,
    ) {
        let Some(entry) = std::fs::read(&key.entry)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Entry>(&bytes).ok())
        else {
            return;
        };
        if entry.format != FORMAT
            || entry.build != build()
            || entry.settings != key.settings
            || entry.content != key.content
            || entry.display_path != key.display_path
        {
            return;
        }
        self.store(key, entry.facts.as_ref(), diagnostics, test_code, reads);
    }

    /// Why an entry could not be written, the first time one could not.
    pub fn write_error(&self) -> Option<String> {
        self.write_error
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Creates the directory with its `.gitignore` and `CACHEDIR.TAG`, once.
    fn prepare(&self) -> std::io::Result<()> {
        let files = self.files();
        if files.is_dir() {
            return Ok(());
        }
        std::fs::create_dir_all(&files)?;
        for (name, text) in [
            (
                ".gitignore",
                "# Made by sparkguard: the results cache.\n*\n",
            ),
            ("CACHEDIR.TAG", CACHEDIR_TAG),
        ] {
            let path = self.dir.join(name);
            if !path.exists() {
                write_atomic(&path, text.as_bytes())?;
            }
        }
        Ok(())
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// What `sparkguard clean` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Cleaned {
    Removed,
    /// There was no cache there.
    Absent,
}

/// Removes the cache in `dir`. A directory that is not a sparkguard cache (neither
/// a `CACHEDIR.TAG` of ours nor the default name) is refused, so a mistyped
/// `cache-dir` never deletes anything else.
pub fn clean(dir: &Path) -> Result<Cleaned, String> {
    if !dir.exists() {
        return Ok(Cleaned::Absent);
    }
    let tag = std::fs::read_to_string(dir.join("CACHEDIR.TAG")).unwrap_or_default();
    let ours =
        tag.contains("sparkguard") || dir.file_name().is_some_and(|name| name == DEFAULT_DIR_NAME);
    if !dir.is_dir() || !ours {
        return Err(format!(
            "{} is not a sparkguard cache (it has no CACHEDIR.TAG written by sparkguard); not removed",
            dir.display()
        ));
    }
    std::fs::remove_dir_all(dir)
        .map_err(|err| format!("cannot remove the cache {}: {err}", dir.display()))?;
    Ok(Cleaned::Removed)
}

/// Where a run's cache is: `SPARKGUARD_CACHE_DIR` when set, else the `cache-dir`
/// of `settings` (the config that governs the current directory), else
/// `.sparkguard_cache` in the directory of that config or, without one, at the
/// project root (the nearest ancestor holding `.git`, or the current directory).
pub fn locate(settings: &Settings, project_root: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os(DIR_VARIABLE).filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = &settings.cache_dir {
        return dir.clone();
    }
    match settings.config_file.as_deref().and_then(Path::parent) {
        Some(config_dir) => config_dir.join(DEFAULT_DIR_NAME),
        None => project_root.join(DEFAULT_DIR_NAME),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn stored_one(cache: &Cache, bytes: &[u8]) -> Key {
        let key = cache.key(Path::new("job.py"), "job.py", &Settings::default(), bytes);
        cache.store(&key, None, &[], true, &Reads::default());
        key
    }

    #[test]
    fn an_entry_is_a_hit_for_its_own_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("c"));
        let key = stored_one(&cache, b"x = 1\n");
        assert!(cache.load(&key, 6).is_some_and(|hit| hit.test_code));
        // Other bytes at the same path.
        let edited = cache.key(
            Path::new("job.py"),
            "job.py",
            &Settings::default(),
            b"x = 2\n",
        );
        assert_eq!(edited.entry, key.entry);
        assert!(cache.load(&edited, 6).is_none());
        // Other settings.
        let settings = Settings {
            take_threshold: 5,
            ..Settings::default()
        };
        let other = cache.key(Path::new("job.py"), "job.py", &settings, b"x = 1\n");
        assert!(cache.load(&other, 6).is_none());
        // The same file shown by another path is another entry.
        let shown = cache.key(
            Path::new("job.py"),
            "./job.py",
            &Settings::default(),
            b"x = 1\n",
        );
        assert_ne!(shown.entry, key.entry);
        assert!(cache.write_error().is_none());
    }

    /// An entry another build wrote (another version, or the same version rebuilt)
    /// is a miss.
    #[test]
    fn an_entry_of_another_build_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("c"));
        let key = stored_one(&cache, b"x = 1\n");
        let text = std::fs::read_to_string(&key.entry).unwrap();
        assert!(text.contains(build()), "{text}");
        let other = text.replace(build(), "9.9.9+0-0");
        std::fs::write(&key.entry, other).unwrap();
        assert!(cache.load(&key, 6).is_none());
        stored_one(&cache, b"x = 1\n");
        assert!(cache.load(&key, 6).is_some(), "written again");
    }

    #[test]
    fn the_settings_digest_ignores_map_order_and_where_results_go() {
        let mut one = Settings::default();
        let mut two = Settings::default();
        for (code, severity) in [("SG101", Severity::Error), ("SG103", Severity::Info)] {
            one.severity.insert(code.to_string(), severity);
        }
        for (code, severity) in [("SG103", Severity::Info), ("SG101", Severity::Error)] {
            two.severity.insert(code.to_string(), severity);
        }
        two.cache_dir = Some(PathBuf::from("/elsewhere"));
        assert_eq!(settings_digest(&one), settings_digest(&two));
        two.check_tests = true;
        assert_ne!(settings_digest(&one), settings_digest(&two));
    }

    #[test]
    fn an_unwritable_cache_says_why_once_and_results_stand() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the directory should be.
        let blocked = dir.path().join("c");
        std::fs::write(&blocked, "not a directory").unwrap();
        let cache = Cache::new(blocked);
        let key = stored_one(&cache, b"x = 1\n");
        stored_one(&cache, b"x = 2\n");
        let message = cache.write_error().unwrap();
        assert!(
            message.starts_with("cannot write the cache in"),
            "{message}"
        );
        assert!(cache.load(&key, 6).is_none());
    }

    #[test]
    fn clean_removes_only_a_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("somewhere"));
        stored_one(&cache, b"x = 1\n");
        assert_eq!(clean(cache.dir()), Ok(Cleaned::Removed));
        assert_eq!(clean(cache.dir()), Ok(Cleaned::Absent));
        let plain = dir.path().join("src");
        std::fs::create_dir_all(&plain).unwrap();
        assert!(clean(&plain).is_err());
        assert!(plain.is_dir());
    }
}
