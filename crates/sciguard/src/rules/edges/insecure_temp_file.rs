//! SCI229 insecure-temp-file (string part): hard-coded paths in shared temporary
//! folders. `tempfile.mktemp` is matched by the policy in the rule's page.

use crate::rules::checker::Checker;
use crate::rules::RuleId;
use ruff_python_ast::{self as ast, ExprStringLiteral, InterpolatedStringElement};
use ruff_text_size::{Ranged, TextRange};

/// The rule's code.
pub const CODE: &str = "SCI229";

const SHARED_TEMP_DIRS: [&str; 3] = ["/tmp", "/var/tmp", "/dev/shm"];

/// The shared temporary folder a path starts in (`/tmp/x`). A bare `/tmp/` only counts
/// when more of the path follows (`f"/tmp/{run}"`), not in `path.startswith("/tmp/")`.
fn shared_dir(value: &str, more_follows: bool) -> Option<&'static str> {
    // Cheap first test: every candidate starts with '/'.
    if !value.starts_with('/') {
        return None;
    }
    SHARED_TEMP_DIRS
        .iter()
        .find(|dir| {
            value
                .strip_prefix(**dir)
                .is_some_and(|rest| rest.starts_with('/') && (rest.len() > 1 || more_follows))
        })
        .copied()
}

/// Reports a string literal that names a path in a world-writable temporary folder.
pub(crate) fn check(checker: &mut Checker, rule: RuleId, string: &ExprStringLiteral) {
    if let Some(dir) = shared_dir(string.value.to_str(), false) {
        report(checker, rule, dir, string.range());
    }
}

/// Reports an f-string whose text starts in a shared temporary folder (`f"/tmp/{run}"`).
pub(crate) fn check_fstring(checker: &mut Checker, rule: RuleId, fstring: &ast::ExprFString) {
    let mut elements = fstring.value.elements();
    if let Some(InterpolatedStringElement::Literal(literal)) = elements.next() {
        if let Some(dir) = shared_dir(&literal.value, elements.next().is_some()) {
            report(checker, rule, dir, fstring.range());
        }
    }
}

fn report(checker: &mut Checker, rule: RuleId, dir: &str, range: TextRange) {
    checker.report(
        rule,
        range,
        format!("Hard-coded path in `{dir}`: another user can create or replace it first; use `tempfile.mkstemp()` or `tempfile.TemporaryDirectory()`"),
        None,
    );
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct InsecureTempFile;

impl crate::rules::PythonRule for InsecureTempFile {
    const CODE: &'static str = CODE;

    fn expression(checker: &mut Checker<'_>, rule: RuleId, expr: &ruff_python_ast::Expr) {
        match expr {
            ruff_python_ast::Expr::StringLiteral(string) => check(checker, rule, string),
            ruff_python_ast::Expr::FString(fstring) => check_fstring(checker, rule, fstring),
            _ => {}
        }
    }
}
