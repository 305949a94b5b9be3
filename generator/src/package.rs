//! The generated crate's package metadata that the spec does not hold: license, repository,
//! keywords, whether it may be published. It lives in a small TOML file beside the spec (for
//! Wegly, `spec/crate.toml`), outside the generated crate, so that hand-edited keys survive
//! regeneration; [`crate::Config::package`] takes it, and `Cargo.toml` is rendered from it.
//!
//! ```toml
//! [package]
//! description = "Rust client for the Example API."   # default: one naming the spec's title
//! license = "MIT OR Apache-2.0"                       # default: the spec's info.license
//! repository = "https://github.com/example/example-rs"
//! keywords = ["example", "api"]
//! categories = ["api-bindings"]
//! publish = false                                     # the default
//! ```
//!
//! Values are checked against the rules cargo and crates.io apply when publishing (at most five
//! keywords of at most 20 characters, http(s) URLs, an SPDX-like license expression), so that a
//! mistake shows at generation, naming the file and key, not at `cargo publish`.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The `[package]` keys the configuration may set; every one is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Package {
    /// `description`; by default a sentence naming the spec's title.
    pub description: Option<String>,
    /// `license`, an SPDX expression; by default the spec's `info.license` (its `identifier`,
    /// or its `name` when that is an SPDX expression).
    pub license: Option<String>,
    /// `repository`.
    pub repository: Option<String>,
    /// `homepage`.
    pub homepage: Option<String>,
    /// `documentation`.
    pub documentation: Option<String>,
    /// `authors`.
    #[serde(default)]
    pub authors: Vec<String>,
    /// `keywords` (crates.io: at most five).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// `categories` (crates.io category slugs).
    #[serde(default)]
    pub categories: Vec<String>,
    /// `publish`; `false` unless the configuration says otherwise.
    pub publish: Option<bool>,
}

/// The configuration file's layout: a `[package]` table, so that it reads like `Cargo.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    package: Package,
}

/// A configuration that cannot be used: the file, the key and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageError {
    /// The configuration file.
    pub path: String,
    /// What is wrong, naming the key.
    pub message: String,
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for PackageError {}

impl Package {
    /// Reads and checks the configuration at `path`.
    pub fn from_file(path: &Path) -> Result<Self, PackageError> {
        let error = |message: String| PackageError { path: path.display().to_string(), message };
        // Read as every input is read: a regular file only, bounded, UTF-8.
        let text = crate::read::read_text(path).map_err(|e| error(format!("cannot read: {e}")))?;
        Self::from_toml(&text).map_err(error)
    }

    /// Parses and checks configuration text; the message names the key that is wrong.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())?;
        file.package.check()?;
        Ok(file.package)
    }

    fn check(&self) -> Result<(), String> {
        for (key, value) in [("description", &self.description), ("license", &self.license)] {
            if let Some(value) = value {
                one_line(key, value)?;
            }
        }
        if let Some(license) = &self.license {
            if !is_spdx_expression(license) {
                return Err(format!(
                    "package.license: `{license}` is not an SPDX expression (e.g. `MIT OR Apache-2.0`)"
                ));
            }
        }
        for (key, value) in [
            ("repository", &self.repository),
            ("homepage", &self.homepage),
            ("documentation", &self.documentation),
        ] {
            if let Some(url) = value {
                if !(url.starts_with("https://") || url.starts_with("http://"))
                    || url.chars().any(char::is_whitespace)
                {
                    return Err(format!("package.{key}: `{url}` is not an http(s) URL"));
                }
            }
        }
        if self.keywords.len() > 5 {
            return Err(format!(
                "package.keywords: {} keywords; crates.io takes at most 5",
                self.keywords.len()
            ));
        }
        for keyword in &self.keywords {
            let valid = keyword.len() <= 20
                && keyword.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
                && keyword.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'));
            if !valid {
                return Err(format!(
                    "package.keywords: `{keyword}` is not a crates.io keyword (ASCII letters, digits, \
                     `-`, `_`, `+`, starting with a letter or digit, at most 20 characters)"
                ));
            }
        }
        for category in &self.categories {
            let valid = !category.is_empty()
                && category
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | ':'));
            if !valid {
                return Err(format!("package.categories: `{category}` is not a crates.io category slug"));
            }
        }
        for author in &self.authors {
            one_line("authors", author)?;
        }
        Ok(())
    }
}

