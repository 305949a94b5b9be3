//! Lowering of schemas: component definitions and inline type expressions.
//!
//! A schema becomes a struct when it has properties, an enum when it lists values (`enum`, or
//! `x-extensible-enum` for value sets known to be open), and a type expression otherwise.
//! Inline structs and enums are hoisted into named types called `{Parent}{Field}`. A schema with
//! a discriminator that others extend through `allOf` becomes a tagged union of them. Constructs
//! the generator cannot type yet become `serde_json::Value` with a warning at their pointer.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::Context;
use crate::ir::{
    EnumDef, EnumRepr, EnumValue, ExtraFields, Field, Primitive, StructDef, TypeKind, TypeRef, UnionDef,
    UnionVariant, Variant,
};
use crate::names::{self, Case, Claim, Namespace, Order};
use crate::pointer::JsonPointer;

/// Extension listing the values seen of an open string enumeration.
const EXTENSIBLE_ENUM: &str = "x-extensible-enum";
/// Extension naming the variants of an enumeration, index-aligned with its values.
const ENUM_VARNAMES: &str = "x-enum-varnames";

/// How many values an enum may have. A larger one (a list of every name of something) is a
/// plain string or integer: its code would be several times the spec's size, and one file of
/// that size takes gigabytes to format.
pub(super) const MAX_ENUM_VALUES: usize = 10_000;

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
struct Merge {
    stack: Vec<*const Schema>,
    steps: usize,
    exceeded: bool,
}

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

/// A lowered type expression with what the schema said about it.
pub(super) struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
    pub description: Option<String>,
    pub deprecated: bool,
}

/// The parts of an object schema that make a struct.
struct ObjectParts<'s> {
    properties: Vec<(&'s String, Node<'s>)>,
    required: Vec<&'s String>,
    additional: Option<&'s AdditionalProperties>,
}

impl<'s> ObjectParts<'s> {
    fn empty() -> Self {
        ObjectParts { properties: Vec::new(), required: Vec::new(), additional: None }
    }

    /// The properties an untyped schema declares itself, without its `allOf` parts or `oneOf`
    /// alternatives.
    fn own(any: &'s openapiv3::AnySchema) -> Self {
        ObjectParts {
            properties: any.properties.iter().map(|(k, v)| (k, Node::from(v))).collect(),
            required: any.required.iter().collect(),
            additional: any.additional_properties.as_ref(),
        }
    }

