//! Example values for an operation's required parameters and its request body, as JSON.
//!
//! Input: the spec's raw tree (bundled, in 3.0 form, so every `$ref` is local) and the pointer
//! of a parameter or of a request body's media type. Output: a JSON value valid against its
//! schema: the spec's own example where there is one (parameter or media-type `example` /
//! `examples`, else a schema's `example`, then its `default`) and it fits the schema; otherwise
//! a minimal value synthesized from the schema: formats, enums' first value, `minimum` /
//! `maximum`, `minLength` / `maxLength`, a `pattern` where a simple value satisfies it, required
//! properties only, `readOnly` properties left out, `allOf` merged, `oneOf` / `anyOf` by the
//! first member (with its discriminator value). An example that does not fit is a warning at
//! its pointer, and the synthesized value is used instead. Everything is bounded: references
//! are followed a fixed number of times and nesting stops at [`MAX_DEPTH`].
//!
//! `render::example` turns these values into Rust that builds the request with the SDK's types.

use std::cell::Cell;

use serde_json::{Map, Value};

use crate::pointer::JsonPointer;

use super::context::Context;

/// How deep synthesis and checking go into nested schemas (and chained `$ref`s).
pub(super) const MAX_DEPTH: usize = 16;

/// How many schemas one example may visit: unions whose members share schemas would otherwise
/// be visited once per path to them (exponentially many). Past it, checking accepts and
/// synthesis gives `null`.
pub(super) const MAX_STEPS: usize = 20_000;

/// The value at a pointer of the raw tree.
fn at<'r>(root: &'r Value, pointer: &str) -> Option<&'r Value> {
    root.pointer(pointer.strip_prefix('#')?)
}

