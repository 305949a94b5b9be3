//! The SDK runtime as a crate of its own, so that the compiler, clippy and unit tests see it.
//!
//! The generator never writes this file: each SDK's `lib.rs` comes from
//! `templates/crate/lib.rs.j2` and declares the same modules and re-exports. The other files are
//! embedded by the generator, which evaluates their `#[cfg(feature = "...")]` and
//! `#[cfg_attr(feature = "...", ...)]` markers for the spec at hand (a feature that is on keeps
//! the item and loses the attribute; one that is off drops the item; `test` is always off) and
//! replaces each `crate::spec::NAME` by the spec's value. See `generator/src/render/runtime.rs`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// The `pub(crate)` helpers are called by the generated operations and models, which this crate
// does not have; an SDK only receives the helpers it calls, and is linted without this.
#![allow(dead_code)]

#[cfg(feature = "credentials")]
mod auth;
mod body;
mod client;
mod codec;
mod error;
mod hooks;
#[cfg(feature = "multipart")]
mod multipart;
#[cfg(feature = "page")]
mod page;
#[cfg(feature = "paginate")]
mod paginate;
mod request;
mod retry;
#[cfg(feature = "auth_schemes")]
mod security;
mod spec;
#[cfg(feature = "event_stream")]
mod sse;
#[cfg(any(feature = "streams", feature = "binary_body"))]
mod stream;
#[cfg(feature = "webhooks")]
pub mod webhooks;

#[cfg(feature = "credentials")]
pub use auth::{Credential, CredentialError, CredentialProvider};
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, DecodeError, Error, Redacted, Result, TooLargeError, TransportError};
#[cfg(feature = "event_json")]
pub use error::EventError;
pub use hooks::{Answer, BoxError, Hook, HookError, HookOutcome, HookRequest, HookStage};
#[cfg(feature = "typed_errors")]
pub use error::{TypedError, Undecoded, Unmatched};
#[cfg(feature = "multipart")]
pub use multipart::UploadFile;
#[cfg(feature = "page")]
pub use page::Page;
#[cfg(feature = "paginate")]
pub use paginate::{Items, Pages};
pub use request::{Call, Operation, Response, WithResponse};
pub use retry::RetryPolicy;
#[cfg(feature = "event_stream")]
pub use sse::{Event, EventStream};
#[cfg(feature = "binary_body")]
pub use stream::Body;
#[cfg(feature = "binary_response")]
pub use stream::ByteStream;

/// The server the client talks to unless [`ClientBuilder::base_url`] says otherwise (the SDK's
/// `lib.rs` has the spec's).
pub const DEFAULT_BASE_URL: Option<&str> = None;
