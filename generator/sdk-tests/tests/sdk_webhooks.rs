//! The SDK's webhook module against signatures computed outside it (Python's `hmac`, see
//! `data/webhook_vectors.py`), tampered bodies, bad headers, and the typed event.

use serde_json::Value;
use wegly::models::{WebhookEventKey, WebhookPayload};
use wegly::webhooks::{self, WebhookError};

fn vectors() -> Vec<(String, String, String)> {
    let file: Value = serde_json::from_str(include_str!("data/webhook_vectors.json")).expect("JSON");
    file["vectors"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| {
            let text = |key: &str| v[key].as_str().expect("a string").to_owned();
            (text("secret"), text("body"), text("signature"))
        })
        .collect()
}

#[test]
fn the_committed_vectors_verify() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 4);
    for (secret, body, signature) in &vectors {
        webhooks::verify_signature(secret.as_bytes(), body.as_bytes(), Some(signature))
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        let upper = signature.to_ascii_uppercase();
        assert!(webhooks::verify_signature(secret.as_bytes(), body.as_bytes(), Some(&upper)).is_ok());
        let prefixed = format!("sha256={signature}");
        assert!(webhooks::verify_signature(secret.as_bytes(), body.as_bytes(), Some(&prefixed)).is_ok());
    }
}

#[test]
fn tampered_bodies_wrong_secrets_and_bad_headers_are_refused() {
    let (secret, body, signature) = vectors().remove(0);
    let tampered = body.replace("1024", "1025");
    let mismatch = webhooks::verify_signature(secret.as_bytes(), tampered.as_bytes(), Some(&signature));
    assert!(matches!(mismatch, Err(WebhookError::SignatureMismatch)), "{mismatch:?}");
    let wrong_secret = webhooks::verify_signature(b"not-the-secret", body.as_bytes(), Some(&signature));
    assert!(matches!(wrong_secret, Err(WebhookError::SignatureMismatch)));
    let missing = webhooks::verify_signature(secret.as_bytes(), body.as_bytes(), None);
    assert!(matches!(missing, Err(WebhookError::MissingSignature)));
    for malformed in ["", "xyz", &signature[..62], &format!("{signature}00"), "sha256=", "c2lnbmF0dXJl"] {
        let result = webhooks::verify_signature(secret.as_bytes(), body.as_bytes(), Some(malformed));
        assert!(matches!(result, Err(WebhookError::MalformedSignature)), "{malformed:?}: {result:?}");
    }
    let message = webhooks::verify_signature(secret.as_bytes(), body.as_bytes(), None)
        .expect_err("refused")
        .to_string();
    assert!(message.contains(webhooks::SIGNATURE_HEADER), "{message}");
}

#[test]
fn events_parse_with_typed_lead_payloads_and_keep_the_rest() {
    let (secret, body, signature) = vectors().remove(0);
    let event =
        webhooks::verify_and_parse(secret.as_bytes(), body.as_bytes(), Some(&signature)).expect("valid");
    assert_eq!(event.event_key, Some(WebhookEventKey::LeadCreated));
    let lead = event.payload.as_ref().and_then(|p| p.lead.as_ref()).expect("a typed lead");
    assert_eq!(lead.code, Some(1024));
    assert_eq!(lead.title.as_deref(), Some("Lead - Evento corporativo"));

    let (_, body, _) = vectors().remove(1);
    let event = webhooks::parse_event(body.as_bytes()).expect("valid");
    assert_eq!(event.event_key, Some(WebhookEventKey::DealWon));
    let payload: &WebhookPayload = event.payload.as_ref().expect("payload");
    assert_eq!(payload.lead, None);
    assert_eq!(payload.additional_properties["deal"]["value"], serde_json::json!(75000.5));
    assert_eq!(
        serde_json::to_value(&event).expect("serializes"),
        serde_json::from_str::<Value>(&body).expect("JSON")
    );

    let unknown = webhooks::parse_event(br#"{"event_key":"delivery.created","payload":{}}"#).expect("valid");
    assert_eq!(unknown.event_key, Some(WebhookEventKey::Unknown("delivery.created".into())));
    assert!(matches!(webhooks::parse_event(b"{not json"), Err(WebhookError::Body(_))));
    assert_eq!(webhooks::EVENT_HEADER, "x-wegly-event");
}
