//! Hooks: the user's own code around every attempt of every call (signing, metrics, logging,
//! test doubles without an HTTP server).
//!
//! A [`Hook`] is registered with [`crate::ClientBuilder::hook`]. Its `before` runs just before an
//! attempt is sent and may change the request's headers or answer the request itself with an
//! [`Answer`], which the SDK then treats exactly as a response from the server (decoded, typed
//! errors, retried by the same rules). Its `after` runs once the attempt has an outcome: a
//! status and headers, or the transport error. Hooks run in the order they were registered, for
//! every attempt, retries included. The trait's methods are written as `async fn`; the client
//! keeps hooks behind [`DynHook`], which boxes their futures, so that hooks of different types
//! sit in one list. A client without hooks runs no hook code at all.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::Operation;

/// The error a hook (or a credential provider) returns: any error type, boxed.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Code the client runs around every attempt of every call (signing, metrics, logging, test
/// doubles without an HTTP server), registered with [`crate::ClientBuilder::hook`].
///
/// `before` runs just before an attempt is sent and may change the request's headers or answer
/// the request itself with an [`Answer`], which the SDK then treats exactly as a response from
/// the server (decoded, typed errors, retried by the same rules). `after` runs once the attempt
/// has an outcome: a status and headers, or the transport error. Hooks run in the order they
/// were registered, for every attempt, retries included; they are not bounded by the call's
/// deadline.
///
/// Both methods have defaults that do nothing, so a hook implements only what it needs:
///
/// ```ignore
/// struct Signer;
///
/// impl Hook for Signer {
///     async fn before(&self, request: &mut HookRequest<'_>) -> Result<Option<Answer>, BoxError> {
///         request.headers_mut().insert("x-signature", "…".parse()?);
///         Ok(None)
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// The hook's name in errors; the type's name unless overridden.
    fn name(&self) -> &str {
        std::any::type_name::<Self>()
    }

    /// Runs before an attempt is sent. It may change the request's headers, and may answer the
    /// request itself (`Ok(Some(answer))`): then nothing is sent, the hooks registered after
    /// this one do not run `before`, and the answer is handled as the server's. An error ends
    /// the call with [`crate::Error::Hook`].
    fn before(
        &self,
        request: &mut HookRequest<'_>,
    ) -> impl Future<Output = Result<Option<Answer>, BoxError>> + Send {
        let _ = request;
        std::future::ready(Ok(None))
    }

    /// Runs when an attempt has an outcome (also one a hook answered), before the SDK decides
    /// whether to retry. An error ends the call with [`crate::Error::Hook`].
    fn after(&self, outcome: &HookOutcome<'_>) -> impl Future<Output = Result<(), BoxError>> + Send {
        let _ = outcome;
        std::future::ready(Ok(()))
    }
}

/// A boxed future of a hook.
pub(crate) type HookFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send + 'a>>;

/// [`Hook`] with boxed futures, so that hooks of different types can be kept in one list; every
/// `Hook` is one.
pub(crate) trait DynHook: Send + Sync + 'static {
    /// [`Hook::name`].
    fn name(&self) -> &str;
    /// [`Hook::before`], boxed.
    fn before<'a>(&'a self, request: &'a mut HookRequest<'_>) -> HookFuture<'a, Option<Answer>>;
    /// [`Hook::after`], boxed.
    fn after<'a>(&'a self, outcome: &'a HookOutcome<'_>) -> HookFuture<'a, ()>;
}

impl<H: Hook> DynHook for H {
    fn name(&self) -> &str {
        Hook::name(self)
    }

    fn before<'a>(&'a self, request: &'a mut HookRequest<'_>) -> HookFuture<'a, Option<Answer>> {
        Box::pin(Hook::before(self, request))
    }

    fn after<'a>(&'a self, outcome: &'a HookOutcome<'_>) -> HookFuture<'a, ()> {
        Box::pin(Hook::after(self, outcome))
    }
}

