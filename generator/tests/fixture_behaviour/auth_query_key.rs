//! Runs inside the generated `auth_query_key` fixture crate: the API key goes in the query of
//! every request and stays out of `Debug` output and transport errors.

use fixture_auth_query_key::{Client, Error, RetryPolicy};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_key_travels_in_the_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/weather"))
        .and(query_param("city", "Recife"))
        .and(query_param("appid", "s3cret"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"celsius": 31.5}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("s3cret").base_url(server.uri()).build().expect("client");
    assert!(!format!("{client:?}").contains("s3cret"));
    let weather = client.weather().get("Recife").await.expect("weather");
    assert_eq!(weather.celsius, Some(31.5));
}

#[tokio::test]
async fn transport_errors_do_not_show_the_key() {
    // Nothing listens on this port: the connection is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = Client::builder("s3cret")
        .base_url(format!("http://{address}"))
        .retry(RetryPolicy::never())
        .build()
        .expect("client");
    let error = client.weather().get("Recife").await.expect_err("refused");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("s3cret"), "{error:?}");
}
