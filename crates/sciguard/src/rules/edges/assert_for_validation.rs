//! SCI225 assert-for-validation: an `assert` that checks an argument of a public
//! function disappears under `python -O`, and with it the validation.
//!
//! Only asserts that test a parameter of a public function (or a value derived from
//! one) are validation. Asserts at module or class level, in private helpers and
//! closures, under a debug guard, in testing-support modules and in notebooks state
//! invariants or environment checks, and are left alone. Asserts whose condition has
//! side effects are SCI230's.

use crate::python::literal::python_string;
use crate::rules::checker::{find_expr, validated, Checker, FixedNode, RawFix};
use crate::rules::edges::assert_with_side_effects::has_side_effects;
use crate::rules::RuleId;
use crate::vocab::Applicability;
use ruff_python_ast::{self as ast, Expr, Stmt, StmtAssert};
use ruff_text_size::{Ranged, TextSize};

/// The rule's code.
pub const CODE: &str = "SCI225";

/// Reports an `assert` that validates an argument of a public function.
pub(crate) fn check(checker: &mut Checker, rule: RuleId, assert: &StmtAssert) {
    let context = checker.context();
    if context.testing_support || context.notebook {
        return;
    }
    let Some(function) = checker.function().filter(|f| f.public) else {
        return;
    };
    // Documented functions are the API callers are meant to use; undocumented ones are
    // plumbing, whose asserts state what the code around them guarantees.
    if !has_docstring(function.def) {
        return;
    }
    if has_side_effects(&assert.test) || narrows_type(&assert.test) {
        return;
    }
    if states_invariant(checker.source(), assert) || !exported(checker.module_body(), function.def) {
        return;
    }
    let Some(path) = enclosing(&function.def.body, assert.start()) else {
        return;
    };
    if path.iter().any(|stmt| is_debug_guard(stmt, assert.start())) {
        return;
    }
    let mut inputs = parameters(function.def);
    derive(&function.def.body, assert.start(), &mut inputs);
    let Some(argument) = first_mentioned(&assert.test, &inputs) else {
        return;
    };
    let fix = raise_instead(checker.source(), assert)
        .and_then(|fix| validated(checker.source(), assert.range(), fix, FixedNode::Statement));
    let message = format!(
        "`assert` validates `{argument}` in public `{}`, but Python removes asserts under -O, so callers' bad input would go unchecked; raise ValueError or TypeError instead",
        function.def.name.id
    );
    checker.report(rule, assert.range(), message, fix);
}

/// `assert x is not None`, `assert isinstance(x, T)`: how code tells a type checker
/// what it knows, not how it checks a caller.
fn narrows_type(test: &Expr) -> bool {
    match test {
        Expr::Compare(cmp) => {
            cmp.ops.iter().all(|op| matches!(op, ast::CmpOp::IsNot | ast::CmpOp::Is))
                && cmp.comparators.iter().all(Expr::is_none_literal_expr)
        }
        Expr::Call(call) => matches!(call.func.as_ref(), Expr::Name(n) if n.id == "isinstance" || n.id == "issubclass"),
        Expr::BoolOp(op) => op.values.iter().all(narrows_type),
        _ => false,
    }
}

/// Whether a comment on the assert's lines says it states an invariant or serves a type
/// checker (`# for mypy`, `# invariant`, `# sanity check`, `# should not happen`).
fn states_invariant(source: &str, assert: &StmtAssert) -> bool {
    let start = source[..assert.start().to_usize()].rfind('\n').map_or(0, |i| i + 1);
    let end = source[assert.end().to_usize()..]
        .find('\n')
        .map_or(source.len(), |i| assert.end().to_usize() + i);
    let text = source[start..end].to_ascii_lowercase();
    let Some(comment) = text.find('#').map(|i| &text[i..]) else {
        return false;
    };
    ["mypy", "invariant", "sanity", "should not happen", "shouldn't happen", "should never", "can't happen", "cannot happen", "type check", "pyright", "internal"]
        .iter()
        .any(|word| comment.contains(word))
}

