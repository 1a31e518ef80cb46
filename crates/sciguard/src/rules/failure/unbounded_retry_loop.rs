//! SCI404 unbounded-retry-loop: hand-rolled retries that never give up, or that
//! wait a fixed time between attempts.
//!
//! A *retry loop* is a loop whose body holds a `try` that leaves the loop on success
//! (`break` or `return` in the `try` or its `else`) and has a handler that lets the
//! loop go round again (it neither raises, breaks nor returns). Worker loops that
//! process one item after another never leave on success, so they are not retries.
//! Nor are searches (the handler changes what the `try` reads: `mid = 2 * mid + 1`) and
//! polls of a local file (the handler catches `FileExistsError` from a lock).

use crate::rules::checker::Checker;
use crate::rules::RuleId;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

/// The rule's code.
pub const CODE: &str = "SCI404";

/// `while True:` (or any constant-true test) retry loops.
pub(crate) fn check_while(checker: &mut Checker, rule: RuleId, loop_stmt: &ast::StmtWhile) {
    let Some(retry) = find_retry(&loop_stmt.body) else {
        return;
    };
    if is_always_true(&loop_stmt.test) && retry.unbounded {
        checker.report(
            rule,
            TextRange::new(loop_stmt.start(), loop_stmt.test.end()),
            "This loop retries after every failure with no attempt limit: a dead dependency keeps it spinning forever; cap the attempts and back off".to_string(),
            None,
        );
    }
    report_fixed_sleeps(checker, rule, retry.handlers);
}

/// `for attempt in range(n):` retry loops: bounded, but the wait may be fixed.
pub(crate) fn check_for(checker: &mut Checker, rule: RuleId, loop_stmt: &ast::StmtFor) {
    if let Some(retry) = find_retry(&loop_stmt.body) {
        report_fixed_sleeps(checker, rule, retry.handlers);
    }
}

struct Retry<'a> {
    unbounded: bool,
    handlers: Vec<&'a [Stmt]>,
}

fn is_always_true(test: &Expr) -> bool {
    match test {
        Expr::BooleanLiteral(b) => b.value,
        Expr::NumberLiteral(n) => !matches!(&n.value, ast::Number::Int(i) if i.as_u64() == Some(0)),
        _ => false,
    }
}

fn find_retry(body: &[Stmt]) -> Option<Retry<'_>> {
    let mut found: Option<Retry> = None;
    for stmt in body {
        let Stmt::Try(try_stmt) = stmt else { continue };
        let leaves_on_success = exits(&try_stmt.body, true) || exits(&try_stmt.orelse, true);
        if !leaves_on_success {
            continue;
        }
        for handler in &try_stmt.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = handler;
            // A handler that changes what the `try` reads (`mid = 2 * mid + 1`) makes the
            // loop a search, not a retry; one that waits on a local file (a lock) polls
            // something that does not get worse for being asked.
            if changes_input(&try_stmt.body, &h.body) || waits_on_local_file(h) {
                continue;
            }
            if !exits(&h.body, true) {
                let retry = found.get_or_insert(Retry {
                    unbounded: false,
                    handlers: Vec::new(),
                });
                retry.handlers.push(&h.body);
                // A handler with any exit (e.g. `if attempt > 5: raise`) is bounded;
                // one with none, anywhere, retries forever.
                retry.unbounded |= !exits(&h.body, false);
            }
        }
    }
    found
}

