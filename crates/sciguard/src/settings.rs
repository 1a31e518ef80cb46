//! `[tool.sciguard]` in `pyproject.toml`: which rules run on which files.
//!
//! ```toml
//! [tool.sciguard]
//! select = ["edges", "SCI4"]          # pillars, code prefixes or rule names; default: all
//! ignore = ["SCI225"]
//! per-file-ignores = { "scripts/*.py" = ["SCI301"] }
//! exclude = ["build/", "vendor/**"]
//! docs-url = "https://wiki.example.org/sciguard/"   # where rule links point; default: none
//! severity = "medium"                # leave out less severe findings; default: all
//! ```

use crate::rules::{Registry, RuleSet};
use crate::vocab::{DocsUrl, Pillar, Severity};

/// Rules a check of whole files (the CLI's `check`, the JS package's `check`) runs on
/// top of the selection: SCI311, a suppression that suppressed nothing. The site leaves
/// it out, as pasted snippets lack the context their suppressions were written for;
/// `ignore` still turns it off.
pub const CHECK_DEFAULTS: &[&str] = &["unused-noqa"];

/// A malformed `[tool.sciguard]` table, naming the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("[tool.sciguard] `{key}`: {message}")]
pub struct SettingsError {
    /// The offending key (`select`, `per-file-ignores."tests/*"`).
    pub key: String,
    /// What is wrong.
    pub message: String,
}

/// Which rules a selector names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    /// `ALL`.
    All,
    /// A pillar key (`edges`).
    Pillar(Pillar),
    /// A code or code prefix (`SCI2`, `SCI201`, `ORG` for every organisation policy).
    Prefix(String),
    /// A rule name (`pickle-deserialization`).
    Name(String),
}

impl Selector {
    /// Parses a selector, checking that it names at least one rule.
    pub fn parse(text: &str, registry: &Registry) -> Result<Selector, String> {
        let trimmed = text.trim();
        let selector = if trimmed.eq_ignore_ascii_case("all") {
            Selector::All
        } else if let Some(pillar) = Pillar::from_key(&trimmed.to_ascii_lowercase()) {
            Selector::Pillar(pillar)
        } else if trimmed
            .get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case("SCI") || p.eq_ignore_ascii_case("ORG"))
        {
            Selector::Prefix(trimmed.to_ascii_uppercase())
        } else {
            Selector::Name(trimmed.to_string())
        };
        if registry.rules().any(|(_, rule)| selector.matches(rule)) {
            Ok(selector)
        } else {
            Err(format!(
                "`{trimmed}` matches no rule (use a code such as SCI201, a prefix such as SCI2, a rule name, a pillar or ALL)"
            ))
        }
    }

    /// Parses a list of selectors as a front end takes them (`--select`, the JS
    /// `select` option), skipping blank ones.
    pub fn parse_all<S: AsRef<str>>(
        texts: &[S],
        registry: &Registry,
    ) -> Result<Vec<Selector>, String> {
        texts
            .iter()
            .map(AsRef::as_ref)
            .filter(|t| !t.trim().is_empty())
            .map(|t| Selector::parse(t, registry))
            .collect()
    }

    /// Whether it names this rule itself (its code or name), which an opt-in rule needs.
    fn names(&self, rule: &crate::rules::Rule) -> bool {
        match self {
            Selector::Prefix(code) => rule.code == *code,
            Selector::Name(name) => rule.name == *name,
            Selector::All | Selector::Pillar(_) => false,
        }
    }

    fn matches(&self, rule: &crate::rules::Rule) -> bool {
        match self {
            Selector::All => true,
            Selector::Pillar(p) => rule.pillar == *p,
            Selector::Prefix(prefix) => rule.code.starts_with(prefix.as_str()),
            Selector::Name(name) => rule.name == *name,
        }
    }
}

/// File patterns, matched against paths relative to the project root.
#[derive(Clone, Debug)]
struct Patterns {
    globs: Vec<Vec<char>>,
}

impl Patterns {
    fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> Result<Patterns, (String, String)> {
        let mut globs = Vec::new();
        for pattern in patterns {
            crate::glob::check(pattern).map_err(|m| (pattern.to_string(), m))?;
            globs.extend(expand(pattern).iter().map(|g| g.chars().collect()));
        }
        Ok(Patterns { globs })
    }

