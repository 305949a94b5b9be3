//! Runs inside the generated `media_types` fixture crate against a local HTTP server: form,
//! text and byte bodies go out with their content types, text and byte responses are asked for
//! by their media types (`Accept`) and come back as they were sent.

use fixture_media_types::models::{CreateTokenRequest, CreateTokenRequestGrantType};
use fixture_media_types::{Client, Error};
use wiremock::matchers::{body_bytes, body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().expect("client")
}

#[tokio::test]
async fn form_bodies_are_url_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials&scope=read+all&scope=write%2Fme"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"access_token":"abc"}"#, "application/octet-stream"))
        .expect(1)
        .mount(&server)
        .await;
    let mut body = CreateTokenRequest::new(CreateTokenRequestGrantType::ClientCredentials);
    body.scope = Some(vec!["read all".into(), "write/me".into()]);
    let token = client(&server).await.oauth().create_token(&body).await.expect("token");
    assert_eq!(token.access_token.as_deref(), Some("abc"));
}

#[tokio::test]
async fn bytes_go_and_come_back_unchanged() {
    let server = MockServer::start().await;
    let bytes: &[u8] = &[0, 159, 146, 150, 255];
    Mock::given(method("PUT"))
        .and(path("/files/a.bin"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_bytes(bytes))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/a.bin"))
        .and(|request: &wiremock::Request| {
            request.headers.get("accept").and_then(|v| v.to_str().ok()) == Some("application/pdf, image/png")
        })
        .respond_with(ResponseTemplate::new(200).set_body_raw(bytes, "application/pdf"))
        .mount(&server)
        .await;
    let client = client(&server).await;
    client.files().upload("a.bin", bytes.to_vec()).await.expect("uploaded");
    // A `format: binary` response is streamed.
    let mut download = client.files().download("a.bin").await.expect("downloaded");
    let mut back = Vec::new();
    while let Some(chunk) = download.next_chunk().await {
        back.extend_from_slice(&chunk.expect("a chunk"));
    }
    assert_eq!(back, bytes);
}

#[tokio::test]
async fn text_bodies_and_responses() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .and(header("content-type", "text/markdown"))
        .and(header("accept", "text/html"))
        .and(body_string("# Olá"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<h1>Olá</h1>", "text/html"))
        .mount(&server)
        .await;
    let html = client(&server).await.notes().render(Some("# Olá".to_owned())).await.expect("html");
    assert_eq!(html, "<h1>Olá</h1>");
}

#[tokio::test]
async fn text_that_is_not_utf8_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0xff, 0xfe], "text/html"))
        .mount(&server)
        .await;
    match client(&server).await.notes().render(None).await {
        Err(Error::Decode(error)) => assert_eq!(error.body(), &[0xff, 0xfe]),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn json_is_preferred_among_several_media_types() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .and(header("content-type", "application/json"))
        .and(body_string(r#"{"name":"x"}"#))
        .respond_with(ResponseTemplate::new(201).set_body_raw(r#"{"name":"x"}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let mut thing = fixture_media_types::models::Thing::new();
    thing.name = Some("x".into());
    let created = client(&server).await.things().create(&thing).await.expect("created");
    assert_eq!(created, thing);
}