/// Follows `$ref`s from `value` to what they end at (bounded).
fn deref<'r>(root: &'r Value, mut value: &'r Value) -> &'r Value {
    for _ in 0..MAX_DEPTH {
        match value.get("$ref").and_then(Value::as_str).and_then(|r| at(root, r)) {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

/// The examples of one document.
pub(super) struct Examples<'r> {
    root: &'r Value,
    /// Schemas visited so far, bounded by [`MAX_STEPS`].
    steps: Cell<usize>,
    /// Examples that do not fit their schema: where, and why.
    pub(super) misfits: Vec<(JsonPointer, String)>,
}

impl<'r> Examples<'r> {
    pub(super) fn new(root: &'r Value) -> Self {
        Self { root, steps: Cell::new(0), misfits: Vec::new() }
    }

    /// The example of the parameter at `pointer`: its own `example` / `examples`, or its
    /// schema's (a JSON `content` parameter: its media type's).
    pub(super) fn parameter(&mut self, pointer: &JsonPointer) -> Value {
        let Some(param) = at(self.root, pointer.as_str()).map(|v| deref(self.root, v)) else {
            return Value::Null;
        };
        if let Some(content) = param.get("content").and_then(Value::as_object) {
            if let Some((media, object)) = content.iter().next() {
                return self.holder(object, &pointer.push("content").push(media));
            }
        }
        self.holder(param, pointer)
    }

    /// The example of the media type object at `pointer` (a request body's). A body built as
    /// an empty object gets its first writable property: servers (and Prism) read an empty
    /// form as no body at all.
    pub(super) fn media(&mut self, pointer: &JsonPointer) -> Value {
        let Some(media) = at(self.root, pointer.as_str()) else { return Value::Null };
        let mut value = self.holder(media, pointer);
        if let Value::Object(object) = &mut value {
            let schema = deref(self.root, media.get("schema").unwrap_or(&Value::Null));
            let first = schema
                .get("properties")
                .and_then(Value::as_object)
                .and_then(|properties| properties.iter().find(|(_, p)| !is_read_only(deref(self.root, p))));
            if let (true, Some((name, property))) = (object.is_empty(), first) {
                object.insert(name.clone(), self.synthesize(property, 1));
            }
        }
        value
    }

    /// The example of an object with `schema`, `example` and `examples` (a parameter or a
    /// media type).
    fn holder(&mut self, holder: &'r Value, pointer: &JsonPointer) -> Value {
        let schema = holder.get("schema").unwrap_or(&Value::Null);
        let given = match holder.get("example") {
            Some(example) => Some((example, pointer.push("example"))),
            None => holder.get("examples").and_then(Value::as_object).and_then(|examples| {
                let (name, example) = examples.iter().next()?;
                // An Example object (perhaps a `$ref` to one) holds the value in `value`.
                let value = deref(self.root, example).get("value")?;
                Some((value, pointer.push("examples").push(name)))
            }),
        };
        if let Some((example, example_at)) = given {
            match self.fits(example, schema, 0) {
                Ok(()) => return self.writable(example, schema, 0),
                Err(why) => self.misfits.push((example_at, why)),
            }
        }
        self.synthesize(schema, 0)
    }

    /// A value for `schema`: its example or default where it fits, else a minimal valid one.
    pub(super) fn synthesize(&mut self, schema: &'r Value, depth: usize) -> Value {
        let schema = deref(self.root, schema);
        if depth > MAX_DEPTH || self.step() {
            return Value::Null;
        }
        for keyword in ["example", "default"] {
            if let Some(given) = schema.get(keyword) {
                if self.fits(given, schema, depth).is_ok() {
                    return self.writable(given, schema, depth);
                }
            }
        }
        if let Some(first) =
            schema.get("enum").and_then(Value::as_array).and_then(|v| v.iter().find(|v| !v.is_null()))
        {
            return first.clone();
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            let mut other = None;
            for part in parts {
                match self.synthesize(part, depth + 1) {
                    Value::Object(object) => merged.extend(object),
                    Value::Null => {}
                    value => other = other.or(Some(value)),
                }
            }
            // The object's own properties, beside its `allOf`.
            if let Value::Object(own) = self.object(schema, depth) {
                merged.extend(own);
            }
            return match other {
                Some(value) if merged.is_empty() => value,
                _ => Value::Object(merged),
            };
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(first) = schema.get(keyword).and_then(Value::as_array).and_then(|v| v.first()) {
                let mut value = self.synthesize(first, depth + 1);
                if let (Some(tag), Value::Object(object)) = (discriminator_value(schema, first), &mut value) {
                    object.insert(tag.0, Value::String(tag.1));
                }
                if let (Value::Object(object), Value::Object(own)) = (&mut value, self.object(schema, depth))
                {
                    for (key, item) in own {
                        object.entry(key).or_insert(item);
                    }
                }
                return value;
            }
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => Value::String(string_value(schema)),
            Some("integer") => number_value(schema, true),
            Some("number") => number_value(schema, false),
            Some("boolean") => Value::Bool(true),
            Some("array") => {
                let count = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0).min(3);
                let items = schema.get("items").unwrap_or(&Value::Null);
                Value::Array((0..count).map(|_| self.synthesize(items, depth + 1)).collect())
            }
            _ => self.object(schema, depth),
        }
    }

    /// An object of `schema`'s required, writable properties.
    fn object(&mut self, schema: &'r Value, depth: usize) -> Value {
        let mut object = Map::new();
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            let Some(name) = name.as_str() else { continue };
            let property = properties.and_then(|p| p.get(name)).unwrap_or(&Value::Null);
            if is_read_only(deref(self.root, property)) {
                continue;
            }
            object.insert(name.to_owned(), self.synthesize(property, depth + 1));
        }
        Value::Object(object)
    }

    /// Counts one schema visited; whether the budget ([`MAX_STEPS`]) is spent.
    fn step(&self) -> bool {
        self.steps.set(self.steps.get() + 1);
        self.steps.get() > MAX_STEPS
    }

    /// `value` without the `readOnly` properties its schema declares, which requests leave out.
    fn writable(&self, value: &Value, schema: &Value, depth: usize) -> Value {
        let schema = deref(self.root, schema);
        if depth > MAX_DEPTH {
            return value.clone();
        }
        match value {
            Value::Object(object) => {
                let mut kept = Map::new();
                for (key, item) in object {
                    match self.property(schema, key, depth) {
                        Some(property) if is_read_only(deref(self.root, property)) => {}
                        Some(property) => {
                            kept.insert(key.clone(), self.writable(item, property, depth + 1));
                        }
                        None => {
                            kept.insert(key.clone(), item.clone());
                        }
                    }
                }
                Value::Object(kept)
            }
            Value::Array(items) => {
                let item_schema = schema.get("items").unwrap_or(&Value::Null);
                Value::Array(items.iter().map(|item| self.writable(item, item_schema, depth + 1)).collect())
            }
            other => other.clone(),
        }
    }

    /// The schema of property `name` in `schema` or its `allOf` parts.
    fn property(&self, schema: &'r Value, name: &str, depth: usize) -> Option<&'r Value> {
        if depth > MAX_DEPTH || self.step() {
            return None;
        }
        let schema = deref(self.root, schema);
        if let Some(property) = schema.get("properties").and_then(|p| p.get(name)) {
            return Some(property);
        }
        schema
            .get("allOf")
            .and_then(Value::as_array)?
            .iter()
            .find_map(|part| self.property(part, name, depth + 1))
    }

    /// Whether `value` fits `schema`, as far as the generator checks: types, enums, required
    /// properties, formats it can read, lengths, bounds and patterns. `Err` says where not.
    pub(super) fn fits(&self, value: &Value, schema: &Value, depth: usize) -> Result<(), String> {
        let schema = deref(self.root, schema);
        if depth > MAX_DEPTH || !schema.is_object() || self.step() {
            return Ok(());
        }
        if value.is_null() {
            let nullable = schema.get("nullable").and_then(Value::as_bool).unwrap_or(false);
            let listed =
                schema.get("enum").and_then(Value::as_array).is_some_and(|v| v.contains(&Value::Null));
            return if nullable || listed || schema.get("type").is_none() {
                Ok(())
            } else {
                Err("null where the schema does not allow it".to_owned())
            };
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            if !values.contains(value) {
                return Err(format!("{value} is not one of the schema's `enum` values"));
            }
        }
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.fits(value, part, depth + 1)?;
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(members) = schema.get(keyword).and_then(Value::as_array) {
                let mut reasons = Vec::new();
                for member in members {
                    match self.fits(value, member, depth + 1) {
                        Ok(()) => break,
                        Err(why) => reasons.push(why),
                    }
                }
                if reasons.len() == members.len() {
                    let why = reasons.into_iter().next();
                    return Err(why.unwrap_or_else(|| format!("it fits no `{keyword}` member")));
                }
            }
        }
        match (schema.get("type").and_then(Value::as_str), value) {
            (Some("string"), Value::String(text)) => check_string(schema, text),
            (Some("integer"), Value::Number(n)) if n.is_i64() || n.is_u64() => check_bounds(schema, n),
            (Some("number"), Value::Number(n)) => check_bounds(schema, n),
            (Some("boolean"), Value::Bool(_)) => Ok(()),
            (Some("array"), Value::Array(items)) => {
                let item_schema = schema.get("items").unwrap_or(&Value::Null);
                for (index, item) in items.iter().enumerate() {
                    self.fits(item, item_schema, depth + 1).map_err(|why| format!("[{index}]: {why}"))?;
                }
                Ok(())
            }
            (Some("object") | None, Value::Object(object)) => {
                for name in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
                    let Some(name) = name.as_str() else { continue };
                    let read_only =
                        self.property(schema, name, depth).is_some_and(|p| is_read_only(deref(self.root, p)));
                    if !object.contains_key(name) && !read_only {
                        return Err(format!("required property `{name}` is missing"));
                    }
                }
                for (key, item) in object {
                    if let Some(property) = self.property(schema, key, depth) {
                        self.fits(item, property, depth + 1).map_err(|why| format!("`{key}`: {why}"))?;
                    }
                }
                Ok(())
            }
            (None, _) => Ok(()),
            (Some(expected), value) => Err(format!("{} where the schema says `{expected}`", kind(value))),
        }
    }
}

