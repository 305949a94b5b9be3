//! When to retry a request and how long to wait: which failures are worth another attempt for
//! which methods, exponential backoff with jitter, the server's `Retry-After` honoured up to a
//! ceiling, and the client's retry budget (a token bucket, as in smithy-rs's standard strategy).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

/// The statuses retried by default: request timeout, rate limit, and the transient server errors.
const DEFAULT_STATUSES: [u16; 6] = [408, 429, 500, 502, 503, 504];

/// How a request is retried.
///
/// By default a request is sent up to 3 times. What is retried:
///
/// | failure | methods |
/// |---|---|
/// | the connection could not be made (nothing was sent) | every method |
/// | a timeout, a connection that broke, a response body that broke off | GET, HEAD, OPTIONS, PUT, DELETE |
/// | the statuses 408, 429, 500, 502, 503 and 504 (see [`RetryPolicy::retry_on_status`]) | GET, HEAD, OPTIONS, PUT, DELETE |
///
/// POST and PATCH join the second and third rows when the call carries an idempotency key
/// ([`crate::Call::idempotency_key`]) or opts in with [`crate::Call::retry_non_idempotent`].
/// Other statuses (409 among them) and responses that do not decode are never retried.
/// A retry also needs time left before the call's deadline ([`crate::ClientBuilder::timeout`])
/// and tokens in the client's retry budget ([`crate::ClientBuilder::retry_budget`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
    /// Sorted and without duplicates.
    statuses: Vec<u16>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
            statuses: DEFAULT_STATUSES.to_vec(),
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

    /// Also retries responses with `status` (such as 409, which is not retried by default).
    pub fn retry_on_status(mut self, status: u16) -> Self {
        if let Err(at) = self.statuses.binary_search(&status) {
            self.statuses.insert(at, status);
        }
        self
    }

    /// Does not retry responses with `status` (such as 429, when the caller paces itself).
    pub fn no_retry_on_status(mut self, status: u16) -> Self {
        self.statuses.retain(|retried| *retried != status);
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether the policy retries an answer with `status`.
    pub(crate) fn retries_status(&self, status: reqwest::StatusCode) -> bool {
        self.statuses.binary_search(&status.as_u16()).is_ok()
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

/// Whether a method may be repeated without changing the outcome.
pub(crate) fn idempotent(method: &reqwest::Method) -> bool {
    matches!(
        *method,
        reqwest::Method::GET
            | reqwest::Method::HEAD
            | reqwest::Method::PUT
            | reqwest::Method::DELETE
            | reqwest::Method::OPTIONS
    )
}

/// The tokens a client's retry budget starts with, and its ceiling.
pub(crate) const DEFAULT_BUDGET: u32 = 500;
/// What a retry after an error status costs.
const RETRY_COST: u32 = 5;
/// What a retry after a transport failure (a timeout, a refused or broken connection) costs.
const TRANSPORT_RETRY_COST: u32 = 10;
/// What a call that succeeds at once puts back.
const SUCCESS_REWARD: u32 = 1;

/// A failure that another attempt may cure, and whether this request may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Transient {
    /// The retry budget tokens a retry costs.
    pub(crate) cost: u32,
    /// Whether the rules let this request be sent again (by its method and the call's options).
    pub(crate) safe: bool,
}

impl Transient {
    /// An answer with `status`, when the policy retries it; `may_repeat` tells whether the
    /// request may be sent twice (an idempotent method, an idempotency key, or the caller's say).
    pub(crate) fn status(policy: &RetryPolicy, status: reqwest::StatusCode, may_repeat: bool) -> Option<Self> {
        policy.retries_status(status).then_some(Self { cost: RETRY_COST, safe: may_repeat })
    }

    /// A request that did not complete. A connection that was never made sent nothing, so any
    /// request may be sent again; after a timeout or a broken connection or body the server may
    /// have acted, so only requests that may be sent twice are.
    pub(crate) fn transport(error: &reqwest::Error, may_repeat: bool) -> Option<Self> {
        if error.is_connect() {
            Some(Self { cost: TRANSPORT_RETRY_COST, safe: true })
        } else if error.is_timeout() || error.is_request() || error.is_body() || error.is_decode() {
            Some(Self { cost: TRANSPORT_RETRY_COST, safe: may_repeat })
        } else {
            None
        }
    }
}

/// A client's retry budget: a token bucket shared by all its calls. A retry takes tokens, and
/// a call that fails for good keeps them spent, so a failing server soon gets each call once; a
/// call that succeeds gives back what its retries took, or one token when it took none.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    tokens: AtomicU32,
    ceiling: u32,
}

impl RetryBudget {
    pub(crate) fn new(tokens: u32) -> Self {
        Self { tokens: AtomicU32::new(tokens), ceiling: tokens }
    }

    /// Takes `cost` tokens if there are that many.
    pub(crate) fn acquire(&self, cost: u32) -> bool {
        self.tokens.fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| left.checked_sub(cost)).is_ok()
    }

    /// Records a call that succeeded after its retries took `spent` tokens.
    pub(crate) fn succeeded(&self, spent: u32) {
        let back = if spent == 0 { SUCCESS_REWARD } else { spent };
        let ceiling = self.ceiling;
        // The closure always answers `Some`, so the update cannot fail.
        let _ = self.tokens.fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| {
            Some(left.saturating_add(back).min(ceiling))
        });
    }

    /// The tokens left.
    pub(crate) fn left(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
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
        let policy = RetryPolicy::default();
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(policy.retries_status(reqwest::StatusCode::from_u16(status).expect("a status")), "{status}");
        }
        for status in [400, 404, 409, 422, 501, 505] {
            assert!(!policy.retries_status(reqwest::StatusCode::from_u16(status).expect("a status")), "{status}");
        }
        let policy = policy.retry_on_status(409).retry_on_status(409).no_retry_on_status(429);
        assert!(policy.retries_status(reqwest::StatusCode::CONFLICT));
        assert!(!policy.retries_status(reqwest::StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(policy.statuses, [408, 409, 500, 502, 503, 504]);
        let transient = Transient::status(&policy, reqwest::StatusCode::BAD_GATEWAY, false);
        assert_eq!(transient, Some(Transient { cost: RETRY_COST, safe: false }));
        assert!(idempotent(&reqwest::Method::PUT));
        assert!(!idempotent(&reqwest::Method::POST));
        assert!(!idempotent(&reqwest::Method::PATCH));
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::never().attempts(), 1);
    }

    #[test]
    fn the_budget_is_spent_by_retries_and_refilled_by_successes() {
        let budget = RetryBudget::new(12);
        assert!(budget.acquire(TRANSPORT_RETRY_COST));
        assert!(!budget.acquire(RETRY_COST), "2 tokens left");
        budget.succeeded(0);
        assert_eq!(budget.left(), 3);
        budget.succeeded(TRANSPORT_RETRY_COST);
        assert_eq!(budget.left(), 12, "never above the ceiling");
        let empty = RetryBudget::new(0);
        assert!(!empty.acquire(RETRY_COST));
        empty.succeeded(0);
        assert_eq!(empty.left(), 0);
    }
}
