use super::*;
use crate::vocab::{Location, Span};

fn finding(code: &str, pillar: Pillar, severity: Severity, row: usize) -> Finding {
    let at = Location { row, column: 1 };
    Finding {
        code: code.to_string(),
        name: format!("{}-name", code.to_ascii_lowercase()),
        pillar,
        severity,
        message: format!("{code} message"),
        span: Span {
            start: at,
            end: at,
            start_offset: 0,
            end_offset: 0,
        },
        fix: None,
        cell: None,
    }
}

/// A file of `lines` lines, line n reading `line n`, unless a finding sits on it (its
/// line then reads `call(<code>)` so two findings of one rule share their text).
fn report(path: &str, lines: usize, findings: Vec<Finding>) -> FileReport {
    let source: String = (1..=lines)
        .map(|n| match findings.iter().find(|f| f.span.start.row == n) {
            Some(f) => format!("    call({})\n", f.code),
            None => format!("line {n}\n"),
        })
        .collect();
    FileReport {
        filename: path.to_string(),
        findings,
        source,
        unchecked: None,
    }
}

fn located(items: &[ChecklistItem]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| i.finding.as_ref())
        .map(|f| format!("{}:{}:{}", f.file, f.line, f.code))
        .collect()
}

fn phase(plan: &RolloutPlan, kind: RolloutPhase) -> &Phase {
    plan.phases.iter().find(|p| p.kind == kind).unwrap()
}

#[test]
fn workflow_parsing() {
    assert_eq!(Workflow::parse("Ingestion"), Ok(Workflow::Ingestion));
    assert_eq!(Workflow::parse(" training "), Ok(Workflow::Training));
    assert_eq!(
        Workflow::parse(" nightly export "),
        Ok(Workflow::Custom("nightly export".into()))
    );
    assert_eq!(Workflow::parse("  "), Err(WorkflowError::Empty));
    let json = serde_json::to_string(&Workflow::Custom("export".into())).unwrap();
    assert_eq!(json, "\"export\"");
    assert_eq!(
        serde_json::from_str::<Workflow>("\"checkout\"").unwrap(),
        Workflow::Checkout
    );
}

#[test]
fn findings_go_to_the_phase_of_their_pillar_in_each_phase_order() {
    use Pillar::*;
    use Severity::*;
    let a = report(
        "a.py",
        40,
        vec![
            finding("SCI106", Boundaries, Low, 1),
            finding("SCI302", Feedback, Medium, 3),
            finding("SCI225", Edges, Low, 5),
            finding("SCI405", Failure, Medium, 7),
            finding("SCI201", Edges, High, 9),
            finding("SCI104", Boundaries, Low, 11),
            finding("SCI401", Failure, Medium, 13),
            finding("SCI000", Failure, Medium, 15),
        ],
    );
    let b = report(
        "b.py",
        10,
        vec![
            finding("SCI303", Feedback, Medium, 1),
            finding("SCI224", Edges, Medium, 2),
            finding("SCI205", Edges, High, 4),
            finding("SCI404", Failure, Medium, 6),
        ],
    );
    let plan = plan(&[a, b], Workflow::Ingestion, &FileScope::All);
    let kinds: Vec<RolloutPhase> = plan.phases.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, RolloutPhase::ALL);
    // Reading order: file, then line.
    assert_eq!(
        located(&phase(&plan, RolloutPhase::Observability).items),
        ["a.py:3:SCI302", "b.py:1:SCI303"]
    );
    // Severity first, then file, then line.
    assert_eq!(
        located(&phase(&plan, RolloutPhase::Guardrails).items),
        [
            "a.py:9:SCI201",
            "b.py:4:SCI205",
            "b.py:2:SCI224",
            "a.py:5:SCI225"
        ]
    );
    // The syntax error is no task.
    assert_eq!(
        located(&phase(&plan, RolloutPhase::FailurePlanning).items),
        ["a.py:7:SCI405", "a.py:13:SCI401", "b.py:6:SCI404"]
    );
    // Smallest refactor first: a mutable default before a star import.
    assert_eq!(
        located(&phase(&plan, RolloutPhase::Boundaries).items),
        ["a.py:11:SCI104", "a.py:1:SCI106"]
    );
    // Standing items follow the findings.
    let ids: Vec<&str> = phase(&plan, RolloutPhase::Observability)
        .items
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(
        ids[2..],
        [
            "std-logger-per-module",
            "std-count-retries-failures",
            "std-no-silenced-warnings"
        ]
    );
    let scope = phase(&plan, RolloutPhase::Scope);
    assert_eq!(scope.items.len(), 4, "workflow, two files, CI");
    assert_eq!(
        scope.notes,
        ["Fix syntax errors first: code that does not parse is only partly checked: `a.py` (1)"]
    );
    assert_eq!(plan.scorecard.syntax_errors, 1);
}

