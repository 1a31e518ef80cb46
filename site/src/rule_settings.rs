//! The playground's rule settings: which rules run (`select` and `ignore`, as the CLI's
//! flags and `[tool.sciguard]` take them) and the least severity reported. They are
//! kept in local storage, held in memory between changes (a check reads them on every
//! debounced edit), sent with each check, carried in share links, and shown as the
//! `[tool.sciguard]` table that makes `sciguard check` give the same findings.

use sciguard::report::Severity;
use sciguard::rules::Registry;
use sciguard::settings::Selector;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// Where the settings are kept (a JSON [`RuleSettings`]).
pub const KEPT_KEY: &str = "sciguard.settings";

/// What a person chose in the settings pane.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSettings {
    /// Replaces `select` (codes, prefixes, names, pillars); empty keeps the files' own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub select: Vec<String>,
    /// Added to `ignore`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// Findings less severe than this are left out; `None` keeps them all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
}

/// A list of selectors that the engine's parser refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadSelection {
    /// `select` or `ignore`.
    pub list: &'static str,
    /// The engine's message, naming the entry.
    pub message: String,
}

impl RuleSettings {
    /// Whether these are the defaults (every rule the files' settings select).
    pub fn is_default(&self) -> bool {
        *self == RuleSettings::default()
    }

    /// Splits a list as typed (`SCI2, edges pickle-deserialization`) into entries.
    pub fn split(text: &str) -> Vec<String> {
        text.split([',', ' ', '\n', '\t'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Checks both lists with the engine's selector parser (the one the CLI's
    /// `--select` and `[tool.sciguard]` use): every entry must name a rule.
    pub fn check(&self, registry: &Registry) -> Result<(), BadSelection> {
        for (list, entries) in [("select", &self.select), ("ignore", &self.ignore)] {
            Selector::parse_all(entries, registry)
                .map_err(|message| BadSelection { list, message })?;
        }
        Ok(())
    }

    /// The `[tool.sciguard]` table that gives `sciguard check` the same selection and
    /// threshold, for a `pyproject.toml` at the project's root.
    pub fn toml(&self) -> String {
        // A JSON string is a TOML basic string (the same escapes, `\uXXXX` included).
        let list = |entries: &[String]| {
            let quoted: Vec<String> = entries
                .iter()
                .map(|e| serde_json::to_string(e).unwrap_or_default())
                .collect();
            format!("[{}]", quoted.join(", "))
        };
        let mut out = String::from("[tool.sciguard]\n");
        if !self.select.is_empty() {
            out.push_str(&format!("select = {}\n", list(&self.select)));
        }
        if !self.ignore.is_empty() {
            out.push_str(&format!("ignore = {}\n", list(&self.ignore)));
        }
        if let Some(least) = self.severity {
            out.push_str(&format!("severity = \"{}\"\n", least.key()));
        }
        out
    }
}

thread_local! {
    /// The settings in force, read from storage once and replaced by [`set`].
    static CURRENT: RefCell<Option<RuleSettings>> = const { RefCell::new(None) };
}

/// The settings in force on this page.
pub fn current() -> RuleSettings {
    CURRENT.with(|current| {
        current
            .borrow_mut()
            .get_or_insert_with(|| crate::kept::json(KEPT_KEY).unwrap_or_default())
            .clone()
    })
}

/// Puts settings in force and keeps them in this browser; an error says why they
/// could not be kept (they are in force on this page all the same).
pub fn set(settings: RuleSettings) -> Result<(), String> {
    let kept = crate::kept::keep_json(KEPT_KEY, &settings);
    CURRENT.with(|current| *current.borrow_mut() = Some(settings));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_split_as_typed_and_checked_by_the_engine() {
        let settings = RuleSettings {
            select: RuleSettings::split("SCI2, edges\n pickle-deserialization"),
            ignore: RuleSettings::split("SCI218"),
            severity: Some(Severity::Medium),
        };
        assert_eq!(settings.select, ["SCI2", "edges", "pickle-deserialization"]);
        assert_eq!(settings.check(Registry::builtin()), Ok(()));
        let bad = RuleSettings {
            ignore: vec!["SCI9".into()],
            ..RuleSettings::default()
        };
        let error = bad.check(Registry::builtin()).unwrap_err();
        assert_eq!(error.list, "ignore");
        assert!(
            error.message.contains("`SCI9` matches no rule"),
            "{error:?}"
        );
    }

    #[test]
    fn the_toml_is_read_back_by_the_engine_with_the_same_meaning() {
        let settings = RuleSettings {
            select: vec!["SCI2".into(), "failure".into()],
            ignore: vec!["SCI218".into()],
            severity: Some(Severity::Medium),
        };
        let toml = settings.toml();
        assert_eq!(
            toml,
            "[tool.sciguard]\nselect = [\"SCI2\", \"failure\"]\nignore = [\"SCI218\"]\nseverity = \"medium\"\n"
        );
        let read = sciguard::settings::Settings::from_pyproject(&toml, Registry::builtin())
            .expect("valid")
            .expect("a table");
        assert_eq!(read.severity(), Some(Severity::Medium));
        assert_eq!(RuleSettings::default().toml(), "[tool.sciguard]\n");
        assert!(RuleSettings::default().is_default());
    }
}
