//! SCI230 assert-with-side-effects: an `assert` whose condition does work the program
//! needs (`assert d.pop("tz") == tz`, `assert not LocalFree(h)`). Under `python -O` the
//! whole statement goes, and the work with it, so optimized runs behave differently.

use crate::rules::checker::{find_expr, Checker};
use crate::rules::{PythonRule, RuleId};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

/// The rule's code.
pub const CODE: &str = "SCI230";

/// Methods that change their receiver or the world (`list.pop`, `file.write`).
const MUTATING_METHODS: &[&str] = &[
    "pop",
    "popitem",
    "popleft",
    "remove",
    "append",
    "appendleft",
    "extend",
    "insert",
    "setdefault",
    "clear",
    "discard",
    "write",
    "writelines",
    "send",
    "sendall",
    "put",
    "put_nowait",
    "close",
    "acquire",
    "release",
    "unlink",
    "rmdir",
    "kill",
    "terminate",
];

/// Ends of function names that act rather than compute (Windows' `LocalFree`,
/// `CloseHandle`, `DeleteFileW`).
const ACTION_WORDS: &[&str] = &["Free", "Close", "Delete", "Write", "Remove", "Kill", "Release"];

/// What in an assert's condition does work, if anything: the call or `:=` to name.
pub(crate) fn side_effect(test: &Expr) -> Option<&Expr> {
    find_expr(test, &mut |e| match e {
        Expr::Named(_) => true,
        Expr::Call(call) => acts(&call.func),
        _ => false,
    })
}

/// Whether an assert's condition does work.
pub(crate) fn has_side_effects(test: &Expr) -> bool {
    side_effect(test).is_some()
}

fn acts(func: &Expr) -> bool {
    match func {
        Expr::Attribute(attr) => {
            let name = attr.attr.id.as_str();
            MUTATING_METHODS.contains(&name) || is_action_name(name)
        }
        Expr::Name(name) => name.id.as_str() == "next" || is_action_name(&name.id),
        _ => false,
    }
}

/// `LocalFree`, `CloseHandle`, `DeleteFileW`: a capitalized name made of an action word.
fn is_action_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && ACTION_WORDS.iter().any(|word| {
            name.strip_suffix('W')
                .or_else(|| name.strip_suffix('A'))
                .unwrap_or(name)
                .ends_with(word)
                || name.starts_with(word) && name[word.len()..].starts_with(|c: char| c.is_ascii_uppercase())
        })
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct AssertWithSideEffects;

impl PythonRule for AssertWithSideEffects {
    const CODE: &'static str = CODE;

    fn statement(checker: &mut Checker<'_>, rule: RuleId, stmt: &Stmt) {
        let Stmt::Assert(assert) = stmt else {
            return;
        };
        if checker.context().testing_support {
            return;
        }
        let Some(effect) = side_effect(&assert.test) else {
            return;
        };
        let what = &checker.source()[effect.range()];
        let what = match what.split_once('\n') {
            Some((first, _)) => format!("{first} ..."),
            None => what.to_string(),
        };
        checker.report(
            rule,
            assert.range(),
            format!(
                "`{what}` runs only when asserts do: under `python -O` the assert and this work are removed, so the program behaves differently; do the work first, then assert on its result"
            ),
            None,
        );
    }
}
