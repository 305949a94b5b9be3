//! Object schemas: their properties merged through `allOf` parts (and what `oneOf`/`anyOf`
//! alternatives beside properties add), and the struct they become.
//!
//! Input: a schema. Output: its [`ObjectParts`] when it is an object, and a [`StructDef`] with
//! unique field names. Merges are bounded ([`MAX_MERGE_DEPTH`], [`MAX_MERGE_STEPS`]); one past
//! a bound is recorded and reported once as an error.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, Type};

use crate::ir::{ExtraFields, Field, StructDef, TypeRef};
use crate::names::{self, Case, Claim, Namespace, Order};
use crate::pointer::JsonPointer;

use super::context::Context;
use super::enums::untyped_enum;
use super::refs::{Link, Node};

/// How many schemas deep one `allOf` merge may go (each schema extending the next). Real
/// hierarchies are a handful deep; the bound keeps the merge's recursion off the end of the
/// stack and its field lists from growing quadratically along a long chain.
pub(super) const MAX_MERGE_DEPTH: usize = 64;

/// How many schemas one merge may visit in all: `allOf` parts that share parts would otherwise
/// be merged once per path to them (exponentially many).
pub(super) const MAX_MERGE_STEPS: usize = 10_000;

/// The state of one merge of `allOf` parts: the schemas being merged, how many were visited,
/// and whether a bound was hit.
#[derive(Default)]
pub(super) struct Merge {
    pub(super) stack: Vec<*const Schema>,
    pub(super) steps: usize,
    pub(super) exceeded: bool,
}

/// The parts of an object schema that make a struct.
pub(super) struct ObjectParts<'s> {
    pub(super) properties: Vec<(&'s String, Node<'s>)>,
    pub(super) required: Vec<&'s String>,
    pub(super) additional: Option<&'s AdditionalProperties>,
    /// What later `allOf` parts say about an inherited property without saying what it is
    /// ([`narrowing`]): the property keeps its type and takes these annotations.
    pub(super) narrowed: Vec<(&'s String, &'s SchemaData)>,
    /// The description of an inherited property that a later `allOf` part redefined without
    /// one (`kind: {enum: [card]}`): the field keeps it.
    pub(super) inherited_docs: Vec<(&'s String, &'s str)>,
}

/// An inline schema that annotates or constrains a value without saying what it is: no `type`,
/// no structure, no enumeration of one kind of value (`{description: …}`, `{maxLength: 10}`,
/// `{nullable: true}`, `{enum: [1, "one"]}`). Where a later `allOf` part gives an inherited
/// property such a schema, it narrows that property: the property keeps the type it had, with
/// this schema's description, `nullable` and `deprecated`. (A type-less `enum` of strings or of
/// integers says what the value is: an enum of those values, see [`untyped_enum`].)
fn narrowing(node: Node<'_>) -> Option<&SchemaData> {
    let Link::Item(schema) = node else { return None };
    match &schema.schema_kind {
        SchemaKind::Any(any)
            if any.typ.is_none()
                && any.properties.is_empty()
                && any.items.is_none()
                && any.additional_properties.is_none()
                && any.all_of.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
                && untyped_enum(any).is_none() =>
        {
            Some(&schema.schema_data)
        }
        _ => None,
    }
}

impl<'s> ObjectParts<'s> {
    pub(super) fn empty() -> Self {
        ObjectParts {
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
            narrowed: Vec::new(),
            inherited_docs: Vec::new(),
        }
    }

    /// An object's own properties, required names and extra properties.
    fn of(
        properties: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    ) -> Self {
        ObjectParts {
            properties: properties.iter().map(|(k, v)| (k, Node::from(v))).collect(),
            required: required.iter().collect(),
            additional,
            narrowed: Vec::new(),
            inherited_docs: Vec::new(),
        }
    }

    /// The properties an untyped schema declares itself, without its `allOf` parts or `oneOf`
    /// alternatives.
    pub(super) fn own(any: &'s openapiv3::AnySchema) -> Self {
        Self::of(&any.properties, &any.required, any.additional_properties.as_ref())
    }

