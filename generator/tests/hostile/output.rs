//! Hostile output folders: symbolic links (to files, to folders, in loops), foreign and
//! hand-written files, FIFOs, folders that hold other projects, an `--out` that is a file or a
//! home folder, and generated names no file system takes (Windows device names, names longer than
//! 255 bytes, names that differ only in case). Each case asserts that no file outside `--out` is
//! touched, that no file the generator does not own is lost or overwritten, and that every error
//! names its path. The last case mutates a generated crate's folder many ways, deterministically.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use sdkwright::FileSet;

use crate::support::{mkfifo, temp_dir, timed, write};

const MARKER: &str = sdkwright::emit::MARKER;

/// A small spec whose schemas have the given names, and one operation per tag.
fn spec(schemas: &[&str], tags: &[&str]) -> String {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: Hostile, version: '1'}\npaths:\n");
    for (index, tag) in tags.iter().enumerate() {
        text.push_str(&format!(
            "  /op{index}:\n    get:\n      operationId: op{index}\n      tags: ['{tag}']\n      responses:\n        '204': {{description: done}}\n"
        ));
    }
    if tags.is_empty() {
        text.push_str("  {}\n");
    }
    text.push_str("components:\n  schemas:\n");
    for name in schemas {
        text.push_str(&format!(
            "    '{name}':\n      type: object\n      properties:\n        id: {{type: string}}\n"
        ));
    }
    text
}

fn generate(schemas: &[&str], tags: &[&str]) -> FileSet {
    let config = sdkwright::Config::new("hostile.yaml").crate_name("hostile");
    sdkwright::generate_from_str(&config, &spec(schemas, tags)).expect("the hostile spec generates").files
}

fn small_crate() -> FileSet {
    generate(&["Chat", "Message"], &["chats"])
}

/// Writes `files` to `out` under the hang guard; the error as text.
fn run_write(case: &str, files: &FileSet, out: &Path) -> Result<(), String> {
    let (files, out) = (files.clone(), out.to_path_buf());
    timed(case, move || files.write(&out).map(|_| ()).map_err(|e| e.to_string()))
}

/// Checks `files` against `out` under the hang guard; the drift (empty when clean) as text.
fn run_check(case: &str, files: &FileSet, out: &Path) -> Result<String, String> {
    let (files, out) = (files.clone(), out.to_path_buf());
    timed(case, move || files.check(&out).map(|d| d.to_string()).map_err(|e| e.to_string()))
}

/// Everything under `dir`, links not followed: each path with its kind and contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(metadata) = std::fs::symlink_metadata(&path) else { continue };
            let kind = metadata.file_type();
            let what = if kind.is_symlink() {
                format!(
                    "link to {}",
                    std::fs::read_link(&path).map(|p| p.display().to_string()).unwrap_or_default()
                )
            } else if kind.is_dir() {
                stack.push(path.clone());
                "folder".to_owned()
            } else if kind.is_file() {
                String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()).into_owned()
            } else {
                "special".to_owned()
            };
            out.insert(path, what);
        }
    }
    out
}

/// A folder outside every `--out`, holding a generated-looking file and a precious one.
fn outside(case: &str) -> PathBuf {
    let dir = temp_dir(&format!("{case}-outside"));
    write(&dir, "victim.rs", &format!("// {MARKER} from spec/other.yaml; do not edit\n"));
    write(&dir, "precious.txt", "precious\n");
    dir
}

fn replace(path: &Path) {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        std::fs::remove_dir_all(path).expect("folder removed");
    } else {
        let _ = std::fs::remove_file(path);
    }
}

/// Every generated file is on disk with its generated contents.
fn assert_all_present(files: &FileSet, out: &Path) {
    for (path, text) in files.iter() {
        let on_disk =
            std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path} is lost: {e}"));
        assert_eq!(on_disk, text, "{path} differs");
    }
}

