//! Pagination: how a list operation's pages follow each other, so that the SDK can offer a
//! stream of its pages and items.
//!
//! An operation's `x-sdkwright-pagination` extension declares it; otherwise it is detected
//! from a GET operation's optional query parameters and its response, only where one reading
//! is possible (see [`Context::detect_pagination`]). Detection never warns: an operation it
//! does not recognise is simply not paginated. A declaration that does not fit the operation
//! is a warning at the extension's pointer.

use serde_json::Value;

use crate::ir::{Field, Group, HttpMethod, Operation, Pagination, PaginationKind, ParamLocation, Primitive};
use crate::ir::{SuccessResponse, TypeRef};

use super::context::Context;

/// Query parameters that carry an opaque cursor.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
];
/// Response properties that carry the next page's cursor.
const NEXT_PROPERTIES: &[&str] = &[
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
];
/// Query parameters that carry the first item's offset.
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
/// Query parameters that carry a page number.
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pageNumber"];
/// Response properties that carry the number of items in all.
const TOTAL_PROPERTIES: &[&str] =
    &["total", "total_count", "totalCount", "total_results", "totalResults", "count"];

/// What a response is, for pagination.
enum Shape<'t> {
    /// A JSON array of these.
    List(&'t TypeRef),
    /// A JSON object with these properties.
    Object(&'t [Field]),
}

/// The page's items: the property that holds them (`None`: the response itself) and their type.
type Items = (Option<String>, TypeRef);

impl Context<'_> {
    /// Sets [`Operation::pagination`] on every operation that has one.
    pub(super) fn paginate(&mut self, groups: &mut [Group]) {
        for op in groups.iter_mut().flat_map(|group| group.operations.iter_mut()) {
            op.pagination = self.pagination(op);
        }
    }

    fn pagination(&mut self, op: &Operation) -> Option<Pagination> {
        let raw = self.spec.raw.pointer(op.origin.as_str().trim_start_matches('#'));
        let name = format!("{}pagination", crate::EXTENSION_PREFIX);
        if let Some(declared) = raw.and_then(|raw| raw.get(&name)) {
            let at = op.origin.push(&name);
            return match self.declared_pagination(op, declared) {
                Ok(pagination) => Some(pagination),
                Err(message) => {
                    self.warn(at, format!("{message}; the operation gets no page streams"));
                    None
                }
            };
        }
        if op.http_method != HttpMethod::Get {
            return None;
        }
        self.detect_pagination(op, raw.is_some_and(declares_link_header))
    }

    /// Detection, in this order, each only when exactly one parameter and property fit:
    /// a `Link` header in the success response (with a list response, or one list property);
    /// `starting_after` with a boolean `has_more` and items that have an `id`; a cursor
    /// parameter with a next-cursor property; an integer offset parameter; an integer
    /// page-number parameter. The items are the response when it is a list, or else its only
    /// list property.
    fn detect_pagination(&self, op: &Operation, link: bool) -> Option<Pagination> {
        let shape = self.response_shape(&op.response)?;
        let items = self.items(&shape, None).ok()?;
        let detected =
            |kind| Some(Pagination { kind, items: items.0.clone(), item: items.1.clone(), declared: false });
        if link {
            return detected(PaginationKind::Link);
        }
        let fields = match shape {
            Shape::Object(fields) => fields,
            Shape::List(_) => &[],
        };
        if let Some(param) = self.one_param(op, &["starting_after"], is_scalar) {
            let has_more =
                one_property(fields, &["has_more"], |ty| *ty == TypeRef::Primitive(Primitive::Bool));
            let id = self.struct_fields(&items.1).and_then(|fields| one_property(fields, &["id"], is_scalar));
            if let (Some(has_more), Some(id)) = (has_more, id) {
                return detected(PaginationKind::AfterLastItem { param, has_more, id });
            }
        }
        if let Some(param) = self.one_param(op, CURSOR_PARAMS, is_scalar) {
            if let Some(next) = one_property(fields, NEXT_PROPERTIES, is_scalar) {
                return detected(PaginationKind::NextCursor { param, next });
            }
        }
        let total = one_property(fields, TOTAL_PROPERTIES, is_integer);
        let offset = self.one_param(op, OFFSET_PARAMS, is_integer);
        let page = self.one_param(op, PAGE_PARAMS, is_integer);
        match (offset, page) {
            (Some(param), None) => detected(self.counted(op, (param, true), total)),
            (None, Some(param)) => detected(self.counted(op, (param, false), total)),
            _ => None,
        }
    }

    /// An offset (`true`) or page-number rule on `param`.
    fn counted(
        &self,
        op: &Operation,
        (param, offset): (String, bool),
        total: Option<String>,
    ) -> PaginationKind {
        if offset {
            PaginationKind::Offset { param, total }
        } else {
            let first = self.first_page(op, &param);
            PaginationKind::PageNumber { param, first, total }
        }
    }

    /// `x-sdkwright-pagination: {style, param, next, has-more, id, total, items, first}`.
    fn declared_pagination(&self, op: &Operation, declared: &Value) -> Result<Pagination, String> {
        let Value::Object(map) = declared else {
            return Err("must be an object with `style` and its properties".to_owned());
        };
        let known = ["style", "param", "next", "has-more", "id", "total", "items", "first"];
        if let Some(unknown) = map.keys().find(|key| !known.contains(&key.as_str())) {
            return Err(format!("has the unknown property `{unknown}` (known: {})", known.join(", ")));
        }
        let text = |key: &str| match map.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(format!("`{key}` must be a string")),
        };
        let shape =
            self.response_shape(&op.response).ok_or("the success response is not a JSON list or object")?;
        let items = self.items(&shape, text("items")?.as_deref())?;
        let fields = match shape {
            Shape::Object(fields) => fields,
            Shape::List(_) => &[],
        };
        let property = |key: &str, fit: fn(&TypeRef) -> bool, what: &str| -> Result<String, String> {
            let name =
                text(key)?.ok_or_else(|| format!("needs `{key}`, the response property with {what}"))?;
            match fields.iter().find(|field| field.wire_name == name) {
                Some(field) if fit(&field.ty) => Ok(name),
                Some(_) => Err(format!("the response property `{name}` (`{key}`) cannot hold {what}")),
                None => Err(format!("the response has no property `{name}` (`{key}`)")),
            }
        };
        let param = |fit: fn(&TypeRef) -> bool| -> Result<String, String> {
            let name =
                text("param")?.ok_or("needs `param`, the query parameter that changes from page to page")?;
            let found = op.params.iter().find(|p| p.location == ParamLocation::Query && p.wire_name == name);
            match found {
                Some(p) if p.required => {
                    Err(format!("the query parameter `{name}` is required; it must be optional"))
                }
                Some(p) if !fit(&p.ty) => {
                    Err(format!("the query parameter `{name}` has a type that cannot be a page"))
                }
                Some(_) => Ok(name),
                None => Err(format!("the operation has no query parameter `{name}`")),
            }
        };
        let total = match text("total")? {
            Some(_) => Some(property("total", is_integer, "the number of items in all")?),
            None => None,
        };
        let style = text("style")?.ok_or("needs `style`: cursor, after-last-item, offset, page or link")?;
        let kind = match style.as_str() {
            "cursor" => PaginationKind::NextCursor {
                param: param(is_scalar)?,
                next: property("next", is_scalar, "the next page's cursor")?,
            },
            "after-last-item" => {
                let id = text("id")?.unwrap_or_else(|| "id".to_owned());
                let item =
                    self.struct_fields(&items.1).ok_or("the items are not objects, so they have no `id`")?;
                if one_property(item, &[id.as_str()], is_scalar).is_none() {
                    return Err(format!("the items have no string or integer property `{id}` (`id`)"));
                }
                let has_more =
                    property("has-more", |ty| *ty == TypeRef::Primitive(Primitive::Bool), "a boolean")?;
                PaginationKind::AfterLastItem { param: param(is_scalar)?, has_more, id }
            }
            "offset" => PaginationKind::Offset { param: param(is_integer)?, total },
            "page" => {
                let param = param(is_integer)?;
                let first = match map.get("first") {
                    None => self.first_page(op, &param),
                    Some(value) => value.as_i64().ok_or("`first` must be an integer")?,
                };
                PaginationKind::PageNumber { param, first, total }
            }
            "link" => PaginationKind::Link,
            other => {
                return Err(format!(
                    "`style` is `{other}`; it must be cursor, after-last-item, offset, page or link"
                ));
            }
        };
        Ok(Pagination { kind, items: items.0, item: items.1, declared: true })
    }

    /// What the JSON success response is, through aliases.
    fn response_shape<'t>(&'t self, response: &'t SuccessResponse) -> Option<Shape<'t>> {
        let SuccessResponse::Json(ty) = response else { return None };
        match self.through_aliases(ty)? {
            TypeRef::List(item) => Some(Shape::List(item)),
            named => self.struct_fields(named).map(Shape::Object),
        }
    }

    /// Where the items are: the named property, the response itself when it is a list, or its
    /// only list property.
    fn items(&self, shape: &Shape<'_>, named: Option<&str>) -> Result<Items, String> {
        let list = |field: &Field| match self.through_aliases(&field.ty) {
            Some(TypeRef::List(item)) => Some((Some(field.wire_name.clone()), (**item).clone())),
            _ => None,
        };
        match (shape, named) {
            (Shape::List(item), None) => Ok((None, (*item).clone())),
            (Shape::List(_), Some(name)) => {
                Err(format!("the response is a list, so it has no property `{name}` (`items`)"))
            }
            (Shape::Object(fields), Some(name)) => {
                match fields.iter().find(|field| field.wire_name == name) {
                    Some(field) => list(field)
                        .ok_or_else(|| format!("the response property `{name}` (`items`) is not a list")),
                    None => Err(format!("the response has no property `{name}` (`items`)")),
                }
            }
            (Shape::Object(fields), None) => {
                let mut lists = fields.iter().filter_map(list);
                match (lists.next(), lists.next()) {
                    (Some(items), None) => Ok(items),
                    (None, _) => Err("the response has no list property for the items".to_owned()),
                    (Some(_), Some(_)) => {
                        Err("the response has several list properties; name the items (`items`)".to_owned())
                    }
                }
            }
        }
    }

    /// The wire name of the one optional query parameter named one of `names` whose type fits.
    fn one_param(&self, op: &Operation, names: &[&str], fit: fn(&TypeRef) -> bool) -> Option<String> {
        let mut found = op.params.iter().filter(|p| {
            p.location == ParamLocation::Query && !p.required && names.contains(&p.wire_name.as_str())
        });
        let param = found.next().filter(|p| fit(self.through_aliases(&p.ty).unwrap_or(&p.ty)))?;
        found.next().is_none().then(|| param.wire_name.clone())
    }

    /// The first page's number: the page parameter's schema `default`, else its `minimum`,
    /// else 1.
    fn first_page(&self, op: &Operation, param: &str) -> i64 {
        let Some(found) = op.params.iter().find(|p| p.wire_name == param) else { return 1 };
        let schema =
            self.spec.raw.pointer(&format!("{}/schema", found.origin.as_str().trim_start_matches('#')));
        let number = |key: &str| schema.and_then(|schema| schema.get(key)).and_then(Value::as_i64);
        number("default").or_else(|| number("minimum")).unwrap_or(1)
    }
}

