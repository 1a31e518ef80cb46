//! SCI507: some requirements carry `--hash` and others don't.

use crate::rules::config_file::{ConfigFile, ConfigFinding};

/// The rule's code.
pub const CODE: &str = "SCI507";

/// Reports each unhashed requirement in a file where others are hashed.
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    let hashed = file.parsed.hashed.iter().filter(|(_, h)| *h).count();
    if hashed == 0 {
        return;
    }
    for (range, _) in file.parsed.hashed.iter().filter(|(_, h)| !*h) {
        out.push(ConfigFinding {
            code: CODE,
            range: range.clone(),
            message: format!(
                "`{}` has no `--hash` while {hashed} other requirement(s) do: pip then requires hashes for every line and the install fails; generate them all (`pip-compile --generate-hashes`)",
                file.text.get(range.clone()).unwrap_or("").trim()
            ),
            severity: None,
        });
    }
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct PartialHashes;

impl crate::rules::ConfigRule for PartialHashes {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
