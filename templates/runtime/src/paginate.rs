//! Following a list operation's pages to the end: a [`Pages`] stream of the pages and an
//! [`Items`] stream of their items.
//!
//! The generator decides, per operation, how one page leads to the next (a [`Rule`]): a cursor
//! read from the page, an offset or a page number that advances, or the `Link` header's
//! `rel="next"` URL. Each page is a call of its own, with the call's timeout, retries and
//! headers; nothing is fetched before the stream is read, and dropping the stream stops it.

#![cfg(feature = "paginate")]

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::{Error, Result};
use crate::request::{Call, Response};

/// How an operation's pages follow each other; `T` is the page's type.
pub(crate) enum Rule<T> {
    /// Query parameter `param` takes the value `next` reads from the page; no value (or an
    /// empty one) is the end.
    Cursor { param: &'static str, next: fn(&T) -> Option<String> },
    /// Query parameter `param` advances by the items received, from the call's own value
    /// (0 when unset); an empty page, or as many items as `total` says there are, is the end.
    Offset { param: &'static str, count: fn(&T) -> usize, total: fn(&T) -> Option<i64> },
    /// Query parameter `param` counts pages up from the call's own value (`first` when unset);
    /// the end as for [`Rule::Offset`].
    PageNumber { param: &'static str, first: i64, count: fn(&T) -> usize, total: fn(&T) -> Option<i64> },
    /// The `Link` response header's `rel="next"` URL; no such link is the end.
    Link,
}

impl<T> Clone for Rule<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Rule<T> {}

/// What the next request changes, decided from the page just received.
enum Next {
    /// The call as it was built.
    First,
    /// The query parameter takes this value.
    Query(&'static str, String),
    /// The URL the server named: a path below the base URL and its query.
    Url(String, Vec<(String, String)>),
    /// The page before was the last one read: the stream yields this error next.
    Fail(String),
    /// No more pages.
    End,
}

type PageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<Response<T>>> + Send + 'a>>;

/// The pages of a list operation, fetched one at a time as the stream is read: a
/// [`Stream`] of `Result<T>`, or [`Pages::next`] without a stream library.
///
/// The stream ends after the last page, after an error (which it yields first), or after
/// [`Pages::max_pages`] pages (with an error saying so, so that a listing is never cut short
/// silently). A server that sends a cursor it sent before also ends it with an error.
#[must_use = "a stream does nothing until it is read"]
pub struct Pages<'a, T, O = ()> {
    template: Call<'a, T, O>,
    rule: Rule<T>,
    next: Next,
    fetched: u32,
    max_pages: u32,
    items_seen: u64,
    cursors: HashSet<String>,
    in_flight: Option<PageFuture<'a, T>>,
}

impl<T, O> fmt::Debug for Pages<'_, T, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &self.template.operation().id)
            .field("fetched", &self.fetched)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Send + 'a, O: 'a> Pages<'a, T, O> {
    /// How many pages a stream fetches at most unless [`Pages::max_pages`] says otherwise.
    pub const DEFAULT_MAX_PAGES: u32 = 1_000;

    pub(crate) fn new(template: Call<'a, T, O>, rule: Rule<T>) -> Self {
        Self {
            template,
            rule,
            next: Next::First,
            fetched: 0,
            max_pages: Self::DEFAULT_MAX_PAGES,
            items_seen: 0,
            cursors: HashSet::new(),
            in_flight: None,
        }
    }

    /// Fetches at most `pages` pages; reading past them yields an error. The default is
    /// [`Pages::DEFAULT_MAX_PAGES`].
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages;
        self
    }

    /// The next page, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// A stream of the items of every page, in order; `take` takes a page's items out of it.
    pub(crate) fn items<I>(self, take: fn(T) -> Vec<I>) -> Items<'a, T, I, O> {
        Items { pages: self, take, buffered: VecDeque::new() }
    }

    fn fail(&mut self, message: String) -> Error {
        self.next = Next::End;
        Error::Request { operation: self.template.operation(), message }
    }

