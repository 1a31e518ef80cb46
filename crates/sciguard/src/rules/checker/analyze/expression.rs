//! What runs at each expression: call policies, then the hooks of the enabled rules.

use super::report_policy;
use crate::rules::checker::written::WrittenFiles;
use crate::rules::checker::{call, validated, Checker, FixedNode};
use crate::rules::evaluate::{policy_holds, Site};
use crate::vocab::Severity;
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

/// Policies and hooks for one expression, before its children are walked.
pub(in crate::rules::checker) fn expression(checker: &mut Checker<'_>, expr: &Expr) {
    if let Expr::Call(call) = expr {
        call_policies(checker, call);
    }
    for i in 0..checker.expression_hooks.len() {
        let (hook, rule) = checker.expression_hooks[i];
        hook(checker, rule, expr);
    }
}

/// The arguments a policy's text conditions look at, if all are given.
fn text_arguments<'e>(
    policy: &crate::rules::policy::Policy,
    arguments: &'e ast::Arguments,
) -> Option<Vec<&'e Expr>> {
    use crate::rules::policy::Test;
    policy
        .conditions
        .iter()
        .filter(|c| matches!(c.test, Test::NonLiteral | Test::FromOutside))
        .map(|c| call::argument_expr(arguments, &c.subject))
        .collect()
}

/// Whether an argument is one of the enclosing function's parameters, unchanged.
fn is_parameter(checker: &Checker<'_>, arg: &Expr) -> bool {
    let Expr::Name(name) = arg else {
        return false;
    };
    checker
        .function
        .is_some_and(|f| f.def.parameters.iter().any(|p| p.name().id == name.id))
        && checker.model.lookup(&name.id) == Some(&crate::python::semantic::Binding::Local)
}

/// The `calls` policies of the callee's qualified name: one lookup per call.
fn call_policies(checker: &mut Checker<'_>, call_expr: &ast::ExprCall) {
    if !checker.any_policy || !checker.model.resolve(&call_expr.func, &mut checker.scratch) {
        return;
    }
    if !checker.context.watched.is_empty() {
        let qualified = std::mem::take(&mut checker.scratch);
        checker.note_use(&qualified);
        checker.scratch = qualified;
    }
    let registry = checker.registry;
    let refs = registry.policies().for_call(&checker.scratch);
    if refs.is_empty() {
        return;
    }
    let qualified = std::mem::take(&mut checker.scratch);
    // A package calling its own API (sympy's `sympify` inside sympy) is the package at
    // work, unless the argument visibly comes from outside.
    let outside = call::from_outside(checker, &call_expr.arguments);
    if checker.context.is_first_party(&qualified) && !outside {
        checker.scratch = qualified;
        return;
    }
    // In a notebook the person running it types the strings that reach `eval`, a query
    // or a shell: only input from outside (a file, the network, argv) is injectable.
    let notebook_author_input = checker.context.notebook && !outside;
    let site = call::call_site(checker, &call_expr.arguments);
    for at in refs {
        if !checker.enabled.contains(at.rule) {
            continue;
        }
        let policy = &registry.rule(at.rule).policies[at.index as usize];
        if notebook_author_input && policy.judges_text() {
            continue;
        }
        if policy.unless_saved && checker.assigned_value == Some(call_expr.range()) {
            continue;
        }
        // A smoke test of this machine's own service (`http://localhost:8501/...`).
        if let Some(url) = policy
            .unless_local
            .as_ref()
            .and_then(|subject| call::argument_expr(&call_expr.arguments, subject))
        {
            let (source, body) = (checker.source, checker.module_body);
            let scope = checker.function.map(|f| f.def.start());
            if checker
                .written
                .get_or_insert_with(|| WrittenFiles::scan(source, body))
                .is_local_url(url, scope)
            {
                continue;
            }
        }
        // In a package, a function that hands its own parameter to a shell or `eval`
        // is an API (a command runner); the caller decides what it passes.
        if checker.context.module.is_some()
            && policy.judges_text()
            && text_arguments(policy, &call_expr.arguments).is_some_and(|args| {
                !args.is_empty() && args.iter().all(|a| is_parameter(checker, a))
            })
        {
            continue;
        }
        if policy_holds(policy, &Site::Call(&site), &checker.with_contexts) {
            let fix = policy
                .fix
                .as_ref()
                .and_then(|f| call::call_fix(checker.source, f, call_expr))
                .and_then(|f| {
                    validated(checker.source, call_expr.range(), f, FixedNode::Expression)
                });
            let loaded = policy
                .loads
                .as_ref()
                .and_then(|subject| call::argument_expr(&call_expr.arguments, subject));
            // In a library, loading is either an API (a function loading whatever file its
            // caller passes: the caller's call is where a finding belongs) or the library
            // reading its own caches and bundled data. Judged on real packages, neither was
            // worth a maintainer's time; data visibly from outside still is.
            if checker.context.module.is_some()
                && loaded.is_some_and(|arg| {
                    !call::expr_from_outside(&checker.model, arg, false, &mut String::new())
                })
            {
                continue;
            }
            let own_file = loaded.is_some_and(|path| {
                let (source, body) = (checker.source, checker.module_body);
                let scope = checker.function.map(|f| f.def.start());
                checker
                    .written
                    .get_or_insert_with(|| WrittenFiles::scan(source, body))
                    .writes(source, path, scope)
            });
            if !own_file && checker.context.module.is_none() {
                if let Some(path) = loaded {
                    let scope = checker.function.map(|f| f.def.start());
                    let (source, body) = (checker.source, checker.module_body);
                    let names = checker
                        .written
                        .get_or_insert_with(|| WrittenFiles::scan(source, body))
                        .file_names_loaded(path, scope);
                    if !names.is_empty() {
                        checker.loads.push((call_expr.range(), at.rule, names));
                    }
                }
            }
            report_policy(checker, at.rule, policy, call_expr.range(), &qualified, fix);
            if own_file {
                if let Some(finding) = checker.findings.last_mut() {
                    finding.severity = Some(Severity::Info);
                    finding.gate = None;
                    finding.message.push_str(" (this code also writes a file under this name: loading what it saved itself is low risk, as long as nobody else can replace the file)");
                }
            }
        }
    }
    checker.scratch = qualified;
}
