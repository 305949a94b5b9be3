//! `$ref`s, resolved in one place: the position a schema is written at (a reference or an
//! inline schema), the component a reference names, and the walk along a chain of references.
//!
//! Input: reference strings of the spec. Output: the component they end at (with its pointer),
//! or an error at the reference. A chain longer than its section has entries is a cycle.

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};

use crate::ir::TypeRef;
use crate::pointer::JsonPointer;

use super::context::Context;

/// A position that holds a `T`: a reference to one, or the thing itself.
pub(super) enum Link<'s, T> {
    Ref(&'s str),
    Item(&'s T),
}

// Derived `Clone`/`Copy` would ask `T` to be `Copy`; a link only holds references.
impl<T> Clone for Link<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Link<'_, T> {}

/// A schema position: a reference or an inline schema.
pub(super) type Node<'s> = Link<'s, Schema>;

impl<'s, T> From<&'s ReferenceOr<T>> for Link<'s, T> {
    fn from(value: &'s ReferenceOr<T>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => Link::Ref(reference),
            ReferenceOr::Item(item) => Link::Item(item),
        }
    }
}

impl<'s, T> From<&'s ReferenceOr<Box<T>>> for Link<'s, T> {
    fn from(value: &'s ReferenceOr<Box<T>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => Link::Ref(reference),
            ReferenceOr::Item(item) => Link::Item(item),
        }
    }
}

/// Where a chain of references ends.
enum Chain<'s, T> {
    /// At an item; with the pointer of the last component on the way, `None` when the start
    /// was the item itself.
    Found(&'s T, Option<JsonPointer>),
    /// At a reference that names nothing in the section.
    Missing(&'s str),
    /// Round a cycle.
    Cycle,
}

/// The key a reference names in `#/components/<section>/`, unescaped.
pub(super) fn section_key(reference: &str, section: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/")?.strip_prefix(section)?.strip_prefix('/')?;
    Some(crate::pointer::unescape(rest))
}

/// The component key a `$ref` or a discriminator `mapping` value names (a mapping value may be a
/// bare schema name).
pub(super) fn component_key(target: &str) -> String {
    section_key(target, "schemas").unwrap_or_else(|| crate::pointer::unescape(target))
}

/// The one walk along a chain of references into `#/components/<section>`. A chain longer than
/// the section has entries goes round a cycle: a long chain is not one.
fn follow<'s, T>(
    start: Link<'s, T>,
    section: &str,
    entries: Option<&'s IndexMap<String, ReferenceOr<T>>>,
) -> Chain<'s, T> {
    let mut link = start;
    let mut pointer = None;
    for _ in 0..=entries.map_or(0, IndexMap::len) {
        match link {
            Link::Item(item) => return Chain::Found(item, pointer),
            Link::Ref(reference) => {
                let key = section_key(reference, section);
                let Some((key, next)) = key.and_then(|key| Some((key.clone(), entries?.get(&key)?))) else {
                    return Chain::Missing(reference);
                };
                pointer = Some(JsonPointer::root().push("components").push(section).push(key));
                link = Link::from(next);
            }
        }
    }
    Chain::Cycle
}

impl<'a> Context<'a> {
    /// Resolves a `$ref` to a schema.
    pub(super) fn reference(&mut self, reference: &str, at: &JsonPointer) -> TypeRef {
        let key = section_key(reference, "schemas");
        match key.as_ref().and_then(|key| self.components.get(key).copied()) {
            Some(id) => TypeRef::Named(id),
            None if key.is_some() => {
                self.error(at.clone(), format!("`$ref` to `{reference}`, which does not exist"));
                TypeRef::Any
            }
            None => {
                self.warn(
                    at.clone(),
                    format!("`$ref` to `{reference}` is not supported (only `#/components/schemas/...`); using free-form JSON"),
                );
                TypeRef::Any
            }
        }
    }

    /// Follows references between component schemas to the schema they end at (`None` when a
    /// reference names nothing, the references form a cycle, or the spec has no components).
    pub(super) fn resolve(&self, node: Node<'a>) -> Option<(&'a Schema, JsonPointer)> {
        let schemas = &self.spec.openapi.components.as_ref()?.schemas;
        match follow(node, "schemas", Some(schemas)) {
            Chain::Found(schema, pointer) => Some((schema, pointer.unwrap_or_else(JsonPointer::root))),
            Chain::Missing(_) | Chain::Cycle => None,
        }
    }

    /// Follows `$ref`s (chains too) into `#/components/<section>/...` until an item, with an
    /// error at `at` when a reference names nothing or the references form a cycle.
    pub(super) fn component<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        at: JsonPointer,
        section: &str,
        entries: fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'a T, JsonPointer)> {
        let listed = self.spec.openapi.components.as_ref().map(entries);
        match follow(Link::from(item), section, listed) {
            Chain::Found(item, pointer) => Some((item, pointer.unwrap_or(at))),
            Chain::Missing(reference) => {
                let message = format!("`$ref` to `{reference}`, which is not in `#/components/{section}`");
                self.error(at, message);
                None
            }
            Chain::Cycle => {
                self.error(at, "`$ref`s form a cycle");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{component_key, section_key};

    #[test]
    fn references_name_their_section_key() {
        assert_eq!(section_key("#/components/schemas/a~1b~0c", "schemas").as_deref(), Some("a/b~c"));
        assert_eq!(section_key("#/components/schemasX/a", "schemas"), None);
        assert_eq!(section_key("#/components/responses/a", "schemas"), None);
        assert_eq!(section_key("other.yaml#/a", "schemas"), None);
        assert_eq!(component_key("#/components/schemas/Pet"), "Pet");
        assert_eq!(component_key("Pet"), "Pet");
    }
}
