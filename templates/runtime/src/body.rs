//! Reading a response body: buffered up to the client's limit ([`crate::ClientBuilder::max_body_size`]),
//! or, for an operation whose success is a stream, left unread for the caller.
//!
//! The limit is enforced while reading: a `Content-Length` above it fails a success at once
//! without reading, no more than the limit is ever held, and the announced length is never
//! allocated in advance (at most [`FIRST_ALLOCATION`] is, and the buffer grows with what
//! arrives). An error body past the limit is kept up to it and marked as cut.

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
    /// From the whole body.
    Buffered(crate::request::Decoder<T>),
    /// From the response whose body is not read yet.
    #[cfg(feature = "streams")]
    Streamed(fn(crate::stream::Opened) -> crate::Result<T>),
}

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
    let first = announced.map_or(0, |length| usize::try_from(length).unwrap_or(usize::MAX));
    let mut body = BytesMut::with_capacity(first.min(limit).min(FIRST_ALLOCATION));
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok(Received::Cut(if success { Bytes::new() } else { body.freeze() }));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Received::Full(body.freeze()))
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
            limit: answer.limit,
        })
        .map(|value| (value, Bytes::new())),
        #[cfg(feature = "streams")]
        (Decode::Streamed(_), Received::Full(_)) | (Decode::Buffered(_), Received::Open(_)) => {
            Err(Error::Request { operation: answer.operation, message: "generator bug: a body read the wrong way".to_owned() })
        }
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
