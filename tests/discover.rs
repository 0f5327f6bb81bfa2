//! Expanding command-line paths into files, in temporary directories.

use std::path::{Path, PathBuf};

use sparkguard::config::{CliOverrides, ConfigResolver};
use sparkguard::discover::{DiscoverError, InputFile, discover};

fn write(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn run(paths: &[PathBuf], force_exclude: bool) -> (Vec<InputFile>, Vec<DiscoverError>) {
    let resolver = ConfigResolver::new(None, CliOverrides::default()).unwrap();
    discover(paths, &resolver, force_exclude)
}

/// The display paths of the files found under `dir`, relative to it.
fn found_under(dir: &Path, files: &[InputFile]) -> Vec<String> {
    let prefix = format!("{}/", dir.display());
    files
        .iter()
        .map(|file| {
            assert_eq!(
                Path::new(&file.display_path),
                file.path,
                "display path and path agree"
            );
            file.display_path
                .strip_prefix(&prefix)
                .unwrap_or_else(|| panic!("{} is not under {prefix}", file.display_path))
                .to_string()
        })
        .collect()
}

/// A project with a bit of everything.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "ignored.py\nbuild/\n");
    write(root, "job.py", "");
    write(root, "ignored.py", "");
    write(root, "build/out.py", "");
    write(root, "notebooks/explore.ipynb", "{}");
    write(root, "scala/Job.scala", "");
    write(root, "scala/script.sc", "");
    write(root, "build.sbt", "");
    write(root, "README.md", "");
    write(root, ".hidden/secret.py", "");
    write(root, "sub/.ignore", "local_only.py\n");
    write(root, "sub/local_only.py", "");
    write(root, "sub/kept.py", "");
    dir
}

#[test]
fn walk_honours_ignore_files_outside_git_and_skips_other_kinds() {
    let dir = project();
    let (files, errors) = run(&[dir.path().to_path_buf()], false);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        found_under(dir.path(), &files),
        [
            "job.py",
            "notebooks/explore.ipynb",
            "scala/Job.scala",
            "scala/script.sc",
            "sub/kept.py"
        ]
    );
}

#[test]
fn explicit_file_is_checked_even_when_ignored() {
    let dir = project();
    let root = dir.path();
    let paths = [
        root.join("ignored.py"),
        root.join("build/out.py"),
        root.join(".hidden/secret.py"),
    ];
    let (files, errors) = run(&paths, false);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        found_under(root, &files),
        [".hidden/secret.py", "build/out.py", "ignored.py"]
    );
}

#[test]
fn explicit_file_is_checked_even_when_excluded_by_config() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sparkguard.toml",
        "exclude = [\"generated/**\"]\n",
    );
    let file = write(dir.path(), "generated/model.py", "");
    let (files, errors) = run(std::slice::from_ref(&file), false);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].path, file);
}

#[test]
fn force_exclude_applies_config_exclude_and_ignore_files_to_explicit_files() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        "sparkguard.toml",
        "exclude = [\"generated/**\", \"*_gen.py\"]\n",
    );
    let paths = [
        write(root, "generated/model.py", ""),
        write(root, "src/schema_gen.py", ""),
        root.join("ignored.py"),
        root.join("build/out.py"),
        root.join("sub/local_only.py"),
        root.join("job.py"),
        root.join(".hidden/secret.py"),
    ];
    let (files, errors) = run(&paths, true);
    assert!(errors.is_empty(), "{errors:?}");
    // Hidden files are not filtered: naming one is deliberate.
    assert_eq!(found_under(root, &files), [".hidden/secret.py", "job.py"]);
}

#[test]
fn force_exclude_applies_to_directory_arguments() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sparkguard.toml", "exclude = [\"generated\"]\n");
    write(dir.path(), "generated/model.py", "");
    let arg = dir.path().join("generated");
    let (files, errors) = run(std::slice::from_ref(&arg), true);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(files.is_empty(), "{files:?}");
    let (files, _) = run(&[arg], false);
    assert_eq!(files.len(), 1);
}

#[test]
fn walk_applies_config_exclude_and_prunes_directories() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "sparkguard.toml",
        "exclude = [\"generated/\", \"*.gen.py\", \"/top_only.py\"]\n",
    );
    write(root, "job.py", "");
    write(root, "top_only.py", "");
    write(root, "generated/a.py", "");
    write(root, "src/generated/b.py", "");
    write(root, "src/model.gen.py", "");
    write(root, "src/top_only.py", "");
    // A nested config governs its own directory, with globs relative to it.
    write(root, "lib/sparkguard.toml", "exclude = [\"vendor/**\"]\n");
    write(root, "lib/vendor/v.py", "");
    write(root, "lib/own.gen.py", "");
    let (files, errors) = run(&[root.to_path_buf()], false);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        found_under(root, &files),
        ["job.py", "lib/own.gen.py", "src/top_only.py"]
    );
}

