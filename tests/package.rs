//! The crate can be packaged: `cargo package --list` accepts the manifest and lists
//! every file the build needs (the sources and the queries they embed) with the
//! licence and readme, and none of the repository's corpus, tests or benchmarks.

use std::fs;
use std::path::Path;
use std::process::Command;

const CRATE_ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every file under `dir` (relative to the crate root) whose name ends with `ext`.
fn files_under(dir: &str, ext: &str, found: &mut Vec<String>) {
    let root = Path::new(CRATE_ROOT);
    let mut stack = vec![root.join(dir)];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(ext) {
                let relative = path.strip_prefix(root).unwrap();
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
}

#[test]
fn cargo_package_lists_what_the_build_needs_and_nothing_else() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    // --allow-dirty: the test runs on work trees with uncommitted changes too.
    let out = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty"])
        .current_dir(CRATE_ROOT)
        .output()
        .expect("run cargo package --list");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "cargo package --list failed:\n{stderr}"
    );
    // The one warning allowed: the project has no public address yet, and a made-up
    // `repository` would be printed as the tool's address in SARIF and rdjson.
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("warning"))
        .filter(|line| !line.contains("no documentation, homepage or repository"))
        .collect();
    assert!(warnings.is_empty(), "cargo package --list warns:\n{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let listed: Vec<&str> = stdout.lines().collect();

    let mut needed = vec![
        "Cargo.toml".to_string(),
        "Cargo.lock".to_string(),
        "README.md".to_string(),
        "LICENSE".to_string(),
        "CHANGELOG.md".to_string(),
    ];
    files_under("src", ".rs", &mut needed);
    files_under("queries", ".scm", &mut needed);
    for file in &needed {
        assert!(
            listed.contains(&file.as_str()),
            "cargo package leaves out {file}; see `include` in Cargo.toml"
        );
    }
    for file in &listed {
        for kept_out in ["corpus/", "tests/", "bench/", "target/", "docs/", "python/"] {
            assert!(
                !file.starts_with(kept_out),
                "cargo package includes {file}; see `include` in Cargo.toml"
            );
        }
    }
}

#[test]
fn the_manifest_carries_the_metadata_a_registry_shows() {
    // `repository` is left out until the project has a public address: SARIF and
    // rdjson print it as the tool's address, and a made-up one would mislead.
    let manifest = fs::read_to_string(Path::new(CRATE_ROOT).join("Cargo.toml")).unwrap();
    for key in ["description", "license", "readme", "keywords", "categories"] {
        assert!(
            manifest
                .lines()
                .any(|line| line.starts_with(&format!("{key} ="))),
            "Cargo.toml has no `{key}`"
        );
    }
    assert!(manifest.contains("license = \"MIT\""));
    let license = fs::read_to_string(Path::new(CRATE_ROOT).join("LICENSE")).unwrap();
    assert!(license.starts_with("MIT License"));
}

/// One version: Cargo.toml's is the wheel's (pyproject.toml declares it dynamic) and
/// has its own section in the changelog.
#[test]
fn one_version_everywhere() {
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(sparkguard::VERSION, version);
    let pyproject = fs::read_to_string(Path::new(CRATE_ROOT).join("pyproject.toml")).unwrap();
    assert!(
        pyproject.contains("dynamic = [\"version\"]"),
        "pyproject.toml must take its version from Cargo.toml"
    );
    assert!(
        !pyproject.lines().any(|line| line.starts_with("version")),
        "pyproject.toml sets a version of its own"
    );
    let changelog = fs::read_to_string(Path::new(CRATE_ROOT).join("CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains("## [Unreleased]"),
        "CHANGELOG.md has no [Unreleased] section"
    );
    assert!(
        changelog.contains(&format!("## [{version}]")),
        "CHANGELOG.md has no section for {version}, the version in Cargo.toml"
    );
}
