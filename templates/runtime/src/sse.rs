//! Server-sent events: a `text/event-stream` response read as a stream of [`Event`]s, framed by
//! the `eventsource-stream2` crate (the WHATWG rules: `LF`, `CR` or `CRLF` line ends, comments,
//! `data` lines joined, the last `id` kept), with each event's data decoded into the type the
//! spec documents. Each event is bounded by the client's body limit.

#![cfg(feature = "event_stream")]

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream as _;

use crate::error::{DecodeError, Error, TooLarge, TooLargeError};
use crate::stream::{Chunks, Failed, Opened};

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event's type: the `event` field, `message` when the server sent none.
    pub event: String,
    /// The event's data: its `data` lines joined by line feeds, decoded as the spec's type.
    pub data: T,
    /// The last event id the stream set (`id` fields carry over to later events), empty when none.
    pub id: String,
    /// The reconnection time the server asked for with this event (`retry`), if it did.
    pub retry: Option<Duration>,
}

/// Why an event's data is not the documented type.
pub(crate) enum DataError {
    /// The data is not JSON of the type: the path of the value that failed, serde's error, and
    /// the data.
    #[cfg(feature = "event_json")]
    Json(String, serde_json::Error, String),
}

/// Decodes one event's data.
pub(crate) type DecodeData<T> = fn(String) -> Result<T, DataError>;

/// A `text/event-stream` response, read as it arrives: a [`futures_core::Stream`] of
/// [`Event`]s ([`EventStream::next_event`] reads one without a futures crate).
///
/// - An event whose data does not decode as the documented type is an
///   [`Error::Event`](crate::Error) item naming the event, its id and the path that failed;
///   the stream goes on with the next event, so one bad event does not end a feed.
/// - An event (or a line) longer than the client's body limit
///   ([`crate::ClientBuilder::max_body_size`]) is an [`Error::TooLarge`] item, a stream that is
///   not UTF-8 an [`Error::Decode`] item, and a connection that breaks an
///   [`Error::Transport`] item; after any of these the stream ends.
/// - When the body ends in the middle of an event (no blank line after it), that event is
///   dropped, as the standard says, and the stream ends without an error.
///
/// The call's deadline ([`crate::ClientBuilder::timeout`], [`crate::Call::timeout`]) covers the
/// whole stream; for a stream that should stay open, give the call a longer timeout
/// (`Duration::MAX` for none). The SDK does not reconnect: a caller that wants to resumes with
/// the last [`Event::id`] (the `Last-Event-ID` header, where the operation takes one).
pub struct EventStream<T> {
    events: Pin<Box<eventsource_stream2::EventStream<Bounded>>>,
    decode: DecodeData<T>,
    failed: Failed,
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    limit: u64,
    done: bool,
}

impl<T> EventStream<T> {
    fn open(opened: Opened, decode: DecodeData<T>) -> Self {
        let status = opened.response.status();
        let headers = opened.response.headers().clone();
        let limit = opened.limit;
        let (chunks, failed) = opened.chunks();
        let bounded = Bounded { chunks, limit, event: 0, line_empty: true, after_cr: false };
        Self {
            events: Box::pin(eventsource_stream2::EventStream::new(bounded)),
            decode,
            failed,
            status,
            headers,
            limit,
            done: false,
        }
    }

    /// The next event; `None` at the end of the stream.
    pub async fn next_event(&mut self) -> Option<crate::Result<Event<T>>> {
        std::future::poll_fn(|cx| self.poll_event(cx)).await
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<crate::Result<Event<T>>>> {
        if self.done {
            return Poll::Ready(None);
        }
        let raw = match self.events.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => {
                self.done = true;
                return Poll::Ready(None);
            }
            Poll::Ready(Some(Ok(raw))) => raw,
            Poll::Ready(Some(Err(error))) => {
                self.done = true;
                return Poll::Ready(Some(Err(self.framing_error(error))));
            }
        };
        match (self.decode)(raw.data) {
            Ok(data) => Poll::Ready(Some(Ok(Event { event: raw.event, data, id: raw.id, retry: raw.retry }))),
            Err(error) => Poll::Ready(Some(Err(self.data_error(error, raw.event, raw.id)))),
        }
    }

    /// The error item for the event `event` (id `id`) whose data did not decode.
    // Without a schema for any stream's data, decoding cannot fail and `DataError` has no value.
    #[cfg_attr(not(feature = "event_json"), allow(unused_variables))]
    fn data_error(&self, error: DataError, event: String, id: String) -> Error {
        match error {
            #[cfg(feature = "event_json")]
            DataError::Json(path, source, data) => Error::Event(Box::new(crate::error::EventError {
                operation: self.failed.operation,
                status: self.status,
                event,
                id,
                path,
                data,
                source,
                attempts: self.failed.attempts,
                request_ids: self.failed.request_ids.clone(),
            })),
        }
    }

    fn framing_error(&self, error: eventsource_stream2::EventStreamError<Failure>) -> Error {
        if let Some(utf8) = error.as_utf8() {
            let source = <serde_json::Error as serde::de::Error>::custom(format!("the event stream is not UTF-8: {utf8}"));
            return Error::Decode(Box::new(DecodeError {
                operation: self.failed.operation,
                status: self.status,
                headers: self.headers.clone(),
                path: ".".to_owned(),
                source,
                body: Vec::new(),
                attempts: self.failed.attempts,
                request_ids: self.failed.request_ids.clone(),
            }));
        }
        match error.into_transport() {
            Some(Failure::Transport(source)) => self.failed.transport(source),
            Some(Failure::TooLarge) | None => Error::TooLarge(Box::new(TooLargeError {
                operation: self.failed.operation,
                status: self.status,
                headers: self.headers.clone(),
                limit: self.limit,
                what: TooLarge::Event,
                attempts: self.failed.attempts,
                request_ids: self.failed.request_ids.clone(),
            })),
        }
    }
}

