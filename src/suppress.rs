//! Inline suppressions: `sparkguard: ignore[SG101, SG102]` at the end of a line or
//! alone on the line before it, and ruff-style `noqa: SG101` at the end of a line.
//! A bare `noqa` silences every rule on its line, as flake8 and ruff users expect. A
//! suppression that silences nothing is itself a finding (SG901) — except a bare
//! `noqa`, which other linters read too: silencing nothing of ours is no sign that
//! it silences nothing.

use std::ops::Range;
use std::path::Path;

use crate::config::Settings;
use crate::diagnostic::{Edit, Fix};
use crate::model::Comment;
use crate::rules::{self, Finding, unused_suppression::UNUSED_SUPPRESSION};
use crate::source::LineIndex;

/// One code named by a suppression comment.
#[derive(Debug)]
struct Suppressed {
    code: String,
    /// Where the code is written, for SG901.
    range: Range<usize>,
    /// The 0-based line it silences.
    line: usize,
    used: bool,
    /// The edit that removes it (the whole comment when nothing else is left).
    removal: Option<Edit>,
}

/// Drops the findings that a suppression silences and adds SG901 findings for the
/// suppressions that silenced nothing.
pub fn apply(
    text: &str,
    comments: &[Comment],
    findings: Vec<Finding>,
    settings: &Settings,
    path: &Path,
) -> Vec<Finding> {
    if comments.is_empty() {
        return findings;
    }
    let index = LineIndex::new(text);
    let mut suppressed = Vec::new();
    for comment in comments {
        let comment_text = &text[comment.range.clone()];
        let line = index.line_of(comment.range.start);
        for (marker, directive_start, own_line_applies) in directives(comment_text) {
            let target = if comment.own_line && own_line_applies {
                line + 1
            } else {
                line
            };
            if directive_start == BARE_NOQA {
                suppressed.push(Suppressed {
                    code: EVERY_RULE.to_string(),
                    range: comment.range.clone(),
                    line: target,
                    used: false,
                    removal: None,
                });
                continue;
            }
            let items: Vec<Range<usize>> = listed_after(comment_text, directive_start)
                .into_iter()
                .map(|(_, range)| range)
                .collect();
            for (code, range) in codes_after(comment_text, directive_start) {
                let start = comment.range.start + range.start;
                let removal = removal(text, comment, marker, &items, &range);
                suppressed.push(Suppressed {
                    code,
                    range: start..start + range.len(),
                    line: target,
                    used: false,
                    removal,
                });
            }
        }
    }
    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings {
        let line = index.line_of(finding.range.start);
        let mut silenced = false;
        for s in suppressed
            .iter_mut()
            .filter(|s| s.line == line && (s.code == finding.rule.code || s.code == EVERY_RULE))
        {
            s.used = true;
            silenced = true;
        }
        if !silenced {
            kept.push(finding);
        }
    }
    if settings.rule_enabled(&UNUSED_SUPPRESSION, path) {
        for s in suppressed
            .iter()
            .filter(|s| !s.used && s.code != EVERY_RULE)
        {
            let message = match rules::by_code(&s.code) {
                None => format!("suppression names unknown rule `{}`", s.code),
                Some(rule) if !settings.rule_enabled(rule, path) => continue,
                Some(rule) => format!(
                    "suppression of `{}` ({}) silences nothing on this line",
                    rule.code, rule.name
                ),
            };
            let fix = s.removal.clone().map(|edit| Fix {
                title: format!("Remove the unused suppression of `{}`", s.code),
                edits: vec![edit],
                // A suppression that silences nothing changes nothing when it goes.
                safe: true,
            });
            kept.push(Finding {
                rule: &UNUSED_SUPPRESSION,
                range: s.range.clone(),
                message,
                help: None,
                fix,
                related: Vec::new(),
            });
        }
    }
    kept.sort_by_key(|f| (f.range.start, f.rule.code));
    kept
}

