//! A scan before parsing for source nested deeper than the parser can take on a small
//! stack. The parser recurses once per level of brackets, blocks and prefix or
//! right-leaning operators (`-x`, `not x`, `lambda: x`, `a if b else c`, `a ** b`); in a
//! browser it cannot grow its stack, and measured in Node (about 1 MB of stack) it fails
//! between 2,000 and 2,500 levels of either. Brackets and blocks have limits in CPython
//! too, so going past them is an error in the code; the operator limit is sciguard's.
//!
//! One pass over the bytes, skipping strings and comments, with no allocation.

use ruff_text_size::TextRange;

/// CPython refuses more nested brackets than this ("too many nested parentheses").
pub const MAX_BRACKET_DEPTH: usize = 200;

/// CPython refuses this many levels of indentation ("too many levels of indentation").
pub const MAX_INDENT_LEVELS: usize = 100;

/// sciguard refuses a logical line with more prefix or right-leaning operators than
/// this, counting the brackets and f-strings around them (CPython takes a few thousand).
pub const MAX_OPERATOR_NESTING: usize = 1_000;

/// CPython 3.12 refuses f-strings nested deeper than this ("too many nested f-strings");
/// each level is several frames of the parser.
pub const MAX_FSTRING_NESTING: usize = 150;

/// What one level of f-string counts toward [`MAX_OPERATOR_NESTING`]: it takes the parser
/// several times the stack of a prefix operator. Measured in Chromium's worker on the site's
/// build: inside 150 nested f-strings, 628 `not` (the costliest operator) still parse, 629
/// do not, so 150 × 4 + 400 leaves a third of that stack spare.
const FSTRING_WEIGHT: usize = 4;

/// What is nested too deep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TooDeep {
    /// More than [`MAX_BRACKET_DEPTH`] brackets.
    Brackets,
    /// [`MAX_INDENT_LEVELS`] levels of indentation or more.
    Indentation,
    /// More than [`MAX_OPERATOR_NESTING`] prefix or right-leaning operators.
    Operators,
    /// More than [`MAX_FSTRING_NESTING`] f-strings inside each other's fields.
    FStrings,
}

