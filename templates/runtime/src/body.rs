//! Reading a response body: buffered up to the client's limit ([`crate::ClientBuilder::max_body_size`]),
//! or, for an operation whose success is a stream, left unread for the caller.
//!
//! The limit is enforced while reading: a `Content-Length` above it fails a success at once
//! without reading, no more than the limit is ever held, and the announced length is never
//! allocated in advance (at most [`FIRST_ALLOCATION`] is, and the buffer grows with what
//! arrives; a body that comes in one chunk is kept as it came, without a copy). An error body
//! past the limit is kept up to it and marked as cut.

use bytes::{Bytes, BytesMut};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::Operation;
use crate::error::{Error, TooLargeError};

/// The most a body buffer starts with, whatever `Content-Length` announces.
const FIRST_ALLOCATION: usize = 64 * 1024;

/// A response body as the attempt loop got it.
pub(crate) enum Received {
    /// The whole body, within the limit.
    Full(Bytes),
    /// The body was larger than the limit: what was kept of it (nothing for a success, whose
    /// `Content-Length` already said so or whose value is useless cut; up to the limit for an
    /// error body).
    Cut(Bytes),
    /// A success of a streamed operation: the body is still to be read.
    #[cfg(feature = "streams")]
    Open(reqwest::Response),
}

/// How a successful answer becomes the operation's value.
pub(crate) enum Decode<T> {
    /// From the whole body (not in an SDK whose every operation streams its answer). An SDK
    /// without operations never sends a request, so never makes one.
    #[cfg_attr(not(feature = "requests"), allow(dead_code))]
    #[cfg(any(
        feature = "json_response",
        feature = "text_response",
        feature = "bytes_response",
        feature = "empty_response",
        not(feature = "requests")
    ))]
    Buffered(crate::request::Decoder<T>),
    /// From the response whose body is not read yet.
    #[cfg(feature = "streams")]
    Streamed(fn(crate::stream::Opened) -> crate::Result<T>),
}

// Function pointers, whatever `T` is: a call can be copied for the next page.
impl<T> Clone for Decode<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Decode<T> {}

/// Reads `response`'s body for `decode`: a success of a streamed operation is left open, every
/// other body is read up to `limit` bytes.
// Without streamed operations, `decode` only ever says "read it all".
#[cfg_attr(not(feature = "streams"), allow(unused_variables))]
pub(crate) async fn receive<T>(
    mut response: reqwest::Response,
    decode: &Decode<T>,
    limit: u64,
) -> Result<Received, reqwest::Error> {
    let success = response.status().is_success();
    #[cfg(feature = "streams")]
    if success && matches!(decode, Decode::Streamed(_)) {
        return Ok(Received::Open(response));
    }
    let announced = response.content_length();
    if success && announced.is_some_and(|length| length > limit) {
        return Ok(Received::Cut(Bytes::new()));
    }
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let announced = announced.map_or(0, |length| usize::try_from(length).unwrap_or(usize::MAX));
    let mut body = Collected::default();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.push(chunk.slice(..room), announced.min(limit));
            return Ok(Received::Cut(if success { Bytes::new() } else { body.finish() }));
        }
        body.push(chunk, announced.min(limit));
    }
    Ok(Received::Full(body.finish()))
}

/// A body as it is read: one chunk is kept as it came (most small answers are one), more are
/// copied into one buffer.
#[derive(Default)]
struct Collected {
    first: Option<Bytes>,
    rest: BytesMut,
}

impl Collected {
    fn len(&self) -> usize {
        self.first.as_ref().map_or(0, Bytes::len) + self.rest.len()
    }