impl Context<'_> {
    /// The example value of the parameter at `pointer` (see [`Examples::parameter`]).
    pub(super) fn param_example(&mut self, pointer: &JsonPointer) -> Value {
        let mut examples = Examples::new(&self.spec.raw);
        let value = examples.parameter(pointer);
        let misfits = examples.misfits;
        self.report_misfits(misfits);
        value
    }

    /// The example value of the request body whose media type object is at `pointer`.
    pub(super) fn body_example(&mut self, pointer: &JsonPointer) -> Value {
        let mut examples = Examples::new(&self.spec.raw);
        let value = examples.media(pointer);
        let misfits = examples.misfits;
        self.report_misfits(misfits);
        value
    }

    /// Reports the examples that did not fit their schemas.
    fn report_misfits(&mut self, misfits: Vec<(JsonPointer, String)>) {
        for (pointer, why) in misfits {
            self.warn(
                pointer,
                format!("the example does not fit its schema ({why}); the SDK's example call uses a value built from the schema"),
            );
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn is_read_only(schema: &Value) -> bool {
    schema.get("readOnly").and_then(Value::as_bool).unwrap_or(false)
}

/// The discriminator property and the value that selects `member` of `union`, when the union
/// has a discriminator and the member is a reference.
fn discriminator_value(union: &Value, member: &Value) -> Option<(String, String)> {
    let discriminator = union.get("discriminator")?;
    let property = discriminator.get("propertyName")?.as_str()?.to_owned();
    let reference = member.get("$ref")?.as_str()?;
    let mapped = discriminator.get("mapping").and_then(Value::as_object).and_then(|mapping| {
        mapping.iter().find(|(_, target)| target.as_str() == Some(reference)).map(|(key, _)| key.clone())
    });
    let name = reference.rsplit('/').next().map(crate::pointer::unescape);
    Some((property, mapped.or(name)?))
}

/// A string the schema accepts: one for its format, else `example`, fitted to its lengths and,
/// when one of a few simple candidates matches it, to its pattern.
fn string_value(schema: &Value) -> String {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let formatted = match format {
        "uuid" => "3c90c3cc-0d44-4b50-8888-8dd25736052a",
        "date-time" => "2024-05-01T12:00:00Z",
        "date" => "2024-05-01",
        "time" => "12:00:00Z",
        "email" | "idn-email" => "user@example.com",
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => "https://example.com",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "ZXhhbXBsZQ==",
        _ => "",
    };
    if !formatted.is_empty() {
        return formatted.to_owned();
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0).min(1024) as usize;
    let max = schema.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
    let fit = |text: &str| {
        let mut text: String = text.chars().take(max).collect();
        while text.chars().count() < min {
            text.push('x');
        }
        text
    };
    let Some(pattern) = schema.get("pattern").and_then(Value::as_str) else { return fit("example") };
    let Ok(regex) = regex::Regex::new(pattern) else { return fit("example") };
    const CANDIDATES: &[&str] = &[
        "example",
        "1",
        "a",
        "A",
        "abc",
        "ABC",
        "a1",
        "0",
        "123",
        "user@example.com",
        "https://example.com",
        "2024-05-01",
        "+5511999999999",
        "5511999999999",
        "US",
        "en",
        "#000000",
        "000000",
        "a-b",
        "a_b",
    ];
    CANDIDATES
        .iter()
        .map(|candidate| fit(candidate))
        .find(|candidate| regex.is_match(candidate))
        .unwrap_or_else(|| fit("example"))
}

fn check_string(schema: &Value, text: &str) -> Result<(), String> {
    let length = text.chars().count() as u64;
    if schema.get("minLength").and_then(Value::as_u64).is_some_and(|min| length < min) {
        return Err(format!("{text:?} is shorter than `minLength`"));
    }
    if schema.get("maxLength").and_then(Value::as_u64).is_some_and(|max| length > max) {
        return Err(format!("{text:?} is longer than `maxLength`"));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        if regex::Regex::new(pattern).is_ok_and(|regex| !regex.is_match(text)) {
            return Err(format!("{text:?} does not match `pattern`"));
        }
    }
    let ok = match schema.get("format").and_then(Value::as_str) {
        Some("uuid") => is_uuid(text),
        Some("date") => is_date(text),
        Some("date-time") => is_date_time(text),
        _ => true,
    };
    if ok { Ok(()) } else { Err(format!("{text:?} is not in the schema's format")) }
}

/// `8-4-4-4-12` hexadecimal digits.
pub(crate) fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `YYYY-MM-DD` with a month and day in range.
pub(crate) fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, n: usize| {
        (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten()
    };
    let [y, m, d] = parts.as_slice() else { return false };
    let (Some(_), Some(month), Some(day)) = (number(y, 4), number(m, 2), number(d, 2)) else { return false };
    let days = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=12).contains(&month) && (1..=days).contains(&day)
}

/// RFC 3339: a date, `T`, `hh:mm:ss`, optional fraction, and `Z` or an offset `±hh:mm`.
pub(crate) fn is_date_time(text: &str) -> bool {
    let Some((date, time)) = text.split_once(['T', 't']) else { return false };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (clock, zone_ok) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, true)
    } else {
        match time.rfind(['+', '-']) {
            Some(index) => {
                let zone = &time[index + 1..];
                let ok =
                    zone.len() == 5 && zone.as_bytes()[2] == b':' && digits(&zone[..2]) && digits(&zone[3..]);
                (&time[..index], ok)
            }
            None => (time, false),
        }
    };
    let (clock, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    let fields: Vec<&str> = clock.split(':').collect();
    is_date(date)
        && zone_ok
        && digits(fraction)
        && fields.len() == 3
        && fields.iter().all(|f| f.len() == 2 && digits(f))
        && fields[0] < "24"
        && fields[1] < "60"
        && fields[2] < "60"
}

