//! Stage 4: the analyzed IR to file contents, through minijinja templates and the runtime crate.
//!
//! Input: an [`ir::Api`] and the crate facts. Output: unformatted [`RenderedFile`]s, from two
//! sources, both embedded at build time:
//!
//! - The spec's own files (`lib.rs`, `Cargo.toml`, README, models, operation groups) come from the
//!   minijinja templates of [`TEMPLATES`] (`templates/{crate,models,apis}`). The environment is
//!   strict (an undefined variable is an error), does no escaping and keeps trailing newlines.
//! - The runtime (`client.rs`, `request.rs`, `codec.rs`, `error.rs`, `retry.rs`, and `page.rs`,
//!   `multipart.rs`, `webhooks.rs` when used) is the ordinary Rust crate `templates/runtime`
//!   (`sdk-runtime`, a workspace member that is compiled, linted and unit-tested with all
//!   features). `render::runtime` embeds its files (`RUNTIME_FILES`), decides their
//!   `#[cfg(feature = "...")]` markers for the spec with `render::cfg` and puts the spec's values in
//!   place of its `crate::spec::NAME` placeholders. The SDK does not depend on that crate.

mod cfg;
mod docs;
pub mod escape;
pub(crate) mod example;
pub(crate) mod runtime;
pub(crate) mod rust;
pub(crate) mod view;

use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::diagnostics::Error;
use crate::ir::Api;
pub use view::CrateInfo;
use view::ModelView;

/// Every minijinja template, by its path under `templates/` (the runtime crate's files are in
/// `runtime::RUNTIME_FILES`).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("apis/group.rs.j2", include_str!("../../../templates/apis/group.rs.j2")),
    ("apis/mod.rs.j2", include_str!("../../../templates/apis/mod.rs.j2")),
    ("crate/Cargo.toml.j2", include_str!("../../../templates/crate/Cargo.toml.j2")),
    ("crate/README.md.j2", include_str!("../../../templates/crate/README.md.j2")),
    ("crate/contract.rs.j2", include_str!("../../../templates/crate/contract.rs.j2")),
    ("crate/lib.rs.j2", include_str!("../../../templates/crate/lib.rs.j2")),
    ("models/enum.rs.j2", include_str!("../../../templates/models/enum.rs.j2")),
    ("models/form.rs.j2", include_str!("../../../templates/models/form.rs.j2")),
    ("models/mod.rs.j2", include_str!("../../../templates/models/mod.rs.j2")),
    ("models/setters.rs.j2", include_str!("../../../templates/models/setters.rs.j2")),
    ("models/struct.rs.j2", include_str!("../../../templates/models/struct.rs.j2")),
    ("models/union.rs.j2", include_str!("../../../templates/models/union.rs.j2")),
];

/// One rendered file, before formatting.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    /// The path relative to the crate root, with `/` separators.
    pub path: String,
    /// The template it came from.
    pub template: &'static str,
    /// The text.
    pub text: String,
}

/// Renders every file of the crate.
pub fn render(api: &Api, krate: &CrateInfo) -> Result<Vec<RenderedFile>, Error> {
    render_each(api, krate, Ok)
}

