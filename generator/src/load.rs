//! Stage 1: spec text to a typed `openapiv3::OpenAPI`, plus the raw JSON tree.
//!
//! Input: the spec's bytes and a file name (for the YAML/JSON choice). Output: [`Spec`]. YAML
//! and JSON both become a `serde_json::Value` first, so that every later message can point into
//! the document and extensions stay readable. The text is parsed once, defensively (`tree`:
//! byte-order mark, nesting depth, an expansion budget against YAML alias bombs, duplicate keys
//! as warnings). Typed parsing goes through `serde_path_to_error`,
//! so even a shape error names its JSON pointer. References are made local first
//! ([`crate::bundle`]). A 3.1.x document is first rewritten into 3.0
//! form ([`crate::normalize`]). What the typed model did not keep is reported by
//! [`crate::roundtrip`], run beside lowering. Swagger 2.0 and other versions are refused here.
//! A schema that does not parse becomes free-form JSON with a warning; all of them are found in
//! one pass, so the document is parsed at most twice whatever the number of bad schemas.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer::JsonPointer;

/// A parsed spec.
#[derive(Debug)]
pub struct Spec {
    /// The typed document.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as plain JSON (3.0 form), for pointer look-ups and extensions.
    pub raw: Value,
    /// What loading had to drop or rewrite (warnings), and references it could not follow
    /// (errors: generation stops after lowering has reported its own).
    pub diagnostics: Diagnostics,
}

/// Parses `text`. YAML is assumed unless `file_name` ends in `.json`.
///
/// A JSON document is also parsed straight into typed form on a second thread while the tree
/// is parsed and checked. It is used when the tree needs no rewriting (a 3.0 document whose
/// references are all conventional already); otherwise, or when it fails, the typed document is
/// parsed from the rewritten tree, which also locates any error.
pub fn load(text: &str, file_name: &str) -> Result<Spec, Diagnostics> {
    load_with_root(text, file_name, None)
}

/// [`load`], with the folder external `$ref`s may resolve into widened to `ref_root` (by
/// default only the spec's own folder: [`crate::bundle`]).
pub fn load_with_root(text: &str, file_name: &str, ref_root: Option<&Path>) -> Result<Spec, Diagnostics> {
    let text = text.replace("\r\n", "\n");
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let (tree, direct) = std::thread::scope(|scope| {
        // A thread that cannot start leaves the typed document to the tree path.
        let direct = crate::parallel::spawn_scoped(scope, "load", || typed_from_text(text, file_name));
        let tree = crate::tree::parse(text, file_name);
        (tree, direct.ok().and_then(|direct| direct.join().ok()).flatten())
    });
    let (mut raw, mut diagnostics) = tree.map_err(single)?;
    let version = check_version(&raw).map_err(single)?;
    let rewrite = version == Version::V3_1 || crate::bundle::needs_bundling(&raw);
    if rewrite {
        diagnostics.extend(crate::bundle::bundle(&mut raw, Path::new(file_name), ref_root));
        if version == Version::V3_1 {
            diagnostics.extend(crate::normalize::normalize(&mut raw));
        }
    }
    let openapi = match direct {
        Some(openapi) if !rewrite => openapi,
        _ => typed(&mut raw, &mut diagnostics)?,
    };
    Ok(Spec { openapi, raw, diagnostics })
}

/// The typed document parsed straight from JSON text, or `None` when that fails or the text
/// is YAML (whose scalars the tree path reads with YAML's rules: one reading for everything).
fn typed_from_text(text: &str, file_name: &str) -> Option<openapiv3::OpenAPI> {
    if file_name.ends_with(".json") { serde_json::from_str(text).ok() } else { None }
}

/// Parses the tree into `openapiv3` types. When that fails inside a schema, every schema that
/// does not parse is replaced by a free-form one, with a warning, in one pass, and the document
/// is parsed once more; any other shape error is fatal.
fn typed(raw: &mut Value, diagnostics: &mut Diagnostics) -> Result<openapiv3::OpenAPI, Diagnostics> {
    let error = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&*raw) {
        Ok(openapi) => return Ok(openapi),
        Err(error) => error,
    };
    let (pointer, message) = crate::locate::locate(raw)
        .unwrap_or_else(|| (path_to_pointer(error.path()), error.inner().to_string()));
    let schemas = schema_positions(raw);
    if enclosing_schema(&pointer, &schemas).is_none() {
        return Err(fatal(diagnostics, pointer, &message));
    }
    replace_invalid_schemas(raw, schemas, diagnostics);
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&*raw).map_err(|error| {
        let (pointer, message) = crate::locate::locate(raw)
            .unwrap_or_else(|| (path_to_pointer(error.path()), error.inner().to_string()));
        fatal(diagnostics, pointer, &message)
    })
}

/// The diagnostics so far, plus the error that stops loading.
fn fatal(diagnostics: &Diagnostics, pointer: JsonPointer, message: &str) -> Diagnostics {
    let mut errors = diagnostics.clone();
    errors.push(Diagnostic::error(pointer, format!("not a valid OpenAPI 3.0 document: {message}")));
    errors.sorted()
}

