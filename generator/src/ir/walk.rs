//! The one walk over the type expressions a definition refers to, which the passes that
//! follow references (recursion boxing, sharing identical types, alias cycles) are built on.

use super::{Api, Operation, SuccessResponse, TypeId, TypeKind, TypeRef};

/// How a type holds one of the type expressions it refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// In its own value: a struct field, a union variant, the target of an alias or newtype.
    /// A cycle of these needs a `Box`.
    Inline,
    /// Behind an allocation the type already makes: the extra fields of a struct (a map) and
    /// the records of a page (a list).
    Allocated,
}

impl TypeKind {
    /// Every type expression the definition refers to, in field and variant order, with how
    /// it is held. The one walk over a definition's references: the others are built on it.
    pub fn type_refs(&self) -> Vec<(&TypeRef, Holding)> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|field| (&field.ty, Holding::Inline))
                .chain(s.extra.iter().map(|extra| (&extra.value, Holding::Allocated)))
                .collect(),
            TypeKind::Union(u) => u.variants.iter().map(|variant| (&variant.ty, Holding::Inline)).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![(ty, Holding::Inline)],
            TypeKind::Page(ty) => vec![(ty, Holding::Allocated)],
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    /// [`Self::type_refs`], mutable (same order, without how each is held).
    pub fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .map(|field| &mut field.ty)
                .chain(s.extra.iter_mut().map(|extra| &mut extra.value))
                .collect(),
            TypeKind::Union(u) => u.variants.iter_mut().map(|variant| &mut variant.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) | TypeKind::Page(ty) => vec![ty],
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

impl TypeRef {
    /// The named type the expression refers to, and whether through a list or a map.
    pub fn named(&self) -> Option<(TypeId, bool)> {
        let mut ty = self;
        let mut through_container = false;
        loop {
            match ty {
                TypeRef::Named(id) => return Some((*id, through_container)),
                TypeRef::List(inner) | TypeRef::Map(inner) => {
                    through_container = true;
                    ty = inner;
                }
                TypeRef::Primitive(_) | TypeRef::Any => return None,
            }
        }
    }

    /// The id of the named type the expression refers to, through lists and maps, to change.
    pub fn named_mut(&mut self) -> Option<&mut TypeId> {
        let mut ty = self;
        loop {
            match ty {
                TypeRef::Named(id) => return Some(id),
                TypeRef::List(inner) | TypeRef::Map(inner) => ty = inner,
                TypeRef::Primitive(_) | TypeRef::Any => return None,
            }
        }
    }
}

impl Operation {
    /// Every type expression the operation refers to: parameters, body, success and error
    /// responses.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        let mut refs = self.request_type_refs();
        refs.extend(self.response_type_refs());
        refs
    }

    /// The type expressions the operation sends: its parameters and its body.
    pub fn request_type_refs(&self) -> Vec<&TypeRef> {
        let params = self.params.iter().map(|param| &param.ty);
        params.chain(self.body.iter().map(|body| &body.ty)).collect()
    }

    /// The type expressions the operation receives: its success response (a JSON body, or the
    /// data of each server-sent event) and its error responses' bodies.
    pub fn response_type_refs(&self) -> Vec<&TypeRef> {
        let success = match &self.response {
            SuccessResponse::Json(ty) => Some(ty),
            SuccessResponse::Events { data } => data.as_ref(),
            SuccessResponse::Text { .. }
            | SuccessResponse::Bytes { .. }
            | SuccessResponse::Binary { .. }
            | SuccessResponse::Empty => None,
        };
        let errors = self.errors.iter().filter_map(|error| error.ty.as_ref());
        success.into_iter().chain(errors).collect()
    }
}

impl Api {
    /// Checks the invariant later stages index by: every named type the API refers to is
    /// defined. A broken one is a generator bug; the message names the first dangling use.
    pub fn check_references(&self) -> Result<(), String> {
        let defined = |id: TypeId| id.0 < self.types.len();
        for def in &self.types {
            for (ty, _) in def.kind.type_refs() {
                if let Some((id, _)) = ty.named().filter(|(id, _)| !defined(*id)) {
                    return Err(format!(
                        "type `{}` refers to type #{}, which is not defined",
                        def.name, id.0
                    ));
                }
            }
        }
        for operation in self.groups.iter().flat_map(|group| &group.operations) {
            for ty in operation.type_refs() {
                if let Some((id, _)) = ty.named().filter(|(id, _)| !defined(*id)) {
                    let name = &operation.operation_id;
                    return Err(format!("operation `{name}` refers to type #{}, which is not defined", id.0));
                }
            }
        }
        match &self.webhooks {
            Some(webhooks) if !defined(webhooks.envelope) => {
                Err(format!("the webhook envelope is type #{}, which is not defined", webhooks.envelope.0))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{TypeId, TypeKind, TypeRef};

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Chat:\n      type: object\n      properties:\n        id: {type: string}\n";

    #[test]
    fn a_dangling_reference_is_reported_not_rendered_as_a_placeholder() {
        let (mut api, _) = crate::build_ir(SPEC, "openapi.yaml").unwrap();
        assert_eq!(api.check_references(), Ok(()));
        let TypeKind::Struct(chat) = &mut api.types[0].kind else { panic!("Chat is a struct") };
        chat.fields[0].ty = TypeRef::List(Box::new(TypeRef::Named(TypeId(7))));
        let error = api.check_references().unwrap_err();
        assert_eq!(error, "type `Chat` refers to type #7, which is not defined");
    }
}
