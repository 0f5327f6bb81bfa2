//! `--fix`: the fixed text still parses as well as the input did, its findings lie
//! inside it, and fixing it again changes nothing.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sparkguard::config::Settings;
use sparkguard::fix;
use sparkguard::lang::Language;
use sparkguard::parse;

/// Whether the text parses without errors (`None` for a notebook, or past the
/// nesting limits).
fn parses(language: Option<Language>, text: &str) -> Option<bool> {
    Some(!parse::parse(language?, text)?.root_node().has_error())
}

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (name, language) = match selector % 3 {
        0 => ("job.py", Some(Language::Python)),
        1 => ("Job.scala", Some(Language::Scala)),
        _ => ("explore.ipynb", None),
    };
    let text = common::text_of(rest);
    let settings = Settings::default();
    let Ok(first) = fix::fix_text(Path::new(name), name, &text, &settings) else {
        return;
    };
    common::assert_inside(&first.text, &first.remaining);
    if parses(language, &text) == Some(true) {
        assert_eq!(parses(language, &first.text), Some(true), "--fix broke the syntax of {name}");
    }
    if !first.converged {
        return;
    }
    let second = fix::fix_text(Path::new(name), name, &first.text, &settings)
        .expect("a fixed text can be checked again");
    assert_eq!(second.fixed_count(), 0, "a second --fix changed {name} again");
    assert_eq!(second.text, first.text);
});
