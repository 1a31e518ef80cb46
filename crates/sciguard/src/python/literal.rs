//! Constant folding: is an expression a constant, and does it equal a given literal?

use super::semantic::SemanticModel;
use ruff_python_ast::{self as ast, Expr, Number, Operator, UnaryOp};

/// Deeper expressions are treated as non-constant rather than folded.
const MAX_FOLD_DEPTH: u32 = 32;

/// A Python literal value used in conditions (`False`, `None`, `'ignore'`, `0`).
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// A string.
    Str(String),
}

impl Literal {
    /// Parses the Python spelling of a literal.
    pub fn parse(text: &str) -> Option<Literal> {
        let text = text.trim();
        match text {
            "None" => return Some(Literal::None),
            "True" => return Some(Literal::Bool(true)),
            "False" => return Some(Literal::Bool(false)),
            _ => {}
        }
        if let Ok(int) = text.parse::<i64>() {
            return Some(Literal::Int(int));
        }
        let quoted = |q: char| {
            text.len() >= 2
                && text.starts_with(q)
                && text.ends_with(q)
                && !text[1..text.len() - 1].contains(q)
        };
        if quoted('\'') || quoted('"') {
            return Some(Literal::Str(text[1..text.len() - 1].to_string()));
        }
        None
    }

    /// The Python spelling.
    pub fn python(&self) -> String {
        match self {
            Literal::None => "None".into(),
            Literal::Bool(true) => "True".into(),
            Literal::Bool(false) => "False".into(),
            Literal::Int(i) => i.to_string(),
            Literal::Str(s) => crate::python::literal::python_string(s),
        }
    }
}

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
        Expr::Set(ast::ExprSet { elts, .. }) => elts.iter().all(|e| fold(e, model, depth + 1)),
        Expr::Dict(dict) => dict.items.iter().all(|item| {
            item.key.as_ref().is_some_and(|k| fold(k, model, depth + 1))
                && fold(&item.value, model, depth + 1)
        }),
        // A lookup into a constant table with a constant key (`QUERIES["daily"]`).
        Expr::Subscript(ast::ExprSubscript { value, slice, .. }) => {
            fold(value, model, depth + 1) && fold(slice, model, depth + 1)
        }
        // Text built from constants: `"{}/{}".format(A, B)`, `", ".join(NAMES)`,
        // `PREFIX.upper()`.
        Expr::Call(call) => {
            let Expr::Attribute(method) = call.func.as_ref() else {
                return false;
            };
            STRING_METHODS.contains(&method.attr.id.as_str())
                && fold(&method.value, model, depth + 1)
                && call
                    .arguments
                    .args
                    .iter()
                    .all(|a| fold(a, model, depth + 1))
                && call
                    .arguments
                    .keywords
                    .iter()
                    .all(|k| k.arg.is_some() && fold(&k.value, model, depth + 1))
        }
        Expr::Name(name) => model.is_constant_name(&name.id),
        _ => false,
    }
}

/// String methods whose result is fixed when the string and the arguments are.
const STRING_METHODS: &[&str] = &[
    "format", "join", "upper", "lower", "strip", "lstrip", "rstrip", "replace", "title",
];

/// The text an expression is written to begin with: a string literal's text, an
/// f-string's leading literal part, or that of the left operand of `+`
/// (`"http://" + host`).
pub fn leading_text(expr: &Expr) -> Option<String> {
    let mut expr = expr;
    while let Expr::BinOp(ast::ExprBinOp {
        left,
        op: Operator::Add,
        ..
    }) = expr
    {
        expr = left;
    }
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        Expr::FString(f) => match f.value.elements().next() {
            Some(ast::InterpolatedStringElement::Literal(l)) => Some(l.value.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the expression is written as a false value: `False`, `0`, `""`, `b""`, `[]`,
/// `()`, `{}`. Such an argument turns an option off as `False` does (`allow_pickle=0`).
/// `None` is not one: to most APIs it means "the default" (`verify=None` in requests
/// keeps the session's verification on).
pub fn is_falsy(expr: &Expr) -> bool {
    match expr {
        Expr::BooleanLiteral(b) => !b.value,
        Expr::StringLiteral(s) => s.value.is_empty(),
        Expr::BytesLiteral(b) => b.value.is_empty(),
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            elts.is_empty()
        }
        Expr::Dict(d) => d.items.is_empty(),
        _ => int_value(expr) == Some(0),
    }
}

/// Whether the expression is written as exactly this literal (`False`, `None`, `'ignore'`, `0`).
pub fn equals(expr: &Expr, literal: &Literal) -> bool {
    match (expr, literal) {
        (Expr::NoneLiteral(_), Literal::None) => true,
        (Expr::BooleanLiteral(b), Literal::Bool(v)) => b.value == *v,
        (Expr::StringLiteral(s), Literal::Str(v)) => s.value.to_str() == v,
        (_, Literal::Int(v)) => int_value(expr) == Some(*v),
        _ => false,
    }
}

/// The literal an expression is written as, when it is one (`False`, `None`, `'ignore'`,
/// `-1`): what [`equals`] compares, as a value.
pub fn written_as(expr: &Expr) -> Option<Literal> {
    match expr {
        Expr::NoneLiteral(_) => Some(Literal::None),
        Expr::BooleanLiteral(b) => Some(Literal::Bool(b.value)),
        Expr::StringLiteral(s) => Some(Literal::Str(s.value.to_str().to_string())),
        _ => int_value(expr).map(Literal::Int),
    }
}

/// An integer literal, possibly negated.
fn int_value(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: Number::Int(i),
            ..
        }) => i.as_i64(),
        Expr::UnaryOp(ast::ExprUnaryOp {
            op: UnaryOp::USub,
            operand,
            ..
        }) => int_value(operand)
            .and_then(i64::checked_neg)
            .filter(|_| matches!(operand.as_ref(), Expr::NumberLiteral(_))),
        _ => None,
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
