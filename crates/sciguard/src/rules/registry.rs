//! The registry: every rule of a run, from its page, with the Rust implementations
//! registered in `rules/mod.rs` attached by code.

use super::page::{parse_organisation_page, parse_page, PageError, Rule};
use super::policy::CompiledPolicies;
use super::{config_rule_codes, PYTHON_RULE_CODES};
use crate::vocab::SYNTAX_ERROR_CODE;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The rule pages under `playbooks/rules/`, embedded at build time.
pub static EMBEDDED_PAGES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/pages.rs"));

/// Whether a code has a Rust implementation (a Python or a configuration rule).
pub(crate) fn implementation_of(code: &str) -> bool {
    // Syntax errors are reported by the pipeline itself.
    code == SYNTAX_ERROR_CODE
        || PYTHON_RULE_CODES.contains(&code)
        || config_rule_codes().any(|c| c == code)
}

/// Index of a rule in a [`Registry`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub u16);

/// All rules known to a run: the embedded pages plus any organisation pages.
#[derive(Debug)]
pub struct Registry {
    rules: Vec<Rule>,
    /// Rule ids in code order, computed once.
    order: Vec<RuleId>,
    by_code: HashMap<String, RuleId>,
    by_name: HashMap<String, RuleId>,
    /// The id of each registered Python rule, in registration order.
    python_rules: Vec<Option<RuleId>>,
    policies: CompiledPolicies,
}

impl Registry {
    /// Builds a registry from pages given as (file name, text).
    pub fn from_pages<'a>(
        pages: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Registry, PageError> {
        let mut rules: Vec<Rule> = Vec::new();
        for (page, text) in pages {
            let rule = parse_page(page, text)?;
            if let Some(error) = duplicate(&rules, &rule) {
                return Err(error);
            }
            rules.push(rule);
        }
        Ok(Registry::from_rules(rules))
    }

    /// The built-in rules plus an organisation's policy files, given as (file name,
    /// text). Each file is read on its own: one that is invalid, or that reuses a code or
    /// name already taken (a policy cannot shadow a built-in rule), is left out with its
    /// error, and the others still load.
    pub fn with_organisation<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Registry, Vec<PageError>) {
        let mut rules: Vec<Rule> = Registry::builtin().rules.clone();
        let mut errors = Vec::new();
        for (file, text) in files {
            match parse_organisation_page(file, text) {
                Ok(rule) => match duplicate(&rules, &rule) {
                    Some(error) => errors.push(error),
                    None => rules.push(rule),
                },
                Err(error) => errors.push(error),
            }
        }
        (Registry::from_rules(rules), errors)
    }

    /// Indexes rules whose codes and names are known to be unique.
    fn from_rules(rules: Vec<Rule>) -> Registry {
        let by_code: HashMap<String, RuleId> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code.clone(), RuleId(i as u16)))
            .collect();
        let by_name: HashMap<String, RuleId> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.name.clone(), RuleId(i as u16)))
            .collect();
        let python_rules = PYTHON_RULE_CODES
            .iter()
            .map(|code| by_code.get(*code).copied())
            .collect();
        let mut order: Vec<RuleId> = (0..rules.len() as u16).map(RuleId).collect();
        order.sort_by(|a, b| rules[a.0 as usize].code.cmp(&rules[b.0 as usize].code));
        let policies = CompiledPolicies::compile(
            rules
                .iter()
                .enumerate()
                .map(|(i, r)| (RuleId(i as u16), r.policies.as_slice())),
        );
        Registry {
            rules,
            order,
            by_code,
            by_name,
            python_rules,
            policies,
        }
    }

    /// Whether the registry holds rules beyond the built-in ones.
    pub fn has_organisation_rules(&self) -> bool {
        self.rules.iter().any(|r| r.code.starts_with("ORG"))
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

    /// The ids of the registered Python rules, in registration order (`None` where a
    /// rule's page is missing).
    pub(crate) fn python_rules(&self) -> &[Option<RuleId>] {
        &self.python_rules
    }

    /// The compiled declarative policies.
    pub fn policies(&self) -> &CompiledPolicies {
        &self.policies
    }
}

/// The error for a rule whose code or name another rule already has.
fn duplicate(rules: &[Rule], rule: &Rule) -> Option<PageError> {
    rules
        .iter()
        .find_map(|other| {
            if other.code == rule.code {
                Some((&rule.code, other))
            } else if other.name == rule.name {
                Some((&rule.name, other))
            } else {
                None
            }
        })
        .map(|(what, other)| PageError::Duplicate {
            page: rule.page.clone(),
            what: what.clone(),
            other: other.page.clone(),
        })
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
