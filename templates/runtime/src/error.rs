//! Errors: what the server refused, what did not decode, what never arrived.

use std::borrow::Cow;
use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::Operation;

/// The result of every operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong with a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status outside 2xx.
    Api(Box<ApiError>),
    /// A 2xx response whose body does not match the spec.
    Decode(Box<DecodeError>),
    /// The request did not complete: connection, TLS, timeout, or the body broke off.
    Transport(TransportError),
    /// The client could not be built (bad base URL, token or header value).
    Config(String),
    /// A hook registered with [`crate::ClientBuilder::hook`] failed; it names the hook and
    /// whether `before` or `after` failed.
    Hook(Box<crate::hooks::HookError>),
    /// The credential provider ([`crate::ClientBuilder::credentials`]) failed, or gave a
    /// secret that cannot be sent.
    #[cfg(feature = "credentials")]
    Credential(Box<crate::auth::CredentialError>),
    /// One request could not be built (a parameter value that cannot be sent).
    Request {
        /// The operation whose request failed.
        operation: &'static Operation,
        /// What was wrong.
        message: String,
    },
    /// A 2xx response body, or one event of an event stream, larger than the client's limit
    /// ([`crate::ClientBuilder::max_body_size`]).
    TooLarge(Box<TooLargeError>),
    /// Writing a streamed response body failed (the file or writer it was saved to).
    #[cfg(feature = "binary_response")]
    Io {
        /// The operation whose response was being written.
        operation: &'static Operation,
        /// What failed.
        source: std::io::Error,
    },
    /// One event of an event stream whose data is not the type the spec documents; the stream
    /// goes on with the next event.
    #[cfg(feature = "event_json")]
    Event(Box<EventError>),
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(error) => Some(error.status),
            Self::Decode(error) => Some(error.status),
            Self::TooLarge(error) => Some(error.status),
            #[cfg(feature = "event_json")]
            Self::Event(error) => Some(error.status),
            #[cfg(feature = "binary_response")]
            Self::Io { .. } => None,
            Self::Transport(_) | Self::Config(_) | Self::Request { .. } | Self::Hook(_) => None,
            #[cfg(feature = "credentials")]
            Self::Credential(_) => None,
        }
    }

    /// Whether the request ran out of time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Transport(error) if error.is_timeout())
    }

    /// The server's id for the request, when it answered with one (`x-request-id` and similar).
    /// After retries this is the last answer's; [`Error::request_ids`] has every attempt's.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(error) => error.request_id(),
            Self::Decode(error) => error.request_id(),
            Self::Transport(error) => error.request_ids.last().map(String::as_str),
            Self::TooLarge(error) => error.request_ids.last().map(String::as_str),
            #[cfg(feature = "event_json")]
            Self::Event(error) => error.request_ids.last().map(String::as_str),
            #[cfg(feature = "binary_response")]
            Self::Io { .. } => None,
            Self::Config(_) | Self::Request { .. } | Self::Hook(_) => None,
            #[cfg(feature = "credentials")]
            Self::Credential(_) => None,
        }
    }

    /// The server's ids for every attempt that was answered with one, in the order sent (an
    /// attempt without an answer or an id adds none); empty when the request was never sent.
    pub fn request_ids(&self) -> &[String] {
        match self {
            Self::Api(error) => &error.request_ids,
            Self::Decode(error) => &error.request_ids,
            Self::Transport(error) => &error.request_ids,
            Self::TooLarge(error) => &error.request_ids,
            #[cfg(feature = "event_json")]
            Self::Event(error) => &error.request_ids,
            #[cfg(feature = "binary_response")]
            Self::Io { .. } => &[],
            Self::Config(_) | Self::Request { .. } | Self::Hook(_) => &[],
            #[cfg(feature = "credentials")]
            Self::Credential(_) => &[],
        }
    }

    /// How many times the request was sent, retries included (0 when it was never sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Api(error) => error.attempts,
            Self::Transport(error) => error.attempts,
            Self::Decode(error) => error.attempts,
            Self::TooLarge(error) => error.attempts,
            #[cfg(feature = "event_json")]
            Self::Event(error) => error.attempts,
            #[cfg(feature = "binary_response")]
            Self::Io { .. } => 0,
            Self::Config(_) | Self::Request { .. } | Self::Hook(_) => 0,
            #[cfg(feature = "credentials")]
            Self::Credential(_) => 0,
        }
    }

    /// Whether the retry rules would send this request again after this error (see
    /// [`crate::RetryPolicy`]): a status the policy retries or a transport failure, for a
    /// request that may be repeated (a refused connection always may). When it is `true` the
    /// SDK stopped because attempts, the retry budget or the call's time ran out. Responses
    /// that do not decode or are too large, requests that could not be built, and failures while
    /// reading a stream are never retryable.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(error) => error.retryable,
            Self::Transport(error) => error.retryable,
            Self::TooLarge(_) => false,
            #[cfg(feature = "event_json")]
            Self::Event(_) => false,
            #[cfg(feature = "binary_response")]
            Self::Io { .. } => false,
            Self::Decode(_) | Self::Config(_) | Self::Request { .. } | Self::Hook(_) => false,
            #[cfg(feature = "credentials")]
            Self::Credential(_) => false,
        }
    }

    /// The error response as `E`, the error enum of the operation that failed (its method's
    /// docs name it under "Errors"): the body decoded as the type the spec documents for the
    /// status. `None` when the server did not answer with an error status, or when `E` belongs
    /// to another operation.
    #[cfg(feature = "typed_errors")]
    pub fn typed<E: TypedError>(&self) -> Option<E> {
        match self {
            Self::Api(error) => error.typed(),
            _ => None,
        }
    }
}

