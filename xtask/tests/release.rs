//! `cargo xtask release` over the doc fixture pairs of `generator/tests/changes/`, in both
//! directions: in a throw-away git repository, the older spec is generated and committed as the
//! last release, the newer one replaces it, and `release` must write the implied version into
//! the crate's `Cargo.toml` and a changelog entry that names what changed and, for a breaking
//! change, what to change in code. A second run changes nothing, and `generate --check` agrees
//! with what `release` wrote (generation keeps the released version).

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).current_dir(dir).output().expect("the command runs");
    let log =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{program} {args:?} failed:\n{log}");
    log
}

fn git(dir: &Path, args: &[&str]) -> String {
    let mut all = vec![
        "-c",
        "user.name=release test",
        "-c",
        "user.email=release@test.invalid",
        "-c",
        "commit.gpgsign=false",
    ];
    all.extend_from_slice(args);
    run(dir, "git", &all)
}

fn xtask(dir: &Path, args: &[&str]) -> String {
    run(dir, env!("CARGO_BIN_EXE_xtask"), args)
}

fn version(dir: &Path) -> String {
    let manifest = std::fs::read_to_string(dir.join("sdk/Cargo.toml")).expect("manifest");
    let table: toml::Table = manifest.parse().expect("TOML");
    table["package"]["version"].as_str().expect("a version").to_owned()
}

/// Releases `new` over a last release generated from `old`; returns the version and changelog.
/// With `commit_first`, the new spec's crate is generated and committed before `release` runs
/// (the README's workflow: the last release is found in git, not assumed to be `HEAD`).
fn release(case: &str, old: &Path, new: &Path, commit_first: bool) -> (String, String) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("release").join(case);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp folder");
    let crate_args = ["--spec", "api.yaml", "--out", "sdk", "--crate-name", "fixture"];
    std::fs::copy(old, dir.join("api.yaml")).expect("old spec");
    git(&dir, &["init", "--quiet"]);
    xtask(&dir, &[&["generate"], &crate_args[..]].concat());
    git(&dir, &["add", "--all"]);
    git(&dir, &["commit", "--quiet", "-m", "last release"]);
    assert_eq!(version(&dir), "0.1.0");

    std::fs::copy(new, dir.join("api.yaml")).expect("new spec");
    if commit_first {
        xtask(&dir, &[&["generate"], &crate_args[..]].concat());
        git(&dir, &["add", "--all"]);
        git(&dir, &["commit", "--quiet", "-m", "regenerated, not released"]);
        assert_eq!(version(&dir), "0.1.0", "generation keeps the version");
    }
    xtask(&dir, &[&["release", "--date", "2026-12-02"], &crate_args[..]].concat());
    let released = version(&dir);
    let changelog = std::fs::read_to_string(dir.join("sdk/CHANGELOG.md")).expect("a changelog");

    // Made once: a second run and a regeneration change nothing.
    let again = xtask(&dir, &[&["release", "--date", "2026-12-03"], &crate_args[..]].concat());
    assert!(again.contains("made already"), "{again}");
    assert_eq!(std::fs::read_to_string(dir.join("sdk/CHANGELOG.md")).expect("changelog"), changelog);
    xtask(&dir, &[&["generate", "--check"], &crate_args[..]].concat());
    assert_eq!(version(&dir), released);
    (released, changelog)
}

fn pair(name: &str) -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/changes").join(name);
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("pair folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    assert_eq!(specs.len(), 2, "{name} holds two specs");
    (specs[0].clone(), specs[1].clone())
}

#[test]
fn additions_only_bump_the_patch_and_list_what_was_added() {
    let (after, before) = pair("additions");
    let (version, changelog) = release("additions", &before, &after, true);
    assert_eq!(version, "0.1.1");
    assert!(changelog.contains("## 0.1.1 (2026-12-02)") && changelog.contains("### Added"), "{changelog}");
    assert!(!changelog.contains("### Breaking"), "{changelog}");
    insta::assert_snapshot!("additions", changelog);
}

#[test]
fn removing_what_was_added_is_breaking_and_says_what_to_change() {
    let (after, before) = pair("additions");
    let (version, changelog) = release("additions_reversed", &after, &before, false);
    assert_eq!(version, "0.2.0");
    assert!(changelog.contains("### Breaking changes") && changelog.contains("To update:"), "{changelog}");
    insta::assert_snapshot!("additions_reversed", changelog);
}

#[test]
fn published_versions_of_create_chat_and_send_message_both_ways() {
    for name in ["create_chat", "send_message"] {
        let (first, second) = pair(name);
        for (label, old, new) in [("forward", &first, &second), ("back", &second, &first)] {
            let case = format!("{name}_{label}");
            let (version, changelog) = release(&case, old, new, label == "back");
            // Every breaking line tells the user what to change.
            for line in changelog.lines().filter(|l| l.starts_with("- ")) {
                let breaking = changelog[..changelog.find(line).unwrap_or(0)]
                    .contains("### Breaking changes")
                    && !changelog[..changelog.find(line).unwrap_or(0)].contains("### Added");
                assert!(!breaking || line.contains("To update:"), "{case}: {line}");
            }
            assert!(changelog.contains(&format!("## {version} (2026-12-02)")), "{case}:\n{changelog}");
            insta::assert_snapshot!(case, format!("version {version}\n\n{changelog}"));
        }
    }
}
