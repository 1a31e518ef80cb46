//! SCI106 star-import: `from module import *`.
//!
//! Reported in scripts, notebooks and modules outside any package. Inside a package, star
//! imports assemble namespaces on purpose (re-exports, compatibility shims). A star
//! import of one of the project's own modules that declares `__all__` is a re-export
//! of a written-down surface, and is not reported either.

use crate::rules::checker::Checker;
use crate::rules::{ModuleShape, RuleId};
use ruff_python_ast::StmtImportFrom;
use ruff_text_size::Ranged;

/// The rule's code.
pub const CODE: &str = "SCI106";

/// Reports a star import.
pub(crate) fn check(checker: &mut Checker, rule: RuleId, import: &StmtImportFrom) {
    if !import.names.iter().any(|alias| alias.name.id == "*") {
        return;
    }
    let context = checker.context();
    // Inside an importable package, star imports assemble namespaces (re-exports,
    // compatibility shims, `pylab`-style interactive modules) on purpose; the names
    // appear from nowhere in scripts, notebooks and loose modules, where it is reported.
    if context.module.is_some() {
        return;
    }
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
    if reexport {
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
