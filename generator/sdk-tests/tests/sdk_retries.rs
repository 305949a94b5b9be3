//! Time and retries: one deadline per call over every attempt and wait, a limit per attempt,
//! which failures are retried for which methods, the client's retry budget, and what an error
//! says about the attempts behind it.
//!
//! Tests that wait run on tokio's paused clock against servers that never answer (or never
//! accept), so only the client's own timers move time. Tests against a server that does
//! answer run on the real clock with millisecond backoffs: on a paused clock, a pending
//! deadline timer would be jumped to while the answer is still on its way.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;
use wegly::models::{CreateChatRequest, UpdateChatResponsibleRequest};
use wegly::{Client, Error, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "retry-token-s3cr3t";
const CHAT: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

fn seed() -> Value {
    serde_json::from_str(include_str!("data/chat_detail.json")).expect("the seed example is JSON")
}

fn chat_id() -> uuid::Uuid {
    CHAT.parse().expect("a UUID")
}

fn responsible() -> UpdateChatResponsibleRequest {
    UpdateChatResponsibleRequest::new(chat_id())
}

/// Backoffs of a millisecond, without jitter, so real-clock tests do not wait.
fn quick() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(2))
        .jitter(false)
}

/// A client whose connection pool sets no timers, so a paused clock only moves for the
/// client's own waits.
fn builder(base: &str) -> wegly::ClientBuilder {
    let http = wegly::reqwest::Client::builder().pool_idle_timeout(None).build().expect("reqwest client");
    Client::builder(TOKEN).base_url(base).http_client(http)
}

async fn respond_n(server: &MockServer, verb: &str, response: ResponseTemplate, times: u64) {
    Mock::given(method(verb)).respond_with(response).up_to_n_times(times).mount(server).await;
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.expect("recorded").len()
}

/// A server that accepts connections and never answers.
fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept() {
            held.push(stream);
        }
    });
    format!("http://{address}")
}

/// An address where nothing listens: connections to it are refused.
fn refusing_address() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let address = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{address}")
}

/// A server that answers the n-th connection with the n-th of `answers` (the last one again
/// after that) and then closes it; it counts the requests it read.
fn scripted_server(answers: Vec<Vec<u8>>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let address = listener.local_addr().expect("address");
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    std::thread::spawn(move || {
        while let Ok((mut stream, _)) = listener.accept() {
            read_request(&mut stream);
            let n = counted.fetch_add(1, Ordering::SeqCst);
            let answer = &answers[n.min(answers.len() - 1)];
            let _ = stream.write_all(answer);
            let _ = stream.flush();
        }
    });
    (format!("http://{address}"), count)
}

/// Reads one request's head and its `content-length` bytes of body.
fn read_request(stream: &mut std::net::TcpStream) {
    let mut seen = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        let Ok(read) = stream.read(&mut buffer) else { return };
        if read == 0 {
            return;
        }
        seen.extend_from_slice(&buffer[..read]);
        let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0);
        if seen.len() >= end + 4 + length {
            return;
        }
    }
}

/// A 200 whose body promises 1000 bytes and breaks off after a few.
fn broken_body() -> Vec<u8> {
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\nconnection: close\r\n\r\n{\"id\":"
        .to_vec()
}

fn chat_answer() -> Vec<u8> {
    let body = seed().to_string();
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    [head.into_bytes(), body.into_bytes()].concat()
}

// ---- Time ----

#[tokio::test]
async fn a_retry_after_past_the_deadline_fails_at_once_with_the_servers_answer() {
    let server = MockServer::start().await;
    respond_n(&server, "GET", ResponseTemplate::new(429).insert_header("retry-after", "1"), 1).await;
    respond_n(&server, "GET", ResponseTemplate::new(200).set_body_json(seed()), 1).await;
    let client = builder(&server.uri()).build().expect("builds");
    let error =
        client.chats().get(chat_id()).timeout(Duration::from_millis(500)).await.expect_err("no time to wait");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429), "{error:?}");
    assert_eq!(error.attempts(), 1);
    assert!(error.is_retryable(), "it would have been retried with more time");
    assert_eq!(received(&server).await, 1, "the server was not asked again");

    // The same holds for the client's own deadline and a server that asks for a minute.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "60"))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).timeout(Duration::from_secs(2)).build().expect("builds");
    let error = client.chats().get(chat_id()).await.expect_err("no time to wait");
    assert_eq!((error.status().map(|s| s.as_u16()), error.attempts()), (Some(503), 1));

    // A wait too long to represent ends past any deadline, and nothing overflows.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", u64::MAX.to_string().as_str()))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .retry(RetryPolicy::default().max_retry_after(Duration::MAX))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("builds");
    let error = client.chats().get(chat_id()).await.expect_err("no time to wait");
    assert_eq!((error.status().map(|s| s.as_u16()), error.attempts()), (Some(503), 1));
}

