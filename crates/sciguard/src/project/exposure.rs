//! Whether a project's code uses the API a known-vulnerable pin concerns. An advisory
//! about `TfidfVectorizer` matters to a project that fits one, and much less to a
//! project that only uses scikit-learn's linear models: sciguard sees the pins and the
//! code together, so it can tell them apart where a version scanner cannot.

use super::declarations::Declaration;
use crate::config::advisories::AdvisoryTable;
use crate::rules::config::vulnerable_version::{LOWER_BOUND_CODE, PINNED_CODE};
use crate::vocab::{Finding, Severity};

/// Vulnerable-version findings whose advisories all concern named APIs, waiting for the
/// Python phase to say whether the code uses any of them.
#[derive(Debug, Default)]
pub(super) struct Exposures {
    pending: Vec<Pending>,
    watched: Vec<String>,
}

#[derive(Debug)]
struct Pending {
    /// Index of the file and of the finding in its list.
    file: usize,
    finding: usize,
    /// The folder the declaring file governs.
    folder: String,
    /// The APIs the undisputed advisories concern.
    symbols: Vec<String>,
    /// Whether some matching advisories are disputed (and so left out of `symbols`).
    disputed: bool,
}

impl Exposures {
    /// Notes the SCI502/SCI503 findings of one configuration file.
    pub(super) fn note(
        &mut self,
        file: usize,
        folder: &str,
        findings: &[Finding],
        declared: &[Declaration],
        advisories: &AdvisoryTable,
    ) {
        for (index, finding) in findings.iter().enumerate() {
            if finding.code != PINNED_CODE && finding.code != LOWER_BOUND_CODE {
                continue;
            }
            let Some(declaration) = declared.iter().find(|d| d.line == finding.span.start.row)
            else {
                continue;
            };
            let Some(admitted) = declaration.dependency.admitted() else {
                continue;
            };
            let matching = advisories.matching(&declaration.dependency.name, &admitted);
            // A disputed advisory (its project says it is not a vulnerability) exposes no
            // one by itself; the others expose the users of the APIs they name, or every
            // user of the package when they name none.
            let undisputed: Vec<_> = matching.iter().filter(|a| !a.disputed).collect();
            if matching.is_empty()
                || undisputed.is_empty()
                || undisputed.iter().any(|a| a.symbols.is_empty())
            {
                continue;
            }
            let mut symbols: Vec<String> = Vec::new();
            for symbol in undisputed.iter().flat_map(|a| &a.symbols) {
                if !symbols.contains(symbol) {
                    symbols.push(symbol.clone());
                }
                if !self.watched.contains(symbol) {
                    self.watched.push(symbol.clone());
                }
            }
            self.pending.push(Pending {
                file,
                finding: index,
                folder: folder.to_string(),
                symbols,
                disputed: undisputed.len() < matching.len(),
            });
        }
    }

    /// The APIs whose use the Python phase should report.
    pub(super) fn watched(&self) -> &[String] {
        &self.watched
    }

    /// Lowers to info the findings whose APIs no Python file below their folder uses.
    /// `used` holds each Python file's path and the watched APIs it uses.
    pub(super) fn settle(&self, findings: &mut [Vec<Finding>], used: &[(&str, Vec<String>)]) {
        for pending in &self.pending {
            let uses = used.iter().any(|(path, apis)| {
                super::saved::is_below(path, &pending.folder)
                    && apis.iter().any(|api| {
                        pending.symbols.iter().any(|s| {
                            api == s
                                || api.starts_with(&format!("{s}."))
                                || s.starts_with(&format!("{api}."))
                        })
                    })
            });
            if uses {
                continue;
            }
            let Some(finding) = findings
                .get_mut(pending.file)
                .and_then(|f| f.get_mut(pending.finding))
            else {
                continue;
            };
            let names: Vec<String> = pending.symbols.iter().map(|s| format!("`{s}`")).collect();
            finding.severity = Severity::Info;
            let which = if pending.disputed {
                "the undisputed advisories concern"
            } else {
                "the advisories concern"
            };
            finding.message.push_str(&format!(
                "; the project's checked code never uses {}, which {which}, so it is not exposed today",
                names.join(", ")
            ));
        }
    }
}