/// Replaces every schema that does not parse by a free-form one, with a warning. Deepest
/// first: a schema is judged by its own keywords once its invalid members are replaced, so
/// the warning lands on the innermost invalid schema, and each schema is parsed once.
fn replace_invalid_schemas(raw: &mut Value, schemas: BTreeSet<String>, diagnostics: &mut Diagnostics) {
    let mut deepest_first: Vec<String> = schemas.into_iter().collect();
    deepest_first.sort_by_key(|at| std::cmp::Reverse(at.matches('/').count()));
    for at in deepest_first {
        let Some(node) = raw.pointer_mut(at.trim_start_matches('#')) else { continue };
        let Err(error) =
            serde_path_to_error::deserialize::<_, openapiv3::ReferenceOr<openapiv3::Schema>>(&*node)
        else {
            continue;
        };
        *node = Value::Object(serde_json::Map::new());
        let Some(schema) = JsonPointer::from_ref(&at) else { continue };
        let pointer = path_under(schema.clone(), error.path());
        let message = error.inner();
        diagnostics.push(Diagnostic::warning(
            schema,
            format!("this schema is not valid ({pointer}: {message}); using free-form JSON"),
        ));
    }
}

/// The pointers of every schema in the document, escaped as in [`JsonPointer`].
fn schema_positions(raw: &mut Value) -> BTreeSet<String> {
    struct Positions(BTreeSet<String>);
    impl crate::visit::Visitor for Positions {
        fn schema(&mut self, _: &mut Value, at: &JsonPointer) {
            self.0.insert(at.as_str().to_owned());
        }
    }
    let mut positions = Positions(BTreeSet::new());
    crate::visit::walk(raw, &mut positions);
    positions.0
}

/// The innermost schema that contains `pointer`.
fn enclosing_schema(pointer: &JsonPointer, schemas: &BTreeSet<String>) -> Option<JsonPointer> {
    let mut candidate = pointer.as_str();
    loop {
        if schemas.contains(candidate) {
            return JsonPointer::from_ref(candidate);
        }
        candidate = &candidate[..candidate.rfind('/')?];
    }
}

fn single(diagnostic: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(diagnostic);
    all
}

/// Parses YAML (or JSON, when `file_name` ends in `.json`) into a JSON tree that is an object.
/// Warnings (duplicate keys) are dropped; [`load`] reports them.
pub fn parse_tree(text: &str, file_name: &str) -> Result<Value, Diagnostic> {
    crate::tree::parse(text, file_name).map(|(value, _)| value)
}

/// The OpenAPI versions read.
#[derive(Debug, PartialEq, Eq)]
enum Version {
    V3_0,
    V3_1,
}

fn check_version(raw: &Value) -> Result<Version, Diagnostic> {
    let root = JsonPointer::root();
    if raw.get("swagger").is_some() {
        return Err(Diagnostic::error(
            root.push("swagger"),
            "Swagger 2.0 is not supported; convert the document to OpenAPI 3 first \
             (for example with swagger2openapi or editor.swagger.io)",
        ));
    }
    match raw.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.0.") => Ok(Version::V3_0),
        Some(Value::String(version)) if version.starts_with("3.1.") => Ok(Version::V3_1),
        Some(Value::String(version)) => Err(Diagnostic::error(
            root.push("openapi"),
            format!("OpenAPI {version} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x"),
        )),
        Some(_) => Err(Diagnostic::error(root.push("openapi"), "`openapi` must be a version string")),
        None => Err(Diagnostic::error(root, "missing `openapi` version field")),
    }
}

/// Turns serde's path (`paths./chats.get.responses`) into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> JsonPointer {
    path_under(JsonPointer::root(), path)
}

/// Serde's path appended to `base`.
fn path_under(base: JsonPointer, path: &serde_path_to_error::Path) -> JsonPointer {
    use serde_path_to_error::Segment;
    path.iter().fold(base, |pointer, segment| match segment {
        Segment::Seq { index } => pointer.push(index.to_string()),
        Segment::Map { key } => pointer.push(key),
        Segment::Enum { variant } => pointer.push(variant),
        Segment::Unknown => pointer,
    })
}

#[cfg(test)]
mod tests {
    use super::load;

    fn first_error(text: &str) -> String {
        match load(text, "spec.yaml") {
            Ok(_) => panic!("expected an error"),
            Err(diagnostics) => diagnostics.to_string(),
        }
    }

    #[test]
    fn refuses_swagger_and_unknown_versions() {
        assert!(first_error("swagger: '2.0'\n").contains("#/swagger: Swagger 2.0 is not supported"));
        assert!(first_error("openapi: 3.2.0\n").contains("#/openapi: OpenAPI 3.2.0 is not supported"));
        assert!(first_error("openapi: 3\n").contains("#/openapi: `openapi` must be a version string"));
    }

    #[test]
    fn points_at_shape_errors() {
        let text =
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 12\n";
        let message = first_error(text);
        assert!(message.contains("#/paths/~1a/get/responses"), "{message}");
    }

    #[test]
    fn unreadable_schemas_become_free_form() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
                    A: {type: object, properties: {b: {type: {c: 1}}, d: {type: string}}}\n";
        let spec = load(text, "spec.yaml").expect("loads with a fallback");
        let warnings = spec.diagnostics.to_string();
        assert!(
            warnings.starts_with("warning: #/components/schemas/A/properties/b: this schema is not valid"),
            "{warnings}"
        );
        assert_eq!(spec.raw.pointer("/components/schemas/A/properties/b"), Some(&serde_json::json!({})));
        assert_eq!(
            spec.raw.pointer("/components/schemas/A/properties/d/type"),
            Some(&serde_json::json!("string"))
        );
    }

    #[test]
    fn reports_syntax_errors() {
        assert!(first_error("openapi: [\n").contains("is not valid YAML or JSON"));
        assert!(first_error("- 1\n").contains("not an object"));
    }
}
