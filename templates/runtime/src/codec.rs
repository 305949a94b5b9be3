//! Turning values into parameter text and response bodies into types.

/// The text forms of a parameter value: none for `None`, one for a scalar, one per item for a
/// list. Strings go as they are, numbers and booleans as JSON writes them, dates as RFC 3339.
#[cfg(any(feature = "path_params", feature = "headers", feature = "cookies", feature = "multipart"))]
pub(crate) fn param_values<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<String>, String> {
    let json = serde_json::to_value(value).map_err(|e| e.to_string())?;
    match json {
        serde_json::Value::Null => Ok(Vec::new()),
        serde_json::Value::Array(items) => Ok(items.into_iter().map(scalar_text).collect()),
        other => Ok(vec![scalar_text(other)]),
    }
}

/// The text of one value: strings as they are, `null` empty, anything else as JSON writes it.
#[cfg(any(feature = "params", feature = "multipart", feature = "form"))]
fn scalar_text(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// How a query parameter is written (OpenAPI `style` and `explode`, or JSON `content`); only
/// the styles the API uses are here.
#[cfg(feature = "query")]
#[derive(Debug, Clone, Copy)]
pub(crate) enum QueryStyle {
    /// `form`, exploded: `name=a&name=b`, an object's properties as parameters.
    #[cfg(feature = "query_form")]
    Form,
    /// `form`, not exploded: `name=a,b`, `name=k1,v1,k2,v2`.
    #[cfg(feature = "query_compact")]
    FormCompact,
    /// `spaceDelimited`: `name=a b`.
    #[cfg(feature = "query_space")]
    SpaceDelimited,
    /// `pipeDelimited`: `name=a|b`.
    #[cfg(feature = "query_pipe")]
    PipeDelimited,
    /// `deepObject`: `name[k1]=v1&name[k2]=v2`.
    #[cfg(feature = "query_deep")]
    DeepObject,
    /// The value as JSON text.
    #[cfg(feature = "query_json")]
    Json,
}

/// The query pairs of one parameter value in a style; `None` gives none.
#[cfg(feature = "query")]
pub(crate) fn query_pairs<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: QueryStyle,
) -> Result<Vec<(String, String)>, String> {
    let json = serde_json::to_value(value).map_err(|e| e.to_string())?;
    #[cfg(any(feature = "query_json", feature = "query_delimited"))]
    let one = |text: String| vec![(name.to_owned(), text)];
    Ok(match (json, style) {
        (serde_json::Value::Null, _) => Vec::new(),
        #[cfg(feature = "query_json")]
        (json, QueryStyle::Json) => one(json.to_string()),
        #[cfg(feature = "query_deep")]
        (serde_json::Value::Object(fields), QueryStyle::DeepObject) => {
            fields.into_iter().flat_map(|(key, value)| spread(format!("{name}[{key}]"), value)).collect()
        }
        #[cfg(feature = "query_delimited")]
        (serde_json::Value::Array(items), style) if separator(style).is_some() => {
            let separator = separator(style).unwrap_or(",");
            one(items.into_iter().map(scalar_text).collect::<Vec<_>>().join(separator))
        }
        #[cfg(feature = "query_delimited")]
        (serde_json::Value::Object(fields), style) if separator(style).is_some() => {
            let separator = separator(style).unwrap_or(",");
            let mut flat = Vec::new();
            for (key, value) in fields.into_iter().filter(|(_, value)| !value.is_null()) {
                flat.push(key);
                flat.push(scalar_text(value));
            }
            one(flat.join(separator))
        }
        #[cfg(feature = "query_form")]
        (serde_json::Value::Object(fields), _) => fields.into_iter().flat_map(|(key, value)| spread(key, value)).collect(),
        (value, _) => spread(name.to_owned(), value),
    })
}

/// One pair per item of a list, one for a scalar, none for `null`.
#[cfg(feature = "query")]
fn spread(name: String, value: serde_json::Value) -> Vec<(String, String)> {
    let items = match value {
        serde_json::Value::Null => Vec::new(),
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    items.into_iter().map(|item| (name.clone(), scalar_text(item))).collect()
}

/// What joins the items of a delimited style; `None` for the other styles.
#[cfg(feature = "query_delimited")]
fn separator(style: QueryStyle) -> Option<&'static str> {
    match style {
        #[cfg(feature = "query_compact")]
        QueryStyle::FormCompact => Some(","),
        #[cfg(feature = "query_space")]
        QueryStyle::SpaceDelimited => Some(" "),
        #[cfg(feature = "query_pipe")]
        QueryStyle::PipeDelimited => Some("|"),
        #[cfg(feature = "query_undelimited")]
        _ => None,
    }
}

