//! Stage 1, first step: spec text to a JSON tree, parsed once and defensively.
//!
//! Input: the text of one document (the root spec or a file a `$ref` names) and its file name
//! (YAML unless it ends in `.json`). Output: a `serde_json::Value` plus warnings, or one error.
//!
//! - A leading byte-order mark is skipped.
//! - Nesting deeper than [`MAX_DEPTH`] is refused with where it happens. For YAML a linear
//!   scan of flow collections (`[`, `{`) runs first: the YAML scanner's cost grows with the
//!   square of the flow depth, so it must not even see a deeply nested document.
//! - The tree is built by a counting visitor: a document whose expanded size (nodes and string
//!   bytes, after YAML aliases are expanded) exceeds a budget relative to its source size is
//!   refused, so that an alias bomb fails fast instead of exhausting memory.
//! - A key repeated in one mapping is reported as a warning with the mapping's pointer; the
//!   last value wins, as before.

use std::fmt;

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer::JsonPointer;

/// The deepest nesting read: the limit both parsers (serde_json, yaml_serde) enforce.
pub const MAX_DEPTH: usize = 128;

/// Flow collections nested deeper than this are refused before the YAML parser runs. Above
/// [`MAX_DEPTH`], so that the scan never refuses what the parser would read.
const MAX_FLOW_DEPTH: usize = 2 * MAX_DEPTH;

/// Nodes (values and keys) a document may expand to per source byte. A document without
/// aliases has at most one node per two source bytes (real specs: one per ten or more).
const NODES_PER_BYTE: usize = 4;

/// Nodes any document may have, however small its source.
const NODE_FLOOR: usize = 100_000;

/// Nodes no document may exceed, however large its source, so that the tree stays well under a
/// gigabyte. GitHub's REST spec, the largest real one we know, has about one million.
const NODE_CEILING: usize = 8_000_000;

/// String bytes a document may expand to beyond twice its source size. A document without
/// aliases has at most as many string bytes as source bytes.
const BYTE_ALLOWANCE: usize = 16 << 20;

/// The marker a budget error carries through the parser; replaced by a real message.
const BUDGET_EXCEEDED: &str = concat!(env!("CARGO_PKG_NAME"), ": expansion budget exceeded");

/// Parses `text` (YAML, or JSON when `file_name` ends in `.json`) into a JSON tree that is an
/// object, with the warnings parsing found (duplicate keys).
pub fn parse(text: &str, file_name: &str) -> Result<(Value, Diagnostics), Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json = file_name.ends_with(".json");
    let refuse = |message: String| Diagnostic::error(JsonPointer::root(), message);
    if !json {
        if let Some((line, column)) = deep_flow(text, MAX_FLOW_DEPTH) {
            return Err(refuse(format!(
                "{file_name} is nested deeper than {MAX_DEPTH} levels (flow collections at line {line}, \
                 column {column}); refusing to parse it"
            )));
        }
    }
    let mut builder = Builder::new(text.len());
    let parsed = if json {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        Node(&mut builder)
            .deserialize(&mut deserializer)
            .and_then(|value| deserializer.end().map(|()| value))
            .map_err(|e| e.to_string())
    } else {
        Node(&mut builder).deserialize(yaml_serde::Deserializer::from_str(text)).map_err(|e| e.to_string())
    };
    let value = match parsed {
        Ok(value) => value,
        Err(_) if builder.exceeded => {
            return Err(refuse(format!(
                "{file_name} expands to more than {} nodes or {} bytes of strings (the source is {} \
                 bytes); refusing it as an alias bomb or a document too large to generate from",
                builder.max_nodes,
                builder.max_bytes,
                text.len()
            )));
        }
        Err(message) => {
            let message = match message.split_once("recursion limit exceeded") {
                Some((_, place)) => format!("is nested deeper than {MAX_DEPTH} levels{place}"),
                None => format!("is not valid YAML or JSON: {message}"),
            };
            return Err(refuse(format!("{file_name} {message}")));
        }
    };
    if !value.is_object() {
        return Err(refuse("the document is not an object".to_owned()));
    }
    let mut warnings = Diagnostics::default();
    for (pointer, key) in builder.duplicates {
        warnings.push(Diagnostic::warning(pointer, format!("duplicate key `{key}`; the last one is used")));
    }
    Ok((value, warnings))
}

