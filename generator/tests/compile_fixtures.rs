//! Every fixture that generates must also compile: the generated crates are put in one
//! throw-away workspace and checked with `cargo clippy -D warnings` and `cargo doc -D warnings`
//! (typify's habit: snapshots alone do not prove the output is valid Rust). Behaviour tests in
//! `tests/fixture_behaviour/<case>.rs` are copied into their fixture crate and run there, and
//! so are the crates' doctests.
//!
//! This is the slowest test, so it shows its progress: each step is announced and cargo's own
//! output (`Checking fixture_…`, `Compiling fixture_…`, the behaviour tests' results) goes
//! straight to the terminal instead of being captured. The workspace shares one target folder
//! and one build of the dependencies across its crates; the libraries' own unit-test builds
//! (generated crates have no unit tests) are skipped, the behaviour tests and doctests are not.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs cargo in the fixture workspace with its output on the terminal; whether it succeeded.
fn cargo(dir: &Path, target: &Path, step: &str, args: &[&str]) -> bool {
    // Written to the terminal directly: the test harness captures `eprintln!`.
    let _ = writeln!(std::io::stderr(), "compile_fixtures: {step} (cargo {})", args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTDOCFLAGS", "-D warnings")
        // Throw-away crates: no incremental state to keep, and line tables are all a failing
        // behaviour test's backtrace needs.
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
        .env_remove("RUSTFLAGS")
        .status()
        .expect("cargo runs");
    status.success()
}

#[test]
fn generated_fixture_crates_compile_cleanly() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = manifest.join("tests/fixtures");
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    let mut members = Vec::new();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("errors_")))
        .collect();
    cases.sort();
    for case in cases {
        let name = case.file_name().expect("named").to_string_lossy().into_owned();
        let config = sdkwright::Config::new(case.join("openapi.yaml")).crate_name(format!("fixture_{name}"));
        let generated = sdkwright::generate(&config).unwrap_or_else(|e| panic!("{name}: {e}"));
        let crate_dir = out.join(&name);
        // Each run starts from a fresh crate folder (the workspace's target folder stays).
        if crate_dir.exists() {
            std::fs::remove_dir_all(&crate_dir).expect("the previous fixture crate is removed");
        }
        generated.files.write(&crate_dir).expect("fixture crate is written");
        let behaviour = manifest.join("tests/fixture_behaviour").join(format!("{name}.rs"));
        if behaviour.exists() {
            std::fs::create_dir_all(crate_dir.join("tests")).expect("tests folder");
            std::fs::copy(&behaviour, crate_dir.join("tests/behaviour.rs")).expect("behaviour test copied");
            // Behaviour tests talk HTTP to a local wiremock server (pinned by the main lock file),
            // or to a server of their own on tokio's sockets and files.
            let manifest_path = crate_dir.join("Cargo.toml");
            let text = std::fs::read_to_string(&manifest_path).expect("fixture manifest");
            let mut manifest: toml::Table = toml::from_str(&text).expect("the fixture manifest is TOML");
            let dev = manifest["dev-dependencies"].as_table_mut().expect("dev-dependencies");
            dev.insert("wiremock".to_owned(), toml::Value::String("0.6".to_owned()));
            let features = dev["tokio"]["features"].as_array().cloned().expect("tokio's features");
            let mut features: Vec<toml::Value> = features;
            features.extend(["net", "io-util", "fs", "time"].map(|f| toml::Value::String(f.to_owned())));
            dev["tokio"]
                .as_table_mut()
                .expect("tokio is a table")
                .insert("features".to_owned(), features.into());
            let text = toml::to_string(&manifest).expect("the manifest is written");
            std::fs::write(&manifest_path, text).expect("fixture manifest written");
        }
        members.push(format!("\"{name}\""));
    }
    let workspace = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(out.join("Cargo.toml"), workspace).expect("workspace manifest");
    // The main workspace's lock file pins the same dependency versions, so no resolution or
    // download is needed beyond what building this workspace fetched.
    std::fs::copy(manifest.join("../Cargo.lock"), out.join("Cargo.lock")).expect("lock file");
    let target = out.join("target");
    let count = members.len();
    let ok = cargo(
        &out,
        &target,
        &format!("clippy -D warnings over {count} fixture crates"),
        &["clippy", "--offline", "--no-default-features", "--", "-D", "warnings"],
    );
    assert!(ok, "generated fixtures do not pass clippy (cargo's output is above)");
    let ok = cargo(
        &out,
        &target,
        "rustdoc -D warnings",
        &["doc", "--offline", "--no-default-features", "--no-deps"],
    );
    assert!(ok, "generated fixtures do not document cleanly (cargo's output is above)");
    let ok = cargo(
        &out,
        &target,
        "behaviour tests against wiremock",
        // With `serde-both`, which the tests use to build servers' answers from models: clippy
        // above checked the crates as users get them, this checks the feature compiles too.
        &["test", "--offline", "--no-default-features", "--features", "serde-both", "--test", "*"],
    );
    assert!(ok, "fixture behaviour tests fail (cargo's output is above)");
    // The crate docs' usage example must compile for every kind of authentication.
    let ok = cargo(
        &out,
        &target,
        "doctests",
        &["test", "--offline", "--no-default-features", "--features", "serde-both", "--doc"],
    );
    assert!(ok, "fixture doctests fail (cargo's output is above)");
}
