//! Lowering of paths and operations into groups of methods.
//!
//! Operations are visited in path order, then in a fixed method order. Each lands in the group
//! of its first tag; one without a tag lands in the group named after the first meaningful
//! segment of its path ([`path_group`]: `/v1/customers/{id}` is in `customers`), or in `default`
//! when its path has none. A method's name is its operationId with the group's own words
//! removed (`getChat` in `chats` becomes `get`), unless that would collide in the group.

use std::collections::BTreeMap;

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};

use crate::ir::{Group, HttpMethod, Operation, Param, ParamLocation, ParamStyle, PathPart, PathTemplate};
use crate::names::{self, Case, Claim, Namespace, Order};
use crate::pointer::JsonPointer;

use super::bodies::Body;
use super::context::Context;
use super::media::is_json;
use super::refs::Node;

/// The group of operations without a tag.
pub(super) const DEFAULT_TAG: &str = "default";

/// The methods of the runtime's `Call`, which an optional parameter's method must not repeat.
pub(super) const CALL_METHODS: &[&str] = &[
    "attempt_timeout",
    "header",
    "idempotency_key",
    "into_future",
    "items",
    "new",
    "pages",
    "retry",
    "retry_non_idempotent",
    "send",
    "timeout",
    "with",
    "with_response",
];

/// The methods of the runtime's `Client` (and `Clone`'s), which a group accessor must not
/// repeat: a path segment such as `/request` or `/url` names a group now and then.
pub(super) const CLIENT_METHODS: &[&str] = &[
    "attempt_timeout",
    "base_url",
    "builder",
    "clone",
    "credentials",
    "default_headers",
    "hooks",
    "http_client",
    "max_body_size",
    "new",
    "request",
    "retry_budget",
    "retry_policy",
    "scheme_secrets",
    "timeout",
    "url",
    "with_credentials",
];

/// An operation before method names are chosen.
pub(super) struct Pending {
    tag: String,
    /// For an operation without a tag grouped by its path: the path up to the segment its
    /// group is named after.
    untagged_under: Option<String>,
    /// Whether the operation has a tag.
    tagged: bool,
    full_name: String,
    short_name: String,
    operation: Operation,
}

/// A stable operation name for an operation without an operationId: the method and the path's
/// words, parameters written as `by_<name>`.
pub(super) fn derived_operation_id(method: HttpMethod, path: &str) -> String {
    let mut words = vec![method.as_str().to_ascii_lowercase()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by {param}")),
            None => words.push(segment.to_owned()),
        }
    }
    names::snake_name(&words.join(" "), "call")
}

/// Whether a path segment says which version of the API is meant rather than what the
/// operation is about: `v1`, `V2`, `v1beta1`, `v2.1`, `2024-01-01`, `3`, or `api`.
fn is_version_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    let versioned = lower.strip_prefix('v').is_some_and(|rest| {
        rest.starts_with(|c: char| c.is_ascii_digit())
            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
    });
    let dated = !lower.is_empty() && lower.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    versioned || dated || lower == "api"
}

/// The group of an operation without a tag, and the path up to it: the first segment of its
/// path that is not a version ([`is_version_segment`]), nor `api`, nor holds a parameter
/// (`/api/v1/customers/{id}/sources` gives `customers` under `/api/v1/customers`). `None` when
/// no segment is left (`/`, `/v1/{id}`): the operation is then in `default`.
pub(super) fn path_group(path: &str) -> Option<(String, String)> {
    let mut under = String::new();
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        under.push('/');
        under.push_str(segment);
        if segment.contains('{') || is_version_segment(segment) {
            continue;
        }
        // A segment with no letter or digit (`-`, `.`) names nothing either.
        if segment.bytes().any(|b| b.is_ascii_alphanumeric()) {
            return Some((segment.to_owned(), under));
        }
    }
    None
}

