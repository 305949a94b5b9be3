//! Lowering of paths and operations into groups of methods.
//!
//! Operations are visited in path order, then in a fixed method order. Each lands in the group
//! of its first tag (or `default`). A method's name is its operationId with the group's own
//! words removed (`getChat` in `chats` becomes `get`), unless that would collide in the group.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, StatusCode};

use super::Context;
use super::schemas::Node;
use crate::ir::{
    ApiKeyLocation, Auth, BodyEncoding, Group, HttpMethod, Operation, Param, ParamLocation, ParamStyle,
    PathPart, PathTemplate, Primitive, RequestBody, SuccessResponse, TypeRef,
};
use crate::names::{self, Case, Claim, Namespace, Order};
use crate::pointer::JsonPointer;

/// The group of operations without a tag.
const DEFAULT_TAG: &str = "default";

/// The methods of the runtime's `Call`, which an optional parameter's method must not repeat.
const CALL_METHODS: &[&str] = &[
    "header",
    "idempotency_key",
    "into_future",
    "new",
    "retry",
    "retry_non_idempotent",
    "send",
    "timeout",
    "with",
    "with_response",
];

/// An operation before method names are chosen.
struct Pending {
    tag: String,
    full_name: String,
    short_name: String,
    operation: Operation,
}

impl<'a> Context<'a> {
    /// Lowers every operation and groups them by tag.
    pub(super) fn lower_operations(&mut self) -> Vec<Group> {
        let spec = self.spec;
        let mut paths: Vec<(&String, &ReferenceOr<openapiv3::PathItem>)> =
            spec.openapi.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        let mut pending = Vec::new();
        for (path, item) in paths {
            let at = JsonPointer::root().push("paths").push(path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.warn(at, "a `$ref` path item is not supported; its operations are not generated");
                    continue;
                }
            };
            let methods = [
                (HttpMethod::Get, &item.get),
                (HttpMethod::Put, &item.put),
                (HttpMethod::Post, &item.post),
                (HttpMethod::Delete, &item.delete),
                (HttpMethod::Options, &item.options),
                (HttpMethod::Head, &item.head),
                (HttpMethod::Patch, &item.patch),
                (HttpMethod::Trace, &item.trace),
            ];
            for (method, operation) in methods {
                if let Some(operation) = operation {
                    let op_at = at.push(method.as_str().to_ascii_lowercase());
                    if let Some(lowered) = self.lower_operation(path, method, (item, &at), operation, &op_at)
                    {
                        pending.push(lowered);
                    }
                }
            }
        }
        self.dedupe_operation_ids(&mut pending);
        self.group(pending)
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: HttpMethod,
        item: (&'a openapiv3::PathItem, &JsonPointer),
        operation: &'a openapiv3::Operation,
        at: &JsonPointer,
    ) -> Option<Pending> {
        let operation_id =
            operation.operation_id.clone().unwrap_or_else(|| derived_operation_id(method, path));
        let tag = operation.tags.first().cloned().unwrap_or_else(|| DEFAULT_TAG.to_owned());
        let type_hint = names::type_name(&operation_id, "Operation");

        let mut params = self.lower_params(item, operation, at, &type_hint);
        let path_template = self.path_template(path, &mut params, at)?;
        let body = self.request_body(operation, at, &type_hint);
        let mut claims: Vec<Claim> = params
            .iter()
            .map(|p| {
                // An optional parameter becomes a method of the returned call, beside the call's
                // own methods.
                let rust = if !p.positional() && CALL_METHODS.contains(&p.name.as_str()) {
                    format!("{}_param", p.name)
                } else {
                    p.name.clone()
                };
                Claim::first(p.wire_name.clone(), rust)
            })
            .collect();
        if let Some(body) = &body {
            // The body yields to every parameter, so a parameter called `body` keeps its name
            // and the body argument becomes `body_2`.
            claims.push(Claim::then("body", body.name.clone()));
        }
        let (arg_names, _) = self.settle(&mut Namespace::new(Case::Snake), &claims, Order::Wire);
        for (param, name) in params.iter_mut().zip(&arg_names) {
            param.name = name.clone();
        }
        let body = body.map(|mut body| {
            body.name = arg_names.last().cloned().unwrap_or(body.name);
            body
        });
        let response = self.success_response(operation, at, &type_hint);
        let errors = self.error_responses(operation, at, &type_hint);

        let full_name = names::snake_name(&operation_id, "call");
        let short_name = short_method_name(&full_name, &tag);
        Some(Pending {
            tag,
            full_name,
            short_name,
            operation: Operation {
                method_name: String::new(),
                const_name: names::ident(&operation_id, Case::Const, "OPERATION"),
                operation_id,
                http_method: method,
                path: path_template,
                params,
                body,
                response,
                errors,
                error_enum: None,
                options: None,
                summary: operation.summary.clone(),
                description: operation.description.clone(),
                deprecated: operation.deprecated,
                origin: at.clone(),
            },
        })
    }

