//! Runs inside the generated `auth_header_key` fixture crate: the API key goes in its header.

use fixture_auth_header_key::Client;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_key_travels_in_its_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/ping"))
        .and(header("x-api-key", "s3cret"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("s3cret").base_url(server.uri()).build().expect("client");
    client.ping().ping().await.expect("pong");
    assert!(Client::new("bad\nkey").is_err(), "a key with a newline is refused");
}
