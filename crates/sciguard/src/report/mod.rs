//! Findings, their positions and fixes, and the output formats built from them.

pub mod baseline;
pub mod fingerprint;
mod github;
mod gitlab;
mod json;
mod sarif;
mod text;

pub use github::render_github;
pub use gitlab::render_gitlab;
pub use json::render_json;
pub use sarif::{render_sarif, RuleHelp};
pub(crate) use text::line_at;
pub use text::{render_text, summary_line};

pub use crate::vocab::{
    Applicability, DocsUrl, DocsUrlError, Edit, FileReport, Finding, Fix, Location, Pillar,
    Severity, Span,
};
use serde::Serialize;

/// Counts of findings per pillar and severity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Findings per pillar, in `Pillar::ALL` order.
    pub per_pillar: [usize; 4],
    /// Findings per severity: info, low, medium, high.
    pub per_severity: [usize; 4],
    /// Syntax errors, counted apart from the pillars (sciguard's notes on its own limits
    /// count as info findings of their pillar).
    pub syntax_errors: usize,
}

impl Summary {
    /// Tallies the findings of several files.
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary::default();
        for finding in reports.iter().flat_map(|r| &r.findings) {
            if finding.is_syntax_error() {
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

/// Where a rule is explained: its page under the docs base, or the command that prints it.
fn rule_pointer(code: &str, docs: Option<&DocsUrl>) -> String {
    match docs {
        Some(docs) => docs.rule_url(code),
        None => format!("sciguard rule {code}"),
    }
}

#[cfg(test)]
mod tests {
    use super::DocsUrl;

    fn link(base: &str) -> String {
        DocsUrl::parse(base).unwrap().rule_url("SCI202")
    }

    #[test]
    fn rule_links_follow_the_sites_route_under_the_base() {
        let wiki = "https://wiki.example.org/sciguard/#/rules/SCI202";
        assert_eq!(link("https://wiki.example.org/sciguard/"), wiki);
        assert_eq!(link("https://wiki.example.org/sciguard"), wiki);
        assert_eq!(link(" https://wiki.example.org/sciguard/ "), wiki);
        assert_eq!(link("HTTP://host"), "HTTP://host/#/rules/SCI202");
        assert_eq!(
            link("https://host/tools/index.html"),
            "https://host/tools/index.html#/rules/SCI202"
        );
        assert_eq!(
            link("https://host/wiki?page=sciguard"),
            "https://host/wiki?page=sciguard#/rules/SCI202"
        );
        assert_eq!(link("../sciguard"), "../sciguard/#/rules/SCI202");
        assert_eq!(link("/sciguard/"), "/sciguard/#/rules/SCI202");
        assert_eq!(link("."), "./#/rules/SCI202");
        assert_eq!(link("docs/index.html"), "docs/index.html#/rules/SCI202");
        assert!(DocsUrl::parse("https://host/x").unwrap().is_absolute());
        assert!(!DocsUrl::parse("x/").unwrap().is_absolute());
    }

    #[test]
    fn unusable_bases_are_refused_with_the_reason() {
        for (base, reason) in [
            ("", "empty"),
            ("   ", "empty"),
            ("ftp://host/x", "`ftp:` is not http or https"),
            ("javascript:alert(1)", "`javascript:` is not http or https"),
            ("https:/host", "expected `https://` and a host"),
            ("https://", "no host"),
            ("https:///path", "no host"),
            ("//host/path", "scheme"),
            ("https://host/a b", "spaces"),
            ("https://host/#/rules", "`#`"),
            ("C:\\docs", "`\\`"),
        ] {
            let error = DocsUrl::parse(base).unwrap_err().to_string();
            assert!(error.contains(reason), "{base:?}: {error}");
        }
    }
}
