//! Fixes: applying the fixes of a file's findings, as `check --fix` writes them and
//! `check --diff` shows them.
//!
//! A fix is safe (the rewritten code computes what it computed) or unsafe (it may
//! compute something else for some data, or needs a newer Spark than the code may
//! run on); each rule's docs say which of its fixes are which. Safe fixes are
//! applied by `--fix`; unsafe ones only with `--unsafe-fixes` (`unsafe-fixes` in the
//! config), and are otherwise counted, never written.
//!
//! The core is pure, text in and text out ([`apply_edits`], [`fix_text`]): in each
//! round the file is checked, the applicable fixes whose edits do not overlap are applied
//! together (the others wait for the next round, when they are computed afresh on
//! the new text), and the result is parsed again; a fix that would leave a syntax
//! error the text did not have is dropped and reported. Rounds repeat until no safe
//! fix is left, for at most [`MAX_ROUNDS`]. Reading the file and writing it back
//! atomically are at the edge, in [`fix_file`] and [`write_atomically`].

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use similar::TextDiff;

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::engine::{self, FileError, FileKind, FileReport};
use crate::lang::Language;
use crate::model::index::ProjectIndex;
use crate::parse;
use crate::source::{self, notebook};

/// How many rounds of fixes run before giving up on reaching a text with no safe fix
/// left (fixes that undo each other would otherwise run forever).
pub const MAX_ROUNDS: usize = 10;

/// The UTF-8 byte-order mark: decoding drops it, writing puts it back.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a set of edits cannot be applied to a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    /// Two edits replace some of the same text.
    Overlap {
        first: Range<usize>,
        second: Range<usize>,
    },
    /// An edit's range is reversed, ends past the text, or cuts a character in two.
    OutOfBounds { range: Range<usize> },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::Overlap { first, second } => write!(
                f,
                "edits at bytes {}..{} and {}..{} overlap",
                first.start, first.end, second.start, second.end
            ),
            EditError::OutOfBounds { range } => write!(
                f,
                "edit at bytes {}..{} does not fit the text",
                range.start, range.end
            ),
        }
    }
}

impl std::error::Error for EditError {}

/// Applies `edits`, given in any order, to `text`. Insertions at the same point go
/// in the order given; an insertion at the start or end of a replaced range goes
/// before or after it.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    let sorted = sorted_edits(text, edits)?;
    let added: usize = sorted.iter().map(|edit| edit.replacement.len()).sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut copied = 0;
    for edit in sorted {
        out.push_str(&text[copied..edit.range.start]);
        out.push_str(&edit.replacement);
        copied = edit.range.end;
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

/// `edits` in the order they apply, once each is known to fit `text` and none
/// overlaps another.
fn sorted_edits<'e>(text: &str, edits: &'e [Edit]) -> Result<Vec<&'e Edit>, EditError> {
    for edit in edits {
        let range = &edit.range;
        if range.start > range.end
            || range.end > text.len()
            || !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end)
        {
            return Err(EditError::OutOfBounds {
                range: range.clone(),
            });
        }
    }
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    // Stable, so insertions at one point keep their given order.
    sorted.sort_by_key(|edit| (edit.range.start, edit.range.end));
    for pair in sorted.windows(2) {
        if pair[0].range.end > pair[1].range.start {
            return Err(EditError::Overlap {
                first: pair[0].range.clone(),
                second: pair[1].range.clone(),
            });
        }
    }
    Ok(sorted)
}

/// Whether edits of two different fixes cannot both be applied in one round: their
/// ranges share text, or both insert at the same point (which goes first is then
/// anyone's guess).
fn ranges_conflict(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || (a.is_empty() && b.is_empty() && a.start == b.start)
}

fn fixes_conflict(a: &Fix, b: &Fix) -> bool {
    a.edits
        .iter()
        .any(|x| b.edits.iter().any(|y| ranges_conflict(&x.range, &y.range)))
}

/// A fix that was not applied, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub code: &'static str,
    pub title: String,
    pub reason: Rejection,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// Applying it would leave a syntax error (for a notebook: also JSON that is no
    /// longer a notebook).
    SyntaxError,
    /// Its edits overlap each other or do not fit the text.
    InvalidEdits,
}

impl Rejected {
    /// What `check --fix` prints after `error: <path>: `.
    pub fn message(&self) -> String {
        match self.reason {
            Rejection::SyntaxError => format!(
                "fix for {} would leave a syntax error; not applied",
                self.code
            ),
            Rejection::InvalidEdits => format!(
                "fix for {} has edits that do not fit the file; not applied",
                self.code
            ),
        }
    }
}

