//! From the syntax tree to the evaluator's plain values, and a policy's fix as edits of
//! one call.

use super::{Checker, RawFix};
use crate::python::literal;
use crate::rules::evaluate::{CallSite, Positional, Value};
use crate::rules::policy::{FixAction, PolicyFix};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// What the evaluator needs to know of a value.
pub(super) fn value(checker: &Checker<'_>, expr: &Expr) -> Value {
    Value {
        literal: literal::written_as(expr),
        constant: checker.is_constant(expr),
        lambda: expr.is_lambda_expr(),
        qualified: checker.qualified_name(expr),
        called: match expr {
            Expr::Call(call) => checker.qualified_name(&call.func),
            _ => None,
        },
    }
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
pub(super) fn call_fix(fix: &PolicyFix, call: &ast::ExprCall) -> Option<RawFix> {
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
                let last_end = args
                    .args
                    .iter()
                    .map(Ranged::end)
                    .chain(args.keywords.iter().map(Ranged::end))
                    .max();
                match last_end {
                    Some(end) => vec![(TextRange::empty(end), format!(", {keyword}={value}"))],
                    None => vec![(
                        TextRange::empty(args.end() - TextSize::from(1)),
                        format!("{keyword}={value}"),
                    )],
                }
            }
        }
        FixAction::RemoveArg { keyword } => {
            let index = args
                .keywords
                .iter()
                .position(|k| k.arg.as_ref().is_some_and(|a| a.id == keyword.as_str()))?;
            let target = &args.keywords[index];
            let mut all: Vec<TextRange> = args
                .args
                .iter()
                .map(Ranged::range)
                .chain(args.keywords.iter().map(Ranged::range))
                .collect();
            all.sort_by_key(|r| r.start());
            let at = all.iter().position(|r| *r == target.range())?;
            let range = if at > 0 {
                TextRange::new(all[at - 1].end(), target.end())
            } else if let Some(next) = all.get(1) {
                TextRange::new(target.start(), next.start())
            } else {
                target.range()
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
