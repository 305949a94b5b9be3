//! Stage 2: the typed spec to the IR, resolving references and naming everything.
//!
//! Input: a loaded [`Spec`]. Output: an [`ir::Api`] (before `analyze`) and the warnings met on
//! the way, or every error found. Component schemas get their ids first, in name order, so
//! references resolve whatever the order and recursion needs no special case; inline schemas
//! that need a name are hoisted with a name derived from where they sit. Lowering visits
//! components and paths in sorted order, so reordering the spec changes nothing.

mod aliases;
mod bodies;
mod context;
mod document;
mod enums;
mod errors;
mod examples;
mod media;
mod objects;
mod operations;
mod pagination;
mod refs;
mod schemas;
mod unions;

use crate::diagnostics::{Diagnostics, Error};
use crate::ir::{self, TypeDef};
use crate::load::Spec;

use context::Context;

/// The string formats example values are checked against.
pub(crate) mod formats {
    pub(crate) use super::examples::{is_date, is_date_time, is_uuid};
}

/// Lowers `spec` to the IR. Spec problems fail with [`Error::Spec`] (every diagnostic found,
/// sorted); a broken invariant of the lowering itself fails with [`Error::Internal`].
pub fn lower(spec: &Spec) -> Result<(ir::Api, Diagnostics), Error> {
    let mut cx = Context::new(spec);
    cx.declare_components();
    cx.define_components();
    aliases::settle_alias_cycles(&mut cx.types, &mut cx.diagnostics);
    let mut groups = cx.lower_operations();
    cx.paginate(&mut groups);
    let (auth, schemes) = cx.security(&mut groups);
    let page_fields = cx.page_fields();
    let webhooks = cx.webhooks();
    for at in cx.merges_too_deep.take() {
        let message = format!(
            "its `allOf` parts extend each other more than {} schemas deep (or merge more than {} \
             schemas in all); the generator does not merge that far",
            objects::MAX_MERGE_DEPTH,
            objects::MAX_MERGE_STEPS
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
    let types = defined_types(types, &mut bugs);
    if !bugs.is_empty() {
        return Err(Error::Internal { stage: "lower", message: bugs.join("; ") });
    }
    let api = ir::Api {
        title: info.title.clone(),
        api_version: info.version.clone(),
        license: spdx_license(spec),
        description: info.description.clone(),
        base_url,
        auth,
        schemes,
        types,
        groups,
        page_fields,
        webhooks,
    };
    Ok((api, diagnostics))
}

/// The definitions of every declared type. A type declared but never defined is a generator
/// bug: it is added to `bugs`, never filled with a placeholder.
fn defined_types(types: Vec<Option<TypeDef>>, bugs: &mut Vec<String>) -> Vec<TypeDef> {
    let mut defined = Vec::with_capacity(types.len());
    for (index, slot) in types.into_iter().enumerate() {
        match slot {
            Some(def) => defined.push(def),
            None => bugs.push(format!("type id {index} was declared but never defined")),
        }
    }
    defined
}

/// The spec's license as an SPDX expression: 3.1's `identifier` (kept in the raw tree), else
/// the `name` when it reads as one (`MIT`, not `Apache 2.0` or a sentence).
pub(super) fn spdx_license(spec: &Spec) -> Option<String> {
    let identifier = spec.raw.pointer("/info/license/identifier").and_then(serde_json::Value::as_str);
    let name = spec.openapi.info.license.as_ref().map(|license| license.name.as_str());
    [identifier, name]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|text| crate::package::is_spdx_expression(text))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::{Context, defined_types};
    use crate::ir::TypeId;
    use crate::pointer::JsonPointer;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";

    #[test]
    fn a_type_declared_but_not_defined_is_a_bug() {
        let spec = crate::load::load(SPEC, "openapi.yaml").unwrap();
        let mut cx = Context::new(&spec);
        let (_, name) = cx.declare("Chat", JsonPointer::root());
        assert_eq!(name, "Chat");
        let mut bugs = Vec::new();
        assert!(defined_types(cx.types, &mut bugs).is_empty());
        assert_eq!(bugs, vec!["type id 0 was declared but never defined"]);
    }

    #[test]
    fn an_undeclared_id_is_a_bug_not_an_empty_name() {
        let spec = crate::load::load(SPEC, "openapi.yaml").unwrap();
        let cx = Context::new(&spec);
        assert!(!cx.declared_name(TypeId(3)).is_empty());
        assert_eq!(cx.bugs.borrow().len(), 1);
    }

    #[test]
    fn type_names_are_claimed_once_with_a_warning() {
        let spec = crate::load::load(SPEC, "openapi.yaml").unwrap();
        let mut cx = Context::new(&spec);
        cx.declare("Chat", JsonPointer::root().push("a"));
        let (_, second) = cx.declare("Chat", JsonPointer::root().push("b"));
        assert_eq!(second, "Chat2");
        assert!(
            cx.diagnostics.to_string().contains("type name `Chat` is already used by #/a"),
            "{}",
            cx.diagnostics
        );
    }

    #[test]
    fn extensions_carry_the_generator_prefix_and_the_former_names_still_work_with_a_warning() {
        let page = "x-sdkwright-page-fields: {total: total, records: records}\n";
        let (api, diagnostics) = crate::build_ir(&format!("{SPEC}{page}"), "openapi.yaml").unwrap();
        assert!(api.page_fields.is_some());
        assert!(diagnostics.to_string().is_empty(), "{diagnostics}");

        let former = "x-page-fields: {total: total, records: records}\n";
        let (api, diagnostics) = crate::build_ir(&format!("{SPEC}{former}"), "openapi.yaml").unwrap();
        assert!(api.page_fields.is_some());
        let text = diagnostics.to_string();
        assert!(
            text.contains("#/x-page-fields") && text.contains("now called `x-sdkwright-page-fields`"),
            "{text}"
        );
    }

    /// The names of the methods of `impl <ty>` in the runtime's `client.rs`.
    fn runtime_methods(ty: &str) -> Vec<String> {
        let source = include_str!("../../../templates/runtime/src/client.rs");
        let file = syn::parse_file(source).unwrap();
        let mut names = Vec::new();
        for item in file.items {
            let syn::Item::Impl(block) = item else { continue };
            let syn::Type::Path(path) = &*block.self_ty else { continue };
            if block.trait_.is_some() || !path.path.is_ident(ty) {
                continue;
            }
            for item in block.items {
                if let syn::ImplItem::Fn(method) = item {
                    names.push(method.sig.ident.to_string());
                }
            }
        }
        names
    }

    #[test]
    fn the_reserved_names_list_every_method_of_the_runtime_client_and_builder() {
        let missing = |ty: &str, reserved: &[&str]| -> Vec<String> {
            runtime_methods(ty).into_iter().filter(|name| !reserved.contains(&name.as_str())).collect()
        };
        assert_eq!(
            missing("Client", super::operations::CLIENT_METHODS),
            Vec::<String>::new(),
            "a group accessor could clash"
        );
        assert_eq!(
            missing("ClientBuilder", super::document::BUILDER_METHODS),
            Vec::<String>::new(),
            "a scheme setter could clash"
        );
    }
}
