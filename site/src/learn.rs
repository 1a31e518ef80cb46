//! The Learn page: one exercise per pillar for new contributors. Each exercise is a rule
//! page marked `exercise = true`: its example goes into an editor, and the reader fixes
//! it until the rule no longer fires. Nothing is written twice: the text, the "why" and
//! the hint all come from the rule's page. Progress is kept in this browser.

use crate::checker::{Answer, Checker};
use crate::markdown;
use crate::workspace::KeptFile;
use crate::RunOptions;
use sciguard::report::{Finding, Pillar};
use sciguard::rules::{Registry, Rule};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Where progress is kept.
const KEPT_KEY: &str = "sciguard.learn";

/// One exercise: a rule and the example the reader starts from.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    /// The rule to satisfy (`SCI202`).
    pub code: String,
    /// The pillar it teaches.
    pub pillar: Pillar,
    /// The example's file name (`example.py`).
    pub file: String,
    /// The example: code the rule reports.
    pub start: String,
}

/// The exercises in the registry, the first marked one per pillar, in pillar order.
pub fn exercises(registry: &Registry) -> Vec<Exercise> {
    Pillar::ALL
        .iter()
        .filter_map(|pillar| {
            let rule: &Rule = registry
                .rules()
                .map(|(_, r)| r)
                .find(|r| r.exercise && r.pillar == *pillar)?;
            let (file, start) = rule.example_file("Example")?;
            Some(Exercise {
                code: rule.code.clone(),
                pillar: *pillar,
                file: file.to_string(),
                start: start.to_string(),
            })
        })
        .collect()
}

/// The `def` and `class` names of a text (a fix keeps them; deleting the code is no fix).
fn definitions(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let rest = line
                .strip_prefix("def ")
                .or_else(|| line.strip_prefix("async def "))
                .or_else(|| line.strip_prefix("class "))?;
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            Some(&rest[..end])
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// Whether the edited text completes the exercise, given its findings; `Err` says what
/// is still missing.
pub fn verdict(exercise: &Exercise, edited: &str, findings: &[Finding]) -> Result<(), String> {
    if findings.iter().any(|f| f.code == "SCI000") {
        return Err("The code has a syntax error: fix it first.".into());
    }
    let left = findings.iter().filter(|f| f.code == exercise.code).count();
    if left > 0 {
        return Err(format!(
            "{} still reports {left} finding{} here.",
            exercise.code,
            if left == 1 { "" } else { "s" }
        ));
    }
    let ours = definitions(edited);
    let missing: Vec<&str> = definitions(&exercise.start)
        .into_iter()
        .filter(|name| !ours.contains(name))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "Keep {} and fix the code inside: deleting it is not a fix.",
            missing
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(())
}

/// What this browser remembers: finished exercises and the text of each.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Codes of the exercises completed.
    #[serde(default)]
    pub done: Vec<String>,
    /// The reader's text per exercise code.
    #[serde(default)]
    pub texts: BTreeMap<String, String>,
}

fn load_progress() -> Progress {
    crate::kept::json(KEPT_KEY).unwrap_or_default()
}

fn keep_progress(progress: &Progress) {
    // Progress that cannot be kept is only lost on reload; the page still works.
    let _ = crate::kept::keep_json(KEPT_KEY, progress);
}

/// The state of the exercise on screen.
#[derive(PartialEq)]
enum Status {
    Checking,
    Checked(Vec<Finding>),
    Failed(String),
}

