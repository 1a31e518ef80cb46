//! From the syntax tree to the evaluator's plain values, and a policy's fix as edits of
//! one call.

use super::{find_expr, Checker, RawFix};
use crate::python::literal;
use crate::python::semantic::{Binding, SemanticModel};
use crate::rules::evaluate::{CallSite, Positional, Value};
use crate::rules::policy::{FixAction, PolicyFix, Subject};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// What the evaluator needs to know of a value.
pub(super) fn value(checker: &Checker<'_>, expr: &Expr) -> Value {
    Value {
        literal: literal::written_as(expr),
        falsy: literal::is_falsy(expr),
        leading_text: literal::leading_text(expr),
        constant: checker.is_constant(expr),
        lambda: expr.is_lambda_expr(),
        literal_file: reads_literal_file(checker, expr),
        outside: expr_from_outside(
            &checker.model,
            expr,
            files_are_outside(checker),
            &mut String::new(),
        ),
        qualified: checker.qualified_name(expr),
        called: match expr {
            Expr::Call(call) => checker.qualified_name(&call.func),
            _ => None,
        },
    }
}

/// Sources of data from outside the process, by qualified name.
const OUTSIDE_SOURCES: &[&str] = &[
    "builtins.input",
    "sys.argv",
    "sys.stdin",
    "builtins.open",
    "urllib.request.urlopen",
    "flask.request",
    "bottle.request",
    "fileinput.input",
];

/// The outside sources that the person running the process types.
const COMMAND_LINE_SOURCES: &[&str] = &["builtins.input", "sys.argv"];

/// Method names that read from a file, socket or response.
const READ_METHODS: &[&str] = &[
    "read",
    "readline",
    "readlines",
    "recv",
    "read_text",
    "read_bytes",
    "json",
    "get_json",
];

/// Whether an argument visibly comes from outside the process: `input()`, `sys.argv`,
/// `os.environ`, a file or network read. A package's calls to its own API are trusted
/// unless their arguments do.
pub(super) fn from_outside(checker: &Checker<'_>, arguments: &ast::Arguments) -> bool {
    let mut scratch = String::new();
    let files = files_are_outside(checker);
    arguments
        .args
        .iter()
        .chain(arguments.keywords.iter().map(|k| &k.value))
        .any(|arg| expr_from_outside(&checker.model, arg, files, &mut scratch))
}

/// Whether file contents count as outside input here. A library that evaluates a file
/// (a config it documents, a test runner reading test sources) does so by design, on
/// a path its caller gave; in scripts, notebooks and services a file read is data.
pub(super) fn files_are_outside(checker: &Checker<'_>) -> bool {
    checker.context.module.is_none()
}

/// Whether an expression reads from outside the process, directly or through a name
/// bound to such a read (`text = input()`, then `eval(text)`).
pub(super) fn expr_from_outside(
    model: &SemanticModel,
    expr: &Expr,
    files: bool,
    scratch: &mut String,
) -> bool {
    expr_origin(model, expr, files, scratch).is_some()
}

/// Where the outside data in an expression comes from, the strongest source first:
/// [`Binding::Outside`] (a file, the network, a web request, stdin), else
/// [`Binding::CommandLine`] (`sys.argv`, `input()`), else `None`.
pub(super) fn expr_origin(
    model: &SemanticModel,
    expr: &Expr,
    files: bool,
    scratch: &mut String,
) -> Option<Binding> {
    let mut command_line = false;
    let found = find_expr(expr, &mut |e| match e {
        Expr::Name(name) => match model.lookup(&name.id) {
            Some(Binding::Outside) => true,
            Some(Binding::CommandLine) => {
                command_line = true;
                false
            }
            _ => is_outside_source(model, e, files, scratch, &mut command_line),
        },
        Expr::Attribute(_) => is_outside_source(model, e, files, scratch, &mut command_line),
        Expr::Call(call) => {
            files
                && matches!(call.func.as_ref(), Expr::Attribute(attr)
                    if READ_METHODS.contains(&attr.attr.id.as_str()))
        }
        _ => false,
    });
    if found.is_some() {
        Some(Binding::Outside)
    } else {
        command_line.then_some(Binding::CommandLine)
    }
}

/// Whether a name is an outside source other than the command line; notes a
/// command-line source (`sys.argv`, `input`) in `command_line`.
fn is_outside_source(
    model: &SemanticModel,
    expr: &Expr,
    files: bool,
    scratch: &mut String,
    command_line: &mut bool,
) -> bool {
    if !model.resolve(expr, scratch) {
        return false;
    }
    let named = scratch.as_str();
    let file = named == "builtins.open" || named == "fileinput.input";
    let source = (files || !file)
        && OUTSIDE_SOURCES.iter().any(|s| {
            named.starts_with(s) && matches!(named.as_bytes().get(s.len()), None | Some(b'.'))
        });
    if source && COMMAND_LINE_SOURCES.iter().any(|s| named.starts_with(s)) {
        *command_line = true;
        return false;
    }
    source
}

/// `open("cfg.py").read()`, `pathlib.Path("cfg.py").read_text()`: the text of a file
/// the code names with a constant path, which is the project's own, or with a path the
/// person running it typed (`exec(open(sys.argv[1]).read())` runs the file they named,
/// as `python file.py` would).
fn reads_literal_file(checker: &Checker<'_>, expr: &Expr) -> bool {
    let Expr::Call(read) = expr else {
        return false;
    };
    let Expr::Attribute(method) = read.func.as_ref() else {
        return false;
    };
    if !matches!(method.attr.id.as_str(), "read" | "read_text" | "read_bytes") {
        return false;
    }
    let Expr::Call(opened) = method.value.as_ref() else {
        return false;
    };
    let opener = checker.qualified_name(&opened.func);
    matches!(
        opener.as_deref(),
        Some("builtins.open" | "io.open" | "pathlib.Path" | "codecs.open")
    ) && opened.arguments.args.first().is_some_and(|path| {
        checker.is_constant(path)
            || expr_origin(&checker.model, path, true, &mut String::new())
                == Some(Binding::CommandLine)
    })
}

