//! Comparing two surfaces: what changed for the SDK's users, whether it breaks their code, and
//! the version bump that implies.
//!
//! The rules are Rust's, not JSON's. Models are `#[non_exhaustive]` and built with `new`, so a
//! new optional field or enum value is an addition, while a field `new` must now take, a field
//! whose type changed (becoming optional changes it to `Option`), or any change to a method's
//! argument types breaks callers. Anything removed breaks.

pub use super::report::{Bump, Change, Impact, Report};
use super::{FieldSurface, OperationSurface, OptionsSurface, SerdeTrait, Surface, TypeSurface};

/// One change found by the comparison, before it is given its item.
struct Found {
    impact: Impact,
    what: String,
    fix: Option<String>,
}

/// A change that breaks callers, with what they change in their code.
fn breaking(what: String, fix: String) -> Found {
    Found { impact: Impact::Breaking, what, fix: Some(fix) }
}

/// Something new.
fn added(what: String) -> Found {
    Found { impact: Impact::Addition, what, fix: None }
}

/// A change of behaviour or documentation only.
fn compatible(what: String) -> Found {
    Found { impact: Impact::Compatible, what, fix: None }
}

/// How users write a call of the operation the surface names `group.method`.
fn call(name: &str) -> String {
    match name.split_once('.') {
        Some((group, method)) => format!("client.{group}().{method}(..)"),
        None => format!("client.{name}(..)"),
    }
}

/// Compares `old` with `new`.
pub fn diff(old: &Surface, new: &Surface) -> Report {
    let mut changes = Vec::new();
    let mut push = |item: &str, found: Found| {
        changes.push(Change { impact: found.impact, item: item.to_owned(), what: found.what, fix: found.fix })
    };
    for (name, before) in &old.operations {
        let item = format!("method `{name}`");
        match new.operations.get(name) {
            None => push(&item, breaking("removed".into(), format!("remove the calls to `{}`", call(name)))),
            Some(after) => operation(name, before, after, &mut |found| push(&item, found)),
        }
    }
    for name in new.operations.keys().filter(|n| !old.operations.contains_key(*n)) {
        push(&format!("method `{name}`"), added("added".into()));
    }
    for (name, before) in &old.types {
        let item = format!("type `{name}`");
        match new.types.get(name) {
            None => push(&item, breaking("removed".into(), format!("stop naming `{name}`"))),
            Some(after) => model(name, before, after, &mut |found| push(&item, found)),
        }
    }
    for name in new.types.keys().filter(|n| !old.types.contains_key(*n)) {
        push(&format!("type `{name}`"), added("added".into()));
    }
    for name in old.types.keys().filter(|n| new.types.contains_key(*n)) {
        serde_traits(old.one_way.get(name).copied(), new.one_way.get(name).copied(), &mut |found| {
            push(&format!("type `{name}`"), found)
        });
    }
    changes.sort_by(|a, b| (a.impact, &a.item, &a.what).cmp(&(b.impact, &b.item, &b.what)));
    Report { changes }
}

/// A model's serde traits, `None` meaning both: losing one breaks the code that uses it (a model
/// only responses carry no longer implements `Serialize`); gaining one is an addition.
fn serde_traits(before: Option<SerdeTrait>, after: Option<SerdeTrait>, push: &mut dyn FnMut(Found)) {
    let implements = |one_way: Option<SerdeTrait>, t: SerdeTrait| one_way.is_none_or(|only| only == t);
    for t in [SerdeTrait::Serialize, SerdeTrait::Deserialize] {
        let use_ = match t {
            SerdeTrait::Serialize => "only responses carry it",
            SerdeTrait::Deserialize => "only requests send it",
        };
        match (implements(before, t), implements(after, t)) {
            (true, false) => push(breaking(
                format!("no longer implements `{}` ({use_})", t.path()),
                format!("turn on the SDK's `serde-both` feature where your code needs `{}`", t.path()),
            )),
            (false, true) => push(added(format!("implements `{}`", t.path()))),
            _ => {}
        }
    }
}

