//! Stage 2: the typed spec to the IR, resolving references and naming everything.
//!
//! Input: a loaded [`Spec`]. Output: an [`ir::Api`] (before `analyze`) and the warnings met on
//! the way, or every error found. Component schemas get their ids first, in name order, so
//! references resolve whatever the order and recursion needs no special case; inline schemas
//! that need a name are hoisted with a name derived from where they sit. Lowering visits
//! components and paths in sorted order, so reordering the spec changes nothing.

mod aliases;
mod errors;
mod operations;
mod schemas;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{self, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Spec;
use crate::names::{self, Case};
use crate::pointer::JsonPointer;

/// Lowers `spec` to the IR.
pub fn lower(spec: &Spec) -> Result<(ir::Api, Diagnostics), Diagnostics> {
    let mut cx = Context::new(spec);
    cx.declare_components();
    cx.define_components();
    aliases::settle_alias_cycles(&mut cx.types, &mut cx.diagnostics);
    let groups = cx.lower_operations();
    let auth = cx.auth();
    let page_fields = cx.page_fields();
    let webhooks = cx.webhooks();
    for at in cx.merges_too_deep.take() {
        let message = format!(
            "its `allOf` parts extend each other more than {} schemas deep (or merge more than {} \
             schemas in all); the generator does not merge that far",
            schemas::MAX_MERGE_DEPTH,
            schemas::MAX_MERGE_STEPS
        );
        cx.error(at, message);
    }
    let info = &spec.openapi.info;
    let base_url = spec.openapi.servers.first().map(|server| server.url.trim_end_matches('/').to_owned());
    let Context { types, diagnostics, .. } = cx;
    let diagnostics = diagnostics.sorted();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let types = types
        .into_iter()
        .enumerate()
        .map(|(index, slot)| {
            slot.unwrap_or_else(|| TypeDef {
                // Every declared id is defined before this point; a gap would be a generator
                // bug, and `Any` is the sound value for it.
                name: format!("Undefined{index}"),
                module: format!("undefined_{index}"),
                origin: JsonPointer::root(),
                description: None,
                deprecated: false,
                kind: TypeKind::Alias(TypeRef::Any),
            })
        })
        .collect();
    let api = ir::Api {
        title: info.title.clone(),
        api_version: info.version.clone(),
        license: spdx_license(spec),
        description: info.description.clone(),
        base_url,
        auth,
        types,
        groups,
        page_fields,
        webhooks,
    };
    Ok((api, diagnostics))
}

/// The spec's license as an SPDX expression: 3.1's `identifier` (kept in the raw tree), else
/// the `name` when it reads as one (`MIT`, not `Apache 2.0` or a sentence).
fn spdx_license(spec: &Spec) -> Option<String> {
    let identifier = spec.raw.pointer("/info/license/identifier").and_then(serde_json::Value::as_str);
    let name = spec.openapi.info.license.as_ref().map(|license| license.name.as_str());
    [identifier, name]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|text| crate::package::is_spdx_expression(text))
        .map(str::to_owned)
}

/// State shared by the lowering of schemas and operations.
struct Context<'a> {
    spec: &'a Spec,
    /// Types by id; `None` while declared but not yet defined.
    types: Vec<Option<TypeDef>>,
    /// The name each id was declared with, index-aligned with `types`.
    declared: Vec<String>,
    /// Component schema name to id. BTreeMap: looked up, and iterated in name order.
    components: BTreeMap<String, TypeId>,
    /// Rust type names and module names already handed out (probed only).
    used_type_names: BTreeMap<String, JsonPointer>,
    used_modules: BTreeSet<String>,
    /// The next numeric suffix to try for a wanted type name (or `mod <name>` for a module):
    /// the smaller ones are taken, so a name wanted many times costs linear time.
    next_suffix: BTreeMap<String, usize>,
    /// Inline schemas already hoisted, by where they are.
    hoisted_at: BTreeMap<JsonPointer, TypeId>,
    /// Schemas whose `allOf` merge went past its bounds (reported once each, at the end).
    merges_too_deep: RefCell<BTreeSet<JsonPointer>>,
    diagnostics: Diagnostics,
}

impl<'a> Context<'a> {
    fn new(spec: &'a Spec) -> Self {
        Self {
            spec,
            types: Vec::new(),
            declared: Vec::new(),
            components: BTreeMap::new(),
            used_type_names: BTreeMap::new(),
            used_modules: BTreeSet::new(),
            next_suffix: BTreeMap::new(),
            hoisted_at: BTreeMap::new(),
            merges_too_deep: RefCell::new(BTreeSet::new()),
            diagnostics: Diagnostics::default(),
        }
    }

