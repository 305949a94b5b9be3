//! Order-preserving parallel map over a slice, on scoped threads (one per core).
//!
//! Rendering and formatting thousands of files is the generator's hot path; the results come
//! back in input order whatever the scheduling, so the output stays deterministic.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{Scope, ScopedJoinHandle};

use crate::diagnostics::Error;

/// The stack of every thread the generator runs on. The parsers refuse documents nested more
/// than 128 deep, and each stage walks that nesting recursively (serde's typed parsing, the
/// tree walks, lowering, syn): in a debug build a level takes up to about 50 KB of stack, more
/// than the 2 MB a thread gets by default holds. 64 MB leaves a wide margin; it is reserved
/// address space, and only the part a run touches takes memory.
pub(crate) const STACK_SIZE: usize = 64 << 20;

/// Starts a scoped thread with [`STACK_SIZE`].
pub(crate) fn spawn_scoped<'scope, 'env, T: Send + 'scope>(
    scope: &'scope Scope<'scope, 'env>,
    stage: &'static str,
    f: impl FnOnce() -> T + Send + 'scope,
) -> Result<ScopedJoinHandle<'scope, T>, Error> {
    std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn_scoped(scope, f)
        .map_err(|error| Error::Internal { stage, message: format!("cannot start a thread: {error}") })
}

/// Runs `f` on a thread of its own with [`STACK_SIZE`], so that how deep a document may nest
/// does not depend on the caller's stack.
pub(crate) fn with_stack<T: Send>(
    stage: &'static str,
    f: impl FnOnce() -> Result<T, Error> + Send,
) -> Result<T, Error> {
    std::thread::scope(|scope| {
        spawn_scoped(scope, stage, f)?
            .join()
            .unwrap_or_else(|_| Err(Error::Internal { stage, message: "a thread panicked".to_owned() }))
    })
}

/// Applies `f` to every item on up to `available_parallelism` threads; the first error (in input
/// order) wins. Workers take the next item from a shared counter, so one slow item (a large
/// file) does not leave the other threads idle.
pub fn map<T, R, F>(items: &[T], stage: &'static str, f: F) -> Result<Vec<R>, Error>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> Result<R, Error> + Sync,
{
    let threads = std::thread::available_parallelism().map(usize::from).unwrap_or(1).min(items.len()).max(1);
    let next = AtomicUsize::new(0);
    let (f, next) = (&f, &next);
    let parts: Vec<Vec<(usize, Result<R, Error>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                spawn_scoped(scope, stage, move || {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        done.push((index, f(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| match worker {
                Ok(worker) => worker.join().unwrap_or_else(|_| {
                    vec![(0, Err(Error::Internal { stage, message: "a worker thread panicked".to_owned() }))]
                }),
                Err(error) => vec![(0, Err(error))],
            })
            .collect()
    });
    let mut all: Vec<(usize, Result<R, Error>)> = parts.into_iter().flatten().collect();
    all.sort_by_key(|(index, _)| *index);
    all.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::map;
    use crate::diagnostics::Error;

    #[test]
    fn keeps_order_and_reports_the_first_error() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = map(&items, "test", |i| Ok(i * 2)).expect("no error");
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        let failed = map(&items, "test", |i| {
            if *i >= 500 { Err(Error::Internal { stage: "test", message: i.to_string() }) } else { Ok(*i) }
        });
        assert!(matches!(failed, Err(Error::Internal { message, .. }) if message == "500"));
        assert!(map(&Vec::<u32>::new(), "test", |i| Ok(*i)).expect("empty").is_empty());
    }
}
