//! Building one request from an operation's parts, sending it with retries, reading the answer.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument;

use crate::error::{ApiError, Error, TransportError};
use crate::retry::{self, RetryPolicy, Transient};

/// What the SDK knows of an operation at run time; errors carry it.
#[derive(Debug)]
pub struct Operation {
    /// The spec's operationId.
    pub id: &'static str,
    /// The HTTP method.
    pub method: reqwest::Method,
    /// The path template, such as `/chats/{id}`.
    pub path: &'static str,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.id, self.method, self.path)
    }
}
/// Characters escaped in a path segment: everything but RFC 3986's unreserved characters, so
/// that `/`, `?`, `#` and `%` in a value can never change the path. Dots are unreserved and
/// stay (`report.pdf`); a whole `.` or `..` segment is refused in `path_param`.
#[cfg(feature = "path_params")]
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ').add(b'!').add(b'"').add(b'#').add(b'$').add(b'%').add(b'&').add(b'\'')
    .add(b'(').add(b')').add(b'*').add(b'+').add(b',').add(b'/').add(b':').add(b';')
    .add(b'<').add(b'=').add(b'>').add(b'?').add(b'@').add(b'[').add(b'\\').add(b']')
    .add(b'^').add(b'`').add(b'{').add(b'|').add(b'}');
/// Characters escaped in a cookie value: those RFC 6265 does not allow, and `%`.
#[cfg(feature = "cookies")]
const COOKIE_VALUE: &percent_encoding::AsciiSet =
    &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\').add(b'%');

/// The header that carries an idempotency key.
const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// Headers servers use to name a request, checked in this order.
const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "request-id", "x-correlation-id"];

/// The server's id for a request, from the first request-id header present.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS.iter().find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
}

/// A successful answer: the decoded value with the status and headers it came with.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: reqwest::StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
    value: T,
    attempts: u32,
    request_ids: Vec<String>,
}

impl<T> Response<T> {
    /// The HTTP status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body, as the server sent it: for a field the SDK does not know yet,
    /// `serde_json::from_slice::<serde_json::Value>(response.body())` reads it. Empty for a
    /// streamed answer (a binary body or an event stream), whose body is the value.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The server's id for this request, when it sent one (`x-request-id` and similar).
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The server's ids for every attempt answered with one, in the order sent (this answer's
    /// last); more than one when earlier answers were retried.
    pub fn request_ids(&self) -> &[String] {
        &self.request_ids
    }

