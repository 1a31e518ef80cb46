//! SARIF 2.1.0, for code-scanning dashboards.

use super::{rule_url, FileReport, Severity};
use crate::rules::Registry;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// A file path as a relative URI reference (forward slashes, percent-encoded).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A SARIF log with one run; rules that fired are described in the driver.
pub fn render_sarif(reports: &[FileReport], registry: &Registry) -> String {
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules: Vec<Value> = Vec::new();
    let mut results: Vec<Value> = Vec::new();
    for report in reports {
        for f in &report.findings {
            let index = *rule_index.entry(f.code.as_str()).or_insert_with(|| {
                let summary = registry
                    .find(&f.code)
                    .map(|id| registry.rule(id).summary.clone())
                    .unwrap_or_default();
                rules.push(json!({
                    "id": f.code,
                    "name": f.name,
                    "shortDescription": { "text": summary },
                    "helpUri": rule_url(&f.code),
                    "defaultConfiguration": { "level": level(f.severity) },
                    "properties": { "pillar": f.pillar.key(), "tags": [f.pillar.key()] },
                }));
                rules.len() - 1
            });
            let region = |start: super::Location, end: super::Location| {
                json!({
                    "startLine": start.row,
                    "startColumn": start.column,
                    "endLine": end.row,
                    "endColumn": end.column,
                })
            };
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&report.filename) },
                        "region": region(f.span.start, f.span.end),
                    }
                }],
                "properties": { "severity": f.severity.key(), "pillar": f.pillar.key() },
            });
            if let Some(cell) = f.cell {
                // Rows of notebook findings count from the start of the cell.
                result["properties"]["cell"] = json!(cell);
                result["message"]["text"] = json!(format!("cell {cell}: {}", f.message));
            }
            if let Some(fix) = &f.fix {
                result["fixes"] = json!([{
                    "description": { "text": fix.message },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": uri(&report.filename) },
                        "replacements": fix.edits.iter().map(|e| json!({
                            "deletedRegion": region(e.span.start, e.span.end),
                            "insertedContent": { "text": e.content },
                        })).collect::<Vec<_>>(),
                    }],
                }]);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "sciguard",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": crate::SITE_URL,
                    "rules": rules,
                }
            },
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("./src/my model.py"), "src/my%20model.py");
        assert_eq!(uri("a\\b.py"), "a/b.py");
    }
}
