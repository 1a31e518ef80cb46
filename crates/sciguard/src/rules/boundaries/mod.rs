//! Explicit boundaries (1xx): one reason to change, no hidden shared state.

pub mod mutable_default_argument;
pub mod star_import;