impl Error {
    /// The error for logs that must not hold response data (personal data, secrets): the same
    /// message as `Display`, without any text of a response body (no excerpt, and for a decode
    /// error no value from the body, only where it failed and what kind of failure it was).
    pub fn redacted(&self) -> Redacted<'_> {
        Redacted(self)
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, bodies: bool) -> fmt::Result {
        match self {
            Self::Api(error) => error.write(f, bodies),
            Self::Decode(error) => error.write(f, bodies),
            Self::Transport(error) => fmt::Display::fmt(error, f),
            Self::Config(message) => write!(f, "invalid client configuration: {message}"),
            Self::Request { operation, message } => write!(f, "{operation}: invalid request: {message}"),
            Self::TooLarge(error) => fmt::Display::fmt(error, f),
            #[cfg(feature = "event_json")]
            Self::Event(error) => error.write(f, bodies),
            #[cfg(feature = "binary_response")]
            Self::Io { operation, source } => write!(f, "{operation}: writing the response body failed: {source}"),
            Self::Hook(error) => fmt::Display::fmt(error, f),
            #[cfg(feature = "credentials")]
            Self::Credential(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, true)
    }
}

/// An [`Error`] displayed without response bodies: [`Error::redacted`].
#[derive(Debug, Clone, Copy)]
pub struct Redacted<'a>(&'a Error);

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write(f, false)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(error) => Some(&error.source),
            Self::Decode(error) => Some(&error.source),
            #[cfg(feature = "event_json")]
            Self::Event(error) => Some(&error.source),
            #[cfg(feature = "binary_response")]
            Self::Io { source, .. } => Some(source),
            Self::Api(_) | Self::Config(_) | Self::Request { .. } | Self::TooLarge(_) => None,
            Self::Hook(error) => Some(error.source()),
            #[cfg(feature = "credentials")]
            Self::Credential(error) => Some(error.source()),
        }
    }
}

/// How much of a body error messages quote.
const EXCERPT_LEN: usize = 200;

/// The start of `body` as text, cut at a character boundary.
fn excerpt(body: &[u8], limit: usize) -> Cow<'_, str> {
    let text = String::from_utf8_lossy(body);
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", &text[..end]))
}