/// The Learn page.
#[function_component(LearnPage)]
pub fn learn_page() -> Html {
    let registry = crate::policies::registry();
    let all = use_memo((), |_| exercises(registry));
    let progress = use_state(load_progress);
    let current = use_state(|| {
        let progress = load_progress();
        all.iter()
            .position(|e| !progress.done.contains(&e.code))
            .unwrap_or(0)
    });
    let status = use_state(|| Rc::new(Status::Checking));
    let checker = use_mut_ref(|| None::<Checker>);
    let debounce = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);

    let Some(exercise) = all.get(*current).cloned() else {
        return html! { <section class="learn prose"><h1>{ "Learn" }</h1><p>{ "No rule page is marked as an exercise." }</p></section> };
    };
    let text = progress
        .texts
        .get(&exercise.code)
        .cloned()
        .unwrap_or_else(|| exercise.start.clone());

    {
        let (checker, status) = (checker.clone(), status.clone());
        use_effect_with((), move |_| {
            let answered = status.clone();
            let on_answer = move |answer: Answer| {
                answered.set(Rc::new(match answer.error {
                    Some(error) => Status::Failed(error),
                    None => Status::Checked(
                        answer
                            .reports
                            .into_iter()
                            .next()
                            .map(|r| r.findings)
                            .unwrap_or_default(),
                    ),
                }));
            };
            if let Ok(started) = Checker::start(on_answer) {
                *checker.borrow_mut() = Some(started);
            } else {
                status.set(Rc::new(Status::Failed(crate::checker::NO_WORKER.into())));
            }
            move || drop(checker.borrow_mut().take())
        });
    }
    {
        let (checker, debounce, status) = (checker.clone(), debounce.clone(), status.clone());
        let (file, text_now) = (exercise.file.clone(), text.clone());
        use_effect_with((exercise.code.clone(), text.clone()), move |_| {
            if let Some(checker) = checker.borrow().as_ref() {
                checker.forget_pending();
            }
            status.set(Rc::new(Status::Checking));
            let timeout =
                gloo_timers::callback::Timeout::new(crate::playground::DEBOUNCE_MS, move || {
                    let kept = KeptFile {
                        path: &file,
                        text: &text_now,
                        kind: None,
                    };
                    if let Some(checker) = checker.borrow().as_ref() {
                        checker.check(std::slice::from_ref(&kept), &RunOptions::every_rule());
                    }
                });
            *debounce.borrow_mut() = Some(timeout);
        });
    }

    // A passing check marks the exercise done (and it stays done).
    let outcome = match &**status {
        Status::Checked(findings) => Some(verdict(&exercise, &text, findings)),
        _ => None,
    };
    {
        let (progress, code) = (progress.clone(), exercise.code.clone());
        let passed = matches!(outcome, Some(Ok(())));
        use_effect_with((passed, code.clone()), move |_| {
            if passed && !progress.done.contains(&code) {
                let mut next = (*progress).clone();
                next.done.push(code);
                keep_progress(&next);
                progress.set(next);
            }
        });
    }

    let on_input = {
        let (progress, code) = (progress.clone(), exercise.code.clone());
        Callback::from(move |e: InputEvent| {
            let mut next = (*progress).clone();
            next.texts.insert(
                code.clone(),
                e.target_unchecked_into::<HtmlTextAreaElement>().value(),
            );
            keep_progress(&next);
            progress.set(next);
        })
    };
    let on_reset = {
        let (progress, code) = (progress.clone(), exercise.code.clone());
        Callback::from(move |_| {
            let mut next = (*progress).clone();
            next.texts.remove(&code);
            keep_progress(&next);
            progress.set(next);
        })
    };
    let rule = registry.find(&exercise.code).map(|id| registry.rule(id));
    let why = rule
        .and_then(|r| r.section("Why is this bad?"))
        .map(|s| markdown::render(s, "#/playbook", registry));
    let hint = rule
        .and_then(|r| r.section("Use instead"))
        .map(|s| markdown::render(s, "#/playbook", registry));
    let done_count = all
        .iter()
        .filter(|e| progress.done.contains(&e.code))
        .count();
    let findings_here: Vec<&Finding> = match &**status {
        Status::Checked(findings) => findings
            .iter()
            .filter(|f| f.code == exercise.code)
            .collect(),
        _ => Vec::new(),
    };
    let verdict_view = match (&**status, &outcome) {
        (Status::Failed(why), _) => {
            html! { <p class="check-failed" role="alert">{ format!("sciguard could not check this text: {why}.") }</p> }
        }
        (_, Some(Ok(()))) => {
            html! { <p class="exercise-passed" role="status">{ format!("✓ Done: {} no longer fires, and the code still does its job.", exercise.code) }</p> }
        }
        (_, Some(Err(missing))) => {
            html! { <p class="exercise-todo" role="status">{ missing.clone() }</p> }
        }
        _ => html! { <p class="exercise-todo" role="status">{ "checking…" }</p> },
    };
    let lines = text.split('\n').count().max(6);

    html! {
        <section class="learn">
            <h1>{ "Learn" }</h1>
            <p>{ format!("One short exercise per pillar, from the playbook's own rule pages. Fix the code until the check passes; progress stays in this browser. {done_count} of {} done.", all.len()) }</p>
            <ol class="exercise-list">
                { for all.iter().enumerate().map(|(i, e)| {
                    let onclick = { let current = current.clone(); Callback::from(move |_| current.set(i)) };
                    let done = progress.done.contains(&e.code);
                    html! {
                        <li>
                            <button class={classes!("exercise-tab", (i == *current).then_some("active"), done.then_some("done"))}
                                aria-current={(i == *current).then_some("step")} data-code={e.code.clone()} {onclick}>
                                { format!("{}{}: {}", if done { "✓ " } else { "" }, e.pillar.title(), e.code) }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            <div class="exercise" data-code={exercise.code.clone()}>
                <h2>{ format!("{}: {}", exercise.pillar.title(), rule.map_or("", |r| r.summary.as_str())) }</h2>
                <p>{ format!("Change the code so that {} ({}) no longer reports it, keeping what it does.", exercise.code, rule.map_or("", |r| r.name.as_str())) }</p>
                <textarea class="code exercise-code" spellcheck="false" wrap="off" rows={lines.to_string()}
                    aria-label={format!("Exercise code for {}", exercise.code)} value={text} oninput={on_input} />
                { verdict_view }
                <ul class="exercise-findings">
                    { for findings_here.iter().map(|f| html! { <li>{ format!("line {}: {}", f.span.start.row, f.message) }</li> }) }
                </ul>
                <p><button class="exercise-reset" onclick={on_reset}>{ "Start this exercise again" }</button>{ " " }
                    <a href={format!("#/rules/{}", exercise.code)}>{ format!("The {} rule page", exercise.code) }</a></p>
                { for why.map(|h| html! { <details class="prose"><summary>{ "Why it matters" }</summary>{ Html::from_html_unchecked(AttrValue::from(h)) }</details> }) }
                { for hint.map(|h| html! { <details class="prose fix-hint"><summary>{ "Show a fix" }</summary>{ Html::from_html_unchecked(AttrValue::from(h)) }</details> }) }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(file: &str, text: &str) -> Vec<Finding> {
        sciguard::check(file, text, &sciguard::settings::Settings::default()).findings
    }

    #[test]
    fn there_is_one_exercise_per_pillar_and_each_can_be_done() {
        let all = exercises(Registry::builtin());
        let pillars: Vec<Pillar> = all.iter().map(|e| e.pillar).collect();
        assert_eq!(pillars, Pillar::ALL.to_vec());
        for exercise in &all {
            let start = findings(&exercise.file, &exercise.start);
            assert!(
                verdict(exercise, &exercise.start, &start).is_err(),
                "{}: the example must not pass as given",
                exercise.code
            );
            let rule = Registry::builtin().rule(Registry::builtin().find(&exercise.code).unwrap());
            let (_, fixed) = rule.example_file("Use instead").expect("a fix on the page");
            let after = findings(&exercise.file, fixed);
            assert_eq!(
                verdict(exercise, fixed, &after),
                Ok(()),
                "{}: the page's own fix must pass",
                exercise.code
            );
        }
    }

    #[test]
    fn deleting_the_code_or_breaking_it_does_not_pass() {
        let all = exercises(Registry::builtin());
        let exercise = all.iter().find(|e| e.code == "SCI202").expect("SCI202");
        let gone = "import numpy as np\n";
        assert!(verdict(exercise, gone, &findings(&exercise.file, gone))
            .unwrap_err()
            .contains("`load_embeddings`"));
        let broken = "def load_embeddings(path:\n    return np.load(path)\n";
        assert!(verdict(exercise, broken, &findings(&exercise.file, broken))
            .unwrap_err()
            .contains("syntax error"));
    }
}
