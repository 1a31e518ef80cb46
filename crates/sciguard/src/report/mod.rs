//! Findings, their positions and fixes, and the output formats built from them.

mod github;
mod json;
mod sarif;
mod text;

pub use github::render_github;
pub use json::render_json;
pub use sarif::render_sarif;
pub(crate) use text::line_at;
pub use text::{render_text, summary_line};

pub use crate::vocab::{
    Applicability, Edit, FileReport, Finding, Fix, Location, Pillar, Severity, Span,
};
use serde::Serialize;

/// Counts of findings per pillar and severity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Findings per pillar, in `Pillar::ALL` order.
    pub per_pillar: [usize; 4],
    /// Findings per severity: info, low, medium, high.
    pub per_severity: [usize; 4],
    /// Findings that are not tied to a pillar (syntax errors).
    pub syntax_errors: usize,
}

impl Summary {
    /// Tallies the findings of several files.
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary::default();
        for finding in reports.iter().flat_map(|r| &r.findings) {
            if finding.code == crate::vocab::SYNTAX_ERROR_CODE {
                summary.syntax_errors += 1;
                continue;
            }
            let pillar = Pillar::ALL
                .iter()
                .position(|p| *p == finding.pillar)
                .unwrap_or(0);
            summary.per_pillar[pillar] += 1;
            summary.per_severity[finding.severity as usize] += 1;
        }
        summary
    }

    /// Total number of findings.
    pub fn total(&self) -> usize {
        self.per_pillar.iter().sum::<usize>() + self.syntax_errors
    }
}

/// The address of a rule's page on the site.
pub fn rule_url(code: &str) -> String {
    format!("{}/#/rules/{code}", crate::SITE_URL)
}
