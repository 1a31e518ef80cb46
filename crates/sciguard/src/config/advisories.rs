//! The advisory table: known-vulnerable version ranges of scientific-stack packages,
//! embedded at build time from `data/advisories.toml`, and rebuilt from an OSV export
//! by `sciguard advisories import`.

use super::dependency::parse_specifiers;
use pep440_rs::Version;
use serde::{Deserialize, Serialize};
use std::str::FromStr;
use std::sync::OnceLock;
use version_ranges::Ranges;

/// The table built into this release.
pub const EMBEDDED_TABLE: &str = include_str!("../../data/advisories.toml");

/// One advisory: a package, its ids and the versions it affects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Advisory {
    /// The normalized distribution name.
    pub package: String,
    /// CVE, PYSEC and GHSA ids, the most widely known first.
    pub ids: Vec<String>,
    /// PEP 440 specifier sets; a version is affected when it satisfies any of them.
    pub affected: Vec<String>,
    /// The first version with the fix, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// What the problem is, in a line.
    pub summary: String,
    /// Whether the advisory is disputed.
    #[serde(default)]
    pub disputed: bool,
    /// The APIs it concerns (qualified names or prefixes); empty when any use of the
    /// package is exposed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symbols: Vec<String>,
}

/// A table of advisories with the date its data was taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisoryTable {
    /// When the data was taken (`2026-11-23`).
    pub date: String,
    /// Where it came from.
    pub source: String,
    /// The advisories.
    #[serde(rename = "advisory", default)]
    pub advisories: Vec<Advisory>,
    #[serde(skip)]
    ranges: Vec<Ranges<Version>>,
}

/// A table that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// Not valid TOML or missing keys.
    #[error("advisory table: {0}")]
    Format(String),
    /// An `affected` entry that is not a PEP 440 specifier set.
    #[error("advisory table: {package} {id}: `{range}` is not a PEP 440 specifier set")]
    Range {
        /// The package.
        package: String,
        /// Its first id.
        id: String,
        /// The bad range.
        range: String,
    },
}

impl AdvisoryTable {
    /// Reads a table from its TOML text.
    pub fn from_toml(text: &str) -> Result<AdvisoryTable, TableError> {
        let mut table: AdvisoryTable =
            toml::from_str(text).map_err(|e| TableError::Format(e.message().to_string()))?;
        table.index()?;
        Ok(table)
    }

    /// Builds a table from advisories.
    pub fn new(
        date: String,
        source: String,
        advisories: Vec<Advisory>,
    ) -> Result<AdvisoryTable, TableError> {
        let mut table = AdvisoryTable {
            date,
            source,
            advisories,
            ranges: Vec::new(),
        };
        table.index()?;
        Ok(table)
    }

    fn index(&mut self) -> Result<(), TableError> {
        self.ranges = self
            .advisories
            .iter()
            .map(|a| {
                a.affected.iter().try_fold(Ranges::empty(), |all, range| {
                    parse_specifiers(range)
                        .map(|r| all.union(&r))
                        .ok_or_else(|| TableError::Range {
                            package: a.package.clone(),
                            id: a.ids.first().cloned().unwrap_or_default(),
                            range: range.clone(),
                        })
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(())
    }

    /// The table built into this release.
    pub fn builtin() -> &'static AdvisoryTable {
        static BUILTIN: OnceLock<AdvisoryTable> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // The embedded table is checked by the test suite; a failure is a build defect.
            AdvisoryTable::from_toml(EMBEDDED_TABLE)
                .unwrap_or_else(|e| panic!("embedded advisory table is invalid: {e}"))
        })
    }

    /// The advisories whose affected versions intersect `admitted`, for `package`.
    pub fn matching<'t>(&'t self, package: &str, admitted: &Ranges<Version>) -> Vec<&'t Advisory> {
        self.advisories
            .iter()
            .zip(&self.ranges)
            .filter(|(a, r)| a.package == package && !r.is_disjoint(admitted))
            .map(|(a, _)| a)
            .collect()
    }

    /// Renders the table as TOML (the format of `data/advisories.toml`).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

/// The highest fix version among advisories (`None` when one has no fix).
pub fn highest_fix(advisories: &[&Advisory]) -> Option<String> {
    highest_version(advisories.iter().map(|a| a.fixed.as_deref()))
}

/// The highest of some PEP 440 versions, as written (`None` when one is missing or
/// invalid: then no single version is "the fix").
fn highest_version<'a>(versions: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    let mut best: Option<(Version, &str)> = None;
    for fixed in versions {
        let fixed = fixed?;
        let version = Version::from_str(fixed).ok()?;
        if best.as_ref().is_none_or(|(v, _)| version > *v) {
            best = Some((version, fixed));
        }
    }
    best.map(|(_, text)| text.to_string())
}

