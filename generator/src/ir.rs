//! The intermediate representation: a resolved, named model of the API, free of OpenAPI types.
//!
//! Produced by `lower` and completed by `analyze`; read by `render`. Invariants: every name is
//! a final, legal Rust identifier next to its wire name; every type reference is a [`TypeId`]
//! into [`Api::types`]; optional and nullable are decided; recursion edges are boxed after
//! `analyze`; every node carries the [`JsonPointer`] it came from. Collections keep a fixed
//! order that does not depend on the spec's key order or on hashing: types as declared
//! (components by name, then hoisted types in the order paths and components are visited),
//! groups by tag, operations by method name, fields and variants in spec order.

use serde::Serialize;

use crate::pointer::JsonPointer;

mod paging;
mod reach;
mod requests;
mod walk;

pub use paging::{Pagination, PaginationKind};
pub use reach::{Reach, SerdeTraits};
pub use requests::{BodyEncoding, EmptyBody, Param, ParamLocation, ParamStyle, RequestBody};
pub use walk::Holding;

/// Whether a flag is set, for fields left out of the IR's dumps when they are.
fn is_true(flag: &bool) -> bool {
    *flag
}

/// The whole API.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`: the API's version, not the SDK's.
    pub api_version: String,
    /// `info.license` as an SPDX expression: its `identifier` (3.1), or its `name` when that
    /// reads as one; `None` otherwise.
    pub license: Option<String>,
    /// `info.description`.
    pub description: Option<String>,
    /// The first server URL, without a trailing slash.
    pub base_url: Option<String>,
    /// How requests authenticate when every operation needs the same one scheme
    /// ([`Api::uniform_auth`]); [`Auth::None`] otherwise.
    pub auth: Auth,
    /// The security schemes the operations' requirements name that the client can apply, in
    /// the order of `components/securitySchemes`; [`Operation::security`] indexes this list.
    pub schemes: Vec<SecurityScheme>,
    /// Every named type; a [`TypeId`] is an index into this list.
    pub types: Vec<TypeDef>,
    /// Operations grouped by tag, sorted by group name.
    pub groups: Vec<Group>,
    /// The property names of the API's list envelope (`x-sdkwright-page-fields`), when it declares one.
    pub page_fields: Option<PageFields>,
    /// How the API delivers webhooks (`x-sdkwright-webhook-delivery`), when it says.
    pub webhooks: Option<Webhooks>,
}

/// The webhook deliveries an API sends: the SDK verifies their signature and parses their body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Webhooks {
    /// The type of a delivery's body.
    pub envelope: TypeId,
    /// The header with the HMAC-SHA256 of the raw body.
    pub signature_header: String,
    /// The header that names the event, when there is one.
    pub event_header: Option<String>,
}

/// The two properties of a list envelope such as `{ "total": 3, "records": [...] }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageFields {
    /// The property that counts all records.
    pub total: String,
    /// The property that holds this page's records.
    pub records: String,
}

/// How requests authenticate.
#[derive(Debug, Clone, Serialize)]
pub enum Auth {
    /// No global security requirement the SDK can apply.
    None,
    /// `Authorization: Bearer <token>` on every request (HTTP bearer, OAuth 2 and OpenID
    /// Connect access tokens).
    Bearer {
        /// The security scheme's description.
        description: Option<String>,
    },
    /// `Authorization: Basic <base64 of user:password>` on every request.
    Basic {
        /// The security scheme's description.
        description: Option<String>,
    },
    /// An API key in a header, a query parameter or a cookie of every request.
    ApiKey {
        /// Where the key travels.
        location: ApiKeyLocation,
        /// The header, parameter or cookie name.
        name: String,
        /// The security scheme's description.
        description: Option<String>,
    },
}

/// A security scheme of `components/securitySchemes` that the client can apply.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityScheme {
    /// The scheme's name in the spec.
    pub key: String,
    /// The name of the client builder's setter for its credential (snake case).
    pub setter: String,
    /// The name of the constant that describes it at run time.
    pub const_name: String,
    /// How its credential travels (never [`Auth::None`]).
    pub kind: Auth,
    /// Where it is declared.
    pub origin: JsonPointer,
}