    /// Adds another part. An `allOf` part (`all_of`) replaces properties of the same name and
    /// adds its `required`; a `oneOf`/`anyOf` alternative only adds properties not there yet,
    /// all optional.
    fn absorb(&mut self, other: ObjectParts<'s>, all_of: bool) {
        for (name, node) in other.properties {
            match self.properties.iter_mut().find(|(existing, _)| *existing == name) {
                Some(slot) if all_of => slot.1 = node,
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

impl<'a> Context<'a> {
    /// Lowers every component schema into the id declared for it.
    pub(super) fn define_components(&mut self) {
        let spec = self.spec;
        let Some(components) = &spec.openapi.components else { return };
        let base = JsonPointer::root().push("components").push("schemas");
        let entries: Vec<(String, crate::ir::TypeId)> =
            self.components.iter().map(|(key, id)| (key.clone(), *id)).collect();
        let bases = self.extended_bases();
        for (key, id) in entries {
            let Some(schema) = components.schemas.get(&key) else { continue };
            let pointer = base.push(&key);
            match Node::from(schema) {
                Node::Ref(reference) => {
                    let ty = self.reference(reference, &pointer);
                    self.define(id, pointer, &SchemaData::default(), TypeKind::Alias(ty));
                }
                Node::Item(schema) => {
                    let name = self.declared_name(id);
                    let extended = bases.get(&key).and_then(|subtypes| {
                        self.extended_union(&name, schema, subtypes, &pointer).map(TypeKind::Union)
                    });
                    let kind = match extended {
                        Some(kind) => kind,
                        None => self.kind_of(&name, schema, &pointer),
                    };
                    self.define(id, pointer, &schema.schema_data, kind);
                }
            }
        }
    }

    /// The component schemas that others extend, by key: object schemas with a
    /// `discriminator` that some object schema names in its `allOf`, each with the keys of
    /// those schemas and of the object schemas its `mapping` or its `oneOf`/`anyOf` beside
    /// properties point at, in name order.
    fn extended_bases(&self) -> BTreeMap<String, Vec<String>> {
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
    fn extended_union(
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
            name: names.next().unwrap_or_else(|| "Other".to_owned()),
            ty: TypeRef::Named(base_id),
            boxed: false,
            tag_values: Vec::new(),
            fallback: true,
        });
        Some(UnionDef { variants: union_variants, tag: Some(discriminator.property_name.clone()) })
    }

    /// What a named schema becomes.
    fn kind_of(&mut self, name: &str, schema: &'a Schema, at: &JsonPointer) -> TypeKind {
        if let Some(def) = self.enum_def(schema, at) {
            return TypeKind::Enum(def);
        }
        if let Some(parts) = self.object_parts(schema, at) {
            return TypeKind::Struct(self.struct_def(name, parts, at));
        }
        if let Some((keyword, alternatives)) = union_parts(schema) {
            let discriminator = schema.schema_data.discriminator.as_ref();
            return TypeKind::Union(self.union_def(name, (keyword, alternatives), discriminator, at));
        }
        TypeKind::Alias(self.shape(schema, at, name).ty)
    }

    /// Lowers a schema position to a type expression, hoisting named types as needed. `hint` is
    /// the name a hoisted type gets.
    pub(super) fn lower_node(&mut self, node: Node<'a>, at: &JsonPointer, hint: &str) -> Lowered {
        match node {
            Node::Ref(reference) => Lowered {
                ty: self.reference(reference, at),
                nullable: false,
                description: None,
                deprecated: false,
            },
            Node::Item(schema) => {
                // An `allOf` of one type and annotations is that type, not a copy of it.
                let named = annotated_part(schema).is_none()
                    && (is_enum(schema)
                        || self.object_parts(schema, at).is_some()
                        || union_parts(schema).is_some());
                let mut lowered = if named {
                    // A schema reached twice at the same place (inside a shared response,
                    // body or parameter) is one type.
                    let id = match self.hoisted_at.get(at) {
                        Some(id) => *id,
                        None => {
                            let (id, name) = self.declare(hint, at.clone());
                            self.hoisted_at.insert(at.clone(), id);
                            let kind = self.kind_of(&name, schema, at);
                            self.define(id, at.clone(), &schema.schema_data, kind);
                            id
                        }
                    };
                    Lowered { ty: TypeRef::Named(id), nullable: false, description: None, deprecated: false }
                } else {
                    self.shape(schema, at, hint)
                };
                let data = &schema.schema_data;
                lowered.nullable |= data.nullable || self.enum_allows_null(schema);
                if data.description.is_some() {
                    lowered.description = data.description.clone();
                } else if let Some(annotation) = annotation_description(schema) {
                    lowered.description = Some(annotation.to_owned());
                }
                lowered.deprecated |= data.deprecated;
                lowered
            }
        }
    }

    /// A type expression for a schema that is neither a struct nor an enum.
    fn shape(&mut self, schema: &'a Schema, at: &JsonPointer, hint: &str) -> Lowered {
        let plain = |ty| Lowered { ty, nullable: false, description: None, deprecated: false };
        // `allOf` with one part that says what the value is, beside parts that only annotate it
        // (and, in 3.0, `allOf: [$ref]` with `nullable` or docs beside it): that part's type.
        if let Some((index, part)) = annotated_part(schema) {
            return self.lower_node(Node::from(part), &at.push("allOf").push(index.to_string()), hint);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => plain(TypeRef::Primitive(match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Primitive::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Primitive::Date,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Primitive::Binary,
                VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => Primitive::Uuid,
                _ => Primitive::String,
            })),
            SchemaKind::Type(Type::Integer(integer)) => plain(TypeRef::Primitive(match integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Primitive::I32,
                _ => Primitive::I64,
            })),
            SchemaKind::Type(Type::Number(number)) => plain(TypeRef::Primitive(match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Primitive::F32,
                _ => Primitive::F64,
            })),
            SchemaKind::Type(Type::Boolean(_)) => plain(TypeRef::Primitive(Primitive::Bool)),
            SchemaKind::Type(Type::Array(array)) => plain(TypeRef::List(Box::new(match &array.items {
                Some(items) => {
                    self.lower_node(Node::from(items), &at.push("items"), &format!("{hint}Item")).ty
                }
                None => TypeRef::Any,
            }))),
            SchemaKind::Type(Type::Object(object)) => {
                plain(self.map_of(object.additional_properties.as_ref(), at, hint))
            }
            SchemaKind::AllOf { .. } => {
                self.warn(
                    at.clone(),
                    "`allOf` mixing non-object schemas is not supported; using free-form JSON",
                );
                plain(TypeRef::Any)
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                self.warn(at.clone(), "`oneOf` and `anyOf` are not supported yet; using free-form JSON");
                plain(TypeRef::Any)
            }
            SchemaKind::Not { .. } => {
                self.warn(at.clone(), "`not` cannot be expressed as a Rust type; using free-form JSON");
                plain(TypeRef::Any)
            }
            // `allOf: [$ref]` with sibling keywords (`type`, `nullable`, `description`), the usual
            // way to make a reference nullable in 3.0, parses as an untyped schema.
            SchemaKind::Any(any)
                if !any.one_of.is_empty() || !any.any_of.is_empty() || !any.all_of.is_empty() =>
            {
                self.warn(at.clone(), "this combination of `allOf`, `oneOf` and `anyOf` is not supported yet; using free-form JSON");
                plain(TypeRef::Any)
            }
            SchemaKind::Any(any) => {
                if any.typ.as_deref() == Some("object") || any.additional_properties.is_some() {
                    plain(self.map_of(any.additional_properties.as_ref(), at, hint))
                } else {
                    plain(TypeRef::Any)
                }
            }
        }
    }

