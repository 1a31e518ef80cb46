//! Turns findings into the playbook's rollout plan: five phases of tasks for the one
//! workflow the user starts with, a short pull-request "done" checklist, a
//! retrospective template and a pillar scorecard.
//!
//! Ordering, by phase:
//! - 1 scope: the workflow, then the files in scope in the order they were given;
//! - 2 observability and 4 failure planning: findings in reading order (file as given,
//!   then line), so one pass through each file clears them, then the standing items;
//! - 3 guardrails: severity high to low, then file, then line;
//! - 5 boundaries: smallest refactor first (the effort table in `templates.rs`), then
//!   file, then line.
//!
//! Every item has an id that does not depend on line numbers (see [`finding_id`]), so
//! ticks kept under it survive edits elsewhere in the file.

mod markdown;
pub mod scorecard;
mod templates;

pub use markdown::render_markdown;
pub use scorecard::{PillarScore, ScoreLevel, Scorecard};

pub use crate::report::fingerprint::finding_id;
#[cfg(test)]
use crate::report::fingerprint::top_level_scopes;
use crate::report::fingerprint::{finding_ids, short_hash};
use crate::vocab::SYNTAX_ERROR_CODE;
use crate::vocab::{FileReport, Finding, Pillar, Severity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use templates::{
    RuleFamily, DEFAULT_EFFORT, MAX_PR_FAMILIES, PR_ALWAYS, REFACTOR_EFFORT, RETRO_PROMPTS,
    RULE_FAMILIES, STANDING_ITEMS,
};

/// The high-impact workflow a rollout starts with.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Workflow {
    /// A checkout-like flow serving users.
    Checkout,
    /// Where data enters: downloads, loads, parsing.
    Ingestion,
    /// The job whose numbers leave the team.
    Reporting,
    /// Training and checkpoint loading.
    Training,
    /// A workflow the user named.
    Custom(String),
}

/// Why a workflow name was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// Nothing but whitespace was given.
    #[error("name the workflow to start with: checkout, ingestion, reporting, training, or your own name")]
    Empty,
}

impl Workflow {
    /// The workflows the playbook names, in the order it names them.
    pub const NAMED: [Workflow; 4] = [
        Workflow::Checkout,
        Workflow::Ingestion,
        Workflow::Reporting,
        Workflow::Training,
    ];

    /// Reads a workflow: one of the named ones (any case), otherwise a custom name.
    pub fn parse(text: &str) -> Result<Workflow, WorkflowError> {
        let name = text.trim();
        if name.is_empty() {
            return Err(WorkflowError::Empty);
        }
        Ok(Workflow::NAMED
            .into_iter()
            .find(|w| w.key().eq_ignore_ascii_case(name))
            .unwrap_or_else(|| Workflow::Custom(name.to_string())))
    }

    /// The key (`ingestion`), or the custom name as typed.
    pub fn key(&self) -> &str {
        match self {
            Workflow::Checkout => "checkout",
            Workflow::Ingestion => "ingestion",
            Workflow::Reporting => "reporting",
            Workflow::Training => "training",
            Workflow::Custom(name) => name,
        }
    }

    /// The human title (`Ingestion`), or the custom name as typed.
    pub fn title(&self) -> &str {
        match self {
            Workflow::Checkout => "Checkout",
            Workflow::Ingestion => "Ingestion",
            Workflow::Reporting => "Reporting",
            Workflow::Training => "Training",
            Workflow::Custom(name) => name,
        }
    }
}

impl From<Workflow> for String {
    fn from(workflow: Workflow) -> String {
        workflow.key().to_string()
    }
}

impl TryFrom<String> for Workflow {
    type Error = WorkflowError;
    fn try_from(text: String) -> Result<Workflow, WorkflowError> {
        Workflow::parse(&text)
    }
}

/// Which of the checked files belong to the workflow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum FileScope {
    /// Every checked file (the default).
    #[default]
    All,
    /// Only the files with these paths.
    Only(BTreeSet<String>),
}

impl FileScope {
    /// Whether the file with this path is in scope.
    pub fn contains(&self, path: &str) -> bool {
        match self {
            FileScope::All => true,
            FileScope::Only(paths) => paths.contains(path),
        }
    }
}

/// The phases of a rollout, in the order the playbook takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RolloutPhase {
    /// Start with one high-impact workflow.
    Scope,
    /// Observability before optimisation.
    Observability,
    /// Guardrails at edges.
    Guardrails,
    /// Failure planning.
    FailurePlanning,
    /// Explicit boundaries.
    Boundaries,
}

impl RolloutPhase {
    /// All phases, in order.
    pub const ALL: [RolloutPhase; 5] = [
        RolloutPhase::Scope,
        RolloutPhase::Observability,
        RolloutPhase::Guardrails,
        RolloutPhase::FailurePlanning,
        RolloutPhase::Boundaries,
    ];

