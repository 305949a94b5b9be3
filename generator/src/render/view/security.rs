//! The view of per-operation security: when the operations do not all need the same one scheme
//! ([`Api::uniform_auth`] is false), `src/apis/mod.rs` declares each scheme the operations use
//! as a constant, the client builder gets a setter per scheme, and each operation's request
//! names its requirements (`.security(..)`); the runtime's `security.rs` picks the first
//! alternative the client has credentials for.
//!
//! Input: the IR's schemes and operations. Output: [`SchemesView`] (for `apis/mod.rs.j2`) and
//! each operation's `.security(..)` call, as Rust text.

use serde::Serialize;

use crate::ir::{self, Api, ApiKeyLocation, Auth};
use crate::render::docs::code_span;
use crate::render::rust::string_literal;

use super::docs;

/// The schemes the client holds credentials for, one setter each.
#[derive(Debug, Serialize)]
pub struct SchemesView {
    pub schemes: Vec<SchemeView>,
    /// With one scheme, `Client::new` and `Client::builder` take its credential; `None` with
    /// several, when they take nothing and each scheme's setter is called instead.
    pub single: Option<SingleView>,
    /// Whether a scheme is HTTP basic (the runtime encodes the pair).
    pub basic: bool,
}

/// One security scheme.
#[derive(Debug, Serialize)]
pub struct SchemeView {
    pub const_name: String,
    /// The scheme's name as a Rust string literal.
    pub key_literal: String,
    /// The scheme's name as a Markdown code span, backticks included.
    pub key_doc: String,
    /// The runtime's `Place` of its credential, as a Rust expression.
    pub place: String,
    /// What its credential is and where it goes, for docs.
    pub what: String,
    pub setter: String,
    /// The setter's parameters.
    pub params: String,
    /// The setter's argument names, comma-separated.
    pub args: String,
    /// The secret the setter hands the runtime, as a Rust expression of the parameters.
    pub value: String,
    /// The scheme's description.
    pub docs: Vec<String>,
}

/// The constructors of a client whose spec has one scheme.
#[derive(Debug, Serialize)]
pub struct SingleView {
    pub params: String,
    pub args: String,
    pub setter: String,
    pub what: String,
}

/// The view of the schemes, when the operations' security is not uniform.
pub fn schemes(api: &Api) -> Option<SchemesView> {
    if api.uniform_auth() {
        return None;
    }
    let schemes: Vec<SchemeView> = api.schemes.iter().map(scheme).collect();
    let single = match schemes.as_slice() {
        [only] => Some(SingleView {
            params: only.params.clone(),
            args: only.args.clone(),
            setter: only.setter.clone(),
            what: only.what.clone(),
        }),
        _ => None,
    };
    let basic = api.schemes.iter().any(|s| matches!(s.kind, Auth::Basic { .. }));
    Some(SchemesView { schemes, single, basic })
}

fn scheme(scheme: &ir::SecurityScheme) -> SchemeView {
    let token = ("token: impl Into<String>", "token", "token.into()");
    let header = |name: &str, prefix: &str| {
        format!(
            "crate::security::Place::Header {{ name: {}, prefix: {} }}",
            string_literal(&name.to_ascii_lowercase()),
            string_literal(prefix)
        )
    };
    let (place, what, (params, args, value), description) = match &scheme.kind {
        Auth::Bearer { description } => (
            header("authorization", "Bearer "),
            "a bearer token (`Authorization: Bearer`)".to_owned(),
            token,
            description,
        ),
        Auth::Basic { description } => (
            header("authorization", "Basic "),
            "a user name and password (HTTP basic)".to_owned(),
            (
                "username: impl AsRef<str>, password: impl AsRef<str>",
                "username, password",
                "crate::security::basic(username.as_ref(), password.as_ref())",
            ),
            description,
        ),
        Auth::ApiKey { location, name, description } => {
            let (place, where_) = match location {
                ApiKeyLocation::Header => (header(name, ""), "header"),
                ApiKeyLocation::Query => (
                    format!("crate::security::Place::Query {{ name: {} }}", string_literal(name)),
                    "query parameter",
                ),
                ApiKeyLocation::Cookie => {
                    (format!("crate::security::Place::Cookie {{ name: {} }}", string_literal(name)), "cookie")
                }
            };
            (place, format!("an API key (the {where_} `{}`)", code_span(name)), token, description)
        }
        // Lowering never lists a scheme the client cannot apply.
        Auth::None => (String::new(), String::new(), token, &None),
    };
    SchemeView {
        const_name: scheme.const_name.clone(),
        key_literal: string_literal(&scheme.key),
        key_doc: format!("`{}`", code_span(&scheme.key)),
        place,
        what,
        setter: scheme.setter.clone(),
        params: params.to_owned(),
        args: args.to_owned(),
        value: value.to_owned(),
        docs: docs(description.as_deref()),
    }
}

/// The `.security(..)` call of an operation's request, when security is per operation.
pub fn security_call(api: &Api, op: &ir::Operation) -> Option<String> {
    if api.uniform_auth() {
        return None;
    }
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|requirement| {
            let schemes: Vec<String> = requirement
                .iter()
                .filter_map(|index| api.schemes.get(*index))
                .map(|scheme| format!("&crate::apis::{}", scheme.const_name))
                .collect();
            format!("&[{}]", schemes.join(", "))
        })
        .collect();
    Some(format!("security(&[{}])", alternatives.join(", ")))
}