/// The client's hooks, in registration order.
pub(crate) type Hooks = Arc<[Arc<dyn DynHook>]>;

/// Which half of a hook failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HookStage {
    /// [`Hook::before`].
    Before,
    /// [`Hook::after`].
    After,
}

impl fmt::Display for HookStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Before => "before",
            Self::After => "after",
        })
    }
}

/// One attempt about to be sent, as a [`Hook::before`] sees it.
pub struct HookRequest<'a> {
    pub(crate) operation: &'static Operation,
    pub(crate) attempt: u32,
    pub(crate) url: &'a reqwest::Url,
    pub(crate) headers: &'a mut HeaderMap,
}

impl HookRequest<'_> {
    /// The operation being called.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The attempt: 1 for the first, 2 for the first retry, and so on.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP method.
    pub fn method(&self) -> &reqwest::Method {
        &self.operation.method
    }

    /// The full URL, query included (an API key sent in the query is in it).
    pub fn url(&self) -> &reqwest::Url {
        self.url
    }

    /// The headers that will be sent (the credential's among them, marked sensitive).
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The headers, to change; the changes apply to this attempt only.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }
}

impl fmt::Debug for HookRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The path only: the query may hold an API key. Sensitive header values print as such.
        f.debug_struct("HookRequest")
            .field("operation", &self.operation.id)
            .field("attempt", &self.attempt)
            .field("method", &self.operation.method)
            .field("path", &self.url.path())
            .field("headers", &self.headers)
            .finish()
    }
}

/// What a [`Hook::after`] sees of an attempt.
#[derive(Debug)]
pub struct HookOutcome<'a> {
    pub(crate) operation: &'static Operation,
    pub(crate) attempt: u32,
    pub(crate) duration: Duration,
    pub(crate) result: Result<(StatusCode, &'a HeaderMap), &'a reqwest::Error>,
    pub(crate) answered: bool,
}

impl HookOutcome<'_> {
    /// The operation called.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The attempt: 1 for the first, 2 for the first retry, and so on.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// How long the attempt took, from sending to the end of the response body.
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// The response status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        self.result.as_ref().ok().map(|(status, _)| *status)
    }

    /// The response headers, when there was a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.result.as_ref().ok().map(|(_, headers)| *headers)
    }

    /// Why there was no response (a timeout, a refused connection, a body that broke off).
    pub fn error(&self) -> Option<&reqwest::Error> {
        self.result.as_ref().err().copied()
    }

    /// Whether a hook answered this attempt instead of the server.
    pub fn answered_by_hook(&self) -> bool {
        self.answered
    }
}

/// A response a [`Hook::before`] gives instead of the server's: the SDK handles it exactly as
/// if the server had sent it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
}

impl Answer {
    /// An answer with `status`, no headers and an empty body.
    pub fn new(status: StatusCode) -> Self {
        Self { status, headers: HeaderMap::new(), body: bytes::Bytes::new() }
    }

    /// An answer with `status` and `body` as JSON (`Content-Type: application/json`); `value`
    /// that cannot be JSON (a map with non-string keys) gives an error.
    pub fn json<T: serde::Serialize + ?Sized>(status: StatusCode, value: &T) -> Result<Self, serde_json::Error> {
        let body = serde_json::to_vec(value)?;
        Ok(Self::new(status).header(reqwest::header::CONTENT_TYPE, HeaderValue::from_static("application/json")).body(body))
    }

    /// Adds a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<bytes::Bytes>) -> Self {
        self.body = body.into();
        self
    }
}

/// A hook that failed: [`crate::Error::Hook`].
#[derive(Debug)]
pub struct HookError {
    pub(crate) operation: &'static Operation,
    pub(crate) hook: String,
    pub(crate) stage: HookStage,
    pub(crate) source: BoxError,
}

impl HookError {
    /// The operation whose call the hook ended.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The hook's [`Hook::name`].
    pub fn hook(&self) -> &str {
        &self.hook
    }

