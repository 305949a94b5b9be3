//! Stage 1a: every `$ref` made local and conventional, on the JSON tree, before typed parsing.
//!
//! Input: the parsed tree and the spec file's path. Output: the same tree in which every
//! schema `$ref` points at `#/components/schemas/<name>` and every other `$ref` at
//! `#/components/<section>/<name>`, which is all the later stages follow.
//!
//! - A schema reference to a file (`common.yaml#/Pet`, `pet.json`), resolved relative to the
//!   file that holds it, or to a place that is not a component schema (`#/components/schemas/
//!   Pet/definitions/Tag`, `#/components/parameters/id/schema`) is hoisted: the target is
//!   copied once into `components.schemas` under a name derived from where it came from, and
//!   each reference to it is rewritten. Recursion through hoisted schemas works as usual.
//! - Any other such reference (a parameter, a response in another file or under `paths`) is
//!   replaced by a copy of its target.
//! - A copy taken from another file has its own references rewritten to stay correct.
//!
//! Remote (`http:`) references are refused with an error: generation must not depend on the
//! network. A file reference is read only when, symlinks resolved, it names a regular file
//! inside the spec's folder (or the wider root the caller chose: [`crate::Config::ref_root`]),
//! of at most [`crate::read::MAX_FILE_BYTES`]; anything else is an error at the reference's
//! pointer that names the path.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer::JsonPointer;
use crate::visit::{self, Section, Visitor};

/// Makes every reference local and conventional. `spec_path` is the path of the spec file;
/// relative file references are resolved from its folder. Files are read only inside
/// `ref_root`, or the spec's folder when it is `None`.
/// Errors come back among the diagnostics: a reference that cannot be followed is left as it
/// is, so that the later stages still report everything else.
pub fn bundle(document: &mut Value, spec_path: &Path, ref_root: Option<&Path>) -> Diagnostics {
    if !needs_bundling(document) {
        return Diagnostics::default();
    }
    let taken = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    // Cleaned like every resolved path, so that `dir/../api.yaml` is recognized as the spec.
    let spec = clean(&std::path::absolute(spec_path).unwrap_or_else(|_| spec_path.to_path_buf()));
    let mut bundler = Bundler {
        allowed: allowed_root(&spec, ref_root),
        spec,
        root: document.clone(),
        files: HashMap::new(),
        hoisted: BTreeMap::new(),
        taken,
        pending: Vec::new(),
        diagnostics: Diagnostics::default(),
    };
    visit::walk(document, &mut bundler);
    let mut hoisted = Vec::new();
    // Walking a hoisted schema may hoist more.
    while let Some((name, mut schema)) = bundler.pending.pop() {
        let at = JsonPointer::root().push("components").push("schemas").push(&name);
        visit::schema(&mut bundler, &mut schema, &at);
        hoisted.push((name, schema));
    }
    if !hoisted.is_empty() {
        let Some(schemas) = components_schemas(document) else {
            let message = "`components` must be an object";
            bundler.diagnostics.push(Diagnostic::error(JsonPointer::root().push("components"), message));
            return bundler.diagnostics;
        };
        hoisted.sort_by(|a, b| a.0.cmp(&b.0));
        schemas.extend(hoisted);
        for schema in schemas.values_mut().filter_map(Value::as_object_mut) {
            // Containers whose members were hoisted; nothing else reads them.
            schema.remove("definitions");
            schema.remove("$defs");
        }
    }
    bundler.diagnostics
}

fn components_schemas(document: &mut Value) -> Option<&mut Map<String, Value>> {
    let components =
        document.as_object_mut()?.entry("components").or_insert_with(|| Value::Object(Map::new()));
    components.as_object_mut()?.entry("schemas").or_insert_with(|| Value::Object(Map::new())).as_object_mut()
}

/// Whether any `$ref` in the tree is not already `#/components/<section>/<name>` (a cheap scan;
/// the walk that knows sections only runs when this says so).
pub(crate) fn needs_bundling(node: &Value) -> bool {
    match node {
        Value::Object(map) => {
            let odd = match map.get("$ref") {
                Some(Value::String(reference)) => !looks_conventional(reference),
                _ => false,
            };
            odd || map.values().any(needs_bundling)
        }
        Value::Array(items) => items.iter().any(needs_bundling),
        _ => false,
    }
}

