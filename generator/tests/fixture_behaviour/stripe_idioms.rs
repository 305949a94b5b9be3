//! Runs inside the generated `stripe_idioms` fixture crate against a local HTTP server: a
//! one-member `anyOf`/`oneOf` is its member's type (no wrapper enum), a body that can hold
//! nothing is no argument and is not sent (a required JSON one is sent as `{}`), and an
//! expandable field that two objects repeat is one type, named from its alternatives.

use fixture_stripe_idioms::Client;
use fixture_stripe_idioms::models::{
    Address, BankAccount, Customer, CustomerInvoiceSettings, CustomerObject, CustomerOrDeletedCustomerOrString,
    OptionalFieldsAddress, PaymentIntent, PostCustomersCustomerRequest,
};
use serde_json::json;
use wiremock::matchers::{body_json, body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn customer_json() -> serde_json::Value {
    json!({"id": "cus_1", "object": "customer", "address": {"city": "Recife"}, "invoice_settings": {"footer": "Thanks"}})
}

#[test]
fn a_nullable_reference_is_its_member() {
    let customer: Customer = serde_json::from_value(customer_json()).expect("a customer");
    // The fields have the members' own types: these bindings name them.
    let address: Option<Address> = customer.address.clone();
    let settings: Option<CustomerInvoiceSettings> = customer.invoice_settings.clone();
    assert_eq!(address.and_then(|a| a.city).as_deref(), Some("Recife"));
    assert_eq!(settings.and_then(|s| s.footer).as_deref(), Some("Thanks"));
    let cleared: Customer = serde_json::from_value(json!({"id": "cus_1", "object": "customer", "address": null})).expect("null");
    assert_eq!(cleared.address, None);
    assert_eq!(serde_json::to_value(&customer).expect("encodes"), customer_json());
}

#[tokio::test]
async fn bodies_that_hold_nothing_are_not_arguments_and_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/customers/cus_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "cus_1", "deleted": true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/customers/cus_1/verify"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/customers/cus_1"))
        .and(body_string("name=Ana+Lima"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("client");
    // The one-member `oneOf` response is the customer itself.
    let customer: Customer = client.customers().get("cus_1").await.expect("retrieved");
    assert_eq!(customer.object, CustomerObject::Customer);
    let deleted = client.customers().delete("cus_1").await.expect("deleted");
    assert_eq!(deleted.id, "cus_1");
    client.customers().post_verify("cus_1").await.expect("verified");
    let mut update = PostCustomersCustomerRequest::new();
    update.name = Some("Ana Lima".into());
    client.customers().post("cus_1", Some(&update)).await.expect("updated");

    let requests = server.received_requests().await.expect("requests are recorded");
    for request in requests.iter().filter(|r| r.method.as_str() != "POST") {
        assert!(request.body.is_empty(), "{} sent a body: {:?}", request.method, request.body);
        assert!(request.headers.get("content-type").is_none(), "{} sent a content type", request.method);
    }
}

#[test]
fn a_repeated_expandable_field_is_one_type_named_from_its_alternatives() {
    let intent: PaymentIntent = serde_json::from_value(json!({"id": "pi_1", "customer": "cus_1"})).expect("an intent");
    let bank: BankAccount = serde_json::from_value(json!({"id": "ba_1", "customer": customer_json()})).expect("a bank account");
    // Both fields have the one shared type.
    let by_id: Option<CustomerOrDeletedCustomerOrString> = intent.customer;
    let expanded: Option<CustomerOrDeletedCustomerOrString> = bank.customer;
    assert_eq!(by_id, Some(CustomerOrDeletedCustomerOrString::String("cus_1".into())));
    assert!(matches!(expanded, Some(CustomerOrDeletedCustomerOrString::Customer(c)) if c.id == "cus_1"));
    // Shared inline objects with a `title` are named after it.
    let shipping: Option<OptionalFieldsAddress> = intent.shipping_address;
    assert_eq!(shipping, None);
}
