//! Stage 1b: an OpenAPI 3.1 document rewritten, on its JSON tree, into the 3.0 shapes
//! `openapiv3` reads.
//!
//! Input: the parsed tree of a 3.1.x document. Output: the same tree in 3.0.3 form, plus a
//! warning for each 3.1 construct that has no 3.0 equivalent and was dropped. Rewrites happen in
//! place, so JSON pointers into the result are pointers into the original document.
//!
//! What changes, per schema: `type: [T, "null"]` becomes `type: T` + `nullable: true` (several
//! non-null types become an `anyOf`, one member per type); a `{type: "null"}` member of
//! `oneOf`/`anyOf` becomes `nullable` on the union; `const` becomes a one-value `enum`; the
//! `examples` array becomes `example`; numeric `exclusiveMinimum`/`exclusiveMaximum` become the
//! boolean forms; `contentEncoding: base64` and `contentMediaType` become `format: byte` and
//! `format: binary`; a `$ref` with sibling keywords becomes `allOf: [$ref]` plus the siblings.
//! Per document: `webhooks` is dropped with a warning, `components.pathItems` references in
//! `paths` are inlined, and a missing `paths` becomes empty.

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer::JsonPointer;
use crate::visit::{self, Visitor};

/// Rewrites a 3.1 document into 3.0.3 form. Returns the warnings for what was dropped.
pub fn normalize(document: &mut Value) -> Diagnostics {
    let mut rewriter = Rewriter { warnings: Diagnostics::default() };
    let root = JsonPointer::root();
    let Some(map) = document.as_object_mut() else { return rewriter.warnings };
    map.insert("openapi".to_owned(), json!("3.0.3"));
    map.remove("jsonSchemaDialect");
    if map.remove("webhooks").is_some() {
        let message = "OpenAPI 3.1 `webhooks` are not generated; the SDK covers `paths` only";
        rewriter.warnings.push(Diagnostic::warning(root.push("webhooks"), message));
    }
    let path_items = map
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|components| components.remove("pathItems"));
    let paths = map.entry("paths").or_insert_with(|| json!({}));
    for item in paths.as_object_mut().into_iter().flat_map(|paths| paths.values_mut()) {
        inline_path_item(item, path_items.as_ref());
    }
    visit::walk(document, &mut rewriter);
    rewriter.warnings
}

/// Replaces a `$ref` to `#/components/pathItems/X` by the item itself.
fn inline_path_item(item: &mut Value, path_items: Option<&Value>) {
    let Some(reference) = item.get("$ref").and_then(Value::as_str) else { return };
    let Some(name) = reference.strip_prefix("#/components/pathItems/") else { return };
    let name = crate::pointer::unescape(name);
    if let Some(target) = path_items.and_then(|items| items.get(&name)) {
        *item = target.clone();
    }
}

/// The per-schema rewrites.
struct Rewriter {
    warnings: Diagnostics,
}

impl Visitor for Rewriter {
    fn schema(&mut self, schema: &mut Value, at: &JsonPointer) {
        // A boolean schema where a schema stands (`components.schemas.Any: true`).
        if let Value::Bool(accepts) = schema {
            *schema = if *accepts { json!({}) } else { json!({"not": {}}) };
        }
        let Some(map) = schema.as_object_mut() else { return };
        boolean_subschemas(map);
        ref_with_siblings(map);
        null_union_member(map);
        if let Some(message) = type_list(map) {
            self.warnings.push(Diagnostic::warning(at.push("anyOf"), message));
        }
        constant(map);
        examples(map);
        exclusive_bounds(map);
        content_keywords(map);
        if map.contains_key("prefixItems") {
            let message = "tuple schemas (`prefixItems`) are not supported; the items are free-form JSON";
            self.warnings.push(Diagnostic::warning(at.push("prefixItems"), message));
        }
    }
}

