//! The webhook deliveries the API sends: checking their signature and reading their body.
//!
//! Each delivery is a POST whose body is JSON and whose [`SIGNATURE_HEADER`] header is an
//! HMAC-SHA256 of the raw body, keyed with the subscription's secret. The API documentation
//! does not name the signature's encoding: this module accepts hexadecimal (either case, with
//! or without a `sha256=` prefix) and nothing else. Verify the raw bytes as received, before any
//! parsing or re-serializing.

#![cfg(feature = "webhooks")]

use std::fmt;

use hmac::{KeyInit, Mac};

/// The header that carries the signature (lower case, as HTTP/2 sends it).
pub const SIGNATURE_HEADER: &str = crate::spec::SIGNATURE_HEADER;

/// The header that names the event.
#[cfg(feature = "webhook_event_header")]
pub const EVENT_HEADER: &str = crate::spec::EVENT_HEADER;

/// The body of a delivery.
pub type Event = crate::spec::WebhookEvent;

/// Why a delivery was refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The signature header is absent.
    MissingSignature,
    /// The signature header is not a hexadecimal SHA-256 digest.
    MalformedSignature,
    /// The signature does not match the body and secret: the body was changed, or the secret is
    /// not this subscription's.
    SignatureMismatch,
    /// The body is not a valid event.
    Body(serde_json::Error),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSignature => write!(f, "the `{}` header is missing", SIGNATURE_HEADER),
            Self::MalformedSignature => {
                write!(f, "the `{}` header is not a hexadecimal HMAC-SHA256 digest", SIGNATURE_HEADER)
            }
            Self::SignatureMismatch => write!(f, "the webhook signature does not match its body"),
            Self::Body(error) => write!(f, "the webhook body is not a valid event: {error}"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Body(error) => Some(error),
            _ => None,
        }
    }
}

/// Checks a delivery's signature header against its raw body, comparing in constant time.
pub fn verify_signature(secret: &[u8], body: &[u8], signature: Option<&str>) -> Result<(), WebhookError> {
    let signature = signature.ok_or(WebhookError::MissingSignature)?.trim();
    let digits = signature.strip_prefix("sha256=").unwrap_or(signature);
    let expected = hex::decode(digits).map_err(|_| WebhookError::MalformedSignature)?;
    if expected.len() != 32 {
        return Err(WebhookError::MalformedSignature);
    }
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).map_err(|_| WebhookError::SignatureMismatch)?;
    mac.update(body);
    mac.verify_slice(&expected).map_err(|_| WebhookError::SignatureMismatch)
}

/// Reads a delivery's body. Does not check the signature: see [`verify_and_parse`].
pub fn parse_event(body: &[u8]) -> Result<Event, WebhookError> {
    serde_json::from_slice(body).map_err(WebhookError::Body)
}

/// Checks the signature, then reads the body.
pub fn verify_and_parse(secret: &[u8], body: &[u8], signature: Option<&str>) -> Result<Event, WebhookError> {
    verify_signature(secret, body, signature)?;
    parse_event(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &[u8], body: &[u8]) -> String {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).expect("any key length");
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }

    #[test]
    fn signatures_are_hex_with_or_without_a_prefix() {
        let signature = sign(b"secret", b"{}");
        assert!(verify_signature(b"secret", b"{}", Some(&signature)).is_ok());
        assert!(verify_signature(b"secret", b"{}", Some(&format!("sha256={}", signature.to_uppercase()))).is_ok());
        assert!(matches!(verify_signature(b"other", b"{}", Some(&signature)), Err(WebhookError::SignatureMismatch)));
        assert!(matches!(verify_signature(b"secret", b"{ }", Some(&signature)), Err(WebhookError::SignatureMismatch)));
        assert!(matches!(verify_signature(b"secret", b"{}", None), Err(WebhookError::MissingSignature)));
        assert!(matches!(verify_signature(b"secret", b"{}", Some("zz")), Err(WebhookError::MalformedSignature)));
        assert!(matches!(verify_signature(b"secret", b"{}", Some("abcd")), Err(WebhookError::MalformedSignature)));
    }

    #[test]
    fn a_verified_body_is_parsed() {
        let body = br#"{"event":"x"}"#;
        let event = verify_and_parse(b"k", body, Some(&sign(b"k", body))).expect("valid");
        assert_eq!(event, serde_json::json!({"event": "x"}));
        assert!(matches!(parse_event(b"{"), Err(WebhookError::Body(_))));
    }
}
