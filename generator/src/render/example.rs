//! Example calls: Rust that calls an operation with the example values `lower::examples` chose.
//!
//! Input: an operation of the IR with its parameters' and body's JSON examples. Output: an
//! [`ExampleCall`]: statements that build the arguments with the SDK's own types (models are
//! `#[non_exhaustive]`, so a struct is `T::new(required..)` followed by `value.field =
//! Some(..)` for each optional property the example gives) and the call itself. The text is
//! written for code outside the crate (a doctest, `tests/contract.rs`), so every path is
//! absolute from the crate's name. A JSON value that does not fit the IR's type where it is
//! read falls back to a minimal value of the type, so every operation gets a call that
//! compiles.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::ir::{Api, BodyEncoding, EnumValue, Field, Operation, Primitive, TypeKind, TypeRef};
use crate::render::rust::{int_literal, string_literal};

/// How deep nested models are built before falling back to decoding the JSON.
const MAX_DEPTH: usize = 24;

/// Names the code around an example uses: the client and the contract test's helpers.
const RESERVED: &[&str] = &["client", "contract_client", "expect_accepted"];

/// The statements before an example call, and the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleCall {
    /// `let` statements and field assignments, one per line.
    pub setup: Vec<String>,
    /// `client.group().method(args)`, without `.await`.
    pub call: String,
    /// The name to bind the response to (unique among the setup's names).
    pub response: String,
}

/// The example call of `op` in group `accessor`, for a crate named `krate` (its Rust name).
pub fn example_call(api: &Api, krate: &str, accessor: &str, op: &Operation) -> ExampleCall {
    let mut builder =
        Builder { api, krate, setup: Vec::new(), taken: RESERVED.iter().map(|n| (*n).to_owned()).collect() };
    // The arguments' names first, so that no model built on the way takes one.
    builder.taken.extend(op.positional_params().map(|p| p.name.clone()));
    builder.taken.extend(op.body.iter().map(|b| b.name.clone()));
    let mut args = Vec::new();
    for param in op.positional_params() {
        let example = param.example.as_ref().unwrap_or(&Value::Null);
        builder.bind(&param.name, |b| b.value(&param.ty, example, &param.name, 0));
        args.push(match &param.ty {
            TypeRef::Primitive(Primitive::String | Primitive::Binary)
            | TypeRef::List(_)
            | TypeRef::Named(_)
            | TypeRef::Map(_)
            | TypeRef::Any => format!("&{}", param.name),
            TypeRef::Primitive(_) => param.name.clone(),
        });
    }
    if let Some(body) = &op.body {
        let name = &body.name;
        match body.encoding {
            BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
                let in_form = body.encoding == BodyEncoding::Multipart;
                builder.bind(name, |b| b.value_in(&body.ty, &body.example, name, 0, in_form));
                args.push(if body.required { format!("&{name}") } else { format!("Some(&{name})") });
            }
            BodyEncoding::Text => {
                let text = match &body.example {
                    Value::String(text) => text.clone(),
                    Value::Null => "example".to_owned(),
                    other => other.to_string(),
                };
                let literal = format!("{}.to_owned()", string_literal(&text));
                args.push(if body.required { literal } else { format!("Some({literal})") });
            }
            BodyEncoding::Bytes => {
                let bytes = "::bytes::Bytes::from_static(b\"example\")".to_owned();
                // A required bytes body takes `impl Into<Body>`, an optional one `Option<Body>`.
                args.push(if body.required {
                    bytes
                } else {
                    format!("Some({}::Body::from({bytes}))", builder.krate)
                });
            }
        }
    }
    let response = builder.fresh("response");
    ExampleCall { setup: builder.setup, call: call_text(accessor, op, &args), response }
}