    fn is_match(&self, path: &str) -> bool {
        let path = path.replace('\\', "/");
        let path: Vec<char> = path.trim_start_matches("./").chars().collect();
        self.globs.iter().any(|g| crate::glob::matches(g, &path))
    }
}

/// A pattern without `/` matches at any depth; a folder matches everything under it.
fn expand(pattern: &str) -> Vec<String> {
    let base = pattern.trim_start_matches("./").trim_end_matches('/');
    let anchored = if base.contains('/') {
        base.to_string()
    } else {
        format!("**/{base}")
    };
    vec![anchored.clone(), format!("{anchored}/**")]
}

/// The effective configuration for a run.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    select: Option<Vec<Selector>>,
    /// Selected on top of `select` (a front end's own defaults, such as the CLI's SCI311).
    extend_select: Vec<Selector>,
    ignore: Vec<Selector>,
    per_file_ignores: Vec<(Patterns, Vec<Selector>)>,
    exclude: Option<Patterns>,
    docs_url: Option<DocsUrl>,
    /// Findings less severe than this are left out.
    severity: Option<Severity>,
}

impl Settings {
    /// Reads `[tool.sciguard]` from a `pyproject.toml`. `Ok(None)` when the table is absent.
    pub fn from_pyproject(
        text: &str,
        registry: &Registry,
    ) -> Result<Option<Settings>, SettingsError> {
        let err = |key: &str, message: String| SettingsError {
            key: key.to_string(),
            message,
        };
        let document: toml::Table = toml::from_str(text)
            .map_err(|e| err("pyproject.toml", format!("not valid TOML: {}", e.message())))?;
        let Some(table) = document.get("tool").and_then(|t| t.get("sciguard")) else {
            return Ok(None);
        };
        let table = table
            .as_table()
            .ok_or_else(|| err("tool.sciguard", "must be a table".into()))?;
        let mut settings = Settings::default();
        let selectors = |key: &str, value: &toml::Value| -> Result<Vec<Selector>, SettingsError> {
            let items = value
                .as_array()
                .ok_or_else(|| err(key, "must be a list of strings".into()))?;
            items
                .iter()
                .map(|item| {
                    let text = item
                        .as_str()
                        .ok_or_else(|| err(key, format!("`{item}` is not a string")))?;
                    Selector::parse(text, registry).map_err(|m| err(key, m))
                })
                .collect()
        };
        for (key, value) in table {
            match key.as_str() {
                "select" => settings.select = Some(selectors(key, value)?),
                "ignore" => settings.ignore = selectors(key, value)?,
                "per-file-ignores" => {
                    let map = value.as_table().ok_or_else(|| {
                        err(key, "must be a table of \"pattern\" = [codes]".into())
                    })?;
                    for (pattern, codes) in map {
                        let sub_key = format!("per-file-ignores.\"{pattern}\"");
                        let codes = selectors(&sub_key, codes)?;
                        let patterns = Patterns::new([pattern.as_str()])
                            .map_err(|(_, m)| err(&sub_key, format!("bad pattern: {m}")))?;
                        settings.per_file_ignores.push((patterns, codes));
                    }
                }
                "exclude" => {
                    let items = value
                        .as_array()
                        .and_then(|a| {
                            a.iter()
                                .map(toml::Value::as_str)
                                .collect::<Option<Vec<_>>>()
                        })
                        .ok_or_else(|| err(key, "must be a list of strings".into()))?;
                    settings.exclude = Some(
                        Patterns::new(items)
                            .map_err(|(p, m)| err(key, format!("bad pattern `{p}`: {m}")))?,
                    );
                }
                // Read before the run by the front end that loads files
                // ([`policy_files`]); here only its shape is checked.
                "policies" => {
                    policy_list(value).map_err(|m| err(key, m))?;
                }
                "docs-url" => {
                    let text = value.as_str().ok_or_else(|| {
                        err(
                            key,
                            "must be a string (an http(s) URL or a relative path)".into(),
                        )
                    })?;
                    settings.docs_url =
                        Some(DocsUrl::parse(text).map_err(|e| err(key, e.to_string()))?);
                }
                "severity" => {
                    let least = value.as_str().and_then(Severity::from_key).ok_or_else(|| {
                        err(key, "must be one of \"info\", \"low\", \"medium\", \"high\"".into())
                    })?;
                    settings.severity = Some(least);
                }
                other => return Err(err(
                    other,
                    "unknown key (expected select, ignore, per-file-ignores, exclude, docs-url, policies, severity)"
                        .into(),
                )),
            }
        }
        Ok(Some(settings))
    }

