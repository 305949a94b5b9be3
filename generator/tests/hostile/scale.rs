//! Scale: inputs whose size or depth used to overflow the stack, run in quadratic time, or
//! trip a fixed limit that took a long chain for a cycle. Each case builds its spec in code;
//! the full-size targets (a 100,000-value enum, 20,000 operations, …) are measured by
//! `examples/hostile_scale.rs`, not here.

use std::fmt::Write as _;

use crate::support::timed;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: Scale, version: '1'}\n";

/// Loads, lowers and analyzes (no rendering: these cases are about the stages before it).
fn build(text: String) -> Result<(sdkwright::ir::Api, String), String> {
    sdkwright::build_ir(&text, "scale.yaml")
        .map(|(api, warnings)| (api, warnings.to_string()))
        .map_err(|error| error.to_string())
}

fn type_named<'a>(api: &'a sdkwright::ir::Api, name: &str) -> &'a sdkwright::ir::TypeDef {
    api.types.iter().find(|def| def.name == name).unwrap_or_else(|| panic!("no type {name}"))
}

/// `S0` extends `S1` extends … `S{n-1}`, each adding one property.
fn all_of_chain(n: usize) -> String {
    let mut text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n");
    for i in 0..n - 1 {
        let _ = writeln!(
            text,
            "    S{i}: {{allOf: [{{$ref: '#/components/schemas/S{}'}}, {{type: object, properties: {{f{i}: {{type: string}}}}}}]}}",
            i + 1
        );
    }
    let _ = writeln!(text, "    S{}: {{type: object, properties: {{last: {{type: string}}}}}}", n - 1);
    text
}

/// A 10,000-link `allOf` chain overflowed the stack (the merge recursed once per link) and
/// grew its field lists quadratically. It is refused, with the pointer of each schema whose
/// chain is too deep; a chain within the bound still merges.
#[test]
fn a_long_all_of_chain_is_refused_without_overflowing() {
    let result = timed("scale: 10,000-link allOf chain", || build(all_of_chain(10_000)));
    let message = result.expect_err("a 10,000-link chain is refused");
    assert!(
        message.contains("error: #/components/schemas/S0: its `allOf` parts extend each other more than 64"),
        "{message}"
    );
    // A chain within the bound still merges every link's properties.
    let (api, _) = timed("scale: 40-link allOf chain", || build(all_of_chain(40))).expect("generates");
    let sdkwright::ir::TypeKind::Struct(s0) = &type_named(&api, "S0").kind else { panic!("S0 is a struct") };
    assert_eq!(s0.fields.len(), 40);
    assert!(s0.fields.iter().any(|f| f.wire_name == "last"), "the last link's property is merged");
}

/// `allOf` parts that share parts (each schema extends the next twice over) were merged once
/// per path through them: 2^40 merges. The merge's budget refuses it at once.
#[test]
fn shared_all_of_parts_do_not_merge_exponentially() {
    let mut text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n");
    for i in 0..40 {
        let next = i + 1;
        let _ = writeln!(
            text,
            "    D{i}: {{allOf: [{{$ref: '#/components/schemas/D{next}'}}, {{$ref: '#/components/schemas/E{next}'}}, {{type: object, properties: {{d{i}: {{type: string}}}}}}]}}\n    E{i}: {{allOf: [{{$ref: '#/components/schemas/D{next}'}}, {{type: object, properties: {{e{i}: {{type: string}}}}}}]}}"
        );
    }
    let _ = writeln!(
        text,
        "    D40: {{type: object, properties: {{end: {{type: string}}}}}}\n    E40: {{type: object, properties: {{end: {{type: string}}}}}}"
    );
    let message = timed("scale: 40 levels of shared allOf parts", || build(text)).expect_err("refused");
    assert!(
        message.contains("error: #/components/schemas/D0: its `allOf` parts extend each other"),
        "{message}"
    );
}

