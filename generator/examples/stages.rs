//! Times each pipeline stage on one spec: `cargo run --release -p wegly-generator --example stages -- SPEC`.

use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: stages SPEC");
    let text = std::fs::read_to_string(&path).expect("readable spec");
    let started = Instant::now();
    let spec = generator::load::load(&text, &path).expect("loads");
    let loaded = started.elapsed();
    let (api, _) = generator::lower::lower(&spec).expect("lowers");
    let api = generator::analyze::analyze(api);
    let lowered = started.elapsed();
    let krate = generator::Config::new(&path);
    let generated = generator::generate_from_str(&krate, &text).expect("generates");
    let total = started.elapsed();
    println!(
        "load {:?}, lower+analyze {:?}, full generate (again from text) {:?}, files {}",
        loaded,
        lowered - loaded,
        total - lowered,
        generated.files.iter().count()
    );
    drop(api);
}
