//! Jupyter notebooks: JSON of any shape, cell sources of any kind, magics.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let text = common::text_of(data);
    common::check_as("explore.ipynb", &text);
});
