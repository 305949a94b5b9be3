//! A walk over an OpenAPI document's JSON tree that knows what each object is.
//!
//! The tree passes for schemas, parameters, responses and so on only by position; the stages
//! that rewrite the tree before typed parsing ([`crate::bundle`], [`crate::normalize`]) need to
//! know which is which. [`walk`] visits every schema (pre-order: a visitor's rewrite of a
//! schema is walked afterwards) and every reusable object that may be a `$ref`.

use serde_json::Value;

use crate::pointer::JsonPointer;

/// The HTTP methods of a path item.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Keywords that hold one schema.
const SCHEMA_KEYWORDS: [&str; 9] = [
    "items",
    "not",
    "additionalProperties",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedProperties",
];

/// Keywords that hold a map of schemas.
const SCHEMA_MAP_KEYWORDS: [&str; 5] =
    ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

/// Keywords that hold a list of schemas.
const SCHEMA_LIST_KEYWORDS: [&str; 4] = ["allOf", "oneOf", "anyOf", "prefixItems"];

/// What may stand where a `$ref` to `#/components/<section>/...` may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// A parameter.
    Parameters,
    /// A header.
    Headers,
    /// A request body.
    RequestBodies,
    /// A response.
    Responses,
    /// A path item.
    PathItems,
    /// A callback.
    Callbacks,
}

impl Section {
    /// The section's key under `components`.
    pub fn key(self) -> &'static str {
        match self {
            Section::Parameters => "parameters",
            Section::Headers => "headers",
            Section::RequestBodies => "requestBodies",
            Section::Responses => "responses",
            Section::PathItems => "pathItems",
            Section::Callbacks => "callbacks",
        }
    }
}

/// Callbacks of [`walk`]. Both may rewrite the node they are given.
pub trait Visitor {
    /// A schema, before its subschemas are walked.
    fn schema(&mut self, _schema: &mut Value, _at: &JsonPointer) {}
    /// A parameter, header, body, response, path item or callback, before it is walked.
    fn reusable(&mut self, _node: &mut Value, _section: Section, _at: &JsonPointer) {}
}

/// Walks the whole document.
pub fn walk(document: &mut Value, visitor: &mut impl Visitor) {
    let root = JsonPointer::root();
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            path_item(visitor, item, &root.push("paths").push(path));
        }
    }
    if let Some(components) = document.get_mut("components").and_then(Value::as_object_mut) {
        let at = root.push("components");
        for (kind, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else { continue };
            let at = at.push(kind);
            for (name, entry) in entries.iter_mut() {
                let at = at.push(name);
                match kind.as_str() {
                    "schemas" => schema(visitor, entry, &at),
                    "parameters" => parameter(visitor, entry, Section::Parameters, &at),
                    "headers" => parameter(visitor, entry, Section::Headers, &at),
                    "requestBodies" => body(visitor, entry, &at),
                    "responses" => response(visitor, entry, &at),
                    "callbacks" => callback(visitor, entry, &at),
                    "pathItems" => path_item(visitor, entry, &at),
                    _ => {}
                }
            }
        }
    }
}

/// Walks one schema and everything under it.
pub fn schema(visitor: &mut impl Visitor, node: &mut Value, at: &JsonPointer) {
    visitor.schema(node, at);
    let Some(map) = node.as_object_mut() else { return };
    for keyword in SCHEMA_KEYWORDS {
        // `additionalProperties: false` is a keyword's value in 3.0, not a boolean schema.
        let boolean_allowed = matches!(keyword, "additionalProperties" | "unevaluatedProperties");
        match map.get_mut(keyword) {
            Some(Value::Bool(_)) if boolean_allowed => {}
            Some(inner) => schema(visitor, inner, &at.push(keyword)),
            None => {}
        }
    }
    for keyword in SCHEMA_MAP_KEYWORDS {
        for (name, inner) in map.get_mut(keyword).and_then(Value::as_object_mut).into_iter().flatten() {
            schema(visitor, inner, &at.push(keyword).push(name));
        }
    }
    for keyword in SCHEMA_LIST_KEYWORDS {
        for (index, inner) in
            map.get_mut(keyword).and_then(Value::as_array_mut).into_iter().flatten().enumerate()
        {
            schema(visitor, inner, &at.push(keyword).push(index.to_string()));
        }
    }
}

