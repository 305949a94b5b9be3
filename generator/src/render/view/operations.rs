//! The views of operation files (`src/apis/*.rs`): groups and their methods.

use serde::Serialize;

use crate::ir::{self, Api, Operation, ParamLocation, PathPart, SuccessResponse};
use crate::render::docs::code_span;
use crate::render::rust::{Scope, string_literal};

use super::{doc_lines, docs, group_scope};

/// `src/apis/mod.rs`.
#[derive(Debug, Serialize)]
pub struct ApisModView {
    pub groups: Vec<GroupLink>,
    /// Whether some operations without a tag are grouped by their path.
    pub path_groups: bool,
    /// The security schemes, when operations need different ones.
    pub schemes: Option<super::SchemesView>,
}

/// A group and where it lives.
#[derive(Debug, Serialize)]
pub struct GroupLink {
    pub accessor: String,
    pub type_name: String,
    pub module: String,
    /// What the group's operations have in common ([`super::group_scope`]).
    pub scope: String,
}

/// `src/apis/<group>.rs`.
#[derive(Debug, Serialize)]
pub struct GroupView {
    pub type_name: String,
    pub accessor: String,
    /// What the group's operations have in common ([`super::group_scope`]).
    pub scope: String,
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
    /// More arguments than clippy's `too_many_arguments` allows (7, with `&self`).
    pub many_args: bool,
    pub args: Vec<ArgView>,
    /// What the returned `crate::Call` is generic over after its lifetime: the value's type,
    /// then the marker of the optional parameters when there are some.
    pub return_ty: String,
    pub calls: Vec<String>,
    /// The call that finishes the request, with its arguments.
    pub send: String,
    /// The enum of the documented error responses' bodies.
    pub error_enum: Option<ErrorEnumView>,
    /// The methods that set the optional parameters on the returned call.
    pub options: Option<OptionsView>,
}

/// The optional parameters of an operation: a type that marks its call, and a method of that
/// call for each parameter.
#[derive(Debug, Serialize)]
pub struct OptionsView {
    /// The marker type, declared in the group's module.
    pub marker: String,
    /// The marked call type, `crate::Call<'_, T, Marker>`.
    pub call_ty: String,
    /// The method, as docs mention it (see [`ErrorEnumView::method_doc`]).
    pub method_doc: String,
    pub setters: Vec<SetterView>,
    /// The page streams, when the operation is a list the SDK can walk to the end.
    pub paging: Option<super::paging::PagingView>,
}

/// The method that sets one optional parameter.
#[derive(Debug, Serialize)]
pub struct SetterView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub ty: String,
    /// The request builder call that sets it from the setter's `value`, such as
    /// `query("page", &value)`.
    pub call: String,
}

/// An operation's error enum: a variant per documented error response with a JSON body.
#[derive(Debug, Serialize)]
pub struct ErrorEnumView {
    pub name: String,
    /// The method, as its docs mention it: a link, except for a raw identifier (`r#type`),
    /// which rustdoc cannot link to.
    pub method_doc: String,
    /// The operation's id, as a string literal.
    pub operation_id: String,
    pub variants: Vec<ErrorVariantView>,
    /// The `match` arms on the status, in the order they are tried, the catch-all included.
    pub arms: Vec<ErrorArmView>,
    /// The whole body of `from_api` when one arm takes every status (`default` is the only
    /// response): no `match` is needed.
    pub only: Option<String>,
}

/// One variant of an error enum.
#[derive(Debug, Serialize)]
pub struct ErrorVariantView {
    pub name: String,
    pub docs: Vec<String>,
    pub ty: String,
}

/// One arm of an error enum's `match` on the status.
#[derive(Debug, Serialize)]
pub struct ErrorArmView {
    /// `404`, `status if status / 100 == 4` or `_`.
    pub pattern: String,
    /// What the arm gives: a decoded variant, or `Other` for a status without a body type.
    pub value: String,
}

/// One method argument.
#[derive(Debug, Serialize)]
pub struct ArgView {
    pub name: String,
    pub ty: String,
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
                scope: group_scope(g),
            })
            .collect(),
        path_groups: api.groups.iter().any(|g| !g.untagged_under.is_empty()),
        schemes: super::schemes(api),
    }
}

