//! SCI311 unused-noqa: a `# noqa: SCI…` code that suppressed nothing on its line.
//!
//! Not a hook of the walk: which suppressions were used is known only once every other
//! rule has reported, so the pipeline calls [`report_unused`] after suppressing.

use crate::python::suppression::{parse_comment, Suppressions};
use crate::rules::checker::{RawFinding, RawFix, Statement};
use crate::rules::{PythonRule, Registry, RuleId, RuleSet};
use crate::vocab::Applicability;
use ruff_text_size::{TextRange, TextSize};
use std::collections::HashSet;

/// The rule's code.
pub const CODE: &str = "SCI311";

/// The rule, as registered in `rules/mod.rs`: it has no hooks in the walk.
pub(crate) struct UnusedNoqa;

impl PythonRule for UnusedNoqa {
    const CODE: &'static str = CODE;
}

/// Which codes of which lines' suppressions covered a finding: (line, index in `codes`).
pub(crate) type UsedCodes = HashSet<(usize, usize)>;

/// Reports, once per comment, the sciguard codes (`SCI…`) of `# noqa: …` / `# nosec …`
/// comments that covered no finding. A bare `# noqa` or `# nosec`, and other tools' codes
/// (`E501`, `S101`, `B301`), are left alone: they may serve Ruff, flake8 or Bandit.
pub(crate) fn report_unused(
    rule: RuleId,
    source: &str,
    registry: &Registry,
    rules: &RuleSet,
    suppressions: &Suppressions,
    used: &UsedCodes,
) -> Vec<RawFinding> {
    let mut lines: Vec<_> = suppressions.iter().collect();
    lines.sort_by_key(|(line, _)| *line);
    let mut found = Vec::new();
    for (line, suppression) in lines {
        // `# noqa: SCI311` keeps this rule quiet on its line.
        if suppression.all || suppression.codes.iter().any(|c| c == CODE) {
            continue;
        }
        let unused: Vec<(&str, &str)> = suppression
            .codes
            .iter()
            .enumerate()
            .filter(|(i, code)| code.starts_with("SCI") && !used.contains(&(line, *i)))
            .map(|(_, code)| (code.as_str(), why_unused(code, registry, rules)))
            .collect();
        if unused.is_empty() {
            continue;
        }
        let range = TextRange::new(
            TextSize::try_from(suppression.comment.start).unwrap_or_default(),
            TextSize::try_from(suppression.comment.end).unwrap_or_default(),
        );
        let listed: Vec<String> = unused
            .iter()
            .map(|(code, why)| format!("{code} ({why})"))
            .collect();
        let codes: Vec<&str> = unused.iter().map(|(code, _)| *code).collect();
        found.push(RawFinding {
            rule,
            range,
            message: format!(
                "this suppression comment names {} that suppressed nothing: {}",
                if codes.len() == 1 { "a code" } else { "codes" },
                listed.join(", ")
            ),
            severity: None,
            fix: removal(source, range, &codes),
            statement: Statement::of_range(range),
            gate: None,
        });
    }
    found
}

/// Why a code suppressed nothing on its line.
fn why_unused(code: &str, registry: &Registry, rules: &RuleSet) -> &'static str {
    match registry.find(code) {
        None => "no such rule",
        Some(id) if !rules.contains(id) => "the rule does not run on this file",
        Some(_) => "no finding of it on this line",
    }
}

/// The fix: the comment without the unused codes, or without the comment (and the
/// spaces before it) when it names nothing else. Only for a comment that is exactly
/// `# noqa: CODES`; anything else around it is left for a person to edit.
fn removal(source: &str, range: TextRange, unused: &[&str]) -> Option<RawFix> {
    let (start, end) = (range.start().to_usize(), range.end().to_usize());
    let comment = source.get(start..end)?;
    let rest = comment.strip_prefix('#')?.trim_start();
    let codes_text = rest
        .get(..4)
        .filter(|w| w.eq_ignore_ascii_case("noqa"))
        .and_then(|_| rest[4..].trim_start().strip_prefix(':'))?;
    let suppression = parse_comment(comment)?;
    let tokens: Vec<&str> = codes_text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    // Every word after `noqa:` must be one of the codes parsed: no trailing prose.
    if suppression.all || tokens.len() != suppression.codes.len() {
        return None;
    }
    let kept: Vec<&str> = tokens
        .iter()
        .copied()
        .filter(|t| !unused.iter().any(|u| u.eq_ignore_ascii_case(t)))
        .collect();
    let (edit_start, content) = if kept.is_empty() {
        let before = source.get(..start)?;
        let spaces = before.len() - before.trim_end_matches([' ', '\t']).len();
        (start - spaces, String::new())
    } else {
        (start, format!("# noqa: {}", kept.join(", ")))
    };
    Some(RawFix {
        applicability: Applicability::Safe,
        title: if kept.is_empty() {
            "Remove the suppression comment".to_string()
        } else {
            format!("Keep only {}", kept.join(", "))
        },
        edits: vec![(
            TextRange::new(
                TextSize::try_from(edit_start).ok()?,
                TextSize::try_from(end).ok()?,
            ),
            content,
        )],
    })
}