/// Whether a module that lists its exports in `__all__` lists this function (or, for a
/// method, the class at module level that holds it). Modules without `__all__` export
/// every public name.
fn exported(module: &[Stmt], function: &ast::StmtFunctionDef) -> bool {
    let Some(all) = module.iter().find_map(|stmt| match stmt {
        Stmt::Assign(a) if a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id == "__all__")) => Some(&*a.value),
        Stmt::AnnAssign(a) if matches!(a.target.as_ref(), Expr::Name(n) if n.id == "__all__") => a.value.as_deref(),
        _ => None,
    }) else {
        return true;
    };
    let names: Vec<&str> = match all {
        Expr::List(l) => l.elts.iter().filter_map(|e| e.as_string_literal_expr().map(|s| s.value.to_str())).collect(),
        Expr::Tuple(t) => t.elts.iter().filter_map(|e| e.as_string_literal_expr().map(|s| s.value.to_str())).collect(),
        // Built some other way: unknown, so count everything public.
        _ => return true,
    };
    let owner = module.iter().find_map(|stmt| match stmt {
        Stmt::FunctionDef(f) if std::ptr::eq(f, function) => Some(f.name.id.as_str()),
        Stmt::ClassDef(c) if c.body.iter().any(|s| matches!(s, Stmt::FunctionDef(f) if std::ptr::eq(f, function))) => Some(c.name.id.as_str()),
        _ => None,
    });
    // Defined under an `if` or `try`: judge by name alone.
    let name = owner.unwrap_or(function.name.id.as_str());
    names.contains(&name)
}

fn has_docstring(def: &ast::StmtFunctionDef) -> bool {
    matches!(def.body.first(), Some(Stmt::Expr(e)) if e.value.is_string_literal_expr())
}

/// The parameters a caller passes (not the receiver of a method).
fn parameters(def: &ast::StmtFunctionDef) -> Vec<String> {
    let mut names: Vec<String> = def
        .parameters
        .iter()
        .map(|p| p.name().id.to_string())
        .filter(|name| name != "self" && name != "cls")
        .collect();
    names.dedup();
    names
}

/// Follows the parameters through the body before `until`: `X = np.asarray(X)` keeps
/// `X` the caller's value; `mask = table.unique(...)` makes `mask` the function's own.
fn derive(body: &[Stmt], until: TextSize, inputs: &mut Vec<String>) {
    for stmt in body {
        if stmt.start() >= until {
            return;
        }
        let (targets, value): (Vec<&Expr>, Option<&Expr>) = match stmt {
            Stmt::Assign(s) => (s.targets.iter().collect(), Some(&s.value)),
            Stmt::AnnAssign(s) => (vec![&s.target], s.value.as_deref()),
            Stmt::For(s) => (vec![&s.target], None),
            _ => (Vec::new(), None),
        };
        for target in targets {
            let Expr::Name(name) = target else {
                // Unpacking or loop targets: the names are the function's own now.
                let mut names = Vec::new();
                bind_names(target, &mut names);
                inputs.retain(|n| !names.contains(n));
                continue;
            };
            let keeps = value.is_some_and(|v| first_mentioned(v, std::slice::from_ref(&name.id.to_string())).is_some());
            if !keeps {
                inputs.retain(|n| n != name.id.as_str());
            }
        }
        for nested in children(stmt) {
            derive(nested, until, inputs);
        }
    }
}

fn bind_names(target: &Expr, inputs: &mut Vec<String>) {
    match target {
        Expr::Name(name) => inputs.push(name.id.to_string()),
        Expr::Tuple(t) => t.elts.iter().for_each(|e| bind_names(e, inputs)),
        Expr::List(l) => l.elts.iter().for_each(|e| bind_names(e, inputs)),
        Expr::Starred(s) => bind_names(&s.value, inputs),
        _ => {}
    }
}

