//! When to retry a request and how long to wait: exponential backoff with jitter, a cap, and
//! the server's `Retry-After` honoured up to a ceiling.

use std::time::{Duration, SystemTime};

/// How a request is retried.
///
/// By default a request is tried up to 3 times when the connection fails or the server answers
/// 408, 429 or any 5xx. Only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are
/// retried, unless the request carries an idempotency key or opts in with
/// [`crate::Call::retry_non_idempotent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// How many times a request is sent at most, the first time included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; each later wait doubles, up to [`Self::max_backoff`].
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between two attempts when the server does not say.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest wait a `Retry-After` header can ask for; longer requests wait this long.
    pub fn max_retry_after(mut self, ceiling: Duration) -> Self {
        self.max_retry_after = ceiling;
        self
    }

    /// Whether waits are randomized (between half and all of the computed wait), so that many
    /// clients do not retry in step. On by default.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before attempt `next` (2 for the first retry), given the server's `Retry-After`.
    pub(crate) fn delay(&self, next: u32, retry_after: Option<&str>) -> Duration {
        if let Some(wait) = retry_after.and_then(parse_retry_after) {
            return wait.min(self.max_retry_after);
        }
        let doublings = next.saturating_sub(2).min(30);
        let computed = self.initial_backoff.saturating_mul(1 << doublings).min(self.max_backoff);
        if self.jitter {
            computed.mul_f64(0.5 + fastrand::f64() / 2.0)
        } else {
            computed
        }
    }
}

/// Whether a status is worth retrying: request timeout, rate limit, or a server error.
pub(crate) fn retryable_status(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429) || status.is_server_error()
}

/// Whether a method may be repeated without changing the outcome.
pub(crate) fn idempotent(method: &reqwest::Method) -> bool {
    matches!(
        *method,
        reqwest::Method::GET
            | reqwest::Method::HEAD
            | reqwest::Method::PUT
            | reqwest::Method::DELETE
            | reqwest::Method::OPTIONS
            | reqwest::Method::TRACE
    )
}

/// `Retry-After` as delta-seconds or an HTTP-date; `None` when it is neither.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_without_jitter() {
        let policy = RetryPolicy::default().jitter(false);
        let waits: Vec<u64> = (2..=7).map(|next| policy.delay(next, None).as_millis() as u64).collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000]);
        assert_eq!(policy.delay(u32::MAX, None), Duration::from_secs(8));
    }

    #[test]
    fn jitter_stays_between_half_and_all_of_the_wait() {
        let policy = RetryPolicy::default();
        for _ in 0..100 {
            let wait = policy.delay(3, None);
            assert!(wait >= Duration::from_millis(500) && wait <= Duration::from_millis(1000), "{wait:?}");
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_ceiling() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(30));
        assert_eq!(policy.delay(2, Some("7")), Duration::from_secs(7));
        assert_eq!(policy.delay(2, Some("3600")), Duration::from_secs(30));
        assert_eq!(policy.clone().jitter(false).delay(2, Some("soon")), Duration::from_millis(500));
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        assert_eq!(parse_retry_after(" 12 "), Some(Duration::from_secs(12)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let wait = parse_retry_after(&later).expect("a date");
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120), "{wait:?}");
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after(""), None);
    }

    #[test]
    fn what_is_retried() {
        assert!(retryable_status(reqwest::StatusCode::TOO_MANY_REQUESTS));
        assert!(retryable_status(reqwest::StatusCode::REQUEST_TIMEOUT));
        assert!(retryable_status(reqwest::StatusCode::BAD_GATEWAY));
        assert!(!retryable_status(reqwest::StatusCode::NOT_FOUND));
        assert!(idempotent(&reqwest::Method::PUT));
        assert!(!idempotent(&reqwest::Method::POST));
        assert!(!idempotent(&reqwest::Method::PATCH));
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::never().attempts(), 1);
    }
}