impl ExampleCall {
    /// The example's lines as a reader sees them: the setup, then the awaited call, bound to
    /// [`ExampleCall::response`] when the operation returns a value.
    pub fn lines(&self, returns_value: bool) -> Vec<String> {
        let mut lines = self.setup.clone();
        lines.push(if returns_value {
            format!("let {} = {}.await?;", self.response, self.call)
        } else {
            format!("{}.await?;", self.call)
        });
        lines
    }

    /// The `# Example` section of an operation's docs: a `no_run` doctest inside a function
    /// that is given the client (its lines hidden), so that it compiles with the crate.
    pub fn doc_section(&self, krate: &str, returns_value: bool) -> Vec<String> {
        let mut docs = vec![
            String::new(),
            " # Example".to_owned(),
            String::new(),
            " ```no_run".to_owned(),
            format!(" # async fn example(client: &{krate}::Client) -> {krate}::Result<()> {{"),
        ];
        docs.extend(self.lines(returns_value).into_iter().map(|line| format!(" {line}")));
        if returns_value {
            docs.push(format!(" # let _ = {};", self.response));
        }
        docs.extend([" # Ok(())".to_owned(), " # }".to_owned(), " ```".to_owned()]);
        docs
    }
}

fn call_text(accessor: &str, op: &Operation, args: &[String]) -> String {
    format!("client.{accessor}().{}({})", op.method_name, args.join(", "))
}

/// `base`, or `base_2`, `base_3`... when taken.
fn unique(base: &str, taken: &BTreeSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_owned();
    }
    let plain = crate::names::unraw(base);
    (2..).map(|n| format!("{plain}_{n}")).find(|name| !taken.contains(name)).unwrap_or_default()
}

/// Builds the Rust expressions of example values, with the statements they need.
struct Builder<'a> {
    api: &'a Api,
    krate: &'a str,
    setup: Vec<String>,
    taken: BTreeSet<String>,
}

