//! The client: configuration, authentication and the HTTP connection pool.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, ORIGIN, USER_AGENT};

use crate::error::{Error, Result};
use crate::retry::{RetryBudget, RetryPolicy};

/// The `User-Agent` sent with every request: this crate's name and version.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client for the API. Cheap to clone: clones share one connection pool.
///
/// The token never appears in `Debug` output or in error messages.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: reqwest::Url,
    headers: HeaderMap,
    origin: Option<String>,
    timeout: Duration,
    attempt_timeout: Option<Duration>,
    retry: RetryPolicy,
    budget: RetryBudget,
    max_body_size: u64,
    /// The API key, sent as a query parameter of every request.
    #[cfg(feature = "auth_query")]
    key: Option<String>,
    /// The user's hooks, in registration order.
    hooks: crate::hooks::Hooks,
    /// The credential provider and its cache, instead of a fixed credential.
    #[cfg(feature = "credentials")]
    credentials: Option<crate::auth::Credentials>,
    /// A credential per security scheme, when operations need different ones.
    #[cfg(feature = "auth_schemes")]
    schemes: crate::security::Secrets,
}

impl Client {
    /// How long a call may take in all, every attempt and wait between them included, unless
    /// [`ClientBuilder::timeout`] or [`crate::Call::timeout`] says otherwise: 60 seconds.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

    /// The tokens the retry budget holds unless [`ClientBuilder::retry_budget`] says otherwise.
    pub const DEFAULT_RETRY_BUDGET: u32 = crate::retry::DEFAULT_BUDGET;

    /// The largest response body the client reads into memory unless
    /// [`ClientBuilder::max_body_size`] says otherwise: 16 MiB. An API's JSON answer is a page
    /// of records, kilobytes to a few megabytes; 16 MiB is several times the largest sane one
    /// (and the ceiling many document stores put on one document), while it keeps what a
    /// hostile or broken server can make each call hold small. Streamed bodies (binary
    /// downloads) are not buffered and have no limit; each event of an event stream has this one.
    pub const DEFAULT_MAX_BODY_SIZE: u64 = 16 * 1024 * 1024;

    /// A client with the default settings that authenticates as `username` with `password`
    /// (HTTP basic).
    #[cfg(feature = "auth_basic")]
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Result<Self> {
        Self::builder(username, password).build()
    }

    /// A builder for a client that authenticates as `username` with `password` (HTTP basic).
    #[cfg(feature = "auth_basic")]
    pub fn builder(username: impl Into<String>, password: impl Into<String>) -> ClientBuilder {
        use base64::Engine as _;
        let pair = format!("{}:{}", username.into(), password.into());
        let token = base64::engine::general_purpose::STANDARD.encode(pair);
        ClientBuilder { token: Some(token), ..ClientBuilder::default() }
    }

