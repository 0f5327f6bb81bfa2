//! sparkguard: a static analyzer for PySpark and Scala Spark code that finds what
//! will exhaust the driver's memory or make a job stage-heavy.
//!
//! Data flows one way: `discover` → `source` → `parse` → facts → project index →
//! `model` → `rules` → `suppress`/`config` → `report`. The CLI checks a project in two
//! streaming passes (`project::first_pass`, `model::index::ProjectIndex`,
//! `project::second_pass`) with the results `cache`; `engine::prepare_file` and
//! `engine::check_prepared` do the same keeping every tree; `engine::check_source`
//! checks one file alone, with an empty index, for the tests; the editor server keeps
//! each folder's index and checks an open file in it
//! (`engine::check_source_in_project`).

/// The one version: `Cargo.toml`'s, which `--version`, the Python wheel (maturin
/// reads it from there) and report metadata all show.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod add_noqa;
pub mod baseline;
pub mod cache;
pub mod changed;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod fix;
pub mod guard;
pub mod lang;
pub mod lsp;
pub mod model;
pub mod parse;
pub mod project;
pub mod query;
pub mod report;
pub mod rules;
pub mod show;
pub mod source;
pub mod stdin;
pub mod suppress;
pub mod watch;
