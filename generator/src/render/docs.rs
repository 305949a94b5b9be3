//! Spec descriptions to rustdoc lines that render and never fail a doc build.
//!
//! Input: free Markdown from the spec, or HTML (Stripe writes its operations' descriptions in
//! HTML). Output: one string per `///` line. A description that reads as HTML ([`is_html`]) is
//! first converted to Markdown with `htmd`; then code fences become `text` blocks (so rustdoc
//! never compiles spec text as a doctest), deep indentation that Markdown would read as a code
//! block is reduced, bare URLs become autolinks, and `[`, `]` and `<` outside code spans are
//! escaped unless they form a link.

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The most of one description that reaches the docs. Longer ones (a whole manual pasted into
/// a description) are cut at a line end before this, with a note: docs are several times their
/// size by the time they are formatted, and a 50 MB description would take gigabytes.
const MAX_DOC_BYTES: usize = 1 << 20;

/// Turns a description into doc-comment lines (without the `///`).
pub fn rustdoc_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    // The open fence's character and length: only a run at least as long of the same character
    // closes it (a ```` fence may hold ``` lines).
    let mut fence: Option<(char, usize)> = None;
    let (text, left_out) = bounded(text);
    // A lone CR (old Mac line ends) is a line end too: Rust refuses a bare CR in a doc comment.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = if is_html(&text) { html_to_markdown(&text).unwrap_or(text) } else { text };
    let text = without_bidi_controls(&text);
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        match (fence, fence_run(trimmed)) {
            (None, Some((c, run, _))) => {
                lines.push(format!("{}text", c.to_string().repeat(run)));
                fence = Some((c, run));
                continue;
            }
            (Some((open, length)), Some((c, run, rest)))
                if c == open && run >= length && rest.trim().is_empty() =>
            {
                lines.push(open.to_string().repeat(length));
                fence = None;
                continue;
            }
            _ => {}
        }
        if fence.is_some() {
            lines.push(line.to_owned());
            continue;
        }
        let indent = line.len() - trimmed.len();
        let kept_indent = " ".repeat(indent.min(2));
        lines.push(format!("{kept_indent}{}", escape_prose(trimmed)));
    }
    if let Some((open, length)) = fence {
        lines.push(open.to_string().repeat(length));
    }
    if left_out > 0 {
        lines.push(String::new());
        lines.push(format!("*(The description goes on for {left_out} more bytes in the spec.)*"));
    }
    lines
}

/// The fence a line starts with (three or more backticks or tildes): its character, its length
/// and the rest of the line (a fence's info string, which the docs replace by `text`).
fn fence_run(line: &str) -> Option<(char, usize, &str)> {
    let c = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let run = line.bytes().take_while(|&b| char::from(b) == c).count();
    (run >= 3).then(|| (c, run, &line[run..]))
}

/// HTML elements whose tags mark a description as HTML. Block elements say that the text's line
/// breaks are not Markdown's, so a description of several lines is only HTML with one of them.
const HTML_BLOCK_TAGS: &[&str] = &[
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Inline HTML elements that mark a one-line description as HTML.
const HTML_INLINE_TAGS: &[&str] =
    &["a", "b", "code", "em", "i", "kbd", "small", "span", "strong", "sub", "sup", "tt", "u"];

/// How deep tags may nest in a description that is converted from HTML: the converter walks
/// the tree recursively, so a deeper one (hostile, or broken) stays text.
const MAX_HTML_DEPTH: usize = 64;

/// Whether a description is HTML, judged conservatively so that Markdown with a stray `<`
/// (`Bearer <token>`, `a < b`, `<api_key>`) is left alone: some element of HTML's text
/// vocabulary is both opened and closed (or is a `<br>`/`<hr>`), and the text either is one
/// line or uses a block element. Tags nested deeper than [`MAX_HTML_DEPTH`] make it text.
pub(crate) fn is_html(text: &str) -> bool {
    if !text.contains("</") && !text.contains("<br") && !text.contains("<BR") {
        return false;
    }
    // Sets of the known elements: at most as many as there are, whatever the text's length.
    let mut opened: BTreeSet<&str> = BTreeSet::new();
    let mut closed: BTreeSet<&str> = BTreeSet::new();
    let (mut depth, mut deepest) = (0usize, 0usize);
    // Tags in Markdown code spans (`` `<p>` ``) are text about HTML, not HTML.
    let outside_code = without_code_spans(text);
    let mut rest = outside_code.as_str();
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let (closing, name_start) = match rest.strip_prefix('/') {
            Some(after) => (true, after),
            None => (false, rest),
        };
        let name_len = name_start.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let after = name_start.as_bytes().get(name_len);
        if name_len == 0 || !matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'/')) {
            continue;
        }
        let name = name_start[..name_len].to_ascii_lowercase();
        let Some(known) = HTML_BLOCK_TAGS.iter().chain(HTML_INLINE_TAGS).find(|tag| **tag == name) else {
            continue;
        };
        let void = matches!(*known, "br" | "hr");
        // A paragraph, list item or table cell left open is closed by the next one: it nests
        // nothing, so it does not count towards the depth.
        let self_closing = matches!(*known, "p" | "li" | "dd" | "dt" | "tr" | "td" | "th");
        match (closing, void) {
            // A void element is whole as it is.
            (_, true) => {
                closed.insert(known);
            }
            (true, false) => {
                closed.insert(known);
                if !self_closing {
                    depth = depth.saturating_sub(1);
                }
            }
            (false, false) if !self_closing => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, false) => {}
        }
        if !closing {
            opened.insert(known);
        }
    }
    let paired = opened.iter().any(|tag| closed.contains(tag));
    let block = opened.iter().chain(&closed).any(|tag| HTML_BLOCK_TAGS.contains(tag));
    paired && deepest <= MAX_HTML_DEPTH && (block || !text.trim().contains('\n'))
}

