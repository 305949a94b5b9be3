//! View models: what each template prints, computed from the IR.
//!
//! Input: an analyzed [`ir::Api`]. Output: serializable structs whose fields are final text:
//! Rust type expressions, literals, doc lines and names. Templates loop over them and branch on
//! their booleans; every decision is taken here or earlier.

use serde::Serialize;

use super::docs::rustdoc_lines;
use super::rust::{Scope, int_literal, string_literal};
use crate::ir::{
    self, Api, EnumRepr, EnumValue, Operation, ParamLocation, PathPart, SuccessResponse, TypeDef, TypeKind,
};

/// Facts about the generated crate that do not come from the spec.
#[derive(Debug, Clone, Serialize)]
pub struct CrateInfo {
    /// The crate name.
    pub name: String,
    /// The crate version.
    pub version: String,
    /// The spec file as the header names it, relative to the repository.
    pub spec_label: String,
    /// A short hash of the spec's text.
    pub fingerprint: String,
    /// The generator's version.
    pub generator_version: String,
}

/// `src/lib.rs`.
#[derive(Debug, Serialize)]
pub struct LibView {
    pub krate: CrateInfo,
    pub crate_ident: String,
    pub title: String,
    pub api_version: String,
    pub docs: Vec<String>,
    pub auth_docs: Vec<String>,
    pub base_url: Option<String>,
    pub example: Option<ExampleView>,
    pub has_page: bool,
    pub has_webhooks: bool,
    pub uses: RuntimeUses,
}

/// The usage example in the crate docs: the first operation that needs only path parameters.
#[derive(Debug, Serialize)]
pub struct ExampleView {
    pub accessor: String,
    pub method_name: String,
    pub args: Vec<String>,
    pub setup: Vec<String>,
    pub returns_value: bool,
}

/// The runtime files (`client.rs`, `error.rs`, `request.rs`, `codec.rs`).
#[derive(Debug, Serialize)]
pub struct RuntimeView {
    pub bearer: bool,
    pub uses: RuntimeUses,
    pub page: Option<PageView>,
    pub webhooks: Option<WebhooksView>,
}

/// The view of `src/webhooks.rs`.
#[derive(Debug, Clone, Serialize)]
pub struct WebhooksView {
    pub envelope: String,
    pub signature_header: String,
    pub event_header: Option<String>,
}

/// The view of `src/webhooks.rs`, when the API delivers webhooks.
pub fn webhooks(api: &Api) -> Option<WebhooksView> {
    let hooks = api.webhooks.as_ref()?;
    let envelope = api.types.get(hooks.envelope.0)?;
    Some(WebhooksView {
        envelope: format!("crate::models::{}", envelope.name),
        signature_header: string_literal(&hooks.signature_header.to_ascii_lowercase()),
        event_header: hooks.event_header.as_deref().map(|h| string_literal(&h.to_ascii_lowercase())),
    })
}

/// The list envelope's wire names, for `src/page.rs`.
#[derive(Debug, Serialize)]
pub struct PageView {
    pub total: String,
    pub total_rename: Option<String>,
    pub records: String,
    pub records_rename: Option<String>,
}

/// The view of `src/page.rs`, when the API has a list envelope that some type uses.
pub fn page(api: &Api) -> Option<PageView> {
    let fields = api.page_fields.as_ref()?;
    if !api.types.iter().any(|def| matches!(def.kind, TypeKind::Page(_))) {
        return None;
    }
    let rename = |wire: &str, rust: &str| (wire != rust).then(|| string_literal(wire));
    Some(PageView {
        total_rename: rename(&fields.total, "total"),
        total: fields.total.clone(),
        records_rename: rename(&fields.records, "records"),
        records: fields.records.clone(),
    })
}

