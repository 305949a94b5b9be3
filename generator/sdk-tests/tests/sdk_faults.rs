//! The fault matrix: how the generated client behaves when the server misbehaves. Waits run on
//! tokio's paused clock, so a 2 s `Retry-After` costs no real time and is measured exactly.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use tokio::time::Instant;
use wegly::models::UpdateChatResponsibleRequest;
use wegly::{Client, Error, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "fault-token-s3cr3t";
const CHAT: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

fn seed() -> Value {
    serde_json::from_str(include_str!("data/chat_detail.json")).expect("the seed example is JSON")
}

fn chat_id() -> uuid::Uuid {
    CHAT.parse().expect("a UUID")
}

/// A client whose connection pool sets no timers and whose calls have no deadline, so the
/// paused clock only moves for the client's backoff and `Retry-After` waits (a pending deadline
/// timer would be jumped to while wiremock's answer is on its way).
fn client(server: &MockServer, retry: RetryPolicy) -> Client {
    let http = wegly::reqwest::Client::builder().pool_idle_timeout(None).build().expect("reqwest client");
    Client::builder(TOKEN)
        .base_url(server.uri())
        .http_client(http)
        .timeout(Duration::MAX)
        .retry(retry)
        .build()
        .expect("client builds")
}

fn responsible() -> UpdateChatResponsibleRequest {
    let mut body = UpdateChatResponsibleRequest::new(chat_id());
    body.update_chat = Some(true);
    body.update_deals = Some(false);
    body
}

async fn respond_n(server: &MockServer, verb: &str, response: ResponseTemplate, times: u64) {
    Mock::given(method(verb)).respond_with(response).up_to_n_times(times).mount(server).await;
}

#[tokio::test(start_paused = true)]
async fn a_get_is_retried_through_503s() {
    let server = MockServer::start().await;
    respond_n(&server, "GET", ResponseTemplate::new(503), 2).await;
    respond_n(&server, "GET", ResponseTemplate::new(200).set_body_json(seed()), 1).await;
    let chat = client(&server, RetryPolicy::default()).chats().get(chat_id()).await.expect("third try works");
    assert_eq!(chat.id, Some(chat_id()));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 3);
}

#[tokio::test(start_paused = true)]
async fn retry_after_in_seconds_is_honoured() {
    let server = MockServer::start().await;
    respond_n(&server, "GET", ResponseTemplate::new(429).insert_header("retry-after", "2"), 1).await;
    respond_n(&server, "GET", ResponseTemplate::new(200).set_body_json(seed()), 1).await;
    let started = Instant::now();
    client(&server, RetryPolicy::default()).chats().get(chat_id()).await.expect("second try works");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(2) && waited < Duration::from_millis(2500), "waited {waited:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date_is_honoured_and_capped() {
    let server = MockServer::start().await;
    let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3));
    let far = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    respond_n(&server, "GET", ResponseTemplate::new(503).insert_header("retry-after", soon.as_str()), 1)
        .await;
    respond_n(&server, "GET", ResponseTemplate::new(429).insert_header("retry-after", far.as_str()), 1).await;
    respond_n(&server, "GET", ResponseTemplate::new(200).set_body_json(seed()), 1).await;
    let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(5));
    let started = Instant::now();
    client(&server, policy).chats().get(chat_id()).await.expect("third try works");
    let waited = started.elapsed();
    // Up to 3 s for the near date (second resolution), then exactly the 5 s ceiling.
    assert!(waited >= Duration::from_secs(6) && waited <= Duration::from_secs(8), "waited {waited:?}");
}

#[tokio::test(start_paused = true)]
async fn a_patch_is_not_retried_without_opting_in() {
    let server = MockServer::start().await;
    respond_n(&server, "PATCH", ResponseTemplate::new(503), 5).await;
    let error = client(&server, RetryPolicy::default())
        .chats()
        .update_responsible(chat_id(), &responsible())
        .await
        .expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_patch_with_an_idempotency_key_is_retried_with_the_same_key_and_body() {
    let server = MockServer::start().await;
    respond_n(&server, "PATCH", ResponseTemplate::new(503), 2).await;
    respond_n(&server, "PATCH", ResponseTemplate::new(200).set_body_json(seed()), 1).await;
    client(&server, RetryPolicy::default())
        .chats()
        .update_responsible(chat_id(), &responsible())
        .idempotency_key("key-123")
        .await
        .expect("third try works");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 3);
    let expected = json!({"user_id": CHAT, "update_chat": true, "update_deals": false});
    for request in &requests {
        assert_eq!(request.headers.get("idempotency-key").map(|v| v.as_bytes()), Some(&b"key-123"[..]));
        assert_eq!(request.headers.get("content-type").map(|v| v.as_bytes()), Some(&b"application/json"[..]));
        assert_eq!(serde_json::from_slice::<Value>(&request.body).expect("JSON body"), expected);
    }
}

