//! Config discovery and validation, through the library API, in temporary directories.
//! Paths are absolute so the tests do not depend on the current directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sparkguard::config::{CliOverrides, ConfigError, ConfigResolver, Settings};
use sparkguard::diagnostic::Severity;
use sparkguard::rules::{Rule, by_code};

fn write(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn rule(code: &str) -> &'static Rule {
    by_code(code).unwrap_or_else(|| panic!("{code} is not a rule"))
}

fn resolver() -> ConfigResolver {
    ConfigResolver::new(None, CliOverrides::default()).unwrap()
}

fn settings(dir: &Path, file: &str) -> Arc<Settings> {
    resolver().settings_for(&dir.join(file)).unwrap()
}

/// The error of the config that governs `dir/x.py`.
fn config_error(dir: &Path) -> ConfigError {
    resolver()
        .settings_for(&dir.join("x.py"))
        .expect_err("the config should be rejected")
}

/// The error for a `sparkguard.toml` holding `text`.
fn error_for(text: &str) -> ConfigError {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sparkguard.toml", text);
    config_error(dir.path())
}

/// A file cut short inside a table header: the parser points past the end, the
/// label stays on the text (found by fuzzing the config reader).
#[test]
fn a_file_cut_short_in_a_table_header_is_labelled_inside_the_text() {
    let text = "select = [\"SG1\"]\n[per-file-ignores";
    let err = error_for(text);
    let span = err.span().expect("a span");
    assert!(span.end <= text.len(), "{span:?}");
    assert_eq!(err.labelled_text().map(str::len), Some(span.len()));
}

// --- discovery -------------------------------------------------------------

#[test]
fn nearest_config_wins() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "sparkguard.toml", "take-threshold = 5\n");
    write(root, "sub/sparkguard.toml", "take-threshold = 7\n");
    let resolver = resolver();
    let top = resolver.settings_for(&root.join("a.py")).unwrap();
    let sub = resolver.settings_for(&root.join("sub/b.py")).unwrap();
    let deep = resolver
        .settings_for(&root.join("sub/deeper/c.py"))
        .unwrap();
    assert_eq!(top.take_threshold, 5);
    assert_eq!(top.root, root);
    assert_eq!(
        top.config_file.as_deref(),
        Some(root.join("sparkguard.toml").as_path())
    );
    assert_eq!(sub.take_threshold, 7);
    assert_eq!(sub.root, root.join("sub"));
    assert_eq!(deep.take_threshold, 7);
}

#[test]
fn configs_are_not_merged_across_levels() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sparkguard.toml",
        "take-threshold = 5\nloop-threshold = 3\n",
    );
    write(dir.path(), "sub/sparkguard.toml", "take-threshold = 7\n");
    let sub = settings(dir.path(), "sub/b.py");
    assert_eq!(sub.take_threshold, 7);
    assert_eq!(sub.loop_threshold, Settings::default().loop_threshold);
}

#[test]
fn settings_are_cached_per_directory() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sparkguard.toml", "take-threshold = 5\n");
    let resolver = resolver();
    let a = resolver.settings_for(&dir.path().join("a/x.py")).unwrap();
    let b = resolver.settings_for(&dir.path().join("b/y.py")).unwrap();
    let c = resolver.settings_for(&dir.path().join("a/z.py")).unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert!(Arc::ptr_eq(&a, &c));
}

#[test]
fn one_directory_prefers_sparkguard_toml_then_dot_file_then_pyproject() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "pyproject.toml",
        "[tool.sparkguard]\ntake-threshold = 3\n",
    );
    assert_eq!(settings(root, "x.py").take_threshold, 3);
    write(root, ".sparkguard.toml", "take-threshold = 2\n");
    assert_eq!(settings(root, "x.py").take_threshold, 2);
    write(root, "sparkguard.toml", "take-threshold = 1\n");
    assert_eq!(settings(root, "x.py").take_threshold, 1);
}

#[test]
fn pyproject_without_the_table_is_not_a_config() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "sparkguard.toml", "take-threshold = 5\n");
    write(
        root,
        "sub/pyproject.toml",
        "[tool.black]\nline-length = 100\n",
    );
    write(
        root,
        "other/pyproject.toml",
        "[tool.sparkguard]\ntake-threshold = 9\n",
    );
    assert_eq!(settings(root, "sub/x.py").take_threshold, 5);
    assert_eq!(settings(root, "other/x.py").take_threshold, 9);
}