/// Which runtime helpers the operations and models call, so that only those are emitted.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RuntimeUses {
    pub requests: bool,
    pub path_params: bool,
    pub query: bool,
    pub headers: bool,
    pub params: bool,
    pub body: bool,
    pub optional_body: bool,
    pub json_response: bool,
    pub empty_response: bool,
    pub string_enums: bool,
    pub int_enums: bool,
    pub multipart: bool,
}

/// The view of the runtime files.
pub fn runtime(api: &Api) -> RuntimeView {
    let mut uses = RuntimeUses::default();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        uses.requests = true;
        for param in &op.params {
            match param.location {
                ParamLocation::Path => uses.path_params = true,
                ParamLocation::Query => uses.query = true,
                ParamLocation::Header => uses.headers = true,
            }
        }
        if let Some(body) = &op.body {
            match body.encoding {
                ir::BodyEncoding::Json => {
                    uses.body = true;
                    uses.optional_body |= !body.required;
                }
                ir::BodyEncoding::Multipart => uses.multipart = true,
            }
        }
        match op.response {
            SuccessResponse::Json(_) => uses.json_response = true,
            SuccessResponse::Empty => uses.empty_response = true,
        }
    }
    uses.params = uses.path_params || uses.query || uses.headers;
    for def in &api.types {
        if let TypeKind::Enum(e) = &def.kind {
            match (e.keeps_unknown, e.repr) {
                (true, EnumRepr::String) => uses.string_enums = true,
                (true, EnumRepr::Integer) => uses.int_enums = true,
                (false, _) => {}
            }
        }
    }
    RuntimeView {
        bearer: matches!(api.auth, ir::Auth::Bearer { .. }),
        uses,
        page: page(api),
        webhooks: webhooks(api),
    }
}

/// `Cargo.toml` and `README.md`.
#[derive(Debug, Serialize)]
pub struct CrateView {
    pub krate: CrateInfo,
    pub uses: RuntimeUses,
    pub has_webhooks: bool,
    pub crate_ident: String,
    pub description: String,
    pub title: String,
    pub groups: Vec<ReadmeGroup>,
}

/// One group in the README's operation list.
#[derive(Debug, Serialize)]
pub struct ReadmeGroup {
    pub accessor: String,
    pub tag: String,
    pub operations: Vec<ReadmeOperation>,
}

/// One operation in the README's operation list.
#[derive(Debug, Serialize)]
pub struct ReadmeOperation {
    pub method_name: String,
    pub example: String,
    pub http_method: &'static str,
    pub path: String,
    pub summary: String,
}

/// `src/models/mod.rs`.
#[derive(Debug, Serialize)]
pub struct ModelsModView {
    pub types: Vec<TypeLink>,
}

/// A type and its module.
#[derive(Debug, Serialize)]
pub struct TypeLink {
    pub name: String,
    pub module: String,
}

/// A struct model.
#[derive(Debug, Serialize)]
pub struct StructView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub derive_default: bool,
    pub fields: Vec<FieldView>,
    pub extra: Option<ExtraView>,
    pub constructor: ConstructorView,
}

/// The `new` constructor of a struct: its required fields become arguments.
#[derive(Debug, Serialize)]
pub struct ConstructorView {
    /// More than clippy's seven arguments.
    pub many_args: bool,
    /// Some field is deprecated, and the constructor names every field.
    pub uses_deprecated: bool,
}

impl ConstructorView {
    fn new(fields: &[ir::Field]) -> Self {
        ConstructorView {
            many_args: fields.iter().filter(|f| f.required).count() > 7,
            uses_deprecated: fields.iter().any(|f| f.deprecated),
        }
    }
}

/// A struct field.
#[derive(Debug, Serialize)]
pub struct FieldView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub serde: Option<String>,
    pub ty: String,
    /// Whether `new` takes the field as an argument (required properties); the others start
    /// empty (`None`).
    pub in_new: bool,
}

/// The map that keeps unnamed properties.
#[derive(Debug, Serialize)]
pub struct ExtraView {
    pub name: String,
    pub ty: String,
}

