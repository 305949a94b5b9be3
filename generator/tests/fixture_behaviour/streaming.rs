//! Runs inside the generated `streaming` fixture crate against local HTTP servers: binary
//! responses are streamed chunk by chunk and saved to a file, binary request bodies stream
//! from a file or a reader (and one from a reader is never retried), and `text/event-stream`
//! responses become a stream of events, decoded by the spec's schema, from a hand-written
//! server that sends them slowly, splits lines across chunks, mixes CRLF and LF and ends in
//! the middle of an event.

use std::time::Duration;

use fixture_streaming::models::Tick;
use fixture_streaming::{Body, Client, Error, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base_url: &str) -> Client {
    Client::builder().base_url(base_url).build().expect("client")
}

/// The byte at `offset` of the large test file: a pattern that a shifted, dropped or repeated
/// chunk breaks.
fn pattern(offset: u64) -> u8 {
    (offset.wrapping_mul(31) ^ (offset >> 13)) as u8
}

/// Accepts one connection and reads the request head.
async fn accept(listener: &TcpListener) -> TcpStream {
    let (mut socket, _) = listener.accept().await.expect("a connection");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        socket.read_exact(&mut byte).await.expect("the request head");
        head.push(byte[0]);
    }
    socket
}

async fn listen() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    (listener, url)
}

const LARGE: u64 = 50 * 1024 * 1024;

#[tokio::test]
async fn a_large_download_is_saved_to_a_file_as_it_arrives() {
    let (listener, url) = listen().await;
    // The server makes the body as it writes it: 50 MB that neither side holds at once.
    let server = tokio::spawn(async move {
        let mut socket = accept(&listener).await;
        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {LARGE}\r\n\r\n");
        socket.write_all(head.as_bytes()).await.expect("head");
        let mut offset = 0u64;
        while offset < LARGE {
            let chunk: Vec<u8> = (offset..(offset + 65536).min(LARGE)).map(pattern).collect();
            socket.write_all(&chunk).await.expect("body");
            offset += chunk.len() as u64;
        }
    });
    // A body limit far below the file's size: a streamed body is not buffered, so it does not apply.
    let client = Client::builder().base_url(&url).max_body_size(1024).build().expect("client");
    let download = client.files().download("big.bin").await.expect("the download starts");
    assert_eq!(download.content_length(), Some(LARGE));
    let dir = std::env::temp_dir().join(format!("fixture-streaming-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let file = dir.join("big.bin");
    let written = download.save(&file).await.expect("saved");
    assert_eq!(written, LARGE);
    server.await.expect("the server finished");
    let mut saved = tokio::fs::File::open(&file).await.expect("the saved file");
    let mut buffer = vec![0u8; 1 << 20];
    let mut offset = 0u64;
    loop {
        let read = saved.read(&mut buffer).await.expect("reads");
        if read == 0 {
            break;
        }
        for (i, byte) in buffer[..read].iter().enumerate() {
            assert_eq!(*byte, pattern(offset + i as u64), "byte {}", offset + i as u64);
        }
        offset += read as u64;
    }
    assert_eq!(offset, LARGE);
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

#[tokio::test]
async fn a_download_reads_as_chunks_or_as_a_reader() {
    let server = MockServer::start().await;
    let body: Vec<u8> = (0..300_000u64).map(pattern).collect();
    Mock::given(method("GET"))
        .and(path("/exports/latest"))
        .and(|request: &wiremock::Request| request.headers.get("accept").is_some_and(|v| v == "*/*"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/zip"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let mut chunks = client.files().latest_export().await.expect("starts");
    let mut got = Vec::new();
    while let Some(chunk) = chunks.next_chunk().await {
        got.extend_from_slice(&chunk.expect("a chunk"));
    }
    assert_eq!(got, body);
    assert!(chunks.next_chunk().await.is_none(), "a finished stream stays finished");
    // The same body through `futures_core::Stream` and through `AsyncRead`.
    let mut stream = client.files().latest_export().await.expect("starts");
    let mut through_stream = Vec::new();
    while let Some(chunk) = std::future::poll_fn(|cx| futures_core::Stream::poll_next(std::pin::Pin::new(&mut stream), cx)).await {
        through_stream.extend_from_slice(&chunk.expect("a chunk"));
    }
    assert_eq!(through_stream, body);
    let mut reader = client.files().latest_export().await.expect("starts").into_reader();
    let mut read = Vec::new();
    reader.read_to_end(&mut read).await.expect("reads");
    assert_eq!(read, body);
}

#[tokio::test]
async fn an_error_answer_to_a_download_is_read_and_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({"title": "gone"})))
        .mount(&server)
        .await;
    let error = client(&server.uri()).files().download("x").await.expect_err("404");
    match error.typed::<fixture_streaming::apis::files::DownloadError>() {
        Some(fixture_streaming::apis::files::DownloadError::NotFound(Ok(problem))) => assert_eq!(problem.title, "gone"),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_breaks_off_is_an_error_item() {
    let (listener, url) = listen().await;
    tokio::spawn(async move {
        let mut socket = accept(&listener).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 1000\r\n\r\n";
        socket.write_all(head.as_bytes()).await.expect("head");
        socket.write_all(&[7u8; 100]).await.expect("part of the body");
        // The connection closes 900 bytes early.
    });
    let download = client(&url).files().download("cut.bin").await.expect("the download starts");
    let mut sink = Vec::new();
    let error = download.write_to(&mut sink).await.expect_err("the body broke off");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!error.is_retryable(), "a stream that broke is not retried");
    assert!(error.to_string().starts_with("downloadFile (GET /files/{name})"), "{error}");
}

#[tokio::test]
async fn an_upload_streams_from_a_reader_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"size": 1})))
        .mount(&server)
        .await;
    let body: Vec<u8> = (0..200_000u64).map(pattern).collect();
    // A pipe written in small pieces by another task: the SDK reads as it is written.
    let (mut writer, reader) = tokio::io::duplex(4096);
    let sent = body.clone();
    let writing = tokio::spawn(async move {
        for piece in sent.chunks(1000) {
            writer.write_all(piece).await.expect("writes");
        }
    });
    let stored = client(&server.uri()).files().upload("up.bin", Body::from_reader(reader)).await.expect("stored");
    assert_eq!(stored.size, Some(1));
    writing.await.expect("the writer finished");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, body);
    assert_eq!(requests[0].headers.get("content-type").map(|v| v.to_str().ok()), Some(Some("application/octet-stream")));

    // PUT is retried after a 503, but not with a body that can be read only once.
    server.reset().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)).jitter(false))
        .build()
        .expect("client");
    let error = client.files().upload("up.bin", Body::from_reader(&b"once"[..])).await.expect_err("503");
    assert_eq!((error.attempts(), error.is_retryable()), (1, false), "{error:?}");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test]