#[test]
fn stale_removal_never_follows_a_linked_folder() {
    let case = "output-linked-folder";
    let out = temp_dir(case);
    let away = outside(case);
    let files = small_crate();
    run_write(case, &files, &out).expect("first write");
    symlink(&away, out.join("linked")).expect("link");
    symlink(&away, out.join("src/models/linked")).expect("link");
    let before = snapshot(&away);
    run_write(case, &files, &out).expect("second write");
    assert_eq!(snapshot(&away), before, "a file outside --out was touched through a link");
    let drift = run_check(case, &files, &out).expect("check");
    assert!(drift.is_empty(), "check followed the link:\n{drift}");
}

#[test]
fn a_link_loop_in_out_loses_no_written_file() {
    let case = "output-link-loop";
    let out = temp_dir(case);
    let files = small_crate();
    run_write(case, &files, &out).expect("first write");
    symlink("..", out.join("src/again")).expect("loop");
    symlink("loop-b", out.join("loop-a")).expect("loop");
    symlink("loop-a", out.join("loop-b")).expect("loop");
    run_write(case, &files, &out).expect("second write");
    assert_all_present(&files, &out);
    let drift = run_check(case, &files, &out).expect("check");
    assert!(drift.is_empty(), "{drift}");
}

#[test]
fn a_folder_holding_another_project_is_refused() {
    let case = "output-foreign-folder";
    let home = temp_dir(case);
    let other = write(
        &home,
        "projects/other/src/lib.rs",
        &format!("// {MARKER} from spec/other.yaml; do not edit\n"),
    );
    write(&home, "notes.txt", "my notes\n");
    let before = snapshot(&home);
    let error =
        run_write(case, &small_crate(), &home).expect_err("a folder with no generated crate is refused");
    assert!(error.contains(&home.display().to_string()) && error.contains("--force"), "{error}");
    assert_eq!(snapshot(&home), before, "the folder changed");
    assert!(other.exists());
}

#[test]
fn writing_never_goes_through_a_linked_file_or_folder() {
    let case = "output-write-through-link";
    let out = temp_dir(case);
    let away = outside(case);
    let files = small_crate();
    run_write(case, &files, &out).expect("first write");
    let lib = out.join("src/lib.rs");
    replace(&lib);
    symlink(away.join("precious.txt"), &lib).expect("link");
    let before = snapshot(&away);
    let error = run_write(case, &files, &out).expect_err("a linked file is refused");
    assert!(error.contains(&lib.display().to_string()) && error.contains("symbolic link"), "{error}");
    assert_eq!(snapshot(&away), before, "written through a linked file");

    replace(&lib);
    let models = out.join("src/models");
    replace(&models);
    symlink(&away, &models).expect("link");
    let error = run_write(case, &files, &out).expect_err("a linked folder is refused");
    assert!(error.contains(&models.display().to_string()), "{error}");
    assert_eq!(snapshot(&away), before, "written through a linked folder");
    assert!(!lib.exists(), "a file was written although the run failed");
}

#[test]
fn hand_written_files_are_not_overwritten() {
    let case = "output-hand-written";
    let out = temp_dir(case);
    let files = small_crate();
    run_write(case, &files, &out).expect("first write");
    let manifest = write(&out, "Cargo.toml", "[package]\nname = \"mine\"\n");
    let lib = write(&out, "src/lib.rs", "//! Mine.\n");
    let error = run_write(case, &files, &out).expect_err("hand-written files are refused");
    for path in [&manifest, &lib] {
        assert!(error.contains(&path.display().to_string()), "{error}");
    }
    assert_eq!(std::fs::read_to_string(&manifest).expect("read"), "[package]\nname = \"mine\"\n");
    assert_eq!(std::fs::read_to_string(&lib).expect("read"), "//! Mine.\n");
}

#[test]
fn a_failure_halfway_changes_nothing() {
    let case = "output-all-or-nothing";
    let root = temp_dir(case);
    let out = root.join("crate");
    let mut files = small_crate();
    files.insert(format!("src/{}.rs", "x".repeat(300)), format!("// {MARKER}\n"));
    let error = run_write(case, &files, &out).expect_err("a name too long for the file system");
    assert!(error.contains(&"x".repeat(300)), "the error names no file: {error}");
    assert!(snapshot(&root).is_empty(), "a half-written crate is left: {:?}", snapshot(&root).keys());

    // Into an existing crate: the files that would have changed keep their old contents.
    let old = small_crate();
    run_write(case, &old, &out).expect("write");
    let before = snapshot(&out);
    let mut new = generate(&["Chat", "Message", "Reaction"], &["chats"]);
    new.insert(format!("src/{}.rs", "y".repeat(300)), format!("// {MARKER}\n"));
    run_write(case, &new, &out).expect_err("a name too long for the file system");
    assert_eq!(snapshot(&out), before, "a failed run changed the crate");
}

