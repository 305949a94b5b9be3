//! Snapshot tests over `tests/fixtures/<case>/openapi.yaml`: one directory per feature.
//!
//! Each case gets a snapshot of its IR and warnings, and one snapshot per spec-dependent
//! rendered file (the runtime files do not depend on the spec and are guarded by the
//! freshness test of `generated/`). Cases named `errors_*` must fail; their diagnostics are the
//! snapshot.

use std::path::Path;

/// Files that do not depend on the spec beyond its auth choice.
const RUNTIME_FILES: &[&str] = &[
    "Cargo.toml",
    "README.md",
    "src/client.rs",
    "src/codec.rs",
    "src/error.rs",
    "src/request.rs",
    "src/retry.rs",
];

fn case_name(path: &Path) -> String {
    path.parent()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .expect("fixtures live in a directory of their own")
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*/openapi.yaml", |path| {
        let case = case_name(path);
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        // The real path, so that file `$ref`s resolve next to the fixture.
        let config = sdkwright::Config::new(path).spec_label("openapi.yaml").crate_name(&case);
        let result = sdkwright::build_ir(&text, &path.to_string_lossy());
        if case.starts_with("errors_") {
            let error = result.expect_err("an errors_ fixture must fail");
            insta::assert_snapshot!("diagnostics", error.to_string());
            return;
        }
        let (api, warnings) = result.unwrap_or_else(|e| panic!("{case} should generate: {e}"));
        insta::assert_yaml_snapshot!("ir", api);
        insta::assert_snapshot!("warnings", warnings.to_string());
        let generated =
            sdkwright::generate_from_str(&config, &text).unwrap_or_else(|e| panic!("{case}: {e}"));
        for (file, contents) in generated.files.iter() {
            if RUNTIME_FILES.contains(&file) {
                continue;
            }
            insta::assert_snapshot!(file.replace('/', "__"), contents);
        }
    });
}
