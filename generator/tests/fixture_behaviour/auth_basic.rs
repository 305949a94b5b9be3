//! Runs inside the generated `auth_basic` fixture crate: the user name and password travel as
//! HTTP basic credentials, and stay out of `Debug` output.

use fixture_auth_basic::Client;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn credentials_travel_as_http_basic() {
    let server = MockServer::start().await;
    // base64("ana:s3cret ç") per RFC 7617, UTF-8.
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", "Basic YW5hOnMzY3JldCDDpw=="))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"name":"Ana"}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("ana", "s3cret ç").base_url(server.uri()).build().expect("client");
    assert!(!format!("{client:?}").contains("s3cret"));
    let me = client.me().get().await.expect("me");
    assert_eq!(me.name.as_deref(), Some("Ana"));
}
