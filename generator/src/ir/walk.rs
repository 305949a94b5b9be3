//! The one walk over the type expressions a definition refers to, which the passes that
//! follow references (recursion boxing, sharing identical types, alias cycles) are built on.

use super::{TypeId, TypeKind, TypeRef};

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
