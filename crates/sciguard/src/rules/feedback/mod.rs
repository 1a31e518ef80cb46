//! Operational feedback (3xx): logs, metrics and warnings explain behaviour.

pub mod numpy_errors_ignored;
