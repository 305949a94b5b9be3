//! The view of a list operation's page streams: the runtime `Rule` that says how one page
//! leads to the next, and how a page gives up its items, as Rust expressions.

use serde::Serialize;

use crate::ir::{Api, Field, Operation, PaginationKind, Primitive, SuccessResponse, TypeKind, TypeRef};
use crate::render::docs::code_span;
use crate::render::rust::{Scope, int_literal, string_literal};

/// `pages()` and `items()` on an operation's call.
#[derive(Debug, Serialize)]
pub struct PagingView {
    /// The page's type (the operation's value).
    pub page_ty: String,
    /// The items' type.
    pub item_ty: String,
    /// The `crate::paginate::Rule` expression.
    pub rule: String,
    /// The `fn(Page) -> Vec<Item>` expression that takes a page's items.
    pub take: String,
    /// What the docs say about how pages follow each other.
    pub how: String,
}

/// How a property of the page is read.
struct Access {
    /// `page.<name>`.
    name: String,
    /// Whether it is an `Option`.
    optional: bool,
    /// Its type (before `Option`).
    ty: TypeRef,
}

/// The paging view of `op`, or why the IR's pagination does not fit its response (a generator
/// bug, reported by [`check`]).
pub fn paging(api: &Api, scope: Scope, op: &Operation) -> Result<Option<PagingView>, String> {
    let Some(pagination) = &op.pagination else { return Ok(None) };
    let SuccessResponse::Json(page_ty) = &op.response else {
        return Err(format!("operation `{}` pages but has no JSON response", op.operation_id));
    };
    let page = scope.type_expr(api, page_ty);
    let item = scope.type_expr(api, &pagination.item);
    let field = |wire: &str| {
        access(api, page_ty, wire).ok_or_else(|| {
            format!(
                "operation `{}` pages by the response property `{wire}`, which its type lacks",
                op.operation_id
            )
        })
    };
    let (take, count) = match &pagination.items {
        None => (format!("|page: {page}| page"), format!("|page: &{page}| page.len()")),
        Some(wire) => {
            let items = field(wire)?;
            let name = &items.name;
            if items.optional {
                (
                    format!("|page: {page}| page.{name}.unwrap_or_default()"),
                    format!("|page: &{page}| page.{name}.as_ref().map_or(0, ::std::vec::Vec::len)"),
                )
            } else {
                (format!("|page: {page}| page.{name}"), format!("|page: &{page}| page.{name}.len()"))
            }
        }
    };
    let total = |wire: &Option<String>| -> Result<String, String> {
        let Some(wire) = wire else { return Ok(format!("|_: &{page}| None")) };
        let total = field(wire)?;
        Ok(format!("|page: &{page}| {}", count_of(&format!("page.{}", total.name), &total)))
    };
    let (rule, how) = match &pagination.kind {
        PaginationKind::NextCursor { param, next } => {
            let next_access = field(next)?;
            let value = text(&format!("page.{}", next_access.name), &next_access);
            (
                format!(
                    "crate::paginate::Rule::Cursor {{ param: {}, next: |page: &{page}| {value} }}",
                    string_literal(param)
                ),
                format!(
                    "the `{}` parameter takes the `{}` of the page before",
                    code_span(param),
                    code_span(next)
                ),
            )
        }
        PaginationKind::AfterLastItem { param, has_more, id } => {
            let more = field(has_more)?;
            let more_expr = if more.optional {
                format!("page.{}.unwrap_or(false)", more.name)
            } else {
                format!("page.{}", more.name)
            };
            let last = match &pagination.items {
                None => "page.last()".to_owned(),
                Some(wire) => {
                    let items = field(wire)?;
                    if items.optional {
                        format!("page.{}.as_ref().and_then(|items| items.last())", items.name)
                    } else {
                        format!("page.{}.last()", items.name)
                    }
                }
            };
            let id_access = access(api, &pagination.item, id).ok_or_else(|| {
                format!(
                    "operation `{}` pages by the item property `{id}`, which the item lacks",
                    op.operation_id
                )
            })?;
            let id_expr = format!("item.{}", id_access.name);
            let id_value = match (id_access.optional, &id_access.ty) {
                (true, _) => format!("and_then(|item| {})", text(&id_expr, &id_access)),
                (false, TypeRef::Primitive(Primitive::String)) => format!("map(|item| {id_expr}.clone())"),
                (false, _) => format!("map(|item| {id_expr}.to_string())"),
            };
            let next = format!("if {more_expr} {{ {last}.{id_value} }} else {{ None }}");
            (
                format!(
                    "crate::paginate::Rule::Cursor {{ param: {}, next: |page: &{page}| {next} }}",
                    string_literal(param)
                ),
                format!(
                    "the `{}` parameter takes the last item's `{}` while `{}` is true",
                    code_span(param),
                    code_span(id),
                    code_span(has_more)
                ),
            )
        }
        PaginationKind::Offset { param, total: wire } => (
            format!(
                "crate::paginate::Rule::Offset {{ param: {}, count: {count}, total: {} }}",
                string_literal(param),
                total(wire)?
            ),
            format!("the `{}` parameter advances by the items received", code_span(param)),
        ),
        PaginationKind::PageNumber { param, first, total: wire } => (
            format!(
                "crate::paginate::Rule::PageNumber {{ param: {}, first: {}, count: {count}, total: {} }}",
                string_literal(param),
                int_literal(*first),
                total(wire)?
            ),
            format!("the `{}` parameter counts pages from {first}", code_span(param)),
        ),
        PaginationKind::Link => (
            "crate::paginate::Rule::Link".to_owned(),
            "each page's `Link` header names the next (`rel=\"next\"`)".to_owned(),
        ),
    };
    Ok(Some(PagingView { page_ty: page, item_ty: item, rule, take, how }))
}

