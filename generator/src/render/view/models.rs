//! The views of model files (`src/models/*.rs`): structs, forms, enums, unions and aliases.

use serde::Serialize;

use crate::ir::{self, Api, EnumRepr, EnumValue, TypeDef, TypeKind};
use crate::render::cfg::SERDE_BOTH;
use crate::render::docs::code_span;
use crate::render::rust::{Scope, int_literal, string_literal};

use super::{docs, type_docs};

/// `src/models/mod.rs`: a module per type with a body, and the aliases, which are one line each.
#[derive(Debug, Serialize)]
pub struct ModelsModView {
    pub types: Vec<TypeLink>,
    pub aliases: Vec<AliasView>,
}

/// A type and its module.
#[derive(Debug, Serialize)]
pub struct TypeLink {
    pub name: String,
    pub module: String,
}

/// How a model implements serde's traits, decided from where the API uses it
/// ([`ir::Reach::serde`]): the traits the API needs are always there; the other one comes with
/// the SDK's `serde-both` cargo feature, so that a type only responses carry compiles no
/// `Serialize` unless asked to.
#[derive(Debug, Serialize)]
pub struct SerdeView {
    /// The traits derived always, each as `, path` to follow the other derives.
    pub derives: String,
    /// `#[cfg_attr(feature = "serde-both", derive(..))]` for the trait derived only with the
    /// feature, or nothing.
    pub optional_derive: String,
    /// The `#[cfg(..)]` line before a written-out `impl Serialize` that needs the feature, or
    /// nothing.
    pub serialize_cfg: String,
    /// The same for `impl Deserialize`.
    pub deserialize_cfg: String,
}

impl SerdeView {
    /// The view for a type with `traits`, naming serde as `serde` (`::serde` in `mod.rs`).
    pub fn new(traits: ir::SerdeTraits, serde: &str) -> Self {
        let feature = format!("feature = {}", string_literal(SERDE_BOTH));
        let only_with_feature = |on: bool| if on { String::new() } else { format!("#[cfg({feature})]") };
        let paths = |on: bool| {
            [(traits.serialize, "Serialize"), (traits.deserialize, "Deserialize")]
                .into_iter()
                .filter(|(derived, _)| *derived == on)
                .map(|(_, name)| format!("{serde}::{name}"))
                .collect::<Vec<_>>()
        };
        let optional = paths(false);
        SerdeView {
            derives: paths(true).into_iter().map(|path| format!(", {path}")).collect(),
            optional_derive: if optional.is_empty() {
                String::new()
            } else {
                format!("#[cfg_attr({feature}, derive({}))]", optional.join(", "))
            },
            serialize_cfg: only_with_feature(traits.serialize),
            deserialize_cfg: only_with_feature(traits.deserialize),
        }
    }
}

/// A struct model.
#[derive(Debug, Serialize)]
pub struct StructView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub derive_default: bool,
    pub serde: SerdeView,
    pub fields: Vec<FieldView>,
    pub extra: Option<ExtraView>,
    pub constructor: ConstructorView,
}

/// The `new` constructor of a struct: its required fields become arguments.
#[derive(Debug, Serialize)]
pub struct ConstructorView {
    /// Whether any field is required, so that `new` takes arguments; without one, every field is
    /// an `Option`, the type derives `Default` and `new` is `Self::default()`.
    pub has_required: bool,
    /// More than clippy's seven arguments.
    pub many_args: bool,
    /// Some field is deprecated, and the constructor names every field (without a required
    /// field it is `Self::default()`, which names none).
    pub uses_deprecated: bool,
    /// How a constructor without arguments calls `Default::default`: `Self::default()`, or
    /// `<Self as ::std::default::Default>::default()` when a field named `default` gives the type a setter of
    /// that name, which `Self::default` would find first (GitHub's label objects have one).
    pub default_call: &'static str,
}

