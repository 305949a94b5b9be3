//! What the document says once for the whole API: the security schemes the client applies
//! (and which ones each operation needs), and the root extensions `x-sdkwright-page-fields` and
//! `x-sdkwright-webhook-delivery`.

use openapiv3::ReferenceOr;

use crate::ir::{self, ApiKeyLocation, Auth};
use crate::names;
use crate::pointer::JsonPointer;

use super::context::Context;

/// Whether a name can be an HTTP header name (RFC 9110 token), and so a query or cookie name.
pub(super) fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Builder methods a scheme's setter must not take the name of.
pub(super) const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "origin",
    "timeout",
    "attempt_timeout",
    "connect_timeout",
    "retry",
    "retry_budget",
    "header",
    "hook",
    "http_client",
    "allow_insecure_http",
    "build",
    "credentials",
    "max_body_size",
    "scheme_credential",
];

impl<'a> Context<'a> {
    /// How a security scheme's credential travels, when the client can apply it.
    fn scheme_kind(scheme: &openapiv3::SecurityScheme) -> Option<Auth> {
        use openapiv3::{APIKeyLocation, SecurityScheme};
        match scheme {
            SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                Some(Auth::Bearer { description: description.clone() })
            }
            SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                Some(Auth::Basic { description: description.clone() })
            }
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                Some(Auth::Bearer { description: description.clone() })
            }
            SecurityScheme::APIKey { location, name, description, .. } if is_token(name) => {
                let location = match location {
                    APIKeyLocation::Header => ApiKeyLocation::Header,
                    APIKeyLocation::Query => ApiKeyLocation::Query,
                    APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                };
                Some(Auth::ApiKey { location, name: name.clone(), description: description.clone() })
            }
            _ => None,
        }
    }

    /// Settles every operation's effective security requirements (its own `security`, else the
    /// document's) into indexes of the schemes returned, which are the schemes those
    /// requirements name that the client can apply, in `components/securitySchemes` order. A
    /// requirement naming a scheme the client cannot apply is left out, with a warning on the
    /// scheme. Also returns the client's fixed credential when every operation needs the same one
    /// scheme (see [`ir::Api::uniform_auth`]).
    pub(super) fn security(&mut self, groups: &mut [ir::Group]) -> (Auth, Vec<ir::SecurityScheme>) {
        let spec = self.spec;
        let declared = spec.openapi.components.as_ref().map(|c| &c.security_schemes);
        // Every scheme the client can apply, in spec order; `None` for the others.
        let applicable: Vec<(&String, Option<Auth>)> = declared
            .into_iter()
            .flatten()
            .map(|(key, scheme)| (key, scheme.as_item().and_then(Self::scheme_kind)))
            .collect();
        let mut used = vec![false; applicable.len()];
        let mut refused: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        let global = spec.openapi.security.as_ref();
        let mut settle = |requirements: &[openapiv3::SecurityRequirement], used: &mut Vec<bool>| {
            let mut settled = Vec::new();
            'requirement: for requirement in requirements {
                let mut indexes = Vec::new();
                for key in requirement.keys() {
                    match applicable.iter().position(|(name, _)| *name == key) {
                        Some(index) if applicable[index].1.is_some() => indexes.push(index),
                        _ => {
                            refused.insert(key.clone());
                            continue 'requirement;
                        }
                    }
                }
                for index in &indexes {
                    used[*index] = true;
                }
                settled.push(indexes);
            }
            settled
        };
        let global_settled = global.map(|requirements| settle(requirements, &mut used));
        for op in groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
            let own =
                spec.openapi.paths.paths.get(&op.path.raw).and_then(ReferenceOr::as_item).and_then(|item| {
                    let operation = match op.http_method {
                        ir::HttpMethod::Get => &item.get,
                        ir::HttpMethod::Put => &item.put,
                        ir::HttpMethod::Post => &item.post,
                        ir::HttpMethod::Delete => &item.delete,
                        ir::HttpMethod::Options => &item.options,
                        ir::HttpMethod::Head => &item.head,
                        ir::HttpMethod::Patch => &item.patch,
                        ir::HttpMethod::Trace => &item.trace,
                    };
                    operation.as_ref().and_then(|operation| operation.security.as_ref())
                });
            op.security = match own {
                Some(requirements) => settle(requirements, &mut used),
                None => global_settled.clone().unwrap_or_default(),
            };
        }
        for key in refused {
            let at = JsonPointer::root().push("components").push("securitySchemes").push(&key);
            let message = match applicable.iter().any(|(name, _)| **name == key) {
                true => {
                    "not a scheme the client applies (bearer, basic, OAuth 2, OpenID Connect, API key); requirements that name it are left out"
                }
                false => {
                    "named by a security requirement but not declared; requirements that name it are left out"
                }
            };
            self.warn(at, message);
        }
        // The used schemes get new indexes, in spec order.
        let mut renumbered = vec![usize::MAX; applicable.len()];
        let mut schemes = Vec::new();
        let mut setters: Vec<String> = Vec::new();
        for (index, (key, kind)) in applicable.iter().enumerate() {
            let (true, Some(kind)) = (used[index], kind) else { continue };
            renumbered[index] = schemes.len();
            let mut setter = names::snake_name(key, "scheme");
            if BUILDER_METHODS.contains(&setter.trim_start_matches("r#")) || setters.contains(&setter) {
                setter = format!("{}_credential", setter.trim_start_matches("r#"));
            }
            while setters.contains(&setter) {
                setter.push('_');
            }
            setters.push(setter.clone());
            let mut const_name = format!(
                "{}_SCHEME",
                names::ident(key, names::Case::Const, "SCHEME").trim_start_matches("r#")
            );
            while schemes.iter().any(|s: &ir::SecurityScheme| s.const_name == const_name) {
                const_name.push('_');
            }
            schemes.push(ir::SecurityScheme {
                key: (*key).clone(),
                setter,
                const_name,
                kind: kind.clone(),
                origin: JsonPointer::root().push("components").push("securitySchemes").push(key.as_str()),
            });
        }
        for op in groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
            for requirement in &mut op.security {
                for index in requirement.iter_mut() {
                    *index = renumbered[*index];
                }
            }
        }
        if schemes.is_empty() && global.is_some_and(|s| !s.is_empty()) {
            self.warn(
                JsonPointer::root().push("security"),
                "none of the security schemes is one the client applies (bearer, basic, OAuth 2, OpenID Connect, API key); requests carry no credentials",
            );
        }
        let uniform = ir::uniform_security(schemes.len(), groups.iter().flat_map(|g| &g.operations));
        let auth = match (uniform, schemes.first()) {
            (true, Some(scheme)) => scheme.kind.clone(),
            _ => Auth::None,
        };
        (auth, schemes)
    }

    /// The root extension `x-sdkwright-<short>` and where it is. The unprefixed name the
    /// generator read before its extensions had a prefix (`x-<short>`) is still read, with a
    /// warning that says to rename it.
    fn extension(&mut self, short: &str) -> Option<(&'a serde_json::Value, JsonPointer)> {
        let name = format!("{}{short}", crate::EXTENSION_PREFIX);
        if let Some(raw) = self.spec.raw.get(&name) {
            return Some((raw, JsonPointer::root().push(&name)));
        }
        let former = format!("x-{short}");
        let raw = self.spec.raw.get(&former)?;
        let at = JsonPointer::root().push(&former);
        self.warn(at.clone(), format!("the extension is now called `{name}`; rename it"));
        Some((raw, at))
    }

    /// `x-sdkwright-page-fields: { total: <name>, records: <name> }` at the document root: the
    /// API's list envelope, which the SDK represents with one generic type.
    pub(super) fn page_fields(&mut self) -> Option<ir::PageFields> {
        let (raw, at) = self.extension("page-fields")?;
        let field = |key: &str| raw.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        match (field("total"), field("records")) {
            (Some(total), Some(records)) => Some(ir::PageFields { total, records }),
            _ => {
                let message = "must be an object with string properties `total` and `records`; ignored";
                self.warn(at, message);
                None
            }
        }
    }

    /// `x-sdkwright-webhook-delivery: { envelope: <component schema>, signature-header: <name>,
    /// event-header: <name> }` at the document root.
    pub(super) fn webhooks(&mut self) -> Option<ir::Webhooks> {
        let (raw, at) = self.extension("webhook-delivery")?;
        let text = |key: &str| raw.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let envelope = text("envelope").and_then(|name| self.components.get(&name).copied());
        match (envelope, text("signature-header")) {
            (Some(envelope), Some(signature_header)) => {
                Some(ir::Webhooks { envelope, signature_header, event_header: text("event-header") })
            }
            _ => {
                let message =
                    "needs `envelope` (a schema of `#/components/schemas`) and `signature-header`; ignored";
                self.warn(at, message);
                None
            }
        }
    }
}
