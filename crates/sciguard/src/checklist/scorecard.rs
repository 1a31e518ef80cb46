//! The pillar scorecard: per pillar, findings weighted by severity per 1,000 lines,
//! mapped to a level, beside the playbook's "what good looks like" signals.
//!
//! Weights: high 10, medium 5, low 2, info 0. Density = weight × 1000 / lines (lines
//! of the files in scope; a text with no lines counts as one line). Levels: 0 is
//! good, up to 25 fair (one medium finding in 200 lines), up to 100 needs work,
//! above that poor. Syntax errors belong to no pillar and are counted apart, as in
//! [`crate::report::Summary`].

use crate::vocab::SYNTAX_ERROR_CODE;
use crate::vocab::{FileReport, Finding, Pillar, Severity};
use serde::{Deserialize, Serialize};

/// The practices playbook; its "What good looks like" table gives the signals.
pub const PRACTICES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../playbooks/practices.md"
));

/// How much a finding of each severity weighs.
pub fn severity_weight(severity: Severity) -> u32 {
    match severity {
        Severity::High => 10,
        Severity::Medium => 5,
        Severity::Low => 2,
        Severity::Info => 0,
    }
}

/// Upper bounds (inclusive) of weighted findings per 1,000 lines for each level;
/// above the last bound the level is [`ScoreLevel::Poor`].
pub const LEVEL_BOUNDS: [(f64, ScoreLevel); 3] = [
    (0.0, ScoreLevel::Good),
    (25.0, ScoreLevel::Fair),
    (100.0, ScoreLevel::NeedsWork),
];

/// Where a pillar stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScoreLevel {
    /// No weighted findings.
    Good,
    /// A few, light ones.
    Fair,
    /// Enough to plan work for.
    NeedsWork,
    /// Dense or severe.
    Poor,
}

impl ScoreLevel {
    /// The level for a density of weighted findings per 1,000 lines.
    pub fn of_density(per_kloc: f64) -> ScoreLevel {
        LEVEL_BOUNDS
            .iter()
            .find(|(bound, _)| per_kloc <= *bound)
            .map_or(ScoreLevel::Poor, |(_, level)| *level)
    }

    /// The key used in JSON and CSS classes (`needs-work`).
    pub fn key(self) -> &'static str {
        match self {
            ScoreLevel::Good => "good",
            ScoreLevel::Fair => "fair",
            ScoreLevel::NeedsWork => "needs-work",
            ScoreLevel::Poor => "poor",
        }
    }

    /// The human label.
    pub fn label(self) -> &'static str {
        match self {
            ScoreLevel::Good => "Good",
            ScoreLevel::Fair => "Fair",
            ScoreLevel::NeedsWork => "Needs work",
            ScoreLevel::Poor => "Poor",
        }
    }
}

/// One pillar's line of the scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PillarScore {
    /// The pillar.
    pub pillar: Pillar,
    /// Its number of findings.
    pub findings: usize,
    /// The sum of their severity weights.
    pub weight: u32,
    /// Weight per 1,000 lines, rounded to one decimal.
    pub per_kloc: f64,
    /// The level that density maps to.
    pub level: ScoreLevel,
    /// What good looks like for this pillar, from the playbook.
    pub signal: String,
}

/// Findings per pillar, weighted by severity per 1,000 lines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// Lines counted.
    pub lines: usize,
    /// Syntax errors, counted apart from the pillars.
    pub syntax_errors: usize,
    /// One line per pillar, in `Pillar::ALL` order.
    pub pillars: Vec<PillarScore>,
    /// What good looks like across all four pillars, from the playbook.
    pub overall_signal: String,
}

impl Scorecard {
    /// Scores findings spread over `lines` lines.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>, lines: usize) -> Scorecard {
        let mut counts = [(0usize, 0u32); 4];
        let mut syntax_errors = 0;
        for finding in findings {
            // Neither a syntax error nor a note on sciguard's own limits says anything
            // of the code's pillars.
            if finding.code == SYNTAX_ERROR_CODE {
                syntax_errors += usize::from(finding.is_syntax_error());
                continue;
            }
            let slot = &mut counts[finding.pillar as usize];
            slot.0 += 1;
            slot.1 += severity_weight(finding.severity);
        }
        let signals = signals();
        let pillars = Pillar::ALL
            .into_iter()
            .map(|pillar| {
                let (findings, weight) = counts[pillar as usize];
                // Rounded to one decimal so every output (CLI, JSON, site) shows the
                // same number and the level agrees with the number shown.
                let per_kloc = (f64::from(weight) * 10_000.0 / lines.max(1) as f64).round() / 10.0;
                PillarScore {
                    pillar,
                    findings,
                    weight,
                    per_kloc,
                    level: ScoreLevel::of_density(per_kloc),
                    signal: signal_for(&signals, pillar.title()),
                }
            })
            .collect();
        Scorecard {
            lines,
            syntax_errors,
            pillars,
            overall_signal: signal_for(&signals, "All four"),
        }
    }

    /// Scores whole files (lines counted from their text).
    pub fn of_reports(reports: &[FileReport]) -> Scorecard {
        Scorecard::of(
            reports.iter().flat_map(|r| &r.findings),
            reports.iter().map(|r| r.source.lines().count()).sum(),
        )
    }
}

/// The rows of the playbook's "What good looks like" table: (pillar title, signals).
pub fn signals() -> Vec<(&'static str, &'static str)> {
    let Some(start) = PRACTICES.find("## What good looks like") else {
        return Vec::new();
    };
    PRACTICES[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| {
            let cells: Vec<&str> = l.strip_prefix('|')?.strip_suffix('|')?.split('|').collect();
            match cells.as_slice() {
                [name, signal] if !signal.trim().starts_with('-') && name.trim() != "Pillar" => {
                    Some((name.trim(), signal.trim()))
                }
                _ => None,
            }
        })
        .collect()
}

fn signal_for(signals: &[(&str, &str)], name: &str) -> String {
    signals
        .iter()
        .find(|(n, _)| *n == name)
        .map_or_else(String::new, |(_, s)| s.to_string())
}