/// The text without what is between backticks on a line.
fn without_code_spans(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => in_code = !in_code,
            '\n' => {
                in_code = false;
                out.push(c);
            }
            c if !in_code => out.push(c),
            _ => {}
        }
    }
    out
}

/// An HTML description as Markdown, or `None` when the converter fails. Links to relative
/// addresses (`/docs/connect`, which only mean something on the API's own site) keep their text
/// and lose the link; so do links that are not `http(s):` or `mailto:` (`javascript:`).
/// Images at relative addresses become their `alt` text.
fn html_to_markdown(html: &str) -> Option<String> {
    static CONVERTER: OnceLock<htmd::HtmlToMarkdown> = OnceLock::new();
    let converter = CONVERTER.get_or_init(|| {
        let options = htmd::options::Options {
            br_style: htmd::options::BrStyle::Backslash,
            bullet_list_marker: htmd::options::BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..htmd::options::Options::default()
        };
        htmd::HtmlToMarkdown::builder()
            .options(options)
            .skip_tags(vec!["script", "style", "head"])
            .add_handler(
                vec!["a"],
                |handlers: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
                    if has_absolute(&element, "href") {
                        handlers.fallback(element)
                    } else {
                        Some(handlers.walk_children(element.node))
                    }
                },
            )
            // An image at a relative address leaves its `alt` text.
            .add_handler(
                vec!["img"],
                |handlers: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
                    if has_absolute(&element, "src") {
                        return handlers.fallback(element);
                    }
                    let alt = element.attrs.iter().find(|attr| &*attr.name.local == "alt");
                    Some(alt.map(|attr| attr.value.to_string()).unwrap_or_default().into())
                },
            )
            .build()
    });
    converter.convert(html).ok()
}

/// Whether an element's `attribute` is an absolute `http(s):` or `mailto:` address.
fn has_absolute(element: &htmd::Element, attribute: &str) -> bool {
    element.attrs.iter().any(|attr| {
        &*attr.name.local == attribute
            && ["http://", "https://", "mailto:"].iter().any(|scheme| attr.value.starts_with(scheme))
    })
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

/// Escapes one line of prose, leaving inline code spans alone. A backslash escape (`\``, `\[`,
/// as the HTML converter writes them) is already literal text: it is kept, and an escaped
/// backtick opens no code span. A code span left open at the line's end is text.
fn escape_prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let bytes = line.as_bytes();
    let (mut in_code, mut start, mut index) = (false, 0, 0);
    while index < bytes.len() {
        match bytes[index] {
            b'\\' if !in_code && bytes.get(index + 1).is_some_and(u8::is_ascii_punctuation) => index += 2,
            b'`' => {
                let segment = &line[start..index];
                if in_code {
                    out.push_str(segment)
                } else {
                    out.push_str(&escape_text(segment))
                }
                out.push('`');
                in_code = !in_code;
                index += 1;
                start = index;
            }
            _ => index += 1,
        }
    }
    out.push_str(&escape_text(&line[start..]));
    out
}