    /// Adds another part. An `allOf` part (`all_of`) replaces properties of the same name
    /// (or narrows them, see [`narrowing`]) and adds its `required`; a `oneOf`/`anyOf`
    /// alternative only adds properties not there yet, all optional.
    pub(super) fn absorb(&mut self, other: ObjectParts<'s>, all_of: bool) {
        if all_of {
            self.narrowed.extend(other.narrowed);
            self.inherited_docs.extend(other.inherited_docs);
        }
        for (name, node) in other.properties {
            match self.properties.iter_mut().find(|(existing, _)| *existing == name) {
                Some(_) if all_of && narrowing(node).is_some() => {
                    self.narrowed.extend(narrowing(node).map(|data| (name, data)));
                }
                Some(slot) if all_of => {
                    if let (Link::Item(old), Link::Item(new)) = (slot.1, node) {
                        if let (Some(doc), None) =
                            (&old.schema_data.description, &new.schema_data.description)
                        {
                            self.inherited_docs.push((name, doc));
                        }
                    }
                    slot.1 = node;
                    self.narrowed.retain(|(narrowed, _)| *narrowed != name);
                }
                Some(_) => {}
                None => self.properties.push((name, node)),
            }
        }
        if all_of {
            self.required.extend(other.required);
            self.additional = self.additional.or(other.additional);
        }
    }
}

/// `additionalProperties: true`.
pub(super) static KEEP_UNNAMED: AdditionalProperties = AdditionalProperties::Any(true);