#[test]
fn files_out_of_scope_are_named_and_left_out() {
    let a = report(
        "a.py",
        10,
        vec![finding("SCI201", Pillar::Edges, Severity::High, 2)],
    );
    let b = report(
        "b.py",
        30,
        vec![finding("SCI224", Pillar::Edges, Severity::Medium, 2)],
    );
    let scope = FileScope::Only(["b.py".to_string()].into());
    let plan = plan(&[a, b], Workflow::Training, &scope);
    assert_eq!(
        located(&phase(&plan, RolloutPhase::Guardrails).items),
        ["b.py:2:SCI224"]
    );
    assert_eq!(
        phase(&plan, RolloutPhase::Scope).notes,
        ["Not in scope (their findings are left out of this plan): `a.py`"]
    );
    assert_eq!(plan.scorecard.lines, 30);
    assert_eq!(plan.pr_checklist[0].id, "pr-secrets");
}

#[test]
fn ids_survive_lines_moving_and_tell_repeats_apart() {
    let before = report(
        "a.py",
        10,
        vec![
            finding("SCI401", Pillar::Failure, Severity::Medium, 3),
            finding("SCI401", Pillar::Failure, Severity::Medium, 4),
        ],
    );
    let ids = |r: &FileReport| -> Vec<String> {
        let plan = plan(
            std::slice::from_ref(r),
            Workflow::Ingestion,
            &FileScope::All,
        );
        phase(&plan, RolloutPhase::FailurePlanning)
            .items
            .iter()
            .filter(|i| i.finding.is_some())
            .map(|i| i.id.clone())
            .collect()
    };
    let first = ids(&before);
    assert_eq!(first.len(), 2);
    assert_ne!(first[0], first[1], "same line text, different occurrence");
    assert!(first[0].starts_with("sci401-") && first[0].len() == "sci401-".len() + 12);
    // Two lines inserted at the top: same ids.
    let mut after = report(
        "a.py",
        12,
        vec![
            finding("SCI401", Pillar::Failure, Severity::Medium, 5),
            finding("SCI401", Pillar::Failure, Severity::Medium, 6),
        ],
    );
    after.source = format!("# a comment\n\n{}", before.source);
    // The scope of an indented line is the top-level line above it.
    assert_eq!(
        top_level_scopes(&["def f():", "    x = 1", "", "    y = 2", ")", "z = 3"]),
        ["", "def f():", "def f():", "def f():", "def f():", ""]
    );
    assert_eq!(ids(&after), first);
    // Pinned value: the hash is the same on every platform and build.
    assert_eq!(
        finding_id("a.py", "SCI401", "line 2", "call(SCI401)", 0),
        first[0]
    );
    // FNV-1a 64 of "a\0" is 0x089be207b544f1e4 (the reference test vectors).
    assert_eq!(short_hash(&[b"a"]), "089be207b544");
}

#[test]
fn pr_checklist_ranks_families_by_severity_then_count_and_keeps_seven() {
    use Pillar::*;
    use Severity::*;
    let findings = vec![
        finding("SCI104", Boundaries, Low, 1),
        finding("SCI106", Boundaries, Low, 2),
        finding("SCI106", Boundaries, Low, 3),
        finding("SCI302", Feedback, Medium, 4),
        finding("SCI401", Failure, Medium, 5),
        finding("SCI401", Failure, Medium, 6),
        finding("SCI405", Failure, Medium, 7),
        finding("SCI201", Edges, High, 8),
        finding("SCI224", Edges, Medium, 9),
        finding("SCI225", Edges, Low, 10),
        finding("SCI999", Edges, High, 11),
    ];
    let plan = plan(
        &[report("a.py", 20, findings)],
        Workflow::Reporting,
        &FileScope::All,
    );
    let ids: Vec<&str> = plan.pr_checklist.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "pr-deserialization",
            "pr-timeouts",
            // Medium, one finding each: table order.
            "pr-secrets",
            "pr-warnings",
            "pr-exceptions",
            "pr-owner-named",
            "pr-rollback-known"
        ]
    );
    let none = plan_of_nothing();
    assert_eq!(
        none.pr_checklist
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>(),
        ["pr-owner-named", "pr-rollback-known"]
    );
}

