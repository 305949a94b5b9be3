//! Enumerations: `enum` lists (closed; typed, or untyped with values of one kind),
//! `x-extensible-enum` (open), `x-enum-varnames`.
//!
//! Input: a schema that lists values. Output: an [`EnumDef`] whose variant names are unique
//! (a [`Namespace`] ordered by value, renames warned about) and whose catch-all variant is
//! claimed after every value.

use indexmap::IndexMap;
use openapiv3::{Schema, SchemaKind, Type};

use crate::ir::{EnumDef, EnumRepr, EnumValue, Variant};
use crate::names::{self, Case, Claim, Namespace, Order};
use crate::pointer::JsonPointer;

use super::context::Context;

/// Extension listing the values seen of an open string enumeration.
pub(super) const EXTENSIBLE_ENUM: &str = "x-extensible-enum";

/// Extension naming the variants of an enumeration, index-aligned with its values.
pub(super) const ENUM_VARNAMES: &str = "x-enum-varnames";

/// How many values an enum may have. A larger one (a list of every name of something) is a
/// plain string or integer: its code would be several times the spec's size, and one file of
/// that size takes gigabytes to format.
pub(super) const MAX_ENUM_VALUES: usize = 10_000;

/// The values without repeats, in first-seen order.
pub(super) fn first_occurrences(values: Vec<EnumValue>) -> Vec<EnumValue> {
    // A set of what was kept, so that a long list is not searched once per value.
    let mut seen: std::collections::HashSet<EnumValue> =
        std::collections::HashSet::with_capacity(values.len());
    values.into_iter().filter(|value| seen.insert(value.clone())).collect()
}

/// Whether a schema lists values, so that it lowers to an enumeration.
pub(super) fn is_enum(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            !string.enumeration.is_empty() || schema.schema_data.extensions.contains_key(EXTENSIBLE_ENUM)
        }
        SchemaKind::Type(Type::Integer(integer)) => !integer.enumeration.is_empty(),
        SchemaKind::Any(any) => untyped_enum(any).is_some(),
        _ => false,
    }
}

/// An `enum` written without `type` (or with `type` in the untyped form a sibling keyword
/// forces): an enumeration of strings when every value is a string, of integers when every
/// value is an integer, `null` allowed beside either. The usual case is an `allOf` part that
/// narrows an inherited property to some of its values (`kind: {enum: [card]}`), which becomes
/// an enum of the narrowed values. Mixed values, or a schema with structure of its own
/// (properties, items, alternatives), are no enumeration. The values keep their order; `None`
/// stands for `null`.
pub(super) fn untyped_enum(any: &openapiv3::AnySchema) -> Option<(EnumRepr, Vec<Option<EnumValue>>)> {
    let shapeless = any.properties.is_empty()
        && any.items.is_none()
        && any.additional_properties.is_none()
        && any.one_of.is_empty()
        && any.all_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none();
    if !shapeless || any.enumeration.iter().all(serde_json::Value::is_null) {
        return None;
    }
    let strings: Option<Vec<Option<EnumValue>>> = any
        .enumeration
        .iter()
        .map(|value| match value {
            serde_json::Value::Null => Some(None),
            serde_json::Value::String(text) => Some(Some(EnumValue::String(text.clone()))),
            _ => None,
        })
        .collect();
    let integers = || -> Option<Vec<Option<EnumValue>>> {
        any.enumeration
            .iter()
            .map(|value| match value {
                serde_json::Value::Null => Some(None),
                value => value.as_i64().map(|i| Some(EnumValue::Integer(i))),
            })
            .collect()
    };
    match any.typ.as_deref() {
        None | Some("string") if strings.is_some() => strings.map(|values| (EnumRepr::String, values)),
        None | Some("integer") => integers().map(|values| (EnumRepr::Integer, values)),
        _ => None,
    }
}

impl<'a> Context<'a> {
    /// The enumeration a schema defines, if it is one.
    pub(super) fn enum_def(&mut self, schema: &'a Schema, at: &JsonPointer) -> Option<EnumDef> {
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
            SchemaKind::Any(any) => {
                let (repr, values) = untyped_enum(any)?;
                (repr, values.into_iter().flatten().collect(), true)
            }
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
    pub(super) fn varnames(
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
    pub(super) fn enum_allows_null(&self, schema: &Schema) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => string.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Integer(integer)) => integer.enumeration.iter().any(Option::is_none),
            SchemaKind::Any(any) => {
                untyped_enum(any).is_some_and(|(_, values)| values.iter().any(Option::is_none))
            }
            _ => false,
        }
    }
}
