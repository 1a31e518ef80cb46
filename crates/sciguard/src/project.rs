//! Several files checked as one project: configuration files are read first, and what
//! they declare (package versions) informs the checks of the Python files.

use crate::config::advisories::AdvisoryTable;
use crate::config::notebook::Notebook;
use crate::config::{self, Dependency, Requirement};
use crate::input::SourceKind;
use crate::python::suppression::parse_comment;
use crate::report::{FileReport, Finding, Severity};
use crate::rules::config::{jupyter_server_exposed, ConfigFile, ConfigFinding};
use crate::rules::policy::{GateOutcome, VersionGate};
use crate::rules::{Registry, RuleSet, SYNTAX_ERROR_CODE};
use crate::settings::Settings;
use crate::{Positions, SourceFile};
use ruff_text_size::{TextRange, TextSize};

/// A dependency declared in one of the checked files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    /// The file that declares it.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// The dependency.
    pub dependency: Dependency,
}

/// Every dependency the checked configuration files declare.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Declarations {
    items: Vec<Declaration>,
}

impl Declarations {
    /// Adds a declaration.
    pub fn push(&mut self, declaration: Declaration) {
        self.items.push(declaration);
    }

    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The declarations of a package (normalized name).
    pub fn of<'d>(&'d self, package: &'d str) -> impl Iterator<Item = &'d Declaration> + 'd {
        self.items
            .iter()
            .filter(move |d| d.dependency.name == package)
    }

    /// What a version gate decides, and the note naming the declaration that drove it.
    pub fn decide(&self, gate: &VersionGate) -> (GateOutcome, String) {
        // URL requirements name no version.
        let declared: Vec<&Declaration> = self
            .of(&gate.package)
            .filter(|d| !matches!(d.dependency.requirement, Requirement::Url(_)))
            .collect();
        if declared.is_empty() {
            return (gate.undeclared.clone(), String::new());
        }
        let describe = |d: &Declaration, verb: &str, note: &str| {
            format!(
                " (`{}` in {}:{} {verb} {} {}: {note})",
                d.dependency.text, d.file, d.line, gate.package, gate.affected
            )
        };
        match declared
            .iter()
            .find(|d| d.dependency.admits_any(&gate.affected_versions))
        {
            Some(d) => (
                gate.admitted.clone(),
                describe(d, "admits", &gate.admitted_note),
            ),
            None => (
                gate.excluded.clone(),
                describe(declared[0], "excludes", &gate.excluded_note),
            ),
        }
    }
}

/// Checks several files together with the given advisory table.
pub fn check_files_with(
    files: &[SourceFile],
    settings: &Settings,
    advisories: &AdvisoryTable,
) -> Vec<FileReport> {
    let registry = Registry::builtin();
    let mut declarations = Declarations::default();
    let mut reports: Vec<Option<FileReport>> = vec![None; files.len()];
    for (i, file) in files.iter().enumerate() {
        let kind = file.kind();
        if matches!(kind, SourceKind::Python | SourceKind::Notebook) {
            continue;
        }
        let rules = settings.rules_for(registry, &file.path);
        let (findings, declared) =
            check_config(&file.path, kind, &file.text, registry, &rules, advisories);
        declared.into_iter().for_each(|d| declarations.push(d));
        reports[i] = Some(FileReport {
            filename: file.path.clone(),
            findings,
            source: file.text.clone(),
        });
    }
    for (i, file) in files.iter().enumerate() {
        if reports[i].is_some() {
            continue;
        }
        let rules = settings.rules_for(registry, &file.path);
        let findings = match file.kind() {
            SourceKind::Notebook => check_notebook(&file.text, registry, &rules, &declarations),
            _ => check_python_file(&file.path, &file.text, registry, &rules, &declarations),
        };
        reports[i] = Some(FileReport {
            filename: file.path.clone(),
            findings,
            source: file.text.clone(),
        });
    }
    reports.into_iter().flatten().collect()
}

/// Checks a Python file: the rules, plus Jupyter config settings when it is one.
pub fn check_python_file(
    path: &str,
    source: &str,
    registry: &Registry,
    rules: &RuleSet,
    declarations: &Declarations,
) -> Vec<Finding> {
    let mut findings = crate::check_python_with(source, registry, rules, declarations);
    let Some(id) = registry
        .find(jupyter_server_exposed::CODE)
        .filter(|id| rules.contains(*id))
    else {
        return findings;
    };
    // Only Jupyter config files have any; most files end here without a second line index.
    let exposed = jupyter_server_exposed::check_python_config(path, source);
    if !exposed.is_empty() {
        let positions = Positions::new(source);
        for (range, message) in exposed {
            let finding = config_finding(registry, &positions, id, range, message, None);
            if !suppressed_by_comment(source, &finding) {
                findings.push(finding);
            }
        }
        findings.sort_by(|a, b| (a.span.start, &a.code).cmp(&(b.span.start, &b.code)));
    }
    findings
}