fn plan_of_nothing() -> RolloutPlan {
    plan(
        &[report("a.py", 3, Vec::new())],
        Workflow::Checkout,
        &FileScope::All,
    )
}

#[test]
fn every_rule_names_a_known_family() {
    for (_, rule) in crate::rules::Registry::builtin().rules() {
        if rule.code == SYNTAX_ERROR_CODE {
            continue;
        }
        let family = rule.family.as_deref().unwrap_or("");
        assert!(
            RULE_FAMILIES.iter().any(|f| f.key == family),
            "{}: family `{family}` is not one of RULE_FAMILIES",
            rule.code
        );
        assert!(
            family_of(crate::rules::Registry::builtin(), &rule.code).is_some(),
            "{}",
            rule.code
        );
    }
}

#[test]
fn family_keys_are_unique() {
    let mut keys: Vec<&str> = RULE_FAMILIES.iter().map(|f| f.key).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), RULE_FAMILIES.len());
}

#[test]
fn scorecard_arithmetic() {
    use Pillar::*;
    use Severity::*;
    let findings = [
        finding("SCI201", Edges, High, 1),
        finding("SCI205", Edges, High, 2),
        finding("SCI224", Edges, Medium, 3),
        finding("SCI302", Feedback, Medium, 4),
        finding("SCI104", Boundaries, Low, 5),
        finding("SCI000", Failure, Medium, 6),
        finding("SCI405", Failure, Info, 7),
    ];
    let card = Scorecard::of(&findings, 200);
    let rows: Vec<(Pillar, usize, u32, f64, ScoreLevel)> = card
        .pillars
        .iter()
        .map(|p| (p.pillar, p.findings, p.weight, p.per_kloc, p.level))
        .collect();
    assert_eq!(
        rows,
        [
            (Boundaries, 1, 2, 10.0, ScoreLevel::Fair),
            (Edges, 3, 25, 125.0, ScoreLevel::Poor),
            (Feedback, 1, 5, 25.0, ScoreLevel::Fair),
            (Failure, 1, 0, 0.0, ScoreLevel::Good),
        ]
    );
    assert_eq!(card.syntax_errors, 1);
    assert_eq!(card.lines, 200);
    // Bounds are inclusive; no lines counts as one line.
    assert_eq!(ScoreLevel::of_density(100.0), ScoreLevel::NeedsWork);
    assert_eq!(ScoreLevel::of_density(100.1), ScoreLevel::Poor);
    let empty = Scorecard::of(&findings[..1], 0);
    assert_eq!(empty.pillars[1].per_kloc, 10_000.0);
    // Signals come from the playbook's table.
    assert!(card.pillars[1]
        .signal
        .starts_with("Zero high-severity findings"));
    assert!(card.overall_signal.starts_with("sciguard runs in CI"));
    assert!(card.pillars.iter().all(|p| !p.signal.is_empty()));
}

#[test]
fn markdown_ticks_and_notes() {
    let plan = plan(
        &[report(
            "a.py",
            4,
            vec![finding("SCI401", Pillar::Failure, Severity::Medium, 2)],
        )],
        Workflow::Custom("nightly export".into()),
        &FileScope::All,
    );
    let ticked: BTreeSet<String> = ["pr-owner-named".to_string()].into();
    let text = render_markdown(&plan, &ticked);
    assert!(text.starts_with("# Rollout plan: nightly export workflow\n"));
    assert!(text.contains("- [x] An owner for the change is named <!-- pr-owner-named -->\n"));
    assert!(
        text.contains("- [ ] `a.py:2` SCI401 `sci401-name` (medium): SCI401 message <!-- sci401-")
    );
    assert!(text.contains("## Phase 3: Guardrails at edges\n\nTreat what enters the process as untrusted until checked; most severe first.\n\nNothing found for this phase.\n"));
    let json: serde_json::Value = serde_json::from_str(&render_json(&plan)).unwrap();
    assert_eq!(json["workflow"], "nightly export");
    assert_eq!(json["phases"][3]["kind"], "failure-planning");
    // 5 × 1000 / 4 lines.
    assert_eq!(json["scorecard"]["pillars"][3]["per_kloc"], 1250.0);
    assert_eq!(json["scorecard"]["pillars"][3]["level"], "poor");
}
