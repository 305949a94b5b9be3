//! Escaping for the places generated text ends up in, one function per target, so that no
//! value from the spec or the caller (a title, the spec's label, a crate name) can end the
//! string or comment it is written into, or break the file's syntax.
//!
//! - a Rust string literal: [`crate::render::rust::string_literal`] (the compiler's escaping);
//! - Markdown prose and code spans (rustdoc and the README): [`crate::render::docs`];
//! - a TOML basic string: [`toml_string`];
//! - the text of a one-line comment (the generated-file header, in `//`, `#` or `<!-- -->`):
//!   [`comment_text`].

/// A TOML basic string, quotes included: `"` and `\` escaped, and every control character
/// (TOML allows none but tab raw, DEL and C1 included) written as `\uXXXX`.
pub fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text that stays inside a one-line comment of any of the three syntaxes: control characters
/// (a line break would end a `//` comment and let the rest run as code) and the Unicode
/// controls that reorder text (rustc refuses them in comments) are written as escapes, and `>`
/// as `&gt;`, so that `-->` cannot close an HTML comment.
pub fn comment_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '>' => out.push_str("&gt;"),
            c if c.is_control() || crate::render::docs::is_bidi_control(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// Text on one line with its control characters (line breaks, NUL) as spaces, for short
/// values shown as they are, such as a title in a package description.
pub fn one_line_plain(value: &str) -> String {
    let spaced: String = value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::{comment_text, one_line_plain, toml_string};

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_every_control() {
        assert_eq!(toml_string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(toml_string("x\ny\0z\u{7f}\u{85}"), r#""x\ny\u0000z\u007F\u0085""#);
    }

    #[test]
    fn comments_cannot_be_ended_or_reordered() {
        assert_eq!(comment_text("spec.yaml\npub fn evil() {}"), "spec.yaml\\npub fn evil() {}");
        assert_eq!(comment_text("a --> b\u{202e}"), "a --&gt; b\\u{202e}");
        assert_eq!(comment_text("spec/wegly.yaml"), "spec/wegly.yaml");
    }

    #[test]
    fn plain_lines_lose_controls() {
        assert_eq!(one_line_plain("  My\0API\n\ttitle "), "My API title");
    }
}
