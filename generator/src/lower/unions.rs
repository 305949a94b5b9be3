//! Unions: `oneOf`/`anyOf` alternatives, tagged by a discriminator when it is usable, and the
//! schemas that others extend through `allOf` with a discriminator (a union of the extending
//! schemas and a struct of the base's own fields).
//!
//! Input: schemas with alternatives or a discriminator. Output: [`UnionDef`]s whose variants
//! keep the spec's order and have unique names.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use crate::ir::{TypeKind, TypeRef, UnionDef, UnionVariant};
use crate::names::{self, Case, Claim, Namespace, Order};
use crate::pointer::JsonPointer;

use super::context::Context;
use super::objects::{KEEP_UNNAMED, Merge, ObjectParts};
use super::refs::{Node, component_key};

/// The keyword and alternatives of a `oneOf` or `anyOf` (also with sibling keywords such as
/// `type` or `nullable`), when the schema is one with two alternatives or more: a single
/// alternative is no union but that alternative ([`super::schemas::annotated_part`]).
pub(super) fn union_parts(schema: &Schema) -> Option<(&'static str, &[ReferenceOr<Schema>])> {
    let parts = match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => Some(("oneOf", one_of.as_slice())),
        SchemaKind::AnyOf { any_of } => Some(("anyOf", any_of.as_slice())),
        SchemaKind::Any(any) if any.properties.is_empty() && any.all_of.is_empty() => {
            match (any.one_of.is_empty(), any.any_of.is_empty()) {
                (false, true) => Some(("oneOf", any.one_of.as_slice())),
                (true, false) => Some(("anyOf", any.any_of.as_slice())),
                _ => None,
            }
        }
        _ => None,
    };
    parts.filter(|(_, alternatives)| alternatives.len() > 1)
}

impl<'a> Context<'a> {
    /// The component schemas that others extend, by key: object schemas with a
    /// `discriminator` that some object schema names in its `allOf`, each with the keys of
    /// those schemas and of the object schemas its `mapping` or its `oneOf`/`anyOf` beside
    /// properties point at, in name order.
    pub(super) fn extended_bases(&self) -> BTreeMap<String, Vec<String>> {
        let mut bases: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let Some(components) = &self.spec.openapi.components else { return bases };
        // Most specs have no discriminator: nothing to walk then.
        let has_discriminator = components.schemas.values().any(|schema| {
            matches!(schema, ReferenceOr::Item(schema) if schema.schema_data.discriminator.is_some())
        });
        if !has_discriminator {
            return bases;
        }
        let root = JsonPointer::root();
        let item = |key: &str| match components.schemas.get(key) {
            Some(ReferenceOr::Item(schema)) => Some(schema),
            _ => None,
        };
        let is_object =
            |key: &str| item(key).is_some_and(|schema| self.object_parts(schema, &root).is_some());
        let is_base = |key: &str| {
            item(key).is_some_and(|schema| {
                schema.schema_data.discriminator.is_some() && union_parts(schema).is_none() && is_object(key)
            })
        };
        // The schemas each one names in its `allOf`.
        let parents = |key: &str| -> Vec<String> {
            let all_of = match item(key).map(|schema| &schema.schema_kind) {
                Some(SchemaKind::AllOf { all_of }) => all_of.as_slice(),
                Some(SchemaKind::Any(any)) => any.all_of.as_slice(),
                _ => &[],
            };
            all_of
                .iter()
                .filter_map(|part| match part {
                    ReferenceOr::Reference { reference } => Some(component_key(reference)),
                    ReferenceOr::Item(_) => None,
                })
                .collect()
        };
        for key in self.components.keys() {
            if !is_object(key) {
                continue;
            }
            // Every schema up the `allOf` chains: `Puppy: allOf [Dog]`, `Dog: allOf [Pet]`
            // makes Puppy extend Pet too.
            let mut seen = std::collections::BTreeSet::new();
            let mut up = parents(key);
            while let Some(base) = up.pop() {
                if base == *key || !seen.insert(base.clone()) {
                    continue;
                }
                up.extend(parents(&base));
                if is_base(&base) {
                    bases.entry(base).or_default().push(key.clone());
                }
            }
        }
        for (base, subtypes) in &mut bases {
            let Some(schema) = item(base) else { continue };
            let mapped = schema.schema_data.discriminator.iter().flat_map(|d| d.mapping.values());
            // Properties beside a `oneOf` make it no union: its alternatives extend the base.
            let listed = match &schema.schema_kind {
                SchemaKind::Any(any) => any.one_of.iter().chain(&any.any_of).collect(),
                _ => Vec::new(),
            };
            let listed = listed.into_iter().filter_map(|alternative| match alternative {
                ReferenceOr::Reference { reference } => Some(reference),
                ReferenceOr::Item(_) => None,
            });
            for target in mapped.chain(listed) {
                let target = component_key(target);
                if target != *base && is_object(&target) {
                    subtypes.push(target);
                }
            }
            subtypes.sort();
            subtypes.dedup();
        }
        // A schema that is itself extended becomes a union tagged by its own discriminator, which
        // encoding it as a variant would overwrite: its values decode as the base's fields, its
        // own extending schemas are variants of their own already.
        let extended: Vec<String> = bases.keys().cloned().collect();
        for subtypes in bases.values_mut() {
            subtypes.retain(|subtype| !extended.contains(subtype));
        }
        bases.retain(|_, subtypes| !subtypes.is_empty());
        bases
    }