/// The view of one group's file, in the crate named `krate` (its Rust name, for the examples).
pub fn group(api: &Api, krate: &str, group: &ir::Group) -> GroupView {
    let scope = Scope::new(&group.type_name, false);
    GroupView {
        type_name: group.type_name.clone(),
        accessor: group.accessor.clone(),
        scope: group_scope(group),
        docs: docs(group.description.as_deref()),
        operations: group
            .operations
            .iter()
            .map(|op| {
                let mut view = operation(api, scope, &group.type_name, op);
                let example = crate::render::example::example_call(api, krate, &group.accessor, op);
                let returns_value = !matches!(op.response, SuccessResponse::Empty);
                view.docs.extend(example.doc_section(krate, returns_value));
                view
            })
            .collect(),
    }
}

/// The `# Errors` section: the documented error statuses and the types of their bodies, which
/// `ApiError::decode` reads.
fn error_docs(
    api: &Api,
    scope: Scope,
    errors: &[ir::ErrorResponse],
    error_enum: Option<&str>,
) -> Vec<String> {
    if errors.is_empty() {
        return Vec::new();
    }
    let mut docs = vec![
        String::new(),
        " # Errors".to_owned(),
        String::new(),
        " [`crate::Error::Api`] when the server answers outside 2xx. The spec documents:".to_owned(),
    ];
    for error in errors {
        let body = match &error.ty {
            Some(ir::TypeRef::Named(id)) => {
                let name = api.types.get(id.0).map(|def| def.name.as_str()).unwrap_or_default();
                format!(" [`{name}`](crate::models::{name})")
            }
            Some(ty) => format!(" `{}`", scope.type_expr(api, ty)),
            None => String::new(),
        };
        // The description's first paragraph, on one line.
        let paragraph: Vec<&str> = error
            .description
            .as_deref()
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .skip_while(|line| line.is_empty())
            .take_while(|line| !line.is_empty())
            .collect();
        // Escaped like every description: bare URLs, brackets and HTML stay text.
        let escaped = crate::render::docs::rustdoc_lines(&paragraph.join(" ")).join(" ");
        let what = if escaped.trim().is_empty() {
            String::new()
        } else {
            format!(" {}", escaped.trim().trim_end_matches('.'))
        };
        let separator = if body.is_empty() || what.is_empty() { "" } else { ":" };
        docs.push(format!(" - `{}`{body}{separator}{what}", code_span(&error.status)));
    }
    docs.push(String::new());
    docs.push(match error_enum {
        Some(name) => format!(" [`crate::Error::typed`] reads the body as a [`{name}`]."),
        None => " [`crate::ApiError::decode`] reads an error body as its type.".to_owned(),
    });
    docs
}

/// What an error enum's `from_api` gives for a status the spec documents no body type for.
const UNMATCHED_STATUS: &str = "Self::Other(crate::Unmatched::Status(error.status()))";

/// The view of an operation's error enum.
fn error_enum(api: &Api, scope: Scope, group_type: &str, op: &Operation) -> Option<ErrorEnumView> {
    let name = op.error_enum.clone()?;
    let errors = op.errors_by_precedence();
    let typed =
        |statuses: ir::StatusMatch| errors.iter().any(|e| e.statuses == statuses && e.variant.is_some());
    let has_unlisted = !typed(ir::StatusMatch::Default);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for error in errors.iter().copied() {
        let pattern = match error.statuses {
            ir::StatusMatch::Code(code) => code.to_string(),
            // A guard rather than `400..=499`, which clippy reads as overlapping the exact
            // statuses of the class listed before it.
            ir::StatusMatch::Range(class) => format!("status if status / 100 == {class}"),
            ir::StatusMatch::Default => "_".to_owned(),
        };
        let (Some(variant), Some(ty)) = (&error.variant, &error.ty) else {
            // A status documented without a body stays out of the class or `default` arm that
            // would otherwise take it.
            let caught = match error.statuses {
                ir::StatusMatch::Code(code) => typed(ir::StatusMatch::Range(code / 100)) || !has_unlisted,
                ir::StatusMatch::Range(_) => !has_unlisted,
                ir::StatusMatch::Default => false,
            };
            if caught {
                arms.push(ErrorArmView { pattern, value: UNMATCHED_STATUS.to_owned() });
            }
            continue;
        };
        // The status on a line of its own, so that a description opening with a code fence
        // keeps it.
        let mut docs = vec![format!(" `{}`:", code_span(&error.status))];
        docs.extend(error.description.as_deref().map(doc_lines).unwrap_or_default());
        docs.push(String::new());
        docs.push(format!(" `Err` holds the raw body when it is not a {}.", error_body_name(api, scope, ty)));
        variants.push(ErrorVariantView { name: variant.clone(), docs, ty: scope.error_variant(api, ty) });
        arms.push(ErrorArmView { pattern, value: format!("error.variant(Self::{variant})") });
    }
    let only = match arms.as_slice() {
        [arm] if !has_unlisted => Some(arm.value.clone()),
        _ => None,
    };
    if has_unlisted {
        arms.push(ErrorArmView { pattern: "_".to_owned(), value: UNMATCHED_STATUS.to_owned() });
    }
    let operation_id = string_literal(&op.operation_id);
    Some(ErrorEnumView { name, method_doc: method_doc(group_type, op), operation_id, variants, arms, only })
}

