//! The change report: the changes a comparison of two surfaces found, the version bump they
//! imply, and how they read in a review and in a changelog.

use std::fmt::{self, Write as _};

use serde::Serialize;

/// How a change affects the SDK's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Impact {
    /// Code that compiled before may not compile now.
    Breaking,
    /// Something new; existing code is unaffected.
    Addition,
    /// Behaviour or documentation only; the API is the same.
    Compatible,
}

/// One change of the surface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// How it affects users.
    pub impact: Impact,
    /// The item, e.g. ``type `ChatDetail` `` or ``method `chats.get` ``.
    pub item: String,
    /// What changed, as a sentence fragment.
    pub what: String,
    /// For a breaking change, what users change in their code, as a sentence fragment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The version bump a set of changes implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Only compatible changes.
    Patch,
    /// Additions.
    Minor,
    /// Breaking changes.
    Major,
}

/// What changed between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The changes, breaking first, then by item.
    pub changes: Vec<Change>,
}

impl Report {
    /// The bump the changes imply.
    pub fn bump(&self) -> Bump {
        self.changes
            .iter()
            .map(|c| match c.impact {
                Impact::Breaking => Bump::Major,
                Impact::Addition => Bump::Minor,
                Impact::Compatible => Bump::Patch,
            })
            .max()
            .unwrap_or(Bump::None)
    }

    /// Whether any change breaks users.
    pub fn is_breaking(&self) -> bool {
        self.bump() == Bump::Major
    }

    /// The next version after `current` (Cargo's rules: before 1.0, a breaking change bumps
    /// the minor number and an addition the patch number).
    pub fn next_version(&self, current: &str) -> String {
        let mut parts = current.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
        let (major, minor, patch) =
            (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        match (self.bump(), major) {
            (Bump::None, _) => format!("{major}.{minor}.{patch}"),
            (Bump::Major, 0) => format!("0.{}.0", minor + 1),
            (Bump::Major, _) => format!("{}.0.0", major + 1),
            (Bump::Minor, 0) | (Bump::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
            (Bump::Minor, _) => format!("{major}.{}.0", minor + 1),
        }
    }

    /// The report as Markdown, for a pull request.
    pub fn markdown(&self, current_version: &str) -> String {
        let mut out = String::from("## SDK changes\n\n");
        if self.changes.is_empty() {
            out.push_str("The public surface of the SDK did not change.\n");
            return out;
        }
        let _ = writeln!(
            out,
            "**{}**: version {} → {}\n",
            self.verdict(),
            current_version,
            self.next_version(current_version)
        );
        for (impact, title) in
            [(Impact::Breaking, "Breaking"), (Impact::Addition, "Added"), (Impact::Compatible, "Compatible")]
        {
            let items: Vec<&Change> = self.changes.iter().filter(|c| c.impact == impact).collect();
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "### {title}\n");
            for change in items {
                let _ = writeln!(out, "- {}: {}", change.item, change.what);
            }
            out.push('\n');
        }
        out
    }

    /// The `CHANGELOG.md` entry of release `version` (dated `date`), from the version before it
    /// (`previous`): the breaking changes first, each with what to change in code that uses it,
    /// then the additions and the compatible changes.
    pub fn changelog_entry(&self, previous: &str, version: &str, date: &str) -> String {
        let mut out = format!("## {version} ({date})\n\n");
        if self.changes.is_empty() {
            out.push_str("No change to the SDK's public surface.\n\n");
            return out;
        }
        let sections = [
            (
                Impact::Breaking,
                "Breaking changes",
                format!("Code written against {previous} needs these changes."),
            ),
            (Impact::Addition, "Added", "New in this version; existing code is unaffected.".to_owned()),
            (
                Impact::Compatible,
                "Changed",
                "Behaviour or documentation only; the API is the same.".to_owned(),
            ),
        ];
        for (impact, title, intro) in sections {
            let items: Vec<&Change> = self.changes.iter().filter(|c| c.impact == impact).collect();
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "### {title}\n\n{intro}\n");
            for change in items {
                let _ = match &change.fix {
                    Some(fix) => writeln!(out, "- {}: {}. To update: {fix}.", change.item, change.what),
                    None => writeln!(out, "- {}: {}.", change.item, change.what),
                };
            }
            out.push('\n');
        }
        out
    }

    fn verdict(&self) -> &'static str {
        match self.bump() {
            Bump::Major => "breaking",
            Bump::Minor => "additions only, not breaking",
            Bump::Patch => "compatible changes only",
            Bump::None => "no change",
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return writeln!(f, "SDK surface: no change");
        }
        writeln!(f, "SDK surface: {} ({:?} bump)", self.verdict(), self.bump())?;
        for change in &self.changes {
            let label = match change.impact {
                Impact::Breaking => "breaking",
                Impact::Addition => "added",
                Impact::Compatible => "compatible",
            };
            writeln!(f, "  {label:<10} {}: {}", change.item, change.what)?;
        }
        Ok(())
    }
}
