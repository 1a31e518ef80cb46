//! The shared vocabulary of the pipeline: pillars, severities, positions, fixes and
//! findings. A leaf: it imports nothing from the rest of the crate, so every stage may
//! use it.

use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The code of the pseudo-rule that reports files sciguard could not read (syntax errors).
pub const SYNTAX_ERROR_CODE: &str = "SCI000";

/// The practice a rule protects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pillar {
    /// Explicit boundaries: one reason to change, no hidden shared state.
    Boundaries,
    /// Guardrails at edges: inputs, outputs and external calls are validated.
    Edges,
    /// Operational feedback: logs, metrics and warnings explain behaviour.
    Feedback,
    /// Failure planning: timeouts, bounded retries, no swallowed errors.
    Failure,
}

impl Pillar {
    /// All pillars, in the order the playbook presents them.
    pub const ALL: [Pillar; 4] = [
        Pillar::Boundaries,
        Pillar::Edges,
        Pillar::Feedback,
        Pillar::Failure,
    ];

    /// The key used in pages, selectors and JSON (`edges`).
    pub fn key(self) -> &'static str {
        match self {
            Pillar::Boundaries => "boundaries",
            Pillar::Edges => "edges",
            Pillar::Feedback => "feedback",
            Pillar::Failure => "failure",
        }
    }

    /// The human title (`Guardrails at edges`).
    pub fn title(self) -> &'static str {
        match self {
            Pillar::Boundaries => "Explicit boundaries",
            Pillar::Edges => "Guardrails at edges",
            Pillar::Feedback => "Operational feedback",
            Pillar::Failure => "Failure planning",
        }
    }

    /// Parses a pillar key.
    pub fn from_key(key: &str) -> Option<Pillar> {
        Pillar::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// How urgent a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; no action needed on its own.
    Info,
    /// Hygiene.
    Low,
    /// Missing timeouts, disabled TLS, secrets.
    Medium,
    /// Code execution and known-vulnerable pins.
    High,
}

impl Severity {
    /// The key used in pages and JSON (`high`).
    pub fn key(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    /// Parses a severity key.
    pub fn from_key(key: &str) -> Option<Severity> {
        [
            Severity::Info,
            Severity::Low,
            Severity::Medium,
            Severity::High,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.key())
    }
}

/// A position in the source: 1-based row, 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    /// 1-based line number.
    pub row: usize,
    /// 1-based column, in Unicode scalar values.
    pub column: usize,
}

/// A range of source text, with byte offsets kept for editors and fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// Where the range starts.
    pub start: Location,
    /// Where the range ends (exclusive).
    pub end: Location,
    /// Byte offset of the start.
    pub start_offset: usize,
    /// Byte offset of the end.
    pub end_offset: usize,
}

impl fmt::Display for Span {
    /// `row:column-row:column`, 1-based.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}-{}:{}",
            self.start.row, self.start.column, self.end.row, self.end.column
        )
    }
}

/// Whether applying a fix keeps behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Behaviour-preserving.
    Safe,
    /// Changes behaviour; offered for review.
    Unsafe,
}

/// One text replacement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// The replacement text.
    pub content: String,
    /// The range it replaces.
    pub span: Span,
}

/// A suggested change that resolves a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Whether the change keeps behaviour.
    pub applicability: Applicability,
    /// What the change does, for a person.
    pub message: String,
    /// The edits, non-overlapping, in source order.
    pub edits: Vec<Edit>,
}

/// One problem found in one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule code (`SCI202`).
    pub code: String,
    /// The rule name (`numpy-load-allow-pickle`).
    pub name: String,
    /// The pillar the rule serves.
    pub pillar: Pillar,
    /// How urgent it is.
    pub severity: Severity,
    /// What is wrong here, in one sentence.
    pub message: String,
    /// Where.
    pub span: Span,
    /// A suggested change, when one can be made mechanically.
    pub fix: Option<Fix>,
    /// In a notebook: the 1-based cell number (rows are then lines within the cell).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<usize>,
}

impl Finding {
    /// Whether this is an error in the code that Python reports too (SCI000 at its own
    /// severity), rather than a note that sciguard stopped at a limit of its own (SCI000
    /// at info severity: nesting too deep to walk, more syntax errors than it shows).
    pub fn is_syntax_error(&self) -> bool {
        self.code == SYNTAX_ERROR_CODE && self.severity != Severity::Info
    }
}