    /// The request for the next page, or why there is none.
    fn start(&mut self) -> Option<Result<PageFuture<'a, T>>> {
        let next = match std::mem::replace(&mut self.next, Next::End) {
            Next::End => return None,
            Next::Fail(message) => return Some(Err(self.fail(message))),
            next => next,
        };
        if self.fetched >= self.max_pages {
            let message = format!(
                "stopped after {} pages, the most this stream fetches (`Pages::max_pages`); there are more",
                self.max_pages
            );
            return Some(Err(self.fail(message)));
        }
        let Some(call) = self.template.try_clone() else {
            let message = "a call with a multipart or streamed body cannot be repeated for the next page";
            return Some(Err(self.fail(message.to_owned())));
        };
        let call = match next {
            // The first page's number is sent, so that the numbers that follow count from it
            // whatever the server's default is.
            Next::First => match self.rule {
                Rule::PageNumber { param, first, .. } if self.start_value(param).is_none() => {
                    call.with_request(|r| r.set_query(param, first.to_string()))
                }
                _ => call,
            },
            Next::End | Next::Fail(_) => call,
            Next::Query(param, value) => call.with_request(|r| r.set_query(param, value)),
            Next::Url(path, query) => call.with_request(|r| r.set_target(path, query)),
        };
        self.fetched += 1;
        Some(Ok(Box::pin(call.with_response().into_future())))
    }

    /// Decides the request after `page`, with its response headers. A problem with the next
    /// request (a repeated cursor, a link elsewhere) is yielded after this page.
    fn advance(&mut self, page: &T, headers: &reqwest::header::HeaderMap) {
        let decided = match self.rule {
            Rule::Cursor { param, next } => match next(page).filter(|cursor| !cursor.is_empty()) {
                None => Ok(Next::End),
                Some(cursor) if self.cursors.insert(cursor.clone()) => Ok(Next::Query(param, cursor)),
                Some(cursor) => {
                    Err(format!("the server sent the cursor `{cursor}` twice; the pages would never end"))
                }
            },
            Rule::Offset { param, count, total } => {
                let start = self.start_value(param).unwrap_or(0);
                Ok(match self.counted(page, count, total, Some(start)) {
                    true => Next::End,
                    false => {
                        let offset = start.saturating_add(i64::try_from(self.items_seen).unwrap_or(i64::MAX));
                        Next::Query(param, offset.to_string())
                    }
                })
            }
            Rule::PageNumber { param, first, count, total } => {
                let start = self.start_value(param).unwrap_or(first);
                // Started at a later page, the items before it are not known: `total` is not
                // compared.
                let before = (start == first).then_some(0);
                Ok(match self.counted(page, count, total, before) {
                    true => Next::End,
                    false => Next::Query(param, start.saturating_add(i64::from(self.fetched)).to_string()),
                })
            }
            Rule::Link => match next_link(headers) {
                None => Ok(Next::End),
                Some(url) => {
                    let base = self.template.client_base_url();
                    match below(base, &url) {
                        Some((path, query)) if self.cursors.insert(url.clone()) => Ok(Next::Url(path, query)),
                        Some(_) => Err(format!(
                            "the server sent the next-page link `{url}` twice; the pages would never end"
                        )),
                        None => Err(format!(
                            "the next-page link `{url}` is not below the base URL `{base}`; it is not followed, so that \
                             the credentials go nowhere else"
                        )),
                    }
                }
            },
        };
        self.next = decided.unwrap_or_else(Next::Fail);
    }

    /// Counts `page`'s items; whether they were the last: an empty page, or `total` reached
    /// with the `before` items that precede the walk's first page, when known.
    fn counted(
        &mut self,
        page: &T,
        count: fn(&T) -> usize,
        total: fn(&T) -> Option<i64>,
        before: Option<i64>,
    ) -> bool {
        let received = count(page);
        self.items_seen = self.items_seen.saturating_add(received as u64);
        let seen = i64::try_from(self.items_seen).unwrap_or(i64::MAX);
        let reached = |total: i64| before.is_some_and(|before| before.saturating_add(seen) >= total);
        received == 0 || total(page).is_some_and(reached)
    }

    /// The number the call itself set `param` to.
    fn start_value(&self, param: &str) -> Option<i64> {
        self.template.query_value(param).and_then(|value| value.parse().ok())
    }
}

impl<'a, T: Send + 'a, O: 'a> Stream for Pages<'a, T, O> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is `Unpin` (the page future is boxed), so the stream is too.
        let this = self.get_mut();
        loop {
            if let Some(in_flight) = this.in_flight.as_mut() {
                let outcome = std::task::ready!(in_flight.as_mut().poll(cx));
                this.in_flight = None;
                return Poll::Ready(Some(match outcome {
                    Ok(response) => {
                        let headers = response.headers().clone();
                        let page = response.into_value();
                        this.advance(&page, &headers);
                        Ok(page)
                    }
                    Err(error) => {
                        this.next = Next::End;
                        Err(error)
                    }
                }));
            }
            match this.start() {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(future)) => this.in_flight = Some(future),
            }
        }
    }
}

impl<T, O> Unpin for Pages<'_, T, O> {}

