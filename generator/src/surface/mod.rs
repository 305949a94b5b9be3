//! The SDK's public surface, as data: what `generated/surface.yaml` records and what a spec
//! change is judged by.
//!
//! Input: an analyzed [`ir::Api`]. Output: a [`Surface`] that lists every operation method with
//! its argument and result types, and every model with its fields (Rust type, whether `new`
//! takes it), enum values, union variants or alias target. Maps are sorted by name, so the file
//! changes only where the surface does. [`diff`] compares two surfaces.

pub mod diff;
mod report;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ir::{Api, SerdeTraits, TypeKind};
use crate::render::rust::Scope;

/// The public surface of a generated SDK.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// Operations by `group.method`, e.g. `chats.get`.
    pub operations: BTreeMap<String, OperationSurface>,
    /// Models by Rust name.
    pub types: BTreeMap<String, TypeSurface>,
    /// The models that implement one serde trait, not both, without the SDK's `serde-both`
    /// feature: the trait each implements. A model not listed implements both (every model
    /// did before directions were told apart, so an older surface lists none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub one_way: BTreeMap<String, SerdeTrait>,
}

/// A serde trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SerdeTrait {
    /// `serde::Serialize`: the SDK sends it.
    Serialize,
    /// `serde::Deserialize`: the SDK receives it.
    Deserialize,
}

impl SerdeTrait {
    /// The trait's path.
    pub fn path(self) -> &'static str {
        match self {
            Self::Serialize => "serde::Serialize",
            Self::Deserialize => "serde::Deserialize",
        }
    }
}

/// One operation method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// The spec's operationId.
    pub operation_id: String,
    /// `METHOD /path`.
    pub http: String,
    /// The method's arguments, in order.
    pub args: Vec<ArgSurface>,
    /// The optional parameters, set by methods of the returned call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<OptionsSurface>,
    /// What awaiting the call gives.
    pub returns: String,
    /// The operation's error enum, when it documents error bodies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<ErrorEnumSurface>,
    /// The item type of the call's `pages()` and `items()` streams, when it is a list the SDK
    /// walks to the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
}

/// An operation's error enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnumSurface {
    /// Its name, in the group's module.
    pub name: String,
    /// `Variant(Type)`, in `match` order.
    pub variants: Vec<String>,
}

/// The optional parameters of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionsSurface {
    /// The type that marks the operation's call, in the group's module.
    pub marker: String,
    /// A method of the call for each parameter, with the type it takes, in order.
    pub params: Vec<ArgSurface>,
}

/// One argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArgSurface {
    /// The argument's name (callers do not write it).
    pub name: String,
    /// Its Rust type.
    #[serde(rename = "type")]
    pub ty: String,
}

/// One model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeSurface {
    /// A `#[non_exhaustive]` struct built with `new`.
    Struct {
        /// The fields, in order.
        fields: Vec<FieldSurface>,
        /// Whether it keeps unnamed properties in a map.
        open: bool,
    },
    /// A `#[non_exhaustive]` enum.
    Enum {
        /// The variant names, in order.
        values: Vec<String>,
        /// Whether it has a variant for values the spec does not list.
        catch_all: bool,
    },
    /// A `#[non_exhaustive]` untagged enum of other types.
    Union {
        /// `Variant(Type)`, in decoding order.
        variants: Vec<String>,
    },
    /// A type alias.
    Alias {
        /// The aliased type.
        target: String,
    },
}

/// One struct field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSurface {
    /// The Rust field name.
    pub name: String,
    /// The Rust type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether `new` takes it as an argument.
    pub required: bool,
}

