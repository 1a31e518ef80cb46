//! SCI104 mutable-default-argument: a default value shared, and mutated, across calls.
//!
//! A mutable default that the function only reads is harmless; it is reported when the
//! function changes it (`append`, item assignment, `+=`, `del x[k]`), which is what
//! carries state from one call into the next. Parameters named with a leading underscore
//! (`_cache={}`) are deliberate per-process caches.

use crate::rules::checker::{Checker, SCAN_DEPTH};
use crate::rules::RuleId;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

/// The rule's code.
pub const CODE: &str = "SCI104";

/// Calls that build a fresh mutable object.
const MUTABLE_FACTORIES: &[&str] = &[
    "builtins.list",
    "builtins.dict",
    "builtins.set",
    "builtins.bytearray",
    "collections.defaultdict",
    "collections.OrderedDict",
    "collections.deque",
    "collections.Counter",
    "numpy.array",
    "numpy.zeros",
    "numpy.ones",
    "numpy.empty",
    "numpy.full",
    "numpy.arange",
    "pandas.DataFrame",
    "pandas.Series",
];

/// Methods that change a list, dict, set, array or frame in place.
const MUTATING_METHODS: &[&str] = &[
    "append", "extend", "insert", "remove", "pop", "popitem", "clear", "sort", "reverse",
    "update", "setdefault", "add", "discard", "difference_update", "intersection_update",
    "symmetric_difference_update", "appendleft", "extendleft", "popleft", "fill", "resize",
    "put", "itemset", "drop", "fillna", "rename", "set_index", "reset_index", "sort_values",
];

/// Reports each parameter default that is a mutable object the function changes.
pub(crate) fn check(checker: &mut Checker, rule: RuleId, function: &StmtFunctionDef) {
    for parameter in function.parameters.iter_non_variadic_params() {
        let Some(default) = parameter.default() else {
            continue;
        };
        let name = parameter.name().id.as_str();
        if name.starts_with('_') {
            continue;
        }
        let what = match default {
            Expr::List(_) | Expr::ListComp(_) => Some("a list".to_string()),
            Expr::Dict(_) | Expr::DictComp(_) => Some("a dict".to_string()),
            Expr::Set(_) | Expr::SetComp(_) => Some("a set".to_string()),
            Expr::Call(call) => checker
                .qualified_name(&call.func)
                .filter(|q| MUTABLE_FACTORIES.contains(&q.as_str()))
                .map(|q| format!("the result of `{}`", q.trim_start_matches("builtins."))),
            _ => None,
        };
        let Some(what) = what else {
            continue;
        };
        let Some(how) = changes(&function.body, name) else {
            continue;
        };
        {
            checker.report(
                rule,
                default.range(),
                format!(
                    "The default of `{name}` is {what}, created once and shared by every call, and the function {how}; default to `None` and create it inside the function"
                ),
                None,
            );
        }
    }
}

/// How the body changes the value of `name`, if it does.
fn changes(body: &[Stmt], name: &str) -> Option<&'static str> {
    struct Finder<'n> {
        name: &'n str,
        found: Option<&'static str>,
        /// The name was bound to another object (`items = list(items)`); what follows
        /// works on that one.
        rebound: bool,
        depth: u32,
    }
    impl Finder<'_> {
        fn is_it(&self, expr: &Expr) -> bool {
            matches!(expr, Expr::Name(n) if n.id.as_str() == self.name)
        }
        /// `x`, `x[i]`, `x.attr`, `x[i][j]`: a place inside the value.
        fn inside(&self, expr: &Expr) -> bool {
            match expr {
                Expr::Subscript(s) => self.is_it(&s.value) || self.inside(&s.value),
                Expr::Attribute(a) => self.is_it(&a.value) || self.inside(&a.value),
                _ => false,
            }
        }
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.found.is_some() || self.rebound {
                return;
            }
            match stmt {
                Stmt::Assign(a) if a.targets.iter().any(|t| self.is_it(t)) && !self.is_it(&a.value) => {
                    self.visit_expr(&a.value);
                    self.rebound = true;
                    return;
                }
                Stmt::Assign(a) if a.targets.iter().any(|t| self.inside(t)) => {
                    self.found = Some("assigns into it");
                }
                Stmt::AugAssign(a) if self.is_it(&a.target) || self.inside(&a.target) => {
                    self.found = Some("changes it in place");
                }
                Stmt::Delete(d) if d.targets.iter().any(|t| self.inside(t)) => {
                    self.found = Some("deletes from it");
                }
                _ => {}
            }
            if self.found.is_none() {
                visitor::walk_stmt(self, stmt);
            }
        }

        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.found.is_some() || self.rebound {
                return;
            }
            if let Expr::Call(call) = expr {
                if let Expr::Attribute(method) = call.func.as_ref() {
                    if (self.is_it(&method.value) || self.inside(&method.value))
                        && MUTATING_METHODS.contains(&method.attr.id.as_str())
                    {
                        self.found = Some("changes it in place");
                        return;
                    }
                }
            }
            if self.depth < SCAN_DEPTH {
                self.depth += 1;
                visitor::walk_expr(self, expr);
                self.depth -= 1;
            }
        }
    }
    let mut finder = Finder {
        name,
        found: None,
        rebound: false,
        depth: 0,
    };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.found
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct MutableDefaultArgument;

impl crate::rules::PythonRule for MutableDefaultArgument {
    const CODE: &'static str = CODE;

    fn statement(checker: &mut Checker<'_>, rule: RuleId, stmt: &ruff_python_ast::Stmt) {
        if let ruff_python_ast::Stmt::FunctionDef(function) = stmt {
            check(checker, rule, function);
        }
    }
}
