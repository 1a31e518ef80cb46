//! Suppression comments: `# noqa`, `# noqa: SCI201, SCI202`, `# nosec`, `# nosec B301`.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;
use ruff_text_size::Ranged;
use std::collections::HashMap;

/// What a comment on one line suppresses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineSuppression {
    /// Everything on the line.
    pub all: bool,
    /// Codes named after `noqa:` (`SCI201`) or `nosec` (`B301`), upper-cased.
    pub codes: Vec<String>,
    /// The comment's byte range in the source (empty when parsed on its own).
    pub comment: std::ops::Range<usize>,
}

impl LineSuppression {
    /// Whether a finding of this rule is suppressed: by code, or by the id of the same
    /// check in Bandit or Ruff (`# nosec B101`, `# noqa: S101`, `# noqa: B006`), so code
    /// already reviewed under those tools is not reported again.
    pub fn covers(&self, code: &str, equivalents: &[&[String]]) -> bool {
        self.all || self.covering(code, equivalents).next().is_some()
    }

    /// The indexes in `codes` of the codes that cover a finding of this rule.
    pub fn covering<'a>(
        &'a self,
        code: &'a str,
        equivalents: &'a [&'a [String]],
    ) -> impl Iterator<Item = usize> + 'a {
        self.codes.iter().enumerate().filter_map(move |(i, c)| {
            (c == code || equivalents.iter().any(|ids| ids.iter().any(|id| id == c))).then_some(i)
        })
    }
}

/// Suppressions by 1-based line number.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    lines: HashMap<usize, LineSuppression>,
}

impl Suppressions {
    /// Reads every comment token; `line_of` maps a byte offset to its 1-based line.
    pub fn from_tokens(
        parsed: &Parsed<ModModule>,
        source: &str,
        line_of: impl Fn(usize) -> usize,
    ) -> Suppressions {
        let mut lines = HashMap::new();
        for token in parsed.tokens().iter() {
            if token.kind() != TokenKind::Comment {
                continue;
            }
            let range = token.range();
            let text = &source[range.start().to_usize()..range.end().to_usize()];
            if let Some(mut found) = parse_comment(text) {
                found.comment = range.start().to_usize()..range.end().to_usize();
                lines.insert(line_of(range.start().to_usize()), found);
            }
        }
        Suppressions { lines }
    }

    /// The suppression on a line, if any.
    pub fn on_line(&self, line: usize) -> Option<&LineSuppression> {
        self.lines.get(&line)
    }

    /// Every line's suppression, by 1-based line number, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &LineSuppression)> {
        self.lines.iter().map(|(line, s)| (*line, s))
    }

    /// Whether there are none at all (the common case: skip the filtering).
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// Whether a line of a configuration file carries a `# noqa` comment covering `code`.
pub fn config_line_suppresses(line: &str, code: &str) -> bool {
    let Some(at) = line.find("# noqa").or_else(|| line.find("#noqa")) else {
        return false;
    };
    parse_comment(&line[at..]).is_some_and(|s| s.covers(code, &[]))
}

/// `source` with `  # noqa: CODE` ending the line a Python finding starts on, which
/// suppresses it (after any comment already there: markers are found anywhere in a
/// comment). `None` where no comment can go: the line ends inside a string or with a
/// backslash continuation, or the finding is in a notebook cell.
pub fn with_noqa(source: &str, finding: &crate::vocab::Finding) -> Option<String> {
    if finding.cell.is_some() {
        return None;
    }
    let at = finding.span.start_offset;
    let end = source
        .get(at..)?
        .find(['\n', '\r'])
        .map_or(source.len(), |i| at + i);
    let start = source[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    if source[start..end].trim_end().ends_with('\\') {
        return None;
    }
    let parsed = super::parse(source, super::Syntax::Python).ok()?;
    let split = parsed.tokens().iter().any(|t| {
        let range = t.range();
        range.start().to_usize() < end && range.end().to_usize() > end
    });
    if split {
        return None;
    }
    let mut out = String::with_capacity(source.len() + finding.code.len() + 12);
    out.push_str(&source[..end]);
    out.push_str("  # noqa: ");
    out.push_str(&finding.code);
    out.push_str(&source[end..]);
    Some(out)
}

/// Parses one comment. `# noqa` alone suppresses all; `# noqa: A, B` the named codes;
/// `# nosec` all, `# nosec B301 B602` those Bandit ids. Other text around is allowed
/// (`# type: ignore  # noqa: SCI201`).
pub fn parse_comment(comment: &str) -> Option<LineSuppression> {
    let lower = comment.to_ascii_lowercase();
    let mut result: Option<LineSuppression> = None;
    for (marker, needs_colon) in [("noqa", true), ("nosec", false)] {
        let mut search = 0;
        while let Some(found) = lower[search..].find(marker) {
            let start = search + found;
            search = start + marker.len();
            // The marker must start a word: `# noqa`, `#noqa`, `;noqa`.
            let before = lower[..start].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &comment[search..];
            // And end one: `# noqa_marker` is not a suppression.
            if rest
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                continue;
            }
            let entry = result.get_or_insert_with(LineSuppression::default);
            let codes_text = if needs_colon {
                match rest.trim_start().strip_prefix(':') {
                    Some(codes) => codes,
                    None => {
                        entry.all = true;
                        continue;
                    }
                }
            } else {
                rest
            };
            let codes: Vec<String> = codes_text
                .split(|c: char| c == ',' || c.is_whitespace())
                .map(str::trim)
                .take_while(|t| t.is_empty() || is_code_like(t))
                .filter(|t| !t.is_empty())
                .map(str::to_ascii_uppercase)
                .collect();
            if codes.is_empty() {
                entry.all = true;
            } else {
                entry.codes.extend(codes);
            }
        }
    }
    result
}

