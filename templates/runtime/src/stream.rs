//! Bodies that are not held in memory: a request body of bytes from a file or any `AsyncRead`
//! ([`Body`]), and a binary response read as a stream of chunks ([`ByteStream`]), which can be
//! saved to a file or any `AsyncWrite` as it arrives.

#![cfg(any(feature = "streams", feature = "binary_body"))]

#[cfg(feature = "binary_body")]
use std::path::PathBuf;
use std::pin::Pin;
#[cfg(feature = "binary_response")]
use std::task::{Context, Poll};

#[cfg(feature = "binary_response")]
use futures_core::Stream as _;

#[cfg(feature = "streams")]
use crate::Operation;

/// A successful answer whose body is still to be read: what a streamed operation's value is
/// made from.
#[cfg(feature = "streams")]
pub(crate) struct Opened {
    pub(crate) operation: &'static Operation,
    pub(crate) response: reqwest::Response,
    pub(crate) attempts: u32,
    pub(crate) request_ids: Vec<String>,
    /// The client's body limit, which each event of an event stream keeps to.
    #[cfg(feature = "event_stream")]
    pub(crate) limit: u64,
}

/// The chunks of a response body as `reqwest` reads them.
#[cfg(feature = "streams")]
pub(crate) type Chunks = Pin<Box<dyn futures_core::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;

#[cfg(feature = "streams")]
impl Opened {
    /// The body's chunks, and the error for a chunk that did not arrive.
    pub(crate) fn chunks(self) -> (Chunks, Failed) {
        let failed = Failed { operation: self.operation, attempts: self.attempts, request_ids: self.request_ids };
        (Box::pin(self.response.bytes_stream()), failed)
    }
}

/// What an error while reading a stream names: the operation and its attempts.
#[cfg(feature = "streams")]
#[derive(Debug)]
pub(crate) struct Failed {
    pub(crate) operation: &'static Operation,
    pub(crate) attempts: u32,
    pub(crate) request_ids: Vec<String>,
}

#[cfg(feature = "streams")]
impl Failed {
    /// The error for a body that broke off while it was read. It is not retried: the SDK
    /// cannot know what of it the caller has used.
    pub(crate) fn transport(&self, source: reqwest::Error) -> crate::Error {
        // The URL holds the API key: it stays out of the error.
        #[cfg(feature = "auth_query")]
        let source = source.without_url();
        crate::Error::Transport(crate::error::TransportError {
            operation: self.operation,
            source,
            attempts: self.attempts,
            request_ids: self.request_ids.clone(),
            retryable: false,
        })
    }
}

/// A request body of bytes: in memory, from a file, or from any `AsyncRead`. Build one with
/// `From` (`Vec<u8>`, [`bytes::Bytes`], `&'static [u8]`, `String`, `&'static str`),
/// [`Body::from_file`] or [`Body::from_reader`].
///
/// A body in memory or from a file can be sent again, so the call is retried by the usual
/// rules (a file is opened anew for each attempt). A body from a reader can be read only once:
/// a call with one is never retried, whatever its method and the retry policy, and its error's
/// [`crate::Error::is_retryable`] is `false`.
#[cfg(feature = "binary_body")]
pub struct Body {
    source: Source,
}

#[cfg(feature = "binary_body")]
enum Source {
    Bytes(bytes::Bytes),
    File(PathBuf),
    /// `None` once it was sent.
    Reader(Option<Pin<Box<dyn tokio::io::AsyncRead + Send>>>),
}

#[cfg(feature = "binary_body")]
impl Body {
    /// A body streamed from the file at `path`, opened when the request is sent (again for each
    /// attempt) and sent with its length as `Content-Length`.
    pub fn from_file(path: impl Into<PathBuf>) -> Self {
        Self { source: Source::File(path.into()) }
    }

    /// A body streamed from `reader` as it is read, with chunked transfer encoding. It can be
    /// sent only once, so a call with it is never retried.
    pub fn from_reader(reader: impl tokio::io::AsyncRead + Send + 'static) -> Self {
        Self { source: Source::Reader(Some(Box::pin(reader))) }
    }

    /// Whether the body can be sent again after a failed attempt.
    pub(crate) fn repeatable(&self) -> bool {
        !matches!(self.source, Source::Reader(_))
    }

    /// Sets the body of one attempt.
    pub(crate) async fn attach(&mut self, builder: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, String> {
        Ok(match &mut self.source {
            Source::Bytes(bytes) => builder.body(bytes.clone()),
            Source::File(path) => {
                let file = tokio::fs::File::open(&*path)
                    .await
                    .map_err(|e| format!("cannot open `{}` for upload: {e}", path.display()))?;
                let length = file
                    .metadata()
                    .await
                    .map_err(|e| format!("cannot read the size of `{}`: {e}", path.display()))?
                    .len();
                let stream = tokio_util::io::ReaderStream::new(file);
                builder.header(reqwest::header::CONTENT_LENGTH, length).body(reqwest::Body::wrap_stream(stream))
            }
            Source::Reader(reader) => {
                let reader = reader.take().ok_or("the body was read by an earlier attempt and cannot be sent again")?;
                builder.body(reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(reader)))
            }
        })
    }
}

