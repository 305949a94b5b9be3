//! `cargo xtask bench compile` and `cargo xtask bench cold`: what users of a big SDK wait for.
//!
//! `compile` generates GitHub's REST API (the corpus's `octokit:api.github.com`) into
//! `.tools/bench-compile/ours/`, and, unless `--ours-only`, openapi-generator's `rust` client of
//! the same spec into `.tools/bench-compile/theirs/` (`openapi-generator-cli` 7.26.0 from PyPI,
//! a wheel that bundles the jar, installed into a venv there; it needs Java). Both crates are
//! members of one workspace, so their dependencies are built once, by a warm-up check that is
//! not measured. Then, `--runs` times (3 unless told), interleaved: `touch src/lib.rs` and
//! `cargo check -p <crate>` with `CARGO_INCREMENTAL=0`, for our crate with every group, our crate
//! with one group (`--group`, `repos` unless told; only when the crate has a feature of that
//! name), and theirs (with its `rustls` feature instead of native-tls, like ours). Each run's
//! wall time, CPU time (user + system of cargo and every rustc it waited for) and peak resident
//! memory (the largest of those processes) come from `wait4`. It prints the medians and the
//! ratios, with the load average before and after: these machines are shared, so quote both.
//!
//! `cold` builds the Wegly SDK (`generated/`) from an empty target folder, dependencies
//! included, once with the default TLS provider and once with `rustls-ring` alone, interleaved,
//! `--runs` times (1 unless told), into `.tools/bench-cold/`.
//!
//! These are measurements, never gates: nothing here runs in `cargo xtask test` or CI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// What one measured command cost.
#[derive(Clone, Copy, Debug)]
struct Cost {
    wall: Duration,
    cpu: Duration,
    /// Peak resident set of the largest process, in bytes.
    peak: u64,
}

/// A measured command: a label, the folder it runs in and its arguments.
struct Variant {
    label: String,
    dir: PathBuf,
    args: Vec<String>,
    /// The file touched before each run, so that the crate itself is checked again.
    touch: Option<PathBuf>,
    /// A folder emptied before each run (cold builds).
    wipe: Option<PathBuf>,
    env: Vec<(String, String)>,
    costs: Vec<Cost>,
}

/// The options both benchmarks take.
struct Options {
    runs: usize,
    group: String,
    ours_only: bool,
}

fn parse(args: Vec<String>, default_runs: usize) -> Result<Options> {
    let mut options = Options { runs: default_runs, group: "repos".to_owned(), ours_only: false };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                let value = args.next().context("--runs needs a number")?;
                options.runs = value.parse().with_context(|| format!("--runs {value}: not a number"))?;
                if options.runs == 0 {
                    bail!("--runs must be at least 1");
                }
            }
            "--group" => options.group = args.next().context("--group needs a feature name")?,
            "--ours-only" => options.ours_only = true,
            other => bail!("unknown argument `{other}` (expected --runs N, --group NAME, --ours-only)"),
        }
    }
    Ok(options)
}