    fn warn(&mut self, pointer: JsonPointer, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(pointer, message));
    }

    fn error(&mut self, pointer: JsonPointer, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(pointer, message));
    }

    /// Reserves an id and a unique name for a type defined at `origin`. A name taken already
    /// gets a numeric suffix and a warning naming both places.
    fn declare(&mut self, wanted: &str, origin: JsonPointer) -> (TypeId, String) {
        let mut name = wanted.to_owned();
        let counter = self.next_suffix.entry(wanted.to_owned()).or_insert(2);
        while self.used_type_names.contains_key(&name) {
            name = format!("{wanted}{counter}");
            *counter += 1;
        }
        if name != wanted {
            let other = self.used_type_names.get(wanted).cloned().unwrap_or_else(JsonPointer::root);
            self.warn(
                origin.clone(),
                format!("type name `{wanted}` is already used by {other}; this one is `{name}`"),
            );
        }
        self.used_type_names.insert(name.clone(), origin);
        let id = TypeId(self.types.len());
        self.types.push(None);
        self.declared.push(name.clone());
        (id, name)
    }

    /// Stores the definition of a declared type, giving it a unique module name.
    fn define(&mut self, id: TypeId, origin: JsonPointer, schema: &openapiv3::SchemaData, kind: TypeKind) {
        let name = self.declared_name(id);
        let wanted = names::module_name(&name);
        let mut module = wanted.clone();
        let counter = self.next_suffix.entry(format!("mod {wanted}")).or_insert(2);
        while self.used_modules.contains(&module) {
            module = format!("{wanted}_{counter}");
            *counter += 1;
        }
        self.used_modules.insert(module.clone());
        let def = TypeDef {
            name,
            module,
            origin,
            description: schema.description.clone(),
            deprecated: schema.deprecated,
            kind,
        };
        if let Some(slot) = self.types.get_mut(id.0) {
            *slot = Some(def);
        }
    }

    /// Gives every component schema an id, in name order, before any is lowered.
    fn declare_components(&mut self) {
        let Some(components) = &self.spec.openapi.components else { return };
        let mut keys: Vec<&String> = components.schemas.keys().collect();
        keys.sort();
        let base = JsonPointer::root().push("components").push("schemas");
        for key in keys {
            let wanted = names::ident(key, Case::Type, "Schema");
            let (id, _) = self.declare(&wanted, base.push(key));
            self.components.insert(key.clone(), id);
        }
    }

    /// `x-page-fields: { total: <name>, records: <name> }` at the document root: the API's list
    /// envelope, which the SDK represents with one generic type.
    fn page_fields(&mut self) -> Option<ir::PageFields> {
        let raw = self.spec.raw.get("x-page-fields")?;
        let field = |key: &str| raw.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        match (field("total"), field("records")) {
            (Some(total), Some(records)) => Some(ir::PageFields { total, records }),
            _ => {
                let message = "must be an object with string properties `total` and `records`; ignored";
                self.warn(JsonPointer::root().push("x-page-fields"), message);
                None
            }
        }
    }

    /// `x-webhook-delivery: { envelope: <component schema>, signature-header: <name>,
    /// event-header: <name> }` at the document root.
    fn webhooks(&mut self) -> Option<ir::Webhooks> {
        let raw = self.spec.raw.get("x-webhook-delivery")?;
        let at = JsonPointer::root().push("x-webhook-delivery");
        let text = |key: &str| raw.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let envelope = text("envelope").and_then(|name| self.components.get(&name).copied());
        match (envelope, text("signature-header")) {
            (Some(envelope), Some(signature_header)) => {
                Some(ir::Webhooks { envelope, signature_header, event_header: text("event-header") })
            }
            _ => {
                let message =
                    "needs `envelope` (a schema of `#/components/schemas`) and `signature-header`; ignored";
                self.warn(at, message);
                None
            }
        }
    }

    /// Whether `ty` is a struct (through aliases), as defined so far.
    fn is_struct(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        // An alias chain longer than the number of types is a cycle.
        for _ in 0..=self.types.len() {
            let TypeRef::Named(id) = ty else { return false };
            match self.types.get(id.0).and_then(Option::as_ref).map(|def| &def.kind) {
                Some(TypeKind::Struct(_)) => return true,
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return false,
            }
        }
        false
    }

    /// The Rust name an id was declared with.
    fn declared_name(&self, id: TypeId) -> String {
        self.declared.get(id.0).cloned().unwrap_or_default()
    }
}