#[cfg(feature = "binary_body")]
impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.source {
            Source::Bytes(bytes) => f.debug_tuple("Body::Bytes").field(&bytes.len()).finish(),
            Source::File(path) => f.debug_tuple("Body::File").field(path).finish(),
            Source::Reader(_) => f.write_str("Body::Reader"),
        }
    }
}

#[cfg(feature = "binary_body")]
impl From<bytes::Bytes> for Body {
    fn from(bytes: bytes::Bytes) -> Self {
        Self { source: Source::Bytes(bytes) }
    }
}

#[cfg(feature = "binary_body")]
impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        bytes::Bytes::from(bytes).into()
    }
}

#[cfg(feature = "binary_body")]
impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        bytes::Bytes::from_static(bytes).into()
    }
}

#[cfg(feature = "binary_body")]
impl From<String> for Body {
    fn from(text: String) -> Self {
        bytes::Bytes::from(text).into()
    }
}

#[cfg(feature = "binary_body")]
impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        bytes::Bytes::from_static(text.as_bytes()).into()
    }
}

/// A binary response body, read as it arrives: a [`futures_core::Stream`] of
/// [`bytes::Bytes`] chunks ([`ByteStream::next_chunk`] reads one without a futures crate),
/// which [`ByteStream::save`] writes to a file and [`ByteStream::write_to`] to any
/// `AsyncWrite`, without holding the body in memory.
///
/// The client's body limit ([`crate::ClientBuilder::max_body_size`]) does not apply: nothing
/// is buffered. The call's deadline ([`crate::ClientBuilder::timeout`], [`crate::Call::timeout`])
/// covers reading the body too, so give a long download the time it needs. A body that breaks
/// off is an [`crate::Error::Transport`] item, after which the stream ends; it is not retried.
#[cfg(feature = "binary_response")]
pub struct ByteStream {
    chunks: Chunks,
    failed: Failed,
    content_length: Option<u64>,
    done: bool,
}

#[cfg(feature = "binary_response")]
impl ByteStream {
    /// The value of a streamed binary operation.
    pub(crate) fn open(opened: Opened) -> crate::Result<Self> {
        let content_length = opened.response.content_length();
        let (chunks, failed) = opened.chunks();
        Ok(Self { chunks, failed, content_length, done: false })
    }

    /// The body's length, when the server announced it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The next chunk of the body; `None` at its end.
    pub async fn next_chunk(&mut self) -> Option<crate::Result<bytes::Bytes>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Writes the rest of the body to `writer` as it arrives, then flushes it; returns how many
    /// bytes were written.
    pub async fn write_to<W: tokio::io::AsyncWrite + Unpin + ?Sized>(mut self, writer: &mut W) -> crate::Result<u64> {
        use tokio::io::AsyncWriteExt as _;

        let operation = self.failed.operation;
        let io = |source| crate::Error::Io { operation, source };
        let mut written = 0u64;
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(io)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(io)?;
        Ok(written)
    }

    /// Writes the rest of the body to the file at `path` (created, or truncated when it
    /// exists) as it arrives; returns how many bytes were written. When this fails, the file
    /// holds what arrived before the failure.
    pub async fn save(self, path: impl AsRef<std::path::Path>) -> crate::Result<u64> {
        let operation = self.failed.operation;
        let mut file = tokio::fs::File::create(path).await.map_err(|source| crate::Error::Io { operation, source })?;
        self.write_to(&mut file).await
    }

    /// The body as an `AsyncRead`; an error reading it is an `std::io::Error` whose inner
    /// error is the [`crate::Error`].
    pub fn into_reader(self) -> impl tokio::io::AsyncRead + Send + Unpin {
        tokio_util::io::StreamReader::new(IoChunks(self))
    }
}

#[cfg(feature = "binary_response")]
impl futures_core::Stream for ByteStream {
    type Item = crate::Result<bytes::Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match self.chunks.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
            Poll::Ready(Some(Err(source))) => {
                self.done = true;
                Poll::Ready(Some(Err(self.failed.transport(source))))
            }
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(feature = "binary_response")]
impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.failed.operation.id)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

/// A [`ByteStream`] whose errors are `std::io::Error`s, for `StreamReader`.
#[cfg(feature = "binary_response")]
struct IoChunks(ByteStream);

#[cfg(feature = "binary_response")]
impl futures_core::Stream for IoChunks {
    type Item = std::io::Result<bytes::Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.0).poll_next(cx).map(|item| item.map(|chunk| chunk.map_err(std::io::Error::other)))
    }
}

#[cfg(feature = "binary_response")]
impl<'a> crate::request::Request<'a> {
    /// Finishes the request: the answer is a binary body, streamed, of one of the `accept`
    /// media types.
    pub(crate) fn binary_response<O>(self, accept: &'static str) -> crate::Call<'a, ByteStream, O> {
        self.streamed_response(accept, ByteStream::open)
    }
}
