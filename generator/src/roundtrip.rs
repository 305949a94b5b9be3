//! The guard after typed parsing: what the document says that `openapiv3` did not keep.
//!
//! `openapiv3` ignores what its types have no field for (a `$ref`'s siblings, `items` on an
//! object schema, 3.1 keywords that normalization did not rewrite). The typed document is
//! serialized back to JSON and walked beside the parsed tree; every key of the tree that did
//! not come back is reported, one warning per keyword with the number of places and the first
//! pointer, so that nothing the spec says is dropped without a word.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer::JsonPointer;

/// Reports the keys of `tree` that the typed `document` lost.
pub fn lost(tree: &Value, document: &openapiv3::OpenAPI) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let mut losses = Losses::default();
    if let Err(error) = compare(tree, document, &mut losses) {
        let message = format!("the parsed document cannot be compared with the spec: {error}");
        diagnostics.push(Diagnostic::warning(JsonPointer::root(), message));
        return diagnostics;
    }
    for ((keyword, beside_ref), (count, first)) in losses.0 {
        let place = if beside_ref { " beside a `$ref`" } else { "" };
        let places = if count == 1 { String::new() } else { format!(" ({count} places; this is the first)") };
        let message = format!("`{keyword}`{place} is not read by the generator and has no effect{places}");
        diagnostics.push(Diagnostic::warning(first, message));
    }
    diagnostics
}

/// Compares the tree with the typed document serialized a piece at a time: each path item and
/// each component on its own, the rest of the document as one small value. The typed document
/// is never serialized whole, so the guard holds one entry's copy at a time instead of a third
/// copy of the whole spec (on 20,000 operations, hundreds of megabytes).
fn compare(
    tree: &Value,
    document: &openapiv3::OpenAPI,
    losses: &mut Losses,
) -> Result<(), serde_json::Error> {
    let Value::Object(top) = tree else { return Ok(()) };
    let mut shell = serde_json::Map::new();
    shell.insert("openapi".to_owned(), serde_json::to_value(&document.openapi)?);
    shell.insert("info".to_owned(), serde_json::to_value(&document.info)?);
    shell.insert("servers".to_owned(), serde_json::to_value(&document.servers)?);
    shell.insert("security".to_owned(), serde_json::to_value(&document.security)?);
    shell.insert("tags".to_owned(), serde_json::to_value(&document.tags)?);
    shell.insert("externalDocs".to_owned(), serde_json::to_value(&document.external_docs)?);
    for (key, value) in &document.extensions {
        shell.insert(key.clone(), value.clone());
    }
    let beside_ref = top.contains_key("$ref");
    let mut path = Vec::new();
    for (key, value) in top {
        path.push(Step::Key(key.as_str()));
        match (key.as_str(), &document.components) {
            ("paths", _) => {
                entries(value, &document.paths.paths, &document.paths.extensions, &mut path, losses)?
            }
            ("components", Some(components)) => self::components(value, components, &mut path, losses)?,
            _ => {
                path.pop();
                step(key, value, shell.get(key), beside_ref, &mut path, losses);
                continue;
            }
        }
        path.pop();
    }
    Ok(())
}

/// One key of an object, as [`walk`] treats it: descend where the typed side kept a container,
/// record a loss where it kept nothing (unless the value says nothing).
fn step<'t>(
    key: &'t str,
    value: &'t Value,
    kept: Option<&Value>,
    beside_ref: bool,
    path: &mut Vec<Step<'t>>,
    losses: &mut Losses,
) {
    match kept {
        Some(kept) if kept.is_object() || kept.is_array() => {
            path.push(Step::Key(key));
            walk(value, kept, path, losses);
            path.pop();
        }
        Some(_) => {}
        None if says_nothing(key, value) => {}
        None => losses.record(key, beside_ref, path),
    }
}

/// A map of the typed document (path items, one section of components) compared entry by
/// entry; `extensions` holds its `x-` keys.
fn entries<'t, T: serde::Serialize>(
    tree: &'t Value,
    typed: &indexmap::IndexMap<String, T>,
    extensions: &indexmap::IndexMap<String, Value>,
    path: &mut Vec<Step<'t>>,
    losses: &mut Losses,
) -> Result<(), serde_json::Error> {
    let Value::Object(tree) = tree else { return Ok(()) };
    let beside_ref = tree.contains_key("$ref");
    for (key, value) in tree {
        let back = match typed.get(key) {
            Some(item) => Some(serde_json::to_value(item)?),
            None => extensions.get(key).cloned(),
        };
        step(key, value, back.as_ref(), beside_ref, path, losses);
    }
    Ok(())
}