/// `text` with its control characters (line breaks included) escaped, so that it stays one line
/// of a log.
fn without_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// An operation's documented error responses as one enum, a variant per status with the body
/// decoded as the spec's type for it. Each operation that documents error bodies has one, next
/// to its method; read it with [`Error::typed`].
#[cfg(feature = "typed_errors")]
pub trait TypedError: Sized {
    /// The `operationId` of the operation whose errors these are.
    fn operation_id() -> &'static str;

    /// Decodes `error`'s body as the type documented for its status.
    fn from_api(error: &ApiError) -> Self;
}

/// Why an error response has no variant of its own in the operation's error enum. The
/// [`ApiError`] still has the status, headers and raw body.
#[cfg(feature = "typed_errors")]
#[derive(Debug)]
#[non_exhaustive]
pub enum Unmatched {
    /// The spec documents no body type for this status.
    Status(StatusCode),
}

/// An error body that is not the type the spec documents for its status (an HTML page from a
/// proxy, say): its variant of the error enum holds `Err(Undecoded)`, with the raw body (up to
/// the client's [`crate::ClientBuilder::max_body_size`]) and why it did not decode.
#[cfg(feature = "typed_errors")]
#[derive(Debug)]
pub struct Undecoded {
    body: bytes::Bytes,
    cut: bool,
    error: serde_json::Error,
}

#[cfg(feature = "typed_errors")]
impl Undecoded {
    /// The raw body, as far as it was read.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// Whether the body was longer than the client's limit and is cut there.
    pub fn is_cut(&self) -> bool {
        self.cut
    }

    /// Why the body is not the documented type.
    pub fn error(&self) -> &serde_json::Error {
        &self.error
    }
}

#[cfg(feature = "typed_errors")]
impl fmt::Display for Undecoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the error body is not the documented type: {}", without_controls(&self.error.to_string()))
    }
}

#[cfg(feature = "typed_errors")]
impl std::error::Error for Undecoded {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// A response with a status outside 2xx.
#[derive(Debug)]
pub struct ApiError {
    pub(crate) operation: &'static Operation,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
    /// Whether the body was longer than the client's limit and is cut there.
    pub(crate) cut: bool,
    pub(crate) json: Option<serde_json::Value>,
    pub(crate) attempts: u32,
    pub(crate) request_ids: Vec<String>,
    pub(crate) retryable: bool,
}

impl ApiError {
    /// The operation that failed.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body, up to the client's limit
    /// ([`crate::ClientBuilder::max_body_size`]; see [`ApiError::is_cut`]).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Whether the body was longer than the client's limit, so that [`ApiError::body`] has
    /// only its start.
    pub fn is_cut(&self) -> bool {
        self.cut
    }

    /// The response body as text, with invalid UTF-8 replaced.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The response body as JSON, when it is JSON.
    pub fn json(&self) -> Option<&serde_json::Value> {
        self.json.as_ref()
    }

    /// Decodes the body as `T`, such as the error model an operation's docs list for this
    /// status.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> std::result::Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The server's id for the request, when it sent one (`x-request-id` and similar).
    pub fn request_id(&self) -> Option<&str> {
        crate::request::request_id(&self.headers)
    }

    /// The body decoded into `E`, the error enum of the operation that failed, by status;
    /// `None` when `E` belongs to another operation.
    #[cfg(feature = "typed_errors")]
    pub fn typed<E: TypedError>(&self) -> Option<E> {
        (self.operation.id == E::operation_id()).then(|| E::from_api(self))
    }

    /// The variant of an error enum for this status: the body decoded as `T`, or the raw body
    /// and why it is not one.
    #[cfg(feature = "typed_errors")]
    pub(crate) fn variant<T: serde::de::DeserializeOwned, E>(
        &self,
        variant: fn(std::result::Result<T, Undecoded>) -> E,
    ) -> E {
        variant(self.decode().map_err(|error| Undecoded { body: self.body.clone(), cut: self.cut, error }))
    }

