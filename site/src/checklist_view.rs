//! The checklist page: the rollout plan for what the playground holds, checked in a
//! worker as the playground checks it (so `[tool.sciguard]` applies the same way) and
//! planned with `sciguard::checklist`. Ticks are kept in local storage under each
//! item's stable id, so they survive reloads and edits elsewhere in the code.

use crate::app::set_on_change;
use crate::checker::{self, Answer, Checker};
use crate::markdown;
use crate::rules_view::severity_label;
use crate::scorecard::ScorecardView;
use crate::workspace::{self, KeptFile};
use sciguard::checklist::{self, ChecklistItem, FileScope, Phase, RolloutPlan, Workflow};
use sciguard::report::FileReport;
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Where ticks are kept: a JSON list of item ids.
pub const TICKS_KEY: &str = "sciguard.checklist.ticks";

/// Where the chosen workflow is kept (its key, or the custom name).
pub const WORKFLOW_KEY: &str = "sciguard.checklist.workflow";

/// The workflow select's value for a name the user types.
const CUSTOM: &str = "custom";

fn load_ticks() -> BTreeSet<String> {
    crate::kept::json::<Vec<String>>(TICKS_KEY)
        .map(|ids| ids.into_iter().collect())
        .unwrap_or_default()
}

fn save_ticks(ticks: &BTreeSet<String>) {
    let _ = crate::kept::keep_json(TICKS_KEY, ticks);
}

/// The kept workflow as (select value, custom name); ingestion the first time.
fn load_workflow() -> (String, String) {
    let kept = crate::kept::text(WORKFLOW_KEY)
        .and_then(|text| Workflow::parse(&text).ok())
        .unwrap_or(Workflow::Ingestion);
    match kept {
        Workflow::Custom(name) => (CUSTOM.to_string(), name),
        named => (named.key().to_string(), String::new()),
    }
}

/// Text with `code` spans, as it appears in findings, templates and the playbook.
pub fn inline_code(text: &str) -> Html {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part }</code> }
            } else {
                html! { { part } }
            }
        })
        .collect()
}

fn task(item: &ChecklistItem, ticked: bool, on_toggle: &Callback<String>) -> Html {
    let onchange = {
        let (on_toggle, id) = (on_toggle.clone(), item.id.clone());
        Callback::from(move |_: Event| on_toggle.emit(id.clone()))
    };
    html! {
        <li class={classes!("task", ticked.then_some("done"))} data-id={item.id.clone()}>
            <label>
                <input type="checkbox" checked={ticked} {onchange} />
                { for item.finding.as_ref().map(|f| html! { <>
                    <span class={classes!("sev", f.severity.key())}>{ severity_label(f.severity) }</span>
                    <code class="where">{ format!("{}:{}", f.file, f.line) }</code>
                    <a class="rule-link" href={format!("#/rules/{}", f.code)}>{ &f.code }</a>
                </> }) }
                <span class="task-text">{ inline_code(&item.text) }</span>
            </label>
        </li>
    }
}

fn progress(items: &[ChecklistItem], ticks: &BTreeSet<String>) -> String {
    let done = items.iter().filter(|i| ticks.contains(&i.id)).count();
    format!("{done} / {}", items.len())
}

fn phase_view(phase: &Phase, ticks: &BTreeSet<String>, on_toggle: &Callback<String>) -> Html {
    html! {
        <details open=true class="phase" data-phase={phase.kind.key()}>
            <summary>
                <span class="phase-title">{ format!("Phase {}: {}", phase.kind.number(), phase.title) }</span>
                <span class="progress">{ progress(&phase.items, ticks) }</span>
            </summary>
            <p class="advice">{ &phase.advice }</p>
            { for phase.notes.iter().map(|n| html! { <p class="notice">{ inline_code(n) }</p> }) }
            if phase.items.is_empty() {
                <p class="empty">{ "Nothing found for this phase." }</p>
            } else {
                <ul class="tasks">{ for phase.items.iter().map(|i| task(i, ticks.contains(&i.id), on_toggle)) }</ul>
            }
        </details>
    }
}

/// Where the page stands: checking the playground's files, or done.
enum Checked {
    Waiting,
    Failed(String),
    Done(Rc<Vec<FileReport>>),
}

fn heading_with(notice: Html) -> Html {
    html! {
        <div class="checklist">
            <h1>{ "Rollout checklist" }</h1>
            { notice }
        </div>
    }
}

