//! The Python package as users get it: maturin builds the wheel (and the source
//! distribution) from `pyproject.toml`, pip installs the wheel into a fresh virtual
//! environment under `target/`, and the installed `sparkguard` and
//! `python -m sparkguard` report the crate's version and check the corpus exactly as
//! the binary under test does.
//!
//! `scripts/test` installs maturin (from PyPI, in a venv under `target/`) and names
//! it in `SPARKGUARD_MATURIN`. Without it the tests are skipped loudly, except in CI,
//! where they fail. The wheel's release build shares its target directory with the
//! pre-commit test, so the dependencies are compiled once.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use support::{CRATE_ROOT, run_logged, say, shared_release_target, tool};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How long building the wheel may take, a cold release build included.
const BUILD_TIMEOUT: Duration = Duration::from_secs(20 * 60);

fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(CRATE_ROOT).join("target/wheel-test").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The Python that runs maturin: the one of the virtual environment it is in.
fn python_beside(maturin: &Path) -> PathBuf {
    let python = maturin.with_file_name(if cfg!(windows) {
        "python.exe"
    } else {
        "python"
    });
    if python.is_file() {
        python
    } else {
        PathBuf::from("python3")
    }
}

fn run(program: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(CRATE_ROOT)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|err| panic!("run {}: {err}", program.display()))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The one file in `dir` whose name starts with `prefix` and ends with `suffix`.
fn only_file(dir: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(suffix)
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {prefix}*{suffix} in {}: {found:?}",
        dir.display()
    );
    found.into_iter().next().unwrap()
}