impl Api {
    /// Whether the client applies one credential to every request (the SDK's fixed-credential
    /// client): every operation requires the same single scheme, or no operation requires any.
    pub fn uniform_auth(&self) -> bool {
        uniform_security(self.schemes.len(), self.groups.iter().flat_map(|g| &g.operations))
    }
}

/// [`Api::uniform_auth`] of `schemes` schemes and these operations.
pub fn uniform_security<'a>(schemes: usize, mut operations: impl Iterator<Item = &'a Operation>) -> bool {
    match schemes {
        0 => true,
        1 => operations.all(|op| op.security == [vec![0]]),
        _ => false,
    }
}

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// An index into [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TypeId(pub usize);

/// A named Rust type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    /// The Rust type name, unique in the crate.
    pub name: String,
    /// The module (and file stem) the type lives in, unique in the crate.
    pub module: String,
    /// Where the schema is.
    pub origin: JsonPointer,
    /// The schema's description, or its `title` when it has none.
    pub description: Option<String>,
    /// The schema's `title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Whether the schema is deprecated.
    pub deprecated: bool,
    /// What the type is.
    pub kind: TypeKind,
    /// The inline types that are aliases of this definition, which they share (set by
    /// `analyze` on a definition of its own that several inline schemas of one shape share).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shared_by: Vec<TypeId>,
    /// Where the type is used: its directions and the groups that reach it (set by `analyze`).
    pub reach: Reach,
}

/// The shape of a named type.
#[derive(Debug, Clone, Serialize)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A set of values, open to values the spec does not list.
    Enum(EnumDef),
    /// Another name for a type expression (free-form objects, maps, lists, primitives).
    Alias(TypeRef),
    /// A type that wraps a type expression which refers back to it (`E: {type: array, items:
    /// {$ref: E}}`): a tuple struct, since a Rust alias cannot recurse (set by `lower` for
    /// aliases on a cycle through a list or a map).
    Newtype(TypeRef),
    /// One of several types (`oneOf` / `anyOf`), decoded as the first variant that fits.
    Union(UnionDef),
    /// The API's list envelope around records of this type (set by `analyze`): rendered as the
    /// runtime's generic `Page<T>` instead of a struct of its own.
    Page(TypeRef),
}

/// A `oneOf` or `anyOf`.
#[derive(Debug, Clone, Serialize)]
pub struct UnionDef {
    /// The alternatives, in the order decoding tries them (untagged unions only).
    pub variants: Vec<UnionVariant>,
    /// The discriminator property, when the spec names one and every alternative is an
    /// object schema with known tag values: the variant is chosen by that property's value.
    pub tag: Option<String>,
}

/// One alternative of a union.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// The Rust variant name, unique in the union.
    pub name: String,
    /// The alternative's type.
    pub ty: TypeRef,
    /// Whether the type is boxed to break a recursive cycle (set by `analyze`).
    pub boxed: bool,
    /// The discriminator values that select this variant; the first is written when encoding.
    /// Empty for untagged unions.
    pub tag_values: Vec<String>,
    /// Whether the variant takes every discriminator value no other variant lists (the base
    /// schema of an `allOf` hierarchy); it is encoded as it is.
    pub fallback: bool,
}

/// An object type.
#[derive(Debug, Clone, Serialize)]
pub struct StructDef {
    /// The properties, in spec order.
    pub fields: Vec<Field>,
    /// Whether the struct is a multipart form body (set by `analyze`): its parts are encoded as
    /// a form and it has no JSON form of its own.
    pub form: bool,
    /// Properties the schema does not name (`additionalProperties`), kept in a map field.
    pub extra: Option<ExtraFields>,
}

