//! SCI501: requirements with no version at all, in a requirements file that pins others.
//!
//! A library's metadata (`[project].dependencies`, `install_requires`) should not pin:
//! its users' resolvers need room. A requirements file whose lines are all bare names
//! tracks the latest releases on purpose (examples, notebooks). A file that pins some
//! requirements and leaves others bare is the case worth a look: the bare ones are most
//! likely an oversight. One finding per file names every bare requirement.

use crate::input::SourceKind;
use crate::python::suppression::config_line_suppresses;
use crate::rules::config_file::{ConfigFile, ConfigFinding};

/// The rule's code.
pub const CODE: &str = "SCI501";

/// At most this many names are listed in the message; the rest are counted.
const LISTED: usize = 8;

/// Reports the bare requirement names (`numpy`, `torch ; sys_platform == "linux"`) of
/// a requirements file, once.
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    // What a docs builder installs is not deployed (and is often unmaintained theme code).
    if file.is_docs_requirements() {
        return;
    }
    if SourceKind::from_path(file.path) != Some(SourceKind::Requirements) {
        return;
    }
    let bare: Vec<_> = file
        .parsed
        .dependencies
        .iter()
        .filter(|d| d.is_unpinned())
        // A line's own `# noqa` takes that requirement out of the one finding.
        .filter(|d| {
            let before = file.text.get(..d.range.start).unwrap_or("");
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            let line = file.text.get(start..).and_then(|t| t.lines().next());
            !line.is_some_and(|line| config_line_suppresses(line, CODE))
        })
        .collect();
    let Some(first) = bare.first() else {
        return;
    };
    if !file.parsed.dependencies.iter().any(|d| d.is_pin()) {
        return;
    }
    let mut names: Vec<String> = bare
        .iter()
        .take(LISTED)
        .map(|d| format!("`{}`", d.text))
        .collect();
    if bare.len() > LISTED {
        names.push(format!("and {} more", bare.len() - LISTED));
    }
    let message = if bare.len() == 1 {
        format!(
            "{} has no version specifier while this file pins others: any release of it, including a vulnerable or breaking one, can be installed; pin it (`==`) or at least bound it",
            names[0]
        )
    } else {
        format!(
            "{} requirements have no version specifier while this file pins others: {}; any release of them, including a vulnerable or breaking one, can be installed; pin them (`==`, ideally with a lock file) or at least bound them",
            bare.len(),
            names.join(", ")
        )
    };
    out.push(ConfigFinding {
        code: CODE,
        range: first.range.clone(),
        message,
        severity: None,
    });
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct UnpinnedDependency;

impl crate::rules::ConfigRule for UnpinnedDependency {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