/// `cargo xtask bench compile [--runs N] [--group NAME] [--ours-only]`.
pub fn compile(root: &Path, args: Vec<String>) -> Result<()> {
    let options = parse(args, 3)?;
    let spec = crate::corpus::github_spec(root)?;
    let tools = root.join(".tools/bench-compile");
    std::fs::create_dir_all(&tools).with_context(|| format!("creating {}", tools.display()))?;

    let ours = tools.join("ours");
    let started = Instant::now();
    let config = sdkwright::Config::new(&spec).crate_name("github_ours");
    let generated =
        sdkwright::generate(&config).map_err(|e| anyhow::anyhow!("generating {}: {e}", spec.display()))?;
    let generation = started.elapsed();
    if ours.exists() {
        std::fs::remove_dir_all(&ours).with_context(|| format!("removing {}", ours.display()))?;
    }
    generated.files.write(&ours).map_err(|e| anyhow::anyhow!("writing {}: {e}", ours.display()))?;
    eprintln!("generated {} in {:.1}s", ours.display(), generation.as_secs_f64());

    let mut members = vec!["ours"];
    let theirs = tools.join("theirs");
    if !options.ours_only {
        openapi_generator(&tools, &spec, &theirs)?;
        members.push("theirs");
    }
    let workspace = format!(
        "# Written by `cargo xtask bench compile`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ")
    );
    write(&tools.join("Cargo.toml"), &workspace)?;

    let check = |package: &str, features: Option<Vec<String>>| {
        let mut args = vec!["check".to_owned(), "-p".to_owned(), package.to_owned()];
        if let Some(features) = features {
            args.push("--no-default-features".to_owned());
            if !features.is_empty() {
                args.push("--features".to_owned());
                args.push(features.join(","));
            }
        }
        args
    };
    let incremental = vec![("CARGO_INCREMENTAL".to_owned(), "0".to_owned())];
    let mut variants = vec![Variant {
        label: "ours, every group".to_owned(),
        dir: tools.clone(),
        args: check("github_ours", None),
        touch: Some(ours.join("src/lib.rs")),
        wipe: None,
        env: incremental.clone(),
        costs: Vec::new(),
    }];
    match one_group_features(&ours.join("Cargo.toml"), &options.group)? {
        Some(features) => variants.push(Variant {
            label: format!("ours, `{}` alone", options.group),
            dir: tools.clone(),
            args: check("github_ours", Some(features)),
            touch: Some(ours.join("src/lib.rs")),
            wipe: None,
            env: incremental.clone(),
            costs: Vec::new(),
        }),
        None => {
            eprintln!("the generated crate has no feature `{}`: the one-group run is left out", options.group)
        }
    }
    if !options.ours_only {
        variants.push(Variant {
            label: "openapi-generator 7.26.0 `rust`".to_owned(),
            dir: tools.clone(),
            args: check("github_oag", Some(vec!["rustls".to_owned()])),
            touch: Some(theirs.join("src/lib.rs")),
            wipe: None,
            env: incremental,
            costs: Vec::new(),
        });
    }
    eprintln!("warming up: building the dependencies of every variant (not measured)");
    for variant in &variants {
        let cost = measure(variant)?;
        eprintln!("    {:<36} warm-up {:>7.1}s wall", variant.label, cost.wall.as_secs_f64());
    }
    run_interleaved(&mut variants, options.runs)?;
    report(&variants, "cargo check of the crate alone, dependencies prebuilt, CARGO_INCREMENTAL=0");
    let cpu =
        |label: &str| variants.iter().find(|v| v.label.starts_with(label)).map(|v| median(&v.costs).cpu);
    if let (Some(all), Some(oag)) = (cpu("ours, every"), cpu("openapi-generator")) {
        println!("    CPU ours / openapi-generator: {:.2}x", all.as_secs_f64() / oag.as_secs_f64());
    }
    if let (Some(all), Some(one)) = (cpu("ours, every"), cpu("ours, `")) {
        println!("    CPU one group / every group:  {:.2}x", one.as_secs_f64() / all.as_secs_f64());
    }
    Ok(())
}

/// `cargo xtask bench cold [--runs N]`: the Wegly SDK built from nothing, both TLS providers.
pub fn cold(root: &Path, args: Vec<String>) -> Result<()> {
    let options = parse(args, 1)?;
    let target = root.join(".tools/bench-cold");
    let build = |features: Option<&str>| {
        let mut args = vec!["build".to_owned(), "-p".to_owned(), "wegly".to_owned()];
        if let Some(features) = features {
            args.extend(["--no-default-features".to_owned(), "--features".to_owned(), features.to_owned()]);
        }
        args
    };
    let mut variants: Vec<Variant> =
        [("default TLS provider (aws-lc-rs)", None), ("rustls-ring alone", Some("rustls-ring"))]
            .into_iter()
            .map(|(label, features)| {
                let folder = target.join(if features.is_some() { "ring" } else { "default" });
                Variant {
                    label: label.to_owned(),
                    dir: root.to_owned(),
                    args: build(features),
                    touch: None,
                    wipe: Some(folder.clone()),
                    env: vec![("CARGO_TARGET_DIR".to_owned(), folder.display().to_string())],
                    costs: Vec::new(),
                }
            })
            .collect();
    run_interleaved(&mut variants, options.runs)?;
    report(&variants, "cargo build -p wegly from an empty target folder, dependencies included");
    Ok(())
}

/// Runs every variant `runs` times, interleaved, printing each run.
fn run_interleaved(variants: &mut [Variant], runs: usize) -> Result<()> {
    println!("load average before: {}", load_average());
    for run in 1..=runs {
        for variant in variants.iter_mut() {
            let cost = measure(variant)?;
            eprintln!(
                "    run {run}/{runs} {:<36} {:>7.1}s wall {:>7.1}s CPU {:>7.0} MiB",
                variant.label,
                cost.wall.as_secs_f64(),
                cost.cpu.as_secs_f64(),
                mib(cost.peak)
            );
            variant.costs.push(cost);
        }
    }
    println!("load average after:  {}", load_average());
    Ok(())
}

fn report(variants: &[Variant], what: &str) {
    println!("\n{what}: medians of {} runs", variants.first().map_or(0, |v| v.costs.len()));
    println!("    {:<36} {:>9} {:>9} {:>11}", "", "wall", "CPU", "peak RSS");
    for variant in variants {
        let m = median(&variant.costs);
        println!(
            "    {:<36} {:>8.1}s {:>8.1}s {:>7.0} MiB",
            variant.label,
            m.wall.as_secs_f64(),
            m.cpu.as_secs_f64(),
            mib(m.peak)
        );
    }
}

