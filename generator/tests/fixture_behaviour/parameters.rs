//! Runs inside the generated `parameters` fixture crate against a local HTTP server: each query
//! style is written as OpenAPI says, and cookies travel in one `Cookie` header. Optional
//! parameters are methods of the call; setting one again replaces its value.

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
        .search()
        .search("s;1")
        .tags(&["a".to_owned(), "b".to_owned()])
        .ids(&[1, 2])
        .words(&["x".to_owned(), "y".to_owned()])
        .route(&["p".to_owned(), "q".to_owned()])
        .filter(&filter)
        .page(&page)
        .r#where(&owner)
        .theme("light")
        // Set again: the last value is sent, once.
        .theme("dark")
        .timeout_param(1)
        .timeout_param(30)
        .x_trace("t1")
        .x_trace("t2")
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
        ("timeout", "30"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(pairs, expected);
    let cookie = request.headers.get("cookie").expect("a cookie header").to_str().expect("ascii");
    assert_eq!(cookie, "session=s%3B1; theme=dark");
    let traces: Vec<_> = request.headers.get_all("x-trace").iter().collect();
    assert_eq!(traces, ["t2"]);
}

#[tokio::test]
async fn an_object_parameter_set_again_replaces_all_its_pairs() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/search")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().expect("client");
    let mut both = Filter::new();
    both.status = Some("open".into());
    both.min = Some(2);
    let mut one = Filter::new();
    one.min = Some(5);
    client.search().search("s").filter(&both).filter(&one).await.expect("sent");
    let requests = server.received_requests().await.expect("recorded");
    let request = requests.first().expect("one request");
    assert_eq!(request.url.query(), Some("filter%5Bmin%5D=5"));
}

#[tokio::test]
async fn absent_optional_parameters_send_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/search")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().expect("client");
    client.search().search("s").await.expect("sent");
    let requests = server.received_requests().await.expect("recorded");
    let request = requests.first().expect("one request");
    assert_eq!(request.url.query(), None);
    assert_eq!(request.headers.get("cookie").and_then(|v| v.to_str().ok()), Some("session=s"));
}