/// A part reached through more than 64 `$ref`s in a row was taken for a cycle, so the `allOf`
/// was not merged (free-form JSON instead of a struct).
#[test]
fn a_long_reference_chain_in_all_of_is_not_a_cycle() {
    let mut text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Top: {{allOf: [{{$ref: '#/components/schemas/R0'}}, {{type: object, properties: {{own: {{type: string}}}}}}]}}\n"
    );
    for i in 0..100 {
        let _ = writeln!(text, "    R{i}: {{$ref: '#/components/schemas/R{}'}}", i + 1);
    }
    text.push_str("    R100: {type: object, properties: {deep: {type: string}}}\n");
    let (api, warnings) = timed("scale: 100 $refs in a row under allOf", || build(text)).expect("generates");
    let sdkwright::ir::TypeKind::Struct(top) = &type_named(&api, "Top").kind else {
        panic!("Top is a struct, not free-form JSON: {warnings}")
    };
    let names: Vec<&str> = top.fields.iter().map(|f| f.wire_name.as_str()).collect();
    assert_eq!(names, ["deep", "own"]);
}

/// A parameter reached through 100 component `$ref`s in a row was reported as "`$ref`s form a
/// cycle" (a limit of 64); a real cycle still is.
#[test]
fn a_long_parameter_reference_chain_is_not_a_cycle() {
    let spec = |last: &str| {
        let mut text = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      parameters: [{{$ref: '#/components/parameters/P0'}}]\n      responses: {{'204': {{description: none}}}}\ncomponents:\n  parameters:\n"
        );
        for i in 0..100 {
            let _ = writeln!(text, "    P{i}: {{$ref: '#/components/parameters/P{}'}}", i + 1);
        }
        text.push_str(last);
        text
    };
    let chain = spec("    P100: {name: q, in: query, schema: {type: string}}\n");
    let (api, _) = timed("scale: 100 parameter $refs in a row", || build(chain)).expect("generates");
    assert_eq!(api.groups[0].operations[0].params.len(), 1);
    let cycle = spec("    P100: {$ref: '#/components/parameters/P0'}\n");
    let message = timed("scale: a parameter $ref cycle", || build(cycle)).expect_err("a cycle");
    assert!(message.contains("`$ref`s form a cycle"), "{message}");
}

/// Bundling follows references that are not `#/components/...` (here under an extension) by
/// copying their targets; more than 32 in a row were reported as a cycle.
#[test]
fn a_long_non_conventional_reference_chain_is_not_a_cycle() {
    let spec = |last: &str| {
        let mut text = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      parameters: [{{$ref: '#/x-shared/p0'}}]\n      responses: {{'204': {{description: none}}}}\nx-shared:\n"
        );
        for i in 0..50 {
            let _ = writeln!(text, "  p{i}: {{$ref: '#/x-shared/p{}'}}", i + 1);
        }
        text.push_str(last);
        text
    };
    let chain = spec("  p50: {name: q, in: query, schema: {type: string}}\n");
    let (api, _) = timed("scale: 50 bundled $refs in a row", || build(chain)).expect("generates");
    assert_eq!(api.groups[0].operations[0].params.len(), 1);
    let cycle = spec("  p50: {$ref: '#/x-shared/p0'}\n");
    let message = timed("scale: a bundled $ref cycle", || build(cycle)).expect_err("a cycle");
    assert!(message.contains("error: #/paths/~1a/get/parameters/0: `$ref`s form a cycle"), "{message}");
}

/// The duplicate check of enum values compared each value with every kept one: quadratic (a
/// 100,000-value enum took about 20 s in a release build; 300,000 values run past the suite's
/// hang guard in a test build). Duplicates collapse to their first occurrence, and an enum of
/// more than 10,000 distinct values is a plain string, with a warning.
#[test]
fn a_huge_enum_is_checked_for_duplicates_in_linear_time() {
    let n = 300_000;
    let mut values: Vec<String> = (0..n).map(|i| format!("\"v{i}\"")).collect();
    values.push("\"v7\"".to_owned());
    let text = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"Scale\", \"version\": \"1\"}}, \"paths\": {{}}, \
         \"components\": {{\"schemas\": {{\"Big\": {{\"type\": \"string\", \"enum\": [{}]}}}}}}}}",
        values.join(",")
    );
    let (api, warnings) =
        timed("scale: 300,000-value enum", move || sdkwright::build_ir(&text, "scale.json"))
            .expect("generates");
    let warnings = warnings.to_string();
    let expected = "warning: #/components/schemas/Big: 300000 values are more than the 10000 an enum is \
                    generated for; using a plain string";
    assert!(warnings.contains(expected), "the repeated value is dropped before counting: {warnings}");
    let big = &type_named(&api, "Big").kind;
    assert!(
        matches!(
            big,
            sdkwright::ir::TypeKind::Alias(sdkwright::ir::TypeRef::Primitive(
                sdkwright::ir::Primitive::String
            ))
        ),
        "{big:?}"
    );
}

