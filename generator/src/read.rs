//! Reading spec files from disk: the root spec and the files its `$ref`s name.
//!
//! Input: a path. Output: the file's text, or why it was not read. Only regular files are
//! read: the file type is checked before opening (and the file is opened non-blocking and
//! checked again), so a FIFO never blocks and a device (`/dev/zero`) is never read. Each file
//! is read up to [`MAX_FILE_BYTES`], whatever its metadata says (files under `/proc` claim
//! to be empty). The bytes must be UTF-8; a byte-order mark is left for [`crate::load`].

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The largest spec file read, in bytes: far above real specs (GitHub's is about 12 MB), low
/// enough that parsing it stays within memory.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (no such file, permissions, …).
    Io(std::io::Error),
    /// The path names something other than a regular file (its kind, e.g. "a FIFO").
    NotRegular(&'static str),
    /// The file holds more than [`MAX_FILE_BYTES`] (at least this many).
    TooLarge(u64),
    /// The bytes are not UTF-8; the first bad byte is at this 1-based line and column.
    NotUtf8 {
        /// The line of the first invalid byte.
        line: usize,
        /// The column (in characters) of the first invalid byte.
        column: usize,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "{error}"),
            ReadError::NotRegular(kind) => write!(f, "it is not a regular file but {kind}"),
            ReadError::TooLarge(size) => {
                write!(f, "it holds {size} bytes, more than the {MAX_FILE_BYTES} read from one spec file")
            }
            ReadError::NotUtf8 { line, column } => {
                write!(f, "it is not valid UTF-8 (the first bad byte is at line {line}, column {column})")
            }
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(error: std::io::Error) -> Self {
        ReadError::Io(error)
    }
}

/// The text of the regular file at `path` (symlinks followed), bounded and checked as the
/// module says.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    regular(&std::fs::metadata(path)?)?;
    let file = open(path)?;
    let metadata = file.metadata()?;
    regular(&metadata)?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(metadata.len()));
    }
    let capacity = usize::try_from(metadata.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(read));
    }
    String::from_utf8(bytes).map_err(|error| {
        let good = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&good[start..]).chars().count() + 1;
        ReadError::NotUtf8 { line, column }
    })
}

/// Refuses anything but a regular file.
fn regular(metadata: &std::fs::Metadata) -> Result<(), ReadError> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    Err(ReadError::NotRegular(describe(kind)))
}

fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() { "a folder" } else { "a special file" }
}

/// Opens for reading without blocking: a FIFO put in place after the check above still
/// cannot hang the open.
fn open(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::{ReadError, read_text};

    #[test]
    fn locates_invalid_utf8() {
        let dir = std::env::temp_dir().join(format!("wegly-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("bad.yaml");
        std::fs::write(&path, b"a: 1\nb: \xc3\xa9\xff\n").expect("written");
        match read_text(&path) {
            Err(ReadError::NotUtf8 { line, column }) => assert_eq!((line, column), (2, 5)),
            other => panic!("expected NotUtf8, got {other:?}"),
        }
        assert!(matches!(read_text(&dir), Err(ReadError::NotRegular("a folder"))));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
