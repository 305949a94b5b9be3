//! Deciding `#[cfg(...)]` and `#[cfg_attr(...)]` at generation time, the way cxx's
//! `CfgEvaluator` does: the runtime is one Rust crate with every optional part behind a cargo
//! feature, and each SDK receives only the parts its spec turns on.
//!
//! Input: a parsed runtime file and the value of every feature the runtime knows. Output: the
//! same file without the items, impl items, fields, variants, statements, match arms, struct
//! expression fields and struct pattern fields whose `cfg` is false; a true `cfg` is removed, and
//! a `cfg_attr` whose predicate is true is replaced by the attributes it carries (a false one by
//! nothing). A file whose inner `#![cfg]` is false is dropped as a whole.
//!
//! Predicates are `feature = "name"`, `all(..)`, `any(..)`, `not(..)` and `test`, which is always
//! false: the runtime's unit tests stay in the runtime crate. The SDK's own cargo features
//! ([`SDK_FEATURES`]) are not decided here: a predicate is decided as far as the generator's
//! features go, and what is left of it, naming only SDK features, is kept for cargo to decide
//! when the SDK is built (`all(feature = "a", any(feature = "b", feature = "serde-both"))` with
//! `a` on and `b` off becomes `feature = "serde-both"`). A feature the generator does not
//! know, any other predicate, and a marker left in a place this pass does not visit are generator
//! bugs, reported as errors rather than silently kept or dropped.

use std::collections::BTreeMap;
use std::mem;

use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{AttrStyle, Attribute, Expr, ImplItem, Item, Lit, Meta, Stmt, Token, TraitItem};

/// Cargo features of the generated SDK itself, which the runtime also declares: its TLS choice,
/// and `serde-both`, which gives every model both serde traits (see
/// [`crate::ir::Reach::serde`]). What a marker says of them goes into the SDK for cargo.
pub const SDK_FEATURES: &[&str] = &["rustls-ring", SERDE_BOTH];

/// The SDK feature that gives every model both serde traits.
pub const SERDE_BOTH: &str = "serde-both";

/// The value of each feature the runtime may name, keyed by name.
pub type Features = BTreeMap<String, bool>;

/// Evaluates the markers of `file` in place. `Ok(false)` means the file's own `#![cfg]` is
/// false: it has no place in the SDK.
pub fn evaluate(file: &mut syn::File, features: &Features) -> Result<bool, String> {
    let mut pass = Pass { features, error: None };
    let keep = pass.keep(&mut file.attrs);
    if keep {
        pass.visit_file_mut(file);
    }
    match pass.error {
        Some(error) => Err(error),
        None => Ok(keep),
    }
}

/// A `cfg` predicate.
#[derive(Debug, Clone)]
enum Predicate {
    Feature(String),
    All(Vec<Predicate>),
    Any(Vec<Predicate>),
    Not(Box<Predicate>),
    /// `test`: never true in a generated SDK.
    Test,
}

impl Predicate {
    fn parse(meta: &Meta) -> Result<Self, String> {
        let nested = |list: &syn::MetaList| -> Result<Vec<Predicate>, String> {
            let metas = list
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .map_err(|e| format!("a cfg predicate does not parse: {e}"))?;
            metas.iter().map(Predicate::parse).collect()
        };
        match meta {
            Meta::Path(path) if path.is_ident("test") => Ok(Self::Test),
            Meta::NameValue(pair) if pair.path.is_ident("feature") => match &pair.value {
                Expr::Lit(syn::ExprLit { lit: Lit::Str(name), .. }) => Ok(Self::Feature(name.value())),
                _ => Err("`feature = ...` needs a string".to_owned()),
            },
            Meta::List(list) if list.path.is_ident("all") => Ok(Self::All(nested(list)?)),
            Meta::List(list) if list.path.is_ident("any") => Ok(Self::Any(nested(list)?)),
            Meta::List(list) if list.path.is_ident("not") => {
                let mut inner = nested(list)?;
                match (inner.pop(), inner.is_empty()) {
                    (Some(one), true) => Ok(Self::Not(Box::new(one))),
                    _ => Err("`not(..)` takes exactly one predicate".to_owned()),
                }
            }
            other => Err(format!(
                "the cfg predicate `{}` is not `feature = \"..\"`, `all`, `any`, `not` or `test`",
                quote::ToTokens::to_token_stream(other)
            )),
        }
    }