/// Escapes text outside code spans.
fn escape_text(text: &str) -> String {
    let has_link = text.contains("](");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(url_len) = bare_url_len(rest) {
            // A link's destination, an autolink already, or a link's text (`[https://x.io](…)`).
            let preceded_by_link =
                out.ends_with('(') || out.ends_with('<') || (has_link && out.ends_with('['));
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
        if let [b'\\', next, ..] = rest.as_bytes() {
            if next.is_ascii_punctuation() {
                out.push_str(&rest[..2]);
                rest = &rest[2..];
                continue;
            }
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
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ')' | '`' | '[' | ']'))
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
            ("[http://swagger.io](http://swagger.io)", "[http://swagger.io](http://swagger.io)"),
            (
                "[https://a.io/x](https://a.io/x), https://b.io",
                "[https://a.io/x](https://a.io/x), <https://b.io>",
            ),
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
    fn html_becomes_markdown() {
        let cases: &[(&str, &[&str])] = &[
            ("<p>Retrieves a Customer object.</p>", &["Retrieves a Customer object."]),
            (
                "<p>With <a href=\"/docs/connect\">Connect</a>,\nsee <a href=\"https://x.io/a\">this</a>.</p>\n\n<p><code>a &lt; b</code> [1]</p><ul><li>one</li><li><strong>two</strong></li></ul>",
                &[
                    "With Connect, see [this](https://x.io/a).",
                    "",
                    "`a < b` \\[1\\]",
                    "",
                    "- one",
                    "- **two**",
                ],
            ),
            ("One of <b>plain</b> or <i>rich</i>.", &["One of **plain** or *rich*."]),
            ("<p>x &lt;script&gt; y</p>", &["x \\<script&gt; y"]),
            ("<pre><code>fn main() {}</code></pre>", &["```text", "fn main() {}", "```"]),
            ("<p>a</p><p><a href=\"javascript:alert(1)\">b</a></p>", &["a", "", "b"]),
            (
                "<p><img src=\"/a.png\" alt=\"A map\"> <img src=\"https://x.io/b.png\" alt=\"b\"></p>",
                &["A map ![b](https://x.io/b.png)"],
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(rustdoc_lines(input), *expected, "{input}");
        }
    }

    #[test]
    fn html_is_detected_conservatively() {
        let html =
            ["<p>x</p>", "a <code>b</code> c", "line<br>break", "<p>one\ntwo</p>", "<UL><LI>x</LI></UL>"];
        for text in html {
            assert!(super::is_html(text), "{text}");
        }
        let markdown = [
            "Bearer <token>",
            "a < b and c > d",
            "Basic <api_key> | <currency>",
            "Markdown `<p>` in code",
            "Use `<p>` and `</p>` tags.",
            "<p>opened, never closed",
            "<p>opened, another </b> closed",
            "line one with <b>bold</b>\nline two",
            "<a>",
        ];
        for text in markdown {
            assert!(!super::is_html(text), "{text}");
        }
        // Markdown lines with an inline tag stay Markdown: their line breaks are Markdown's.
        assert_eq!(rustdoc_lines("- one <b>x</b>\n- two"), vec!["- one &lt;b&gt;x&lt;/b&gt;", "- two"]);
    }

    #[test]
    fn deeply_nested_html_stays_text() {
        let deep = format!("{}x{}", "<div>".repeat(100), "</div>".repeat(100));
        assert!(!super::is_html(&deep));
        // Items and paragraphs left open do not nest.
        assert!(super::is_html(&format!("<ul>{}</ul>", "<li>x".repeat(100))));
        let lines = rustdoc_lines(&deep);
        assert!(lines[0].starts_with("&lt;div&gt;"), "{lines:?}");
        let shallow = format!("{}x{}", "<div>".repeat(10), "</div>".repeat(10));
        assert_eq!(rustdoc_lines(&shallow), vec!["x"]);
    }

    #[test]
    fn escapes_are_kept_and_open_no_code_span() {
        assert_eq!(rustdoc_lines("a \\` b <c>"), vec!["a \\` b &lt;c&gt;"]);
        assert_eq!(rustdoc_lines("an open ` span <c>"), vec!["an open ` span &lt;c&gt;"]);
        assert_eq!(rustdoc_lines("\\[not a link\\]"), vec!["\\[not a link\\]"]);
    }

    #[test]
    fn fences_become_text_and_indents_shrink() {
        let input = "Example:\n```\nlet x = 1;\n```\n        deep\n";
        assert_eq!(rustdoc_lines(input), vec!["Example:", "```text", "let x = 1;", "```", "  deep"]);
        assert_eq!(rustdoc_lines("```rust\nfn main() {}"), vec!["```text", "fn main() {}", "```"]);
    }

    #[test]
    fn longer_fences_hold_shorter_ones() {
        let input = "````md\n```rust\nfn doctest() {}\n```\n````\nafter\n~~~\nx";
        let expected =
            ["````text", "```rust", "fn doctest() {}", "```", "````", "after", "~~~text", "x", "~~~"];
        assert_eq!(rustdoc_lines(input), expected);
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
