//! `cargo xtask tools` and `cargo xtask test`: the pinned npm tools, and the whole test run
//! (spec lint, `cargo test --workspace`, then the semver cross-check of `crate::semver`).
//!
//! The tools (Stoplight Prism for contract tests, Redocly CLI for the spec lint) are pinned in
//! `xtask/npm/package-lock.json` and installed with `npm ci` into `xtask/npm/node_modules`
//! (ignored by git). A stamp holding the lock file's contents skips the install when nothing
//! changed.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Installs the pinned npm tools unless they are installed already.
pub fn install(root: &Path) -> Result<()> {
    let dir = root.join("xtask/npm");
    let installed = ["prism", "redocly"].iter().all(|bin| dir.join("node_modules/.bin").join(bin).exists());
    npm_ci(&dir, installed)
}

/// Runs `npm ci` in `dir` unless `installed` and the stamp in `node_modules` holds the lock
/// file's contents (the lock installed last); writes the stamp after an install.
pub fn npm_ci(dir: &Path, installed: bool) -> Result<()> {
    let lock_path = dir.join("package-lock.json");
    let lock = std::fs::read(&lock_path).with_context(|| format!("reading {}", lock_path.display()))?;
    let stamp = dir.join("node_modules/.xtask-stamp");
    if installed && std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        return Ok(());
    }
    eprintln!("installing the pinned npm packages into {}", dir.join("node_modules").display());
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"]).current_dir(dir))
        .context("`npm ci` failed; Node.js and npm must be installed (the npm registry must be reachable)")?;
    std::fs::write(&stamp, &lock).context("writing the install stamp")?;
    Ok(())
}

/// Installs the tools, lints the spec, runs every test of the workspace, and last (once) the
/// cargo-semver-checks cross-check of the change report.
pub fn test(root: &Path, extra: &[String]) -> Result<()> {
    install(root)?;
    let redocly = root.join("xtask/npm/node_modules/.bin/redocly");
    eprintln!("==> redocly lint spec/wegly.yaml");
    run(Command::new(redocly)
        .args(["lint", "--config", "spec/redocly.yaml", "--format", "stylish", "spec/wegly.yaml"])
        .current_dir(root))
    .context("the spec does not pass `redocly lint`")?;
    eprintln!("==> cargo test --workspace");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(Command::new(cargo).args(["test", "--workspace"]).args(extra).current_dir(root))
        .context("tests failed")?;
    eprintln!("==> semver cross-check (cargo-semver-checks)");
    crate::semver::run(root)
}

fn run(command: &mut Command) -> Result<()> {
    let status = command.status().with_context(|| format!("cannot run {command:?}"))?;
    if !status.success() {
        bail!("{command:?} exited with {status}");
    }
    Ok(())
}
