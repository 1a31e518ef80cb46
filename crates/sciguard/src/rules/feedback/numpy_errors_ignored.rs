//! SCI303 numpy-errors-ignored (block part): `with np.errstate(...="ignore")` around a
//! large block. `numpy.seterr` is matched by the policies in the rule's page.

use crate::python::literal;
use crate::rules::checker::Checker;
use crate::rules::policy::Literal;
use crate::rules::RuleId;
use ruff_python_ast::{Expr, StmtWith};
use ruff_text_size::{Ranged, TextRange};

/// The rule's code.
pub const CODE: &str = "SCI303";

/// A narrow `errstate` block is the recommended fix; longer ones hide too much.
pub const MAX_BLOCK_LINES: usize = 10;

const CATEGORIES: [&str; 4] = ["all", "divide", "invalid", "over"];

/// Reports an `errstate(...="ignore")` block longer than [`MAX_BLOCK_LINES`].
pub(crate) fn check_with(checker: &mut Checker, rule: RuleId, with: &StmtWith) {
    let (Some(first), Some(last)) = (with.body.first(), with.body.last()) else {
        return;
    };
    // Resolve the context first: counting lines for every `with` would cost bytes x depth.
    let is_errstate = |item: &&ruff_python_ast::WithItem| match &item.context_expr {
        Expr::Call(call) => checker.qualified_name(&call.func).as_deref() == Some("numpy.errstate"),
        _ => false,
    };
    if !with.items.iter().any(|item| is_errstate(&item)) {
        return;
    }
    let source = checker.source();
    let lines = source
        .get(first.start().to_usize()..last.end().to_usize())
        .map_or(0, |body| body.lines().count());
    if lines <= MAX_BLOCK_LINES {
        return;
    }
    let ignore = Literal::Str("ignore".to_string());
    for item in &with.items {
        let Expr::Call(call) = &item.context_expr else {
            continue;
        };
        if checker.qualified_name(&call.func).as_deref() != Some("numpy.errstate") {
            continue;
        }
        let ignored: Vec<&str> = call
            .arguments
            .keywords
            .iter()
            .filter_map(|k| {
                let arg = k.arg.as_ref()?.id.as_str();
                (CATEGORIES.contains(&arg) && literal::equals(&k.value, &ignore)).then_some(arg)
            })
            .collect();
        if ignored.is_empty() {
            continue;
        }
        checker.report(
            rule,
            TextRange::new(with.start(), item.end()),
            format!(
                "`numpy.errstate({}=\"ignore\")` covers {lines} lines: NaN and inf from any of them pass silently; wrap only the operation that needs it",
                ignored.join("/")
            ),
            None,
        );
    }
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct NumpyErrorsIgnored;

impl crate::rules::PythonRule for NumpyErrorsIgnored {
    const CODE: &'static str = CODE;

    fn statement(checker: &mut Checker<'_>, rule: RuleId, stmt: &ruff_python_ast::Stmt) {
        if let ruff_python_ast::Stmt::With(with) = stmt {
            check_with(checker, rule, with);
        }
    }
}
