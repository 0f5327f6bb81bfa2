//! `check --show-files` and `check --show-settings`: what a run would check, and
//! with which settings, printed instead of checking — the answers to "why is this
//! file (not) checked?" and "which config does this file get?".

use std::io::{self, Write};
use std::path::Path;

use crate::config::{self, ConfigResolver, Settings};
use crate::discover::{DiscoverError, InputFile};
use crate::rules::RULES;

const CLEAN: u8 = 0;
const ERROR: u8 = 2;

/// Prints each file a run would check, one display path a line, in the order they
/// are checked. Paths that could not be expanded are errors on stderr (exit 2).
pub fn files(inputs: &[InputFile], errors: &[DiscoverError], color: bool) -> u8 {
    let mut out = io::stdout().lock();
    for input in inputs {
        if let Err(err) = writeln!(out, "{}", input.display_path) {
            return write_failed(err);
        }
    }
    report_errors(errors, color)
}

/// Prints the settings the first of `inputs` is checked with: the config file they
/// come from, whether the file is test code by its path, the rules that run on it,
/// and every config key with its resolved value, as TOML.
pub fn settings(
    inputs: &[InputFile],
    errors: &[DiscoverError],
    resolver: &ConfigResolver,
    color: bool,
) -> u8 {
    let Some(first) = inputs.first() else {
        let code = report_errors(errors, color);
        error(
            color,
            "--show-settings needs a file to show the settings of",
        );
        return code.max(ERROR);
    };
    let settings = match resolver.settings_for(&first.path) {
        Ok(settings) => settings,
        Err(err) => {
            error(color, &err.to_string());
            return ERROR;
        }
    };
    let text = render(&first.display_path, &first.path, &settings);
    if let Err(err) = io::stdout().lock().write_all(text.as_bytes()) {
        return write_failed(err);
    }
    CLEAN
}

/// The text of `--show-settings` for the file at `path`.
pub fn render(display_path: &str, path: &Path, settings: &Settings) -> String {
    let config_file = match &settings.config_file {
        Some(file) => file.display().to_string(),
        None => "none (the defaults)".to_string(),
    };
    let rules: Vec<&str> = RULES
        .iter()
        .filter(|rule| settings.rule_enabled(rule, path))
        .map(|rule| rule.code)
        .collect();
    let test_code = if settings.is_test_path(path) {
        "yes (the Spark rules are silent in it unless check-tests)"
    } else {
        "no"
    };
    format!(
        "Resolved settings for: {display_path}\n\
         Config file: {config_file}\n\
         Root: {}\n\
         Test code by its path: {test_code}\n\
         Rules that run: {}\n\
         \n\
         {}",
        settings.root.display(),
        if rules.is_empty() {
            "none".to_string()
        } else {
            rules.join(", ")
        },
        config::settings_toml(settings)
    )
}

fn report_errors(errors: &[DiscoverError], color: bool) -> u8 {
    for err in errors {
        error(color, &format!("{}: {}", err.display_path, err.message));
    }
    if errors.is_empty() { CLEAN } else { ERROR }
}

fn error(color: bool, message: &str) {
    let prefix = if color {
        "\u{1b}[1;31merror\u{1b}[0m"
    } else {
        "error"
    };
    let _ = writeln!(io::stderr().lock(), "{prefix}: {message}");
}

fn write_failed(err: io::Error) -> u8 {
    if err.kind() == io::ErrorKind::BrokenPipe {
        return CLEAN;
    }
    let _ = writeln!(io::stderr().lock(), "error: cannot write the output: {err}");
    ERROR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_list_the_rules_that_run_and_every_key() {
        let settings = Settings {
            select: vec!["SG1".to_string()],
            ignore: vec!["SG104".to_string()],
            ..Settings::default()
        };
        let text = render("jobs/a.py", Path::new("jobs/a.py"), &settings);
        assert!(
            text.contains("Rules that run: SG101, SG102, SG103\n"),
            "{text}"
        );
        assert!(text.contains("\nselect = [\"SG1\"]\n"), "{text}");
        assert!(text.contains("\ntake-threshold = 10000\n"), "{text}");
        let toml = &text[text.find("\n\n").unwrap()..];
        assert!(toml.parse::<toml_edit::DocumentMut>().is_ok(), "{toml}");
    }
}