/// The result of fixing one file's text.
#[derive(Clone, Debug)]
pub struct FixOutcome {
    /// The text with every applied fix.
    pub text: String,
    /// How many fixes were applied, by rule code, in code order.
    pub applied: Vec<(&'static str, usize)>,
    /// The findings of `text`: what is left to fix by hand (unsafe fixes included,
    /// unless they were applied).
    pub remaining: Vec<Diagnostic>,
    /// Applicable fixes that were dropped.
    pub rejected: Vec<Rejected>,
    /// False when applicable fixes were still left after [`MAX_ROUNDS`] rounds.
    pub converged: bool,
    /// Whether unsafe fixes were applicable (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// How many of the applied fixes were unsafe (none without `unsafe_fixes`).
    pub applied_unsafe: usize,
}

impl FixOutcome {
    /// How many fixes were applied in all.
    pub fn fixed_count(&self) -> usize {
        self.applied.iter().map(|(_, count)| count).sum()
    }

    /// How many of the remaining findings have an unsafe fix that was not applied
    /// because unsafe fixes were not enabled.
    pub fn hidden_count(&self) -> usize {
        if self.unsafe_fixes {
            return 0;
        }
        hidden_fixes(&self.remaining)
    }
}

/// How many of `diagnostics` have a fix that only `--unsafe-fixes` applies.
pub fn hidden_fixes(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.fix.as_ref().is_some_and(|fix| !fix.safe))
        .count()
}

/// Applies the fixes of `text`, the content of the file at `path` (its kind is
/// judged by the name), checked with `settings` and reported as `display_path`: the
/// safe ones, and the unsafe ones too when `settings.unsafe_fixes` is set. An error
/// says why the text cannot be checked at all (a `.ipynb` that is not JSON). The
/// file is checked alone; [`fix_text_in`] sees the rest of the project.
pub fn fix_text(
    path: &Path,
    display_path: &str,
    text: &str,
    settings: &Settings,
) -> Result<FixOutcome, String> {
    fix_text_in(path, display_path, text, settings, &Arc::default())
}

/// As [`fix_text`], checking every round's text with the project's index, as
/// `check` does: a constant or helper of another file counts while fixing too.
pub fn fix_text_in(
    path: &Path,
    display_path: &str,
    text: &str,
    settings: &Settings,
    project: &Arc<ProjectIndex>,
) -> Result<FixOutcome, String> {
    let check = |text: &str| engine::check_text_in(path, display_path, text, settings, project);
    match FileKind::of(path) {
        Some(kind) => fix_with(kind, text, settings.unsafe_fixes, check),
        // `check_text` says what is wrong with the name.
        None => check(text).and_then(|_| Err("not a file kind that can be fixed".to_string())),
    }
}

