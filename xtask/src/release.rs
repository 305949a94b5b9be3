//! `cargo xtask release`: the change report's implied version written into the generated crate,
//! and an entry for it at the top of the crate's `CHANGELOG.md`.
//!
//! The last release is what git has at `--since` (default `HEAD`): its `surface.yaml` and the
//! version in its `Cargo.toml`. The current version is the one in the generated crate's
//! `Cargo.toml`; when it differs from the last release's, this release was already made and
//! nothing is written (running it twice changes nothing). Otherwise the crate is regenerated
//! from the spec with the next version, and the entry (breaking changes with what to change in
//! code, then additions and compatible changes) is prepended to `CHANGELOG.md`.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use generator::release::{self, Release};

/// What to release: the crate's spec and folder, and the git revision of the last release.
pub struct Options<'a> {
    pub config: generator::Config,
    pub out: &'a Path,
    pub since: &'a str,
    pub date: Option<String>,
    /// Whether to write over files the generator does not own.
    pub force: bool,
}

pub fn run(options: Options<'_>) -> Result<()> {
    let Options { config, out, since, date, force } = options;
    let current = crate::current_version(out)?.with_context(|| {
        format!("{} holds no generated crate; run `cargo xtask generate` first", out.display())
    })?;
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
    let written = crate::write_files(&generated.files, out, force)?;
    let entry = plan.entry(&date.unwrap_or_else(release::today));
    let changelog_path = out.join("CHANGELOG.md");
    let existing = read_changelog(&changelog_path)?;
    let changelog = release::prepend(existing.as_deref(), &entry);
    write_beside(&changelog_path, &changelog)?;
    eprintln!("wrote   {written} files and CHANGELOG.md");
    eprintln!("released {} (was {}):\n\n{entry}", plan.version, plan.previous);
    Ok(())
}

/// The surface and version of the last release: `surface.yaml` and `Cargo.toml` of `out` as git
/// has them at `rev`.
fn last_release(out: &Path, rev: &str) -> Result<(generator::surface::Surface, String)> {
    let surface = git_show(out, rev, "surface.yaml")?;
    let surface = generator::surface::from_yaml(&surface)
        .map_err(|e| anyhow::anyhow!("{rev}:{}/surface.yaml cannot be read: {e}", out.display()))?;
    let manifest = git_show(out, rev, "Cargo.toml")?;
    let version = crate::package_version(&manifest)
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

/// The largest changelog read back: a long history is a few hundred kilobytes.
const MAX_CHANGELOG: u64 = 16 * 1024 * 1024;

fn read_changelog(path: &Path) -> Result<Option<String>> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
        Ok(metadata) if !metadata.is_file() => {
            bail!("{} is not a regular file; not touching it", path.display())
        }
        Ok(metadata) if metadata.len() > MAX_CHANGELOG => {
            bail!("{} is larger than {MAX_CHANGELOG} bytes; not reading it", path.display())
        }
        Ok(_) => {
            std::fs::read_to_string(path).map(Some).with_context(|| format!("reading {}", path.display()))
        }
    }
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so that a
/// failure leaves the old file whole.
fn write_beside(path: &Path, text: &str) -> Result<()> {
    let temp = path.with_extension(format!("md.tmp-{}", std::process::id()));
    std::fs::write(&temp, text).with_context(|| format!("writing {}", temp.display()))?;
    std::fs::rename(&temp, path).with_context(|| format!("renaming {} to {}", temp.display(), path.display()))
}
