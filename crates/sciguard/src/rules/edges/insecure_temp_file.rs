//! SCI229 insecure-temp-file (string part): hard-coded paths in shared temporary
//! folders. `tempfile.mktemp` is matched by the policy in the rule's page.

use crate::rules::checker::Checker;
use crate::rules::RuleId;
use ruff_python_ast::ExprStringLiteral;
use ruff_text_size::Ranged;

/// The rule's code.
pub const CODE: &str = "SCI229";

const SHARED_TEMP_DIRS: [&str; 3] = ["/tmp", "/var/tmp", "/dev/shm"];

/// Reports a string literal that names a path in a world-writable temporary folder.
pub fn check(checker: &mut Checker, rule: RuleId, string: &ExprStringLiteral) {
    let value = string.value.to_str();
    // Cheap first test: every candidate starts with '/'.
    if !value.starts_with('/') {
        return;
    }
    let Some(dir) = SHARED_TEMP_DIRS.iter().find(|dir| {
        value
            .strip_prefix(**dir)
            .is_some_and(|rest| rest.starts_with('/') && rest.len() > 1)
    }) else {
        return;
    };
    checker.report(
        rule,
        string.range(),
        format!("Hard-coded path in `{dir}`: another user can create or replace it first; use `tempfile.mkstemp()` or `tempfile.TemporaryDirectory()`"),
        None,
    );
}