    /// 1-based position in the rollout.
    pub fn number(self) -> usize {
        self as usize + 1
    }

    /// The key used in JSON and page anchors (`failure-planning`).
    pub fn key(self) -> &'static str {
        match self {
            RolloutPhase::Scope => "scope",
            RolloutPhase::Observability => "observability",
            RolloutPhase::Guardrails => "guardrails",
            RolloutPhase::FailurePlanning => "failure-planning",
            RolloutPhase::Boundaries => "boundaries",
        }
    }

    /// The heading.
    pub fn title(self) -> &'static str {
        match self {
            RolloutPhase::Scope => "Start with one workflow",
            RolloutPhase::Observability => "Observability before optimisation",
            RolloutPhase::Guardrails => "Guardrails at edges",
            RolloutPhase::FailurePlanning => "Failure planning",
            RolloutPhase::Boundaries => "Explicit boundaries",
        }
    }

    /// One line of advice from the playbook.
    pub fn advice(self) -> &'static str {
        match self {
            RolloutPhase::Scope => "Pick where a failure costs most and check only its files first; widen the scope once this plan is done.",
            RolloutPhase::Observability => "Before making the job faster, make it say what it does.",
            RolloutPhase::Guardrails => "Treat what enters the process as untrusted until checked; most severe first.",
            RolloutPhase::FailurePlanning => "Decide in advance how long to wait, how often to retry, and when to stop.",
            RolloutPhase::Boundaries => "Remove hidden shared state, one small refactor at a time, smallest first.",
        }
    }

    /// The phase that takes the findings of a pillar.
    pub fn for_pillar(pillar: Pillar) -> RolloutPhase {
        match pillar {
            Pillar::Feedback => RolloutPhase::Observability,
            Pillar::Edges => RolloutPhase::Guardrails,
            Pillar::Failure => RolloutPhase::FailurePlanning,
            Pillar::Boundaries => RolloutPhase::Boundaries,
        }
    }
}

/// The finding a checklist item comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemFinding {
    /// The file's path.
    pub file: String,
    /// 1-based line where the finding starts.
    pub line: usize,
    /// The rule code (`SCI201`).
    pub code: String,
    /// The rule name (`pickle-deserialization`).
    pub name: String,
    /// How urgent it is.
    pub severity: Severity,
    /// The pillar the rule serves.
    pub pillar: Pillar,
}

/// One thing to do (or check) that can be ticked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Stable id: ticks are kept under it.
    pub id: String,
    /// What to do.
    pub text: String,
    /// The finding behind the item, for items made from findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<ItemFinding>,
}

impl ChecklistItem {
    fn fixed(id: &str, text: impl Into<String>) -> ChecklistItem {
        ChecklistItem {
            id: id.to_string(),
            text: text.into(),
            finding: None,
        }
    }
}

/// One phase of the rollout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phase {
    /// Which phase.
    pub kind: RolloutPhase,
    /// The heading.
    pub title: String,
    /// One line of advice.
    pub advice: String,
    /// The tasks, in the order to do them.
    pub items: Vec<ChecklistItem>,
    /// Remarks that are not tasks (files out of scope, syntax errors).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A checked file and whether it is part of the workflow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFile {
    /// The file's path.
    pub path: String,
    /// Its number of lines.
    pub lines: usize,
    /// Its number of findings (syntax errors included).
    pub findings: usize,
    /// Whether the user counts it as part of the workflow.
    pub in_scope: bool,
}

/// One question of the retrospective.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetroQuestion {
    /// Fixed id.
    pub id: String,
    /// Short heading.
    pub heading: String,
    /// What to write down.
    pub prompt: String,
}

/// A standard a retrospective could adopt: a rule that fired here, enforced in CI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestedStandard {
    /// The rule code.
    pub code: String,
    /// The rule name.
    pub name: String,
    /// The standard, as a sentence.
    pub text: String,
}

/// The template for the short, blameless review after an incident.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retrospective {
    /// The questions, in order.
    pub questions: Vec<RetroQuestion>,
    /// Rules that fired in the workflow, as candidate standards (most severe first).
    pub standards: Vec<SuggestedStandard>,
}

/// The whole plan for one workflow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RolloutPlan {
    /// The workflow it starts with.
    pub workflow: Workflow,
    /// The checked files, in the order given.
    pub files: Vec<PlanFile>,
    /// The five phases, in order.
    pub phases: Vec<Phase>,
    /// The pull-request "done" checklist (at most 7 items).
    pub pr_checklist: Vec<ChecklistItem>,
    /// The retrospective template.
    pub retrospective: Retrospective,
    /// Findings per pillar, weighted per 1,000 lines, for the files in scope.
    pub scorecard: Scorecard,
}

