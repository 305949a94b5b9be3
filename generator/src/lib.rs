//! Turns an OpenAPI 3.0 or 3.1 document into a Rust SDK crate.
//!
//! The pipeline has one module per stage, each with a typed hand-off:
//! [`load`] (text → `openapiv3` + JSON tree) → [`lower`] (→ [`ir::Api`], names and references
//! resolved) → [`analyze`] (recursion boxing) → [`render`] (IR → view models → minijinja, and
//! the runtime crate cut to what the spec uses) → [`format`] (syn + prettyplease + header) →
//! [`emit`] ([`FileSet`] → write or check). Render and format run as one parallel pass, file by
//! file ([`render::render_each`]).
//!
//! Two kinds of source feed `render`, both under `templates/` and embedded at build time: the
//! minijinja templates of the spec's own files (`templates/crate`, `templates/models`,
//! `templates/apis`), and the SDK runtime, which is an ordinary Rust crate
//! (`templates/runtime`, package `sdk-runtime`) with every optional part behind a cargo feature.
//! `render::runtime` keeps the parts a spec needs, decided by a `syn` pass over their
//! `#[cfg(feature = "...")]` markers, and writes the spec's values where the runtime says
//! `crate::spec::NAME`; generated SDKs do not depend on the runtime crate.
//! Generation never touches the disk: [`generate`] returns files, and the caller decides to
//! [`FileSet::write`] or [`FileSet::check`] them.
//!
//! Nothing here knows any particular API: every name comes from the spec.

#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::todo, clippy::unimplemented)
)]

pub mod analyze;
pub mod bundle;
pub mod diagnostics;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
mod locate;
pub mod lower;
pub mod names;
pub mod normalize;
pub mod package;
mod parallel;
pub mod pointer;
pub mod read;
pub mod release;
pub mod render;
mod roundtrip;
pub mod surface;
mod tree;
pub mod visit;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use diagnostics::{Diagnostic, Diagnostics, Error, Severity};

/// The generator's name (its package name): the header of every generated file and the
/// prefix of the spec extensions it defines are built from it, so a rename is one edit.
pub const NAME: &str = env!("CARGO_PKG_NAME");

/// The prefix of the spec extensions this generator defines (`x-sdkwright-page-fields`, ...).
/// Extensions other tools defined (`x-enum-varnames`, `x-extensible-enum`) keep their names.
pub const EXTENSION_PREFIX: &str = concat!("x-", env!("CARGO_PKG_NAME"), "-");
pub use emit::{Drift, EmitError, FileSet, WriteOptions, WriteReport};

/// What to generate and how to name it (prost-style builder).
#[derive(Debug, Clone)]
pub struct Config {
    spec: PathBuf,
    spec_label: String,
    crate_name: String,
    crate_version: String,
    package: package::Package,
    ref_root: Option<PathBuf>,
}

impl Config {
    /// Generates from the spec file at `spec`. The crate is called `sdk` until
    /// [`Config::crate_name`] says otherwise.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        let spec = spec.into();
        let spec_label = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Self {
            spec,
            spec_label,
            crate_name: "sdk".to_owned(),
            crate_version: "0.1.0".to_owned(),
            package: package::Package::default(),
            ref_root: None,
        }
    }

    /// Names the spec in generated headers, e.g. `spec/wegly.yaml`. Defaults to the file name,
    /// so that no absolute path reaches the output.
    pub fn spec_label(mut self, label: impl Into<String>) -> Self {
        self.spec_label = label.into();
        self
    }

    /// The generated crate's package name.
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = name.into();
        self
    }

    /// The generated crate's version.
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = version.into();
        self
    }

    /// The generated crate's package metadata (license, repository, keywords, `publish`),
    /// usually read from a file beside the spec with [`package::Package::from_file`].
    pub fn package(mut self, package: package::Package) -> Self {
        self.package = package;
        self
    }

    /// The generated crate's version.
    pub fn version(&self) -> &str {
        &self.crate_version
    }

    /// Lets external `$ref`s read files anywhere under `root` (symlinks resolved). By default
    /// they may only name files inside the spec's own folder; a reference that leaves it is an
    /// error. Only regular files are ever read, whatever the root.
    pub fn ref_root(mut self, root: impl Into<PathBuf>) -> Self {
        self.ref_root = Some(root.into());
        self
    }

    /// Settles what a generated crate keeps between runs, as `cargo xtask generate` does: the
    /// version in `out/Cargo.toml` (generation keeps it; a release moves it on), and the package
    /// metadata of `crate_config`, or of `crate.toml` beside the spec when there is one.
    pub fn for_crate_in(
        self,
        out: &Path,
        crate_config: Option<&Path>,
    ) -> Result<Self, package::PackageError> {
        let beside = self.spec.parent().unwrap_or(Path::new(".")).join("crate.toml");
        let crate_config = crate_config.map(Path::to_path_buf).or_else(|| beside.exists().then_some(beside));
        let config = match crate_config {
            Some(path) => self.package(package::Package::from_file(&path)?),
            None => self,
        };
        Ok(match package::crate_version(out)? {
            Some(version) => config.crate_version(version),
            None => config,
        })
    }

    /// The spec file.
    pub fn spec(&self) -> &Path {
        &self.spec
    }

    /// Checks the settings that reach the generated files as they are: the crate name against
    /// cargo's rules, the version against semver's.
    pub fn validate(&self) -> Result<(), Error> {
        let invalid = |setting, value: &str, problem| Error::Config {
            setting,
            value: value.escape_debug().to_string(),
            problem,
        };
        if let Some(problem) = names::crate_name_problem(&self.crate_name) {
            return Err(invalid("crate name", &self.crate_name, problem));
        }
        if !is_semver(&self.crate_version) {
            let problem = "it is not a semver version such as `0.1.0` or `1.2.3-beta.1`".to_owned();
            return Err(invalid("crate version", &self.crate_version, problem));
        }
        Ok(())
    }
}

