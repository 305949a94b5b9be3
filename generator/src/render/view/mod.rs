//! View models: what each template prints, computed from the IR.
//!
//! Input: an analyzed [`ir::Api`]. Output: serializable structs whose fields are final text:
//! Rust type expressions, literals, doc lines and names. Templates loop over them and branch on
//! their booleans; every decision is taken here or earlier. This module has the crate-level
//! views (lib.rs, Cargo.toml, README, runtime files); `models` and `operations` have the rest.

mod contract;
mod models;
mod operations;
mod paging;
mod runtime;
mod security;

pub use contract::*;
pub use models::*;
pub use operations::*;
pub use paging::check as check_paging;
pub use runtime::*;
pub use security::*;

use serde::Serialize;

use super::docs::{code_span, one_line, rustdoc_lines};
use super::escape::{one_line_plain, toml_string};
use super::rust::string_literal;
use crate::ir::{self, Api, ParamLocation, SuccessResponse, TypeDef};

/// Facts about the generated crate that do not come from the spec.
#[derive(Debug, Clone, Serialize)]
pub struct CrateInfo {
    /// The crate name.
    pub name: String,
    /// The crate version.
    pub version: String,
    /// The spec file as the header names it, relative to the repository.
    pub spec_label: String,
    /// A short hash of the spec's text.
    pub fingerprint: String,
    /// The generator's version.
    pub generator_version: String,
    /// Package metadata from the configuration beside the spec.
    pub package: crate::package::Package,
}

/// `src/lib.rs`.
#[derive(Debug, Serialize)]
pub struct LibView {
    pub krate: CrateInfo,
    /// The arguments of `Client::new` / `Client::builder` in examples.
    pub client_args: &'static str,
    pub crate_ident: String,
    /// The value of `GENERATED_FROM`, a Rust string literal.
    pub generated_from: String,
    pub title: String,
    pub api_version: String,
    pub docs: Vec<String>,
    pub auth_docs: Vec<String>,
    pub base_url: Option<String>,
    pub example: Option<ExampleView>,
    pub has_page: bool,
    pub has_webhooks: bool,
    /// Whether the client authenticates, and so can take a credential provider.
    pub has_credentials: bool,
    /// Whether security is per operation (the runtime's `security.rs`).
    pub per_operation_auth: bool,
    pub uses: RuntimeUses,
}

/// The usage example in the crate docs: the first operation that takes only path parameters.
#[derive(Debug, Serialize)]
pub struct ExampleView {
    pub accessor: String,
    pub method_name: String,
    pub args: Vec<String>,
    pub setup: Vec<String>,
    pub returns_value: bool,
}

/// `Cargo.toml` and `README.md`.
#[derive(Debug, Serialize)]
pub struct CrateView {
    pub krate: CrateInfo,
    /// The arguments of `Client::new` in examples.
    pub client_args: &'static str,
    /// Whether the client does HTTP basic authentication (and needs base64).
    pub basic_auth: bool,
    /// Whether the client authenticates, and so can take a credential provider.
    pub has_credentials: bool,
    pub uses: RuntimeUses,
    pub has_webhooks: bool,
    pub crate_ident: String,
    /// The package's name and version as TOML strings.
    pub name: String,
    pub version: String,
    /// `[package]` keys after name, version, edition and rust-version, as TOML.
    pub package_fields: Vec<TomlField>,
    /// The spec's label inside a Markdown code span.
    pub spec_label: String,
    pub title: String,
    pub groups: Vec<ReadmeGroup>,
    /// Whether some operations without a tag are grouped by their path.
    pub path_groups: bool,
    /// The variable `tests/contract.rs` reads the mock server's base URL from.
    pub contract_env_var: String,
}

/// One `key = value` line of `Cargo.toml`, the value already TOML.
#[derive(Debug, Serialize)]
pub struct TomlField {
    pub key: &'static str,
    pub value: String,
}

/// One group in the README's operation list.
#[derive(Debug, Serialize)]
pub struct ReadmeGroup {
    pub accessor: String,
    /// What the group's operations have in common, for its heading: `tag `chats``,
    /// `untagged, under `/v1/customers``.
    pub label: String,
    /// The example call of the group's first operation, line by line.
    pub example: Vec<String>,
    pub operations: Vec<ReadmeOperation>,
}

/// One operation in the README's operation list.
#[derive(Debug, Serialize)]
pub struct ReadmeOperation {
    pub method_name: String,
    pub example: String,
    pub http_method: &'static str,
    pub path: String,
    pub summary: String,
}

pub(super) fn docs(text: Option<&str>) -> Vec<String> {
    text.map(doc_lines).unwrap_or_default()
}