    // An SDK has one kind of credential; with every feature on (this crate's own build), the
    // basic constructors are the ones compiled.
    #[cfg_attr(
        feature = "auth_bearer",
        doc = " A client with the default settings that authenticates with `token`, the bearer token."
    )]
    #[cfg_attr(
        not(feature = "auth_bearer"),
        doc = " A client with the default settings that authenticates with `token`, the API key."
    )]
    #[cfg(all(feature = "auth_token", not(feature = "auth_basic")))]
    pub fn new(token: impl Into<String>) -> Result<Self> {
        Self::builder(token).build()
    }

    #[cfg_attr(
        feature = "auth_bearer",
        doc = " A builder for a client that authenticates with `token`, the bearer token."
    )]
    #[cfg_attr(
        not(feature = "auth_bearer"),
        doc = " A builder for a client that authenticates with `token`, the API key."
    )]
    #[cfg(all(feature = "auth_token", not(feature = "auth_basic")))]
    pub fn builder(token: impl Into<String>) -> ClientBuilder {
        ClientBuilder { token: Some(token.into()), ..ClientBuilder::default() }
    }

    /// A builder for a client that authenticates with the credentials `provider` returns, asked
    /// again when they expire or the server refuses them (see
    /// [`ClientBuilder::credentials`]).
    #[cfg(feature = "credentials")]
    pub fn with_credentials(provider: impl crate::CredentialProvider) -> ClientBuilder {
        ClientBuilder::default().credentials(provider)
    }

    // With security per operation, the SDK's `apis` module declares the constructors.
    /// A client with the default settings.
    #[cfg(not(any(feature = "auth_basic", feature = "auth_token", feature = "auth_schemes")))]
    pub fn new() -> Result<Self> {
        Self::builder().build()
    }

    /// A builder for a client.
    #[cfg(not(any(feature = "auth_basic", feature = "auth_token", feature = "auth_schemes")))]
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The `reqwest` client that carries the requests.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str().trim_end_matches('/')
    }

    #[cfg(feature = "requests")]
    pub(crate) fn request(&self, operation: &'static crate::Operation) -> crate::request::Request<'_> {
        crate::request::Request::new(self, operation)
    }

    /// The URL of `path` with the query's `(parameter, name, value)` pairs.
    pub(crate) fn url(&self, path: &str, query: &[(&str, String, String)]) -> std::result::Result<reqwest::Url, String> {
        let joined = format!("{}{path}", self.base_url());
        let mut url = reqwest::Url::parse(&joined).map_err(|e| format!("cannot build a URL from `{joined}`: {e}"))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter().map(|(_, name, value)| (name.as_str(), value.as_str())));
        }
        #[cfg(feature = "auth_query")]
        if let Some(key) = &self.inner.key {
            url.query_pairs_mut().append_pair(crate::spec::CREDENTIAL_QUERY, key);
        }
        Ok(url)
    }

    pub(crate) fn default_headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    pub(crate) fn attempt_timeout(&self) -> Option<Duration> {
        self.inner.attempt_timeout
    }

    pub(crate) fn retry_budget(&self) -> &RetryBudget {
        &self.inner.budget
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    pub(crate) fn max_body_size(&self) -> u64 {
        self.inner.max_body_size
    }

    pub(crate) fn hooks(&self) -> &[Arc<dyn crate::hooks::DynHook>] {
        &self.inner.hooks
    }

    #[cfg(feature = "credentials")]
    pub(crate) fn credentials(&self) -> Option<&crate::auth::Credentials> {
        self.inner.credentials.as_ref()
    }

    #[cfg(feature = "auth_schemes")]
    pub(crate) fn scheme_secrets(&self) -> &crate::security::Secrets {
        &self.inner.schemes
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Client");
        debug
            .field("base_url", &self.base_url())
            .field("origin", &self.inner.origin)
            .field("timeout", &self.inner.timeout)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("retry", &self.inner.retry)
            .field("retry_budget_left", &self.inner.budget.left())
            .field("max_body_size", &self.inner.max_body_size)
            .field("hooks", &self.inner.hooks.iter().map(|hook| hook.name()).collect::<Vec<_>>())
            .field("token", &"<redacted>");
        #[cfg(feature = "auth_schemes")]
        debug.field("schemes", &self.inner.schemes);
        debug.finish()
    }
}

/// Settings for a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    token: Option<String>,
    base_url: Option<String>,
    origin: Option<String>,
    timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    retry_budget: Option<u32>,
    max_body_size: Option<u64>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    allow_http: bool,
    hooks: Vec<Arc<dyn crate::hooks::DynHook>>,
    #[cfg(feature = "credentials")]
    credentials: Option<crate::auth::Credentials>,
    #[cfg(feature = "auth_schemes")]
    schemes: Vec<(&'static crate::security::Scheme, String)>,
}

