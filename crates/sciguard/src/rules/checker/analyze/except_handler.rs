//! What runs at each `except` clause.

use crate::rules::checker::Checker;
use ruff_python_ast as ast;

/// The hooks of the enabled rules.
pub(in crate::rules::checker) fn except_handler(
    checker: &mut Checker<'_>,
    handler: &ast::ExceptHandlerExceptHandler,
) {
    for i in 0..checker.handler_hooks.len() {
        let (hook, rule) = checker.handler_hooks[i];
        hook(checker, rule, handler);
    }
}
