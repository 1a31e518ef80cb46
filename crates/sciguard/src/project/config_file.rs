//! One configuration file through the pipeline: parse into the neutral shapes, run
//! the 5xx rules, suppress, position; and collect what it declares.

use super::declarations::Declaration;
use super::python_file::MAX_SYNTAX_ERRORS;
use crate::config;
use crate::config::advisories::AdvisoryTable;
use crate::input::SourceKind;
use crate::python::suppression::config_line_suppresses;
use crate::rules::config_file::{ConfigFile, ConfigFinding};
use crate::rules::{Registry, RuleSet};
use crate::vocab::{Finding, Positions, Severity, SYNTAX_ERROR_CODE};
use ruff_text_size::{TextRange, TextSize};

/// What checking one configuration file gave.
pub(crate) struct ConfigChecked {
    /// The findings.
    pub findings: Vec<Finding>,
    /// The dependencies it declares.
    pub declarations: Vec<Declaration>,
    /// Why sciguard did not check all of it, when a limit of its own stopped it.
    pub unchecked: Option<String>,
}

/// Checks one configuration file.
pub(crate) fn check_config(
    path: &str,
    kind: SourceKind,
    text: &str,
    registry: &Registry,
    rules: &RuleSet,
    advisories: &AdvisoryTable,
) -> ConfigChecked {
    let positions = Positions::new(text);
    let parsed = config::parse(kind, path, text);
    let shown = parsed.errors.len().min(MAX_SYNTAX_ERRORS);
    let mut findings: Vec<Finding> = parsed.errors[..shown]
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let mut error = e.clone();
            let hidden = parsed.errors.len() - shown + parsed.errors_not_kept;
            if i + 1 == shown && hidden > 0 {
                error
                    .message
                    .push_str(&format!(" ({} more errors not shown)", hidden));
            }
            syntax_error(registry, rules, &positions, error)
        })
        .collect();
    let mut raw: Vec<ConfigFinding> = Vec::new();
    crate::rules::check_config_file(
        &ConfigFile {
            path,
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
    let unchecked = parsed.unchecked;
    let declarations = parsed
        .dependencies
        .into_iter()
        .filter(|d| !d.name.is_empty())
        .map(|dependency| Declaration {
            file: path.to_string(),
            line: positions.line(dependency.range.start),
            dependency,
            folder: String::new(),
        })
        .collect();
    ConfigChecked {
        findings,
        declarations,
        unchecked,
    }
}

pub(super) fn config_finding(
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

pub(super) fn syntax_error(
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
pub(super) fn suppressed_by_comment(text: &str, finding: &Finding) -> bool {
    let Some(line) = crate::report::line_at(text, finding.span.start_offset) else {
        return false;
    };
    config_line_suppresses(line, &finding.code)
}
