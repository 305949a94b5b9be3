//! What the document says once for the whole API: the authentication the client applies and
//! the root extensions `x-sdkwright-page-fields` and `x-sdkwright-webhook-delivery`.

use openapiv3::ReferenceOr;

use crate::ir::{self, ApiKeyLocation, Auth};
use crate::pointer::JsonPointer;

use super::context::Context;

/// Whether a name can be an HTTP header name (RFC 9110 token), and so a query or cookie name.
pub(super) fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

impl<'a> Context<'a> {
    /// The authentication the SDK applies to every request.
    pub(super) fn auth(&mut self) -> Auth {
        use openapiv3::{APIKeyLocation, SecurityScheme};
        let spec = self.spec;
        let Some(components) = &spec.openapi.components else { return Auth::None };
        // The first scheme of the global requirements that the client can apply.
        for requirement in spec.openapi.security.iter().flatten() {
            for scheme_name in requirement.keys() {
                let scheme = components.security_schemes.get(scheme_name).and_then(ReferenceOr::as_item);
                match scheme {
                    Some(SecurityScheme::HTTP { scheme, description, .. })
                        if scheme.eq_ignore_ascii_case("bearer") =>
                    {
                        return Auth::Bearer { description: description.clone() };
                    }
                    Some(SecurityScheme::HTTP { scheme, description, .. })
                        if scheme.eq_ignore_ascii_case("basic") =>
                    {
                        return Auth::Basic { description: description.clone() };
                    }
                    Some(
                        SecurityScheme::OAuth2 { description, .. }
                        | SecurityScheme::OpenIDConnect { description, .. },
                    ) => {
                        return Auth::Bearer { description: description.clone() };
                    }
                    Some(SecurityScheme::APIKey { location, name, description, .. }) if is_token(name) => {
                        let location = match location {
                            APIKeyLocation::Header => ApiKeyLocation::Header,
                            APIKeyLocation::Query => ApiKeyLocation::Query,
                            APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                        };
                        return Auth::ApiKey {
                            location,
                            name: name.clone(),
                            description: description.clone(),
                        };
                    }
                    _ => {}
                }
            }
        }
        if spec.openapi.security.as_ref().is_some_and(|s| !s.is_empty()) {
            self.warn(
                JsonPointer::root().push("security"),
                "none of the security schemes is one the client applies (bearer, basic, OAuth 2, OpenID Connect, API key); requests carry no credentials",
            );
        }
        Auth::None
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