/// Checks a notebook's code cells as one Python text; findings carry their cell number
/// and the line within the cell.
pub fn check_notebook(
    text: &str,
    registry: &Registry,
    rules: &RuleSet,
    declarations: &Declarations,
) -> Vec<Finding> {
    let notebook = match Notebook::parse(text) {
        Ok(notebook) => notebook,
        Err(error) => {
            return syntax_error(registry, rules, &Positions::new(text), error)
                .into_iter()
                .collect()
        }
    };
    let mut findings = crate::check_python_with(&notebook.source, registry, rules, declarations);
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
    findings
}

/// Checks one configuration file; returns its findings and the dependencies it declares.
pub fn check_config(
    path: &str,
    kind: SourceKind,
    text: &str,
    registry: &Registry,
    rules: &RuleSet,
    advisories: &AdvisoryTable,
) -> (Vec<Finding>, Vec<Declaration>) {
    let positions = Positions::new(text);
    let parsed = config::parse(kind, path, text);
    let shown = parsed.errors.len().min(crate::MAX_SYNTAX_ERRORS);
    let mut findings: Vec<Finding> = parsed.errors[..shown]
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let mut error = e.clone();
            if i + 1 == shown && parsed.errors.len() > shown {
                error.message.push_str(&format!(
                    " ({} more errors not shown)",
                    parsed.errors.len() - shown
                ));
            }
            syntax_error(registry, rules, &positions, error)
        })
        .collect();
    let mut raw: Vec<ConfigFinding> = Vec::new();
    crate::rules::config::check(
        &ConfigFile {
            path,
            kind,
            text,
            parsed: &parsed,
            advisories,
        },
        &mut raw,
    );
    for finding in raw {
        let Some(id) = registry.find(finding.code).filter(|id| rules.contains(*id)) else {
            continue;
        };
        let finding = config_finding(
            registry,
            &positions,
            id,
            finding.range,
            finding.message,
            finding.severity,
        );
        if !suppressed_by_comment(text, &finding) {
            findings.push(finding);
        }
    }
    findings.sort_by(|a, b| (a.span.start, &a.code).cmp(&(b.span.start, &b.code)));
    findings.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
    let declarations = parsed
        .dependencies
        .into_iter()
        .filter(|d| !d.name.is_empty())
        .map(|dependency| Declaration {
            file: path.to_string(),
            line: positions.line(dependency.range.start),
            dependency,
        })
        .collect();
    (findings, declarations)
}

fn config_finding(
    registry: &Registry,
    positions: &Positions<'_>,
    id: crate::rules::RuleId,
    range: std::ops::Range<usize>,
    message: String,
    severity: Option<Severity>,
) -> Finding {
    let rule = registry.rule(id);
    let at = |o: usize| TextSize::try_from(o.min(positions.source.len())).unwrap_or_default();
    Finding {
        code: rule.code.clone(),
        name: rule.name.clone(),
        pillar: rule.pillar,
        severity: severity.unwrap_or(rule.severity),
        message,
        span: positions.span(TextRange::new(
            at(range.start),
            at(range.end.max(range.start)),
        )),
        fix: None,
        cell: None,
    }
}

fn syntax_error(
    registry: &Registry,
    rules: &RuleSet,
    positions: &Positions<'_>,
    error: config::ConfigError,
) -> Option<Finding> {
    let id = registry
        .find(SYNTAX_ERROR_CODE)
        .filter(|id| rules.contains(*id))?;
    Some(config_finding(
        registry,
        positions,
        id,
        error.range,
        error.message,
        None,
    ))
}

/// `# noqa` / `# noqa: SCI501` at the end of the finding's line.
fn suppressed_by_comment(text: &str, finding: &Finding) -> bool {
    let Some(line) = crate::report::line_at(text, finding.span.start_offset) else {
        return false;
    };
    let Some(at) = line.find("# noqa").or_else(|| line.find("#noqa")) else {
        return false;
    };
    parse_comment(&line[at..]).is_some_and(|s| s.covers(&finding.code, &[]))
}
