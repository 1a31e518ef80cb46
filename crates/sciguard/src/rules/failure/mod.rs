//! Failure planning (4xx): timeouts, bounded retries, no swallowed errors.

pub mod swallowed_exception;
pub mod unbounded_retry_loop;
