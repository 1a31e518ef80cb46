//! Python input: parsing (error-tolerant), literal folding, suppression comments and
//! the semantic model that resolves names to their qualified origin.

pub mod literal;
mod nesting;
pub mod semantic;
pub mod suppression;

use nesting::{
    TooDeep, MAX_BRACKET_DEPTH, MAX_FSTRING_NESTING, MAX_INDENT_LEVELS, MAX_OPERATOR_NESTING,
};
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_parser::{parse_cells_unchecked, parse_unchecked_source, ParseOptions, Parsed};
use ruff_text_size::TextRange;
#[cfg(test)]
use ruff_text_size::TextSize;

/// Why a source was not parsed at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What to tell the user.
    pub message: String,
    /// Whether the cause is a limit of sciguard's own rather than an error that Python
    /// reports too.
    pub limit: bool,
}

/// How a text is read as Python.
#[derive(Clone, Copy, Debug)]
pub enum Syntax<'a> {
    /// A Python file.
    Python,
    /// The code cells of a notebook, as byte ranges of the text, read as Jupyter reads
    /// them: IPython syntax (`%magic`, `!shell`, `obj?`), each cell parsed on its own so
    /// that an error in one cell cannot run on into the next. The ranges are in order and
    /// exactly one `\n` separates each from the next.
    Cells(&'a [TextRange]),
}

/// Parses a module, recovering from syntax errors. Sources nested deeper than Python
/// itself or sciguard's parser on a small stack takes are refused up front, so that no
/// tree is deep enough to exhaust the stack of a browser tab (see [`nesting`]).
pub fn parse(source: &str, syntax: Syntax<'_>) -> Result<Parsed<ModModule>, Refusal> {
    let too_deep = match syntax {
        Syntax::Python => nesting::too_deep(source),
        Syntax::Cells(cells) => cells.iter().find_map(|cell| {
            let start = cell.start().to_usize();
            let (at, kind) = nesting::too_deep(source.get(start..cell.end().to_usize())?)?;
            Some((start + at, kind))
        }),
    };
    if let Some((offset, kind)) = too_deep {
        return Err(refusal(offset, kind, syntax));
    }
    match syntax {
        Syntax::Python => Ok(parse_unchecked_source(source, PySourceType::Python)),
        Syntax::Cells(cells) => {
            // The parser asserts the layout; a mistake in joining cells must not panic.
            if !separated_by_newlines(source, cells) {
                return Err(Refusal {
                    offset: 0,
                    message: "sciguard could not lay out this notebook's cells for parsing (a bug in sciguard); it did not check this notebook".into(),
                    limit: true,
                });
            }
            let options = ParseOptions::from(PySourceType::Ipynb);
            let guarded = nesting::without_escapes_in_brackets(source, cells);
            Ok(parse_cells_unchecked(
                guarded.as_deref().unwrap_or(source),
                cells.iter().copied(),
                &options,
            ))
        }
    }
}

/// Why a source nested too deep was not parsed.
fn refusal(offset: usize, kind: TooDeep, syntax: Syntax<'_>) -> Refusal {
    let what = match syntax {
        Syntax::Python => "file",
        Syntax::Cells(_) => "notebook",
    };
    // Past CPython's own limits the code cannot run as written: an error in it.
    let (message, limit) = match kind {
        TooDeep::Brackets => (
            format!("Syntax error: more than {MAX_BRACKET_DEPTH} nested brackets (Python refuses this: \"too many nested parentheses\"); sciguard did not check this {what}"),
            false,
        ),
        TooDeep::Indentation => (
            format!("Syntax error: {MAX_INDENT_LEVELS} levels of indentation or more (Python refuses this: \"too many levels of indentation\"); sciguard did not check this {what}"),
            false,
        ),
        TooDeep::FStrings => (
            format!("Syntax error: more than {MAX_FSTRING_NESTING} nested f-strings (Python refuses this: \"too many nested f-strings\"); sciguard did not check this {what}"),
            false,
        ),
        TooDeep::Operators => (
            format!("sciguard did not check this {what}: an expression here nests more than {MAX_OPERATOR_NESTING} operators without brackets (`-x`, `not x`, `lambda`, `a if b else c`, `a ** b`), past sciguard's limit (a limit of sciguard's, not an error in the code)"),
            true,
        ),
    };
    Refusal {
        offset,
        message,
        limit,
    }
}

/// Whether the ranges lie in `source`, in order, each followed by exactly one `\n`
/// before the next.
fn separated_by_newlines(source: &str, cells: &[TextRange]) -> bool {
    let in_source = |r: &TextRange| {
        source
            .get(r.start().to_usize()..r.end().to_usize())
            .is_some()
    };
    cells.iter().all(in_source)
        && cells.windows(2).all(|pair| {
            let (end, next) = (pair[0].end().to_usize(), pair[1].start().to_usize());
            next == end + 1 && source.as_bytes().get(end) == Some(&b'\n')
        })
}