#[test]
fn broken_pyproject_counts_only_when_it_mentions_sparkguard() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "sparkguard.toml", "take-threshold = 5\n");
    write(root, "unrelated/pyproject.toml", "[tool.black\n");
    assert_eq!(settings(root, "unrelated/x.py").take_threshold, 5);
    write(
        root,
        "ours/pyproject.toml",
        "[tool.sparkguard]\ntake-threshold = \n",
    );
    let err = config_error(&root.join("ours"));
    assert!(
        err.message().starts_with("invalid TOML in "),
        "{}",
        err.message()
    );
    assert!(
        err.message().contains("pyproject.toml"),
        "{}",
        err.message()
    );
}

#[test]
fn no_config_gives_defaults_rooted_at_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    let found = settings(dir.path(), "x.py");
    let defaults = Settings::default();
    assert_eq!(found.root, std::env::current_dir().unwrap());
    assert_eq!(found.config_file, None);
    assert_eq!(found.take_threshold, defaults.take_threshold);
    assert!(found.select.is_empty() && found.ignore.is_empty());
}

#[test]
fn forced_config_applies_to_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let forced = write(
        root,
        "ci/strict.toml",
        "take-threshold = 1\nexclude = [\"gen/**\"]\n",
    );
    write(root, "src/sparkguard.toml", "take-threshold = 500\n");
    let resolver = ConfigResolver::new(Some(&forced), CliOverrides::default()).unwrap();
    let src = resolver.settings_for(&root.join("src/x.py")).unwrap();
    let elsewhere = resolver
        .settings_for(Path::new("/somewhere/else.py"))
        .unwrap();
    assert_eq!(src.take_threshold, 1);
    assert_eq!(elsewhere.take_threshold, 1);
    // Globs stay relative to the forced config's directory.
    assert_eq!(src.root, root.join("ci"));
    assert!(src.is_excluded(&root.join("ci/gen/a.py")));
    assert!(!src.is_excluded(&root.join("gen/a.py")));
}

#[test]
fn forced_pyproject_without_the_table_gives_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let forced = write(dir.path(), "pyproject.toml", "[project]\nname = \"x\"\n");
    let resolver = ConfigResolver::new(Some(&forced), CliOverrides::default()).unwrap();
    let found = resolver.settings_for(&dir.path().join("x.py")).unwrap();
    assert_eq!(found.take_threshold, Settings::default().take_threshold);
    assert_eq!(found.root, dir.path());
}

#[test]
fn forced_config_that_does_not_exist_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let err = ConfigResolver::new(Some(&missing), CliOverrides::default())
        .err()
        .expect("a missing --config file is an error");
    assert!(
        err.message().contains("cannot read config file"),
        "{}",
        err.message()
    );
    assert!(err.message().contains("nope.toml"), "{}", err.message());
}

#[test]
fn forced_config_is_validated_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let forced = write(dir.path(), "cfg.toml", "selct = []\n");
    let err = ConfigResolver::new(Some(&forced), CliOverrides::default())
        .err()
        .expect("an invalid --config file is an error");
    assert_eq!(err.labelled_text(), Some("selct"));
    assert!(err.message().contains("cfg.toml"), "{}", err.message());
}

#[test]
fn resolver_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<ConfigResolver>();
    shared::<Settings>();
    shared::<ConfigError>();
}

// --- values ----------------------------------------------------------------

#[test]
fn every_key_is_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sparkguard.toml",
        r#"
select = ["SG1"]
ignore = ["SG102"]
exclude = ["generated/**"]
take-threshold = 50
small-tables = ["dim_country", "dim_currency"]
max-broadcast-threshold = "256m"
loop-threshold = 4
repeated-actions = 3

[per-file-ignores]
"tests/**" = ["SG101"]