    /// Path-item and operation parameters, the operation's winning on the same name and place.
    fn lower_params(
        &mut self,
        (item, path_at): (&'a openapiv3::PathItem, &JsonPointer),
        operation: &'a openapiv3::Operation,
        at: &JsonPointer,
        type_hint: &str,
    ) -> Vec<Param> {
        let mut all: Vec<(JsonPointer, &'a Parameter)> = Vec::new();
        let sources =
            [(path_at.push("parameters"), &item.parameters), (at.push("parameters"), &operation.parameters)];
        for (base, list) in sources {
            for (index, parameter) in list.iter().enumerate() {
                let pointer = base.push(index.to_string());
                let Some((parameter, pointer)) =
                    self.component(parameter, pointer, "parameters", |c| &c.parameters)
                else {
                    continue;
                };
                let data = parameter.parameter_data_ref();
                let same = |(_, p): &(JsonPointer, &Parameter)| {
                    p.parameter_data_ref().name == data.name
                        && std::mem::discriminant(*p) == std::mem::discriminant(parameter)
                };
                all.retain(|entry| !same(entry));
                all.push((pointer, parameter));
            }
        }
        let mut params = Vec::new();
        for (pointer, parameter) in all {
            let data = parameter.parameter_data_ref();
            let (location, mut style) = match parameter {
                Parameter::Path { .. } => (ParamLocation::Path, ParamStyle::Default),
                Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Default),
                Parameter::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Default),
                Parameter::Query { style, .. } => {
                    let style = match (style, data.explode.unwrap_or(true)) {
                        (QueryStyle::Form, true) => ParamStyle::Default,
                        (QueryStyle::Form, false) => ParamStyle::FormCompact,
                        (QueryStyle::SpaceDelimited, _) => ParamStyle::SpaceDelimited,
                        (QueryStyle::PipeDelimited, _) => ParamStyle::PipeDelimited,
                        (QueryStyle::DeepObject, _) => ParamStyle::DeepObject,
                    };
                    (ParamLocation::Query, style)
                }
            };
            let (schema, schema_at) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => (schema, pointer.push("schema")),
                ParameterSchemaOrContent::Content(content) => {
                    let json = content.iter().find(|(media, _)| is_json(media));
                    let Some((media, schema)) = json.and_then(|(m, c)| Some((m, c.schema.as_ref()?))) else {
                        self.warn(
                            pointer,
                            "parameters with non-JSON `content` are not supported; this parameter is not sent",
                        );
                        continue;
                    };
                    if location != ParamLocation::Query {
                        self.warn(
                            pointer,
                            "JSON `content` is only supported for query parameters; this parameter is not sent",
                        );
                        continue;
                    }
                    style = ParamStyle::Json;
                    (schema, pointer.push("content").push(media).push("schema"))
                }
            };
            let hint = format!("{type_hint}{}", names::type_name(&data.name, "Param"));
            let lowered = self.lower_node(Node::from(schema), &schema_at, &hint);
            params.push(Param {
                name: names::snake_name(&data.name, "param"),
                wire_name: data.name.clone(),
                location,
                style,
                ty: lowered.ty,
                required: data.required || location == ParamLocation::Path,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                origin: pointer,
            });
        }
        params
    }

    /// Follows `$ref`s (chains too) into `#/components/<section>/...` until an item.
    pub(super) fn component<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        at: JsonPointer,
        section: &str,
        entries: fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'a T, JsonPointer)> {
        let spec = self.spec;
        let prefix = format!("#/components/{section}/");
        let mut current = item;
        let mut pointer = at.clone();
        // A chain longer than the section has entries goes round a cycle: a long chain is not one.
        let links = spec.openapi.components.as_ref().map_or(0, |components| entries(components).len());
        for _ in 0..=links {
            match current {
                ReferenceOr::Item(item) => return Some((item, pointer)),
                ReferenceOr::Reference { reference } => {
                    let found = reference.strip_prefix(&prefix).and_then(|key| {
                        let key = crate::pointer::unescape(key);
                        let next = entries(spec.openapi.components.as_ref()?).get(&key)?;
                        Some((key, next))
                    });
                    let Some((key, next)) = found else {
                        self.error(
                            at,
                            format!("`$ref` to `{reference}`, which is not in `#/components/{section}`"),
                        );
                        return None;
                    };
                    pointer = JsonPointer::root().push("components").push(section).push(key);
                    current = next;
                }
            }
        }
        self.error(at, "`$ref`s form a cycle");
        None
    }

    /// Splits the path into literal parts and parameters; path parameters come first in
    /// `params`, in path order, so that the method signature follows the URL.
    fn path_template(
        &mut self,
        path: &str,
        params: &mut Vec<Param>,
        at: &JsonPointer,
    ) -> Option<PathTemplate> {
        let mut parts = Vec::new();
        let mut ordered = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.error(at.clone(), format!("path `{path}` has an unclosed `{{`"));
                return None;
            };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            match params.iter().position(|p| p.location == ParamLocation::Path && p.wire_name == name) {
                Some(index) => {
                    let param = params.remove(index);
                    parts.push(PathPart::Param(ordered.len()));
                    ordered.push(param);
                }
                None => {
                    self.error(at.clone(), format!("path parameter `{name}` is not declared"));
                    return None;
                }
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        let unused: Vec<Param> =
            params.iter().filter(|p| p.location == ParamLocation::Path).cloned().collect();
        for param in unused {
            self.warn(
                param.origin.clone(),
                format!("path parameter `{}` does not occur in the path; it is not sent", param.wire_name),
            );
        }
        params.retain(|p| p.location != ParamLocation::Path);
        ordered.append(params);
        *params = ordered;
        Some(PathTemplate { raw: path.to_owned(), parts })
    }

    fn request_body(
        &mut self,
        operation: &'a openapiv3::Operation,
        at: &JsonPointer,
        type_hint: &str,
    ) -> Option<RequestBody> {
        let (body, body_at) =
            self.component(operation.request_body.as_ref()?, at.push("requestBody"), "requestBodies", |c| {
                &c.request_bodies
            })?;
        // One media type is chosen when several are offered: JSON first, then form, multipart,
        // text, and raw bytes last.
        let chosen = body
            .content
            .iter()
            .map(|(media, content)| (body_encoding(media), media, content))
            .min_by_key(|(encoding, _, _)| *encoding);
        let Some((encoding, media, content)) = chosen else {
            self.warn(body_at, "the request body has no media type; the body is not sent");
            return None;
        };
        let schema_at = body_at.push("content").push(media).push("schema");
        let ty = match (&content.schema, encoding) {
            (_, BodyEncoding::Text) => TypeRef::Primitive(Primitive::String),
            (_, BodyEncoding::Bytes) => TypeRef::Primitive(Primitive::Binary),
            (Some(schema), _) => {
                self.lower_node(Node::from(schema), &schema_at, &format!("{type_hint}Request")).ty
            }
            (None, _) => TypeRef::Any,
        };
        if encoding == BodyEncoding::Multipart && !self.is_struct(&ty) {
            self.warn(schema_at, "a multipart body must be an object with properties; the body is not sent");
            return None;
        }
        let media_type = match encoding {
            BodyEncoding::Json => "application/json",
            BodyEncoding::Form => "application/x-www-form-urlencoded",
            BodyEncoding::Multipart => "multipart/form-data",
            BodyEncoding::Text | BodyEncoding::Bytes if is_concrete(media) => media.as_str(),
            BodyEncoding::Text => "text/plain",
            BodyEncoding::Bytes => "application/octet-stream",
        };
        Some(RequestBody {
            name: "body".to_owned(),
            encoding,
            media_type: media_type.to_owned(),
            ty,
            required: body.required,
            description: body.description.clone(),
        })
    }

    /// The type of the first 2xx response, in status order.
    fn success_response(
        &mut self,
        operation: &'a openapiv3::Operation,
        at: &JsonPointer,
        type_hint: &str,
    ) -> SuccessResponse {
        let mut successes: Vec<(&StatusCode, &ReferenceOr<openapiv3::Response>)> = operation
            .responses
            .responses
            .iter()
            .filter(|(code, _)| match code {
                StatusCode::Code(code) => (200..300).contains(code),
                StatusCode::Range(range) => *range == 2,
            })
            .collect();
        successes.sort_by_key(|(code, _)| match code {
            StatusCode::Code(code) => *code,
            StatusCode::Range(_) => 299,
        });
        let Some((code, response)) = successes.first() else { return SuccessResponse::Empty };
        let Some((response, response_at)) =
            self.component(response, at.push("responses").push(code.to_string()), "responses", |c| {
                &c.responses
            })
        else {
            return SuccessResponse::Empty;
        };
        if response.content.is_empty() {
            return SuccessResponse::Empty;
        }
        // JSON first (a wildcard type with an object schema counts), then text, then bytes.
        let chosen = response
            .content
            .iter()
            .map(|(media, content)| (response_kind(media, content), media, content))
            .min_by_key(|(kind, _, _)| *kind);
        match chosen {
            Some((ResponseKind::Json, media, content)) => {
                let schema_at = response_at.push("content").push(media).push("schema");
                match &content.schema {
                    Some(schema) => SuccessResponse::Json(
                        self.lower_node(Node::from(schema), &schema_at, &format!("{type_hint}Response")).ty,
                    ),
                    None => SuccessResponse::Json(TypeRef::Any),
                }
            }
            Some((kind @ (ResponseKind::Text | ResponseKind::Bytes), _, _)) => {
                // The `Accept` header names every media type of that kind the spec lists.
                let listed: Vec<&str> = response
                    .content
                    .iter()
                    .filter(|(media, content)| response_kind(media, content) == kind)
                    .map(|(media, _)| media.as_str())
                    .filter(|media| media.bytes().all(|b| (b' '..=b'~').contains(&b)))
                    .collect();
                let accept = if listed.is_empty() { "*/*".to_owned() } else { listed.join(", ") };
                if kind == ResponseKind::Text {
                    SuccessResponse::Text { accept }
                } else {
                    SuccessResponse::Bytes { accept }
                }
            }
            None => SuccessResponse::Empty,
        }
    }

    /// Gives operations with the same operationId a numeric suffix, in path order.
    fn dedupe_operation_ids(&mut self, pending: &mut [Pending]) {
        let claims: Vec<Claim> = pending
            .iter()
            .map(|p| Claim::first(p.operation.origin.to_string(), p.full_name.clone()))
            .collect();
        let (unique, renamed) = self.settle(&mut Namespace::new(Case::Snake), &claims, Order::Wire);
        for rename in renamed {
            let origin = pending[rename.index].operation.origin.clone();
            let other = rename.kept_by.unwrap_or_default();
            self.warn(origin, format!("operation name `{}` is also used by {other}; renamed", rename.wanted));
        }
        for (p, name) in pending.iter_mut().zip(unique) {
            if p.full_name != name {
                p.short_name = name.clone();
                p.operation.const_name = name.to_ascii_uppercase();
            }
            p.full_name = name;
        }
    }

    /// Groups operations by tag and chooses method names.
    fn group(&mut self, pending: Vec<Pending>) -> Vec<Group> {
        // BTreeMap: groups come out sorted by tag.
        let mut by_tag: BTreeMap<String, Vec<Pending>> = BTreeMap::new();
        for p in pending {
            by_tag.entry(p.tag.clone()).or_default().push(p);
        }
        let spec = self.spec;
        let tag_claims: Vec<Claim> =
            by_tag.keys().map(|tag| Claim::first(tag.clone(), names::snake_name(tag, "default"))).collect();
        // The client's own methods are not group accessors.
        let mut client = Namespace::reserving(Case::Snake, &["new", "builder", "clone"]);
        let (accessors, _) = self.settle(&mut client, &tag_claims, Order::Wire);
        let type_claims: Vec<Claim> =
            by_tag.keys().map(|tag| Claim::first(tag.clone(), names::type_name(tag, "Default"))).collect();
        let (type_names, _) = self.settle(&mut Namespace::new(Case::Type), &type_claims, Order::Wire);
        let mut groups = Vec::new();
        for (((tag, mut ops), accessor), type_name) in by_tag.into_iter().zip(accessors).zip(type_names) {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for p in &ops {
                *counts.entry(p.short_name.as_str()).or_default() += 1;
            }
            let chosen: Vec<String> = ops
                .iter()
                .map(|p| {
                    if counts.get(p.short_name.as_str()) == Some(&1) {
                        p.short_name.clone()
                    } else {
                        p.full_name.clone()
                    }
                })
                .collect();
            for (p, name) in ops.iter_mut().zip(chosen) {
                p.operation.method_name = name;
            }
            self.name_group_types(ops.iter_mut().map(|p| &mut p.operation), &type_name);
            let mut operations: Vec<Operation> = ops.into_iter().map(|p| p.operation).collect();
            operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
            let description =
                spec.openapi.tags.iter().find(|t| t.name == tag).and_then(|t| t.description.clone());
            groups.push(Group {
                module: names::module_name(&accessor),
                accessor,
                type_name,
                tag,
                description,
                operations,
            });
        }
        groups
    }

    /// The authentication the SDK applies to every request.
    pub(super) fn auth(&mut self) -> Auth {
        use openapiv3::{APIKeyLocation, SecurityScheme};
        let spec = self.spec;
        let Some(components) = &spec.openapi.components else { return Auth::None };
        // The first scheme of the global requirements that the client can apply.
        for requirement in spec.openapi.security.iter().flatten() {
            for scheme_name in requirement.keys() {
                let scheme = components.security_schemes.get(scheme_name).and_then(ReferenceOr::as_item);
                match scheme {
                    Some(SecurityScheme::HTTP { scheme, description, .. })
                        if scheme.eq_ignore_ascii_case("bearer") =>
                    {
                        return Auth::Bearer { description: description.clone() };
                    }
                    Some(SecurityScheme::HTTP { scheme, description, .. })
                        if scheme.eq_ignore_ascii_case("basic") =>
                    {
                        return Auth::Basic { description: description.clone() };
                    }
                    Some(
                        SecurityScheme::OAuth2 { description, .. }
                        | SecurityScheme::OpenIDConnect { description, .. },
                    ) => {
                        return Auth::Bearer { description: description.clone() };
                    }
                    Some(SecurityScheme::APIKey { location, name, description, .. }) if is_token(name) => {
                        let location = match location {
                            APIKeyLocation::Header => ApiKeyLocation::Header,
                            APIKeyLocation::Query => ApiKeyLocation::Query,
                            APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                        };
                        return Auth::ApiKey {
                            location,
                            name: name.clone(),
                            description: description.clone(),
                        };
                    }
                    _ => {}
                }
            }
        }
        if spec.openapi.security.as_ref().is_some_and(|s| !s.is_empty()) {
            self.warn(
                JsonPointer::root().push("security"),
                "none of the security schemes is one the client applies (bearer, basic, OAuth 2, OpenID Connect, API key); requests carry no credentials",
            );
        }
        Auth::None
    }
}

