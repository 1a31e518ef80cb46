//! The dependency and configuration rules (5xx). They read the neutral shapes of
//! [`crate::config`] (dependencies, entries, pip options, command lines), so each rule is
//! written once for every format.

pub mod bind_all_interfaces;
pub mod debug_mode_enabled;
pub mod extra_index_url;
pub mod insecure_index;
pub mod jupyter_server_exposed;
pub mod mutable_vcs_requirement;
pub mod partial_hashes;
pub mod secret_in_config;
pub mod tls_disabled_in_config;
pub mod torch_weights_only_disabled;
pub mod unpinned_dependency;
pub mod vulnerable_version;

use crate::config::advisories::AdvisoryTable;
use crate::config::{Entry, ParsedConfig};
use crate::input::SourceKind;
use crate::report::Severity;
use std::ops::Range;

/// The codes of the configuration rules implemented here.
pub const CODES: [&str; 13] = [
    unpinned_dependency::CODE,
    vulnerable_version::LOWER_BOUND_CODE,
    vulnerable_version::PINNED_CODE,
    extra_index_url::CODE,
    insecure_index::CODE,
    mutable_vcs_requirement::CODE,
    partial_hashes::CODE,
    secret_in_config::CODE,
    tls_disabled_in_config::CODE,
    debug_mode_enabled::CODE,
    jupyter_server_exposed::CODE,
    torch_weights_only_disabled::CODE,
    bind_all_interfaces::CODE,
];

/// One configuration file being checked.
pub struct ConfigFile<'a> {
    /// Its path as given.
    pub path: &'a str,
    /// Its kind.
    pub kind: SourceKind,
    /// Its text.
    pub text: &'a str,
    /// What the parser read from it.
    pub parsed: &'a ParsedConfig,
    /// The advisory table in use.
    pub advisories: &'a AdvisoryTable,
}

impl ConfigFile<'_> {
    /// The file name, lower-cased (`.env.local`).
    pub fn file_name(&self) -> String {
        self.path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(self.path)
            .to_ascii_lowercase()
    }

    /// Settings whose normalized key is one of `keys` (see [`Entry::key_is`]).
    pub fn entries<'s>(&'s self, keys: &'s [&str]) -> impl Iterator<Item = &'s Entry> + 's {
        self.parsed
            .entries
            .iter()
            .filter(move |e| keys.iter().any(|k| e.key_is(k)))
    }
}

/// A finding of a 5xx rule, before positions are computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigFinding {
    /// The rule code.
    pub code: &'static str,
    /// What is flagged (byte offsets).
    pub range: Range<usize>,
    /// The message.
    pub message: String,
    /// Overrides the rule's severity.
    pub severity: Option<Severity>,
}

/// Runs every 5xx rule on a configuration file.
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    unpinned_dependency::check(file, out);
    vulnerable_version::check(file, out);
    extra_index_url::check(file, out);
    insecure_index::check(file, out);
    mutable_vcs_requirement::check(file, out);
    partial_hashes::check(file, out);
    secret_in_config::check(file, out);
    tls_disabled_in_config::check(file, out);
    debug_mode_enabled::check(file, out);
    jupyter_server_exposed::check(file, out);
    torch_weights_only_disabled::check(file, out);
    bind_all_interfaces::check(file, out);
}

/// Masks the password of `scheme://user:password@host` URLs (`user:****@host`).
pub fn mask_password(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else {
        return text.to_string();
    };
    let rest = &text[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:****{}",
            &text[..scheme_end + 3],
            &authority[..colon],
            &text[scheme_end + 3 + at..]
        ),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_url_passwords() {
        assert_eq!(
            mask_password("https://bob:s3cr3t@pkgs.example.org/simple"),
            "https://bob:****@pkgs.example.org/simple"
        );
        assert_eq!(
            mask_password("https://pkgs.example.org/simple"),
            "https://pkgs.example.org/simple"
        );
        assert_eq!(
            mask_password("https://token@host/x"),
            "https://token@host/x"
        );
    }
}