/// The items of every page of a list operation, in order, fetched a page at a time as the
/// stream is read: a [`Stream`] of `Result<I>`, or [`Items::next`] without a stream library.
/// It ends as [`Pages`] does; [`Items::max_pages`] bounds it the same way.
#[must_use = "a stream does nothing until it is read"]
pub struct Items<'a, T, I, O = ()> {
    pages: Pages<'a, T, O>,
    take: fn(T) -> Vec<I>,
    buffered: VecDeque<I>,
}

impl<T, I, O> fmt::Debug for Items<'_, T, I, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.buffered.len()).finish()
    }
}

impl<'a, T: Send + 'a, I, O: 'a> Items<'a, T, I, O> {
    /// Fetches at most `pages` pages (see [`Pages::max_pages`]).
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.pages = self.pages.max_pages(pages);
        self
    }

    /// The next item, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<I>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item of every page, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<I>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<'a, T: Send + 'a, I, O: 'a> Stream for Items<'a, T, I, O> {
    type Item = Result<I>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match std::task::ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(page)) => this.buffered.extend((this.take)(page)),
            }
        }
    }
}

impl<T, I, O> Unpin for Items<'_, T, I, O> {}

/// The `rel="next"` URL of a `Link` header (RFC 8288): `<url>; rel="next", <url>; rel="last"`.
fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(mut rest) = value.to_str() else { continue };
        while let Some(after) = rest.trim_start_matches([' ', '\t', ',']).strip_prefix('<') {
            let Some(close) = after.find('>') else { break };
            let url = &after[..close];
            rest = &after[close + 1..];
            // The link's parameters run to the next comma outside a quoted string.
            let mut quoted = false;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    quoted ^= c == '"';
                    c == ',' && !quoted
                })
                .map_or(rest.len(), |(at, _)| at);
            let is_next = rest[..end].split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else { return false };
                name.trim().eq_ignore_ascii_case("rel")
                    && value.trim().trim_matches('"').split_ascii_whitespace().any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            if is_next {
                return Some(url.to_owned());
            }
            rest = &rest[end..];
        }
    }
    None
}

/// `url` as a path below `base` and its decoded query pairs, when it is below `base` (same
/// scheme, host and port, and a path under the base's).
fn below(base: &str, url: &str) -> Option<(String, Vec<(String, String)>)> {
    let base = reqwest::Url::parse(base).ok()?;
    // A relative link is relative to the API's base URL.
    let url = base.join(url).ok()?;
    let same_origin = base.scheme() == url.scheme()
        && base.host_str() == url.host_str()
        && base.port_or_known_default() == url.port_or_known_default();
    let prefix = base.path().trim_end_matches('/');
    let path = url.path().strip_prefix(prefix).filter(|rest| rest.is_empty() || rest.starts_with('/'))?;
    if !same_origin {
        return None;
    }
    let query = url.query_pairs().map(|(name, value)| (name.into_owned(), value.into_owned())).collect();
    Some((path.to_owned(), query))
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderMap, HeaderValue, LINK};

    use super::{below, next_link};

    fn link(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LINK, HeaderValue::from_str(value).expect("header"));
        headers
    }

    #[test]
    fn the_next_link_is_found_among_others() {
        let github = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(
            next_link(&link(github)).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        let reordered = r#"<https://x.test/a?page=1>; rel="prev",<https://x.test/a?page=3>; rel="next""#;
        assert_eq!(next_link(&link(reordered)).as_deref(), Some("https://x.test/a?page=3"));
        assert_eq!(
            next_link(&link(r#"<https://x.test/a?p=2,3>; title="a, <b>"; rel="next last""#)).as_deref(),
            Some("https://x.test/a?p=2,3")
        );
        assert_eq!(next_link(&link(r#"<https://x.test/a?page=1>; rel="prev""#)), None);
        assert_eq!(next_link(&link("garbage <unclosed")), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn only_links_below_the_base_url_are_followed() {
        let base = "https://api.test/v1";
        assert_eq!(
            below(base, "https://api.test/v1/items?page=2&q=a%20b"),
            Some((
                "/items".to_owned(),
                vec![("page".to_owned(), "2".to_owned()), ("q".to_owned(), "a b".to_owned())]
            ))
        );
        assert_eq!(below(base, "https://api.test:443/v1/items").map(|(p, _)| p).as_deref(), Some("/items"));
        assert_eq!(below(base, "https://evil.test/v1/items"), None);
        assert_eq!(below(base, "http://api.test/v1/items"), None);
        assert_eq!(below(base, "https://api.test:8443/v1/items"), None);
        assert_eq!(below(base, "https://api.test/v10/items"), None);
        assert_eq!(below(base, "https://api.test/other"), None);
        assert_eq!(below(base, "not a url"), None);
    }
}
