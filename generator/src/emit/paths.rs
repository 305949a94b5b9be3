//! Which relative paths the generator may create: portable file names, checked before any write.
//!
//! Input: the `/`-separated paths of a [`super::FileSet`] (or of a manifest). Output: the first
//! reason a path is not portable, or that two paths clash. The rules are those of the strictest
//! file systems a generated crate meets (Windows, macOS, Linux): no device names (`con`, `nul`,
//! `com1`, ...), no component longer than [`MAX_COMPONENT`] bytes, no characters Windows refuses,
//! no two paths that differ only in case, and no path that is also another path's folder.

use std::collections::BTreeMap;

use crate::names::is_device_name;

/// The longest file or folder name accepted, in bytes: the common limit of ext4, APFS and NTFS.
pub const MAX_COMPONENT: usize = 255;

/// Why `path` (relative, `/`-separated) cannot be created on every platform, if it cannot.
pub fn problem(path: &str) -> Option<String> {
    if path.is_empty() {
        return Some("is empty".to_owned());
    }
    if path.starts_with('/') {
        return Some("is absolute".to_owned());
    }
    for component in path.split('/') {
        if let Some(problem) = component_problem(component) {
            return Some(format!("has a component `{}` that {problem}", component.escape_debug()));
        }
    }
    None
}

fn component_problem(component: &str) -> Option<&'static str> {
    if component.is_empty() || component == "." || component == ".." {
        return Some("is empty, `.` or `..`");
    }
    if component.len() > MAX_COMPONENT {
        return Some("is longer than 255 bytes");
    }
    if component
        .chars()
        .any(|c| c.is_control() || matches!(c, '\\' | ':' | '<' | '>' | '"' | '|' | '?' | '*'))
    {
        return Some("holds a character that Windows refuses in file names");
    }
    if component.ends_with(['.', ' ']) {
        return Some("ends with a dot or a space (Windows drops them)");
    }
    let stem = component.split('.').next().unwrap_or_default();
    if is_device_name(stem) {
        return Some("is a Windows device name");
    }
    None
}

/// The first problem among `paths`: one path that is not portable, two that differ only in case,
/// or one that is also the folder of another. Each message names the path.
pub fn set_problem<'a>(paths: impl IntoIterator<Item = &'a str>) -> Option<(String, String)> {
    // BTreeMap: the lower-cased path, to the path as given; deterministic first clash.
    let mut folded: BTreeMap<String, &str> = BTreeMap::new();
    let mut folders: BTreeMap<String, &str> = BTreeMap::new();
    for path in paths {
        if let Some(problem) = problem(path) {
            return Some((path.to_owned(), problem));
        }
        let lower = path.to_lowercase();
        if let Some(other) = folded.insert(lower.clone(), path) {
            return Some((path.to_owned(), format!("differs only in case from `{other}`")));
        }
        let mut end = 0;
        while let Some(slash) = lower[end..].find('/') {
            end += slash;
            folders.entry(lower[..end].to_owned()).or_insert(path);
            end += 1;
        }
    }
    for (folder, inside) in &folders {
        if let Some(file) = folded.get(folder) {
            return Some(((*file).to_owned(), format!("is also the folder of `{inside}`")));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{problem, set_problem};

    #[test]
    fn portable_paths_pass() {
        for path in ["Cargo.toml", "src/models/chat_detail.rs", "src/models/console.rs", "src/models/con_.rs"]
        {
            assert_eq!(problem(path), None, "{path}");
        }
    }

    #[test]
    fn unportable_paths_are_named() {
        let long = format!("src/{}.rs", "a".repeat(300));
        for path in [
            "",
            "/etc/passwd",
            "src/../x",
            "src//x",
            "src/con.rs",
            "src/NUL",
            "src/Com1.rs",
            "src/lpt9.txt",
            "a\\b",
            "a:b",
            "a.",
            &long,
        ] {
            assert!(problem(path).is_some(), "{path:?} passes");
        }
    }

    #[test]
    fn case_clashes_and_folder_clashes_are_found() {
        assert_eq!(set_problem(["src/a.rs", "src/b.rs"]), None);
        let (path, why) = set_problem(["src/A.rs", "src/a.rs"]).expect("clash");
        assert_eq!(path, "src/a.rs");
        assert!(why.contains("src/A.rs"), "{why}");
        let (path, why) = set_problem(["src", "src/a.rs"]).expect("clash");
        assert_eq!(path, "src");
        assert!(why.contains("folder"), "{why}");
    }
}
