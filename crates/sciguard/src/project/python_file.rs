//! One Python file or notebook through the pipeline: parse, walk, settle version
//! gates, suppress, position. The only road from Python text to findings.

use super::declarations::Declarations;
use crate::config::notebook::Notebook;
use crate::python::suppression::Suppressions;
use crate::python::{self, Syntax};
use crate::rules::checker::{Checker, RawFinding, Statement, MAX_NESTING};
use crate::rules::config::jupyter_server_exposed;
use crate::rules::feedback::unused_noqa::{self, UsedCodes};
use crate::rules::policy::GateOutcome;
use crate::rules::{FileContext, Registry, RuleId, RuleSet};
use crate::vocab::{Edit, Finding, Fix, Location, Positions, Severity, SYNTAX_ERROR_CODE};
use ruff_text_size::{TextRange, TextSize};

/// At most this many syntax errors are reported per file; the rest are counted.
pub const MAX_SYNTAX_ERRORS: usize = 20;

/// Checks a Python file: the rules, plus Jupyter config settings when it is one.
pub(crate) fn check_python_file(
    path: &str,
    source: &str,
    registry: &Registry,
    rules: &RuleSet,
    declarations: &Declarations,
    context: FileContext<'_>,
) -> Checked {
    let Checked {
        mut findings,
        used,
        writes,
        loads,
        unchecked,
    } = check_python_source(
        source,
        Syntax::Python,
        registry,
        rules,
        declarations,
        context,
    );
    let Some(id) = registry
        .find(jupyter_server_exposed::CODE)
        .filter(|id| rules.contains(*id))
    else {
        return Checked {
            findings,
            used,
            writes,
            loads,
            unchecked,
        };
    };
    // Only Jupyter config files have any; most files end here without a second line index.
    let exposed = jupyter_server_exposed::check_python_config(path, source);
    if !exposed.is_empty() {
        let positions = Positions::new(source);
        for (range, message) in exposed {
            let finding =
                super::config_file::config_finding(registry, &positions, id, range, message, None);
            if !super::config_file::suppressed_by_comment(source, &finding) {
                findings.push(finding);
            }
        }
        findings.sort_by(|a, b| (a.span.start, &a.code).cmp(&(b.span.start, &b.code)));
    }
    Checked {
        findings,
        used,
        writes,
        loads,
        unchecked,
    }
}

/// Checks a notebook's code cells as Jupyter runs them, in order, as one module (a name
/// bound in one cell is known in the next); findings carry their cell number and the
/// line within the cell.
pub(crate) fn check_notebook(
    text: &str,
    registry: &Registry,
    rules: &RuleSet,
    declarations: &Declarations,
    context: FileContext<'_>,
) -> Checked {
    let notebook = match Notebook::parse(text) {
        Ok(notebook) => notebook,
        Err(error) => {
            return Checked {
                findings: super::config_file::syntax_error(
                    registry,
                    rules,
                    &Positions::new(text),
                    error,
                )
                .into_iter()
                .collect(),
                ..Checked::default()
            }
        }
    };
    if let Some(language) = &notebook.other_language {
        return Checked {
            findings: not_checked(
                registry,
                rules,
                format!(
                    "sciguard did not check this notebook: its kernel runs {language}, not Python"
                ),
            ),
            ..Checked::default()
        };
    }
    let cells = Syntax::Cells(&notebook.ranges);
    let Checked {
        mut findings,
        used,
        writes,
        mut loads,
        unchecked,
    } = check_python_source(
        &notebook.source,
        cells,
        registry,
        rules,
        declarations,
        context,
    );
    for finding in &mut findings {
        let (cell, row) = notebook.locate(finding.span.start.row);
        let end_row = row + finding.span.end.row.saturating_sub(finding.span.start.row);
        finding.cell = Some(cell);
        finding.span.start.row = row;
        finding.span.end.row = end_row;
        // Offsets and fixes refer to the joined cells, not to the notebook's JSON.
        finding.span.start_offset = 0;
        finding.span.end_offset = 0;
        finding.fix = None;
    }
    for load in &mut loads {
        let (cell, row) = notebook.locate(load.start.row);
        load.cell = Some(cell);
        load.start.row = row;
    }
    let unchecked = unchecked.map(|mut unchecked| {
        let (cell, row) = notebook.locate(unchecked.row);
        unchecked.row = row;
        unchecked.cell = Some(cell);
        unchecked
    });
    Checked {
        findings,
        used,
        writes,
        loads,
        unchecked,
    }
}

