//! The API's list envelope, shared by every list response.

#![cfg(feature = "page")]

/// One list response: how many records there are in all, and the records it carries.
///
/// Like every response field, both may be absent or `null`; [`Page::records`] and
/// [`Page::into_records`] read an absent list as empty.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Page<T> {
    /// How many records there are in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// The records of this response.
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub records: Option<Vec<T>>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self { total: None, records: None }
    }
}

impl<T> Page<T> {
    /// The records, empty when the server sent none.
    pub fn records(&self) -> &[T] {
        self.records.as_deref().unwrap_or_default()
    }

    /// The records, taken out of the page.
    pub fn into_records(self) -> Vec<T> {
        self.records.unwrap_or_default()
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.into_records().into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn an_absent_list_reads_as_empty() {
        let page: Page<u8> = serde_json::from_str("{}").expect("decodes");
        assert_eq!(page, Page::default());
        assert!(page.records().is_empty());
        let page: Page<u8> = serde_json::from_str(r#"{"total": 2, "records": [1, 2]}"#).expect("decodes");
        assert_eq!(page.total, Some(2));
        assert_eq!(page.into_iter().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(serde_json::to_string(&Page::<u8>::default()).expect("encodes"), "{}");
    }
}
