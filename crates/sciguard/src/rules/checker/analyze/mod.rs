//! Per-node dispatch lists: what runs at each kind of node the walk meets. The
//! declarative policies are matched here; the Rust rules run through the hooks they
//! registered (see `rules/mod.rs`).

mod except_handler;
mod expression;
mod statement;

pub(super) use except_handler::except_handler;
pub(super) use expression::expression;
pub(super) use statement::statement;

use super::{Checker, RawFinding, RawFix};
use crate::rules::policy::Policy;
use crate::rules::RuleId;
use ruff_text_size::TextRange;

/// Records a policy's finding, naming the matched qualified name in its message.
fn report_policy(
    checker: &mut Checker<'_>,
    rule: RuleId,
    policy: &Policy,
    range: TextRange,
    qualified: &str,
    fix: Option<RawFix>,
) {
    checker.findings.push(RawFinding {
        rule,
        range,
        message: policy.message.replace(
            "{name}",
            qualified.strip_prefix("builtins.").unwrap_or(qualified),
        ),
        severity: policy.severity,
        fix,
        statement: checker.statement,
        gate: policy.declared.clone().map(Box::new),
    });
}
