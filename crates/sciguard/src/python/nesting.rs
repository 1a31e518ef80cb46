//! A scan before parsing for source nested deeper than the parser can take on a small
//! stack. The parser recurses once per level of brackets, blocks and prefix or
//! right-leaning operators (`-x`, `not x`, `lambda: x`, `a if b else c`, `a ** b`); in a
//! browser it cannot grow its stack, and measured in Node (about 1 MB of stack) it fails
//! between 2,000 and 2,500 levels of either. Brackets and blocks have limits in CPython
//! too, so going past them is an error in the code; the operator limit is sciguard's.
//!
//! One pass over the bytes, skipping strings and comments, with no allocation.

/// CPython refuses more nested brackets than this ("too many nested parentheses").
pub const MAX_BRACKET_DEPTH: usize = 200;

/// CPython refuses this many levels of indentation ("too many levels of indentation").
pub const MAX_INDENT_LEVELS: usize = 100;

/// sciguard refuses a logical line with more prefix or right-leaning operators than
/// this (CPython takes a few thousand).
pub const MAX_OPERATOR_NESTING: usize = 1_000;

/// What is nested too deep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TooDeep {
    /// More than [`MAX_BRACKET_DEPTH`] brackets.
    Brackets,
    /// [`MAX_INDENT_LEVELS`] levels of indentation or more.
    Indentation,
    /// More than [`MAX_OPERATOR_NESTING`] prefix or right-leaning operators.
    Operators,
}

/// Where a logical line is: what the last token was decides whether `-` is unary.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// An operand ended (a name, a number, a string, a closing bracket): `-` is binary.
    Operand,
    /// An operator, an opening bracket, a keyword or the line start: `-` is unary.
    Operator,
}

/// The scan's state.
struct Scan {
    brackets: usize,
    /// Indentation widths of the open blocks, innermost last (a fixed array: no allocation).
    indents: [usize; MAX_INDENT_LEVELS],
    levels: usize,
    /// Per logical line: the current run of prefix operators, the right-leaning ones.
    prefix_run: usize,
    right_leaning: usize,
    /// The current chain of `**` (`a ** b ** c` nests; `x*y**2 + z**3` does not).
    power_run: usize,
    last: Last,
}

impl Scan {
    /// A logical line starts with this indentation: closes or opens blocks.
    fn indent(&mut self, width: usize) -> Option<TooDeep> {
        while self.levels > 0 && self.indents[self.levels - 1] > width {
            self.levels -= 1;
        }
        let top = self
            .levels
            .checked_sub(1)
            .map_or(0, |top| self.indents[top]);
        if width > top {
            if self.levels == MAX_INDENT_LEVELS - 1 {
                return Some(TooDeep::Indentation);
            }
            self.indents[self.levels] = width;
            self.levels += 1;
        }
        self.prefix_run = 0;
        self.right_leaning = 0;
        self.power_run = 0;
        self.last = Last::Operator;
        None
    }

    /// A token that ends an operand (`x`, `1`, `'s'`, `)`).
    fn operand(&mut self) {
        self.prefix_run = 0;
        self.last = Last::Operand;
    }

    /// A token after which an operand starts (`=`, `,`, `(`, `if`).
    fn operator(&mut self) {
        self.prefix_run = 0;
        self.power_run = 0;
        self.last = Last::Operator;
    }

    /// `**`, which nests only in a chain of its own (`a ** b ** c`).
    fn power(&mut self) -> Option<TooDeep> {
        self.prefix_run = 0;
        self.power_run += 1;
        self.last = Last::Operator;
        (self.power_run > MAX_OPERATOR_NESTING).then_some(TooDeep::Operators)
    }

    /// A prefix operator (`-x`, `not x`, `await x`).
    fn prefix(&mut self) -> Option<TooDeep> {
        self.prefix_run += 1;
        self.last = Last::Operator;
        (self.prefix_run > MAX_OPERATOR_NESTING).then_some(TooDeep::Operators)
    }

    /// A right-leaning keyword (`lambda`, `else`).
    fn right_leaning(&mut self) -> Option<TooDeep> {
        self.right_leaning += 1;
        self.operator();
        (self.right_leaning > MAX_OPERATOR_NESTING).then_some(TooDeep::Operators)
    }

