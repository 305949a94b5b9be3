//! Contract tests: every operation of the Wegly spec, called through the generated SDK against
//! Stoplight Prism mocking `spec/wegly.yaml` with request validation on (`--errors`), so a
//! request that does not match the spec fails the test.
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

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_passes_prism_validation() {
    let prism = Prism::start();
    let client = Client::builder("contract-test-token")
        .base_url(&prism.url)
        .retry(RetryPolicy::never())
        .build()
        .expect("client builds");
    let fail = |operation: &str, error: Error| -> ! {
        panic!("{operation} failed against Prism: {error}\nPrism log:\n{}", prism.log_text())
    };
    let mut called = BTreeSet::new();

    let chat = client.chats().get(uuid(CHAT)).await.unwrap_or_else(|e| fail("getChat", e));
    assert_eq!(chat.id, Some(uuid(CHAT)), "Prism answers with the spec's example");
    called.insert("getChat");

    let chat = client
        .chats()
        .remove_participant(uuid(CHAT), uuid("0b7f1d3e-6a52-4c1e-9d0f-2a3b4c5d6e7f"))
        .await
        .unwrap_or_else(|e| fail("removeChatParticipant", e));
    assert!(chat.participants.is_some());
    called.insert("removeChatParticipant");

    let mut body = UpdateChatResponsibleRequest::new(uuid(CHAT));
    body.update_chat = Some(true);
    body.update_leads = Some(false);
    client
        .chats()
        .update_responsible(uuid(CHAT), &body)
        .await
        .unwrap_or_else(|e| fail("updateChatResponsible", e));
    called.insert("updateChatResponsible");

    let mut template = m::MessageTemplate::new();
    template.name = Some("saudacao_inicial".into());
    template.language = Some("pt_BR".into());
    let mut field = m::TemplateField::new();
    field.component = Some(m::TemplateComponent::from("BODY"));
    field.r#type = Some(m::TemplateFieldType::from("TEXT"));
    field.index = Some(1);
    field.value = Some("João".into());
    let mut chat = m::CreateChatRequest::new();
    chat.whatsapp_phone_id = Some(uuid(CHAT));
    chat.wa_contact_id = Some("11999999999".into());
    chat.template = Some(template);
    chat.template_fields = Some(vec![field]);
    let created = client.chats().create(&chat).await.unwrap_or_else(|e| fail("createChat", e));
    assert!(created.id.is_some());
    called.insert("createChat");

    let mut text = m::SendChatMessageRequest::new();
    text.r#type = Some(m::MessageType::Text);
    text.body = Some("Olá, tudo bem?".into());
    let sent =
        client.chats().send_message(uuid(CHAT), &text).await.unwrap_or_else(|e| fail("sendChatMessage", e));
    assert!(!sent.records().is_empty(), "a page of messages");
    called.insert("sendChatMessage");

    let mut location = m::SendLocationMessageRequest::new();
    location.latitude = Some(-23.55);
    location.longitude = Some(-46.63);
    location.name = Some("Escritório".into());
    location.address = Some("Av. Paulista, 1000".into());
    client
        .chats()
        .send_location_message(uuid(CHAT), &location)
        .await
        .unwrap_or_else(|e| fail("sendChatLocationMessage", e));
    called.insert("sendChatLocationMessage");

    let mut prompt = m::InteractiveBody::new();
    prompt.text = Some("Escolha".into());
    let mut interactive = m::SendInteractiveMessageRequest::new();
    interactive.interactive_type = Some(m::InteractiveType::from("button"));
    interactive.body = Some(prompt);
    client
        .chats()
        .send_interactive_message(uuid(CHAT), &interactive)
        .await
        .unwrap_or_else(|e| fail("sendChatInteractiveMessage", e));
    called.insert("sendChatInteractiveMessage");

    let timeline =
        client.chats().list_timeline(uuid(CHAT)).await.unwrap_or_else(|e| fail("listChatTimeline", e));
    assert!(timeline.total.is_some());
    called.insert("listChatTimeline");

    let unread =
        client.chats().get_unread_summary().await.unwrap_or_else(|e| fail("getChatUnreadSummary", e));
    assert!(unread.unread_chats_total.is_some());
    called.insert("getChatUnreadSummary");

    client
        .chats()
        .remove_message_reaction(uuid(CHAT), uuid(OTHER))
        .await
        .unwrap_or_else(|e| fail("removeChatMessageReaction", e));
    called.insert("removeChatMessageReaction");

    let mut scheduled = m::UpdateScheduledMessageRequest::new();
    scheduled.cancel_on_inbound = Some(true);
    scheduled.body = Some("Lembrete".into());
    client
        .chats()
        .update_scheduled_message(uuid(CHAT), uuid(OTHER), &scheduled)
        .await
        .unwrap_or_else(|e| fail("updateChatScheduledMessage", e));
    called.insert("updateChatScheduledMessage");

    let mut deal = m::CreateDealRequest::new("Website redesign".into());
    deal.value = Some(75000.5);
    deal.quality_rating = Some(m::DealQualityRating::V4);
    deal.visibility = Some(0);
    deal.temperature = Some(3);
    deal.tags = Some(vec!["vip".into()]);
    client.deals().create(&deal).await.unwrap_or_else(|e| fail("createDeal", e));
    called.insert("createDeal");
    client.deals().get(CHAT).await.unwrap_or_else(|e| fail("getDeal", e));
    called.insert("getDeal");

    let mut follower = m::AddLeadFollowerRequest::new(uuid(CHAT), uuid(OTHER));
    follower.notes = Some("Owner".into());
    client.leads().add_follower(uuid(CHAT), &follower).await.unwrap_or_else(|e| fail("addLeadFollower", e));
    called.insert("addLeadFollower");

    let mut proposal = m::UpdateProposalRequest::new();
    proposal.title = Some("Proposta".into());
    proposal.status = Some(1);
    client.proposals().update(uuid(CHAT), &proposal).await.unwrap_or_else(|e| fail("updateProposal", e));
    called.insert("updateProposal");

    let mut task = m::CreateTaskRequest::new();
    task.title = Some("Call back".into());
    task.priority = Some(0);
    client.tasks().create(&task).await.unwrap_or_else(|e| fail("createTask", e));
    called.insert("createTask");

    client.files().get(uuid(CHAT)).await.unwrap_or_else(|e| fail("getFile", e));
    called.insert("getFile");

    let mut upload = m::CreateFileBatchRequest::new();
    upload.crm_lead_id = Some(uuid(CHAT));
    upload.title = Some("Contracts".into());
    // One `file` part: Prism 5.14 reads repeated parts (the `files` array) as one value and
    // refuses them (stoplightio/prism PR #2654 is still open); `sdk_multipart.rs` checks the
    // repeated parts on the wire instead.
    upload.file = Some(wegly::UploadFile::from_bytes("a.txt", &b"hello"[..]).content_type("text/plain"));
    client.files().create_batch(&upload).await.unwrap_or_else(|e| fail("createFileBatch", e));
    called.insert("createFileBatch");

    // Every operation of the spec is covered: a new operation needs a call above.
    let text = std::fs::read_to_string(root().join("spec/wegly.yaml")).expect("spec");
    let (api, _) = sdkwright::build_ir(&text, "wegly.yaml").expect("spec lowers");
    let in_spec: BTreeSet<String> =
        api.groups.iter().flat_map(|g| &g.operations).map(|op| op.operation_id.clone()).collect();
    let called: BTreeSet<String> = called.into_iter().map(str::to_owned).collect();
    assert_eq!(in_spec, called, "operations without a contract test");
}

/// Prism does reject what the spec forbids, so the test above can fail.
#[tokio::test(flavor = "multi_thread")]
async fn prism_rejects_requests_the_spec_forbids() {
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
