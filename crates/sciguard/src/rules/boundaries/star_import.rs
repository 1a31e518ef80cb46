//! SCI106 star-import: `from module import *`.
//!
//! Re-exports are the exception: a star import of one of the project's own modules that
//! declares `__all__` (what it exports is written down there), and a module whose only
//! business is re-exporting (nothing but imports, `__all__` and a docstring).

use crate::rules::checker::Checker;
use crate::rules::{ModuleShape, RuleId};
use ruff_python_ast::{self as ast, Expr, Stmt, StmtImportFrom};
use ruff_text_size::Ranged;

/// The rule's code.
pub const CODE: &str = "SCI106";

/// Reports a star import.
pub(crate) fn check(checker: &mut Checker, rule: RuleId, import: &StmtImportFrom) {
    if !import.names.iter().any(|alias| alias.name.id == "*") {
        return;
    }
    let context = checker.context();
    let target = context.resolve_relative(import.level, import.module.as_ref().map(|m| m.id.as_str()));
    let reexport = target.as_deref().is_some_and(|t| {
        if import.level == 0 && !context.is_first_party(t) {
            return false;
        }
        match context.module_shape(t) {
            Some(ModuleShape::DeclaresAll) => true,
            // A package's `__init__` gathering its own subpackages and compiled modules
            // (which bind only what they define) is assembling its namespace.
            Some(ModuleShape::Package) | None => context.package_init,
            Some(ModuleShape::Plain) => false,
        }
    });
    // A shim module of the project (an old name kept for compatibility) re-exports its
    // own package's names; a package `__init__` is judged by what it imports instead.
    let shim = context.module.is_some()
        && !context.package_init
        && target.as_deref().is_some_and(|t| import.level > 0 || context.is_first_party(t))
        && only_reexports(checker.module_body());
    if reexport || shim {
        return;
    }
    let dots = ".".repeat(import.level as usize);
    let module = format!(
        "{dots}{}",
        import.module.as_ref().map_or("", |m| m.id.as_str())
    );
    checker.report(
        rule,
        import.range(),
        format!("`from {module} import *` hides where names come from; import the names you use"),
        None,
    );
}

/// Whether a module does nothing but gather names: imports, `__all__` and other dunder
/// assignments, `del`, docstrings, and `try`/`if` blocks of the same.
fn only_reexports(body: &[Stmt]) -> bool {
    body.iter().all(|stmt| match stmt {
        Stmt::Import(_) | Stmt::ImportFrom(_) | Stmt::Delete(_) | Stmt::Pass(_) | Stmt::Raise(_) => true,
        Stmt::Expr(e) => e.value.is_string_literal_expr(),
        Stmt::Assign(a) => a.targets.iter().all(is_dunder),
        Stmt::AugAssign(a) => is_dunder(&a.target),
        Stmt::AnnAssign(a) => is_dunder(&a.target),
        Stmt::Try(t) => {
            only_reexports(&t.body)
                && only_reexports(&t.orelse)
                && only_reexports(&t.finalbody)
                && t.handlers.iter().all(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    only_reexports(&h.body)
                })
        }
        Stmt::If(i) => {
            only_reexports(&i.body) && i.elif_else_clauses.iter().all(|c| only_reexports(&c.body))
        }
        _ => false,
    })
}

fn is_dunder(target: &Expr) -> bool {
    matches!(target, Expr::Name(n) if n.id.starts_with("__") && n.id.ends_with("__"))
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct StarImport;

impl crate::rules::PythonRule for StarImport {
    const CODE: &'static str = CODE;

    fn statement(checker: &mut Checker<'_>, rule: RuleId, stmt: &ruff_python_ast::Stmt) {
        if let ruff_python_ast::Stmt::ImportFrom(import) = stmt {
            check(checker, rule, import);
        }
    }
}