/// Whether `version` is `MAJOR.MINOR.PATCH`, with an optional `-pre` and `+build` of
/// dot-separated ASCII alphanumerics and hyphens (numbers without leading zeros).
fn is_semver(version: &str) -> bool {
    let number = |part: &str| {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
    };
    let identifiers = |text: &str| {
        text.split('.').all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    let (rest, build) = match version.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (version, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| number(p))
        && pre.is_none_or(identifiers)
        && build.is_none_or(identifiers)
}

/// The result of a successful generation.
#[derive(Debug)]
pub struct Generated {
    /// The crate's files.
    pub files: FileSet,
    /// Warnings: constructs generated with a fallback.
    pub warnings: Diagnostics,
    /// The SDK's public surface, also written to `surface.yaml`.
    pub surface: surface::Surface,
}

/// Reads the spec and generates the crate in memory. The spec must be a regular UTF-8 file of
/// at most [`read::MAX_FILE_BYTES`]; anything else is refused without reading it whole.
pub fn generate(config: &Config) -> Result<Generated, Error> {
    config.validate()?;
    let path = config.spec.display().to_string();
    let text = read::read_text(&config.spec).map_err(|error| match error {
        read::ReadError::Io(source) => Error::Io { path, source },
        other => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(Diagnostic::error(
                pointer::JsonPointer::root(),
                format!("cannot read {path}: {other}"),
            ));
            Error::Spec(diagnostics)
        }
    })?;
    // Validated above, before anything was read.
    parallel::with_stack("generate", || generate_here(config, &text))
}

/// Generates the crate from spec text already in memory.
pub fn generate_from_str(config: &Config, text: &str) -> Result<Generated, Error> {
    config.validate()?;
    parallel::with_stack("generate", || generate_here(config, text))
}

/// [`generate_from_str`] on the caller's thread.
fn generate_here(config: &Config, text: &str) -> Result<Generated, Error> {
    let file_name = config.spec.to_string_lossy();
    let (api, warnings) = build_ir_here(text, &file_name, config.ref_root.as_deref())?;
    let krate = render::view::CrateInfo {
        name: config.crate_name.clone(),
        version: config.crate_version.clone(),
        spec_label: config.spec_label.clone(),
        fingerprint: fingerprint(text),
        generator_version: env!("CARGO_PKG_VERSION").to_owned(),
        package: config.package.clone(),
    };
    let label = &config.spec_label;
    let finish = |file: render::RenderedFile| Ok((format::format(&file, label)?, file.path));
    // The surface needs only the IR: it is built beside the render-and-format pass.
    let (surface, formatted) = std::thread::scope(|scope| {
        let surface = parallel::spawn_scoped(scope, "surface", || {
            let surface = surface::surface(&api);
            let yaml = surface::to_yaml(&surface)?;
            let file =
                render::RenderedFile { path: "surface.yaml".to_owned(), template: "surface", text: yaml };
            Ok::<_, Error>((surface, finish(file)?))
        });
        let formatted = render::render_each(&api, &krate, finish);
        (surface.map(|surface| surface.join()), formatted)
    });
    let (surface, (surface_text, surface_path)) = surface?.unwrap_or_else(|_| {
        Err(Error::Internal { stage: "surface", message: "the surface thread panicked".to_owned() })
    })?;
    let mut files = FileSet::default();
    for (text, path) in formatted? {
        files.insert(path, text);
    }
    files.insert(surface_path, surface_text);
    Ok(Generated { files, warnings, surface })
}

/// Runs the stages up to the analyzed IR: load, lower, analyze.
pub fn build_ir(text: &str, file_name: &str) -> Result<(ir::Api, Diagnostics), Error> {
    parallel::with_stack("load", || build_ir_here(text, file_name, None))
}

/// [`build_ir`] on the caller's thread, with external `$ref`s allowed to read under `ref_root`
/// ([`Config::ref_root`]).
fn build_ir_here(
    text: &str,
    file_name: &str,
    ref_root: Option<&Path>,
) -> Result<(ir::Api, Diagnostics), Error> {
    let spec = load::load_with_root(text, file_name, ref_root).map_err(Error::Spec)?;
    // The round-trip guard only reads the spec: it runs on a second thread while lowering runs.
    let (lost, lowered) = std::thread::scope(|scope| {
        let guard = parallel::spawn_scoped(scope, "load", || roundtrip::lost(&spec.raw, &spec.openapi));
        let lowered = lower::lower(&spec);
        (guard.map(|guard| guard.join()), lowered)
    });
    let lost = lost?;
    let mut diagnostics = spec.diagnostics;
    match lost {
        Ok(lost) => diagnostics.extend(lost),
        Err(_) => {
            return Err(Error::Internal {
                stage: "load",
                message: "the round-trip guard panicked".to_owned(),
            });
        }
    }
    match lowered {
        Ok((api, lowered)) => {
            diagnostics.extend(lowered);
            if diagnostics.has_errors() {
                return Err(Error::Spec(diagnostics.sorted()));
            }
            Ok((analyze::analyze(api), diagnostics.sorted()))
        }
        Err(Error::Spec(errors)) => {
            diagnostics.extend(errors);
            Err(Error::Spec(diagnostics.sorted()))
        }
        Err(other) => Err(other),
    }
}

/// The first 16 hex digits of the SHA-256 of the spec text, with line endings normalized.
fn fingerprint(text: &str) -> String {
    let digest = Sha256::digest(text.replace("\r\n", "\n").as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
