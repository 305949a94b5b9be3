//! Runs inside the generated `narrowing` fixture crate against a local HTTP server: properties
//! that an `allOf` part narrows with a type-less `enum` are enums of the narrowed values, and
//! a part that only annotates a property keeps the base's type, on the way in and out.

use fixture_narrowing::Client;
use fixture_narrowing::models::{Card, CardBrand, CardKind, CardLevel, Status};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn narrowed_properties_are_enums_of_the_narrowed_values() {
    let sent = json!({"kind": "card", "brand": "visa", "level": 2, "label": null, "code": "one", "status": "active"});
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/cards/c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sent.clone()))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/cards/c1"))
        .and(body_json(sent.clone()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("client");
    let card = client.cards().get("c1").await.expect("a card");
    assert_eq!(card.kind, CardKind::Card);
    assert_eq!(card.brand, Some(CardBrand::Visa));
    assert_eq!(card.level, Some(CardLevel::V2));
    // Only annotated: the base's `string`, now nullable. Mixed values: the base's `string` too.
    let label: Option<String> = card.label.clone();
    assert_eq!(label, None);
    assert_eq!(card.code.as_deref(), Some("one"));
    assert_eq!(card.status, Some(Status::Active));
    client.cards().put("c1", &card).await.expect("stored");

    let mut built = Card::new(CardKind::Card, None, Some("Travel".into()));
    built.level = Some(CardLevel::V3);
    assert_eq!(
        serde_json::to_value(&built).expect("encodes"),
        json!({"kind": "card", "brand": null, "level": 3, "label": "Travel"})
    );
    assert!(serde_json::from_value::<CardLevel>(json!(4)).is_ok(), "a response keeps values added later");
}
