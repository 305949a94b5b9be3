//! Order-preserving parallel map over a slice, on scoped threads (one per core).
//!
//! Rendering and formatting thousands of files is the generator's hot path; the results come
//! back in input order whatever the scheduling, so the output stays deterministic.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::Error;

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
                scope.spawn(move || {
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
            .map(|worker| {
                worker.join().unwrap_or_else(|_| {
                    vec![(0, Err(Error::Internal { stage, message: "a worker thread panicked".to_owned() }))]
                })
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