    /// Replaces `select` (the CLI's `--select`).
    pub fn with_select(mut self, select: Vec<Selector>) -> Settings {
        self.select = Some(select);
        self
    }

    /// Selects these rules too, whatever `select` says (opt-in rules only by code or name);
    /// `ignore` still wins.
    pub fn with_extend_select(mut self, extend: Vec<Selector>) -> Settings {
        self.extend_select.extend(extend);
        self
    }

    /// Adds to `ignore` (the CLI's `--ignore`).
    pub fn with_ignore(mut self, ignore: Vec<Selector>) -> Settings {
        self.ignore.extend(ignore);
        self
    }

    /// Leaves out findings less severe than `least` (a front end's own threshold).
    pub fn with_severity(mut self, least: Severity) -> Settings {
        self.severity = Some(least);
        self
    }

    /// The least severity reported (`severity`), if the file sets one.
    pub fn severity(&self) -> Option<Severity> {
        self.severity
    }

    /// Where rule links point (`docs-url`), if the file sets it.
    pub fn docs_url(&self) -> Option<&DocsUrl> {
        self.docs_url.as_ref()
    }

    /// Whether a path (relative to the project root) is excluded.
    pub fn is_excluded(&self, path: &str) -> bool {
        self.exclude.as_ref().is_some_and(|p| p.is_match(path))
    }

    /// The rules to run on a path (relative to the project root).
    pub fn rules_for(&self, registry: &Registry, path: &str) -> RuleSet {
        // Testing helpers (`_testing/`, `estimator_checks.py`) assert like tests do.
        let test_file = crate::input::is_test_file(path) || crate::input::is_testing_support(path);
        let ignored_here: Vec<&Selector> = self
            .per_file_ignores
            .iter()
            .filter(|(patterns, _)| patterns.is_match(path))
            .flat_map(|(_, selectors)| selectors)
            .collect();
        let mut set = RuleSet::default();
        for (id, rule) in registry.rules() {
            // Opt-in rules run only when a selector names them by code or name.
            let chosen = |sel: &Selector| sel.matches(rule) && (!rule.opt_in || sel.names(rule));
            let selected = match &self.select {
                None => !rule.opt_in,
                Some(s) => s.iter().any(chosen),
            } || self.extend_select.iter().any(chosen);
            let ignored = self
                .ignore
                .iter()
                .chain(ignored_here.iter().copied())
                .any(|sel| sel.matches(rule));
            if selected && !ignored && !(test_file && rule.exempt_in_tests) {
                set.insert(id);
            }
        }
        set
    }
}

/// The organisation policy files a `pyproject.toml` names in `[tool.sciguard]
/// policies`, as written (relative to its folder): files or folders of `.md` files.
/// Read before the run, since the rules they add decide what `select` may name.
pub fn policy_files(pyproject: &str) -> Result<Vec<String>, SettingsError> {
    let err = |message: String| SettingsError {
        key: "policies".to_string(),
        message,
    };
    let Ok(document) = toml::from_str::<toml::Table>(pyproject) else {
        // Malformed TOML is reported when the settings are read.
        return Ok(Vec::new());
    };
    match document
        .get("tool")
        .and_then(|t| t.get("sciguard"))
        .and_then(|t| t.get("policies"))
    {
        Some(value) => policy_list(value).map_err(err),
        None => Ok(Vec::new()),
    }
}

fn policy_list(value: &toml::Value) -> Result<Vec<String>, String> {
    value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| "must be a list of paths (policy files or folders of them)".to_string())
}
