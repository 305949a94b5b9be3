//! Inline schemas of one shape share one definition, named from what it is.
//!
//! Input: the API after boxing. Output: every inline (hoisted) type whose definition is
//! identical to an earlier type's, once the types it refers to are reduced to the first of
//! their kind, is an alias of one shared definition. Every inline schema keeps its own,
//! path-derived name as that alias, documented by its own description, so names stay stable;
//! only the repeated definitions go (GitHub's webhook schemas repeat the same enums hundreds of
//! times, Stripe its expandable fields). The shared definition is named from what it is
//! ([`shared_name`]): its `title`, else the words the names of its uses end alike in, else its
//! alternatives (`CustomerOrString`); it carries the description of its uses when they all
//! agree, and none otherwise (the docs then list its uses). With none of these names it stays
//! the first use's definition, as before. Component schemas are never replaced: the spec named
//! them.

use std::collections::BTreeMap;

use crate::ir::{Api, TypeDef, TypeId, TypeKind, TypeRef};
use crate::names::{self, Case, Namespace};

/// Makes every inline type whose definition is identical to an earlier type's an alias of one
/// shared definition (see the module docs).
pub fn share_identical_inline_types(api: &mut Api) {
    // Referred types first (post-order), so that a definition's key already sees its parts
    // reduced; one pass does it. A cycle is cut where the walk meets a type it is inside.
    let order = post_order(api);
    let mut canonical: Vec<TypeId> = (0..api.types.len()).map(TypeId).collect();
    let mut first_with_key: std::collections::HashMap<String, TypeId> = std::collections::HashMap::new();
    // The uses of each definition that others repeat, the first one first. BTreeMap: the
    // shared definitions are named in id order, so that their names do not depend on hashing.
    let mut uses: BTreeMap<TypeId, Vec<TypeId>> = BTreeMap::new();
    for index in order {
        let Some(def) = api.types.get(index) else { continue };
        // A deprecated type is only shared with deprecated ones, so that sharing adds no warnings.
        let Some(key) = sharing_key(&def.kind, &canonical).map(|key| format!("{}{key}", def.deprecated))
        else {
            continue;
        };
        match first_with_key.get(&key) {
            Some(first) if !is_component(def.origin.as_str()) => {
                canonical[index] = *first;
                uses.entry(*first).or_insert_with(|| vec![*first]).push(TypeId(index));
                if let Some(def) = api.types.get_mut(index) {
                    def.kind = TypeKind::Alias(TypeRef::Named(*first));
                }
            }
            Some(_) => {}
            None => {
                first_with_key.insert(key, TypeId(index));
            }
        }
    }
    name_shared_definitions(api, uses);
}

/// Gives each definition that several inline schemas share a definition of its own, named from
/// what it is, when such a name is found; its uses become aliases of it.
fn name_shared_definitions(api: &mut Api, uses: BTreeMap<TypeId, Vec<TypeId>>) {
    // Uses that are components stay the shared definition: the spec named them.
    let uses: Vec<(TypeId, Vec<TypeId>)> = uses
        .into_iter()
        .filter(|(first, _)| api.types.get(first.0).is_some_and(|def| !is_component(def.origin.as_str())))
        .collect();
    if uses.is_empty() {
        return;
    }
    let mut type_names = Namespace::new(Case::Type);
    let mut modules = Namespace::new(Case::Snake);
    for def in &api.types {
        // The names are unique already: these claims only record them.
        let _ = type_names.claim(def.origin.as_str(), &def.name);
        let _ = modules.claim(def.origin.as_str(), &def.module);
    }
    for (first, members) in uses {
        let Some(name) = shared_name(api, &members, &mut type_names) else { continue };
        let Some(first_def) = api.types.get(first.0) else { continue };
        let module = match modules.claim(&name, &names::module_name(&name)) {
            Ok((module, _)) => module.into_string(),
            Err(_) => continue,
        };
        let descriptions: Vec<Option<&str>> =
            members.iter().map(|id| api.types.get(id.0).and_then(|def| def.description.as_deref())).collect();
        let agreed = descriptions.windows(2).all(|pair| pair[0] == pair[1]);
        let shared = TypeDef {
            name,
            module,
            origin: first_def.origin.clone(),
            description: if agreed { first_def.description.clone() } else { None },
            title: first_def.title.clone(),
            deprecated: first_def.deprecated,
            kind: first_def.kind.clone(),
            shared_by: members.clone(),
            reach: crate::ir::Reach::default(),
        };
        let id = TypeId(api.types.len());
        api.types.push(shared);
        for member in members {
            if let Some(def) = api.types.get_mut(member.0) {
                def.kind = TypeKind::Alias(TypeRef::Named(id));
            }
        }
    }
}