/// The rounds of [`fix_text`], with `check` giving the findings of a text of `kind`;
/// unsafe fixes apply too when `unsafe_fixes` is set.
fn fix_with(
    kind: FileKind,
    text: &str,
    unsafe_fixes: bool,
    mut check: impl FnMut(&str) -> Result<Vec<Diagnostic>, String>,
) -> Result<FixOutcome, String> {
    // Settings made at launch are never rewritten.
    let fixable = !matches!(kind, FileKind::Launch(_));
    let mut current = text.to_string();
    // Parsed only once there is something to fix: most files have nothing.
    let mut known_errors: Option<usize> = None;
    let mut applied: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut applied_unsafe = 0;
    let mut rejected = Vec::new();
    // Fixes dropped so far, their edits in `current`'s offsets, so a later round does
    // not try them (and report them) again.
    let mut dropped: Vec<(&'static str, Vec<Edit>)> = Vec::new();
    let mut round = 0;
    loop {
        let diagnostics = check(&current)?;
        let mut candidates: Vec<(&'static str, &Fix)> = Vec::new();
        for diagnostic in diagnostics.iter().filter(|_| fixable) {
            let Some(fix) = &diagnostic.fix else {
                continue;
            };
            if !(fix.safe || unsafe_fixes)
                || dropped
                    .iter()
                    .any(|(code, edits)| *code == diagnostic.code && *edits == fix.edits)
            {
                continue;
            }
            if sorted_edits(&current, &fix.edits).is_err() {
                rejected.push(rejection(diagnostic.code, fix, Rejection::InvalidEdits));
                dropped.push((diagnostic.code, fix.edits.clone()));
                continue;
            }
            // A fix that changes nothing would be "applied" in every round.
            let changes = fix
                .edits
                .iter()
                .any(|edit| current[edit.range.clone()] != edit.replacement);
            if changes {
                candidates.push((diagnostic.code, fix));
            }
        }
        if candidates.is_empty() || round == MAX_ROUNDS {
            let converged = candidates.is_empty();
            drop(candidates);
            return Ok(FixOutcome {
                text: current,
                applied: applied.into_iter().collect(),
                remaining: diagnostics,
                rejected,
                converged,
                unsafe_fixes,
                applied_unsafe,
            });
        }
        round += 1;

        // In text order, each fix that does not touch one taken before it.
        candidates.sort_by_key(|(code, fix)| {
            let start = fix.edits.iter().map(|edit| edit.range.start).min();
            (start, *code)
        });
        let mut batch: Vec<(&'static str, &Fix)> = Vec::new();
        for (code, fix) in candidates {
            if batch.iter().all(|(_, taken)| !fixes_conflict(taken, fix)) {
                batch.push((code, fix));
            }
        }

        let errors = *known_errors.get_or_insert_with(|| syntax_errors(kind, &current));
        let accepted = match try_batch(kind, &current, &batch, errors) {
            Some(result) => Some((batch, result)),
            None => {
                // Something in the batch breaks the syntax: try each fix alone, drop
                // the ones that break it, and apply the rest together.
                let mut good = Vec::new();
                for (code, fix) in batch {
                    match try_batch(kind, &current, &[(code, fix)], errors) {
                        Some(result) => good.push(((code, fix), result)),
                        None => {
                            rejected.push(rejection(code, fix, Rejection::SyntaxError));
                            dropped.push((code, fix.edits.clone()));
                        }
                    }
                }
                let fixes: Vec<(&'static str, &Fix)> = good.iter().map(|(fix, _)| *fix).collect();
                match try_batch(kind, &current, &fixes, errors) {
                    Some(result) => Some((fixes, result)),
                    // Fine alone, broken together: one now, the others next round.
                    None => good
                        .into_iter()
                        .next()
                        .map(|(fix, result)| (vec![fix], result)),
                }
            }
        };
        let Some((fixes, (text, text_errors))) = accepted else {
            continue;
        };
        for (code, fix) in &fixes {
            *applied.entry(code).or_default() += 1;
            applied_unsafe += usize::from(!fix.safe);
        }
        let edits: Vec<&Edit> = fixes.iter().flat_map(|(_, fix)| &fix.edits).collect();
        dropped = dropped
            .into_iter()
            .filter_map(|(code, old)| shift_edits(&old, &edits).map(|new| (code, new)))
            .collect();
        current = text;
        known_errors = Some(text_errors);
    }
}

fn rejection(code: &'static str, fix: &Fix, reason: Rejection) -> Rejected {
    Rejected {
        code,
        title: fix.title.clone(),
        reason,
    }
}

/// `text` with all of `fixes` applied and its count of syntax errors, unless that
/// count is above `errors` (or the edits clash).
fn try_batch(
    kind: FileKind,
    text: &str,
    fixes: &[(&'static str, &Fix)],
    errors: usize,
) -> Option<(String, usize)> {
    let edits: Vec<Edit> = fixes
        .iter()
        .flat_map(|(_, fix)| fix.edits.iter().cloned())
        .collect();
    let fixed = apply_edits(text, &edits).ok()?;
    let fixed_errors = syntax_errors(kind, &fixed);
    (fixed_errors <= errors).then_some((fixed, fixed_errors))
}

/// Where `edits` sit once `applied` (non-overlapping) are made; `None` when one of
/// them touches an applied edit, so it no longer means the same thing.
fn shift_edits(edits: &[Edit], applied: &[&Edit]) -> Option<Vec<Edit>> {
    let shift = |offset: usize| {
        let before = applied.iter().filter(|a| a.range.end <= offset);
        let added: usize = before.clone().map(|a| a.replacement.len()).sum();
        let removed: usize = before.map(|a| a.range.len()).sum();
        offset + added - removed
    };
    edits
        .iter()
        .map(|edit| {
            if applied
                .iter()
                .any(|a| ranges_conflict(&a.range, &edit.range))
            {
                return None;
            }
            let start = shift(edit.range.start);
            Some(Edit {
                range: start..start + edit.range.len(),
                replacement: edit.replacement.clone(),
            })
        })
        .collect()
}

/// How many syntax errors (`ERROR` and missing nodes) the text of a file of `kind`
/// has; `usize::MAX` for a notebook that no longer parses as one. A fix may not raise
/// it: comparing counts instead of "has errors" keeps files that already had one
/// fixable without letting a fix add another.
fn syntax_errors(kind: FileKind, text: &str) -> usize {
    match kind {
        // A Databricks source notebook is a plain file of its language too: cell
        // separators and `MAGIC` lines are comments.
        FileKind::Source(language) => tree_errors(language, text),
        FileKind::Jupyter => match notebook::parse_ipynb(text) {
            Ok(notebook) => notebook
                .sources
                .iter()
                .map(|source| tree_errors(source.language, &source.text))
                .fold(0, usize::saturating_add),
            Err(_) => usize::MAX,
        },
        FileKind::Launch(_) => 0,
    }
}

fn tree_errors(language: Language, text: &str) -> usize {
    let Some(tree) = parse::parse(language, text) else {
        return usize::MAX;
    };
    let mut cursor = tree.walk();
    let mut count = 0;
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            count += 1;
        }
        // Only subtrees that hold an error are worth walking into.
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return count;
            }
        }
    }
}

/// A unified diff from `old` to `new` with `--- a/<path>` / `+++ b/<path>` headers,
/// empty when they are the same.
pub fn unified_diff(display_path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .header(&format!("a/{display_path}"), &format!("b/{display_path}"))
        .to_string()
}

/// Replaces the content of `path` with `contents` so that no reader ever sees a
/// half-written file: the bytes go to a temporary file in the same directory, which
/// takes the original's permissions and is then renamed over it. On an error the
/// original is untouched and the temporary file removed. A file this process may not
/// write is refused, though renaming over it would work. Through a symbolic link, the
/// file it points to is replaced, and the link kept.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let target = if fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink()) {
        fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // A file that does not exist yet keeps the temporary file's private permissions.
    let permissions = match fs::metadata(&target) {
        Ok(meta) => {
            // Opening for writing changes nothing, and asks the system whether we may.
            fs::OpenOptions::new().write(true).open(&target)?;
            Some(meta.permissions())
        }
        Err(_) => None,
    };
    let mut temp = tempfile::NamedTempFile::new_in(&dir)?;
    // Through the `File`: the temporary file's name, gone after an error, would only
    // confuse the message.
    temp.as_file_mut().write_all(contents)?;
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|err| err.error)?;
    Ok(())
}

