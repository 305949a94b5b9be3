//! Stage 5: rendered text to final file contents.
//!
//! Input: [`RenderedFile`]s. Output: the text of each file with the generated-file header on
//! line 1. Rust files go through `syn::parse_file` and `prettyplease::unparse`; a file that does
//! not parse is a generator bug, reported with the template's name and numbered lines. The
//! header goes in after formatting, because syn drops plain comments.

use crate::diagnostics::Error;
use crate::render::RenderedFile;

/// Formats every file, spreading the work over the machine's cores, in input order.
pub fn format_all(files: &[RenderedFile], spec_label: &str) -> Result<Vec<String>, Error> {
    crate::parallel::map(files, "format", |file| format(file, spec_label))
}

/// Formats a rendered file and prepends the header naming `spec_label`.
pub fn format(file: &RenderedFile, spec_label: &str) -> Result<String, Error> {
    let label = crate::render::escape::comment_text(spec_label);
    let marker = crate::emit::MARKER;
    let header = format!("{marker} (cargo xtask generate) from {label}; do not edit");
    let body = if file.path.ends_with(".rs") {
        let source = doc_comments_as_attributes(&file.text);
        let parsed = syn::parse_file(&source).map_err(|e| Error::Internal {
            stage: "format",
            message: format!(
                "template `{}` produced Rust that does not parse for `{}`: {e}\n{}",
                file.template,
                file.path,
                numbered(&file.text, error_line(&source, &e))
            ),
        })?;
        format!("// {header}\n{}", prettyplease::unparse(&parsed))
    } else if file.path.ends_with(".md") {
        format!("<!-- {header} -->\n{}", file.text)
    } else {
        format!("# {header}\n{}", file.text)
    };
    Ok(normalize(&body))
}

/// Rewrites each `///` or `//!` line as the `#[doc = r"..."]` or `#![doc = r"..."]` attribute
/// it stands for, keeping one line per line.
///
/// The output is the same either way, since prettyplease prints doc attributes as comments, but
/// the cost is not: proc-macro2 turns a doc comment into an escaped string literal one character
/// at a time, and prettyplease unescapes it again, while a raw literal is taken as it is. Docs are
/// most of a large spec's text, and this made formatting GitHub's spec about 20% faster.
fn doc_comments_as_attributes(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let code = line.trim_start();
        let (attribute, doc) = match (code.strip_prefix("///"), code.strip_prefix("//!")) {
            // `////` starts a plain comment, not a doc comment.
            (Some(doc), _) if !doc.starts_with('/') => ("#[doc = r", doc),
            (_, Some(doc)) => ("#![doc = r", doc),
            _ => {
                out.push_str(line);
                continue;
            }
        };
        let doc = doc.trim_end_matches(['\n', '\r']);
        let hashes = raw_string_hashes(doc);
        // A raw string takes at most 255 `#`; such a line stays a comment.
        if hashes > 255 {
            out.push_str(line);
            continue;
        }
        let hashes = "#".repeat(hashes);
        out.push_str(&line[..line.len() - code.len()]);
        out.push_str(attribute);
        out.push_str(&hashes);
        out.push('"');
        out.push_str(doc);
        out.push('"');
        out.push_str(&hashes);
        out.push_str("]\n");
    }
    out
}

/// How many `#` a raw string literal holding `text` needs: one more than the longest run of `#`
/// after a `"` in it, and none when it has no `"`.
fn raw_string_hashes(text: &str) -> usize {
    text.match_indices('"')
        .map(|(at, _)| text[at + 1..].bytes().take_while(|&b| b == b'#').count() + 1)
        .max()
        .unwrap_or(0)
}

/// LF endings, no trailing spaces, no runs of blank lines, exactly one final newline.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.replace("\r\n", "\n").lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The line of a parse error. Spans carry no locations without proc-macro2's `span-locations`
/// (which keeps every parsed file in memory, a cost paid on every generation), so the error is
/// found again by parsing ever longer prefixes of the text, line by line, only on this error path.
fn error_line(text: &str, error: &syn::Error) -> usize {
    let message = error.to_string();
    let lines: Vec<&str> = text.lines().collect();
    (1..=lines.len())
        .find(|&n| {
            let prefix = lines[..n].join("\n");
            matches!(syn::parse_file(&prefix), Err(e) if e.to_string() == message)
        })
        .unwrap_or(1)
}

/// The lines around `line`, numbered.
fn numbered(text: &str, line: usize) -> String {
    text.lines()
        .enumerate()
        .skip(line.saturating_sub(6))
        .take(11)
        .map(|(index, text)| format!("{:>5} | {text}\n", index + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::format;
    use crate::render::RenderedFile;

    fn file(path: &str, text: &str) -> RenderedFile {
        RenderedFile { path: path.into(), template: "test.j2", text: text.into() }
    }

    #[test]
    fn rust_is_formatted_under_a_header() {
        let out = format(&file("src/a.rs", "pub struct A{x:i32}"), "spec/x.yaml").expect("formats");
        assert_eq!(
            out,
            "// @generated by sdkwright (cargo xtask generate) from spec/x.yaml; do not edit\npub struct A {\n    x: i32,\n}\n"
        );
    }

    #[test]
    fn unparsable_rust_is_an_internal_error_naming_the_template() {
        let error = format(&file("src/a.rs", "pub struct {"), "s").expect_err("does not parse");
        let message = error.to_string();
        assert!(message.contains("generator bug in stage `format`"), "{message}");
        assert!(message.contains("test.j2"), "{message}");
        assert!(message.contains("    1 | pub struct {"), "{message}");
    }

    #[test]
    fn doc_comments_format_as_doc_comments_whatever_they_quote() {
        let text =
            "//! Crate \"docs\".\n/// Says \"#hi\"## and \\n.\n///\n//// A plain comment.\npub struct A;\n";
        let out = format(&file("src/a.rs", text), "s").expect("formats");
        assert!(
            out.ends_with("//! Crate \"docs\".\n/// Says \"#hi\"## and \\n.\n///\npub struct A;\n"),
            "{out}"
        );
        assert_eq!(super::raw_string_hashes("no quote"), 0);
        assert_eq!(super::raw_string_hashes("a \"quote\""), 1);
        assert_eq!(super::raw_string_hashes("\"## and \"#"), 3);
        // More `#` than a raw string allows: the line stays a comment, and formats the same.
        let long = format!("/// \"{}\npub struct B;\n", "#".repeat(300));
        let out = format(&file("src/b.rs", &long), "s").expect("formats");
        assert!(out.ends_with(&long), "{out}");
    }

    #[test]
    fn other_files_get_their_comment_syntax() {
        assert!(format(&file("Cargo.toml", "[package]\n"), "s").expect("ok").starts_with("# @generated"));
        assert!(format(&file("README.md", "# x\n\n\n\ny  \n"), "s").expect("ok").ends_with("# x\n\ny\n"));
    }
}
