//! SCI106 star-import: `from module import *`.
//!
//! Reported in scripts, notebooks and modules outside any package. Inside a package, star
//! imports assemble namespaces on purpose (re-exports, compatibility shims). A star
//! import of one of the project's own modules that declares `__all__` is a re-export
//! of a written-down surface, and is not reported either; nor is a settings module
//! extending another (`from pelicanconf import *`, Django's `from .base import *`).

use crate::rules::checker::Checker;
use crate::rules::{ModuleShape, RuleId};
use ruff_python_ast::{Expr, Stmt, StmtImportFrom};
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
    if reexport || inherits_settings(checker.module_body(), import) {
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

/// Words that name a settings module (`pelicanconf`, `settings.base`, `config_common`).
const SETTINGS_WORDS: &[&str] = &["conf", "setting", "config", "base", "common", "default"];

/// Whether the import is a settings module extending another (`publishconf.py`:
/// `from pelicanconf import *` then overrides; Django's `from .base import *`): the
/// importing module only sets values, and the imported one is named as settings. There
/// the star import is the documented way to inherit every setting.
fn inherits_settings(body: &[Stmt], import: &StmtImportFrom) -> bool {
    let Some(module) = import.module.as_ref().map(|m| m.id.as_str()) else {
        return false;
    };
    let last = module.rsplit('.').next().unwrap_or(module).to_ascii_lowercase();
    SETTINGS_WORDS.iter().any(|w| last.contains(w)) && only_sets_values(body, 0)
}

/// Whether statements only import, assign and adjust `sys.path`, at any `if`/`try` depth.
fn only_sets_values(body: &[Stmt], depth: u32) -> bool {
    depth < 8
        && body.iter().all(|stmt| match stmt {
            Stmt::Import(_)
            | Stmt::ImportFrom(_)
            | Stmt::Assign(_)
            | Stmt::AnnAssign(_)
            | Stmt::AugAssign(_)
            | Stmt::Pass(_) => true,
            Stmt::Expr(e) => match e.value.as_ref() {
                Expr::StringLiteral(_) => true,
                // `sys.path.append(os.curdir)`, so the sibling settings import.
                Expr::Call(call) => matches!(call.func.as_ref(), Expr::Attribute(method)
                    if matches!(method.value.as_ref(), Expr::Attribute(path)
                        if path.attr.id == "path"
                            && matches!(path.value.as_ref(), Expr::Name(n) if n.id == "sys"))),
                _ => false,
            },
            Stmt::If(branch) => {
                only_sets_values(&branch.body, depth + 1)
                    && branch
                        .elif_else_clauses
                        .iter()
                        .all(|c| only_sets_values(&c.body, depth + 1))
            }
            Stmt::Try(attempt) => {
                only_sets_values(&attempt.body, depth + 1)
                    && attempt.handlers.iter().all(|h| {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                        only_sets_values(&h.body, depth + 1)
                    })
            }
            _ => false,
        })
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