[severity]
SG101 = "warning"
"#,
    );
    let found = settings(dir.path(), "x.py");
    assert_eq!(found.select, ["SG1"]);
    assert_eq!(found.ignore, ["SG102"]);
    assert_eq!(found.exclude.patterns(), ["generated/**"]);
    assert_eq!(found.take_threshold, 50);
    assert_eq!(found.small_tables, ["dim_country", "dim_currency"]);
    assert_eq!(found.max_broadcast_threshold, "256m");
    assert_eq!(found.loop_threshold, 4);
    assert_eq!(found.repeated_actions, 3);
    assert_eq!(found.per_file_ignores.len(), 1);
    assert_eq!(found.per_file_ignores[0].pattern, "tests/**");
    assert_eq!(found.severity.get("SG101"), Some(&Severity::Warning));
}

#[test]
fn later_keys_have_defaults() {
    let defaults = Settings::default();
    assert!(defaults.small_tables.is_empty());
    assert_eq!(defaults.max_broadcast_threshold, "1g");
    assert_eq!(defaults.loop_threshold, 10);
    assert_eq!(defaults.repeated_actions, 2);
}

#[test]
fn select_and_ignore_take_codes_and_prefixes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sparkguard.toml",
        "select = [\"SG1\"]\nignore = [\"SG102\"]\n",
    );
    let found = settings(dir.path(), "x.py");
    let file = dir.path().join("x.py");
    assert!(found.rule_enabled(rule("SG101"), &file));
    assert!(!found.rule_enabled(rule("SG102"), &file));
    assert!(!found.rule_enabled(rule("SG901"), &file));
}

#[test]
fn severity_override_replaces_the_default() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sparkguard.toml",
        "severity = { SG101 = \"info\" }\n",
    );
    let found = settings(dir.path(), "x.py");
    assert_eq!(found.severity_of(rule("SG101")), Severity::Info);
    assert_eq!(found.severity_of(rule("SG102")), rule("SG102").severity);
}

#[test]
fn pyproject_table_and_its_subtables_are_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"jobs\"\n\n[tool.sparkguard]\ntake-threshold = 20\n\n\
         [tool.sparkguard.severity]\nSG101 = \"error\"\n\n\
         [tool.sparkguard.per-file-ignores]\n\"tests/*\" = [\"SG1\"]\n",
    );
    let found = settings(dir.path(), "x.py");
    assert_eq!(found.take_threshold, 20);
    assert_eq!(found.severity.get("SG101"), Some(&Severity::Error));
    assert!(!found.rule_enabled(rule("SG101"), &dir.path().join("tests/t.py")));
}

#[test]
fn per_file_ignores_apply_to_matching_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "sparkguard.toml",
        r#"
[per-file-ignores]
"tests/**" = ["SG101"]
"notebooks/*.py" = ["SG1"]
"*_scratch.py" = ["SG102"]
"!src/**" = ["SG901"]
"#,
    );
    let found = settings(root, "x.py");
    let enabled = |code: &str, file: &str| found.rule_enabled(rule(code), &root.join(file));
    assert!(!enabled("SG101", "tests/unit/test_job.py"));
    assert!(enabled("SG102", "tests/unit/test_job.py"));
    assert!(!enabled("SG101", "notebooks/explore.py"));
    assert!(!enabled("SG102", "notebooks/explore.py"));
    // `notebooks/*.py` is anchored and does not cross directories.
    assert!(enabled("SG101", "notebooks/old/explore.py"));
    assert!(enabled("SG101", "src/notebooks/explore.py"));
    // A pattern without a slash matches at any depth.
    assert!(!enabled("SG102", "src/deep/a_scratch.py"));
    assert!(enabled("SG101", "src/deep/a_scratch.py"));
    // A negated pattern applies to the files that do not match.
    assert!(enabled("SG901", "src/job.py"));
    assert!(!enabled("SG901", "jobs/job.py"));
}

#[test]
fn per_file_ignores_accept_paths_relative_to_the_current_directory() {
    // The engine passes display paths, relative to the current directory.
    let cwd = std::env::current_dir().unwrap();
    let settings = Settings {
        per_file_ignores: vec![
            sparkguard::config::PerFileIgnore::new(&cwd, "tests/**", vec!["SG101".to_string()])
                .unwrap(),
        ],
        root: cwd,
        ..Settings::default()
    };
    assert!(!settings.rule_enabled(rule("SG101"), Path::new("tests/config.rs")));
    assert!(!settings.rule_enabled(rule("SG101"), Path::new("./src/../tests/x.py")));
    assert!(settings.rule_enabled(rule("SG101"), Path::new("src/config.rs")));
}

