//! The generated `Cargo.toml` carries the package metadata: the configuration's keys, with the
//! spec's `info.license` as the default license and `publish = false` unless configured.

use sdkwright::package::Package;

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: "Pets", version: "1", license: {name: LICENSE}}
paths: {}
"#;

fn manifest(spec: &str, package: Package) -> toml::Table {
    let config = sdkwright::Config::new("api.yaml").crate_name("pets").package(package);
    let generated = sdkwright::generate_from_str(&config, spec).expect("generates");
    generated.files.get("Cargo.toml").expect("a manifest").parse().expect("valid TOML")
}

#[test]
fn the_spec_license_is_the_default_when_it_is_an_spdx_expression() {
    let table = manifest(&SPEC.replace("LICENSE", "MIT OR Apache-2.0"), Package::default());
    let package = &table["package"];
    assert_eq!(package["license"].as_str(), Some("MIT OR Apache-2.0"));
    assert_eq!(package["publish"].as_bool(), Some(false));
    assert!(package["description"].as_str().is_some_and(|d| d.contains("Pets")), "{package}");
    // A license name that is not an SPDX expression is not guessed at.
    let table = manifest(&SPEC.replace("LICENSE", "Apache 2.0"), Package::default());
    assert!(table["package"].get("license").is_none(), "{table}");
    // 3.1's identifier wins over the name.
    let spec = SPEC
        .replace("3.0.3", "3.1.0")
        .replace("{name: LICENSE}", "{name: Apache License, identifier: Apache-2.0}");
    let table = manifest(&spec, Package::default());
    assert_eq!(table["package"]["license"].as_str(), Some("Apache-2.0"));
}

#[test]
fn the_configuration_sets_and_overrides_the_metadata() {
    let config = Package::from_toml(
        "[package]\nlicense = \"MIT\"\nrepository = \"https://example.com/pets-rs\"\n\
         description = \"Pets, \\\"quoted\\\"\"\nkeywords = [\"pets\", \"api\"]\npublish = true\n",
    )
    .expect("valid configuration");
    let table = manifest(&SPEC.replace("LICENSE", "BSD-3-Clause"), config);
    let package = &table["package"];
    assert_eq!(package["license"].as_str(), Some("MIT"));
    assert_eq!(package["repository"].as_str(), Some("https://example.com/pets-rs"));
    assert_eq!(package["description"].as_str(), Some("Pets, \"quoted\""));
    assert_eq!(package["keywords"].as_array().map(Vec::len), Some(2));
    assert_eq!(package["publish"].as_bool(), Some(true));
}