/// One file after `--fix` or `--diff`.
#[derive(Debug)]
pub struct FileFix {
    pub display_path: String,
    /// The text as read (without a byte-order mark).
    pub original: String,
    /// The fixed text and what is left in it. When writing failed, the original text
    /// and its findings, with nothing applied.
    pub outcome: FixOutcome,
    /// Why the fixed text could not be written; the file is as it was.
    pub write_error: Option<String>,
}

impl FileFix {
    /// The diff from the original to the fixed text (empty: nothing to fix).
    pub fn diff(&self) -> String {
        unified_diff(&self.display_path, &self.original, &self.outcome.text)
    }

    /// The fixed text and its remaining findings, for the renderers.
    pub fn into_report(self) -> FileReport {
        FileReport {
            display_path: self.display_path,
            text: self.outcome.text,
            diagnostics: self.outcome.remaining,
            // Fixing re-checks text without recording what was set apart as tests.
            test_code: false,
        }
    }
}

/// Reads the file at `path`, applies its fixes (as [`fix_text_in`], with the
/// project's index) and, when `write` is set and the text changed, writes it back
/// atomically (a byte-order mark it had is kept).
pub fn fix_file(
    path: &Path,
    display_path: &str,
    settings: &Settings,
    project: &Arc<ProjectIndex>,
    write: bool,
) -> Result<FileFix, FileError> {
    let fail = |message: String| FileError {
        display_path: display_path.to_string(),
        message,
    };
    if FileKind::of(path).is_none() {
        return Err(fail(
            "not a Python, Scala, notebook or Spark launch file".to_string(),
        ));
    }
    let bytes = fs::read(path).map_err(|err| fail(format!("cannot read file: {err}")))?;
    let bom = bytes.starts_with(BOM);
    let (original, encoding) = source::decode_with_encoding(bytes).map_err(fail)?;
    let mut outcome =
        fix_text_in(path, display_path, &original, settings, project).map_err(fail)?;
    let mut write_error = None;
    if write && outcome.text != original {
        let mut contents = Vec::with_capacity(BOM.len() + outcome.text.len());
        if bom {
            contents.extend_from_slice(BOM);
        }
        // A file declared in another encoding (PEP 263) is written back in it.
        let written = source::encode(&outcome.text, encoding).and_then(|encoded| {
            contents.extend_from_slice(&encoded);
            write_atomically(path, &contents).map_err(|err| err.to_string())
        });
        if let Err(err) = written {
            write_error = Some(format!("cannot write the fixed file: {err}"));
            // Report the file as it still is on disk.
            let remaining = engine::check_text_in(path, display_path, &original, settings, project)
                .map_err(fail)?;
            outcome = FixOutcome {
                text: original.clone(),
                applied: Vec::new(),
                remaining,
                rejected: outcome.rejected,
                converged: outcome.converged,
                unsafe_fixes: outcome.unsafe_fixes,
                applied_unsafe: 0,
            };
        }
    }
    Ok(FileFix {
        display_path: display_path.to_string(),
        original,
        outcome,
        write_error,
    })
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::diagnostic::{Position, Severity};

    fn edit(range: Range<usize>, replacement: &str) -> Edit {
        Edit {
            range,
            replacement: replacement.to_string(),
        }
    }

    fn diagnostic(code: &'static str, range: Range<usize>, fix: Option<Fix>) -> Diagnostic {
        Diagnostic {
            code,
            name: "test-rule",
            severity: Severity::Warning,
            path: "job.py".to_string(),
            range,
            start: Position::default(),
            end: Position::default(),
            message: "found".to_string(),
            help: "do better".to_string(),
            fix,
            cell: None,
            related: Vec::new(),
        }
    }

    fn safe(edits: Vec<Edit>) -> Option<Fix> {
        Some(Fix {
            title: "fix it".to_string(),
            edits,
            safe: true,
        })
    }

    /// A fake rule: every `needle` is a finding of `code`, fixed by `replacement`.
    fn replace_all(
        text: &str,
        code: &'static str,
        needle: &str,
        replacement: &str,
        is_safe: bool,
    ) -> Vec<Diagnostic> {
        text.match_indices(needle)
            .map(|(at, _)| {
                let range = at..at + needle.len();
                let fix = Fix {
                    title: format!("replace with `{replacement}`"),
                    edits: vec![edit(range.clone(), replacement)],
                    safe: is_safe,
                };
                diagnostic(code, range, Some(fix))
            })
            .collect()
    }

    const PYTHON: FileKind = FileKind::Source(Language::Python);

    #[test]
    fn edits_apply_in_text_order_whatever_their_order() {
        let text = "a = df.count() == 0\nb = 1\n";
        let edits = vec![
            edit(20..25, "b = 2"),
            edit(4..19, "df.isEmpty()"),
            edit(0..0, "# fixed\n"),
        ];
        assert_eq!(
            apply_edits(text, &edits).unwrap(),
            "# fixed\na = df.isEmpty()\nb = 2\n"
        );
        assert_eq!(apply_edits(text, &[]).unwrap(), text);
    }

    #[test]
    fn insertions_at_one_point_keep_their_order_and_go_before_a_replacement() {
        let text = "xyz";
        let edits = vec![edit(1..2, "Y"), edit(1..1, "1"), edit(1..1, "2")];
        assert_eq!(apply_edits(text, &edits).unwrap(), "x12Yz");
        // Inserting at the end of a replaced range is not an overlap either.
        assert_eq!(
            apply_edits(text, &[edit(1..2, "Y"), edit(2..2, "!")]).unwrap(),
            "xY!z"
        );
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let err = apply_edits("abcdef", &[edit(2..5, "x"), edit(0..3, "y")]).unwrap_err();
        assert_eq!(
            err,
            EditError::Overlap {
                first: 0..3,
                second: 2..5
            }
        );
        // An insertion inside a replaced range overlaps it.
        assert!(apply_edits("abcdef", &[edit(1..4, "x"), edit(2..2, "y")]).is_err());
    }

    #[test]
    fn edits_outside_the_text_or_inside_a_character_are_refused() {
        assert_eq!(
            apply_edits("abc", &[edit(2..9, "x")]),
            Err(EditError::OutOfBounds { range: 2..9 })
        );
        assert!(apply_edits("é", &[edit(1..2, "e")]).is_err());
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 2..1;
        assert!(apply_edits("abc", &[edit(reversed, "x")]).is_err());
    }

    #[test]
    fn safe_fixes_are_applied_until_nothing_is_left() {
        let text = "if df.count() == 0:\n    pass\nif other.count() == 0:\n    pass\n";
        let outcome = fix_with(PYTHON, text, false, |text| {
            Ok(replace_all(
                text,
                "SG307",
                ".count() == 0",
                ".isEmpty()",
                true,
            ))
        })
        .unwrap();
        assert_eq!(
            outcome.text,
            "if df.isEmpty():\n    pass\nif other.isEmpty():\n    pass\n"
        );
        assert_eq!(outcome.applied, vec![("SG307", 2)]);
        assert_eq!(outcome.fixed_count(), 2);
        assert!(outcome.remaining.is_empty());
        assert!(outcome.rejected.is_empty());
        assert!(outcome.converged);
    }

    #[test]
    fn unsafe_fixes_are_never_applied_and_remain() {
        let text = "x = df.count() == 0\n";
        let outcome = fix_with(PYTHON, text, false, |text| {
            Ok(replace_all(
                text,
                "SG307",
                ".count() == 0",
                ".isEmpty()",
                false,
            ))
        })
        .unwrap();
        assert_eq!(outcome.text, text);
        assert_eq!(outcome.fixed_count(), 0);
        assert_eq!(outcome.remaining.len(), 1);
        assert_eq!(outcome.applied_unsafe, 0);
        assert_eq!(outcome.hidden_count(), 1);
        assert!(outcome.converged);
    }

    #[test]
    fn unsafe_fixes_are_applied_when_enabled() {
        let text = "x = df.count() == 0\ny = other.count() == 0\n";
        let outcome = fix_with(PYTHON, text, true, |text| {
            let mut found = replace_all(text, "SG001", "df.count() == 0", "df.isEmpty()", false);
            found.extend(replace_all(
                text,
                "SG002",
                "other.count() == 0",
                "other.isEmpty()",
                true,
            ));
            Ok(found)
        })
        .unwrap();
        assert_eq!(outcome.text, "x = df.isEmpty()\ny = other.isEmpty()\n");
        assert_eq!(outcome.applied, vec![("SG001", 1), ("SG002", 1)]);
        assert_eq!(outcome.applied_unsafe, 1);
        assert_eq!(outcome.hidden_count(), 0);
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let text = "x = a + b\ny = 1\n";
        let rounds = Cell::new(0);
        let outcome = fix_with(PYTHON, text, false, |text| {
            rounds.set(rounds.get() + 1);
            let mut found = replace_all(text, "SG001", "a + b", "total", true);
            // Overlaps the first fix; once `a +` is gone it no longer applies.
            found.extend(replace_all(text, "SG002", "a +", "alpha +", true));
            // A fix elsewhere in the same round.
            found.extend(replace_all(text, "SG003", "1", "one", true));
            Ok(found)
        })
        .unwrap();
        assert_eq!(outcome.text, "x = total\ny = one\n");
        assert_eq!(outcome.applied, vec![("SG001", 1), ("SG003", 1)]);
        // One round of fixes, then the check that finds nothing left.
        assert_eq!(rounds.get(), 2);
    }

    #[test]
    fn overlapping_fixes_both_apply_when_they_still_match() {
        let text = "value = f(g(x))\n";
        let outcome = fix_with(PYTHON, text, false, |text| {
            let mut found = replace_all(text, "SG001", "f(g(x))", "f(h(x))", true);
            found.extend(replace_all(text, "SG002", "f(", "k(", true));
            Ok(found)
        })
        .unwrap();
        assert_eq!(outcome.text, "value = k(h(x))\n");
        assert_eq!(outcome.applied, vec![("SG001", 1), ("SG002", 1)]);
        assert!(outcome.converged);
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_dropped_and_the_others_applied() {
        let text = "if df.count() == 0:\n    print(\"empty\")\n";
        let outcome = fix_with(PYTHON, text, false, |text| {
            let mut found = replace_all(text, "SG307", "df.count() == 0", "df.isEmpty()", true);
            // Leaves `print(("empty")`: unbalanced.
            found.extend(replace_all(text, "SG999", "print(", "print((", true));
            Ok(found)
        })
        .unwrap();
        assert_eq!(outcome.text, "if df.isEmpty():\n    print(\"empty\")\n");
        assert_eq!(outcome.applied, vec![("SG307", 1)]);
        assert_eq!(
            outcome.rejected,
            vec![Rejected {
                code: "SG999",
                title: "replace with `print((`".to_string(),
                reason: Rejection::SyntaxError,
            }]
        );
        assert_eq!(
            outcome.rejected[0].message(),
            "fix for SG999 would leave a syntax error; not applied"
        );
        // Reported once, and still a finding.
        assert!(outcome.remaining.iter().any(|d| d.code == "SG999"));
        assert!(outcome.converged);
    }

    #[test]
    fn fixes_fine_alone_but_broken_together_go_one_per_round() {
        // `x = 1 \` continued by `+ 2` parses, and so does `x = 1` then `y = 2`; `x = 1 \`
        // continued by `y = 2` does not.
        let text = "x = 1\n+ 2\n";
        let outcome = fix_with(PYTHON, text, false, |text| {
            let mut found = Vec::new();
            if text == "x = 1\n+ 2\n" {
                found.push(diagnostic("SG001", 5..5, safe(vec![edit(5..5, " \\")])));
                found.push(diagnostic("SG002", 6..9, safe(vec![edit(6..9, "y = 2")])));
            }
            Ok(found)
        })
        .unwrap();
        assert_eq!(outcome.text, "x = 1 \\\n+ 2\n");
        assert_eq!(outcome.applied, vec![("SG001", 1)]);
        assert!(outcome.rejected.is_empty());
    }

    #[test]
    fn a_file_with_a_syntax_error_can_be_fixed_without_adding_one() {
        let text = "def broken(:\n    pass\nx = df.count() == 0\n";
        let outcome = fix_with(PYTHON, text, false, |text| {
            let mut found = replace_all(text, "SG307", "df.count() == 0", "df.isEmpty()", true);
            found.extend(replace_all(text, "SG999", "x =", "x = (", true));
            Ok(found)
        })
        .unwrap();
        assert_eq!(outcome.text, "def broken(:\n    pass\nx = df.isEmpty()\n");
        assert_eq!(outcome.rejected.len(), 1);
        assert_eq!(outcome.rejected[0].code, "SG999");
    }

    #[test]
    fn fixes_that_undo_each_other_stop_after_the_last_round() {
        let rounds = Cell::new(0);
        let outcome = fix_with(PYTHON, "x = a\n", false, |text| {
            rounds.set(rounds.get() + 1);
            let mut found = replace_all(text, "SG001", "a", "b", true);
            found.extend(replace_all(text, "SG002", "b", "a", true));
            Ok(found)
        })
        .unwrap();
        assert!(!outcome.converged);
        assert_eq!(rounds.get(), MAX_ROUNDS + 1);
        assert_eq!(outcome.fixed_count(), MAX_ROUNDS);
        assert_eq!(outcome.remaining.len(), 1);
    }

    #[test]
    fn fixes_that_change_nothing_or_do_not_fit_are_not_applied() {
        let text = "x = 1\n";
        let outcome = fix_with(PYTHON, text, false, |_| {
            Ok(vec![
                diagnostic("SG001", 4..5, safe(vec![edit(4..5, "1")])),
                diagnostic("SG002", 4..5, safe(vec![edit(4..99, "2")])),
                diagnostic(
                    "SG003",
                    0..5,
                    safe(vec![edit(0..3, "y ="), edit(2..5, "= 2")]),
                ),
                diagnostic("SG004", 0..1, safe(vec![])),
            ])
        })
        .unwrap();
        assert_eq!(outcome.text, text);
        assert!(outcome.converged);
        assert_eq!(outcome.remaining.len(), 4);
        let codes: Vec<_> = outcome
            .rejected
            .iter()
            .map(|r| (r.code, r.reason))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("SG002", Rejection::InvalidEdits),
                ("SG003", Rejection::InvalidEdits)
            ]
        );
    }

    #[test]
    fn launch_files_are_never_fixed() {
        let text = "spark.driver.memory 8g\n";
        let kind = FileKind::Launch(engine::LaunchFile::Defaults);
        let outcome = fix_with(kind, text, false, |text| {
            Ok(replace_all(text, "SG401", "8g", "4g", true))
        })
        .unwrap();
        assert_eq!(outcome.text, text);
        assert_eq!(outcome.remaining.len(), 1);
    }

    #[test]
    fn a_fix_that_breaks_notebook_json_is_dropped() {
        let text = r#"{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["x = df.count() == 0\n"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        let outcome = fix_with(FileKind::Jupyter, text, false, |text| {
            let mut found = replace_all(text, "SG307", "df.count() == 0", "df.isEmpty()", true);
            // An unescaped quote ends the JSON string early.
            found.extend(replace_all(text, "SG999", "x =", "x = \"", true));
            Ok(found)
        })
        .unwrap();
        assert!(outcome.text.contains(r#""source": ["x = df.isEmpty()\n"]"#));
        serde_json::from_str::<serde_json::Value>(&outcome.text).unwrap();
        assert_eq!(outcome.rejected.len(), 1);
        assert_eq!(outcome.rejected[0].code, "SG999");
    }

    #[test]
    fn dropped_fixes_follow_the_text_as_it_changes() {
        let applied = edit(0..2, "abcd");
        let after = [edit(5..6, "x"), edit(6..6, "y")];
        assert_eq!(
            shift_edits(&after, &[&applied]),
            Some(vec![edit(7..8, "x"), edit(8..8, "y")])
        );
        assert_eq!(shift_edits(&[edit(1..3, "x")], &[&applied]), None);
        assert_eq!(
            shift_edits(&[edit(0..0, "x")], &[&edit(0..2, "")]),
            Some(vec![edit(0..0, "x")])
        );
    }

    #[test]
    fn syntax_errors_are_counted() {
        assert_eq!(syntax_errors(PYTHON, "x = 1\n"), 0);
        assert!(syntax_errors(PYTHON, "x = (1\n") > 0);
        assert_eq!(syntax_errors(FileKind::Jupyter, "{not json"), usize::MAX);
        let scala = FileKind::Source(Language::Scala);
        assert_eq!(syntax_errors(scala, "val x = df.isEmpty\n"), 0);
        assert!(syntax_errors(scala, "val x = (df.isEmpty\n") > 0);
    }

    #[test]
    fn the_diff_has_git_style_headers() {
        let old = "a\nif df.count() == 0:\n    pass\n";
        let new = "a\nif df.isEmpty():\n    pass\n";
        assert_eq!(
            unified_diff("jobs/etl.py", old, new),
            "--- a/jobs/etl.py\n+++ b/jobs/etl.py\n@@ -1,3 +1,3 @@\n a\n-if df.count() == 0:\n+if df.isEmpty():\n     pass\n"
        );
        assert_eq!(unified_diff("jobs/etl.py", old, old), "");
    }

    #[test]
    fn the_diff_marks_a_missing_final_newline() {
        let diff = unified_diff("x.py", "x = 1", "x = 2");
        assert!(diff.contains("\\ No newline at end of file"), "{diff}");
    }

    #[test]
    fn an_atomic_write_replaces_the_whole_file_and_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.py");
        fs::write(&path, "x = 1\n".repeat(1000)).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o750)).unwrap();
        }
        write_atomically(&path, b"y = 2\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "y = 2\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o750);
        }
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["job.py"]);
    }

    #[cfg(unix)]
    #[test]
    fn an_atomic_write_refuses_a_file_it_may_not_write() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.py");
        fs::write(&path, "x = 1\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        // Whoever may write anything (root) may write this too.
        let allowed = fs::OpenOptions::new().write(true).open(&path).is_ok();
        let written = write_atomically(&path, b"y = 2\n");
        assert_eq!(written.is_ok(), allowed, "{written:?}");
        let expected = if allowed { "y = 2\n" } else { "x = 1\n" };
        assert_eq!(fs::read_to_string(&path).unwrap(), expected);
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o444);
    }

    #[cfg(unix)]
    #[test]
    fn an_atomic_write_through_a_link_replaces_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.py");
        let link = dir.path().join("link.py");
        fs::write(&target, "x = 1\n").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomically(&link, b"y = 2\n").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "y = 2\n");
    }

    #[test]
    fn a_failed_atomic_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // The parent "directory" is a file: the temporary file cannot be created.
        let blocker = dir.path().join("blocker");
        fs::write(&blocker, "keep").unwrap();
        assert!(write_atomically(&blocker.join("job.py"), b"x").is_err());
        assert_eq!(fs::read_to_string(&blocker).unwrap(), "keep");
        // Renaming over a directory fails after the temporary file was written.
        let taken = dir.path().join("taken");
        fs::create_dir(&taken).unwrap();
        fs::write(taken.join("inside"), "x").unwrap();
        assert!(write_atomically(&taken, b"x").is_err());
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, vec!["blocker", "taken"]);
    }

    #[test]
    fn fix_file_keeps_a_byte_order_mark() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clean.py");
        let text = "\u{feff}x = 1\n";
        fs::write(&path, text).unwrap();
        let fixed = fix_file(
            &path,
            "clean.py",
            &Settings::default(),
            &Arc::default(),
            true,
        )
        .unwrap();
        assert_eq!(fixed.original, "x = 1\n");
        assert!(fixed.diff().is_empty());
        assert!(fixed.write_error.is_none());
        assert_eq!(fs::read_to_string(&path).unwrap(), text);
    }
}
