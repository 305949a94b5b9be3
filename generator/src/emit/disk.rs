//! Looking at the output folder without trusting it: no symbolic link is followed, nothing but a
//! regular file is opened, and every read is bounded.
//!
//! Input: the output root and `/`-separated paths under it. Output: what is there
//! ([`Found`]), the first line or the bounded contents of a regular file, or an [`EmitError`]
//! that names the path. A FIFO, a device or a folder where a file should be is reported, never
//! opened, so nothing here can block or read without end.

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::EmitError;

/// What is at a path under the root, found without following links.
#[derive(Debug)]
pub enum Found {
    /// Nothing: the path or one of its folders does not exist.
    Missing,
    /// A regular file, reached through real folders only.
    File(Metadata),
}

/// Finds `relative` under `root`, refusing a symbolic link anywhere on the way (the root itself
/// excepted: the caller chose it) and anything but a folder on the way or a regular file at the end.
pub fn find(root: &Path, relative: &str) -> Result<Found, EmitError> {
    let mut path = root.to_path_buf();
    let mut components = relative.split('/').peekable();
    while let Some(component) = components.next() {
        path.push(component);
        let last = components.peek().is_none();
        let metadata = match fs::symlink_metadata(&path) {
            Ok(metadata) => metadata,
            Err(error) if is_missing(&error) => return Ok(Found::Missing),
            Err(source) => return Err(EmitError::Io { action: "inspect", path, source }),
        };
        let kind = metadata.file_type();
        if kind.is_symlink() {
            return Err(EmitError::Symlink { path });
        }
        if last {
            return if kind.is_file() {
                Ok(Found::File(metadata))
            } else {
                Err(EmitError::NotRegular { path })
            };
        }
        if !kind.is_dir() {
            return Err(EmitError::NotFolder { path });
        }
    }
    Ok(Found::Missing)
}

fn is_missing(error: &io::Error) -> bool {
    // A file where a folder is expected reads as "not a directory": `find` reports that itself.
    error.kind() == io::ErrorKind::NotFound
}

/// Opens a file that [`find`] reported as regular, checking that it is still the same file
/// (so a link or FIFO swapped in between is not read).
fn open_found(path: &Path, found: &Metadata) -> Result<File, EmitError> {
    let file =
        File::open(path).map_err(|source| EmitError::Io { action: "read", path: path.to_owned(), source })?;
    let opened =
        file.metadata().map_err(|source| EmitError::Io { action: "read", path: path.to_owned(), source })?;
    if !opened.is_file() || !same_file(found, &opened) {
        return Err(EmitError::NotRegular { path: path.to_owned() });
    }
    Ok(file)
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    a.len() == b.len()
}

/// How many bytes of a file are read to find its first line.
const FIRST_LINE_LIMIT: u64 = 1024;

/// Whether the regular file at `path` has `marker` on its first line. Reads at most
/// [`FIRST_LINE_LIMIT`] bytes.
pub fn first_line_has(
    path: &Path,
    found: &Metadata,
    marker: impl Fn(&str) -> bool,
) -> Result<bool, EmitError> {
    let mut bytes = Vec::new();
    open_found(path, found)?
        .take(FIRST_LINE_LIMIT)
        .read_to_end(&mut bytes)
        .map_err(|source| EmitError::Io { action: "read", path: path.to_owned(), source })?;
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    Ok(marker(&String::from_utf8_lossy(first)))
}

/// The contents of the regular file at `path`, or `None` when it is longer than `limit` bytes.
pub fn read_bounded(path: &Path, found: &Metadata, limit: u64) -> Result<Option<Vec<u8>>, EmitError> {
    if found.len() > limit {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    open_found(path, found)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| EmitError::Io { action: "read", path: path.to_owned(), source })?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// The folders the generator refuses to write into besides a file-system root: the user's home
/// folder (`HOME`, or `USERPROFILE` on Windows) and, through [`check_out`], every folder above it.
pub fn home_folders() -> Vec<PathBuf> {
    ["HOME", "USERPROFILE"]
        .iter()
        .filter_map(std::env::var_os)
        .filter(|home| !home.is_empty())
        .map(PathBuf::from)
        .collect()
}

/// The output root made absolute with its links resolved (as far as it exists), after checking
/// that it is a folder or absent, not a file-system root, and not one of `protected` or a folder
/// above one.
pub fn check_out(root: &Path, protected: &[PathBuf]) -> Result<PathBuf, EmitError> {
    let resolved = resolve(root)?;
    match fs::metadata(&resolved) {
        Ok(metadata) if !metadata.is_dir() => {
            return Err(EmitError::UnsafeOut { path: root.to_owned(), reason: "it is a file, not a folder" });
        }
        Ok(_) => {}
        Err(error) if is_missing(&error) => {}
        Err(source) => return Err(EmitError::Io { action: "inspect", path: root.to_owned(), source }),
    }
    if resolved.parent().is_none() {
        return Err(EmitError::UnsafeOut { path: root.to_owned(), reason: "it is a file-system root" });
    }
    for home in protected {
        let home = resolve(home).unwrap_or_else(|_| home.clone());
        // A home of `/` (common for service accounts and containers) would refuse every folder;
        // the root itself is refused above.
        if home.parent().is_some() && home.starts_with(&resolved) {
            return Err(EmitError::UnsafeOut {
                path: root.to_owned(),
                reason: "it is a home folder or a folder above one",
            });
        }
    }
    Ok(resolved)
}

/// `path` made absolute, with the links of its existing part resolved.
fn resolve(path: &Path) -> Result<PathBuf, EmitError> {
    let absolute = std::path::absolute(path).map_err(|source| EmitError::Io {
        action: "resolve",
        path: path.to_owned(),
        source,
    })?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        match fs::canonicalize(existing) {
            Ok(mut resolved) => {
                resolved.extend(rest.iter().rev());
                return Ok(resolved);
            }
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_owned());
                    existing = parent;
                }
                (None, _) => return Ok(absolute),
                // A `..` below a folder that does not exist: where it lands cannot be known.
                (Some(_), None) => {
                    return Err(EmitError::UnsafeOut {
                        path: path.to_owned(),
                        reason: "it climbs with `..` out of a folder that does not exist",
                    });
                }
            },
        }
    }
}
