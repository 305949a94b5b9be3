//! The report of `cargo xtask corpus`: the numbers, the slowest specs, and the failure causes
//! grouped by kind, as Markdown (printed without the per-spec lines, written with them).
//!
//! A cause's kind is its message with the names taken out ([`normalize`]): backticked and
//! double-quoted text becomes `_`, JSON pointers become `#/…` and numbers `N`, so that
//! "`$ref` to `#/a`, which does not exist" and "`$ref` to `#/b`, which does not exist" are one
//! group. Compile errors are grouped by rustc's error code plus the normalized message.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use super::check::{Checked, CompileError, CrateCheck};
use super::{Generation, Outcome, Problem};

/// How many examples each group shows.
const EXAMPLES: usize = 3;

/// One group of failures of the same kind.
struct Group {
    /// How many failures (errors, panics) there are.
    count: usize,
    /// The specs or crates they occur in, in first-seen order.
    owners: Vec<String>,
    /// One example line per owner, for the first [`EXAMPLES`] owners.
    examples: Vec<String>,
}

/// Groups keyed by kind.
#[derive(Default)]
struct Groups(BTreeMap<String, Group>);

impl Groups {
    fn add(&mut self, kind: String, owner: &str, example: impl FnOnce() -> String) {
        let group =
            self.0.entry(kind).or_insert(Group { count: 0, owners: Vec::new(), examples: Vec::new() });
        group.count += 1;
        if !group.owners.iter().any(|o| o == owner) {
            group.owners.push(owner.to_owned());
            if group.examples.len() < EXAMPLES {
                group.examples.push(example());
            }
        }
    }

    /// Markdown: the groups with most owners first, then most failures, then by kind.
    fn markdown(&self, unit: &str, owners: &str) -> String {
        let mut groups: Vec<(&String, &Group)> = self.0.iter().collect();
        groups.sort_by(|a, b| b.1.owners.len().cmp(&a.1.owners.len()).then(b.1.count.cmp(&a.1.count)));
        let mut text = String::new();
        for (kind, group) in groups {
            let _ = writeln!(text, "- **{} {unit} in {} {owners}**: {kind}", group.count, group.owners.len());
            for example in &group.examples {
                let _ = writeln!(text, "  - {example}");
            }
        }
        if text.is_empty() {
            text.push_str("None.\n");
        }
        text
    }
}

/// Everything the report says, computed once.
pub struct Report {
    summary: String,
    per_spec: String,
}

impl Report {
    pub fn new(outcomes: &[Outcome], checked: Option<&Checked>) -> Self {
        let mut summary = String::from("# Generator corpus report\n\n");
        summary.push_str(&counts(outcomes, checked));
        summary.push_str(&timings(outcomes, checked));
        summary.push_str("\n## Generation errors, by kind\n\n");
        summary.push_str(&problems(outcomes, Generation::errors).markdown("errors", "specs"));
        summary.push_str("\n## Generator panics, by message\n\n");
        summary.push_str(&panics(outcomes).markdown("panics", "specs"));
        summary.push_str("\n## Generation warnings (fallbacks) of the generated crates, by kind\n\n");
        summary.push_str(&problems(outcomes, Generation::warnings).markdown("warnings", "specs"));
        if let Some(checked) = checked {
            summary.push_str("\n## Compile errors, by code and message\n\n");
            summary.push_str(&compile_errors(checked.crates.iter()).markdown("errors", "crates"));
            if !checked.other_errors.is_empty() {
                summary.push_str("\n## Compile errors in dependencies\n\n");
                let others = checked.other_errors.iter().map(|(name, error)| (name, error));
                summary.push_str(&compile_error_groups(others).markdown("errors", "packages"));
            }
        }
        let mut per_spec = String::from("\n## Per spec\n\n");
        for outcome in outcomes {
            let _ = writeln!(per_spec, "{}", spec_line(outcome, checked));
        }
        Self { summary, per_spec }
    }

    /// The report without the per-spec lines.
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// The whole report.
    pub fn markdown(&self) -> String {
        format!("{}{}", self.summary, self.per_spec)
    }
}

/// One word (and the first problem) for how generating went.
pub fn generation_status(generation: &Generation) -> String {
    match generation {
        Generation::Generated { warnings } => format!("generated, {} warnings", warnings.len()),
        Generation::Failed(errors) => match errors.first() {
            Some(first) => {
                format!("refused ({} errors; first: {} {})", errors.len(), first.pointer, first.message)
            }
            None => "refused with no error".to_owned(),
        },
        Generation::Panicked(message) => format!("PANICKED: {message}"),
    }
}

fn counts(outcomes: &[Outcome], checked: Option<&Checked>) -> String {
    let listed = outcomes.len();
    let count = |pred: fn(&Generation) -> bool| outcomes.iter().filter(|o| pred(&o.generation)).count();
    let share = |n: usize| if listed == 0 { 0.0 } else { 100.0 * n as f64 / listed as f64 };
    let mut rows = vec![
        ("generated", count(|g| matches!(g, Generation::Generated { .. }))),
        ("refused (spec errors)", count(|g| matches!(g, Generation::Failed(_)))),
        ("panicked", count(|g| matches!(g, Generation::Panicked(_)))),
    ];
    if let Some(checked) = checked {
        rows.push(("compiled", checked.crates.values().filter(|c| compiled(c)).count()));
    }
    let mut text = format!("| | specs | share of listed |\n|---|---:|---:|\n| listed | {listed} | |\n");
    for (label, n) in rows {
        let _ = writeln!(text, "| {label} | {n} | {:.1} % |", share(n));
    }
    text
}

