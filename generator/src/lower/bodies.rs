//! Request bodies and success responses: the media type chosen among those offered and the
//! type its schema lowers to.

use openapiv3::{ReferenceOr, StatusCode};

use crate::ir::{BodyEncoding, Primitive, RequestBody, SuccessResponse, TypeRef};
use crate::pointer::JsonPointer;

use super::context::Context;
use super::media::{ResponseKind, body_encoding, is_concrete, response_kind};
use super::refs::Node;

impl<'a> Context<'a> {
    pub(super) fn request_body(
        &mut self,
        operation: &'a openapiv3::Operation,
        at: &JsonPointer,
        type_hint: &str,
    ) -> Option<RequestBody> {
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
            BodyEncoding::Form => "application/x-www-form-urlencoded",
            BodyEncoding::Multipart => "multipart/form-data",
            BodyEncoding::Text | BodyEncoding::Bytes if is_concrete(media) => media.as_str(),
            BodyEncoding::Text => "text/plain",
            BodyEncoding::Bytes => "application/octet-stream",
        };
        let example = self.body_example(&body_at.push("content").push(media));
        Some(RequestBody {
            name: "body".to_owned(),
            encoding,
            media_type: media_type.to_owned(),
            ty,
            required: body.required,
            description: body.description.clone(),
            example,
        })
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
        // JSON first (a wildcard type with an object schema counts), then text, then bytes.
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
            Some((kind @ (ResponseKind::Text | ResponseKind::Bytes), _, _)) => {
                // The `Accept` header names every media type of that kind the spec lists.
                let listed: Vec<&str> = response
                    .content
                    .iter()
                    .filter(|(media, content)| response_kind(media, content) == kind)
                    .map(|(media, _)| media.as_str())
                    .filter(|media| media.bytes().all(|b| (b' '..=b'~').contains(&b)))
                    .collect();
                let accept = if listed.is_empty() { "*/*".to_owned() } else { listed.join(", ") };
                if kind == ResponseKind::Text {
                    SuccessResponse::Text { accept }
                } else {
                    SuccessResponse::Bytes { accept }
                }
            }
            None => SuccessResponse::Empty,
        }
    }
}
