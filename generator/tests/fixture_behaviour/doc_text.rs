//! Runs inside the generated `doc_text` fixture crate: its docs are checked by rustdoc
//! (`-D warnings`) like every fixture's; this checks that the converted text is what the crate
//! says, by reading the generated sources it was built from.

const NOTES: &str = include_str!("../src/apis/notes.rs");
const NOTE: &str = include_str!("../src/models/note.rs");

/// The doc lines of a source file, without their `///`.
fn doc_lines(source: &str) -> Vec<&str> {
    source.lines().filter_map(|line| line.trim_start().strip_prefix("///")).map(str::trim).collect()
}

#[test]
fn html_descriptions_read_as_markdown() {
    let docs = doc_lines(NOTES);
    assert!(docs.contains(&"Notes about things, *kept* short."), "{docs:#?}");
    assert!(docs.iter().any(|l| l.contains("the **most recent** notes")), "{docs:#?}");
    assert!(docs.contains(&"See [the guide](https://example.com/docs/notes); `limit` is &lt; 100 \\[default 10\\]."));
    assert!(docs.contains(&"- one") && docs.contains(&"- two"));
    assert!(!NOTES.contains("&lt;p&gt;") && !NOTES.contains("<p>"), "no HTML is left");
}

#[test]
fn markdown_links_stay_links_and_titles_document() {
    let docs = doc_lines(NOTE);
    assert!(docs.iter().any(|l| l.contains("see [http://swagger.io](http://swagger.io) and [the spec]")), "{docs:#?}");
    assert!(docs.iter().any(|l| l.contains("`Authorization: Bearer <token>`, where a &lt; b")), "{docs:#?}");
    assert!(docs.contains(&"The note's text"), "a title documents its property");
    assert!(docs.contains(&"One of **plain** or *rich*."));
}

#[test]
fn operations_without_a_description_have_no_empty_doc_lines() {
    let lines: Vec<&str> = NOTES.lines().map(str::trim).collect();
    for pair in lines.windows(2) {
        assert!(!(pair[0] == "///" && pair[1] == "///"), "two empty doc lines in a row:\n{NOTES}");
    }
    // The summary, one empty line, then the operation line (the example follows later).
    let summary = lines.iter().position(|l| *l == "/// Create a note").expect("the summary");
    assert_eq!(lines[summary..summary + 3], ["/// Create a note", "///", "/// `POST /notes` (operation `createNote`)."]);
}