/// The map that keeps an object's unnamed properties.
#[derive(Debug, Clone, Serialize)]
pub struct ExtraFields {
    /// The Rust field name, unique among the struct's fields.
    pub name: String,
    /// The type of each value.
    pub value: TypeRef,
}

/// One property of an object.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// The property's type, without the `Option` that presence adds.
    pub ty: TypeRef,
    /// Whether the property must be present.
    pub required: bool,
    /// Whether the property may be `null`.
    pub nullable: bool,
    /// Whether the type is boxed to break a recursive cycle (set by `analyze`).
    pub boxed: bool,
    /// The property's description, or its schema's `title` when it has none.
    pub description: Option<String>,
    /// Whether the property is deprecated.
    pub deprecated: bool,
    /// Where the property is.
    pub origin: JsonPointer,
}

/// An enumeration.
#[derive(Debug, Clone, Serialize)]
pub struct EnumDef {
    /// How values travel on the wire.
    pub repr: EnumRepr,
    /// The known values, in spec order.
    pub variants: Vec<Variant>,
    /// Whether the spec lists every value (`enum`) or only the values seen
    /// (`x-extensible-enum`). The SDK keeps unknown values either way.
    pub closed: bool,
    /// The name of the variant that holds values the spec does not list.
    pub unknown_variant: String,
    /// Whether the Rust enum has that variant (set by `analyze`): every enum a response can
    /// carry keeps unknown values; a closed enum that only requests use has none, so a caller
    /// cannot send a value the spec does not allow.
    pub keeps_unknown: bool,
}

/// The wire type of an enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EnumRepr {
    /// JSON strings.
    String,
    /// JSON integers.
    Integer,
}

/// One known enumeration value.
#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub value: EnumValue,
}

/// An enumeration value as the wire carries it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum EnumValue {
    /// A string value.
    String(String),
    /// An integer value.
    Integer(i64),
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TypeRef {
    /// A built-in scalar.
    Primitive(Primitive),
    /// A named type of this API.
    Named(TypeId),
    /// A JSON array.
    List(Box<TypeRef>),
    /// A JSON object used as a map from strings.
    Map(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

/// Built-in scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Primitive {
    /// A string.
    String,
    /// A boolean.
    Bool,
    /// A 32-bit integer.
    I32,
    /// A 64-bit integer (the default for `integer`).
    I64,
    /// A 32-bit float.
    F32,
    /// A 64-bit float (the default for `number`).
    F64,
    /// `format: uuid`.
    Uuid,
    /// `format: date-time` (RFC 3339).
    DateTime,
    /// `format: date` (`YYYY-MM-DD`).
    Date,
    /// `format: binary`: a file in a multipart body, a string anywhere else.
    Binary,
}

/// The operations of one tag.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The accessor method on the client, e.g. `chats`.
    pub accessor: String,
    /// The Rust type holding the operations, e.g. `Chats`.
    pub type_name: String,
    /// The module of that type.
    pub module: String,
    /// The tag as the spec writes it; for operations without one, the path segment they are
    /// grouped by (or `default`).
    pub tag: String,
    /// Whether some of the operations have the tag; the others have none.
    #[serde(skip_serializing_if = "is_true")]
    pub tagged: bool,
    /// The paths, up to the segment the group is named after (`/v1/customers`), of the
    /// operations without a tag; sorted, without repeats.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub untagged_under: Vec<String>,
    /// The tag's description.
    pub description: Option<String>,
    /// The operations, sorted by method name.
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// The Rust method name within its group.
    pub method_name: String,
    /// The name of the constant that describes the operation at run time.
    pub const_name: String,
    /// `operationId`, or the name derived from method and path when there is none.
    pub operation_id: String,
    /// The HTTP method.
    pub http_method: HttpMethod,
    /// The path template.
    pub path: PathTemplate,
    /// The parameters, path parameters first in path order, then the rest in spec order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// A request body the spec declares that can hold nothing; the method takes no argument
    /// for it. `body` is then `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_body: Option<EmptyBody>,
    /// What a successful response carries.
    pub response: SuccessResponse,
    /// The error responses the spec documents, in spec order (`default` last).
    pub errors: Vec<ErrorResponse>,
    /// The effective security requirements (the operation's `security`, else the document's),
    /// in spec order: alternatives, each the indexes in [`Api::schemes`] of the schemes it
    /// sends together. Empty: no credential at all; an empty alternative: none needed.
    /// Requirements that name a scheme the client cannot apply are left out.
    pub security: Vec<Vec<usize>>,
    /// The name of the enum that holds the error responses' bodies by status, declared in the
    /// group's module; `None` when no error response has a JSON body.
    pub error_enum: Option<String>,
    /// The name of the type that marks this operation's [`crate`] `Call`, declared in the
    /// group's module, whose methods set the optional parameters; `None` when every parameter
    /// is required.
    pub options: Option<String>,
    /// How its pages follow each other, when it is a list the SDK can walk to the end.
    pub pagination: Option<Pagination>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
    /// Where the operation is.
    pub origin: JsonPointer,
}

