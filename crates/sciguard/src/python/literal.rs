//! Constant folding: is an expression a constant, and does it equal a given literal?

use super::semantic::SemanticModel;
use crate::rules::policy::Literal;
use ruff_python_ast::{self as ast, Expr, Number, Operator, UnaryOp};

/// Deeper expressions are treated as non-constant rather than folded.
const MAX_FOLD_DEPTH: u32 = 32;

/// Whether the expression's value is fixed in the source: literals, f-strings without
/// placeholders, operators over constants, tuples/lists of constants, and names bound
/// only to constants.
pub fn is_constant(expr: &Expr, model: &SemanticModel) -> bool {
    fold(expr, model, 0)
}

fn fold(expr: &Expr, model: &SemanticModel, depth: u32) -> bool {
    if depth > MAX_FOLD_DEPTH {
        return false;
    }
    match expr {
        Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::EllipsisLiteral(_) => true,
        Expr::FString(f) => f.value.elements().all(|e| e.is_literal()),
        Expr::BinOp(ast::ExprBinOp {
            left, right, op, ..
        }) => {
            matches!(op, Operator::Add | Operator::Mod | Operator::Mult)
                && fold(left, model, depth + 1)
                && fold(right, model, depth + 1)
        }
        Expr::UnaryOp(ast::ExprUnaryOp { operand, .. }) => fold(operand, model, depth + 1),
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            elts.iter().all(|e| fold(e, model, depth + 1))
        }
        Expr::Name(name) => model.is_constant_name(&name.id),
        _ => false,
    }
}

/// Whether the expression is written as exactly this literal (`False`, `None`, `'ignore'`, `0`).
pub fn equals(expr: &Expr, literal: &Literal) -> bool {
    match (expr, literal) {
        (Expr::NoneLiteral(_), Literal::None) => true,
        (Expr::BooleanLiteral(b), Literal::Bool(v)) => b.value == *v,
        (Expr::StringLiteral(s), Literal::Str(v)) => s.value.to_str() == v,
        (
            Expr::NumberLiteral(ast::ExprNumberLiteral {
                value: Number::Int(i),
                ..
            }),
            Literal::Int(v),
        ) => i.as_i64() == Some(*v),
        (
            Expr::UnaryOp(ast::ExprUnaryOp {
                op: UnaryOp::USub,
                operand,
                ..
            }),
            Literal::Int(v),
        ) => match operand.as_ref() {
            Expr::NumberLiteral(ast::ExprNumberLiteral {
                value: Number::Int(i),
                ..
            }) => i.as_i64().map(|i| -i) == Some(*v),
            _ => false,
        },
        _ => false,
    }
}

/// The text of a string literal expression, if it is one.
pub fn as_str(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}