    /// The predicate with every feature the generator decides replaced by its value: a known
    /// truth value, or what is left of it for cargo to decide (the SDK's own features).
    fn decide(&self, features: &Features) -> Result<Decided, String> {
        Ok(match self {
            Self::Feature(name) if SDK_FEATURES.contains(&name.as_str()) => Decided::Cargo(self.clone()),
            Self::Feature(name) => Decided::Known(features.get(name).copied().ok_or_else(|| {
                format!("the runtime names the feature `{name}`, which the generator does not know")
            })?),
            Self::All(all) => Decided::combine(all, features, false, Self::All)?,
            Self::Any(any) => Decided::combine(any, features, true, Self::Any)?,
            Self::Not(inner) => match inner.decide(features)? {
                Decided::Known(value) => Decided::Known(!value),
                Decided::Cargo(left) => Decided::Cargo(Self::Not(Box::new(left))),
            },
            Self::Test => Decided::Known(false),
        })
    }

    /// Whether only the SDK's own features appear in the predicate: it was left for cargo.
    fn for_cargo(&self) -> bool {
        match self {
            Self::Feature(name) => SDK_FEATURES.contains(&name.as_str()),
            Self::All(list) | Self::Any(list) => list.iter().all(Self::for_cargo),
            Self::Not(inner) => inner.for_cargo(),
            Self::Test => false,
        }
    }

