//! Stage 3: decisions that need the whole IR: the order union variants are tried in, and which
//! fields are boxed to break recursion.
//!
//! Input: an [`ir::Api`] from `lower`. Output: the same API with [`ir::Field::boxed`] (and
//! [`ir::UnionVariant::boxed`]) set wherever a type contains, without indirection, the type that
//! holds it. `Vec` and
//! maps already allocate, so only direct and `Option` containment counts. The template prints
//! the `Box`; it never decides it. Last, inline schemas of one shape share one definition
//! ([`share_identical_inline_types`]), and every type is told where it is used ([`mark_reach`]).

mod reach;
mod shared;

use crate::ir::{Api, Holding, TypeId, TypeKind, TypeRef};

pub use reach::mark_reach;
pub use shared::share_identical_inline_types;

/// Orders union variants for decoding, then sets `boxed` on the fields and variants that close
/// a containment cycle.
pub fn analyze(mut api: Api) -> Api {
    find_pages(&mut api);
    mark_forms(&mut api);
    close_request_enums(&mut api);
    order_union_variants(&mut api);
    let edges: Vec<Vec<TypeId>> = api.types.iter().map(|def| direct_children(&def.kind)).collect();
    // A field closes a containment cycle when its type reaches back to its owner: when both are
    // in one strongly connected component (one linear pass, not a search per field).
    let component = strong_components(&edges);
    let reaches = |from: TypeId, to: TypeId| {
        from == to || component.get(from.0).is_some_and(|c| component.get(to.0) == Some(c))
    };
    let mut decisions = Vec::new();
    for (owner, def) in api.types.iter().enumerate() {
        if let TypeKind::Struct(s) = &def.kind {
            for (index, field) in s.fields.iter().enumerate() {
                if let TypeRef::Named(target) = field.ty {
                    if reaches(target, TypeId(owner)) {
                        decisions.push((owner, index));
                    }
                }
            }
        }
    }
    for (owner, def) in api.types.iter().enumerate() {
        if let TypeKind::Union(u) = &def.kind {
            for (index, variant) in u.variants.iter().enumerate() {
                if let TypeRef::Named(target) = variant.ty {
                    if reaches(target, TypeId(owner)) {
                        decisions.push((owner, index));
                    }
                }
            }
        }
    }
    for (owner, index) in decisions {
        match api.types.get_mut(owner).map(|def| &mut def.kind) {
            Some(TypeKind::Struct(s)) => {
                if let Some(field) = s.fields.get_mut(index) {
                    field.boxed = true;
                }
            }
            Some(TypeKind::Union(u)) => {
                if let Some(variant) = u.variants.get_mut(index) {
                    variant.boxed = true;
                }
            }
            _ => {}
        }
    }
    share_identical_inline_types(&mut api);
    // Last: sharing adds definitions, whose uses are those of the types that alias them.
    mark_reach(&mut api);
    api
}

/// The types a type contains without indirection: held inline, and not inside a list or map.
fn direct_children(kind: &TypeKind) -> Vec<TypeId> {
    kind.type_refs()
        .into_iter()
        .filter(|(_, holding)| *holding == Holding::Inline)
        .filter_map(|(ty, _)| match ty {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        })
        .collect()
}

/// The strongly connected component of each type along `edges` (Tarjan's algorithm, with an
/// explicit stack so that a long chain of types cannot overflow the thread's stack).
fn strong_components(edges: &[Vec<TypeId>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let count = edges.len();
    let mut index = vec![UNSEEN; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![UNSEEN; count];
    let mut stack = Vec::new();
    let (mut next_index, mut next_component) = (0, 0);
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, how many of its edges were followed)
        let mut work = vec![(root, 0usize)];
        while let Some((node, child)) = work.pop() {
            if child == 0 && index[node] == UNSEEN {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            match edges[node].get(child) {
                Some(&TypeId(next)) => {
                    work.push((node, child + 1));
                    if next >= count {
                        continue;
                    }
                    if index[next] == UNSEEN {
                        work.push((next, 0));
                    } else if on_stack[next] {
                        low[node] = low[node].min(index[next]);
                    }
                }
                None => {
                    if low[node] == index[node] {
                        while let Some(member) = stack.pop() {
                            on_stack[member] = false;
                            component[member] = next_component;
                            if member == node {
                                break;
                            }
                        }
                        next_component += 1;
                    }
                    if let Some(&(parent, _)) = work.last() {
                        low[parent] = low[parent].min(low[node]);
                    }
                }
            }
        }
    }
    component
}

/// Untagged decoding keeps the first variant that fits, and a struct whose fields are all
/// optional fits any object. Variants are therefore tried from the most required properties to
/// the fewest; ties keep spec order.
fn order_union_variants(api: &mut Api) {
    let required: Vec<usize> = api
        .types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().filter(|f| f.required).count(),
            _ => 0,
        })
        .collect();
    for def in &mut api.types {
        if let TypeKind::Union(u) = &mut def.kind {
            u.variants.sort_by_key(|v| match v.ty {
                TypeRef::Named(id) => std::cmp::Reverse(required.get(id.0).copied().unwrap_or(0)),
                _ => std::cmp::Reverse(0),
            });
        }
    }
}

/// Structs that are exactly the API's list envelope (the two `x-sdkwright-page-fields` properties, the
/// records an array, nothing else) become `Page<T>` of their record type.
fn find_pages(api: &mut Api) {
    let Some(fields) = api.page_fields.clone() else { return };
    for def in &mut api.types {
        let TypeKind::Struct(s) = &def.kind else { continue };
        if s.extra.is_some() || s.fields.len() != 2 {
            continue;
        }
        let total = s.fields.iter().find(|f| f.wire_name == fields.total);
        let records = s.fields.iter().find(|f| f.wire_name == fields.records);
        let item = match (total.map(|f| &f.ty), records.map(|f| &f.ty)) {
            (
                Some(TypeRef::Primitive(crate::ir::Primitive::I32 | crate::ir::Primitive::I64)),
                Some(TypeRef::List(item)),
            ) => (**item).clone(),
            _ => continue,
        };
        def.kind = TypeKind::Page(item);
    }
}

/// Closed enums that only requests reach lose their catch-all variant; everything a response
/// (or nothing at all) reaches keeps it.
fn close_request_enums(api: &mut Api) {
    let reach = reach::reach(api);
    for (def, reach) in api.types.iter_mut().zip(reach) {
        if let TypeKind::Enum(e) = &mut def.kind {
            e.keeps_unknown = !(e.closed && reach.request && !reach.response);
        }
    }
}

/// Structs sent as multipart bodies are forms.
fn mark_forms(api: &mut Api) {
    let forms: Vec<TypeId> = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter_map(|op| op.body.as_ref())
        .filter(|body| body.encoding == crate::ir::BodyEncoding::Multipart)
        .filter_map(|body| match body.ty {
            TypeRef::Named(id) => Some(id),
            _ => None,
        })
        .collect();
    for id in forms {
        if let Some(TypeKind::Struct(s)) = api.types.get_mut(id.0).map(|def| &mut def.kind) {
            s.form = true;
        }
    }
}
