//! Shared helpers of the hostile suite: a hang guard with a timing report, and temp folders.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a case may run before the suite calls it a hang. Far above every case's real time:
/// it turns a hang into a failure that names the case, it does not measure speed.
const HANG_GUARD: Duration = Duration::from_secs(300);

/// Runs `f` on its own thread (with the test harness's default 2 MiB stack: the generator runs
/// its own stages on threads with the stack they need), fails the case if it panics or has not
/// finished within [`HANG_GUARD`], and appends the case's wall time to the suite's report.
pub fn timed<T: Send + 'static>(case: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    let start = Instant::now();
    let worker = std::thread::Builder::new()
        .name(case.to_owned())
        .spawn(move || {
            let _ = send.send(f());
        })
        .expect("the case's thread starts");
    let value = match receive.recv_timeout(HANG_GUARD) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{case}: still running after {HANG_GUARD:?} (a hang)"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let _ = worker.join();
            panic!("{case}: panicked (see above)")
        }
    };
    let elapsed = start.elapsed();
    report(case, elapsed);
    value
}

fn report(case: &str, elapsed: Duration) {
    eprintln!("hostile case {case}: {} ms", elapsed.as_millis());
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile-report.tsv");
    if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
        let _ = writeln!(file, "{case}\t{}", elapsed.as_millis());
    }
}

/// A fresh, empty folder for one case, under the target's temp folder.
pub fn temp_dir(case: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile").join(case);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Writes `text` to `dir/name`, creating folders, and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("parent folder");
    }
    std::fs::write(&path, text).expect("file written");
    path
}

/// Makes a FIFO at `path` (with the system's `mkfifo`).
pub fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}
