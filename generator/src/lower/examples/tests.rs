//! Unit tests of the parent module.

use serde_json::{Value, json};

use super::{Examples, is_date, is_date_time, is_uuid};
use crate::pointer::JsonPointer;

fn synth(root: &Value, schema: Value) -> Value {
    Examples::new(root).synthesize(&schema, 0)
}

#[test]
fn formats_enums_and_bounds_give_valid_values() {
    let root = json!({});
    assert_eq!(
        synth(&root, json!({"type": "string", "format": "uuid"})),
        json!("3c90c3cc-0d44-4b50-8888-8dd25736052a")
    );
    assert_eq!(synth(&root, json!({"type": "string", "format": "email"})), json!("user@example.com"));
    assert_eq!(synth(&root, json!({"type": "string", "enum": [null, "b", "c"]})), json!("b"));
    assert_eq!(synth(&root, json!({"type": "integer", "minimum": 10})), json!(10));
    assert_eq!(
        synth(&root, json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 0.5})),
        json!(1)
    );
    assert_eq!(synth(&root, json!({"type": "integer", "maximum": -3})), json!(-3));
    assert_eq!(synth(&root, json!({"type": "number", "minimum": 2.5})), json!(2.5));
    assert_eq!(synth(&root, json!({"type": "string", "minLength": 10})), json!("examplexxx"));
    assert_eq!(synth(&root, json!({"type": "string", "maxLength": 3})), json!("exa"));
    assert_eq!(synth(&root, json!({"type": "string", "pattern": "^[0-9]+$"})), json!("1"));
    assert_eq!(synth(&root, json!({"type": "string", "pattern": "^[A-Z]{2}$"})), json!("US"));
    assert_eq!(
        synth(&root, json!({"type": "array", "items": {"type": "boolean"}, "minItems": 2})),
        json!([true, true])
    );
}

#[test]
fn objects_get_required_writable_properties_and_unions_their_first_member() {
    let root = json!({"components": {"schemas": {
        "Cat": {"type": "object", "required": ["kind", "name"], "properties": {
            "kind": {"type": "string"}, "name": {"type": "string", "example": "Tom"}}},
        "Dog": {"type": "object", "properties": {"bark": {"type": "boolean"}}},
    }}});
    let schema = json!({"type": "object", "required": ["id", "title", "count"], "properties": {
        "id": {"type": "string", "readOnly": true},
        "title": {"type": "string", "default": "Untitled"},
        "count": {"type": "integer", "minimum": 3},
        "note": {"type": "string"},
    }});
    assert_eq!(synth(&root, schema), json!({"title": "Untitled", "count": 3}));
    let union = json!({
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}},
    });
    assert_eq!(synth(&root, union), json!({"kind": "cat", "name": "Tom"}));
    let merged = json!({"allOf": [{"$ref": "#/components/schemas/Cat"}, {"required": ["age"], "properties": {"age": {"type": "integer"}}}]});
    assert_eq!(synth(&root, merged), json!({"kind": "example", "name": "Tom", "age": 1}));
}

#[test]
fn unions_of_shared_schemas_stay_bounded() {
    // Each level is a union of ten references to the next: 10^15 paths without the budget.
    let mut schemas = serde_json::Map::new();
    for level in 0..15 {
        let next = json!({"$ref": format!("#/components/schemas/L{}", level + 1)});
        schemas.insert(format!("L{level}"), json!({"oneOf": vec![next; 10]}));
    }
    schemas.insert("L15".to_owned(), json!({"type": "string", "enum": ["x"]}));
    let root = json!({"components": {"schemas": schemas}});
    let examples = Examples::new(&root);
    assert!(examples.fits(&json!("y"), &json!({"$ref": "#/components/schemas/L0"}), 0).is_ok());
    assert!(examples.steps.get() <= super::MAX_STEPS + 1);
}

#[test]
fn recursion_ends() {
    let root = json!({"components": {"schemas": {"Node": {"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}}});
    let value = synth(&root, json!({"$ref": "#/components/schemas/Node"}));
    assert!(value.to_string().len() < 400, "{value}");
    let looped = json!({"components": {"schemas": {"A": {"$ref": "#/components/schemas/A"}}}});
    let _ = synth(&looped, json!({"$ref": "#/components/schemas/A"}));
}

#[test]
fn spec_examples_are_used_when_they_fit_and_reported_when_not() {
    let root = json!({
        "paths": {"/a": {"post": {
            "parameters": [
                {"name": "id", "in": "path", "schema": {"type": "string", "format": "uuid"}, "example": "not-a-uuid"},
                {"name": "n", "in": "query", "schema": {"type": "integer"}, "examples": {"one": {"$ref": "#/components/examples/Five"}}},
            ],
            "requestBody": {"content": {"application/json": {
                "schema": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "b": {"type": "string", "readOnly": true}}},
                "example": {"a": "x", "b": "server-side", "c": 1},
            }}},
        }}},
        "components": {"examples": {"Five": {"value": 5}}},
    });
    let mut examples = Examples::new(&root);
    let op = JsonPointer::root().push("paths").push("/a").push("post");
    let id = examples.parameter(&op.push("parameters").push("0"));
    assert_eq!(id, json!("3c90c3cc-0d44-4b50-8888-8dd25736052a"));
    assert_eq!(examples.parameter(&op.push("parameters").push("1")), json!(5));
    let body = examples.media(&op.push("requestBody").push("content").push("application/json"));
    assert_eq!(body, json!({"a": "x", "c": 1}), "the readOnly property is left out");
    assert_eq!(examples.misfits.len(), 1);
    assert_eq!(examples.misfits[0].0.as_str(), "#/paths/~1a/post/parameters/0/example");
    assert!(examples.misfits[0].1.contains("format"), "{:?}", examples.misfits);
}

#[test]
fn formats_are_read_strictly() {
    assert!(is_uuid("3c90c3cc-0d44-4b50-8888-8dd25736052a"));
    assert!(!is_uuid("3c90c3cc0d444b5088888dd25736052a"));
    assert!(is_date("2024-02-28") && !is_date("2024-13-01") && !is_date("2024-02-30"));
    assert!(is_date_time("2024-05-01T12:00:00Z"));
    assert!(is_date_time("2024-05-01T12:00:00.123+03:00"));
    assert!(!is_date_time("2024-05-01 12:00:00"));
    assert!(!is_date_time("2024-05-01T12:00:00+0300"));
}