/// The member names of a wheel, and its METADATA file.
fn wheel_contents(python: &Path, wheel: &Path) -> (Vec<String>, String) {
    let script = "import sys, zipfile\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  names = z.namelist()\n\
                  meta = next(n for n in names if n.endswith('.dist-info/METADATA'))\n\
                  print('\\n'.join(names))\n\
                  print('----')\n\
                  print(z.read(meta).decode())\n";
    let out = run(python, &["-c", script, wheel.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let (names, metadata) = stdout.split_once("----\n").unwrap();
    (
        names.lines().map(str::to_string).collect(),
        metadata.to_string(),
    )
}

#[test]
fn the_wheel_installs_a_sparkguard_that_checks_the_corpus() {
    let Some(maturin) = tool("SPARKGUARD_MATURIN", "maturin") else {
        return;
    };
    let python = python_beside(&maturin);
    let wheels = work_dir("wheels");

    let started = Instant::now();
    let mut build = Command::new(&maturin);
    build
        .args(["build", "--release", "--out"])
        .arg(&wheels)
        .current_dir(CRATE_ROOT)
        .env("CARGO_TARGET_DIR", shared_release_target());
    let built = run_logged(&mut build, &wheels.with_extension("log"), BUILD_TIMEOUT);
    assert!(built.success(), "maturin build failed:\n{}", built.output);
    say(&format!(
        "wheel: maturin build --release took {:.0?}",
        started.elapsed()
    ));

    let wheel = only_file(&wheels, &format!("sparkguard-{VERSION}-"), ".whl");
    let (names, metadata) = wheel_contents(&python, &wheel);
    for expected in [
        format!("sparkguard-{VERSION}.data/scripts/sparkguard"),
        "sparkguard/__init__.py".to_string(),
        "sparkguard/__main__.py".to_string(),
        format!("sparkguard-{VERSION}.dist-info/licenses/LICENSE"),
    ] {
        let found = names
            .iter()
            .any(|name| name == &expected || name == &format!("{expected}.exe"));
        assert!(found, "the wheel lacks {expected}: {names:?}");
    }
    for expected in [
        format!("Version: {VERSION}"),
        "Name: sparkguard".to_string(),
        "License-Expression: MIT".to_string(),
    ] {
        assert!(
            metadata.lines().any(|line| line == expected),
            "the wheel's METADATA lacks {expected:?}:\n{metadata}"
        );
    }

    // A fresh environment, the wheel alone: no index, no other package. The venv gets
    // no pip of its own (bootstrapping one is slow); maturin's pip installs into it.
    let venv = work_dir("venv");
    let made = run(
        &python,
        &[
            "-m",
            "venv",
            "--clear",
            "--without-pip",
            venv.to_str().unwrap(),
        ],
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let bin = venv.join(if cfg!(windows) { "Scripts" } else { "bin" });
    let venv_python = bin.join(if cfg!(windows) {
        "python.exe"
    } else {
        "python"
    });
    let installed = run(
        &python,
        &[
            "-m",
            "pip",
            "--python",
            venv_python.to_str().unwrap(),
            "install",
            "--no-index",
            "--no-deps",
            "--disable-pip-version-check",
            wheel.to_str().unwrap(),
        ],
    );
    assert!(
        installed.status.success(),
        "pip install of the wheel failed:\n{}{}",
        text(&installed.stdout),
        text(&installed.stderr)
    );
    let sparkguard = bin.join(if cfg!(windows) {
        "sparkguard.exe"
    } else {
        "sparkguard"
    });
    assert!(
        sparkguard.is_file(),
        "pip did not install {}",
        sparkguard.display()
    );

    let expected_version = format!("sparkguard {VERSION}\n");
    let version = run(&sparkguard, &["--version"]);
    assert_eq!(text(&version.stdout), expected_version);
    let version = run(&venv_python, &["-m", "sparkguard", "--version"]);
    assert_eq!(
        text(&version.stdout),
        expected_version,
        "python -m sparkguard: {}",
        text(&version.stderr)
    );

    // `pip install --target DIR` puts the package in DIR and the binary in DIR/bin,
    // off every scheme's scripts directory: `python -m sparkguard` still finds it.
    let target = work_dir("target-install");
    let installed = run(
        &python,
        &[
            "-m",
            "pip",
            "install",
            "--no-index",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            target.to_str().unwrap(),
            wheel.to_str().unwrap(),
        ],
    );
    assert!(installed.status.success(), "{}", text(&installed.stderr));
    let version = Command::new(&python)
        .args(["-m", "sparkguard", "--version"])
        .env("PYTHONPATH", &target)
        .output()
        .unwrap();
    assert_eq!(
        text(&version.stdout),
        expected_version,
        "python -m sparkguard from a --target install: {}",
        text(&version.stderr)
    );

    // The installed binary finds in the corpus exactly what the binary under test does.
    let args = ["check", "--output-format", "concise", "corpus/"];
    let reference = run(Path::new(env!("CARGO_BIN_EXE_sparkguard")), &args);
    assert_eq!(reference.status.code(), Some(1), "the corpus has findings");
    for (what, out) in [
        ("sparkguard", run(&sparkguard, &args)),
        (
            "python -m sparkguard",
            run(&venv_python, &[&["-m", "sparkguard"][..], &args].concat()),
        ),
    ] {
        assert_eq!(
            out.status.code(),
            reference.status.code(),
            "{what} check corpus/: {}",
            text(&out.stderr)
        );
        assert!(
            out.stdout == reference.stdout,
            "the installed {what} finds something else in the corpus"
        );
    }
}

#[test]
fn the_source_distribution_holds_what_a_build_needs() {
    let Some(maturin) = tool("SPARKGUARD_MATURIN", "maturin") else {
        return;
    };
    let out_dir = work_dir("sdist");
    let mut sdist = Command::new(&maturin);
    sdist
        .args(["sdist", "--out"])
        .arg(&out_dir)
        .current_dir(CRATE_ROOT);
    let built = run_logged(
        &mut sdist,
        &out_dir.with_extension("log"),
        Duration::from_secs(300),
    );
    assert!(built.success(), "maturin sdist failed:\n{}", built.output);

    let archive = only_file(&out_dir, &format!("sparkguard-{VERSION}"), ".tar.gz");
    let listing = Command::new("tar")
        .arg("tzf")
        .arg(&archive)
        .output()
        .expect("run tar");
    assert!(listing.status.success(), "{}", text(&listing.stderr));
    let prefix = format!("sparkguard-{VERSION}/");
    let names: Vec<String> = text(&listing.stdout)
        .lines()
        .filter_map(|name| name.strip_prefix(&prefix).map(str::to_string))
        .collect();
    for expected in [
        "pyproject.toml",
        "Cargo.toml",
        "Cargo.lock",
        "LICENSE",
        "README.md",
        "PKG-INFO",
        "src/main.rs",
        "src/lib.rs",
        "queries/python/collect-to-driver.scm",
        "queries/scala/collect-to-driver.scm",
        "python/sparkguard/__init__.py",
        "python/sparkguard/__main__.py",
    ] {
        assert!(
            names.iter().any(|name| name == expected),
            "the sdist lacks {expected}: {names:?}"
        );
    }
    assert!(
        !names.iter().any(|name| name.starts_with("corpus/")),
        "the sdist holds the corpus"
    );
}
