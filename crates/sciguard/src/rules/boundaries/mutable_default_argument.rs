//! SCI104 mutable-default-argument: a default value shared, and mutated, across calls.

use crate::rules::checker::Checker;
use crate::rules::RuleId;
use ruff_python_ast::{Expr, Parameters};
use ruff_text_size::Ranged;

/// The rule's code.
pub const CODE: &str = "SCI104";

/// Calls that build a fresh mutable object.
const MUTABLE_FACTORIES: &[&str] = &[
    "builtins.list",
    "builtins.dict",
    "builtins.set",
    "builtins.bytearray",
    "collections.defaultdict",
    "collections.OrderedDict",
    "collections.deque",
    "collections.Counter",
    "numpy.array",
    "numpy.zeros",
    "numpy.ones",
    "numpy.empty",
    "numpy.full",
    "numpy.arange",
    "pandas.DataFrame",
    "pandas.Series",
];

/// Reports each parameter default that is a mutable object.
pub(crate) fn check(checker: &mut Checker, rule: RuleId, parameters: &Parameters) {
    for parameter in parameters.iter_non_variadic_params() {
        let Some(default) = parameter.default() else {
            continue;
        };
        let what = match default {
            Expr::List(_) | Expr::ListComp(_) => Some("a list".to_string()),
            Expr::Dict(_) | Expr::DictComp(_) => Some("a dict".to_string()),
            Expr::Set(_) | Expr::SetComp(_) => Some("a set".to_string()),
            Expr::Call(call) => checker
                .qualified_name(&call.func)
                .filter(|q| MUTABLE_FACTORIES.contains(&q.as_str()))
                .map(|q| format!("the result of `{}`", q.trim_start_matches("builtins."))),
            _ => None,
        };
        if let Some(what) = what {
            checker.report(
                rule,
                default.range(),
                format!(
                    "The default of `{}` is {what}, created once and shared by every call; default to `None` and create it inside the function",
                    parameter.name().id
                ),
                None,
            );
        }
    }
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct MutableDefaultArgument;

impl crate::rules::PythonRule for MutableDefaultArgument {
    const CODE: &'static str = CODE;

    fn statement(checker: &mut Checker<'_>, rule: RuleId, stmt: &ruff_python_ast::Stmt) {
        if let ruff_python_ast::Stmt::FunctionDef(function) = stmt {
            check(checker, rule, &function.parameters);
        }
    }
}
