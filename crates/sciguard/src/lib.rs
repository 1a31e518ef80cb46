//! sciguard: security and reliability rules for scientific Python.
//!
//! The crate takes text and returns findings; it does no I/O, so the same code runs
//! in the CLI, in tests and benchmarks, and in the browser through WebAssembly.
//!
//! ```
//! let settings = sciguard::settings::Settings::default();
//! let report = sciguard::check("model.py", "import numpy as np\nnp.load(f, allow_pickle=True)\n", &settings);
//! assert_eq!(report.findings[0].code, "SCI202");
//! ```

pub mod checklist;
pub mod config;
pub mod glob;
pub mod input;
pub mod project;
pub mod python;
pub mod report;
pub mod rules;
pub mod selection;
pub mod settings;

use python::suppression::Suppressions;
use report::{Edit, FileReport, Finding, Fix, Location, Span};
use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};
use rules::checker::{Checker, RawFinding, Statement, MAX_NESTING};
use rules::{Registry, RuleSet, RustRule};
use settings::Settings;

/// Where the rule pages are published; finding URLs point here.
pub const SITE_URL: &str = "https://sciguard.dev";

/// At most this many syntax errors are reported per file; the rest are counted.
pub const MAX_SYNTAX_ERRORS: usize = 20;

/// Checks one file (of any kind, from its name) with the built-in rules and the given
/// settings.
pub fn check(path: &str, source: &str, settings: &Settings) -> FileReport {
    let file = SourceFile {
        path: path.to_string(),
        text: source.to_string(),
        kind: None,
    };
    check_files(std::slice::from_ref(&file), settings)
        .pop()
        .unwrap_or_default()
}

/// One file handed to sciguard: its path (or a tab's name), its text and, when the user
/// chose one, its kind (otherwise the kind comes from the name, then the content).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user gave it.
    pub path: String,
    /// The whole text.
    pub text: String,
    /// The kind the user chose, if any.
    pub kind: Option<input::SourceKind>,
}

impl SourceFile {
    /// The kind this file is checked as.
    pub fn kind(&self) -> input::SourceKind {
        self.kind
            .or_else(|| input::SourceKind::from_path(&self.path))
            .unwrap_or_else(|| input::SourceKind::from_content(&self.text))
    }
}

/// Checks several files together, as one project: what the configuration files declare
/// informs the checks of the Python files. Reports come in the order of `files`.
pub fn check_files(files: &[SourceFile], settings: &Settings) -> Vec<FileReport> {
    project::check_files_with(
        files,
        settings,
        config::advisories::AdvisoryTable::builtin(),
    )
}

/// Checks Python source with exactly the given rules. Findings come sorted by position.
pub fn check_python(source: &str, registry: &Registry, rules: &RuleSet) -> Vec<Finding> {
    check_python_with(source, registry, rules, &project::Declarations::default())
}

/// Checks Python source knowing the project's declared dependencies, which decide the
/// severity of version-dependent policies (`torch.load` without `weights_only`).
pub fn check_python_with(
    source: &str,
    registry: &Registry,
    rules: &RuleSet,
    declarations: &project::Declarations,
) -> Vec<Finding> {
    let positions = Positions::new(source);
    let syntax = registry
        .rust_rule(RustRule::SyntaxError)
        .filter(|id| rules.contains(*id));
    let parsed = match python::parse(source) {
        Ok(parsed) => parsed,
        Err(refusal) => {
            let Some(rule) = syntax else {
                return Vec::new();
            };
            let at = TextSize::try_from(refusal.offset).unwrap_or_default();
            let raw = RawFinding {
                rule,
                range: TextRange::empty(at),
                message: refusal.message,
                severity: None,
                fix: None,
                statement: Statement::of_range(TextRange::empty(at)),
                gate: None,
            };
            return vec![finish(registry, &positions, raw)];
        }
    };
    let mut raw = Vec::new();
    if let Some(rule) = syntax {
        let errors = parsed.errors();
        for error in errors.iter().take(MAX_SYNTAX_ERRORS) {
            let mut message = format!("Syntax error: {}", error.error);
            if errors.len() > MAX_SYNTAX_ERRORS
                && std::ptr::eq(error, &errors[MAX_SYNTAX_ERRORS - 1])
            {
                message.push_str(&format!(
                    " ({} more syntax errors not shown)",
                    errors.len() - MAX_SYNTAX_ERRORS
                ));
            }
            raw.push(RawFinding {
                rule,
                range: error.location,
                message,
                severity: None,
                fix: None,
                statement: Statement::of_range(error.location),
                gate: None,
            });
        }
    }
    let checker = Checker::new(source, registry, rules);
    let (found, too_deep_at) = checker.run(&parsed.syntax().body);
    raw.extend(found);
    if let (Some(rule), Some(at)) = (syntax, too_deep_at) {
        raw.push(RawFinding {
            rule,
            range: TextRange::empty(at),
            message: format!("Code nested more than {MAX_NESTING} levels deep was not checked"),
            severity: Some(report::Severity::Info),
            fix: None,
            statement: Statement::of_range(TextRange::empty(at)),
            gate: None,
        });
    }
    let suppressions = Suppressions::from_tokens(&parsed, source, |offset| positions.line(offset));
    let mut findings: Vec<Finding> = raw
        .into_iter()
        .filter_map(|f| apply_gate(f, declarations))
        .filter(|f| !is_suppressed(registry, &positions, &suppressions, f))
        .map(|f| finish(registry, &positions, f))
        .collect();
    if too_deep_at.is_some() {
        // Dropping a tree this deep recurses once per level and can exhaust a small
        // stack (a browser worker's); such input is pathological, so leak it instead.
        std::mem::forget(parsed);
    }
    findings.sort_by(|a, b| (a.span.start, &a.code).cmp(&(b.span.start, &b.code)));
    findings.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
    findings
}

