//! A rule page: `+++` TOML front matter (metadata, policies), then the Markdown that
//! documents the rule. The same format serves built-in pages and organisation pages.

use super::policy::{Policy, PolicyError};
use super::registry::implementation_of;
use crate::vocab::{DocsUrl, Pillar, Severity};
use serde::{Deserialize, Serialize};

/// A rule's metadata and documentation, from its page.
#[derive(Clone, Debug)]
pub struct Rule {
    /// `SCI202`.
    pub code: String,
    /// `numpy-load-allow-pickle`.
    pub name: String,
    /// The pillar it serves.
    pub pillar: Pillar,
    /// Default severity of its findings.
    pub severity: Severity,
    /// One line: what the rule reports.
    pub summary: String,
    /// Nearest Bandit test ids (`B301`).
    pub bandit: Vec<String>,
    /// Nearest Ruff codes (`S301`).
    pub ruff: Vec<String>,
    /// Whether test files are exempt by default.
    pub exempt_in_tests: bool,
    /// Whether it runs only when selected by its code or name: its precision on real
    /// code is below the bar for rules that run by default.
    pub opt_in: bool,
    /// The checklist family whose pull-request line covers it (`deserialization`).
    pub family: Option<String>,
    /// Rules whose finding on the same code this rule's finding includes (`app.run(host=
    /// "0.0.0.0", debug=True)`: a debugger open to the network is one finding, SCI510's).
    pub subsumes: Vec<String>,
    /// Whether the page's example is the Learn page's exercise for its pillar: the
    /// reader fixes the example until this rule no longer fires.
    pub exercise: bool,
    /// Declarative policies from the page (empty for pure Rust rules).
    pub policies: Vec<Policy>,
    /// The page's Markdown body (what, why, example, instead, references).
    pub body: String,
    /// The page's file name (`SCI202-numpy-load-allow-pickle.md`).
    pub page: String,
}

impl Rule {
    /// How the rule is implemented, for listings.
    pub fn implementation(&self) -> &'static str {
        let rust = implementation_of(&self.code);
        match (self.policies.is_empty(), rust) {
            (false, false) => "declarative",
            (true, true) => "rust",
            (false, true) => "declarative+rust",
            (true, false) => "none",
        }
    }

    /// The text of one `## Heading` section of the page body (without the heading).
    pub fn section(&self, heading: &str) -> Option<&str> {
        let body = &self.body;
        let start = body.find(&format!("## {heading}"))?;
        let rest = &body[start..];
        let after = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let end = rest[after..]
            .find("\n## ")
            .map_or(rest.len(), |i| after + i);
        Some(rest[after..end].trim())
    }

    /// The first fenced block of a section: its info string (`requirements`, `ini pip.conf`)
    /// and its text.
    pub fn code_block(&self, heading: &str) -> Option<(&str, &str)> {
        let text = self.section(heading)?;
        let start = text.find("```")? + 3;
        let info_end = start + text[start..].find('\n')?;
        let body = info_end + 1;
        let end = body + text[body..].find("```")?;
        Some((text[start..info_end].trim(), &text[body..end]))
    }

    /// The first fenced block of a section as a file: the name its info string implies
    /// (`requirements` is `requirements.txt`, `ini pip.conf` is `pip.conf`, `python` is
    /// `example.py`) and its text.
    pub fn example_file(&self, heading: &str) -> Option<(&str, &str)> {
        let (info, text) = self.code_block(heading)?;
        let mut words = info.split_whitespace();
        let lang = words.next().unwrap_or("python");
        let name = words.next().unwrap_or(match lang {
            "requirements" => "requirements.txt",
            "toml" => "pyproject.toml",
            "ini" => "setup.cfg",
            "yaml" => "config.yaml",
            "env" => ".env",
            _ => "example.py",
        });
        Some((name, text))
    }

    /// The rule's line in a catalog (`sciguard rules --output-format json`, the JS
    /// package's `rules()`), with a link to its page when there is a docs base.
    pub fn catalog_entry(&self, docs: Option<&DocsUrl>) -> CatalogEntry<'_> {
        CatalogEntry {
            bandit: &self.bandit,
            code: &self.code,
            implementation: self.implementation(),
            name: &self.name,
            pillar: self.pillar,
            ruff: &self.ruff,
            severity: self.severity,
            summary: &self.summary,
            url: docs.map(|d| d.rule_url(&self.code)),
        }
    }

    /// The whole page as Markdown, headed by its metadata.
    pub fn render_markdown(&self) -> String {
        let mut out = format!(
            "# {} {}\n\n{}\n\n- Pillar: {} (`{}`)\n- Severity: {}\n",
            self.code,
            self.name,
            self.summary,
            self.pillar.title(),
            self.pillar.key(),
            self.severity
        );
        if !self.bandit.is_empty() {
            out.push_str(&format!("- Bandit: {}\n", self.bandit.join(", ")));
        }
        if !self.ruff.is_empty() {
            out.push_str(&format!("- Ruff: {}\n", self.ruff.join(", ")));
        }
        if self.exempt_in_tests {
            out.push_str("- Not reported in test files by default\n");
        }
        if self.opt_in {
            out.push_str("- Off by default: select it by its code or name (`select = [\"");
            out.push_str(&self.code);
            out.push_str("\"]`)\n");
        }
        out.push('\n');
        out.push_str(self.body.trim());
        out.push('\n');
        out
    }
}

