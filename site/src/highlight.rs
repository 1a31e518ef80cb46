//! Syntax colours for the editor: a small scanner per file kind that reads one line at a
//! time, carrying only what spans lines (an open triple-quoted string) from one line to
//! the next. The editor colours the lines in view; [`next_state`] gives every line's
//! starting state cheaply, since only lines holding a triple quote can change it.
//!
//! It is for display only: what a finding is stays the engine's business.

use sciguard::input::SourceKind;

/// The languages the editor colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Python,
    Toml,
    Yaml,
    Ini,
    Requirements,
    Env,
    /// A notebook's JSON.
    Json,
}

impl Lang {
    /// The colouring for a kind of input.
    pub fn of(kind: SourceKind) -> Lang {
        match kind {
            SourceKind::Python => Lang::Python,
            SourceKind::Pyproject => Lang::Toml,
            SourceKind::Yaml => Lang::Yaml,
            SourceKind::Ini => Lang::Ini,
            SourceKind::Requirements => Lang::Requirements,
            SourceKind::Env => Lang::Env,
            SourceKind::Notebook => Lang::Json,
        }
    }
}

/// What a line starts inside of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LineState {
    /// Nothing open.
    #[default]
    Code,
    /// A string opened with three of this quote (`"` or `'`) and not yet closed.
    Triple(u8),
}

/// What a piece of a line is, as the stylesheet colours it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Keyword,
    Str,
    Comment,
    Number,
    Decorator,
    /// A key in a config file, or a package name in requirements.
    Key,
    /// A `[section]` header.
    Section,
}

impl Class {
    /// The CSS class of the span.
    pub fn css(self) -> &'static str {
        match self {
            Class::Keyword => "t-kw",
            Class::Str => "t-str",
            Class::Comment => "t-com",
            Class::Number => "t-num",
            Class::Decorator => "t-dec",
            Class::Key => "t-key",
            Class::Section => "t-sec",
        }
    }
}

/// A coloured piece of a line: byte offsets within the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub class: Class,
}

const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "match", "case", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield",
];
const TOML_WORDS: &[&str] = &["true", "false", "inf", "nan"];
const YAML_WORDS: &[&str] = &[
    "true", "false", "null", "yes", "no", "on", "off", "True", "False", "Null", "~",
];
const JSON_WORDS: &[&str] = &["true", "false", "null"];

/// The state after `line`, scanning it in full only when it holds a triple quote.
pub fn next_state(lang: Lang, state: LineState, line: &str) -> LineState {
    if !matches!(lang, Lang::Python | Lang::Toml)
        || !(line.contains("\"\"\"") || line.contains("'''"))
    {
        return state;
    }
    line_tokens(lang, state, line).1
}

/// The coloured pieces of one line that starts in `state`, and the state after it.
pub fn line_tokens(lang: Lang, state: LineState, line: &str) -> (Vec<Token>, LineState) {
    let mut scan = Scan {
        bytes: line.as_bytes(),
        at: 0,
        tokens: Vec::new(),
    };
    let mut state = state;
    if let LineState::Triple(quote) = state {
        // Python escapes in every string; TOML only in basic (`"""`) strings.
        let escapes = lang == Lang::Python || quote == b'"';
        if scan.triple_rest(quote, escapes, 0) {
            state = LineState::Code;
        } else {
            return (scan.tokens, state);
        }
    }
    let after = match lang {
        Lang::Python => scan.python(),
        Lang::Toml => scan.toml(),
        Lang::Yaml => {
            scan.yaml();
            None
        }
        Lang::Ini => {
            scan.ini();
            None
        }
        Lang::Requirements => {
            scan.requirements();
            None
        }
        Lang::Env => {
            scan.env();
            None
        }
        Lang::Json => {
            scan.values(Lang::Json);
            None
        }
    };
    (scan.tokens, after.map_or(state, LineState::Triple))
}

struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
    tokens: Vec<Token>,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl Scan<'_> {
    fn push(&mut self, start: usize, end: usize, class: Class) {
        if end > start {
            self.tokens.push(Token { start, end, class });
        }
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(0), Some(b' ' | b'\t' | b'\r')) {
            self.at += 1;
        }
    }

    /// The rest of the line as a comment.
    fn comment(&mut self) {
        self.push(self.at, self.bytes.len(), Class::Comment);
        self.at = self.bytes.len();
    }

    fn word_end(&self, from: usize, also: &[u8]) -> usize {
        let mut end = from;
        while end < self.bytes.len()
            && (is_word(self.bytes[end]) || also.contains(&self.bytes[end]))
        {
            end += 1;
        }
        end
    }

    /// Reads on inside a triple-quoted string opened at `start`; true if it closed.
    fn triple_rest(&mut self, quote: u8, escapes: bool, start: usize) -> bool {
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            if escapes && b == b'\\' {
                self.at += 2;
            } else if b == quote && self.bytes[self.at..].starts_with(&[quote; 3]) {
                self.at += 3;
                // A closing run may hold more quotes than three (`""""`): they belong to it.
                while self.peek(0) == Some(quote) {
                    self.at += 1;
                }
                self.push(start, self.at, Class::Str);
                return true;
            } else {
                self.at += 1;
            }
        }
        self.at = self.bytes.len();
        self.push(start, self.at, Class::Str);
        false
    }

    /// A string starting at `self.at` (its opening quote); `start` is where its prefix
    /// began. Returns the quote if a triple-quoted string is left open.
    fn string(&mut self, start: usize, escapes: bool, doubled: bool) -> Option<u8> {
        let quote = self.bytes[self.at];
        if self.bytes[self.at..].starts_with(&[quote; 3]) && !doubled {
            self.at += 3;
            return (!self.triple_rest(quote, escapes, start)).then_some(quote);
        }
        self.at += 1;
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            if escapes && b == b'\\' {
                self.at += 2;
                continue;
            }
            self.at += 1;
            if b == quote {
                // YAML's single-quoted strings escape a quote by doubling it.
                if doubled && self.peek(0) == Some(quote) {
                    self.at += 1;
                    continue;
                }
                break;
            }
        }
        self.at = self.at.min(self.bytes.len());
        self.push(start, self.at, Class::Str);
        None
    }

    /// A number from `start` (its sign, if any), read on from `self.at`.
    fn number(&mut self, start: usize) {
        while let Some(b) = self.peek(0) {
            let exponent_sign = matches!(b, b'+' | b'-')
                && self.at > start
                && matches!(self.bytes[self.at - 1], b'e' | b'E')
                && !self.bytes[start..self.at].starts_with(b"0x");
            if is_word(b) || b == b'.' || exponent_sign {
                self.at += 1;
            } else {
                break;
            }
        }
        self.push(start, self.at, Class::Number);
    }

    fn starts_number(&self) -> bool {
        match self.peek(0) {
            Some(b) if b.is_ascii_digit() => true,
            Some(b'.') => self.peek(1).is_some_and(|b| b.is_ascii_digit()),
            _ => false,
        }
    }

    /// Python: keywords, strings (with prefixes), comments, numbers and decorators.
    fn python(&mut self) -> Option<u8> {
        self.skip_space();
        if self.peek(0) == Some(b'@') {
            let end = self.word_end(self.at + 1, b".");
            self.push(self.at, end, Class::Decorator);
            self.at = end;
        }
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            if b == b'#' {
                self.comment();
            } else if b == b'"' || b == b'\'' {
                if let Some(open) = self.string(self.at, true, false) {
                    return Some(open);
                }
            } else if self.starts_number() {
                self.number(self.at);
            } else if is_word(b) {
                let start = self.at;
                self.at = self.word_end(start, b"");
                let word = &self.bytes[start..self.at];
                let prefix = word.len() <= 2
                    && word.iter().all(|c| b"rRbBfFuUtT".contains(c))
                    && matches!(self.peek(0), Some(b'"' | b'\''));
                if prefix {
                    if let Some(open) = self.string(start, true, false) {
                        return Some(open);
                    }
                } else if PYTHON_KEYWORDS.iter().any(|k| k.as_bytes() == word) {
                    self.push(start, self.at, Class::Keyword);
                }
            } else {
                self.at += 1;
            }
        }
        None
    }

    /// Values in TOML, YAML or JSON: strings, numbers, the language's words and TOML's
    /// comments; a string or word followed by `=` (TOML) or `:` (YAML, JSON) is a key.
    /// Returns the quote of a TOML multi-line string left open.
    fn values(&mut self, lang: Lang) -> Option<u8> {
        let (words, comment, colon_keys): (&[&str], &[u8], bool) = match lang {
            Lang::Toml => (TOML_WORDS, b"#", false),
            Lang::Yaml => (YAML_WORDS, b"", true),
            _ => (JSON_WORDS, b"", true),
        };
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            let start = self.at;
            if comment.contains(&b) {
                self.comment();
            } else if b == b'"' || b == b'\'' {
                let escapes = b == b'"';
                // YAML escapes a single quote by doubling it; only TOML has triple quotes.
                if let Some(open) = self.string(start, escapes, lang != Lang::Toml) {
                    return Some(open);
                }
                if self.key_follows(colon_keys) {
                    if let Some(last) = self.tokens.last_mut() {
                        last.class = Class::Key;
                    }
                }
            } else if self.starts_number()
                || (b == b'-' && self.peek(1).is_some_and(|c| c.is_ascii_digit()))
            {
                if b == b'-' {
                    self.at += 1;
                }
                self.number(start);
            } else if is_word(b) {
                self.at = self.word_end(start, b"-.");
                if self.key_follows(colon_keys) {
                    self.push(start, self.at, Class::Key);
                } else if words
                    .iter()
                    .any(|w| w.as_bytes() == &self.bytes[start..self.at])
                {
                    self.push(start, self.at, Class::Keyword);
                }
            } else {
                self.at += 1;
            }
        }
        None
    }

    fn key_follows(&self, colon: bool) -> bool {
        let mut at = self.at;
        while matches!(self.bytes.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        match self.bytes.get(at) {
            Some(b'=') => self.bytes.get(at + 1) != Some(&b'='),
            Some(b':') if colon => matches!(self.bytes.get(at + 1), None | Some(b' ' | b'\t')),
            _ => false,
        }
    }

    /// A `[section]` header at the start of the line, if there is one.
    fn section(&mut self) -> bool {
        self.skip_space();
        if self.peek(0) != Some(b'[') {
            return false;
        }
        let start = self.at;
        let mut end = self.bytes[start..]
            .iter()
            .position(|b| *b == b']')
            .map_or(self.bytes.len(), |i| start + i + 1);
        // `[[array.of.tables]]`
        while self.bytes.get(end) == Some(&b']') {
            end += 1;
        }
        self.push(start, end, Class::Section);
        self.at = end;
        true
    }

    fn toml(&mut self) -> Option<u8> {
        self.section();
        self.values(Lang::Toml)
    }

    fn yaml(&mut self) {
        self.skip_space();
        while self.peek(0) == Some(b'-') && matches!(self.peek(1), None | Some(b' ')) {
            self.at += 1;
            self.skip_space();
        }
        self.values(Lang::Yaml);
        // `#` opens a comment at the start or after a space only (`a#b` is a value).
        self.retag_yaml_comments();
    }

    /// Turns YAML's `#` comments (after a space or at the start, outside strings) into
    /// comment tokens, dropping the tokens they cover.
    fn retag_yaml_comments(&mut self) {
        let bytes = self.bytes;
        let mut from = 0;
        let at = loop {
            let Some(i) = bytes[from..]
                .iter()
                .position(|b| *b == b'#')
                .map(|i| from + i)
            else {
                return;
            };
            let in_string = self
                .tokens
                .iter()
                .any(|t| t.class == Class::Str && t.start < i && i < t.end);
            if !in_string && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')) {
                break i;
            }
            from = i + 1;
        };
        self.tokens.retain(|t| t.end <= at);
        self.push(at, bytes.len(), Class::Comment);
    }

    fn ini(&mut self) {
        self.skip_space();
        if matches!(self.peek(0), Some(b'#' | b';')) {
            self.comment();
            return;
        }
        if self.section() {
            return;
        }
        // Indented lines continue the value above.
        if self.at > 0 {
            return;
        }
        if let Some(end) = self.bytes.iter().position(|b| *b == b'=' || *b == b':') {
            let key_end = self.bytes[..end]
                .iter()
                .rposition(|b| !b.is_ascii_whitespace())
                .map_or(0, |i| i + 1);
            self.push(0, key_end, Class::Key);
        }
    }

    fn requirements(&mut self) {
        self.skip_space();
        if self.peek(0) == Some(b'-') {
            let end = self.word_end(self.at, b"-");
            self.push(self.at, end, Class::Keyword);
            self.at = end;
        } else if self.peek(0).is_some_and(is_word) {
            let end = self.word_end(self.at, b"-.[],");
            self.push(self.at, end, Class::Key);
            self.at = end;
        }
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            if b == b'#' && (self.at == 0 || matches!(self.bytes[self.at - 1], b' ' | b'\t')) {
                self.comment();
            } else if b"=<>~!".contains(&b) {
                while self.peek(0).is_some_and(|c| b"=<>~! ".contains(&c)) {
                    self.at += 1;
                }
                let end = self.word_end(self.at, b".*+!-");
                self.push(self.at, end, Class::Number);
                self.at = end.max(self.at + 1);
            } else if b == b'"' || b == b'\'' {
                self.string(self.at, false, false);
            } else {
                self.at += 1;
            }
        }
    }

    fn env(&mut self) {
        self.skip_space();
        if self.peek(0) == Some(b'#') {
            self.comment();
            return;
        }
        if self.bytes[self.at..].starts_with(b"export ") {
            self.push(self.at, self.at + 6, Class::Keyword);
            self.at += 7;
            self.skip_space();
        }
        let key_end = self.word_end(self.at, b".-");
        if self.bytes.get(key_end) != Some(&b'=') {
            return;
        }
        self.push(self.at, key_end, Class::Key);
        self.at = key_end + 1;
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            if b == b'"' || b == b'\'' {
                self.string(self.at, b == b'"', false);
            } else if b == b'#' && matches!(self.bytes[self.at - 1], b' ' | b'\t') {
                self.comment();
            } else {
                self.at += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line's starting state (one per line of `text`, split at `\n`).
    fn line_states(lang: Lang, text: &str) -> Vec<LineState> {
        let mut states = Vec::new();
        let mut state = LineState::Code;
        for line in text.split('\n') {
            states.push(state);
            state = next_state(lang, state, line);
        }
        states
    }

    /// The line's pieces as `class:text`.
    fn pieces(lang: Lang, state: LineState, line: &str) -> Vec<String> {
        line_tokens(lang, state, line)
            .0
            .iter()
            .map(|t| format!("{}:{}", t.class.css(), &line[t.start..t.end]))
            .collect()
    }

    #[test]
    fn python_keywords_strings_comments_numbers_decorators() {
        assert_eq!(
            pieces(
                Lang::Python,
                LineState::Code,
                "def f(x=1.5e-3, s='a\\'b'):  # why"
            ),
            ["t-kw:def", "t-num:1.5e-3", "t-str:'a\\'b'", "t-com:# why"]
        );
        assert_eq!(
            pieces(Lang::Python, LineState::Code, "    @app.route(rb\"/x\")"),
            ["t-dec:@app.route", "t-str:rb\"/x\""]
        );
        // A `#` inside a string is not a comment; words containing keywords are not keywords.
        assert_eq!(
            pieces(
                Lang::Python,
                LineState::Code,
                "x = \"#no\" if classy else None"
            ),
            ["t-str:\"#no\"", "t-kw:if", "t-kw:else", "t-kw:None"]
        );
    }

    #[test]
    fn triple_quoted_strings_carry_their_state_across_lines() {
        let text = "a = \"\"\"one\ntwo ''' still\nthree\"\"\" # done\nb = '''x'''\nc = f'''\n\"\"\"\n'''\nd = 1";
        let states = line_states(Lang::Python, text);
        let dq = LineState::Triple(b'"');
        let sq = LineState::Triple(b'\'');
        assert_eq!(
            states,
            [
                LineState::Code,
                dq,
                dq,
                LineState::Code,
                LineState::Code,
                sq,
                sq,
                LineState::Code
            ]
        );
        assert_eq!(
            pieces(Lang::Python, dq, "two ''' still"),
            ["t-str:two ''' still"]
        );
        assert_eq!(
            pieces(Lang::Python, dq, "three\"\"\" # done"),
            ["t-str:three\"\"\"", "t-com:# done"]
        );
        // The fast path (no triple quote on the line) agrees with a full scan.
        let lines: Vec<&str> = text.split('\n').collect();
        for (i, line) in lines.iter().enumerate().skip(1) {
            assert_eq!(
                line_tokens(Lang::Python, states[i - 1], lines[i - 1]).1,
                states[i],
                "{line}"
            );
        }
    }

    #[test]
    fn an_escaped_quote_does_not_close_a_triple_quoted_string() {
        let states = line_states(Lang::Python, "s = \"\"\"a \\\"\"\" b\nstill\"\"\"\nx");
        assert_eq!(states[1], LineState::Triple(b'"'));
        assert_eq!(states[2], LineState::Code);
    }

    #[test]
    fn toml_sections_keys_values_and_multiline_strings() {
        assert_eq!(
            pieces(Lang::Toml, LineState::Code, "[tool.sciguard]  # x"),
            ["t-sec:[tool.sciguard]", "t-com:# x"]
        );
        assert_eq!(
            pieces(
                Lang::Toml,
                LineState::Code,
                "ignore = [\"SCI404\", 'x'] # why"
            ),
            [
                "t-key:ignore",
                "t-str:\"SCI404\"",
                "t-str:'x'",
                "t-com:# why"
            ]
        );
        assert_eq!(
            pieces(
                Lang::Toml,
                LineState::Code,
                "\"quoted key\" = { a-b = -1, on = true }"
            ),
            [
                "t-key:\"quoted key\"",
                "t-key:a-b",
                "t-num:-1",
                "t-key:on",
                "t-kw:true"
            ]
        );
        let states = line_states(Lang::Toml, "d = '''\nC:\\new\\'''\nx = 1");
        assert_eq!(
            states,
            [LineState::Code, LineState::Triple(b'\''), LineState::Code]
        );
    }

    #[test]
    fn yaml_keys_values_and_comments() {
        assert_eq!(
            pieces(Lang::Yaml, LineState::Code, "  - name: 'it''s' # run"),
            ["t-key:name", "t-str:'it''s'", "t-com:# run"]
        );
        assert_eq!(
            pieces(Lang::Yaml, LineState::Code, "on: true"),
            ["t-key:on", "t-kw:true"]
        );
        assert_eq!(
            pieces(Lang::Yaml, LineState::Code, "url: a#b"),
            ["t-key:url"]
        );
        assert_eq!(
            pieces(Lang::Yaml, LineState::Code, "# all"),
            ["t-com:# all"]
        );
    }

    #[test]
    fn ini_requirements_and_env() {
        assert_eq!(
            pieces(Lang::Ini, LineState::Code, "[metadata]"),
            ["t-sec:[metadata]"]
        );
        assert_eq!(
            pieces(Lang::Ini, LineState::Code, "name = demo"),
            ["t-key:name"]
        );
        assert_eq!(
            pieces(Lang::Ini, LineState::Code, "; note"),
            ["t-com:; note"]
        );
        assert_eq!(
            pieces(Lang::Ini, LineState::Code, "    numpy"),
            Vec::<String>::new()
        );
        assert_eq!(
            pieces(
                Lang::Requirements,
                LineState::Code,
                "numpy[extra]>=1.26,<2 # pin"
            ),
            ["t-key:numpy[extra]", "t-num:1.26", "t-num:2", "t-com:# pin"]
        );
        assert_eq!(
            pieces(Lang::Requirements, LineState::Code, "-r base.txt"),
            ["t-kw:-r"]
        );
        assert_eq!(
            pieces(
                Lang::Env,
                LineState::Code,
                "export API_KEY=\"s#cret\" # note"
            ),
            [
                "t-kw:export",
                "t-key:API_KEY",
                "t-str:\"s#cret\"",
                "t-com:# note"
            ]
        );
        assert_eq!(pieces(Lang::Env, LineState::Code, "# c"), ["t-com:# c"]);
    }

    #[test]
    fn json_keys_and_values() {
        assert_eq!(
            pieces(
                Lang::Json,
                LineState::Code,
                "  \"cell_type\": \"code\", \"n\": 3, \"x\": null"
            ),
            [
                "t-key:\"cell_type\"",
                "t-str:\"code\"",
                "t-key:\"n\"",
                "t-num:3",
                "t-key:\"x\"",
                "t-kw:null"
            ]
        );
    }

    #[test]
    fn tokens_never_leave_the_line_or_split_a_character() {
        for line in [
            "é = \"ü",
            "'''",
            "x = '",
            "\\",
            "@",
            "\"\"\"é\\",
            "-",
            "a = -",
        ] {
            for lang in [
                Lang::Python,
                Lang::Toml,
                Lang::Yaml,
                Lang::Ini,
                Lang::Requirements,
                Lang::Env,
                Lang::Json,
            ] {
                for state in [
                    LineState::Code,
                    LineState::Triple(b'"'),
                    LineState::Triple(b'\''),
                ] {
                    for t in line_tokens(lang, state, line).0 {
                        assert!(t.start < t.end && t.end <= line.len(), "{lang:?} {line}");
                        assert!(line.is_char_boundary(t.start) && line.is_char_boundary(t.end));
                    }
                }
            }
        }
    }
}
