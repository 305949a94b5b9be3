//! Stage 1: spec text to a typed `openapiv3::OpenAPI`, plus the raw JSON tree.
//!
//! Input: the spec's bytes and a file name (for the YAML/JSON choice). Output: [`Spec`]. YAML
//! and JSON both become a `serde_json::Value` first, so that every later message can point into
//! the document and extensions stay readable. Typed parsing goes through `serde_path_to_error`,
//! so even a shape error names its JSON pointer. Versions other than 3.0.x are refused here.

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer::JsonPointer;

/// A parsed spec.
#[derive(Debug)]
pub struct Spec {
    /// The typed document.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as plain JSON, for pointer look-ups and extensions.
    pub raw: Value,
}

/// Parses `text`. YAML is assumed unless `file_name` ends in `.json`.
pub fn load(text: &str, file_name: &str) -> Result<Spec, Diagnostics> {
    let text = text.replace("\r\n", "\n");
    let raw = parse_tree(&text, file_name).map_err(single)?;
    check_version(&raw).map_err(single)?;
    let openapi = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw).map_err(|e| {
        let (pointer, message) =
            crate::locate::locate(&raw).unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
        single(Diagnostic::error(pointer, format!("not a valid OpenAPI 3.0 document: {message}")))
    })?;
    Ok(Spec { openapi, raw })
}

fn single(diagnostic: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(diagnostic);
    all
}

/// Parses YAML (or JSON, when `file_name` ends in `.json`) into a JSON tree that is an object.
pub fn parse_tree(text: &str, file_name: &str) -> Result<Value, Diagnostic> {
    let parsed = if file_name.ends_with(".json") {
        serde_json::from_str::<Value>(text).map_err(|e| e.to_string())
    } else {
        yaml_serde::from_str::<Value>(text).map_err(|e| e.to_string())
    };
    let value = parsed.map_err(|e| {
        Diagnostic::error(JsonPointer::root(), format!("{file_name} is not valid YAML or JSON: {e}"))
    })?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(Diagnostic::error(JsonPointer::root(), "the document is not an object"))
    }
}

fn check_version(raw: &Value) -> Result<(), Diagnostic> {
    let root = JsonPointer::root();
    if raw.get("swagger").is_some() {
        return Err(Diagnostic::error(
            root.push("swagger"),
            "Swagger 2.0 is not supported; convert the document to OpenAPI 3.0 first",
        ));
    }
    match raw.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.0.") => Ok(()),
        Some(Value::String(version)) => Err(Diagnostic::error(
            root.push("openapi"),
            format!("OpenAPI {version} is not supported; this generator reads OpenAPI 3.0.x"),
        )),
        Some(_) => Err(Diagnostic::error(root.push("openapi"), "`openapi` must be a version string")),
        None => Err(Diagnostic::error(root, "missing `openapi` version field")),
    }
}

/// Turns serde's path (`paths./chats.get.responses`) into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> JsonPointer {
    use serde_path_to_error::Segment;
    path.iter().fold(JsonPointer::root(), |pointer, segment| match segment {
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
    fn refuses_swagger_and_3_1() {
        assert!(first_error("swagger: '2.0'\n").contains("Swagger 2.0 is not supported"));
        assert!(first_error("openapi: 3.1.0\n").contains("#/openapi: OpenAPI 3.1.0 is not supported"));
    }

    #[test]
    fn points_at_shape_errors() {
        let text =
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 12\n";
        let message = first_error(text);
        assert!(message.contains("#/paths/~1a/get/responses"), "{message}");
    }

    #[test]
    fn reports_syntax_errors() {
        assert!(first_error("openapi: [\n").contains("is not valid YAML or JSON"));
        assert!(first_error("- 1\n").contains("not an object"));
    }
}