/// Everything sciguard has to say about one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    /// The path as the user gave it (or a label for pasted text).
    pub filename: String,
    /// Findings, ordered by position then code.
    pub findings: Vec<Finding>,
    /// The file's text, kept for excerpts in human output.
    #[serde(skip)]
    pub source: String,
    /// Where and why sciguard stopped short of checking all of the file (code nested past
    /// its limits or past what Python compiles): `None` when it checked every line. Such
    /// a report is never a clean result, whatever its findings say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unchecked: Option<String>,
}

/// Where an organisation publishes the site's rule pages: an http(s) URL or a path
/// relative to where the output is read. Rule links are `<base>#/rules/<CODE>`, the site's
/// route. There is no default: sciguard has no address of its own to link to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocsUrl {
    /// The base as given, with a `/` added when it names a folder without one.
    base: String,
    /// Whether it has a scheme (`https://…`) rather than being a relative path.
    absolute: bool,
}

/// A docs base that is neither an http(s) URL nor a relative path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{url}` is not a usable docs URL: {reason}")]
pub struct DocsUrlError {
    /// The text given.
    pub url: String,
    /// What is wrong with it.
    pub reason: String,
}

impl DocsUrl {
    /// Parses a docs base: `https://wiki.example.org/sciguard/`, `http://…`, or a relative
    /// path such as `../sciguard/` or `/tools/sciguard/index.html`.
    pub fn parse(text: &str) -> Result<DocsUrl, DocsUrlError> {
        let fail = |reason: &str| DocsUrlError {
            url: text.to_string(),
            reason: reason.to_string(),
        };
        let url = text.trim();
        if url.is_empty() {
            return Err(fail("it is empty"));
        }
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(fail("it contains spaces or control characters"));
        }
        if url.contains('\\') {
            return Err(fail("it contains `\\`; URLs and paths use `/`"));
        }
        if url.contains('#') {
            return Err(fail(
                "it contains `#`; give the site's address, the route `#/rules/CODE` is added to it",
            ));
        }
        if url.starts_with("//") {
            return Err(fail("give the scheme too (`https://…`)"));
        }
        let scheme_end = url
            .find(':')
            .filter(|&i| {
                url[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            })
            .filter(|&i| url[..i].starts_with(|c: char| c.is_ascii_alphabetic()));
        let (absolute, path_start) = match scheme_end {
            None => (false, 0),
            Some(i) => {
                let scheme = url[..i].to_ascii_lowercase();
                if scheme != "http" && scheme != "https" {
                    return Err(fail(&format!(
                        "`{scheme}:` is not http or https; use an http(s) URL or a relative path"
                    )));
                }
                let rest = url[i + 1..]
                    .strip_prefix("//")
                    .ok_or_else(|| fail(&format!("expected `{scheme}://` and a host")))?;
                let host_len = rest.find(['/', '?']).unwrap_or(rest.len());
                if host_len == 0 {
                    return Err(fail("it has no host"));
                }
                (true, i + 3 + host_len)
            }
        };
        let mut base = url.to_string();
        if names_folder(&url[path_start..]) {
            base.push('/');
        }
        Ok(DocsUrl { base, absolute })
    }

    /// The address of a rule's page: `<base>#/rules/<CODE>`.
    pub fn rule_url(&self, code: &str) -> String {
        format!("{}#/rules/{code}", self.base)
    }

    /// The base, with the `/` that a folder gets.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// Whether the base is an http(s) URL (SARIF's `helpUri` must be absolute).
    pub fn is_absolute(&self) -> bool {
        self.absolute
    }
}

/// Whether the path of a docs base names a folder lacking its final `/` (`/sciguard`, or
/// nothing after the host), rather than a file (`index.html`) or a query (`?page=x`).
fn names_folder(path: &str) -> bool {
    if path.contains('?') || path.ends_with('/') {
        return false;
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    last.is_empty() || last == "." || last == ".." || !last.contains('.')
}

/// Byte offsets to 1-based rows and character columns, for one text.
pub(crate) struct Positions<'a> {
    pub(crate) source: &'a str,
    index: LineIndex,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(source: &'a str) -> Positions<'a> {
        Positions {
            source,
            index: LineIndex::from_source_text(source),
        }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> usize {
        let offset = TextSize::try_from(offset.min(self.source.len())).unwrap_or_default();
        self.index.line_index(offset).get()
    }

    fn location(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let row = self.line(offset);
        let start = self.index.line_starts()[row - 1].to_usize();
        Location {
            row,
            column: self.source[start..offset].chars().count() + 1,
        }
    }

    /// The span of a byte range.
    pub(crate) fn span(&self, range: TextRange) -> Span {
        Span {
            start: self.location(range.start().to_usize()),
            end: self.location(range.end().to_usize()),
            start_offset: range.start().to_usize(),
            end_offset: range.end().to_usize(),
        }
    }
}