fn operation(name: &str, before: &OperationSurface, after: &OperationSurface, push: &mut dyn FnMut(Found)) {
    let types = |op: &OperationSurface| op.args.iter().map(|a| a.ty.clone()).collect::<Vec<_>>();
    if types(before) != types(after) {
        let show = |op: &OperationSurface| types(op).join(", ");
        push(breaking(
            format!("arguments changed from ({}) to ({})", show(before), show(after)),
            format!("call `{}` with ({})", call(name), show(after)),
        ));
    }
    if before.returns != after.returns {
        push(breaking(
            format!("returns `{}` instead of `{}`", after.returns, before.returns),
            format!("read its result as `{}`", after.returns),
        ));
    }
    options(before.options.as_ref(), after.options.as_ref(), push);
    match (&before.items, &after.items) {
        (None, Some(item)) => {
            push(added(format!("`pages()` and `items()` added: streams of every `{item}`")))
        }
        (Some(_), None) => push(breaking(
            "`pages()` and `items()` removed: the spec no longer says how its pages follow each other"
                .to_owned(),
            "fetch the pages yourself, setting the page parameter on each call".to_owned(),
        )),
        (Some(old), Some(new)) if old != new => push(breaking(
            format!("`items()` yields `{new}` instead of `{old}`"),
            format!("read its items as `{new}`"),
        )),
        _ => {}
    }
    match (&before.errors, &after.errors) {
        (None, Some(new)) => push(added(format!("error enum `{}` added", new.name))),
        (Some(old), None) => push(breaking(
            format!("error enum `{}` removed", old.name),
            format!(
                "stop decoding its errors as `{}`; read `Error::status()` and the body instead",
                old.name
            ),
        )),
        (Some(old), Some(new)) if old.name != new.name => push(breaking(
            format!("error enum `{}` renamed to `{}`", old.name, new.name),
            format!("write `{}` where you wrote `{}`", new.name, old.name),
        )),
        (Some(old), Some(new)) => {
            variants(&old.variants, &new.variants, &mut |found| {
                push(Found { what: format!("error enum `{}`: {}", new.name, found.what), ..found })
            });
        }
        (None, None) => {}
    }
    if before.http != after.http || before.operation_id != after.operation_id {
        push(compatible(format!(
            "now `{}` (`{}`), was `{}` (`{}`)",
            after.http, after.operation_id, before.http, before.operation_id
        )));
    }
}

/// Optional parameters are methods of the call: adding one adds a method, removing or retyping
/// one breaks the callers that set it. The first one (or the last one going) changes the call's
/// type, `Call<'_, T>` to `Call<'_, T, Marker>`, which breaks code that names it.
fn options(before: Option<&OptionsSurface>, after: Option<&OptionsSurface>, push: &mut dyn FnMut(Found)) {
    let params = |options: Option<&OptionsSurface>| options.map(|o| o.params.clone()).unwrap_or_default();
    let (old, new) = (params(before), params(after));
    let naming = "where your code names the call's type (most code only awaits it)";
    match (before, after) {
        (Some(before), Some(after)) if before.marker != after.marker => push(breaking(
            format!("call marker `{}` renamed to `{}`", before.marker, after.marker),
            format!("write `{}` for `{}` {naming}", after.marker, before.marker),
        )),
        (None, Some(after)) => push(breaking(
            format!("the call's type gains the marker `{}`", after.marker),
            format!("write `Call<'_, T, {}>` {naming}", after.marker),
        )),
        (Some(before), None) => push(breaking(
            format!("the call's type loses the marker `{}`", before.marker),
            format!("write `Call<'_, T>` {naming}"),
        )),
        _ => {}
    }
    for param in &old {
        match new.iter().find(|p| p.name == param.name) {
            None => push(breaking(
                format!("optional parameter `{}` removed", param.name),
                format!("stop calling `.{}(..)` on the call", param.name),
            )),
            Some(now) if now.ty != param.ty => push(breaking(
                format!("optional parameter `{}` now takes `{}`, was `{}`", param.name, now.ty, param.ty),
                format!("pass a `{}` to `.{}(..)`", now.ty, param.name),
            )),
            Some(_) => {}
        }
    }
    for param in new.iter().filter(|p| !old.iter().any(|o| o.name == p.name)) {
        push(added(format!("optional parameter `{}` added", param.name)));
    }
}

