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

/// A narrow `errstate` block is the recommended fix; longer ones hide too much. Counted
/// in statements (nested ones included), not lines: a long call spread over twenty lines
/// or a block of comments is one narrow step.
pub const MAX_BLOCK_STATEMENTS: usize = 10;

const CATEGORIES: [&str; 4] = ["all", "divide", "invalid", "over"];

/// Reports an `errstate(...="ignore")` block of more than [`MAX_BLOCK_STATEMENTS`].
pub(crate) fn check_with(checker: &mut Checker, rule: RuleId, with: &StmtWith) {
    // In a library an `errstate` block ends with the function that needs it, around a
    // numerical step its authors reason about; in scripts and notebooks a long block
    // covers a whole analysis. Judged on real packages, long blocks there were noise.
    if with.body.is_empty() || checker.context().module.is_some() {
        return;
    }
    // Resolve the context first: counting statements for every `with` would cost nodes x depth.
    let is_errstate = |item: &&ruff_python_ast::WithItem| match &item.context_expr {
        Expr::Call(call) => checker.qualified_name(&call.func).as_deref() == Some("numpy.errstate"),
        _ => false,
    };
    if !with.items.iter().any(|item| is_errstate(&item)) {
        return;
    }
    let statements = count_statements(&with.body);
    if statements <= MAX_BLOCK_STATEMENTS {
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
                "`numpy.errstate({}=\"ignore\")` covers {statements} statements: NaN and inf from any of them pass silently; wrap only the operation that needs it",
                ignored.join("/")
            ),
            None,
        );
    }
}

/// Statements in a body, nested ones included (a function defined inside counts once).
fn count_statements(body: &[ruff_python_ast::Stmt]) -> usize {
    use ruff_python_ast::Stmt;
    body.iter()
        .map(|stmt| {
            1 + match stmt {
                Stmt::If(s) => {
                    count_statements(&s.body)
                        + s.elif_else_clauses.iter().map(|c| count_statements(&c.body)).sum::<usize>()
                }
                Stmt::For(s) => count_statements(&s.body) + count_statements(&s.orelse),
                Stmt::While(s) => count_statements(&s.body) + count_statements(&s.orelse),
                Stmt::With(s) => count_statements(&s.body),
                Stmt::Try(s) => {
                    count_statements(&s.body)
                        + count_statements(&s.orelse)
                        + count_statements(&s.finalbody)
                        + s.handlers
                            .iter()
                            .map(|h| {
                                let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                                count_statements(&h.body)
                            })
                            .sum::<usize>()
                }
                _ => 0,
            }
        })
        .sum()
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