fn path_item(visitor: &mut impl Visitor, item: &mut Value, at: &JsonPointer) {
    visitor.reusable(item, Section::PathItems, at);
    let Some(map) = item.as_object_mut() else { return };
    for (key, value) in map.iter_mut() {
        let at = at.push(key);
        if key == "parameters" {
            parameters(visitor, value, &at);
        } else if METHODS.contains(&key.as_str()) {
            operation(visitor, value, &at);
        }
    }
}

fn operation(visitor: &mut impl Visitor, operation: &mut Value, at: &JsonPointer) {
    let Some(map) = operation.as_object_mut() else { return };
    for (key, value) in map.iter_mut() {
        let at = at.push(key);
        match key.as_str() {
            "parameters" => parameters(visitor, value, &at),
            "requestBody" => body(visitor, value, &at),
            "responses" => {
                for (status, node) in value.as_object_mut().into_iter().flatten() {
                    response(visitor, node, &at.push(status));
                }
            }
            "callbacks" => {
                for (name, node) in value.as_object_mut().into_iter().flatten() {
                    callback(visitor, node, &at.push(name));
                }
            }
            _ => {}
        }
    }
}

fn callback(visitor: &mut impl Visitor, node: &mut Value, at: &JsonPointer) {
    visitor.reusable(node, Section::Callbacks, at);
    for (expression, item) in node.as_object_mut().into_iter().flatten() {
        path_item(visitor, item, &at.push(expression));
    }
}

fn parameters(visitor: &mut impl Visitor, list: &mut Value, at: &JsonPointer) {
    for (index, node) in list.as_array_mut().into_iter().flatten().enumerate() {
        parameter(visitor, node, Section::Parameters, &at.push(index.to_string()));
    }
}

/// A parameter or a header: a `schema` or a `content` map.
fn parameter(visitor: &mut impl Visitor, node: &mut Value, section: Section, at: &JsonPointer) {
    visitor.reusable(node, section, at);
    if let Some(inner) = node.get_mut("schema") {
        schema(visitor, inner, &at.push("schema"));
    }
    content(visitor, node, at);
}

fn body(visitor: &mut impl Visitor, node: &mut Value, at: &JsonPointer) {
    visitor.reusable(node, Section::RequestBodies, at);
    content(visitor, node, at);
}

fn response(visitor: &mut impl Visitor, node: &mut Value, at: &JsonPointer) {
    visitor.reusable(node, Section::Responses, at);
    content(visitor, node, at);
    for (name, header) in node.get_mut("headers").and_then(Value::as_object_mut).into_iter().flatten() {
        parameter(visitor, header, Section::Headers, &at.push("headers").push(name));
    }
}

/// The `content` map of a body, a response or a parameter.
fn content(visitor: &mut impl Visitor, holder: &mut Value, at: &JsonPointer) {
    let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else { return };
    for (media, media_type) in content.iter_mut() {
        let at = at.push("content").push(media);
        if let Some(inner) = media_type.get_mut("schema") {
            schema(visitor, inner, &at.push("schema"));
        }
        let encodings = media_type.get_mut("encoding").and_then(Value::as_object_mut);
        for (field, encoding) in encodings.into_iter().flatten() {
            let at = at.push("encoding").push(field);
            for (name, header) in
                encoding.get_mut("headers").and_then(Value::as_object_mut).into_iter().flatten()
            {
                parameter(visitor, header, Section::Headers, &at.push("headers").push(name));
            }
        }
    }
}