fn model(name: &str, before: &TypeSurface, after: &TypeSurface, push: &mut dyn FnMut(Found)) {
    match (before, after) {
        (TypeSurface::Struct { fields: old, open: was_open }, TypeSurface::Struct { fields: new, open }) => {
            fields(name, old, new, push);
            match (was_open, open) {
                (false, true) => push(added("now keeps unnamed properties".into())),
                (true, false) => push(breaking(
                    "no longer keeps unnamed properties".into(),
                    format!("stop reading or setting the properties of `{name}` that have no field"),
                )),
                _ => {}
            }
        }
        (TypeSurface::Enum { values: old, catch_all: had }, TypeSurface::Enum { values: new, catch_all }) => {
            for value in old.iter().filter(|v| !new.contains(v)) {
                push(breaking(
                    format!("value `{value}` removed"),
                    format!("remove the uses and match arms of `{name}::{value}`"),
                ));
            }
            for value in new.iter().filter(|v| !old.contains(v)) {
                push(added(format!("value `{value}` added")));
            }
            match (had, catch_all) {
                (true, false) => push(breaking(
                    "no longer keeps unknown values".into(),
                    format!("remove the match arms of `{name}`'s catch-all variant"),
                )),
                (false, true) => push(added("now keeps unknown values".into())),
                _ => {}
            }
        }
        (TypeSurface::Union { variants: old }, TypeSurface::Union { variants: new }) => {
            variants(old, new, push);
        }
        (TypeSurface::Alias { target: old }, TypeSurface::Alias { target: new }) if old != new => {
            push(breaking(format!("now `{new}`, was `{old}`"), format!("use `{name}` as a `{new}`")))
        }
        (TypeSurface::Alias { .. }, TypeSurface::Alias { .. }) => {}
        _ => push(breaking(
            format!("changed from {} to {}", kind(before), kind(after)),
            format!("rewrite the code that builds or reads `{name}` for {}", kind(after)),
        )),
    }
}

/// The variants of a `#[non_exhaustive]` enum: a removed (or retyped) one breaks matches on it,
/// an added one does not.
fn variants(old: &[String], new: &[String], push: &mut dyn FnMut(Found)) {
    // `Name(Type)`: the name, and the payload when there is one.
    let name = |variant: &str| variant.split_once('(').map_or(variant, |(name, _)| name).to_owned();
    let payload = |variant: &str| {
        variant.split_once('(').map(|(_, rest)| rest.strip_suffix(')').unwrap_or(rest).to_owned())
    };
    let retyped = |variant: &String, others: &[String]| {
        others.iter().find(|other| *other != variant && name(other) == name(variant)).cloned()
    };
    for variant in old.iter().filter(|v| !new.contains(v)) {
        match retyped(variant, new) {
            Some(now) => push(breaking(
                format!(
                    "variant `{}` holds `{}` instead of `{}`",
                    name(variant),
                    payload(&now).unwrap_or_default(),
                    payload(variant).unwrap_or_default()
                ),
                format!("match `{}` on `{}`", name(variant), payload(&now).unwrap_or_default()),
            )),
            None => push(breaking(
                format!("variant `{variant}` removed"),
                format!("remove the match arms of `{variant}`"),
            )),
        }
    }
    for variant in new.iter().filter(|v| !old.contains(v) && retyped(v, old).is_none()) {
        push(added(format!("variant `{variant}` added")));
    }
}

fn kind(surface: &TypeSurface) -> &'static str {
    match surface {
        TypeSurface::Struct { .. } => "a struct",
        TypeSurface::Enum { .. } => "an enum",
        TypeSurface::Union { .. } => "a union",
        TypeSurface::Alias { .. } => "an alias",
    }
}