#[tokio::test(start_paused = true)]
async fn a_client_without_a_timeout_gives_up_after_the_default_deadline() {
    assert_eq!(Client::DEFAULT_TIMEOUT, Duration::from_secs(60));
    let client = builder(&silent_server()).build().expect("builds");
    let started = Instant::now();
    let call = client.chats().get(chat_id());
    let error = tokio::time::timeout(Duration::from_secs(600), call)
        .await
        .expect("the call ends by itself")
        .expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(started.elapsed(), Client::DEFAULT_TIMEOUT);
    assert_eq!(error.attempts(), 1, "no time was left for a retry");
}

#[tokio::test(start_paused = true)]
async fn the_deadline_covers_every_attempt_and_backoff() {
    let client = builder(&silent_server())
        .retry(RetryPolicy::default().jitter(false))
        .attempt_timeout(Duration::from_secs(1))
        .timeout(Duration::from_millis(2200))
        .build()
        .expect("builds");
    let started = Instant::now();
    let error = client.chats().get(chat_id()).await.expect_err("times out");
    // 1 s, 0.5 s of backoff, then the 0.7 s left: the 1 s backoff after it would pass the deadline.
    assert_eq!(started.elapsed(), Duration::from_millis(2200));
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.attempts(), 2);
}

#[tokio::test(start_paused = true)]
async fn attempt_timeouts_are_retried_for_a_get_and_set_per_call() {
    let client =
        builder(&silent_server()).retry(RetryPolicy::default().jitter(false)).build().expect("builds");
    let started = Instant::now();
    let error =
        client.chats().get(chat_id()).attempt_timeout(Duration::from_secs(1)).await.expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.attempts(), 3);
    assert!(error.is_retryable());
    // Three 1 s attempts, 0.5 s and 1 s of backoff.
    assert_eq!(started.elapsed(), Duration::from_millis(4500));
}

// ---- Which failures are retried, for which methods ----

#[tokio::test(start_paused = true)]
async fn a_timeout_is_not_retried_for_post_or_patch_without_a_key() {
    let client = builder(&silent_server())
        .retry(RetryPolicy::default().jitter(false))
        .attempt_timeout(Duration::from_secs(1))
        .build()
        .expect("builds");
    let error = client.chats().update_responsible(chat_id(), &responsible()).await.expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.attempts(), 1);
    assert!(!error.is_retryable(), "the server may have acted on the PATCH");
    let error = client.chats().create(&CreateChatRequest::new()).await.expect_err("times out");
    assert_eq!((error.attempts(), error.is_retryable()), (1, false));

    let error = client
        .chats()
        .update_responsible(chat_id(), &responsible())
        .idempotency_key("k-1")
        .await
        .expect_err("times out");
    assert_eq!((error.attempts(), error.is_retryable()), (3, true), "a key makes the PATCH safe to repeat");
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_retried_for_every_method() {
    let client = builder(&refusing_address())
        .retry(RetryPolicy::default().jitter(false))
        // No deadline timer: on the paused clock it could fire before the refusal arrives.
        .timeout(Duration::MAX)
        .build()
        .expect("builds");
    let started = Instant::now();
    let error = client.chats().update_responsible(chat_id(), &responsible()).await.expect_err("refused");
    let Error::Transport(transport) = &error else { panic!("expected a transport error, got {error:?}") };
    assert!(transport.is_connect(), "{error:?}");
    assert_eq!(error.attempts(), 3, "nothing was sent, so even a PATCH is retried");
    assert!(error.is_retryable());
    assert_eq!(started.elapsed(), Duration::from_millis(1500));
    let error = client.chats().create(&CreateChatRequest::new()).await.expect_err("refused");
    assert_eq!(error.attempts(), 3);
    let error = client.chats().get(chat_id()).await.expect_err("refused");
    assert_eq!(error.attempts(), 3);
}

