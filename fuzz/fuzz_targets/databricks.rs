//! Databricks source notebooks: `# COMMAND ----------` cells, `# MAGIC` lines,
//! `%sql` and `%scala` cells, in both languages.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let text = common::text_of(data);
    let python = format!("# Databricks notebook source\n{text}");
    common::check_as("notebook.py", &python);
    let scala = format!("// Databricks notebook source\n{text}");
    common::check_as("Notebook.scala", &scala);
});
