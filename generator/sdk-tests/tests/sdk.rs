//! The generated `wegly` crate against a local HTTP server (wiremock): what goes on the wire,
//! what comes back, and what happens when the server misbehaves.

use serde_json::{Value, json};
use wegly::models::{ChatPriority, ChatStatus, ChatType, MessageType, ReactionActor};
use wegly::{Client, Error, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token-5ecret";
const CHAT: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const USER: &str = "0b7f1d3e-6a52-4c1e-9d0f-2a3b4c5d6e7f";

fn seed() -> Value {
    serde_json::from_str(include_str!("data/chat_detail.json")).expect("the seed example is JSON")
}

fn uuid(text: &str) -> uuid::Uuid {
    text.parse().expect("a valid UUID")
}

fn client(server: &MockServer) -> Client {
    Client::builder(TOKEN).base_url(server.uri()).build().expect("client builds")
}

/// A server that answers every GET with `response`.
async fn serve(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(response).mount(&server).await;
    server
}

async fn get_with_body(body: Value) -> Result<wegly::models::ChatDetail, Error> {
    let server = serve(ResponseTemplate::new(200).set_body_json(body)).await;
    client(&server).chats().get(uuid(CHAT)).await
}

#[tokio::test]
async fn get_sends_method_path_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/integrations/external/chats/{CHAT}")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/json"))
        .and(header("user-agent", concat!("wegly/", "0.1.0")))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed()))
        .expect(1)
        .mount(&server)
        .await;
    let chat = client(&server).chats().get(uuid(CHAT)).await.expect("decodes");
    assert_eq!(chat.id, Some(uuid(CHAT)));
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    assert!(requests[0].headers.get("origin").is_none(), "no Origin unless configured");
    assert!(requests[0].body.is_empty());
}

#[tokio::test]
async fn remove_participant_sends_delete_with_origin_when_configured() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/integrations/external/chats/{CHAT}/participants/{USER}")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("origin", "https://crm.example.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .origin("https://crm.example.com")
        .build()
        .expect("client builds");
    let chat = client.chats().remove_participant(uuid(CHAT), uuid(USER)).await.expect("decodes");
    assert_eq!(chat.status, Some(ChatStatus::Open));
}

#[tokio::test]
async fn the_seed_example_decodes_to_its_values() {
    let chat = get_with_body(seed()).await.expect("decodes");
    assert_eq!(chat.status, Some(ChatStatus::Open));
    assert_eq!(chat.chat_type, Some(ChatType::Individual));
    assert_eq!(chat.priority, Some(ChatPriority::Low));
    assert_eq!(chat.unread_count, Some(123));
    assert_eq!(chat.archived_at.map(|t| t.to_rfc3339()), Some("2023-11-07T05:31:56+00:00".to_owned()));
    let message = chat.last_message.as_ref().expect("last_message");
    assert_eq!(message.r#type, Some(MessageType::Text));
    assert_eq!(message.from_me, Some(true));
    let reaction = &message.reactions.as_ref().expect("reactions")[0];
    assert_eq!(reaction.actor, Some(ReactionActor::Contact));
    assert_eq!(message.call.as_ref().and_then(|c| c.duration_ms), Some(123));
    let quoted = message.quoted_message.as_ref().expect("quoted_message is a message");
    assert_eq!(quoted.page, Some(2));
    assert_eq!(quoted.media.as_ref().and_then(|m| m.is_downloaded), Some(true));
    assert_eq!(message.crm_marketing_lead_source.as_ref().map(Vec::len), Some(1));
    assert_eq!(chat.participants.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        chat.assigned_agent.as_ref().and_then(|a| a.user.as_ref()).and_then(|u| u.name.as_deref()),
        Some("<string>")
    );
    let person = chat.crm_person.as_ref().expect("crm_person");
    assert_eq!(person.birth_date.map(|d| d.to_string()), Some("2023-12-25".to_owned()));
    assert_eq!(person.address.as_ref().and_then(|a| a.postal_code.as_deref()), Some("<string>"));
    assert_eq!(chat.assignable_agents.as_ref().map(|a| a[0].status.as_deref()), Some(Some("<string>")));
    // Re-serializing gives back the same JSON.
    assert_eq!(serde_json::to_value(&chat).expect("serializes"), seed());
}

/// Replaces every property value at every depth by `null`, keeping objects that hold others.
fn null_leaves(value: &mut Value) {
    match value {
        Value::Object(map) => map.values_mut().for_each(|v| match v {
            Value::Object(inner) if !inner.is_empty() => null_leaves(v),
            Value::Array(items) => items.iter_mut().for_each(null_leaves),
            _ => *v = Value::Null,
        }),
        Value::Array(items) => items.iter_mut().for_each(null_leaves),
        _ => {}
    }
}

/// Removes every scalar property at every depth.
fn drop_leaves(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| v.is_object() || v.is_array());
            map.values_mut().for_each(drop_leaves);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_leaves),
        _ => {}
    }
}

