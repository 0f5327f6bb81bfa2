//! Config files: `sparkguard.toml` and `[tool.sparkguard]` in `pyproject.toml`, and
//! the launch files `spark-defaults.conf` and submit scripts.
#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use sparkguard::config::{CliOverrides, ConfigResolver};

#[path = "common.rs"]
mod common;

thread_local! {
    static DIR: RefCell<Option<tempfile::TempDir>> = const { RefCell::new(None) };
}

fuzz_target!(|data: &[u8]| {
    let text = common::text_of(data);
    DIR.with_borrow_mut(|dir| {
        let dir = dir.get_or_insert_with(|| tempfile::tempdir().unwrap());
        for (name, contents) in [
            ("sparkguard.toml", text.clone()),
            ("pyproject.toml", format!("[tool.sparkguard]\n{text}")),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &contents).unwrap();
            match ConfigResolver::new(Some(&path), CliOverrides::default()) {
                Ok(resolver) => {
                    let _ = resolver.settings_for(&dir.path().join("job.py"));
                }
                Err(err) => {
                    assert!(!err.message().is_empty());
                    // A label always lies inside the file's text.
                    if let Some(span) = err.span() {
                        assert!(span.start <= span.end && span.end <= contents.len());
                        assert_eq!(err.labelled_text().map(str::len), Some(span.len()));
                    }
                }
            }
        }
    });
    common::check_as("conf/spark-defaults.conf", &text);
    common::check_as("submit.sh", &text);
});