/// Encodes one variant of a tagged union: the variant's own fields, with the tag property set
/// to the variant's value. Emitted when a tagged union is sent, or (`serde-both`) for any.
#[cfg(all(feature = "tagged_unions", any(feature = "tagged_unions_sent", feature = "serde-both")))]
pub(crate) fn serialize_tagged<S: serde::Serializer, T: serde::Serialize>(
    serializer: S,
    tag: &str,
    value: &str,
    variant: &T,
) -> Result<S::Ok, S::Error> {
    use serde::Serialize as _;
    use serde::ser::Error as _;

    let mut json = serde_json::to_value(variant).map_err(S::Error::custom)?;
    if let serde_json::Value::Object(fields) = &mut json {
        fields.insert(tag.to_owned(), serde_json::Value::String(value.to_owned()));
    }
    json.serialize(serializer)
}

/// Reads a tagged union's JSON and the value of its tag property, when it has one. Emitted when
/// a tagged union is received, or (`serde-both`) for any.
#[cfg(all(feature = "tagged_unions", any(feature = "tagged_unions_received", feature = "serde-both")))]
pub(crate) fn read_tagged<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    tag: &str,
) -> Result<(Option<String>, serde_json::Value), D::Error> {
    use serde::Deserialize as _;
    use serde::de::Error as _;

    let value = serde_json::Value::deserialize(deserializer)?;
    match value.get(tag) {
        Some(serde_json::Value::String(found)) => Ok((Some(found.clone()), value)),
        Some(_) => Err(D::Error::custom(format!("`{tag}` must be a string"))),
        None => Ok((None, value)),
    }
}

/// The error for a tagged union's JSON without the tag property.
#[cfg(all(feature = "tag_required", any(feature = "tag_required_received", feature = "serde-both")))]
pub(crate) fn missing_tag<E: serde::de::Error>(tag: &str) -> E {
    E::custom(format!("missing field `{tag}`, which says which variant this is"))
}

/// Decodes the variant a tag chose from the whole object (tag included), naming the path of a
/// value that does not fit.
#[cfg(all(feature = "tagged_unions", any(feature = "tagged_unions_received", feature = "serde-both")))]
pub(crate) fn tagged_variant<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|error| E::custom(format!("{} (at `{}`)", error.inner(), error.path())))
}

/// Encodes a value as `application/x-www-form-urlencoded`: it must serialize to an object;
/// each property is a field, a list repeats its field, `None` fields are left out, and nested
/// objects go as JSON text.
#[cfg(feature = "form")]
pub(crate) fn form_body<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let serde_json::Value::Object(fields) = serde_json::to_value(value).map_err(|e| e.to_string())? else {
        return Err("a form body must be an object".to_owned());
    };
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        let values = match value {
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for value in values {
            form.append_pair(&name, &scalar_text(value));
        }
    }
    Ok(form.finish())
}

/// Decodes a text body; it must be UTF-8.
#[cfg(feature = "text_response")]
pub(crate) fn decode_text(
    operation: &'static crate::Operation,
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: bytes::Bytes,
) -> crate::Result<String> {
    use crate::error::{DecodeError, Error};

    String::from_utf8(body.to_vec()).map_err(|error| {
        let source = <serde_json::Error as serde::de::Error>::custom(format!("the body is not UTF-8: {error}"));
        let (headers, path, body) = (headers.clone(), ".".to_owned(), body.to_vec());
        Error::Decode(Box::new(DecodeError { operation, status, headers, path, source, body, attempts: 1, request_ids: Vec::new() }))
    })
}

/// Decodes a JSON body, naming the JSON path of the first value that does not fit.
#[cfg(feature = "json_response")]
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(
    operation: &'static crate::Operation,
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: bytes::Bytes,
) -> crate::Result<T> {
    use crate::error::{DecodeError, Error};

    // Tracking the path costs time on every value: only a body that fails is decoded again
    // with it, to say where.
    if let Ok(value) = serde_json::from_slice(&body) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(&body);
    let decoded = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => deserializer.end().map(|()| value).map_err(|source| (".".to_owned(), source)),
        Err(error) => Err((error.path().to_string(), error.into_inner())),
    };
    decoded.map_err(|(path, source)| {
        let headers = headers.clone();
        let body = body.to_vec();
        Error::Decode(Box::new(DecodeError { operation, status, headers, path, source, body, attempts: 1, request_ids: Vec::new() }))
    })
}

/// Deserializes a string enum that keeps unknown values, without copying known ones.
#[cfg(feature = "string_enums")]
pub(crate) fn deserialize_str_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct StrVisitor<T>(std::marker::PhantomData<T>);
    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for StrVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }
    }
    deserializer.deserialize_str(StrVisitor(std::marker::PhantomData))
}

