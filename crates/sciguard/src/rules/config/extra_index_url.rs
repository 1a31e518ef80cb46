//! SCI504: an extra package index next to PyPI (dependency confusion).

use crate::rules::config_file::{mask_password, ConfigFile, ConfigFinding};

/// The rule's code.
pub const CODE: &str = "SCI504";

/// Reports `--extra-index-url`, `extra-index-url =` and `PIP_EXTRA_INDEX_URL`.
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    let message = |url: &str| {
        format!(
            "Extra index `{}`: pip installs the highest version found on any index, so a public package with the same name can replace yours",
            mask_password(url.trim())
        )
    };
    for option in file
        .parsed
        .pip_options
        .iter()
        .filter(|o| o.name == "extra-index-url")
    {
        out.push(ConfigFinding {
            code: CODE,
            range: option.range.clone(),
            message: message(&option.value),
            severity: None,
        });
    }
    for entry in file.entries(&["extra_index_url", "pip_extra_index_url", "extra_index_urls"]) {
        if entry.value.text().trim().is_empty() {
            continue;
        }
        out.push(ConfigFinding {
            code: CODE,
            range: entry.range(),
            message: message(entry.value.text()),
            severity: None,
        });
    }
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct ExtraIndexUrl;

impl crate::rules::ConfigRule for ExtraIndexUrl {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