impl ConstructorView {
    fn new(fields: &[ir::Field]) -> Self {
        let has_required = fields.iter().any(|f| f.required);
        ConstructorView {
            has_required,
            many_args: crate::render::rust::too_many_arguments(fields.iter().filter(|f| f.required).count()),
            uses_deprecated: has_required && fields.iter().any(|f| f.deprecated),
            default_call: if fields.iter().any(|f| !f.required && f.name == "default") {
                "<Self as ::std::default::Default>::default()"
            } else {
                "Self::default()"
            },
        }
    }
}

/// Whether a struct of these fields derives `Default`: every field starts as `None`.
fn derives_default(fields: &[ir::Field]) -> bool {
    fields.iter().all(|f| !f.required || f.nullable)
}

/// A struct field.
#[derive(Debug, Serialize)]
pub struct FieldView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub serde: Option<String>,
    pub ty: String,
    /// Whether `new` takes the field as an argument (required properties); the others start
    /// empty (`None`).
    pub in_new: bool,
    /// The chained setter of an optional field.
    pub setter: Option<FieldSetterView>,
}

/// `fn name(mut self, value: impl Into<ty>) -> Self`, which sets an optional field.
#[derive(Debug, Serialize)]
pub struct FieldSetterView {
    /// The method's name: the field's, unless that is the constructor's.
    pub name: String,
    /// The type inside the field's `Option`.
    pub ty: String,
    /// How the docs name the field: a link to it, or its name in code for a raw identifier
    /// (rustdoc cannot link `Self::r#type`).
    pub field_doc: String,
}

/// The map that keeps unnamed properties.
#[derive(Debug, Serialize)]
pub struct ExtraView {
    pub name: String,
    pub ty: String,
}

/// An enum model.
#[derive(Debug, Serialize)]
pub struct EnumView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub serde: SerdeView,
    pub is_string: bool,
    pub closed: bool,
    pub keeps_unknown: bool,
    pub variants: Vec<VariantView>,
    pub unknown: String,
    pub value_ty: String,
    pub result: &'static str,
}

/// An enum variant.
#[derive(Debug, Serialize)]
pub struct VariantView {
    pub name: String,
    pub literal: String,
    pub wire: String,
}

/// A multipart form model.
#[derive(Debug, Serialize)]
pub struct FormView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub derive_default: bool,
    pub fields: Vec<FormFieldView>,
    pub constructor: ConstructorView,
}

/// One part of a form.
#[derive(Debug, Serialize)]
pub struct FormFieldView {
    pub name: String,
    pub wire: String,
    pub docs: Vec<String>,
    pub ty: String,
    /// `text` or `files`: the form method that adds the part.
    pub part: &'static str,
    pub in_new: bool,
    pub deprecated: bool,
    pub setter: Option<FieldSetterView>,
}

/// A union model (`oneOf` / `anyOf`).
#[derive(Debug, Serialize)]
pub struct UnionView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub serde: SerdeView,
    pub variants: Vec<UnionVariantView>,
    /// The discriminator property as a Rust string literal, for tagged unions.
    pub tag: Option<String>,
    /// The discriminator property as docs write it.
    pub tag_doc: Option<String>,
    /// The variant that takes every discriminator value the others do not list.
    pub fallback: Option<String>,
    /// The `Result` type's path, safe against a model named `Result`.
    pub result: &'static str,
}

/// One alternative of a union.
#[derive(Debug, Serialize)]
pub struct UnionVariantView {
    pub name: String,
    pub ty: String,
    /// The discriminator values that select the variant, as string literals (tagged unions).
    pub tag_values: Vec<String>,
    /// The same values as they read in docs.
    pub tag_docs: String,
    /// Whether it takes every value the other variants do not list.
    pub fallback: bool,
}

