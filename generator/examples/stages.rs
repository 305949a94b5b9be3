//! Times each pipeline stage on one spec, once, in a release build:
//! `cargo run --release -p sdkwright --example stages -- SPEC`.
//!
//! For a quick look at where the time goes; `cargo bench -p sdkwright --bench generate`
//! is the measurement (it repeats and reports medians).

use std::time::Instant;

/// The allocator `cargo xtask generate` uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let path = std::env::args().nth(1).expect("usage: stages SPEC");
    let text = std::fs::read_to_string(&path).expect("readable spec");
    let mut clock = Instant::now();
    let mut lap = |name: &str| {
        let now = Instant::now();
        eprint!("{name} {} ms  ", (now - clock).as_millis());
        clock = now;
    };
    let spec = sdkwright::load::load(&text, &path).expect("loads");
    lap("load");
    let (api, _) = sdkwright::lower::lower(&spec).expect("lowers");
    lap("lower");
    let api = sdkwright::analyze::analyze(api);
    lap("analyze");
    let krate = sdkwright::render::CrateInfo {
        name: "sdk".into(),
        version: "0.1.0".into(),
        spec_label: "spec".into(),
        fingerprint: String::new(),
        generator_version: String::new(),
        package: Default::default(),
    };
    let rendered = sdkwright::render::render(&api, &krate).expect("renders");
    lap("render");
    let formatted = sdkwright::format::format_all(&rendered, "spec").expect("formats");
    lap("format");
    let surface = sdkwright::surface::surface(&api);
    let yaml = sdkwright::surface::to_yaml(&surface).expect("surface yaml");
    lap("surface");
    let back = sdkwright::surface::from_yaml(&yaml).expect("surface parses");
    let _ = sdkwright::surface::diff::diff(&back, &surface);
    lap("surface read+diff");
    let bytes: usize = formatted.iter().map(String::len).sum();
    eprintln!("\nfiles {}, {} KB of Rust", formatted.len(), bytes / 1024);
    drop((spec, api, rendered, formatted));
    let started = Instant::now();
    let parsed = if path.ends_with(".json") {
        serde_json::from_str::<openapiv3::OpenAPI>(&text).map(drop).is_ok()
    } else {
        yaml_serde::from_str::<openapiv3::OpenAPI>(&text).map(drop).is_ok()
    };
    eprintln!("openapiv3 parse alone {} ms (parsed: {parsed})", started.elapsed().as_millis());
    let started = Instant::now();
    let config = sdkwright::Config::new(&path);
    let generated = sdkwright::generate_from_str(&config, &text).expect("generates");
    let whole = started.elapsed();
    drop(generated);
    eprintln!(
        "generate_from_str {} ms (drop {} ms)",
        whole.as_millis(),
        (started.elapsed() - whole).as_millis()
    );
}
