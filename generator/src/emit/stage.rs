//! Staging: every file written to a temp file beside its target before anything is renamed,
//! so that a failure leaves the folder as it was.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::EmitError;

/// Temp files written beside their targets, and the folders made for them.
pub(super) struct Staged {
    pub(super) temps: Vec<PathBuf>,
}

/// Writes every file to a new temp file in its target's folder, creating folders as needed.
/// On failure, removes what it wrote and created, and names the file that failed.
pub(super) fn stage(root: &Path, writes: &[(&str, &[u8])]) -> Result<Staged, EmitError> {
    let mut temps = Vec::new();
    let mut created: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for (index, (path, contents)) in writes.iter().enumerate() {
            let target = root.join(path);
            let folder = target.parent().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
            create_folders(&folder, &mut created)?;
            let temp = folder.join(format!(".{}-tmp-{}-{index}", crate::NAME, std::process::id()));
            // `create_new`: never an existing file, and never through a link at the temp path.
            let mut file =
                std::fs::OpenOptions::new().write(true).create_new(true).open(&temp).map_err(|source| {
                    EmitError::Io { action: "create a temp file for", path: target.clone(), source }
                })?;
            temps.push(temp);
            file.write_all(contents).map_err(|source| EmitError::Io {
                action: "write",
                path: target,
                source,
            })?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(Staged { temps }),
        Err(error) => {
            for temp in &temps {
                let _ = std::fs::remove_file(temp);
            }
            for folder in created.iter().rev() {
                let _ = std::fs::remove_dir(folder);
            }
            Err(error)
        }
    }
}

/// Creates `folder` and the folders above it that are missing, recording each one it made.
fn create_folders(folder: &Path, created: &mut Vec<PathBuf>) -> Result<(), EmitError> {
    let mut missing = Vec::new();
    let mut at = folder;
    while std::fs::symlink_metadata(at).is_err() {
        missing.push(at.to_path_buf());
        match at.parent() {
            Some(parent) => at = parent,
            None => break,
        }
    }
    for folder in missing.into_iter().rev() {
        std::fs::create_dir(&folder).map_err(|source| EmitError::Io {
            action: "create",
            path: folder.clone(),
            source,
        })?;
        created.push(folder);
    }
    Ok(())
}
