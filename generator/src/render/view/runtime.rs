//! The view of the runtime: which of its parts the spec's operations and models use, the
//! credential the client applies, the list envelope and webhook deliveries.

use serde::Serialize;

use super::schemes;
use crate::ir::{self, Api, EnumRepr, ParamLocation, SuccessResponse, TypeKind};

/// What the runtime files (`templates/runtime`) need to know of the API: which features are
/// on, and the spec's values for the runtime's `crate::spec` placeholders (raw text, not Rust).
#[derive(Debug, Default)]
pub struct RuntimeView {
    /// How the token travels.
    pub credential: Option<CredentialView>,
    /// Security per operation ([`Api::uniform_auth`] is false): the runtime's `security.rs`.
    pub per_operation_auth: bool,
    /// A scheme of the per-operation security is HTTP basic.
    pub scheme_basic: bool,
    pub uses: RuntimeUses,
    pub page: Option<PageView>,
    pub webhooks: Option<WebhooksView>,
}

/// Where the client's token goes on every request.
#[derive(Debug, Clone)]
pub struct CredentialView {
    /// The header name in lower case, when the token travels in a header.
    pub header: Option<String>,
    /// What precedes the token in that header (`Bearer `, `name=` for a cookie).
    pub prefix: String,
    /// The query parameter name, when the token travels in the query.
    pub query: Option<String>,
    /// What the token is called in messages.
    pub what: &'static str,
    /// HTTP basic: the client is built from a user name and a password.
    pub basic: bool,
    /// A bearer token.
    pub bearer: bool,
}

/// The spec's webhook facts, for `src/webhooks.rs`.
#[derive(Debug, Clone)]
pub struct WebhooksView {
    /// The envelope model's type path.
    pub envelope: String,
    /// The signature header, in lower case.
    pub signature_header: String,
    /// The event header, in lower case.
    pub event_header: Option<String>,
}

/// The view of `src/webhooks.rs`, when the API delivers webhooks.
pub fn webhooks(api: &Api) -> Option<WebhooksView> {
    let hooks = api.webhooks.as_ref()?;
    let envelope = api.types.get(hooks.envelope.0)?;
    Some(WebhooksView {
        envelope: format!("crate::models::{}", envelope.name),
        signature_header: hooks.signature_header.to_ascii_lowercase(),
        event_header: hooks.event_header.as_deref().map(str::to_ascii_lowercase),
    })
}

/// The list envelope's wire names, for `src/page.rs`.
#[derive(Debug)]
pub struct PageView {
    /// The wire name of `Page::total`.
    pub total: String,
    /// The wire name of `Page::records`.
    pub records: String,
}

/// The view of `src/page.rs`, when the API has a list envelope that some type uses.
pub fn page(api: &Api) -> Option<PageView> {
    let fields = api.page_fields.as_ref()?;
    if !api.types.iter().any(|def| matches!(def.kind, TypeKind::Page(_))) {
        return None;
    }
    Some(PageView { total: fields.total.clone(), records: fields.records.clone() })
}

/// Which runtime helpers the operations and models call, so that only those are emitted.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RuntimeUses {
    pub requests: bool,
    pub path_params: bool,
    pub query: bool,
    pub headers: bool,
    pub cookies: bool,
    pub query_styles: bool,
    /// Which query styles are used (each style's code is emitted only when used).
    pub query_form: bool,
    pub query_compact: bool,
    pub query_space: bool,
    pub query_pipe: bool,
    pub query_deep: bool,
    pub query_json: bool,
    /// A delimited style (compact, space, pipe) is used; a style that is not delimited is used.
    pub query_delimited: bool,
    pub query_undelimited: bool,
    pub params: bool,
    pub body: bool,
    pub optional_body: bool,
    pub json_response: bool,
    pub text_response: bool,
    pub bytes_response: bool,
    pub empty_response: bool,
    pub form: bool,
    pub text_body: bool,
    /// A body of bytes, which may be streamed from a file or a reader (`crate::Body`).
    pub binary_body: bool,
    /// A binary response streamed to the caller (`crate::ByteStream`).
    pub binary_response: bool,
    /// A `text/event-stream` response (`crate::EventStream`), and one whose data has a schema.
    pub event_stream: bool,
    pub event_json: bool,
    /// A streamed response of either kind.
    pub streams: bool,
    pub string_enums: bool,
    pub tagged_unions: bool,
    /// Some tagged union implements `Serialize`, or `Deserialize`, without the `serde-both`
    /// feature ([`crate::ir::Reach::serde`]).
    pub tagged_unions_sent: bool,
    pub tagged_unions_received: bool,
    pub int_enums: bool,
    pub multipart: bool,
    pub optional_multipart: bool,
    /// Some operation has an error enum.
    pub typed_errors: bool,
    /// Some operation has optional parameters, set by methods of its call.
    pub options: bool,
    /// Some tagged union has no variant for other values: its tag must be there; and one such
    /// implements `Deserialize` without the `serde-both` feature.
    pub tag_required: bool,
    pub tag_required_received: bool,
    /// Some operation offers page streams.
    pub paginate: bool,
}

