//! Generates one large synthetic spec in memory and reports how long it took, for the scale
//! targets of the hostile suite (each generates in under 5 s and 500 MB, or is refused with a
//! clear error in under 1 s):
//!
//! `/usr/bin/time -v cargo run --release -p sdkwright --example hostile_scale -- CASE [N] [RUNS] [ir]`
//!
//! CASE is `enum` (one string enum of N values, default 100,000), `allof` (a chain of N schemas,
//! each extending the next through `allOf`, default 5,000), `refs` (N schemas, each a `$ref` to
//! the next, default 5,000), `ops` (N operations, default 20,000), `schemas` (N object schemas,
//! default 20,000) or `description` (a description of N MB, default 50). The median wall time of
//! RUNS runs (default 3) is printed; peak memory is `/usr/bin/time -v`'s "Maximum resident set
//! size". The spec text is built before the clock starts. With `ir`, only the stages up to the
//! analyzed IR run (no rendering or formatting). With `HOSTILE_SCALE_JSON=1` in the
//! environment, the spec is converted to JSON before the clock starts.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// The allocator `cargo xtask generate` uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: Scale, version: '1'}\n";

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "enum".to_owned());
    let n: Option<usize> = args.next().and_then(|n| n.parse().ok());
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(3).max(1);
    let ir_only = args.next().as_deref() == Some("ir");
    // `HOSTILE_SCALE_JSON=1` converts the spec to JSON first, to tell the YAML parser's share.
    let json = std::env::var_os("HOSTILE_SCALE_JSON").is_some();
    let (n, text) = match case.as_str() {
        "enum" => spec_enum(n.unwrap_or(100_000)),
        "allof" => spec_all_of(n.unwrap_or(5_000)),
        "refs" => spec_refs(n.unwrap_or(5_000)),
        "ops" => spec_operations(n.unwrap_or(20_000)),
        "schemas" => spec_schemas(n.unwrap_or(20_000)),
        "description" => spec_description(n.unwrap_or(50)),
        other => {
            eprintln!("unknown case `{other}`: enum, allof, refs, ops, schemas or description");
            std::process::exit(2);
        }
    };
    let (file_name, text) = if json {
        let tree: serde_json::Value = yaml_serde::from_str(&text).expect("the synthetic spec parses");
        ("scale.json", tree.to_string())
    } else {
        ("scale.yaml", text)
    };
    let config = sdkwright::Config::new(file_name);
    let mut times: Vec<Duration> = Vec::new();
    let mut outcome = String::new();
    for _ in 0..runs {
        let started = Instant::now();
        let result = if ir_only {
            sdkwright::build_ir(&text, file_name).map(|_| None)
        } else {
            sdkwright::generate_from_str(&config, &text).map(Some)
        };
        times.push(started.elapsed());
        outcome = match result {
            Ok(None) => "built the IR".to_owned(),
            Ok(Some(generated)) => {
                let bytes: usize = generated.files.iter().map(|(_, text)| text.len()).sum();
                format!("generated {} files, {} KB", generated.files.iter().count(), bytes / 1024)
            }
            Err(error) => {
                let message = error.to_string();
                let first = message.lines().next().unwrap_or_default().to_owned();
                let count = message.lines().filter(|line| line.starts_with("error")).count();
                format!("refused ({count} errors): {}", first.chars().take(200).collect::<String>())
            }
        };
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{case} n={n} spec={} KB runs={runs} median={} ms ({outcome})",
        text.len() / 1024,
        median.as_millis()
    );
}

fn spec_enum(n: usize) -> (usize, String) {
    let mut text =
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Big:\n      type: string\n      enum:\n");
    for i in 0..n {
        let _ = writeln!(text, "        - value_{i}");
    }
    (n, text)
}

fn spec_all_of(n: usize) -> (usize, String) {
    let mut text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n");
    for i in 0..n {
        if i + 1 < n {
            let _ = writeln!(
                text,
                "    S{i}:\n      allOf:\n        - $ref: '#/components/schemas/S{}'\n        - {{type: object, properties: {{f{i}: {{type: string}}}}}}",
                i + 1
            );
        } else {
            let _ = writeln!(text, "    S{i}: {{type: object, properties: {{f{i}: {{type: string}}}}}}");
        }
    }
    (n, text)
}

fn spec_refs(n: usize) -> (usize, String) {
    let mut text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n");
    for i in 0..n {
        if i + 1 < n {
            let _ = writeln!(text, "    R{i}: {{$ref: '#/components/schemas/R{}'}}", i + 1);
        } else {
            let _ = writeln!(text, "    R{i}: {{type: object, properties: {{id: {{type: string}}}}}}");
        }
    }
    (n, text)
}

fn spec_operations(n: usize) -> (usize, String) {
    let mut text = format!("{HEAD}paths:\n");
    for i in 0..n {
        let _ = writeln!(
            text,
            "  /things{i}/{{id}}:\n    get:\n      operationId: getThing{i}\n      tags: [group{}]\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing'}}",
            i % 50
        );
    }
    text.push_str("components:\n  schemas:\n    Thing: {type: object, properties: {id: {type: string}}}\n");
    (n, text)
}

fn spec_schemas(n: usize) -> (usize, String) {
    let mut text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n");
    for i in 0..n {
        let _ = writeln!(
            text,
            "    Thing{i}:\n      type: object\n      required: [id]\n      properties:\n        id: {{type: string}}\n        count: {{type: integer}}\n        next: {{$ref: '#/components/schemas/Thing{}'}}",
            (i + 1) % n
        );
    }
    (n, text)
}

fn spec_description(megabytes: usize) -> (usize, String) {
    let line = "Lorem ipsum dolor sit amet, `code` and *emphasis*, <b>tags</b> and https://example.com.";
    let mut description = String::with_capacity(megabytes << 20);
    while description.len() < megabytes << 20 {
        description.push_str(line);
        description.push('\n');
    }
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Described:\n      type: object\n      description: {}\n      properties:\n        id: {{type: string}}\n",
        serde_json::Value::String(description)
    );
    (megabytes, text)
}