/// An enum model.
#[derive(Debug, Serialize)]
pub struct EnumView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub is_string: bool,
    pub closed: bool,
    pub keeps_unknown: bool,
    pub variants: Vec<VariantView>,
    pub unknown: String,
    pub value_ty: String,
    pub result: &'static str,
}

/// An enum variant.
#[derive(Debug, Serialize)]
pub struct VariantView {
    pub name: String,
    pub literal: String,
    pub wire: String,
}

/// A multipart form model.
#[derive(Debug, Serialize)]
pub struct FormView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub derive_default: bool,
    pub fields: Vec<FormFieldView>,
    pub constructor: ConstructorView,
}

/// One part of a form.
#[derive(Debug, Serialize)]
pub struct FormFieldView {
    pub name: String,
    pub wire: String,
    pub docs: Vec<String>,
    pub ty: String,
    /// `text` or `files`: the form method that adds the part.
    pub part: &'static str,
    pub in_new: bool,
}

/// A union model (`oneOf` / `anyOf`).
#[derive(Debug, Serialize)]
pub struct UnionView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub variants: Vec<UnionVariantView>,
}

/// One alternative of a union.
#[derive(Debug, Serialize)]
pub struct UnionVariantView {
    pub name: String,
    pub ty: String,
}

/// A type alias model.
#[derive(Debug, Serialize)]
pub struct AliasView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub ty: String,
}

/// `src/apis/mod.rs`.
#[derive(Debug, Serialize)]
pub struct ApisModView {
    pub groups: Vec<GroupLink>,
}

/// A group and where it lives.
#[derive(Debug, Serialize)]
pub struct GroupLink {
    pub accessor: String,
    pub type_name: String,
    pub module: String,
    pub tag: String,
}

/// `src/apis/<group>.rs`.
#[derive(Debug, Serialize)]
pub struct GroupView {
    pub type_name: String,
    pub accessor: String,
    pub tag: String,
    pub docs: Vec<String>,
    pub operations: Vec<OperationView>,
}

/// One operation method.
#[derive(Debug, Serialize)]
pub struct OperationView {
    pub method_name: String,
    pub const_name: String,
    pub operation_id: String,
    pub http_method: &'static str,
    pub path_template: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub args: Vec<ArgView>,
    pub return_ty: String,
    pub calls: Vec<String>,
    pub send: &'static str,
}

/// One method argument.
#[derive(Debug, Serialize)]
pub struct ArgView {
    pub name: String,
    pub ty: String,
}

fn docs(text: Option<&str>) -> Vec<String> {
    text.map(doc_lines).unwrap_or_default()
}

/// Doc-comment lines ready to follow `///` or `//!`: non-empty lines start with a space.
fn doc_lines(text: &str) -> Vec<String> {
    rustdoc_lines(text).into_iter().map(spaced).collect()
}

fn spaced(line: String) -> String {
    if line.is_empty() { line } else { format!(" {line}") }
}

/// The type's description, or a sentence naming where it comes from.
fn type_docs(def: &TypeDef) -> Vec<String> {
    match def.description.as_deref() {
        Some(text) if !text.trim().is_empty() => doc_lines(text),
        _ => vec![format!(" The schema at `{}`.", def.origin)],
    }
}

