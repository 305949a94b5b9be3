//! The state shared by every part of the lowering, and the one place that names types.
//!
//! Input: the loaded spec. Output: the arena of type definitions, each with a unique type name
//! and module name ([`Namespace`]), and the diagnostics and generator bugs met on the way.
//! Every other module of `lower` reads and extends this state; this one imports none of them.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Spec;
use crate::names::{self, Case, Claim, Namespace, Order, Renamed};
use crate::pointer::JsonPointer;

/// State shared by the lowering of schemas and operations.
pub(super) struct Context<'a> {
    pub(super) spec: &'a Spec,
    /// Types by id; `None` while declared but not yet defined.
    pub(super) types: Vec<Option<TypeDef>>,
    /// The name each id was declared with, index-aligned with `types`.
    pub(super) declared: Vec<String>,
    /// Component schema name to id. BTreeMap: looked up, and iterated in name order.
    pub(super) components: BTreeMap<String, TypeId>,
    /// The crate's type names, held by the pointer of each type's definition.
    pub(super) type_names: Namespace,
    /// The crate's model module names.
    pub(super) modules: Namespace,
    /// Inline schemas already hoisted, by where they are.
    pub(super) hoisted_at: BTreeMap<JsonPointer, TypeId>,
    /// Schemas whose `allOf` merge went past its bounds (reported once each, at the end).
    pub(super) merges_too_deep: RefCell<BTreeSet<JsonPointer>>,
    /// Broken invariants met while lowering (generator bugs, not spec problems).
    pub(super) bugs: RefCell<Vec<String>>,
    pub(super) diagnostics: Diagnostics,
}

impl<'a> Context<'a> {
    pub(super) fn new(spec: &'a Spec) -> Self {
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

    pub(super) fn warn(&mut self, pointer: JsonPointer, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(pointer, message));
    }

    pub(super) fn error(&mut self, pointer: JsonPointer, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(pointer, message));
    }

    /// Records a broken invariant of the lowering: a generator bug, reported as
    /// [`crate::Error::Internal`] once lowering ends.
    pub(super) fn bug(&self, message: impl Into<String>) {
        self.bugs.borrow_mut().push(message.into());
    }

    /// Settles a batch of claims in `namespace` ([`Namespace::claim_all`]). A wanted name that
    /// is not an identifier is a generator bug: it is recorded and the wanted names come back.
    pub(super) fn settle(
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
    pub(super) fn declare(&mut self, wanted: &str, origin: JsonPointer) -> (TypeId, String) {
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
    pub(super) fn define(
        &mut self,
        id: TypeId,
        origin: JsonPointer,
        schema: &openapiv3::SchemaData,
        kind: TypeKind,
    ) {
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
            description: schema.description.clone().or_else(|| schema.title.clone()),
            title: schema.title.clone(),
            deprecated: schema.deprecated,
            kind,
            shared_by: Vec::new(),
            reach: crate::ir::Reach::default(),
        };
        match self.types.get_mut(id.0) {
            Some(slot) => *slot = Some(def),
            None => self.bug(format!("type id {} was defined but never declared", id.0)),
        }
    }

    /// The Rust name an id was declared with. An id never declared is a generator bug: it is
    /// recorded, and lowering fails with an internal error.
    pub(super) fn declared_name(&self, id: TypeId) -> String {
        match self.declared.get(id.0) {
            Some(name) => name.clone(),
            None => {
                self.bug(format!("type id {} was used but never declared", id.0));
                format!("Undeclared{}", id.0)
            }
        }
    }

    /// Whether `ty` is a struct (through aliases), as defined so far.
    pub(super) fn is_struct(&self, ty: &TypeRef) -> bool {
        self.struct_fields(ty).is_some()
    }

    /// `ty` through aliases, as defined so far; `None` for a cycle of aliases (a chain longer
    /// than the number of types).
    pub(super) fn through_aliases<'t>(&'t self, mut ty: &'t TypeRef) -> Option<&'t TypeRef> {
        for _ in 0..=self.types.len() {
            let TypeRef::Named(id) = ty else { return Some(ty) };
            match self.types.get(id.0).and_then(Option::as_ref).map(|def| &def.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return Some(ty),
            }
        }
        None
    }

    /// The fields of `ty` when it is a struct (through aliases), as defined so far.
    pub(super) fn struct_fields<'t>(&'t self, ty: &'t TypeRef) -> Option<&'t [crate::ir::Field]> {
        let TypeRef::Named(id) = self.through_aliases(ty)? else { return None };
        match self.types.get(id.0).and_then(Option::as_ref).map(|def| &def.kind) {
            Some(TypeKind::Struct(s)) => Some(&s.fields),
            _ => None,
        }
    }
}