/// Whether `text` may hold a sparkguard suppression at all (a file that is not Spark
/// code still gets its unused suppressions reported): `sparkguard:` or a `noqa`
/// naming an `SG` code.
pub fn may_suppress(text: &str) -> bool {
    let bytes = text.as_bytes();
    let has = |needle: &[u8]| {
        bytes
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    let sg_code = bytes
        .windows(3)
        .any(|w| w[..2].eq_ignore_ascii_case(b"sg") && w[2].is_ascii_digit());
    has(b"sparkguard:") || (sg_code && has(b"noqa"))
}

/// What one comment already suppresses on its own line, for `--add-noqa` to merge
/// with: whether it holds a bare `noqa`, and the codes of its trailing directives
/// with the offset (in the comment) just past the last code of the first list.
pub(crate) fn trailing_directive(comment: &str) -> (bool, Vec<String>, Option<usize>) {
    let mut bare = false;
    let mut codes = Vec::new();
    let mut insert_at = None;
    for (_, start, _) in directives(comment) {
        if start == BARE_NOQA {
            bare = true;
            continue;
        }
        let listed = listed_after(comment, start);
        if insert_at.is_none() {
            insert_at = listed.last().map(|(_, range)| range.end);
        }
        codes.extend(listed.into_iter().map(|(code, _)| code));
    }
    (bare, codes, insert_at)
}

/// What a bare `noqa` silences: every rule.
const EVERY_RULE: &str = "*";

/// The directive offset [`directives`] gives a bare `noqa`, which lists no codes.
const BARE_NOQA: usize = usize::MAX;

/// The directives in one comment: (offset of the directive's marker, offset just
/// after it, whether the directive applies to the next line when the comment stands
/// alone). A bare `noqa` comes as [`BARE_NOQA`] after its marker.
fn directives(comment: &str) -> Vec<(usize, usize, bool)> {
    let lower = comment.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("sparkguard:") {
        let after = from + pos + "sparkguard:".len();
        let rest = &lower[after..];
        let trimmed = rest.trim_start();
        if let Some(bracket) = trimmed.strip_prefix("ignore[") {
            let offset = after + (rest.len() - trimmed.len()) + "ignore[".len();
            let _ = bracket;
            out.push((from + pos, offset, true));
        }
        from = after;
    }
    let mut from = 0;
    while let Some(pos) = lower[from..].find("noqa") {
        let after = from + pos + "noqa".len();
        let rest = &lower[after..];
        let word_start = lower[..from + pos]
            .chars()
            .next_back()
            .is_none_or(|c| c == '#' || c == '/' || c.is_whitespace());
        if let Some(colon) = rest.trim_start().strip_prefix(':') {
            let offset = lower.len() - colon.len();
            out.push((from + pos, offset, false));
        } else if word_start
            && !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
        {
            out.push((from + pos, BARE_NOQA, false));
        }
        from = after;
    }
    out
}

/// The `SG` codes listed after `start`, up to `]` or the end of the list.
fn codes_after(comment: &str, start: usize) -> Vec<(String, Range<usize>)> {
    listed_after(comment, start)
        .into_iter()
        .filter(|(code, _)| code.len() > 2 && code.starts_with("SG"))
        .collect()
}

/// Every code listed after `start` (other linters' too, `E501`), upper-cased.
fn listed_after(comment: &str, start: usize) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let bytes = comment.as_bytes();
    let mut i = start;
    loop {
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b',' || bytes[i] == b'\t') {
            i += 1;
        }
        let begin = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if begin == i {
            break;
        }
        out.push((comment[begin..i].to_ascii_uppercase(), begin..i));
        // A list goes on only through commas (`noqa: SG101, E501`); a space without a
        // comma ends a `noqa` list, while `ignore[...]` ends at its bracket.
        let mut j = i;
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b',' {
            i = j;
            continue;
        }
        break;
    }
    out
}

