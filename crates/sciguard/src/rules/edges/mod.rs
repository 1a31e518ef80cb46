//! Guardrails at edges (2xx): inputs, outputs and external calls are validated.

pub mod assert_for_validation;
pub mod hardcoded_secret;
pub mod insecure_temp_file;
