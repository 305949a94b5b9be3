//! Spec descriptions to rustdoc lines that render and never fail a doc build.
//!
//! Input: free Markdown from the spec. Output: one string per `///` line. Code fences become
//! `text` blocks (so rustdoc never compiles spec text as a doctest), deep indentation that
//! Markdown would read as a code block is reduced, bare URLs become autolinks, and `[`, `]` and
//! `<` outside code spans are escaped unless they form a link.

/// The most of one description that reaches the docs. Longer ones (a whole manual pasted into
/// a description) are cut at a line end before this, with a note: docs are several times their
/// size by the time they are formatted, and a 50 MB description would take gigabytes.
const MAX_DOC_BYTES: usize = 1 << 20;

/// Turns a description into doc-comment lines (without the `///`).
pub fn rustdoc_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_fence = false;
    let (text, left_out) = bounded(text);
    // A lone CR (old Mac line ends) is a line end too: Rust refuses a bare CR in a doc comment.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = without_bidi_controls(&text);
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            lines.push(if in_fence { fence.to_owned() } else { format!("{fence}text") });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            lines.push(line.to_owned());
            continue;
        }
        let indent = line.len() - trimmed.len();
        let kept_indent = " ".repeat(indent.min(2));
        lines.push(format!("{kept_indent}{}", escape_prose(trimmed)));
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    if left_out > 0 {
        lines.push(String::new());
        lines.push(format!("*(The description goes on for {left_out} more bytes in the spec.)*"));
    }
    lines
}

/// The text up to [`MAX_DOC_BYTES`], cut at the last line end before it (or at a character
/// boundary when there is none), and how many bytes were left out.
fn bounded(text: &str) -> (&str, usize) {
    if text.len() <= MAX_DOC_BYTES {
        return (text, 0);
    }
    let mut end = MAX_DOC_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').unwrap_or(end);
    (&text[..end], text.len() - end)
}

/// A short text (a title, a version) as prose on part of one doc line.
pub fn one_line(text: &str) -> String {
    rustdoc_lines(text).iter().map(|line| line.trim()).collect::<Vec<_>>().join(" ")
}

/// Writes the Unicode controls that reorder text (U+202A–U+202E, U+2066–U+2069) as escapes:
/// rustc refuses them in comments (`text_direction_codepoint_in_comment`), since they can make
/// code read differently from what it does.
fn without_bidi_controls(text: &str) -> std::borrow::Cow<'_, str> {
    // Other control characters (NUL, DEL, C1) are written as escapes too: they are invisible
    // in docs and some tools refuse them.
    let escaped = |c: char| is_bidi_control(c) || (c.is_control() && c != '\n' && c != '\t');
    if !text.contains(escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escaped(c) { out.extend(c.escape_unicode()) } else { out.push(c) }
    }
    std::borrow::Cow::Owned(out)
}

pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Spec text shown verbatim inside a Markdown code span on one doc line: a backtick would end
/// the span, so it becomes `'`, and a control character (a line break in a property name or a
/// tag) is written as its escape, since it would end the comment and let the text run on as code.
pub fn code_span(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '`' => out.push('\''),
            c if c.is_control() || is_bidi_control(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// Escapes one line of prose, leaving inline code spans alone.
fn escape_prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (index, segment) in line.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        if index % 2 == 1 {
            out.push_str(segment);
        } else {
            out.push_str(&escape_text(segment));
        }
    }
    out
}

/// Escapes text outside code spans.
fn escape_text(text: &str) -> String {
    let has_link = text.contains("](");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(url_len) = bare_url_len(rest) {
            let preceded_by_link = out.ends_with('(') || out.ends_with('<');
            if preceded_by_link {
                out.push_str(&rest[..url_len]);
            } else {
                out.push('<');
                out.push_str(&rest[..url_len]);
                out.push('>');
            }
            rest = &rest[url_len..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '[' | ']' if !has_link => {
                out.push('\\');
                out.push(c);
            }
            '<' if !rest.starts_with("<http://") && !rest.starts_with("<https://") => out.push_str("&lt;"),
            '>' if !out.is_empty() && !out.ends_with(' ') && !previous_is_autolink(&out) => {
                out.push_str("&gt;")
            }
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether the text so far ends inside an autolink `<http...`.
fn previous_is_autolink(out: &str) -> bool {
    match out.rfind('<') {
        Some(start) => {
            let tail = &out[start..];
            (tail.starts_with("<http://") || tail.starts_with("<https://")) && !tail.contains('>')
        }
        None => false,
    }
}

/// The length of a URL starting at the beginning of `text`, if one does.
fn bare_url_len(text: &str) -> Option<usize> {
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ')' | '`'))
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::rustdoc_lines;

    #[test]
    fn huge_descriptions_are_cut_at_a_line_end_with_a_note() {
        let line = "é".repeat(40);
        let text = vec![line.as_str(); 20_000].join("\n");
        let lines = rustdoc_lines(&text);
        assert!(lines.len() < 20_000 && lines[lines.len() - 3] == line, "cut at a line end");
        let note = lines.last().map(String::as_str).unwrap_or_default();
        assert!(
            note.starts_with("*(The description goes on for ")
                && note.ends_with(" more bytes in the spec.)*")
        );
        assert_eq!(rustdoc_lines("short").len(), 1);
    }

    #[test]
    fn neutralizes_markdown() {
        let cases = [
            ("See https://docs.wegly.com.br.", "See <https://docs.wegly.com.br>."),
            ("Already <https://x.io> linked", "Already <https://x.io> linked"),
            ("A [link](https://x.io) here", "A [link](https://x.io) here"),
            ("values [0, 1]", "values \\[0, 1\\]"),
            ("Bearer <token> header", "Bearer &lt;token&gt; header"),
            ("code `Bearer <token>` stays", "code `Bearer <token>` stays"),
            ("a > b", "a > b"),
        ];
        for (input, expected) in cases {
            assert_eq!(rustdoc_lines(input), vec![expected.to_owned()], "{input}");
        }
    }

    #[test]
    fn fences_become_text_and_indents_shrink() {
        let input = "Example:\n```\nlet x = 1;\n```\n        deep\n";
        assert_eq!(rustdoc_lines(input), vec!["Example:", "```text", "let x = 1;", "```", "  deep"]);
        assert_eq!(rustdoc_lines("```rust\nfn main() {}"), vec!["```text", "fn main() {}", "```"]);
    }

    #[test]
    fn code_spans_stay_on_one_line_and_closed() {
        assert_eq!(super::code_span("a\nfn evil() {}\r`x`"), "a\\nfn evil() {}\\r'x'");
    }

    #[test]
    fn text_direction_controls_are_written_as_escapes() {
        assert_eq!(rustdoc_lines("a\u{202E}b\u{2066}c"), vec!["a\\u{202e}b\\u{2066}c"]);
        assert_eq!(super::code_span("x\u{202E}"), "x\\u{202e}");
    }

    #[test]
    fn every_line_end_ends_a_line() {
        assert_eq!(rustdoc_lines("one\r\ntwo\rthree\nfour"), vec!["one", "two", "three", "four"]);
    }
}
