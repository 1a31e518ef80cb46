//! Python input: parsing (error-tolerant), literal folding, suppression comments and
//! the semantic model that resolves names to their qualified origin.

pub mod literal;
pub mod semantic;
pub mod suppression;

use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_parser::{parse_unchecked_source, Parsed};

/// CPython refuses more nested brackets than this ("too many nested parentheses").
pub const MAX_BRACKET_DEPTH: usize = 200;

/// Why a source was not parsed at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What to tell the user.
    pub message: String,
}

/// Parses a module, recovering from syntax errors. Sources that Python itself would
/// refuse for their nesting are refused up front, so that no tree is deep enough to
/// exhaust the stack of a browser tab.
pub fn parse(source: &str) -> Result<Parsed<ModModule>, Refusal> {
    if let Some(offset) = too_deep_at(source) {
        return Err(Refusal {
            offset,
            message: format!(
                "more than {MAX_BRACKET_DEPTH} nested brackets: Python refuses this file (\"too many nested parentheses\"), so it was not checked"
            ),
        });
    }
    Ok(parse_unchecked_source(source, PySourceType::Python))
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
        let refusal = parse(&src).unwrap_err();
        assert_eq!(refusal.offset, 6 + 4 + MAX_BRACKET_DEPTH);
        assert!(refusal.message.contains("nested brackets"));
    }

    #[test]
    fn ordinary_nesting_parses() {
        let src = format!("b = {}1{}\n", "[".repeat(150), "]".repeat(150));
        assert!(parse(&src).is_ok());
    }
}
