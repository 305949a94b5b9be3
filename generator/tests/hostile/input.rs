//! Hostile specs: what the generator reads (external `$ref`s stay inside the spec's folder,
//! only regular files, each size-bounded), how much a YAML document may expand through
//! aliases, how fast deep nesting and many invalid schemas are handled, and the messages for
//! byte-order marks, invalid UTF-8 and duplicate keys.

use std::path::{Path, PathBuf};

use sdkwright::{Config, Error};

use crate::support::{mkfifo, temp_dir, timed, write};

/// A spec whose only schema is `schema` (a YAML flow mapping).
fn spec_with(schema: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n\
         components:\n  schemas:\n    A: {schema}\n"
    )
}

/// Generates from the spec at `path` (with `config` adjusted by `adjust`) on a guarded thread.
fn generate(case: &str, path: &Path, adjust: fn(Config) -> Config) -> Result<sdkwright::Generated, Error> {
    let config = adjust(Config::new(path));
    timed(case, move || sdkwright::generate(&config))
}

/// The error's message and every source under it, one per line: what `{:#}` would print.
fn chain(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        text.push_str("\n  caused by: ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// The diagnostics of a spec error; fails the case on success or on any other error.
fn spec_errors(case: &str, result: Result<sdkwright::Generated, Error>) -> String {
    match result {
        Err(Error::Spec(diagnostics)) => diagnostics.to_string(),
        Err(other) => panic!("{case}: expected spec errors, got {}", chain(&other)),
        Ok(_) => panic!("{case}: expected spec errors, it generated"),
    }
}

/// A folder `case/outside` with a secret schema and `case/api` for the spec.
fn outside_and_api(case: &str) -> (PathBuf, PathBuf) {
    let dir = temp_dir(case);
    let outside = dir.join("outside");
    write(&outside, "secret.yaml", "Secret: {type: object, description: SECRET-MARKER}\n");
    let api = dir.join("api");
    std::fs::create_dir_all(&api).expect("api folder");
    (outside, api)
}

fn assert_no_secret(case: &str, result: &Result<sdkwright::Generated, Error>) {
    if let Ok(generated) = result {
        for (file, text) in generated.files.iter() {
            assert!(!text.contains("SECRET-MARKER"), "{case}: {file} holds the outside file's text");
        }
    }
}

#[test]
fn refs_outside_the_spec_folder_are_refused() {
    let case = "input_ref_outside_folder";
    let (outside, api) = outside_and_api(case);
    let absolute = outside.join("secret.yaml");
    let refs = [
        ("relative", "../outside/secret.yaml#/Secret".to_owned()),
        ("absolute", format!("{}#/Secret", absolute.display())),
    ];
    for (kind, reference) in refs {
        let spec = write(&api, &format!("{kind}.yaml"), &spec_with(&format!("{{$ref: '{reference}'}}")));
        let result = generate(&format!("{case}_{kind}"), &spec, |c| c);
        assert_no_secret(case, &result);
        let errors = spec_errors(case, result);
        assert!(errors.contains("error: #/components/schemas/A: "), "{kind}: {errors}");
        assert!(errors.contains("outside"), "{kind}: the message names the path: {errors}");
        assert!(errors.contains("ref-root"), "{kind}: the message names the opt-in: {errors}");
    }
}

#[cfg(unix)]
#[test]
fn refs_through_a_symlink_out_of_the_folder_are_refused() {
    let case = "input_ref_symlink_out";
    let (outside, api) = outside_and_api(case);
    std::os::unix::fs::symlink(outside.join("secret.yaml"), api.join("link.yaml")).expect("file link");
    std::os::unix::fs::symlink(&outside, api.join("dir")).expect("folder link");
    for (kind, reference) in [("file", "link.yaml#/Secret"), ("folder", "dir/secret.yaml#/Secret")] {
        let spec = write(&api, &format!("{kind}.yaml"), &spec_with(&format!("{{$ref: '{reference}'}}")));
        let result = generate(&format!("{case}_{kind}"), &spec, |c| c);
        assert_no_secret(case, &result);
        let errors = spec_errors(case, result);
        assert!(errors.contains("error: #/components/schemas/A: "), "{kind}: {errors}");
        assert!(errors.contains("outside"), "{kind}: {errors}");
    }
}

#[test]
fn a_widened_ref_root_lets_refs_out_of_the_folder() {
    let case = "input_ref_root_opt_in";
    let (_, api) = outside_and_api(case);
    let spec = write(&api, "api.yaml", &spec_with("{$ref: '../outside/secret.yaml#/Secret'}"));
    let root = api.parent().expect("case folder").to_path_buf();
    let config = Config::new(&spec).ref_root(root);
    let generated = timed(case, move || sdkwright::generate(&config)).expect("the widened root allows it");
    let models: String = generated.files.iter().map(|(_, text)| text).collect();
    assert!(models.contains("SECRET-MARKER"), "the outside schema is read once the root allows it");
}

#[cfg(unix)]
#[test]
fn refs_to_fifos_and_devices_are_refused_without_reading() {
    let case = "input_ref_special_files";
    let dir = temp_dir(case);
    mkfifo(&dir.join("fifo.yaml"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.yaml")).expect("device link");
    // A FIFO inside the folder is not a regular file; a link to a device leaves the folder.
    for (kind, expected) in [("fifo", "not a regular file but a FIFO"), ("zero", "names /dev/zero, outside")]
    {
        let spec =
            write(&dir, &format!("{kind}-spec.yaml"), &spec_with(&format!("{{$ref: '{kind}.yaml#/X'}}")));
        let errors = spec_errors(case, generate(&format!("{case}_{kind}"), &spec, |c| c));
        assert!(errors.contains("error: #/components/schemas/A: "), "{kind}: {errors}");
        assert!(errors.contains(expected), "{kind}: {errors}");
        assert!(errors.contains(&format!("{kind}.yaml")), "{kind}: the message names the path: {errors}");
    }
    // Even with the root widened to everything, a device stays unread.
    let spec = write(&dir, "dev-spec.yaml", &spec_with("{$ref: '/dev/zero#/X'}"));
    let errors = spec_errors(case, generate(&format!("{case}_dev_zero_widened"), &spec, |c| c.ref_root("/")));
    assert!(errors.contains("not a regular file but a character device"), "{errors}");
}

#[test]
fn refs_to_proc_are_refused() {
    let case = "input_ref_proc";
    let dir = temp_dir(case);
    let spec = write(&dir, "api.yaml", &spec_with("{$ref: '/proc/self/environ#/X'}"));
    let errors = spec_errors(case, generate(case, &spec, |c| c));
    assert!(errors.contains("error: #/components/schemas/A: "), "{errors}");
    assert!(errors.contains("outside"), "{errors}");
}

#[test]
fn ref_files_are_size_bounded() {
    let case = "input_ref_size_bound";
    let dir = temp_dir(case);
    // A sparse file: large on paper, no disk used.
    let big = std::fs::File::create(dir.join("big.yaml")).expect("big file");
    big.set_len(1 << 30).expect("sparse length");
    let spec = write(&dir, "api.yaml", &spec_with("{$ref: 'big.yaml#/X'}"));
    let errors = spec_errors(case, generate(case, &spec, |c| c));
    assert!(errors.contains("error: #/components/schemas/A: "), "{errors}");
    assert!(errors.contains("bytes, more than"), "{errors}");
}

#[cfg(unix)]
#[test]
fn a_spec_that_is_a_fifo_or_a_device_is_refused() {
    let case = "input_spec_special_file";
    let dir = temp_dir(case);
    mkfifo(&dir.join("fifo.yaml"));
    for (kind, path) in [("fifo", dir.join("fifo.yaml")), ("dev_zero", PathBuf::from("/dev/zero"))] {
        let error = match generate(&format!("{case}_{kind}"), &path, |c| c) {
            Err(error) => chain(&error),
            Ok(_) => panic!("{kind}: generated from a special file"),
        };
        assert!(error.contains("not a regular file"), "{kind}: {error}");
        assert!(error.contains(&path.display().to_string()), "{kind}: {error}");
    }
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let case = "input_alias_bomb";
    let dir = temp_dir(case);
    // 10,000 items, aliased 10,000 times: 100 million nodes from about 50 KB.
    let items = vec!["x"; 10_000].join(",");
    let aliases = vec!["*a"; 10_000].join(",");
    let text = format!("{}x-items: &a [{items}]\nx-bomb: [{aliases}]\n", spec_with("{type: string}"));
    assert!(text.len() < 60_000);
    let spec = write(&dir, "api.yaml", &text);
    let errors = spec_errors(case, generate(case, &spec, |c| c));
    assert!(errors.contains("alias bomb"), "{errors}");
    assert!(errors.contains("expands"), "{errors}");
}

#[test]
fn deep_nesting_is_refused_with_a_clear_message() {
    let case = "input_deep_nesting";
    let dir = temp_dir(case);
    let depth = 50_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let yaml = write(&dir, "api.yaml", &format!("{}x-deep: {nested}\n", spec_with("{type: string}")));
    let json = write(
        &dir,
        "api.json",
        &format!(
            "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"x-deep\": {nested}}}"
        ),
    );
    for (kind, spec, line) in [("yaml", yaml, "line 7"), ("json", json, "line 1")] {
        let errors = spec_errors(case, generate(&format!("{case}_{kind}"), &spec, |c| c));
        assert!(errors.contains("nested deeper than"), "{kind}: {errors}");
        assert!(errors.contains(line), "{kind}: the message says where: {errors}");
    }
}

#[test]
fn many_invalid_schemas_fall_back_in_one_pass() {
    let case = "input_many_invalid_schemas";
    let dir = temp_dir(case);
    let count = 100;
    let schemas: String = (0..count)
        .map(|i| {
            format!(
                "    S{i}: {{type: object, properties: {{bad: {{type: {{x: 1}}}}, ok: {{type: string}}}}}}\n"
            )
        })
        .collect();
    // Valid schemas around them, so that a parse per invalid schema would show in the timing.
    let filler: String = (0..2_000)
        .map(|i| {
            format!("    F{i}: {{type: object, properties: {{a: {{type: string}}, b: {{type: integer}}}}}}\n")
        })
        .collect();
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{filler}{schemas}"
    );
    let spec = write(&dir, "api.yaml", &text);
    let generated = generate(case, &spec, |c| c).unwrap_or_else(|e| panic!("{case}: {}", chain(&e)));
    let warnings = generated.warnings.to_string();
    for i in 0..count {
        let expected = format!("warning: #/components/schemas/S{i}/properties/bad: this schema is not valid");
        assert!(warnings.contains(&expected), "S{i}: {warnings}");
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let case = "input_bom";
    let dir = temp_dir(case);
    let yaml = write(&dir, "api.yaml", &format!("\u{feff}{}", spec_with("{type: string}")));
    let json = write(
        &dir,
        "api.json",
        "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}",
    );
    write(&dir, "other.yaml", "\u{feff}X: {type: integer}\n");
    let referring = write(&dir, "ref.yaml", &spec_with("{$ref: 'other.yaml#/X'}"));
    for (kind, spec) in [("yaml", yaml), ("json", json), ("ref", referring)] {
        if let Err(error) = generate(&format!("{case}_{kind}"), &spec, |c| c) {
            panic!("{kind}: {}", chain(&error));
        }
    }
}

#[test]
fn invalid_utf8_is_reported_once_with_where() {
    let case = "input_invalid_utf8";
    let dir = temp_dir(case);
    let mut bytes = spec_with("{type: string, description: 'caf").into_bytes();
    bytes.truncate(bytes.len() - 1);
    bytes.extend_from_slice(b"\xff'}\n");
    let spec = dir.join("api.yaml");
    std::fs::write(&spec, &bytes).expect("spec written");
    let std::result::Result::Err(error) = generate(case, &spec, |c| c) else {
        panic!("{case}: invalid UTF-8 generated")
    };
    let text = chain(&error);
    assert_eq!(text.matches("UTF-8").count(), 1, "reported once: {text}");
    assert!(text.contains("line 6"), "says where: {text}");

    std::fs::write(dir.join("other.yaml"), b"X: {type: string, description: '\xff'}\n").expect("ref file");
    let referring = write(&dir, "ref.yaml", &spec_with("{$ref: 'other.yaml#/X'}"));
    let errors = spec_errors(case, generate(&format!("{case}_ref"), &referring, |c| c));
    assert_eq!(errors.matches("UTF-8").count(), 1, "reported once: {errors}");
    assert!(errors.contains("error: #/components/schemas/A: "), "{errors}");
    assert!(errors.contains("line 1"), "says where: {errors}");
}

#[test]
fn duplicate_keys_are_reported_with_their_pointer() {
    let case = "input_duplicate_keys";
    let dir = temp_dir(case);
    let yaml = write(
        &dir,
        "api.yaml",
        &spec_with("{type: object, properties: {a: {type: string}, a: {type: integer}}}"),
    );
    let json = write(
        &dir,
        "api.json",
        "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}, \
         \"components\": {\"schemas\": {\"A\": {\"type\": \"object\", \"properties\": \
         {\"a\": {\"type\": \"string\"}, \"a\": {\"type\": \"integer\"}}}}}}",
    );
    for (kind, spec) in [("yaml", yaml), ("json", json)] {
        let generated = generate(&format!("{case}_{kind}"), &spec, |c| c)
            .unwrap_or_else(|e| panic!("{kind}: {}", chain(&e)));
        let warnings = generated.warnings.to_string();
        assert!(
            warnings.contains("warning: #/components/schemas/A/properties: duplicate key `a`"),
            "{kind}: {warnings}"
        );
    }
    // In a file a `$ref` names, the warning sits at the reference and names the file.
    write(&dir, "other.yaml", "X: {type: string, type: integer}\n");
    let referring = write(&dir, "ref.yaml", &spec_with("{$ref: 'other.yaml#/X'}"));
    let generated =
        generate(&format!("{case}_ref"), &referring, |c| c).unwrap_or_else(|e| panic!("ref: {}", chain(&e)));
    let warnings = generated.warnings.to_string();
    assert!(warnings.contains("warning: #/components/schemas/A: in "), "ref: {warnings}");
    assert!(warnings.contains("other.yaml: #/X: duplicate key `type`"), "ref: {warnings}");
}