/// The checklist page: checks what the playground holds (in the worker), then shows
/// the plan for it.
#[function_component(ChecklistPage)]
pub fn checklist_page() -> Html {
    let checked = use_state(|| Checked::Waiting);
    {
        let checked = checked.clone();
        use_effect_with((), move |_| {
            let files = Rc::new(workspace::load());
            let mut running = None;
            if files.is_empty() {
                checked.set(Checked::Done(Rc::default()));
            } else {
                let on_answer = {
                    let (checked, files) = (checked.clone(), files.clone());
                    move |answer: Answer| {
                        let unchecked = answer
                            .reports
                            .iter()
                            .find_map(|r| Some((&r.filename, r.unchecked.as_ref()?)));
                        checked.set(match (answer.error, unchecked) {
                            (Some(error), _) => Checked::Failed(format!(
                                "sciguard could not check the playground's files: {error}"
                            )),
                            // A plan from a partial check would pass over what was skipped.
                            (None, Some((name, why))) => Checked::Failed(format!(
                                "sciguard could not check all of {name}: {why}"
                            )),
                            (None, None) => {
                                let mut reports = answer.reports;
                                checker::restore_sources(&mut reports, &files);
                                Checked::Done(Rc::new(reports))
                            }
                        })
                    }
                };
                match Checker::start(on_answer) {
                    Ok(started) => {
                        let kept: Vec<KeptFile> = files
                            .iter()
                            .map(|f| KeptFile {
                                path: &f.path,
                                text: &f.text,
                                kind: f.kind,
                            })
                            .collect();
                        if !started.check(&kept, &crate::RunOptions::site()) {
                            checked.set(Checked::Failed(checker::NO_WORKER.into()));
                        }
                        running = Some(started);
                    }
                    Err(_) => checked.set(Checked::Failed(checker::NO_WORKER.into())),
                }
            }
            // Leaving the page stops the worker; an answer still on its way is dropped.
            move || drop(running)
        });
    }
    match &*checked {
        Checked::Waiting => heading_with(html! {
            <p class="checking" role="status">{ "Checking the playground's files…" }</p>
        }),
        Checked::Failed(message) => heading_with(html! {
            <p class="notice" role="status">{ message.clone() }</p>
        }),
        Checked::Done(reports) if reports.is_empty() => heading_with(html! { <>
            <p class="notice">{ "The playground is empty. Paste the code of the workflow you start with there, then come back." }</p>
            <p><a href="#/">{ "Open the playground" }</a></p>
            { learn_link() }
        </> }),
        Checked::Done(reports) => html! { <PlanView reports={reports.clone()} /> },
    }
}

/// Where new contributors start: the Learn page.
fn learn_link() -> Html {
    html! {
        <p class="learn-link">{ "Onboarding someone to this workflow? The " }<a href="#/learn">{ "Learn page" }</a>{ " has one exercise per pillar, built from the same rule pages." }</p>
    }
}

/// Properties: the reports of the playground's files.
#[derive(Properties, PartialEq)]
struct PlanProps {
    reports: Rc<Vec<FileReport>>,
}

