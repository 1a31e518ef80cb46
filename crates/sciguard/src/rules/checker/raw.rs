//! What the walk produces before positions are computed: findings, fixes, and the
//! statement each belongs to (for `# noqa` on its first or last line).

use crate::fix::rewrite_parses;
pub(crate) use crate::fix::FixedNode;
use crate::rules::policy::VersionGate;
use crate::rules::RuleId;
use crate::vocab::{Applicability, Severity};
use ruff_text_size::{TextRange, TextSize};

/// A finding before positions are computed.
#[derive(Debug)]
pub(crate) struct RawFinding {
    /// The rule.
    pub rule: RuleId,
    /// What is flagged.
    pub range: TextRange,
    /// The message.
    pub message: String,
    /// Overrides the rule's severity.
    pub severity: Option<Severity>,
    /// A suggested change.
    pub fix: Option<RawFix>,
    /// The enclosing statement, for `# noqa` on its first or last line.
    pub statement: Statement,
    /// For policies whose severity depends on declared versions.
    pub gate: Option<Box<VersionGate>>,
}

/// Where a statement starts and ends, for suppression comments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Statement {
    /// Its first offset.
    pub start: TextSize,
    /// For a simple statement, its end; for a compound one, where its body starts.
    pub end: TextSize,
    /// Whether it has a body (`def`, `if`, `with`, …): then only its header counts.
    pub compound: bool,
}

impl Statement {
    /// A statement covering just this range.
    pub fn of_range(range: TextRange) -> Statement {
        Statement {
            start: range.start(),
            end: range.end(),
            compound: false,
        }
    }

    /// The offset on the statement's last line (the header's, for compound statements).
    pub fn last_line_offset(&self, source: &str) -> usize {
        let end = self.end.to_usize().min(source.len());
        if !self.compound {
            return end.saturating_sub(1).max(self.start.to_usize());
        }
        // Walk back from the body over blank and comment-only lines to the header's `:` line.
        let mut line_end = source[..end].rfind('\n').unwrap_or(0);
        while line_end > self.start.to_usize() {
            let line_start = source[..line_end].rfind('\n').map_or(0, |i| i + 1);
            let text = source[line_start..line_end].trim();
            if !text.is_empty() && !text.starts_with('#') {
                return line_start.max(self.start.to_usize());
            }
            line_end = line_start.saturating_sub(1);
        }
        self.start.to_usize()
    }
}

/// A fix before positions are computed.
#[derive(Debug)]
pub(crate) struct RawFix {
    /// Whether it keeps behaviour.
    pub applicability: Applicability,
    /// What it does.
    pub title: String,
    /// Replacements, in source order.
    pub edits: Vec<(TextRange, String)>,
}

/// Keeps a fix only if its edits lie inside `node` on character boundaries and the
/// rewritten node still parses: a suggested change must never break the file.
pub(crate) fn validated(
    source: &str,
    node: TextRange,
    fix: RawFix,
    kind: FixedNode,
) -> Option<RawFix> {
    rewrite_parses(source, node, &fix.edits, kind).then_some(fix)
}