/// The view of the crate root.
pub fn lib(api: &Api, krate: &CrateInfo) -> LibView {
    let example = api.groups.iter().find_map(|group| {
        group
            .operations
            .iter()
            .find(|op| op.body.is_none() && op.params.iter().all(|p| p.location == ParamLocation::Path))
            .map(|op| {
                let mut setup = Vec::new();
                let mut args = Vec::new();
                for param in &op.params {
                    let value = match &param.ty {
                        ir::TypeRef::Primitive(ir::Primitive::Uuid) => "::uuid::Uuid::nil()".to_owned(),
                        ir::TypeRef::Primitive(ir::Primitive::String) => string_literal("example"),
                        ir::TypeRef::Primitive(ir::Primitive::Bool) => "true".to_owned(),
                        ir::TypeRef::Primitive(_) => "1".to_owned(),
                        _ => "Default::default()".to_owned(),
                    };
                    setup.push(format!("let {} = {value};", param.name));
                    args.push(param.name.clone());
                }
                ExampleView {
                    accessor: group.accessor.clone(),
                    method_name: op.method_name.clone(),
                    args,
                    setup,
                    returns_value: matches!(op.response, SuccessResponse::Json(_)),
                }
            })
    });
    LibView {
        krate: krate.clone(),
        crate_ident: krate.name.replace('-', "_"),
        title: api.title.clone(),
        api_version: api.api_version.clone(),
        docs: docs(api.description.as_deref()),
        auth_docs: match &api.auth {
            ir::Auth::Bearer { description } => docs(description.as_deref()),
            ir::Auth::None => Vec::new(),
        },
        base_url: api.base_url.as_deref().map(string_literal),
        example,
        has_page: page(api).is_some(),
        has_webhooks: webhooks(api).is_some(),
        uses: runtime(api).uses,
    }
}

/// The view of `Cargo.toml` and `README.md`.
pub fn krate(api: &Api, krate: &CrateInfo) -> CrateView {
    let groups = api
        .groups
        .iter()
        .map(|group| ReadmeGroup {
            accessor: group.accessor.clone(),
            tag: group.tag.clone(),
            operations: group
                .operations
                .iter()
                .map(|op| ReadmeOperation {
                    example: {
                        let args: Vec<&str> = op
                            .params
                            .iter()
                            .filter(|p| p.required)
                            .map(|p| p.name.as_str())
                            .chain(op.body.iter().map(|b| b.name.as_str()))
                            .map(|name| name.strip_prefix("r#").unwrap_or(name))
                            .collect();
                        format!("client.{}().{}({}).await?", group.accessor, op.method_name, args.join(", "))
                    },
                    method_name: op.method_name.clone(),
                    http_method: op.http_method.as_str(),
                    path: op.path.raw.clone(),
                    summary: op.summary.clone().unwrap_or_else(|| op.operation_id.clone()),
                })
                .collect(),
        })
        .collect();
    CrateView {
        krate: krate.clone(),
        uses: runtime(api).uses,
        has_webhooks: webhooks(api).is_some(),
        crate_ident: krate.name.replace('-', "_"),
        description: toml_string(&format!(
            "Rust client for the {}, generated from its OpenAPI document.",
            api.title
        )),
        title: api.title.clone(),
        groups,
    }
}

/// The view of `src/models/mod.rs`.
pub fn models_mod(api: &Api) -> ModelsModView {
    let mut types: Vec<TypeLink> =
        api.types.iter().map(|def| TypeLink { name: def.name.clone(), module: def.module.clone() }).collect();
    types.sort_by(|a, b| a.module.cmp(&b.module));
    ModelsModView { types }
}

/// The template and view of one model file.
pub enum ModelView {
    /// `models/struct.rs.j2`.
    Struct(StructView),
    /// `models/enum.rs.j2`.
    Enum(EnumView),
    /// `models/alias.rs.j2`.
    Alias(AliasView),
    /// `models/union.rs.j2`.
    Union(UnionView),
    /// `models/form.rs.j2`.
    Form(FormView),
}

