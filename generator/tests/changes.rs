//! Change reports for pairs of specs taken from the public docs (two published versions of one
//! operation), in both directions, as snapshots; plus the naming guarantees reports rely on.

use std::path::Path;

use sdkwright::surface::{self, diff};

fn surface_of(path: &Path) -> surface::Surface {
    let text = std::fs::read_to_string(path).expect("readable");
    let (api, _) =
        sdkwright::build_ir(&text, "spec.yaml").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    surface::surface(&api)
}

fn report(old: &Path, new: &Path) -> String {
    let report = diff::diff(&surface_of(old), &surface_of(new));
    let name = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    format!("{} → {}\n\n{}", name(old), name(new), report.markdown("0.1.0"))
}

#[test]
fn published_versions_of_create_chat() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/changes/create_chat");
    let compact = dir.join("criar-chat-manual.yaml");
    let indented = dir.join("criacao-manual-de-chat.yaml");
    insta::assert_snapshot!("create_chat_compact_to_indented", report(&compact, &indented));
    insta::assert_snapshot!("create_chat_indented_to_compact", report(&indented, &compact));
}

#[test]
fn published_versions_of_send_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/changes/send_message");
    let compact = dir.join("envio-de-mensagem.yaml");
    let indented = dir.join("envio-de-mensagem-para-chat.yaml");
    insta::assert_snapshot!("send_message_compact_to_indented", report(&compact, &indented));
    insta::assert_snapshot!("send_message_indented_to_compact", report(&indented, &compact));
}

#[test]
fn additions_only_are_not_breaking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/changes/additions");
    let report = diff::diff(&surface_of(&dir.join("before.yaml")), &surface_of(&dir.join("after.yaml")));
    assert_eq!(report.bump(), diff::Bump::Minor, "{report}");
    assert_eq!(report.changes.len(), 5, "{report}");
}

/// Renaming one schema changes only the files that define or mention it.
#[test]
fn renaming_a_schema_touches_only_what_refers_to_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("spec/wegly.yaml")).expect("spec");
    let renamed = text.replace("PhoneNumber", "WhatsappNumber");
    let config = sdkwright::Config::new("wegly.yaml").crate_name("wegly");
    let before = sdkwright::generate_from_str(&config, &text).expect("generates").files;
    let after = sdkwright::generate_from_str(&config, &renamed).expect("generates").files;
    let mut touched: Vec<String> = after
        .iter()
        .filter(|(path, contents)| before.get(path) != Some(*contents))
        .map(|(path, _)| path.to_owned())
        .collect();
    touched
        .extend(before.iter().filter(|(path, _)| after.get(path).is_none()).map(|(path, _)| path.to_owned()));
    touched.sort();
    assert_eq!(
        touched,
        [
            "src/lib.rs",
            "src/models/chat_detail.rs",
            "src/models/mod.rs",
            "src/models/phone_number.rs",
            "src/models/whatsapp_number.rs",
            "surface.yaml",
        ]
    );
    let report = diff::diff(&surface_of_text(&text), &surface_of_text(&renamed));
    assert!(report.is_breaking(), "a renamed type breaks users: {report}");
}

fn surface_of_text(text: &str) -> surface::Surface {
    surface::surface(&sdkwright::build_ir(text, "spec.yaml").expect("lowers").0)
}

/// A model that only responses come to use loses `Serialize`: a break, with the feature that
/// brings it back as the fix; the other way round it is an addition.
#[test]
fn a_serde_direction_that_disappears_breaks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/changes/directions");
    let (before, after) = (surface_of(&dir.join("before.yaml")), surface_of(&dir.join("after.yaml")));
    assert_eq!(before.one_way.get("Note"), None, "nothing uses it: both traits");
    assert_eq!(before.one_way.get("NewNote"), Some(&surface::SerdeTrait::Serialize));
    assert_eq!(after.one_way.get("Note"), Some(&surface::SerdeTrait::Deserialize));
    let report = diff::diff(&before, &after);
    assert!(report.is_breaking(), "{report}");
    let lost = report.changes.iter().find(|c| c.item == "type `Note`").expect("Note's change");
    assert!(lost.what.contains("no longer implements `serde::Serialize`"), "{report}");
    assert!(lost.fix.as_deref().is_some_and(|fix| fix.contains("serde-both")), "{report}");
    let back = diff::diff(&after, &before);
    let gained = back.changes.iter().find(|c| c.item == "type `Note`").expect("Note's change");
    assert_eq!(gained.impact, diff::Impact::Addition, "{back}");
}