#[test]
fn exclude_matches_relative_to_the_config_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "sparkguard.toml",
        "exclude = [\"generated/**\", \"*.gen.py\", \"build/\", \"!keep.gen.py\"]\n",
    );
    std::fs::create_dir_all(root.join("src/build")).unwrap();
    let found = settings(root, "x.py");
    assert!(found.is_excluded(&root.join("generated/a.py")));
    assert!(found.is_excluded(&root.join("generated/deep/a.py")));
    assert!(!found.is_excluded(&root.join("src/generated/a.py")));
    assert!(found.is_excluded(&root.join("src/deep/model.gen.py")));
    assert!(!found.is_excluded(&root.join("src/keep.gen.py")));
    assert!(found.is_excluded(&root.join("src/build/a.py")));
    assert!(found.is_excluded(&root.join("src/build")));
    assert!(!found.is_excluded(&root.join("src/job.py")));
    // Outside the config's directory nothing matches.
    assert!(!found.is_excluded(Path::new("/generated/a.py")));
}

// --- command-line overrides ------------------------------------------------

#[test]
fn cli_select_replaces_and_cli_ignore_adds() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sparkguard.toml",
        "select = [\"SG1\"]\nignore = [\"SG102\"]\n",
    );
    let overrides = CliOverrides {
        select: Some(vec!["SG9".to_string(), "SG101".to_string()]),
        ignore: vec!["SG101".to_string()],
        check_tests: false,
        ..CliOverrides::default()
    };
    let resolver = ConfigResolver::new(None, overrides).unwrap();
    let found = resolver.settings_for(&dir.path().join("x.py")).unwrap();
    assert_eq!(found.select, ["SG9", "SG101"]);
    assert_eq!(found.ignore, ["SG102", "SG101"]);
    let file = dir.path().join("x.py");
    assert!(found.rule_enabled(rule("SG901"), &file));
    assert!(!found.rule_enabled(rule("SG101"), &file));
    assert!(!found.rule_enabled(rule("SG103"), &file));
}

#[test]
fn cli_overrides_apply_without_a_config_and_with_a_forced_one() {
    let dir = tempfile::tempdir().unwrap();
    let overrides = CliOverrides {
        select: None,
        ignore: vec!["SG1".to_string()],
        check_tests: false,
        ..CliOverrides::default()
    };
    let resolver = ConfigResolver::new(None, overrides.clone()).unwrap();
    assert_eq!(
        resolver
            .settings_for(&dir.path().join("x.py"))
            .unwrap()
            .ignore,
        ["SG1"]
    );
    let forced = write(dir.path(), "cfg.toml", "ignore = [\"SG9\"]\n");
    let resolver = ConfigResolver::new(Some(&forced), overrides).unwrap();
    assert_eq!(
        resolver
            .settings_for(&dir.path().join("x.py"))
            .unwrap()
            .ignore,
        ["SG9", "SG1"]
    );
}

#[test]
fn cli_codes_are_validated() {
    let overrides = CliOverrides {
        select: Some(vec!["SG1O1".to_string()]),
        ignore: Vec::new(),
        check_tests: false,
        ..CliOverrides::default()
    };
    let err = ConfigResolver::new(None, overrides).err().unwrap();
    assert_eq!(
        err.message(),
        "unknown rule code or prefix `SG1O1` in --select"
    );
    assert_eq!(err.help_text(), Some("did you mean `SG101`?"));
    assert_eq!(err.span(), None);

    let overrides = CliOverrides {
        select: None,
        ignore: vec!["sg1".to_string()],
        check_tests: false,
        ..CliOverrides::default()
    };
    let err = ConfigResolver::new(None, overrides).err().unwrap();
    assert_eq!(
        err.message(),
        "unknown rule code or prefix `sg1` in --ignore"
    );
    assert_eq!(err.help_text(), Some("did you mean `SG1`?"));
}

// --- errors ----------------------------------------------------------------