/// The view of one model.
pub fn model(api: &Api, def: &TypeDef) -> ModelView {
    let scope = Scope::new(&def.name, true);
    match &def.kind {
        TypeKind::Struct(s) if s.form => {
            let form_scope = scope.form();
            ModelView::Form(FormView {
                name: def.name.clone(),
                docs: type_docs(def),
                deprecated: def.deprecated,
                derive_default: s.fields.iter().all(|f| !f.required || f.nullable),
                fields: s
                    .fields
                    .iter()
                    .map(|field| {
                        let base = field_view(api, form_scope, field);
                        let binary = ir::TypeRef::Primitive(ir::Primitive::Binary);
                        let part = match &field.ty {
                            ty if *ty == binary => "files",
                            ir::TypeRef::List(inner) if **inner == binary => "files",
                            _ => "text",
                        };
                        FormFieldView {
                            name: base.name,
                            wire: string_literal(&field.wire_name),
                            docs: base.docs,
                            ty: base.ty,
                            part,
                            in_new: base.in_new,
                        }
                    })
                    .collect(),
                constructor: ConstructorView::new(&s.fields),
            })
        }
        TypeKind::Struct(s) => {
            let fields: Vec<FieldView> = s.fields.iter().map(|field| field_view(api, scope, field)).collect();
            let derive_default = s.fields.iter().all(|f| !f.required || f.nullable);
            ModelView::Struct(StructView {
                name: def.name.clone(),
                docs: type_docs(def),
                deprecated: def.deprecated,
                derive_default,
                fields,
                extra: s.extra.as_ref().map(|extra| ExtraView {
                    name: extra.name.clone(),
                    ty: scope.type_expr(api, &ir::TypeRef::Map(Box::new(extra.value.clone()))),
                }),
                constructor: ConstructorView::new(&s.fields),
            })
        }
        TypeKind::Enum(e) => ModelView::Enum(EnumView {
            name: def.name.clone(),
            docs: type_docs(def),
            deprecated: def.deprecated,
            is_string: e.repr == EnumRepr::String,
            closed: e.closed,
            keeps_unknown: e.keeps_unknown,
            variants: e
                .variants
                .iter()
                .map(|v| VariantView {
                    name: v.name.clone(),
                    wire: match &v.value {
                        EnumValue::String(s) => s.clone(),
                        EnumValue::Integer(i) => i.to_string(),
                    },
                    literal: match &v.value {
                        EnumValue::String(s) => string_literal(s),
                        EnumValue::Integer(i) => int_literal(*i),
                    },
                })
                .collect(),
            unknown: e.unknown_variant.clone(),
            value_ty: match e.repr {
                EnumRepr::String => scope.string().to_owned(),
                EnumRepr::Integer => "i64".to_owned(),
            },
            result: scope.result(),
        }),
        TypeKind::Union(u) => ModelView::Union(UnionView {
            name: def.name.clone(),
            docs: type_docs(def),
            deprecated: def.deprecated,
            variants: u
                .variants
                .iter()
                .map(|v| {
                    let ty = scope.type_expr(api, &v.ty);
                    UnionVariantView { name: v.name.clone(), ty: if v.boxed { scope.boxed(&ty) } else { ty } }
                })
                .collect(),
        }),
        TypeKind::Page(item) => ModelView::Alias(AliasView {
            name: def.name.clone(),
            docs: type_docs(def),
            deprecated: def.deprecated,
            ty: format!("crate::Page<{}>", scope.type_expr(api, item)),
        }),
        TypeKind::Alias(ty) => ModelView::Alias(AliasView {
            name: def.name.clone(),
            docs: type_docs(def),
            deprecated: def.deprecated,
            ty: scope.type_expr(api, ty),
        }),
    }
}

fn field_view(api: &Api, scope: Scope, field: &ir::Field) -> FieldView {
    let mut ty = scope.type_expr(api, &field.ty);
    if field.boxed {
        ty = scope.boxed(&ty);
    }
    let optional = !field.required || field.nullable;
    if optional {
        ty = scope.option(&ty);
    }
    let mut serde = Vec::new();
    if crate::names::unraw(&field.name) != field.wire_name {
        serde.push(format!("rename = {}", string_literal(&field.wire_name)));
    }
    if !field.required {
        let is_none = if scope.qualify_std { "::std::option::Option::is_none" } else { "Option::is_none" };
        serde.push(format!("default, skip_serializing_if = {}", string_literal(is_none)));
    }
    // A property that only refers to a named type borrows that type's description.
    let borrowed = match &field.ty {
        ir::TypeRef::Named(id) => api.types.get(id.0).and_then(|def| def.description.as_deref()),
        _ => None,
    };
    let mut docs = docs(field.description.as_deref().or(borrowed));
    if docs.is_empty() {
        docs.push(format!(" The `{}` property.", field.wire_name));
    }
    FieldView {
        name: field.name.clone(),
        docs,
        deprecated: field.deprecated,
        serde: (!serde.is_empty()).then(|| serde.join(", ")),
        ty,
        in_new: field.required,
    }
}

