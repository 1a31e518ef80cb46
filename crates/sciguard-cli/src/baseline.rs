//! Baselines: the findings a codebase already has, written once, so that later runs
//! report only new ones. A finding is matched by rule code, file (relative to the
//! baseline's folder, so it does not matter from where sciguard runs) and the stable id
//! the rules crate gives it (a hash of the flagged line's text and its enclosing
//! top-level statement, not its line number), so code that moves keeps its match.

use crate::Checked;
use anyhow::{Context, Result};
use sciguard::report::baseline::{render_baseline, Baseline, BaselineEntry};
use sciguard::report::fingerprint::finding_ids_named;
use std::path::Path;

/// The folder a baseline's paths are relative to: the one holding it.
fn folder_of(baseline: &Path) -> String {
    let absolute = crate::files::absolute_named(baseline);
    absolute
        .rsplit_once('/')
        .map_or(String::new(), |(folder, _)| folder.to_string())
}

/// A checked file's name relative to the baseline's folder (its absolute path outside it).
fn relative(path: &str, folder: &str) -> String {
    path.strip_prefix(folder)
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(path)
        .to_string()
}

/// Each report's findings as baseline entries, in the order of the findings.
fn entries(checked: &Checked, folder: &str) -> Vec<Vec<BaselineEntry>> {
    checked
        .reports
        .iter()
        .map(|report| {
            let filename = checked
                .file_of(report)
                .map_or_else(|| report.filename.clone(), |f| relative(&f.path, folder));
            report
                .findings
                .iter()
                .zip(finding_ids_named(&filename, report))
                .map(|(finding, fingerprint)| BaselineEntry {
                    filename: filename.clone(),
                    code: finding.code.clone(),
                    fingerprint,
                    line: finding.span.start.row,
                    message: finding.message.clone(),
                })
                .collect()
        })
        .collect()
}

/// Writes every finding of the run to `path`; returns how many.
pub fn write(checked: &Checked, path: &Path) -> Result<usize> {
    let findings: Vec<BaselineEntry> = entries(checked, &folder_of(path))
        .into_iter()
        .flatten()
        .collect();
    let count = findings.len();
    let text = render_baseline(findings);
    std::fs::write(path, text).with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(count)
}

/// Drops from the reports every finding the baseline at `path` holds; returns how many.
pub fn apply(checked: &mut Checked, path: &Path) -> Result<usize> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the baseline", path.display()))?;
    let baseline = Baseline::parse(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}: {e}; write one with `sciguard check --write-baseline {}`",
            path.display(),
            path.display()
        )
    })?;
    let all = entries(checked, &folder_of(path));
    let mut hidden = 0;
    for (report, entries) in checked.reports.iter_mut().zip(all) {
        let mut entries = entries.into_iter();
        report.findings.retain(|_| {
            let keep = entries.next().is_none_or(|e| !baseline.contains(&e));
            hidden += usize::from(!keep);
            keep
        });
    }
    Ok(hidden)
}
