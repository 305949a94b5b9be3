//! The multipart upload (`createFileBatch`) on the wire: text fields and files from memory and
//! from disk are separate parts with their names, file names, content types and exact bytes,
//! and a retried upload sends the same parts again.

use std::time::Duration;

use wegly::models::CreateFileBatchRequest;
use wegly::{Client, RetryPolicy, UploadFile};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const LEAD: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

/// One part of a multipart body: its headers (lower-cased names) and bytes.
#[derive(Debug)]
struct Part {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Part {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// A parameter of `content-disposition`, such as `name` or `filename`.
    fn disposition(&self, key: &str) -> Option<String> {
        let value = self.header("content-disposition")?;
        value
            .split(';')
            .map(str::trim)
            .find_map(|item| item.strip_prefix(&format!("{key}=")).map(|v| v.trim_matches('"').to_owned()))
    }
}

/// Splits a multipart body by the boundary of its content type (RFC 7578), by hand, so that the
/// test does not trust the code it checks.
fn parts(request: &Request) -> Vec<Part> {
    let content_type =
        request.headers.get("content-type").and_then(|v| v.to_str().ok()).expect("content type");
    assert!(content_type.starts_with("multipart/form-data"), "{content_type}");
    let boundary = content_type.split("boundary=").nth(1).expect("a boundary").trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let body = &request.body;
    let mut starts = Vec::new();
    let mut index = 0;
    while let Some(found) = body[index..].windows(delimiter.len()).position(|w| w == delimiter.as_slice()) {
        starts.push(index + found);
        index += found + delimiter.len();
    }
    let mut result = Vec::new();
    for pair in starts.windows(2) {
        let chunk = &body[pair[0] + delimiter.len()..pair[1]];
        let chunk = chunk.strip_prefix(b"\r\n").expect("CRLF after the delimiter");
        let chunk = chunk.strip_suffix(b"\r\n").expect("CRLF before the next delimiter");
        let split = chunk.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end");
        let headers = String::from_utf8(chunk[..split].to_vec())
            .expect("ASCII headers")
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(':').expect("a header line");
                (name.trim().to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect();
        result.push(Part { headers, body: chunk[split + 4..].to_vec() });
    }
    let end = &body[*starts.last().expect("a final delimiter") + delimiter.len()..];
    assert!(end.starts_with(b"--"), "the body ends with the closing delimiter");
    result
}

fn batch_json() -> serde_json::Value {
    serde_json::json!({"id": LEAD, "title": "Contracts", "files_count": 3})
}

#[tokio::test(start_paused = true)]
async fn parts_on_the_wire_and_on_every_retry() {
    let dir = std::env::temp_dir().join(format!("wegly-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let on_disk = dir.join("report.pdf");
    let pdf: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    std::fs::write(&on_disk, &pdf).expect("file written");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(batch_json()))
        .mount(&server)
        .await;
    let http = wegly::reqwest::Client::builder().pool_idle_timeout(None).build().expect("reqwest client");
    let client = Client::builder("t")
        .base_url(server.uri())
        .http_client(http)
        // No deadline: on the paused clock its timer would be jumped to while wiremock answers.
        .timeout(Duration::MAX)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .expect("builds");
    let mut body = CreateFileBatchRequest::new();
    body.crm_lead_id = Some(LEAD.parse().expect("uuid"));
    body.title = Some("Contracts".into());
    body.note = Some("ação & <notes>".into());
    body.file =
        Some(UploadFile::from_bytes("hello.txt", &b"hello\r\n--world"[..]).content_type("text/plain"));
    body.files = Some(vec![
        UploadFile::from_path(&on_disk).content_type("application/pdf"),
        UploadFile::from_bytes("empty.bin", Vec::new()),
    ]);
    let batch =
        client.files().create_batch(&body).idempotency_key("upload-1").await.expect("second try works");
    assert_eq!(batch.files_count, Some(3));

    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2, "the 503 was retried");
    for request in &requests {
        assert_eq!(request.url.path(), "/integrations/external/files/batches");
        let parts = parts(request);
        let names: Vec<String> = parts.iter().map(|p| p.disposition("name").expect("a name")).collect();
        assert_eq!(names, ["crm_lead_id", "title", "note", "file", "files", "files"]);
        assert_eq!(parts[0].body, LEAD.as_bytes());
        assert_eq!(parts[0].disposition("filename"), None, "text fields are not files");
        assert_eq!(parts[2].body, "ação & <notes>".as_bytes());
        assert_eq!(parts[3].disposition("filename").as_deref(), Some("hello.txt"));
        assert_eq!(parts[3].header("content-type"), Some("text/plain"));
        assert_eq!(parts[3].body, b"hello\r\n--world");
        assert_eq!(parts[4].disposition("filename").as_deref(), Some("report.pdf"));
        assert_eq!(parts[4].header("content-type"), Some("application/pdf"));
        assert_eq!(parts[4].body, pdf, "the file on disk arrives byte for byte");
        assert_eq!(parts[5].header("content-type"), Some("application/octet-stream"));
        assert!(parts[5].body.is_empty());
    }
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[tokio::test]
async fn a_missing_file_is_a_request_error_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(batch_json()))
        .mount(&server)
        .await;
    let client = Client::builder("t").base_url(server.uri()).build().expect("builds");
    let mut body = CreateFileBatchRequest::new();
    body.file = Some(UploadFile::from_path("/definitely/not/here.pdf"));
    let error = client.files().create_batch(&body).await.expect_err("no such file");
    assert!(matches!(error, wegly::Error::Request { .. }), "{error:?}");
    assert!(error.to_string().contains("/definitely/not/here.pdf"), "{error}");
    assert!(server.received_requests().await.expect("recorded").is_empty());
}
