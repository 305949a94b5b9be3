//! The README's streaming example cannot be compiled against the Wegly SDK, which has no binary
//! or event-stream operation; the `streaming` fixture's behaviour test compiles it as
//! `readme_example`. This test checks that the README shows exactly that function's body.

use std::path::Path;

/// The lines of the first `rust,ignore` block after `heading` in the README.
fn readme_block(readme: &str, heading: &str) -> Vec<String> {
    let section = readme.split_once(heading).map(|(_, rest)| rest).expect("the README has the section");
    let (_, block) = section.split_once("```rust,ignore\n").expect("the section has a rust,ignore block");
    let (block, _) = block.split_once("\n```").expect("the block ends");
    block.lines().map(str::to_owned).collect()
}

/// The body of `fn name` in `source`, one indentation level removed.
fn function_body(source: &str, name: &str) -> Vec<String> {
    let start = source.find(&format!("async fn {name}(")).expect("the function is there");
    let body = &source[start..];
    let (_, body) = body.split_once("{\n").expect("the function has a body");
    let end = body.find("\n    Ok(())\n}").expect("the function ends with Ok(())");
    body[..end].lines().map(|line| line.strip_prefix("    ").unwrap_or(line).to_owned()).collect()
}

#[test]
fn the_streaming_example_is_the_one_the_fixture_compiles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../README.md")).expect("the README");
    let behaviour = std::fs::read_to_string(root.join("tests/fixture_behaviour/streaming.rs"))
        .expect("the behaviour test");
    assert_eq!(
        readme_block(&readme, "### Streaming bodies and server-sent events"),
        function_body(&behaviour, "readme_example")
    );
}
