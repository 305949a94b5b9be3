//! Credentials that change over time: a provider the client asks for the secret, a cache that
//! keeps the answer while it is valid, one call to the provider however many requests need it at
//! once, and a fresh credential after the server answers 401.

#![cfg(feature = "credentials")]

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

#[cfg(feature = "auth_header")]
use reqwest::header::HeaderValue;
use tokio::time::Instant;

use crate::Operation;
use crate::hooks::BoxError;

/// A secret from a [`CredentialProvider`], and how long it may be used.
///
/// Its `Debug` output never shows the secret.
#[derive(Clone)]
pub struct Credential {
    secret: String,
    valid_for: Option<Duration>,
}

impl Credential {
    #[cfg_attr(feature = "auth_bearer", doc = " The bearer token `secret` (without `Bearer `),")]
    #[cfg_attr(not(feature = "auth_bearer"), doc = " The API key `secret`,")]
    /// valid until the server refuses it (a 401 answer) unless [`Credential::valid_for`] says
    /// otherwise.
    #[cfg(not(feature = "auth_basic"))]
    pub fn new(secret: impl Into<String>) -> Self {
        Self { secret: secret.into(), valid_for: None }
    }

    /// HTTP basic credentials, valid until the server refuses them (a 401 answer) unless
    /// [`Credential::valid_for`] says otherwise.
    #[cfg(feature = "auth_basic")]
    pub fn new(username: impl AsRef<str>, password: impl AsRef<str>) -> Self {
        use base64::Engine as _;
        let pair = format!("{}:{}", username.as_ref(), password.as_ref());
        Self { secret: base64::engine::general_purpose::STANDARD.encode(pair), valid_for: None }
    }

    /// The credential expires `duration` after the provider returns it; the client then asks
    /// the provider again before the next request. Give a little less than the secret's real
    /// lifetime, so that a request in flight does not carry one that just expired.
    pub fn valid_for(mut self, duration: Duration) -> Self {
        self.valid_for = Some(duration);
        self
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential").field("secret", &"<redacted>").field("valid_for", &self.valid_for).finish()
    }
}

/// Where the client gets its credential when it changes over time (a token that is refreshed,
/// a secret that rotates): [`crate::ClientBuilder::credentials`].
///
/// Any `Fn() -> impl Future<Output = Result<Credential, BoxError>>` is one, such as an async
/// closure. The client calls it when it has no valid credential: before the first request,
/// after the last one expired ([`Credential::valid_for`]), and after the server answered 401.
pub trait CredentialProvider: Send + Sync + 'static {
    /// Fetches a credential.
    fn credential(&self) -> impl Future<Output = Result<Credential, BoxError>> + Send;
}

impl<F, Fut> CredentialProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Credential, BoxError>> + Send,
{
    fn credential(&self) -> impl Future<Output = Result<Credential, BoxError>> + Send {
        self()
    }
}

/// [`CredentialProvider`] with a boxed future, so that the client can keep any provider.
trait DynProvider: Send + Sync + 'static {
    fn credential(&self) -> Pin<Box<dyn Future<Output = Result<Credential, BoxError>> + Send + '_>>;
}

impl<P: CredentialProvider> DynProvider for P {
    fn credential(&self) -> Pin<Box<dyn Future<Output = Result<Credential, BoxError>> + Send + '_>> {
        Box::pin(CredentialProvider::credential(self))
    }
}

/// A credential as the client sends it.
pub(crate) struct Current {
    /// The header value, prefix included, marked sensitive.
    #[cfg(feature = "auth_header")]
    pub(crate) header: HeaderValue,
    /// The query parameter's value.
    #[cfg(feature = "auth_query")]
    pub(crate) query: String,
    until: Option<Instant>,
}

impl Current {
    /// Adds the credential to one attempt's request.
    pub(crate) fn apply(&self, headers: &mut reqwest::header::HeaderMap, url: &mut reqwest::Url) {
        #[cfg(feature = "auth_header")]
        {
            let name = reqwest::header::HeaderName::from_static(crate::spec::CREDENTIAL_HEADER);
            match headers.get(&name) {
                // A cookie goes beside the request's own cookies, first.
                Some(cookies) if name == reqwest::header::COOKIE => {
                    let joined = [self.header.as_bytes(), b"; ", cookies.as_bytes()].concat();
                    if let Ok(mut value) = HeaderValue::from_bytes(&joined) {
                        value.set_sensitive(true);
                        headers.insert(name, value);
                    }
                }
                _ => {
                    headers.insert(name, self.header.clone());
                }
            }
        }
        #[cfg(feature = "auth_query")]
        url.query_pairs_mut().append_pair(crate::spec::CREDENTIAL_QUERY, &self.query);
        #[cfg(not(feature = "auth_query"))]
        let _ = url;
        #[cfg(not(feature = "auth_header"))]
        let _ = headers;
    }

