//! Rust identifiers from spec names: casing, keywords, leading digits and collisions.
//!
//! Input: any string the spec uses as a name (schema keys, property names, enum values,
//! operationIds, tags). Output: a valid Rust identifier of the requested kind. The rules are
//! prost's: keywords become raw identifiers, the few words that cannot be raw get a `_` suffix,
//! and non-identifier characters are word breaks. Every name the IR holds comes from here.

use std::collections::BTreeMap;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use sha2::{Digest, Sha256};

/// Strict and reserved keywords of Rust 2024 (`gen` included).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "extern", "_"];

/// How long a package name cargo and crates.io accept may be.
const MAX_CRATE_NAME: usize = 64;

/// Package names cargo refuses besides keywords (the built-in libraries) and names Windows
/// reserves for devices, which cannot be file or folder names there.
const RESERVED_CRATE_NAMES: &[&str] = &[
    "test",
    "std",
    "core",
    "alloc",
    "proc_macro",
    "proc-macro",
    "con",
    "prn",
    "aux",
    "nul",
    "com1",
    "com2",
    "com3",
    "com4",
    "com5",
    "com6",
    "com7",
    "com8",
    "com9",
    "lpt1",
    "lpt2",
    "lpt3",
    "lpt4",
    "lpt5",
    "lpt6",
    "lpt7",
    "lpt8",
    "lpt9",
];

/// Why `name` is not a package name cargo accepts, or `None` when it is one: ASCII letters,
/// digits, `-` and `_`, starting with a letter, at most 64 characters, not a Rust keyword nor
/// a reserved name.
pub fn crate_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_owned());
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        let bad = bad.escape_debug();
        return Some(format!("it contains `{bad}`; only ASCII letters, digits, `-` and `_` are allowed"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some("it must start with an ASCII letter".to_owned());
    }
    if name.len() > MAX_CRATE_NAME {
        return Some(format!("it is {} characters long; at most {MAX_CRATE_NAME} are allowed", name.len()));
    }
    let lower = name.to_ascii_lowercase();
    if KEYWORDS.contains(&name) || NOT_RAW.contains(&name) {
        return Some("it is a Rust keyword".to_owned());
    }
    if RESERVED_CRATE_NAMES.contains(&lower.as_str()) {
        return Some("it is reserved (a built-in library or a Windows device name)".to_owned());
    }
    None
}

/// The casing a name is converted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `UpperCamelCase`: types and enum variants.
    Type,
    /// `snake_case`: fields, parameters, methods and modules.
    Snake,
    /// `SHOUTY_SNAKE_CASE`: constants.
    Const,
}

/// Replaces every character that cannot be part of an ASCII identifier by a word break, and
/// splits camel humps that heck would otherwise keep together after digits.
fn words(raw: &str) -> String {
    // A leading sign carries meaning (`+1` and `-1` are GitHub's reaction names): keep it as a word.
    let (sign, rest) = match raw.as_bytes() {
        [b'+', ..] => ("plus ", &raw[1..]),
        [b'-', next, ..] if next.is_ascii_digit() => ("minus ", &raw[1..]),
        _ => ("", raw),
    };
    let plain: String = rest.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    format!("{sign}{plain}")
}

/// Converts `raw` to the given case, or returns `None` when nothing of it is usable
/// (the caller then supplies a context-derived name).
fn cased(raw: &str, case: Case) -> Option<String> {
    let plain = words(raw);
    let converted = match case {
        Case::Type => plain.to_upper_camel_case(),
        Case::Snake => plain.to_snake_case(),
        Case::Const => plain.to_shouty_snake_case(),
    };
    (!converted.is_empty()).then_some(converted)
}

/// Makes a converted name a valid identifier: a leading digit gets a prefix, keywords become raw
/// or get a `_` suffix.
fn legal(name: String, case: Case) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return match case {
            Case::Type => format!("V{name}"),
            Case::Snake | Case::Const => format!("_{name}"),
        };
    }
    if NOT_RAW.contains(&name.as_str()) {
        return format!("{name}_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("r#{name}");
    }
    name
}

/// The Rust identifier for `raw` in `case`, or `fallback` (converted the same way) when `raw`
/// has no usable characters.
pub fn ident(raw: &str, case: Case, fallback: &str) -> String {
    let name = cased(raw, case).or_else(|| cased(fallback, case)).unwrap_or_else(|| match case {
        Case::Type => "Unnamed".to_owned(),
        Case::Snake => "unnamed".to_owned(),
        Case::Const => "UNNAMED".to_owned(),
    });
    legal(name, case)
}

