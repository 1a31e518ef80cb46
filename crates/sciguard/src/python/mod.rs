//! Python input: parsing (error-tolerant), literal folding, suppression comments and
//! the semantic model that resolves names to their qualified origin.

pub mod literal;
pub mod semantic;
pub mod suppression;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_parser::{parse_cells_unchecked, parse_unchecked_source, ParseOptions, Parsed};
use ruff_text_size::TextRange;

/// CPython refuses more nested brackets than this ("too many nested parentheses").
pub const MAX_BRACKET_DEPTH: usize = 200;

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

/// Parses a module, recovering from syntax errors. Sources that Python itself would
/// refuse for their nesting are refused up front, so that no tree is deep enough to
/// exhaust the stack of a browser tab.
pub fn parse(source: &str, syntax: Syntax<'_>) -> Result<Parsed<ModModule>, Refusal> {
    let too_deep = match syntax {
        Syntax::Python => too_deep_at(source),
        Syntax::Cells(cells) => cells.iter().find_map(|cell| {
            let start = cell.start().to_usize();
            too_deep_at(source.get(start..cell.end().to_usize())?).map(|at| start + at)
        }),
    };
    if let Some(offset) = too_deep {
        let what = match syntax {
            Syntax::Python => "file",
            Syntax::Cells(_) => "notebook",
        };
        // CPython's tokenizer stops at the same depth: the code cannot run as written.
        return Err(Refusal {
            offset,
            message: format!(
                "Syntax error: more than {MAX_BRACKET_DEPTH} nested brackets (Python refuses this: \"too many nested parentheses\"); sciguard did not check this {what}"
            ),
            limit: false,
        });
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
            Ok(parse_cells_unchecked(
                source,
                cells.iter().copied(),
                &ParseOptions::from(PySourceType::Ipynb),
            ))
        }
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

/// The offset where bracket nesting first exceeds [`MAX_BRACKET_DEPTH`], skipping
/// strings and comments. A single byte scan, no allocation.
fn too_deep_at(source: &str) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            quote @ (b'\'' | b'"') => {
                let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
                let width = if triple { 3 } else { 1 };
                i += width;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'\n' if !triple => break,
                        b if b == quote
                            && (!triple
                                || (bytes.get(i + 1) == Some(&quote)
                                    && bytes.get(i + 2) == Some(&quote))) =>
                        {
                            i += width - 1;
                            break;
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_BRACKET_DEPTH {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_inside_strings_and_comments_do_not_count() {
        let deep_string = format!(
            "x = '{}'\n# {}\ny = \"\"\"{}\"\"\"\n",
            "(".repeat(500),
            "[".repeat(500),
            "{".repeat(500)
        );
        assert_eq!(too_deep_at(&deep_string), None);
    }

    #[test]
    fn deep_brackets_are_refused_with_a_position() {
        let src = format!("a = 1\nb = {}1{}\n", "(".repeat(300), ")".repeat(300));
        let refusal = parse(&src, Syntax::Python).unwrap_err();
        assert_eq!(refusal.offset, 6 + 4 + MAX_BRACKET_DEPTH);
        assert!(refusal.message.contains("nested brackets"));
    }

    #[test]
    fn ordinary_nesting_parses() {
        let src = format!("b = {}1{}\n", "[".repeat(150), "]".repeat(150));
        assert!(parse(&src, Syntax::Python).is_ok());
    }
}
