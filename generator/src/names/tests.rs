//! Unit tests of the parent module.

use super::*;

#[test]
fn casing_table() {
    let cases = [
        ("userId", Case::Snake, "user_id"),
        ("user-id", Case::Snake, "user_id"),
        ("Content-Type", Case::Snake, "content_type"),
        ("type", Case::Snake, "r#type"),
        ("gen", Case::Snake, "r#gen"),
        ("self", Case::Snake, "self_"),
        ("crate", Case::Snake, "crate_"),
        ("super", Case::Snake, "super_"),
        ("123abc", Case::Snake, "_123abc"),
        ("chat_detail", Case::Type, "ChatDetail"),
        ("OPEN", Case::Type, "Open"),
        ("processing", Case::Type, "Processing"),
        ("Self", Case::Type, "Self_"),
        ("2fa", Case::Type, "V2fa"),
        ("a.b/c", Case::Type, "ABC"),
        ("ação", Case::Snake, "a_o"),
        ("max-retries", Case::Const, "MAX_RETRIES"),
        ("+1", Case::Snake, "plus_1"),
        ("-1", Case::Snake, "minus_1"),
        ("+1", Case::Type, "Plus1"),
        ("reactions-+1", Case::Snake, "reactions_1"),
        ("-x", Case::Snake, "x"),
    ];
    for (raw, case, expected) in cases {
        assert_eq!(ident(raw, case, "fallback"), expected, "{raw} as {case:?}");
    }
}

#[test]
fn common_endings_are_whole_words() {
    let cases: &[(&[&str], &str)] = &[
        (&["BankAccountCustomer", "PaymentIntentCustomer"], "Customer"),
        (&["WebhookIssuesOpenedIssueUser", "WebhookIssuesClosedIssueUser"], "IssueUser"),
        (&["ChatStatus", "DealStatus", "TaskStatus"], "Status"),
        (&["ChatStatus", "ChatState"], ""),
        (&["UserId", "Id"], "Id"),
        (&["Sid", "Id"], ""),
        (&["Same", "Same"], "Same"),
        (&[], ""),
    ];
    for (names, ending) in cases {
        assert_eq!(common_ending(names), *ending, "{names:?}");
    }
}

#[test]
fn every_keyword_is_made_legal() {
    for keyword in KEYWORDS {
        let name = snake_name(keyword, "x");
        assert!(name.starts_with("r#") || name.ends_with('_'), "{keyword} -> {name}");
        assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{name} is not an identifier");
    }
}

#[test]
fn empty_names_use_the_fallback() {
    assert_eq!(type_name("", "ChatStatus"), "ChatStatus");
    assert_eq!(snake_name("---", "param"), "param");
    assert_eq!(type_name("", ""), "Unnamed");
}

#[test]
fn module_names_are_portable_file_names() {
    for device in ["Con", "AUX", "nul", "Com1", "lpt9", "prn"] {
        let name = module_name(device);
        assert!(!is_device_name(&name), "{device} gives {name}");
        assert_eq!(name, format!("{}_", device.to_ascii_lowercase()));
    }
    assert_eq!(module_name("console"), "console");
    assert!(is_device_name("COM\u{b9}") && is_device_name("nul ") && !is_device_name("com10"));
    let long = "very long name ".repeat(20);
    let name = module_name(&long);
    assert!(name.len() <= MAX_MODULE, "{name}");
    assert_eq!(name, module_name(&long), "stable");
    assert_ne!(name, module_name(&format!("{long} other")), "distinct");
    assert!(name.starts_with("very_long_name_very"), "{name}");
}

#[test]
fn module_names_are_never_raw() {
    assert_eq!(module_name("type"), "type_");
    assert_eq!(module_name("Mod"), "mod_");
    assert_eq!(module_name("ChatDetail"), "chat_detail");
}

#[test]
fn namespaces_order_by_wire_name_and_skip_reserved() {
    let claims = vec![
        Claim::first("user_id", "user_id"),
        Claim::first("userId", "user_id"),
        Claim::first("user-id", "user_id"),
        Claim::first("client", "client"),
    ];
    let (names, renamed) =
        Namespace::reserving(Case::Snake, &["client"]).claim_all(&claims, Order::Wire).unwrap();
    // "user-id" < "userId" < "user_id" in byte order.
    let names: Vec<&str> = names.iter().map(RustIdent::as_str).collect();
    assert_eq!(names, vec!["user_id_3", "user_id_2", "user_id", "client_2"]);
    assert_eq!(renamed.len(), 3);
    assert_eq!(renamed[0].kept_by.as_deref(), Some("user-id"));
    assert_eq!(renamed[2].kept_by, None, "reserved");
}

#[test]
fn later_priorities_yield_whatever_the_wire_names() {
    let claims = vec![Claim::then("a", "body"), Claim::first("z", "body"), Claim::first("y", "r#type")];
    let (names, _) = Namespace::new(Case::Snake).claim_all(&claims, Order::Wire).unwrap();
    let names: Vec<&str> = names.iter().map(RustIdent::as_str).collect();
    assert_eq!(names, vec!["body_2", "body", "r#type"]);
    let claims = vec![Claim::first("b", "Cat"), Claim::first("a", "Cat"), Claim::then("", "Cat")];
    let (names, _) = Namespace::new(Case::Type).claim_all(&claims, Order::Position).unwrap();
    let names: Vec<&str> = names.iter().map(RustIdent::as_str).collect();
    assert_eq!(names, vec!["Cat", "Cat2", "Cat3"]);
}

#[test]
fn preferred_names_fall_back_to_a_free_suffix() {
    let mut namespace = Namespace::new(Case::Type);
    for held in ["Unknown", "UnknownValue", "Other", "UnknownValue2"] {
        namespace.claim(held, held).unwrap();
    }
    let preferred = ["Unknown", "UnknownValue", "Other"];
    assert_eq!(namespace.claim_preferred("", &preferred, "UnknownValue").unwrap().as_str(), "UnknownValue3");
    let mut namespace = Namespace::new(Case::Type);
    namespace.claim("Unknown", "Unknown").unwrap();
    assert_eq!(namespace.claim_preferred("", &preferred, "UnknownValue").unwrap().as_str(), "UnknownValue");
    assert!(namespace.claim("", "not an ident").is_err());
}

#[test]
fn identifiers_are_validated() {
    for good in ["a", "_a", "r#type", "Self_", "V2fa", "user_id_2"] {
        assert!(RustIdent::new(good).is_ok(), "{good}");
    }
    for bad in ["", "_", "2fa", "type", "self", "r#self", "r#foo", "a-b", "ação"] {
        assert!(RustIdent::new(bad).is_err(), "{bad}");
    }
    for keyword in KEYWORDS {
        assert!(RustIdent::new(snake_name(keyword, "x")).is_ok(), "{keyword}");
    }
}
