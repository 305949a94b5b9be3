//! End-to-end generation (spec text → formatted files in memory), side by side with parsing the
//! same text into `openapiv3` types alone, so that the ratio is measured in one run.
//!
//! Specs: `spec/wegly.yaml`, and GitHub's `api.github.com.json` when it is installed (by
//! `cargo xtask corpus`, into `.tools/corpus`; or name any spec with `BENCH_SPEC=path`).
//! Run with `cargo bench -p sdkwright --bench generate`. The process's peak memory is
//! printed at the end (Linux).

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};

/// The allocator `cargo xtask generate` uses, so that both sides are measured as users run them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn specs() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs = vec![("wegly".to_owned(), root.join("spec/wegly.yaml"))];
    let github = std::env::var_os("BENCH_SPEC").map(PathBuf::from).unwrap_or_else(|| {
        root.join(".tools/corpus/node_modules/@octokit/openapi/generated/api.github.com.json")
    });
    if github.exists() {
        let name = github.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        specs.push((name, github));
    } else {
        eprintln!(
            "{} is not installed (run `cargo xtask corpus` once); benchmarking wegly only",
            github.display()
        );
    }
    specs
}

fn generate(c: &mut Criterion) {
    for (name, path) in specs() {
        let text = std::fs::read_to_string(&path).expect("the spec is readable");
        let config = sdkwright::Config::new(&path).spec_label(&name);
        let json = path.extension().is_some_and(|e| e == "json");
        let mut group = c.benchmark_group(&name);
        group.sample_size(10);
        group.bench_function("generate", |b| {
            b.iter(|| sdkwright::generate_from_str(&config, std::hint::black_box(&text)).expect("generates"))
        });
        group.bench_function("openapiv3_parse", |b| {
            b.iter(|| {
                let text = std::hint::black_box(&text);
                if json {
                    serde_json::from_str::<openapiv3::OpenAPI>(text).map(drop).expect("parses")
                } else {
                    yaml_serde::from_str::<openapiv3::OpenAPI>(text).map(drop).expect("parses")
                }
            })
        });
        group.finish();
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(peak) = status.lines().find(|line| line.starts_with("VmHWM")) {
            eprintln!("peak memory of the benchmark process: {}", peak.trim_start_matches("VmHWM:").trim());
        }
    }
}

criterion_group!(benches, generate);
criterion_main!(benches);