async fn an_upload_from_a_file_is_sent_again_on_a_retry() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"size": 5})))
        .mount(&server)
        .await;
    let dir = std::env::temp_dir().join(format!("fixture-streaming-up-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let file = dir.join("up.txt");
    std::fs::write(&file, b"hello").expect("written");
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)).jitter(false))
        .build()
        .expect("client");
    let stored = client.files().upload("up.txt", Body::from_file(&file)).await.expect("the second attempt works");
    assert_eq!(stored.size, Some(5));
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.body, b"hello");
        assert_eq!(request.headers.get("content-length").map(|v| v.to_str().ok()), Some(Some("5")));
    }
    // Bytes in memory go as they are, and an optional body may be left out.
    server.reset().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    client.files().attach_note(Some(Body::from("a note"))).await.expect("sent");
    client.files().attach_note(None).await.expect("sent");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!((requests[0].body.as_slice(), requests[1].body.as_slice()), (&b"a note"[..], &b""[..]));
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

/// Serves one `text/event-stream` response written by hand as HTTP/1.1 chunks, with a pause
/// before each, then the end of the body.
async fn event_server(chunks: Vec<&'static str>) -> String {
    let (listener, url) = listen().await;
    tokio::spawn(async move {
        let mut socket = accept(&listener).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.expect("head");
        for chunk in chunks {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
            socket.write_all(framed.as_bytes()).await.expect("a chunk");
            socket.flush().await.expect("flushed");
        }
        socket.write_all(b"0\r\n\r\n").await.expect("the end");
    });
    url
}

#[tokio::test]
async fn events_arrive_one_by_one_and_decode_as_the_schema() {
    let url = event_server(vec![
        ": a comment, and a blank line that ends no event\r\n\r\n",
        "id: 1\r\nevent: tick\r\ndata: {\"n\":",
        " 1}\r\n\r\n",
        "data: {\"n\": 2}\nid: 2\nretry: 1500\n",
        "\n",
        // The data is not a Tick: an error item that names the event; the stream goes on.
        "event: tick\ndata: {\"n\": \"three\"}\n\n",
        // CR at the end of one chunk, its LF at the start of the next: one line end, not two.
        "data: {\"n\"\r",
        "\ndata: : 4}\r\n\r\n",
        // The body ends in the middle of this event: it is not yielded.
        "id: 9\ndata: {\"n\": 9}\n",
    ])
    .await;
    let mut events = client(&url).events().stream_ticks().await.expect("the stream opens");
    let first = events.next_event().await.expect("an item").expect("an event");
    assert_eq!((first.event.as_str(), first.id.as_str(), first.retry), ("tick", "1", None));
    assert_eq!(first.data, Tick::new(1));
    let second = events.next_event().await.expect("an item").expect("an event");
    assert_eq!((second.event.as_str(), second.id.as_str()), ("message", "2"));
    assert_eq!((second.data.n, second.retry), (2, Some(Duration::from_millis(1500))));
    let error = events.next_event().await.expect("an item").expect_err("not a Tick");
    let Error::Event(bad) = &error else { panic!("expected Error::Event, got {error:?}") };
    assert_eq!((bad.event(), bad.id(), bad.path(), bad.data()), ("tick", "2", "n", "{\"n\": \"three\"}"));
    let message = error.to_string();
    assert!(message.starts_with("streamTicks (GET /ticks): event `tick` (id `2`)"), "{message}");
    assert!(!error.redacted().to_string().contains("three"), "redacted: {}", error.redacted());
    let fourth = events.next_event().await.expect("an item").expect("the stream went on");
    assert_eq!((fourth.data.n, fourth.id.as_str()), (4, "2"));
    assert!(events.next_event().await.is_none(), "the partial event is dropped and the stream ends");
    assert!(events.next_event().await.is_none());
}

