//! Runs inside the generated `parameters` fixture crate against a local HTTP server: each query
//! style is written as OpenAPI says, and cookies travel in one `Cookie` header.

use fixture_parameters::Client;
use fixture_parameters::models::{Filter, SearchPage, SearchWhere};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn query_styles_and_cookies_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/search")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().expect("client");

    let mut filter = Filter::new();
    filter.status = Some("open".into());
    filter.min = Some(2);
    let mut page = SearchPage::new();
    page.size = Some(10);
    page.cursor = Some("c 1".into());
    let mut owner = SearchWhere::new();
    owner.owner = Some("me".into());
    client
        .default()
        .search(
            Some(&["a".to_owned(), "b".to_owned()]),
            Some(&[1, 2]),
            Some(&["x".to_owned(), "y".to_owned()]),
            Some(&["p".to_owned(), "q".to_owned()]),
            Some(&filter),
            Some(&page),
            Some(&owner),
            "s;1",
            Some("dark"),
        )
        .await
        .expect("sent");

    let requests = server.received_requests().await.expect("recorded");
    let request = requests.first().expect("one request");
    let pairs: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let expected = [
        ("tags", "a"),
        ("tags", "b"),
        ("ids", "1,2"),
        ("words", "x y"),
        ("route", "p|q"),
        // An object's properties go in name order.
        ("filter[min]", "2"),
        ("filter[status]", "open"),
        ("cursor", "c 1"),
        ("size", "10"),
        ("where", r#"{"owner":"me"}"#),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(pairs, expected);
    let cookie = request.headers.get("cookie").expect("a cookie header").to_str().expect("ascii");
    assert_eq!(cookie, "session=s%3B1; theme=dark");
}

#[tokio::test]
async fn absent_optional_parameters_send_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/search")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().expect("client");
    client.default().search(None, None, None, None, None, None, None, "s", None).await.expect("sent");
    let requests = server.received_requests().await.expect("recorded");
    let request = requests.first().expect("one request");
    assert_eq!(request.url.query(), None);
    assert_eq!(request.headers.get("cookie").and_then(|v| v.to_str().ok()), Some("session=s"));
}