/// An f-string (or t-string) open around the scan: its literal text is skipped, the code
/// of its replacement fields is scanned like any other code.
#[derive(Clone, Copy, Default)]
struct FString {
    quote: u8,
    triple: bool,
    /// Whether the scan is in a replacement field (`{…}`) rather than the literal text.
    in_field: bool,
    /// The bracket depth where the current field opened: its `}` closes at this depth.
    field_brackets: usize,
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
    /// The f-strings open around the current position, innermost last.
    fstrings: [FString; MAX_FSTRING_NESTING],
    open_fstrings: usize,
    /// Whether the word just read prefixes an f-string or t-string (`f"…"`, `rt'…'`).
    fstring_prefix: bool,
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
        self.past_operator_limit()
    }

    /// A prefix operator (`-x`, `not x`, `await x`).
    fn prefix(&mut self) -> Option<TooDeep> {
        self.prefix_run += 1;
        self.last = Last::Operator;
        self.past_operator_limit()
    }

    /// A right-leaning keyword (`lambda`, `else`).
    fn right_leaning(&mut self) -> Option<TooDeep> {
        self.right_leaning += 1;
        self.operator();
        self.past_operator_limit()
    }

    /// Whether the operators nesting here, with the brackets and f-strings around them,
    /// are more than [`MAX_OPERATOR_NESTING`]: each kind alone stays under it, and together
    /// they nest the parser as deep as their sum (`lambda: -(2 ** f"{not x}")`), an
    /// f-string counting [`FSTRING_WEIGHT`] times.
    fn past_operator_limit(&self) -> Option<TooDeep> {
        let depth = self.prefix_run
            + self.right_leaning
            + self.power_run
            + self.brackets
            + FSTRING_WEIGHT * self.open_fstrings;
        (depth > MAX_OPERATOR_NESTING).then_some(TooDeep::Operators)
    }

    /// The innermost f-string, when the scan is in its literal text.
    fn in_fstring_text(&self) -> Option<FString> {
        let top = *self.fstrings.get(self.open_fstrings.checked_sub(1)?)?;
        (!top.in_field).then_some(top)
    }

    /// The innermost f-string, when the scan is in one of its replacement fields.
    fn field(&mut self) -> Option<&mut FString> {
        let top = self.fstrings.get_mut(self.open_fstrings.checked_sub(1)?)?;
        top.in_field.then_some(top)
    }

    /// Whether the scan is in a replacement field at the depth where it opened, where
    /// `}` ends it and `:` starts its format spec.
    fn at_field_end(&self) -> bool {
        let Some(top) = self.open_fstrings.checked_sub(1) else {
            return false;
        };
        let field = self.fstrings[top];
        field.in_field && field.field_brackets == self.brackets
    }

    /// An f-string opens at the quote `bytes[i]`; returns where its text starts.
    fn open_fstring(&mut self, bytes: &[u8], i: usize) -> Result<usize, TooDeep> {
        if self.open_fstrings == MAX_FSTRING_NESTING {
            return Err(TooDeep::FStrings);
        }
        let quote = bytes[i];
        let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
        self.fstrings[self.open_fstrings] = FString {
            quote,
            triple,
            in_field: false,
            field_brackets: 0,
        };
        self.open_fstrings += 1;
        Ok(i + if triple { 3 } else { 1 })
    }

    /// Skips the literal text of the innermost f-string from `i`: to a replacement field
    /// (the scan goes on in its code) or to the closing quote. Returns where to go on.
    fn fstring_text(&mut self, text: FString, bytes: &[u8], mut i: usize) -> usize {
        let width = if text.triple { 3 } else { 1 };
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
                b'{' => {
                    let brackets = self.brackets;
                    if let Some(top) = self.fstrings.get_mut(self.open_fstrings - 1) {
                        top.in_field = true;
                        top.field_brackets = brackets;
                    }
                    self.operator();
                    return i + 1;
                }
                // An unterminated one-line f-string ends with its line.
                b'\n' | b'\r' if !text.triple => {
                    self.open_fstrings -= 1;
                    self.operand();
                    return i;
                }
                b if b == text.quote
                    && (!text.triple
                        || (bytes.get(i + 1) == Some(&b) && bytes.get(i + 2) == Some(&b))) =>
                {
                    self.open_fstrings -= 1;
                    self.operand();
                    return i + width;
                }
                _ => i += 1,
            }
        }
        i
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
            _ if matches!(bytes.get(end), Some(b'\'' | b'"')) => {
                self.fstring_prefix = word.len() <= 2
                    && word.iter().all(|b| b"rRbBuUfFtT".contains(b))
                    && word.iter().any(|b| b"fFtT".contains(b));
                None
            }
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
        fstrings: [FString::default(); MAX_FSTRING_NESTING],
        open_fstrings: 0,
        fstring_prefix: false,
    };
    let mut line_start = true;
    let mut continued = false;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(text) = scan.in_fstring_text() {
            i = scan.fstring_text(text, bytes, i);
            continue;
        }
        if line_start {
            line_start = false;
            if scan.brackets == 0 && !continued && scan.open_fstrings == 0 {
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
                // A field of a one-line f-string cannot span lines: it was unterminated.
                if scan.fstrings[..scan.open_fstrings]
                    .iter()
                    .any(|f| !f.triple)
                {
                    scan.open_fstrings = 0;
                }
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
                // To the last byte of the comment (memchr: comments are much of the text).
                i = memchr::memchr2(b'\n', b'\r', &bytes[i + 1..])
                    .map_or(bytes.len() - 1, |n| i + n);
                None
            }
            b'\'' | b'"' if std::mem::take(&mut scan.fstring_prefix) => {
                match scan.open_fstring(bytes, i) {
                    Ok(text) => {
                        i = text;
                        continue;
                    }
                    Err(kind) => Some(kind),
                }
            }
            quote @ (b'\'' | b'"') => {
                i = string_end(bytes, i, quote);
                scan.operand();
                None
            }
            // Brackets keep the runs of operators: `-(-(-x))` nests as deep as `---x`.
            b'(' | b'[' | b'{' => {
                scan.brackets += 1;
                scan.last = Last::Operator;
                (scan.brackets > MAX_BRACKET_DEPTH).then_some(TooDeep::Brackets)
            }
            // The end of a replacement field, or a format spec (`{x:>10}`), goes back to
            // the f-string's text.
            b'}' | b':' if scan.at_field_end() => {
                if let Some(field) = scan.field() {
                    field.in_field = false;
                }
                None
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

/// The text with each line that starts, inside a bracket that is never closed, with an
/// IPython auto-call or help escape (`,` `;` `/` `?`) turned into a comment, or `None`
/// when no line does. Error recovery after an unclosed bracket can make the parser
/// re-read such a line as an escape in an expression, which `ruff_python_parser` 0.0.10
/// answers with a panic. Such a cell is already a syntax error; inside brackets that are
/// closed (a leading-comma list, `(a\n / b)`) nothing changes. Offsets do not move: one
/// byte becomes `#`.
pub fn without_escapes_in_brackets(source: &str, cells: &[TextRange]) -> Option<String> {
    let mut at = Vec::new();
    for cell in cells {
        let start = cell.start().to_usize();
        if let Some(text) = source.get(start..cell.end().to_usize()) {
            at.extend(escapes_in_brackets(text).into_iter().map(|i| start + i));
        }
    }
    if at.is_empty() {
        return None;
    }
    let mut bytes = source.as_bytes().to_vec();
    for i in at {
        bytes[i] = b'#';
    }
    // Only ASCII bytes were replaced by an ASCII byte.
    String::from_utf8(bytes).ok()
}

/// Offsets of the first byte of each line that starts with `,` `;` `/` or `?` while a
/// bracket is open that the cell never closes (strings and comments skipped; a closing
/// bracket of another kind closes the innermost one, as the lexer counts, but leaves it
/// unclosed for this purpose).
fn escapes_in_brackets(source: &str) -> Vec<usize> {
    let bytes = source.as_bytes();
    let starts_with_escape = |line: &[u8]| {
        let (_, first) = indentation(line, 0);
        matches!(line.get(first), Some(b',' | b';' | b'/' | b'?'))
    };
    // Fast path: most cells have no line starting with one of these.
    if !source
        .lines()
        .skip(1)
        .any(|line| starts_with_escape(line.as_bytes()))
    {
        return Vec::new();
    }
    // Open brackets (their byte and id), whether each id was closed by its own kind, and
    // the candidate lines with the ids open around them.
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut closed: Vec<bool> = Vec::new();
    let mut candidates: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\r' if !open.is_empty() => {
                let (_, first) = indentation(bytes, i + 1);
                if matches!(bytes.get(first), Some(b',' | b';' | b'/' | b'?')) {
                    candidates.push((first, open.iter().map(|(_, id)| *id).collect()));
                }
            }
            b'#' => {
                i = memchr::memchr2(b'\n', b'\r', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                continue;
            }
            quote @ (b'\'' | b'"') => i = string_end(bytes, i, quote),
            b'\\' => i += 1,
            b @ (b'(' | b'[' | b'{') => {
                open.push((b, closed.len()));
                closed.push(false);
            }
            b @ (b')' | b']' | b'}') => {
                if let Some((opener, id)) = open.pop() {
                    closed[id] = matches!((opener, b), (b'(', b')') | (b'[', b']') | (b'{', b'}'));
                }
            }
            _ => {}
        }
        i += 1;
    }
    candidates
        .into_iter()
        .filter(|(_, around)| around.iter().any(|id| !closed[*id]))
        .map(|(at, _)| at)
        .collect()
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
        if triple {
            // Docstrings are much of the text: jump to the next byte that matters.
            match memchr::memchr2(b'\\', quote, &bytes[i..]) {
                Some(n) => i += n,
                None => return bytes.len(),
            }
        }
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

    #[test]
    fn nested_f_strings_and_their_fields_are_scanned() {
        let nested = |n: usize| format!("x = {}1{}\n", "f\"{".repeat(n), "}\"".repeat(n));
        assert_eq!(kind(&nested(MAX_FSTRING_NESTING)), None);
        assert_eq!(
            kind(&nested(MAX_FSTRING_NESTING + 1)),
            Some(TooDeep::FStrings)
        );
        assert_eq!(kind(&nested(100_000)), Some(TooDeep::FStrings));
        // The code in a field counts like any other code.
        let field = format!("x = f'{{{}1}}'\n", "-".repeat(2_000));
        assert_eq!(kind(&field), Some(TooDeep::Operators));
        // Literal text, escaped braces, format specs and other strings do not nest.
        let flat = [
            format!("x = f'{}'\n", "{{".repeat(10_000)),
            format!("x = f'{}'\n", "-".repeat(10_000)),
            format!("x = f'{}'\n", "{a:>{w}} ".repeat(10_000)),
            format!("x = {}1\n", "f'{a!r:x}' + ".repeat(10_000)),
            format!("x = f\"\"\"\n{}\n\"\"\"\n", "{a}\n  {b}\n".repeat(10_000)),
            format!("x = rf'{{a}}' + Rb'{}'\n", "(".repeat(500)),
        ];
        for source in flat {
            assert_eq!(kind(&source), None, "{}", &source[..40]);
        }
        // Blocks after an f-string spanning lines are still counted.
        let mut source = String::from("x = f'''{a}\n    {b}'''\n");
        for depth in 0..100 {
            source.push_str(&format!("{}if x:\n", " ".repeat(depth)));
        }
        source.push_str(&format!("{}pass\n", " ".repeat(100)));
        assert_eq!(kind(&source), Some(TooDeep::Indentation));
        // An unterminated one is over at the end of its line.
        assert_eq!(kind("x = f'{a\ny = 1\n"), None);
        let after = format!("x = f'{{a\ny = {}1\n", "-".repeat(1_001));
        assert_eq!(kind(&after), Some(TooDeep::Operators));
    }

    #[test]
    fn brackets_do_not_reset_a_run_of_operators() {
        let nest = |part: &str| format!("x = {}1{}\n", part.repeat(150), ")".repeat(150));
        assert_eq!(kind(&nest("-(")), None);
        assert_eq!(kind(&nest("-------(")), Some(TooDeep::Operators));
        assert_eq!(kind(&nest("2 ** (")), None);
        // The kinds add up.
        let mixed = |lambdas: usize, minus: usize, brackets: usize| {
            format!(
                "x = {}{}{}1{}\n",
                "lambda: ".repeat(lambdas),
                "(".repeat(brackets),
                "-".repeat(minus),
                ")".repeat(brackets)
            )
        };
        assert_eq!(kind(&mixed(600, 300, 100)), None);
        assert_eq!(kind(&mixed(600, 301, 100)), Some(TooDeep::Operators));
        assert_eq!(kind(&mixed(0, 1_000, 0)), None);
        assert_eq!(kind(&mixed(0, 901, 100)), Some(TooDeep::Operators));
        let in_fstrings = |minus: usize| {
            let (open, close) = ("f\"{".repeat(150), "}\"".repeat(150));
            format!("x = {open}{}1{close}\n", "not ".repeat(minus))
        };
        assert_eq!(kind(&in_fstrings(1_000 - 150 * FSTRING_WEIGHT)), None);
        let past = in_fstrings(1_001 - 150 * FSTRING_WEIGHT);
        assert_eq!(kind(&past), Some(TooDeep::Operators));
        assert_eq!(
            kind(&nest("2 ** 2 ** 2 ** 2 ** 2 ** 2 ** 2 ** (")),
            Some(TooDeep::Operators)
        );
    }
}
