//! Runs inside the generated `typed_errors` fixture crate against a local HTTP server: an error
//! response reads as its operation's error enum, by status, with the body decoded as the type
//! documented for that status (`Ok`), or the raw body when it is not that type (`Err`): a
//! documented status always selects its variant. A status documented without a body type is
//! `Other`.

use fixture_typed_errors::apis::{customers, orders};
use fixture_typed_errors::{Client, Error, RetryPolicy, Unmatched};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The error `GET path` fails with when the server answers `response`.
async fn failure(route: &str, response: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(route)).respond_with(response).mount(&server).await;
    let client =
        Client::builder().base_url(server.uri()).retry(RetryPolicy::never()).build().expect("client");
    let result = match route {
        "/orders" => client.orders().list().await.map(drop),
        "/orders/7" => client.orders().get(7).await.map(drop),
        "/orders/stats" => client.orders().stats().await.map(drop),
        _ => client.customers().list().await.map(drop),
    };
    result.expect_err("the server refused")
}

fn answer(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

#[tokio::test]
async fn each_documented_status_decodes_as_its_own_type() {
    let error = failure("/orders", answer(400, json!({"fields": ["limit"]}))).await;
    match error.typed::<orders::ListError>() {
        Some(orders::ListError::BadRequest(Ok(body))) => assert_eq!(body.fields, ["limit"]),
        other => panic!("400 should be BadRequest, got {other:?}"),
    }
    let error = failure("/orders", answer(404, json!({"title": "no shop"}))).await;
    match error.typed::<orders::ListError>() {
        Some(orders::ListError::NotFound(Ok(problem))) => assert_eq!(problem.title, "no shop"),
        other => panic!("404 should be NotFound, got {other:?}"),
    }
    let error = failure("/orders", answer(418, json!({"brew": "oolong"}))).await;
    match error.typed::<orders::ListError>() {
        Some(orders::ListError::ImATeapot(Ok(body))) => assert_eq!(body.brew.as_deref(), Some("oolong")),
        other => panic!("418 should be ImATeapot, got {other:?}"),
    }
    let error = failure("/orders", answer(499, json!("gone"))).await;
    assert!(matches!(error.typed::<orders::ListError>(), Some(orders::ListError::Status499(Ok(s))) if s == "gone"));
}

#[tokio::test]
async fn a_class_catches_the_statuses_not_listed_one_by_one() {
    let error = failure("/orders", answer(409, json!({"title": "conflict", "detail": "twice"}))).await;
    match error.typed::<orders::ListError>() {
        Some(orders::ListError::ClientError(Ok(problem))) => assert_eq!(problem.detail.as_deref(), Some("twice")),
        other => panic!("409 should fall in 4XX, got {other:?}"),
    }
}

#[tokio::test]
async fn default_catches_every_status() {
    let error = failure("/customers", answer(502, json!({"title": "upstream"}))).await;
    match error.typed::<customers::ListError>() {
        Some(customers::ListError::Default(Ok(problem))) => assert_eq!(problem.title, "upstream"),
        other => panic!("502 should be Default, got {other:?}"),
    }
}

#[tokio::test]
async fn a_status_documented_without_a_body_type_is_other() {
    // 503 is documented without a body; the ApiError keeps what came.
    let error = failure("/orders", ResponseTemplate::new(503).set_body_string("busy")).await;
    match error.typed::<orders::ListError>() {
        Some(orders::ListError::Other(Unmatched::Status(status))) => assert_eq!(status.as_u16(), 503),
        other => panic!("503 has no documented body type, got {other:?}"),
    }
    let Error::Api(api) = &error else { panic!("an API error: {error:?}") };
    assert_eq!(api.text(), "busy");
    // 403 is documented without a body: it does not fall into the 4XX arm.
    let error = failure("/orders", answer(403, json!({"title": "not a 4XX problem"}))).await;
    match error.typed::<orders::ListError>() {
        Some(orders::ListError::Other(Unmatched::Status(status))) => assert_eq!(status.as_u16(), 403),
        other => panic!("403 has no documented body type, got {other:?}"),
    }
    // Nor does 404 fall into `default`.
    let error = failure("/customers", answer(404, json!({"title": "not a default problem"}))).await;
    match error.typed::<customers::ListError>() {
        Some(customers::ListError::Other(Unmatched::Status(status))) => assert_eq!(status.as_u16(), 404),
        other => panic!("404 has no documented body type, got {other:?}"),
    }
}

#[tokio::test]
async fn a_documented_status_selects_its_variant_when_the_body_does_not_decode() {
    // 400 is documented, but this body is not a ValidationError: the variant holds why, and the
    // raw body.
    let error = failure("/orders", answer(400, json!({"fields": "limit"}))).await;
    match error.typed::<orders::ListError>() {
        Some(orders::ListError::BadRequest(Err(undecoded))) => {
            assert!(undecoded.error().to_string().contains("invalid type"), "{undecoded}");
            assert_eq!(undecoded.text(), r#"{"fields":"limit"}"#);
        }
        other => panic!("a body of the wrong shape should be BadRequest(Err), got {other:?}"),
    }
    // A proxy's HTML page for a documented `5XX`.
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let error = failure("/orders/stats", ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;
    match error.typed::<orders::StatsError>() {
        Some(orders::StatsError::ServerError(Err(undecoded))) => {
            assert_eq!((undecoded.text().as_ref(), undecoded.is_cut()), (html, false));
        }
        other => panic!("an HTML 502 should be ServerError(Err), got {other:?}"),
    }
    // The same status with the documented body.
    let error = failure("/orders/stats", answer(503, json!({"title": "later"}))).await;
    assert!(
        matches!(error.typed::<orders::StatsError>(), Some(orders::StatsError::ServerError(Ok(p))) if p.title == "later")
    );
    // An empty body for `default` is its variant too.
    let error = failure("/customers", ResponseTemplate::new(500)).await;
    assert!(matches!(error.typed::<customers::ListError>(), Some(customers::ListError::Default(Err(u))) if u.body().is_empty()));
}

#[tokio::test]
async fn an_error_enum_reads_only_its_own_operations_errors() {
    let error = failure("/customers", answer(502, json!({"title": "upstream"}))).await;
    assert!(error.typed::<customers::ListError>().is_some());
    assert!(error.typed::<orders::ListError>().is_none(), "orders' enum does not read customers' errors");
    assert!(error.typed::<orders::TypeError>().is_none());
}

#[tokio::test]
async fn only_error_responses_have_a_typed_form() {
    // `getOrder` documents no error body, so it has no error enum; its errors stay `ApiError`s.
    let error = failure("/orders/7", ResponseTemplate::new(404)).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    // A transport failure is not an error response.
    let client = Client::builder().base_url("http://127.0.0.1:9").retry(RetryPolicy::never()).build().expect("client");
    let error = client.orders().list().await.expect_err("nothing listens on port 9");
    assert!(error.typed::<orders::ListError>().is_none(), "{error:?}");
}
