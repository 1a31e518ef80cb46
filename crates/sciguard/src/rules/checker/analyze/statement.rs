//! What runs at each statement: assignment policies, then the hooks of the enabled rules.

use super::report_policy;
use crate::rules::checker::{call, Checker};
use crate::rules::evaluate::{policy_holds, Site};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

/// Policies and hooks for one statement, before its children are walked.
pub(in crate::rules::checker) fn statement(checker: &mut Checker<'_>, stmt: &Stmt) {
    match stmt {
        Stmt::Assign(assign) => {
            for target in &assign.targets {
                assignment_policies(checker, target, &assign.value);
            }
        }
        Stmt::AnnAssign(assign) => {
            if let Some(value) = &assign.value {
                assignment_policies(checker, &assign.target, value);
            }
        }
        _ => {}
    }
    for i in 0..checker.statement_hooks.len() {
        let (hook, rule) = checker.statement_hooks[i];
        hook(checker, rule, stmt);
    }
}

/// The `assigns` policies of an attribute target (`pd.options.mode.x = …`).
fn assignment_policies(checker: &mut Checker<'_>, target: &Expr, value: &Expr) {
    let Expr::Attribute(attr) = target else {
        return;
    };
    let registry = checker.registry;
    let policies = registry.policies();
    let by_attr = policies.for_assigned_attr(&attr.attr.id);
    let by_name = if checker.model.resolve(target, &mut checker.scratch) {
        policies.for_assign(&checker.scratch)
    } else {
        &[]
    };
    if by_attr.is_empty() && by_name.is_empty() {
        return;
    }
    let qualified = std::mem::take(&mut checker.scratch);
    let assigned = call::value(checker, value);
    for at in by_name.iter().chain(by_attr) {
        if !checker.enabled.contains(at.rule) {
            continue;
        }
        let policy = &registry.rule(at.rule).policies[at.index as usize];
        if policy_holds(policy, &Site::Assignment(&assigned), &checker.with_contexts) {
            let range = TextRange::new(target.start(), value.end());
            report_policy(checker, at.rule, policy, range, &qualified, None);
        }
    }
    checker.scratch = qualified;
}
