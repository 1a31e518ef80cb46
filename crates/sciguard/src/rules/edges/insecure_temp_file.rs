//! SCI229 insecure-temp-file (string part): hard-coded paths in shared temporary
//! folders. `tempfile.mktemp` is matched by the policy in the rule's page.

use crate::rules::checker::Checker;
use crate::rules::RuleId;
use ruff_python_ast::{Expr, self as ast, ExprStringLiteral, InterpolatedStringElement};
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

    /// A path only matters where it is used: passed to a call (`open`, `os.path.join`,
    /// `torch.save`, `Path`) or assigned to a name that says it is a path
    /// (`CACHE_DIR = "/tmp/models"`). A `/tmp` string recorded as data (build metadata in
    /// a dict, a help text) is not reported.
    fn expression(checker: &mut Checker<'_>, rule: RuleId, expr: &Expr) {
        let Expr::Call(call) = expr else {
            return;
        };
        for arg in call
            .arguments
            .args
            .iter()
            .chain(call.arguments.keywords.iter().map(|k| &k.value))
        {
            check_value(checker, rule, arg);
        }
    }

    fn statement(checker: &mut Checker<'_>, rule: RuleId, stmt: &ruff_python_ast::Stmt) {
        if let ruff_python_ast::Stmt::FunctionDef(def) = stmt {
            // `def __init__(self, root="/var/tmp/weights")`
            for parameter in def.parameters.iter_non_variadic_params() {
                if let Some(default) = parameter.default().filter(|d| is_text(d)) {
                    if is_path_name(&parameter.name().id) {
                        check_value(checker, rule, default);
                    }
                }
            }
            return;
        }
        let (targets, value): (&[Expr], &Expr) = match stmt {
            ruff_python_ast::Stmt::Assign(a) => (&a.targets, &a.value),
            ruff_python_ast::Stmt::AnnAssign(a) => match &a.value {
                Some(value) => (std::slice::from_ref(&*a.target), value),
                None => return,
            },
            _ => return,
        };
        // The value first: it is rarely text, and reading the names costs more.
        if is_text(value) && targets.iter().any(names_a_path) {
            check_value(checker, rule, value);
        }
    }
}

/// Whether [`check_value`] reads `value`: a string or an f-string.
fn is_text(value: &Expr) -> bool {
    matches!(value, Expr::StringLiteral(_) | Expr::FString(_))
}

fn check_value(checker: &mut Checker<'_>, rule: RuleId, value: &Expr) {
    match value {
        Expr::StringLiteral(string) => check(checker, rule, string),
        Expr::FString(fstring) => check_fstring(checker, rule, fstring),
        _ => {}
    }
}

/// `CACHE_DIR`, `self.tmp_path`, `output_file`: a name that holds a path.
fn names_a_path(target: &Expr) -> bool {
    match target {
        Expr::Name(n) => is_path_name(&n.id),
        Expr::Attribute(a) => is_path_name(&a.attr.id),
        _ => false,
    }
}

fn is_path_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "path", "dir", "file", "folder", "cache", "tmp", "temp", "root", "out", "log", "ckpt",
        "checkpoint", "buffer", "lock", "sock",
    ]
    .iter()
    .any(|word| name.contains(word))
}
