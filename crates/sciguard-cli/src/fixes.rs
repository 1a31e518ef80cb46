//! `--fix` and `--diff`: applies the fixes the engine offers through its one fix path
//! (`sciguard::apply_fixes`, the site's "Apply fix" too), checks again until nothing more
//! applies, and keeps a file as it was when its fixed text no longer parses.

use crate::Checked;
use sciguard::input::SourceKind;
use sciguard::report::{Applicability, FileReport, Finding};
use sciguard::SourceFile;
use std::collections::{BTreeMap, BTreeSet};

/// Rounds of fix-then-check at most: a fix skipped because it overlapped another one is
/// applied in the next round, against the re-checked text.
const MAX_ROUNDS: usize = 10;

/// One file the fixes changed.
pub struct Change {
    /// The name reports use.
    pub filename: String,
    /// Where it is (absolute).
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
pub struct Fixed {
    /// The files changed, by name.
    pub changes: Vec<Change>,
    /// Files whose fixed text did not parse: kept as they were.
    pub refused: Vec<String>,
    /// Notebooks with fixes on offer, which are not fixed.
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

/// Applies every fix on offer to the checked texts (in memory: writing is the caller's)
/// and leaves `checked.reports` as checking the fixed texts gives.
pub fn fix_all(checked: &mut Checked, unsafe_fixes: bool) -> Fixed {
    let mut originals: BTreeMap<String, String> = BTreeMap::new();
    let mut applied: BTreeMap<String, usize> = BTreeMap::new();
    let mut refused: BTreeSet<String> = BTreeSet::new();
    let mut notebooks = Vec::new();
    // The codes of the findings with a fix on offer, per file, to tell which the fixes
    // resolved.
    let mut fixable_codes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for report in &checked.reports {
        let offered = report.findings.iter().any(|f| applies(f, unsafe_fixes));
        let is_notebook = checked
            .file_of(report)
            .is_some_and(|f| f.kind() == SourceKind::Notebook);
        // A notebook's findings point into its cells, not into the JSON text on disk.
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
        for report in &mut checked.reports {
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
            let (text, count) = sciguard::apply_fixes(&report.source, &fixable);
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
        let mut reports = recheck(checked);
        // A fixed text that no longer parses is not kept: back to the text before this
        // round, and no more fixing for that file.
        let mut broken = false;
        for report in &mut reports {
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
        checked.reports = reports;
        if broken {
            checked.reports = recheck(checked);
        }
    }
    let changes = originals
        .into_iter()
        .filter_map(|(filename, before)| {
            let report = checked.reports.iter().find(|r| r.filename == filename)?;
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
                path: checked.file_of(report)?.path.clone(),
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

/// Puts back the texts before fixing of the files named (fixed in memory but not
/// written), and checks again so that the reports say what the files hold.
pub fn revert(checked: &mut Checked, fixed: &Fixed, names: &[&str]) {
    if names.is_empty() {
        return;
    }
    for report in &mut checked.reports {
        if let Some(change) = fixed
            .changes
            .iter()
            .find(|c| c.filename == report.filename && names.contains(&c.filename.as_str()))
        {
            report.source.clone_from(&change.before);
        }
    }
    checked.reports = recheck(checked);
}

/// Checks the reports' current texts again, as one project.
fn recheck(checked: &Checked) -> Vec<FileReport> {
    let sources: Vec<SourceFile> = checked
        .reports
        .iter()
        .filter_map(|report| {
            let file = checked.file_of(report)?;
            Some(SourceFile {
                text: report.source.clone(),
                ..file.clone()
            })
        })
        .collect();
    checked.run.check(sources)
}

/// A unified diff of one change, with `a/` and `b/` prefixes as `git apply` reads them.
pub fn unified_diff(change: &Change) -> String {
    similar::TextDiff::from_lines(&change.before, &change.after)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("a/{}", change.filename),
            &format!("b/{}", change.filename),
        )
        .to_string()
}

/// One line per changed file (but those in `unwritten`, reported apart) and per refused
/// one, for standard error.
pub fn summary(fixed: &Fixed, written: bool, unwritten: &[&str]) -> String {
    let mut out = String::new();
    let verb = if written { "fixed" } else { "would fix" };
    for change in &fixed.changes {
        if unwritten.contains(&change.filename.as_str()) {
            continue;
        }
        let codes: Vec<String> = change
            .resolved
            .iter()
            .map(|(code, n)| {
                if *n == 1 {
                    code.clone()
                } else {
                    format!("{code} ×{n}")
                }
            })
            .collect();
        out.push_str(&format!(
            "sciguard: {}: {verb} {} finding{}{}\n",
            change.filename,
            change.applied,
            if change.applied == 1 { "" } else { "s" },
            if codes.is_empty() {
                String::new()
            } else {
                format!(" ({})", codes.join(", "))
            }
        ));
    }
    for name in &fixed.refused {
        out.push_str(&format!(
            "sciguard: {name}: not fixed: the fixed text would not parse; the file is left as it was\n"
        ));
    }
    for name in &fixed.notebooks {
        out.push_str(&format!(
            "sciguard: {name}: fixes in notebooks are not applied; apply them in Jupyter\n"
        ));
    }
    if fixed.changes.is_empty() && fixed.refused.is_empty() {
        out.push_str("sciguard: no fixes to apply\n");
    }
    out
}
