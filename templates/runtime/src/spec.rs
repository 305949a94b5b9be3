//! The values a spec decides, with example values so that the runtime builds on its own.
//!
//! The generator never writes this file. Wherever the runtime says `crate::spec::NAME` (as an
//! expression or a type), the generator puts the spec's value instead, as a literal or a path;
//! a name it does not know is a generator bug. Page's serde renames are the one value that is
//! not a path: the generator adds `rename = "..."` to the `#[serde]` of `Page::total` and
//! `Page::records` when the spec's list envelope (`x-sdkwright-page-fields`) names them otherwise.

/// The header the credential travels in (lower case).
pub(crate) const CREDENTIAL_HEADER: &str = "authorization";

/// What precedes the credential in that header (`Bearer `, or `name=` for a cookie).
pub(crate) const CREDENTIAL_PREFIX: &str = "Bearer ";

/// The message when the credential cannot be a header value.
pub(crate) const CREDENTIAL_REFUSED: &str = "the bearer token contains characters HTTP headers do not allow";

/// The query parameter the API key travels in.
pub(crate) const CREDENTIAL_QUERY: &str = "api_key";

/// The header that carries a webhook delivery's signature (lower case).
#[cfg(feature = "webhooks")]
pub(crate) const SIGNATURE_HEADER: &str = "x-signature";

/// The header that names a webhook delivery's event (lower case).
#[cfg(feature = "webhook_event_header")]
pub(crate) const EVENT_HEADER: &str = "x-event";

/// The body of a webhook delivery: the spec's envelope model.
#[cfg(feature = "webhooks")]
pub(crate) type WebhookEvent = serde_json::Value;