/// One step of the path from the root to the node being built.
enum Token {
    Key(String),
    Index(usize),
}

/// What the tree-building visitor keeps between nodes.
struct Builder {
    nodes: usize,
    bytes: usize,
    max_nodes: usize,
    max_bytes: usize,
    exceeded: bool,
    path: Vec<Token>,
    /// Each repeated key, with the pointer of its mapping.
    duplicates: Vec<(JsonPointer, String)>,
}

impl Builder {
    fn new(source_len: usize) -> Self {
        Self {
            nodes: 0,
            bytes: 0,
            max_nodes: NODE_FLOOR.max(source_len.saturating_mul(NODES_PER_BYTE)).min(NODE_CEILING),
            max_bytes: BYTE_ALLOWANCE.saturating_add(source_len.saturating_mul(2)),
            exceeded: false,
            path: Vec::new(),
            duplicates: Vec::new(),
        }
    }

    /// Counts one node holding `bytes` bytes of string.
    fn count<E: serde::de::Error>(&mut self, bytes: usize) -> Result<(), E> {
        self.nodes += 1;
        self.bytes = self.bytes.saturating_add(bytes);
        if self.nodes > self.max_nodes || self.bytes > self.max_bytes {
            self.exceeded = true;
            return Err(E::custom(BUDGET_EXCEEDED));
        }
        Ok(())
    }

    fn pointer(&self) -> JsonPointer {
        self.path.iter().fold(JsonPointer::root(), |pointer, token| match token {
            Token::Key(key) => pointer.push(key),
            Token::Index(index) => pointer.push(index.to_string()),
        })
    }
}