#[test]
fn unknown_key_points_at_the_key_and_suggests_the_closest() {
    let err = error_for("select = []\ntake-treshold = 10\n");
    assert!(
        err.message().starts_with("unknown key `take-treshold` in ")
            && err.message().ends_with("sparkguard.toml"),
        "{}",
        err.message()
    );
    assert_eq!(err.labelled_text(), Some("take-treshold"));
    assert_eq!(err.help_text(), Some("did you mean `take-threshold`?"));
    assert!(err.config_file().unwrap().ends_with("sparkguard.toml"));
}

#[test]
fn unknown_key_without_a_close_one_lists_the_known_keys() {
    let err = error_for("colour = \"red\"\n");
    assert_eq!(err.labelled_text(), Some("colour"));
    let help = err.help_text().unwrap();
    assert!(help.starts_with("known keys: `select`"), "{help}");
    assert!(help.contains("`repeated-actions`"), "{help}");
}

#[test]
fn unknown_key_in_pyproject_names_pyproject() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.black]\nline-length = 1\n\n[tool.sparkguard]\nselect = [\"SG1\"]\nexcludes = []\n",
    );
    let err = config_error(dir.path());
    assert!(
        err.message().starts_with("unknown key `excludes` in "),
        "{}",
        err.message()
    );
    assert!(
        err.message().ends_with("pyproject.toml"),
        "{}",
        err.message()
    );
    assert_eq!(err.labelled_text(), Some("excludes"));
    assert_eq!(err.help_text(), Some("did you mean `exclude`?"));
}

#[test]
fn sparkguard_table_of_the_wrong_type_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pyproject.toml", "[tool]\nsparkguard = 3\n");
    let err = config_error(dir.path());
    assert_eq!(err.labelled_text(), Some("3"));
    assert!(
        err.message().contains("must be a table"),
        "{}",
        err.message()
    );
}

#[test]
fn wrong_type_points_at_the_value() {
    let err = error_for("take-threshold = \"big\"\n");
    assert!(
        err.message().starts_with("`take-threshold` in "),
        "{}",
        err.message()
    );
    assert!(
        err.message().ends_with("must be a positive integer"),
        "{}",
        err.message()
    );
    assert_eq!(err.labelled_text(), Some("\"big\""));
    assert_eq!(
        err.label(),
        Some("expected a positive integer, found a string")
    );

    let err = error_for("max-broadcast-threshold = 1024\n");
    assert_eq!(err.labelled_text(), Some("1024"));
    assert_eq!(
        err.label(),
        Some("expected a size such as \"50m\" or \"1g\", found an integer")
    );

    let err = error_for("max-broadcast-threshold = \"lots\"\n");
    assert_eq!(err.labelled_text(), Some("\"lots\""));
    assert!(
        err.message()
            .ends_with("must be a size such as \"50m\" or \"1g\"")
    );

    let err = error_for("small-tables = \"dim\"\n");
    assert_eq!(err.labelled_text(), Some("\"dim\""));

    let err = error_for("[select]\nSG1 = true\n");
    assert_eq!(
        err.label(),
        Some("expected an array of rule codes or prefixes, found a table")
    );
}

#[test]
fn array_element_of_the_wrong_type_points_at_the_element() {
    let err = error_for("select = [\"SG101\", 3]\n");
    assert_eq!(err.labelled_text(), Some("3"));
    assert_eq!(err.label(), Some("expected a string, found an integer"));
}

#[test]
fn bad_value_points_at_the_value() {
    for text in [
        "take-threshold = 0\n",
        "loop-threshold = -4\n",
        "repeated-actions = 0\n",
    ] {
        let err = error_for(text);
        let value = text.split(" = ").nth(1).unwrap().trim();
        assert_eq!(err.labelled_text(), Some(value), "{text}");
        assert!(
            err.message().ends_with("must be a positive integer"),
            "{}",
            err.message()
        );
    }
}

#[test]
fn unknown_rule_code_points_at_the_code() {
    let err = error_for("select = [\"SG1\", \"SG999\"]\n");
    assert!(
        err.message()
            .starts_with("unknown rule code or prefix `SG999` in "),
        "{}",
        err.message()
    );
    assert_eq!(err.labelled_text(), Some("\"SG999\""));

    let err = error_for("ignore = [\"sg101\"]\n");
    assert_eq!(err.labelled_text(), Some("\"sg101\""));
    assert_eq!(err.help_text(), Some("did you mean `SG101`?"));

    let err = error_for("ignore = [\"\"]\n");
    assert_eq!(err.labelled_text(), Some("\"\""));

    let err = error_for("[per-file-ignores]\n\"tests/**\" = [\"SG101\", \"XX1\"]\n");
    assert_eq!(err.labelled_text(), Some("\"XX1\""));
}

