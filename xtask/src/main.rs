//! The project's task runner (the cargo-xtask pattern: <https://github.com/matklad/cargo-xtask>).
//!
//! `cargo xtask generate` regenerates `generated/` from `spec/wegly.yaml`;
//! `cargo xtask generate --check` writes nothing and fails when `generated/` is stale.
//! `cargo xtask generate --spec FILE --out DIR [--crate-name NAME]` generates a crate from any
//! spec; `--ref-root DIR` lets the spec's external `$ref`s read files anywhere under `DIR`
//! (by default only inside the spec's own folder). `cargo xtask test` installs the pinned npm tools, lints the spec and runs every test;
//! `cargo xtask tools` only installs the tools; `cargo xtask semver` cross-checks the change
//! report with cargo-semver-checks. `cargo xtask corpus [--filter SUBSTR] [--no-check]
//! [--list FILE]` measures the generator on the public specs of `xtask/corpus/specs.txt`
//! (generate, then one `cargo check` of all the crates) and reports the failures grouped by
//! cause; it is slow and not part of `cargo xtask test`. All the generation work is in the
//! `generator` library; this crate parses flags, runs commands and prints.

mod corpus;
mod semver;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

/// Generation allocates millions of small objects; see the workspace manifest.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str =
    "usage: cargo xtask generate [--check] [--report FILE] [--spec FILE --out DIR [--crate-name NAME]] [--ref-root DIR]
       cargo xtask test [-- CARGO TEST ARGS]
       cargo xtask tools
       cargo xtask semver
       cargo xtask corpus [--filter SUBSTR] [--no-check] [--list FILE]";

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
        Some("test") => {
            let extra: Vec<String> = args.skip_while(|a| a == "--").collect();
            tools::test(&project_root(), &extra).map(|()| ExitCode::SUCCESS)
        }
        Some("tools") => tools::install(&project_root()).map(|()| ExitCode::SUCCESS),
        Some("semver") => semver::run(&project_root()).map(|()| ExitCode::SUCCESS),
        Some("corpus") => corpus::run(&project_root(), args.collect()).map(|()| ExitCode::SUCCESS),
        _ => {
            eprintln!("{USAGE}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The crate version the report's next version is computed from.
const SDK_VERSION: &str = "0.1.0";

/// Compares the surface about to be written with the one in `out`, prints the change report,
/// and writes it as Markdown to `report` when asked.
fn report_changes(out: &Path, surface: &generator::surface::Surface, report: Option<&Path>) -> Result<()> {
    let previous = std::fs::read_to_string(out.join("surface.yaml")).ok();
    let markdown = match previous.as_deref().map(generator::surface::from_yaml) {
        Some(Ok(old)) => {
            let changes = generator::surface::diff::diff(&old, surface);
            eprint!("{changes}");
            changes.markdown(SDK_VERSION)
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

fn generate(args: Vec<String>) -> Result<ExitCode> {
    let root = project_root();
    let mut check = false;
    let mut spec = None;
    let mut out = None;
    let mut crate_name = None;
    let mut report_path = None;
    let mut ref_root = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => spec = Some(PathBuf::from(args.next().context("--spec needs a file")?)),
            "--out" => out = Some(PathBuf::from(args.next().context("--out needs a folder")?)),
            "--crate-name" => crate_name = Some(args.next().context("--crate-name needs a name")?),
            "--ref-root" => ref_root = Some(PathBuf::from(args.next().context("--ref-root needs a folder")?)),
            "--report" => report_path = Some(PathBuf::from(args.next().context("--report needs a file")?)),
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    let config = match (spec, out.as_ref()) {
        (None, None) => generator::Config::new(root.join("spec/wegly.yaml"))
            .spec_label("spec/wegly.yaml")
            .crate_name(crate_name.unwrap_or_else(|| "wegly".to_owned())),
        (Some(spec), Some(_)) => {
            let name = crate_name.unwrap_or_else(|| "sdk".to_owned());
            generator::Config::new(spec).crate_name(name)
        }
        _ => bail!("--spec and --out go together\n{USAGE}"),
    };
    let config = match ref_root {
        Some(root) => config.ref_root(root),
        None => config,
    };
    let out = out.unwrap_or_else(|| root.join("generated"));

    let generated = match generator::generate(&config) {
        Ok(generated) => generated,
        Err(generator::Error::Spec(diagnostics)) => {
            eprint!("{diagnostics}");
            eprintln!("error: {} has errors; nothing was generated", config.spec().display());
            return Ok(ExitCode::FAILURE);
        }
        Err(error) => return Err(error.into()),
    };
    eprint!("{}", generated.warnings);
    report_changes(&out, &generated.surface, report_path.as_deref())?;

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
    let report = generated.files.write(&out)?;
    for path in &report.written {
        eprintln!("wrote   {path}");
    }
    for path in &report.removed {
        eprintln!("removed {path}");
    }
    if report.written.is_empty() && report.removed.is_empty() {
        eprintln!("{} is up to date", out.display());
    }
    Ok(ExitCode::SUCCESS)
}