/// Builds one value (as `serde_json::Value`'s own visitor does), counting it.
struct Node<'a>(&'a mut Builder);

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any value")
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Value, E> {
        self.0.count(0)?;
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Value, E> {
        self.0.count(0)?;
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Value, E> {
        self.0.count(0)?;
        Ok(Value::Number(value.into()))
    }

    fn visit_i128<E: serde::de::Error>(self, value: i128) -> Result<Value, E> {
        self.0.count(0)?;
        serde::Deserialize::deserialize(serde::de::value::I128Deserializer::<E>::new(value))
            .map(Value::Number)
    }

    fn visit_u128<E: serde::de::Error>(self, value: u128) -> Result<Value, E> {
        self.0.count(0)?;
        serde::Deserialize::deserialize(serde::de::value::U128Deserializer::<E>::new(value))
            .map(Value::Number)
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Value, E> {
        self.0.count(0)?;
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Value, E> {
        self.0.count(value.len())?;
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Value, E> {
        self.0.count(value.len())?;
        Ok(Value::String(value))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.0.count(0)?;
        Ok(Value::Null)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.0.count(0)?;
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.count(0)?;
        let mut items = Vec::new();
        loop {
            self.0.path.push(Token::Index(items.len()));
            let item = seq.next_element_seed(Node(&mut *self.0));
            self.0.path.pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.count(0)?;
        let mut entries = Map::new();
        while let Some(key) = map.next_key_seed(Key)? {
            self.0.count(key.len())?;
            self.0.path.push(Token::Key(key));
            let value = map.next_value_seed(Node(&mut *self.0));
            let Some(Token::Key(key)) = self.0.path.pop() else {
                return Err(A::Error::custom("generator bug: the tree path lost a key"));
            };
            let value = value?;
            if entries.contains_key(&key) {
                let pointer = self.0.pointer();
                self.0.duplicates.push((pointer, key.clone()));
            }
            entries.insert(key, value);
        }
        Ok(Value::Object(entries))
    }
}

/// A mapping key, read as a string the way `serde_json::Value` reads one (so YAML's `200:`
/// is `"200"`).
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = String;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Key {
    type Value = String;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string key")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<String, E> {
        Ok(value)
    }
}

/// Where flow collections (`[`, `{`) in YAML text first nest deeper than `limit`, as a 1-based
/// line and column; `None` when they never do. A linear scan that skips quoted scalars,
/// comments and block scalars; it may over-count only in malformed documents.
fn deep_flow(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    // The indentation of the line that opened a block scalar, while inside one.
    let mut block_scalar: Option<usize> = None;
    for (index, line) in text.split('\n').enumerate() {
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        if let Some(parent) = block_scalar {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let bytes = line.as_bytes();
        let mut previous: Option<u8> = None;
        let mut significant: Option<u8> = None;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if let Some(open) = quote {
                if open == b'"' && b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == open {
                    if open == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    quote = None;
                }
                previous = Some(b);
                significant = Some(b);
                i += 1;
                continue;
            }
            let after_space = previous.is_none_or(|p| p == b' ' || p == b'\t');
            let value_start = matches!(significant, None | Some(b':' | b'-' | b'?'));
            match b {
                b'#' if after_space => break,
                // A quote opens a quoted scalar only where a scalar starts; inside a plain
                // scalar (`a: x 'y`) it is an ordinary character.
                b'"' | b'\''
                    if matches!(significant, None | Some(b':' | b'-' | b'?' | b'[' | b'{' | b','))
                        && (after_space || matches!(previous, Some(b'[' | b'{' | b',' | b':'))) =>
                {
                    quote = Some(b);
                }
                b'[' | b'{' if depth > 0 || value_start => {
                    depth += 1;
                    if depth > limit {
                        return Some((index + 1, line[..i].chars().count() + 1));
                    }
                }
                b']' | b'}' if depth > 0 => depth -= 1,
                b'|' | b'>' if depth == 0 && after_space && value_start => {
                    let header = line[i + 1..].split(" #").next().unwrap_or("");
                    if header.trim_end().bytes().all(|c| matches!(c, b'-' | b'+' | b'1'..=b'9')) {
                        block_scalar = Some(indent);
                        break;
                    }
                }
                _ => {}
            }
            if b != b' ' && b != b'\t' {
                significant = Some(b);
            }
            previous = Some(b);
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{deep_flow, parse};

    #[test]
    fn the_flow_scan_skips_quotes_comments_and_block_scalars() {
        let deep = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
        assert_eq!(deep_flow(&deep, 256), Some((1, 260)));
        let hidden = format!(
            "a: '{0}'\nb: \"{0}\"\nc: x {0}\n# {0}\nd: |\n  {0}\n  more\ne: [it's, {{k: v}}]\n",
            "[".repeat(300)
        );
        assert_eq!(deep_flow(&hidden, 256), None);
        // A quote inside a plain scalar opens nothing: the nesting after it is still seen.
        let bypass = format!("a: x '\nb: {}\n", "[".repeat(300));
        assert_eq!(deep_flow(&bypass, 256), Some((2, 260)));
    }

    #[test]
    fn keys_read_like_serde_json_value() {
        let (value, warnings) = parse("a: {200: x, true: y, 1.5: z}\n", "spec.yaml").expect("parses");
        assert_eq!(value, serde_json::json!({"a": {"200": "x", "true": "y", "1.5": "z"}}));
        assert!(warnings.is_empty());
    }

    #[test]
    fn duplicates_and_budget() {
        let (_, warnings) = parse("a: {x/y: 1, x/y: 2}\n", "spec.yaml").expect("parses");
        assert_eq!(warnings.to_string(), "warning: #/a: duplicate key `x/y`; the last one is used\n");
        let (value, _) = parse("\u{feff}{\"a\": [1, 2]}", "spec.json").expect("parses");
        assert_eq!(value, serde_json::json!({"a": [1, 2]}));
    }
}
