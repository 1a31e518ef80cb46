//! Per-rule fixtures: every line marked `# fires` must get a finding of the fixture's
//! rule starting on it, and no other line may. The rendered findings are snapshotted.

use sciguard::input::SourceKind;
use sciguard::project;
use sciguard::rules::{Registry, RuleSet};
use std::fs;
use std::path::Path;

/// Fixtures: `SCI201.py` (Python), or `SCI501/requirements.txt` (any kind, named as the
/// file it stands for). Returns (snapshot name, file name, text).
fn fixtures() -> Vec<(String, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .flat_map(|p| {
            if p.is_dir() {
                fs::read_dir(&p)
                    .expect("fixture folder")
                    .map(|e| e.expect("entry").path())
                    .collect()
            } else if p.extension().is_some_and(|e| e == "py") {
                vec![p]
            } else {
                Vec::new()
            }
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let stem = match p.parent().and_then(|d| d.file_name()) {
                Some(dir) if dir != "rules" => {
                    format!("{}-{}", dir.to_string_lossy(), name.trim_start_matches('.'))
                }
                _ => p.file_stem().unwrap().to_string_lossy().to_string(),
            };
            (
                stem,
                name,
                fs::read_to_string(&p).expect("fixture is UTF-8"),
            )
        })
        .collect()
}

/// Lines marked `# fires`, or following a line that is just `# fires below` (for formats
/// whose values can't carry a trailing comment).
fn marked_lines(source: &str) -> Vec<usize> {
    let lines: Vec<&str> = source.lines().collect();
    (0..lines.len())
        .filter(|&i| {
            let previous = i.checked_sub(1).map(|p| lines[p].trim());
            (lines[i].contains("# fires") && !lines[i].contains("# fires below"))
                || matches!(previous, Some("# fires below" | "; fires below"))
        })
        .map(|i| i + 1)
        .collect()
}

fn check(name: &str, source: &str, rules: &RuleSet) -> Vec<sciguard::report::Finding> {
    let registry = Registry::builtin();
    match SourceKind::from_path(name) {
        Some(SourceKind::Python) | None => {
            project::check_python_file(name, source, registry, rules)
        }
        Some(kind) => project::check_config(name, kind, source, registry, rules),
    }
}

fn only(registry: &Registry, code: &str) -> RuleSet {
    registry.find(code).into_iter().collect()
}

#[test]
fn every_fixture_fires_exactly_on_its_marked_lines() {
    let registry = Registry::builtin();
    let fixtures = fixtures();
    assert!(!fixtures.is_empty());
    for (stem, name, source) in fixtures {
        let code = &stem[..6];
        let findings = check(&name, &source, &only(registry, code));
        let expected = marked_lines(&source);
        let mut actual: Vec<usize> = findings.iter().map(|f| f.span.start.row).collect();
        actual.dedup();
        assert_eq!(
            actual, expected,
            "{stem}: lines with findings (left) vs lines marked `# fires` (right)\n{findings:#?}"
        );
        let rendered: String = findings
            .iter()
            .map(|f| {
                let fix = f.fix.as_ref().map_or(String::new(), |fix| {
                    let edits: Vec<String> = fix
                        .edits
                        .iter()
                        .map(|e| format!("{} {:?}", e.span, e.content))
                        .collect();
                    format!(
                        "\n    fix ({:?}): {} [{}]",
                        fix.applicability,
                        fix.message,
                        edits.join(", ")
                    )
                });
                format!("{} {} {} {}{fix}\n", f.span, f.code, f.severity, f.message)
            })
            .collect();
        insta::assert_snapshot!(stem, rendered);
    }
}

#[test]
fn every_rule_with_an_implementation_has_a_fixture() {
    let registry = Registry::builtin();
    let stems: Vec<String> = fixtures()
        .into_iter()
        .map(|(s, _, _)| s[..6].to_string())
        .collect();
    for (_, rule) in registry.rules() {
        assert!(
            stems.contains(&rule.code),
            "{} has no fixture in tests/fixtures/rules/",
            rule.code
        );
    }
}
