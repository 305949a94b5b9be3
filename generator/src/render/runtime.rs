//! The SDK runtime: the files of the `templates/runtime` crate, cut to what one spec needs.
//!
//! Input: the `RuntimeView` of an analyzed API. Output: one [`RenderedFile`] per runtime file
//! the spec needs. The runtime is an ordinary crate (`sdk-runtime`, compiled, linted and
//! unit-tested with every feature on); its files are embedded here as they are. For each SDK:
//!
//! 1. [`features`] turns the view into the value of every cargo feature of the runtime crate
//!    (the `RuntimeUses` fields plus the kind of authentication, the list envelope and the
//!    webhooks); `render::cfg` keeps what is on and drops what is off, and a file whose
//!    `#![cfg]` is off is not written.
//! 2. [`SpecValues`] replaces each `crate::spec::NAME` (a placeholder of the runtime crate's
//!    `spec.rs`, which no SDK receives) by the spec's value: a string literal or a type path.
//!    Substituting typed syntax rather than rendering a values module keeps the SDK the code it
//!    was (literals where they are used, no extra file or indirection for readers), escapes through
//!    `syn` literals, and cannot leave a reference dangling: a placeholder without a value, or a
//!    `crate::spec` path anywhere else, is a generator bug.
//! 3. `Page`'s field renames, the one spec value that lives inside an attribute, are added to the
//!    fields' `#[serde(...)]` when the spec's list envelope names them otherwise.
//!
//! The result is printed with prettyplease and formatted like every other file.

use std::collections::BTreeMap;

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};

use super::RenderedFile;
use super::cfg::{self, Features};
use super::view::RuntimeView;
use crate::diagnostics::Error;

/// The runtime files an SDK may receive, by their path under `templates/`; each goes to the
/// SDK's `src/` under its file name.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("runtime/src/auth.rs", include_str!("../../../templates/runtime/src/auth.rs")),
    ("runtime/src/body.rs", include_str!("../../../templates/runtime/src/body.rs")),
    ("runtime/src/client.rs", include_str!("../../../templates/runtime/src/client.rs")),
    ("runtime/src/codec.rs", include_str!("../../../templates/runtime/src/codec.rs")),
    ("runtime/src/error.rs", include_str!("../../../templates/runtime/src/error.rs")),
    ("runtime/src/hooks.rs", include_str!("../../../templates/runtime/src/hooks.rs")),
    ("runtime/src/multipart.rs", include_str!("../../../templates/runtime/src/multipart.rs")),
    ("runtime/src/page.rs", include_str!("../../../templates/runtime/src/page.rs")),
    ("runtime/src/paginate.rs", include_str!("../../../templates/runtime/src/paginate.rs")),
    ("runtime/src/request.rs", include_str!("../../../templates/runtime/src/request.rs")),
    ("runtime/src/retry.rs", include_str!("../../../templates/runtime/src/retry.rs")),
    ("runtime/src/security.rs", include_str!("../../../templates/runtime/src/security.rs")),
    ("runtime/src/sse.rs", include_str!("../../../templates/runtime/src/sse.rs")),
    ("runtime/src/stream.rs", include_str!("../../../templates/runtime/src/stream.rs")),
    ("runtime/src/webhooks.rs", include_str!("../../../templates/runtime/src/webhooks.rs")),
];

/// The files of the runtime crate that exist only so that it builds on its own; no SDK gets them.
#[cfg(test)]
const CRATE_ONLY_FILES: &[&str] = &["Cargo.toml", "src/lib.rs", "src/spec.rs"];

/// The value of every feature of the runtime crate for this API.
pub fn features(runtime: &RuntimeView) -> Result<Features, Error> {
    let internal = |message: String| Error::Internal { stage: "render", message };
    let uses = serde_json::to_value(&runtime.uses).map_err(|e| internal(format!("runtime uses: {e}")))?;
    let serde_json::Value::Object(uses) = uses else {
        return Err(internal("runtime uses are not a JSON object".to_owned()));
    };
    let mut features = Features::new();
    for (name, value) in uses {
        let serde_json::Value::Bool(value) = value else {
            return Err(internal(format!("runtime use `{name}` is not a boolean")));
        };
        features.insert(name, value);
    }
    let credential = runtime.credential.as_ref();
    for (name, value) in [
        ("page", runtime.page.is_some()),
        ("webhooks", runtime.webhooks.is_some()),
        ("webhook_event_header", runtime.webhooks.as_ref().is_some_and(|w| w.event_header.is_some())),
        ("auth_basic", credential.is_some_and(|c| c.basic)),
        ("auth_token", credential.is_some_and(|c| !c.basic)),
        ("auth_bearer", credential.is_some_and(|c| c.bearer)),
        ("auth_header", credential.is_some_and(|c| c.header.is_some())),
        ("auth_query", credential.is_some_and(|c| c.query.is_some())),
        ("credentials", credential.is_some()),
        ("auth_schemes", runtime.per_operation_auth),
        ("auth_schemes_basic", runtime.scheme_basic),
    ] {
        features.insert(name.to_owned(), value);
    }
    Ok(features)
}