/// Deserializes an integer enum that keeps unknown values.
#[cfg(feature = "int_enums")]
pub(crate) fn deserialize_int_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: From<i64>,
{
    struct IntVisitor<T>(std::marker::PhantomData<T>);
    impl<T: From<i64>> serde::de::Visitor<'_> for IntVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an integer")
        }
        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<T, E> {
            Ok(T::from(value))
        }
        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<T, E> {
            i64::try_from(value)
                .map(T::from)
                .map_err(|_| E::custom(format!("integer {value} is out of range")))
        }
    }
    deserializer.deserialize_i64(IntVisitor(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(value: serde_json::Value, style: QueryStyle) -> Vec<(String, String)> {
        query_pairs("p", &value, style).expect("serializes")
    }

    fn pair(name: &str, value: &str) -> (String, String) {
        (name.to_owned(), value.to_owned())
    }

    #[test]
    fn param_values_are_text_per_item() {
        assert_eq!(param_values(&Option::<u8>::None), Ok(Vec::new()));
        assert_eq!(param_values("a b"), Ok(vec!["a b".to_owned()]));
        assert_eq!(param_values(&[1.5, 2.0]), Ok(vec!["1.5".to_owned(), "2.0".to_owned()]));
        assert_eq!(param_values(&true), Ok(vec!["true".to_owned()]));
    }

    #[test]
    fn form_style_repeats_lists_and_spreads_objects() {
        assert_eq!(pairs(serde_json::json!(["a", "b"]), QueryStyle::Form), [pair("p", "a"), pair("p", "b")]);
        assert_eq!(pairs(serde_json::json!({"k": 1, "l": null}), QueryStyle::Form), [pair("k", "1")]);
        assert_eq!(pairs(serde_json::Value::Null, QueryStyle::Form), []);
    }

    #[test]
    fn delimited_styles_join_with_their_separator() {
        assert_eq!(pairs(serde_json::json!(["a", "b"]), QueryStyle::FormCompact), [pair("p", "a,b")]);
        assert_eq!(pairs(serde_json::json!(["a", "b"]), QueryStyle::SpaceDelimited), [pair("p", "a b")]);
        assert_eq!(pairs(serde_json::json!(["a", "b"]), QueryStyle::PipeDelimited), [pair("p", "a|b")]);
        assert_eq!(
            pairs(serde_json::json!({"k1": "v1", "k2": null, "k3": 3}), QueryStyle::FormCompact),
            [pair("p", "k1,v1,k3,3")]
        );
        assert_eq!(pairs(serde_json::json!("one"), QueryStyle::PipeDelimited), [pair("p", "one")]);
    }

    #[test]
    fn deep_object_and_json() {
        assert_eq!(
            pairs(serde_json::json!({"a": 1, "b": ["x", "y"]}), QueryStyle::DeepObject),
            [pair("p[a]", "1"), pair("p[b]", "x"), pair("p[b]", "y")]
        );
        assert_eq!(pairs(serde_json::json!({"a": [1]}), QueryStyle::Json), [pair("p", r#"{"a":[1]}"#)]);
        assert_eq!(pairs(serde_json::Value::Null, QueryStyle::Json), []);
    }

    #[test]
    fn form_bodies_encode_objects_only() {
        let body = serde_json::json!({"a": "x y", "b": [1, 2], "c": null, "d": {"e": true}});
        assert_eq!(form_body(&body), Ok("a=x+y&b=1&b=2&d=%7B%22e%22%3Atrue%7D".to_owned()));
        assert!(form_body(&[1]).is_err());
    }

    #[test]
    fn tagged_unions_write_and_read_their_tag() {
        #[derive(serde::Serialize)]
        struct Cat {
            lives: u8,
        }
        let mut out = Vec::new();
        serialize_tagged(&mut serde_json::Serializer::new(&mut out), "kind", "cat", &Cat { lives: 9 })
            .expect("serializes");
        // Compared as values: key order depends on serde_json's `preserve_order`, which feature
        // unification may turn on.
        let written: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
        assert_eq!(written, serde_json::json!({"kind": "cat", "lives": 9}));
        let (tag, _) = read_tagged(serde_json::json!({"kind": "cat"}), "kind").expect("reads");
        assert_eq!(tag.as_deref(), Some("cat"));
        assert!(read_tagged(serde_json::json!({"kind": 1}), "kind").is_err());
        let (tag, _) = read_tagged(serde_json::json!({}), "kind").expect("reads");
        assert_eq!(tag, None);
    }

    #[derive(Debug, PartialEq)]
    struct Kept(String);

    impl From<&str> for Kept {
        fn from(value: &str) -> Self {
            Self(value.to_owned())
        }
    }

    #[derive(Debug, PartialEq)]
    struct Number(i64);

    impl From<i64> for Number {
        fn from(value: i64) -> Self {
            Self(value)
        }
    }

    #[test]
    fn enums_that_keep_unknown_values() {
        let kept: Kept = deserialize_str_enum(serde_json::json!("new")).expect("a string");
        assert_eq!(kept, Kept("new".to_owned()));
        let number: Number = deserialize_int_enum(serde_json::json!(7)).expect("an integer");
        assert_eq!(number, Number(7));
        assert!(deserialize_int_enum::<_, Number>(serde_json::json!(u64::MAX)).is_err());
    }
}