#[tokio::test]
async fn null_and_absent_fields_never_fail_a_chat() {
    let mut top_null = seed();
    top_null.as_object_mut().expect("object").values_mut().for_each(|v| *v = Value::Null);
    let chat = get_with_body(top_null).await.expect("all top-level null decodes");
    assert_eq!(chat, wegly::models::ChatDetail::default());

    let mut leaves_null = seed();
    null_leaves(&mut leaves_null);
    let chat = get_with_body(leaves_null).await.expect("null leaves decode");
    let message = chat.last_message.expect("objects are kept");
    assert_eq!(message.status, None);
    assert_eq!(message.quoted_message.and_then(|q| q.page), None);

    let chat = get_with_body(json!({})).await.expect("an empty object decodes");
    assert_eq!(chat, wegly::models::ChatDetail::default());

    let mut no_leaves = seed();
    drop_leaves(&mut no_leaves);
    let chat = get_with_body(no_leaves).await.expect("absent leaves decode");
    assert_eq!(chat.crm_person.and_then(|p| p.address).and_then(|a| a.city), None);
}

#[tokio::test]
async fn unknown_enum_values_and_fields_are_kept_or_ignored() {
    let mut body = seed();
    body["status"] = json!("ARCHIVED");
    body["priority"] = json!(7);
    body["last_message"]["type"] = json!("image");
    body["last_message"]["call"]["direction"] = json!("OUTBOUND");
    body["brand_new_field"] = json!({"nested": [1, 2]});
    let chat = get_with_body(body).await.expect("decodes");
    assert_eq!(chat.status, Some(ChatStatus::Unknown("ARCHIVED".to_owned())));
    assert_eq!(chat.priority, Some(ChatPriority::Unknown(7)));
    let message = chat.last_message.expect("last_message");
    assert_eq!(message.r#type, Some(MessageType::Unknown("image".to_owned())));
    assert_eq!(message.call.and_then(|c| c.direction).map(|d| d.to_string()), Some("OUTBOUND".to_owned()));
    let status = serde_json::to_value(ChatStatus::Unknown("ARCHIVED".to_owned())).expect("serializes");
    assert_eq!(status, json!("ARCHIVED"));
}

#[tokio::test]
async fn error_statuses_become_api_errors_with_status_and_body() {
    for status in [401u16, 403, 404, 409, 422, 429, 500] {
        let body = json!({"message": format!("refused with {status}")});
        let server = MockServer::start().await;
        Mock::given(method("DELETE"))
            .respond_with(
                ResponseTemplate::new(status).set_body_json(&body).insert_header("x-request-id", "req-1"),
            )
            .mount(&server)
            .await;
        let error =
            client(&server).chats().remove_participant(uuid(CHAT), uuid(USER)).await.expect_err("fails");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        let Error::Api(api) = &error else { panic!("{status}: expected Error::Api, got {error:?}") };
        assert_eq!(api.json(), Some(&body));
        // The docs list `ErrorBody` for these statuses; `decode` reads the body as it.
        let decoded: wegly::models::ErrorBody = api.decode().expect("an ErrorBody");
        assert_eq!(decoded.get("message"), body.get("message"));
        assert!(api.decode::<Vec<u8>>().is_err(), "a body of another type is an error, not a panic");
        // The operation's error enum picks the variant by status, with the body decoded.
        use wegly::apis::chats::RemoveParticipantError as Typed;
        let typed = error.typed::<Typed>().expect("an error response has a typed form");
        let typed_body = match (status, typed) {
            (401, Typed::Unauthorized(Ok(b)))
            | (403, Typed::Forbidden(Ok(b)))
            | (404, Typed::NotFound(Ok(b)))
            | (409, Typed::Conflict(Ok(b)))
            | (422, Typed::UnprocessableEntity(Ok(b)))
            | (429, Typed::TooManyRequests(Ok(b)))
            | (500, Typed::ServerError(Ok(b))) => b,
            (status, other) => panic!("{status} decoded as {other:?}"),
        };
        assert_eq!(typed_body.get("message"), body.get("message"));
        assert_eq!(api.operation().id, "removeChatParticipant");
        assert_eq!(api.headers().get("x-request-id").map(|v| v.to_str().ok()), Some(Some("req-1")));
        let message = error.to_string();
        assert!(message.contains(&status.to_string()) && message.contains("refused with"), "{message}");
        assert!(
            message.contains(
                "removeChatParticipant (DELETE /integrations/external/chats/{id}/participants/{userId})"
            ),
            "{message}"
        );
    }
}

#[tokio::test]
async fn a_non_json_error_body_is_kept_as_text() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let server = serve(ResponseTemplate::new(502).set_body_string(html)).await;
    let client =
        Client::builder(TOKEN).base_url(server.uri()).retry(RetryPolicy::never()).build().expect("builds");
    let error = client.chats().get(uuid(CHAT)).await.expect_err("fails");
    let Error::Api(api) = &error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!(api.status().as_u16(), 502);
    assert_eq!(api.text(), html);
    assert_eq!(api.json(), None);
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_naming_the_field() {
    let mut body = seed();
    body["last_message"]["reactions"][0]["created_at"] = json!("yesterday");
    let error = get_with_body(body).await.expect_err("fails");
    let Error::Decode(decode) = &error else { panic!("expected Error::Decode, got {error:?}") };
    assert_eq!(decode.path(), "last_message.reactions[0].created_at");
    assert!(decode.excerpt().contains("yesterday"), "{}", decode.excerpt());
    assert!(error.to_string().contains("`last_message.reactions[0].created_at`"), "{error}");

    let mut body = seed();
    body["unread_count"] = json!("many");
    let error = get_with_body(body).await.expect_err("fails");
    let Error::Decode(decode) = &error else { panic!("expected Error::Decode, got {error:?}") };
    assert_eq!(decode.path(), "unread_count");
}

#[tokio::test]
async fn a_truncated_body_is_a_decode_error() {
    let text = serde_json::to_string(&seed()).expect("serializes");
    let server = serve(
        ResponseTemplate::new(200).set_body_raw(&text.as_bytes()[..text.len() / 2], "application/json"),
    )
    .await;
    let error = client(&server).chats().get(uuid(CHAT)).await.expect_err("fails");
    let Error::Decode(decode) = &error else { panic!("expected Error::Decode, got {error:?}") };
    assert!(decode.to_string().contains("EOF while parsing"), "{decode}");
    assert!(!decode.path().is_empty() && decode.path() != ".", "the path inside the body: {}", decode.path());
    assert!(!decode.excerpt().is_empty() && text.contains(decode.excerpt().trim_start_matches('…')));
    let server =
        serve(ResponseTemplate::new(200).set_body_raw(format!("{text} trailing"), "application/json")).await;
    let error = client(&server).chats().get(uuid(CHAT)).await.expect_err("fails");
    let Error::Decode(decode) = &error else { panic!("expected Error::Decode, got {error:?}") };
    assert_eq!(decode.path(), ".");
}

#[tokio::test]
async fn the_token_is_never_printed() {
    let server = serve(ResponseTemplate::new(401).set_body_string("nope")).await;
    let builder = Client::builder(TOKEN).base_url(server.uri());
    assert!(!format!("{builder:?}").contains(TOKEN));
    let client = builder.build().expect("builds");
    assert!(!format!("{client:?}").contains(TOKEN));
    let error = client.chats().get(uuid(CHAT)).await.expect_err("fails");
    for text in [format!("{error}"), format!("{error:?}"), format!("{error:#?}")] {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
    }
}

#[test]
fn bad_configuration_is_refused_when_building() {
    let cases = [
        (Client::builder(TOKEN).origin("https://a.example\r\nX-Evil: 1"), "origin"),
        (Client::builder("tok\nen"), "token"),
        (Client::builder(TOKEN).base_url("http://api.example.com"), "plain http"),
        (Client::builder(TOKEN).base_url("not a url"), "not a valid URL"),
        (Client::builder(TOKEN).base_url("ftp://example.com"), "scheme"),
    ];
    for (builder, expected) in cases {
        let error = builder.build().expect_err("refused");
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        let message = error.to_string();
        assert!(message.contains(expected), "{message}");
        assert!(!message.contains("X-Evil") && !message.contains("tok\nen"), "{message}");
    }
    let client = Client::builder(TOKEN).base_url("http://api.example.com").allow_insecure_http(true).build();
    assert!(client.is_ok());
    assert_eq!(Client::new(TOKEN).expect("builds").base_url(), "https://api.wegly.com.br");
}

#[tokio::test]
async fn a_timeout_is_an_error_the_caller_can_tell_apart() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(seed()).set_delay(std::time::Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = Client::builder(TOKEN)
        .base_url(server.uri())
        .timeout(std::time::Duration::from_millis(200))
        .build()
        .expect("builds");
    let error = client.chats().get(uuid(CHAT)).await.expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.to_string().contains("timed out"), "{error}");
}

