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

/// A Python string literal (double-quoted) for any text, with Python escapes.
pub fn python_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            // Invisible and format characters are spelled out so the code stays readable.
            c if c.is_whitespace() && c != ' '
                || matches!(c as u32, 0x200b..=0x200f | 0xfeff | 0xad | 0x2028 | 0x2029) =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::python_string;

    #[test]
    fn python_escapes_not_rust_ones() {
        assert_eq!(python_string("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(python_string("x\u{200b}y\u{7f}"), r#""x\u200by\x7f""#);
        assert_eq!(python_string("caf\u{e9}"), "\"caf\u{e9}\"");
    }
}