#[test]
fn per_file_ignores_errors_point_into_the_table() {
    let err = error_for("per-file-ignores = [\"tests/**\"]\n");
    assert_eq!(err.labelled_text(), Some("[\"tests/**\"]"));

    let err = error_for("[per-file-ignores]\n\"tests/**\" = \"SG101\"\n");
    assert_eq!(err.labelled_text(), Some("\"SG101\""));

    let err = error_for("[per-file-ignores]\n\"src/[z-a]\" = [\"SG101\"]\n");
    assert_eq!(err.labelled_text(), Some("\"src/[z-a]\""));
    assert!(
        err.message().starts_with("invalid glob `src/[z-a]` in "),
        "{}",
        err.message()
    );
}

#[test]
fn invalid_exclude_glob_points_at_the_pattern() {
    let err = error_for("exclude = [\"ok/**\", \"[z-a].py\"]\n");
    assert_eq!(err.labelled_text(), Some("\"[z-a].py\""));
    assert!(
        err.message().starts_with("invalid glob `[z-a].py` in "),
        "{}",
        err.message()
    );
}

#[test]
fn severity_errors_point_at_the_code_or_the_value() {
    let err = error_for("[severity]\nSG1 = \"info\"\n");
    assert_eq!(err.labelled_text(), Some("SG1"));
    assert!(
        err.message()
            .starts_with("unknown rule code `SG1` in `severity`"),
        "{}",
        err.message()
    );
    assert_eq!(
        err.help_text(),
        Some("a severity is set per rule: use a full rule code")
    );

    let err = error_for("[severity]\nSG10l = \"info\"\n");
    assert_eq!(err.labelled_text(), Some("SG10l"));
    assert_eq!(err.help_text(), Some("did you mean `SG101`?"));

    let err = error_for("[severity]\nSG101 = \"fatal\"\n");
    assert_eq!(err.labelled_text(), Some("\"fatal\""));
    assert!(
        err.message()
            .starts_with("invalid severity `fatal` for `SG101` in "),
        "{}",
        err.message()
    );
    assert_eq!(
        err.label(),
        Some(r#"expected "error", "warning" or "info""#)
    );

    let err = error_for("[severity]\nSG101 = \"warn\"\n");
    assert_eq!(err.help_text(), Some("did you mean \"warning\"?"));

    let err = error_for("[severity]\nSG101 = 2\n");
    assert_eq!(err.labelled_text(), Some("2"));

    let err = error_for("severity = \"warning\"\n");
    assert_eq!(err.labelled_text(), Some("\"warning\""));
}

#[test]
fn toml_syntax_error_points_into_the_file() {
    let text = "select = [\"SG1\"]\ntake-threshold = = 3\n";
    let err = error_for(text);
    assert!(
        err.message().starts_with("invalid TOML in "),
        "{}",
        err.message()
    );
    let span = err.span().expect("a syntax error has a position");
    let line_two = text.find("take-threshold").unwrap();
    assert!(
        span.start >= line_two,
        "{span:?} should be on the second line"
    );
}

#[test]
fn duplicate_key_is_a_syntax_error() {
    let err = error_for("take-threshold = 1\ntake-threshold = 2\n");
    assert!(
        err.message().starts_with("invalid TOML in "),
        "{}",
        err.message()
    );
    assert!(err.span().is_some());
}

#[test]
fn first_error_in_document_order_is_reported() {
    let err = error_for("take-threshold = 0\nselct = []\n");
    assert_eq!(err.labelled_text(), Some("0"));
}

#[test]
fn error_renders_with_the_file_and_the_label() {
    let err = error_for("select = []\ntake-treshold = 10\n");
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, &err)
        .unwrap();
    assert!(out.contains("sparkguard.toml:2:1"), "{out}");
    assert!(out.contains("take-treshold = 10"), "{out}");
    assert!(out.contains("unknown key"), "{out}");
    assert!(out.contains("did you mean `take-threshold`?"), "{out}");
}