/// The method name without the words of its tag: `get_chat` in `chats` is `get`. Returns the
/// full name when nothing would be left.
pub(super) fn short_method_name(full: &str, tag: &str) -> String {
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

    pub(super) fn lower_operation(
        &mut self,
        path: &str,
        method: HttpMethod,
        item: (&'a openapiv3::PathItem, &JsonPointer),
        operation: &'a openapiv3::Operation,
        at: &JsonPointer,
    ) -> Option<Pending> {
        let operation_id =
            operation.operation_id.clone().unwrap_or_else(|| derived_operation_id(method, path));
        let (tag, untagged_under) = match operation.tags.first() {
            Some(tag) => (tag.clone(), None),
            None => match path_group(path) {
                Some((segment, under)) => (segment, Some(under)),
                None => (DEFAULT_TAG.to_owned(), None),
            },
        };
        let tagged = !operation.tags.is_empty();
        let type_hint = names::type_name(&operation_id, "Operation");

        let mut params = self.lower_params(item, operation, at, &type_hint);
        let path_template = self.path_template(path, &mut params, at)?;
        let (body, empty_body) = match self.request_body(operation, at, &type_hint) {
            Some(Body::Sent(body)) => (Some(body), None),
            Some(Body::Empty(empty)) => (None, Some(empty)),
            None => (None, None),
        };
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
            match arg_names.last() {
                Some(name) => body.name = name.clone(),
                None => self.bug(format!("the body argument of {at} got no name")),
            }
            body
        });
        let response = self.success_response(operation, at, &type_hint);
        let errors = self.error_responses(operation, at, &type_hint);

        let full_name = names::snake_name(&operation_id, "call");
        let short_name = short_method_name(&full_name, &tag);
        Some(Pending {
            tag,
            untagged_under,
            tagged,
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
                empty_body,
                response,
                errors,
                // Settled by `Context::security` once every operation is known.
                security: Vec::new(),
                error_enum: None,
                options: None,
                pagination: None,
                summary: operation.summary.clone(),
                description: operation.description.clone(),
                deprecated: operation.deprecated,
                origin: at.clone(),
            },
        })
    }

    /// Path-item and operation parameters, the operation's winning on the same name and place.
    pub(super) fn lower_params(
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
            let required = data.required || location == ParamLocation::Path;
            let example = required.then(|| self.param_example(&pointer));
            params.push(Param {
                name: names::snake_name(&data.name, "param"),
                wire_name: data.name.clone(),
                location,
                style,
                ty: lowered.ty,
                required,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                origin: pointer,
                example,
            });
        }
        params
    }

    /// Splits the path into literal parts and parameters; path parameters come first in
    /// `params`, in path order, so that the method signature follows the URL.
    pub(super) fn path_template(
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

    /// Gives operations with the same operationId a numeric suffix, in path order.
    pub(super) fn dedupe_operation_ids(&mut self, pending: &mut [Pending]) {
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
    pub(super) fn group(&mut self, pending: Vec<Pending>) -> Vec<Group> {
        // BTreeMap: groups come out sorted by tag.
        let mut by_tag: BTreeMap<String, Vec<Pending>> = BTreeMap::new();
        for p in pending {
            by_tag.entry(p.tag.clone()).or_default().push(p);
        }
        let spec = self.spec;
        let tag_claims: Vec<Claim> =
            by_tag.keys().map(|tag| Claim::first(tag.clone(), names::snake_name(tag, "default"))).collect();
        // The client's own methods are not group accessors.
        let mut client = Namespace::reserving(Case::Snake, CLIENT_METHODS);
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
            let tagged = ops.iter().any(|p| p.tagged);
            let mut untagged_under: Vec<String> =
                ops.iter().filter_map(|p| p.untagged_under.clone()).collect();
            untagged_under.sort();
            untagged_under.dedup();
            let mut operations: Vec<Operation> = ops.into_iter().map(|p| p.operation).collect();
            operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
            let description =
                spec.openapi.tags.iter().find(|t| t.name == tag).and_then(|t| t.description.clone());
            groups.push(Group {
                module: names::module_name(&accessor),
                accessor,
                type_name,
                tag,
                tagged,
                untagged_under,
                description,
                operations,
            });
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::{derived_operation_id, short_method_name};
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
    fn untagged_operations_are_grouped_by_their_first_meaningful_segment() {
        let cases = [
            ("/v1/customers/{customer}/sources", Some(("customers", "/v1/customers"))),
            ("/api/v2beta1/payment-intents", Some(("payment-intents", "/api/v2beta1/payment-intents"))),
            ("/2024-01-01/health", Some(("health", "/2024-01-01/health"))),
            ("/V3/{id}/items", Some(("items", "/V3/{id}/items"))),
            ("/v1.2/apis", Some(("apis", "/v1.2/apis"))),
            ("/view", Some(("view", "/view"))),
            ("/users{.format}/x", Some(("x", "/users{.format}/x"))),
            ("/", None),
            ("/v1/{id}", None),
            ("/api/-/", None),
        ];
        for (path, expected) in cases {
            let got = super::path_group(path);
            assert_eq!(got.as_ref().map(|(s, u)| (s.as_str(), u.as_str())), expected, "{path}");
        }
    }

    #[test]
    fn derived_ids_are_stable() {
        assert_eq!(
            derived_operation_id(HttpMethod::Delete, "/chats/{id}/participants/{userId}"),
            "delete_chats_by_id_participants_by_user_id"
        );
    }
}