/// Dropping a syntax tree recurses once per level, and a statement of this many tokens
/// can build a tree deep enough (`a + b + …`, a tree that leans left as deep as the chain
/// is long) to exhaust a small stack such as a browser worker's. Measured: a debug build
/// drops a 10,000-level chain on a 1 MB stack, not a 30,000-level one.
const MAX_DROPPED_STATEMENT_TOKENS: usize = 4_096;

/// Whether some statement of a parse has so many tokens that dropping its tree could
/// exhaust a small stack (then the caller leaks it: such input is pathological).
pub fn too_deep_to_drop(parsed: &Parsed<ModModule>) -> bool {
    let mut in_statement = 0usize;
    for token in parsed.tokens().iter() {
        if token.kind() == TokenKind::Newline {
            in_statement = 0;
        } else {
            in_statement += 1;
            if in_statement > MAX_DROPPED_STATEMENT_TOKENS {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_sources_are_refused_with_a_position_and_a_cause() {
        let src = format!("a = 1\nb = {}1{}\n", "(".repeat(300), ")".repeat(300));
        let refusal = parse(&src, Syntax::Python).unwrap_err();
        assert_eq!(refusal.offset, 6 + 4 + MAX_BRACKET_DEPTH);
        assert!(refusal.message.contains("nested brackets") && !refusal.limit);
        let src = format!("x = {}1\n", "not ".repeat(5_000));
        let refusal = parse(&src, Syntax::Python).unwrap_err();
        assert!(refusal.message.contains("sciguard's limit") && refusal.limit);
        // In a notebook, the offset is in the joined cells.
        let cells = [
            TextRange::new(0.into(), 5.into()),
            TextRange::new(6.into(), 11.into()),
        ];
        let refusal = parse("x = 1\ny = -\n", Syntax::Cells(&cells));
        assert!(refusal.is_ok());
        let src = format!("x = 1\ny = {}1\n", "-".repeat(2_000));
        let end = TextSize::try_from(src.len() - 1).unwrap();
        let cells = [
            TextRange::new(0.into(), 5.into()),
            TextRange::new(6.into(), end),
        ];
        let refusal = parse(&src, Syntax::Cells(&cells)).unwrap_err();
        assert_eq!(refusal.offset, 6 + 4 + MAX_OPERATOR_NESTING);
        assert!(refusal
            .message
            .ends_with("(a limit of sciguard's, not an error in the code)"));
    }

    #[test]
    fn ordinary_nesting_parses() {
        let src = format!("b = {}1{}\n", "[".repeat(150), "]".repeat(150));
        assert!(parse(&src, Syntax::Python).is_ok());
    }

    #[test]
    fn auto_call_escapes_inside_open_brackets_do_not_stop_the_parser() {
        // The parser (0.0.10) panics when error recovery after an unclosed bracket
        // re-reads a line that starts with `,`, `;`, `/` or `?` as an IPython escape.
        for src in [
            "import {ys\n,,,,\n",
            "import {a\n;b\n",
            "import {ys\n?x\n",
            "import {ys\n/f a\n",
        ] {
            let cells = [TextRange::new(
                0.into(),
                TextSize::try_from(src.len() - 1).unwrap(),
            )];
            let parsed = parse(src, Syntax::Cells(&cells)).unwrap();
            assert!(parsed.has_syntax_errors(), "{src:?}");
        }
        // Escapes at the start of a statement are still IPython's, and continuation lines
        // in brackets that close are code (handson-ml3's notebooks split a division so).
        let src = ",f a b\nx = [\n  1\n  , 2\n]\nb = -((c * d + e)\n     / f)\n";
        let cells = [TextRange::new(
            0.into(),
            TextSize::try_from(src.len() - 1).unwrap(),
        )];
        let parsed = parse(src, Syntax::Cells(&cells)).unwrap();
        assert!(!parsed.has_syntax_errors());
        assert!(matches!(
            parsed.syntax().body[0],
            ruff_python_ast::Stmt::IpyEscapeCommand(_)
        ));
    }

    #[test]
    fn badly_laid_out_cells_are_refused_not_a_panic() {
        let cells = [
            TextRange::new(0.into(), 5.into()),
            TextRange::new(7.into(), 12.into()),
        ];
        let refusal = parse("x = 1\n\ny = 2\n", Syntax::Cells(&cells)).unwrap_err();
        assert!(refusal.limit);
        let outside = [TextRange::new(0.into(), 50.into())];
        assert!(parse("x = 1\n", Syntax::Cells(&outside)).is_err());
    }
}
