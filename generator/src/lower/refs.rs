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

/// A schema position: a reference or an inline schema.
#[derive(Clone, Copy)]
pub(super) enum Node<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for Node<'s> {
    fn from(value: &'s ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(schema) => Node::Item(schema),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for Node<'s> {
    fn from(value: &'s ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(schema) => Node::Item(schema),
        }
    }
}

/// The component key a `$ref` or a discriminator `mapping` value names (a mapping value may be a
/// bare schema name).
pub(super) fn component_key(target: &str) -> String {
    crate::pointer::unescape(target.strip_prefix("#/components/schemas/").unwrap_or(target))
}

impl<'a> Context<'a> {
    /// Resolves a `$ref` to a schema.
    pub(super) fn reference(&mut self, reference: &str, at: &JsonPointer) -> TypeRef {
        let key = reference.strip_prefix("#/components/schemas/").map(crate::pointer::unescape);
        match key.and_then(|key| self.components.get(&key).copied()) {
            Some(id) => TypeRef::Named(id),
            None if reference.starts_with("#/components/schemas/") => {
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

    /// Follows references between component schemas to the schema they end at.
    pub(super) fn resolve(&self, node: Node<'a>) -> Option<(&'a Schema, JsonPointer)> {
        let spec = self.spec;
        let schemas = &spec.openapi.components.as_ref()?.schemas;
        let mut node = node;
        let mut pointer = JsonPointer::root();
        // A chain of references longer than the number of schemas is a cycle.
        for _ in 0..=schemas.len() {
            match node {
                Node::Item(schema) => return Some((schema, pointer)),
                Node::Ref(reference) => {
                    let key = reference
                        .strip_prefix("#/components/schemas/")?
                        .replace("~1", "/")
                        .replace("~0", "~");
                    pointer = JsonPointer::root().push("components").push("schemas").push(&key);
                    node = Node::from(schemas.get(&key)?);
                }
            }
        }
        None
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
}