/// `#/components/<any section>/<one token>`, without percent-encoding.
fn looks_conventional(reference: &str) -> bool {
    let section = reference.strip_prefix("#/components/").and_then(|rest| rest.split('/').next());
    section.is_some_and(|section| !section.is_empty() && is_conventional(reference, section))
}

fn reference(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str)
}

/// `#/components/<section>/<one token>`, without percent-encoding.
fn is_conventional(reference: &str, section: &str) -> bool {
    !reference.contains('%')
        && reference
            .strip_prefix("#/components/")
            .and_then(|rest| rest.strip_prefix(section))
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// What a reference points at: a file (`None`: the spec itself) and a JSON pointer in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    file: Option<PathBuf>,
    pointer: String,
}

struct Bundler {
    spec: PathBuf,
    /// The folder (symlinks resolved) that file references must stay inside, or why there is
    /// none usable.
    allowed: Result<PathBuf, String>,
    /// The spec as it was before bundling: where local targets are looked up.
    root: Value,
    /// Other files, parsed, by path.
    files: HashMap<PathBuf, Value>,
    /// Schema targets already copied into `components.schemas`, and their names there.
    hoisted: BTreeMap<Target, String>,
    /// Names in `components.schemas`.
    taken: BTreeSet<String>,
    /// Schemas hoisted but not yet inserted.
    pending: Vec<(String, Value)>,
    diagnostics: Diagnostics,
}

impl Visitor for Bundler {
    fn schema(&mut self, node: &mut Value, at: &JsonPointer) {
        self.rewrite_mapping(node, at);
        let Some(raw) = reference(node).map(str::to_owned) else { return };
        if let Some(local) = self.schema_ref(&raw, at) {
            if let Some(map) = node.as_object_mut() {
                map.insert("$ref".to_owned(), Value::String(local));
            }
        }
    }

    fn reusable(&mut self, node: &mut Value, section: Section, at: &JsonPointer) {
        // The targets this chain of references went through: a chain is a cycle only when it
        // comes back to one of them, however long it is.
        let mut seen = BTreeSet::new();
        loop {
            let Some(raw) = reference(node).map(str::to_owned) else { return };
            if is_conventional(&raw, section.key()) {
                return;
            }
            let Some(target) = self.target(&raw, at) else { return };
            if !seen.insert(target.clone()) {
                break;
            }
            let local = format!("#{}", target.pointer);
            if target.file.is_none() && is_conventional(&local, section.key()) {
                if let Some(map) = node.as_object_mut() {
                    map.insert("$ref".to_owned(), Value::String(local));
                }
                return;
            }
            let Some(copy) = self.copy_of(&target, &raw, at) else { return };
            *node = copy;
        }
        self.diagnostics.push(Diagnostic::error(at.clone(), "`$ref`s form a cycle"));
    }
}

impl Bundler {
    /// The conventional form of a schema reference found at `at`, hoisting its target into
    /// `components.schemas` the first time; `None` when it is conventional already or cannot
    /// be followed (then reported).
    fn schema_ref(&mut self, raw: &str, at: &JsonPointer) -> Option<String> {
        if is_conventional(raw, "schemas") {
            return None;
        }
        let target = self.target(raw, at)?;
        let local = format!("#{}", target.pointer);
        if target.file.is_none() && is_conventional(&local, "schemas") {
            return Some(local);
        }
        let name = match self.hoisted.get(&target) {
            Some(name) => name.clone(),
            None => {
                let copy = self.copy_of(&target, raw, at)?;
                let name = self.name_for(&target);
                self.hoisted.insert(target, name.clone());
                self.pending.push((name.clone(), copy));
                name
            }
        };
        Some(JsonPointer::root().push("components").push("schemas").push(&name).as_str().to_owned())
    }