fn is_code_like(token: &str) -> bool {
    let letters = token.chars().take_while(char::is_ascii_alphabetic).count();
    letters > 0 && letters < token.len() && token[letters..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_spellings() {
        assert!(parse_comment("# noqa").unwrap().all);
        assert!(parse_comment("#NOQA").unwrap().all);
        let s = parse_comment("# noqa: SCI201, sci202").unwrap();
        assert!(!s.all);
        assert_eq!(s.codes, ["SCI201", "SCI202"]);
        let s = parse_comment("# nosec B301 - reviewed, file is ours").unwrap();
        assert_eq!(s.codes, ["B301"]);
        assert!(parse_comment("# nosec").unwrap().all);
        let s = parse_comment("# type: ignore  # noqa:SCI205").unwrap();
        assert_eq!(s.codes, ["SCI205"]);
    }

    #[test]
    fn ignores_lookalikes() {
        assert!(parse_comment("# see noqa_marker").is_none());
        assert!(parse_comment("# nothing to see").is_none());
        assert!(parse_comment("# annoqa").is_none());
    }

    #[test]
    fn covers_bandit_ids() {
        let s = parse_comment("# nosec B301").unwrap();
        assert!(s.covers("SCI201", &[&["B301".to_string()]]));
        let ruff = parse_comment("# noqa: S101").unwrap();
        assert!(ruff.covers("SCI225", &[&[], &["S101".to_string()]]));
        assert!(!ruff.covers("SCI224", &[&[], &["S105".to_string()]]));
        assert!(!s.covers("SCI202", &[]));
    }

    #[test]
    fn a_noqa_comment_added_to_the_line_suppresses_the_finding() {
        let settings = crate::settings::Settings::default();
        let codes = |text: &str| -> Vec<String> {
            crate::check("m.py", text, &settings)
                .findings
                .into_iter()
                .map(|f| f.code)
                .collect()
        };
        for text in [
            "import numpy as np\nx = np.load(p, allow_pickle=True)\n",
            "import numpy as np\nx = np.load(p, allow_pickle=True)  # a known file\n",
            "import numpy as np\nx = np.load(p, allow_pickle=True)  # noqa: SCI201\n",
            "import numpy as np\nx = np.load(p, allow_pickle=True)",
        ] {
            let report = crate::check("m.py", text, &settings);
            let finding = report
                .findings
                .iter()
                .find(|f| f.code == "SCI202")
                .expect("SCI202");
            let fixed = with_noqa(text, finding).expect("a comment fits");
            assert!(!codes(&fixed).contains(&"SCI202".to_string()), "{fixed}");
        }
        // A call whose first line ends inside a string, or continues with a backslash.
        for text in [
            "import numpy as np\nx = np.load(\"\"\"a\nb\"\"\", allow_pickle=True)\n",
            "import numpy as np\nx = np.load(p, \\\n    allow_pickle=True)\n",
        ] {
            let report = crate::check("m.py", text, &settings);
            let finding = report
                .findings
                .iter()
                .find(|f| f.code == "SCI202")
                .expect("SCI202");
            assert_eq!(with_noqa(text, finding), None, "{text}");
        }
    }
}
