//! SARIF 2.1.0, for code-scanning dashboards.

use super::{DocsUrl, FileReport, Severity};
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

/// What SARIF says of a rule, from its page: the front end asks the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleHelp {
    /// One line: what the rule reports.
    pub summary: String,
    /// The whole page as Markdown.
    pub page: String,
}

/// A SARIF log with one run; rules that fired are described in the driver, each with its
/// whole page as `help`. With an http(s) docs base, rules also get a `helpUri` and the tool
/// an `informationUri` (SARIF wants absolute URIs there; a relative base adds neither).
pub fn render_sarif(
    reports: &[FileReport],
    help: impl Fn(&str) -> Option<RuleHelp>,
    docs: Option<&DocsUrl>,
) -> String {
    let docs = docs.filter(|d| d.is_absolute());
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules: Vec<Value> = Vec::new();
    let mut results: Vec<Value> = Vec::new();
    for report in reports {
        for f in &report.findings {
            let index = *rule_index.entry(f.code.as_str()).or_insert_with(|| {
                let rule = help(&f.code);
                let mut descriptor = json!({
                    "id": f.code,
                    "name": f.name,
                    "shortDescription": { "text": rule.as_ref().map(|r| r.summary.as_str()).unwrap_or_default() },
                    "defaultConfiguration": { "level": level(f.severity) },
                    "properties": { "pillar": f.pillar.key(), "tags": [f.pillar.key()] },
                });
                if let Some(rule) = rule {
                    // The page is plain enough Markdown to read as text too.
                    descriptor["help"] = json!({ "text": rule.page, "markdown": rule.page });
                }
                if let Some(docs) = docs {
                    descriptor["helpUri"] = json!(docs.rule_url(&f.code));
                }
                rules.push(descriptor);
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
    let mut log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "sciguard",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "results": results,
        }],
    });
    if let Some(docs) = docs {
        log["runs"][0]["tool"]["driver"]["informationUri"] = json!(docs.as_str());
    }
    // A file sciguard did not check in full makes the run unsuccessful, and says why, so
    // that a dashboard never shows it as clean.
    let notifications: Vec<Value> = reports
        .iter()
        .filter_map(|report| {
            let why = report.unchecked.as_ref()?;
            Some(json!({
                "level": "error",
                "message": { "text": format!("sciguard could not check all of {}: {why}", report.filename) },
                "locations": [{
                    "physicalLocation": { "artifactLocation": { "uri": uri(&report.filename) } }
                }],
            }))
        })
        .collect();
    log["runs"][0]["invocations"] = json!([{
        "executionSuccessful": notifications.is_empty(),
        "toolExecutionNotifications": notifications,
    }]);
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{render_sarif, uri, DocsUrl};

    fn sarif(docs: Option<&str>) -> serde_json::Value {
        let settings = crate::settings::Settings::default();
        let report = crate::check(
            "m.py",
            "import numpy\nnumpy.load(f, allow_pickle=True)\n",
            &settings,
        );
        let docs = docs.map(|d| DocsUrl::parse(d).unwrap());
        serde_json::from_str(&render_sarif(
            &[report],
            crate::project::rule_help,
            docs.as_ref(),
        ))
        .unwrap()
    }

    #[test]
    fn rules_carry_their_page_and_link_only_to_an_absolute_base() {
        let none = sarif(None);
        let rule = &none["runs"][0]["tool"]["driver"]["rules"][0];
        let help = rule["help"]["markdown"].as_str().unwrap();
        assert!(
            help.starts_with("# SCI202 numpy-load-allow-pickle\n"),
            "{help}"
        );
        assert!(help.contains("## Why is this bad?"), "{help}");
        assert_eq!(rule["help"]["text"], rule["help"]["markdown"]);
        assert!(rule.get("helpUri").is_none());
        assert!(none["runs"][0]["tool"]["driver"]
            .get("informationUri")
            .is_none());
        let wiki = sarif(Some("https://wiki.example.org/sciguard"));
        let driver = &wiki["runs"][0]["tool"]["driver"];
        assert_eq!(
            driver["informationUri"],
            "https://wiki.example.org/sciguard/"
        );
        assert_eq!(
            driver["rules"][0]["helpUri"],
            "https://wiki.example.org/sciguard/#/rules/SCI202"
        );
        assert_eq!(driver["rules"][0]["help"], rule["help"]);
        // SARIF's helpUri is an absolute URI; a relative base leaves the page as help only.
        let relative = sarif(Some("../sciguard/"));
        let driver = &relative["runs"][0]["tool"]["driver"];
        assert!(driver.get("informationUri").is_none());
        assert!(driver["rules"][0].get("helpUri").is_none());
        assert_eq!(driver["rules"][0]["help"], rule["help"]);
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("./src/my model.py"), "src/my%20model.py");
        assert_eq!(uri("a\\b.py"), "a/b.py");
    }
}