/// The expression passed for an argument, by keyword or position.
pub(super) fn argument_expr<'e>(
    arguments: &'e ast::Arguments,
    subject: &Subject,
) -> Option<&'e Expr> {
    let Subject::Argument { keyword, position } = subject else {
        return None;
    };
    keyword
        .as_deref()
        .and_then(|k| arguments.find_keyword(k).map(|k| &k.value))
        .or_else(|| position.and_then(|p| arguments.args.get(p)))
        .filter(|e| !e.is_starred_expr())
}

/// A call's arguments as the evaluator sees them.
pub(super) fn call_site(checker: &Checker<'_>, arguments: &ast::Arguments) -> CallSite {
    CallSite {
        positional: arguments
            .args
            .iter()
            .map(|arg| match arg {
                Expr::Starred(_) => Positional::Starred,
                _ => Positional::Value(value(checker, arg)),
            })
            .collect(),
        keywords: arguments
            .keywords
            .iter()
            .filter_map(|k| Some((k.arg.as_ref()?.id.to_string(), value(checker, &k.value))))
            .collect(),
        double_starred: arguments.keywords.iter().any(|k| k.arg.is_none()),
    }
}

/// The edits that carry out a policy's fix on this call, if it can be made here.
pub(super) fn call_fix(source: &str, fix: &PolicyFix, call: &ast::ExprCall) -> Option<RawFix> {
    let args = &call.arguments;
    let edits = match &fix.action {
        FixAction::SetArg { keyword, value } => {
            if let Some(existing) = args.find_keyword(keyword) {
                vec![(existing.value.range(), value.clone())]
            } else {
                if args.keywords.iter().any(|k| k.arg.is_none())
                    || args.args.iter().any(Expr::is_starred_expr)
                {
                    return None;
                }
                let close = args.end() - TextSize::from(1);
                let last = args
                    .args
                    .iter()
                    .map(Ranged::range)
                    .chain(args.keywords.iter().map(Ranged::range))
                    .max_by_key(|r| r.end());
                match (last, &*args.args) {
                    // `f(x for x in y)` takes a second argument only once the generator
                    // has parentheses of its own.
                    (_, [Expr::Generator(g)]) if !g.parenthesized && args.keywords.is_empty() => {
                        vec![
                            (TextRange::empty(g.start()), "(".to_string()),
                            (TextRange::empty(g.end()), format!("), {keyword}={value}")),
                        ]
                    }
                    (Some(last), _) => {
                        // After the parentheses around the last argument (`(f)`), not inside.
                        let end = after_closing_parens(source, last.end(), close);
                        vec![(TextRange::empty(end), format!(", {keyword}={value}"))]
                    }
                    (None, _) => vec![(TextRange::empty(close), format!("{keyword}={value}"))],
                }
            }
        }
        FixAction::RemoveArg { keyword } => {
            let target = args
                .keywords
                .iter()
                .find(|k| k.arg.as_ref().is_some_and(|a| a.id == keyword.as_str()))?;
            let close = args.end() - TextSize::from(1);
            let others = args.args.len() + args.keywords.len() - 1;
            let range = if others == 0 {
                // The only argument: up to the call's `)`, a trailing comma included.
                let rest = source.get(target.end().to_usize()..close.to_usize())?;
                rest.chars()
                    .all(|c| c == ',' || c.is_whitespace())
                    .then(|| TextRange::new(target.start(), close))?
            } else if let Some(comma) = comma_before(source, target.start()) {
                TextRange::new(comma, target.end())
            } else {
                // The first argument: through the comma after it and the space that follows.
                TextRange::new(target.start(), after_comma(source, target.end())?)
            };
            vec![(range, String::new())]
        }
        FixAction::RenameAttr { to } => {
            let Expr::Attribute(attr) = call.func.as_ref() else {
                return None;
            };
            vec![(attr.attr.range, to.clone())]
        }
    };
    Some(RawFix {
        applicability: fix.applicability,
        title: fix.title.clone(),
        edits,
    })
}

/// Past the `)` of parentheses that close right after an argument (`(f)`), stopping
/// before the call's own `)` at `close`.
fn after_closing_parens(source: &str, from: TextSize, close: TextSize) -> TextSize {
    let mut end = from;
    let Some(between) = source.get(from.to_usize()..close.to_usize()) else {
        return end;
    };
    for (i, c) in between.char_indices() {
        match c {
            ')' => end = from + TextSize::try_from(i + 1).unwrap_or_default(),
            c if c.is_whitespace() => {}
            _ => break,
        }
    }
    end
}

/// The comma before an argument, when only spaces and closing parentheses lie between.
fn comma_before(source: &str, start: TextSize) -> Option<TextSize> {
    let before = source.get(..start.to_usize())?;
    for (i, c) in before.char_indices().rev() {
        match c {
            ',' => return TextSize::try_from(i).ok(),
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    None
}

/// Just past the comma after an argument and the spaces that follow it.
fn after_comma(source: &str, end: TextSize) -> Option<TextSize> {
    let after = source.get(end.to_usize()..)?;
    let comma = after
        .find(|c: char| !c.is_whitespace())
        .filter(|&i| after[i..].starts_with(','))?;
    let next = after[comma + 1..]
        .find(|c: char| !c.is_whitespace())
        .map_or(after.len(), |i| comma + 1 + i);
    Some(end + TextSize::try_from(next).ok()?)
}