    /// A schema that others extend through `allOf`, with a discriminator: a tagged union of the
    /// extending schemas, and a variant of the base's own fields (the struct `<Name>Base`) for
    /// any other value. `None` (with a warning) when a value would select two of them.
    pub(super) fn extended_union(
        &mut self,
        name: &str,
        schema: &'a Schema,
        subtypes: &[String],
        at: &JsonPointer,
    ) -> Option<UnionDef> {
        let discriminator = schema.schema_data.discriminator.as_ref()?;
        let mut seen = std::collections::BTreeSet::new();
        let mut variants = Vec::new();
        for subtype in subtypes {
            let Some(&id) = self.components.get(subtype) else { continue };
            let values = self.discriminator_values(discriminator, subtype);
            if let Some(twice) = values.iter().find(|value| !seen.insert((*value).clone())) {
                self.warn(
                    at.push("discriminator"),
                    format!("the discriminator value `{twice}` selects two schemas that extend this one; it stays one struct"),
                );
                return None;
            }
            variants.push((self.declared_name(id), TypeRef::Named(id), values));
        }
        // The base's own fields: its properties and `allOf` parts, without what its `oneOf`
        // alternatives would add.
        let mut parts = match &schema.schema_kind {
            SchemaKind::Any(any) if !any.one_of.is_empty() || !any.any_of.is_empty() => {
                let own = ObjectParts::own(any);
                let mut merged = if any.all_of.is_empty() {
                    ObjectParts::empty()
                } else {
                    let mut merge = Merge { stack: vec![std::ptr::from_ref(schema)], ..Merge::default() };
                    let merged = self.merge_all_of(&any.all_of, at, &mut merge);
                    if merge.exceeded {
                        self.merges_too_deep.borrow_mut().insert(at.clone());
                    }
                    merged?
                };
                merged.absorb(own, true);
                merged
            }
            _ => self.object_parts(schema, at)?,
        };
        // It stands for schemas the SDK does not know: their other properties are kept, so that
        // the value encodes as it came.
        if parts.additional.is_none() {
            parts.additional = Some(&KEEP_UNNAMED);
        }
        let (base_id, base_name) = self.declare(&format!("{name}Base"), at.clone());
        let base = self.struct_def(&base_name, parts, at);
        self.define(base_id, at.clone(), &schema.schema_data, TypeKind::Struct(base));
        // The variants keep the order of the extending schemas; the catch-all yields to them.
        let mut claims: Vec<Claim> =
            variants.iter().map(|(wanted, _, _)| Claim::first(wanted.clone(), wanted.clone())).collect();
        claims.push(Claim::then("", "Other"));
        let (names, _) = self.settle(&mut Namespace::new(Case::Type), &claims, Order::Position);
        let mut names = names.into_iter();
        let mut union_variants: Vec<UnionVariant> = variants
            .into_iter()
            .zip(names.by_ref())
            .map(|((_, ty, tag_values), name)| UnionVariant {
                name,
                ty,
                boxed: false,
                tag_values,
                fallback: false,
            })
            .collect();
        union_variants.push(UnionVariant {
            name: names.next().unwrap_or_else(|| {
                self.bug(format!("the catch-all variant of {at} got no name"));
                "Other".to_owned()
            }),
            ty: TypeRef::Named(base_id),
            boxed: false,
            tag_values: Vec::new(),
            fallback: true,
        });
        Some(UnionDef { variants: union_variants, tag: Some(discriminator.property_name.clone()) })
    }