/// A rule as a catalog lists it. Fields are in name order, the order the CLI has always
/// printed them in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CatalogEntry<'a> {
    /// Equivalent Bandit ids.
    pub bandit: &'a [String],
    /// The code (`SCI202`).
    pub code: &'a str,
    /// `declarative`, `rust`, `declarative+rust`.
    pub implementation: &'static str,
    /// The name (`numpy-load-allow-pickle`).
    pub name: &'a str,
    /// The pillar it serves.
    pub pillar: Pillar,
    /// Equivalent Ruff codes.
    pub ruff: &'a [String],
    /// How urgent its findings are.
    pub severity: Severity,
    /// One sentence.
    pub summary: &'a str,
    /// Its page under the docs base, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// What went wrong reading a rule page.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The page does not start with a `+++` front matter block.
    #[error("{page}: the page must start with a `+++` line, then TOML metadata, then `+++`")]
    MissingFrontMatter {
        /// The page's file name.
        page: String,
    },
    /// The front matter is not valid TOML or lacks a field.
    #[error("{page}:{line}: {message}")]
    BadFrontMatter {
        /// The page's file name.
        page: String,
        /// The 1-based line of the page the problem is on.
        line: usize,
        /// What is wrong, naming the field.
        message: String,
    },
    /// A policy in the page is malformed.
    #[error("{page}:{line}: {source}")]
    Policy {
        /// The page's file name.
        page: String,
        /// The 1-based line of the policy's `[[policy]]` header.
        line: usize,
        /// What is wrong with the policy.
        source: PolicyError,
    },
    /// Two pages declare the same code or name.
    #[error("{page}: `{what}` is already declared by {other}")]
    Duplicate {
        /// The page's file name.
        page: String,
        /// The repeated code or name.
        what: String,
        /// The page that declared it first.
        other: String,
    },
}

impl PageError {
    /// The file the error is in.
    pub fn file(&self) -> &str {
        match self {
            PageError::MissingFrontMatter { page }
            | PageError::BadFrontMatter { page, .. }
            | PageError::Policy { page, .. }
            | PageError::Duplicate { page, .. } => page,
        }
    }

    /// The 1-based line it is on, when it is on one.
    pub fn line(&self) -> Option<usize> {
        match self {
            PageError::BadFrontMatter { line, .. } | PageError::Policy { line, .. } => Some(*line),
            PageError::MissingFrontMatter { .. } | PageError::Duplicate { .. } => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FrontMatter {
    code: String,
    name: String,
    pillar: String,
    severity: String,
    summary: String,
    #[serde(default)]
    bandit: Vec<String>,
    #[serde(default)]
    ruff: Vec<String>,
    #[serde(default)]
    exempt_in_tests: bool,
    #[serde(default)]
    opt_in: bool,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    subsumes: Vec<String>,
    #[serde(default)]
    exercise: bool,
    #[serde(default)]
    policy: Vec<toml::Value>,
}

/// Where a rule page comes from, which decides its code range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The playbook built into sciguard: `SCI` codes.
    Builtin,
    /// An organisation's own policy file, loaded at run time: `ORG` codes, policies only.
    Organisation,
}

/// Parses one rule page of the built-in playbook (`+++` TOML front matter, then Markdown).
pub fn parse_page(page: &str, text: &str) -> Result<Rule, PageError> {
    parse_page_as(page, text, Origin::Builtin)
}

/// Parses an organisation's policy file: the same format as a rule page, with an `ORG`
/// code and at least one `[[policy]]`.
pub fn parse_organisation_page(page: &str, text: &str) -> Result<Rule, PageError> {
    parse_page_as(page, text, Origin::Organisation)
}

/// The byte offset of the line that sets `key` in front matter (0 when none does).
fn key_offset(meta: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in meta.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return offset;
        }
        offset += line.len();
    }
    0
}