impl ClientBuilder {
    /// Sends requests to `url` instead of [`crate::DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends this `Origin` header with every request, for keys restricted to one domain.
    pub fn origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// How long a call may take in all: every attempt, every backoff and every `Retry-After`
    /// wait ([`Client::DEFAULT_TIMEOUT`], 60 seconds, unless set). When the time is up during an
    /// attempt, the call fails with a timeout ([`crate::Error::is_timeout`]); a retry whose wait
    /// would end past the deadline is not made, and the call fails at once with the error that
    /// would have been retried (the server's answer, or the transport error).
    /// [`crate::Call::timeout`] overrides it for one call; `Duration::MAX` means no deadline.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long one attempt may take, from connecting to the end of the response body (no limit
    /// but the call's deadline unless set). An attempt that runs out of time is retried like
    /// any timeout, if the method allows and time is left. [`crate::Call::attempt_timeout`]
    /// overrides it for one call.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Fails a connection attempt that takes longer than `timeout`. Ignored with
    /// [`ClientBuilder::http_client`]: set it on that client instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Retries requests by `policy` (see [`RetryPolicy`] for the default).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The client's retry budget, shared by all its calls and clones: it starts with `tokens`
    /// ([`Client::DEFAULT_RETRY_BUDGET`], 500, unless set), a retry after an error status takes
    /// 5 and a retry after a timeout or connection failure takes 10, and no retry is made when
    /// too few are left. A call that succeeds gives back what its retries took, or 1 token when
    /// it needed none, up to `tokens`. So a server that keeps failing soon gets each call only
    /// once, and retries resume as calls succeed again. `0` turns retries off; `u32::MAX`
    /// makes the budget practically unlimited.
    pub fn retry_budget(mut self, tokens: u32) -> Self {
        self.retry_budget = Some(tokens);
        self
    }