    /// Whether `before` or `after` failed.
    pub fn stage(&self) -> HookStage {
        self.stage
    }

    /// The hook's own error.
    pub fn source(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self.source.as_ref()
    }
}

impl fmt::Display for HookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let when = match self.stage {
            HookStage::Before => "before the request",
            HookStage::After => "after the response",
        };
        write!(f, "{}: hook `{}` failed {when}: {}", self.operation, self.hook, self.source)
    }
}

/// Runs every hook's `before` for one attempt, in order, up to the first that answers.
pub(crate) async fn before(
    hooks: &[Arc<dyn DynHook>],
    request: &mut HookRequest<'_>,
) -> Result<Option<Answer>, crate::Error> {
    for hook in hooks {
        match hook.before(request).await {
            Ok(None) => {}
            Ok(Some(answer)) => return Ok(Some(answer)),
            Err(source) => return Err(failed(request.operation, hook.as_ref(), HookStage::Before, source)),
        }
    }
    Ok(None)
}

/// Runs every hook's `after` for one attempt, in order.
pub(crate) async fn after(hooks: &[Arc<dyn DynHook>], outcome: &HookOutcome<'_>) -> Result<(), crate::Error> {
    for hook in hooks {
        hook.after(outcome).await.map_err(|source| failed(outcome.operation, hook.as_ref(), HookStage::After, source))?;
    }
    Ok(())
}

fn failed(operation: &'static Operation, hook: &dyn DynHook, stage: HookStage, source: BoxError) -> crate::Error {
    crate::Error::Hook(Box::new(HookError { operation, hook: hook.name().to_owned(), stage, source }))
}

#[cfg(test)]
mod tests {
    use super::*;

    static OPERATION: Operation = Operation { id: "getThing", method: reqwest::Method::GET, path: "/things" };

    struct Tag(&'static str);

    impl Hook for Tag {
        async fn before(&self, request: &mut HookRequest<'_>) -> Result<Option<Answer>, BoxError> {
            let seen = request.headers().get("x-tags").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            request.headers_mut().insert("x-tags", format!("{seen}{}", self.0).parse()?);
            Ok((self.0 == "stop").then(|| Answer::new(StatusCode::NO_CONTENT)))
        }
    }

    struct Fails;

    impl Hook for Fails {
        fn name(&self) -> &str {
            "fails"
        }

        async fn after(&self, _: &HookOutcome<'_>) -> Result<(), BoxError> {
            Err("no".into())
        }
    }

    #[tokio::test]
    async fn hooks_run_in_order_up_to_the_first_answer() {
        let hooks: Vec<Arc<dyn DynHook>> = vec![Arc::new(Tag("a")), Arc::new(Tag("stop")), Arc::new(Tag("never"))];
        let url = reqwest::Url::parse("https://example.com/things?key=secret").expect("a URL");
        let mut headers = HeaderMap::new();
        let mut request = HookRequest { operation: &OPERATION, attempt: 2, url: &url, headers: &mut headers };
        let answer = before(&hooks, &mut request).await.expect("no error");
        assert_eq!(answer.map(|a| a.status), Some(StatusCode::NO_CONTENT));
        assert!(!format!("{request:?}").contains("secret"));
        assert_eq!(headers["x-tags"], "astop");
    }

    #[tokio::test]
    async fn a_failing_hook_is_named_with_its_stage() {
        let hooks: Vec<Arc<dyn DynHook>> = vec![Arc::new(Tag("a")), Arc::new(Fails)];
        let headers = HeaderMap::new();
        let outcome = HookOutcome {
            operation: &OPERATION,
            attempt: 1,
            duration: Duration::ZERO,
            result: Ok((StatusCode::OK, &headers)),
            answered: false,
        };
        let error = after(&hooks, &outcome).await.expect_err("fails");
        assert_eq!(error.to_string(), "getThing (GET /things): hook `fails` failed after the response: no");
    }
}