/// Checks Python source knowing the project's declared dependencies, which decide the
/// severity of version-dependent policies (`torch.load` without `weights_only`).
pub(crate) fn check_python_source(
    source: &str,
    syntax: Syntax<'_>,
    registry: &Registry,
    rules: &RuleSet,
    declarations: &Declarations,
    context: FileContext<'_>,
) -> Checked {
    let positions = Positions::new(source);
    let syntax_rule = registry
        .find(SYNTAX_ERROR_CODE)
        .filter(|id| rules.contains(*id));
    let parsed = match python::parse(source, syntax) {
        Ok(parsed) => parsed,
        Err(refusal) => {
            // Not checked at all, whether or not the syntax-error rule is selected.
            let unchecked = Some(Unchecked {
                row: positions.line(refusal.offset),
                cell: None,
                why: refusal.message.clone(),
            });
            let Some(rule) = syntax_rule else {
                return Checked {
                    unchecked,
                    ..Checked::default()
                };
            };
            let at = TextRange::empty(TextSize::try_from(refusal.offset).unwrap_or_default());
            let severity = refusal.limit.then_some(Severity::Info);
            let raw = syntax_finding(rule, at, refusal.message, severity);
            return Checked {
                findings: vec![finish(registry, &positions, raw)],
                unchecked,
                ..Checked::default()
            };
        }
    };
    let mut raw = Vec::new();
    if let Some(rule) = syntax_rule {
        // After an error the parser recovers and often trips again on the same line
        // (`df.loc[(:, 1), (:, 'HR')]` gives five errors): the first one per line is the
        // one a person fixes, as CPython reports one.
        let mut last_line = None;
        let errors: Vec<_> = parsed
            .errors()
            .iter()
            .filter(|error| {
                let line = positions.line(error.location.start().to_usize());
                last_line.replace(line) != Some(line)
            })
            .collect();
        for error in errors.iter().take(MAX_SYNTAX_ERRORS) {
            let message = format!("Syntax error: {}", error.error);
            raw.push(syntax_finding(rule, error.location, message, None));
        }
        if let Some(first_hidden) = errors.get(MAX_SYNTAX_ERRORS) {
            let message = format!(
                "sciguard reports at most {MAX_SYNTAX_ERRORS} syntax errors per file and did not show {} more from here on (a limit of sciguard's, not a separate error)",
                errors.len() - MAX_SYNTAX_ERRORS
            );
            let at = TextRange::empty(first_hidden.location.start());
            raw.push(syntax_finding(rule, at, message, Some(Severity::Info)));
        }
    }
    let checker = Checker::new(source, registry, rules, context);
    let walked = checker.run(&parsed.syntax().body);
    let too_deep_at = walked.too_deep_at;
    raw.extend(walked.findings);
    let used: Vec<String> = walked.used.iter().map(|api| api.to_string()).collect();
    let writes = walked.writes;
    let loads: Vec<PendingLoad> = walked
        .loads
        .into_iter()
        .map(|(range, rule, names)| PendingLoad {
            code: registry.rule(rule).code.clone(),
            start: positions.span(range).start,
            cell: None,
            names,
        })
        .collect();
    let mut unchecked = None;
    if let Some(node) = too_deep_at {
        let (first, last) = (
            positions.line(node.start().to_usize()),
            positions.line(node.end().to_usize()),
        );
        let lines = if first == last {
            format!("line {first}")
        } else {
            format!("lines {first}\u{2013}{last}")
        };
        let message = format!(
            "sciguard did not check {lines}: the code there is nested deeper than sciguard's limit of {MAX_NESTING} levels (a limit of sciguard's, not an error in the code)"
        );
        unchecked = Some(Unchecked {
            row: first,
            cell: None,
            why: format!("code nested deeper than sciguard's limit of {MAX_NESTING} levels was not checked (a limit of sciguard's, not an error in the code)"),
        });
        if let Some(rule) = syntax_rule {
            let at = TextRange::empty(node.start());
            raw.push(syntax_finding(rule, at, message, Some(Severity::Info)));
        }
    }
    let suppressions = Suppressions::from_tokens(&parsed, source, |offset| positions.line(offset));
    let mut used_codes = UsedCodes::default();
    let mut findings: Vec<Finding> = raw
        .into_iter()
        .filter_map(|f| apply_gate(f, declarations))
        .filter(|f| !is_suppressed(registry, &positions, &suppressions, f, &mut used_codes))
        .map(|f| finish(registry, &positions, f))
        .collect();
    if let Some(rule) = registry
        .find(unused_noqa::CODE)
        .filter(|id| rules.contains(*id) && !suppressions.is_empty())
    {
        let unused =
            unused_noqa::report_unused(rule, source, registry, rules, &suppressions, &used_codes);
        findings.extend(unused.into_iter().map(|f| finish(registry, &positions, f)));
    }
    if too_deep_at.is_some() || python::too_deep_to_drop(&parsed) {
        // Dropping a tree this deep recurses once per level and can exhaust a small
        // stack (a browser worker's); such input is pathological, so leak it instead.
        std::mem::forget(parsed);
    }
    findings.sort_by(|a, b| (a.span.start, &a.code).cmp(&(b.span.start, &b.code)));
    findings.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
    merge_subsumed(registry, &mut findings);
    Checked {
        findings,
        used,
        writes,
        loads,
        unchecked,
    }
}

