//! Where a named type is used ([`super::TypeDef::reach`]): the directions it travels in and the
//! groups whose operations reach it. Set by `analyze`, read by the views that decide what a
//! model implements (its serde directions) and by the public surface.

use serde::Serialize;

/// Where a named type is used: the directions and the groups of the operations that reach it,
/// following references through fields, list items, map values, union variants, aliases and
/// page records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reach {
    /// Sent: reached from a request body (JSON, form, multipart or other) or a parameter.
    pub request: bool,
    /// Received: reached from a success or error response body, a server-sent event's data, a
    /// page of records or a webhook delivery.
    pub response: bool,
    /// The indexes in [`super::Api::groups`] of the groups with an operation that reaches the
    /// type, in either direction; sorted, without repeats. Empty for a type no operation
    /// reaches (a webhook payload, a schema nothing uses).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<usize>,
    /// Reached from a type that nothing reaches (that type itself, too): such a type says
    /// nothing of how it is used, so it and everything it refers to implement both serde traits.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub standalone: bool,
}

/// Which serde traits a model implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SerdeTraits {
    /// `serde::Serialize`: the SDK sends it.
    pub serialize: bool,
    /// `serde::Deserialize`: the SDK receives it.
    pub deserialize: bool,
}

impl SerdeTraits {
    /// Both traits.
    pub const BOTH: Self = Self { serialize: true, deserialize: true };
}

impl super::TypeDef {
    /// The serde traits the type implements without the SDK's `serde-both` feature, or `None`
    /// for one that implements none of its own: a multipart form (written part by part), an
    /// alias or a page (the type they name).
    pub fn serde(&self) -> Option<SerdeTraits> {
        match &self.kind {
            super::TypeKind::Struct(s) if s.form => None,
            super::TypeKind::Alias(_) | super::TypeKind::Page(_) => None,
            super::TypeKind::Struct(_)
            | super::TypeKind::Enum(_)
            | super::TypeKind::Union(_)
            | super::TypeKind::Newtype(_) => Some(self.reach.serde()),
        }
    }
}

impl Reach {
    /// The serde traits the SDK needs of the type: `Serialize` for what requests send,
    /// `Deserialize` for what responses carry. A type that nothing reaches says nothing of how
    /// it is used, so it implements both, as every model did before directions were told apart,
    /// and so does everything it refers to ([`Reach::standalone`]). The other trait comes with
    /// the SDK's `serde-both` cargo feature.
    pub fn serde(&self) -> SerdeTraits {
        if self.standalone {
            return SerdeTraits::BOTH;
        }
        match (self.request, self.response) {
            (false, false) => SerdeTraits::BOTH,
            (serialize, deserialize) => SerdeTraits { serialize, deserialize },
        }
    }
}
