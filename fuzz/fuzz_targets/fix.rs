//! `--fix`: the fixed text still parses as well as the input did, its findings lie
//! inside it, and fixing it again changes nothing.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sparkguard::config::Settings;
use sparkguard::fix;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let name = match selector % 3 {
        0 => "job.py",
        1 => "Job.scala",
        _ => "explore.ipynb",
    };
    let text = common::text_of(rest);
    let settings = Settings::default();
    let Ok(first) = fix::fix_text(Path::new(name), name, &text, &settings) else {
        return;
    };
    common::assert_inside(&first.text, &first.remaining);
    if !first.converged {
        return;
    }
    let second = fix::fix_text(Path::new(name), name, &first.text, &settings)
        .expect("a fixed text can be checked again");
    assert_eq!(second.fixed_count(), 0, "a second --fix changed {name} again");
    assert_eq!(second.text, first.text);
});
