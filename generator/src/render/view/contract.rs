//! The view of `tests/contract.rs`: a test per operation that calls it with its example
//! against a mock server of the spec.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::ir::Api;
use crate::render::docs::code_span;
use crate::render::example::example_call;
use crate::render::rust::string_literal;

use super::{CrateInfo, client_args};

/// `tests/contract.rs`.
#[derive(Debug, Serialize)]
pub struct ContractView {
    pub title: String,
    /// The crate's Rust name.
    pub krate: String,
    /// The variable with the mock server's base URL, and it as a string literal.
    pub env_var: String,
    pub env_var_literal: String,
    pub client_args: &'static str,
    /// Some operation or field an example uses is deprecated.
    pub deprecated: bool,
    pub operations: Vec<ContractOperation>,
}

/// The test of one operation.
#[derive(Debug, Serialize)]
pub struct ContractOperation {
    pub test_name: String,
    pub test_name_literal: String,
    /// `METHOD /path`, for the docs.
    pub http: String,
    pub operation_id: String,
    pub operation_id_literal: String,
    pub setup: Vec<String>,
    pub call: String,
}

/// The variable a crate's contract test reads the mock server's base URL from.
pub fn contract_env_var(krate: &str) -> String {
    format!("{}_CONTRACT_BASE_URL", krate.replace('-', "_").to_ascii_uppercase())
}

/// The view of `tests/contract.rs`.
pub fn contract(api: &Api, krate: &CrateInfo) -> ContractView {
    let ident = krate.name.replace('-', "_");
    let env_var = contract_env_var(&krate.name);
    let mut names = BTreeSet::new();
    let mut operations = Vec::new();
    let mut deprecated = false;
    for group in &api.groups {
        for op in &group.operations {
            let example = example_call(api, &ident, &group.accessor, op);
            deprecated |= op.deprecated || api_uses_deprecated(api, op);
            let base =
                format!("{}_{}", crate::names::unraw(&group.accessor), crate::names::unraw(&op.method_name));
            let test_name = (1..)
                .map(|n| if n == 1 { base.clone() } else { format!("{base}_{n}") })
                .find(|name| !names.contains(name))
                .unwrap_or_default();
            names.insert(test_name.clone());
            operations.push(ContractOperation {
                test_name_literal: string_literal(&test_name),
                test_name,
                http: format!("{} {}", op.http_method.as_str(), code_span(&op.path.raw)),
                operation_id: code_span(&op.operation_id),
                operation_id_literal: string_literal(&op.operation_id),
                setup: example.setup,
                call: example.call,
            });
        }
    }
    ContractView {
        title: crate::render::docs::one_line(&api.title),
        krate: ident,
        env_var_literal: string_literal(&env_var),
        env_var,
        client_args: client_args(api),
        deprecated,
        operations,
    }
}

/// Whether an example may touch a deprecated item: a deprecated field anywhere in the API (the
/// examples set only fields the spec's examples give, but telling which is not worth it).
fn api_uses_deprecated(api: &Api, _op: &crate::ir::Operation) -> bool {
    api.types.iter().any(|def| {
        def.deprecated
            || matches!(&def.kind, crate::ir::TypeKind::Struct(s) if s.fields.iter().any(|f| f.deprecated))
    })
}