/// OSV records (the JSON files of an OSV export) turned into advisories for PyPI
/// packages. Records withdrawn or without ECOSYSTEM ranges are skipped; an `import`
/// reports how many.
pub fn from_osv_records<'a>(
    records: impl IntoIterator<Item = &'a str>,
) -> (Vec<Advisory>, OsvImportCounts) {
    let mut counts = OsvImportCounts::default();
    let mut out = Vec::new();
    for text in records {
        counts.records += 1;
        let Ok(record) = serde_json::from_str::<serde_json::Value>(text) else {
            counts.invalid += 1;
            continue;
        };
        if record.get("withdrawn").is_some_and(|w| !w.is_null()) {
            counts.skipped += 1;
            continue;
        }
        let mut added = false;
        for affected in record["affected"].as_array().into_iter().flatten() {
            if affected["package"]["ecosystem"].as_str() != Some("PyPI") {
                continue;
            }
            let Some(name) = affected["package"]["name"].as_str() else {
                continue;
            };
            let (ranges, fixed) = osv_ranges(affected);
            if ranges.is_empty() {
                continue;
            }
            let mut ids: Vec<String> = record["aliases"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_string))
                .collect();
            // The CVE id is the one people search for; put it first.
            ids.sort_by_key(|id| !id.starts_with("CVE-"));
            if let Some(id) = record["id"].as_str() {
                ids.push(id.to_string());
            }
            let text_of = |key: &str| record[key].as_str().unwrap_or("").trim().to_string();
            let details = text_of("details");
            let summary = match text_of("summary") {
                s if !s.is_empty() => s,
                _ => details
                    .lines()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(160)
                    .collect(),
            };
            out.push(Advisory {
                package: normalize(name),
                ids,
                affected: ranges,
                fixed,
                disputed: details.contains("DISPUTED") || summary.contains("DISPUTED"),
                summary,
                symbols: Vec::new(),
            });
            added = true;
        }
        if added {
            counts.imported += 1;
        } else {
            counts.skipped += 1;
        }
    }
    out.sort_by(|a, b| (&a.package, &a.ids).cmp(&(&b.package, &b.ids)));
    (out, counts)
}

/// What an import read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OsvImportCounts {
    /// Records read.
    pub records: usize,
    /// Records that became advisories.
    pub imported: usize,
    /// Withdrawn records and records with no PyPI ECOSYSTEM range.
    pub skipped: usize,
    /// Files that were not JSON.
    pub invalid: usize,
}

/// The date of the newest record (`modified`, as `YYYY-MM-DD`), the data's date.
pub fn newest_record_date<'a>(records: impl IntoIterator<Item = &'a str>) -> Option<String> {
    records
        .into_iter()
        .filter_map(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .filter_map(|r| {
            r["modified"]
                .as_str()
                .and_then(|m| m.get(..10))
                .map(str::to_string)
        })
        .max()
}

/// PEP 503 name normalization.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = if matches!(c, '-' | '_' | '.') {
            '-'
        } else {
            c.to_ascii_lowercase()
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out
}

/// OSV `ECOSYSTEM` events as PEP 440 specifier sets, and the highest fixed version.
fn osv_ranges(affected: &serde_json::Value) -> (Vec<String>, Option<String>) {
    let mut out = Vec::new();
    let mut fixes: Vec<String> = Vec::new();
    for range in affected["ranges"].as_array().into_iter().flatten() {
        if range["type"].as_str() != Some("ECOSYSTEM") {
            continue;
        }
        let mut introduced: Option<String> = None;
        for event in range["events"].as_array().into_iter().flatten() {
            if let Some(v) = event["introduced"].as_str() {
                introduced = Some(v.to_string());
            } else if let Some(v) = event["fixed"].as_str() {
                out.push(bounds(introduced.take(), Some(("<", v))));
                fixes.push(v.to_string());
            } else if let Some(v) = event["last_affected"].as_str() {
                out.push(bounds(introduced.take(), Some(("<=", v))));
            }
        }
        if let Some(start) = introduced {
            out.push(bounds(Some(start), None));
        }
    }
    out.retain(|r| parse_specifiers(r).is_some());
    let fixed = highest_version(fixes.iter().map(|f| Some(f.as_str())));
    (out, fixed)
}

fn bounds(introduced: Option<String>, upper: Option<(&str, &str)>) -> String {
    let lower = introduced.filter(|v| v != "0").map(|v| format!(">={v}"));
    let upper = upper.map(|(op, v)| format!("{op}{v}"));
    match (lower, upper) {
        (Some(l), Some(u)) => format!("{l},{u}"),
        (Some(l), None) => l,
        (None, Some(u)) => u,
        // Affected from the first release on, with no fix.
        (None, None) => ">=0".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_reads_and_matches() {
        let table = AdvisoryTable::builtin();
        assert!(table.advisories.len() >= 40, "{}", table.advisories.len());
        let pin = parse_specifiers("==9.5.0").unwrap();
        let ids: Vec<&str> = table
            .matching("pillow", &pin)
            .iter()
            .map(|a| a.ids[0].as_str())
            .collect();
        assert!(ids.contains(&"CVE-2023-44271"), "{ids:?}");
        assert!(table
            .matching("pillow", &parse_specifiers("==12.2.0").unwrap())
            .is_empty());
    }

    #[test]
    fn osv_events_become_specifiers() {
        let record = r#"{"id": "PYSEC-2099-1", "aliases": ["GHSA-xxxx", "CVE-2099-1"], "summary": "bad thing",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "Some_Pkg"},
              "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}, {"introduced": "2.0"}, {"fixed": "2.0.5"}]},
                         {"type": "GIT", "events": [{"introduced": "abc"}]}]}]}"#;
        let withdrawn =
            r#"{"id": "PYSEC-2099-2", "withdrawn": "2099-01-01T00:00:00Z", "affected": []}"#;
        let (advisories, counts) = from_osv_records([record, withdrawn, "not json"]);
        assert_eq!(
            counts,
            OsvImportCounts {
                records: 3,
                imported: 1,
                skipped: 1,
                invalid: 1
            }
        );
        let a = &advisories[0];
        assert_eq!(a.package, "some-pkg");
        assert_eq!(a.ids, ["CVE-2099-1", "GHSA-xxxx", "PYSEC-2099-1"]);
        assert_eq!(a.affected, ["<1.2", ">=2.0,<2.0.5"]);
        assert_eq!(a.fixed.as_deref(), Some("2.0.5"));
    }
}