/// The view of `src/apis/mod.rs`.
pub fn apis_mod(api: &Api) -> ApisModView {
    ApisModView {
        groups: api
            .groups
            .iter()
            .map(|g| GroupLink {
                accessor: g.accessor.clone(),
                type_name: g.type_name.clone(),
                module: g.module.clone(),
                tag: g.tag.clone(),
            })
            .collect(),
    }
}

/// The view of one group's file.
pub fn group(api: &Api, group: &ir::Group) -> GroupView {
    let scope = Scope::new(&group.type_name, false);
    GroupView {
        type_name: group.type_name.clone(),
        accessor: group.accessor.clone(),
        tag: group.tag.clone(),
        docs: docs(group.description.as_deref()),
        operations: group.operations.iter().map(|op| operation(api, scope, op)).collect(),
    }
}

fn operation(api: &Api, scope: Scope, op: &Operation) -> OperationView {
    let mut docs = Vec::new();
    if let Some(summary) = &op.summary {
        docs.extend(doc_lines(summary));
        docs.push(String::new());
    }
    if let Some(description) = &op.description {
        docs.extend(doc_lines(description));
        docs.push(String::new());
    }
    docs.push(format!(" `{} {}` (operation `{}`).", op.http_method.as_str(), op.path.raw, op.operation_id));

    let mut args: Vec<ArgView> = op
        .params
        .iter()
        .map(|p| ArgView { name: p.name.clone(), ty: scope.arg_type(api, &p.ty, p.required) })
        .collect();
    let mut calls = Vec::new();
    for part in &op.path.parts {
        match part {
            PathPart::Literal(text) => calls.push(format!("path({})", string_literal(text))),
            PathPart::Param(index) => {
                if let Some(param) = op.params.get(*index) {
                    calls.push(format!("path_param(&{})", param.name));
                }
            }
        }
    }
    for param in &op.params {
        match param.location {
            ParamLocation::Path => {}
            ParamLocation::Query => {
                calls.push(format!("query({}, &{})", string_literal(&param.wire_name), param.name))
            }
            ParamLocation::Header => {
                calls.push(format!("header({}, &{})", string_literal(&param.wire_name), param.name))
            }
        }
    }
    if let Some(body) = &op.body {
        args.push(ArgView { name: body.name.clone(), ty: scope.arg_type(api, &body.ty, body.required) });
        let method = match (body.encoding, body.required) {
            (ir::BodyEncoding::Json, true) => "json",
            (ir::BodyEncoding::Json, false) => "json_opt",
            (ir::BodyEncoding::Multipart, true) => "multipart",
            (ir::BodyEncoding::Multipart, false) => "multipart_opt",
        };
        calls.push(format!("{method}({})", body.name));
    }
    let (return_ty, send) = match &op.response {
        SuccessResponse::Json(ty) => (scope.type_expr(api, ty), "json_response"),
        SuccessResponse::Empty => ("()".to_owned(), "empty_response"),
    };
    OperationView {
        method_name: op.method_name.clone(),
        const_name: op.const_name.clone(),
        operation_id: string_literal(&op.operation_id),
        http_method: op.http_method.as_str(),
        path_template: string_literal(&op.path.raw),
        docs,
        deprecated: op.deprecated,
        args,
        return_ty,
        calls,
        send,
    }
}

/// A TOML basic string: JSON's escaping is valid TOML.
fn toml_string(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}