/// A type alias, declared in `mod.rs`.
#[derive(Debug, Serialize)]
pub struct AliasView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: bool,
    /// Whether it is declared as a tuple struct around `ty` (a type that refers to itself
    /// through a list or a map) instead of a `type` alias.
    pub newtype: bool,
    pub ty: String,
    /// The serde traits of a newtype.
    pub serde: SerdeView,
}

/// The view of `src/models/mod.rs`.
pub fn models_mod(api: &Api) -> ModelsModView {
    // `mod.rs` re-exports every type, so a type named like a prelude item shadows it there.
    let scope = Scope::defining(api.types.iter().map(|def| def.name.as_str()), false);
    let mut types = Vec::new();
    let mut aliases = Vec::new();
    for def in &api.types {
        match alias_target(api, scope, def) {
            Some(ty) => aliases.push(AliasView {
                name: def.name.clone(),
                docs: type_docs(api, def),
                deprecated: def.deprecated,
                newtype: matches!(def.kind, TypeKind::Newtype(_)),
                ty,
                serde: SerdeView::new(def.reach.serde(), "::serde"),
            }),
            None => types.push(TypeLink { name: def.name.clone(), module: def.module.clone() }),
        }
    }
    types.sort_by(|a, b| a.module.cmp(&b.module));
    aliases.sort_by(|a, b| a.name.cmp(&b.name));
    ModelsModView { types, aliases }
}

/// What an alias stands for, or `None` for a type that has a module of its own.
fn alias_target(api: &Api, scope: Scope, def: &TypeDef) -> Option<String> {
    match &def.kind {
        TypeKind::Page(item) => Some(format!("crate::Page<{}>", scope.type_expr(api, item))),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => Some(scope.type_expr(api, ty)),
        TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_) => None,
    }
}

/// The template and view of one model file.
pub enum ModelView {
    /// `models/struct.rs.j2`.
    Struct(StructView),
    /// `models/enum.rs.j2`.
    Enum(EnumView),
    /// `models/union.rs.j2`.
    Union(UnionView),
    /// `models/form.rs.j2`.
    Form(FormView),
}