#[tokio::test]
async fn a_partly_documented_object_round_trips_fields_the_spec_does_not_know() {
    let deal = json!({
        "id": "deal-1",
        "code": 42,
        "title": "Website",
        "stage": {"id": "s-1", "name": "Proposal", "pipeline": {"id": "p-1", "name": "Sales"}},
        "participants": [{"id": "x", "role": {"id": "r", "name": "Owner"}, "notes": null, "joined_at": "2026-01-01"}],
        "brand_new": {"nested": [1, 2, 3]},
        "custom_fields": {"cf_1": "yes"}
    });
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/integrations/external/deals/deal-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&deal))
        .mount(&server)
        .await;
    let decoded = client(&server).deals().get("deal-1").await.expect("decodes");
    assert_eq!(decoded.title.as_deref(), Some("Website"));
    assert_eq!(decoded.additional_properties["brand_new"], json!({"nested": [1, 2, 3]}));
    let participant = &decoded.participants.as_ref().expect("participants")[0];
    assert_eq!(participant.additional_properties["joined_at"], json!("2026-01-01"));
    // Nothing is lost: serializing gives back what the server sent (nulls of known optional fields
    // aside, which the SDK reads as absent).
    let mut expected = deal.clone();
    expected["participants"][0].as_object_mut().expect("object").remove("notes");
    assert_eq!(serde_json::to_value(&decoded).expect("serializes"), expected);
}