fn compiled(check: &CrateCheck) -> bool {
    check.built && check.errors.is_empty()
}

fn timings(outcomes: &[Outcome], checked: Option<&Checked>) -> String {
    let total: Duration = outcomes.iter().map(|o| o.elapsed).sum();
    let mut slowest: Vec<&Outcome> = outcomes.iter().collect();
    slowest.sort_by_key(|o| std::cmp::Reverse(o.elapsed));
    let mut text = format!("\nGeneration wall time: {:.1} s in total. Slowest:\n\n", total.as_secs_f64());
    for outcome in slowest.iter().take(5) {
        let _ = writeln!(text, "- {}: {:.2} s", outcome.spec.id, outcome.elapsed.as_secs_f64());
    }
    match checked {
        Some(checked) => {
            let verdict = if checked.success { "succeeded" } else { "failed" };
            let _ = writeln!(
                text,
                "\n`cargo check` wall time: {:.1} s ({verdict}).",
                checked.elapsed.as_secs_f64()
            );
        }
        None => text.push_str("\n`cargo check` was not run (`--no-check`).\n"),
    }
    text
}

/// The errors or the warnings (`select`) of every spec, grouped by normalized message.
fn problems(outcomes: &[Outcome], select: fn(&Generation) -> &[Problem]) -> Groups {
    let mut groups = Groups::default();
    for outcome in outcomes {
        for problem in select(&outcome.generation) {
            groups.add(normalize(&problem.message), &outcome.spec.id, || {
                format!("{}: `{}`: {}", outcome.spec.id, problem.pointer, problem.message)
            });
        }
    }
    groups
}

fn panics(outcomes: &[Outcome]) -> Groups {
    let mut groups = Groups::default();
    for outcome in outcomes {
        if let Generation::Panicked(message) = &outcome.generation {
            groups.add(normalize(message), &outcome.spec.id, || format!("{}: {message}", outcome.spec.id));
        }
    }
    groups
}

fn compile_errors<'a>(crates: impl Iterator<Item = (&'a String, &'a CrateCheck)>) -> Groups {
    compile_error_groups(crates.flat_map(|(name, check)| check.errors.iter().map(move |e| (name, e))))
}

fn compile_error_groups<'a>(errors: impl Iterator<Item = (&'a String, &'a CompileError)>) -> Groups {
    let mut groups = Groups::default();
    for (owner, error) in errors {
        let kind = format!("{} {}", error.code.as_deref().unwrap_or("(no code)"), normalize(&error.message));
        groups.add(kind, owner, || format!("{owner}: {}", compile_example(error)));
    }
    groups
}

/// `file:line:col: error[CODE]: message`, then the source line.
fn compile_example(error: &CompileError) -> String {
    let code = error.code.as_deref().map(|c| format!("[{c}]")).unwrap_or_default();
    let mut text = format!("{}: error{code}: {}", error.location, error.message);
    if !error.source_line.is_empty() {
        let _ = write!(text, " — `` {} ``", error.source_line);
    }
    text
}

fn spec_line(outcome: &Outcome, checked: Option<&Checked>) -> String {
    let name = outcome.spec.crate_name();
    let generation = generation_status(&outcome.generation);
    let mut line =
        format!("- {} (`{name}`, {:.2} s): {generation}", outcome.spec.id, outcome.elapsed.as_secs_f64());
    if let Generation::Failed(errors) = &outcome.generation {
        for error in errors.iter().skip(1).take(2) {
            let _ = write!(line, "; `{}`: {}", error.pointer, error.message);
        }
    }
    if let Some(check) = checked.and_then(|c| c.crates.get(&name)) {
        let verdict = match check.errors.first() {
            Some(first) => {
                format!("{} compile errors, first: {}", check.errors.len(), compile_example(first))
            }
            None if check.built => "compiled".to_owned(),
            None => "not checked (no artifact: a dependency failed or cargo stopped)".to_owned(),
        };
        let _ = write!(line, "; {verdict}");
    }
    line
}

/// The message with the names taken out: backticked and double-quoted text becomes `_`, JSON
/// pointers become `#/…`, and every run of digits becomes `N`.
pub fn normalize(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        let quoted = matches!(c, '`' | '"').then(|| rest[1..].find(c)).flatten();
        if let Some(end) = quoted {
            out.push(c);
            out.push('_');
            out.push(c);
            rest = &rest[end + 2..];
        } else if rest.starts_with("#/") {
            let end =
                rest.find(|ch: char| ch.is_whitespace() || ch == ',' || ch == ')').unwrap_or(rest.len());
            let end = if rest[..end].ends_with([':', '.', ';']) { end - 1 } else { end };
            out.push_str("#/…");
            rest = &rest[end..];
        } else if c.is_ascii_digit() {
            out.push('N');
            rest = rest.trim_start_matches(|ch: char| ch.is_ascii_digit());
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn names_and_pointers_are_taken_out() {
        assert_eq!(
            normalize("`$ref` to `#/components/x`, which does not exist"),
            "`_` to `_`, which does not exist"
        );
        assert_eq!(normalize("bad value \"abc\" at #/paths/~1a/get: nope"), "bad value \"_\" at #/…: nope");
        assert_eq!(normalize("unclosed ` stays"), "unclosed ` stays");
        assert_eq!(normalize("naïve #/a"), "naïve #/…");
        assert_eq!(normalize("no effect (77 places; line 12)"), "no effect (N places; line N)");
    }
}
