//! Fixing files: the one fix loop behind the CLI's `--fix`/`--diff` and the JS package's
//! `applyFixes`. It applies the fixes on offer through the one edit path
//! ([`crate::apply_fixes`], the site's "Apply fix" too), checks again until nothing more
//! applies, and keeps a file as it was when its fixed text no longer parses.

use super::SourceFile;
use crate::input::SourceKind;
use crate::vocab::{Applicability, FileReport, Finding};
use std::collections::{BTreeMap, BTreeSet};

/// Rounds of fix-then-check at most: a fix skipped because it overlapped another one is
/// applied in the next round, against the re-checked text.
const MAX_ROUNDS: usize = 10;

/// One file the fixes changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The name reports use.
    pub filename: String,
    /// Its path, as the project API was given it.
    pub path: String,
    /// Its text before any fix.
    pub before: String,
    /// Its text after every fix.
    pub after: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// The codes of the findings whose fix was on offer before and is not after, with
    /// their counts.
    pub resolved: BTreeMap<String, usize>,
}

/// What fixing gave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fixed {
    /// The files changed, by name.
    pub changes: Vec<Change>,
    /// Files whose fixed text did not parse: kept as they were.
    pub refused: Vec<String>,
    /// Notebooks with fixes on offer, which are not fixed (their findings point into
    /// cells, not into the JSON text).
    pub notebooks: Vec<String>,
}

/// Whether a finding's fix is applied with this choice of applicability.
fn applies(finding: &Finding, unsafe_fixes: bool) -> bool {
    finding
        .fix
        .as_ref()
        .is_some_and(|fix| unsafe_fixes || fix.applicability == Applicability::Safe)
}

fn syntax_errors(report: &FileReport) -> usize {
    report
        .findings
        .iter()
        .filter(|f| f.is_syntax_error())
        .count()
}

/// The file a report is about, among the files checked.
fn file_of<'f>(files: &'f [SourceFile], report: &FileReport) -> Option<&'f SourceFile> {
    files.iter().find(|f| f.shown_name() == report.filename)
}

/// The files of `reports` with the texts the reports now hold, to check them again.
/// `files` are the files checked (their texts are not used).
pub fn sources_of(reports: &[FileReport], files: &[SourceFile]) -> Vec<SourceFile> {
    reports
        .iter()
        .filter_map(|report| {
            let file = file_of(files, report)?;
            Some(SourceFile {
                path: file.path.clone(),
                text: report.source.clone(),
                kind: file.kind,
                display: file.display.clone(),
            })
        })
        .collect()
}

/// Applies every fix on offer to the reports' texts (in memory: writing is the caller's)
/// and leaves `reports` as checking the fixed texts gives. `files` are the files checked
/// (for their paths and kinds); `check` checks files again as one project, with the
/// run's own options.
pub fn fix_reports(
    reports: &mut Vec<FileReport>,
    files: &[SourceFile],
    unsafe_fixes: bool,
    check: impl Fn(Vec<SourceFile>) -> Vec<FileReport>,
) -> Fixed {
    let recheck = |reports: &[FileReport]| check(sources_of(reports, files));
    let mut originals: BTreeMap<String, String> = BTreeMap::new();
    let mut applied: BTreeMap<String, usize> = BTreeMap::new();
    let mut refused: BTreeSet<String> = BTreeSet::new();
    let mut notebooks = Vec::new();
    // The codes of the findings with a fix on offer, per file, to tell which the fixes
    // resolved.
    let mut fixable_codes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for report in reports.iter() {
        let offered = report.findings.iter().any(|f| applies(f, unsafe_fixes));
        let is_notebook = file_of(files, report).is_some_and(|f| f.kind() == SourceKind::Notebook);
        if offered && is_notebook {
            notebooks.push(report.filename.clone());
        }
        let codes = fixable_codes.entry(report.filename.clone()).or_default();
        for finding in report.findings.iter().filter(|f| applies(f, unsafe_fixes)) {
            *codes.entry(finding.code.clone()).or_default() += 1;
        }
    }
    for _ in 0..MAX_ROUNDS {
        let mut before_round: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for report in reports.iter_mut() {
            if refused.contains(&report.filename) || notebooks.contains(&report.filename) {
                continue;
            }
            let fixable: Vec<Finding> = report
                .findings
                .iter()
                .filter(|f| applies(f, unsafe_fixes))
                .cloned()
                .collect();
            if fixable.is_empty() {
                continue;
            }
            let (text, count) = crate::apply_fixes(&report.source, &fixable);
            if count == 0 || text == report.source {
                continue;
            }
            let old = std::mem::replace(&mut report.source, text);
            originals
                .entry(report.filename.clone())
                .or_insert_with(|| old.clone());
            *applied.entry(report.filename.clone()).or_default() += count;
            before_round.insert(report.filename.clone(), (old, syntax_errors(report)));
        }
        if before_round.is_empty() {
            break;
        }
        let mut rechecked = recheck(reports);
        // A fixed text that no longer parses is not kept: back to the text before this
        // round, and no more fixing for that file.
        let mut broken = false;
        for report in &mut rechecked {
            if let Some((old, errors)) = before_round.get(&report.filename) {
                if syntax_errors(report) > *errors {
                    refused.insert(report.filename.clone());
                    report.source.clone_from(old);
                    applied.remove(&report.filename);
                    fixable_codes.remove(&report.filename);
                    broken = true;
                }
            }
        }
        *reports = rechecked;
        if broken {
            *reports = recheck(reports);
        }
    }
    let changes = originals
        .into_iter()
        .filter_map(|(filename, before)| {
            let report = reports.iter().find(|r| r.filename == filename)?;
            if report.source == before {
                return None;
            }
            let mut resolved = fixable_codes.remove(&filename).unwrap_or_default();
            for finding in report.findings.iter().filter(|f| applies(f, unsafe_fixes)) {
                if let Some(count) = resolved.get_mut(&finding.code) {
                    *count = count.saturating_sub(1);
                }
            }
            resolved.retain(|_, count| *count > 0);
            Some(Change {
                path: file_of(files, report)?.path.clone(),
                after: report.source.clone(),
                applied: applied.get(&filename).copied().unwrap_or(0),
                resolved,
                filename,
                before,
            })
        })
        .collect();
    Fixed {
        changes,
        refused: refused.into_iter().collect(),
        notebooks,
    }
}
