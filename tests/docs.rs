//! The checked-in docs are what the binary prints: `docs/rules/` is `sparkguard rules`
//! and `sparkguard rule CODE` in markdown, `docs/configuration.md` is `sparkguard
//! config` in markdown. When a rule's doc comment or a config key changes, these
//! tests fail until `scripts/docs` has regenerated the files.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use sparkguard::report::rule_docs::page_name;
use sparkguard::rules::RULES;

const CRATE_ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// What `sparkguard ARGS` prints on stdout; it must succeed.
fn sparkguard(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
        .args(args)
        .output()
        .expect("run sparkguard");
    assert!(
        out.status.success(),
        "sparkguard {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Fails when `relative` (under the crate root) differs from `expected`.
fn assert_fresh(relative: &str, expected: &str, command: &str) {
    let path = Path::new(CRATE_ROOT).join(relative);
    let on_disk = fs::read_to_string(&path).unwrap_or_default();
    if on_disk == expected {
        return;
    }
    let first_difference = on_disk
        .lines()
        .zip(expected.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| on_disk.lines().count().min(expected.lines().count()));
    panic!(
        "{relative} is stale: it is not what `{command}` prints (first difference at line {}).\n\
         Regenerate the docs with `scripts/docs` and commit the result.",
        first_difference + 1
    );
}

#[test]
fn rule_pages_are_fresh() {
    assert_fresh(
        "docs/rules/README.md",
        &sparkguard(&["rules", "--output-format", "markdown"]),
        "sparkguard rules --output-format markdown",
    );
    for rule in RULES {
        assert_fresh(
            &format!("docs/rules/{}", page_name(rule)),
            &sparkguard(&["rule", rule.code, "--output-format", "markdown"]),
            &format!("sparkguard rule {} --output-format markdown", rule.code),
        );
    }
}

#[test]
fn no_page_outlives_its_rule() {
    let expected: BTreeSet<String> = RULES
        .iter()
        .map(|rule| page_name(rule))
        .chain(["README.md".to_string()])
        .collect();
    let dir = Path::new(CRATE_ROOT).join("docs/rules");
    let found: BTreeSet<String> = fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}; run scripts/docs", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let extra: Vec<&String> = found.difference(&expected).collect();
    assert!(
        extra.is_empty(),
        "docs/rules/ holds pages of no rule: {extra:?}; run scripts/docs, which removes them"
    );
}

#[test]
fn configuration_page_is_fresh() {
    assert_fresh(
        "docs/configuration.md",
        &sparkguard(&["config", "--output-format", "markdown"]),
        "sparkguard config --output-format markdown",
    );
}

#[test]
fn every_rule_at_once_is_the_pages_in_code_order() {
    let all = sparkguard(&["rule", "--all", "--output-format", "markdown"]);
    let pages: Vec<String> = RULES
        .iter()
        .map(|rule| sparkguard(&["rule", rule.code, "--output-format", "markdown"]))
        .collect();
    assert_eq!(all, pages.join("\n"));
}

#[test]
fn every_config_key_is_on_the_configuration_page() {
    let page = fs::read_to_string(Path::new(CRATE_ROOT).join("docs/configuration.md"))
        .expect("docs/configuration.md; run scripts/docs");
    for key in sparkguard::config::key_docs() {
        for needle in [
            format!("## {}\n", key.name),
            format!("- Default: `{}`", key.default),
            key.example.to_string(),
        ] {
            assert!(
                page.contains(&needle),
                "docs/configuration.md lacks {needle:?}; run scripts/docs"
            );
        }
    }
}