/// A documented error body's type as a sentence names it: a link to a model, or the type in
/// code.
fn error_body_name(api: &Api, scope: Scope, ty: &ir::TypeRef) -> String {
    match ty {
        ir::TypeRef::Named(id) => {
            let name = api.types.get(id.0).map(|def| def.name.as_str()).unwrap_or_default();
            format!("[`{name}`](crate::models::{name})")
        }
        ty => format!("`{}`", scope.type_expr(api, ty)),
    }
}

/// The operation's method as docs mention it: a link, except for a raw identifier (`r#type`),
/// which rustdoc cannot link to.
fn method_doc(group_type: &str, op: &Operation) -> String {
    let method = format!("{group_type}::{}", crate::names::unraw(&op.method_name));
    if op.method_name.starts_with("r#") { format!("`{method}`") } else { format!("[`{method}`]") }
}

/// The request builder call that sends a parameter from the variable `name`; `None` for a path
/// parameter, which the path's parts send.
fn param_call(param: &ir::Param, name: &str) -> Option<String> {
    let wire = string_literal(&param.wire_name);
    Some(match (param.location, param.style) {
        (ParamLocation::Path, _) => return None,
        (ParamLocation::Query, ir::ParamStyle::Default) => format!("query({wire}, &{name})"),
        (ParamLocation::Query, style) => {
            let style = match style {
                ir::ParamStyle::Default | ir::ParamStyle::FormCompact => "FormCompact",
                ir::ParamStyle::SpaceDelimited => "SpaceDelimited",
                ir::ParamStyle::PipeDelimited => "PipeDelimited",
                ir::ParamStyle::DeepObject => "DeepObject",
                ir::ParamStyle::Json => "Json",
            };
            format!("query_style({wire}, &{name}, crate::codec::QueryStyle::{style})")
        }
        (ParamLocation::Header, _) => format!("header({wire}, &{name})"),
        (ParamLocation::Cookie, _) => format!("cookie({wire}, &{name})"),
    })
}

/// The view of an operation's optional parameters, set by methods of its call.
fn options(
    api: &Api,
    scope: Scope,
    group_type: &str,
    op: &Operation,
    return_ty: &str,
) -> Option<OptionsView> {
    let marker = op.options.clone()?;
    let setters = op
        .optional_params()
        .filter_map(|param| {
            let location = match param.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
            };
            let mut docs = vec![format!(" Sets the `{}` {location} parameter.", code_span(&param.wire_name))];
            if let Some(description) = &param.description {
                docs.push(String::new());
                docs.extend(doc_lines(description));
            }
            Some(SetterView {
                name: param.name.clone(),
                docs,
                deprecated: param.deprecated,
                ty: scope.arg_type(api, &param.ty, true),
                // The argument is `value` whatever the parameter's name, so that it cannot be
                // the name of the closure's request.
                call: param_call(param, "value")?,
            })
        })
        .collect();
    Some(OptionsView {
        call_ty: format!("crate::Call<'_, {return_ty}, {marker}>"),
        marker,
        method_doc: method_doc(group_type, op),
        setters,
        // Rendering checked that every operation's paging view can be built.
        paging: super::paging::paging(api, scope, op).ok().flatten(),
    })
}

/// The docs line of a request body that can hold nothing, which the method does not take.
fn empty_body_doc(empty: &ir::EmptyBody) -> String {
    let media = code_span(&empty.media_type);
    match (empty.required, empty.encoding) {
        (false, _) => format!(
            " The spec declares an optional body (`{media}`) that can hold nothing: the method takes none and sends none."
        ),
        (true, ir::BodyEncoding::Form) => format!(
            " The spec requires a body (`{media}`) that can hold nothing: the method takes none and sends an empty form."
        ),
        (true, _) => format!(
            " The spec requires a body (`{media}`) that can hold nothing: the method takes none and sends `{{}}`."
        ),
    }
}