    /// How many times the request was sent, this successful attempt included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, dropping status and headers.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// Decodes a successful body into the operation's result type.
#[cfg(any(
    feature = "json_response",
    feature = "text_response",
    feature = "bytes_response",
    feature = "empty_response",
    not(feature = "requests")
))]
pub(crate) type Decoder<T> =
    fn(&'static Operation, reqwest::StatusCode, &HeaderMap, bytes::Bytes) -> crate::Result<T>;

/// One request under construction. Problems with a value are kept and reported when it is sent.
pub(crate) struct Request<'a> {
    client: &'a crate::Client,
    operation: &'static Operation,
    path: String,
    /// `(parameter, name, value)`: a parameter can give several pairs.
    query: Vec<(&'static str, String, String)>,
    headers: Vec<(&'static str, String)>,
    #[cfg(feature = "cookies")]
    cookies: Vec<String>,
    body: Option<bytes::Bytes>,
    content_type: Option<&'static str>,
    #[cfg(feature = "multipart")]
    form: Option<crate::multipart::Form>,
    /// A body of bytes that may be streamed (`binary` sets it).
    #[cfg(feature = "binary_body")]
    binary: Option<crate::stream::Body>,
    /// The operation's security requirements, when they are per operation.
    #[cfg(feature = "auth_schemes")]
    security: crate::security::Requirements,
    error: Option<String>,
}

#[cfg(feature = "paginate")]
impl Request<'_> {
    /// A copy for the next page; `None` for a multipart or streamed body, which is read once.
    fn try_clone(&self) -> Option<Self> {
        #[cfg(feature = "multipart")]
        if self.form.is_some() {
            return None;
        }
        #[cfg(feature = "binary_body")]
        if self.binary.is_some() {
            return None;
        }
        Some(Self {
            client: self.client,
            operation: self.operation,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            #[cfg(feature = "cookies")]
            cookies: self.cookies.clone(),
            body: self.body.clone(),
            content_type: self.content_type,
            #[cfg(feature = "multipart")]
            form: None,
            #[cfg(feature = "binary_body")]
            binary: None,
            #[cfg(feature = "auth_schemes")]
            security: self.security,
            error: self.error.clone(),
        })
    }

    /// Sets query parameter `param` to `value`, replacing what it was set to.
    pub(crate) fn set_query(self, param: &'static str, value: String) -> Self {
        self.query(param, &value)
    }

    /// Sends the request to `path` (below the base URL, already encoded) with exactly `query`.
    pub(crate) fn set_target(mut self, path: String, query: Vec<(String, String)>) -> Self {
        self.path = path;
        self.query = query.into_iter().map(|(name, value)| ("", name, value)).collect();
        self
    }
}

impl<'a> Request<'a> {
    #[cfg(feature = "requests")]
    pub(crate) fn new(client: &'a crate::Client, operation: &'static Operation) -> Self {
        Self {
            client,
            operation,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            #[cfg(feature = "cookies")]
            cookies: Vec::new(),
            body: None,
            content_type: None,
            #[cfg(feature = "multipart")]
            form: None,
            #[cfg(feature = "binary_body")]
            binary: None,
            #[cfg(feature = "auth_schemes")]
            security: &[],
            error: None,
        }
    }

    /// Sets the operation's security requirements (see `security.rs`).
    #[cfg(feature = "auth_schemes")]
    pub(crate) fn security(mut self, requirements: crate::security::Requirements) -> Self {
        self.security = requirements;
        self
    }

    /// Appends literal path text.
    #[cfg(feature = "requests")]
    pub(crate) fn path(mut self, literal: &str) -> Self {
        self.path.push_str(literal);
        self
    }
    #[cfg(any(feature = "params", feature = "body", feature = "multipart", feature = "form"))]
    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }
    /// Appends a parameter as one percent-encoded path segment (lists are comma-separated).
    #[cfg(feature = "path_params")]
    pub(crate) fn path_param<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Self {
        match crate::codec::param_values(value) {
            // URL parsers treat `.` and `..` as dot segments even when percent-encoded, and an
            // empty segment changes the path's shape: none of them can be sent safely.
            Ok(values) if matches!(values.join(",").as_str(), "" | "." | "..") => {
                self.fail(format!("path parameter `{}` cannot be sent in a URL path", values.join(",")));
            }
            Ok(values) => {
                let joined = values.join(",");
                let encoded = percent_encoding::utf8_percent_encode(&joined, SEGMENT).to_string();
                self.path.push_str(&encoded);
            }
            Err(message) => self.fail(format!("path parameter: {message}")),
        }
        self
    }
    /// Sets a query parameter in the default style (`form`, exploded): a list repeats the name,
    /// an object's properties become parameters of their own, `None` adds nothing.
    #[cfg(feature = "query_form")]
    pub(crate) fn query<T: serde::Serialize + ?Sized>(self, name: &'static str, value: &T) -> Self {
        self.query_style(name, value, crate::codec::QueryStyle::Form)
    }
    /// Sets a query parameter in the given style, replacing what it was set to before.
    #[cfg(feature = "query")]
    pub(crate) fn query_style<T: serde::Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        style: crate::codec::QueryStyle,
    ) -> Self {
        self.query.retain(|(param, _, _)| *param != name);
        match crate::codec::query_pairs(name, value, style) {
            Ok(pairs) => self.query.extend(pairs.into_iter().map(|(key, value)| (name, key, value))),
            Err(message) => self.fail(format!("query parameter `{name}`: {message}")),
        }
        self
    }
    /// Sets a cookie, replacing what it was set to before; lists are comma-separated, `None` adds
    /// nothing. The value is percent-encoded where a cookie value cannot hold a character.
    #[cfg(feature = "cookies")]
    pub(crate) fn cookie<T: serde::Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        self.cookies.retain(|cookie| cookie.split_once('=').map(|(set, _)| set) != Some(name));
        match crate::codec::param_values(value) {
            Ok(values) if values.is_empty() => {}
            Ok(values) => {
                let encoded: Vec<String> =
                    values.iter().map(|v| percent_encoding::utf8_percent_encode(v, COOKIE_VALUE).to_string()).collect();
                self.cookies.push(format!("{name}={}", encoded.join(",")));
            }
            Err(message) => self.fail(format!("cookie `{name}`: {message}")),
        }
        self
    }
    /// Sets a header parameter, replacing what it was set to before; lists are comma-separated,
    /// `None` adds nothing.
    #[cfg(feature = "headers")]
    pub(crate) fn header<T: serde::Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        self.headers.retain(|(set, _)| *set != name);
        match crate::codec::param_values(value) {
            Ok(values) if values.is_empty() => {}
            Ok(values) => self.headers.push((name, values.join(","))),
            Err(message) => self.fail(format!("header `{name}`: {message}")),
        }
        self
    }
    /// Sets a JSON body.
    #[cfg(feature = "body")]
    pub(crate) fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(bytes.into());
                self.content_type = Some("application/json");
            }
            Err(error) => self.fail(format!("the body cannot be serialized: {error}")),
        }
        self
    }
    /// Sets an `application/x-www-form-urlencoded` body when there is one.
    #[cfg(feature = "form")]
    pub(crate) fn form<T: serde::Serialize + ?Sized>(mut self, body: Option<&T>) -> Self {
        match body.map(crate::codec::form_body).transpose() {
            Ok(Some(text)) => {
                self.body = Some(text.into());
                self.content_type = Some("application/x-www-form-urlencoded");
            }
            Ok(None) => {}
            Err(message) => self.fail(format!("the form body cannot be encoded: {message}")),
        }
        self
    }
    /// Sets a text body, sent as it is, when there is one.
    #[cfg(feature = "text_body")]
    pub(crate) fn text(self, body: Option<String>, content_type: &'static str) -> Self {
        self.bytes(body.map(bytes::Bytes::from), content_type)
    }
    /// Sets a body of bytes, sent as they are, when there is one.
    #[cfg(feature = "text_body")]
    pub(crate) fn bytes(mut self, body: Option<bytes::Bytes>, content_type: &'static str) -> Self {
        if let Some(body) = body {
            self.body = Some(body);
            self.content_type = Some(content_type);
        }
        self
    }
    /// Sets a body of bytes that may come from a file or a reader, when there is one.
    #[cfg(feature = "binary_body")]
    pub(crate) fn binary(mut self, body: Option<crate::stream::Body>, content_type: &'static str) -> Self {
        if let Some(body) = body {
            self.binary = Some(body);
            self.content_type = Some(content_type);
        }
        self
    }
    /// Sets a JSON body when there is one.
    #[cfg(feature = "optional_body")]
    pub(crate) fn json_opt<T: serde::Serialize + ?Sized>(self, body: Option<&T>) -> Self {
        match body {
            Some(body) => self.json(body),
            None => self,
        }
    }
    /// Sets a multipart form body.
    #[cfg(feature = "multipart")]
    pub(crate) fn multipart<T: crate::multipart::ToForm>(mut self, body: &T) -> Self {
        let form = body.to_form();
        if let Some(message) = form.error() {
            self.fail(message.to_owned());
        }
        self.form = Some(form);
        self
    }

    /// Sets a multipart form body when there is one.
    #[cfg(feature = "optional_multipart")]
    pub(crate) fn multipart_opt<T: crate::multipart::ToForm>(self, body: Option<&T>) -> Self {
        match body {
            Some(body) => self.multipart(body),
            None => self,
        }
    }
    /// Finishes the request: the answer is JSON decoded into `T`.
    #[cfg(feature = "json_response")]
    pub(crate) fn json_response<T: serde::de::DeserializeOwned + Send + 'a, O>(self) -> Call<'a, T, O> {
        Call::new(self, crate::body::Decode::Buffered(crate::codec::decode_json::<T>))
    }
    /// Finishes the request: the answer is text (UTF-8) of one of the `accept` media types.
    #[cfg(feature = "text_response")]
    pub(crate) fn text_response<O>(mut self, accept: &'static str) -> Call<'a, String, O> {
        self.headers.push(("accept", accept.to_owned()));
        Call::new(self, crate::body::Decode::Buffered(crate::codec::decode_text))
    }
    /// Finishes the request: the answer's bytes as they came, of one of the `accept` media types.
    #[cfg(feature = "bytes_response")]
    pub(crate) fn bytes_response<O>(mut self, accept: &'static str) -> Call<'a, bytes::Bytes, O> {
        self.headers.push(("accept", accept.to_owned()));
        Call::new(self, crate::body::Decode::Buffered(|_, _, _, body| Ok(body)))
    }
    /// Finishes the request: the answer's body is not read.
    #[cfg(feature = "empty_response")]
    pub(crate) fn empty_response<O>(self) -> Call<'a, (), O> {
        Call::new(self, crate::body::Decode::Buffered(|_, _, _, _| Ok(())))
    }
    /// Finishes the request: a successful answer's body is left for `open` to stream, of one of
    /// the `accept` media types.
    #[cfg(feature = "streams")]
    pub(crate) fn streamed_response<T: Send + 'a, O>(
        mut self,
        accept: &'static str,
        open: fn(crate::stream::Opened) -> crate::Result<T>,
    ) -> Call<'a, T, O> {
        self.headers.push(("accept", accept.to_owned()));
        Call::new(self, crate::body::Decode::Streamed(open))
    }
}

