//! Runs inside the generated `pagination` fixture crate against a local HTTP server: each way
//! pages follow each other is walked to the end with exactly the requests it needs, keeps the
//! call's own parameters on every page, and ends with an error (never silently, never in a
//! loop) when the server repeats itself, links elsewhere, or there are more pages than allowed.

use fixture_pagination::Client;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).build().expect("client");
    (server, client)
}

fn json_body(value: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(value)
}

#[tokio::test]
async fn stripe_lists_follow_the_last_item_while_has_more() {
    let (server, client) = client().await;
    Mock::given(method("GET"))
        .and(path("/customers"))
        .and(query_param_is_missing("starting_after"))
        .and(query_param("limit", "2"))
        .respond_with(json_body(json!({"data": [{"id": "c1"}, {"id": "c2"}], "has_more": true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/customers"))
        .and(query_param("starting_after", "c2"))
        .and(query_param("limit", "2"))
        .respond_with(json_body(json!({"data": [{"id": "c3"}], "has_more": false})))
        .expect(1)
        .mount(&server)
        .await;
    let customers = client.lists().customers().limit(2).items().collect_all().await.expect("every customer");
    let ids: Vec<&str> = customers.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
}

#[tokio::test]
async fn a_cursor_from_the_page_is_followed_until_it_is_null() {
    let (server, client) = client().await;
    Mock::given(path("/events"))
        .and(query_param_is_missing("cursor"))
        .respond_with(json_body(json!({"events": ["a", "b"], "next_cursor": "n 1"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/events"))
        .and(query_param("cursor", "n 1"))
        .respond_with(json_body(json!({"events": ["c"], "next_cursor": null})))
        .expect(1)
        .mount(&server)
        .await;
    let mut pages = client.lists().events().pages();
    let first = pages.next().await.expect("a first page").expect("decodes");
    assert_eq!(first.events, ["a", "b"]);
    let second = pages.next().await.expect("a second page").expect("decodes");
    assert_eq!(second.events, ["c"]);
    assert!(pages.next().await.is_none(), "no third page");
    assert!(pages.next().await.is_none(), "the stream stays ended");
}

#[tokio::test]
async fn a_cursor_sent_twice_ends_the_stream_with_an_error() {
    let (server, client) = client().await;
    Mock::given(path("/events"))
        .respond_with(json_body(json!({"events": ["a"], "next_cursor": "same"})))
        .expect(2)
        .mount(&server)
        .await;
    let mut items = client.lists().events().items();
    assert_eq!(items.next().await.expect("item").expect("ok"), "a");
    assert_eq!(items.next().await.expect("item").expect("ok"), "a");
    let error = items.next().await.expect("an error, not the end").expect_err("the loop is refused");
    assert!(error.to_string().contains("cursor `same` twice"), "{error}");
    assert!(items.next().await.is_none(), "nothing after the error");
}

#[tokio::test]
async fn an_offset_advances_by_the_items_received_and_stops_at_the_total() {
    let (server, client) = client().await;
    Mock::given(path("/rows"))
        .and(query_param("offset", "10"))
        .respond_with(json_body(json!({"total_count": 13, "rows": [1, 2]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/rows"))
        .and(query_param("offset", "12"))
        .respond_with(json_body(json!({"total_count": 13, "rows": [3]})))
        .expect(1)
        .mount(&server)
        .await;
    // The call's own offset is where the walk starts; 10 + 3 items reach the total of 13.
    let rows = client.lists().rows().offset(10).items().collect_all().await.expect("rows");
    assert_eq!(rows, [1, 2, 3]);
}

#[tokio::test]
async fn page_numbers_count_from_the_schema_minimum_until_an_empty_page() {
    let (server, client) = client().await;
    for (page, names) in [("0", json!(["a"])), ("1", json!(["b"])), ("2", json!([]))] {
        Mock::given(path("/pages"))
            .and(query_param("page", page))
            .respond_with(json_body(names))
            .expect(1)
            .mount(&server)
            .await;
    }
    let names = client.lists().pages().items().collect_all().await.expect("names");
    assert_eq!(names, ["a", "b"]);
}

#[tokio::test]
async fn the_link_header_leads_to_the_next_page_below_the_base_url_only() {
    let (server, client) = client().await;
    let next = format!("<{}/repos?page=2&per_page=1>; rel=\"next\", <{}/repos?page=9>; rel=\"last\"", server.uri(), server.uri());
    Mock::given(path("/repos"))
        .and(query_param_is_missing("page"))
        .respond_with(json_body(json!(["one"])).insert_header("link", next.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/repos"))
        .and(query_param("page", "2"))
        .and(query_param("per_page", "1"))
        .respond_with(json_body(json!(["two"])).insert_header("link", "<https://elsewhere.test/repos?page=3>; rel=\"next\""))
        .expect(1)
        .mount(&server)
        .await;
    let mut items = client.lists().repos().per_page(1).items();
    assert_eq!(items.next().await.expect("one").expect("ok"), "one");
    assert_eq!(items.next().await.expect("two").expect("ok"), "two");
    let error = items.next().await.expect("an error").expect_err("another host is not followed");
    let message = error.to_string();
    assert!(message.contains("https://elsewhere.test/repos?page=3") && message.contains("not below the base URL"), "{message}");
}

#[tokio::test]
async fn a_declared_cursor_of_integers_and_the_page_limit() {
    let (server, client) = client().await;
    Mock::given(path("/results"))
        .and(query_param_is_missing("after"))
        .respond_with(json_body(json!({"hits": ["h1"], "related": ["x"], "resume": 7})))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/results"))
        .and(query_param("after", "7"))
        .respond_with(json_body(json!({"hits": ["h2"], "related": []})))
        .expect(1)
        .mount(&server)
        .await;
    let hits = client.lists().search_results().items().collect_all().await.expect("hits");
    assert_eq!(hits, ["h1", "h2"]);

    // At most one page: the second is not fetched, and the stream says there were more.
    let mut limited = client.lists().search_results().items().max_pages(1);
    assert_eq!(limited.next().await.expect("h1").expect("ok"), "h1");
    let error = limited.next().await.expect("an error").expect_err("the limit is an error");
    assert!(error.to_string().contains("stopped after 1 pages"), "{error}");
}

#[tokio::test]
async fn an_error_page_ends_the_stream_after_yielding_the_error() {
    let (server, client) = client().await;
    Mock::given(path("/events"))
        .and(query_param_is_missing("cursor"))
        .respond_with(json_body(json!({"events": ["a"], "next_cursor": "n"})))
        .mount(&server)
        .await;
    Mock::given(path("/events"))
        .and(query_param("cursor", "n"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let mut pages = client.lists().events().pages();
    assert!(pages.next().await.expect("page").is_ok());
    let error = pages.next().await.expect("the error").expect_err("404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(pages.next().await.is_none());
}
