//! A release from the change report: the next version, and the `CHANGELOG.md` that records it.
//!
//! The change report ([`crate::surface::diff`]) compares the surface of the last release with
//! the one about to be written and implies the next version (Cargo's rules). [`Release::plan`]
//! turns that into a version and a changelog entry; [`prepend`] puts the entry at the top of the
//! changelog. Where the surfaces and the current version come from (the generated crate, git)
//! is the caller's business: this module does no I/O.

use crate::surface::Surface;
use crate::surface::diff::{self, Report};

/// The title and preamble of a new changelog.
pub const CHANGELOG_HEAD: &str = "# Changelog\n\nEvery release of this crate, newest first. Each entry is written by \
`cargo xtask release` from the change report: the breaking changes with what to change in your code, then the \
additions and compatible changes.\n\n";

/// A planned release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The version released last.
    pub previous: String,
    /// The version this release gets.
    pub version: String,
    /// What changed since the last release.
    pub report: Report,
}

impl Release {
    /// The release of `current` after the last release at `previous_version` with surface
    /// `previous`, or `None` when the surface did not change (nothing to release).
    pub fn plan(previous: &Surface, previous_version: &str, current: &Surface) -> Option<Self> {
        let report = diff::diff(previous, current);
        if report.changes.is_empty() {
            return None;
        }
        let version = report.next_version(previous_version);
        Some(Self { previous: previous_version.to_owned(), version, report })
    }

    /// The changelog entry, dated `date` (`YYYY-MM-DD`).
    pub fn entry(&self, date: &str) -> String {
        self.report.changelog_entry(&self.previous, &self.version, date)
    }
}

/// `changelog` with `entry` added as its newest entry: after the title and preamble, before the
/// first entry. A missing changelog starts with [`CHANGELOG_HEAD`].
pub fn prepend(changelog: Option<&str>, entry: &str) -> String {
    let existing = changelog.unwrap_or(CHANGELOG_HEAD);
    let at = existing.find("\n## ").map(|i| i + 1).unwrap_or(existing.len());
    let (head, rest) = existing.split_at(at);
    let mut out = head.to_owned();
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
    out.push_str(entry.trim_end());
    out.push_str("\n\n");
    out.push_str(rest);
    format!("{}\n", out.trim_end())
}

/// Today's date in UTC as `YYYY-MM-DD`, from the system clock (the civil-from-days algorithm of
/// <https://howardhinnant.github.io/date_algorithms.html>).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let days = i64::try_from(secs / 86_400).unwrap_or_default();
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::{CHANGELOG_HEAD, prepend, today};

    #[test]
    fn entries_go_newest_first_below_the_preamble() {
        let first = prepend(None, "## 0.1.1 (2026-01-01)\n\n- a.\n");
        assert!(first.starts_with(CHANGELOG_HEAD), "{first}");
        let second = prepend(Some(&first), "## 0.2.0 (2026-02-01)\n\n- b.\n");
        let newer = second.find("## 0.2.0").expect("new entry");
        let older = second.find("## 0.1.1").expect("old entry");
        assert!(second.starts_with(CHANGELOG_HEAD) && newer < older, "{second}");
        assert!(second.ends_with("- a.\n"), "{second:?}");
        // A hand-started changelog with no entry yet keeps its text above the entry.
        let hand = prepend(Some("# Changes\n\nNotes."), "## 1.0.0 (2026-03-01)\n");
        assert_eq!(hand, "# Changes\n\nNotes.\n\n## 1.0.0 (2026-03-01)\n");
    }

    #[test]
    fn today_is_a_date() {
        let date = today();
        assert_eq!(date.len(), 10, "{date}");
        assert!(date.starts_with("20") && &date[4..5] == "-" && &date[7..8] == "-", "{date}");
    }
}