    fn valid(&self) -> bool {
        self.until.is_none_or(|until| Instant::now() < until)
    }
}

/// The client's provider and the credential it last returned.
pub(crate) struct Credentials {
    provider: Box<dyn DynProvider>,
    current: Mutex<Option<Arc<Current>>>,
    /// Held while the provider is asked, so that one request asks and the others wait for it.
    refresh: tokio::sync::Mutex<()>,
}

impl Credentials {
    pub(crate) fn new(provider: impl CredentialProvider) -> Self {
        Self { provider: Box::new(provider), current: Mutex::new(None), refresh: tokio::sync::Mutex::new(()) }
    }

    fn cached(&self) -> Option<Arc<Current>> {
        let current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        current.as_ref().filter(|current| current.valid()).cloned()
    }

    /// A valid credential: the cached one, or a fresh one from the provider.
    pub(crate) async fn get(&self, operation: &'static Operation) -> Result<Arc<Current>, crate::Error> {
        if let Some(current) = self.cached() {
            return Ok(current);
        }
        let _refreshing = self.refresh.lock().await;
        // Another request may have refreshed it while this one waited.
        if let Some(current) = self.cached() {
            return Ok(current);
        }
        let failed = |source: BoxError| crate::Error::Credential(Box::new(CredentialError { operation, source }));
        let credential = self.provider.credential().await.map_err(failed)?;
        let until = credential.valid_for.map(|valid_for| Instant::now().checked_add(valid_for));
        let current = Arc::new(Current {
            #[cfg(feature = "auth_header")]
            header: {
                let mut header = HeaderValue::from_str(&[crate::spec::CREDENTIAL_PREFIX, credential.secret.as_str()].concat())
                    .map_err(|_| failed(crate::spec::CREDENTIAL_REFUSED.into()))?;
                header.set_sensitive(true);
                header
            },
            #[cfg(feature = "auth_query")]
            query: credential.secret,
            // A lifetime too long to represent never ends.
            until: until.flatten(),
        });
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&current));
        Ok(current)
    }

    /// Forgets `refused` (the server answered 401 to it), unless it was replaced already.
    pub(crate) fn invalidate(&self, refused: &Arc<Current>) {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current.as_ref().is_some_and(|current| Arc::ptr_eq(current, refused)) {
            *current = None;
        }
    }
}

/// A credential provider that failed: [`crate::Error::Credential`].
#[derive(Debug)]
pub struct CredentialError {
    operation: &'static Operation,
    source: BoxError,
}

impl CredentialError {
    /// The operation whose call needed the credential.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The provider's error.
    pub fn source(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self.source.as_ref()
    }
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: no credential: {}", self.operation, self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    static OPERATION: Operation = Operation { id: "getThing", method: reqwest::Method::GET, path: "/things" };

    #[test]
    fn the_secret_stays_out_of_debug() {
        let credential = Credential::new("user", "hunter2").valid_for(Duration::from_secs(1));
        assert!(!format!("{credential:?}").contains("hunter2"));
        assert!(!format!("{credential:?}").contains(&credential.secret));
    }

    #[tokio::test]
    async fn a_refused_credential_is_fetched_again_once() {
        let calls = Arc::new(AtomicU32::new(0));
        let counted = Arc::clone(&calls);
        let credentials = Credentials::new(move || {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            async move { Ok(Credential::new("user", format!("p{n}"))) }
        });
        let first = credentials.get(&OPERATION).await.expect("a credential");
        let again = credentials.get(&OPERATION).await.expect("a credential");
        assert!(Arc::ptr_eq(&first, &again));
        credentials.invalidate(&first);
        let fresh = credentials.get(&OPERATION).await.expect("a credential");
        // A second 401 to the first credential does not throw away the fresh one.
        credentials.invalidate(&first);
        assert!(Arc::ptr_eq(&fresh, &credentials.get(&OPERATION).await.expect("a credential")));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert!(fresh.header.is_sensitive());
    }
}
