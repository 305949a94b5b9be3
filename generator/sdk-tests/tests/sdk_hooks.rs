//! Hooks and credential providers, against wiremock: what a hook adds reaches the server, a hook
//! that answers keeps the server out of it while the SDK decodes its answer as the server's,
//! `after` sees every attempt, a hook's answer is retried like the server's, a failing hook is an error that names it; a provider's credential
//! rotates without a new client, is fetched once for concurrent calls, is refreshed when it
//! expires and after a 401 (once), and a provider error is an error that says so.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use wegly::apis::chats::GetError;
use wegly::reqwest::StatusCode;
use wegly::{
    Answer, BoxError, Client, Credential, Error, Hook, HookOutcome, HookRequest, HookStage, RetryPolicy,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "hook-token-s3cr3t";
const CHAT: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

fn seed() -> Value {
    serde_json::from_str(include_str!("data/chat_detail.json")).expect("the seed example is JSON")
}

fn chat_id() -> uuid::Uuid {
    CHAT.parse().expect("a UUID")
}

fn quick() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(2))
        .jitter(false)
}

fn chat_path() -> String {
    format!("/integrations/external/chats/{CHAT}")
}

/// Adds `x-trace: <attempt>` to every attempt.
struct Trace;

impl Hook for Trace {
    async fn before(&self, request: &mut HookRequest<'_>) -> Result<Option<Answer>, BoxError> {
        let attempt = request.attempt().to_string().parse()?;
        request.headers_mut().insert("x-trace", attempt);
        Ok(None)
    }
}

#[tokio::test]
async fn a_header_a_hook_adds_reaches_the_server() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(chat_path()))
        .and(header("x-trace", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(TOKEN).base_url(server.uri()).hook(Trace).build().expect("client");
    let chat = client.chats().get(chat_id()).await.expect("the hook's header matched");
    assert_eq!(chat.id, Some(chat_id()));
}

/// A test double: answers every request itself with `status` and `body`.
struct Double {
    status: StatusCode,
    body: Value,
}

impl Hook for Double {
    fn name(&self) -> &str {
        "double"
    }

    async fn before(&self, request: &mut HookRequest<'_>) -> Result<Option<Answer>, BoxError> {
        assert_eq!(request.operation().id, "getChat");
        assert_eq!(request.url().path(), chat_path());
        Ok(Some(Answer::json(self.status, &self.body)?.header("x-request-id".parse()?, "double-1".parse()?)))
    }
}

#[tokio::test]
async fn a_hook_that_answers_keeps_the_server_out_and_its_answer_is_decoded() {
    let server = MockServer::start().await;
    let answering = |status, body| {
        Client::builder(TOKEN).base_url(server.uri()).hook(Double { status, body }).build().expect("client")
    };
    let response = answering(StatusCode::OK, seed())
        .chats()
        .get(chat_id())
        .with_response()
        .await
        .expect("the double's value");
    assert_eq!(response.value().id, Some(chat_id()));
    assert_eq!(response.request_ids(), ["double-1"]);

    let refusal = serde_json::json!({"message": "Chat não encontrado"});
    let error = answering(StatusCode::NOT_FOUND, refusal).chats().get(chat_id()).await.expect_err("a 404");
    match error.typed::<GetError>() {
        Some(GetError::NotFound(Ok(body))) => assert_eq!(body["message"], "Chat não encontrado"),
        other => panic!("not the typed 404: {other:?}"),
    }
    assert!(server.received_requests().await.expect("recorded").is_empty(), "the server saw a request");
}

/// Answers the first attempt with a 503 itself, and lets the retry through to the server.
struct FlakyFirst;

impl Hook for FlakyFirst {
    async fn before(&self, request: &mut HookRequest<'_>) -> Result<Option<Answer>, BoxError> {
        Ok((request.attempt() == 1).then(|| Answer::new(StatusCode::SERVICE_UNAVAILABLE)))
    }
}

#[tokio::test]
async fn a_hooks_answer_is_retried_by_the_same_rules() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed()))
        .expect(1)
        .mount(&server)
        .await;
    let record = Record::default();
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .retry(quick())
        .hook(FlakyFirst)
        .hook(record.clone())
        .build()
        .expect("client");
    let response = client.chats().get(chat_id()).with_response().await.expect("the retry reaches the server");
    assert_eq!(response.attempts(), 2);
    assert_eq!(*record.0.lock().expect("not poisoned"), [(1, Some(503)), (2, Some(200))]);
}

