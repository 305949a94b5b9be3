//! Security per operation, for specs whose operations do not all need the same one scheme: the
//! client holds a credential per security scheme (set with the builder's setter named after
//! the scheme), and each operation names its requirements as the spec lists them. A request
//! sends the credentials of the first requirement the client has every credential for; an
//! operation with no requirement (`security: []`) or whose first such requirement is empty
//! (`{}`) sends none.

#![cfg(feature = "auth_schemes")]

use std::fmt;

use reqwest::header::{COOKIE, HeaderMap, HeaderName, HeaderValue};

/// Where a scheme's credential goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place {
    /// A header (lower-case name): the credential after `prefix` (`Bearer `, `Basic ` or none).
    Header { name: &'static str, prefix: &'static str },
    /// A query parameter.
    Query { name: &'static str },
    /// A cookie.
    Cookie { name: &'static str },
}

/// One of the spec's security schemes.
#[derive(Debug)]
pub(crate) struct Scheme {
    /// Its name in the spec.
    pub(crate) key: &'static str,
    pub(crate) place: Place,
}

/// An operation's security requirements in the spec's order: alternatives, each the schemes
/// sent together.
pub(crate) type Requirements = &'static [&'static [&'static Scheme]];

/// A credential ready to send.
enum Secret {
    Header(HeaderName, HeaderValue),
    Query(&'static str, String),
    /// `name=value`.
    Cookie(String),
}

/// The client's credentials, by scheme.
#[derive(Default)]
pub(crate) struct Secrets(Vec<(&'static str, Secret)>);

impl Secrets {
    /// The credentials the builder was given, checked; the error names the scheme, never the
    /// secret.
    pub(crate) fn new(given: &[(&'static Scheme, String)]) -> Result<Self, String> {
        let refused = |key: &str| format!("the credential of the security scheme `{key}` contains characters HTTP does not allow (such as CR or LF)");
        let mut secrets = Vec::with_capacity(given.len());
        for (scheme, secret) in given {
            let ready = match scheme.place {
                Place::Header { name, prefix } => {
                    let mut value = HeaderValue::from_str(&[prefix, secret.as_str()].concat()).map_err(|_| refused(scheme.key))?;
                    value.set_sensitive(true);
                    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| refused(scheme.key))?;
                    Secret::Header(name, value)
                }
                Place::Query { name } => Secret::Query(name, secret.clone()),
                Place::Cookie { name } => {
                    if HeaderValue::from_str(secret).is_err() || secret.contains(';') {
                        return Err(refused(scheme.key));
                    }
                    Secret::Cookie(format!("{name}={secret}"))
                }
            };
            secrets.push((scheme.key, ready));
        }
        Ok(Self(secrets))
    }

    fn get(&self, key: &str) -> Option<&Secret> {
        self.0.iter().find(|(set, _)| *set == key).map(|(_, secret)| secret)
    }

    /// Adds the credentials of the first requirement the client meets to one request; fails
    /// when it meets none.
    pub(crate) fn apply(&self, requirements: Requirements, headers: &mut HeaderMap, url: &mut reqwest::Url) -> Result<(), String> {
        if requirements.is_empty() {
            return Ok(());
        }
        let met = requirements.iter().find(|schemes| schemes.iter().all(|scheme| self.get(scheme.key).is_some()));
        let Some(schemes) = met else {
            let wanted: Vec<String> = requirements
                .iter()
                .map(|schemes| schemes.iter().map(|scheme| format!("`{}`", scheme.key)).collect::<Vec<_>>().join(" and "))
                .collect();
            return Err(format!(
                "it needs the credentials of the security scheme {}; the client was given none of them",
                wanted.join(", or ")
            ));
        };
        let mut cookies = Vec::new();
        for scheme in schemes.iter() {
            match self.get(scheme.key) {
                Some(Secret::Header(name, value)) => {
                    headers.insert(name.clone(), value.clone());
                }
                Some(Secret::Query(name, value)) => {
                    url.query_pairs_mut().append_pair(name, value);
                }
                Some(Secret::Cookie(pair)) => cookies.push(pair.as_str()),
                None => {}
            }
        }
        if !cookies.is_empty() {
            // Checked when the client was built: the pairs are valid header text.
            if let Ok(mut value) = HeaderValue::from_str(&cookies.join("; ")) {
                value.set_sensitive(true);
                headers.insert(COOKIE, value);
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(key, _)| (key, "<redacted>"))).finish()
    }
}

/// The credential of an HTTP basic scheme.
#[cfg(feature = "auth_schemes_basic")]
pub(crate) fn basic(username: &str, password: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEARER: Scheme = Scheme { key: "bearer", place: Place::Header { name: "authorization", prefix: "Bearer " } };
    const KEY: Scheme = Scheme { key: "key", place: Place::Query { name: "api_key" } };
    const APP: Scheme = Scheme { key: "app", place: Place::Cookie { name: "app" } };
    const SESSION: Scheme = Scheme { key: "session", place: Place::Cookie { name: "sid" } };

    fn sent(secrets: &Secrets, requirements: Requirements) -> Result<(HeaderMap, String), String> {
        let mut headers = HeaderMap::new();
        let mut url = reqwest::Url::parse("https://example.com/x").expect("a URL");
        secrets.apply(requirements, &mut headers, &mut url)?;
        Ok((headers, url.query().unwrap_or_default().to_owned()))
    }

    #[test]
    fn the_first_requirement_met_is_sent_whole() {
        let given = [(&KEY, "k1".to_owned()), (&APP, "a1".to_owned()), (&SESSION, "s1".to_owned())];
        let secrets = Secrets::new(&given).expect("valid");
        let (headers, query) = sent(&secrets, &[&[&BEARER], &[&KEY, &APP, &SESSION]]).expect("met");
        assert_eq!((headers.get("authorization"), query.as_str()), (None, "api_key=k1"));
        assert_eq!(headers["cookie"], "app=a1; sid=s1");
        assert!(headers["cookie"].is_sensitive());
        let (headers, query) = sent(&secrets, &[&[], &[&KEY]]).expect("anonymous first");
        assert!(headers.is_empty() && query.is_empty());
        let error = sent(&secrets, &[&[&BEARER], &[&BEARER, &KEY]]).expect_err("not met");
        assert_eq!(error, "it needs the credentials of the security scheme `bearer`, or `bearer` and `key`; the client was given none of them");
        assert!(sent(&secrets, &[]).is_ok_and(|(headers, query)| headers.is_empty() && query.is_empty()));
    }

    #[test]
    fn secrets_that_cannot_be_sent_are_refused_without_being_shown() {
        let error = Secrets::new(&[(&BEARER, "a\r\nb".to_owned())]).expect_err("CR LF");
        assert!(error.contains("`bearer`") && !error.contains("a\r\nb"), "{error}");
        assert!(Secrets::new(&[(&APP, "a;b".to_owned())]).is_err());
        let secrets = Secrets::new(&[(&BEARER, "hunter2".to_owned())]).expect("valid");
        assert_eq!(format!("{secrets:?}"), r#"{"bearer": "<redacted>"}"#);
        assert_eq!(basic("u", "p"), "dTpw");
    }
}