/// Whether a name can be an HTTP header name (RFC 9110 token), and so a query or cookie name.
fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`, ...).
pub(super) fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The media type without parameters, lower-cased.
fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// How a request body of this media type is sent; the order is the order of preference.
fn body_encoding(media: &str) -> BodyEncoding {
    let essence = essence(media);
    if is_json(media) {
        BodyEncoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if essence == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if essence.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Bytes
    }
}

/// What a response body of one media type is read as, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ResponseKind {
    Json,
    Text,
    Bytes,
}

fn response_kind(media: &str, content: &openapiv3::MediaType) -> ResponseKind {
    let essence = essence(media);
    let binary_schema = match &content.schema {
        Some(ReferenceOr::Item(schema)) => matches!(
            &schema.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(string))
                if matches!(string.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary))
        ),
        _ => false,
    };
    if is_json(media) || (essence == "*/*" && content.schema.is_some() && !binary_schema) {
        ResponseKind::Json
    } else if essence.starts_with("text/") {
        ResponseKind::Text
    } else {
        ResponseKind::Bytes
    }
}

/// Whether a media type names one type (no `*`), so that it can be sent as `Content-Type`.
fn is_concrete(media: &str) -> bool {
    !media.contains('*') && media.is_ascii() && !media.chars().any(|c| c.is_ascii_control())
}

/// A stable operation name for an operation without an operationId: the method and the path's
/// words, parameters written as `by_<name>`.
fn derived_operation_id(method: HttpMethod, path: &str) -> String {
    let mut words = vec![method.as_str().to_ascii_lowercase()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by {param}")),
            None => words.push(segment.to_owned()),
        }
    }
    names::snake_name(&words.join(" "), "call")
}

/// The method name without the words of its tag: `get_chat` in `chats` is `get`. Returns the
/// full name when nothing would be left.
fn short_method_name(full: &str, tag: &str) -> String {
    let tag_words: Vec<String> = names::snake_name(tag, "").split('_').map(str::to_owned).collect();
    let is_tag_word = |word: &str| {
        tag_words
            .iter()
            .any(|t| t == word || t.strip_suffix('s') == Some(word) || word.strip_suffix('s') == Some(t))
    };
    let kept: Vec<&str> =
        names::unraw(full).split('_').filter(|w| !w.is_empty() && !is_tag_word(w)).collect();
    if kept.is_empty() {
        return full.to_owned();
    }
    names::snake_name(&kept.join("_"), full)
}

#[cfg(test)]
mod tests {
    use super::{derived_operation_id, is_json, short_method_name};
    use crate::ir::HttpMethod;

    #[test]
    fn method_names_drop_the_tag() {
        assert_eq!(short_method_name("get_chat", "chats"), "get");
        assert_eq!(short_method_name("remove_chat_participant", "chats"), "remove_participant");
        assert_eq!(short_method_name("list_chats", "chats"), "list");
        assert_eq!(short_method_name("chats", "chats"), "chats");
        assert_eq!(short_method_name("get_user", "chats"), "get_user");
        assert_eq!(short_method_name("r#type", "chats"), "r#type");
    }

    #[test]
    fn derived_ids_are_stable() {
        assert_eq!(
            derived_operation_id(HttpMethod::Delete, "/chats/{id}/participants/{userId}"),
            "delete_chats_by_id_participants_by_user_id"
        );
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
    }
}
