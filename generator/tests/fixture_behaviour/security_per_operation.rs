//! Runs inside the generated `security_per_operation` fixture crate: exactly which credentials
//! each operation sends, by the spec's requirements and what the client was given.

use fixture_security_per_operation::{Client, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What one request carried: `Authorization`, `X-App-Id`, `Cookie`, and the query.
type Sent = (Option<String>, Option<String>, Option<String>, Option<String>);

async fn last_sent(server: &MockServer) -> Sent {
    let requests = server.received_requests().await.expect("recorded");
    let request = requests.last().expect("a request");
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    (header("authorization"), header("x-app-id"), header("cookie"), request.url.query().map(str::to_owned))
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[tokio::test]
async fn each_operation_sends_the_credentials_its_requirements_name() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer("t0k")
        .api_key("k3y")
        .app_id("app-1")
        .login("me")
        .session("s1d")
        .basic_auth("user", "pass")
        .build()
        .expect("client");
    let ops = client.default();

    ops.get().await.expect("sent");
    assert_eq!(last_sent(&server).await, (some("Bearer t0k"), None, None, None), "the document's requirement");
    client.public().get().await.expect("sent");
    assert_eq!(last_sent(&server).await, (None, None, None, None), "`security: []` sends nothing");
    client.either().get().await.expect("sent");
    assert_eq!(last_sent(&server).await, (some("Bearer t0k"), None, None, None), "the first alternative");
    client.both().get().session("abc").await.expect("sent");
    assert_eq!(
        last_sent(&server).await,
        (None, some("app-1"), some("login=me; session=abc"), some("api_key=k3y")),
        "all three schemes of one requirement, the cookie beside the cookie parameter"
    );
    client.optional().get().await.expect("sent");
    assert_eq!(last_sent(&server).await, (None, None, some("sid=s1d"), None));
    client.digest().get().await.expect("sent");
    assert_eq!(last_sent(&server).await, (some("Basic dXNlcjpwYXNz"), None, None, None), "digest is left out");
    assert!(!format!("{client:?}").contains("t0k"));
}

#[tokio::test]
async fn the_first_alternative_the_client_can_meet_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).api_key("k3y").build().expect("client");
    let ops = client.default();
    client.either().get().await.expect("sent");
    assert_eq!(last_sent(&server).await, (None, None, None, some("api_key=k3y")), "no bearer token: the API key");
    client.optional().get().await.expect("sent");
    assert_eq!(last_sent(&server).await, (None, None, None, None), "no session: sent without one");
    let sent = server.received_requests().await.expect("recorded").len();

    let error = ops.get().await.expect_err("no bearer token");
    assert!(matches!(error, Error::Request { .. }), "{error:?}");
    assert!(error.to_string().contains("the security scheme `bearer`; the client was given none"), "{error}");
    let error = client.both().get().await.expect_err("no app id");
    assert!(error.to_string().contains("`apiKey` and `appId` and `login`"), "{error}");
    assert_eq!(server.received_requests().await.expect("recorded").len(), sent, "nothing was sent");
}
