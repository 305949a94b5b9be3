//! JSON pointers (RFC 6901) into the spec document, written as URI fragments (`#/paths/...`).
//!
//! Every IR node and every diagnostic carries one, so that a message about the spec says exactly
//! where the spec is wrong.

use std::fmt;

use serde::Serialize;

/// A location in the spec document, kept escaped: `/` in a token is `~1` and `~` is `~0`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct JsonPointer(String);

impl JsonPointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Self("#".to_owned())
    }

    /// Parses the fragment of a local reference such as `#/components/schemas/Chat`.
    ///
    /// Returns `None` when the reference is not local (it does not start with `#`).
    pub fn from_ref(reference: &str) -> Option<Self> {
        let fragment = reference.strip_prefix('#')?;
        if !(fragment.is_empty() || fragment.starts_with('/')) {
            return None;
        }
        Some(Self(format!("#{fragment}")))
    }

    /// The pointer one level down, with `token` escaped.
    pub fn push(&self, token: impl AsRef<str>) -> Self {
        let escaped = token.as_ref().replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{escaped}", self.0))
    }

    /// The unescaped tokens after the root.
    pub fn tokens(&self) -> Vec<String> {
        self.0.trim_start_matches('#').split('/').skip(1).map(unescape).collect()
    }

    /// The last unescaped token, or `None` at the root.
    pub fn last(&self) -> Option<String> {
        self.tokens().pop()
    }

    /// The pointer as written, for example `#/components/schemas/Chat`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One pointer token as written (`a~1b`) to the text it stands for (`a/b`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::JsonPointer;

    #[test]
    fn escapes_slashes_and_tildes() {
        let pointer = JsonPointer::root().push("paths").push("/chats/{id}").push("a~b");
        assert_eq!(pointer.as_str(), "#/paths/~1chats~1{id}/a~0b");
        assert_eq!(pointer.tokens(), vec!["paths", "/chats/{id}", "a~b"]);
        assert_eq!(pointer.last().as_deref(), Some("a~b"));
    }

    #[test]
    fn parses_local_references_only() {
        assert_eq!(
            JsonPointer::from_ref("#/components/schemas/Chat").map(|p| p.tokens()),
            Some(vec!["components".to_owned(), "schemas".to_owned(), "Chat".to_owned()])
        );
        assert_eq!(JsonPointer::from_ref("other.yaml#/a"), None);
        assert_eq!(JsonPointer::from_ref("#a"), None);
    }
}
