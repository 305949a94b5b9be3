//! Runs inside the generated `requests` fixture crate: the list envelope is the generic `Page`,
//! closed request-only enums cannot hold other values, and open objects keep what they do not
//! name through a round trip.

use fixture_requests::Page;
use fixture_requests::models::{CreateDeal, Deal, Note, NoteKind, NoteList, Rating, Temperature};
use serde_json::json;

#[test]
fn the_list_envelope_is_a_page() {
    let page: NoteList = serde_json::from_value(json!({"total": 3, "records": [{"text": "a"}]})).expect("page");
    assert_eq!(page.total, Some(3));
    let mut note = Note::new();
    note.text = Some("a".into());
    assert_eq!(page.records(), &[note]);
    let empty: Page<Note> = serde_json::from_value(json!({"total": null})).expect("empty page");
    assert!(empty.records().is_empty());
    assert_eq!(empty.into_iter().count(), 0);
}

#[test]
fn closed_request_enums_have_no_catch_all() {
    let mut body = CreateDeal::new("Big deal".into());
    body.rating = Some(Rating::V5);
    body.temperature = Some(Temperature::V2);
    assert_eq!(serde_json::to_value(&body).expect("serializes"), json!({"title": "Big deal", "rating": 5, "temperature": 2}));
    assert_eq!(Rating::ALL.len(), 5);
    assert!(serde_json::from_value::<Rating>(json!(6)).is_err());
    assert_eq!(serde_json::from_value::<NoteKind>(json!("email")).expect("known"), NoteKind::Email);
    assert_eq!(NoteKind::Call.to_string(), "call");
    // Temperature is also in a response, so it keeps values added later.
    assert_eq!(serde_json::from_value::<Temperature>(json!(9)).expect("kept"), Temperature::Unknown(9));
}

#[test]
fn open_objects_round_trip_unknown_fields() {
    let sent = json!({"id": "d-1", "temperature": 1, "stage": {"id": "s", "name": "Won"}, "tags": ["a"], "value": 75000.5});
    let deal: Deal = serde_json::from_value(sent.clone()).expect("decodes");
    assert_eq!(deal.id.as_deref(), Some("d-1"));
    assert_eq!(deal.additional_properties.get("tags"), Some(&json!(["a"])));
    assert_eq!(serde_json::to_value(&deal).expect("serializes"), sent);
}