fn operation(api: &Api, scope: Scope, group_type: &str, op: &Operation) -> OperationView {
    let mut docs = Vec::new();
    // A summary or description that is empty (or blank) adds no lines, blank ones included.
    for text in [&op.summary, &op.description].into_iter().flatten() {
        let lines = doc_lines(text);
        if !lines.is_empty() {
            docs.extend(lines);
            docs.push(String::new());
        }
    }
    docs.push(format!(
        " `{} {}` (operation `{}`).",
        op.http_method.as_str(),
        code_span(&op.path.raw),
        code_span(&op.operation_id)
    ));
    if let Some(empty) = &op.empty_body {
        docs.push(String::new());
        docs.push(empty_body_doc(empty));
    }
    docs.extend(error_docs(api, scope, &op.errors, op.error_enum.as_deref()));

    let setters: Vec<String> = op.optional_params().map(|p| format!("`{}`", p.name)).collect();
    if !setters.is_empty() {
        docs.push(String::new());
        docs.push(format!(
            " Optional parameters, set by methods of the returned call: {}.",
            setters.join(", ")
        ));
    }
    if op.pagination.is_some() && op.options.is_some() {
        docs.push(String::new());
        docs.push(
            " A list: the returned call's `pages()` and `items()` are streams that follow it to the end."
                .to_owned(),
        );
    }

    let mut args: Vec<ArgView> = op
        .positional_params()
        .map(|p| ArgView { name: p.name.clone(), ty: scope.arg_type(api, &p.ty, p.required) })
        .collect();
    let mut calls: Vec<String> = super::security_call(api, op).into_iter().collect();
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
    calls.extend(op.positional_params().filter_map(|param| param_call(param, &param.name)));
    if let Some(body) = &op.body {
        args.push(ArgView { name: body.name.clone(), ty: scope.body_type(api, body) });
        let name = &body.name;
        let media = string_literal(&body.media_type);
        calls.push(match (body.encoding, body.required) {
            (ir::BodyEncoding::Json, true) => format!("json({name})"),
            (ir::BodyEncoding::Json, false) => format!("json_opt({name})"),
            (ir::BodyEncoding::Form, true) => format!("form(Some({name}))"),
            (ir::BodyEncoding::Form, false) => format!("form({name})"),
            (ir::BodyEncoding::Multipart, true) => format!("multipart({name})"),
            (ir::BodyEncoding::Multipart, false) => format!("multipart_opt({name})"),
            (ir::BodyEncoding::Text, true) => format!("text(Some({name}.into()), {media})"),
            (ir::BodyEncoding::Text, false) => format!("text({name}, {media})"),
            (ir::BodyEncoding::Bytes, true) => format!("binary(Some({name}.into()), {media})"),
            (ir::BodyEncoding::Bytes, false) => format!("binary({name}, {media})"),
        });
    }
    if let Some(empty) = op.empty_body.as_ref().filter(|empty| empty.required) {
        // The one value such a body can hold.
        calls.push(match empty.encoding {
            ir::BodyEncoding::Form => "form(Some(&::serde_json::Map::new()))".to_owned(),
            _ => "json(&::serde_json::Map::new())".to_owned(),
        });
    }
    let value_ty = scope.response_type(api, &op.response);
    let options = options(api, scope, group_type, op, &value_ty);
    let return_ty = match &options {
        Some(options) => format!("{value_ty}, {}", options.marker),
        None => value_ty,
    };
    let send = match &op.response {
        SuccessResponse::Json(_) => "json_response()".to_owned(),
        SuccessResponse::Text { accept } => format!("text_response({})", string_literal(accept)),
        SuccessResponse::Bytes { accept } => format!("bytes_response({})", string_literal(accept)),
        SuccessResponse::Binary { accept } => format!("binary_response({})", string_literal(accept)),
        SuccessResponse::Events { data: None } => "event_response()".to_owned(),
        SuccessResponse::Events { data: Some(_) } => "json_event_response()".to_owned(),
        SuccessResponse::Empty => "empty_response()".to_owned(),
    };
    OperationView {
        method_name: op.method_name.clone(),
        const_name: op.const_name.clone(),
        operation_id: string_literal(&op.operation_id),
        http_method: op.http_method.as_str(),
        path_template: string_literal(&op.path.raw),
        docs,
        deprecated: op.deprecated,
        // `&self` is one of them.
        many_args: crate::render::rust::too_many_arguments(args.len() + 1),
        args,
        return_ty,
        calls,
        send,
        error_enum: error_enum(api, scope, group_type, op),
        options,
    }
}
