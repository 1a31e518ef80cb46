//! SCI405 swallowed-exception: catch everything, do nothing.

use crate::rules::checker::Checker;
use crate::rules::RuleId;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

/// The rule's code.
pub const CODE: &str = "SCI405";

/// Reports a handler that catches everything and only does `pass`, `...` or `continue`.
pub(crate) fn check(checker: &mut Checker, rule: RuleId, handler: &ast::ExceptHandlerExceptHandler) {
    let h = handler;
    let catches_all = match h.type_.as_deref() {
        None => Some("A bare `except:`"),
        Some(Expr::Tuple(tuple)) => tuple
            .elts
            .iter()
            .any(|e| is_catch_all(checker, e))
            .then_some("A catch-all `except`"),
        Some(e) => is_catch_all(checker, e).then_some("A catch-all `except`"),
    };
    let Some(what) = catches_all else { return };
    let does_nothing = h.body.iter().all(|stmt| match stmt {
        Stmt::Pass(_) | Stmt::Continue(_) => true,
        Stmt::Expr(e) => matches!(e.value.as_ref(), Expr::EllipsisLiteral(_)),
        _ => false,
    });
    if !does_nothing {
        return;
    }
    // `except Exception:` with a comment in its body is a fallback someone decided on and
    // explained (`# optional backend missing: keep the default`). A bare `except:` still
    // swallows KeyboardInterrupt and SystemExit, explained or not.
    let explained = h.type_.is_some() && body_has_comment(checker.source(), h);
    // In a library, a handler that swallows is a fallback its maintainers chose (probe
    // an optional import, keep a default, skip a malformed optional field); judged on
    // real packages, such findings were style, not bugs. Scripts, notebooks and services
    // are where a failed step silently drops data: the rule reports there.
    if checker.context().module.is_some() {
        return;
    }
    if explained {
        return;
    }
    let header_end = h
        .type_
        .as_ref()
        .map_or(h.start() + ruff_text_size::TextSize::from(6), |t| t.end());
    checker.report(
        rule,
        TextRange::new(h.start(), header_end),
        format!("{what} that does nothing hides every failure, including bugs; catch the exceptions you expect and log or re-raise the rest"),
        None,
    );
}

/// Whether the lines of a handler's body (not its header) hold a comment other than a
/// suppression (`# noqa`, `# nosec`).
fn body_has_comment(source: &str, h: &ast::ExceptHandlerExceptHandler) -> bool {
    let header_end = h.type_.as_ref().map_or(h.start(), |t| t.end()).to_usize();
    let Some(body_start) = source.get(header_end..).and_then(|t| t.find('\n')) else {
        return false;
    };
    // To the end of the last line, which may carry the comment (`pass  # optional`).
    let end = h.end().to_usize();
    let end = source.get(end..).and_then(|t| t.find('\n')).map_or(source.len(), |i| end + i);
    let Some(body) = source.get(header_end + body_start..end) else {
        return false;
    };
    body.lines().any(|line| {
        line.find('#').is_some_and(|at| {
            let comment = line[at + 1..].trim_start().to_ascii_lowercase();
            !comment.is_empty() && !comment.starts_with("noqa") && !comment.starts_with("nosec")
        })
    })
}

fn is_catch_all(checker: &Checker, expr: &Expr) -> bool {
    matches!(
        checker.qualified_name(expr).as_deref(),
        Some("builtins.Exception" | "builtins.BaseException")
    )
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct SwallowedException;

impl crate::rules::PythonRule for SwallowedException {
    const CODE: &'static str = CODE;

    fn except_handler(
        checker: &mut Checker<'_>,
        rule: RuleId,
        handler: &ruff_python_ast::ExceptHandlerExceptHandler,
    ) {
        check(checker, rule, handler);
    }
}
