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

use crate::diagnostics::{Diagnostic, Diagnostics, Error};
use crate::ir::{self, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Spec;
use crate::names::{self, Case, Claim, Namespace, Order, Renamed};
use crate::pointer::JsonPointer;

/// Lowers `spec` to the IR. Spec problems fail with [`Error::Spec`] (every diagnostic found,
/// sorted); a broken invariant of the lowering itself fails with [`Error::Internal`].
pub fn lower(spec: &Spec) -> Result<(ir::Api, Diagnostics), Error> {
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
    let Context { types, diagnostics, bugs, .. } = cx;
    let mut bugs = bugs.into_inner();
    let diagnostics = diagnostics.sorted();
    if diagnostics.has_errors() {
        return Err(Error::Spec(diagnostics));
    }
    let mut defined = Vec::with_capacity(types.len());
    for (index, slot) in types.into_iter().enumerate() {
        match slot {
            Some(def) => defined.push(def),
            None => bugs.push(format!("type id {index} was declared but never defined")),
        }
    }
    if !bugs.is_empty() {
        return Err(Error::Internal { stage: "lower", message: bugs.join("; ") });
    }
    let types = defined;
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
    /// The crate's type names, held by the pointer of each type's definition.
    type_names: Namespace,
    /// The crate's model module names.
    modules: Namespace,
    /// Inline schemas already hoisted, by where they are.
    hoisted_at: BTreeMap<JsonPointer, TypeId>,
    /// Schemas whose `allOf` merge went past its bounds (reported once each, at the end).
    merges_too_deep: RefCell<BTreeSet<JsonPointer>>,
    /// Broken invariants met while lowering (generator bugs, not spec problems).
    bugs: RefCell<Vec<String>>,
    diagnostics: Diagnostics,
}

impl<'a> Context<'a> {
    fn new(spec: &'a Spec) -> Self {
        Self {
            spec,
            types: Vec::new(),
            declared: Vec::new(),
            components: BTreeMap::new(),
            type_names: Namespace::new(Case::Type),
            modules: Namespace::new(Case::Snake),
            hoisted_at: BTreeMap::new(),
            merges_too_deep: RefCell::new(BTreeSet::new()),
            bugs: RefCell::new(Vec::new()),
            diagnostics: Diagnostics::default(),
        }
    }

    fn warn(&mut self, pointer: JsonPointer, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(pointer, message));
    }

    fn error(&mut self, pointer: JsonPointer, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(pointer, message));
    }

    /// Records a broken invariant of the lowering: a generator bug, reported as
    /// [`crate::Error::Internal`] once lowering ends.
    fn bug(&self, message: impl Into<String>) {
        self.bugs.borrow_mut().push(message.into());
    }

    /// Settles a batch of claims in `namespace` ([`Namespace::claim_all`]). A wanted name that
    /// is not an identifier is a generator bug: it is recorded and the wanted names come back.
    fn settle(
        &self,
        namespace: &mut Namespace,
        claims: &[Claim],
        order: Order,
    ) -> (Vec<String>, Vec<Renamed>) {
        match namespace.claim_all(claims, order) {
            Ok((given, renamed)) => (given.into_iter().map(names::RustIdent::into_string).collect(), renamed),
            Err(problem) => {
                self.bug(problem);
                (claims.iter().map(|claim| claim.name.rust.clone()).collect(), Vec::new())
            }
        }
    }

    /// Reserves an id and a unique name for a type defined at `origin`. A name taken already
    /// gets a numeric suffix and a warning naming both places.
    fn declare(&mut self, wanted: &str, origin: JsonPointer) -> (TypeId, String) {
        let name = match self.type_names.claim(&origin.to_string(), wanted) {
            Ok((name, renamed)) => {
                if let Some(renamed) = renamed {
                    let other = renamed.kept_by.unwrap_or_else(|| "the generator".to_owned());
                    self.warn(
                        origin.clone(),
                        format!("type name `{wanted}` is already used by {other}; this one is `{name}`"),
                    );
                }
                name.into_string()
            }
            Err(problem) => {
                self.bug(format!("type name at {origin}: {problem}"));
                wanted.to_owned()
            }
        };
        let id = TypeId(self.types.len());
        self.types.push(None);
        self.declared.push(name.clone());
        (id, name)
    }

    /// Stores the definition of a declared type, giving it a unique module name.
    fn define(&mut self, id: TypeId, origin: JsonPointer, schema: &openapiv3::SchemaData, kind: TypeKind) {
        let name = self.declared_name(id);
        let wanted = names::module_name(&name);
        let module = match self.modules.claim(&origin.to_string(), &wanted) {
            Ok((module, _)) => module.into_string(),
            Err(problem) => {
                self.bug(format!("module name at {origin}: {problem}"));
                wanted
            }
        };
        let def = TypeDef {
            name,
            module,
            origin,
            description: schema.description.clone(),
            deprecated: schema.deprecated,
            kind,
        };
        match self.types.get_mut(id.0) {
            Some(slot) => *slot = Some(def),
            None => self.bug(format!("type id {} was defined but never declared", id.0)),
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

    /// The Rust name an id was declared with. An id never declared is a generator bug: it is
    /// recorded, and lowering fails with an internal error.
    fn declared_name(&self, id: TypeId) -> String {
        match self.declared.get(id.0) {
            Some(name) => name.clone(),
            None => {
                self.bug(format!("type id {} was used but never declared", id.0));
                format!("Undeclared{}", id.0)
            }
        }
    }
}
