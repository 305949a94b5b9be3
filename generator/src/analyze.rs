//! Stage 3: decisions that need the whole IR: which fields are boxed to break recursion.
//!
//! Input: an [`ir::Api`] from `lower`. Output: the same API with [`ir::Field::boxed`] set on
//! every field whose type contains, without indirection, the struct that holds it. `Vec` and
//! maps already allocate, so only direct and `Option` containment counts. The template prints
//! the `Box`; it never decides it.

use crate::ir::{Api, TypeId, TypeKind, TypeRef};

/// Sets `boxed` on the fields that close a containment cycle.
pub fn analyze(mut api: Api) -> Api {
    let edges: Vec<Vec<TypeId>> = api.types.iter().map(|def| direct_children(&def.kind)).collect();
    let mut decisions = Vec::new();
    for (owner, def) in api.types.iter().enumerate() {
        if let TypeKind::Struct(s) = &def.kind {
            for (index, field) in s.fields.iter().enumerate() {
                if let TypeRef::Named(target) = field.ty {
                    if reaches(&edges, target, TypeId(owner)) {
                        decisions.push((owner, index));
                    }
                }
            }
        }
    }
    for (owner, index) in decisions {
        if let Some(TypeKind::Struct(s)) = api.types.get_mut(owner).map(|def| &mut def.kind) {
            if let Some(field) = s.fields.get_mut(index) {
                field.boxed = true;
            }
        }
    }
    api
}

/// The types a type contains without indirection.
fn direct_children(kind: &TypeKind) -> Vec<TypeId> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| match f.ty {
                TypeRef::Named(id) => Some(id),
                _ => None,
            })
            .collect(),
        TypeKind::Alias(TypeRef::Named(id)) => vec![*id],
        TypeKind::Alias(_) | TypeKind::Enum(_) => Vec::new(),
    }
}

/// Whether `to` is reachable from `from` along direct containment.
fn reaches(edges: &[Vec<TypeId>], from: TypeId, to: TypeId) -> bool {
    let mut seen = vec![false; edges.len()];
    let mut stack = vec![from];
    while let Some(TypeId(current)) = stack.pop() {
        if current == to.0 {
            return true;
        }
        if std::mem::replace(seen.get_mut(current).unwrap_or(&mut true), true) {
            continue;
        }
        stack.extend(edges.get(current).into_iter().flatten().copied());
    }
    false
}