/// One operation call, ready to send. `.await` it for the value; before that, options can be
/// set for this call only, and [`Call::with_response`] also returns status and headers.
///
/// `O` marks the call of an operation with optional parameters: methods of that operation's
/// call, named after the parameters, set them.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T, O = ()> {
    request: Request<'a>,
    decode: crate::body::Decode<T>,
    timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    extra_headers: Vec<(String, String)>,
    idempotency_key: Option<String>,
    retry_non_idempotent: bool,
    operation: PhantomData<fn() -> O>,
}

#[cfg(feature = "paginate")]
impl<'a, T, O> Call<'a, T, O> {
    /// A copy of the call for the next page; `None` for a multipart body.
    pub(crate) fn try_clone(&self) -> Option<Self> {
        Some(Self {
            request: self.request.try_clone()?,
            decode: self.decode,
            timeout: self.timeout,
            attempt_timeout: self.attempt_timeout,
            retry: self.retry.clone(),
            extra_headers: self.extra_headers.clone(),
            idempotency_key: self.idempotency_key.clone(),
            retry_non_idempotent: self.retry_non_idempotent,
            operation: PhantomData,
        })
    }

    /// Changes the request (the next page's parameters).
    pub(crate) fn with_request(mut self, set: impl FnOnce(Request<'a>) -> Request<'a>) -> Self {
        self.request = set(self.request);
        self
    }

    /// The value query parameter `param` was set to (its first, for a list).
    pub(crate) fn query_value(&self, param: &str) -> Option<&str> {
        self.request.query.iter().find(|(name, _, _)| *name == param).map(|(_, _, value)| value.as_str())
    }

    /// The operation the call is of.
    pub(crate) fn operation(&self) -> &'static Operation {
        self.request.operation
    }