/// Every operation's paging view can be built: the IR's pagination names properties its
/// response has.
pub fn check(api: &Api) -> Result<(), String> {
    let scope = Scope::new("", false);
    for op in api.groups.iter().flat_map(|group| &group.operations) {
        paging(api, scope, op)?;
    }
    Ok(())
}

/// `expr` (a property read by `access`) as an `Option<String>`.
fn text(expr: &str, access: &Access) -> String {
    let string = matches!(access.ty, TypeRef::Primitive(Primitive::String));
    match (access.optional, string) {
        (true, true) => format!("{expr}.clone()"),
        (true, false) => format!("{expr}.map(|value| value.to_string())"),
        (false, true) => format!("Some({expr}.clone())"),
        (false, false) => format!("Some({expr}.to_string())"),
    }
}

/// `expr` (an integer property read by `access`) as an `Option<i64>`.
fn count_of(expr: &str, access: &Access) -> String {
    let wide = matches!(access.ty, TypeRef::Primitive(Primitive::I64));
    match (access.optional, wide) {
        (true, true) => expr.to_owned(),
        (true, false) => format!("{expr}.map(i64::from)"),
        (false, true) => format!("Some({expr})"),
        (false, false) => format!("Some(i64::from({expr}))"),
    }
}

/// How the property `wire` of a value of type `ty` is read: a struct's field, or a list
/// envelope's `records` and `total`.
fn access(api: &Api, ty: &TypeRef, wire: &str) -> Option<Access> {
    let mut ty = ty;
    for _ in 0..=api.types.len() {
        let TypeRef::Named(id) = ty else { return None };
        match &api.types.get(id.0)?.kind {
            TypeKind::Alias(target) => ty = target,
            TypeKind::Struct(s) => return s.fields.iter().find(|f| f.wire_name == wire).map(field_access),
            TypeKind::Page(item) => {
                let fields = api.page_fields.as_ref()?;
                return if wire == fields.records {
                    Some(Access {
                        name: "records".to_owned(),
                        optional: true,
                        ty: TypeRef::List(Box::new(item.clone())),
                    })
                } else if wire == fields.total {
                    Some(Access {
                        name: "total".to_owned(),
                        optional: true,
                        ty: TypeRef::Primitive(Primitive::I64),
                    })
                } else {
                    None
                };
            }
            _ => return None,
        }
    }
    None
}

fn field_access(field: &Field) -> Access {
    Access { name: field.name.clone(), optional: !field.required || field.nullable, ty: field.ty.clone() }
}
