//! Per-rule fixtures: every line marked `# fires` must get a finding of the fixture's
//! rule starting on it, and no other line may. The rendered findings are snapshotted.

use sciguard::rules::{Registry, RuleSet};
use std::fs;
use std::path::Path;

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            (stem, fs::read_to_string(&p).expect("fixture is UTF-8"))
        })
        .collect()
}

fn only(registry: &Registry, code: &str) -> RuleSet {
    registry.find(code).into_iter().collect()
}

#[test]
fn every_fixture_fires_exactly_on_its_marked_lines() {
    let registry = Registry::builtin();
    let fixtures = fixtures();
    assert!(!fixtures.is_empty());
    for (stem, source) in fixtures {
        let code = &stem[..6];
        let findings = sciguard::check_python(&source, registry, &only(registry, code));
        let expected: Vec<usize> = source
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains("# fires"))
            .map(|(i, _)| i + 1)
            .collect();
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
        .map(|(s, _)| s[..6].to_string())
        .collect();
    for (_, rule) in registry.rules() {
        assert!(
            stems.contains(&rule.code),
            "{} has no fixture in tests/fixtures/rules/",
            rule.code
        );
    }
}