    /// The map type of an object without properties.
    fn map_of(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        at: &JsonPointer,
        hint: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value = self.lower_node(
                    Node::from(schema.as_ref()),
                    &at.push("additionalProperties"),
                    &format!("{hint}Value"),
                );
                TypeRef::Map(Box::new(value.ty))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Any)),
        }
    }

    /// Resolves a `$ref` to a schema.
    fn reference(&mut self, reference: &str, at: &JsonPointer) -> TypeRef {
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
    fn resolve(&self, node: Node<'a>) -> Option<(&'a Schema, JsonPointer)> {
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

    /// The enumeration a schema defines, if it is one.
    fn enum_def(&mut self, schema: &'a Schema, at: &JsonPointer) -> Option<EnumDef> {
        let extensions = &schema.schema_data.extensions;
        let (repr, values, closed): (EnumRepr, Vec<EnumValue>, bool) = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => (
                EnumRepr::String,
                string.enumeration.iter().flatten().map(|v| EnumValue::String(v.clone())).collect(),
                true,
            ),
            SchemaKind::Type(Type::String(_)) if extensions.contains_key(EXTENSIBLE_ENUM) => {
                let listed = extensions.get(EXTENSIBLE_ENUM).and_then(|v| v.as_array());
                let values: Option<Vec<EnumValue>> = listed.map(|values| {
                    values
                        .iter()
                        .filter_map(|v| v.as_str().map(|s| EnumValue::String(s.to_owned())))
                        .collect()
                });
                match values {
                    Some(values) if listed.map(Vec::len) == Some(values.len()) => {
                        (EnumRepr::String, values, false)
                    }
                    _ => {
                        self.warn(at.push(EXTENSIBLE_ENUM), "must be a list of strings; ignored");
                        return None;
                    }
                }
            }
            SchemaKind::Type(Type::Integer(integer)) if !integer.enumeration.is_empty() => (
                EnumRepr::Integer,
                integer.enumeration.iter().flatten().map(|v| EnumValue::Integer(*v)).collect(),
                true,
            ),
            _ => return None,
        };
        if values.is_empty() {
            return None;
        }
        let varnames = self.varnames(extensions, values.len(), at);
        // A value listed twice is one value (names from `x-enum-varnames` stay aligned).
        let values = if varnames.is_none() { first_occurrences(values) } else { values };
        if values.len() > MAX_ENUM_VALUES {
            self.warn(
                at.clone(),
                format!(
                    "{} values are more than the {MAX_ENUM_VALUES} an enum is generated for; using a plain {}",
                    values.len(),
                    if repr == EnumRepr::String { "string" } else { "integer" }
                ),
            );
            return None;
        }
        let claims: Vec<Claim> = values
            .iter()
            .enumerate()
            .map(|(index, value)| {
                let wire = match value {
                    EnumValue::String(s) => s.clone(),
                    EnumValue::Integer(i) => i.to_string(),
                };
                let source = varnames
                    .as_ref()
                    .and_then(|names| names.get(index))
                    .cloned()
                    .unwrap_or_else(|| wire.clone());
                let fallback = if wire.is_empty() { "Empty".to_owned() } else { format!("Value{index}") };
                let rust = match value {
                    EnumValue::Integer(i) if varnames.is_none() => {
                        if *i < 0 {
                            format!("Minus{}", i.unsigned_abs())
                        } else {
                            format!("V{i}")
                        }
                    }
                    _ => names::type_name(&source, &fallback),
                };
                Claim::first(wire, rust)
            })
            .collect();
        let mut namespace = Namespace::new(Case::Type);
        let (variant_names, renamed) = self.settle(&mut namespace, &claims, Order::Wire);
        for rename in renamed {
            self.warn(
                at.push("enum").push(rename.index.to_string()),
                format!(
                    "variant name `{}` is also the name of value `{}`; renamed",
                    rename.wanted,
                    rename.kept_by.unwrap_or_default()
                ),
            );
        }
        // The catch-all for values the spec does not list claims after every value: the first
        // free of the usual names, or else `UnknownValue` with the next free suffix.
        let unknown_variant =
            match namespace.claim_preferred("", &["Unknown", "UnknownValue", "Other"], "UnknownValue") {
                Ok(name) => name.into_string(),
                Err(problem) => {
                    self.bug(problem);
                    "UnknownValue".to_owned()
                }
            };
        let variants =
            variant_names.into_iter().zip(values).map(|(name, value)| Variant { name, value }).collect();
        Some(EnumDef { repr, variants, closed, unknown_variant, keeps_unknown: true })
    }

    /// `x-enum-varnames`, when it is a list of strings as long as the values.
    fn varnames(
        &mut self,
        extensions: &IndexMap<String, serde_json::Value>,
        count: usize,
        at: &JsonPointer,
    ) -> Option<Vec<String>> {
        let raw = extensions.get(ENUM_VARNAMES)?;
        let names: Option<Vec<String>> =
            raw.as_array().map(|items| items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect());
        match names {
            Some(names) if names.len() == count => Some(names),
            _ => {
                self.warn(
                    at.push(ENUM_VARNAMES),
                    format!("must be a list of {count} strings, one per value; ignored"),
                );
                None
            }
        }
    }

    /// Whether an `enum` list contains `null`.
    fn enum_allows_null(&self, schema: &Schema) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => string.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Integer(integer)) => integer.enumeration.iter().any(Option::is_none),
            _ => false,
        }
    }

    /// The properties of an object schema, merging `allOf` parts; `None` when the schema is not
    /// an object with properties (or an explicitly closed empty object).
    /// A merge that goes deeper than [`MAX_MERGE_DEPTH`] or visits more than
    /// [`MAX_MERGE_STEPS`] schemas gives `None` and is reported as an error at `at`.
    fn object_parts(&self, schema: &'a Schema, at: &JsonPointer) -> Option<ObjectParts<'a>> {
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
    fn object_parts_within(
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
                (!object.properties.is_empty() || closed_empty).then(|| ObjectParts {
                    properties: object.properties.iter().map(|(k, v)| (k, Node::from(v))).collect(),
                    required: object.required.iter().collect(),
                    additional: object.additional_properties.as_ref(),
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
    fn merge_any(
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
    fn merge_all_of(
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
    fn all_of_part(
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
                properties: Vec::new(),
                required: object.required.iter().collect(),
                additional: object.additional_properties.as_ref(),
            }),
            SchemaKind::Any(any)
                if any.typ.as_deref().is_none_or(|t| t == "object")
                    && any.all_of.is_empty()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && any.enumeration.is_empty() =>
            {
                Some(ObjectParts {
                    properties: Vec::new(),
                    required: any.required.iter().collect(),
                    additional: any.additional_properties.as_ref(),
                })
            }
            _ => None,
        }
    }

    /// Builds a union named `type_name` from the alternatives of a `oneOf` or `anyOf`, tagged
    /// by the discriminator when there is a usable one.
    fn union_def(
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
    fn tag_values(
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
    fn discriminator_values(&self, discriminator: &openapiv3::Discriminator, key: &str) -> Vec<String> {
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
    fn variant_name(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => self.declared_name(*id),
            TypeRef::Primitive(primitive) => format!("{primitive:?}"),
            TypeRef::List(inner) => format!("{}List", self.variant_name(inner)),
            TypeRef::Map(_) => "Map".to_owned(),
            TypeRef::Any => "Value".to_owned(),
        }
    }

    /// Builds a struct named `type_name` from object parts.
    fn struct_def(&mut self, type_name: &str, parts: ObjectParts<'a>, at: &JsonPointer) -> StructDef {
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
            let lowered = self.lower_node(node, &pointer, &hint);
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

/// `additionalProperties: true`.
static KEEP_UNNAMED: AdditionalProperties = AdditionalProperties::Any(true);

/// The component key a `$ref` or a discriminator `mapping` value names (a mapping value may be a
/// bare schema name).
fn component_key(target: &str) -> String {
    crate::pointer::unescape(target.strip_prefix("#/components/schemas/").unwrap_or(target))
}

/// The keyword and alternatives of a `oneOf` or `anyOf` (also with sibling keywords such as
/// `type` or `nullable`), when the schema is one.
fn union_parts(schema: &Schema) -> Option<(&'static str, &[ReferenceOr<Schema>])> {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } if !one_of.is_empty() => Some(("oneOf", one_of)),
        SchemaKind::AnyOf { any_of } if !any_of.is_empty() => Some(("anyOf", any_of)),
        SchemaKind::Any(any) if any.properties.is_empty() && any.all_of.is_empty() => {
            match (any.one_of.is_empty(), any.any_of.is_empty()) {
                (false, true) => Some(("oneOf", &any.one_of)),
                (true, false) => Some(("anyOf", &any.any_of)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The structural part of a schema that is an `allOf` of one structural part and annotations.
fn annotated_part(schema: &Schema) -> Option<(usize, &ReferenceOr<Schema>)> {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => single_structural(all_of),
        SchemaKind::Any(any)
            if any.properties.is_empty() && any.one_of.is_empty() && any.any_of.is_empty() =>
        {
            single_structural(&any.all_of)
        }
        _ => None,
    }
}

/// The description an annotation-only `allOf` part gives.
fn annotation_description(schema: &Schema) -> Option<&str> {
    let parts = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => return None,
    };
    parts.iter().find_map(|part| match part {
        ReferenceOr::Item(part) if is_annotation_only(part) => part.schema_data.description.as_deref(),
        _ => None,
    })
}

/// The one part of an `allOf` that says what the value is, when every other part only
/// annotates it.
fn single_structural(parts: &[ReferenceOr<Schema>]) -> Option<(usize, &ReferenceOr<Schema>)> {
    let mut structural = parts.iter().enumerate().filter(|(_, part)| match part {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(schema) => !is_annotation_only(schema),
    });
    let first = structural.next()?;
    structural.next().is_none().then_some(first)
}

/// A schema with no type, no properties and no keyword that constrains: only docs and examples.
fn is_annotation_only(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
}

/// The values without repeats, in first-seen order.
fn first_occurrences(values: Vec<EnumValue>) -> Vec<EnumValue> {
    // A set of what was kept, so that a long list is not searched once per value.
    let mut seen: std::collections::HashSet<EnumValue> =
        std::collections::HashSet::with_capacity(values.len());
    values.into_iter().filter(|value| seen.insert(value.clone())).collect()
}

/// Whether a schema lists values, so that it lowers to an enumeration.
fn is_enum(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            !string.enumeration.is_empty() || schema.schema_data.extensions.contains_key(EXTENSIBLE_ENUM)
        }
        SchemaKind::Type(Type::Integer(integer)) => !integer.enumeration.is_empty(),
        _ => false,
    }
}