/// The generated crate's version, from `out/Cargo.toml` (read as the generator reads its own
/// files: not through a link, never a FIFO, bounded); `None` when there is no such file.
pub fn crate_version(out: &Path) -> Result<Option<String>, PackageError> {
    let path = out.join("Cargo.toml");
    let error = |message: String| PackageError { path: path.display().to_string(), message };
    let text = crate::emit::read_file(out, "Cargo.toml", 1024 * 1024).map_err(|e| error(e.to_string()))?;
    match text {
        None => Ok(None),
        Some(text) => {
            manifest_version(&text).map(Some).ok_or_else(|| error("has no package.version".to_owned()))
        }
    }
}

/// `package.version` of a manifest's text.
pub fn manifest_version(manifest: &str) -> Option<String> {
    let table: toml::Table = manifest.parse().ok()?;
    table.get("package")?.get("version")?.as_str().map(str::to_owned)
}

fn one_line(key: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err(format!("package.{key} is empty"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("package.{key} holds a control character (a line break, a tab, NUL)"));
    }
    Ok(())
}

/// Whether `text` reads as an SPDX license expression: identifiers (letters, digits, `.`, `-`,
/// `+`) joined by `AND`, `OR` or `WITH`, with parentheses. It does not check the identifiers
/// against the SPDX list, which changes; crates.io does that when publishing.
pub fn is_spdx_expression(text: &str) -> bool {
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let mut depth = 0i32;
    let mut expect_id = true;
    for token in spaced.split_whitespace() {
        match token {
            "(" if expect_id => depth += 1,
            ")" if !expect_id => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            "AND" | "OR" | "WITH" if !expect_id => expect_id = true,
            id if expect_id
                && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
                && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) =>
            {
                expect_id = false
            }
            _ => return false,
        }
    }
    depth == 0 && !expect_id
}

#[cfg(test)]
mod tests {
    use super::{Package, is_spdx_expression};

    #[test]
    fn reads_every_key_and_defaults_the_rest() {
        let package = Package::from_toml(
            "[package]\nlicense = \"MIT OR Apache-2.0\"\nrepository = \"https://example.com/r\"\n\
             keywords = [\"api\", \"sdk\"]\npublish = true\n",
        )
        .expect("valid");
        assert_eq!(package.license.as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(package.keywords, ["api", "sdk"]);
        assert_eq!(package.publish, Some(true));
        assert_eq!(package.description, None);
        assert_eq!(Package::from_toml("").expect("empty is fine"), Package::default());
    }

    #[test]
    fn refuses_what_cargo_or_crates_io_would_refuse_naming_the_key() {
        let cases = [
            ("[package]\nlicense = \"MIT/Apache\"\n", "package.license"),
            ("[package]\nrepository = \"git@host:x\"\n", "package.repository"),
            ("[package]\nkeywords = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]\n", "package.keywords"),
            ("[package]\nkeywords = [\"two words\"]\n", "package.keywords"),
            ("[package]\ndescription = \"a\\u0000b\"\n", "package.description"),
            ("[package]\ncategories = [\"Web\"]\n", "package.categories"),
            ("[package]\nversion = \"1.0.0\"\n", "version"),
            ("[pakage]\n", "pakage"),
        ];
        for (text, key) in cases {
            let error = Package::from_toml(text).expect_err(text);
            assert!(error.contains(key), "{text}: {error}");
        }
    }

    #[test]
    fn spdx_expressions() {
        for good in [
            "MIT",
            "MIT OR Apache-2.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause",
            "GPL-2.0+ WITH Classpath-exception-2.0",
        ] {
            assert!(is_spdx_expression(good), "{good}");
        }
        for bad in ["", "MIT/Apache-2.0", "Proprietary license", "MIT OR", "(MIT", "MIT)", "OR MIT"] {
            assert!(!is_spdx_expression(bad), "{bad}");
        }
    }
}
