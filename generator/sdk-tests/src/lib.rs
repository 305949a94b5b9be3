//! The Wegly SDK's behaviour tests (in `tests/`): the SDK against wiremock (requests, the fault
//! matrix of retries, `Retry-After` and timeouts, multipart, tracing, webhooks) and the contract
//! test against Prism, plus the typed-decode benchmark. The library itself is empty; the tests
//! are hand-written and so stay out of `generated/`, and out of the generator's own tests.

/// The README's examples (which use the SDK), compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
