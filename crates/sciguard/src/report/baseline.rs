//! The baseline file format: the findings a codebase already has, so that later runs
//! report only new ones. A finding is matched by rule code, file name and the stable id
//! of [`super::fingerprint`]. Reading and writing the file is the front end's job; the
//! format and its checks are here, one place for every front end (and for the fuzzer).

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What `tool` holds in a baseline file, to tell it from other JSON.
pub const TOOL: &str = "sciguard";
/// The format's version.
pub const VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    tool: String,
    version: u32,
    findings: Vec<BaselineEntry>,
}

/// One finding of a baseline; `line` and `message` are for people reading the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The file, relative to the baseline's folder.
    pub filename: String,
    /// The rule's code.
    pub code: String,
    /// The finding's stable id.
    pub fingerprint: String,
    /// The finding's line when written (not used to match).
    #[serde(default)]
    pub line: usize,
    /// The finding's message when written (not used to match).
    #[serde(default)]
    pub message: String,
}

/// Why a text is not a baseline this version of sciguard reads.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BaselineError {
    /// Not JSON of the baseline's shape.
    #[error("not a sciguard baseline ({0})")]
    Malformed(String),
    /// A baseline of another tool or format version.
    #[error(
        "a baseline of `{tool}` version {version}; this sciguard reads `{TOOL}` version {VERSION}"
    )]
    OtherFormat {
        /// The file's `tool`.
        tool: String,
        /// The file's `version`.
        version: u32,
    },
}

/// The findings a baseline holds, to match new findings against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    known: BTreeSet<(String, String, String)>,
}

impl Baseline {
    /// Reads a baseline file's text.
    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        let file: BaselineFile =
            serde_json::from_str(text).map_err(|e| BaselineError::Malformed(e.to_string()))?;
        if file.tool != TOOL || file.version != VERSION {
            return Err(BaselineError::OtherFormat {
                tool: file.tool,
                version: file.version,
            });
        }
        let known = file
            .findings
            .into_iter()
            .map(|e| (e.filename, e.code, e.fingerprint))
            .collect();
        Ok(Baseline { known })
    }

    /// Whether the baseline holds this finding (by file, code and fingerprint).
    pub fn contains(&self, entry: &BaselineEntry) -> bool {
        self.known.contains(&(
            entry.filename.clone(),
            entry.code.clone(),
            entry.fingerprint.clone(),
        ))
    }

    /// How many findings the baseline holds.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether the baseline holds no findings.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }
}

/// The text of a baseline file holding `findings`, ending with a newline.
pub fn render_baseline(findings: Vec<BaselineEntry>) -> String {
    let file = BaselineFile {
        tool: TOOL.to_string(),
        version: VERSION,
        findings,
    };
    // Serialising strings and numbers into JSON cannot fail.
    serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(file: &str) -> BaselineEntry {
        BaselineEntry {
            filename: file.to_string(),
            code: "SCI101".to_string(),
            fingerprint: "abc".to_string(),
            line: 3,
            message: "m".to_string(),
        }
    }

    #[test]
    fn a_rendered_baseline_reads_back() {
        let baseline = Baseline::parse(&render_baseline(vec![entry("a.py")])).unwrap();
        assert_eq!(baseline.len(), 1);
        assert!(baseline.contains(&entry("a.py")));
        assert!(!baseline.contains(&entry("b.py")));
    }

    #[test]
    fn other_json_and_other_versions_are_refused_with_a_reason() {
        assert!(matches!(
            Baseline::parse("{\"tool\": \"ruff\"}"),
            Err(BaselineError::Malformed(_))
        ));
        let other = r#"{"tool": "sciguard", "version": 2, "findings": []}"#;
        assert_eq!(
            Baseline::parse(other).unwrap_err().to_string(),
            "a baseline of `sciguard` version 2; this sciguard reads `sciguard` version 1"
        );
    }
}
