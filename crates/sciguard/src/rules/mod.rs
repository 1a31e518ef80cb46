//! The rule registry: metadata and policies read from the playbook's rule pages,
//! plus the list of rules implemented in Rust.

pub mod boundaries;
pub mod checker;
pub mod config;
pub mod edges;
pub mod failure;
pub mod feedback;
pub mod policy;

use crate::report::{Pillar, Severity};
use policy::{CompiledPolicies, Policy, PolicyError};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The code of the pseudo-rule that reports syntax errors.
pub const SYNTAX_ERROR_CODE: &str = "SCI000";

/// The rule pages under `playbooks/rules/`, embedded at build time.
pub static EMBEDDED_PAGES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/pages.rs"));

/// Index of a rule in a [`Registry`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub u16);

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
        let rust = RustRule::from_code(&self.code).is_some()
            || config::CODES.contains(&self.code.as_str());
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
        out.push('\n');
        out.push_str(self.body.trim());
        out.push('\n');
        out
    }
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
    #[error("{page}: {message}")]
    BadFrontMatter {
        /// The page's file name.
        page: String,
        /// What is wrong.
        message: String,
    },
    /// A policy in the page is malformed.
    #[error("{page}: {source}")]
    Policy {
        /// The page's file name.
        page: String,
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
    policy: Vec<toml::Value>,
}

/// Parses one rule page (`+++` TOML front matter, then Markdown).
pub fn parse_page(page: &str, text: &str) -> Result<Rule, PageError> {
    let missing = || PageError::MissingFrontMatter {
        page: page.to_string(),
    };
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
        .ok_or_else(missing)?;
    let end = rest.find("\n+++").ok_or_else(missing)?;
    let (meta, body) = (&rest[..end], &rest[end + 4..]);
    let bad = |message: String| PageError::BadFrontMatter {
        page: page.to_string(),
        message,
    };
    let front: FrontMatter = toml::from_str(meta).map_err(|e| bad(e.message().to_string()))?;
    let pillar = Pillar::from_key(&front.pillar).ok_or_else(|| {
        bad(format!(
            "pillar `{}` is not one of boundaries, edges, feedback, failure",
            front.pillar
        ))
    })?;
    let severity = Severity::from_key(&front.severity).ok_or_else(|| {
        bad(format!(
            "severity `{}` is not one of info, low, medium, high",
            front.severity
        ))
    })?;
    if !is_rule_code(&front.code) {
        return Err(bad(format!(
            "code `{}` must be SCI followed by three digits",
            front.code
        )));
    }
    let policies = front
        .policy
        .iter()
        .enumerate()
        .map(|(index, value)| Policy::from_toml(value, index))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| PageError::Policy {
            page: page.to_string(),
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
        policies,
        body: body.trim_start_matches(['\r', '\n']).to_string(),
        page: page.to_string(),
    })
}

fn is_rule_code(code: &str) -> bool {
    code.len() == 6 && code.starts_with("SCI") && code[3..].bytes().all(|b| b.is_ascii_digit())
}

/// All rules known to a run: the embedded pages plus any organisation pages.
#[derive(Debug)]
pub struct Registry {
    rules: Vec<Rule>,
    /// Rule ids in code order, computed once.
    order: Vec<RuleId>,
    by_code: HashMap<String, RuleId>,
    by_name: HashMap<String, RuleId>,
    rust: [Option<RuleId>; RustRule::ALL.len()],
    policies: CompiledPolicies,
}

impl Registry {
    /// Builds a registry from pages given as (file name, text).
    pub fn from_pages<'a>(
        pages: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Registry, PageError> {
        let mut rules: Vec<Rule> = Vec::new();
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for (page, text) in pages {
            let rule = parse_page(page, text)?;
            let id = RuleId(rules.len() as u16);
            for (map, key) in [(&mut by_code, &rule.code), (&mut by_name, &rule.name)] {
                if let Some(other) = map.insert(key.clone(), id) {
                    return Err(PageError::Duplicate {
                        page: page.to_string(),
                        what: key.clone(),
                        other: rules[other.0 as usize].page.clone(),
                    });
                }
            }
            rules.push(rule);
        }
        let mut rust = [None; RustRule::ALL.len()];
        for (slot, rule) in rust.iter_mut().zip(RustRule::ALL) {
            *slot = by_code.get(rule.code()).copied();
        }
        let mut order: Vec<RuleId> = (0..rules.len() as u16).map(RuleId).collect();
        order.sort_by(|a, b| rules[a.0 as usize].code.cmp(&rules[b.0 as usize].code));
        let policies = CompiledPolicies::compile(
            rules
                .iter()
                .enumerate()
                .map(|(i, r)| (RuleId(i as u16), r.policies.as_slice())),
        );
        Ok(Registry {
            rules,
            order,
            by_code,
            by_name,
            rust,
            policies,
        })
    }