#[test]
fn long_schema_names_get_bounded_stable_file_names() {
    let case = "output-long-names";
    let out = temp_dir(case);
    let long = format!("Very{}", "Long".repeat(80));
    let (first, second) = (format!("{long}One"), format!("{long}Two"));
    let files = generate(&[&first, &second, "Chat"], &[&format!("tag{}", "x".repeat(300))]);
    let again = generate(&[&first, &second, "Chat"], &[&format!("tag{}", "x".repeat(300))]);
    let paths: Vec<&str> = files.iter().map(|(p, _)| p).collect();
    assert_eq!(paths, again.iter().map(|(p, _)| p).collect::<Vec<_>>(), "names are not stable");
    for path in &paths {
        for component in path.split('/') {
            assert!(component.len() <= 80, "{component} is {} bytes", component.len());
        }
    }
    assert_eq!(paths.iter().filter(|p| p.starts_with("src/models/very_long_long")).count(), 2, "{paths:?}");
    run_write(case, &files, &out).expect("writes");
    assert_all_present(&files, &out);
}

/// Whether a file or folder name is one Windows keeps for a device (the stem before the first dot).
fn is_device(component: &str) -> bool {
    let stem = component.split('.').next().unwrap_or_default().to_ascii_lowercase();
    ["con", "prn", "aux", "nul"].contains(&stem.as_str())
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit())
}

#[test]
fn windows_device_names_never_become_file_names() {
    let case = "output-device-names";
    let out = temp_dir(case);
    let files = generate(&["Con", "AUX", "nul", "Com1", "LPT9", "Prn", "Console"], &["con", "Aux", "COM3"]);
    for (path, _) in files.iter() {
        assert!(!path.split('/').any(is_device), "{path} is a Windows device name");
    }
    assert!(
        files.get("src/models/console.rs").is_some(),
        "a name that merely starts like a device keeps its name"
    );
    run_write(case, &files, &out).expect("writes");

    let mut files = FileSet::default();
    files.insert("Cargo.toml", format!("# {MARKER}\n"));
    files.insert("src/CON.rs", format!("// {MARKER}\n"));
    let error = run_write(case, &files, &out).expect_err("a device name is refused");
    assert!(error.contains("src/CON.rs") && error.contains("device"), "{error}");
    assert!(!out.join("src/CON.rs").exists());
}

#[test]
fn paths_that_differ_only_in_case_are_refused() {
    let case = "output-case-collision";
    let out = temp_dir(case);
    let mut files = FileSet::default();
    files.insert("src/Chat.rs", format!("// {MARKER}\nupper\n"));
    files.insert("src/chat.rs", format!("// {MARKER}\nlower\n"));
    let error = run_write(case, &files, &out).expect_err("case twins are refused");
    assert!(error.contains("src/chat.rs") && error.contains("src/Chat.rs"), "{error}");
    assert!(snapshot(&out).is_empty(), "files were written");
}

#[test]
fn fifos_are_never_opened() {
    let case = "output-fifo";
    let out = temp_dir(case);
    let files = small_crate();
    run_write(case, &files, &out).expect("first write");
    let lib = out.join("src/lib.rs");
    replace(&lib);
    mkfifo(&lib);
    let foreign = out.join("src/models/notes.fifo");
    mkfifo(&foreign);
    let error = run_write(case, &files, &out).expect_err("a FIFO where a file goes is refused");
    assert!(error.contains(&lib.display().to_string()) && error.contains("not a regular file"), "{error}");
    let drift = run_check(case, &files, &out).expect("check reports, not hangs");
    assert!(drift.contains("src/lib.rs"), "{drift}");

    replace(&lib);
    run_write(case, &files, &out).expect("a foreign FIFO beside the files is left alone");
    assert!(
        std::fs::symlink_metadata(&foreign).is_ok_and(|m| !m.is_file() && !m.is_dir()),
        "the FIFO is gone"
    );
    let drift = run_check(case, &files, &out).expect("check");
    assert!(drift.is_empty(), "{drift}");
}

