//! Names and text from the caller or the spec that reach the generated files as they are: the
//! crate name (Cargo.toml, `use` paths), the spec's label (every file's header, a string
//! literal) and the spec's title (Cargo.toml's description, the crate docs), and schemas that
//! can only be written as types that refer to themselves.

use crate::support::timed;

const SPEC: &str = "openapi: 3.0.3\ninfo: {title: Names, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: none}}\n";

fn generate(config: sdkwright::Config, text: &str) -> Result<sdkwright::Generated, String> {
    sdkwright::generate_from_str(&config, text).map_err(|error| error.to_string())
}

/// Crate names cargo refuses were written into Cargo.toml as they came (a quote or a newline
/// broke the TOML, `../x` and keywords made a crate that does not build). Each is refused
/// before anything is generated, with a message naming the name and the rule.
#[test]
fn crate_names_cargo_refuses_are_refused() {
    let long = "a".repeat(65);
    let cases: [(&str, &str); 9] = [
        ("", "it is empty"),
        ("a\"b", "it contains `\\\"`"),
        ("a\nversion = \"9\"", "it contains `\\n`"),
        ("../x", "it contains `.`"),
        ("1sdk", "must start with an ASCII letter"),
        ("fn", "it is a Rust keyword"),
        ("test", "it is reserved"),
        ("con", "it is reserved"),
        (&long, "at most 64"),
    ];
    for (name, problem) in cases {
        let config = sdkwright::Config::new("spec.yaml").crate_name(name);
        let case = format!("names: crate name {name:?}");
        let message = timed(&case, move || generate(config, SPEC)).expect_err(name);
        assert!(message.starts_with("invalid crate name `"), "{name:?}: {message}");
        assert!(message.contains(problem), "{name:?}: {message}");
    }
    for name in ["sdk", "my-api_2", "Wegly"] {
        let config = sdkwright::Config::new("spec.yaml").crate_name(name);
        timed("names: a valid crate name", move || generate(config, SPEC)).expect(name);
    }
}

/// A crate version that is not semver broke Cargo.toml the same way.
#[test]
fn crate_versions_that_are_not_semver_are_refused() {
    for version in ["1.0", "1.0.0\"", "01.0.0", "1.0.0-", "x"] {
        let config = sdkwright::Config::new("spec.yaml").crate_version(version);
        let message = timed("names: a crate version", move || generate(config, SPEC)).expect_err(version);
        assert!(message.starts_with("invalid crate version"), "{version:?}: {message}");
    }
    let config = sdkwright::Config::new("spec.yaml").crate_version("1.2.3-beta.1+build.5");
    timed("names: a semver version", move || generate(config, SPEC)).expect("valid");
}

