//! Runs inside the generated `unions` fixture crate: `oneOf` / `anyOf` decode to the first
//! alternative that fits, round-trip, and recursive unions are boxed.

use fixture_unions::models::{Branch, Cat, Dog, IdOrName, Leaf, Owner, OwnerPet, Pet, Tree};
use serde_json::json;

#[test]
fn alternatives_decode_in_order_and_round_trip() {
    let cat: Pet = serde_json::from_value(json!({"kind": "cat", "lives": 9})).expect("a cat");
    assert_eq!(cat, Pet::Cat(Cat { kind: "cat".into(), lives: 9 }));
    let dog: Pet = serde_json::from_value(json!({"kind": "dog", "good": true})).expect("a dog");
    assert_eq!(dog, Pet::Dog(Dog { kind: "dog".into(), good: Some(true) }));
    assert_eq!(serde_json::to_value(&dog).expect("serializes"), json!({"kind": "dog", "good": true}));

    let ids: Vec<IdOrName> = serde_json::from_value(json!([7, "seven", ["a", "b"]])).expect("ids");
    assert_eq!(ids[0], IdOrName::I64(7));
    assert_eq!(ids[1], IdOrName::String("seven".into()));
    assert_eq!(ids[2], IdOrName::StringList(vec!["a".into(), "b".into()]));
    assert!(serde_json::from_value::<IdOrName>(json!({"no": "match"})).is_err());

    let owner: Owner = serde_json::from_value(json!({"pet": {"name": "Rex"}, "id": 3})).expect("owner");
    assert!(matches!(owner.pet, Some(OwnerPet::OwnerPetVariant2(_))), "{owner:?}");
    let owner: Owner = serde_json::from_value(json!({"pet": null})).expect("null pet");
    assert_eq!(owner.pet, None);
}

#[test]
fn recursive_unions_are_boxed() {
    let tree: Tree = serde_json::from_value(json!({"left": {"left": {"value": "x"}}})).expect("a tree");
    let expected = Tree::Branch(Box::new(Branch {
        left: Box::new(Tree::Branch(Box::new(Branch { left: Box::new(Tree::Leaf(Leaf { value: Some("x".into()) })) }))),
    }));
    assert_eq!(tree, expected);
}