/// The edit that removes the code at `item` (relative to the comment) from its
/// directive, whose marker is at `marker` and whose list is `items`: the code and
/// one comma beside it when the list names others; else the directive; and the
/// whole comment (the whole line, for a comment alone on its line) when nothing
/// else is written in it. `None` when the text is not as expected.
fn removal(
    text: &str,
    comment: &Comment,
    marker: usize,
    items: &[Range<usize>],
    item: &Range<usize>,
) -> Option<Edit> {
    let body = text.get(comment.range.clone())?;
    let at = items.iter().position(|range| range == item)?;
    let absolute =
        |range: Range<usize>| comment.range.start + range.start..comment.range.start + range.end;
    let edit = |range: Range<usize>| Edit {
        range,
        replacement: String::new(),
    };
    if items.len() > 1 {
        // `SG101, SG103` → `SG101`: from the end of the previous item, or to the start
        // of the next one.
        let range = match at {
            0 => item.start..items[1].start,
            _ => items[at - 1].end..item.end,
        };
        return Some(edit(absolute(range)));
    }
    // The directive's end: past `]` for `ignore[...]`, else after its only code.
    let mut end = item.end;
    let rest = &body[end..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if body[marker..]
        .to_ascii_lowercase()
        .starts_with("sparkguard:")
    {
        if !rest[spaces..].starts_with(']') {
            return None;
        }
        end += spaces + 1;
    }
    let prefix = body[..marker].trim();
    let suffix = &body[end..];
    let suffix_trimmed = suffix.trim();
    if matches!(prefix, "#" | "//" | "/*") {
        if suffix_trimmed.is_empty() || suffix_trimmed == "*/" {
            return Some(edit(whole_comment(text, comment)));
        }
        // `# sparkguard: ignore[SG101]  # reason` → `# reason`
        let next = suffix.len() - suffix.trim_start().len();
        if suffix_trimmed.starts_with('#') || suffix_trimmed.starts_with("//") {
            return Some(edit(absolute(0..end + next)));
        }
        // `# noqa: SG101 why` → `# why`
        return Some(edit(absolute(marker..end + next)));
    }
    // `# export sparkguard: ignore[SG101]` → `# export`
    let kept = body[..marker].trim_end().len();
    Some(edit(absolute(kept..end)))
}

/// The comment with the blanks before it; for a comment alone on its line, the whole
/// line with its line break.
fn whole_comment(text: &str, comment: &Comment) -> Range<usize> {
    let line_start = text[..comment.range.start]
        .rfind('\n')
        .map_or(0, |at| at + 1);
    if comment.own_line {
        let line_end = text[comment.range.end..]
            .find('\n')
            .map_or(text.len(), |at| comment.range.end + at + 1);
        return line_start..line_end;
    }
    let before = text[line_start..comment.range.start].trim_end_matches([' ', '\t']);
    line_start + before.len()..comment.range.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_directive_forms() {
        let c = "# sparkguard: ignore[SG101, SG103]";
        let d = directives(c);
        assert_eq!(d.len(), 1);
        let codes: Vec<String> = codes_after(c, d[0].1).into_iter().map(|(c, _)| c).collect();
        assert_eq!(codes, ["SG101", "SG103"]);

        let c = "# noqa: E501, SG102 trailing words";
        let d = directives(c);
        assert_eq!(d, vec![(2, 7, false)]);
        let codes: Vec<String> = codes_after(c, d[0].1).into_iter().map(|(c, _)| c).collect();
        assert_eq!(codes, ["SG102"]);

        assert_eq!(directives("# noqa"), vec![(2, BARE_NOQA, false)]);
        assert_eq!(directives("# NOQA  "), vec![(2, BARE_NOQA, false)]);
        assert!(directives("# see noqa-docs").is_empty());
        assert!(directives("# snoqa").is_empty());
        let (_, start, _) = directives("# noqa:SG101")[0];
        assert_eq!(codes_after("# noqa:SG101", start)[0].1, 7..12);
    }
}
