//! Request bodies and success responses: the media type chosen among those offered and the
//! type its schema lowers to. A JSON or form body that can hold nothing (Stripe's `GET` and
//! `DELETE` bodies) is an [`EmptyBody`], which the method does not take.

use openapiv3::{AdditionalProperties, ReferenceOr, StatusCode};

use crate::ir::{BodyEncoding, EmptyBody, Primitive, RequestBody, SuccessResponse, TypeRef};
use crate::pointer::JsonPointer;

use super::context::Context;
use super::media::{ResponseKind, body_encoding, is_concrete, response_kind};
use super::refs::{Link, Node};

/// The media type of form bodies.
const FORM: &str = "application/x-www-form-urlencoded";

/// An operation's request body as the method takes it.
pub(super) enum Body {
    /// A body the method takes as an argument.
    Sent(RequestBody),
    /// A body that can hold nothing, which the method does not take.
    Empty(EmptyBody),
}

impl<'a> Context<'a> {
    /// Whether a body schema can hold nothing but `{}`: an object (through `$ref`s and `allOf`
    /// parts) without properties that admits no others.
    fn holds_nothing(&self, node: Node<'a>, at: &JsonPointer) -> bool {
        let found = match node {
            Link::Item(schema) => Some((schema, at.clone())),
            Link::Ref(_) => self.resolve(node),
        };
        let Some((schema, at)) = found else { return false };
        self.object_parts(schema, &at).is_some_and(|parts| {
            parts.properties.is_empty() && matches!(parts.additional, Some(AdditionalProperties::Any(false)))
        })
    }

    pub(super) fn request_body(
        &mut self,
        operation: &'a openapiv3::Operation,
        at: &JsonPointer,
        type_hint: &str,
    ) -> Option<Body> {
        let (body, body_at) =
            self.component(operation.request_body.as_ref()?, at.push("requestBody"), "requestBodies", |c| {
                &c.request_bodies
            })?;
        // One media type is chosen when several are offered: JSON first, then form, multipart,
        // text, and raw bytes last.
        let chosen = body
            .content
            .iter()
            .map(|(media, content)| (body_encoding(media), media, content))
            .min_by_key(|(encoding, _, _)| *encoding);
        let Some((encoding, media, content)) = chosen else {
            self.warn(body_at, "the request body has no media type; the body is not sent");
            return None;
        };
        let schema_at = body_at.push("content").push(media).push("schema");
        // A JSON or form body that can hold nothing is no argument: the one value it could
        // carry is sent when the spec requires the body, and nothing otherwise.
        let empty = matches!(encoding, BodyEncoding::Json | BodyEncoding::Form)
            && content
                .schema
                .as_ref()
                .is_some_and(|schema| self.holds_nothing(Node::from(schema), &schema_at));
        if empty {
            let media_type = if encoding == BodyEncoding::Json { "application/json" } else { FORM };
            let required = body.required;
            return Some(Body::Empty(EmptyBody { encoding, media_type: media_type.to_owned(), required }));
        }
        let ty = match (&content.schema, encoding) {
            (_, BodyEncoding::Text) => TypeRef::Primitive(Primitive::String),
            (_, BodyEncoding::Bytes) => TypeRef::Primitive(Primitive::Binary),
            (Some(schema), _) => {
                self.lower_node(Node::from(schema), &schema_at, &format!("{type_hint}Request")).ty
            }
            (None, _) => TypeRef::Any,
        };
        if encoding == BodyEncoding::Multipart && !self.is_struct(&ty) {
            self.warn(schema_at, "a multipart body must be an object with properties; the body is not sent");
            return None;
        }
        let media_type = match encoding {
            BodyEncoding::Json => "application/json",
            BodyEncoding::Form => FORM,
            BodyEncoding::Multipart => "multipart/form-data",
            BodyEncoding::Text | BodyEncoding::Bytes if is_concrete(media) => media.as_str(),
            BodyEncoding::Text => "text/plain",
            BodyEncoding::Bytes => "application/octet-stream",
        };
        let example = self.body_example(&body_at.push("content").push(media));
        Some(Body::Sent(RequestBody {
            name: "body".to_owned(),
            encoding,
            media_type: media_type.to_owned(),
            ty,
            required: body.required,
            description: body.description.clone(),
            example,
        }))
    }

    /// The type of the first 2xx response, in status order.
    pub(super) fn success_response(
        &mut self,
        operation: &'a openapiv3::Operation,
        at: &JsonPointer,
        type_hint: &str,
    ) -> SuccessResponse {
        let mut successes: Vec<(&StatusCode, &ReferenceOr<openapiv3::Response>)> = operation
            .responses
            .responses
            .iter()
            .filter(|(code, _)| match code {
                StatusCode::Code(code) => (200..300).contains(code),
                StatusCode::Range(range) => *range == 2,
            })
            .collect();
        successes.sort_by_key(|(code, _)| match code {
            StatusCode::Code(code) => *code,
            StatusCode::Range(_) => 299,
        });
        let Some((code, response)) = successes.first() else { return SuccessResponse::Empty };
        let Some((response, response_at)) =
            self.component(response, at.push("responses").push(code.to_string()), "responses", |c| {
                &c.responses
            })
        else {
            return SuccessResponse::Empty;
        };
        if response.content.is_empty() {
            return SuccessResponse::Empty;
        }
        // JSON first (a wildcard type with an object schema counts), then an event stream, text,
        // binary (streamed) and other bytes.
        let chosen = response
            .content
            .iter()
            .map(|(media, content)| (response_kind(media, content), media, content))
            .min_by_key(|(kind, _, _)| *kind);
        match chosen {
            Some((ResponseKind::Json, media, content)) => {
                let schema_at = response_at.push("content").push(media).push("schema");
                match &content.schema {
                    Some(schema) => SuccessResponse::Json(
                        self.lower_node(Node::from(schema), &schema_at, &format!("{type_hint}Response")).ty,
                    ),
                    None => SuccessResponse::Json(TypeRef::Any),
                }
            }
            Some((ResponseKind::Events, media, content)) => {
                // The schema is the type of each event's data; a string (or none) keeps it text.
                let schema_at = response_at.push("content").push(media).push("schema");
                let data = content
                    .schema
                    .as_ref()
                    .map(|schema| {
                        self.lower_node(Node::from(schema), &schema_at, &format!("{type_hint}Event")).ty
                    })
                    .filter(|ty| *ty != TypeRef::Primitive(Primitive::String));
                SuccessResponse::Events { data }
            }
            Some((kind @ (ResponseKind::Text | ResponseKind::Binary | ResponseKind::Bytes), _, _)) => {
                // The `Accept` header names every media type of that kind the spec lists.
                let listed: Vec<&str> = response
                    .content
                    .iter()
                    .filter(|(media, content)| response_kind(media, content) == kind)
                    .map(|(media, _)| media.as_str())
                    .filter(|media| media.bytes().all(|b| (b' '..=b'~').contains(&b)))
                    .collect();
                let accept = if listed.is_empty() { "*/*".to_owned() } else { listed.join(", ") };
                match kind {
                    ResponseKind::Text => SuccessResponse::Text { accept },
                    ResponseKind::Binary => SuccessResponse::Binary { accept },
                    _ => SuccessResponse::Bytes { accept },
                }
            }
            None => SuccessResponse::Empty,
        }
    }
}