    /// The client's base URL.
    pub(crate) fn client_base_url(&self) -> &str {
        self.request.client.base_url()
    }
}

impl<'a, T: Send + 'a, O> Call<'a, T, O> {
    #[cfg(feature = "requests")]
    fn new(request: Request<'a>, decode: crate::body::Decode<T>) -> Self {
        Self {
            request,
            decode,
            timeout: None,
            attempt_timeout: None,
            retry: None,
            extra_headers: Vec::new(),
            idempotency_key: None,
            retry_non_idempotent: false,
            operation: PhantomData,
        }
    }

    /// Sets a parameter on the request (an optional parameter's method).
    #[cfg(feature = "options")]
    pub(crate) fn with(mut self, set: impl FnOnce(Request<'a>) -> Request<'a>) -> Self {
        self.request = set(self.request);
        self
    }

    /// Fails this call when it takes longer than `timeout` in all, every attempt and every wait
    /// between them included, overriding [`crate::ClientBuilder::timeout`]. A retry whose wait
    /// would end past this deadline is not made: the call fails at once with the error that
    /// would have been retried.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Fails one attempt of this call that takes longer than `timeout` (it may then be retried),
    /// overriding [`crate::ClientBuilder::attempt_timeout`].
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Retries this call by `policy` instead of the client's policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Adds a header to this call. A value with CR or LF fails the call before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_headers.push((name.into(), value.into()));
        self
    }

    /// Sends `Idempotency-Key: key` on every attempt, which also lets a POST or PATCH be retried.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Lets a POST or PATCH be retried without an idempotency key; the server may then act twice.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// Returns the status and headers with the value.
    pub fn with_response(self) -> WithResponse<'a, T, O> {
        WithResponse(self)
    }

    /// Sends the request, retrying by the policy, and decodes the answer.
    async fn send(self) -> crate::Result<Response<T>> {
        let Call {
            request,
            decode,
            timeout,
            attempt_timeout,
            retry,
            extra_headers,
            idempotency_key,
            retry_non_idempotent,
            operation: _,
        } = self;
        let Request {
            client,
            operation,
            path,
            query,
            headers,
            #[cfg(feature = "cookies")]
            cookies,
            body,
            content_type,
            #[cfg(feature = "multipart")]
            form,
            #[cfg(feature = "binary_body")]
            mut binary,
            #[cfg(feature = "auth_schemes")]
            security,
            error,
        } = request;
        let invalid = |message: String| Error::Request { operation, message };
        if let Some(message) = error {
            return Err(invalid(message));
        }
        let url = client.url(&path, &query).map_err(invalid)?;
        let mut header_map = client.default_headers().clone();
        // Before the request's own cookies, which join a credential's cookie.
        #[cfg(feature = "auth_schemes")]
        let url = {
            let mut url = url;
            client.scheme_secrets().apply(security, &mut header_map, &mut url).map_err(invalid)?;
            url
        };
        let params = headers.iter().map(|(n, v)| (*n, v.as_str()));
        let extra = extra_headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        for (name, value) in params.chain(extra) {
            let parsed = HeaderName::from_bytes(name.as_bytes()).ok().zip(HeaderValue::from_str(value).ok());
            let (name, value) = parsed.ok_or_else(|| {
                invalid(format!("header `{name}` has a name or value HTTP does not allow (such as CR or LF)"))
            })?;
            header_map.insert(name, value);
        }
        #[cfg(feature = "cookies")]
        if !cookies.is_empty() {
            // Beside a cookie the client sends on every request (an API key), not instead of it.
            let mut all: Vec<&str> = header_map.get(reqwest::header::COOKIE).and_then(|v| v.to_str().ok()).into_iter().collect();
            all.extend(cookies.iter().map(String::as_str));
            let mut value = HeaderValue::from_str(&all.join("; "))
                .map_err(|_| invalid("a cookie has a name HTTP does not allow".to_owned()))?;
            value.set_sensitive(true);
            header_map.insert(reqwest::header::COOKIE, value);
        }
        if let Some(key) = &idempotency_key {
            let value = HeaderValue::from_str(key)
                .map_err(|_| invalid("the idempotency key contains characters HTTP does not allow".to_owned()))?;
            header_map.insert(IDEMPOTENCY_KEY, value);
        }
        if let Some(content_type) = content_type {
            let value = HeaderValue::from_str(content_type)
                .map_err(|_| invalid(format!("the content type `{content_type}` is not a valid header value")))?;
            header_map.insert(reqwest::header::CONTENT_TYPE, value);
        }
        let policy = retry.as_ref().unwrap_or_else(|| client.retry_policy());
        let may_repeat = retry::idempotent(&operation.method) || idempotency_key.is_some() || retry_non_idempotent;
        // A body read from a reader can be sent once: no failure of such a call is retried.
        #[cfg(feature = "binary_body")]
        let repeatable = binary.as_ref().is_none_or(crate::stream::Body::repeatable);
        #[cfg(not(feature = "binary_body"))]
        let repeatable = true;
        let max_body = client.max_body_size();
        let attempts = policy.attempts();
        // The deadline covers every attempt and wait; one too far away to represent is none.
        let deadline = tokio::time::Instant::now().checked_add(timeout.unwrap_or(client.timeout()));
        let attempt_timeout = attempt_timeout.or(client.attempt_timeout());
        let budget = client.retry_budget();
        let span = tracing::info_span!(
            "api_request",
            operation = operation.id,
            method = %operation.method,
            path = operation.path,
            attempt = tracing::field::Empty,
        );
        let hooks = client.hooks();
        let run = async {
            let mut attempt = 1;
            let mut spent: u32 = 0;
            let mut request_ids = Vec::new();
            // A 401 to a provider's credential is answered once per call with a fresh one.
            #[cfg(feature = "credentials")]
            let mut refreshed = false;
            loop {
                tracing::Span::current().record("attempt", attempt);
                let url = url.clone();
                #[cfg(feature = "credentials")]
                let mut url = url;
                let mut header_map = header_map.clone();
                #[cfg(feature = "credentials")]
                let credential = match client.credentials() {
                    Some(credentials) => {
                        let current = credentials.get(operation).await?;
                        current.apply(&mut header_map, &mut url);
                        Some(current)
                    }
                    None => None,
                };
                let answer = if hooks.is_empty() {
                    None
                } else {
                    let mut request = crate::hooks::HookRequest { operation, attempt, url: &url, headers: &mut header_map };
                    crate::hooks::before(hooks, &mut request).await?
                };
                let answered = answer.is_some();
                let started = tokio::time::Instant::now();
                let outcome = match answer {
                    Some(answer) => {
                        if let Some(id) = request_id(&answer.headers) {
                            request_ids.push(id.to_owned());
                        }
                        Ok((answer.status, answer.headers, crate::body::Received::Full(answer.body)))
                    }
                    None => {
                        let mut builder = client.http_client().request(operation.method.clone(), url).headers(header_map);
                        if let Some(body) = &body {
                            builder = builder.body(body.clone());
                        }
                        #[cfg(feature = "multipart")]
                        if let Some(form) = &form {
                            builder = builder.multipart(form.build().await.map_err(invalid)?);
                        }
                        #[cfg(feature = "binary_body")]
                        if let Some(binary) = &mut binary {
                            builder = binary.attach(builder).await.map_err(invalid)?;
                        }
                        let left = deadline.map(|deadline| deadline.saturating_duration_since(tokio::time::Instant::now()));
                        if let Some(limit) = [left, attempt_timeout].into_iter().flatten().min() {
                            // reqwest's timeout runs from connecting to the end of the body.
                            builder = builder.timeout(limit);
                        }
                        match builder.send().await {
                            Ok(response) => {
                                let status = response.status();
                                let headers = response.headers().clone();
                                if let Some(id) = request_id(&headers) {
                                    request_ids.push(id.to_owned());
                                }
                                crate::body::receive(response, &decode, max_body).await.map(|body| (status, headers, body))
                            }
                            Err(source) => Err(source),
                        }
                    }
                };
                if !hooks.is_empty() {
                    let result = match &outcome {
                        Ok((status, headers, _)) => Ok((*status, headers)),
                        Err(source) => Err(source),
                    };
                    let seen = crate::hooks::HookOutcome { operation, attempt, duration: started.elapsed(), result, answered };
                    crate::hooks::after(hooks, &seen).await?;
                }
                #[cfg(feature = "credentials")]
                if let (Some(credential), Ok((reqwest::StatusCode::UNAUTHORIZED, _, _))) = (&credential, &outcome) {
                    if !refreshed {
                        refreshed = true;
                        if let Some(credentials) = client.credentials() {
                            credentials.invalidate(credential);
                        }
                        tracing::debug!(attempt, "retrying with a fresh credential after 401");
                        attempt += 1;
                        continue;
                    }
                }
                let (transient, retry_after) = match &outcome {
                    Ok((status, _, _)) if status.is_success() => (None, None),
                    Ok((status, headers, _)) => (
                        Transient::status(policy, *status, may_repeat),
                        headers.get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok()),
                    ),
                    Err(source) => (Transient::transport(source, may_repeat), None),
                };
                let retryable = repeatable && transient.is_some_and(|transient| transient.safe);
                if let (Some(transient), true) = (transient, retryable && attempt < attempts) {
                    let delay = policy.delay(attempt + 1, retry_after);
                    let status = outcome.as_ref().ok().map(|(status, _, _)| status.as_u16());
                    let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                    let ends = tokio::time::Instant::now().checked_add(delay);
                    let in_time = deadline.is_none_or(|deadline| ends.is_some_and(|ends| ends < deadline));
                    if !in_time {
                        tracing::debug!(attempt, delay_ms, status, "not retrying: the wait would end past the call's deadline");
                    } else if !budget.acquire(transient.cost) {
                        tracing::debug!(attempt, status, "not retrying: the client's retry budget is spent");
                    } else {
                        spent = spent.saturating_add(transient.cost);
                        tracing::debug!(attempt, delay_ms, status, "retrying");
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                        continue;
                    }
                }
                return match outcome {
                    Ok((status, headers, received)) if status.is_success() => {
                        let answer = crate::body::Answer {
                            operation,
                            status,
                            headers: &headers,
                            attempts: attempt,
                            request_ids: &request_ids,
                            limit: max_body,
                        };
                        // `Bytes` is shared, not copied: the raw body stays readable beside the value.
                        match crate::body::decode(&decode, &answer, received) {
                            Ok((value, bytes)) => {
                                // Only a call that succeeds gives its retries' tokens back.
                                budget.succeeded(spent);
                                Ok(Response { status, headers, body: bytes, value, attempts: attempt, request_ids })
                            }
                            Err(Error::Decode(mut error)) => {
                                error.attempts = attempt;
                                error.request_ids = request_ids;
                                Err(Error::Decode(error))
                            }
                            Err(error) => Err(error),
                        }
                    }
                    Ok((status, headers, received)) => {
                        let (body, cut) = crate::body::error_body(received);
                        let json = if cut { None } else { serde_json::from_slice(&body).ok() };
                        let attempts = attempt;
                        Err(Error::Api(Box::new(ApiError { operation, status, headers, body, cut, json, attempts, request_ids, retryable })))
                    }
                    Err(source) => {
                        // The URL holds the API key: it stays out of the error.
                        #[cfg(any(feature = "auth_query", feature = "auth_schemes"))]
                        let source = source.without_url();
                        Err(Error::Transport(TransportError { operation, source, attempts: attempt, request_ids, retryable }))
                    }
                };
            }
        };
        run.instrument(span).await
    }
}

