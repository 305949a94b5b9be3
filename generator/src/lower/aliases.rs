//! Aliases that refer to themselves.
//!
//! A Rust type alias cannot recurse (E0391), so a cycle of aliases is settled here, once every
//! type is defined. A cycle that passes through a list or a map (`E: {type: array, items:
//! {$ref: E}}`) is legitimate JSON Schema: its aliases become newtypes, which may recurse
//! because `Vec` and maps allocate. A cycle of bare references (`A: {$ref: A}`, A ↔ B,
//! `allOf: [self]`) describes no value at all: it is an error at each schema on the cycle.
//!
//! Each alias refers to at most one named type, so the aliases form a functional graph and one
//! iterative pass over it finds every cycle: no recursion, linear in the number of types.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{TypeDef, TypeId, TypeKind};

/// The named type an alias's type expression refers to, and whether it reaches it through a
/// list or a map.
fn alias_edge(def: &TypeDef) -> Option<(TypeId, bool)> {
    let TypeKind::Alias(ty) = &def.kind else { return None };
    ty.named()
}

/// Turns the aliases of every cycle through a list or a map into newtypes, and reports every
/// cycle of bare references as an error at each of its schemas.
pub(super) fn settle_alias_cycles(types: &mut [Option<TypeDef>], diagnostics: &mut Diagnostics) {
    let edges: Vec<Option<(TypeId, bool)>> =
        types.iter().map(|def| def.as_ref().and_then(alias_edge)).collect();
    // 0: not visited, 1: on the current path, 2: done.
    let mut state = vec![0u8; types.len()];
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    for start in 0..types.len() {
        let mut path = Vec::new();
        let mut node = Some(start);
        while let Some(current) = node.filter(|&n| state.get(n) == Some(&0)) {
            state[current] = 1;
            path.push(current);
            node = edges.get(current).copied().flatten().map(|(TypeId(next), _)| next);
        }
        // The walk stopped at a node on its own path: the path from there on is a cycle.
        if let Some(again) = node.filter(|&n| state.get(n) == Some(&1)) {
            if let Some(from) = path.iter().position(|&n| n == again) {
                cycles.push(path[from..].to_vec());
            }
        }
        for n in path {
            state[n] = 2;
        }
    }
    for cycle in cycles {
        let through_container = cycle.iter().any(|&n| edges.get(n).copied().flatten().is_some_and(|e| e.1));
        if through_container {
            for &n in &cycle {
                if let Some(def) = types.get_mut(n).and_then(Option::as_mut) {
                    if let TypeKind::Alias(ty) = &def.kind {
                        def.kind = TypeKind::Newtype(ty.clone());
                    }
                }
            }
            continue;
        }
        let origins: Vec<String> = cycle
            .iter()
            .filter_map(|&n| types.get(n).and_then(Option::as_ref).map(|def| def.origin.to_string()))
            .collect();
        let chain = origins.iter().chain(origins.first()).cloned().collect::<Vec<_>>().join(" → ");
        for &n in &cycle {
            if let Some(def) = types.get(n).and_then(Option::as_ref) {
                let message = format!(
                    "this schema only refers to itself, through `$ref` or a lone `allOf` ({chain}), so \
                     it describes no value; give one schema on the cycle a type"
                );
                diagnostics.push(Diagnostic::error(def.origin.clone(), message));
            }
        }
    }
}