/// The wire name of the one field named one of `names` whose type fits.
fn one_property(fields: &[Field], names: &[&str], fit: fn(&TypeRef) -> bool) -> Option<String> {
    let mut found = fields.iter().filter(|field| names.contains(&field.wire_name.as_str()) && fit(&field.ty));
    let field = found.next()?;
    found.next().is_none().then(|| field.wire_name.clone())
}

fn is_integer(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Primitive(Primitive::I32 | Primitive::I64))
}

/// A string or an integer: what a cursor can be.
fn is_scalar(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Primitive(Primitive::String | Primitive::I32 | Primitive::I64))
}

/// Whether the operation's first 2xx response declares a `Link` header.
fn declares_link_header(operation: &Value) -> bool {
    let Some(Value::Object(responses)) = operation.get("responses") else { return false };
    let success = responses.iter().find(|(status, _)| status.starts_with('2'));
    let headers = success.and_then(|(_, response)| response.get("headers")).and_then(Value::as_object);
    headers.is_some_and(|headers| headers.keys().any(|name| name.eq_ignore_ascii_case("link")))
}

#[cfg(test)]
mod tests {
    use crate::ir::{Pagination, PaginationKind};

    fn pagination(operation: &str) -> (Option<Pagination>, String) {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /items:\n    get:\n      operationId: list\n{operation}"
        );
        let (api, diagnostics) = crate::build_ir(&spec, "openapi.yaml").unwrap();
        (api.groups[0].operations[0].pagination.clone(), diagnostics.to_string())
    }

    const STRIPE: &str = "      parameters:\n        - {name: starting_after, in: query, schema: {type: string}}\n        - {name: limit, in: query, schema: {type: integer}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  has_more: {type: boolean}\n                  data: {type: array, items: {type: object, properties: {id: {type: string}}}}\n";

    #[test]
    fn stripe_lists_page_after_the_last_item() {
        let (found, _) = pagination(STRIPE);
        let found = found.expect("detected");
        assert_eq!(
            found.kind,
            PaginationKind::AfterLastItem {
                param: "starting_after".into(),
                has_more: "has_more".into(),
                id: "id".into()
            }
        );
        assert_eq!(found.items.as_deref(), Some("data"));
    }

    #[test]
    fn a_page_parameter_with_a_list_response_counts_pages_from_the_schema_minimum() {
        let op = "      parameters:\n        - {name: page, in: query, schema: {type: integer, minimum: 0}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: array, items: {type: string}}\n";
        let (found, _) = pagination(op);
        let kind = found.expect("detected").kind;
        assert_eq!(kind, PaginationKind::PageNumber { param: "page".into(), first: 0, total: None });
    }

    #[test]
    fn a_link_header_wins_and_two_candidates_detect_nothing() {
        let link = "      parameters:\n        - {name: page, in: query, schema: {type: integer}}\n      responses:\n        '200':\n          description: ok\n          headers:\n            Link: {schema: {type: string}}\n          content:\n            application/json:\n              schema: {type: array, items: {type: string}}\n";
        assert_eq!(pagination(link).0.expect("detected").kind, PaginationKind::Link);
        let both = "      parameters:\n        - {name: page, in: query, schema: {type: integer}}\n        - {name: offset, in: query, schema: {type: integer}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: array, items: {type: string}}\n";
        assert_eq!(pagination(both).0, None);
    }

    #[test]
    fn a_declaration_that_does_not_fit_is_a_warning_at_its_pointer() {
        let declared =
            format!("      x-sdkwright-pagination: {{style: cursor, param: after, next: next}}\n{STRIPE}");
        let (found, warnings) = pagination(&declared);
        assert_eq!(found, None);
        assert!(
            warnings.contains(
                "#/paths/~1items/get/x-sdkwright-pagination: the operation has no query parameter `after`"
            ),
            "{warnings}"
        );
        let declared = format!(
            "      x-sdkwright-pagination: {{style: after-last-item, param: starting_after, has-more: has_more}}\n{STRIPE}"
        );
        assert!(pagination(&declared).0.is_some_and(|p| p.declared));
    }
}