#[tokio::test]
async fn a_broken_body_is_retried_for_a_get_only() {
    let (base, requests) = scripted_server(vec![broken_body(), chat_answer()]);
    let client = builder(&base).retry(quick()).build().expect("builds");
    let response = client.chats().get(chat_id()).with_response().await.expect("the second try works");
    assert_eq!(response.attempts(), 2);
    assert_eq!(response.value().id, Some(chat_id()));
    assert_eq!(requests.load(Ordering::SeqCst), 2);

    let (base, requests) = scripted_server(vec![broken_body()]);
    let client = builder(&base).retry(quick()).build().expect("builds");
    let error = client.chats().update_responsible(chat_id(), &responsible()).await.expect_err("broken");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!((error.attempts(), error.is_retryable()), (1, false));
    assert_eq!(requests.load(Ordering::SeqCst), 1, "the PATCH was sent once");
    let error = client.chats().get(chat_id()).await.expect_err("broken every time");
    assert_eq!((error.attempts(), error.is_retryable()), (3, true));
    assert_eq!(requests.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_conflict_is_not_retried_unless_the_policy_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(409)).mount(&server).await;
    let client = builder(&server.uri()).retry(quick()).build().expect("builds");
    let error = client.chats().remove_participant(chat_id(), chat_id()).await.expect_err("409");
    assert_eq!((error.status().map(|s| s.as_u16()), error.attempts()), (Some(409), 1));
    assert!(!error.is_retryable());
    assert_eq!(received(&server).await, 1);

    let error = client
        .chats()
        .remove_participant(chat_id(), chat_id())
        .retry(quick().retry_on_status(409))
        .await
        .expect_err("409");
    assert_eq!((error.attempts(), error.is_retryable()), (3, true));
    assert_eq!(received(&server).await, 4);
}

#[tokio::test]
async fn statuses_that_a_retry_cannot_cure_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(501)).mount(&server).await;
    let client = builder(&server.uri()).retry(quick()).build().expect("builds");
    let error = client.chats().get(chat_id()).await.expect_err("501");
    assert_eq!((error.attempts(), error.is_retryable()), (1, false));
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(429)).mount(&server).await;
    let error = builder(&server.uri())
        .retry(quick().no_retry_on_status(429))
        .build()
        .expect("builds")
        .chats()
        .get(chat_id())
        .await
        .expect_err("429");
    assert_eq!((error.attempts(), error.is_retryable()), (1, false));
}

// ---- The retry budget ----

#[tokio::test]
async fn the_default_budget_stops_retrying_a_server_that_keeps_failing() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = builder(&server.uri()).retry(quick()).build().expect("builds");
    let mut attempts = Vec::new();
    for _ in 0..60 {
        let error = client.chats().get(chat_id()).await.expect_err("503");
        assert!(error.is_retryable());
        attempts.push(error.attempts());
    }
    // 500 tokens at 5 a retry: 50 calls get their 2 retries, the last 10 are sent once.
    assert_eq!(attempts.iter().filter(|n| **n == 3).count(), 50, "{attempts:?}");
    assert!(attempts[50..].iter().all(|n| *n == 1), "{attempts:?}");
    assert_eq!(received(&server).await, 160);
    // Clones share the budget.
    assert_eq!(client.clone().chats().get(chat_id()).await.expect_err("503").attempts(), 1);
}