/// The view of the runtime files.
pub fn runtime(api: &Api) -> RuntimeView {
    let mut uses = RuntimeUses::default();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        uses.requests = true;
        uses.typed_errors |= op.error_enum.is_some();
        uses.options |= op.options.is_some();
        uses.paginate |= op.pagination.is_some() && op.options.is_some();
        for param in &op.params {
            match param.location {
                ParamLocation::Path => uses.path_params = true,
                ParamLocation::Query => uses.query = true,
                ParamLocation::Header => uses.headers = true,
                ParamLocation::Cookie => uses.cookies = true,
            }
            if param.location == ParamLocation::Query {
                match param.style {
                    ir::ParamStyle::Default => uses.query_form = true,
                    ir::ParamStyle::FormCompact => uses.query_compact = true,
                    ir::ParamStyle::SpaceDelimited => uses.query_space = true,
                    ir::ParamStyle::PipeDelimited => uses.query_pipe = true,
                    ir::ParamStyle::DeepObject => uses.query_deep = true,
                    ir::ParamStyle::Json => uses.query_json = true,
                }
            }
        }
        if let Some(body) = &op.body {
            match body.encoding {
                ir::BodyEncoding::Json => {
                    uses.body = true;
                    uses.optional_body |= !body.required;
                }
                ir::BodyEncoding::Multipart => {
                    uses.multipart = true;
                    uses.optional_multipart |= !body.required;
                }
                ir::BodyEncoding::Form => uses.form = true,
                ir::BodyEncoding::Text => uses.text_body = true,
                ir::BodyEncoding::Bytes => uses.binary_body = true,
            }
        }
        // A required body that can hold nothing is still sent, as `{}` or an empty form.
        match op.empty_body.as_ref().filter(|empty| empty.required).map(|empty| empty.encoding) {
            Some(ir::BodyEncoding::Form) => uses.form = true,
            Some(_) => uses.body = true,
            None => {}
        }
        match &op.response {
            SuccessResponse::Json(_) => uses.json_response = true,
            SuccessResponse::Text { .. } => uses.text_response = true,
            SuccessResponse::Bytes { .. } => uses.bytes_response = true,
            SuccessResponse::Binary { .. } => uses.binary_response = true,
            SuccessResponse::Events { data } => {
                uses.event_stream = true;
                uses.event_json |= data.is_some();
            }
            SuccessResponse::Empty => uses.empty_response = true,
        }
    }
    uses.params = uses.path_params || uses.query || uses.headers || uses.cookies;
    uses.streams = uses.binary_response || uses.event_stream;
    uses.query_delimited = uses.query_compact || uses.query_space || uses.query_pipe;
    uses.query_undelimited = uses.query_form || uses.query_deep || uses.query_json;
    uses.query_styles = uses.query_delimited || uses.query_deep || uses.query_json;
    for def in &api.types {
        let TypeKind::Union(union) = &def.kind else { continue };
        if union.tag.is_none() {
            continue;
        }
        let serde = def.reach.serde();
        let tag_required = !union.variants.iter().any(|v| v.fallback);
        uses.tagged_unions = true;
        uses.tagged_unions_sent |= serde.serialize;
        uses.tagged_unions_received |= serde.deserialize;
        uses.tag_required |= tag_required;
        uses.tag_required_received |= tag_required && serde.deserialize;
    }
    for def in &api.types {
        if let TypeKind::Enum(e) = &def.kind {
            match (e.keeps_unknown, e.repr) {
                (true, EnumRepr::String) => uses.string_enums = true,
                (true, EnumRepr::Integer) => uses.int_enums = true,
                (false, _) => {}
            }
        }
    }
    let schemes = schemes(api);
    RuntimeView {
        credential: credential(&api.auth),
        per_operation_auth: schemes.is_some(),
        scheme_basic: schemes.is_some_and(|s| s.basic),
        uses,
        page: page(api),
        webhooks: webhooks(api),
    }
}

/// What examples pass to `Client::new` and `Client::builder`.
pub(super) fn client_args(api: &Api) -> &'static str {
    // With per-operation security, a spec with one scheme keeps constructors that take it.
    let auth = match (api.uniform_auth(), api.schemes.as_slice()) {
        (false, [only]) => &only.kind,
        _ => &api.auth,
    };
    match auth {
        ir::Auth::None => "",
        ir::Auth::Basic { .. } => "\"user\", \"password\"",
        ir::Auth::Bearer { .. } | ir::Auth::ApiKey { .. } => "\"my-token\"",
    }
}

pub(super) fn credential(auth: &ir::Auth) -> Option<CredentialView> {
    let header = |name: &str, prefix: &str, what| CredentialView {
        header: Some(name.to_ascii_lowercase()),
        prefix: prefix.to_owned(),
        query: None,
        what,
        basic: false,
        bearer: false,
    };
    match auth {
        ir::Auth::None => None,
        ir::Auth::Bearer { .. } => {
            Some(CredentialView { bearer: true, ..header("authorization", "Bearer ", "bearer token") })
        }
        ir::Auth::Basic { .. } => Some(CredentialView {
            basic: true,
            ..header("authorization", "Basic ", "user name and password")
        }),
        ir::Auth::ApiKey { location: ir::ApiKeyLocation::Header, name, .. } => {
            Some(header(name, "", "API key"))
        }
        ir::Auth::ApiKey { location: ir::ApiKeyLocation::Cookie, name, .. } => {
            Some(header("cookie", &format!("{name}="), "API key"))
        }
        ir::Auth::ApiKey { location: ir::ApiKeyLocation::Query, name, .. } => Some(CredentialView {
            header: None,
            prefix: String::new(),
            query: Some(name.clone()),
            what: "API key",
            basic: false,
            bearer: false,
        }),
    }
}