/// `components`, section by section and entry by entry.
fn components<'t>(
    tree: &'t Value,
    typed: &openapiv3::Components,
    path: &mut Vec<Step<'t>>,
    losses: &mut Losses,
) -> Result<(), serde_json::Error> {
    let Value::Object(tree) = tree else { return Ok(()) };
    let none = indexmap::IndexMap::new();
    let beside_ref = tree.contains_key("$ref");
    for (section, value) in tree {
        path.push(Step::Key(section.as_str()));
        match section.as_str() {
            "schemas" => entries(value, &typed.schemas, &none, path, losses)?,
            "responses" => entries(value, &typed.responses, &none, path, losses)?,
            "parameters" => entries(value, &typed.parameters, &none, path, losses)?,
            "examples" => entries(value, &typed.examples, &none, path, losses)?,
            "requestBodies" => entries(value, &typed.request_bodies, &none, path, losses)?,
            "headers" => entries(value, &typed.headers, &none, path, losses)?,
            "securitySchemes" => entries(value, &typed.security_schemes, &none, path, losses)?,
            "links" => entries(value, &typed.links, &none, path, losses)?,
            "callbacks" => entries(value, &typed.callbacks, &none, path, losses)?,
            _ => {
                path.pop();
                step(section, value, typed.extensions.get(section), beside_ref, path, losses);
                continue;
            }
        }
        path.pop();
    }
    Ok(())
}

/// Lost keys grouped by (keyword, whether it sat beside a `$ref`): count and first place.
#[derive(Default)]
struct Losses(BTreeMap<(String, bool), (usize, JsonPointer)>);

/// One step down a JSON tree.
#[derive(Clone, Copy)]
enum Step<'t> {
    Key(&'t str),
    Index(usize),
}

impl Losses {
    fn record(&mut self, keyword: &str, beside_ref: bool, path: &[Step<'_>]) {
        let entry = self.0.entry((keyword.to_owned(), beside_ref));
        entry.and_modify(|(count, _)| *count += 1).or_insert_with(|| {
            let at = path.iter().fold(JsonPointer::root(), |at, step| match step {
                Step::Key(key) => at.push(key),
                Step::Index(index) => at.push(index.to_string()),
            });
            (1, at.push(keyword))
        });
    }
}

/// Walks both trees in step; `path` holds the steps down to `tree`, and a pointer is only
/// built for a loss.
fn walk<'t>(tree: &'t Value, back: &Value, path: &mut Vec<Step<'t>>, losses: &mut Losses) {
    match (tree, back) {
        (Value::Object(tree), Value::Object(back)) => {
            let beside_ref = tree.contains_key("$ref");
            for (key, value) in tree {
                step(key, value, back.get(key), beside_ref, path, losses);
            }
        }
        (Value::Array(tree), Value::Array(back)) => {
            for (index, (value, kept)) in tree.iter().zip(back).enumerate() {
                if kept.is_object() || kept.is_array() {
                    path.push(Step::Index(index));
                    walk(value, kept, path, losses);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

/// Values the typed model drops because they are the default: `false`, `null`, empty
/// containers, and the default parameter styles.
fn says_nothing(key: &str, value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::Bool(true) => key == "explode",
        Value::String(style) => key == "style" && matches!(style.as_str(), "form" | "simple"),
        Value::Number(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn warnings(document: serde_json::Value) -> String {
        let typed: openapiv3::OpenAPI = serde_json::from_value(document.clone()).expect("a valid document");
        super::lost(&document, &typed).to_string()
    }

    #[test]
    fn reports_what_the_typed_model_drops() {
        let text = warnings(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "A": {"type": "string", "const": "x"},
                "B": {"type": "object", "properties": {
                    "x": {"$ref": "#/components/schemas/A", "description": "one"},
                    "y": {"$ref": "#/components/schemas/A", "description": "two"},
                }},
            }},
        }));
        assert_eq!(
            text,
            "warning: #/components/schemas/A/const: `const` is not read by the generator and has no effect\n\
             warning: #/components/schemas/B/properties/x/description: `description` beside a `$ref` is not \
             read by the generator and has no effect (2 places; this is the first)\n"
        );
    }

    #[test]
    fn defaults_are_not_losses() {
        let text = warnings(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "deprecated": false,
                "parameters": [{"name": "q", "in": "query", "style": "form", "explode": true, "required": false, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            }}},
        }));
        assert_eq!(text, "");
    }
}
