//! Contract tests: every operation of the Wegly spec, called through the generated SDK against
//! Stoplight Prism mocking `spec/wegly.yaml` with request validation on (`--errors`), so a
//! request that does not match the spec fails the test. The calls are the SDK's generated
//! contract test (`generated/tests/contract.rs`), run against the Prism this file starts; the
//! calls here check what that test does not (the decoded responses' contents).
//!
//! Prism comes pinned from npm through `cargo xtask tools` (run by `cargo xtask test`). When it is
//! missing, or does not start, this test fails and says why; it never skips.

use std::collections::BTreeSet;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use wegly::models::{self as m, UpdateChatResponsibleRequest};
use wegly::{Client, Error, RetryPolicy};

const CHAT: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const OTHER: &str = "0b7f1d3e-6a52-4c1e-9d0f-2a3b4c5d6e7f";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A running `prism mock`, stopped when dropped.
struct Prism {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Prism {
    fn start() -> Self {
        let bin = root().join("xtask/npm/node_modules/.bin/prism");
        assert!(
            bin.exists(),
            "Prism is not installed at {}: run `cargo xtask test`, which installs the pinned npm tools",
            bin.display()
        );
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("prism.log");
        let out = std::fs::File::create(&log).expect("log file");
        let child = Command::new(&bin)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string(), "--errors"])
            .arg(root().join("spec/wegly.yaml"))
            .stdout(out.try_clone().expect("log handle"))
            .stderr(out)
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Prism ({}): {e}", bin.display()));
        let mut prism = Prism { child, url: format!("http://127.0.0.1:{port}"), log };
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return prism;
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                panic!("Prism exited with {status} before listening:\n{}", prism.log_text());
            }
            assert!(Instant::now() < deadline, "Prism did not listen within 90 s:\n{}", prism.log_text());
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn log_text(&self) -> String {
        let mut text = String::new();
        let _ = std::fs::File::open(&self.log).and_then(|mut f| f.read_to_string(&mut text));
        text
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uuid(text: &str) -> uuid::Uuid {
    text.parse().expect("a UUID")
}

/// Held while a test runs cargo, so that two runs do not wait on each other's build lock.
static CARGO_RUN: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The variable the generated contract test reads Prism's URL from.
const BASE_URL_VAR: &str = "WEGLY_CONTRACT_BASE_URL";

/// This file's tests, which the run of the generated test below leaves out.
const THIS_FILE: &[&str] =
    &["every_operation_passes_prism_validation", "prism_rejects_requests_the_spec_forbids"];

/// Every operation, called with the example the generator built from the spec, passes Prism's
/// validation: the SDK's generated contract test (`generated/tests/contract.rs`, a test per
/// operation) runs against this Prism, through cargo, with `WEGLY_CONTRACT_BASE_URL` set. Before
/// that, a few calls check what the generated test does not: that Prism answers with the spec's
/// examples and that they decode into populated models.
#[tokio::test(flavor = "multi_thread")]
async fn every_operation_passes_prism_validation() {
    if std::env::var_os(BASE_URL_VAR).is_some() {
        // The run of the generated test this test started: nothing more to do here.
        return;
    }
    let prism = Prism::start();
    let client = Client::builder("contract-test-token")
        .base_url(&prism.url)
        .retry(RetryPolicy::never())
        .build()
        .expect("client builds");
    let fail = |operation: &str, error: Error| -> ! {
        panic!("{operation} failed against Prism: {error}\nPrism log:\n{}", prism.log_text())
    };

    let chat = client.chats().get(uuid(CHAT)).await.unwrap_or_else(|e| fail("getChat", e));
    assert_eq!(chat.id, Some(uuid(CHAT)), "Prism answers with the spec's example");
    let chat = client
        .chats()
        .remove_participant(uuid(CHAT), uuid(OTHER))
        .await
        .unwrap_or_else(|e| fail("removeChatParticipant", e));
    assert!(chat.participants.is_some());
    let mut text = m::SendChatMessageRequest::new();
    text.r#type = Some(m::MessageType::Text);
    text.body = Some("Olá, tudo bem?".into());
    let sent =
        client.chats().send_message(uuid(CHAT), &text).await.unwrap_or_else(|e| fail("sendChatMessage", e));
    assert!(!sent.records().is_empty(), "a page of messages");
    let timeline =
        client.chats().list_timeline(uuid(CHAT)).await.unwrap_or_else(|e| fail("listChatTimeline", e));
    assert!(timeline.total.is_some());
    let unread =
        client.chats().get_unread_summary().await.unwrap_or_else(|e| fail("getChatUnreadSummary", e));
    assert!(unread.unread_chats_total.is_some());
    let mut responsible = UpdateChatResponsibleRequest::new(uuid(CHAT));
    responsible.update_chat = Some(true);
    client
        .chats()
        .update_responsible(uuid(CHAT), &responsible)
        .await
        .unwrap_or_else(|e| fail("updateChatResponsible", e));

    // The generated test, one test per operation, against the same Prism. `--workspace` keeps
    // the features of this run, so nothing is rebuilt; this file's tests are skipped there.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.args(["test", "--workspace", "--test", "contract", "--"]).current_dir(root());
    for test in THIS_FILE {
        command.args(["--skip", test]);
    }
    let output = {
        let _one_at_a_time = CARGO_RUN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        command.env(BASE_URL_VAR, &prism.url).output().expect("cargo runs")
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report =
        format!("{stdout}\n{}\nPrism log:\n{}", String::from_utf8_lossy(&output.stderr), prism.log_text());
    assert!(output.status.success(), "the generated contract test failed against Prism:\n{report}");

    // Every operation of the spec has its test, and each passed.
    let text = std::fs::read_to_string(root().join("spec/wegly.yaml")).expect("spec");
    let (api, _) = sdkwright::build_ir(&text, "wegly.yaml").expect("spec lowers");
    let operations = api.groups.iter().map(|g| g.operations.len()).sum::<usize>();
    let generated =
        std::fs::read_to_string(root().join("generated/tests/contract.rs")).expect("generated test");
    let tests: BTreeSet<&str> = generated
        .lines()
        .filter_map(|line| line.trim().strip_prefix("async fn ")?.strip_suffix("() {"))
        .collect();
    assert_eq!(tests.len(), operations, "a generated test per operation");
    let passed: BTreeSet<&str> =
        stdout.lines().filter_map(|line| line.strip_prefix("test ")?.strip_suffix(" ... ok")).collect();
    let missing: Vec<&&str> = tests.iter().filter(|test| !passed.contains(**test)).collect();
    assert!(missing.is_empty(), "generated tests that did not pass: {missing:?}\n{report}");
    println!("the generated contract test passed against Prism: {} operations", tests.len());
}

/// Prism does reject what the spec forbids, so the test above can fail.
#[tokio::test(flavor = "multi_thread")]
async fn prism_rejects_requests_the_spec_forbids() {
    if std::env::var_os(BASE_URL_VAR).is_some() {
        return;
    }
    let prism = Prism::start();
    let http = wegly::reqwest::Client::new();
    let no_token =
        http.get(format!("{}/integrations/external/chats/{CHAT}", prism.url)).send().await.expect("answers");
    assert_eq!(no_token.status().as_u16(), 401, "a request without a token is refused");
    let bad_id = http
        .get(format!("{}/integrations/external/chats/not-a-uuid", prism.url))
        .bearer_auth("t")
        .send()
        .await
        .expect("answers");
    assert_eq!(bad_id.status().as_u16(), 422, "a malformed path parameter is refused");
    let bad_body = http
        .patch(format!("{}/integrations/external/chats/{CHAT}/responsible", prism.url))
        .bearer_auth("t")
        .header("content-type", "application/json")
        .body(r#"{"update_chat": "yes"}"#)
        .send()
        .await
        .expect("answers");
    assert_eq!(bad_body.status().as_u16(), 422, "a body without user_id is refused");
}

/// Runs one test of the generated contract test against `url`; its output, and whether it
/// passed.
fn run_generated(test: &str, url: &str) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let _one_at_a_time = CARGO_RUN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let output = Command::new(cargo)
        .args(["test", "--workspace", "--test", "contract", "--", "--exact", test])
        .current_dir(root())
        .env(BASE_URL_VAR, url)
        .output()
        .expect("cargo runs");
    let text =
        format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

/// The generated test fails, saying what the server said, when the server refuses the request
/// as Prism does (422 with the violations) or accepts it with an `sl-violations` header.
#[tokio::test(flavor = "multi_thread")]
async fn the_generated_contract_test_fails_with_the_violation() {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    if std::env::var_os(BASE_URL_VAR).is_some() {
        return;
    }
    let refused = MockServer::start().await;
    let problem = serde_json::json!({
        "type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
        "title": "Invalid request",
        "status": 422,
        "validation": [{"location": ["path", "id"], "severity": "Error", "message": "must match format \"uuid\""}],
    });
    Mock::given(any()).respond_with(ResponseTemplate::new(422).set_body_json(problem)).mount(&refused).await;
    let (passed, output) = run_generated("chats_get", &refused.uri());
    assert!(!passed, "a refused request fails the test:\n{output}");
    assert!(
        output.contains("getChat: the mock server refused the request with 422")
            && output.contains(r#"must match format \"uuid\""#),
        "the message has the violation:\n{output}"
    );

    let flagged = MockServer::start().await;
    let header = r#"[{"location":["request","body"],"message":"must have required property 'user_id'"}]"#;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("sl-violations", header)
                .set_body_json(serde_json::json!({})),
        )
        .mount(&flagged)
        .await;
    let (passed, output) = run_generated("chats_get", &flagged.uri());
    assert!(!passed, "reported violations fail the test:\n{output}");
    assert!(
        output.contains("getChat: the mock server reports violations of the spec")
            && output.contains("must have required property 'user_id'"),
        "the message has the violation:\n{output}"
    );
}