/// Whether a handler assigns a name that the `try` body reads.
fn changes_input(try_body: &[Stmt], handler: &[Stmt]) -> bool {
    let assigned: Vec<&str> = handler
        .iter()
        .filter_map(|s| match s {
            Stmt::Assign(a) => Some(a.targets.iter().collect::<Vec<_>>()),
            Stmt::AugAssign(a) => Some(vec![a.target.as_ref()]),
            _ => None,
        })
        .flatten()
        .filter_map(|t| match t {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        })
        .collect();
    if assigned.is_empty() {
        return false;
    }
    struct Reads<'n> {
        names: &'n [&'n str],
        found: bool,
        depth: u32,
    }
    impl<'a> Visitor<'a> for Reads<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.found || self.depth > 64 {
                return;
            }
            if let Expr::Name(n) = expr {
                self.found |= self.names.contains(&n.id.as_str());
                return;
            }
            self.depth += 1;
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut reads = Reads {
        names: &assigned,
        found: false,
        depth: 0,
    };
    reads.visit_body(try_body);
    reads.found
}

/// Whether a handler catches only errors of local file operations (`FileExistsError`
/// from an exclusive create: a lock file).
fn waits_on_local_file(h: &ast::ExceptHandlerExceptHandler) -> bool {
    const LOCAL: &[&str] = &[
        "FileExistsError",
        "FileNotFoundError",
        "BlockingIOError",
        "PermissionError",
        "IsADirectoryError",
    ];
    let local = |e: &Expr| matches!(e, Expr::Name(n) if LOCAL.contains(&n.id.as_str()));
    match h.type_.as_deref() {
        Some(Expr::Tuple(t)) => !t.elts.is_empty() && t.elts.iter().all(local),
        Some(e) => local(e),
        None => false,
    }
}

/// Whether statements contain `raise`, `return` or (for this loop) `break`. With
/// `unconditional`, only statements at the top level of the block count.
fn exits(body: &[Stmt], unconditional: bool) -> bool {
    if unconditional {
        return body
            .iter()
            .any(|s| matches!(s, Stmt::Raise(_) | Stmt::Return(_) | Stmt::Break(_)))
            || body.iter().any(|s| match s {
                Stmt::Try(t) => exits(&t.body, true) || exits(&t.finalbody, true),
                Stmt::With(w) => exits(&w.body, true),
                _ => false,
            });
    }
    let mut finder = ExitFinder {
        found: false,
        depth: 0,
    };
    finder.visit_body(body);
    finder.found
}

struct ExitFinder {
    found: bool,
    depth: u32,
}

impl<'a> Visitor<'a> for ExitFinder {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found || self.depth > 64 {
            return;
        }
        match stmt {
            Stmt::Raise(_) | Stmt::Return(_) | Stmt::Break(_) => self.found = true,
            // A `break` in a nested loop leaves that loop, not ours; functions are not run here.
            Stmt::For(_) | Stmt::While(_) | Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => {
                self.depth += 1;
                visitor::walk_stmt(self, stmt);
                self.depth -= 1;
            }
        }
    }

    fn visit_expr(&mut self, _expr: &'a Expr) {}
}

fn report_fixed_sleeps(checker: &mut Checker, rule: RuleId, handlers: Vec<&[Stmt]>) {
    for body in handlers {
        for stmt in body {
            let Stmt::Expr(expr) = stmt else { continue };
            let Expr::Call(call) = expr.value.as_ref() else {
                continue;
            };
            if checker.qualified_name(&call.func).as_deref() != Some("time.sleep") {
                continue;
            }
            let Some(delay) = call.arguments.find_argument_value("secs", 0) else {
                continue;
            };
            if checker.is_constant(delay) {
                checker.report(
                    rule,
                    call.range(),
                    "Retries wait a fixed time: every client retries in lockstep and hammers a recovering service; back off exponentially with jitter".to_string(),
                    None,
                );
            }
        }
    }
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct UnboundedRetryLoop;

impl crate::rules::PythonRule for UnboundedRetryLoop {
    const CODE: &'static str = CODE;

    fn statement(checker: &mut Checker<'_>, rule: RuleId, stmt: &Stmt) {
        match stmt {
            Stmt::For(loop_stmt) => check_for(checker, rule, loop_stmt),
            Stmt::While(loop_stmt) => check_while(checker, rule, loop_stmt),
            _ => {}
        }
    }
}
