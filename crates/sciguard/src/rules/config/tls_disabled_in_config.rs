//! SCI509: TLS verification turned off in configuration.

use crate::rules::config_file::{ConfigFile, ConfigFinding};

/// The rule's code.
pub const CODE: &str = "SCI509";

/// Keys that turn verification off when false (`verify: false`, `ssl_verify: false`).
const VERIFY_KEYS: &[&str] = &[
    "verify",
    "ssl_verify",
    "sslverify",
    "verify_ssl",
    "tls_verify",
    "verify_certs",
    "check_hostname",
];
/// Keys that turn verification off when true.
const NO_VERIFY_KEYS: &[&str] = &[
    "ssl_no_verify",
    "insecure",
    "no_verify_ssl",
    "disable_ssl_verification",
    "tls_skip_verify",
    "insecure_skip_verify",
];
/// Keys whose empty value removes the CA bundle.
const BUNDLE_KEYS: &[&str] = &["requests_ca_bundle", "curl_ca_bundle"];

/// Reports settings that disable certificate verification.
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    let mut report = |range: std::ops::Range<usize>, key: &str, what: &str| {
        out.push(ConfigFinding {
            code: CODE,
            range,
            message: format!("`{key}` {what}: connections accept any certificate, so downloads and API calls can be intercepted; configure a CA bundle instead"),
            severity: None,
        });
    };
    for entry in file.entries(VERIFY_KEYS) {
        if entry.value.is_falsy() {
            report(
                entry.range(),
                &entry.key,
                "turns certificate verification off",
            );
        }
    }
    for entry in file.entries(NO_VERIFY_KEYS) {
        if entry.value.is_truthy() {
            report(
                entry.range(),
                &entry.key,
                "turns certificate verification off",
            );
        }
    }
    for entry in file.entries(&["pythonhttpsverify"]) {
        if entry.value.text().trim() == "0" {
            report(
                entry.range(),
                &entry.key,
                "turns off HTTPS verification for Python builds that honour it (PEP 493)",
            );
        }
    }
    for entry in file.entries(BUNDLE_KEYS) {
        if entry.value.text().trim().is_empty() {
            report(
                entry.range(),
                &entry.key,
                "is set to nothing, which some clients read as \"do not verify\"",
            );
        }
    }
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct TlsDisabledInConfig;

impl crate::rules::ConfigRule for TlsDisabledInConfig {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