#[tokio::test]
async fn a_success_gives_back_what_its_retries_took() {
    let server = MockServer::start().await;
    respond_n(&server, "GET", ResponseTemplate::new(503), 1).await;
    respond_n(&server, "GET", ResponseTemplate::new(200).set_body_json(seed()), 1).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = builder(&server.uri()).retry(quick()).retry_budget(10).build().expect("builds");
    let response = client.chats().get(chat_id()).with_response().await.expect("the retry works");
    assert_eq!(response.attempts(), 2);
    // The 5 tokens came back, so the next call can retry twice and empties the budget.
    assert_eq!(client.chats().get(chat_id()).await.expect_err("503").attempts(), 3);
    assert_eq!(client.chats().get(chat_id()).await.expect_err("503").attempts(), 1);
    assert_eq!(received(&server).await, 6);

    let none = builder(&server.uri()).retry(quick()).retry_budget(0).build().expect("builds");
    assert_eq!(none.chats().get(chat_id()).await.expect_err("503").attempts(), 1);
}

// ---- What errors and responses tell ----

#[tokio::test]
async fn a_decode_error_after_retries_counts_every_attempt_and_keeps_every_request_id() {
    let server = MockServer::start().await;
    respond_n(&server, "GET", ResponseTemplate::new(503).insert_header("x-request-id", "r-1"), 1).await;
    respond_n(&server, "GET", ResponseTemplate::new(502).insert_header("x-request-id", "r-2"), 1).await;
    let bad = ResponseTemplate::new(200).insert_header("x-request-id", "r-3").set_body_string("{\"id\": 7}");
    respond_n(&server, "GET", bad, 1).await;
    let client = builder(&server.uri()).retry(quick()).build().expect("builds");
    let error = client.chats().get(chat_id()).await.expect_err("does not decode");
    let Error::Decode(decode) = &error else { panic!("expected a decode error, got {error:?}") };
    assert_eq!(error.attempts(), 3);
    assert_eq!(decode.attempts(), 3);
    assert_eq!(error.request_ids(), ["r-1", "r-2", "r-3"]);
    assert_eq!(error.request_id(), Some("r-3"));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn every_attempts_request_id_is_kept() {
    let server = MockServer::start().await;
    respond_n(&server, "GET", ResponseTemplate::new(503).insert_header("x-request-id", "a"), 1).await;
    respond_n(&server, "GET", ResponseTemplate::new(500), 1).await;
    respond_n(&server, "GET", ResponseTemplate::new(500).insert_header("x-request-id", "c"), 1).await;
    respond_n(&server, "GET", ResponseTemplate::new(503).insert_header("x-request-id", "d"), 1).await;
    let ok = ResponseTemplate::new(200).set_body_json(seed()).insert_header("x-request-id", "e");
    respond_n(&server, "GET", ok, 1).await;
    let client = builder(&server.uri()).retry(quick()).build().expect("builds");
    let error = client.chats().get(chat_id()).await.expect_err("500");
    let Error::Api(api) = &error else { panic!("expected an API error, got {error:?}") };
    assert_eq!(error.request_ids(), ["a", "c"], "the answer without an id adds none");
    assert_eq!(api.request_ids(), ["a", "c"]);
    assert_eq!(error.request_id(), Some("c"));
    assert_eq!(api.attempts(), 3);
    let response = client.chats().get(chat_id()).with_response().await.expect("the retry works");
    assert_eq!(response.request_ids(), ["d", "e"]);
    assert_eq!(response.request_id(), Some("e"));
    assert_eq!(response.attempts(), 2);
}

#[tokio::test]
async fn errors_that_were_never_sent_or_cannot_be_cured_are_not_retryable() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = builder(&server.uri()).retry(quick()).build().expect("builds");
    let error = client.chats().get(chat_id()).await.expect_err("404");
    assert_eq!((error.attempts(), error.is_retryable()), (1, false));
    let error = client.chats().update_responsible(chat_id(), &responsible()).await.expect_err("503");
    assert_eq!((error.attempts(), error.is_retryable()), (1, false), "a PATCH is not repeated");
    let error = client.chats().get(chat_id()).header("x-bad", "a\nb").await.expect_err("refused");
    assert!(matches!(error, Error::Request { .. }));
    assert_eq!((error.attempts(), error.is_retryable(), error.request_ids().len()), (0, false, 0));
    let error = Client::builder(TOKEN).base_url("ftp://example.com").build().expect_err("refused");
    assert_eq!((error.attempts(), error.is_retryable()), (0, false));
}
