//! Multipart form bodies: text parts, and files from memory or from disk. A form is rebuilt for
//! every attempt, so a retried upload sends the same parts again; files on disk are streamed.

#![cfg(feature = "multipart")]

use std::path::{Path, PathBuf};

/// A file to upload in a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadFile {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Source {
    Bytes(bytes::Bytes),
    Path(PathBuf),
}

impl UploadFile {
    /// A file whose contents are in memory.
    pub fn from_bytes(file_name: impl Into<String>, contents: impl Into<bytes::Bytes>) -> Self {
        Self { source: Source::Bytes(contents.into()), file_name: Some(file_name.into()), content_type: None }
    }

    /// A file on disk, opened and streamed when the request is sent (again on every attempt).
    /// The server sees the last component of the path as its name.
    pub fn from_path(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref().to_path_buf();
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned());
        Self { source: Source::Path(path), file_name, content_type: None }
    }

    /// Sets the file name the server sees.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's content type (`application/octet-stream` unless set).
    pub fn content_type(mut self, mime: impl Into<String>) -> Self {
        self.content_type = Some(mime.into());
        self
    }

    async fn part(&self) -> Result<reqwest::multipart::Part, String> {
        let part = match &self.source {
            Source::Bytes(bytes) => {
                reqwest::multipart::Part::stream_with_length(reqwest::Body::from(bytes.clone()), bytes.len() as u64)
            }
            Source::Path(path) => {
                let file = tokio::fs::File::open(path)
                    .await
                    .map_err(|e| format!("cannot open `{}` for upload: {e}", path.display()))?;
                let length = file
                    .metadata()
                    .await
                    .map_err(|e| format!("cannot read the size of `{}`: {e}", path.display()))?
                    .len();
                let stream = tokio_util::io::ReaderStream::new(file);
                reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), length)
            }
        };
        let part = match &self.file_name {
            Some(name) => part.file_name(name.clone()),
            None => part,
        };
        let mime = self.content_type.as_deref().unwrap_or("application/octet-stream");
        part.mime_str(mime).map_err(|e| format!("`{mime}` is not a content type: {e}"))
    }
}

/// Values that hold files: one, an optional one, or a list.
pub(crate) trait Files {
    fn each(&self) -> Vec<&UploadFile>;
}

impl Files for UploadFile {
    fn each(&self) -> Vec<&UploadFile> {
        vec![self]
    }
}

impl Files for Vec<UploadFile> {
    fn each(&self) -> Vec<&UploadFile> {
        self.iter().collect()
    }
}

impl<T: Files> Files for Option<T> {
    fn each(&self) -> Vec<&UploadFile> {
        self.as_ref().map(Files::each).unwrap_or_default()
    }
}

/// A type sent as a multipart body.
pub(crate) trait ToForm {
    fn to_form(&self) -> Form;
}

/// The parts of a form body, in order; a value that cannot be written is kept as an error.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form {
    parts: Vec<(&'static str, Part)>,
    error: Option<String>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    File(UploadFile),
}

impl Form {
    /// Adds text parts: none for `None`, one per item for a list.
    pub(crate) fn text<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match crate::codec::param_values(value) {
            Ok(values) => self.parts.extend(values.into_iter().map(|v| (name, Part::Text(v)))),
            Err(message) => {
                self.error.get_or_insert(format!("form field `{name}`: {message}"));
            }
        }
    }

    /// Adds file parts.
    pub(crate) fn files<F: Files>(&mut self, name: &'static str, files: &F) {
        self.parts.extend(files.each().into_iter().map(|file| (name, Part::File(file.clone()))));
    }

    pub(crate) fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The `reqwest` form for one attempt.
    pub(crate) async fn build(&self) -> Result<reqwest::multipart::Form, String> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            form = match part {
                Part::Text(text) => form.text(*name, text.clone()),
                Part::File(file) => form.part(*name, file.part().await?),
            };
        }
        Ok(form)
    }
}