/// A type or variant name.
pub fn type_name(raw: &str, fallback: &str) -> String {
    ident(raw, Case::Type, fallback)
}

/// A field, parameter, method or module name.
pub fn snake_name(raw: &str, fallback: &str) -> String {
    ident(raw, Case::Snake, fallback)
}

/// The longest module name, in bytes: file names stay far below every file system's limit.
pub const MAX_MODULE: usize = 64;

/// A file stem for a module: like [`snake_name`], but never a raw identifier, so it can be both
/// a file name and a `mod` name. It is also a portable file name: never a Windows device name
/// (`con` becomes `con_`), and at most [`MAX_MODULE`] bytes (a longer name keeps its start and
/// gains the first 8 hex digits of the SHA-256 of the whole name, so it is stable and distinct).
/// Snake-case names are lower-case ASCII, so two module names never differ only in case.
pub fn module_name(raw: &str) -> String {
    let name = ident(raw, Case::Snake, "module");
    let name = match name.strip_prefix("r#") {
        Some(bare) => format!("{bare}_"),
        None => name,
    };
    let name = if is_device_name(&name) { format!("{name}_") } else { name };
    if name.len() <= MAX_MODULE {
        return name;
    }
    let digest = Sha256::digest(name.as_bytes());
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    // Snake-case names are ASCII, so any byte index is a char boundary.
    let keep = name.get(..MAX_MODULE - hash.len() - 1).unwrap_or_default().trim_end_matches('_');
    format!("{keep}_{hash}")
}

/// Whether `stem` (a file name up to its first dot) is a name Windows reserves for a device, in
/// any case: `con`, `prn`, `aux`, `nul`, `com0`-`com9`, `lpt0`-`lpt9` (with the superscript
/// digits Windows also reserves), `conin$` and `conout$`. Trailing spaces count as absent.
pub fn is_device_name(stem: &str) -> bool {
    let stem = stem.trim_end_matches(' ').to_ascii_lowercase();
    match stem.as_str() {
        "con" | "prn" | "aux" | "nul" | "conin$" | "conout$" => true,
        _ => {
            let (Some(prefix), Some(digit)) = (stem.get(..3), stem.get(3..)) else { return false };
            matches!(prefix, "com" | "lpt")
                && (matches!(digit.as_bytes(), [b'0'..=b'9'])
                    || matches!(digit, "\u{b9}" | "\u{b2}" | "\u{b3}"))
        }
    }
}

/// The identifier without a leading `r#`: what serde uses as the default wire name.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// One name to make unique within a scope.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The spec's own name, which orders the candidates that collide.
    pub wire: String,
    /// The Rust name before collisions are resolved.
    pub rust: String,
}

/// A name that had to change because another candidate took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// Index of the renamed candidate in the input.
    pub index: usize,
    /// The name it wanted.
    pub wanted: String,
    /// The wire name of the candidate that kept `wanted`.
    pub kept_by: String,
}