/// The byte offset of the `n`-th (0-based) occurrence of `needle` (0 when there is none).
fn nth_offset(text: &str, needle: &str, n: usize) -> usize {
    text.match_indices(needle).nth(n).map_or(0, |(i, _)| i)
}

fn parse_page_as(page: &str, text: &str, origin: Origin) -> Result<Rule, PageError> {
    let missing = || PageError::MissingFrontMatter {
        page: page.to_string(),
    };
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
        .ok_or_else(missing)?;
    let end = rest.find("\n+++").ok_or_else(missing)?;
    let (meta, body) = (&rest[..end], &rest[end + 4..]);
    // The front matter starts on the page's second line.
    let line_at = |offset: usize| 2 + meta[..offset.min(meta.len())].matches('\n').count();
    let bad = |line: usize, message: String| PageError::BadFrontMatter {
        page: page.to_string(),
        line,
        message,
    };
    let front: FrontMatter = toml::from_str(meta).map_err(|e| {
        let line = e.span().map_or(2, |span| line_at(span.start));
        bad(line, e.message().trim_end().to_string())
    })?;
    let field = |key: &str| line_at(key_offset(meta, key));
    let pillar = Pillar::from_key(&front.pillar).ok_or_else(|| {
        bad(
            field("pillar"),
            format!(
                "`pillar`: `{}` is not one of boundaries, edges, feedback, failure",
                front.pillar
            ),
        )
    })?;
    let severity = Severity::from_key(&front.severity).ok_or_else(|| {
        bad(
            field("severity"),
            format!(
                "`severity`: `{}` is not one of info, low, medium, high",
                front.severity
            ),
        )
    })?;
    match origin {
        Origin::Builtin if !is_rule_code(&front.code) => {
            return Err(bad(
                field("code"),
                format!(
                    "`code`: `{}` must be SCI followed by three digits",
                    front.code
                ),
            ));
        }
        Origin::Organisation if !is_organisation_code(&front.code) => {
            return Err(bad(
                field("code"),
                format!(
                    "`code`: `{}` must be ORG followed by one to six digits (the range reserved for organisation policies)",
                    front.code
                ),
            ));
        }
        _ => {}
    }
    if origin == Origin::Organisation && front.policy.is_empty() {
        return Err(bad(
            field("code"),
            "an organisation policy needs at least one `[[policy]]` table: it has no Rust implementation".to_string(),
        ));
    }
    let policies = front
        .policy
        .iter()
        .enumerate()
        .map(|(index, value)| Policy::from_toml(value, index))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| PageError::Policy {
            page: page.to_string(),
            line: line_at(nth_offset(
                meta,
                "[[policy]]",
                source.index.saturating_sub(1),
            )),
            source,
        })?;
    Ok(Rule {
        code: front.code,
        name: front.name,
        pillar,
        severity,
        summary: front.summary,
        bandit: front.bandit,
        ruff: front.ruff,
        exempt_in_tests: front.exempt_in_tests,
        opt_in: front.opt_in,
        family: front.family,
        subsumes: front.subsumes,
        exercise: front.exercise,
        policies,
        body: body.trim_start_matches(['\r', '\n']).to_string(),
        page: page.to_string(),
    })
}

pub(crate) fn is_rule_code(code: &str) -> bool {
    code.len() == 6 && code.starts_with("SCI") && code[3..].bytes().all(|b| b.is_ascii_digit())
}

/// `ORG1` to `ORG999999`: the range reserved for organisation policies.
pub(crate) fn is_organisation_code(code: &str) -> bool {
    code.strip_prefix("ORG").is_some_and(|digits| {
        (1..=6).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}