impl<T> futures_core::Stream for EventStream<T> {
    type Item = crate::Result<Event<T>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_event(cx)
    }
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").field("operation", &self.failed.operation.id).finish_non_exhaustive()
    }
}

/// Why the byte stream under the framing stopped.
#[derive(Debug)]
enum Failure {
    Transport(reqwest::Error),
    /// An event grew past the limit.
    TooLarge,
}

/// The body's chunks, refused once the event being read grows past the limit, so that neither
/// a line without an end nor an event without a blank line makes the framing buffer grow
/// without bound. Only the bytes since the last blank line count (comment lines included).
struct Bounded {
    chunks: Chunks,
    limit: u64,
    /// Bytes of the event being read.
    event: u64,
    /// Whether the line being read is empty so far.
    line_empty: bool,
    /// Whether the last byte was a CR, so that an LF after it ends no other line.
    after_cr: bool,
}

impl Bounded {
    /// Counts `chunk` into the event being read; `false` when that makes it too long.
    fn admit(&mut self, chunk: &[u8]) -> bool {
        for &byte in chunk {
            let after_cr = std::mem::replace(&mut self.after_cr, byte == b'\r');
            match byte {
                b'\n' if after_cr => {}
                b'\n' | b'\r' => {
                    if self.line_empty {
                        self.event = 0;
                    }
                    self.line_empty = true;
                }
                _ => {
                    self.line_empty = false;
                    self.event += 1;
                    if self.event > self.limit {
                        return false;
                    }
                }
            }
        }
        true
    }
}

impl futures_core::Stream for Bounded {
    type Item = Result<bytes::Bytes, Failure>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.chunks.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) if self.admit(&chunk) => Poll::Ready(Some(Ok(chunk))),
            Poll::Ready(Some(Ok(_))) => Poll::Ready(Some(Err(Failure::TooLarge))),
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(Failure::Transport(error)))),
            Poll::Ready(None) => {
                if self.event > 0 {
                    tracing::debug!("the event stream ended in the middle of an event, which is dropped");
                }
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// The data of an event as it came.
fn text_data(data: String) -> Result<String, DataError> {
    Ok(data)
}

/// The data of an event as JSON of `T`, naming the path of the first value that does not fit.
#[cfg(feature = "event_json")]
fn json_data<T: serde::de::DeserializeOwned>(data: String) -> Result<T, DataError> {
    let mut deserializer = serde_json::Deserializer::from_str(&data);
    match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => match deserializer.end() {
            Ok(()) => Ok(value),
            Err(source) => Err(DataError::Json(".".to_owned(), source, data)),
        },
        Err(error) => {
            let path = error.path().to_string();
            Err(DataError::Json(path, error.into_inner(), data))
        }
    }
}

impl<'a> crate::request::Request<'a> {
    /// Finishes the request: the answer is an event stream whose data is text.
    pub(crate) fn event_response<O>(self) -> crate::Call<'a, EventStream<String>, O> {
        self.streamed_response("text/event-stream", |opened| Ok(EventStream::open(opened, text_data)))
    }

    /// Finishes the request: the answer is an event stream whose data is JSON of `T`.
    #[cfg(feature = "event_json")]
    pub(crate) fn json_event_response<T: serde::de::DeserializeOwned + Send + 'static, O>(
        self,
    ) -> crate::Call<'a, EventStream<T>, O> {
        self.streamed_response("text/event-stream", |opened| Ok(EventStream::open(opened, json_data::<T>)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounded(limit: u64) -> Bounded {
        let chunks: Chunks = Box::pin(Empty);
        Bounded { chunks, limit, event: 0, line_empty: true, after_cr: false }
    }

    struct Empty;

    impl futures_core::Stream for Empty {
        type Item = reqwest::Result<bytes::Bytes>;
        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(None)
        }
    }

    #[test]
    fn an_event_counts_until_a_blank_line_whatever_the_line_ends() {
        let mut bounded = bounded(10);
        assert!(bounded.admit(b"data: 12\r\n"));
        assert_eq!(bounded.event, 8);
        // CRLF then CRLF is a blank line: the event ends.
        assert!(bounded.admit(b"\r"));
        assert!(bounded.admit(b"\n"));
        assert_eq!(bounded.event, 0);
        assert!(bounded.admit(b"data: 1\n\n"));
        assert_eq!(bounded.event, 0);
        assert!(bounded.admit(b"data: 1\r"));
        assert!(!bounded.admit(b"data"), "two lines of one event add up past 10");
    }

    #[test]
    fn a_line_without_an_end_is_refused_at_the_limit() {
        let mut bounded = bounded(4);
        assert!(bounded.admit(b"data"));
        assert!(!bounded.admit(b":"));
    }

    #[cfg(feature = "event_json")]
    #[test]
    fn json_data_names_the_path_that_failed() {
        #[derive(Debug, serde::Deserialize)]
        struct Tick {
            #[allow(dead_code)]
            n: u8,
        }
        assert!(json_data::<Tick>(r#"{"n": 1}"#.to_owned()).is_ok());
        match json_data::<Tick>(r#"{"n": "x"}"#.to_owned()) {
            Err(DataError::Json(path, _, data)) => assert_eq!((path.as_str(), data.as_str()), ("n", r#"{"n": "x"}"#)),
            Ok(tick) => panic!("decoded {tick:?}"),
        }
    }
}