#[tokio::test(start_paused = true)]
async fn a_patch_can_opt_in_to_retries() {
    let server = MockServer::start().await;
    respond_n(&server, "PATCH", ResponseTemplate::new(502), 1).await;
    respond_n(&server, "PATCH", ResponseTemplate::new(200).set_body_json(seed()), 1).await;
    client(&server, RetryPolicy::default())
        .chats()
        .update_responsible(chat_id(), &responsible())
        .retry_non_idempotent(true)
        .await
        .expect("second try works");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_server_that_always_fails_exhausts_the_configured_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let policy = RetryPolicy::default().max_attempts(4);
    let error = client(&server, policy).chats().get(chat_id()).await.expect_err("500");
    assert_eq!(error.attempts(), 4);
    assert_eq!(server.received_requests().await.expect("recorded").len(), 4);
    let Error::Api(api) = &error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!(api.status().as_u16(), 500);
    assert_eq!(api.text(), "boom");
    assert!(error.to_string().contains("after 4 attempts"), "{error}");

    // A per-call policy overrides the client's.
    let error = client(&server, RetryPolicy::default())
        .chats()
        .get(chat_id())
        .retry(RetryPolicy::never())
        .await
        .expect_err("500");
    assert_eq!(error.attempts(), 1);
}

#[tokio::test(start_paused = true)]
async fn backoff_grows_and_is_capped() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let policy = RetryPolicy::default()
        .max_attempts(5)
        .initial_backoff(Duration::from_secs(1))
        .max_backoff(Duration::from_secs(3))
        .jitter(false);
    let started = Instant::now();
    client(&server, policy).chats().get(chat_id()).await.expect_err("503");
    // 1 s, 2 s, then 4 s capped to 3 s, twice.
    assert_eq!(started.elapsed().as_secs(), 9);
}

/// A server that accepts connections and never answers.
async fn silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let listener = listener.into_std().expect("std listener");
        listener.set_nonblocking(false).expect("blocking");
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept() {
            held.push(stream);
        }
    });
    format!("http://{address}")
}

#[tokio::test(start_paused = true)]
async fn a_server_that_never_answers_times_out() {
    let base = silent_server().await;
    let http = wegly::reqwest::Client::builder().pool_idle_timeout(None).build().expect("reqwest client");
    let client = Client::builder(TOKEN)
        .base_url(&base)
        .http_client(http)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("builds");
    let started = Instant::now();
    let error = client.chats().get(chat_id()).await.expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.to_string().contains("timed out"), "{error}");
    assert_eq!(error.attempts(), 1, "the deadline leaves no time for a retry");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(300) && waited < Duration::from_secs(1), "waited {waited:?}");

    let started = Instant::now();
    let error =
        client.chats().get(chat_id()).timeout(Duration::from_millis(100)).await.expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(300), "the per-call timeout wins");
}

#[tokio::test]
async fn with_response_returns_status_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(seed()).insert_header("x-request-id", "abc-42"),
        )
        .mount(&server)
        .await;
    let response =
        client(&server, RetryPolicy::default()).chats().get(chat_id()).with_response().await.expect("ok");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id(), Some("abc-42"));
    assert_eq!(response.value().id, Some(chat_id()));
    assert_eq!(response.into_value().status, Some(wegly::models::ChatStatus::Open));
}

#[tokio::test]
async fn per_call_headers_are_sent_and_bad_ones_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed()))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::default());
    client.chats().get(chat_id()).header("x-trace", "t-1").await.expect("ok");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests[0].headers.get("x-trace").map(|v| v.as_bytes()), Some(&b"t-1"[..]));

    let error = client.chats().get(chat_id()).header("x-trace", "a\r\nx-evil: 1").await.expect_err("refused");
    assert!(matches!(error, Error::Request { .. }), "{error:?}");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1, "nothing more was sent");

    let error =
        Client::builder(TOKEN).base_url(server.uri()).header("x-team", "a\nb").build().expect_err("refused");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
}
