//! The project's task runner (the cargo-xtask pattern: <https://github.com/matklad/cargo-xtask>).
//!
//! `cargo xtask generate` regenerates `generated/` from `spec/wegly.yaml`;
//! `cargo xtask generate --check` writes nothing and fails when `generated/` is stale.
//! `cargo xtask generate --spec FILE --out DIR [--crate-name NAME]` generates a crate from any
//! spec. `cargo xtask test` installs the pinned npm tools, lints the spec and runs every test;
//! `cargo xtask tools` only installs the tools; `cargo xtask semver` cross-checks the change
//! report with cargo-semver-checks. `cargo xtask corpus [--filter SUBSTR] [--no-check]
//! [--list FILE]` measures the generator on the public specs of `xtask/corpus/specs.txt`
//! (generate, then one `cargo check` of all the crates) and reports the failures grouped by
//! cause; it is slow and not part of `cargo xtask test`. `cargo xtask bench calls` runs the
//! per-call cost benchmark (the SDK against plain reqwest, `generator/sdk-tests/benches/calls.rs`);
//! `cargo xtask bench compile` measures `cargo check` of GitHub's SDK beside openapi-generator's,
//! and `cargo xtask bench cold` a cold build of the Wegly SDK with each TLS provider. All the generation work is in the
//! `generator` library; this crate parses flags, runs commands and prints.

mod bench;
mod corpus;
mod release;
mod semver;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

/// Generation allocates millions of small objects; see the workspace manifest.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask generate [--check] [--force] [--report FILE] [CRATE]
       cargo xtask release [--since REV] [--date YYYY-MM-DD] [--force] [CRATE]
         CRATE: [--spec FILE --out DIR [--crate-name NAME]] [--crate-config FILE] [--ref-root DIR]
       cargo xtask test [-- CARGO TEST ARGS]
       cargo xtask tools
       cargo xtask semver [--install-only]
       cargo xtask corpus [--filter SUBSTR] [--no-check] [--list FILE]
       cargo xtask bench calls
       cargo xtask bench compile [--runs N] [--group NAME] [--ours-only]
       cargo xtask bench cold [--runs N]";

