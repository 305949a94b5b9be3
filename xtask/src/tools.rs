//! `cargo xtask tools` and `cargo xtask test`: the pinned npm tools, and the README's test
//! command (tools, spec lint, the build of every test, then every test), which prints each
//! stage as it starts and a timing line per stage at the end. The slower cargo-semver-checks
//! cross-check (`crate::semver`) is not part of it: `.ci/run` runs it after, and so can
//! `cargo xtask semver` by hand.
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

/// Installs the tools, lints the spec, builds every test, then runs them; `extra` goes to
/// `cargo test` (for example `-- --nocapture`, or a filter).
pub fn test(root: &Path, extra: &[String]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut stages = Stages::default();
    stages.run("npm tools (Prism, Redocly), installed when missing", || install(root))?;
    let redocly = root.join("xtask/npm/node_modules/.bin/redocly");
    stages.run("redocly lint spec/wegly.yaml", || {
        run(Command::new(&redocly)
            .args(["lint", "--config", "spec/redocly.yaml", "--format", "stylish", "spec/wegly.yaml"])
            .current_dir(root))
        .context("the spec does not pass `redocly lint`")
    })?;
    // Building first shows cargo's progress through the crates, and keeps compile time apart
    // from test time in the timings.
    stages.run("build every test (cargo test --workspace --no-run)", || {
        run(Command::new(&cargo).args(["test", "--workspace", "--no-run"]).current_dir(root))
            .context("the tests do not build")
    })?;
    stages.run("run every test (cargo test --workspace)", || {
        run(Command::new(&cargo).args(["test", "--workspace"]).args(extra).current_dir(root))
            .context("tests failed")
    })?;
    eprintln!("{stages}");
    eprintln!(
        "all tests passed; CI (.ci/run) then runs the cargo-semver-checks cross-check: `cargo xtask semver`"
    );
    Ok(())
}

/// Named stages and how long each took.
#[derive(Default)]
struct Stages {
    done: Vec<(String, std::time::Duration)>,
}

impl Stages {
    /// Runs one stage, announcing it first; a failing stage prints the timings so far.
    fn run(&mut self, name: &str, stage: impl FnOnce() -> Result<()>) -> Result<()> {
        eprintln!("\n==> [{}] {name}", self.done.len() + 1);
        let started = std::time::Instant::now();
        let result = stage();
        self.done.push((name.to_owned(), started.elapsed()));
        if result.is_err() {
            eprintln!("{self}");
        }
        result
    }
}

impl std::fmt::Display for Stages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "\n==> cargo xtask test: stage timings (wall clock)")?;
        let mut total = std::time::Duration::ZERO;
        for (name, took) in &self.done {
            writeln!(f, "    {name:<56} {:>6.1}s", took.as_secs_f64())?;
            total += *took;
        }
        write!(f, "    {:<56} {:>6.1}s", "total", total.as_secs_f64())
    }
}

fn run(command: &mut Command) -> Result<()> {
    let status = command.status().with_context(|| format!("cannot run {command:?}"))?;
    if !status.success() {
        bail!("{command:?} exited with {status}");
    }
    Ok(())
}