/// Renders every file of the crate and passes each to `finish` on the thread that rendered it,
/// so that the next stage (formatting) runs in the same parallel pass, file by file, without
/// waiting for the whole crate. Results come back in a fixed order whatever the scheduling.
pub fn render_each<R, F>(api: &Api, krate: &CrateInfo, finish: F) -> Result<Vec<R>, Error>
where
    R: Send,
    F: Fn(RenderedFile) -> Result<R, Error> + Sync,
{
    api.check_references().map_err(|message| Error::Internal { stage: "render", message })?;
    view::check_paging(api).map_err(|message| Error::Internal { stage: "render", message })?;
    let env = environment()?;
    let runtime = view::runtime(api);
    let krate_view = view::krate(api, krate, &runtime).value();
    let mut jobs = vec![
        Job::Ready("Cargo.toml".into(), "crate/Cargo.toml.j2", krate_view.clone()),
        Job::Ready("README.md".into(), "crate/README.md.j2", krate_view),
        Job::Ready("src/lib.rs".into(), "crate/lib.rs.j2", view::lib(api, krate, &runtime).value()),
        Job::Ready("src/models/mod.rs".into(), "models/mod.rs.j2", view::models_mod(api).value()),
        Job::Ready("src/apis/mod.rs".into(), "apis/mod.rs.j2", view::apis_mod(api).value()),
        Job::Ready("tests/contract.rs".into(), "crate/contract.rs.j2", view::contract(api, krate).value()),
    ];
    // The runtime files: each is cut for this spec by the worker that takes it, and those the
    // spec does not need (a false `#![cfg]`) give nothing.
    let features = runtime::features(&runtime)?;
    let values = runtime::SpecValues::new(&runtime)?;
    jobs.extend(runtime::RUNTIME_FILES.iter().map(|(name, source)| Job::Runtime(name, source)));
    // The large files go first, so that no thread is left with one of them at the end.
    jobs.extend(api.groups.iter().map(Job::Group));
    jobs.extend(api.types.iter().map(Job::Model));
    let done = crate::parallel::map(&jobs, "render", |job| {
        let (path, template, value) = match job {
            Job::Ready(path, template, value) => (path.clone(), *template, value.clone()),
            Job::Runtime(name, source) => {
                return match runtime::cut(name, source, &features, &values)? {
                    Some(file) => finish(file).map(Some),
                    None => Ok(None),
                };
            }
            Job::Group(group) => {
                let view = view::group(api, &krate.name.replace('-', "_"), group);
                (format!("src/apis/{}.rs", group.module), "apis/group.rs.j2", view.value())
            }
            // Aliases have no file: `mod.rs` declares them.
            Job::Model(def) => {
                let Some(model) = view::model(api, def) else { return Ok(None) };
                let (template, value) = match model {
                    ModelView::Struct(v) => ("models/struct.rs.j2", v.value()),
                    ModelView::Enum(v) => ("models/enum.rs.j2", v.value()),
                    ModelView::Union(v) => ("models/union.rs.j2", v.value()),
                    ModelView::Form(v) => ("models/form.rs.j2", v.value()),
                };
                (format!("src/models/{}.rs", def.module), template, value)
            }
        };
        finish(render_one(&env, path, template, value)?).map(Some)
    })?;
    Ok(done.into_iter().flatten().collect())
}

/// One file to render: its view already built, or built by the worker that renders it.
enum Job<'a> {
    Ready(String, &'static str, Value),
    /// A runtime file: its path under `templates/` and its source.
    Runtime(&'static str, &'static str),
    Group(&'a crate::ir::Group),
    Model(&'a crate::ir::TypeDef),
}

/// Renders one template with one view.
fn render_one(
    env: &Environment<'static>,
    path: String,
    template: &'static str,
    view: Value,
) -> Result<RenderedFile, Error> {
    let text = env.get_template(template).and_then(|t| t.render(view)).map_err(|e| Error::Internal {
        stage: "render",
        message: format!("template `{template}` for `{path}`: {e:#}"),
    })?;
    Ok(RenderedFile { path, template, text })
}

/// A view of any type, as a template context.
trait ErasedView {
    fn value(&self) -> Value;
}

impl<T: Serialize> ErasedView for T {
    fn value(&self) -> Value {
        Value::from(minijinja::value::Serde(self))
    }
}

fn environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| Error::Internal { stage: "render", message: format!("syntax configuration: {e}") })?;
    env.set_syntax(syntax);
    for (name, source) in TEMPLATES {
        env.add_template(name, source).map_err(|e| Error::Internal {
            stage: "render",
            message: format!("template `{name}` does not parse: {e:#}"),
        })?;
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::TEMPLATES;

    /// The registry and the `templates/` folder, outside the runtime crate, hold the same files.
    #[test]
    fn registry_matches_the_templates_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates");
        let mut on_disk = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("templates folder is readable") {
                let path = entry.expect("entry is readable").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative =
                        path.strip_prefix(&root).expect("under root").to_string_lossy().replace('\\', "/");
                    on_disk.push(relative);
                }
            }
        }
        // The runtime crate has a test of its own (`runtime::tests`).
        on_disk.retain(|name| !name.starts_with("runtime/"));
        on_disk.sort();
        let registered: Vec<String> = TEMPLATES.iter().map(|(name, _)| (*name).to_owned()).collect();
        assert_eq!(registered, on_disk);
    }
}