/// A JSON error body is shown as text, not as JSON escapes; a text body cannot add log lines;
/// and `redacted()` keeps every body out of the message.
#[tokio::test]
async fn error_messages_show_bodies_as_text_and_redacted_shows_none() {
    let escaped = r#"{"message":"Chat n\u00e3o encontrado","cpf":"123.456.789-00"}"#;
    let server = serve(ResponseTemplate::new(404).set_body_raw(escaped, "application/json")).await;
    let error = client(&server).chats().get(uuid(CHAT)).await.expect_err("a 404");
    let shown = error.to_string();
    assert!(shown.contains("Chat não encontrado"), "{shown}");
    assert!(!shown.contains("\\u00e3"), "{shown}");
    let redacted = error.redacted().to_string();
    assert!(
        redacted.contains("404") && !redacted.contains("encontrado") && !redacted.contains("123.456"),
        "{redacted}"
    );

    let server =
        serve(ResponseTemplate::new(502).set_body_string("bad gateway\nERROR forged log line")).await;
    let error = Client::builder(TOKEN)
        .base_url(server.uri())
        .retry(RetryPolicy::never())
        .build()
        .expect("client builds")
        .chats()
        .get(uuid(CHAT))
        .await
        .expect_err("a 502");
    let shown = error.to_string();
    assert!(shown.contains("bad gateway\\nERROR forged log line") && !shown.contains('\n'), "{shown}");

    // A decode error's message quotes the body escaped: a multi-line body adds no log line.
    let pretty = "{\n  \"unread_count\": \"not\na number\"\n}";
    let server = serve(ResponseTemplate::new(200).set_body_raw(pretty, "application/json")).await;
    let error = client(&server).chats().get(uuid(CHAT)).await.expect_err("a decode error");
    let shown = error.to_string();
    assert!(shown.contains("unread_count") && !shown.contains('\n'), "{shown}");

    // A decode error names where it failed; redacted, not the value that failed.
    let error = get_with_body(json!({"unread_count": "secret-value"})).await.expect_err("a decode error");
    assert!(error.to_string().contains("secret-value"), "{error}");
    let redacted = error.redacted().to_string();
    assert!(redacted.contains("unread_count") && !redacted.contains("secret-value"), "{redacted}");
}