/// Makes names unique within one scope. Colliding candidates are ordered by wire name (then by
/// position); the first keeps its name, the others get the smallest free numeric suffix (`2`,
/// `3`, ...), written `_2` for snake-case names. `taken` names are never handed out. Returns the
/// final names, index-aligned with `candidates`, and the renames that happened.
pub fn dedupe(candidates: &[Candidate], taken: &[&str], case: Case) -> (Vec<String>, Vec<Renamed>) {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| (candidates[a].wire.as_str(), a).cmp(&(candidates[b].wire.as_str(), b)));
    // BTreeMap: the map from a used name to its owner is only probed, never iterated into output.
    let mut used: BTreeMap<String, String> =
        taken.iter().map(|name| (unraw(name).to_owned(), String::new())).collect();
    // The next suffix to try for each wanted name: the ones below it are taken already, and
    // names are only ever added, so many candidates wanting one name cost linear time.
    let mut next_suffix: BTreeMap<String, usize> = BTreeMap::new();
    let mut result = vec![String::new(); candidates.len()];
    let mut renamed = Vec::new();
    for index in order {
        let wanted = &candidates[index].rust;
        let mut name = wanted.clone();
        let counter = next_suffix.entry(unraw(wanted).to_owned()).or_insert(2);
        while used.contains_key(unraw(&name)) {
            let base = unraw(wanted);
            name = match case {
                Case::Type => format!("{base}{counter}"),
                Case::Snake | Case::Const => format!("{base}_{counter}"),
            };
            *counter += 1;
        }
        if &name != wanted {
            let kept_by = used.get(unraw(wanted)).cloned().unwrap_or_default();
            renamed.push(Renamed { index, wanted: wanted.clone(), kept_by });
        }
        used.insert(unraw(&name).to_owned(), candidates[index].wire.clone());
        result[index] = name;
    }
    renamed.sort_by_key(|r| r.index);
    (result, renamed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_table() {
        let cases = [
            ("userId", Case::Snake, "user_id"),
            ("user-id", Case::Snake, "user_id"),
            ("Content-Type", Case::Snake, "content_type"),
            ("type", Case::Snake, "r#type"),
            ("gen", Case::Snake, "r#gen"),
            ("self", Case::Snake, "self_"),
            ("crate", Case::Snake, "crate_"),
            ("super", Case::Snake, "super_"),
            ("123abc", Case::Snake, "_123abc"),
            ("chat_detail", Case::Type, "ChatDetail"),
            ("OPEN", Case::Type, "Open"),
            ("processing", Case::Type, "Processing"),
            ("Self", Case::Type, "Self_"),
            ("2fa", Case::Type, "V2fa"),
            ("a.b/c", Case::Type, "ABC"),
            ("ação", Case::Snake, "a_o"),
            ("max-retries", Case::Const, "MAX_RETRIES"),
            ("+1", Case::Snake, "plus_1"),
            ("-1", Case::Snake, "minus_1"),
            ("+1", Case::Type, "Plus1"),
            ("reactions-+1", Case::Snake, "reactions_1"),
            ("-x", Case::Snake, "x"),
        ];
        for (raw, case, expected) in cases {
            assert_eq!(ident(raw, case, "fallback"), expected, "{raw} as {case:?}");
        }
    }

    #[test]
    fn every_keyword_is_made_legal() {
        for keyword in KEYWORDS {
            let name = snake_name(keyword, "x");
            assert!(name.starts_with("r#") || name.ends_with('_'), "{keyword} -> {name}");
            assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{name} is not an identifier");
        }
    }

    #[test]
    fn empty_names_use_the_fallback() {
        assert_eq!(type_name("", "ChatStatus"), "ChatStatus");
        assert_eq!(snake_name("---", "param"), "param");
        assert_eq!(type_name("", ""), "Unnamed");
    }

    #[test]
    fn module_names_are_portable_file_names() {
        for device in ["Con", "AUX", "nul", "Com1", "lpt9", "prn"] {
            let name = module_name(device);
            assert!(!is_device_name(&name), "{device} gives {name}");
            assert_eq!(name, format!("{}_", device.to_ascii_lowercase()));
        }
        assert_eq!(module_name("console"), "console");
        assert!(is_device_name("COM\u{b9}") && is_device_name("nul ") && !is_device_name("com10"));
        let long = "very long name ".repeat(20);
        let name = module_name(&long);
        assert!(name.len() <= MAX_MODULE, "{name}");
        assert_eq!(name, module_name(&long), "stable");
        assert_ne!(name, module_name(&format!("{long} other")), "distinct");
        assert!(name.starts_with("very_long_name_very"), "{name}");
    }

    #[test]
    fn module_names_are_never_raw() {
        assert_eq!(module_name("type"), "type_");
        assert_eq!(module_name("Mod"), "mod_");
        assert_eq!(module_name("ChatDetail"), "chat_detail");
    }

    #[test]
    fn dedupe_orders_by_wire_name_and_skips_taken() {
        let candidates = vec![
            Candidate { wire: "user_id".into(), rust: "user_id".into() },
            Candidate { wire: "userId".into(), rust: "user_id".into() },
            Candidate { wire: "user-id".into(), rust: "user_id".into() },
            Candidate { wire: "client".into(), rust: "client".into() },
        ];
        let (names, renamed) = dedupe(&candidates, &["client"], Case::Snake);
        // "user-id" < "userId" < "user_id" in byte order.
        assert_eq!(names, vec!["user_id_3", "user_id_2", "user_id", "client_2"]);
        assert_eq!(renamed.len(), 3);
        assert_eq!(renamed[0].kept_by, "user-id");
    }
}
