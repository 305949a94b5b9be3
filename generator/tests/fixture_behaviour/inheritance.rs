//! Runs inside the generated `inheritance` fixture crate: a base schema that others extend is
//! decoded into the extending schema its discriminator names, any other value keeps the base's
//! fields, and encoding writes each variant's value.

use fixture_inheritance::Client;
use fixture_inheritance::models::{AnyPet, Cat, CatHuntingSkill, Dog, Pet, PetBase, Puppy};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn the_discriminator_chooses_the_extending_schema() {
    let cat: Pet = serde_json::from_value(json!({"petType": "Cat", "name": "Tom", "huntingSkill": "lazy"})).expect("a cat");
    let mut tom = Cat::new("Cat".into(), "Tom".into());
    tom.hunting_skill = Some(CatHuntingSkill::Lazy);
    assert_eq!(cat, Pet::Cat(tom));

    // `mapping` names Dog's value; the schema name is then not one.
    let dog: Pet = serde_json::from_value(json!({"petType": "dog", "name": "Rex", "packSize": 3})).expect("a dog");
    assert_eq!(dog, Pet::Dog(Dog::new("dog".into(), "Rex".into(), 3)));
    assert!(serde_json::from_value::<Pet>(json!({"petType": "dog", "name": "Rex"})).is_err(), "packSize is required");

    let lizard: Pet = serde_json::from_value(json!({"petType": "lizard", "name": "Liz", "lovesRocks": true})).expect("a lizard");
    assert!(matches!(&lizard, Pet::Lizard(l) if l.loves_rocks == Some(true)), "{lizard:?}");

    // Puppy extends Dog, which extends Pet: it is a Pet too, with every field of the three.
    let puppy: Pet = serde_json::from_value(json!({"petType": "Puppy", "name": "Bit", "packSize": 1, "chewsShoes": true}))
        .expect("a puppy");
    let mut bit = Puppy::new("Puppy".into(), "Bit".into(), 1);
    bit.chews_shoes = Some(true);
    assert_eq!(puppy, Pet::Puppy(bit));

    // A value no extending schema has keeps the fields the base declares and the others, and
    // encodes as it came.
    let parrot = json!({"petType": "Parrot", "name": "Polly", "friends": [{"petType": "Cat", "name": "Tom"}], "talks": true});
    let decoded: Pet = serde_json::from_value(parrot.clone()).expect("another pet");
    let Pet::Other(PetBase { pet_type, name, friends, .. }) = &decoded else { panic!("{decoded:?}") };
    assert_eq!((pet_type.as_str(), name.as_str()), ("Parrot", "Polly"));
    let Pet::Other(base) = &decoded else { unreachable!() };
    assert_eq!(base.additional_properties.get("talks"), Some(&json!(true)));
    assert!(matches!(friends.as_deref(), Some([Pet::Cat(_)])), "{friends:?}");
    assert_eq!(serde_json::to_value(&decoded).expect("encodes"), parrot);

    // Without the tag it is read as the base, which here requires it.
    let error = serde_json::from_value::<Pet>(json!({"name": "Nobody"})).expect_err("the base requires petType");
    assert!(error.to_string().contains("petType"), "{error}");

    // A schema that only refers to the base is the base.
    let any: AnyPet = dog.clone();
    assert_eq!(serde_json::to_value(&any).expect("encodes")["petType"], "dog");
}

#[tokio::test]
async fn requests_and_responses_carry_the_variant() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"petType": "dog", "name": "Rex", "packSize": 2})))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/pets/7"))
        .and(body_json(json!({"petType": "Cat", "name": "Tom"})))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("client");
    let pet = client.pets().get("7").await.expect("a pet");
    assert_eq!(pet, Pet::Dog(Dog::new("dog".into(), "Rex".into(), 2)));
    // The variant writes its own value, whatever its field says.
    let tom = Pet::Cat(Cat::new("something else".into(), "Tom".into()));
    client.pets().put("7", &tom).await.expect("stored");
}