/// Property names whose Rust names all collide (`a-b-c…`, `a_b_c…`, `a.b.c…` are all
/// `a_b_c…`) each searched the numeric suffixes from 2 upwards: quadratic. Suffixes now resume
/// where the last one stopped, and stay the smallest free ones, in wire-name order.
#[test]
fn colliding_field_names_are_numbered_in_linear_time() {
    let separators = ["-", "_", ".", " ", "/", "+", "~"];
    let letters = ["a", "b", "c", "d", "e", "f", "g"];
    let mut names = vec![letters[0].to_owned()];
    for letter in &letters[1..] {
        names =
            names.iter().flat_map(|v| separators.iter().map(move |s| format!("{v}{s}{letter}"))).collect();
    }
    let n = names.len(); // 7^6 = 117,649
    let properties: Vec<String> = names
        .iter()
        .map(|name| format!("{}: {{\"type\": \"string\"}}", serde_json::Value::String(name.clone())))
        .collect();
    let text = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"Scale\", \"version\": \"1\"}}, \"paths\": {{}}, \
         \"components\": {{\"schemas\": {{\"Same\": {{\"type\": \"object\", \"properties\": {{{}}}}}}}}}}}",
        properties.join(",")
    );
    let api = timed("scale: 117,649 colliding field names", move || sdkwright::build_ir(&text, "scale.json"))
        .expect("generates")
        .0;
    let sdkwright::ir::TypeKind::Struct(same) = &type_named(&api, "Same").kind else { panic!("a struct") };
    let mut fields: Vec<&str> = same.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields.len(), n);
    let last = format!("a_b_c_d_e_f_g_{n}");
    assert!(fields.contains(&"a_b_c_d_e_f_g") && fields.contains(&last.as_str()), "{:?}", &fields[..3]);
    fields.sort_unstable();
    fields.dedup();
    assert_eq!(fields.len(), n, "every name is unique");
}

/// A schema nested as deep as the parsers allow (they refuse 128 levels) overflowed a 2 MB
/// thread's stack from about 50 levels in a test build: serde's typed parsing, the tree walks,
/// lowering and syn all recurse once per level. Generation now runs on threads with a stack
/// sized for the parsers' limit, whatever thread calls it (here the hang guard's, which has the
/// default 2 MB).
#[test]
fn schemas_nested_as_deep_as_the_parser_allows_generate() {
    let nest = |open: &str, close: &str, depth: usize, leaf: &str| {
        format!("{}{leaf}{}", open.repeat(depth), close.repeat(depth))
    };
    let shapes = [
        ("arrays", nest("{type: array, items: ", "}", 120, "{type: string}")),
        ("objects", nest("{type: object, properties: {a: ", "}}", 60, "{type: string}")),
        ("maps", nest("{type: object, additionalProperties: ", "}", 120, "{type: integer}")),
        ("unions", nest("{oneOf: [{type: string}, ", "]}", 60, "{type: integer}")),
    ];
    for (shape, schema) in shapes {
        let text = format!(
            "{HEAD}paths:\n  /deep:\n    get:\n      operationId: getDeep\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Deep'}}\ncomponents:\n  schemas:\n    Deep: {schema}\n"
        );
        let case = format!("scale: {shape} nested to the parser's limit");
        let config = sdkwright::Config::new("deep.yaml");
        let generated =
            timed(&case, move || sdkwright::generate_from_str(&config, &text).map_err(|e| e.to_string()))
                .unwrap_or_else(|error| panic!("{shape}: {error}"));
        assert!(generated.files.get("src/models/mod.rs").is_some(), "{shape}");
    }
}