/// Boolean schemas under this one that mean "absent": a `false` property (never present) and a
/// `false` union member (never matches) are dropped. Every other boolean schema is rewritten
/// where the walk reaches it (`Rewriter::schema`).
fn boolean_subschemas(map: &mut Map<String, Value>) {
    if let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) {
        properties.retain(|_, schema| *schema != Value::Bool(false));
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(members) = map.get_mut(keyword).and_then(Value::as_array_mut) {
            members.retain(|schema| *schema != Value::Bool(false));
        }
    }
}

/// `{$ref, description, nullable, …}` → `{allOf: [{$ref}], description, nullable, …}`; a
/// `$ref` with only `summary` or `$comment` beside it stays a plain reference.
fn ref_with_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") || map.keys().all(|k| matches!(k.as_str(), "$ref" | "summary" | "$comment"))
    {
        return;
    }
    if let Some(reference) = map.remove("$ref") {
        map.insert("allOf".to_owned(), json!([{ "$ref": reference }]));
    }
}

/// `oneOf: [A, {type: "null"}]` → `allOf: [A]` + `nullable`; with more members the null one is
/// dropped and the union becomes nullable.
fn null_union_member(map: &mut Map<String, Value>) {
    for keyword in ["oneOf", "anyOf"] {
        let Some(members) = map.get_mut(keyword).and_then(Value::as_array_mut) else { continue };
        let before = members.len();
        members.retain(|member| !is_null_schema(member));
        if members.len() == before {
            continue;
        }
        map.insert("nullable".to_owned(), json!(true));
        let single = match map.get(keyword).and_then(Value::as_array) {
            Some(rest) if rest.len() == 1 && !map.contains_key("allOf") => rest.first().cloned(),
            _ => None,
        };
        if let Some(only) = single {
            map.remove(keyword);
            map.insert("allOf".to_owned(), json!([only]));
        }
    }
}

fn is_null_schema(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().all(|t| t == "null"),
        _ => false,
    }
}

/// Whether a keyword only constrains values, without changing what type they have.
fn is_constraint(keyword: &str) -> bool {
    matches!(
        keyword,
        "pattern"
            | "minLength"
            | "maxLength"
            | "minimum"
            | "maximum"
            | "exclusiveMinimum"
            | "exclusiveMaximum"
            | "multipleOf"
            | "format"
            | "minItems"
            | "maxItems"
            | "uniqueItems"
            | "minProperties"
            | "maxProperties"
            | "required"
            | "title"
            | "description"
            | "$comment"
    )
}

/// Keywords that only apply to one kind of instance, moved into that kind's member when a type
/// list becomes an `anyOf`.
fn keyword_kind(keyword: &str) -> Option<&'static [&'static str]> {
    Some(match keyword {
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "patternProperties" => &["object"],
        "items" | "minItems" | "maxItems" | "uniqueItems" | "prefixItems" => &["array"],
        "pattern" | "minLength" | "maxLength" => &["string"],
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            &["number", "integer"]
        }
        "format" => &["string", "number", "integer"],
        _ => return None,
    })
}

/// `type: [T, "null"]` → `type: T, nullable: true`; several non-null types → `anyOf`. An
/// `anyOf` already there must hold too: when its members only constrain values, it is dropped
/// (the message says so), otherwise it moves into `allOf`.
fn type_list(map: &mut Map<String, Value>) -> Option<&'static str> {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        _ => return None,
    };
    map.remove("type");
    let (nulls, types): (Vec<String>, Vec<String>) = types.into_iter().partition(|t| t == "null");
    if !nulls.is_empty() {
        map.insert("nullable".to_owned(), json!(true));
    }
    match types.as_slice() {
        [] => {}
        [only] => {
            map.insert("type".to_owned(), json!(only));
        }
        several => {
            let members: Vec<Value> = several.iter().map(|t| type_member(map, t)).collect();
            map.retain(|keyword, _| keyword_kind(keyword).is_none());
            let existing = map.insert("anyOf".to_owned(), Value::Array(members))?;
            let constraints_only = existing.as_array().is_some_and(|members| {
                members.iter().all(|member| {
                    member.as_object().is_some_and(|member| member.keys().all(|k| is_constraint(k)))
                })
            });
            if constraints_only {
                return Some(
                    "an `anyOf` of value constraints beside a list of types is not checked by the SDK; the types make the union",
                );
            }
            let all = map.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(all) = all {
                all.push(json!({ "anyOf": existing }));
            }
        }
    }
    None
}

