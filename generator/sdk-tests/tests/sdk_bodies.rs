//! Response bodies against a hostile or broken server: a body larger than the client's limit
//! fails (or, for an error, is cut) without being read whole, and a documented error status
//! selects its variant of the error enum even when its body is not the documented type.

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wegly::apis::chats::GetError;
use wegly::{Client, Error, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const CHAT: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

fn client(base_url: &str, limit: u64) -> Client {
    Client::builder("token")
        .base_url(base_url)
        .max_body_size(limit)
        .retry(RetryPolicy::never())
        .build()
        .expect("client")
}

async fn get_chat(client: &Client) -> Error {
    client.chats().get(CHAT.parse().expect("a UUID")).await.expect_err("the answer is refused")
}

/// A JSON body of `len` bytes: a string padded to length.
fn padded(len: usize) -> String {
    format!("{{\"name\": \"{}\"}}", "x".repeat(len - 12))
}

#[test]
fn the_default_limit_is_documented() {
    assert_eq!(Client::DEFAULT_MAX_BODY_SIZE, 16 * 1024 * 1024);
}

#[tokio::test]
async fn a_success_over_the_limit_with_content_length_is_refused() {
    let server = MockServer::start().await;
    let body = padded(2048);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    // Just under the limit, it decodes.
    let fits = client(&server.uri(), 2048).chats().get(CHAT.parse().expect("a UUID")).await;
    assert!(fits.is_ok(), "{fits:?}");
    let error = get_chat(&client(&server.uri(), 2047)).await;
    let Error::TooLarge(large) = &error else { panic!("expected Error::TooLarge, got {error:?}") };
    assert_eq!((large.limit(), large.status().as_u16(), large.attempts()), (2047, 200, 1));
    let message = error.to_string();
    assert!(message.starts_with("getChat (GET /integrations/external/chats/{id})"), "{message}");
    assert!(message.contains("larger than the client's limit of 2047 bytes"), "{message}");
    assert!(!error.is_retryable());
}

/// A server that answers every connection with a 200 whose chunked body never ends, and
/// reports how many bytes it managed to write before the client hung up.
async fn endless_server() -> (String, tokio::task::JoinHandle<u64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("an address");
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.expect("writes the head");
        let chunk = format!("400\r\n{}\r\n", "x".repeat(0x400));
        let mut written = 0u64;
        while socket.write_all(chunk.as_bytes()).await.is_ok() {
            written += 0x400;
        }
        written
    });
    (format!("http://{address}"), task)
}

#[tokio::test]
async fn a_success_without_content_length_stops_at_the_limit() {
    // The body never ends: only a client that stops reading at the limit gets an answer.
    let (url, server) = endless_server().await;
    let error = get_chat(&client(&url, 64 * 1024)).await;
    let Error::TooLarge(large) = &error else { panic!("expected Error::TooLarge, got {error:?}") };
    assert_eq!(large.limit(), 64 * 1024);
    drop(error);
    let written = server.await.expect("the server ends when the client hangs up");
    assert!(written >= 64 * 1024, "the server wrote {written} bytes");
}

#[tokio::test]
async fn an_error_body_over_the_limit_is_kept_cut_at_the_limit() {
    let server = MockServer::start().await;
    let body = format!("<html>{}</html>", "proxy error ".repeat(500));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(body.clone(), "text/html"))
        .mount(&server)
        .await;
    let error = get_chat(&client(&server.uri(), 1000)).await;
    let Error::Api(api) = &error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!(api.status().as_u16(), 502);
    assert!(api.is_cut());
    assert_eq!(api.body(), &body.as_bytes()[..1000]);
    let message = error.to_string();
    assert!(message.contains("502 Bad Gateway") && message.contains("cut"), "{message}");
    // Display quotes no more than an excerpt of it.
    assert!(message.len() < 500, "{} characters: {message}", message.len());
    assert!(error.is_retryable(), "502 is still retried by status");
    // The documented `5XX` still selects its variant, with the cut body.
    match error.typed::<GetError>() {
        Some(GetError::ServerError(Err(undecoded))) => {
            assert!(undecoded.is_cut() && undecoded.body().len() == 1000)
        }
        other => panic!("a 502 should be ServerError(Err), got {other:?}"),
    }
}

#[tokio::test]
async fn a_documented_status_selects_its_variant_when_the_body_does_not_decode() {
    let server = MockServer::start().await;
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .mount(&server)
        .await;
    let error = get_chat(&client(&server.uri(), 1 << 20)).await;
    match error.typed::<GetError>() {
        Some(GetError::ServerError(Err(undecoded))) => {
            assert_eq!(undecoded.text(), html);
            assert!(!undecoded.is_cut());
            assert!(undecoded.to_string().contains("not the documented type"), "{undecoded}");
        }
        other => panic!("an HTML 502 should be ServerError(Err), got {other:?}"),
    }
    // A body that is the documented type decodes into the same variant.
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"message": "down"})))
        .mount(&server)
        .await;
    let error = get_chat(&client(&server.uri(), 1 << 20)).await;
    match error.typed::<GetError>() {
        Some(GetError::ServerError(Ok(body))) => assert_eq!(body.get("message"), Some(&json!("down"))),
        other => panic!("a JSON 503 should be ServerError(Ok), got {other:?}"),
    }
}