fn main() -> ExitCode {
    match try_main() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn try_main() -> Result<ExitCode> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("generate") => generate(args.collect()),
        Some("release") => release(args.collect()),
        Some("test") => {
            let extra: Vec<String> = args.skip_while(|a| a == "--").collect();
            tools::test(&project_root(), &extra).map(|()| ExitCode::SUCCESS)
        }
        Some("tools") => tools::install(&project_root()).map(|()| ExitCode::SUCCESS),
        Some("semver") => match args.next().as_deref() {
            None => semver::run(&project_root()).map(|()| ExitCode::SUCCESS),
            Some("--install-only") => semver::install_only().map(|()| ExitCode::SUCCESS),
            Some(other) => bail!("unknown argument `{other}`\n{USAGE}"),
        },
        Some("corpus") => corpus::run(&project_root(), args.collect()).map(|()| ExitCode::SUCCESS),
        Some("bench") => match args.next().as_deref() {
            Some("calls") => bench_calls(),
            Some("compile") => bench::compile(&project_root(), args.collect()).map(|()| ExitCode::SUCCESS),
            Some("cold") => bench::cold(&project_root(), args.collect()).map(|()| ExitCode::SUCCESS),
            _ => bail!("unknown benchmark\n{USAGE}"),
        },
        _ => {
            eprintln!("{USAGE}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The per-call cost benchmark: a `harness = false` bench of the SDK's tests, so that it builds
/// with the bench profile and the SDK as its dependency.
fn bench_calls() -> Result<ExitCode> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .args(["bench", "-p", "wegly-sdk-tests", "--bench", "calls"])
        .current_dir(project_root())
        .status()
        .context("running cargo bench")?;
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The largest previous `surface.yaml` read for the change report.
const SURFACE_LIMIT: u64 = 256 * 1024 * 1024;

/// Compares the surface about to be written with the one in `out`, prints the change report,
/// and writes it as Markdown to `report` when asked. `version` is the crate's current version.
fn report_changes(
    out: &Path,
    surface: &sdkwright::surface::Surface,
    version: &str,
    report: Option<&Path>,
) -> Result<()> {
    // Read as the generator reads its own files: not through a link, never a FIFO, bounded.
    let previous = match sdkwright::emit::read_file(out, "surface.yaml", SURFACE_LIMIT) {
        Ok(previous) => previous,
        Err(error) => {
            eprintln!("warning: the previous surface.yaml is not read ({error}); no change report");
            None
        }
    };
    let markdown = match previous.as_deref().map(sdkwright::surface::from_yaml) {
        Some(Ok(old)) => {
            let changes = sdkwright::surface::diff::diff(&old, surface);
            eprint!("{changes}");
            changes.markdown(version)
        }
        Some(Err(error)) => {
            eprintln!("warning: the previous surface.yaml cannot be read ({error}); no change report");
            String::from("## SDK changes\n\nThe previous surface could not be read.\n")
        }
        None => String::from("## SDK changes\n\nFirst generation: there is no previous surface.\n"),
    };
    if let Some(path) = report {
        std::fs::write(path, markdown).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The generated crate a command works on, from the flags every such command shares.
struct Target {
    config: sdkwright::Config,
    out: PathBuf,
}

/// Parses the crate flags (`--spec`, `--out`, `--crate-name`, `--crate-config`) out of `args`,
/// handing every other flag to `other` (which takes the flag and the remaining arguments).
fn parse_target(
    args: Vec<String>,
    mut other: impl FnMut(&str, &mut dyn Iterator<Item = String>) -> Result<()>,
) -> Result<Target> {
    let root = project_root();
    let (mut spec, mut out, mut crate_name, mut crate_config, mut ref_root) = (None, None, None, None, None);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => spec = Some(PathBuf::from(args.next().context("--spec needs a file")?)),
            "--out" => out = Some(PathBuf::from(args.next().context("--out needs a folder")?)),
            "--crate-name" => crate_name = Some(args.next().context("--crate-name needs a name")?),
            "--crate-config" => {
                crate_config = Some(PathBuf::from(args.next().context("--crate-config needs a file")?))
            }
            "--ref-root" => ref_root = Some(PathBuf::from(args.next().context("--ref-root needs a folder")?)),
            flag => other(flag, &mut args)?,
        }
    }
    let (config, out) = match (spec, out) {
        (None, None) => (
            sdkwright::Config::new(root.join("spec/wegly.yaml"))
                .spec_label("spec/wegly.yaml")
                .crate_name(crate_name.unwrap_or_else(|| "wegly".to_owned())),
            root.join("generated"),
        ),
        (Some(spec), Some(out)) => {
            let name = crate_name.unwrap_or_else(|| "sdk".to_owned());
            (sdkwright::Config::new(spec).crate_name(name), out)
        }
        _ => bail!("--spec and --out go together\n{USAGE}"),
    };
    // External `$ref`s may reach files under this folder (by default only the spec's own).
    let config = match ref_root {
        Some(root) => config.ref_root(root),
        None => config,
    };
    // The package metadata beside the spec, and the crate's own version (generation keeps it,
    // `release` moves it on).
    let config = config.for_crate_in(&out, crate_config.as_deref())?;
    Ok(Target { config, out })
}

/// Generates in memory; spec errors are printed (with their pointers) and end the command.
fn generate_or_report(config: &sdkwright::Config) -> Result<sdkwright::Generated> {
    match sdkwright::generate(config) {
        Ok(generated) => {
            eprint!("{}", generated.warnings);
            Ok(generated)
        }
        Err(sdkwright::Error::Spec(diagnostics)) => {
            eprint!("{diagnostics}");
            bail!("{} has errors; nothing was generated", config.spec().display())
        }
        Err(error) => Err(error.into()),
    }
}

/// Writes the files to `out` (`force`: over files the generator does not own), printing what
/// changed; returns how many files were written.
fn write_files(files: &sdkwright::FileSet, out: &Path, force: bool) -> Result<usize> {
    let report = files.write_with(out, &sdkwright::WriteOptions::new().force(force))?;
    for path in &report.written {
        eprintln!("wrote   {path}");
    }
    for path in &report.removed {
        eprintln!("removed {path}");
    }
    if report.written.is_empty() && report.removed.is_empty() {
        eprintln!("{} is up to date", out.display());
    }
    Ok(report.written.len())
}

fn release(args: Vec<String>) -> Result<ExitCode> {
    let (mut since, mut date, mut force) = (None, None, false);
    let target = parse_target(args, |flag, rest| {
        match flag {
            "--force" => force = true,
            "--since" => since = Some(rest.next().context("--since needs a git revision")?),
            "--date" => date = Some(rest.next().context("--date needs YYYY-MM-DD")?),
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
        Ok(())
    })?;
    release::run(release::Options { config: target.config, out: &target.out, since, date, force })?;
    Ok(ExitCode::SUCCESS)
}

fn generate(args: Vec<String>) -> Result<ExitCode> {
    let (mut check, mut report_path, mut force) = (false, None, false);
    let Target { config, out } = parse_target(args, |flag, rest| {
        match flag {
            "--check" => check = true,
            "--force" => force = true,
            "--report" => report_path = Some(PathBuf::from(rest.next().context("--report needs a file")?)),
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
        Ok(())
    })?;
    let generated = generate_or_report(&config)?;
    report_changes(&out, &generated.surface, config.version(), report_path.as_deref())?;

    if check {
        let drift = generated.files.check(&out)?;
        if drift.is_clean() {
            eprintln!("{} is up to date", out.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprint!("{drift}");
        eprintln!("error: {} is stale; run `cargo xtask generate` and commit the result", out.display());
        return Ok(ExitCode::FAILURE);
    }
    write_files(&generated.files, &out, force)?;
    Ok(ExitCode::SUCCESS)
}
