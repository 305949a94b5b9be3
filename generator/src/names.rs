//! Rust identifiers from spec names: casing, keywords, leading digits and collisions.
//!
//! Input: any string the spec uses as a name (schema keys, property names, enum values,
//! operationIds, tags). Output: a valid Rust identifier of the requested kind. The rules are
//! prost's: keywords become raw identifiers, the few words that cannot be raw get a `_` suffix,
//! and non-identifier characters are word breaks. Every name the IR holds comes from here.
//!
//! Uniqueness has one authority, [`Namespace`]: a scope's names are claimed in it, in batches
//! ordered by an explicit [`Priority`] and then by wire name or position ([`Order`]); a name
//! already held gets the smallest free numeric suffix, and every rename is returned so that
//! the caller can warn about it. What a namespace hands out is a checked [`RustIdent`].

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

/// The words that every one of `names` (type names) ends in, as a type name; empty when their
/// last words differ. `["BankAccountCustomer", "PaymentIntentCustomer"]` end in `Customer`.
pub fn common_ending(names: &[&str]) -> String {
    let words: Vec<Vec<String>> = names
        .iter()
        .map(|name| snake_name(name, "").split('_').filter(|w| !w.is_empty()).map(str::to_owned).collect())
        .collect();
    let Some((first, others)) = words.split_first() else { return String::new() };
    let shared = (1..=first.len())
        .take_while(|&count| {
            let ending = &first[first.len() - count..];
            others.iter().all(|other| other.len() >= count && other[other.len() - count..] == *ending)
        })
        .last()
        .unwrap_or(0);
    if shared == 0 {
        return String::new();
    }
    type_name(&first[first.len() - shared..].join(" "), "")
}

/// The identifier without a leading `r#`: what serde uses as the default wire name.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// A valid Rust identifier: ASCII letters, digits and `_`, not starting with a digit, and
/// either not a keyword or written raw (`r#type`). The casing functions above only make such
/// names; [`RustIdent::new`] checks any other string, so that a name the IR holds is never
/// a quiet syntax error in the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustIdent(String);

impl RustIdent {
    /// `name` as an identifier, or why it is not one.
    pub fn new(name: impl Into<String>) -> Result<Self, String> {
        let name = name.into();
        let bare = unraw(&name);
        let raw = bare.len() != name.len();
        let well_formed = bare.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && bare.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && bare != "_";
        if !well_formed {
            return Err(format!("`{name}` is not a Rust identifier"));
        }
        if raw && (NOT_RAW.contains(&bare) || !KEYWORDS.contains(&bare)) {
            return Err(format!("`{name}` is not a raw identifier Rust accepts"));
        }
        if !raw && (KEYWORDS.contains(&bare) || NOT_RAW.contains(&bare)) {
            return Err(format!("`{name}` is a keyword"));
        }
        Ok(Self(name))
    }

    /// The identifier as written in code (`r#type`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identifier without a leading `r#`.
    pub fn unraw(&self) -> &str {
        unraw(&self.0)
    }

    /// The identifier as a plain string.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for RustIdent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for RustIdent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// One thing's two names: what the spec calls it on the wire, and its Rust name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireName {
    /// The spec's own name (a property, a value, a parameter), or where the thing is defined.
    pub wire: String,
    /// Its Rust name.
    pub rust: String,
}

/// Which claims of one batch settle first: every [`Priority::First`] claim is given its name
/// before any [`Priority::Then`] claim, so a name the generator adds (a body argument, a
/// catch-all variant, a call marker) never takes one from a name the spec gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// Settled first.
    First,
    /// Settled after every `First` claim of the batch.
    Then,
}

/// How claims of the same priority are ordered among themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By wire name, then by position: resolution does not depend on the spec's order.
    Wire,
    /// By position: the spec's order means something (the alternatives of a `oneOf`).
    Position,
}

/// One name wanted in a [`Namespace`].
#[derive(Debug, Clone)]
pub struct Claim {
    /// The thing's wire name and the Rust name it wants.
    pub name: WireName,
    /// Whether it settles before or after the others of its batch.
    pub priority: Priority,
}

impl Claim {
    /// A claim settled with the first.
    pub fn first(wire: impl Into<String>, rust: impl Into<String>) -> Self {
        Self { name: WireName { wire: wire.into(), rust: rust.into() }, priority: Priority::First }
    }

    /// A claim settled after every [`Priority::First`] claim of its batch.
    pub fn then(wire: impl Into<String>, rust: impl Into<String>) -> Self {
        Self { name: WireName { wire: wire.into(), rust: rust.into() }, priority: Priority::Then }
    }
}

