//! SCI508: a literal secret in a configuration file.

use crate::rules::config_file::{mask_password, ConfigFile, ConfigFinding};
use crate::rules::edges::hardcoded_secret::{
    is_secret_name, looks_like_secret_value, provider_secret,
};

/// The rule's code.
pub const CODE: &str = "SCI508";

/// Reports secret-named keys with real-looking values, and provider formats in any value
/// (URL passwords masked in the message).
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    for entry in &file.parsed.entries {
        let value = entry.value.text().trim();
        if let Some((what, password)) = provider_secret(value) {
            let shown = if password.is_some() {
                format!(" (`{}`)", mask_password(value))
            } else {
                String::new()
            };
            out.push(ConfigFinding {
                code: CODE,
                range: entry.value_range.clone(),
                message: format!(
                    "`{}` holds {what}{shown}; move it to the environment or a secret manager, and rotate it",
                    entry.key
                ),
                severity: None,
            });
            continue;
        }
        if is_secret_name(&entry.key) && looks_like_secret_value(&entry.key, value) {
            out.push(ConfigFinding {
                code: CODE,
                range: entry.value_range.clone(),
                message: format!(
                    "`{}` holds a literal secret; use a `${{VAR}}` placeholder, the environment or a secret manager, and rotate it",
                    entry.key
                ),
                severity: None,
            });
        }
    }
    // pip options in requirements files (`--index-url https://user:pass@host`).
    for option in &file.parsed.pip_options {
        if let Some((what, Some(_))) = provider_secret(option.value.trim()) {
            out.push(ConfigFinding {
                code: CODE,
                range: option.range.clone(),
                message: format!(
                    "`--{} {}` holds {what}; use `${{VAR}}` in the URL (pip expands it) or a keyring",
                    option.name,
                    mask_password(option.value.trim())
                ),
                severity: None,
            });
        }
    }
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct SecretInConfig;

impl crate::rules::ConfigRule for SecretInConfig {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