    /// The largest response body read into memory, in bytes ([`Client::DEFAULT_MAX_BODY_SIZE`],
    /// 16 MiB, unless set). It is enforced while reading: a success whose `Content-Length` is
    /// larger fails at once, and no more than `bytes` is ever read, whatever the server
    /// announced. A larger success is [`crate::Error::TooLarge`], naming the operation and the
    /// limit; a larger error body is kept up to the limit ([`crate::ApiError::is_cut`]). A binary
    /// response streamed to the caller is not buffered and not limited; each event of an event
    /// stream is held in memory, so each is limited to `bytes` too.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = Some(bytes);
        self
    }

    /// Sends this header with every request. A name or value HTTP does not allow (such as one
    /// with CR or LF) makes [`ClientBuilder::build`] fail.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Runs `hook` around every attempt of every call, after the hooks registered before it
    /// (see [`crate::Hook`]).
    pub fn hook(mut self, hook: impl crate::Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Gets the credential from `provider` instead of the fixed one the builder was made with:
    /// the client asks it before the first request that needs one, keeps the answer for as long
    /// as it says it is valid ([`crate::Credential::valid_for`]), asks once when several
    /// requests need a fresh one at the same time, and asks again when the server answers 401,
    /// sending that request once more with the fresh credential (once per call). A provider
    /// error ends the call with [`crate::Error::Credential`].
    #[cfg(feature = "credentials")]
    pub fn credentials(mut self, provider: impl crate::CredentialProvider) -> Self {
        self.credentials = Some(crate::auth::Credentials::new(provider));
        self
    }

    /// Sets the credential of `scheme`, replacing the one set before (each scheme's setter).
    #[cfg(feature = "auth_schemes")]
    pub(crate) fn scheme_credential(mut self, scheme: &'static crate::security::Scheme, secret: String) -> Self {
        self.schemes.retain(|(set, _)| set.key != scheme.key);
        self.schemes.push((scheme, secret));
        self
    }

    /// Uses the caller's own `reqwest::Client` (proxies, TLS roots, connection pool).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Allows a plain `http://` base URL that is not on a loopback address. The token would
    /// travel unencrypted; use it only on a trusted network.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Builds the client.
    ///
    /// Fails when the base URL is not an absolute `https` URL (or `http` on loopback), or when
    /// the token or origin contains characters HTTP headers do not allow, such as CR or LF.
    pub fn build(self) -> Result<Client> {
        let raw_url = self
            .base_url
            .or_else(|| crate::DEFAULT_BASE_URL.map(str::to_owned))
            .ok_or_else(|| Error::Config("no base URL: the spec names no server, so call `base_url`".to_owned()))?;
        let base_url = reqwest::Url::parse(raw_url.trim_end_matches('/'))
            .map_err(|e| Error::Config(format!("the base URL `{raw_url}` is not a valid URL: {e}")))?;
        match base_url.scheme() {
            "https" => {}
            "http" if self.allow_http || is_loopback(&base_url) => {}
            "http" => {
                return Err(Error::Config(format!(
                    "the base URL `{raw_url}` is plain http on a non-loopback host; use https or `allow_insecure_http(true)`"
                )));
            }
            other => return Err(Error::Config(format!("the base URL scheme `{other}` is not http or https"))),
        }
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, HeaderValue::from_static(DEFAULT_USER_AGENT));
        // A provider's credential is added to each request instead.
        #[cfg(feature = "credentials")]
        let token = if self.credentials.is_some() { None } else { self.token };
        #[cfg(feature = "auth_header")]
        if let Some(token) = &token {
            let mut value = HeaderValue::from_str(&[crate::spec::CREDENTIAL_PREFIX, token.as_str()].concat())
                .map_err(|_| {
                    Error::Config(crate::spec::CREDENTIAL_REFUSED.to_owned())
                })?;
            value.set_sensitive(true);
            headers.insert(reqwest::header::HeaderName::from_static(crate::spec::CREDENTIAL_HEADER), value);
        }
        for (name, value) in &self.headers {
            let name_ok = reqwest::header::HeaderName::from_bytes(name.as_bytes());
            let value_ok = HeaderValue::from_str(value);
            match (name_ok, value_ok) {
                (Ok(name), Ok(value)) => {
                    headers.insert(name, value);
                }
                _ => {
                    return Err(Error::Config(format!(
                        "the header `{}` has a name or value HTTP does not allow (such as CR or LF)",
                        name.escape_debug()
                    )));
                }
            }
        }
        if let Some(origin) = &self.origin {
            let value = HeaderValue::from_str(origin)
                .map_err(|_| Error::Config("the origin contains characters HTTP headers do not allow (such as CR or LF)".to_owned()))?;
            headers.insert(ORIGIN, value);
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                // rustls with ring (the `rustls-ring` feature): ring becomes the process's crypto
                // provider unless the application installed one first (which then wins).
                #[cfg(feature = "rustls-ring")]
                let _ = rustls::crypto::ring::default_provider().install_default();
                let mut builder = reqwest::Client::builder();
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build()
                    .map_err(|e| Error::Config(format!("cannot create the HTTP client: {e}")))?
            }
        };
        #[cfg(feature = "auth_schemes")]
        let schemes = crate::security::Secrets::new(&self.schemes).map_err(Error::Config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                headers,
                origin: self.origin,
                timeout: self.timeout.unwrap_or(Client::DEFAULT_TIMEOUT),
                attempt_timeout: self.attempt_timeout,
                retry: self.retry,
                budget: RetryBudget::new(self.retry_budget.unwrap_or(Client::DEFAULT_RETRY_BUDGET)),
                max_body_size: self.max_body_size.unwrap_or(Client::DEFAULT_MAX_BODY_SIZE),
                #[cfg(feature = "auth_query")]
                key: token,
                hooks: self.hooks.into(),
                #[cfg(feature = "credentials")]
                credentials: self.credentials,
                #[cfg(feature = "auth_schemes")]
                schemes,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("origin", &self.origin)
            .field("timeout", &self.timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("retry_budget", &self.retry_budget)
            .field("max_body_size", &self.max_body_size)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("hooks", &self.hooks.iter().map(|hook| hook.name()).collect::<Vec<_>>())
            .finish()
    }
}

/// Whether a URL's host is a loopback address or `localhost`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}
