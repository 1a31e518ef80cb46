//! SCI505: a package index reached without TLS verification (`--trusted-host`, `http://`).

use crate::rules::config_file::{mask_password, ConfigFile, ConfigFinding};

/// The rule's code.
pub const CODE: &str = "SCI505";

const INDEX_KEYS: &[&str] = &[
    "index_url",
    "extra_index_url",
    "pip_index_url",
    "pip_extra_index_url",
    "find_links",
    "pip_find_links",
    "repository",
];

/// Reports trusted hosts and plain-HTTP index URLs.
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    let trusted = |host: &str| {
        format!(
            "`{}` is a trusted host: pip accepts it without a valid certificate, so anyone on the path can serve packages; install the index's CA instead (`--cert`, `PIP_CERT`)",
            host.trim()
        )
    };
    let plain = |url: &str| {
        format!(
            "Index `{}` is plain HTTP: packages can be replaced in transit; use https",
            mask_password(url.trim())
        )
    };
    for option in &file.parsed.pip_options {
        if option.name == "trusted-host" {
            out.push(finding(option.range.clone(), trusted(&option.value)));
        } else if matches!(
            option.name.as_str(),
            "index-url" | "extra-index-url" | "find-links"
        ) && option.value.trim().starts_with("http://")
        {
            out.push(finding(option.range.clone(), plain(&option.value)));
        }
    }
    for entry in file.entries(&["trusted_host", "pip_trusted_host"]) {
        if !entry.value.text().trim().is_empty() {
            out.push(finding(entry.range(), trusted(entry.value.text())));
        }
    }
    for entry in file.entries(INDEX_KEYS) {
        if entry.value.text().trim().starts_with("http://") {
            out.push(finding(entry.range(), plain(entry.value.text())));
        }
    }
}

fn finding(range: std::ops::Range<usize>, message: String) -> ConfigFinding {
    ConfigFinding {
        code: CODE,
        range,
        message,
        severity: None,
    }
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct InsecureIndex;

impl crate::rules::ConfigRule for InsecureIndex {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
