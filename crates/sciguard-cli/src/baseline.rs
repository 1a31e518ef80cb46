//! Baselines: the findings a codebase already has, written once, so that later runs
//! report only new ones. A finding is matched by rule code, file (relative to the
//! baseline's folder, so it does not matter from where sciguard runs) and the stable id
//! the rules crate gives it (a hash of the flagged line's text and its enclosing
//! top-level statement, not its line number), so code that moves keeps its match.

use crate::Checked;
use anyhow::{Context, Result};
use sciguard::report::fingerprint::finding_ids_named;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// What `tool` holds in a baseline file, to tell it from other JSON.
const TOOL: &str = "sciguard";
/// The format's version.
const VERSION: u32 = 1;

/// A baseline file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    tool: String,
    version: u32,
    findings: Vec<Entry>,
}

/// One finding of a baseline; `line` and `message` are for people reading the file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    filename: String,
    code: String,
    fingerprint: String,
    #[serde(default)]
    line: usize,
    #[serde(default)]
    message: String,
}

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
fn entries(checked: &Checked, folder: &str) -> Vec<Vec<Entry>> {
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
                .map(|(finding, fingerprint)| Entry {
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
    let findings: Vec<Entry> = entries(checked, &folder_of(path))
        .into_iter()
        .flatten()
        .collect();
    let count = findings.len();
    let file = BaselineFile {
        tool: TOOL.to_string(),
        version: VERSION,
        findings,
    };
    let text = serde_json::to_string_pretty(&file)? + "\n";
    std::fs::write(path, text).with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(count)
}

/// Drops from the reports every finding the baseline at `path` holds; returns how many.
pub fn apply(checked: &mut Checked, path: &Path) -> Result<usize> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the baseline", path.display()))?;
    let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}: not a sciguard baseline ({e}); write one with `sciguard check --write-baseline {}`",
            path.display(),
            path.display()
        )
    })?;
    if file.tool != TOOL || file.version != VERSION {
        anyhow::bail!(
            "{}: a baseline of `{}` version {}; this sciguard reads `{TOOL}` version {VERSION}",
            path.display(),
            file.tool,
            file.version
        );
    }
    let known: BTreeSet<(String, String, String)> = file
        .findings
        .into_iter()
        .map(|e| (e.filename, e.code, e.fingerprint))
        .collect();
    let all = entries(checked, &folder_of(path));
    let mut hidden = 0;
    for (report, entries) in checked.reports.iter_mut().zip(all) {
        let mut entries = entries.into_iter();
        report.findings.retain(|_| {
            let keep = entries
                .next()
                .is_none_or(|e| !known.contains(&(e.filename, e.code, e.fingerprint)));
            hidden += usize::from(!keep);
            keep
        });
    }
    Ok(hidden)
}