#[tokio::test]
async fn events_without_a_schema_keep_their_data_as_text() {
    let url = event_server(vec!["data: first line\r\ndata: second line\r\n\r\n", "event: note\ndata:  spaced\n\n"]).await;
    let mut events = client(&url).events().stream_logs().await.expect("the stream opens");
    let first = events.next_event().await.expect("an item").expect("an event");
    assert_eq!(first.data, "first line\nsecond line");
    let second = events.next_event().await.expect("an item").expect("an event");
    assert_eq!((second.event.as_str(), second.data.as_str()), ("note", " spaced"));
    assert!(events.next_event().await.is_none());
    // A string schema is text too.
    let url = event_server(vec!["data: {\"not\": \"decoded\"}\n\n"]).await;
    let mut events = client(&url).events().stream_messages().await.expect("the stream opens");
    assert_eq!(events.next_event().await.expect("an item").expect("an event").data, "{\"not\": \"decoded\"}");
}

#[tokio::test]
async fn an_event_that_grows_without_end_is_an_error_not_memory() {
    let (listener, url) = listen().await;
    tokio::spawn(async move {
        let mut socket = accept(&listener).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.expect("head");
        let _ = socket.write_all(b"d\r\ndata: ok\n\n:x\n\r\n").await;
        // A data line that never ends.
        let chunk = format!("400\r\n{}\r\n", "y".repeat(0x400));
        let _ = socket.write_all(b"6\r\ndata: \r\n").await;
        while socket.write_all(chunk.as_bytes()).await.is_ok() {}
    });
    let client = Client::builder().base_url(&url).max_body_size(64 * 1024).build().expect("client");
    let mut events = client.events().stream_logs().await.expect("the stream opens");
    assert_eq!(events.next_event().await.expect("an item").expect("an event").data, "ok");
    let error = events.next_event().await.expect("an item").expect_err("too long");
    let Error::TooLarge(large) = &error else { panic!("expected Error::TooLarge, got {error:?}") };
    assert_eq!(large.limit(), 64 * 1024);
    assert!(error.to_string().contains("an event or line larger than the client's limit"), "{error}");
    assert!(events.next_event().await.is_none(), "the stream ends after it");
}

/// The README's streaming example (README.md, "Streaming bodies and server-sent events"),
/// compiled here against this fixture's SDK, since the Wegly API has no binary or event-stream
/// operation. Keep the two in step.
#[allow(dead_code)]
async fn readme_example(client: &Client) -> fixture_streaming::Result<()> {
    use fixture_streaming::Body;

    // A binary response streams to a file (or any `AsyncWrite`) without being held in memory.
    let bytes = client.files().download("report.pdf").await?.save("report.pdf").await?;
    println!("saved {bytes} bytes");

    // Or chunk by chunk (`ByteStream` is also a `futures::Stream` of `Bytes`).
    let mut download = client.files().download("report.pdf").await?;
    while let Some(chunk) = download.next_chunk().await {
        println!("{} bytes", chunk?.len());
    }

    // A binary request body streams from a file (sent again if the call is retried) or from any
    // `AsyncRead` (sent once: such a call is never retried).
    client.files().upload("backup.tar", Body::from_file("backup.tar")).await?;
    let reader = tokio::io::empty();
    client.files().upload("empty.bin", Body::from_reader(reader)).await?;

    // Server-sent events, each one's data decoded as the spec's schema. An event that does not
    // decode is an `Error::Event` item and the stream goes on; keep the stream open past the
    // client's deadline with a longer timeout.
    let mut ticks = client.events().stream_ticks().timeout(Duration::MAX).await?;
    while let Some(event) = ticks.next_event().await {
        match event {
            Ok(event) => println!("{} {}: {:?}", event.event, event.id, event.data),
            Err(Error::Event(bad)) => eprintln!("skipped: {bad}"),
            Err(error) => return Err(error),
        }
    }
    Ok(())
}
