//! SCI106 star-import: `from module import *`.

use crate::rules::checker::Checker;
use crate::rules::RuleId;
use ruff_python_ast::StmtImportFrom;
use ruff_text_size::Ranged;

/// The rule's code.
pub const CODE: &str = "SCI106";

/// Reports a star import.
pub(crate) fn check(checker: &mut Checker, rule: RuleId, import: &StmtImportFrom) {
    if !import.names.iter().any(|alias| alias.name.id == "*") {
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