    /// How many times the request was sent; more than 1 when retries ran out.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The server's ids for every attempt answered with one, in the order sent.
    pub fn request_ids(&self) -> &[String] {
        &self.request_ids
    }
}

impl ApiError {
    fn write(&self, f: &mut fmt::Formatter<'_>, bodies: bool) -> fmt::Result {
        write!(f, "{}: the server answered {}", self.operation, self.status)?;
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        if self.cut {
            write!(f, " (its body is longer than the client's limit and was cut there)")?;
        }
        if !bodies || self.body.is_empty() {
            return Ok(());
        }
        // A JSON body is shown as its text (`"não"`, not `"n\u00e3o"`); control characters stay
        // escaped, so a body cannot forge lines in a log.
        match self.json.as_ref().and_then(|json| serde_json::to_string(json).ok()) {
            Some(text) => write!(f, ": {}", without_controls(&excerpt(text.as_bytes(), EXCERPT_LEN))),
            None => write!(f, ": {}", without_controls(&excerpt(&self.body, EXCERPT_LEN))),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, true)
    }
}

/// A 2xx response whose body does not match the spec.
#[derive(Debug)]
pub struct DecodeError {
    pub(crate) operation: &'static Operation,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) path: String,
    pub(crate) source: serde_json::Error,
    pub(crate) body: Vec<u8>,
    pub(crate) attempts: u32,
    pub(crate) request_ids: Vec<String>,
}

impl DecodeError {
    /// The operation whose response failed to decode.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The JSON path of the value that failed, such as `last_message.reactions[0].created_at`
    /// (`.` for the whole body).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The raw response body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's id for the request, when it sent one (`x-request-id` and similar).
    pub fn request_id(&self) -> Option<&str> {
        crate::request::request_id(&self.headers)
    }

    /// How many times the request was sent; more than 1 when earlier answers were retried.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The server's ids for every attempt answered with one, in the order sent.
    pub fn request_ids(&self) -> &[String] {
        &self.request_ids
    }

    /// The part of the body around the failure.
    pub fn excerpt(&self) -> String {
        let line = self.source.line();
        let column = self.source.column();
        let offset = self
            .body
            .split(|b| *b == b'\n')
            .take(line.saturating_sub(1))
            .map(|l| l.len() + 1)
            .sum::<usize>()
            + column.saturating_sub(1);
        let offset = offset.min(self.body.len());
        let start = offset.saturating_sub(EXCERPT_LEN / 2);
        let end = (offset + EXCERPT_LEN / 2).min(self.body.len());
        let text = String::from_utf8_lossy(&self.body[start..end]);
        let prefix = if start > 0 { "…" } else { "" };
        let suffix = if end < self.body.len() { "…" } else { "" };
        format!("{prefix}{}{suffix}", text.trim_matches('\u{fffd}'))
    }
}

impl DecodeError {
    fn write(&self, f: &mut fmt::Formatter<'_>, bodies: bool) -> fmt::Result {
        if bodies {
            // Both may quote the body: escaped, so that a body cannot add lines to a log.
            return write!(
                f,
                "{}: the {} response does not match the spec at `{}`: {} (body near there: {})",
                self.operation,
                self.status,
                self.path,
                without_controls(&self.source.to_string()),
                without_controls(&self.excerpt())
            );
        }
        // serde's message quotes the offending value: only its kind is shown.
        let kind = match self.source.classify() {
            serde_json::error::Category::Io => "an I/O error",
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Data => "a value of the wrong type or shape",
            serde_json::error::Category::Eof => "a body that ends too early",
        };
        write!(f, "{}: the {} response does not match the spec at `{}`: {kind}", self.operation, self.status, self.path)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, true)
    }
}

/// A request that did not complete.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) operation: &'static Operation,
    pub(crate) source: reqwest::Error,
    pub(crate) attempts: u32,
    pub(crate) request_ids: Vec<String>,
    pub(crate) retryable: bool,
}

