//! Runs inside the generated `unions` fixture crate: `oneOf` / `anyOf` decode to the first
//! alternative that fits, round-trip, and recursive unions are boxed.

use fixture_unions::models::{Bike, Branch, Car, Cat, Dog, IdOrName, Leaf, Owner, OwnerPet, Pet, Tree, Vehicle};
use serde_json::json;

#[test]
fn alternatives_decode_in_order_and_round_trip() {
    let cat: Pet = serde_json::from_value(json!({"kind": "cat", "lives": 9})).expect("a cat");
    assert_eq!(cat, Pet::Cat(Cat::new("cat".into(), 9)));
    let dog: Pet = serde_json::from_value(json!({"kind": "dog", "good": true})).expect("a dog");
    let mut good_dog = Dog::new("dog".into());
    good_dog.good = Some(true);
    assert_eq!(dog, Pet::Dog(good_dog));
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
fn discriminators_choose_the_variant() {
    // `doggo` is a second mapping value for Dog; encoding writes the first (`dog`).
    let dog: Pet = serde_json::from_value(json!({"kind": "doggo"})).expect("a dog");
    assert!(matches!(&dog, Pet::Dog(d) if d.kind == "doggo"), "{dog:?}");
    assert_eq!(serde_json::to_value(&dog).expect("serializes"), json!({"kind": "dog"}));

    // Without a mapping the values are the schema names. A Car with the fields of a Bike is
    // still a Car: the tag decides, not the shape.
    let car: Vehicle = serde_json::from_value(json!({"type": "Car", "seats": 4})).expect("a car");
    assert_eq!(car, Vehicle::Car(Car::new("Car".into(), 4)));
    let bike: Vehicle = serde_json::from_value(json!({"type": "Bike", "gears": 21})).expect("a bike");
    let mut expected = Bike::new();
    expected.gears = Some(21);
    assert_eq!(bike, Vehicle::Bike(expected.clone()));
    // Bike has no `type` field: encoding adds the tag.
    assert_eq!(serde_json::to_value(Vehicle::Bike(expected)).expect("serializes"), json!({"type": "Bike", "gears": 21}));

    let unknown = serde_json::from_value::<Vehicle>(json!({"type": "Boat"})).expect_err("unknown tag");
    assert!(unknown.to_string().contains("unknown variant `Boat`, expected `Car` or `Bike`"), "{unknown}");
    let missing = serde_json::from_value::<Vehicle>(json!({"seats": 2})).expect_err("no tag");
    assert!(missing.to_string().contains("missing field `type`"), "{missing}");
    let wrong = serde_json::from_value::<Vehicle>(json!({"type": "Car", "seats": "four"})).expect_err("bad field");
    assert!(wrong.to_string().contains("(at `seats`)"), "{wrong}");
}

#[test]
fn recursive_unions_are_boxed() {
    let tree: Tree = serde_json::from_value(json!({"left": {"left": {"value": "x"}}})).expect("a tree");
    let mut leaf = Leaf::new();
    leaf.value = Some("x".into());
    let inner = Branch::new(Box::new(Tree::Leaf(leaf)));
    let expected = Tree::Branch(Box::new(Branch::new(Box::new(Tree::Branch(Box::new(inner))))));
    assert_eq!(tree, expected);
}