/// One finding per cause: where a rule's finding covers another rule's finding on the
/// same code (`subsumes` in its page), the other is dropped and named in the message.
fn merge_subsumed(registry: &Registry, findings: &mut Vec<Finding>) {
    let subsuming = |code: &str| {
        registry
            .find(code)
            .map(|id| &registry.rule(id).subsumes)
            .filter(|s| !s.is_empty())
    };
    let mut dropped = vec![false; findings.len()];
    for i in 0..findings.len() {
        let Some(subsumes) = subsuming(&findings[i].code) else {
            continue;
        };
        for j in 0..findings.len() {
            if i != j
                && !dropped[j]
                && findings[j].span == findings[i].span
                && subsumes.contains(&findings[j].code)
            {
                dropped[j] = true;
                let (code, name) = (findings[j].code.clone(), findings[j].name.clone());
                findings[i].message.push_str(&format!(
                    " ({code} {name} on the same code is part of this finding)"
                ));
            }
        }
    }
    let mut index = 0;
    findings.retain(|_| {
        index += 1;
        !dropped[index - 1]
    });
}

/// What checking a Python file or notebook gives.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    /// The findings.
    pub findings: Vec<Finding>,
    /// The watched APIs it uses (see `FileContext::watched`).
    pub used: Vec<String>,
    /// The literal file names it writes (scripts and notebooks).
    pub writes: Vec<String>,
    /// Its loads of literal file names that another file of the project may write.
    pub loads: Vec<PendingLoad>,
    /// Where sciguard first stopped short of checking it, and why.
    pub unchecked: Option<Unchecked>,
}

/// A place where sciguard stopped short of checking a file (see `FileReport::unchecked`).
#[derive(Debug)]
pub(crate) struct Unchecked {
    /// The line (1-based; in a notebook, within `cell` once located).
    pub row: usize,
    /// The notebook cell, counted as a person counts them.
    pub cell: Option<usize>,
    /// Why, for the user.
    pub why: String,
}