impl Operation {
    /// The error responses in the order a `match` on the status tries them: exact statuses,
    /// then classes (`4XX`), then `default`.
    pub fn errors_by_precedence(&self) -> Vec<&ErrorResponse> {
        let mut errors: Vec<&ErrorResponse> = self.errors.iter().collect();
        errors.sort_by_key(|error| error.statuses);
        errors
    }

    /// The parameters the method takes as arguments, in order.
    pub fn positional_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.positional())
    }

    /// The optional parameters, which the returned call sets by methods of their own.
    pub fn optional_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| !p.positional())
    }
}

/// HTTP methods an operation can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// The method as HTTP writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }
}

/// A path split into literal text and parameters.
#[derive(Debug, Clone, Serialize)]
pub struct PathTemplate {
    /// The path as the spec writes it, e.g. `/chats/{id}`.
    pub raw: String,
    /// The parts in order.
    pub parts: Vec<PathPart>,
}

/// A piece of a path template.
#[derive(Debug, Clone, Serialize)]
pub enum PathPart {
    /// Text sent as written.
    Literal(String),
    /// The value of the parameter at this index of [`Operation::params`], percent-encoded as
    /// one path segment.
    Param(usize),
}

/// An error response the spec documents for an operation.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorResponse {
    /// The status as the spec writes it: `404`, `4XX` or `default`.
    pub status: String,
    /// The statuses it stands for.
    pub statuses: StatusMatch,
    /// The type of its JSON body, when it has one.
    pub ty: Option<TypeRef>,
    /// The response's description.
    pub description: Option<String>,
    /// Its variant in the operation's error enum ([`Operation::error_enum`]); `None` when the
    /// response has no JSON body.
    pub variant: Option<String>,
}

/// The statuses an error response stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum StatusMatch {
    /// One status, such as `404`.
    Code(u16),
    /// A class of statuses: `4` for `4XX`.
    Range(u16),
    /// `default`: every status the others do not name.
    Default,
}

/// What a 2xx response carries.
#[derive(Debug, Clone, Serialize)]
pub enum SuccessResponse {
    /// A JSON body of this type.
    Json(TypeRef),
    /// A `text/*` body, as a string; `accept` lists the media types, for the `Accept` header.
    Text {
        /// The response's text media types, comma-separated.
        accept: String,
    },
    /// A body of any other media type, as bytes.
    Bytes {
        /// The response's media types, comma-separated.
        accept: String,
    },
    /// A binary body (`application/octet-stream`, `*/*`, or a `format: binary` string under
    /// any media type), streamed to the caller rather than buffered.
    Binary {
        /// The response's binary media types, comma-separated.
        accept: String,
    },
    /// A `text/event-stream` body: a stream of server-sent events.
    Events {
        /// The type of each event's data, decoded as JSON; `None` keeps the data as text (no
        /// schema, or a string one).
        data: Option<TypeRef>,
    },
    /// No body.
    Empty,
}