impl<'a, T: Send + 'a, O: 'a> IntoFuture for Call<'a, T, O> {
    type Output = crate::Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = crate::Result<T>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.send().await.map(Response::into_value) })
    }
}

/// A [`Call`] that returns the status and headers with the value.
#[must_use = "a call does nothing until it is awaited"]
pub struct WithResponse<'a, T, O = ()>(Call<'a, T, O>);

impl<'a, T: Send + 'a, O: 'a> IntoFuture for WithResponse<'a, T, O> {
    type Output = crate::Result<Response<T>>;
    type IntoFuture = Pin<Box<dyn Future<Output = crate::Result<Response<T>>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.0.send())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static OPERATION: Operation = Operation { id: "getThing", method: reqwest::Method::GET, path: "/things/{id}" };

    fn client() -> crate::Client {
        crate::Client::builder("user", "password").base_url("https://api.example.com/v1/").build().expect("a client")
    }

    #[test]
    fn path_parameters_are_one_encoded_segment() {
        let client = client();
        let request = client.request(&OPERATION).path("/things/").path_param("a/b?c#d%e f.pdf");
        assert_eq!(request.path, "/things/a%2Fb%3Fc%23d%25e%20f.pdf");
        assert_eq!(request.error, None);
        let request = client.request(&OPERATION).path("/things/").path_param(&["x", "y"]);
        // The items are joined by a comma, which the segment encoding then escapes too.
        assert_eq!(request.path, "/things/x%2Cy");
        for refused in ["", ".", ".."] {
            let request = client.request(&OPERATION).path_param(refused);
            assert!(request.error.is_some(), "{refused:?}");
        }
    }

    #[test]
    fn parameters_replace_what_they_were_set_to() {
        let client = client();
        let request = client.request(&OPERATION).query("q", "a").query("q", &["b", "c"]).header("x-h", "1").header("x-h", &2);
        let query: Vec<(&str, &str)> = request.query.iter().map(|(_, k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(query, [("q", "b"), ("q", "c")]);
        assert_eq!(request.headers, [("x-h", "2".to_owned())]);
        let request = client.request(&OPERATION).cookie("c", "a;b").cookie("d", &Option::<u8>::None);
        assert_eq!(request.cookies, ["c=a%3Bb"]);
    }

    #[test]
    fn the_first_problem_is_kept_for_sending() {
        let client = client();
        let request = client.request(&OPERATION).path_param("").json(&f64::NAN).form(Some(&[1]));
        assert!(request.error.as_deref().is_some_and(|e| e.starts_with("path parameter")), "{:?}", request.error);
    }

    #[test]
    fn bodies_set_their_content_type() {
        let client = client();
        let request = client.request(&OPERATION).json(&serde_json::json!({"a": 1}));
        assert_eq!(request.content_type, Some("application/json"));
        assert_eq!(request.body.as_deref(), Some(&br#"{"a":1}"#[..]));
        let request = client.request(&OPERATION).text(None, "text/plain");
        assert_eq!((request.body, request.content_type), (None, None));
        let request = client.request(&OPERATION).json_opt::<u8>(None).text(Some("hi".to_owned()), "text/plain");
        assert_eq!(request.content_type, Some("text/plain"));
    }

    #[test]
    fn request_ids_come_from_the_first_header_present() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_id(&headers), None);
        headers.insert("x-correlation-id", HeaderValue::from_static("c"));
        headers.insert("request-id", HeaderValue::from_static("b"));
        assert_eq!(request_id(&headers), Some("b"));
    }
}