/// The bodies directly inside a compound statement (not nested definitions).
fn children(stmt: &Stmt) -> Vec<&[Stmt]> {
    match stmt {
        Stmt::If(s) => std::iter::once(s.body.as_slice())
            .chain(s.elif_else_clauses.iter().map(|c| c.body.as_slice()))
            .collect(),
        Stmt::For(s) => vec![&s.body, &s.orelse],
        Stmt::While(s) => vec![&s.body, &s.orelse],
        Stmt::With(s) => vec![&s.body],
        Stmt::Try(s) => {
            let mut bodies = vec![s.body.as_slice()];
            for handler in &s.handlers {
                let ast::ExceptHandler::ExceptHandler(h) = handler;
                bodies.push(&h.body);
            }
            bodies.push(&s.orelse);
            bodies.push(&s.finalbody);
            bodies
        }
        Stmt::Match(s) => s.cases.iter().map(|c| c.body.as_slice()).collect(),
        _ => Vec::new(),
    }
}

/// The compound statements of `body` that contain `at`, outermost first.
fn enclosing(body: &[Stmt], at: TextSize) -> Option<Vec<&Stmt>> {
    let stmt = body.iter().find(|s| s.range().contains_inclusive(at))?;
    if stmt.start() == at {
        return Some(Vec::new());
    }
    let mut path = vec![stmt];
    for nested in children(stmt) {
        if let Some(rest) = enclosing(nested, at) {
            path.extend(rest);
            return Some(path);
        }
    }
    Some(path)
}

/// Whether `stmt` is an `if` on a debug flag (`if DEBUG:`, `if self.debug:`,
/// `if __debug__:`) whose first branch holds `at`.
fn is_debug_guard(stmt: &Stmt, at: TextSize) -> bool {
    let Stmt::If(if_stmt) = stmt else {
        return false;
    };
    let in_body = if_stmt
        .body
        .first()
        .zip(if_stmt.body.last())
        .is_some_and(|(first, last)| first.start() <= at && at < last.end());
    in_body && names_debug(&if_stmt.test)
}

fn names_debug(test: &Expr) -> bool {
    match test {
        Expr::Name(name) => name.id.to_ascii_lowercase().contains("debug"),
        Expr::Attribute(attr) => attr.attr.id.to_ascii_lowercase().contains("debug"),
        Expr::BoolOp(op) => op.values.iter().any(names_debug),
        Expr::Compare(cmp) => names_debug(&cmp.left),
        _ => false,
    }
}

/// The first of `names` that the expression reads.
fn first_mentioned<'n>(expr: &Expr, names: &'n [String]) -> Option<&'n str> {
    let mut mentioned = None;
    find_expr(expr, &mut |e| {
        if let Expr::Name(name) = e {
            mentioned = names.iter().find(|n| n.as_str() == name.id.as_str());
        }
        mentioned.is_some()
    });
    mentioned.map(String::as_str)
}

/// `if not (<test>):\n    raise ValueError(<msg>)`, when the assert starts its own line.
fn raise_instead(source: &str, assert: &StmtAssert) -> Option<RawFix> {
    let start = assert.start().to_usize();
    let line_start = source.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = source.get(line_start..start)?;
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    // Only when nothing but a comment follows on the line (`assert x; y = 1` would move `y`).
    let end = assert.end().to_usize();
    let rest = source
        .get(end..)?
        .split('\n')
        .next()
        .unwrap_or("")
        .trim_start();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let test =
        &source[assert.test.range().start().to_usize()..assert.test.range().end().to_usize()];
    let message = match &assert.msg {
        Some(msg) => {
            source[msg.range().start().to_usize()..msg.range().end().to_usize()].to_string()
        }
        None => python_string(&format!("check failed: {}", test.replace('\n', " "))),
    };
    let unit = if indent.contains('\t') { "\t" } else { "    " };
    Some(RawFix {
        applicability: Applicability::Unsafe,
        title: "Replace with `if not ...: raise ValueError(...)`".to_string(),
        edits: vec![(
            assert.range(),
            format!("if not ({test}):\n{indent}{unit}raise ValueError({message})"),
        )],
    })
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct AssertForValidation;

impl crate::rules::PythonRule for AssertForValidation {
    const CODE: &'static str = CODE;

    fn statement(checker: &mut Checker<'_>, rule: RuleId, stmt: &ruff_python_ast::Stmt) {
        if let ruff_python_ast::Stmt::Assert(assert) = stmt {
            check(checker, rule, assert);
        }
    }
}
