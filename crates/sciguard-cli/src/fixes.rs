//! `--fix` and `--diff`: the engine's fix loop (`sciguard::project::fixing`, the JS
//! package's `applyFixes` too) over the files read, then diffs and summaries.

use crate::Checked;
use sciguard::project::fixing;
use sciguard::report::FileReport;

pub use sciguard::project::fixing::{Change, Fixed};

/// Applies every fix on offer to the checked texts (in memory: writing is the caller's),
/// through the engine's fix loop, and leaves `checked.reports` as checking the fixed
/// texts gives.
pub fn fix_all(checked: &mut Checked, unsafe_fixes: bool) -> Fixed {
    let Checked {
        reports,
        checked: files,
        run,
        ..
    } = checked;
    fixing::fix_reports(reports, files, unsafe_fixes, |sources| run.check(sources))
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
    checked
        .run
        .check(fixing::sources_of(&checked.reports, &checked.checked))
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