/// Records each attempt's number, status and whether it failed in transport.
#[derive(Default, Clone)]
struct Record(Arc<Mutex<Vec<Seen>>>);

/// An attempt's number and status (none after a transport error).
type Seen = (u32, Option<u16>);

impl Hook for Record {
    async fn after(&self, outcome: &HookOutcome<'_>) -> Result<(), BoxError> {
        assert!(outcome.headers().is_some() != outcome.error().is_some());
        self.0.lock().expect("not poisoned").push((outcome.attempt(), outcome.status().map(|s| s.as_u16())));
        Ok(())
    }
}

#[tokio::test]
async fn after_sees_every_attempt_of_a_retried_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(429)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed()))
        .mount(&server)
        .await;
    let record = Record::default();
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .retry(quick())
        .hook(Trace)
        .hook(record.clone())
        .build()
        .expect("client");
    client.chats().get(chat_id()).await.expect("the third attempt succeeds");
    assert_eq!(*record.0.lock().expect("not poisoned"), [(1, Some(503)), (2, Some(429)), (3, Some(200))]);
    let traces: Vec<String> = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|r| r.headers.get("x-trace").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned())
        .collect();
    assert_eq!(traces, ["1", "2", "3"], "before ran on every attempt, with its number");
}

#[tokio::test]
async fn after_sees_a_transport_error() {
    // A port nothing listens on: every attempt fails to connect.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    drop(listener);
    let record = Record::default();
    let client = Client::builder(TOKEN)
        .base_url(base)
        .retry(quick().max_attempts(2))
        .hook(record.clone())
        .build()
        .expect("client");
    let error = client.chats().get(chat_id()).await.expect_err("nothing listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(*record.0.lock().expect("not poisoned"), [(1, None), (2, None)]);
}

/// Fails in `before` or in `after`.
struct Broken(HookStage);

impl Hook for Broken {
    fn name(&self) -> &str {
        "broken"
    }

    async fn before(&self, _: &mut HookRequest<'_>) -> Result<Option<Answer>, BoxError> {
        match self.0 {
            HookStage::Before => Err("signing key missing".into()),
            _ => Ok(None),
        }
    }

    async fn after(&self, _: &HookOutcome<'_>) -> Result<(), BoxError> {
        match self.0 {
            HookStage::After => Err("metrics sink closed".into()),
            _ => Ok(()),
        }
    }
}

#[tokio::test]
async fn a_failing_hook_is_an_error_that_names_it_and_its_stage() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed()))
        .mount(&server)
        .await;
    for (stage, said) in [
        (HookStage::Before, "hook `broken` failed before the request: signing key missing"),
        (HookStage::After, "hook `broken` failed after the response: metrics sink closed"),
    ] {
        let client =
            Client::builder(TOKEN).base_url(server.uri()).hook(Broken(stage)).build().expect("client");
        let error = client.chats().get(chat_id()).await.expect_err("the hook fails");
        let Error::Hook(hook) = &error else { panic!("not a hook error: {error:?}") };
        assert_eq!((hook.hook(), hook.stage()), ("broken", stage));
        assert!(error.to_string().ends_with(said), "{error}");
        assert!(std::error::Error::source(&error).is_some());
    }
    // The failing `before` stopped its request; the failing `after` came after one.
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

/// A provider that hands out `token-1`, `token-2`, … and counts its calls.
fn rotating(calls: &Arc<AtomicU32>, valid_for: Option<Duration>) -> impl wegly::CredentialProvider {
    let calls = Arc::clone(calls);
    move || {
        let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            // Slow enough that concurrent calls overlap with this one.
            tokio::time::sleep(Duration::from_millis(20)).await;
            let credential = Credential::new(format!("token-{n}"));
            Ok::<_, BoxError>(match valid_for {
                Some(duration) => credential.valid_for(duration),
                None => credential,
            })
        }
    }
}

