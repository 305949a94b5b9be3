//! Runs inside the generated `auth_cookie_key` fixture crate: a cookie parameter joins the API
//! key's cookie instead of replacing it; list items are encoded one by one.

use fixture_auth_cookie_key::Client;
use fixture_auth_cookie_key::models::ListItemsFilter;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn cookie_parameters_join_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/items")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder("k3y").base_url(server.uri()).build().expect("client");
    let mut filter = ListItemsFilter::new();
    filter.kind = Some("a b".into());
    client.items().list().session(&["x;1".to_owned(), "y".to_owned()]).filter(&filter).await.expect("sent");
    let requests = server.received_requests().await.expect("recorded");
    let request = requests.first().expect("one request");
    let cookie = request.headers.get("cookie").and_then(|v| v.to_str().ok());
    assert_eq!(cookie, Some("api_key=k3y; session=x%3B1,y"));
    assert_eq!(request.url.query(), Some("filter%5Bkind%5D=a+b"));
}