/// Doc-comment lines ready to follow `///` or `//!`: non-empty lines start with a space.
pub(super) fn doc_lines(text: &str) -> Vec<String> {
    rustdoc_lines(text).into_iter().map(spaced).collect()
}

fn spaced(line: String) -> String {
    if line.is_empty() { line } else { format!(" {line}") }
}

/// How many of a group's paths its docs name.
const MAX_PATHS_NAMED: usize = 3;

/// A group's paths for operations without a tag, as docs list them (`` `/v1/customers` ``);
/// `None` when there are none.
fn paths_phrase(paths: &[String]) -> Option<String> {
    let mut named: Vec<String> =
        paths.iter().take(MAX_PATHS_NAMED).map(|p| format!("`{}`", code_span(p))).collect();
    let more = paths.len().saturating_sub(MAX_PATHS_NAMED);
    if more > 0 {
        named.push(format!("{more} more"));
    }
    let (last, rest) = named.split_last()?;
    Some(if rest.is_empty() { last.clone() } else { format!("{} and {last}", rest.join(", ")) })
}

/// What a group's operations have in common, as its docs say it after "The operations":
/// `tagged `chats``, `without a tag, under `/v1/customers``, `without a tag`.
pub(super) fn group_scope(group: &ir::Group) -> String {
    let tag = format!("tagged `{}`", code_span(&group.tag));
    match (group.tagged, paths_phrase(&group.untagged_under)) {
        (true, None) => tag,
        (true, Some(under)) => format!("{tag}, and those without a tag under {under}"),
        (false, Some(under)) => format!("without a tag, under {under}"),
        (false, None) => "without a tag".to_owned(),
    }
}

/// How many of the types that share a definition its docs name.
const MAX_SHARERS_NAMED: usize = 8;

/// The type's description; for a definition that several types share without agreeing on one,
/// a sentence naming them; else a sentence naming where it comes from.
pub(super) fn type_docs(api: &Api, def: &TypeDef) -> Vec<String> {
    match def.description.as_deref() {
        Some(text) if !text.trim().is_empty() => doc_lines(text),
        _ if !def.shared_by.is_empty() => {
            let mut named: Vec<String> = def
                .shared_by
                .iter()
                .take(MAX_SHARERS_NAMED)
                .filter_map(|id| api.types.get(id.0))
                .map(|sharer| format!("[`{0}`](crate::models::{0})", sharer.name))
                .collect();
            let more = def.shared_by.len().saturating_sub(MAX_SHARERS_NAMED);
            if more > 0 {
                named.push(format!("{more} more"));
            }
            let list = match named.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => named.join(""),
            };
            vec![
                format!(
                    " One definition for {} schemas of the same shape, each documented where it is used:",
                    def.shared_by.len()
                ),
                format!(" {list}."),
            ]
        }
        _ => vec![format!(" The schema at `{}`.", code_span(def.origin.as_str()))],
    }
}

/// The view of the crate root.
pub fn lib(api: &Api, krate: &CrateInfo, runtime: &RuntimeView) -> LibView {
    let example = api.groups.iter().find_map(|group| {
        group
            .operations
            .iter()
            .find(|op| op.body.is_none() && op.positional_params().all(|p| p.location == ParamLocation::Path))
            .map(|op| {
                let mut setup = Vec::new();
                let mut args = Vec::new();
                for param in op.positional_params() {
                    let value = match &param.ty {
                        ir::TypeRef::Primitive(ir::Primitive::Uuid) => "::uuid::Uuid::nil()".to_owned(),
                        ir::TypeRef::Primitive(ir::Primitive::String) => string_literal("example"),
                        ir::TypeRef::Primitive(ir::Primitive::Bool) => "true".to_owned(),
                        ir::TypeRef::Primitive(_) => "1".to_owned(),
                        _ => "Default::default()".to_owned(),
                    };
                    setup.push(format!("let {} = {value};", param.name));
                    args.push(param.name.clone());
                }
                ExampleView {
                    accessor: group.accessor.clone(),
                    method_name: op.method_name.clone(),
                    args,
                    setup,
                    returns_value: !matches!(op.response, SuccessResponse::Empty),
                }
            })
    });
    LibView {
        client_args: client_args(api),
        krate: krate.clone(),
        crate_ident: krate.name.replace('-', "_"),
        generated_from: string_literal(&format!(
            "{} {} by {} {}",
            krate.spec_label,
            krate.fingerprint,
            crate::NAME,
            krate.generator_version
        )),
        title: one_line(&api.title),
        api_version: one_line(&api.api_version),
        docs: docs(api.description.as_deref()),
        auth_docs: match &api.auth {
            ir::Auth::Bearer { description }
            | ir::Auth::Basic { description }
            | ir::Auth::ApiKey { description, .. } => docs(description.as_deref()),
            ir::Auth::None => Vec::new(),
        },
        base_url: api.base_url.as_deref().map(string_literal),
        example,
        has_page: runtime.page.is_some(),
        has_webhooks: runtime.webhooks.is_some(),
        has_credentials: runtime.credential.is_some(),
        per_operation_auth: runtime.per_operation_auth,
        uses: runtime.uses.clone(),
    }
}

