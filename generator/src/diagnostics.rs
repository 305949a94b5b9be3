//! Problems found in a spec, and the generator's error type.
//!
//! Stages collect every [`Diagnostic`] they can before failing, so that one run reports all the
//! problems of a spec at once. Diagnostics are sorted by pointer when printed.

use std::fmt;

use serde::Serialize;

use crate::pointer::JsonPointer;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Generation stops: no sound output exists for this input.
    Error,
    /// Generation continues with a documented fallback.
    Warning,
}

/// One problem in the spec, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Where in the spec the problem is.
    pub pointer: JsonPointer,
    /// Whether generation can go on.
    pub severity: Severity,
    /// What is wrong, as a sentence fragment.
    pub message: String,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(pointer: JsonPointer, message: impl Into<String>) -> Self {
        Self { pointer, severity: Severity::Error, message: message.into() }
    }

    /// A warning at `pointer`.
    pub fn warning(pointer: JsonPointer, message: impl Into<String>) -> Self {
        Self { pointer, severity: Severity::Warning, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}: {}", self.pointer, self.message)
    }
}

/// A sorted list of diagnostics, printed one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The diagnostics, sorted by pointer, then severity, then message.
    pub fn sorted(mut self) -> Self {
        self.0.sort();
        self.0.dedup();
        self
    }

    /// Iterates over the diagnostics in their current order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file that was being read.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The spec has problems that stop generation; the warnings found so far come along.
    #[error("the spec has errors:\n{0}")]
    Spec(Diagnostics),
    /// A [`crate::Config`] setting that cannot be used, such as a crate name cargo refuses.
    #[error("invalid {setting} `{value}`: {problem}")]
    Config {
        /// The setting (`crate name`, `crate version`).
        setting: &'static str,
        /// Its value, escaped so that it prints on one line.
        value: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A bug in the generator, not in the spec.
    #[error("generator bug in stage `{stage}`: {message}")]
    Internal {
        /// The pipeline stage that failed.
        stage: &'static str,
        /// What went wrong.
        message: String,
    },
}