impl Builder<'_> {
    /// A local name like `base`, not taken yet.
    fn fresh(&mut self, base: &str) -> String {
        let name = unique(base, &self.taken);
        self.taken.insert(name.clone());
        name
    }

    /// Binds the value `build` gives to the argument `name`, which models built on the way may
    /// take for themselves (`let mut body = T::new(..); body.x = ..`).
    fn bind(&mut self, name: &str, build: impl FnOnce(&mut Self) -> String) {
        self.taken.remove(name);
        let value = build(self);
        if value != name {
            self.setup.push(format!("let {name} = {value};"));
        }
        self.taken.insert(name.to_owned());
    }

    fn value(&mut self, ty: &TypeRef, value: &Value, hint: &str, depth: usize) -> String {
        self.value_in(ty, value, hint, depth, false)
    }

    /// An owned expression of type `ty` for `value`; `in_form` when inside a multipart body,
    /// where binary strings are files.
    fn value_in(&mut self, ty: &TypeRef, value: &Value, hint: &str, depth: usize, in_form: bool) -> String {
        match ty {
            TypeRef::Primitive(primitive) => primitive_value(*primitive, value, in_form, self.krate),
            TypeRef::List(inner) => match value {
                Value::Array(items) if !items.is_empty() => {
                    let items: Vec<String> = items
                        .iter()
                        .map(|item| self.value_in(inner, item, hint, depth + 1, in_form))
                        .collect();
                    format!("vec![{}]", items.join(", "))
                }
                _ => "Vec::new()".to_owned(),
            },
            TypeRef::Map(inner) => {
                let entries: Vec<String> = match value {
                    Value::Object(object) => object
                        .iter()
                        .map(|(key, item)| {
                            let item = if **inner == TypeRef::Any {
                                json_macro(item)
                            } else {
                                self.value_in(inner, item, hint, depth + 1, in_form)
                            };
                            format!("({}.to_owned(), {item})", string_literal(key))
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let map = if **inner == TypeRef::Any {
                    "::serde_json::Map"
                } else {
                    "::std::collections::BTreeMap"
                };
                if entries.is_empty() {
                    format!("{map}::new()")
                } else {
                    format!("{map}::from_iter([{}])", entries.join(", "))
                }
            }
            TypeRef::Any => json_macro(value),
            TypeRef::Named(id) => {
                let Some(def) = self.api.types.get(id.0) else { return json_macro(value) };
                let path = format!("{}::models::{}", self.krate, def.name);
                if depth > MAX_DEPTH {
                    return self.decoded(&path, value);
                }
                match &def.kind {
                    TypeKind::Alias(target) => self.value_in(target, value, hint, depth + 1, in_form),
                    TypeKind::Newtype(target) => {
                        format!("{path}({})", self.value_in(target, value, hint, depth + 1, in_form))
                    }
                    TypeKind::Enum(e) => {
                        let wire = |v: &EnumValue| match v {
                            EnumValue::String(s) => Value::from(s.as_str()),
                            EnumValue::Integer(i) => Value::from(*i),
                        };
                        match e.variants.iter().find(|v| wire(&v.value) == *value).or(e.variants.first()) {
                            Some(variant) => format!("{path}::{}", variant.name),
                            None => self.decoded(&path, value),
                        }
                    }
                    TypeKind::Struct(s) => {
                        let form = s.form || in_form;
                        self.structure(&path, &s.fields, value, hint, depth, form)
                    }
                    TypeKind::Union(u) => {
                        let chosen = match &u.tag {
                            Some(tag) => {
                                let given = value.get(tag).and_then(Value::as_str);
                                u.variants
                                    .iter()
                                    .find(|v| given.is_some_and(|g| v.tag_values.iter().any(|t| t == g)))
                                    .or_else(|| u.variants.iter().find(|v| !v.fallback))
                            }
                            None => {
                                // The first variant that fits best.
                                let mut best = (0, u.variants.first());
                                for variant in &u.variants {
                                    let score = self.fit_score(&variant.ty, value);
                                    if score > best.0 {
                                        best = (score, Some(variant));
                                    }
                                }
                                best.1
                            }
                        };
                        let Some(variant) = chosen else { return self.decoded(&path, value) };
                        let inner = self.value_in(&variant.ty, value, hint, depth + 1, in_form);
                        let inner = if variant.boxed { format!("Box::new({inner})") } else { inner };
                        format!("{path}::{}({inner})", variant.name)
                    }
                    TypeKind::Page(_) => self.decoded(&path, value),
                }
            }
        }
    }

    /// How well `value` fits `ty`, for choosing an untagged union's variant: 0 when it does not.
    fn fit_score(&self, ty: &TypeRef, value: &Value) -> usize {
        let resolved = self.resolve(ty);
        match (resolved, value) {
            (TypeRef::Primitive(Primitive::Bool), Value::Bool(_)) => 2,
            (TypeRef::Primitive(Primitive::I32 | Primitive::I64), Value::Number(n)) if n.is_i64() => 2,
            (TypeRef::Primitive(Primitive::F32 | Primitive::F64), Value::Number(_)) => 2,
            (TypeRef::Primitive(Primitive::Uuid), Value::String(s)) if crate::lower::formats::is_uuid(s) => 3,
            (TypeRef::Primitive(Primitive::DateTime), Value::String(s))
                if crate::lower::formats::is_date_time(s) =>
            {
                3
            }
            (TypeRef::Primitive(Primitive::Date), Value::String(s)) if crate::lower::formats::is_date(s) => 3,
            (TypeRef::Primitive(Primitive::String | Primitive::Binary), Value::String(_)) => 1,
            (TypeRef::List(_), Value::Array(_)) => 2,
            (TypeRef::Map(_), Value::Object(_)) => 1,
            (TypeRef::Any, _) => 1,
            (TypeRef::Named(id), _) => match self.api.types.get(id.0).map(|def| &def.kind) {
                Some(TypeKind::Enum(e)) => {
                    let listed = e.variants.iter().any(|v| match &v.value {
                        EnumValue::String(s) => value.as_str() == Some(s),
                        EnumValue::Integer(i) => value.as_i64() == Some(*i),
                    });
                    if listed { 4 } else { 0 }
                }
                Some(TypeKind::Struct(s)) => {
                    let Value::Object(object) = value else { return 0 };
                    let has_required =
                        s.fields.iter().filter(|f| f.required).all(|f| object.contains_key(&f.wire_name));
                    let known = object.keys().filter(|k| s.fields.iter().any(|f| &f.wire_name == *k)).count();
                    let all_known = known == object.len();
                    if !has_required { 0 } else { 2 + known + usize::from(all_known) * 100 }
                }
                Some(TypeKind::Union(_) | TypeKind::Page(_)) => 1,
                _ => 0,
            },
            _ => 0,
        }
    }

    /// `ty` through aliases.
    fn resolve<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        let mut ty = ty;
        for _ in 0..=self.api.types.len() {
            match ty {
                TypeRef::Named(id) => match self.api.types.get(id.0).map(|def| &def.kind) {
                    Some(TypeKind::Alias(target)) => ty = target,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    /// A struct: `T::new(required..)` bound to a local, then the optional fields the example
    /// gives.
    fn structure(
        &mut self,
        path: &str,
        fields: &[Field],
        value: &Value,
        hint: &str,
        depth: usize,
        form: bool,
    ) -> String {
        let object = value.as_object();
        let given = |field: &Field| object.and_then(|o| o.get(&field.wire_name)).filter(|v| !v.is_null());
        let mut required = Vec::new();
        for field in fields.iter().filter(|f| f.required) {
            let item = given(field);
            let inner = match (item, field.nullable) {
                (None, true) if object.is_some_and(|o| o.contains_key(&field.wire_name)) => None,
                (item, _) => {
                    let expr = self.value_in(
                        &field.ty,
                        item.unwrap_or(&Value::Null),
                        &field_hint(field),
                        depth + 1,
                        form,
                    );
                    Some(if field.boxed { format!("Box::new({expr})") } else { expr })
                }
            };
            required.push(match (inner, field.nullable) {
                (Some(expr), true) => format!("Some({expr})"),
                (Some(expr), false) => expr,
                (None, _) => "None".to_owned(),
            });
        }
        let mut sets = Vec::new();
        for field in fields.iter().filter(|f| !f.required) {
            let Some(item) = given(field) else { continue };
            let expr = self.value_in(&field.ty, item, &field_hint(field), depth + 1, form);
            let expr = if field.boxed { format!("Box::new({expr})") } else { expr };
            sets.push((field.name.clone(), expr));
        }
        let constructor = format!("{path}::new({})", required.join(", "));
        if sets.is_empty() {
            return constructor;
        }
        let name = self.fresh(hint);
        self.setup.push(format!("let mut {name} = {constructor};"));
        for (field, expr) in sets {
            self.setup.push(format!("{name}.{field} = Some({expr});"));
        }
        name
    }

    /// The value decoded from its JSON: for types the example cannot build field by field.
    fn decoded(&self, path: &str, value: &Value) -> String {
        format!(
            "::serde_json::from_value::<{path}>({}).expect(\"the example fits the type\")",
            json_macro(value)
        )
    }
}

/// The local a field's value is bound to: the field's name.
fn field_hint(field: &Field) -> String {
    field.name.clone()
}

/// A primitive's expression.
fn primitive_value(primitive: Primitive, value: &Value, in_form: bool, krate: &str) -> String {
    let text = value.as_str();
    match primitive {
        Primitive::String | Primitive::Binary if !(in_form && primitive == Primitive::Binary) => {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Null => "example".to_owned(),
                other => other.to_string(),
            };
            format!("{}.to_owned()", string_literal(&text))
        }
        Primitive::String | Primitive::Binary => {
            format!(
                "{krate}::UploadFile::from_bytes(\"example.txt\", &b\"example\"[..]).content_type(\"text/plain\")"
            )
        }
        Primitive::Bool => value.as_bool().unwrap_or(true).to_string(),
        Primitive::I32 => {
            let n = value.as_i64().unwrap_or(1).clamp(i64::from(i32::MIN), i64::from(i32::MAX));
            int_literal(n)
        }
        Primitive::I64 => int_literal(value.as_i64().unwrap_or(1)),
        Primitive::F32 | Primitive::F64 => {
            let n = value.as_f64().filter(|n| n.is_finite()).unwrap_or(1.0);
            format!("{n:?}")
        }
        Primitive::Uuid => {
            let text = text
                .filter(|t| crate::lower::formats::is_uuid(t))
                .unwrap_or("3c90c3cc-0d44-4b50-8888-8dd25736052a");
            format!("::uuid::uuid!({})", string_literal(text))
        }
        Primitive::DateTime => {
            let text =
                text.filter(|t| crate::lower::formats::is_date_time(t)).unwrap_or("2024-05-01T12:00:00Z");
            format!(
                "{}.parse::<::chrono::DateTime<::chrono::Utc>>().expect(\"an RFC 3339 date-time\")",
                string_literal(text)
            )
        }
        Primitive::Date => {
            let text = text.filter(|t| crate::lower::formats::is_date(t)).unwrap_or("2024-05-01");
            format!("{}.parse::<::chrono::NaiveDate>().expect(\"a date\")", string_literal(text))
        }
    }
}

/// `::serde_json::json!(..)` of a value, strings and keys as Rust literals.
fn json_macro(value: &Value) -> String {
    format!("::serde_json::json!({})", json_tokens(value))
}

fn json_tokens(value: &Value) -> String {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::String(text) => string_literal(text),
        Value::Array(items) => format!("[{}]", items.iter().map(json_tokens).collect::<Vec<_>>().join(", ")),
        Value::Object(object) => {
            let entries: Vec<String> =
                object.iter().map(|(k, v)| format!("{}: {}", string_literal(k), json_tokens(v))).collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::example_call;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /chats/{id}:
    patch:
      operationId: updateChat
      tags: [chats]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
        - {name: mode, in: query, required: true, schema: {$ref: '#/components/schemas/Mode'}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Update'}
            example: {title: "Olá \"x\"", tags: [a], owner: {name: Ana}, kind: two, id: 9}
      responses:
        '200': {description: ok}
components:
  schemas:
    Mode: {type: string, enum: [fast, slow]}
    Kind: {type: string, enum: [one, two]}
    Owner:
      type: object
      required: [name]
      properties: {name: {type: string}, age: {type: integer}}
    Update:
      type: object
      required: [title, owner]
      properties:
        id: {type: integer, readOnly: true}
        title: {type: string}
        tags: {type: array, items: {type: string}}
        owner: {$ref: '#/components/schemas/Owner'}
        kind: {$ref: '#/components/schemas/Kind'}
        when: {type: string, format: date-time}
"#;

    #[test]
    fn a_call_builds_its_arguments_with_the_sdk_types() {
        let (api, _) = crate::build_ir(SPEC, "openapi.yaml").unwrap();
        let group = &api.groups[0];
        let call = example_call(&api, "demo", &group.accessor, &group.operations[0]);
        assert_eq!(
            call.setup,
            vec![
                "let id = ::uuid::uuid!(\"3c90c3cc-0d44-4b50-8888-8dd25736052a\");",
                "let mode = demo::models::Mode::Fast;",
                "let mut body = demo::models::Update::new(\"Olá \\\"x\\\"\".to_owned(), demo::models::Owner::new(\"Ana\".to_owned()));",
                "body.tags = Some(vec![\"a\".to_owned()]);",
                "body.kind = Some(demo::models::Kind::Two);",
            ]
        );
        assert_eq!(call.call, "client.chats().update(id, &mode, &body)");
        assert_eq!(call.response, "response");
    }
}
