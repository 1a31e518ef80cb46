//! Stable ids for findings that do not depend on line numbers: the checklist keys its
//! ticks by them, the CLI's baseline and GitLab's Code Climate report match findings
//! with them, so editing code above a finding moves it but keeps its id.

use crate::vocab::FileReport;
use std::collections::BTreeMap;

/// The stable id of every finding of a report, in the order of `report.findings` (see
/// [`finding_id`]).
pub fn finding_ids(report: &FileReport) -> Vec<String> {
    finding_ids_named(&report.filename, report)
}

/// [`finding_ids`] with the file named `path` rather than as the report names it (the
/// CLI's baseline names files relative to its own folder).
pub fn finding_ids_named(path: &str, report: &FileReport) -> Vec<String> {
    let lines: Vec<&str> = report.source.lines().collect();
    let scopes = top_level_scopes(&lines);
    let mut seen: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    report
        .findings
        .iter()
        .map(|finding| {
            let row = finding.span.start.row.saturating_sub(1);
            let text = lines.get(row).map_or("", |l| l.trim());
            let scope = scopes.get(row).copied().unwrap_or("");
            let occurrence = seen
                .entry((finding.code.as_str(), scope, text))
                .or_default();
            let id = finding_id(path, &finding.code, scope, text, *occurrence);
            *occurrence += 1;
            id
        })
        .collect()
}

/// The stable id of a finding: its rule code and a hash of the file path, the code, the
/// top-level statement it sits in (its function's `def` line), the trimmed text of the
/// line it starts on, and which occurrence of that same (code, scope, text) it is. Line
/// numbers are left out on purpose: editing code above a finding moves it but keeps its
/// id. Fixing one of two identical lines in the same function may hand the first one's
/// id to the second.
pub fn finding_id(
    path: &str,
    code: &str,
    scope: &str,
    line_text: &str,
    occurrence: usize,
) -> String {
    let occurrence = occurrence.to_string();
    format!(
        "{}-{}",
        code.to_ascii_lowercase(),
        short_hash(&[
            path.as_bytes(),
            code.as_bytes(),
            scope.as_bytes(),
            line_text.as_bytes(),
            occurrence.as_bytes()
        ])
    )
}

/// For each line, the trimmed text of the top-level statement it sits in (the
/// `def`/`class` line of an indented body), or "" for a top-level line. A text-level
/// guess (no parse): good enough to tell apart identical lines in different functions.
pub(crate) fn top_level_scopes<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let mut current = "";
    lines
        .iter()
        .map(|line| {
            let starts_statement = !line.starts_with(char::is_whitespace)
                && !line.is_empty()
                && !line.starts_with(['#', ')', ']', '}', '@']);
            if starts_statement {
                current = line.trim_end();
                ""
            } else {
                current
            }
        })
        .collect()
}

/// 12 hex digits of the FNV-1a (64-bit) hash of the parts, each followed by a 0 byte.
/// Written out rather than taken from std so it is the same on every platform and
/// every Rust version (std's hashers are neither).
pub(crate) fn short_hash(parts: &[&[u8]]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in parts {
        for byte in part.iter().chain(&[0u8]) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{:012x}", hash >> 16)
}