    /// Adds a chunk; `expected` is how long the body says it is (at most the limit).
    fn push(&mut self, chunk: Bytes, expected: usize) {
        match self.first.take() {
            None if self.rest.is_empty() => self.first = Some(chunk),
            first => {
                if self.rest.is_empty() {
                    let held = first.as_ref().map_or(0, Bytes::len) + chunk.len();
                    self.rest.reserve(expected.min(FIRST_ALLOCATION).max(held));
                }
                if let Some(first) = first {
                    self.rest.extend_from_slice(&first);
                }
                self.rest.extend_from_slice(&chunk);
            }
        }
    }

    fn finish(self) -> Bytes {
        match self.first {
            Some(first) => first,
            None => self.rest.freeze(),
        }
    }
}

/// What the attempt loop needs to know of the answer to build a result.
pub(crate) struct Answer<'r> {
    pub(crate) operation: &'static Operation,
    pub(crate) status: StatusCode,
    pub(crate) headers: &'r HeaderMap,
    pub(crate) attempts: u32,
    pub(crate) request_ids: &'r [String],
    pub(crate) limit: u64,
}

/// The value of a successful answer, with the body it came from (empty for a stream).
pub(crate) fn decode<T>(decode: &Decode<T>, answer: &Answer<'_>, body: Received) -> crate::Result<(T, Bytes)> {
    match (decode, body) {
        #[cfg(any(
            feature = "json_response",
            feature = "text_response",
            feature = "bytes_response",
            feature = "empty_response",
            not(feature = "requests")
        ))]
        (Decode::Buffered(decoder), Received::Full(bytes)) => {
            decoder(answer.operation, answer.status, answer.headers, bytes.clone()).map(|value| (value, bytes))
        }
        (_, Received::Cut(_)) => Err(Error::TooLarge(Box::new(TooLargeError {
            operation: answer.operation,
            status: answer.status,
            headers: answer.headers.clone(),
            limit: answer.limit,
            what: crate::error::TooLarge::Body,
            attempts: answer.attempts,
            request_ids: answer.request_ids.to_vec(),
        }))),
        #[cfg(feature = "streams")]
        (Decode::Streamed(open), Received::Open(response)) => open(crate::stream::Opened {
            operation: answer.operation,
            response,
            attempts: answer.attempts,
            request_ids: answer.request_ids.to_vec(),
            #[cfg(feature = "event_stream")]
            limit: answer.limit,
        })
        .map(|value| (value, Bytes::new())),
        #[cfg(feature = "streams")]
        // Only a hook's answer is whole where the operation streams.
        (Decode::Streamed(_), Received::Full(_)) => Err(Error::Request {
            operation: answer.operation,
            message: "a hook answered an operation whose response is streamed (binary or server-sent events); a hook's answer cannot stand in for a stream".to_owned(),
        }),
        #[cfg(all(
            feature = "streams",
            any(feature = "json_response", feature = "text_response", feature = "bytes_response", feature = "empty_response")
        ))]
        (Decode::Buffered(_), Received::Open(_)) => Err(Error::Request {
            operation: answer.operation,
            message: "generator bug: a body read the wrong way".to_owned(),
        }),
    }
}


/// An error answer's body and whether it was cut at the limit.
pub(crate) fn error_body(body: Received) -> (Bytes, bool) {
    match body {
        Received::Full(bytes) => (bytes, false),
        Received::Cut(bytes) => (bytes, true),
        #[cfg(feature = "streams")]
        Received::Open(_) => (Bytes::new(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_chunk_is_kept_and_more_are_joined() {
        let mut body = Collected::default();
        let chunk = Bytes::from_static(b"abc");
        body.push(chunk.clone(), 3);
        let kept = body.finish();
        assert_eq!(kept.as_ptr(), chunk.as_ptr(), "one chunk is not copied");
        let mut body = Collected::default();
        for piece in [&b"ab"[..], b"", b"cd", b"e"] {
            body.push(Bytes::copy_from_slice(piece), 1 << 30);
        }
        assert_eq!(body.len(), 5);
        assert_eq!(body.finish(), Bytes::from_static(b"abcde"));
    }
}