impl RolloutPlan {
    /// Every item of the plan (phases, then the pull-request checklist).
    pub fn items(&self) -> impl Iterator<Item = &ChecklistItem> {
        self.phases
            .iter()
            .flat_map(|p| &p.items)
            .chain(&self.pr_checklist)
    }
}

/// A finding of a file in scope, with where it sits in the order of files.
struct Task<'a> {
    file: usize,
    path: &'a str,
    finding: &'a Finding,
    id: String,
}

/// Builds the rollout plan for the files in `scope`, starting with `workflow`.
pub fn plan(reports: &[FileReport], workflow: Workflow, scope: &FileScope) -> RolloutPlan {
    plan_in(crate::rules::Registry::builtin(), reports, workflow, scope)
}

/// [`plan`] for findings of a registry with an organisation's policies: their rules'
/// families add pull-request lines as built-in rules do.
pub fn plan_in(
    registry: &crate::rules::Registry,
    reports: &[FileReport],
    workflow: Workflow,
    scope: &FileScope,
) -> RolloutPlan {
    let files: Vec<PlanFile> = reports
        .iter()
        .map(|r| PlanFile {
            path: r.filename.clone(),
            lines: r.source.lines().count(),
            findings: r.findings.len(),
            in_scope: scope.contains(&r.filename),
        })
        .collect();
    let in_scope: Vec<(usize, &FileReport)> = reports
        .iter()
        .enumerate()
        .filter(|(i, _)| files[*i].in_scope)
        .collect();
    let tasks: Vec<Task> = in_scope
        .iter()
        .flat_map(|(i, report)| tasks_of(*i, report))
        .collect();

    let mut phases: Vec<Phase> = RolloutPhase::ALL
        .into_iter()
        .map(|kind| Phase {
            kind,
            title: kind.title().to_string(),
            advice: kind.advice().to_string(),
            items: Vec::new(),
            notes: Vec::new(),
        })
        .collect();
    phases[0] = scope_phase(&workflow, &files, &in_scope);
    for kind in &RolloutPhase::ALL[1..] {
        let mut found: Vec<&Task> = tasks
            .iter()
            .filter(|t| RolloutPhase::for_pillar(t.finding.pillar) == *kind)
            .collect();
        let position = |t: &Task| (t.file, t.finding.span.start);
        match kind {
            RolloutPhase::Guardrails => {
                found.sort_by_key(|t| (std::cmp::Reverse(t.finding.severity), position(t)))
            }
            RolloutPhase::Boundaries => {
                found.sort_by_key(|t| (effort(&t.finding.code), position(t)))
            }
            _ => found.sort_by_key(|t| position(t)),
        }
        let phase = &mut phases[kind.number() - 1];
        phase.items.extend(found.into_iter().map(task_item));
        phase.items.extend(
            STANDING_ITEMS
                .iter()
                .filter(|s| s.phase == *kind)
                .map(|s| ChecklistItem::fixed(s.id, s.text)),
        );
    }

    let scorecard = Scorecard::of(
        in_scope.iter().flat_map(|(_, r)| &r.findings),
        in_scope.iter().map(|(i, _)| files[*i].lines).sum(),
    );
    RolloutPlan {
        pr_checklist: pr_checklist(registry, &tasks),
        retrospective: retrospective(&workflow, &tasks),
        workflow,
        files,
        phases,
        scorecard,
    }
}

/// The findings of one file as tasks, with their stable ids. Syntax errors are not tasks.
fn tasks_of(file: usize, report: &FileReport) -> Vec<Task<'_>> {
    report
        .findings
        .iter()
        .zip(finding_ids(report))
        .filter(|(f, _)| f.code != SYNTAX_ERROR_CODE)
        .map(|(finding, id)| Task {
            file,
            path: &report.filename,
            finding,
            id,
        })
        .collect()
}

fn task_item(task: &Task) -> ChecklistItem {
    let f = task.finding;
    ChecklistItem {
        id: task.id.clone(),
        text: f.message.clone(),
        finding: Some(ItemFinding {
            file: task.path.to_string(),
            line: f.span.start.row,
            code: f.code.clone(),
            name: f.name.clone(),
            severity: f.severity,
            pillar: f.pillar,
        }),
    }
}

fn effort(code: &str) -> u8 {
    REFACTOR_EFFORT
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(DEFAULT_EFFORT, |(_, e)| *e)
}