/// Every feature name the generator decides, for the test that the runtime crate declares the same.
#[cfg(test)]
fn feature_names() -> Vec<String> {
    let mut names: Vec<String> =
        features(&RuntimeView::default()).map(|f| f.into_keys().collect()).unwrap_or_default();
    names.sort();
    names
}

/// What `crate::spec::NAME` stands for in this SDK.
#[derive(Debug, Default)]
pub struct SpecValues {
    /// Placeholders used as expressions: string literals.
    strings: BTreeMap<&'static str, String>,
    /// Placeholders used as types: Rust type paths (text, so that the values can be shared
    /// between threads; each was checked to parse).
    types: BTreeMap<&'static str, String>,
    /// `Page`'s fields whose wire name is not the field's name.
    page_renames: BTreeMap<&'static str, String>,
}

impl SpecValues {
    /// The values of this API's spec.
    pub fn new(runtime: &RuntimeView) -> Result<Self, Error> {
        let mut values = Self::default();
        if let Some(credential) = &runtime.credential {
            if let Some(header) = &credential.header {
                values.strings.insert("CREDENTIAL_HEADER", header.clone());
            }
            values.strings.insert("CREDENTIAL_PREFIX", credential.prefix.clone());
            values.strings.insert(
                "CREDENTIAL_REFUSED",
                format!("the {} contains characters HTTP headers do not allow", credential.what),
            );
            if let Some(query) = &credential.query {
                values.strings.insert("CREDENTIAL_QUERY", query.clone());
            }
        }
        if let Some(hooks) = &runtime.webhooks {
            values.strings.insert("SIGNATURE_HEADER", hooks.signature_header.clone());
            if let Some(event) = &hooks.event_header {
                values.strings.insert("EVENT_HEADER", event.clone());
            }
            syn::parse_str::<syn::Type>(&hooks.envelope).map_err(|e| Error::Internal {
                stage: "render",
                message: format!("the webhook envelope `{}` is not a Rust type: {e}", hooks.envelope),
            })?;
            values.types.insert("WebhookEvent", hooks.envelope.clone());
        }
        if let Some(page) = &runtime.page {
            for (field, wire) in [("total", &page.total), ("records", &page.records)] {
                if wire != field {
                    values.page_renames.insert(field, wire.clone());
                }
            }
        }
        Ok(values)
    }
}

/// The runtime files this API needs, in [`RUNTIME_FILES`] order (`render_each` cuts them one
/// by one in its parallel pass instead).
#[cfg(test)]
fn files(runtime: &RuntimeView) -> Result<Vec<RenderedFile>, Error> {
    let features = features(runtime)?;
    let values = SpecValues::new(runtime)?;
    let mut files = Vec::new();
    for (name, source) in RUNTIME_FILES {
        if let Some(file) = cut(name, source, &features, &values)? {
            files.push(file);
        }
    }
    Ok(files)
}

/// One runtime file for this API, or `None` when the API does not need it.
pub fn cut(
    name: &'static str,
    source: &str,
    features: &Features,
    values: &SpecValues,
) -> Result<Option<RenderedFile>, Error> {
    let internal = |message: String| Error::Internal {
        stage: "render",
        message: format!("runtime file `templates/{name}`: {message}"),
    };
    let mut file = syn::parse_file(source).map_err(|e| internal(format!("does not parse: {e}")))?;
    if !cfg::evaluate(&mut file, features).map_err(internal)? {
        return Ok(None);
    }
    let mut substitute = Substitute { values, renamed: 0, error: None };
    substitute.visit_file_mut(&mut file);
    if let Some(message) = substitute.error {
        return Err(internal(message));
    }
    let file_name = name.rsplit('/').next().unwrap_or(name);
    if substitute.renamed != values.page_renames.len() && file_name == "page.rs" {
        return Err(internal("`Page`'s fields and their `#[serde]` were not all found".to_owned()));
    }
    Ok(Some(RenderedFile {
        path: format!("src/{file_name}"),
        template: name,
        text: prettyplease::unparse(&file),
    }))
}