    /// Builds a union named `type_name` from the alternatives of a `oneOf` or `anyOf`, tagged
    /// by the discriminator when there is a usable one.
    pub(super) fn union_def(
        &mut self,
        type_name: &str,
        (keyword, alternatives): (&str, &'a [ReferenceOr<Schema>]),
        discriminator: Option<&'a openapiv3::Discriminator>,
        at: &JsonPointer,
    ) -> UnionDef {
        let mut lowered = Vec::new();
        for (index, alternative) in alternatives.iter().enumerate() {
            let pointer = at.push(keyword).push(index.to_string());
            let hint = format!("{type_name}Variant{}", index + 1);
            lowered.push(self.lower_node(Node::from(alternative), &pointer, &hint).ty);
        }
        // The variants keep the order of the alternatives.
        let claims: Vec<Claim> = lowered
            .iter()
            .map(|ty| {
                let wanted = self.variant_name(ty);
                Claim::first(wanted.clone(), names::type_name(&wanted, "Variant"))
            })
            .collect();
        let (variant_names, _) = self.settle(&mut Namespace::new(Case::Type), &claims, Order::Position);
        let tags = discriminator.and_then(|d| self.tag_values(d, alternatives, &lowered, at));
        let tag = tags.as_ref().and(discriminator).map(|d| d.property_name.clone());
        let mut tags = tags.unwrap_or_default().into_iter();
        let variants = variant_names
            .into_iter()
            .zip(lowered)
            .map(|(name, ty)| UnionVariant {
                name,
                ty,
                boxed: false,
                tag_values: tags.next().unwrap_or_default(),
                fallback: false,
            })
            .collect();
        UnionDef { variants, tag }
    }

    /// The discriminator values of each alternative (see [`Self::discriminator_values`]). `None` (with a warning) when an alternative is not a
    /// referenced object schema or a value would select two alternatives.
    pub(super) fn tag_values(
        &mut self,
        discriminator: &'a openapiv3::Discriminator,
        alternatives: &'a [ReferenceOr<Schema>],
        lowered: &[TypeRef],
        at: &JsonPointer,
    ) -> Option<Vec<Vec<String>>> {
        let mut all = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (alternative, ty) in alternatives.iter().zip(lowered) {
            let is_object = self
                .resolve(Node::from(alternative))
                .is_some_and(|(schema, at)| self.object_parts(schema, &at).is_some());
            let is_struct = matches!(ty, TypeRef::Named(_)) && is_object;
            let (ReferenceOr::Reference { reference }, true) = (alternative, is_struct) else {
                self.warn(
                    at.push("discriminator"),
                    "the discriminator needs every alternative to be a `$ref` to an object schema; decoding tries the alternatives in order instead",
                );
                return None;
            };
            let values = self.discriminator_values(discriminator, &component_key(reference));
            if let Some(twice) = values.iter().find(|value| !seen.insert((*value).clone())) {
                self.warn(
                    at.push("discriminator"),
                    format!("the discriminator value `{twice}` selects two alternatives; decoding tries the alternatives in order instead"),
                );
                return None;
            }
            all.push(values);
        }
        Some(all)
    }

    /// The discriminator values that select the component schema `key`: the `mapping` entries
    /// that point at it, or else the `x-ms-discriminator-value` beside it (Azure's specs), or
    /// else its name.
    pub(super) fn discriminator_values(
        &self,
        discriminator: &openapiv3::Discriminator,
        key: &str,
    ) -> Vec<String> {
        let mut values: Vec<String> = discriminator
            .mapping
            .iter()
            .filter(|(_, target)| component_key(target) == key)
            .map(|(value, _)| value.clone())
            .collect();
        if values.is_empty() {
            let schemas = self.spec.openapi.components.as_ref().map(|c| &c.schemas);
            let named = match schemas.and_then(|schemas| schemas.get(key)) {
                Some(ReferenceOr::Item(schema)) => {
                    schema.schema_data.extensions.get("x-ms-discriminator-value")
                }
                _ => None,
            };
            values.push(named.and_then(serde_json::Value::as_str).unwrap_or(key).to_owned());
        }
        values
    }

    /// A variant name that says what the alternative is.
    pub(super) fn variant_name(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => self.declared_name(*id),
            TypeRef::Primitive(primitive) => format!("{primitive:?}"),
            TypeRef::List(inner) => format!("{}List", self.variant_name(inner)),
            TypeRef::Map(_) => "Map".to_owned(),
            TypeRef::Any => "Value".to_owned(),
        }
    }
}