#[test]
fn an_out_that_is_a_file_is_refused_by_name() {
    let case = "output-out-is-a-file";
    let root = temp_dir(case);
    let file = write(&root, "not-a-folder", "mine\n");
    let error = run_write(case, &small_crate(), &file).expect_err("a file is no output folder");
    assert!(error.contains(&file.display().to_string()), "the error names no path: {error}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "mine\n");
    let error = run_write(case, &small_crate(), &file.join("below")).expect_err("nor is a path below a file");
    assert!(error.contains(&file.display().to_string()), "the error names no path: {error}");
}

#[test]
fn roots_and_home_folders_are_refused() {
    // `check_out_folder` is the check `write` runs first; it reads metadata only, so this case
    // cannot harm the real root or home folder even if the check were broken.
    timed("output-roots-and-homes", || {
        let options = sdkwright::WriteOptions::new();
        let error =
            sdkwright::emit::check_out_folder(Path::new("/"), &options).expect_err("the root is refused");
        assert!(error.to_string().contains("file-system root"), "{error}");
        if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
            let error = sdkwright::emit::check_out_folder(&home, &options).expect_err("home is refused");
            assert!(error.to_string().contains("home folder"), "{error}");
            for folder in [home.join(".."), home.join("sub/.."), home.join("missing/../..")] {
                let error = sdkwright::emit::check_out_folder(&folder, &options).expect_err("above home");
                assert!(error.to_string().starts_with("refusing to generate into"), "{error}");
            }
            assert!(sdkwright::emit::check_out_folder(&home.join("project"), &options).is_ok());
        }
        // A protected folder as `write` meets it: nothing is written.
        let protected = temp_dir("output-roots-and-homes");
        let options = sdkwright::WriteOptions::new().force(true).protect(protected.join("home"));
        let error = small_crate().write_with(&protected, &options).expect_err("above a protected folder");
        assert!(error.to_string().contains(&protected.display().to_string()), "{error}");
        assert!(snapshot(&protected).is_empty());
    });
}

#[test]
fn stale_removal_deletes_only_what_the_generator_wrote() {
    let case = "output-stale-owned-only";
    let out = temp_dir(case);
    let away = outside(case);
    run_write(case, &generate(&["Chat", "Message"], &["chats"]), &out).expect("first write");
    let message = std::fs::read_to_string(out.join("src/models/message.rs")).expect("generated");
    let copy = write(&out, "src/models/message_copy.rs", &message);
    symlink(&away, out.join("src/linked")).expect("link");
    // A manifest edited to reach outside --out and through the link.
    let manifest = out.join(".generated-files");
    if let Ok(mut text) = std::fs::read_to_string(&manifest) {
        text.push_str(&format!(
            "../{case}-outside/victim.rs\nsrc/linked/victim.rs\n{}\n",
            away.join("victim.rs").display()
        ));
        std::fs::write(&manifest, text).expect("manifest edited");
    }
    let before = snapshot(&away);
    let files = generate(&["Chat"], &["chats"]);
    run_write(case, &files, &out).expect("second write");
    assert!(!out.join("src/models/message.rs").exists(), "a file no longer generated is kept");
    assert_eq!(std::fs::read_to_string(&copy).expect("the copy is kept"), message);
    assert_eq!(snapshot(&away), before, "a file outside --out was deleted");
    assert_all_present(&files, &out);
}

/// One way to spoil a generated crate's folder.
#[derive(Debug, Clone, Copy)]
enum Mutation {
    LinkToOutsideFile,
    LinkToOutsideFolder,
    LinkToDevZero,
    Fifo,
    HandWritten,
    FolderInstead,
    FifoBeside,
    LinkBeside,
    LoopBeside,
    GeneratedLookingBeside,
    Removed,
}