/// The rollout plan for checked files: workflow, scope, phases, ticks and export.
#[function_component(PlanView)]
fn plan_view(props: &PlanProps) -> Html {
    let reports = props.reports.clone();
    let initial = use_memo((), |_| load_workflow());
    let choice = use_state(|| initial.0.clone());
    let custom = use_state(|| initial.1.clone());
    let excluded = use_state(BTreeSet::<String>::new);
    let ticks = use_state(load_ticks);
    let copied = use_state(|| None::<(String, Option<String>)>);

    let workflow = if *choice == CUSTOM {
        Workflow::parse(&custom).ok()
    } else {
        Workflow::parse(&choice).ok()
    };
    {
        let workflow = workflow.clone();
        use_effect_with(workflow, |workflow| {
            if let (Some(storage), Some(workflow)) = (crate::kept::storage(), workflow) {
                let _ = storage.set_item(WORKFLOW_KEY, workflow.key());
            }
        });
    }
    let scope = if excluded.is_empty() {
        FileScope::All
    } else {
        FileScope::Only(
            reports
                .iter()
                .map(|r| r.filename.clone())
                .filter(|p| !excluded.contains(p))
                .collect(),
        )
    };
    let plan: Rc<RolloutPlan> = use_memo(
        (workflow.clone(), scope, reports),
        |(workflow, scope, reports)| {
            let workflow = workflow
                .clone()
                .unwrap_or_else(|| Workflow::Custom("unnamed".to_string()));
            checklist::plan_in(crate::policies::registry(), reports, workflow, scope)
        },
    );

    let on_toggle = {
        let ticks = ticks.clone();
        Callback::from(move |id: String| {
            let mut next = (*ticks).clone();
            if !next.remove(&id) {
                next.insert(id);
            }
            save_ticks(&next);
            ticks.set(next);
        })
    };
    let on_choice = set_on_change(&choice);
    let on_custom = {
        let custom = custom.clone();
        Callback::from(move |e: InputEvent| {
            custom.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_copy = {
        let (plan, ticks, copied) = (plan.clone(), ticks.clone(), copied.clone());
        Callback::from(move |_| {
            let text = checklist::render_markdown(&plan, &ticks);
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = crate::clipboard::copy(&text).await;
                copied.set(Some((text, outcome.err())));
            });
        })
    };
    let on_download = {
        let (plan, ticks) = (plan.clone(), ticks.clone());
        Callback::from(move |_| {
            let text = checklist::render_markdown(&plan, &ticks);
            let name = format!(
                "sciguard-checklist-{}.md",
                markdown::slug(plan.workflow.key())
            );
            let _ = crate::clipboard::download(&name, "text/markdown", &text);
        })
    };

    let scope_boxes: Html = plan
        .files
        .iter()
        .map(|file| {
            let onchange = {
                let (excluded, path) = (excluded.clone(), file.path.clone());
                Callback::from(move |_: Event| {
                    let mut next = (*excluded).clone();
                    if !next.remove(&path) {
                        next.insert(path.clone());
                    }
                    excluded.set(next);
                })
            };
            html! {
                <label class="scope-file">
                    <input type="checkbox" checked={file.in_scope} {onchange} />
                    <code>{ &file.path }</code>
                    { format!(" ({} lines, {} finding{})", file.lines, file.findings, if file.findings == 1 { "" } else { "s" }) }
                </label>
            }
        })
        .collect();

    let retro = &plan.retrospective;
    html! {
        <div class="checklist">
            <h1>{ format!("Rollout checklist: {} workflow", plan.workflow.title()) }</h1>
            <p class="lead">{ "Roll the practices out in phases for one workflow, not all at once. Ticks are kept in this browser, per item, and survive edits elsewhere in the code." }</p>
            { learn_link() }
            <div class="toolbar">
                <label>{ "Start with " }
                    <select class="workflow" onchange={on_choice} aria-label="Workflow">
                        { for Workflow::NAMED.iter().map(|w| html! {
                            <option value={w.key().to_string()} selected={*choice == w.key()}>{ w.title() }</option>
                        }) }
                        <option value={CUSTOM} selected={*choice == CUSTOM}>{ "Another workflow…" }</option>
                    </select>
                </label>
                if *choice == CUSTOM {
                    <input class="workflow-name" type="text" placeholder="Name the workflow" aria-label="Workflow name"
                        value={(*custom).clone()} oninput={on_custom} />
                }
                <button class="copy-md" onclick={on_copy}>{ "Copy as Markdown" }</button>
                <button class="download-md" onclick={on_download}>{ "Download .md" }</button>
            </div>
            if workflow.is_none() {
                <p class="notice">{ "Name the workflow to start with." }</p>
            }
            { for copied.as_ref().map(|(text, refused)| html! {
                <div class="copied">
                    <p role="status">{ match refused {
                        None => "Copied as Markdown (GitHub task lists). It is also here:".to_string(),
                        Some(why) => format!("Not copied: {why}. Select the Markdown below and copy it:"),
                    } }</p>
                    <textarea class="markdown-out" readonly=true aria-label="Checklist as Markdown" rows="8" value={text.clone()} />
                </div>
            }) }
            <fieldset class="scope">
                <legend>{ "Files in this workflow" }</legend>
                { scope_boxes }
            </fieldset>
            <ScorecardView card={Rc::new(plan.scorecard.clone())} detailed=true />
            { for plan.phases.iter().map(|p| phase_view(p, &ticks, &on_toggle)) }
            <details open=true class="phase pr" data-phase="pull-request">
                <summary>
                    <span class="phase-title">{ "Pull request \"done\" checklist" }</span>
                    <span class="progress">{ progress(&plan.pr_checklist, &ticks) }</span>
                </summary>
                <p class="advice">{ "Short enough to be read on every pull request in this workflow." }</p>
                <ul class="tasks">{ for plan.pr_checklist.iter().map(|i| task(i, ticks.contains(&i.id), &on_toggle)) }</ul>
            </details>
            <details open=true class="phase retro" data-phase="retrospective">
                <summary><span class="phase-title">{ "Retrospective template" }</span></summary>
                <p class="advice">{ "After an incident: half an hour, no blame. Turn the lesson into a standard." }</p>
                <ol>{ for retro.questions.iter().map(|q| html! { <li><strong>{ format!("{}: ", q.heading) }</strong>{ inline_code(&q.prompt) }</li> }) }</ol>
                if !retro.standards.is_empty() {
                    <p>{ "Standards this check suggests:" }</p>
                    <ul class="standards">{ for retro.standards.iter().map(|s| html! { <li>{ &s.text }</li> }) }</ul>
                }
            </details>
        </div>
    }
}