/// The median of each figure on its own.
fn median(costs: &[Cost]) -> Cost {
    fn mid<T: Ord + Copy>(mut values: Vec<T>) -> T {
        values.sort();
        values[values.len() / 2]
    }
    Cost {
        wall: mid(costs.iter().map(|c| c.wall).collect()),
        cpu: mid(costs.iter().map(|c| c.cpu).collect()),
        peak: mid(costs.iter().map(|c| c.peak).collect()),
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Runs one variant once and measures it; a failing command is an error with its status.
fn measure(variant: &Variant) -> Result<Cost> {
    if let Some(file) = &variant.touch {
        let now = std::time::SystemTime::now();
        std::fs::File::options()
            .append(true)
            .open(file)
            .and_then(|f| f.set_modified(now))
            .with_context(|| format!("touching {}", file.display()))?;
    }
    if let Some(folder) = &variant.wipe
        && folder.exists()
    {
        std::fs::remove_dir_all(folder).with_context(|| format!("emptying {}", folder.display()))?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.args(&variant.args).current_dir(&variant.dir).env_remove("RUSTFLAGS");
    for (key, value) in &variant.env {
        command.env(key, value);
    }
    let started = Instant::now();
    let child = command.spawn().with_context(|| format!("cannot run {command:?}"))?;
    let (status, cpu, peak) = wait_with_usage(child).with_context(|| format!("waiting for {command:?}"))?;
    let wall = started.elapsed();
    if !status.success() {
        bail!("{command:?} in {} exited with {status}", variant.dir.display());
    }
    Ok(Cost { wall, cpu, peak })
}

/// Waits for the child with `wait4`, which reports its CPU time and peak memory together with
/// those of every descendant it waited for (cargo waits for each rustc).
fn wait_with_usage(child: std::process::Child) -> Result<(std::process::ExitStatus, Duration, u64)> {
    use std::os::unix::process::ExitStatusExt as _;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet waited for (`Child` was not waited on and is
        // dropped only after this returns); the pointers are to live locals.
        let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if got == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error.into());
        }
    }
    drop(child);
    let time =
        |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    // Linux reports `ru_maxrss` in KiB.
    let peak = u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024;
    Ok((std::process::ExitStatus::from_raw(status), cpu, peak))
}

/// The features that build the crate with one group: its default features with `full` (every
/// group) replaced by the group, or `None` when the crate has no such feature.
fn one_group_features(manifest: &Path, group: &str) -> Result<Option<Vec<String>>> {
    let text =
        std::fs::read_to_string(manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let table: toml::Table =
        toml::from_str(&text).with_context(|| format!("{} is not TOML", manifest.display()))?;
    let Some(features) = table.get("features").and_then(|f| f.as_table()) else {
        return Ok(None);
    };
    if !features.contains_key(group) {
        return Ok(None);
    }
    let defaults = features.get("default").and_then(|d| d.as_array()).cloned().unwrap_or_default();
    let mut chosen: Vec<String> =
        defaults.iter().filter_map(|f| f.as_str()).filter(|f| *f != "full").map(str::to_owned).collect();
    chosen.push(group.to_owned());
    Ok(Some(chosen))
}

/// The pinned openapi-generator-cli, installed into a venv under `tools` when missing; writes its
/// `rust` client of `spec` into `out` (crate `github_oag`).
fn openapi_generator(tools: &Path, spec: &Path, out: &Path) -> Result<()> {
    const VERSION: &str = "7.26.0";
    let venv = tools.join("venv");
    let cli = venv.join("bin/openapi-generator-cli");
    let stamp = venv.join(".xtask-version");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(VERSION) {
        eprintln!("installing openapi-generator-cli {VERSION} from PyPI into {}", venv.display());
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            &format!("openapi-generator-cli=={VERSION}"),
        ]))?;
        write(&stamp, VERSION)?;
    }
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
    }
    let started = Instant::now();
    run(Command::new(&cli)
        .args([
            "generate",
            "-g",
            "rust",
            "--skip-validate-spec",
            "--additional-properties=packageName=github_oag",
        ])
        .arg("-i")
        .arg(spec)
        .arg("-o")
        .arg(out)
        .stdout(std::process::Stdio::null()))
    .context("openapi-generator-cli failed (it needs Java 17 or later)")?;
    eprintln!("openapi-generator wrote {} in {:.1}s", out.display(), started.elapsed().as_secs_f64());
    Ok(())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn run(command: &mut Command) -> Result<()> {
    let status = command.status().with_context(|| format!("cannot run {command:?}"))?;
    if !status.success() {
        bail!("{command:?} exited with {status}");
    }
    Ok(())
}