    /// A discriminator's `mapping` values are references too: they are rewritten like `$ref`s,
    /// so that they still name the alternatives after hoisting. Bare schema names stay.
    fn rewrite_mapping(&mut self, node: &mut Value, at: &JsonPointer) {
        let Some(mapping) =
            node.get("discriminator").and_then(|d| d.get("mapping")).and_then(Value::as_object)
        else {
            return;
        };
        let is_reference =
            |raw: &str| raw.contains('#') || [".yaml", ".yml", ".json"].iter().any(|ext| raw.ends_with(ext));
        let references: Vec<(String, String)> = mapping
            .iter()
            .filter_map(|(value, target)| Some((value.clone(), target.as_str()?.to_owned())))
            .filter(|(_, target)| is_reference(target))
            .collect();
        let at = at.push("discriminator").push("mapping");
        let rewritten: Vec<(String, String)> = references
            .into_iter()
            .filter_map(|(value, target)| Some((value.clone(), self.schema_ref(&target, &at.push(&value))?)))
            .collect();
        let mapping =
            node.get_mut("discriminator").and_then(|d| d.get_mut("mapping")).and_then(Value::as_object_mut);
        if let Some(mapping) = mapping {
            for (value, local) in rewritten {
                mapping.insert(value, Value::String(local));
            }
        }
    }

    /// Parses a reference found at `at`. Relative file parts were made absolute when the
    /// node was copied out of its file, so a relative one here is relative to the spec.
    fn target(&mut self, raw: &str, at: &JsonPointer) -> Option<Target> {
        let (file, fragment) = raw.split_once('#').unwrap_or((raw, ""));
        if file.contains("://") {
            let message =
                format!("remote `$ref` `{raw}` is not fetched; download the file and refer to it by path");
            self.diagnostics.push(Diagnostic::error(at.clone(), message));
            return None;
        }
        let file = (!file.is_empty()).then(|| resolve_path(&self.spec, file));
        if !(fragment.is_empty() || fragment.starts_with('/')) {
            let message = format!("`$ref` `{raw}` has a fragment that is not a JSON pointer");
            self.diagnostics.push(Diagnostic::error(at.clone(), message));
            return None;
        }
        // The fragment is a URI fragment: `{` may be written `%7B`.
        let pointer = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy().into_owned();
        Some(Target { file: file.filter(|f| *f != self.spec), pointer })
    }

    /// A copy of the target, with references inside it rewritten for its new place.
    fn copy_of(&mut self, target: &Target, raw: &str, at: &JsonPointer) -> Option<Value> {
        let found = match &target.file {
            None => self.root.pointer(&target.pointer).cloned(),
            Some(file) => {
                let document = self.file(file, raw, at)?;
                let mut copy = document.pointer(&target.pointer).cloned();
                if let Some(copy) = copy.as_mut() {
                    anchor_references(copy, file);
                }
                copy
            }
        };
        if found.is_none() {
            let message = format!("`$ref` to `{raw}`, which does not exist");
            self.diagnostics.push(Diagnostic::error(at.clone(), message));
        }
        found
    }

    /// The parsed file at `path`, which `raw` refers to, once it is known to be allowed.
    fn file(&mut self, path: &Path, raw: &str, at: &JsonPointer) -> Option<&Value> {
        if !self.files.contains_key(path) {
            match self.read(path, raw) {
                Ok((value, warnings)) => {
                    for warning in warnings.iter() {
                        let message =
                            format!("in {}: {}: {}", path.display(), warning.pointer, warning.message);
                        self.diagnostics.push(Diagnostic::warning(at.clone(), message));
                    }
                    self.files.insert(path.to_path_buf(), value);
                }
                Err(message) => {
                    self.diagnostics.push(Diagnostic::error(at.clone(), message));
                    return None;
                }
            }
        }
        self.files.get(path)
    }

    /// Reads and parses the file of `$ref` `raw`: only a regular file inside the allowed root.
    fn read(&self, path: &Path, raw: &str) -> Result<(Value, Diagnostics), String> {
        // The path as the spec's folder sees it, when the reference does not already say it.
        let folder = self.spec.parent().unwrap_or(Path::new(""));
        let shown = path.strip_prefix(folder).unwrap_or(path);
        let written = raw.split_once('#').map_or(raw, |(file, _)| file);
        let place =
            if Path::new(written) == shown { String::new() } else { format!(" ({})", shown.display()) };
        let cannot = |reason: &dyn std::fmt::Display| {
            format!("cannot read the file of `$ref` `{raw}`{place}: {reason}")
        };
        let real = path.canonicalize().map_err(|error| cannot(&error))?;
        let root = self.allowed.as_ref().map_err(|reason| cannot(reason))?;
        if !real.starts_with(root) {
            return Err(format!(
                "`$ref` `{raw}` names {}, outside {}; only files inside the spec's folder are read \
                 (widen it with `--ref-root DIR` or `Config::ref_root`)",
                real.display(),
                root.display()
            ));
        }
        let text = crate::read::read_text(&real).map_err(|error| cannot(&error))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        crate::tree::parse(&text.replace("\r\n", "\n"), &name).map_err(|diagnostic| diagnostic.message)
    }