/// The view of one model file; `None` for an alias, which `mod.rs` declares.
pub fn model(api: &Api, def: &TypeDef) -> Option<ModelView> {
    let scope = Scope::new(&def.name, true);
    Some(match &def.kind {
        TypeKind::Struct(s) if s.form => {
            let form_scope = scope.form();
            ModelView::Form(FormView {
                name: def.name.clone(),
                docs: type_docs(api, def),
                deprecated: def.deprecated,
                derive_default: derives_default(&s.fields),
                fields: s
                    .fields
                    .iter()
                    .map(|field| {
                        let base = field_view(api, form_scope, field);
                        let binary = ir::TypeRef::Primitive(ir::Primitive::Binary);
                        let part = match &field.ty {
                            ty if *ty == binary => "files",
                            ir::TypeRef::List(inner) if **inner == binary => "files",
                            _ => "text",
                        };
                        FormFieldView {
                            name: base.name,
                            wire: string_literal(&field.wire_name),
                            docs: base.docs,
                            ty: base.ty,
                            part,
                            in_new: base.in_new,
                            deprecated: base.deprecated,
                            setter: base.setter,
                        }
                    })
                    .collect(),
                constructor: ConstructorView::new(&s.fields),
            })
        }
        TypeKind::Struct(s) => {
            let fields: Vec<FieldView> = s.fields.iter().map(|field| field_view(api, scope, field)).collect();
            ModelView::Struct(StructView {
                name: def.name.clone(),
                docs: type_docs(api, def),
                deprecated: def.deprecated,
                derive_default: derives_default(&s.fields),
                serde: SerdeView::new(def.reach.serde(), "serde"),
                fields,
                extra: s.extra.as_ref().map(|extra| ExtraView {
                    name: extra.name.clone(),
                    ty: scope.type_expr(api, &ir::TypeRef::Map(Box::new(extra.value.clone()))),
                }),
                constructor: ConstructorView::new(&s.fields),
            })
        }
        TypeKind::Enum(e) => ModelView::Enum(EnumView {
            name: def.name.clone(),
            docs: type_docs(api, def),
            deprecated: def.deprecated,
            serde: SerdeView::new(def.reach.serde(), "serde"),
            is_string: e.repr == EnumRepr::String,
            closed: e.closed,
            keeps_unknown: e.keeps_unknown,
            variants: e
                .variants
                .iter()
                .map(|v| VariantView {
                    name: v.name.clone(),
                    wire: match &v.value {
                        EnumValue::String(s) => code_span(s),
                        EnumValue::Integer(i) => i.to_string(),
                    },
                    literal: match &v.value {
                        EnumValue::String(s) => string_literal(s),
                        EnumValue::Integer(i) => int_literal(*i),
                    },
                })
                .collect(),
            unknown: e.unknown_variant.clone(),
            value_ty: match e.repr {
                EnumRepr::String => scope.string().to_owned(),
                EnumRepr::Integer => "i64".to_owned(),
            },
            result: scope.result(),
        }),
        TypeKind::Union(u) => ModelView::Union(UnionView {
            name: def.name.clone(),
            docs: type_docs(api, def),
            deprecated: def.deprecated,
            serde: SerdeView::new(def.reach.serde(), "serde"),
            variants: u
                .variants
                .iter()
                .map(|v| UnionVariantView {
                    name: v.name.clone(),
                    ty: scope.variant_type(api, v),
                    tag_values: v.tag_values.iter().map(|t| string_literal(t)).collect(),
                    tag_docs: v
                        .tag_values
                        .iter()
                        .map(|t| format!("`{}`", code_span(t)))
                        .collect::<Vec<_>>()
                        .join(" or "),
                    fallback: v.fallback,
                })
                .collect(),
            fallback: u.variants.iter().find(|v| v.fallback).map(|v| v.name.clone()),
            tag: u.tag.as_deref().map(string_literal),
            tag_doc: u.tag.as_deref().map(|t| format!("`{}`", code_span(t))),
            result: scope.result(),
        }),
        TypeKind::Page(_) | TypeKind::Alias(_) | TypeKind::Newtype(_) => return None,
    })
}

fn field_view(api: &Api, scope: Scope, field: &ir::Field) -> FieldView {
    let ty = scope.field_type(api, field);
    let mut serde = Vec::new();
    if crate::names::unraw(&field.name) != field.wire_name {
        serde.push(format!("rename = {}", string_literal(&field.wire_name)));
    }
    if !field.required {
        let is_none = if scope.qualify_std { "::std::option::Option::is_none" } else { "Option::is_none" };
        // No `default`: serde already reads a missing `Option` field as `None`.
        serde.push(format!("skip_serializing_if = {}", string_literal(is_none)));
    }
    // A property that only refers to a named type borrows that type's description.
    let borrowed = match &field.ty {
        ir::TypeRef::Named(id) => api.types.get(id.0).and_then(|def| def.description.as_deref()),
        _ => None,
    };
    let mut docs = docs(field.description.as_deref().or(borrowed));
    if docs.is_empty() {
        docs.push(format!(" The `{}` property.", code_span(&field.wire_name)));
    }
    let setter = (!field.required).then(|| {
        let value = scope.type_expr(api, &field.ty);
        FieldSetterView {
            name: if field.name == "new" { "with_new".to_owned() } else { field.name.clone() },
            ty: if field.boxed { scope.boxed(&value) } else { value },
            field_doc: match field.name.strip_prefix("r#") {
                Some(bare) => format!("the `{bare}` field"),
                None => format!("[`Self::{}`]", field.name),
            },
        }
    });
    FieldView {
        name: field.name.clone(),
        docs,
        deprecated: field.deprecated,
        serde: (!serde.is_empty()).then(|| serde.join(", ")),
        ty,
        in_new: field.required,
        setter,
    }
}
