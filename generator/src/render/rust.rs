//! Rust source fragments computed from the IR: type expressions, argument types and literals.
//!
//! These strings enter the view models; templates print them and never build them. Literals go
//! through `proc_macro2::Literal`, so escaping is the compiler's own.

use crate::ir::{Api, Primitive, TypeRef};

/// Prelude names a spec type may shadow in the file that defines it.
const PRELUDE_TYPES: &[&str] = &["Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err"];

/// How std items are written in one file.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    /// Whether std items need absolute paths because the file defines a type that shadows one.
    pub qualify_std: bool,
    /// Whether sibling model types are reached through `super::` (model files) or
    /// `crate::models::` (everywhere else).
    pub in_models: bool,
    /// Whether the file is a multipart form, where `format: binary` is a file to upload.
    pub in_form: bool,
}

impl Scope {
    /// The scope of a file that defines `defined` (a type name).
    pub fn new(defined: &str, in_models: bool) -> Self {
        Self::defining([defined], in_models)
    }

    /// The scope of a file that defines or imports all of `names`.
    pub fn defining<'n>(names: impl IntoIterator<Item = &'n str>, in_models: bool) -> Self {
        let qualify_std = names.into_iter().any(|name| PRELUDE_TYPES.contains(&name));
        Self { qualify_std, in_models, in_form: false }
    }

    /// The same scope, inside a multipart form.
    pub fn form(self) -> Self {
        Self { in_form: true, ..self }
    }

    /// `std` item `short` (e.g. `Option`) at `path` (e.g. `::std::option::Option`).
    pub fn std(&self, short: &'static str, path: &'static str) -> &'static str {
        if self.qualify_std { path } else { short }
    }

    /// `Option<inner>`.
    pub fn option(&self, inner: &str) -> String {
        format!("{}<{inner}>", self.std("Option", "::std::option::Option"))
    }

    /// `Box<inner>`.
    pub fn boxed(&self, inner: &str) -> String {
        format!("{}<{inner}>", self.std("Box", "::std::boxed::Box"))
    }

    /// `Result<ok, err>`.
    pub fn result(&self) -> &'static str {
        self.std("Result", "::std::result::Result")
    }

    /// `String`.
    pub fn string(&self) -> &'static str {
        self.std("String", "::std::string::String")
    }

    /// The Rust type of a type expression.
    pub fn type_expr(&self, api: &Api, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Primitive(primitive) => self.primitive(*primitive).to_owned(),
            TypeRef::Named(id) => {
                // Rendering starts by checking every reference (`Api::check_references`).
                let name = &api.types[id.0].name;
                if self.in_models { format!("super::{name}") } else { format!("crate::models::{name}") }
            }
            TypeRef::List(inner) => {
                format!("{}<{}>", self.std("Vec", "::std::vec::Vec"), self.type_expr(api, inner))
            }
            TypeRef::Map(inner) if **inner == TypeRef::Any => {
                format!("::serde_json::Map<{}, ::serde_json::Value>", self.string())
            }
            TypeRef::Map(inner) => {
                format!("::std::collections::BTreeMap<{}, {}>", self.string(), self.type_expr(api, inner))
            }
            TypeRef::Any => "::serde_json::Value".to_owned(),
        }
    }

    fn primitive(&self, primitive: Primitive) -> &'static str {
        match primitive {
            Primitive::String => self.string(),
            Primitive::Bool => "bool",
            Primitive::I32 => "i32",
            Primitive::I64 => "i64",
            Primitive::F32 => "f32",
            Primitive::F64 => "f64",
            Primitive::Uuid => "::uuid::Uuid",
            Primitive::DateTime => "::chrono::DateTime<::chrono::Utc>",
            Primitive::Date => "::chrono::NaiveDate",
            Primitive::Binary if self.in_form => "crate::UploadFile",
            Primitive::Binary => self.string(),
        }
    }

    /// The declared type of a struct field: boxed when it closes a cycle, and an `Option` when
    /// the field may be absent or null. The view of the model and the surface both use it.
    pub fn field_type(&self, api: &Api, field: &crate::ir::Field) -> String {
        let mut ty = self.type_expr(api, &field.ty);
        if field.boxed {
            ty = self.boxed(&ty);
        }
        if !field.required || field.nullable {
            ty = self.option(&ty);
        }
        ty
    }

    /// The type a union variant holds, boxed when it closes a cycle.
    pub fn variant_type(&self, api: &Api, variant: &crate::ir::UnionVariant) -> String {
        let ty = self.type_expr(api, &variant.ty);
        if variant.boxed { self.boxed(&ty) } else { ty }
    }

    /// The type of a method argument: strings and lists borrowed, named types by reference,
    /// small scalars by value; wrapped in `Option` when the argument may be left out.
    pub fn arg_type(&self, api: &Api, ty: &TypeRef, required: bool) -> String {
        let base = match ty {
            TypeRef::Primitive(Primitive::String) => "&str".to_owned(),
            TypeRef::Primitive(_) => self.type_expr(api, ty),
            TypeRef::List(inner) => format!("&[{}]", self.type_expr(api, inner)),
            TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Any => format!("&{}", self.type_expr(api, ty)),
        };
        if required { base } else { self.option(&base) }
    }

    /// The argument type of a request body.
    pub fn body_type(&self, api: &Api, body: &crate::ir::RequestBody) -> String {
        use crate::ir::BodyEncoding;
        match (body.encoding, body.required) {
            (BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart, _) => {
                self.arg_type(api, &body.ty, body.required)
            }
            (BodyEncoding::Text, true) => format!("impl Into<{}>", self.string()),
            (BodyEncoding::Text, false) => self.option(self.string()),
            (BodyEncoding::Bytes, true) => "impl Into<crate::Body>".to_owned(),
            (BodyEncoding::Bytes, false) => self.option("crate::Body"),
        }
    }

    /// What an operation's call resolves to.
    pub fn response_type(&self, api: &Api, response: &crate::ir::SuccessResponse) -> String {
        use crate::ir::SuccessResponse;
        match response {
            SuccessResponse::Json(ty) => self.type_expr(api, ty),
            SuccessResponse::Text { .. } => self.string().to_owned(),
            SuccessResponse::Bytes { .. } => "::bytes::Bytes".to_owned(),
            SuccessResponse::Binary { .. } => "crate::ByteStream".to_owned(),
            SuccessResponse::Events { data: None } => format!("crate::EventStream<{}>", self.string()),
            SuccessResponse::Events { data: Some(ty) } => {
                format!("crate::EventStream<{}>", self.type_expr(api, ty))
            }
            SuccessResponse::Empty => "()".to_owned(),
        }
    }

    /// The payload of an error enum's variant for a status whose body the spec types as `ty`:
    /// the decoded body, or the raw one that did not decode.
    pub fn error_variant(&self, api: &Api, ty: &TypeRef) -> String {
        format!("{}<{}, crate::Undecoded>", self.result(), self.type_expr(api, ty))
    }
}

/// Whether a function of `args` arguments (`self` included) is over clippy's
/// `too_many_arguments` limit, so that it needs an `allow`.
pub fn too_many_arguments(args: usize) -> bool {
    /// Clippy's default `too-many-arguments-threshold`.
    const CLIPPY_MAX_ARGUMENTS: usize = 7;
    args > CLIPPY_MAX_ARGUMENTS
}

/// A Rust string literal with the compiler's escaping.
pub fn string_literal(value: &str) -> String {
    proc_macro2::Literal::string(value).to_string()
}

/// A Rust `i64` literal without suffix.
pub fn int_literal(value: i64) -> String {
    proc_macro2::Literal::i64_unsuffixed(value).to_string()
}
