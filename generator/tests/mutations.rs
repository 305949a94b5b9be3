//! The generator never panics, whatever the spec: every fixture (and the Wegly spec) is mutated
//! many times, deterministically, and each mutant must produce files or diagnostics: never a panic,
//! and never an internal error (a "generator bug", such as Rust that does not parse).
//!
//! A mutation replaces, deletes or retypes one node of the JSON tree, or swaps in a `$ref` to
//! somewhere odd, a 3.1 keyword, a discriminator or a parameter style. This is the bounded
//! property test `.ci/run` runs (through `cargo test`): a fixed number of mutants per spec, so
//! its running time is bounded and a failure reproduces from the seed.

use serde_json::{Value, json};

/// A small deterministic pseudo-random generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every JSON pointer in the tree.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(child, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

const REPLACEMENTS: &[&str] = &[
    "null",
    "true",
    "-1",
    "1e400",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "[null]",
    "{\"$ref\": \"#/components/schemas/Missing\"}",
    "{\"$ref\": \"#/paths\"}",
    "{\"$ref\": \"#\"}",
    "{\"$ref\": \"other.yaml#/A\"}",
    "{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/components/schemas/A\"}}}",
    "{\"allOf\": [{\"type\": \"string\"}, {\"type\": \"object\"}]}",
    "{\"oneOf\": []}",
    "{\"enum\": []}",
    "{\"type\": \"string\", \"enum\": [null]}",
    "{\"type\": \"integer\", \"enum\": [1, 1]}",
    "{\"type\": [\"string\", \"null\"], \"const\": 1, \"examples\": [2]}",
    "{\"type\": [\"integer\", \"array\", \"object\"], \"items\": false}",
    "{\"$ref\": \"#/components/schemas/A/properties/x\", \"nullable\": true}",
    "{\"$ref\": \"#/paths/~1a%7Bb%7D\"}",
    "{\"oneOf\": [{\"$ref\": \"#/components/schemas/A\"}, {\"type\": \"null\"}], \"discriminator\": {\"propertyName\": \"k\", \"mapping\": {\"x\": \"Nope\"}}}",
    "{\"name\": \"c\", \"in\": \"cookie\", \"style\": \"deepObject\", \"content\": {\"text/plain\": {}}}",
    "{\"content\": {\"application/x-www-form-urlencoded\": {\"schema\": {\"type\": \"string\"}}}}",
    "\"3.1.0\"",
    "\"{unclosed\"",
    "\"/a/{b}/{b}\"",
    "\"line\\nbreak `tick` \\r*/ fn x() {}\"",
    "\"right-to-left \\u202e override\"",
    "{\"a\\nb\": {\"type\": \"string\", \"enum\": [\"x\\ny\", \"`\"]}}",
];

fn mutate(spec: &Value, rng: &mut Rng) -> Value {
    let mut mutant = spec.clone();
    let mut all = Vec::new();
    pointers(&mutant, String::new(), &mut all);
    let target = &all[rng.below(all.len())];
    if target.is_empty() {
        return mutant;
    }
    let (parent, last) = target.rsplit_once('/').unwrap_or(("", target));
    let replacement: Value =
        serde_json::from_str(REPLACEMENTS[rng.below(REPLACEMENTS.len())]).unwrap_or(json!(null));
    let delete = rng.below(4) == 0;
    if let Some(container) = mutant.pointer_mut(parent) {
        let key = last.replace("~1", "/").replace("~0", "~");
        match container {
            Value::Object(map) if delete => {
                map.shift_remove(&key);
            }
            Value::Object(map) => {
                map.insert(key, replacement);
            }
            Value::Array(items) => {
                if let Ok(index) = key.parse::<usize>() {
                    if delete && index < items.len() {
                        items.remove(index);
                    } else if index < items.len() {
                        items[index] = replacement;
                    }
                }
            }
            _ => {}
        }
    }
    mutant
}

#[test]
fn mutated_specs_never_panic_nor_hit_a_generator_bug() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path().join("openapi.yaml"))
        .collect();
    specs.push(root.join("../spec/wegly.yaml"));
    specs.sort();
    // CI runs the fixed seed; `MUTATION_SEED=<n> MUTATION_ROUNDS=<n>` explores further by hand.
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let seed = env("MUTATION_SEED").unwrap_or(0x5eed_cafe_f00d_d00d);
    let rounds = env("MUTATION_ROUNDS").unwrap_or(80);
    // The specs are shared out among one worker per core; each spec has its own generator,
    // seeded from the seed and the spec's place in the sorted list, so a failure reproduces
    // whatever the number of workers.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, usize::from).min(specs.len());
    let outcomes = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut outcomes = [0usize; 2];
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = specs.get(index) else { return outcomes };
                        let spec_seed = seed ^ (index as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                        let counts = mutate_spec(path, Rng(spec_seed.max(1)), rounds);
                        outcomes[0] += counts[0];
                        outcomes[1] += counts[1];
                    }
                })
            })
            .collect();
        handles.into_iter().fold([0usize; 2], |total, handle| {
            let counts = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            [total[0] + counts[0], total[1] + counts[1]]
        })
    });
    // Both outcomes occur, so the mutations reach past the loader.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "failed/ok: {outcomes:?}");
}

/// Generates `rounds` mutants of the spec at `path`; returns how many failed and succeeded.
fn mutate_spec(path: &std::path::Path, mut rng: Rng, rounds: u64) -> [usize; 2] {
    let config = sdkwright::Config::new("mutant.json");
    let text = std::fs::read_to_string(path).expect("readable");
    let spec = sdkwright::load::parse_tree(&text, "spec.yaml").expect("every fixture is YAML");
    let mut outcomes = [0usize; 2];
    for round in 0..rounds {
        let mut mutant = spec.clone();
        for _ in 0..=rng.below(3) {
            mutant = mutate(&mutant, &mut rng);
        }
        let text = mutant.to_string();
        let outcome = std::panic::catch_unwind(|| sdkwright::generate_from_str(&config, &text));
        match outcome {
            Ok(Err(error @ sdkwright::Error::Internal { .. })) => {
                panic!("generator bug on mutant {round} of {}: {error}\n{text}", path.display())
            }
            Ok(result) => outcomes[usize::from(result.is_ok())] += 1,
            Err(_) => panic!("the generator panicked on mutant {round} of {}:\n{text}", path.display()),
        }
    }
    outcomes
}
