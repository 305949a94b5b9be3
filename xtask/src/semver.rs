//! `cargo xtask semver`: our change report cross-checked with cargo-semver-checks.
//!
//! cargo-semver-checks (pinned, installed with `cargo install --locked` only when missing)
//! compares the public API of two builds of a crate. Wherever
//! our report calls a change non-breaking and cargo-semver-checks finds a break, our report is
//! wrong and this command fails. It checks the fixture pairs of `generator/tests/changes/` in
//! both directions, then the generated SDK against the previous commit.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use sdkwright::surface::{self, diff};

/// The cargo-semver-checks release this project is checked with.
const PINNED: &str = "0.51.0";

/// Installs the pinned cargo-semver-checks when missing, and stops there (`.ci/run` starts this
/// in the background, so that the long build overlaps the other stages).
pub fn install_only() -> Result<()> {
    ensure_installed()
}

pub fn run(root: &Path) -> Result<()> {
    ensure_installed()?;
    let mut failures = Vec::new();
    let pairs = root.join("generator/tests/changes");
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(&pairs)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    dirs.sort();
    let work = std::env::temp_dir().join(format!("wegly-semver-{}", std::process::id()));
    let target = root.join("target/semver-checks-shared");
    let mut saw_break = false;
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        specs.sort();
        let [first, second] = specs.as_slice() else {
            bail!("{} must hold exactly two specs", dir.display())
        };
        for (old, new) in [(first, second), (second, first)] {
            let label = format!("{} → {}", stem(old), stem(new));
            // One crate name per pair: the runs share a target folder, and each pair's two
            // crates must share their name (cargo-semver-checks compares a crate with itself).
            let name = format!("semver_{}", stem(dir).replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
            let old_crate = generate(old, &work.join(&label).join("old"), &name)?;
            let new_crate = generate(new, &work.join(&label).join("new"), &name)?;
            let ours = diff::diff(&old_crate.1, &new_crate.1);
            let theirs = semver_checks(
                &new_crate.0,
                &["--baseline-root", &old_crate.0.display().to_string()],
                &target,
            )?;
            saw_break |= theirs;
            failures.extend(compare(&label, &ours, theirs));
        }
    }
    match previous_surface(root)? {
        Some(previous) => {
            let current = surface::from_yaml(&std::fs::read_to_string(root.join("generated/surface.yaml"))?)
                .map_err(anyhow::Error::msg)?;
            let ours = diff::diff(&previous, &current);
            let manifest = root.join("generated");
            let theirs = semver_checks(&manifest, &["--baseline-rev", "HEAD~1"], &target)?;
            failures.extend(compare("generated/ since HEAD~1", &ours, theirs));
        }
        None => eprintln!("HEAD~1 has no generated/surface.yaml: nothing to compare the generated SDK with"),
    }
    let _ = std::fs::remove_dir_all(&work);
    // The pairs include known breaks (removals, in the reversed direction): a cargo-semver-checks
    // that finds none is comparing a crate with itself, and the cross-check would be blind.
    if !saw_break {
        bail!(
            "cargo-semver-checks found no break in any fixture pair, though some remove items: the cross-check is not comparing what it should"
        );
    }
    if failures.is_empty() {
        eprintln!("semver cross-check: our reports agree with cargo-semver-checks");
        Ok(())
    } else {
        bail!("our change report called breaking changes non-breaking:\n{}", failures.join("\n"))
    }
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Generates a standalone crate for `spec` into `out`; returns its folder and surface.
fn generate(spec: &Path, out: &Path, name: &str) -> Result<(PathBuf, surface::Surface)> {
    let config = sdkwright::Config::new(spec).crate_name(name);
    let generated = sdkwright::generate(&config).map_err(|e| anyhow::anyhow!("{}: {e}", spec.display()))?;
    generated.files.write(out)?;
    // A workspace of its own, so that cargo does not look for one above the temp folder.
    let manifest = out.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)?;
    if !text.contains("[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n"))?;
    }
    Ok((out.to_path_buf(), generated.surface))
}

/// Whether cargo-semver-checks finds a break that needs a new major version.
///
/// Every run builds in one target folder, `target`, so that the dependencies' rustdoc inputs
/// are built once for all the crates compared, instead of once per crate.
fn semver_checks(crate_dir: &Path, baseline: &[&str], target: &Path) -> Result<bool> {
    let output = Command::new("cargo")
        .env("CARGO_TARGET_DIR", target)
        .args(["semver-checks", "check-release", "--release-type", "minor", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .args(baseline)
        .output()
        .context("running cargo semver-checks")?;
    let log =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if output.status.success() {
        return Ok(false);
    }
    if log.contains("requires new major version") {
        return Ok(true);
    }
    bail!("cargo semver-checks failed to run on {}:\n{log}", crate_dir.display())
}

fn compare(label: &str, ours: &diff::Report, theirs_breaking: bool) -> Option<String> {
    let ours_breaking = ours.is_breaking();
    eprintln!(
        "{label}: our report {}, cargo-semver-checks {}",
        if ours_breaking { "breaking" } else { "not breaking" },
        if theirs_breaking { "breaking" } else { "not breaking" }
    );
    (theirs_breaking && !ours_breaking).then(|| format!("- {label}:\n{ours}"))
}

/// The surface recorded by the previous commit, if it has one.
fn previous_surface(root: &Path) -> Result<Option<surface::Surface>> {
    let output = Command::new("git")
        .args(["show", "HEAD~1:generated/surface.yaml"])
        .current_dir(root)
        .output()
        .context("running git")?;
    if !output.status.success() {
        return Ok(None);
    }
    surface::from_yaml(&String::from_utf8_lossy(&output.stdout)).map(Some).map_err(anyhow::Error::msg)
}

/// Installs the pinned cargo-semver-checks unless that version is already installed.
fn ensure_installed() -> Result<()> {
    let installed = Command::new("cargo")
        .args(["semver-checks", "--version"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(PINNED))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    // Its release profile asks for fat LTO and one codegen unit, which makes the build take
    // about 19 minutes on 2 cores; a tool run a few times per CI job does not need that, so the
    // profile is relaxed (the same optimization level, without whole-program LTO).
    eprintln!("installing cargo-semver-checks {PINNED} (several minutes on 2 cores)");
    let status = Command::new("cargo")
        .args(["install", "--locked", &format!("cargo-semver-checks@{PINNED}")])
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .status()
        .context("running cargo install")?;
    if !status.success() {
        bail!("cargo install cargo-semver-checks@{PINNED} failed");
    }
    Ok(())
}