#[test]
fn sbt_and_unsupported_explicit_files_are_errors_unless_forced() {
    let dir = project();
    let root = dir.path();
    let paths = [
        root.join("build.sbt"),
        root.join("README.md"),
        root.join("job.py"),
    ];
    let (files, errors) = run(&paths, false);
    assert_eq!(found_under(root, &files), ["job.py"]);
    let messages: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.display_path.as_str(), e.message.as_str()))
        .collect();
    let readme = format!("{}/README.md", root.display());
    let sbt = format!("{}/build.sbt", root.display());
    let expected =
        "unsupported file type (expected .py, .ipynb, .scala, .sc, .sh or spark-defaults.conf)";
    assert_eq!(
        messages,
        [(readme.as_str(), expected), (sbt.as_str(), expected)]
    );

    let (files, errors) = run(&paths, true);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(found_under(root, &files), ["job.py"]);
}

#[test]
fn missing_path_is_an_error_named_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    for force_exclude in [false, true] {
        let (files, errors) = run(std::slice::from_ref(&missing), force_exclude);
        assert!(files.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].display_path, missing.to_string_lossy());
        assert_eq!(errors[0].message, "no such file or directory");
    }
}

#[test]
fn results_are_sorted_and_deduplicated() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "b.py", "");
    write(root, "a/z.py", "");
    write(root, "a/b.scala", "");
    let paths = [
        root.join("b.py"),
        root.to_path_buf(),
        root.join("a"),
        root.join("a/./z.py"),
        root.to_path_buf(),
    ];
    let (files, errors) = run(&paths, false);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(found_under(root, &files), ["a/b.scala", "a/z.py", "b.py"]);
    let again = run(&paths, false).0;
    assert_eq!(files, again);
}

#[test]
fn display_path_joins_the_directory_argument_as_given() {
    // Relative paths need a directory below the current one.
    let Ok(base) =
        Path::new(env!("CARGO_TARGET_TMPDIR")).strip_prefix(std::env::current_dir().unwrap())
    else {
        return;
    };
    let dir = tempfile::Builder::new()
        .prefix("discover")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    let relative = base.join(name);
    let relative_text = relative.to_str().unwrap().replace('\\', "/");
    write(dir.path(), "python/x.py", "");
    write(dir.path(), "y.scala", "");

    let with_slash = PathBuf::from(format!("{relative_text}/"));
    for arg in [relative.clone(), with_slash] {
        let (files, errors) = run(&[arg], false);
        assert!(errors.is_empty(), "{errors:?}");
        let shown: Vec<&str> = files.iter().map(|f| f.display_path.as_str()).collect();
        assert_eq!(
            shown,
            [
                format!("{relative_text}/python/x.py"),
                format!("{relative_text}/y.scala")
            ]
        );
        assert!(
            files
                .iter()
                .all(|f| f.path.is_relative() && f.path.exists())
        );
    }

    let explicit = PathBuf::from(format!("./{relative_text}/python/x.py"));
    let (files, _) = run(std::slice::from_ref(&explicit), false);
    assert_eq!(
        files[0].display_path,
        format!("./{relative_text}/python/x.py")
    );
    assert_eq!(files[0].path, explicit);
}

#[test]
fn config_errors_met_while_walking_name_the_config_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let config = write(root, "bad/sparkguard.toml", "take-treshold = 3\n");
    write(root, "bad/one.py", "");
    write(root, "bad/two.py", "");
    write(root, "bad/deeper/three.py", "");
    write(root, "good/fine.py", "");
    let (files, errors) = run(&[root.to_path_buf()], false);
    assert_eq!(found_under(root, &files), ["good/fine.py"]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].display_path, config.to_string_lossy());
    assert!(
        errors[0]
            .message
            .starts_with("unknown key `take-treshold` in "),
        "{}",
        errors[0].message
    );
    let cause = errors[0]
        .config_error
        .as_ref()
        .expect("the config error is kept");
    assert_eq!(cause.labelled_text(), Some("take-treshold"));
}

#[test]
fn config_error_is_reported_even_when_no_file_uses_it_directly() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "sparkguard.toml", "exclude = 3\n");
    write(root, "sub/sparkguard.toml", "");
    write(root, "sub/ok.py", "");
    let (files, errors) = run(&[root.to_path_buf()], false);
    assert_eq!(found_under(root, &files), ["sub/ok.py"]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].display_path.ends_with("sparkguard.toml"));
}

#[test]
fn explicit_file_with_a_broken_config_is_an_error_under_force_exclude() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sparkguard.toml", "select = [\"NOPE\"]\n");
    let file = write(dir.path(), "job.py", "");
    let (files, errors) = run(std::slice::from_ref(&file), true);
    assert!(files.is_empty());
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .message
            .starts_with("unknown rule code or prefix `NOPE`")
    );
}