    /// The predicate as it is written inside `cfg(..)`.
    fn tokens(&self) -> proc_macro2::TokenStream {
        let list = |list: &[Predicate]| list.iter().map(Predicate::tokens).collect::<Vec<_>>();
        match self {
            Self::Feature(name) => quote::quote!(feature = #name),
            Self::All(all) => {
                let all = list(all);
                quote::quote!(all(#(#all),*))
            }
            Self::Any(any) => {
                let any = list(any);
                quote::quote!(any(#(#any),*))
            }
            Self::Not(inner) => {
                let inner = inner.tokens();
                quote::quote!(not(#inner))
            }
            Self::Test => quote::quote!(test),
        }
    }
}

/// A predicate after the generator's features were decided.
#[derive(Debug)]
enum Decided {
    Known(bool),
    /// What is left depends only on the SDK's own features: cargo decides it.
    Cargo(Predicate),
}

impl Decided {
    /// `all(..)` (`absorbing` false) or `any(..)` (`absorbing` true) of `list`: the absorbing
    /// value decides it, the other is dropped, and what cargo must decide is kept.
    fn combine(
        list: &[Predicate],
        features: &Features,
        absorbing: bool,
        rebuild: fn(Vec<Predicate>) -> Predicate,
    ) -> Result<Self, String> {
        let mut left = Vec::new();
        let mut decided = false;
        for predicate in list {
            match predicate.decide(features)? {
                Decided::Known(value) => decided |= value == absorbing,
                Decided::Cargo(rest) => left.push(rest),
            }
        }
        Ok(match (decided, left.len()) {
            (true, _) => Decided::Known(absorbing),
            (false, 0) => Decided::Known(!absorbing),
            (false, 1) => Decided::Cargo(left.remove(0)),
            (false, _) => Decided::Cargo(rebuild(left)),
        })
    }
}

struct Pass<'f> {
    features: &'f Features,
    /// The first problem found; the walk goes on, and this is what is reported.
    error: Option<String>,
}

impl Pass<'_> {
    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// Evaluates the markers among `attrs`: whether the node stays, with `cfg` removed and
    /// `cfg_attr` expanded.
    fn keep(&mut self, attrs: &mut Vec<Attribute>) -> bool {
        let mut keep = true;
        let mut out = Vec::with_capacity(attrs.len());
        for attr in mem::take(attrs) {
            if attr.path().is_ident("cfg") {
                let decided = attr
                    .parse_args::<Meta>()
                    .map_err(|e| format!("a cfg does not parse: {e}"))
                    .and_then(|meta| Predicate::parse(&meta))
                    .and_then(|p| p.decide(self.features));
                match decided {
                    Ok(Decided::Known(value)) => keep &= value,
                    Ok(Decided::Cargo(left)) => {
                        let left = left.tokens();
                        out.push(syn::parse_quote!(#[cfg(#left)]));
                    }
                    Err(message) => self.fail(message),
                }
            } else if attr.path().is_ident("cfg_attr") {
                match self.cfg_attr(&attr) {
                    Ok(expanded) => out.extend(expanded),
                    Err(message) => self.fail(message),
                }
            } else {
                out.push(attr);
            }
        }
        *attrs = out;
        keep
    }

    /// The attributes a `cfg_attr` stands for: those it carries when its predicate holds.
    fn cfg_attr(&self, attr: &Attribute) -> Result<Vec<Attribute>, String> {
        let metas = attr
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .map_err(|e| format!("a cfg_attr does not parse: {e}"))?;
        let mut metas = metas.into_iter();
        let predicate = metas.next().ok_or("a cfg_attr without a predicate")?;
        let carried: Vec<Meta> = metas.collect();
        match Predicate::parse(&predicate)?.decide(self.features)? {
            Decided::Known(false) => Ok(Vec::new()),
            Decided::Known(true) => Ok(carried
                .into_iter()
                .map(|meta| Attribute {
                    pound_token: attr.pound_token,
                    style: attr.style,
                    bracket_token: attr.bracket_token,
                    meta,
                })
                .collect()),
            Decided::Cargo(left) => {
                let left = left.tokens();
                Ok(vec![syn::parse_quote!(#[cfg_attr(#left, #(#carried),*)])])
            }
        }
    }

    /// Keeps the elements of `list` whose markers are true.
    fn retain<T>(&mut self, list: &mut Vec<T>, attrs: fn(&mut T) -> Option<&mut Vec<Attribute>>) {
        let old = mem::take(list);
        for mut node in old {
            if attrs(&mut node).is_none_or(|attrs| self.keep(attrs)) {
                list.push(node);
            }
        }
    }

    /// Keeps the elements of a punctuated `list` whose markers are true.
    fn retain_punctuated<T, P: Default>(
        &mut self,
        list: &mut Punctuated<T, P>,
        attrs: fn(&mut T) -> &mut Vec<Attribute>,
    ) {
        let old = mem::take(list);
        for mut node in old {
            if self.keep(attrs(&mut node)) {
                list.push(node);
            }
        }
    }
}

impl VisitMut for Pass<'_> {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        self.retain(&mut file.items, item_attrs);
        visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut module.content {
            self.retain(items, item_attrs);
        }
        visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        self.retain(&mut item.items, impl_item_attrs);
        visit_mut::visit_item_impl_mut(self, item);
    }

    fn visit_item_trait_mut(&mut self, item: &mut syn::ItemTrait) {
        self.retain(&mut item.items, trait_item_attrs);
        visit_mut::visit_item_trait_mut(self, item);
    }

    fn visit_fields_named_mut(&mut self, fields: &mut syn::FieldsNamed) {
        self.retain_punctuated(&mut fields.named, |field| &mut field.attrs);
        visit_mut::visit_fields_named_mut(self, fields);
    }

    fn visit_fields_unnamed_mut(&mut self, fields: &mut syn::FieldsUnnamed) {
        self.retain_punctuated(&mut fields.unnamed, |field| &mut field.attrs);
        visit_mut::visit_fields_unnamed_mut(self, fields);
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        self.retain_punctuated(&mut item.variants, |variant| &mut variant.attrs);
        visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        self.retain(&mut block.stmts, stmt_attrs);
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        self.retain(&mut expr.arms, |arm| Some(&mut arm.attrs));
        visit_mut::visit_expr_match_mut(self, expr);
    }

    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        self.retain_punctuated(&mut expr.fields, |field| &mut field.attrs);
        visit_mut::visit_expr_struct_mut(self, expr);
    }

    fn visit_pat_struct_mut(&mut self, pat: &mut syn::PatStruct) {
        self.retain_punctuated(&mut pat.fields, |field| &mut field.attrs);
        visit_mut::visit_pat_struct_mut(self, pat);
    }

    /// Every attribute the walk reaches after its node was decided: a marker here sits where
    /// this pass does not evaluate markers.
    fn visit_attribute_mut(&mut self, attr: &mut Attribute) {
        // The SDK's own features were kept on purpose, in a place `keep` looked at.
        if left_for_cargo(attr) {
            return;
        }
        if attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr") {
            let kind = if matches!(attr.style, AttrStyle::Outer) { "" } else { "an inner " };
            self.fail(format!(
                "{kind}`{}` sits where the runtime's markers are not evaluated (only on items, impl and trait \
                 items, fields, variants, statements, match arms and struct fields)",
                quote::ToTokens::to_token_stream(&*attr)
            ));
        }
    }
}

fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn impl_item_attrs(item: &mut ImplItem) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        ImplItem::Const(i) => &mut i.attrs,
        ImplItem::Fn(i) => &mut i.attrs,
        ImplItem::Type(i) => &mut i.attrs,
        ImplItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

fn trait_item_attrs(item: &mut TraitItem) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        TraitItem::Const(i) => &mut i.attrs,
        TraitItem::Fn(i) => &mut i.attrs,
        TraitItem::Type(i) => &mut i.attrs,
        TraitItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The attributes of a statement. An expression statement of a kind not listed here keeps its
/// attributes, and a marker among them is reported by [`Pass::visit_attribute_mut`].
fn stmt_attrs(stmt: &mut Stmt) -> Option<&mut Vec<Attribute>> {
    Some(match stmt {
        Stmt::Local(local) => &mut local.attrs,
        Stmt::Item(item) => return item_attrs(item),
        Stmt::Macro(mac) => &mut mac.attrs,
        Stmt::Expr(expr, _) => match expr {
            Expr::If(e) => &mut e.attrs,
            Expr::Match(e) => &mut e.attrs,
            Expr::Call(e) => &mut e.attrs,
            Expr::MethodCall(e) => &mut e.attrs,
            Expr::Block(e) => &mut e.attrs,
            Expr::ForLoop(e) => &mut e.attrs,
            Expr::While(e) => &mut e.attrs,
            Expr::Loop(e) => &mut e.attrs,
            Expr::Assign(e) => &mut e.attrs,
            Expr::Macro(e) => &mut e.attrs,
            Expr::Return(e) => &mut e.attrs,
            _ => return None,
        },
    })
}

/// Whether `attr` is a `cfg` or `cfg_attr` whose predicate names only the SDK's own features:
/// one this pass left for cargo to decide.
fn left_for_cargo(attr: &Attribute) -> bool {
    let predicate = if attr.path().is_ident("cfg") {
        attr.parse_args::<Meta>().ok()
    } else if attr.path().is_ident("cfg_attr") {
        attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .ok()
            .and_then(|metas| metas.into_iter().next())
    } else {
        None
    };
    predicate.and_then(|meta| Predicate::parse(&meta).ok()).is_some_and(|p| p.for_cargo())
}

#[cfg(test)]
mod tests {
    use super::{Features, evaluate};

    fn run(source: &str, on: &[&str], known: &[&str]) -> Result<Option<String>, String> {
        let features: Features = known.iter().map(|name| ((*name).to_owned(), on.contains(name))).collect();
        let mut file = syn::parse_file(source).map_err(|e| e.to_string())?;
        Ok(evaluate(&mut file, &features)?.then(|| prettyplease::unparse(&file)))
    }

    fn cut(source: &str, on: &[&str]) -> String {
        run(source, on, &["a", "b", "c"]).expect("evaluates").expect("the file stays")
    }

    #[test]
    fn items_stay_without_their_marker_or_go() {
        let source = "#[cfg(feature = \"a\")] fn a() {}\n#[cfg(feature = \"b\")] fn b() {}\nfn c() {}\n";
        assert_eq!(cut(source, &["a"]), "fn a() {}\nfn c() {}\n");
    }

    #[test]
    fn all_any_not_and_test() {
        let source = "#[cfg(all(feature = \"a\", not(feature = \"b\")))] fn one() {}\n\
                      #[cfg(any(feature = \"b\", feature = \"c\"))] fn two() {}\n\
                      #[cfg(test)] mod tests {}\n\
                      #[cfg(not(test))] fn three() {}\n";
        assert_eq!(cut(source, &["a", "c"]), "fn one() {}\nfn two() {}\nfn three() {}\n");
        assert_eq!(cut(source, &["a", "b"]), "fn two() {}\nfn three() {}\n");
    }

    #[test]
    fn every_position_the_runtime_uses() {
        let source = r#"
            struct S { #[cfg(feature = "a")] x: u8, y: u8 }
            enum E { #[cfg(feature = "a")] X, Y }
            impl S {
                #[cfg(feature = "a")] fn x(&self) {}
                fn f(self) -> u8 {
                    let S { #[cfg(feature = "a")] x, y } = self;
                    #[cfg(feature = "a")]
                    if x > 0 { return x; }
                    let s = S { #[cfg(feature = "a")] x: 1, y };
                    match s.y {
                        #[cfg(feature = "a")]
                        0 => 1,
                        _ => 2,
                    }
                }
            }
        "#;
        let off = cut(source, &[]);
        assert!(!off.contains("x"), "{off}");
        assert!(!off.contains("cfg"), "{off}");
        assert!(!off.contains("0 =>"), "{off}");
        let on = cut(source, &["a"]);
        assert!(on.contains("x: u8") && on.contains("fn x(&self)") && on.contains("0 => 1"), "{on}");
        assert!(!on.contains("cfg"), "{on}");
    }

    #[test]
    fn cfg_attr_expands_or_vanishes() {
        let source = "#[cfg_attr(feature = \"a\", doc = \" On.\")]\n\
                      #[cfg_attr(not(feature = \"a\"), doc = \" Off.\", inline)]\nfn f() {}\n";
        assert_eq!(cut(source, &["a"]), "/// On.\nfn f() {}\n");
        assert_eq!(cut(source, &[]), "/// Off.\n#[inline]\nfn f() {}\n");
    }

    #[test]
    fn what_the_sdk_features_decide_is_left_for_cargo() {
        let run = |source: &str, on: &[&str]| run(source, on, &["a", "b"]).expect("evaluates").expect("kept");
        let source =
            "#[cfg(all(feature = \"a\", any(feature = \"b\", feature = \"serde-both\")))]\nfn f() {}\n";
        assert_eq!(run(source, &["a", "b"]), "fn f() {}\n");
        assert_eq!(run(source, &["a"]), "#[cfg(feature = \"serde-both\")]\nfn f() {}\n");
        assert_eq!(run(source, &["b"]), "");
        let source = "#[cfg(not(any(feature = \"a\", feature = \"rustls-ring\", feature = \"serde-both\")))]\nfn f() {}\n";
        assert_eq!(
            run(source, &[]),
            "#[cfg(not(any(feature = \"rustls-ring\", feature = \"serde-both\")))]\nfn f() {}\n"
        );
        let source =
            "#[cfg_attr(all(feature = \"a\", feature = \"serde-both\"), derive(Clone))]\nstruct S;\n";
        assert_eq!(run(source, &["a"]), "#[cfg_attr(feature = \"serde-both\", derive(Clone))]\nstruct S;\n");
        assert_eq!(run(source, &[]), "struct S;\n");
        // Left for cargo in a place the pass does not visit is not an error either.
        assert_eq!(
            run("#[cfg(feature = \"rustls-ring\")]\nfn f() {}\n", &[]),
            "#[cfg(feature = \"rustls-ring\")]\nfn f() {}\n"
        );
    }

    #[test]
    fn a_false_inner_cfg_drops_the_file() {
        let source = "//! Docs.\n#![cfg(feature = \"a\")]\nfn f() {}\n";
        assert_eq!(run(source, &[], &["a"]), Ok(None));
        assert_eq!(run(source, &["a"], &["a"]), Ok(Some("//! Docs.\nfn f() {}\n".to_owned())));
    }

    #[test]
    fn an_unknown_feature_is_an_error_not_a_drop() {
        let error = run("#[cfg(feature = \"nope\")] fn f() {}", &[], &["a"]).expect_err("unknown");
        assert!(error.contains("`nope`"), "{error}");
    }

    #[test]
    fn other_predicates_and_unvisited_places_are_errors() {
        let error = run("#[cfg(unix)] fn f() {}", &[], &["a"]).expect_err("unix");
        assert!(error.contains("unix"), "{error}");
        let error = run("fn f(#[cfg(feature = \"a\")] x: u8) {}", &[], &["a"]).expect_err("param");
        assert!(error.contains("not evaluated"), "{error}");
        let error =
            run("#[cfg(not(feature = \"a\", feature = \"a\"))] fn f() {}", &[], &["a"]).expect_err("not");
        assert!(error.contains("exactly one"), "{error}");
    }
}