/// Settles a version-dependent finding from the declared versions.
fn apply_gate(mut raw: RawFinding, declarations: &project::Declarations) -> Option<RawFinding> {
    let Some(gate) = raw.gate.take() else {
        return Some(raw);
    };
    let (outcome, note) = declarations.decide(&gate);
    match outcome {
        rules::policy::GateOutcome::Off => return None,
        rules::policy::GateOutcome::Report(severity) => raw.severity = Some(severity),
        rules::policy::GateOutcome::Keep => {}
    }
    raw.message.push_str(&note);
    Some(raw)
}

fn is_suppressed(
    registry: &Registry,
    positions: &Positions,
    suppressions: &Suppressions,
    finding: &RawFinding,
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
    lines
        .iter()
        .filter_map(|line| suppressions.on_line(*line))
        .any(|s| s.covers(&rule.code, &rule.bandit))
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

/// Whether a path is a test module, exempt from rules such as SCI225 by default.
pub fn is_test_file(path: &str) -> bool {
    let normalized = path.replace('\\', "/");
    let name = normalized.rsplit('/').next().unwrap_or(&normalized);
    name == "conftest.py"
        || (name.starts_with("test_") && name.ends_with(".py"))
        || name.ends_with("_test.py")
        || normalized
            .split('/')
            .rev()
            .skip(1)
            .any(|dir| dir == "tests")
}

/// Byte offsets to 1-based rows and character columns.
pub(crate) struct Positions<'a> {
    source: &'a str,
    index: LineIndex,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(source: &'a str) -> Positions<'a> {
        Positions {
            source,
            index: LineIndex::from_source_text(source),
        }
    }

    pub(crate) fn line(&self, offset: usize) -> usize {
        let offset = TextSize::try_from(offset.min(self.source.len())).unwrap_or_default();
        self.index.line_index(offset).get()
    }

    fn location(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let row = self.line(offset);
        let start = self.index.line_starts()[row - 1].to_usize();
        Location {
            row,
            column: self.source[start..offset].chars().count() + 1,
        }
    }

    pub(crate) fn span(&self, range: TextRange) -> Span {
        Span {
            start: self.location(range.start().to_usize()),
            end: self.location(range.end().to_usize()),
            start_offset: range.start().to_usize(),
            end_offset: range.end().to_usize(),
        }
    }
}

/// Applies every fix of the given findings that does not overlap an earlier one.
/// Returns the new text and how many fixes were applied. Fixes whose ranges do not fit
/// this text (stale findings from an older version of it) are skipped.
pub fn apply_fixes(source: &str, findings: &[Finding]) -> (String, usize) {
    let mut fixes: Vec<&Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
    fixes.sort_by_key(|f| f.edits.first().map_or(0, |e| e.span.start_offset));
    let mut out = String::with_capacity(source.len());
    let mut cursor = 0;
    let mut applied = 0;
    for fix in fixes {
        let mut next = cursor;
        let mut pieces = Vec::with_capacity(fix.edits.len() * 2);
        let fits = fix.edits.iter().all(|edit| {
            let piece = (edit.span.start_offset >= next)
                .then(|| source.get(next..edit.span.start_offset))
                .flatten();
            let end_ok = source.is_char_boundary(edit.span.end_offset)
                && edit.span.end_offset <= source.len();
            next = edit.span.end_offset;
            match piece {
                Some(piece) if end_ok => {
                    pieces.push(piece);
                    pieces.push(edit.content.as_str());
                    true
                }
                _ => false,
            }
        });
        if fits {
            pieces.iter().for_each(|p| out.push_str(p));
            cursor = next;
            applied += 1;
        }
    }
    out.push_str(source.get(cursor..).unwrap_or(""));
    (out, applied)
}