/// Replaces the `crate::spec` placeholders by this spec's values.
struct Substitute<'v> {
    values: &'v SpecValues,
    /// How many of `Page`'s renames were applied.
    renamed: usize,
    error: Option<String>,
}

/// `NAME` when `path` is `crate::spec::NAME`.
fn placeholder(path: &syn::Path) -> Option<String> {
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    match names.as_slice() {
        [krate, spec, name] if krate == "crate" && spec == "spec" => Some(name.clone()),
        _ => None,
    }
}

impl VisitMut for Substitute<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Path(path) = expr
            && let Some(name) = placeholder(&path.path)
        {
            match self.values.strings.get(name.as_str()) {
                Some(value) => {
                    *expr = syn::Expr::Lit(syn::ExprLit {
                        attrs: Vec::new(),
                        lit: syn::Lit::Str(syn::LitStr::new(value, Span::call_site())),
                    });
                }
                None => {
                    self.error.get_or_insert(format!("this spec has no value for `crate::spec::{name}`"));
                }
            }
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(path) = ty
            && let Some(name) = placeholder(&path.path)
        {
            match self.values.types.get(name.as_str()).map(|text| syn::parse_str::<syn::Type>(text)) {
                Some(Ok(value)) => *ty = value,
                Some(Err(e)) => {
                    self.error.get_or_insert(format!("`crate::spec::{name}` is not a type: {e}"));
                }
                None => {
                    self.error.get_or_insert(format!("this spec has no type for `crate::spec::{name}`"));
                }
            }
            return;
        }
        visit_mut::visit_type_mut(self, ty);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if let Some(name) = placeholder(path) {
            self.error.get_or_insert(format!(
                "`crate::spec::{name}` is used where it cannot be substituted (only as an expression or a type)"
            ));
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        let names_spec = |tree: &syn::UseTree| match tree {
            syn::UseTree::Path(path) => path.ident == "spec",
            syn::UseTree::Name(name) => name.ident == "spec",
            syn::UseTree::Rename(rename) => rename.ident == "spec",
            syn::UseTree::Group(group) => group.items.iter().any(|item| match item {
                syn::UseTree::Path(path) => path.ident == "spec",
                syn::UseTree::Name(name) => name.ident == "spec",
                syn::UseTree::Rename(rename) => rename.ident == "spec",
                _ => false,
            }),
            _ => false,
        };
        if let syn::UseTree::Path(krate) = &item.tree
            && krate.ident == "crate"
            && names_spec(&krate.tree)
        {
            self.error.get_or_insert(
                "`use crate::spec` cannot be substituted (write `crate::spec::NAME` where it is used)"
                    .to_owned(),
            );
        }
        visit_mut::visit_item_use_mut(self, item);
    }

    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        if item.ident == "Page" && !self.values.page_renames.is_empty() {
            for field in item.fields.iter_mut() {
                let Some(wire) =
                    field.ident.as_ref().and_then(|id| self.values.page_renames.get(id.to_string().as_str()))
                else {
                    continue;
                };
                let serde = field.attrs.iter_mut().find_map(|attr| match &mut attr.meta {
                    syn::Meta::List(list) if list.path.is_ident("serde") => Some(list),
                    _ => None,
                });
                if let Some(list) = serde {
                    let wire = syn::LitStr::new(wire, Span::call_site());
                    let rest = &list.tokens;
                    list.tokens = quote::quote!(rename = #wire, #rest);
                    self.renamed += 1;
                }
            }
        }
        visit_mut::visit_item_struct_mut(self, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::view::RuntimeUses;
    use crate::render::view::{CredentialView, PageView, WebhooksView};

    /// The runtime crate declares exactly the features the generator decides.
    #[test]
    fn the_runtime_crate_declares_the_generators_features() {
        let manifest = include_str!("../../../templates/runtime/Cargo.toml");
        let manifest: toml::Table = toml::from_str(manifest).expect("the runtime manifest is TOML");
        let mut declared: Vec<String> =
            manifest["features"].as_table().expect("a [features] table").keys().cloned().collect();
        declared
            .retain(|name| name != "default" && !crate::render::cfg::SDK_FEATURES.contains(&name.as_str()));
        declared.sort();
        assert_eq!(declared, feature_names());
    }

    /// The embedded table and `templates/runtime/src` hold the same files.
    #[test]
    fn the_table_matches_the_runtime_folder() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(&root)
            .expect("runtime folder")
            .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|name| !CRATE_ONLY_FILES.contains(&format!("src/{name}").as_str()))
            .collect();
        on_disk.sort();
        let table: Vec<&str> =
            RUNTIME_FILES.iter().map(|(name, _)| name.trim_start_matches("runtime/src/")).collect();
        assert_eq!(on_disk, table);
        for name in CRATE_ONLY_FILES {
            assert!(root.join("..").join(name).is_file(), "{name}");
        }
    }

    /// No runtime file carries template syntax (Rust's own `{{` in format strings is fine).
    #[test]
    fn no_jinja_is_left_in_the_runtime() {
        for (name, source) in RUNTIME_FILES {
            for jinja in ["{%", "%}", "{{ ", " }}", "{#"] {
                assert!(!source.contains(jinja), "{name} has `{jinja}`");
            }
        }
    }

    fn everything() -> RuntimeView {
        RuntimeView {
            credential: Some(CredentialView {
                header: None,
                prefix: String::new(),
                query: Some("key\"1".to_owned()),
                what: "API key",
                basic: false,
                bearer: false,
            }),
            per_operation_auth: false,
            scheme_basic: false,
            uses: RuntimeUses { requests: true, ..RuntimeUses::default() },
            page: Some(PageView { total: "count".to_owned(), records: "records".to_owned() }),
            webhooks: Some(WebhooksView {
                envelope: "crate::models::Event".to_owned(),
                signature_header: "x-sig".to_owned(),
                event_header: None,
            }),
        }
    }

    #[test]
    fn spec_values_become_literals_and_types() {
        let files = files(&everything()).expect("cuts");
        let text = |name: &str| files.iter().find(|f| f.path == name).map(|f| f.text.clone()).expect(name);
        let client = text("src/client.rs");
        assert!(client.contains(r#"append_pair("key\"1", key)"#), "{client}");
        // Only the SDK's own TLS feature stays for cargo to decide.
        let cfgs = client.matches("cfg").count();
        let kept = client.matches(r#"#[cfg(feature = "rustls-ring")]"#).count();
        assert!(!client.contains("spec::") && cfgs == kept && kept == 1, "{client}");
        let hooks = text("src/webhooks.rs");
        assert!(hooks.contains(r#"pub const SIGNATURE_HEADER: &str = "x-sig";"#), "{hooks}");
        assert!(hooks.contains("pub type Event = crate::models::Event;"), "{hooks}");
        assert!(!hooks.contains("EVENT_HEADER"), "{hooks}");
        let page = text("src/page.rs");
        assert!(page.contains(r#"#[serde(rename = "count", default, skip_serializing_if"#), "{page}");
        assert!(page.contains("#[serde(default = \"Option::default\""), "{page}");
        assert!(!files.iter().any(|f| f.path == "src/multipart.rs"));
    }

    #[test]
    fn a_placeholder_without_a_value_is_an_internal_error() {
        let features = features(&RuntimeView::default()).expect("features");
        let source = "fn f() -> &'static str { crate::spec::CREDENTIAL_QUERY }";
        let error = cut("x.rs", source, &features, &SpecValues::default()).expect_err("no value");
        assert!(error.to_string().contains("CREDENTIAL_QUERY"), "{error}");
        for source in ["use crate::spec::X;", "use crate::spec;", "use crate::{spec, codec};"] {
            let error = cut("x.rs", source, &features, &SpecValues::default()).expect_err(source);
            assert!(error.to_string().contains("cannot be substituted"), "{error}");
        }
    }

    #[test]
    fn an_api_without_operations_gets_a_minimal_runtime() {
        let files = files(&RuntimeView::default()).expect("cuts");
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            names,
            [
                "src/body.rs",
                "src/client.rs",
                "src/codec.rs",
                "src/error.rs",
                "src/hooks.rs",
                "src/request.rs",
                "src/retry.rs"
            ]
        );
        let client = &files[1].text;
        assert!(client.contains("pub fn new() -> Result<Self>"), "{client}");
        assert!(!client.contains("fn request("), "{client}");
    }
}