fn check_bounds(schema: &Value, number: &serde_json::Number) -> Result<(), String> {
    let value = number.as_f64().unwrap_or(0.0);
    let bound = |key| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key| schema.get(key).and_then(Value::as_bool).unwrap_or(false);
    if let Some(min) = bound("minimum") {
        if value < min || (exclusive("exclusiveMinimum") && value <= min) {
            return Err(format!("{value} is below `minimum`"));
        }
    }
    if let Some(max) = bound("maximum") {
        if value > max || (exclusive("exclusiveMaximum") && value >= max) {
            return Err(format!("{value} is above `maximum`"));
        }
    }
    Ok(())
}

/// A number in the schema's bounds: 1 when allowed, else the bound nearest to it, a multiple
/// of `multipleOf` when one is given.
fn number_value(schema: &Value, integer: bool) -> Value {
    let get = |key| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key| schema.get(key).and_then(Value::as_bool).unwrap_or(false);
    let step = if integer { 1.0 } else { 0.5 };
    let mut value = get("multipleOf").filter(|m| *m > 0.0).unwrap_or(1.0);
    if let Some(min) = get("minimum") {
        let min = if exclusive("exclusiveMinimum") { min + step } else { min };
        if value < min {
            value = min;
        }
    }
    if let Some(max) = get("maximum") {
        let max = if exclusive("exclusiveMaximum") { max - step } else { max };
        if value > max {
            value = max;
        }
    }
    if integer {
        let value = value.ceil();
        if value.abs() < 9.0e15 {
            return Value::from(value as i64);
        }
        return Value::from(1);
    }
    serde_json::Number::from_f64(value).map_or(Value::from(1), Value::Number)
}

#[cfg(test)]
mod tests;
