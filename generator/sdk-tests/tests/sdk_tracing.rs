//! The client's `tracing` output: one span per request with the operation, method, path
//! template and attempt, retries at debug level, and never the token or a body. This test has a
//! binary of its own because it installs the global subscriber (a thread-local one would race
//! with other tests over tracing's callsite cache).

use std::sync::{Arc, Mutex};

use serde_json::Value;
use wegly::models::UpdateChatResponsibleRequest;
use wegly::{Client, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tracing-token-s3cr3t";
const CHAT: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn tracing_shows_the_request_and_retries_but_never_the_token_or_body() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this binary");

    let server = MockServer::start().await;
    let seed: Value = serde_json::from_str(include_str!("data/chat_detail.json")).expect("JSON");
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503).set_body_string("secret-body-503"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed))
        .mount(&server)
        .await;
    // No deadline: on the paused clock its timer would be jumped to while wiremock answers.
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .retry(RetryPolicy::default())
        .timeout(std::time::Duration::MAX)
        .build()
        .expect("builds");
    let chat_id: uuid::Uuid = CHAT.parse().expect("a UUID");
    let mut body = UpdateChatResponsibleRequest::new(chat_id);
    body.update_chat = Some(true);
    client.chats().update_responsible(chat_id, &body).idempotency_key("k").await.expect("second try works");

    let log = String::from_utf8(captured.0.lock().expect("not poisoned").clone()).expect("UTF-8");
    assert!(log.contains("api_request"), "{log}");
    assert!(
        log.contains("operation=\"updateChatResponsible\"")
            || log.contains("operation=updateChatResponsible"),
        "{log}"
    );
    assert!(
        log.contains("path=\"/integrations/external/chats/{id}/responsible\"")
            || log.contains("path=/integrations"),
        "{log}"
    );
    assert!(log.contains("retrying") && log.contains("delay_ms") && log.contains("status=503"), "{log}");
    assert!(log.contains("attempt=1"), "{log}");
    assert!(!log.contains(TOKEN), "token leaked: {log}");
    assert!(!log.contains("secret-body-503") && !log.contains("update_chat"), "a body leaked: {log}");
}
