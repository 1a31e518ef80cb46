//! What the configuration rules (5xx, in `rules/config/`) read and report: one file's
//! neutral shapes (dependencies, entries, pip options, command lines), so each rule is
//! written once for every format.

use crate::config::advisories::AdvisoryTable;
use crate::config::{Entry, ParsedConfig};
use crate::vocab::Severity;
use std::ops::Range;

/// One configuration file being checked.
pub struct ConfigFile<'a> {
    /// Its path as given.
    pub path: &'a str,
    /// Its text.
    pub text: &'a str,
    /// What the parser read from it.
    pub parsed: &'a ParsedConfig,
    /// The advisory table in use.
    pub advisories: &'a AdvisoryTable,
}

impl ConfigFile<'_> {
    /// The file name, lower-cased (`.env.local`).
    pub fn file_name(&self) -> String {
        self.path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(self.path)
            .to_ascii_lowercase()
    }

    /// Whether the file lists what building the documentation needs (`docs/requirements.txt`,
    /// `requirements-docs.txt`): installed on a docs builder, not deployed.
    pub fn is_docs_requirements(&self) -> bool {
        let path = self.path.replace('\\', "/").to_ascii_lowercase();
        let name = path.rsplit('/').next().unwrap_or(&path);
        let in_docs = path
            .split('/')
            .rev()
            .skip(1)
            .any(|dir| matches!(dir, "docs" | "doc" | "documentation"));
        // `requirements-docs.txt`, `docs_requirements.in`; not `requirements-docker.txt`.
        in_docs
            || (name.contains("requirements")
                && name
                    .split(['-', '_', '.'])
                    .any(|word| matches!(word, "doc" | "docs")))
    }

    /// Settings whose normalized key is one of `keys` (see [`Entry::key_is`]).
    pub fn entries<'s>(&'s self, keys: &'s [&str]) -> impl Iterator<Item = &'s Entry> + 's {
        self.parsed
            .entries
            .iter()
            .filter(move |e| keys.iter().any(|k| e.key_is(k)))
    }
}

/// A finding of a 5xx rule, before positions are computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigFinding {
    /// The rule code.
    pub code: &'static str,
    /// What is flagged (byte offsets).
    pub range: Range<usize>,
    /// The message.
    pub message: String,
    /// Overrides the rule's severity.
    pub severity: Option<Severity>,
}

/// Masks the password of `scheme://user:password@host` URLs (`user:****@host`).
pub fn mask_password(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else {
        return text.to_string();
    };
    let rest = &text[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:****{}",
            &text[..scheme_end + 3],
            &authority[..colon],
            &text[scheme_end + 3 + at..]
        ),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_url_passwords() {
        assert_eq!(
            mask_password("https://bob:s3cr3t@pkgs.example.org/simple"),
            "https://bob:****@pkgs.example.org/simple"
        );
        assert_eq!(
            mask_password("https://pkgs.example.org/simple"),
            "https://pkgs.example.org/simple"
        );
        assert_eq!(
            mask_password("https://token@host/x"),
            "https://token@host/x"
        );
    }
}