/// The surface of an API.
pub fn surface(api: &Api) -> Surface {
    let mut out = Surface::default();
    let scope = Scope::new("", false);
    for group in &api.groups {
        for op in &group.operations {
            let mut args: Vec<ArgSurface> = op
                .positional_params()
                .map(|p| ArgSurface { name: p.name.clone(), ty: scope.arg_type(api, &p.ty, p.required) })
                .collect();
            let options = op.options.as_ref().map(|marker| OptionsSurface {
                marker: marker.clone(),
                params: op
                    .optional_params()
                    .map(|p| ArgSurface { name: p.name.clone(), ty: scope.arg_type(api, &p.ty, true) })
                    .collect(),
            });
            if let Some(body) = &op.body {
                args.push(ArgSurface { name: body.name.clone(), ty: scope.body_type(api, body) });
            }
            let returns = scope.response_type(api, &op.response);
            let errors = op.error_enum.as_ref().map(|name| {
                let variants = op
                    .errors_by_precedence()
                    .into_iter()
                    .filter_map(|e| {
                        Some(format!("{}({})", e.variant.as_ref()?, scope.error_variant(api, e.ty.as_ref()?)))
                    })
                    .collect();
                ErrorEnumSurface { name: name.clone(), variants }
            });
            out.operations.insert(
                format!("{}.{}", group.accessor, op.method_name),
                OperationSurface {
                    operation_id: op.operation_id.clone(),
                    http: format!("{} {}", op.http_method.as_str(), op.path.raw),
                    args,
                    options,
                    returns,
                    errors,
                    items: op
                        .pagination
                        .as_ref()
                        .filter(|_| op.options.is_some())
                        .map(|pagination| scope.type_expr(api, &pagination.item)),
                },
            );
        }
    }
    for def in &api.types {
        let surface = match &def.kind {
            TypeKind::Struct(s) => {
                let scope = if s.form { scope.form() } else { scope };
                let fields = s
                    .fields
                    .iter()
                    .map(|f| FieldSurface {
                        name: f.name.clone(),
                        ty: scope.field_type(api, f),
                        required: f.required,
                    })
                    .collect();
                TypeSurface::Struct { fields, open: s.extra.is_some() }
            }
            TypeKind::Enum(e) => TypeSurface::Enum {
                values: e.variants.iter().map(|v| v.name.clone()).collect(),
                catch_all: e.keeps_unknown,
            },
            TypeKind::Union(u) => TypeSurface::Union {
                variants: u
                    .variants
                    .iter()
                    .map(|v| format!("{}({})", v.name, scope.variant_type(api, v)))
                    .collect(),
            },
            TypeKind::Alias(ty) => TypeSurface::Alias { target: scope.type_expr(api, ty) },
            // A tuple struct of one public field, named `0` as Rust names it.
            TypeKind::Newtype(ty) => TypeSurface::Struct {
                fields: vec![FieldSurface {
                    name: "0".to_owned(),
                    ty: scope.type_expr(api, ty),
                    required: true,
                }],
                open: false,
            },
            TypeKind::Page(item) => {
                TypeSurface::Alias { target: format!("crate::Page<{}>", scope.type_expr(api, item)) }
            }
        };
        out.types.insert(def.name.clone(), surface);
        match def.serde() {
            Some(SerdeTraits { serialize: true, deserialize: false }) => {
                out.one_way.insert(def.name.clone(), SerdeTrait::Serialize);
            }
            Some(SerdeTraits { serialize: false, deserialize: true }) => {
                out.one_way.insert(def.name.clone(), SerdeTrait::Deserialize);
            }
            _ => {}
        }
    }
    out
}

/// The surface as the YAML text of `surface.yaml` (without its header).
pub fn to_yaml(surface: &Surface) -> Result<String, crate::Error> {
    yaml_serde::to_string(surface).map_err(|e| crate::Error::Internal {
        stage: "surface",
        message: format!("cannot write the surface: {e}"),
    })
}

/// Reads a `surface.yaml` (its `#` header lines are comments).
pub fn from_yaml(text: &str) -> Result<Surface, String> {
    yaml_serde::from_str(text).map_err(|e| format!("not a surface file: {e}"))
}
