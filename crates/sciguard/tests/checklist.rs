//! The rollout checklist on a realistic ingestion script with findings in all four
//! pillars: phases, order, stable ids across edits, and the exact Markdown.

use sciguard::checklist::{self, FileScope, RolloutPhase, RolloutPlan, Workflow};
use sciguard::settings::Settings;
use sciguard::SourceFile;
use std::collections::BTreeSet;

const PATH: &str = "pipelines/ingest/nightly.py";

fn fixture() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/checklist/ingestion.py"),
    )
    .expect("fixture")
}

fn plan_of(text: &str) -> RolloutPlan {
    let files = [SourceFile {
        path: PATH.to_string(),
        text: text.to_string(),
        kind: None,
        display: None,
    }];
    let reports = sciguard::check_files(&files, &Settings::default());
    checklist::plan(&reports, Workflow::Ingestion, &FileScope::All)
}

fn located(plan: &RolloutPlan, kind: RolloutPhase) -> Vec<String> {
    plan.phases[kind.number() - 1]
        .items
        .iter()
        .filter_map(|i| i.finding.as_ref())
        .map(|f| format!("{}:{}", f.line, f.code))
        .collect()
}

fn ids(plan: &RolloutPlan) -> Vec<String> {
    plan.items().map(|i| i.id.clone()).collect()
}

#[test]
fn each_phase_holds_its_pillar_in_order() {
    let plan = plan_of(&fixture());
    assert!(located(&plan, RolloutPhase::Scope).is_empty());
    assert_eq!(
        located(&plan, RolloutPhase::Observability),
        ["27:SCI302", "28:SCI303"]
    );
    // High first (in line order), then medium, then low.
    assert_eq!(
        located(&plan, RolloutPhase::Guardrails),
        [
            "40:SCI210",
            "70:SCI201",
            "74:SCI203",
            "78:SCI202",
            "140:SCI217",
            "30:SCI224",
            "131:SCI229",
        ]
    );
    assert_eq!(
        located(&plan, RolloutPhase::FailurePlanning),
        [
            "48:SCI401",
            "56:SCI404",
            "63:SCI404",
            "146:SCI405",
            "168:SCI405"
        ]
    );
    // A mutable default is a smaller refactor than a star import.
    assert_eq!(
        located(&plan, RolloutPhase::Boundaries),
        ["120:SCI104", "23:SCI106"]
    );
    assert_eq!(plan.pr_checklist.len(), 7);
    let scores: Vec<String> = plan
        .scorecard
        .pillars
        .iter()
        .map(|p| {
            format!(
                "{} {} {:.1} {}",
                p.pillar.key(),
                p.findings,
                p.per_kloc,
                p.level.key()
            )
        })
        .collect();
    assert_eq!(
        scores,
        [
            "boundaries 2 20.3 fair",
            "edges 7 304.6 poor",
            "feedback 2 50.8 needs-work",
            "failure 5 126.9 poor"
        ]
    );
}

#[test]
fn ids_survive_an_edit_that_moves_every_line() {
    let text = fixture();
    let before = plan_of(&text);
    let edited = format!("# Owner: data platform team\n# Reviewed 2024-05-02\n{text}");
    let after = plan_of(&edited);
    assert_eq!(ids(&after), ids(&before));
    assert_eq!(
        located(&after, RolloutPhase::Observability),
        ["29:SCI302", "30:SCI303"]
    );
    let unique: BTreeSet<String> = ids(&before).into_iter().collect();
    assert_eq!(unique.len(), ids(&before).len(), "ids are unique");
    // Fixing one finding removes its item and keeps every other id.
    let fixed = text.replace(
        "    except Exception:\n        pass\n\n\ndef ingest_station",
        "    except Exception:\n        log.exception(\"notify failed\")\n\n\ndef ingest_station",
    );
    // (The PR checklist changes too: one SCI405 left ranks "exceptions" below "timeouts".)
    let after_fix: BTreeSet<String> = ids(&plan_of(&fixed))
        .into_iter()
        .filter(|id| !id.starts_with("pr-"))
        .collect();
    let lost: Vec<&String> = unique
        .iter()
        .filter(|id| !id.starts_with("pr-") && !after_fix.contains(*id))
        .collect();
    let fixed_id = before
        .items()
        .find(|i| i.finding.as_ref().is_some_and(|f| f.line == 146))
        .map(|i| &i.id);
    assert_eq!(lost, fixed_id.into_iter().collect::<Vec<_>>());
}

#[test]
fn markdown_export_is_exact() {
    let plan = plan_of(&fixture());
    let ticked: BTreeSet<String> = ["scope-workflow", "pr-owner-named"]
        .into_iter()
        .map(String::from)
        .chain(plan.phases[2].items.first().map(|i| i.id.clone()))
        .collect();
    insta::assert_snapshot!(checklist::render_markdown(&plan, &ticked));
}

#[test]
fn json_export_round_trips() {
    let plan = plan_of(&fixture());
    let json = checklist::render_json(&plan);
    let back: RolloutPlan = serde_json::from_str(&json).expect("the JSON reads back");
    assert_eq!(back, plan);
}