    /// A free name in `components.schemas` for a hoisted target: the last meaningful token
    /// of its pointer (or the file's stem), qualified by the one before it if taken.
    fn name_for(&mut self, target: &Target) -> String {
        let pointer =
            JsonPointer::from_ref(&format!("#{}", target.pointer)).map(|p| p.tokens()).unwrap_or_default();
        let mut words: Vec<String> = pointer.into_iter().filter(|token| !is_structural(token)).collect();
        if let Some(stem) =
            target.file.as_ref().and_then(|f| f.file_stem()).map(|s| s.to_string_lossy().into_owned())
        {
            words.insert(0, stem);
        }
        let base = words.last().cloned().unwrap_or_else(|| "Schema".to_owned());
        let qualified = match words.len() {
            0 | 1 => base.clone(),
            n => format!("{}_{base}", words[n - 2]),
        };
        let name = [base.clone(), qualified.clone()]
            .into_iter()
            .chain((2..).map(|n| format!("{qualified}{n}")))
            .find(|candidate| !self.taken.contains(candidate))
            .unwrap_or(base);
        self.taken.insert(name.clone());
        name
    }
}

/// Pointer tokens that say where a schema sits rather than what it is.
fn is_structural(token: &str) -> bool {
    token.chars().all(|c| c.is_ascii_digit())
        || token.contains('/')
        || matches!(
            token,
            "components"
                | "schemas"
                | "schema"
                | "definitions"
                | "$defs"
                | "properties"
                | "items"
                | "additionalProperties"
                | "allOf"
                | "oneOf"
                | "anyOf"
                | "not"
                | "content"
                | "paths"
                | "parameters"
                | "responses"
                | "requestBody"
                | "requestBodies"
                | "headers"
                | "get"
                | "put"
                | "post"
                | "delete"
                | "options"
                | "head"
                | "patch"
                | "trace"
        )
}

/// The folder file references must resolve into, symlinks resolved: `ref_root` when given,
/// else the folder of the spec.
fn allowed_root(spec: &Path, ref_root: Option<&Path>) -> Result<PathBuf, String> {
    match ref_root {
        Some(root) => root
            .canonicalize()
            .map_err(|error| format!("the `$ref` root {} cannot be used: {error}", root.display())),
        None => {
            let folder = spec.parent().unwrap_or(Path::new(""));
            let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
            folder
                .canonicalize()
                .map_err(|error| format!("the spec's folder {} cannot be used: {error}", folder.display()))
        }
    }
}

/// Resolves `file` relative to the folder of `from`.
fn resolve_path(from: &Path, file: &str) -> PathBuf {
    clean(&from.parent().unwrap_or(Path::new("")).join(file))
}

/// The path without `.` and with each `..` applied.
fn clean(path: &Path) -> PathBuf {
    let mut clean = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if clean.file_name().is_some() => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

/// Rewrites the references inside a node copied out of `file`: `#/x` becomes `file#/x` and
/// `other.yaml#/x` becomes the path of `other.yaml` next to `file`; discriminator mappings too.
fn anchor_references(node: &mut Value, file: &Path) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                *reference = anchor(reference, file);
            }
            let mapping = map
                .get_mut("discriminator")
                .and_then(|d| d.get_mut("mapping"))
                .and_then(Value::as_object_mut);
            for target in mapping.into_iter().flat_map(|mapping| mapping.values_mut()) {
                if let Value::String(target) = target {
                    if target.contains('#') {
                        *target = anchor(target, file);
                    }
                }
            }
            for value in map.values_mut() {
                anchor_references(value, file);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| anchor_references(item, file)),
        _ => {}
    }
}

/// One reference found in `file`, made to name its file.
fn anchor(reference: &str, file: &Path) -> String {
    if reference.contains("://") {
        return reference.to_owned();
    }
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let path = if path.is_empty() { file.to_path_buf() } else { resolve_path(file, path) };
    format!("{}#{fragment}", path.display())
}