impl Unchecked {
    /// The message a report carries: where, then why.
    pub fn describe(&self) -> String {
        match self.cell {
            Some(cell) => format!("cell {cell}, line {}: {}", self.row, self.why),
            None => format!("line {}: {}", self.row, self.why),
        }
    }
}

/// A load finding whose severity depends on whether another file of the project writes
/// the file it loads (`train.py` unpickling the `meta.pkl` that `prepare.py` wrote).
#[derive(Debug)]
pub(crate) struct PendingLoad {
    /// The finding: its code, its start and, in a notebook, its cell.
    pub code: String,
    pub start: Location,
    pub cell: Option<usize>,
    /// The literal file names it loads.
    pub names: Vec<String>,
}

/// An info-severity SCI000 finding at the top of a file that sciguard did not check.
fn not_checked(registry: &Registry, rules: &RuleSet, message: String) -> Vec<Finding> {
    let Some(rule) = registry
        .find(SYNTAX_ERROR_CODE)
        .filter(|id| rules.contains(*id))
    else {
        return Vec::new();
    };
    let raw = syntax_finding(rule, TextRange::default(), message, Some(Severity::Info));
    vec![finish(registry, &Positions::new(""), raw)]
}

/// A finding of the syntax-error rule (SCI000): an error in the code at the rule's own
/// severity, or a limit of sciguard's at info severity.
fn syntax_finding(
    rule: RuleId,
    range: TextRange,
    message: String,
    severity: Option<Severity>,
) -> RawFinding {
    RawFinding {
        rule,
        range,
        message,
        severity,
        fix: None,
        statement: Statement::of_range(range),
        gate: None,
    }
}

/// Settles a version-dependent finding from the declared versions.
fn apply_gate(mut raw: RawFinding, declarations: &Declarations) -> Option<RawFinding> {
    let Some(gate) = raw.gate.take() else {
        return Some(raw);
    };
    let (outcome, note) = declarations.decide(&gate);
    match outcome {
        GateOutcome::Off => return None,
        GateOutcome::Report(severity) => raw.severity = Some(severity),
        GateOutcome::Keep => {}
    }
    raw.message.push_str(&note);
    Some(raw)
}

/// Whether a comment suppresses the finding; notes which codes of which comments did.
fn is_suppressed(
    registry: &Registry,
    positions: &Positions,
    suppressions: &Suppressions,
    finding: &RawFinding,
    used: &mut UsedCodes,
) -> bool {
    if suppressions.is_empty() {
        return false;
    }
    let rule = registry.rule(finding.rule);
    let lines = [
        positions.line(finding.range.start().to_usize()),
        positions.line(finding.range.end().to_usize()),
        positions.line(finding.statement.start.to_usize()),
        positions.line(finding.statement.last_line_offset(positions.source)),
    ];
    let equivalents: [&[String]; 2] = [&rule.bandit, &rule.ruff];
    let mut suppressed = false;
    for line in lines {
        let Some(suppression) = suppressions.on_line(line) else {
            continue;
        };
        suppressed |= suppression.all;
        for index in suppression.covering(&rule.code, &equivalents) {
            used.insert((line, index));
            suppressed = true;
        }
    }
    suppressed
}

fn finish(registry: &Registry, positions: &Positions, raw: RawFinding) -> Finding {
    let rule = registry.rule(raw.rule);
    Finding {
        code: rule.code.clone(),
        name: rule.name.clone(),
        pillar: rule.pillar,
        severity: raw.severity.unwrap_or(rule.severity),
        message: raw.message,
        span: positions.span(raw.range),
        cell: None,
        fix: raw.fix.map(|fix| Fix {
            applicability: fix.applicability,
            message: fix.title,
            edits: fix
                .edits
                .into_iter()
                .map(|(range, content)| Edit {
                    content,
                    span: positions.span(range),
                })
                .collect(),
        }),
    }
}
