//! Finds the deepest place in a spec where typed parsing fails.
//!
//! `openapiv3` flattens extensions into several of its types, and serde loses the path at a
//! flatten, so a shape error deep in an operation is reported at `#/paths`. This module parses
//! the parts of the document one by one, descending into the part that fails, and returns the
//! pointer and message of the smallest part that still fails.

use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::pointer::JsonPointer;

/// The deepest failing part under `raw`, or `None` when every part parses on its own.
pub fn locate(raw: &Value) -> Option<(JsonPointer, String)> {
    let root = JsonPointer::root();
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if let Some(found) = path_item(&root.push("paths").push(path), item) {
                return Some(found);
            }
        }
    }
    let components = raw.get("components")?.as_object()?;
    let sections: [(&str, Part); 4] = [
        ("schemas", schema),
        ("responses", response),
        ("parameters", parameter),
        ("requestBodies", request_body),
    ];
    for (section, check) in sections {
        let Some(entries) = components.get(section).and_then(Value::as_object) else { continue };
        for (name, value) in entries {
            if let Some(found) = check(&root.push("components").push(section).push(name), value) {
                return Some(found);
            }
        }
    }
    None
}

type Part = fn(&JsonPointer, &Value) -> Option<(JsonPointer, String)>;

/// Parses `value` as `T`, giving the error's pointer (as deep as serde tracked it).
fn parse<T: DeserializeOwned>(at: &JsonPointer, value: &Value) -> Option<(JsonPointer, String)> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => None,
        Err(error) => {
            let pointer = error.path().iter().fold(at.clone(), |pointer, segment| match segment {
                serde_path_to_error::Segment::Seq { index } => pointer.push(index.to_string()),
                serde_path_to_error::Segment::Map { key } => pointer.push(key),
                serde_path_to_error::Segment::Enum { variant } => pointer.push(variant),
                serde_path_to_error::Segment::Unknown => pointer,
            });
            Some((pointer, error.inner().to_string()))
        }
    }
}

/// The first failing child of `value` under the keys `keys`, checked with `check`.
fn children(at: &JsonPointer, value: &Value, keys: &[&str], check: Part) -> Option<(JsonPointer, String)> {
    keys.iter().find_map(|key| value.get(*key).and_then(|child| check(&at.push(key), child)))
}

/// The first failing entry of the array or object at `key`.
fn each(at: &JsonPointer, value: &Value, key: &str, check: Part) -> Option<(JsonPointer, String)> {
    let base = at.push(key);
    match value.get(key)? {
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, item)| check(&base.push(i.to_string()), item))
        }
        Value::Object(entries) => entries.iter().find_map(|(name, item)| check(&base.push(name), item)),
        _ => None,
    }
}

fn path_item(at: &JsonPointer, value: &Value) -> Option<(JsonPointer, String)> {
    let whole = parse::<ReferenceOr<PathItem>>(at, value)?;
    let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    children(at, value, &methods, operation)
        .or_else(|| each(at, value, "parameters", parameter))
        .or(Some(whole))
}

fn operation(at: &JsonPointer, value: &Value) -> Option<(JsonPointer, String)> {
    let whole = parse::<Operation>(at, value)?;
    each(at, value, "parameters", parameter)
        .or_else(|| children(at, value, &["requestBody"], request_body))
        .or_else(|| match value.get("responses") {
            Some(Value::Object(_)) => each(at, value, "responses", response),
            _ => None,
        })
        .or(Some(whole))
}

fn parameter(at: &JsonPointer, value: &Value) -> Option<(JsonPointer, String)> {
    let whole = parse::<ReferenceOr<Parameter>>(at, value)?;
    children(at, value, &["schema"], schema).or(Some(whole))
}

fn request_body(at: &JsonPointer, value: &Value) -> Option<(JsonPointer, String)> {
    let whole = parse::<ReferenceOr<RequestBody>>(at, value)?;
    each(at, value, "content", media_type).or(Some(whole))
}

fn response(at: &JsonPointer, value: &Value) -> Option<(JsonPointer, String)> {
    let whole = parse::<ReferenceOr<Response>>(at, value)?;
    each(at, value, "content", media_type).or(Some(whole))
}

fn media_type(at: &JsonPointer, value: &Value) -> Option<(JsonPointer, String)> {
    children(at, value, &["schema"], schema)
}

fn schema(at: &JsonPointer, value: &Value) -> Option<(JsonPointer, String)> {
    let whole = parse::<ReferenceOr<Schema>>(at, value)?;
    each(at, value, "properties", schema)
        .or_else(|| children(at, value, &["items", "additionalProperties", "not"], schema))
        .or_else(|| each(at, value, "allOf", schema))
        .or_else(|| each(at, value, "oneOf", schema))
        .or_else(|| each(at, value, "anyOf", schema))
        .or(Some(whole))
}