/// `with_response()` keeps the raw body beside the value: a field the SDK does not know yet can
/// still be read.
#[tokio::test]
async fn the_raw_body_of_a_success_is_kept_by_with_response() {
    let mut body = seed();
    body["field_from_the_future"] = json!({"nested": [1, 2]});
    let server = serve(ResponseTemplate::new(200).set_body_json(&body)).await;
    let response = client(&server).chats().get(uuid(CHAT)).with_response().await.expect("decodes");
    let raw: Value = serde_json::from_slice(response.body()).expect("the raw body is JSON");
    assert_eq!(raw["field_from_the_future"], json!({"nested": [1, 2]}));
    assert_eq!(response.status().as_u16(), 200);
}

/// With `rustls-ring` on, building a client makes ring the process's crypto provider (reqwest
/// built with `rustls-no-provider` alone would panic without one).
#[tokio::test]
async fn building_a_client_installs_the_ring_provider() {
    let server = MockServer::start().await;
    let _client = client(&server);
    assert!(rustls::crypto::CryptoProvider::get_default().is_some(), "no process crypto provider");
}

#[tokio::test]
async fn a_body_built_with_chained_setters_sends_exactly_the_fields_set() {
    use wegly::models::{MessageTemplate, SendChatMessageRequest};
    use wiremock::matchers::body_json;

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/integrations/external/chats/{CHAT}/messages")))
        // Exactly these fields: the ones not set stay out of the JSON.
        .and(body_json(json!({
            "type": "text",
            "template": {"name": "saudacao_inicial", "language": "pt_BR"}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 0, "records": []})))
        .expect(1)
        .mount(&server)
        .await;
    // `&str` and `String` both go where a `String` is wanted, a model where a model is.
    let body = SendChatMessageRequest::new()
        .r#type(MessageType::Text)
        .template(MessageTemplate::new().name("saudacao_inicial").language(String::from("pt_BR")));
    client(&server).chats().send_message(uuid(CHAT), &body).await.expect("sent");
}