    /// The registry of the pages built into this binary, parsed once per process.
    pub fn builtin() -> &'static Registry {
        static BUILTIN: OnceLock<Registry> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Registry::from_pages(EMBEDDED_PAGES.iter().copied())
                // The embedded pages are checked by the test suite; a failure here is a build defect.
                .unwrap_or_else(|e| panic!("embedded rule page is invalid: {e}"))
        })
    }

    /// All rules, in code order.
    pub fn rules(&self) -> impl Iterator<Item = (RuleId, &Rule)> {
        self.order.iter().map(|id| (*id, self.rule(*id)))
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the registry holds no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// A rule by id.
    pub fn rule(&self, id: RuleId) -> &Rule {
        &self.rules[id.0 as usize]
    }

    /// A rule by code (`SCI202`) or name (`numpy-load-allow-pickle`), case-insensitively for codes.
    pub fn find(&self, key: &str) -> Option<RuleId> {
        self.by_code
            .get(&key.to_ascii_uppercase())
            .or_else(|| self.by_name.get(key))
            .copied()
    }

    /// The id of a Rust rule, when its page is registered.
    pub fn rust_rule(&self, rule: RustRule) -> Option<RuleId> {
        self.rust[rule as usize]
    }

    /// The compiled declarative policies.
    pub fn policies(&self) -> &CompiledPolicies {
        &self.policies
    }
}

/// Rules implemented in Rust, one file each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RustRule {
    /// SCI000, reported by the parser.
    SyntaxError,
    /// SCI104.
    MutableDefaultArgument,
    /// SCI106.
    StarImport,
    /// SCI224.
    HardcodedSecret,
    /// SCI225.
    AssertForValidation,
    /// SCI229 (string paths; `mktemp` is declarative).
    InsecureTempFile,
    /// SCI303 (`errstate` blocks; `seterr` is declarative).
    NumpyErrorsIgnored,
    /// SCI404.
    UnboundedRetryLoop,
    /// SCI405.
    SwallowedException,
}

impl RustRule {
    /// Every Rust rule.
    pub const ALL: [RustRule; 9] = [
        RustRule::SyntaxError,
        RustRule::MutableDefaultArgument,
        RustRule::StarImport,
        RustRule::HardcodedSecret,
        RustRule::AssertForValidation,
        RustRule::InsecureTempFile,
        RustRule::NumpyErrorsIgnored,
        RustRule::UnboundedRetryLoop,
        RustRule::SwallowedException,
    ];

    /// The rule's code.
    pub fn code(self) -> &'static str {
        match self {
            RustRule::SyntaxError => SYNTAX_ERROR_CODE,
            RustRule::MutableDefaultArgument => boundaries::mutable_default_argument::CODE,
            RustRule::StarImport => boundaries::star_import::CODE,
            RustRule::HardcodedSecret => edges::hardcoded_secret::CODE,
            RustRule::AssertForValidation => edges::assert_for_validation::CODE,
            RustRule::InsecureTempFile => edges::insecure_temp_file::CODE,
            RustRule::NumpyErrorsIgnored => feedback::numpy_errors_ignored::CODE,
            RustRule::UnboundedRetryLoop => failure::unbounded_retry_loop::CODE,
            RustRule::SwallowedException => failure::swallowed_exception::CODE,
        }
    }

    /// The Rust rule with this code.
    pub fn from_code(code: &str) -> Option<RustRule> {
        RustRule::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl FromIterator<RuleId> for RuleSet {
    fn from_iter<I: IntoIterator<Item = RuleId>>(ids: I) -> RuleSet {
        let mut set = RuleSet::default();
        ids.into_iter().for_each(|id| set.insert(id));
        set
    }
}

/// A set of enabled rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSet {
    bits: Vec<u64>,
}

impl RuleSet {
    /// Every rule of the registry.
    pub fn all(registry: &Registry) -> RuleSet {
        registry.rules().map(|(id, _)| id).collect()
    }

    /// Adds a rule.
    pub fn insert(&mut self, id: RuleId) {
        let (word, bit) = (id.0 as usize / 64, id.0 % 64);
        if self.bits.len() <= word {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= 1 << bit;
    }

    /// Whether a rule is in the set.
    pub fn contains(&self, id: RuleId) -> bool {
        self.bits
            .get(id.0 as usize / 64)
            .is_some_and(|word| word & (1 << (id.0 % 64)) != 0)
    }

    /// The rules in the set.
    pub fn iter(&self) -> impl Iterator<Item = RuleId> + '_ {
        (0..self.bits.len() * 64)
            .map(|i| RuleId(i as u16))
            .filter(|id| self.contains(*id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_examples_of_a_page() {
        let page = "+++\ncode = \"SCI901\"\nname = \"x\"\npillar = \"edges\"\nseverity = \"high\"\nsummary = \"s\"\n+++\n## Example\n\n```python\nx = 1\n```\n\n## Use instead\n\nText\n";
        let rule = parse_page("SCI901-x.md", page).unwrap();
        assert_eq!(rule.code_block("Example"), Some(("python", "x = 1\n")));
        assert_eq!(
            rule.example_file("Example"),
            Some(("example.py", "x = 1\n"))
        );
        assert_eq!(rule.section("Use instead"), Some("Text"));
        assert_eq!(rule.section("References"), None);
    }

    #[test]
    fn rules_come_in_code_order() {
        let codes: Vec<&str> = Registry::builtin()
            .rules()
            .map(|(_, r)| r.code.as_str())
            .collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
    }
}
