//! What a request carries: parameters and bodies.

use serde::Serialize;

use super::TypeRef;
use crate::pointer::JsonPointer;

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a request header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// How a query parameter's value is written (OpenAPI `style`, `explode`, `content`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamStyle {
    /// `form` with `explode: true`, the default: a list repeats the name, an object's
    /// properties become parameters of their own. Path and header values join lists with commas.
    Default,
    /// `form` with `explode: false`: `name=a,b` and `name=k1,v1,k2,v2`.
    FormCompact,
    /// `spaceDelimited`: `name=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited`: `name=a|b`.
    PipeDelimited,
    /// `deepObject`: `name[k1]=v1&name[k2]=v2`.
    DeepObject,
    /// `content: {application/json: ...}`: the value as JSON text.
    Json,
}

/// An operation parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// The Rust argument name, unique in the method.
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it travels.
    pub location: ParamLocation,
    /// How its value is written.
    pub style: ParamStyle,
    /// Its type.
    pub ty: TypeRef,
    /// Whether the caller must give it.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// Whether the parameter is deprecated.
    pub deprecated: bool,
    /// Where the parameter is.
    pub origin: JsonPointer,
    /// The value the operation's example call gives it, for a parameter the method takes: the
    /// spec's example when it fits the schema, else a value built from the schema
    /// (`lower::examples`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
}

impl Param {
    /// Whether the method takes it as an argument: it is required. An optional one is set on
    /// the returned call instead, so that adding one to the spec does not change the method.
    pub fn positional(&self) -> bool {
        self.required
    }
}

/// A request body.
#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    /// The Rust argument name, unique in the method.
    pub name: String,
    /// How the body is encoded.
    pub encoding: BodyEncoding,
    /// The `Content-Type` sent: the spec's media type, or `application/octet-stream` for a
    /// wildcard one.
    pub media_type: String,
    /// The body's type.
    pub ty: TypeRef,
    /// Whether the body must be sent.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// The body the operation's example call sends, as JSON (`lower::examples`).
    pub example: serde_json::Value,
}

/// A request body that can hold nothing: an object schema without properties that admits no
/// others (`additionalProperties: false`), as Stripe declares the form bodies of its `GET` and
/// `DELETE` operations. Only JSON and form bodies are ever empty ones.
#[derive(Debug, Clone, Serialize)]
pub struct EmptyBody {
    /// How it would travel.
    pub encoding: BodyEncoding,
    /// The `Content-Type` it would be sent with.
    pub media_type: String,
    /// Whether the spec requires it: then the one value it can hold (`{}`, or a form of no
    /// fields) is sent; otherwise nothing is.
    pub required: bool,
}

/// How a request body travels, in order of preference when several are offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`: each property is a field.
    Form,
    /// `multipart/form-data`: each property is a part, binary ones are files.
    Multipart,
    /// `text/*`: a string sent as it is.
    Text,
    /// Any other media type (`application/octet-stream`, `image/png`, ...): bytes sent as they are.
    Bytes,
}
