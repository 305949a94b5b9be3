//! `cargo xtask release`: the change report's implied version written into the generated crate,
//! and an entry for it at the top of the crate's `CHANGELOG.md`.
//!
//! The last release is the last commit that changed the `version` line of the crate's
//! `Cargo.toml` (or `--since REV`): its `surface.yaml` and that version. So generated changes
//! committed since then, in one commit or many, all go into this release. The current version is
//! the one in the generated crate's `Cargo.toml`; when it differs from the last release's, this
//! release was made already (not yet committed) and nothing is written, so running it twice
//! changes nothing. Otherwise the crate is regenerated from the spec with the next version, and
//! the entry (breaking changes with what to change in code, then additions and compatible
//! changes) is prepended to `CHANGELOG.md`. The changelog is read and checked before anything is
//! written, and an entry for the version already at its top is not written twice.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use sdkwright::release::{self, Release};

/// What to release: the crate's spec and folder, and the git revision of the last release.
pub struct Options<'a> {
    pub config: sdkwright::Config,
    pub out: &'a Path,
    /// The last release's commit; by default the last commit that changed the version.
    pub since: Option<String>,
    pub date: Option<String>,
    /// Whether to write over files the generator does not own.
    pub force: bool,
}

pub fn run(options: Options<'_>) -> Result<()> {
    let Options { config, out, since, date, force } = options;
    let current = sdkwright::package::crate_version(out)?.with_context(|| {
        format!("{} holds no generated crate; run `cargo xtask generate` first", out.display())
    })?;
    let since = match since {
        Some(rev) => rev,
        None => last_version_commit(out)?,
    };
    let since = since.as_str();
    let (previous_surface, previous_version) = last_release(out, since)?;
    if current != previous_version {
        eprintln!(
            "{} is at version {current} and {since} at {previous_version}: this release was made already",
            out.display()
        );
        return Ok(());
    }
    let generated = crate::generate_or_report(&config.clone().crate_version(&current))?;
    let Some(plan) = Release::plan(&previous_surface, &previous_version, &generated.surface) else {
        eprintln!("the SDK's public surface did not change since {since}: nothing to release");
        return Ok(());
    };
    let generated = crate::generate_or_report(&config.crate_version(&plan.version))?;
    eprint!("{}", plan.report);
    // The changelog is read before anything is written: a changelog that cannot be updated
    // must not leave a bumped version behind with no entry.
    let changelog_path = out.join("CHANGELOG.md");
    let existing = read_changelog(&changelog_path)?;
    let entry = plan.entry(&date.unwrap_or_else(release::today));
    let already = existing.as_deref().is_some_and(|text| top_entry_is(text, &plan.version));
    let written = crate::write_files(&generated.files, out, force)?;
    if !already {
        write_beside(&changelog_path, &release::prepend(existing.as_deref(), &entry))?;
    }
    eprintln!("wrote   {written} files and CHANGELOG.md");
    eprintln!("released {} (was {}):\n\n{entry}", plan.version, plan.previous);
    Ok(())
}

/// Whether the newest entry of `changelog` is the one of `version`.
fn top_entry_is(changelog: &str, version: &str) -> bool {
    changelog
        .lines()
        .find(|line| line.starts_with("## "))
        .is_some_and(|line| line.starts_with(&format!("## {version} ")))
}

/// The last commit that changed the `version` line of `out/Cargo.toml` (the one that created it,
/// before any release): where the last release is.
fn last_version_commit(out: &Path) -> Result<String> {
    let output = Command::new("git")
        .args(["log", "-1", "--format=%H", "-G", "^version = ", "--", "./Cargo.toml"])
        .current_dir(out)
        .output()
        .context("running git (the last release is read from git)")?;
    let commit = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if !output.status.success() || commit.is_empty() {
        bail!(
            "git has no commit of {}/Cargo.toml: commit the generated crate (its first release) first{}",
            out.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(commit)
}

/// The surface and version of the last release: `surface.yaml` and `Cargo.toml` of `out` as git
/// has them at `rev`.
fn last_release(out: &Path, rev: &str) -> Result<(sdkwright::surface::Surface, String)> {
    let surface = git_show(out, rev, "surface.yaml")?;
    let surface = sdkwright::surface::from_yaml(&surface)
        .map_err(|e| anyhow::anyhow!("{rev}:{}/surface.yaml cannot be read: {e}", out.display()))?;
    let manifest = git_show(out, rev, "Cargo.toml")?;
    let version = sdkwright::package::manifest_version(&manifest)
        .with_context(|| format!("{rev}:{}/Cargo.toml has no package.version", out.display()))?;
    Ok((surface, version))
}

fn git_show(out: &Path, rev: &str, file: &str) -> Result<String> {
    let output = Command::new("git")
        .args(["show", &format!("{rev}:./{file}")])
        .current_dir(out)
        .output()
        .context("running git (the last release is read from git)")?;
    if !output.status.success() {
        bail!(
            "git has no {file} of {} at {rev}: {}",
            out.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8(output.stdout).with_context(|| format!("{rev}:{file} is not UTF-8"))
}

fn read_changelog(path: &Path) -> Result<Option<String>> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
        // It is about to be replaced: never through a link, never anything but a regular file.
        Ok(metadata) if !metadata.is_file() => {
            bail!("{} is not a regular file; not touching it", path.display())
        }
        Ok(_) => sdkwright::read::read_text(path)
            .map(Some)
            .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", path.display())),
    }
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so that a
/// failure leaves the old file whole.
fn write_beside(path: &Path, text: &str) -> Result<()> {
    let temp = path.with_extension(format!("md.tmp-{}", std::process::id()));
    std::fs::write(&temp, text).with_context(|| format!("writing {}", temp.display()))?;
    std::fs::rename(&temp, path).with_context(|| format!("renaming {} to {}", temp.display(), path.display()))
}
