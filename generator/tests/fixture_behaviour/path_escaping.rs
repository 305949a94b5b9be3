//! Runs inside the generated `path_escaping` fixture crate (copied there by
//! `generator/tests/compile_fixtures.rs`): path parameters are encoded as one segment each, so
//! no value can change the path, and values no URL can carry are refused before sending.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;

/// A one-shot HTTP server that answers 204 and reports the request line it got.
fn server() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let address = listener.local_addr().expect("address");
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            reader.read_line(&mut line).expect("request line");
            let mut header = String::new();
            while reader.read_line(&mut header).map(|n| n > 2).unwrap_or(false) {
                header.clear();
            }
            let _ = send.send(line.trim_end().to_owned());
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    (format!("http://{address}"), receive)
}

#[tokio::test]
async fn path_parameters_are_encoded_per_segment() {
    let (base, requests) = server();
    let client = fixture_path_escaping::Client::builder()
        .base_url(base)
        .retry(fixture_path_escaping::RetryPolicy::never())
        .build()
        .expect("builds");
    let cases = [
        ("plain", "/files/plain/versions/7"),
        ("../etc/passwd", "/files/..%2Fetc%2Fpasswd/versions/7"),
        // Dots stay as they are (servers need not decode `%2E`); only whole `.`/`..` are refused.
        ("report.v2.pdf", "/files/report.v2.pdf/versions/7"),
        ("a/b", "/files/a%2Fb/versions/7"),
        ("100%", "/files/100%25/versions/7"),
        ("with space", "/files/with%20space/versions/7"),
        ("ação", "/files/a%C3%A7%C3%A3o/versions/7"),
        ("?q=1#frag", "/files/%3Fq%3D1%23frag/versions/7"),
        ("..x", "/files/..x/versions/7"),
    ];
    for (name, expected) in cases {
        client.files().delete_version(name, 7).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        let line = requests.recv().expect("a request arrived");
        assert_eq!(line, format!("DELETE {expected} HTTP/1.1"), "for {name:?}");
    }
    for name in ["", ".", ".."] {
        let error = client.files().delete_version(name, 7).await.expect_err("refused");
        assert!(matches!(error, fixture_path_escaping::Error::Request { .. }), "{name:?}: {error:?}");
        assert!(error.to_string().contains("cannot be sent in a URL path"), "{error}");
    }
    assert!(requests.try_recv().is_err(), "refused values sent nothing");
}
