//! Lowering of schemas: component definitions and inline type expressions.
//!
//! A schema becomes a struct when it has properties ([`super::objects`]), an enum when it lists
//! values ([`super::enums`]), a union when it has alternatives ([`super::unions`]), and a type
//! expression otherwise. Inline structs and enums are hoisted into named types called
//! `{Parent}{Field}`. Constructs the generator cannot type yet become `serde_json::Value` with a
//! warning at their pointer.

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::ir::{Primitive, TypeKind, TypeRef};
use crate::names::{self, Case};
use crate::pointer::JsonPointer;

use super::context::Context;
use super::enums::is_enum;
use super::refs::Node;
use super::unions::union_parts;

/// A lowered type expression with what the schema said about it.
pub(super) struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
    pub description: Option<String>,
    pub deprecated: bool,
}

/// The one part of a schema that says what its value is, with the keyword and index it sits
/// at: the structural part of an `allOf` of one structural part and annotations, or the only
/// alternative of a one-member `oneOf`/`anyOf` (Stripe's nullable reference is
/// `anyOf: [{$ref: X}]` beside `nullable: true`), which is that alternative and no union.
pub(super) fn annotated_part(schema: &Schema) -> Option<(&'static str, usize, &ReferenceOr<Schema>)> {
    let all_of = |parts| single_structural(parts).map(|(index, part)| ("allOf", index, part));
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of: parts } => all_of(parts),
        SchemaKind::OneOf { one_of: parts } => only_alternative("oneOf", parts),
        SchemaKind::AnyOf { any_of: parts } => only_alternative("anyOf", parts),
        SchemaKind::Any(any)
            if any.properties.is_empty() && any.one_of.is_empty() && any.any_of.is_empty() =>
        {
            all_of(&any.all_of)
        }
        SchemaKind::Any(any) if any.properties.is_empty() && any.all_of.is_empty() => {
            match (any.one_of.as_slice(), any.any_of.as_slice()) {
                (parts, []) => only_alternative("oneOf", parts),
                ([], parts) => only_alternative("anyOf", parts),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The alternative of a `oneOf`/`anyOf` that has exactly one.
fn only_alternative<'s>(
    keyword: &'static str,
    parts: &'s [ReferenceOr<Schema>],
) -> Option<(&'static str, usize, &'s ReferenceOr<Schema>)> {
    match parts {
        [part] => Some((keyword, 0, part)),
        _ => None,
    }
}

/// The description an annotation-only `allOf` part gives.
pub(super) fn annotation_description(schema: &Schema) -> Option<&str> {
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
pub(super) fn single_structural(parts: &[ReferenceOr<Schema>]) -> Option<(usize, &ReferenceOr<Schema>)> {
    let mut structural = parts.iter().enumerate().filter(|(_, part)| match part {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(schema) => !is_annotation_only(schema),
    });
    let first = structural.next()?;
    structural.next().is_none().then_some(first)
}

/// A schema with no type, no properties and no keyword that constrains: only docs and examples.
pub(super) fn is_annotation_only(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
}

impl<'a> Context<'a> {
    /// Gives every component schema an id, in name order, before any is lowered.
    pub(super) fn declare_components(&mut self) {
        let Some(components) = &self.spec.openapi.components else { return };
        let mut keys: Vec<&String> = components.schemas.keys().collect();
        keys.sort();
        let base = JsonPointer::root().push("components").push("schemas");
        for key in keys {
            let wanted = names::ident(key, Case::Type, "Schema");
            let (id, _) = self.declare(&wanted, base.push(key));
            self.components.insert(key.clone(), id);
        }
    }

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

    /// What a named schema becomes.
    pub(super) fn kind_of(&mut self, name: &str, schema: &'a Schema, at: &JsonPointer) -> TypeKind {
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
                // An `allOf` of one type and annotations, or a `oneOf`/`anyOf` of one
                // alternative, is that type, not a copy of it.
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
                } else if lowered.description.is_none() {
                    // A `title` says what the value is where no description does.
                    lowered.description = data.title.clone();
                }
                lowered.deprecated |= data.deprecated;
                lowered
            }
        }
    }

    /// A type expression for a schema that is neither a struct nor an enum.
    pub(super) fn shape(&mut self, schema: &'a Schema, at: &JsonPointer, hint: &str) -> Lowered {
        let plain = |ty| Lowered { ty, nullable: false, description: None, deprecated: false };
        // `allOf` with one part that says what the value is, beside parts that only annotate it
        // (and, in 3.0, `allOf: [$ref]` with `nullable` or docs beside it), or the only
        // alternative of a `oneOf`/`anyOf`: that part's type.
        if let Some((keyword, index, part)) = annotated_part(schema) {
            return self.lower_node(Node::from(part), &at.push(keyword).push(index.to_string()), hint);
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
    pub(super) fn map_of(
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
}