fn scope_phase(
    workflow: &Workflow,
    files: &[PlanFile],
    in_scope: &[(usize, &FileReport)],
) -> Phase {
    let kind = RolloutPhase::Scope;
    let hint = templates::workflow_hint(workflow).map_or(String::new(), |h| format!(" ({h})"));
    let mut items = vec![ChecklistItem::fixed(
        "scope-workflow",
        format!(
            "Start with the {} workflow{hint}, and name its owner",
            workflow.title()
        ),
    )];
    items.extend(in_scope.iter().map(|(i, _)| {
        let file = &files[*i];
        ChecklistItem::fixed(
            &format!("scope-file-{}", short_hash(&[file.path.as_bytes()])),
            format!(
                "`{}` belongs to the workflow ({} lines, {})",
                file.path,
                file.lines,
                plural(file.findings, "finding")
            ),
        )
    }));
    items.push(ChecklistItem::fixed(
        "scope-ci",
        "`sciguard check` runs on these files in CI on every pull request",
    ));
    let mut notes = Vec::new();
    let out: Vec<String> = files
        .iter()
        .filter(|f| !f.in_scope)
        .map(|f| format!("`{}`", f.path))
        .collect();
    if !out.is_empty() {
        notes.push(format!(
            "Not in scope (their findings are left out of this plan): {}",
            out.join(", ")
        ));
    }
    let syntax: Vec<String> = in_scope
        .iter()
        .filter_map(|(_, r)| {
            let n = r.findings.iter().filter(|f| f.is_syntax_error()).count();
            (n > 0).then(|| format!("`{}` ({n})", r.filename))
        })
        .collect();
    if !syntax.is_empty() {
        notes.push(format!(
            "Fix syntax errors first: code that does not parse is only partly checked: {}",
            syntax.join(", ")
        ));
    }
    Phase {
        kind,
        title: kind.title().to_string(),
        advice: kind.advice().to_string(),
        items,
        notes,
    }
}

/// The checklist family a rule's page names, as an index into [`RULE_FAMILIES`].
fn family_of(registry: &crate::rules::Registry, code: &str) -> Option<usize> {
    let family = registry.rule(registry.find(code)?).family.as_deref()?;
    RULE_FAMILIES.iter().position(|f| f.key == family)
}

/// The families that fired, most severe then most frequent first, at most
/// [`MAX_PR_FAMILIES`], then the items the playbook always asks for.
fn pr_checklist(registry: &crate::rules::Registry, tasks: &[Task]) -> Vec<ChecklistItem> {
    // Per family: highest severity, number of findings.
    let mut fired: BTreeMap<usize, (Severity, usize)> = BTreeMap::new();
    for task in tasks {
        if let Some(family) = family_of(registry, &task.finding.code) {
            let entry = fired.entry(family).or_insert((task.finding.severity, 0));
            entry.0 = entry.0.max(task.finding.severity);
            entry.1 += 1;
        }
    }
    let mut ranked: Vec<(usize, (Severity, usize))> = fired.into_iter().collect();
    ranked.sort_by_key(|(family, (severity, count))| {
        (
            std::cmp::Reverse(*severity),
            std::cmp::Reverse(*count),
            *family,
        )
    });
    ranked
        .into_iter()
        .take(MAX_PR_FAMILIES)
        .map(|(family, _)| {
            let RuleFamily { key, text, .. } = &RULE_FAMILIES[family];
            ChecklistItem::fixed(&format!("pr-{key}"), *text)
        })
        .chain(
            PR_ALWAYS
                .iter()
                .map(|(id, text)| ChecklistItem::fixed(id, *text)),
        )
        .collect()
}

fn retrospective(workflow: &Workflow, tasks: &[Task]) -> Retrospective {
    let mut rules: BTreeMap<&str, (Severity, &str)> = BTreeMap::new();
    for task in tasks {
        let f = task.finding;
        let entry = rules.entry(&f.code).or_insert((f.severity, &f.name));
        entry.0 = entry.0.max(f.severity);
    }
    let mut rules: Vec<(&str, (Severity, &str))> = rules.into_iter().collect();
    rules.sort_by_key(|(code, (severity, _))| (std::cmp::Reverse(*severity), *code));
    Retrospective {
        questions: RETRO_PROMPTS
            .iter()
            .map(|p| RetroQuestion {
                id: p.id.to_string(),
                heading: p.heading.to_string(),
                prompt: p.prompt.to_string(),
            })
            .collect(),
        standards: rules
            .into_iter()
            .map(|(code, (_, name))| SuggestedStandard {
                code: code.to_string(),
                name: name.to_string(),
                text: format!(
                    "Enable {code} ({name}) in CI for the {} workflow",
                    workflow.key()
                ),
            })
            .collect(),
    }
}

/// The plan as pretty-printed JSON.
pub fn render_json(plan: &RolloutPlan) -> String {
    serde_json::to_string_pretty(plan).unwrap_or_else(|_| "{}".to_string())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests;
