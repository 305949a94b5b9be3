//! How a list operation's pages follow each other ([`super::Operation::pagination`]).

use serde::Serialize;

use super::TypeRef;

/// How a list operation's pages follow each other ([`Operation::pagination`]). Parameters
/// and properties are wire names; the parameters are optional query parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pagination {
    /// What changes from one page's request to the next.
    pub kind: PaginationKind,
    /// The property of the response object that holds the page's items; `None` when the
    /// response is the list itself.
    pub items: Option<String>,
    /// The items' type.
    pub item: TypeRef,
    /// Whether the spec declared it (`x-sdkwright-pagination`) rather than the generator
    /// detecting it.
    pub declared: bool,
}

/// What changes from one page's request to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PaginationKind {
    /// Parameter `param` takes the response's `next` property; none, or empty, is the end.
    NextCursor {
        /// The cursor parameter.
        param: String,
        /// The property with the next page's cursor.
        next: String,
    },
    /// Parameter `param` takes the last item's `id` while the response's `has_more` is true
    /// (Stripe's `starting_after`).
    AfterLastItem {
        /// The cursor parameter.
        param: String,
        /// The boolean property that says whether more pages follow.
        has_more: String,
        /// The item property whose value is the cursor.
        id: String,
    },
    /// Parameter `param` advances by the number of items received; an empty page, or as many
    /// items as `total` says, is the end.
    Offset {
        /// The offset parameter.
        param: String,
        /// The property with the number of items in all.
        total: Option<String>,
    },
    /// Parameter `param` counts pages up from `first`; the end as for `Offset`.
    PageNumber {
        /// The page-number parameter.
        param: String,
        /// The number of the first page.
        first: i64,
        /// The property with the number of items in all.
        total: Option<String>,
    },
    /// The `Link` response header's `rel="next"` URL, until there is none (GitHub).
    Link,
}