/// The `anyOf` member for type `t` of a type list: the type and the keywords that apply to it,
/// and the `enum` values of that type.
fn type_member(map: &Map<String, Value>, t: &str) -> Value {
    let mut member = Map::new();
    member.insert("type".to_owned(), json!(t));
    for (keyword, value) in map {
        if keyword_kind(keyword).is_some_and(|kinds| kinds.contains(&t)) {
            member.insert(keyword.clone(), value.clone());
        }
    }
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        let own: Vec<Value> = values.iter().filter(|v| value_has_type(v, t)).cloned().collect();
        if !own.is_empty() {
            member.insert("enum".to_owned(), Value::Array(own));
        }
    }
    Value::Object(member)
}

fn value_has_type(value: &Value, t: &str) -> bool {
    match value {
        Value::String(_) => t == "string",
        Value::Bool(_) => t == "boolean",
        Value::Number(n) => t == "number" || (t == "integer" && (n.is_i64() || n.is_u64())),
        Value::Array(_) => t == "array",
        Value::Object(_) => t == "object",
        Value::Null => false,
    }
}

/// `const: X` → `enum: [X]`, with the value's type when the schema names none.
fn constant(map: &mut Map<String, Value>) {
    let Some(value) = map.remove("const") else { return };
    if map.contains_key("enum") {
        return;
    }
    let implied = match &value {
        Value::String(_) => Some("string"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        Value::Bool(_) => Some("boolean"),
        _ => None,
    };
    if let Some(implied) = implied.filter(|_| !map.contains_key("type")) {
        map.insert("type".to_owned(), json!(implied));
    }
    map.insert("enum".to_owned(), json!([value]));
}

/// The schema's `examples` array → its first value as `example`.
fn examples(map: &mut Map<String, Value>) {
    if !map.get("examples").is_some_and(Value::is_array) {
        return;
    }
    if let Some(Value::Array(values)) = map.remove("examples") {
        if let Some(first) = values.into_iter().next() {
            map.entry("example").or_insert(first);
        }
    }
}

/// `exclusiveMinimum: 5` → `minimum: 5, exclusiveMinimum: true` (and the same for maximum).
fn exclusive_bounds(map: &mut Map<String, Value>) {
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(limit) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.to_owned(), limit);
            map.insert(exclusive.to_owned(), json!(true));
        }
    }
}

