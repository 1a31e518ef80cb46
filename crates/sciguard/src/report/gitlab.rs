//! GitLab's code quality report: the Code Climate issue format, with the fields GitLab
//! reads (`description`, `check_name`, `fingerprint`, `severity`, `location.path`,
//! `location.lines.begin`).

use super::fingerprint::finding_ids;
use super::{rule_pointer, DocsUrl, FileReport, Pillar, Severity};
use serde::Serialize;

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: String,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: IssueLocation<'a>,
}

/// GitLab's severities for sciguard's: `info`, `minor`, `major`, `critical` (sciguard
/// has nothing above high, so `blocker` is not used).
fn gitlab_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "info",
        Severity::Low => "minor",
        Severity::Medium => "major",
        Severity::High => "critical",
    }
}

/// The Code Climate category closest to each pillar.
fn category(pillar: Pillar) -> &'static str {
    match pillar {
        Pillar::Boundaries => "Complexity",
        Pillar::Edges => "Security",
        Pillar::Feedback => "Clarity",
        Pillar::Failure => "Bug Risk",
    }
}

/// A JSON array of Code Climate issues, one per finding. The fingerprint is the finding's
/// stable id, so GitLab tracks a finding across edits that move it.
pub fn render_gitlab(reports: &[FileReport], docs: Option<&DocsUrl>) -> String {
    let issues: Vec<Issue> = reports
        .iter()
        .flat_map(|report| {
            report
                .findings
                .iter()
                .zip(finding_ids(report))
                .map(move |(f, id)| Issue {
                    kind: "issue",
                    check_name: &f.code,
                    description: format!(
                        "{}{} {}: {} ({})",
                        // In a notebook, lines count from the start of the cell.
                        f.cell.map_or(String::new(), |c| format!("cell {c}: ")),
                        f.code,
                        f.name,
                        f.message,
                        rule_pointer(&f.code, docs)
                    ),
                    categories: [category(f.pillar)],
                    severity: gitlab_severity(f.severity),
                    fingerprint: id,
                    location: IssueLocation {
                        path: &report.filename,
                        lines: Lines {
                            begin: f.span.start.row,
                            end: f.span.end.row,
                        },
                    },
                })
        })
        .collect();
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string())
}