async fn bearers(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.expect("recorded");
    requests
        .iter()
        .map(|r| r.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn an_expired_credential_is_fetched_again_and_the_server_sees_it_rotate() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed()))
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicU32::new(0));
    // Expired as soon as it is fetched: every call needs a fresh one.
    let client = Client::with_credentials(rotating(&calls, Some(Duration::ZERO)))
        .base_url(server.uri())
        .build()
        .expect("client");
    for _ in 0..3 {
        client.chats().get(chat_id()).await.expect("a chat");
    }
    assert_eq!(bearers(&server).await, ["Bearer token-1", "Bearer token-2", "Bearer token-3"]);
    assert_eq!(calls.load(Ordering::SeqCst), 3);

    // One valid for an hour is kept.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed()))
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicU32::new(0));
    let client = Client::with_credentials(rotating(&calls, Some(Duration::from_secs(3600))))
        .base_url(server.uri())
        .build()
        .expect("client");
    for _ in 0..3 {
        client.chats().get(chat_id()).await.expect("a chat");
    }
    assert_eq!(bearers(&server).await, ["Bearer token-1"; 3]);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn concurrent_calls_ask_the_provider_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed()))
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicU32::new(0));
    let client =
        Client::with_credentials(rotating(&calls, None)).base_url(server.uri()).build().expect("client");
    let gets = (0..16).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.chats().get(chat_id()).await.map(|_| ()) })
    });
    for get in gets.collect::<Vec<_>>() {
        get.await.expect("the task ran").expect("a chat");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(bearers(&server).await, ["Bearer token-1"; 16]);
}

#[tokio::test]
async fn a_401_refreshes_the_credential_and_retries_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed()))
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let calls = Arc::new(AtomicU32::new(0));
    let client =
        Client::with_credentials(rotating(&calls, None)).base_url(server.uri()).build().expect("client");
    let response = client.chats().get(chat_id()).with_response().await.expect("the fresh token is accepted");
    assert_eq!(response.attempts(), 2);
    assert_eq!(bearers(&server).await, ["Bearer token-1", "Bearer token-2"]);

    // A server that refuses every credential gets one retry per call, not a loop.
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let calls = Arc::new(AtomicU32::new(0));
    let client =
        Client::with_credentials(rotating(&calls, None)).base_url(server.uri()).build().expect("client");
    let error = client.chats().get(chat_id()).await.expect_err("always refused");
    assert_eq!((error.status(), error.attempts()), (Some(StatusCode::UNAUTHORIZED), 2));
    assert!(matches!(error.typed::<GetError>(), Some(GetError::Unauthorized(_)) | Some(GetError::Other(_))));
    assert_eq!(bearers(&server).await, ["Bearer token-1", "Bearer token-2"]);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert!(!error.to_string().contains("token-"), "{error}");
}

#[tokio::test]
async fn a_provider_error_is_an_error_that_says_so() {
    let server = MockServer::start().await;
    let client =
        Client::with_credentials(|| async { Err::<Credential, BoxError>("vault unreachable".into()) })
            .base_url(server.uri())
            .build()
            .expect("client");
    let error = client.chats().get(chat_id()).await.expect_err("no credential");
    assert!(matches!(error, Error::Credential(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "getChat (GET /integrations/external/chats/{id}): no credential: vault unreachable"
    );
    // A secret HTTP headers cannot carry is refused without being shown.
    let client = Client::with_credentials(|| async { Ok::<_, BoxError>(Credential::new("bad\r\nsecret")) })
        .base_url(server.uri())
        .build()
        .expect("client");
    let error = client.chats().get(chat_id()).await.expect_err("refused");
    assert!(matches!(error, Error::Credential(_)) && !error.to_string().contains("secret"), "{error}");
    assert!(!format!("{client:?}").contains("secret"));
    assert!(server.received_requests().await.expect("recorded").is_empty());
}