/// `contentEncoding: base64` → `format: byte`; another `contentMediaType` on a string →
/// `format: binary`.
fn content_keywords(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    if encoding.as_ref().and_then(Value::as_str).is_some_and(|e| e.eq_ignore_ascii_case("base64")) {
        map.insert("format".to_owned(), json!("byte"));
    } else if media.is_some() {
        map.insert("format".to_owned(), json!("binary"));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn schema(input: Value) -> Value {
        let mut document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": input}},
        });
        let warnings = super::normalize(&mut document);
        assert!(warnings.is_empty(), "{warnings}");
        assert_eq!(document["openapi"], "3.0.3");
        assert_eq!(document["paths"], json!({}));
        document["components"]["schemas"]["S"].take()
    }

    #[test]
    fn nullable_type_lists() {
        assert_eq!(schema(json!({"type": ["string", "null"]})), json!({"type": "string", "nullable": true}));
        assert_eq!(schema(json!({"type": ["integer"]})), json!({"type": "integer"}));
        assert_eq!(schema(json!({"type": "null"})), json!({"nullable": true}));
    }

    #[test]
    fn several_types_beside_an_any_of() {
        // Value constraints only: the types make the union, with a warning.
        let mut document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": {
                "type": ["string", "integer"],
                "anyOf": [{"minLength": 2}, {"minimum": 3}],
            }}},
        });
        let warnings = super::normalize(&mut document).to_string();
        assert!(
            warnings.contains("#/components/schemas/S/anyOf: an `anyOf` of value constraints"),
            "{warnings}"
        );
        let out = document["components"]["schemas"]["S"].take();
        assert_eq!(out, json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}));
        // Anything more must hold too: it moves into `allOf`.
        let out = schema(json!({
            "type": ["string", "object"],
            "anyOf": [{"$ref": "#/components/schemas/A"}, {"properties": {"b": {}}}],
        }));
        assert_eq!(
            out,
            json!({
                "anyOf": [{"type": "string"}, {"type": "object"}],
                "allOf": [{"anyOf": [{"$ref": "#/components/schemas/A"}, {"properties": {"b": {}}}]}],
            })
        );
    }

    #[test]
    fn several_types_become_any_of_with_their_keywords() {
        let out = schema(json!({
            "type": ["string", "array", "null"],
            "description": "d",
            "maxLength": 3,
            "items": {"type": ["integer", "null"]},
        }));
        assert_eq!(
            out,
            json!({
                "description": "d",
                "nullable": true,
                "anyOf": [
                    {"type": "string", "maxLength": 3},
                    {"type": "array", "items": {"type": "integer", "nullable": true}},
                ],
            })
        );
    }

    #[test]
    fn null_members_of_unions() {
        let out = schema(json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}));
        assert_eq!(out, json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]}));
        let out = schema(json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}));
        assert_eq!(out, json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true}));
    }

    #[test]
    fn refs_with_siblings_keep_the_siblings() {
        let out = schema(json!({"properties": {
            "a": {"$ref": "#/components/schemas/A", "description": "the a"},
            "b": {"$ref": "#/components/schemas/B", "summary": "s"},
        }}));
        assert_eq!(
            out["properties"]["a"],
            json!({"description": "the a", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(out["properties"]["b"], json!({"$ref": "#/components/schemas/B", "summary": "s"}));
    }

    #[test]
    fn top_level_boolean_schemas() {
        assert_eq!(schema(json!(true)), json!({}));
        assert_eq!(schema(json!(false)), json!({"not": {}}));
    }

    #[test]
    fn boolean_schemas() {
        let out = schema(json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {"gone": false, "any": true},
            "oneOf": [false, {"type": "string"}],
        }));
        assert_eq!(
            out,
            json!({
                "type": "object",
                "additionalProperties": false,
                "properties": {"any": {}},
                "oneOf": [{"type": "string"}],
            })
        );
    }

    #[test]
    fn keyword_rewrites() {
        assert_eq!(schema(json!({"const": "x"})), json!({"type": "string", "enum": ["x"]}));
        assert_eq!(schema(json!({"type": "integer", "const": 2})), json!({"type": "integer", "enum": [2]}));
        assert_eq!(schema(json!({"examples": [1, 2]})), json!({"example": 1}));
        assert_eq!(
            schema(json!({"type": "number", "exclusiveMinimum": 0})),
            json!({"type": "number", "exclusiveMinimum": true, "minimum": 0})
        );
        assert_eq!(
            schema(json!({"type": "string", "contentEncoding": "base64"})),
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            schema(json!({"type": "string", "contentMediaType": "image/png"})),
            json!({"type": "string", "format": "binary"})
        );
    }

    #[test]
    fn documents_lose_webhooks_and_inline_path_items() {
        let mut document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "webhooks": {"ping": {}},
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "components": {"pathItems": {"A": {"get": {"parameters": [
                {"name": "q", "in": "query", "schema": {"type": ["string", "null"]}}
            ]}}}},
        });
        let warnings = super::normalize(&mut document).to_string();
        assert!(warnings.contains("#/webhooks: OpenAPI 3.1 `webhooks` are not generated"), "{warnings}");
        assert_eq!(
            document["paths"]["/a"]["get"]["parameters"][0]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert!(document["components"].get("pathItems").is_none());
    }
}