fn fields(name: &str, old: &[FieldSurface], new: &[FieldSurface], push: &mut dyn FnMut(Found)) {
    for field in old {
        let id = &field.name;
        match new.iter().find(|f| f.name == field.name) {
            None => push(breaking(
                format!("field `{id}` removed"),
                format!("stop reading or setting `{name}::{id}`"),
            )),
            Some(now) => {
                if now.ty != field.ty {
                    push(breaking(
                        format!("field `{id}` is `{}`, was `{}`", now.ty, field.ty),
                        format!("read and set `{name}::{id}` as `{}`", now.ty),
                    ));
                }
                match (field.required, now.required) {
                    (false, true) => push(breaking(
                        format!("field `{id}` is now required: `new` takes it"),
                        format!("pass `{id}` to `{name}::new`"),
                    )),
                    (true, false) => push(breaking(
                        format!("field `{id}` is now optional: `new` no longer takes it"),
                        format!("drop `{id}` from the arguments of `{name}::new` and set the field after"),
                    )),
                    _ => {}
                }
            }
        }
    }
    for field in new.iter().filter(|f| !old.iter().any(|o| o.name == f.name)) {
        if field.required {
            push(breaking(
                format!("required field `{}` added: `new` takes it", field.name),
                format!("pass `{}` to `{name}::new`", field.name),
            ));
        } else {
            push(added(format!("optional field `{}` added", field.name)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::ArgSurface;

    fn field(name: &str, ty: &str, required: bool) -> FieldSurface {
        FieldSurface { name: name.into(), ty: ty.into(), required }
    }

    fn with_type(name: &str, ty: TypeSurface) -> Surface {
        let mut s = Surface::default();
        s.types.insert(name.into(), ty);
        s
    }

    fn strukt(fields: Vec<FieldSurface>) -> TypeSurface {
        TypeSurface::Struct { fields, open: false }
    }

    fn op(args: &[&str], returns: &str) -> OperationSurface {
        OperationSurface {
            operation_id: "getChat".into(),
            http: "GET /chats/{id}".into(),
            args: args.iter().map(|t| ArgSurface { name: "x".into(), ty: (*t).into() }).collect(),
            returns: returns.into(),
            options: None,
            errors: None,
            items: None,
        }
    }

    fn with_op(o: OperationSurface) -> Surface {
        let mut s = Surface::default();
        s.operations.insert("chats.get".into(), o);
        s
    }

    fn impacts(old: &Surface, new: &Surface) -> Vec<Impact> {
        diff(old, new).changes.into_iter().map(|c| c.impact).collect()
    }

    #[test]
    fn a_new_optional_field_is_an_addition() {
        let old = with_type("Chat", strukt(vec![field("id", "Option<String>", false)]));
        let new = with_type(
            "Chat",
            strukt(vec![field("id", "Option<String>", false), field("x", "Option<i64>", false)]),
        );
        assert_eq!(impacts(&old, &new), vec![Impact::Addition]);
        assert_eq!(diff(&old, &new).bump(), Bump::Minor);
    }

    #[test]
    fn a_serde_trait_lost_breaks_and_one_gained_is_an_addition() {
        let both = with_type("Chat", strukt(vec![]));
        let mut received = both.clone();
        received.one_way.insert("Chat".into(), SerdeTrait::Deserialize);
        let report = diff(&both, &received);
        assert_eq!(impacts(&both, &received), vec![Impact::Breaking]);
        assert!(report.to_string().contains("no longer implements `serde::Serialize`"), "{report}");
        assert!(report.changes[0].fix.as_deref().is_some_and(|fix| fix.contains("`serde-both`")), "{report}");
        assert_eq!(impacts(&received, &both), vec![Impact::Addition]);
        // From received only to sent only: one lost, one gained.
        let mut sent = both.clone();
        sent.one_way.insert("Chat".into(), SerdeTrait::Serialize);
        assert_eq!(impacts(&received, &sent), vec![Impact::Breaking, Impact::Addition]);
        // A type removed is one break, not also a lost trait.
        assert_eq!(impacts(&received, &Surface::default()), vec![Impact::Breaking]);
    }

    #[test]
    fn a_new_required_field_breaks_the_constructor() {
        let old = with_type("Req", strukt(vec![]));
        let new = with_type("Req", strukt(vec![field("title", "String", true)]));
        assert_eq!(impacts(&old, &new), vec![Impact::Breaking]);
    }

    #[test]
    fn a_field_that_becomes_optional_changes_its_type_and_breaks() {
        let old = with_type("Req", strukt(vec![field("title", "String", true)]));
        let new = with_type("Req", strukt(vec![field("title", "Option<String>", false)]));
        assert_eq!(impacts(&old, &new), vec![Impact::Breaking, Impact::Breaking]);
    }

    #[test]
    fn removing_anything_breaks() {
        let old = with_type("Chat", strukt(vec![field("id", "Option<String>", false)]));
        assert_eq!(impacts(&old, &with_type("Chat", strukt(vec![]))), vec![Impact::Breaking]);
        assert_eq!(impacts(&old, &Surface::default()), vec![Impact::Breaking]);
        assert_eq!(impacts(&with_op(op(&[], "()")), &Surface::default()), vec![Impact::Breaking]);
        let e = |values: &[&str]| {
            with_type(
                "S",
                TypeSurface::Enum { values: values.iter().map(|v| (*v).into()).collect(), catch_all: true },
            )
        };
        assert_eq!(impacts(&e(&["A", "B"]), &e(&["A"])), vec![Impact::Breaking]);
    }

    #[test]
    fn a_new_enum_value_is_an_addition_because_enums_are_non_exhaustive() {
        let e = |values: &[&str], catch_all| {
            with_type(
                "S",
                TypeSurface::Enum { values: values.iter().map(|v| (*v).into()).collect(), catch_all },
            )
        };
        assert_eq!(impacts(&e(&["A"], true), &e(&["A", "B"], true)), vec![Impact::Addition]);
        assert_eq!(impacts(&e(&["A"], true), &e(&["A"], false)), vec![Impact::Breaking]);
        assert_eq!(impacts(&e(&["A"], false), &e(&["A"], true)), vec![Impact::Addition]);
    }

    #[test]
    fn a_new_parameter_or_a_changed_result_breaks_the_method() {
        let old = with_op(op(&["Uuid"], "Chat"));
        assert_eq!(impacts(&old, &with_op(op(&["Uuid", "Option<&str>"], "Chat"))), vec![Impact::Breaking]);
        assert_eq!(impacts(&old, &with_op(op(&["Uuid"], "Chat2"))), vec![Impact::Breaking]);
        assert_eq!(impacts(&Surface::default(), &old), vec![Impact::Addition]);
        let mut moved = op(&["Uuid"], "Chat");
        moved.http = "GET /v2/chats/{id}".into();
        assert_eq!(impacts(&old, &with_op(moved)), vec![Impact::Compatible]);
    }

    #[test]
    fn optional_parameters_are_added_compatibly_and_removed_or_retyped_with_a_break() {
        use crate::surface::{ArgSurface, OptionsSurface};
        let with_options = |marker: &str, params: &[(&str, &str)]| {
            let mut o = op(&["Uuid"], "Chat");
            o.options = Some(OptionsSurface {
                marker: marker.into(),
                params: params
                    .iter()
                    .map(|(n, t)| ArgSurface { name: (*n).into(), ty: (*t).into() })
                    .collect(),
            });
            with_op(o)
        };
        let plain = with_op(op(&["Uuid"], "Chat"));
        let one = with_options("Get", &[("page", "i64")]);
        let two = with_options("Get", &[("page", "i64"), ("per_page", "i64")]);
        // The first one changes the call's type.
        assert_eq!(impacts(&plain, &one), vec![Impact::Breaking, Impact::Addition]);
        assert_eq!(impacts(&one, &two), vec![Impact::Addition]);
        assert_eq!(impacts(&two, &one), vec![Impact::Breaking]);
        assert_eq!(impacts(&one, &plain), vec![Impact::Breaking, Impact::Breaking]);
        assert_eq!(impacts(&one, &with_options("Get", &[("page", "&str")])), vec![Impact::Breaking]);
        assert_eq!(impacts(&one, &with_options("Get2", &[("page", "i64")])), vec![Impact::Breaking]);
        assert_eq!(impacts(&one, &one), vec![]);
    }

    #[test]
    fn error_enums_grow_compatibly_and_shrink_with_a_break() {
        use crate::surface::ErrorEnumSurface;
        let with_errors = |name: &str, variants: &[&str]| {
            let mut o = op(&["Uuid"], "Chat");
            o.errors = Some(ErrorEnumSurface {
                name: name.into(),
                variants: variants.iter().map(|v| (*v).into()).collect(),
            });
            with_op(o)
        };
        let plain = with_op(op(&["Uuid"], "Chat"));
        let one = with_errors("GetError", &["NotFound(Problem)"]);
        assert_eq!(impacts(&plain, &one), vec![Impact::Addition]);
        assert_eq!(impacts(&one, &plain), vec![Impact::Breaking]);
        let two = with_errors("GetError", &["NotFound(Problem)", "Conflict(Problem)"]);
        assert_eq!(impacts(&one, &two), vec![Impact::Addition]);
        assert_eq!(impacts(&two, &one), vec![Impact::Breaking]);
        let retyped = with_errors("GetError", &["NotFound(String)"]);
        assert_eq!(impacts(&one, &retyped), vec![Impact::Breaking]);
        // A documented status that keeps its variant when its body does not decode: the
        // variant's payload changes, which breaks every match on it.
        let kept = with_errors("GetError", &["NotFound(Result<Problem, crate::Undecoded>)"]);
        let report = diff(&one, &kept);
        assert_eq!(report.changes.iter().map(|c| c.impact).collect::<Vec<_>>(), vec![Impact::Breaking]);
        assert_eq!(
            report.changes[0].what,
            "error enum `GetError`: variant `NotFound` holds `Result<Problem, crate::Undecoded>` instead of `Problem`"
        );
        assert_eq!(impacts(&one, &with_errors("FetchError", &["NotFound(Problem)"])), vec![Impact::Breaking]);
    }

    #[test]
    fn kinds_aliases_unions_and_open_objects() {
        let alias = |t: &str| with_type("A", TypeSurface::Alias { target: t.into() });
        assert_eq!(impacts(&alias("i64"), &alias("String")), vec![Impact::Breaking]);
        assert_eq!(impacts(&alias("i64"), &with_type("A", strukt(vec![]))), vec![Impact::Breaking]);
        let union = |v: &[&str]| {
            with_type("U", TypeSurface::Union { variants: v.iter().map(|x| (*x).into()).collect() })
        };
        assert_eq!(impacts(&union(&["A(A)"]), &union(&["A(A)", "B(B)"])), vec![Impact::Addition]);
        assert_eq!(impacts(&union(&["A(A)", "B(B)"]), &union(&["A(A)"])), vec![Impact::Breaking]);
        let open = |o| with_type("O", TypeSurface::Struct { fields: vec![], open: o });
        assert_eq!(impacts(&open(false), &open(true)), vec![Impact::Addition]);
        assert_eq!(impacts(&open(true), &open(false)), vec![Impact::Breaking]);
    }

    #[test]
    fn versions_follow_cargo_rules() {
        let breaking = Report {
            changes: vec![Change { impact: Impact::Breaking, item: "x".into(), what: "y".into(), fix: None }],
        };
        let addition = Report {
            changes: vec![Change { impact: Impact::Addition, item: "x".into(), what: "y".into(), fix: None }],
        };
        assert_eq!(breaking.next_version("0.1.3"), "0.2.0");
        assert_eq!(breaking.next_version("1.4.2"), "2.0.0");
        assert_eq!(addition.next_version("0.1.3"), "0.1.4");
        assert_eq!(addition.next_version("1.4.2"), "1.5.0");
        assert_eq!(Report { changes: vec![] }.next_version("0.1.0"), "0.1.0");
    }

    #[test]
    fn page_streams_added_removed_or_retyped() {
        let plain = op(&[], "Vec<String>");
        let paged = OperationSurface { items: Some("String".into()), ..op(&[], "Vec<String>") };
        let report = diff(&with_op(plain.clone()), &with_op(paged.clone()));
        assert_eq!(report.bump(), Bump::Minor, "{report}");
        let report = diff(&with_op(paged.clone()), &with_op(plain));
        assert_eq!(report.bump(), Bump::Major, "{report}");
        assert!(report.to_string().contains("`pages()` and `items()` removed"), "{report}");
        let retyped = OperationSurface { items: Some("i64".into()), ..paged.clone() };
        assert_eq!(diff(&with_op(paged), &with_op(retyped)).bump(), Bump::Major);
    }
}