impl TransportError {
    /// The operation whose request failed.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// Whether the request ran out of time.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether the connection could not be made.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// How many times the request was sent.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The server's ids for the earlier attempts that were answered with one, in the order sent.
    pub fn request_ids(&self) -> &[String] {
        &self.request_ids
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.is_timeout() { "timed out" } else { "failed" };
        write!(f, "{}: the request {kind}", self.operation)?;
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        write!(f, ": {}", self.source)
    }
}

/// What was larger than the client's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TooLarge {
    /// A buffered response body.
    Body,
    /// One event (or line) of an event stream.
    #[cfg(feature = "event_stream")]
    Event,
}

/// A response body, or one event of an event stream, larger than the client's limit
/// ([`crate::ClientBuilder::max_body_size`]). No more than the limit was read or kept.
#[derive(Debug)]
pub struct TooLargeError {
    pub(crate) operation: &'static Operation,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) limit: u64,
    pub(crate) what: TooLarge,
    pub(crate) attempts: u32,
    pub(crate) request_ids: Vec<String>,
}

impl TooLargeError {
    /// The operation whose response was too large.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The limit, in bytes.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// How many times the request was sent.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.what {
            TooLarge::Body => "body is",
            #[cfg(feature = "event_stream")]
            TooLarge::Event => "stream has an event or line",
        };
        write!(
            f,
            "{}: the {} response {what} larger than the client's limit of {} bytes (`ClientBuilder::max_body_size`)",
            self.operation, self.status, self.limit
        )
    }
}

/// One event of an event stream whose data is not the type the spec documents.
#[cfg(feature = "event_json")]
#[derive(Debug)]
pub struct EventError {
    pub(crate) operation: &'static Operation,
    pub(crate) status: StatusCode,
    pub(crate) event: String,
    pub(crate) id: String,
    pub(crate) path: String,
    pub(crate) data: String,
    pub(crate) source: serde_json::Error,
    pub(crate) attempts: u32,
    pub(crate) request_ids: Vec<String>,
}

#[cfg(feature = "event_json")]
impl EventError {
    /// The operation whose stream it is.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The event's type (`message` unless the server named one).
    pub fn event(&self) -> &str {
        &self.event
    }

    /// The event's id (the last one the stream set, empty when none).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The JSON path of the value that failed (`.` for the whole data).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The event's data, as it came.
    pub fn data(&self) -> &str {
        &self.data
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, bodies: bool) -> fmt::Result {
        write!(
            f,
            "{}: event `{}` (id `{}`) of the stream does not match the spec at `{}`",
            self.operation,
            without_controls(&self.event),
            without_controls(&self.id),
            self.path
        )?;
        if bodies {
            write!(
                f,
                ": {} (data: {})",
                without_controls(&self.source.to_string()),
                without_controls(&excerpt(self.data.as_bytes(), EXCERPT_LEN))
            )?;
        }
        Ok(())
    }
}

#[cfg(feature = "event_json")]
impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_at_a_character_boundary() {
        assert_eq!(excerpt(b"short", 10), "short");
        assert_eq!(excerpt("ééé".as_bytes(), 3), "é…");
        assert_eq!(excerpt(b"abcdef", 3), "abc…");
    }

    #[test]
    fn decode_errors_show_the_body_near_the_failure() {
        static OPERATION: Operation = Operation { id: "op", method: reqwest::Method::GET, path: "/" };
        let body = format!("{{\"pad\": \"{}\", \"n\": x}}", "p".repeat(300)).into_bytes();
        let source = serde_json::from_slice::<serde_json::Value>(&body).expect_err("not JSON");
        let error = DecodeError {
            operation: &OPERATION,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            path: "n".to_owned(),
            source,
            body,
            attempts: 1,
            request_ids: Vec::new(),
        };
        let excerpt = error.excerpt();
        assert!(excerpt.starts_with('…') && excerpt.ends_with("\"n\": x}"), "{excerpt}");
        assert!(error.to_string().starts_with("op (GET /): the 200 OK response does not match the spec at `n`"));
    }
}