/// The one-word endings of path-derived names that say nothing of what a type is.
const VAGUE_WORDS: &[&str] = &["Body", "Field", "Item", "Param", "Request", "Response", "Value"];

/// How many alternatives (or values) a name built from them may list.
const MAX_NAMED_ALTERNATIVES: usize = 3;

/// A name for the definition that `members` share, from what it is, claimed in `type_names`;
/// `None` when there is none better than the first use's. In order: the `title` of a use, when
/// no other type has that name; the words all the uses' names end in (`WebhookIssuesOpenedIssue`
/// and `WebhookIssuesClosedIssue` share `Issue`), when no other type has that name and it is
/// not one vague word (`Item`, `Request`); the alternatives of a union or the values of an
/// enum, joined (`CustomerOrDeletedCustomerOrString`, `ActiveOrExpired`), when there are at
/// most three (with a numeric suffix when the name is taken).
fn shared_name(api: &Api, members: &[TypeId], type_names: &mut Namespace) -> Option<String> {
    let defs: Vec<&TypeDef> = members.iter().filter_map(|id| api.types.get(id.0)).collect();
    let first = defs.first()?;
    let wire = first.origin.as_str();
    let titled = defs
        .iter()
        .filter_map(|def| def.title.as_deref())
        .filter(|title| title.chars().any(|c| c.is_ascii_alphanumeric()))
        .map(|title| names::type_name(title, "Shared"));
    let names: Vec<&str> = defs.iter().map(|def| def.name.as_str()).collect();
    let ending = Some(names::common_ending(&names))
        .filter(|ending| !ending.is_empty() && !VAGUE_WORDS.contains(&ending.as_str()));
    for wanted in titled.chain(ending) {
        if !type_names.is_held(&wanted) {
            return type_names.claim(wire, &wanted).ok().map(|(name, _)| name.into_string());
        }
    }
    let parts: Vec<String> = match &first.kind {
        TypeKind::Union(u) => u.variants.iter().map(|v| v.name.clone()).collect(),
        TypeKind::Enum(e) => e.variants.iter().map(|v| names::unraw(&v.name).to_owned()).collect(),
        _ => return None,
    };
    if parts.is_empty() || parts.len() > MAX_NAMED_ALTERNATIVES {
        return None;
    }
    let wanted = names::type_name(&parts.join(" or "), "Shared");
    type_names.claim(wire, &wanted).ok().map(|(name, _)| name.into_string())
}

/// What makes two definitions the same: their JSON, with referred types reduced to the first of
/// their kind and field origins left out. `None` for definitions that are never shared.
fn sharing_key(kind: &TypeKind, canonical: &[TypeId]) -> Option<String> {
    match kind {
        TypeKind::Struct(s) if s.form => return None,
        TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_) => {}
        TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Page(_) => return None,
    }
    let mut kind = kind.clone();
    for_each_ref(&mut kind, &mut |id| *id = canonical[id.0]);
    if let TypeKind::Struct(s) = &mut kind {
        // Where a field was written says nothing about what it is.
        s.fields.iter_mut().for_each(|field| field.origin = crate::pointer::JsonPointer::root());
    }
    serde_json::to_string(&kind).ok()
}

/// The types in post-order of the references between them (a type after those it refers to),
/// starting from each type in id order.
fn post_order(api: &Api) -> Vec<usize> {
    let refs: Vec<Vec<TypeId>> = api
        .types
        .iter()
        .map(|def| {
            let mut ids = Vec::new();
            refs_of(&def.kind, &mut ids);
            ids
        })
        .collect();
    let mut state = vec![0u8; refs.len()]; // 0 new, 1 on the stack, 2 done
    let mut order = Vec::with_capacity(refs.len());
    for root in 0..refs.len() {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some((node, next)) = stack.pop() {
            match refs[node].get(next) {
                Some(child) => {
                    stack.push((node, next + 1));
                    if state.get(child.0) == Some(&0) {
                        state[child.0] = 1;
                        stack.push((child.0, 0));
                    }
                }
                None => {
                    state[node] = 2;
                    order.push(node);
                }
            }
        }
    }
    order
}

/// Whether a pointer is `#/components/schemas/<name>`.
fn is_component(origin: &str) -> bool {
    origin.strip_prefix("#/components/schemas/").is_some_and(|name| !name.contains('/'))
}

/// Collects the type ids a definition refers to.
fn refs_of(kind: &TypeKind, ids: &mut Vec<TypeId>) {
    ids.extend(kind.type_refs().into_iter().filter_map(|(ty, _)| ty.named()).map(|(id, _)| id));
}

/// Calls `f` on every type id a definition refers to.
fn for_each_ref(kind: &mut TypeKind, f: &mut impl FnMut(&mut TypeId)) {
    kind.type_refs_mut().into_iter().filter_map(TypeRef::named_mut).for_each(f);
}