/// A name that had to change because another claim held it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// Index of the renamed claim in its batch.
    pub index: usize,
    /// The name it wanted.
    pub wanted: String,
    /// The wire name of whoever holds `wanted`, or `None` when the generator reserved it.
    pub kept_by: Option<String>,
}

/// The one authority over the names of one scope (a struct's fields, an enum's variants, a
/// module's types). Names are compared without `r#`. A name already held gets the smallest
/// free numeric suffix (`2`, `3`, ...), written `_2` in snake and constant case. Reserved
/// names are never handed out. Every rename is returned, so the caller can report it.
#[derive(Debug, Clone)]
pub struct Namespace {
    case: Case,
    /// Each name held and the wire name of its holder (`None`: reserved). BTreeMap: probed only.
    held: BTreeMap<String, Option<String>>,
    /// The next suffix to try for each wanted name: the ones below it are held already, and
    /// names are only ever added, so many claims of one name cost linear time.
    next_suffix: BTreeMap<String, usize>,
}

impl Namespace {
    /// An empty namespace for names of `case`.
    pub fn new(case: Case) -> Self {
        Self { case, held: BTreeMap::new(), next_suffix: BTreeMap::new() }
    }

    /// A namespace in which `reserved` are never handed out.
    pub fn reserving(case: Case, reserved: &[&str]) -> Self {
        let mut namespace = Self::new(case);
        for name in reserved {
            namespace.held.insert(unraw(name).to_owned(), None);
        }
        namespace
    }

    /// Whether `name` is held (or reserved).
    pub fn is_held(&self, name: &str) -> bool {
        self.held.contains_key(unraw(name))
    }

    /// Claims `wanted` for `wire` now, after every earlier claim. Returns the name given and,
    /// when it is not `wanted`, who holds `wanted`; an error (a generator bug) when `wanted` is
    /// not an identifier.
    pub fn claim(&mut self, wire: &str, wanted: &str) -> Result<(RustIdent, Option<Renamed>), String> {
        let wanted = RustIdent::new(wanted)?;
        let base = wanted.unraw().to_owned();
        let mut name = wanted.clone();
        let counter = self.next_suffix.entry(base.clone()).or_insert(2);
        while self.held.contains_key(name.unraw()) {
            // A suffix of digits makes no identifier a keyword, and keeps it one.
            name = RustIdent(match self.case {
                Case::Type => format!("{base}{counter}"),
                Case::Snake | Case::Const => format!("{base}_{counter}"),
            });
            *counter += 1;
        }
        let renamed = (name != wanted).then(|| Renamed {
            index: 0,
            wanted: wanted.as_str().to_owned(),
            kept_by: self.held.get(&base).cloned().flatten(),
        });
        self.held.insert(name.unraw().to_owned(), Some(wire.to_owned()));
        Ok((name, renamed))
    }

    /// Claims the first of `preferred` that is free, or else `fallback` (with a suffix when it
    /// is held). Not a rename: the generator chose every one of these names.
    pub fn claim_preferred(
        &mut self,
        wire: &str,
        preferred: &[&str],
        fallback: &str,
    ) -> Result<RustIdent, String> {
        let free = preferred.iter().copied().find(|name| !self.is_held(name));
        Ok(self.claim(wire, free.unwrap_or(fallback))?.0)
    }

    /// Claims a batch of names: by priority, then in `order`. Returns the names given,
    /// index-aligned with `claims`, and the renames in index order; an error (a generator bug)
    /// when a wanted name is not an identifier.
    pub fn claim_all(
        &mut self,
        claims: &[Claim],
        order: Order,
    ) -> Result<(Vec<RustIdent>, Vec<Renamed>), String> {
        let mut sequence: Vec<usize> = (0..claims.len()).collect();
        sequence.sort_by(|&a, &b| {
            let key = |i: usize| {
                let wire = match order {
                    Order::Wire => claims[i].name.wire.as_str(),
                    Order::Position => "",
                };
                (claims[i].priority, wire, i)
            };
            key(a).cmp(&key(b))
        });
        let mut given: Vec<Option<RustIdent>> = vec![None; claims.len()];
        let mut renames = Vec::new();
        for index in sequence {
            let (name, renamed) = self.claim(&claims[index].name.wire, &claims[index].name.rust)?;
            renames.extend(renamed.map(|renamed| Renamed { index, ..renamed }));
            given[index] = Some(name);
        }
        renames.sort_by_key(|renamed| renamed.index);
        // Every index was in the sequence, so every slot is filled.
        Ok((given.into_iter().flatten().collect(), renames))
    }
}

#[cfg(test)]
mod tests;
