//! SCI502 (a lower bound admits an affected version) and SCI503 (a pin inside an
//! affected range), matched against the advisory table with PEP 440 semantics.

use crate::rules::config_file::{ConfigFile, ConfigFinding};
use crate::config::advisories::{highest_fix, Advisory};
use crate::vocab::Severity;

/// SCI502's code.
pub const LOWER_BOUND_CODE: &str = "SCI502";
/// SCI503's code.
pub const PINNED_CODE: &str = "SCI503";

/// At most this many advisory ids are named in one message.
const MAX_IDS: usize = 3;

/// Reports declarations that admit versions with known advisories.
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    for dependency in &file.parsed.dependencies {
        // Bare names are SCI501's; URLs carry no version to match.
        if dependency.is_unpinned() {
            continue;
        }
        let Some(admitted) = dependency.admitted() else {
            continue;
        };
        let matching = file.advisories.matching(&dependency.name, &admitted);
        if matching.is_empty() {
            continue;
        }
        let disputed_only = matching.iter().all(|a| a.disputed);
        // Disputed advisories with no fixed release leave nothing to do: no version to
        // move to, and the maintainers do not agree there is a flaw.
        if disputed_only && highest_fix(&matching).is_none() {
            continue;
        }
        let ids = describe(&matching);
        let fix = match highest_fix(&matching) {
            Some(v) => format!("the fixes are in {} {v}", dependency.name),
            None => "at least one has no fixed release yet".to_string(),
        };
        let (code, message, severity) = if dependency.is_pin() {
            (
                PINNED_CODE,
                format!(
                    "`{}` is a known-vulnerable version: {ids}; {fix}",
                    dependency.text
                ),
                disputed_only.then_some(Severity::Low),
            )
        } else {
            (
                LOWER_BOUND_CODE,
                format!(
                    "`{}` admits known-vulnerable versions: {ids}; raise the floor ({fix})",
                    dependency.text
                ),
                disputed_only.then_some(Severity::Low),
            )
        };
        out.push(ConfigFinding {
            code,
            range: dependency.range.clone(),
            message,
            severity,
        });
    }
}

fn describe(advisories: &[&Advisory]) -> String {
    let mut parts: Vec<String> = advisories
        .iter()
        .take(MAX_IDS)
        .map(|a| {
            let id = a.ids.first().map(String::as_str).unwrap_or("advisory");
            let disputed = if a.disputed { ", disputed" } else { "" };
            format!("{id} ({}{disputed})", a.summary)
        })
        .collect();
    if advisories.len() > MAX_IDS {
        parts.push(format!("{} more", advisories.len() - MAX_IDS));
    }
    parts.join("; ")
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct VulnerableVersion;

impl crate::rules::ConfigRule for VulnerableVersion {
    const CODES: &'static [&'static str] = &[LOWER_BOUND_CODE, PINNED_CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
