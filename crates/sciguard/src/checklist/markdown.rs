//! The plan as GitHub-flavoured Markdown: task lists that paste into an issue, with
//! each item's id in an HTML comment (invisible once rendered) so ticks can be matched.

use super::{ChecklistItem, RolloutPlan, Scorecard};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Renders the plan; items whose id is in `ticked` are checked (`- [x]`).
pub fn render_markdown(plan: &RolloutPlan, ticked: &BTreeSet<String>) -> String {
    let mut out = String::new();
    let in_scope: Vec<_> = plan.files.iter().filter(|f| f.in_scope).collect();
    let findings: usize = in_scope.iter().map(|f| f.findings).sum();
    let _ = writeln!(out, "# Rollout plan: {} workflow\n", plan.workflow.title());
    let _ = writeln!(
        out,
        "Made by sciguard from {} in scope ({} lines, {}). Tick items as they are done.\n",
        super::plural(in_scope.len(), "file"),
        plan.scorecard.lines,
        super::plural(findings, "finding"),
    );
    scorecard(&mut out, &plan.scorecard);
    for phase in &plan.phases {
        let _ = writeln!(
            out,
            "## Phase {}: {}\n\n{}\n",
            phase.kind.number(),
            phase.title,
            phase.advice
        );
        for note in &phase.notes {
            let _ = writeln!(out, "> {}\n", one_line(note));
        }
        if phase.items.is_empty() {
            out.push_str("Nothing found for this phase.\n\n");
        } else {
            task_list(&mut out, &phase.items, ticked);
        }
    }
    out.push_str("## Pull request \"done\" checklist\n\n");
    task_list(&mut out, &plan.pr_checklist, ticked);
    out.push_str("## Retrospective template\n\nAfter an incident: half an hour, no blame.\n\n");
    for (n, question) in plan.retrospective.questions.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. **{}:** {}",
            n + 1,
            question.heading,
            question.prompt
        );
    }
    if !plan.retrospective.standards.is_empty() {
        out.push_str("\nStandards this check suggests:\n\n");
        for standard in &plan.retrospective.standards {
            let _ = writeln!(out, "- {}", standard.text);
        }
    }
    out
}

fn scorecard(out: &mut String, card: &Scorecard) {
    out.push_str("## Scorecard\n\n");
    out.push_str(
        "| Pillar | Findings | Weighted per 1,000 lines | Level | What good looks like |\n",
    );
    out.push_str("|---|--:|--:|---|---|\n");
    for score in &card.pillars {
        let _ = writeln!(
            out,
            "| {} | {} | {:.1} | {} | {} |",
            score.pillar.title(),
            score.findings,
            score.per_kloc,
            score.level.label(),
            cell(&score.signal)
        );
    }
    out.push_str("\nWeights: high 10, medium 5, low 2, info 0.");
    if card.syntax_errors > 0 {
        let _ = write!(
            out,
            " {} counted apart.",
            super::plural(card.syntax_errors, "syntax error")
        );
    }
    out.push_str("\n\n");
}

fn task_list(out: &mut String, items: &[ChecklistItem], ticked: &BTreeSet<String>) {
    for item in items {
        let mark = if ticked.contains(&item.id) { 'x' } else { ' ' };
        let _ = write!(out, "- [{mark}] ");
        if let Some(f) = &item.finding {
            let _ = write!(
                out,
                "`{}:{}` {} `{}` ({}): ",
                f.file, f.line, f.code, f.name, f.severity
            );
        }
        let _ = writeln!(out, "{} <!-- {} -->", one_line(&item.text), item.id);
    }
    out.push('\n');
}

/// Keeps an item on one line, so the task list stays a list.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keeps a table cell in its column.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}