/// The spec's label went into every file's first-line comment and into `GENERATED_FROM`'s
/// string literal unescaped: a newline in it ended the comment and injected live code, a quote
/// ended the literal, and `-->` closed the README's HTML comment.
#[test]
fn the_spec_label_cannot_inject_code_or_end_a_comment() {
    let label = "spec.yaml\npub fn injected() {} \" --> \u{202e}";
    let config = sdkwright::Config::new("spec.yaml").spec_label(label);
    let generated = timed("names: a hostile spec label", move || generate(config, SPEC)).expect("generates");
    for (path, text) in generated.files.iter() {
        let first = text.lines().next().unwrap_or_default();
        assert!(first.contains("spec.yaml\\npub fn injected() {}"), "{path}: {first}");
        let injected = text.lines().any(|line| line.trim_start().starts_with("pub fn injected"));
        assert!(!injected, "{path}: the label's second line became a line of its own");
        assert!(!text.contains('\u{202e}') || path == "src/lib.rs", "{path}: a raw text-direction control");
        if path.ends_with(".md") {
            assert_eq!(first.matches("-->").count(), 1, "{path}: {first}");
        }
    }
    let lib = generated.files.get("src/lib.rs").expect("lib.rs");
    let file = syn::parse_file(lib).expect("lib.rs parses");
    let items: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    assert!(items.is_empty(), "no function was injected: {items:?}");
    let literal = lib.lines().find(|line| line.contains("GENERATED_FROM: &str")).expect("GENERATED_FROM");
    assert!(literal.contains(r#"spec.yaml\npub fn injected() {} \" --> "#), "{literal}");
}

/// A NUL, DEL or another control character in `info.title` reached Cargo.toml's description
/// raw (DEL is not allowed in a TOML string) and the crate docs raw. No generated file holds a
/// control character other than a line end.
#[test]
fn control_characters_in_the_title_reach_no_file_raw() {
    let text =
        SPEC.replace("title: Names", "title: \"My\\0API\\x7F\\x1B[31m \\\"quoted\\\" \\\\ \\u0085end\"");
    let config = sdkwright::Config::new("spec.yaml");
    let generated =
        timed("names: control characters in the title", move || generate(config, &text)).expect("generates");
    for (path, text) in generated.files.iter() {
        let control = text.chars().find(|c| c.is_control() && *c != '\n');
        assert_eq!(control, None, "{path} holds a raw control character");
    }
    let manifest = generated.files.get("Cargo.toml").expect("Cargo.toml");
    let description = manifest.lines().find(|line| line.starts_with("description = ")).expect("description");
    assert_eq!(
        description,
        r#"description = "Rust client for the My API [31m \"quoted\" \\ end, generated from its OpenAPI document.""#
    );
}

/// Aliases that refer to themselves generated `type A = A;` (E0391). A bare cycle is an error
/// at each schema on it; a list or map of itself is a newtype, which Rust can express.
#[test]
fn alias_cycles_are_errors_and_lists_of_themselves_are_newtypes() {
    let cycles = format!(
        "{}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/A'}}\n    B: {{$ref: '#/components/schemas/C'}}\n    C: {{$ref: '#/components/schemas/B'}}\n    D: {{allOf: [{{$ref: '#/components/schemas/D'}}]}}\n",
        SPEC
    );
    let config = sdkwright::Config::new("spec.yaml");
    let message = timed("names: alias cycles", move || generate(config, &cycles)).expect_err("cycles");
    for schema in ["A", "B", "C", "D"] {
        let expected = format!("error: #/components/schemas/{schema}: this schema only refers to itself");
        assert!(message.contains(&expected), "{schema}: {message}");
    }
    let lists = format!(
        "{}components:\n  schemas:\n    E: {{type: array, items: {{$ref: '#/components/schemas/E'}}}}\n    M: {{type: object, additionalProperties: {{$ref: '#/components/schemas/N'}}}}\n    N: {{$ref: '#/components/schemas/M'}}\n",
        SPEC
    );
    let config = sdkwright::Config::new("spec.yaml");
    let generated = timed("names: lists of themselves", move || generate(config, &lists)).expect("generates");
    let models = generated.files.get("src/models/mod.rs").expect("models");
    assert!(models.contains("pub struct E(pub Vec<crate::models::E>);"), "{models}");
    assert!(models.contains("pub struct N(pub crate::models::M);"), "{models}");
    assert!(!models.contains("pub type"), "no alias is left on a cycle: {models}");
}

/// The default label is the spec's file name, which may hold anything a file system allows:
/// a file named with a line break injected code the same way.
#[test]
fn a_spec_file_name_with_a_line_break_injects_nothing() {
    let dir = crate::support::temp_dir("names-file-name");
    let path = crate::support::write(&dir, "spec\npub fn injected() {}.yaml", SPEC);
    let generated = timed("names: a spec file named with a line break", move || {
        sdkwright::generate(&sdkwright::Config::new(path)).map_err(|error| error.to_string())
    })
    .expect("generates");
    for (file, text) in generated.files.iter() {
        let injected = text.lines().any(|line| line.trim_start().starts_with("pub fn injected"));
        assert!(!injected, "{file}: the file name's second line became a line of its own");
    }
}