    /// A word: a keyword, a name or a number (`bytes[end]` follows it).
    fn word(&mut self, word: &[u8], bytes: &[u8], end: usize) -> Option<TooDeep> {
        match word {
            b"not" if !next_word_is(bytes, end, b"in") => self.prefix(),
            b"await" => self.prefix(),
            b"lambda" | b"else" => self.right_leaning(),
            word if is_keyword(word) => {
                self.operator();
                None
            }
            // A string prefix (`f"…"`, `rb'…'`) is read with its string.
            _ if matches!(bytes.get(end), Some(b'\'' | b'"')) => None,
            _ => {
                self.operand();
                None
            }
        }
    }
}

/// The first place where the source nests too deep, with what, if any.
pub fn too_deep(source: &str) -> Option<(usize, TooDeep)> {
    let bytes = source.as_bytes();
    let mut scan = Scan {
        brackets: 0,
        indents: [0; MAX_INDENT_LEVELS],
        levels: 0,
        prefix_run: 0,
        right_leaning: 0,
        power_run: 0,
        last: Last::Operator,
    };
    let mut line_start = true;
    let mut continued = false;
    let mut i = 0;
    while i < bytes.len() {
        if line_start {
            line_start = false;
            if scan.brackets == 0 && !continued {
                let (width, at) = indentation(bytes, i);
                i = at;
                // Blank and comment lines do not open or close blocks.
                if !matches!(bytes.get(i), None | Some(b'\n' | b'\r' | b'#')) {
                    if let Some(kind) = scan.indent(width) {
                        return Some((i, kind));
                    }
                }
                continue;
            }
            continued = false;
        }
        let found = match bytes[i] {
            b'\n' | b'\r' => {
                line_start = true;
                if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                None
            }
            b'\\' => {
                continued = matches!(bytes.get(i + 1), Some(b'\n' | b'\r'));
                None
            }
            b'#' => {
                while i + 1 < bytes.len() && !matches!(bytes[i + 1], b'\n' | b'\r') {
                    i += 1;
                }
                None
            }
            quote @ (b'\'' | b'"') => {
                i = string_end(bytes, i, quote);
                scan.operand();
                None
            }
            b'(' | b'[' | b'{' => {
                scan.brackets += 1;
                scan.operator();
                (scan.brackets > MAX_BRACKET_DEPTH).then_some(TooDeep::Brackets)
            }
            b')' | b']' | b'}' => {
                scan.brackets = scan.brackets.saturating_sub(1);
                scan.operand();
                None
            }
            // `-=` and `->` are not prefix operators.
            b'-' | b'+' | b'~'
                if scan.last == Last::Operator
                    && !matches!(bytes.get(i + 1), Some(b'=' | b'>')) =>
            {
                scan.prefix()
            }
            b'*' if bytes.get(i + 1) == Some(&b'*') => {
                i += 1;
                scan.power()
            }
            b if is_word_byte(b) => {
                let start = i;
                while bytes.get(i + 1).is_some_and(|b| is_word_byte(*b)) {
                    i += 1;
                }
                scan.word(&bytes[start..=i], bytes, i + 1)
            }
            b' ' | b'\t' | b'\x0c' => None,
            _ => {
                scan.operator();
                None
            }
        };
        if let Some(kind) = found {
            return Some((i, kind));
        }
        i += 1;
    }
    None
}

/// A byte of a name, keyword or number (non-ASCII bytes belong to names).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The width of the indentation at `i` (a tab moves to the next multiple of 8, as in
/// CPython) and where it ends.
fn indentation(bytes: &[u8], mut i: usize) -> (usize, usize) {
    let mut width = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' => width += 1,
            b'\t' => width = (width / 8 + 1) * 8,
            b'\x0c' => width = 0,
            _ => break,
        }
        i += 1;
    }
    (width, i)
}

