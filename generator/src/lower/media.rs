//! Media types: which are JSON, how a request body of each type is sent and how a response
//! body of each type is read. Plain functions of the media type string (and its schema).

use openapiv3::ReferenceOr;

use crate::ir::BodyEncoding;

/// Whether a media type is JSON (`application/json`, `application/problem+json`, ...).
pub(super) fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The media type without parameters, lower-cased.
pub(super) fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// How a request body of this media type is sent; the order is the order of preference.
pub(super) fn body_encoding(media: &str) -> BodyEncoding {
    let essence = essence(media);
    if is_json(media) {
        BodyEncoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if essence == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if essence.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Bytes
    }
}

/// What a response body of one media type is read as, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum ResponseKind {
    Json,
    /// `text/event-stream`.
    Events,
    Text,
    /// Binary, streamed: `application/octet-stream`, `*/*` without a schema of another type,
    /// or a `format: binary` string under any media type.
    Binary,
    Bytes,
}

pub(super) fn response_kind(media: &str, content: &openapiv3::MediaType) -> ResponseKind {
    let essence = essence(media);
    let binary_schema = match &content.schema {
        Some(ReferenceOr::Item(schema)) => matches!(
            &schema.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(string))
                if matches!(string.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary))
        ),
        _ => false,
    };
    if essence == "text/event-stream" {
        ResponseKind::Events
    } else if binary_schema {
        ResponseKind::Binary
    } else if is_json(media) || (essence == "*/*" && content.schema.is_some()) {
        ResponseKind::Json
    } else if essence.starts_with("text/") {
        ResponseKind::Text
    } else if essence == "application/octet-stream" || essence == "*/*" {
        ResponseKind::Binary
    } else {
        ResponseKind::Bytes
    }
}

/// Whether a media type names one type (no `*`), so that it can be sent as `Content-Type`.
pub(super) fn is_concrete(media: &str) -> bool {
    !media.contains('*') && media.is_ascii() && !media.chars().any(|c| c.is_ascii_control())
}

#[cfg(test)]
mod tests {
    use super::{BodyEncoding, body_encoding, is_json};

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
    }

    #[test]
    fn body_encodings_follow_the_media_type() {
        assert_eq!(body_encoding("Application/JSON"), BodyEncoding::Json);
        assert_eq!(body_encoding("multipart/form-data; boundary=x"), BodyEncoding::Multipart);
        assert_eq!(body_encoding("text/csv"), BodyEncoding::Text);
        assert_eq!(body_encoding("image/png"), BodyEncoding::Bytes);
    }
}
