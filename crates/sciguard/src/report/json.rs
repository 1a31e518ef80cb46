//! JSON output in Ruff's shape, plus sciguard's `name`, `pillar` and `severity`.

use super::{Applicability, DocsUrl, FileReport, Location, Pillar, Severity};
use serde::Serialize;

#[derive(Serialize)]
struct JsonEdit<'a> {
    content: &'a str,
    location: Location,
    end_location: Location,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    name: &'a str,
    message: &'a str,
    pillar: Pillar,
    severity: Severity,
    filename: &'a str,
    location: Location,
    end_location: Location,
    fix: Option<JsonFix<'a>>,
    noqa_row: usize,
    /// Only with a docs base: sciguard has no address of its own to invent.
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<usize>,
}

/// A JSON array of findings across files; each has a `url` when there is a docs base.
pub fn render_json(reports: &[FileReport], docs: Option<&DocsUrl>) -> String {
    let findings: Vec<JsonFinding> = reports
        .iter()
        .flat_map(|report| {
            report.findings.iter().map(move |f| JsonFinding {
                code: &f.code,
                name: &f.name,
                message: &f.message,
                pillar: f.pillar,
                severity: f.severity,
                filename: &report.filename,
                location: f.span.start,
                end_location: f.span.end,
                fix: f.fix.as_ref().map(|fix| JsonFix {
                    applicability: fix.applicability,
                    message: &fix.message,
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| JsonEdit {
                            content: &e.content,
                            location: e.span.start,
                            end_location: e.span.end,
                        })
                        .collect(),
                }),
                noqa_row: f.span.start.row,
                url: docs.map(|d| d.rule_url(&f.code)),
                cell: f.cell,
            })
        })
        .collect();
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&findings).unwrap_or_else(|_| "[]".to_string())
}
