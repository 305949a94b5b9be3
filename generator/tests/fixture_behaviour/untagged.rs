//! Runs inside the generated `untagged` fixture crate against a local HTTP server: operations
//! without tags are reached through the group of their path's first meaningful segment.

use fixture_untagged::Client;
use fixture_untagged::models::Customer;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn untagged_operations_are_grouped_by_path() {
    let server = MockServer::start().await;
    let respond = |status, body: serde_json::Value| ResponseTemplate::new(status).set_body_json(body);
    for (verb, route, response) in [
        ("GET", "/api/v1/customers", respond(200, json!([{"id": "c1"}]))),
        ("POST", "/api/v1/customers", respond(201, json!({"id": "c2"}))),
        ("GET", "/api/v1/customers/c1", respond(200, json!({"id": "c1", "name": "Ana"}))),
        ("GET", "/api/v1/customers/c1/sources", respond(200, json!(["card"]))),
        ("GET", "/api/v1/customers/c1/notes", ResponseTemplate::new(204)),
        ("GET", "/v2beta/payment-intents", ResponseTemplate::new(204)),
        ("GET", "/2024-01-01/health", ResponseTemplate::new(204)),
        ("GET", "/", ResponseTemplate::new(204)),
        ("POST", "/url/shorten", ResponseTemplate::new(204)),
        ("GET", "/v1/x1", ResponseTemplate::new(204)),
    ] {
        Mock::given(method(verb)).and(path(route)).respond_with(response).expect(1).mount(&server).await;
    }
    let client = Client::builder().base_url(server.uri()).build().expect("client");
    assert_eq!(client.customers().list().await.expect("listed").len(), 1);
    let created = client.customers().create(&Customer::new()).await.expect("created");
    assert_eq!(created.id.as_deref(), Some("c2"));
    assert_eq!(client.customers().get("c1").await.expect("got").name.as_deref(), Some("Ana"));
    assert_eq!(client.customers().list_sources("c1").await.expect("sources"), ["card"]);
    // A tagged operation stays in its tag's group, whatever its path.
    client.notes().list_customer("c1").await.expect("notes");
    client.payment_intents().list().await.expect("intents");
    client.health().get_2024_01_01().await.expect("health");
    // `url` is a method of the client already.
    client.url_2().shorten().await.expect("shortened");
    // No meaningful segment: `default`.
    client.default().root().await.expect("root");
    client.default().lookup("x1").await.expect("lookup");
}
