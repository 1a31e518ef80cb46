//! SCI501: a requirement with no version at all.

use crate::rules::config_file::{ConfigFile, ConfigFinding};

/// The rule's code.
pub const CODE: &str = "SCI501";

/// Reports bare requirement names (`numpy`, `pandas = "*"`).
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    for dependency in file.parsed.dependencies.iter().filter(|d| d.is_unpinned()) {
        out.push(ConfigFinding {
            code: CODE,
            range: dependency.range.clone(),
            message: format!(
                "`{}` has no version specifier: any release, including a vulnerable or breaking one, can be installed",
                dependency.text
            ),
            severity: None,
        });
    }
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct UnpinnedDependency;

impl crate::rules::ConfigRule for UnpinnedDependency {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