/// The offset of the last byte of the string that opens at `i`.
fn string_end(bytes: &[u8], mut i: usize, quote: u8) -> usize {
    let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
    let width = if triple { 3 } else { 1 };
    i += width;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'\n' | b'\r' if !triple => return i - 1,
            b if b == quote
                && (!triple
                    || (bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote))) =>
            {
                return i + width - 1;
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Whether the next word after `i` (past spaces) is `word`.
fn next_word_is(bytes: &[u8], mut i: usize, word: &[u8]) -> bool {
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    bytes.get(i..i + word.len()) == Some(word)
        && !bytes.get(i + word.len()).is_some_and(|b| is_word_byte(*b))
}

/// Keywords after which an operand starts (so `-` is unary).
fn is_keyword(word: &[u8]) -> bool {
    matches!(
        word,
        b"and"
            | b"or"
            | b"in"
            | b"is"
            | b"not"
            | b"if"
            | b"elif"
            | b"while"
            | b"for"
            | b"return"
            | b"yield"
            | b"assert"
            | b"del"
            | b"from"
            | b"import"
            | b"as"
            | b"with"
            | b"raise"
            | b"case"
            | b"match"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(source: &str) -> Option<TooDeep> {
        too_deep(source).map(|(_, kind)| kind)
    }

    #[test]
    fn brackets_inside_strings_and_comments_do_not_count() {
        let deep_string = format!(
            "x = '{}'\n# {}\ny = \"\"\"{}\"\"\"\nz = f'{}'\n",
            "(".repeat(500),
            "[".repeat(500),
            "{\n".repeat(500),
            "-".repeat(5000),
        );
        assert_eq!(too_deep(&deep_string), None);
    }

    #[test]
    fn deep_brackets_are_found_where_they_pass_the_limit() {
        let src = format!("a = 1\nb = {}1{}\n", "(".repeat(300), ")".repeat(300));
        assert_eq!(
            too_deep(&src),
            Some((6 + 4 + MAX_BRACKET_DEPTH, TooDeep::Brackets))
        );
        let ok = format!("b = {}1{}\n", "[".repeat(200), "]".repeat(200));
        assert_eq!(too_deep(&ok), None);
    }

    #[test]
    fn indentation_levels_are_counted_as_cpython_counts_them() {
        let nested = |levels: usize, unit: &str| {
            let mut s = String::from("import os\n");
            for depth in 0..levels {
                s.push_str(&format!("{}if x:\n\n    # a comment\n", unit.repeat(depth)));
            }
            s.push_str(&format!("{}pass\n", unit.repeat(levels)));
            s
        };
        // CPython: 99 nested blocks compile, 100 do not.
        assert_eq!(kind(&nested(99, " ")), None);
        assert_eq!(kind(&nested(100, " ")), Some(TooDeep::Indentation));
        assert_eq!(kind(&nested(100, "\t")), Some(TooDeep::Indentation));
        // Dedenting frees levels; continuation lines and brackets do not indent.
        let mut wide = String::new();
        for _ in 0..300 {
            wide.push_str("if x:\n    y = (1,\n            2)\n    z = 1 + \\\n        2\n");
        }
        assert_eq!(kind(&wide), None);
    }

    #[test]
    fn prefix_and_right_leaning_operators_are_counted_per_line() {
        let line = |part: &str, n: usize| format!("x = {}1\n", part.repeat(n));
        for part in [
            "-",
            "- ",
            "~",
            "+",
            "not ",
            "await ",
            "lambda: ",
            "2 if c else ",
            "2 ** ",
        ] {
            assert_eq!(kind(&line(part, 1_000)), None, "{part}");
            assert_eq!(kind(&line(part, 1_001)), Some(TooDeep::Operators), "{part}");
        }
        // Binary operators, negative numbers in data and `not in` are not nesting; nor
        // are powers apart from each other (a polynomial written out).
        let flat = [
            line("3*s1**2*s6**4 + ", 2_000),
            line("a - ", 10_000),
            format!("x = [{}]\n", "-1, ".repeat(10_000)),
            format!("x = [{}]\n", "1e-3, ".repeat(10_000)),
            line("a not in b and ", 10_000),
            line("f(x) - ", 10_000),
            "x = 1\n".repeat(2_000) + &"y = -1\n".repeat(2_000),
        ];
        for source in flat {
            assert_eq!(kind(&source), None, "{}", &source[..40]);
        }
    }
}