impl<'a> Context<'a> {
    /// The properties of an object schema, merging `allOf` parts; `None` when the schema is not
    /// an object with properties (or an explicitly closed empty object).
    /// A merge that goes deeper than [`MAX_MERGE_DEPTH`] or visits more than
    /// [`MAX_MERGE_STEPS`] schemas gives `None` and is reported as an error at `at`.
    pub(super) fn object_parts(&self, schema: &'a Schema, at: &JsonPointer) -> Option<ObjectParts<'a>> {
        let mut merge = Merge::default();
        let parts = self.object_parts_within(schema, at, &mut merge);
        if merge.exceeded {
            self.merges_too_deep.borrow_mut().insert(at.clone());
            return None;
        }
        parts
    }

    /// [`Self::object_parts`], with the schemas being merged on `stack`: a schema met again
    /// inside its own merge (`Pet: {oneOf: [Cat]}`, `Cat: {allOf: [Pet, …]}`) gives only its own
    /// properties, so that such cycles end.
    pub(super) fn object_parts_within(
        &self,
        schema: &'a Schema,
        at: &JsonPointer,
        merge: &mut Merge,
    ) -> Option<ObjectParts<'a>> {
        merge.steps += 1;
        if merge.stack.len() >= MAX_MERGE_DEPTH || merge.steps > MAX_MERGE_STEPS {
            merge.exceeded = true;
            return None;
        }
        let revisit = merge.stack.contains(&std::ptr::from_ref(schema));
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                let closed_empty =
                    matches!(object.additional_properties, Some(AdditionalProperties::Any(false)));
                (!object.properties.is_empty() || closed_empty).then(|| {
                    ObjectParts::of(
                        &object.properties,
                        &object.required,
                        object.additional_properties.as_ref(),
                    )
                })
            }
            // `allOf: [$ref]` alone (with `nullable` or docs beside it) is that reference.
            SchemaKind::Any(any)
                if any.properties.is_empty()
                    && any.all_of.len() <= 1
                    && (any.all_of.is_empty() || (any.one_of.is_empty() && any.any_of.is_empty())) =>
            {
                None
            }
            SchemaKind::Any(any) => {
                let own = ObjectParts::own(any);
                if revisit {
                    return Some(own);
                }
                merge.stack.push(std::ptr::from_ref(schema));
                let merged = self.merge_any(any, own, at, merge);
                merge.stack.pop();
                merged
            }
            // Met again inside its own merge: it adds nothing more.
            SchemaKind::AllOf { all_of } if all_of.len() > 1 && revisit => Some(ObjectParts::empty()),
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                merge.stack.push(std::ptr::from_ref(schema));
                let merged = self.merge_all_of(all_of, at, merge);
                merge.stack.pop();
                merged
            }
            _ => None,
        }
    }

    /// An untyped schema with properties, `allOf` parts and `oneOf`/`anyOf` alternatives: the
    /// parts first, then its own properties (which win), then what the alternatives add, optional.
    pub(super) fn merge_any(
        &self,
        any: &'a openapiv3::AnySchema,
        own: ObjectParts<'a>,
        at: &JsonPointer,
        merge: &mut Merge,
    ) -> Option<ObjectParts<'a>> {
        let mut merged = if any.all_of.is_empty() {
            ObjectParts::empty()
        } else {
            self.merge_all_of(&any.all_of, at, merge)?
        };
        merged.absorb(own, true);
        for (keyword, alternatives) in [("oneOf", &any.one_of), ("anyOf", &any.any_of)] {
            for (index, alternative) in alternatives.iter().enumerate() {
                let at = at.push(keyword).push(index.to_string());
                let (schema, _) = self.resolve(Node::from(alternative))?;
                let parts = self.all_of_part(schema, &at, merge)?;
                merged.absorb(parts, false);
            }
        }
        Some(merged)
    }

    /// Merges the parts of an `allOf` whose parts are all objects (or only add `required`).
    /// Later parts override a property of the same name; `required` is the union.
    pub(super) fn merge_all_of(
        &self,
        parts: &'a [ReferenceOr<Schema>],
        at: &JsonPointer,
        merge: &mut Merge,
    ) -> Option<ObjectParts<'a>> {
        let mut merged = ObjectParts::empty();
        for (index, part) in parts.iter().enumerate() {
            let (schema, _) = self.resolve(Node::from(part))?;
            let inner = self.all_of_part(schema, &at.push("allOf").push(index.to_string()), merge)?;
            merged.absorb(inner, true);
        }
        Some(merged)
    }

    /// One part of an `allOf`: an object schema, or a schema that only lists `required`
    /// properties or describes extra properties.
    pub(super) fn all_of_part(
        &self,
        schema: &'a Schema,
        at: &JsonPointer,
        merge: &mut Merge,
    ) -> Option<ObjectParts<'a>> {
        if let Some(parts) = self.object_parts_within(schema, at, merge) {
            return Some(parts);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => Some(ObjectParts {
                required: object.required.iter().collect(),
                additional: object.additional_properties.as_ref(),
                ..ObjectParts::empty()
            }),
            SchemaKind::Any(any)
                if any.typ.as_deref().is_none_or(|t| t == "object")
                    && any.all_of.is_empty()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && any.enumeration.is_empty() =>
            {
                Some(ObjectParts {
                    required: any.required.iter().collect(),
                    additional: any.additional_properties.as_ref(),
                    ..ObjectParts::empty()
                })
            }
            _ => None,
        }
    }

    /// Builds a struct named `type_name` from object parts.
    pub(super) fn struct_def(
        &mut self,
        type_name: &str,
        parts: ObjectParts<'a>,
        at: &JsonPointer,
    ) -> StructDef {
        let claims: Vec<Claim> = parts
            .properties
            .iter()
            .map(|(wire, _)| Claim::first((*wire).clone(), names::snake_name(wire, "field")))
            .collect();
        let mut namespace = Namespace::new(Case::Snake);
        let (field_names, renamed) = self.settle(&mut namespace, &claims, Order::Wire);
        for rename in renamed {
            let wire = &claims[rename.index].name.wire;
            self.warn(
                at.push("properties").push(wire),
                format!(
                    "field name `{}` is also the name of property `{}`; renamed",
                    rename.wanted,
                    rename.kept_by.unwrap_or_default()
                ),
            );
        }
        let mut fields = Vec::new();
        for ((wire, node), name) in parts.properties.into_iter().zip(field_names) {
            let pointer = at.push("properties").push(wire);
            let hint = format!("{type_name}{}", names::type_name(wire, "Field"));
            let mut lowered = self.lower_node(node, &pointer, &hint);
            if lowered.description.is_none() {
                let inherited = parts.inherited_docs.iter().rev().find(|(named, _)| *named == wire);
                lowered.description = inherited.map(|(_, doc)| (*doc).to_owned());
            }
            for (_, data) in parts.narrowed.iter().filter(|(narrowed, _)| *narrowed == wire) {
                lowered.nullable |= data.nullable;
                lowered.deprecated |= data.deprecated;
                if data.description.is_some() {
                    lowered.description = data.description.clone();
                }
            }
            fields.push(Field {
                name,
                wire_name: wire.clone(),
                ty: lowered.ty,
                required: parts.required.contains(&wire),
                nullable: lowered.nullable,
                boxed: false,
                description: lowered.description,
                deprecated: lowered.deprecated,
                origin: pointer,
            });
        }
        let extra = match parts.additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(additional) => {
                let value = match additional {
                    AdditionalProperties::Schema(schema) => {
                        let pointer = at.push("additionalProperties");
                        self.lower_node(Node::from(schema.as_ref()), &pointer, &format!("{type_name}Value"))
                            .ty
                    }
                    AdditionalProperties::Any(_) => TypeRef::Any,
                };
                // Claimed after every field, in the fields' namespace.
                let claims = [Claim::then("", "additional_properties")];
                let (name, _) = self.settle(&mut namespace, &claims, Order::Wire);
                let name = name.into_iter().next().unwrap_or_else(|| {
                    self.bug("the extra-fields claim gave no name");
                    "additional_properties".to_owned()
                });
                Some(ExtraFields { name, value })
            }
        };
        StructDef { fields, extra, form: false }
    }
}
