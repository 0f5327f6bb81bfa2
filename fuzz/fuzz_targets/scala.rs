//! The Scala pipeline: parse, model, every rule, suppressions, positions.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let text = common::text_of(data);
    common::check_as("job.scala", &text);
    // The same text as a test file and as a notebook cell takes other paths.
    common::check_as("tests/test_job.scala", &text);
});