/// The view of `Cargo.toml` and `README.md`.
pub fn krate(api: &Api, krate: &CrateInfo, runtime: &RuntimeView) -> CrateView {
    let groups = api
        .groups
        .iter()
        .map(|group| ReadmeGroup {
            accessor: group.accessor.clone(),
            label: match (group.tagged, paths_phrase(&group.untagged_under)) {
                (true, None) => format!("tag `{}`", code_span(&group.tag)),
                (true, Some(under)) => format!("tag `{}`, and untagged under {under}", code_span(&group.tag)),
                (false, Some(under)) => format!("untagged, under {under}"),
                (false, None) => "untagged".to_owned(),
            },
            example: group
                .operations
                .first()
                .map(|op| {
                    let call =
                        super::example::example_call(api, &krate.name.replace('-', "_"), &group.accessor, op);
                    call.lines(!matches!(op.response, SuccessResponse::Empty))
                })
                .unwrap_or_default(),
            operations: group
                .operations
                .iter()
                .map(|op| ReadmeOperation {
                    example: {
                        let args: Vec<&str> = op
                            .params
                            .iter()
                            .filter(|p| p.required)
                            .map(|p| p.name.as_str())
                            .chain(op.body.iter().map(|b| b.name.as_str()))
                            .map(|name| name.strip_prefix("r#").unwrap_or(name))
                            .collect();
                        format!("client.{}().{}({}).await?", group.accessor, op.method_name, args.join(", "))
                    },
                    method_name: op.method_name.clone(),
                    http_method: op.http_method.as_str(),
                    // Cells of a Markdown table: one line each, and `|` would end the cell.
                    path: code_span(&op.path.raw).replace('|', "\\|"),
                    summary: one_line(op.summary.as_deref().unwrap_or(&op.operation_id)).replace('|', "\\|"),
                })
                .collect(),
        })
        .collect();
    CrateView {
        client_args: client_args(api),
        basic_auth: matches!(api.auth, ir::Auth::Basic { .. }) || runtime.scheme_basic,
        has_credentials: runtime.credential.is_some(),
        krate: krate.clone(),
        uses: runtime.uses.clone(),
        has_webhooks: runtime.webhooks.is_some(),
        crate_ident: krate.name.replace('-', "_"),
        package_fields: package_fields(api, &krate.package),
        name: toml_string(&krate.name),
        version: toml_string(&krate.version),
        spec_label: code_span(&krate.spec_label),
        title: one_line(&api.title),
        groups,
        path_groups: api.groups.iter().any(|g| !g.untagged_under.is_empty()),
        contract_env_var: contract_env_var(&krate.name),
    }
}

/// The `[package]` metadata: the configuration's, with the description and license defaulting
/// to the spec's title and license, and `publish = false` unless the configuration says so.
fn package_fields(api: &Api, package: &crate::package::Package) -> Vec<TomlField> {
    let default_description = || {
        format!("Rust client for the {}, generated from its OpenAPI document.", one_line_plain(&api.title))
    };
    let mut fields = vec![TomlField {
        key: "description",
        value: toml_string(&package.description.clone().unwrap_or_else(default_description)),
    }];
    let mut text = |key, value: Option<&String>| {
        if let Some(value) = value {
            fields.push(TomlField { key, value: toml_string(value) });
        }
    };
    text("license", package.license.as_ref().or(api.license.as_ref()));
    text("repository", package.repository.as_ref());
    text("homepage", package.homepage.as_ref());
    text("documentation", package.documentation.as_ref());
    for (key, list) in
        [("authors", &package.authors), ("keywords", &package.keywords), ("categories", &package.categories)]
    {
        if !list.is_empty() {
            let items: Vec<String> = list.iter().map(|item| toml_string(item)).collect();
            fields.push(TomlField { key, value: format!("[{}]", items.join(", ")) });
        }
    }
    fields.push(TomlField { key: "readme", value: toml_string("README.md") });
    fields.push(TomlField { key: "publish", value: package.publish.unwrap_or(false).to_string() });
    fields
}