const MUTATIONS: &[Mutation] = &[
    Mutation::LinkToOutsideFile,
    Mutation::LinkToOutsideFolder,
    Mutation::LinkToDevZero,
    Mutation::Fifo,
    Mutation::HandWritten,
    Mutation::FolderInstead,
    Mutation::FifoBeside,
    Mutation::LinkBeside,
    Mutation::LoopBeside,
    Mutation::GeneratedLookingBeside,
    Mutation::Removed,
];

/// Applies `mutation` at `target`; returns the foreign paths it made, which must survive as made.
fn mutate(mutation: Mutation, target: &Path, away: &Path) -> Vec<PathBuf> {
    let beside = target.with_file_name(format!(
        "{}-beside",
        target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    match mutation {
        Mutation::LinkToOutsideFile => {
            replace(target);
            symlink(away.join("victim.rs"), target).expect("link");
            vec![target.to_path_buf()]
        }
        Mutation::LinkToOutsideFolder => {
            replace(target);
            symlink(away, target).expect("link");
            vec![target.to_path_buf()]
        }
        Mutation::LinkToDevZero => {
            replace(target);
            symlink("/dev/zero", target).expect("link");
            vec![target.to_path_buf()]
        }
        Mutation::Fifo => {
            replace(target);
            mkfifo(target);
            vec![target.to_path_buf()]
        }
        Mutation::HandWritten => {
            replace(target);
            std::fs::write(target, "written by a person\n").expect("write");
            vec![target.to_path_buf()]
        }
        Mutation::FolderInstead => {
            replace(target);
            write(target, "mine.txt", "mine\n");
            vec![target.join("mine.txt")]
        }
        Mutation::FifoBeside => {
            mkfifo(&beside);
            vec![beside]
        }
        Mutation::LinkBeside => {
            symlink(away, &beside).expect("link");
            vec![beside]
        }
        Mutation::LoopBeside => {
            symlink(".", &beside).expect("link");
            vec![beside]
        }
        Mutation::GeneratedLookingBeside => {
            std::fs::write(&beside, format!("// {MARKER} from spec/other.yaml; do not edit\n"))
                .expect("write");
            vec![beside]
        }
        Mutation::Removed => {
            replace(target);
            Vec::new()
        }
    }
}

#[test]
fn output_folder_mutations_touch_nothing_foreign() {
    let case = "output-mutations";
    let files = small_crate();
    let next = generate(&["Chat"], &["chats"]);
    let targets = [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        "src/models/message.rs",
        "src/models",
        "src",
        ".generated-files",
    ];
    let root = temp_dir(case);
    let away = outside(case);
    let mut runs = 0;
    for target in targets {
        for (index, mutation) in MUTATIONS.iter().enumerate() {
            let out = root.join(format!("{}-{index}", target.replace('/', "_")));
            std::fs::create_dir_all(&out).expect("folder");
            run_write(case, &files, &out).expect("first write");
            let made = mutate(*mutation, &out.join(target), &away);
            let kept: Vec<(PathBuf, String)> = made
                .iter()
                .map(|p| (p.clone(), snapshot(p.parent().expect("parent")).remove(p).unwrap_or_default()))
                .collect();
            let before = snapshot(&away);
            let context = format!("{mutation:?} at {target}");
            // The same set (a repair) and a smaller one (a stale removal) over the spoiled folder.
            for set in [&files, &next] {
                runs += 1;
                match run_write(case, set, &out) {
                    Ok(()) => {
                        let drift = run_check(case, set, &out).expect("check after a write");
                        assert!(drift.is_empty(), "{context}: written, yet not clean:\n{drift}");
                    }
                    Err(error) => {
                        assert!(
                            error.contains(&out.display().to_string()),
                            "{context}: names no path: {error}"
                        );
                        run_check(case, set, &out).map(|_| ()).unwrap_or_else(|e| {
                            assert!(e.contains(&out.display().to_string()), "{context}: {e}");
                        });
                    }
                }
                assert_eq!(snapshot(&away), before, "{context}: a file outside --out changed");
                for (path, what) in &kept {
                    let now = snapshot(path.parent().expect("parent")).remove(path).unwrap_or_default();
                    assert_eq!(&now, what, "{context}: the foreign {} was changed or lost", path.display());
                }
            }
        }
    }
    eprintln!("hostile case {case}: {runs} spoiled folders");
}
