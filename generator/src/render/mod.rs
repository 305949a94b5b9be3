//! Stage 4: the analyzed IR to file contents, through minijinja templates.
//!
//! Input: an [`ir::Api`] and the crate facts. Output: unformatted [`RenderedFile`]s. The
//! environment is strict (an undefined variable is an error), does no escaping, keeps trailing
//! newlines, and knows only the templates of [`TEMPLATES`], embedded at build time.

mod docs;
pub(crate) mod rust;
pub(crate) mod view;

use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::diagnostics::Error;
use crate::ir::Api;
pub use view::CrateInfo;
use view::ModelView;

/// Every template, by its path under `templates/`.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("apis/group.rs.j2", include_str!("../../../templates/apis/group.rs.j2")),
    ("apis/mod.rs.j2", include_str!("../../../templates/apis/mod.rs.j2")),
    ("crate/Cargo.toml.j2", include_str!("../../../templates/crate/Cargo.toml.j2")),
    ("crate/README.md.j2", include_str!("../../../templates/crate/README.md.j2")),
    ("crate/lib.rs.j2", include_str!("../../../templates/crate/lib.rs.j2")),
    ("models/alias.rs.j2", include_str!("../../../templates/models/alias.rs.j2")),
    ("models/enum.rs.j2", include_str!("../../../templates/models/enum.rs.j2")),
    ("models/form.rs.j2", include_str!("../../../templates/models/form.rs.j2")),
    ("models/mod.rs.j2", include_str!("../../../templates/models/mod.rs.j2")),
    ("models/struct.rs.j2", include_str!("../../../templates/models/struct.rs.j2")),
    ("models/union.rs.j2", include_str!("../../../templates/models/union.rs.j2")),
    ("runtime/client.rs.j2", include_str!("../../../templates/runtime/client.rs.j2")),
    ("runtime/codec.rs.j2", include_str!("../../../templates/runtime/codec.rs.j2")),
    ("runtime/error.rs.j2", include_str!("../../../templates/runtime/error.rs.j2")),
    ("runtime/multipart.rs.j2", include_str!("../../../templates/runtime/multipart.rs.j2")),
    ("runtime/page.rs.j2", include_str!("../../../templates/runtime/page.rs.j2")),
    ("runtime/request.rs.j2", include_str!("../../../templates/runtime/request.rs.j2")),
    ("runtime/retry.rs.j2", include_str!("../../../templates/runtime/retry.rs.j2")),
    ("runtime/webhooks.rs.j2", include_str!("../../../templates/runtime/webhooks.rs.j2")),
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
    let env = environment()?;
    let mut files = Vec::new();
    let mut add = |path: String, template: &'static str, view: &dyn ErasedView| -> Result<(), Error> {
        files.push(render_one(&env, path, template, view.value())?);
        Ok(())
    };
    let runtime = view::runtime(api);
    let krate_view = view::krate(api, krate, &runtime);
    add("Cargo.toml".into(), "crate/Cargo.toml.j2", &krate_view)?;
    add("README.md".into(), "crate/README.md.j2", &krate_view)?;
    add("src/lib.rs".into(), "crate/lib.rs.j2", &view::lib(api, krate, &runtime))?;
    for (file, template) in [
        ("client", "runtime/client.rs.j2"),
        ("codec", "runtime/codec.rs.j2"),
        ("error", "runtime/error.rs.j2"),
        ("request", "runtime/request.rs.j2"),
        ("retry", "runtime/retry.rs.j2"),
    ] {
        add(format!("src/{file}.rs"), template, &runtime)?;
    }
    if runtime.uses.multipart {
        add("src/multipart.rs".into(), "runtime/multipart.rs.j2", &runtime)?;
    }
    if runtime.webhooks.is_some() {
        add("src/webhooks.rs".into(), "runtime/webhooks.rs.j2", &runtime)?;
    }
    if runtime.page.is_some() {
        add("src/page.rs".into(), "runtime/page.rs.j2", &runtime)?;
    }
    add("src/models/mod.rs".into(), "models/mod.rs.j2", &view::models_mod(api))?;
    add("src/apis/mod.rs".into(), "apis/mod.rs.j2", &view::apis_mod(api))?;
    for group in &api.groups {
        add(format!("src/apis/{}.rs", group.module), "apis/group.rs.j2", &view::group(api, group))?;
    }
    // Models are most of the files of a large spec: they render in parallel, in type order.
    files.extend(crate::parallel::map(&api.types, "render", |def| {
        let path = format!("src/models/{}.rs", def.module);
        let (template, value) = match view::model(api, def) {
            ModelView::Struct(v) => ("models/struct.rs.j2", v.value()),
            ModelView::Enum(v) => ("models/enum.rs.j2", v.value()),
            ModelView::Alias(v) => ("models/alias.rs.j2", v.value()),
            ModelView::Union(v) => ("models/union.rs.j2", v.value()),
            ModelView::Form(v) => ("models/form.rs.j2", v.value()),
        };
        render_one(&env, path, template, value)
    })?);
    Ok(files)
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

    /// The registry and the `templates/` folder hold exactly the same files.
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
        on_disk.sort();
        let registered: Vec<String> = TEMPLATES.iter().map(|(name, _)| (*name).to_owned()).collect();
        assert_eq!(registered, on_disk);
    }
}
