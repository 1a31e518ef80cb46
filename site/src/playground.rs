//! The playground: tabs of files checked together as one project (in a Web Worker), an
//! editor with line numbers, findings as you type, details with the rule's advice,
//! one-click fixes, examples, share links, and files or folders opened from disk.

use crate::app::set_on_change;
use crate::checker::{self, Answer, Checker};
use crate::editor::{self, Checked, Editor, MAX_MARKED_LINES};
use crate::findings_view::{self, Details};
use crate::opening::{self, Skipped};
use crate::rule_settings::{self, RuleSettings};
use crate::rule_settings_view::RuleSettingsPane;
use crate::scorecard::ScorecardView;
use crate::share::{Bundle, Link, SharedFinding};
use crate::share_view::{self, ShareBox};
use crate::tabs::{Tab, TabAction, Tabs};
use crate::workspace::{self, KeptFile, NotKept};
use sciguard::checklist::Scorecard;
use sciguard::input::SourceKind;
use sciguard::report::{FileReport, Finding, Pillar};
use sciguard::SourceFile;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{File, FileSystemEntry, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Wait this long after the last change before checking (the editor itself tells of
/// typing once it pauses for `editor::TELL_PAGE_MS`, so a check goes out about 200 ms
/// after typing stops).
pub(crate) const DEBOUNCE_MS: u32 = 100;

pub(crate) const EXAMPLES: [(&str, &str); 4] = [
    (
        "Guardrails at edges",
        "import numpy as np\nimport torch\n\ndef load_features(path):\n    return np.load(path, allow_pickle=True)\n\ndef load_model(path):\n    return torch.load(path, weights_only=False)\n",
    ),
    (
        "Failure planning",
        "import time\nimport requests\n\ndef fetch(url):\n    while True:\n        try:\n            response = requests.get(url)\n            return response.json()\n        except Exception:\n            time.sleep(5)\n",
    ),
    (
        "Operational feedback",
        "import warnings\nimport numpy as np\n\nwarnings.filterwarnings(\"ignore\")\nnp.seterr(all=\"ignore\")\n\ndef normalise(x):\n    return x / x.sum()\n",
    ),
    (
        "Explicit boundaries",
        "from numpy import *\n\ndef collect(batch, seen=[]):\n    seen.extend(batch)\n    return seen\n",
    ),
];

/// Properties: shared text from a link, if the page was opened with one.
#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    /// The `code=` token from the URL fragment.
    pub shared: Option<String>,
    /// The shared file's name (`name=`), which decides its kind unless `kind=` does.
    #[prop_or_default]
    pub name: Option<String>,
    /// The shared file's kind (`kind=requirements`).
    #[prop_or_default]
    pub kind: Option<String>,
    /// The `s=` token of a share link: tabs, settings and a finding ([`Bundle`]).
    #[prop_or_default]
    pub bundle: Option<String>,
}

/// The tab the examples open in.
const EXAMPLE_NAME: &str = "example.py";

const DAMAGED_LINK: &str = "This share link is damaged or too large; nothing was loaded.";

fn link_of(props: &PlaygroundProps) -> Link {
    Link {
        code: props.shared.clone(),
        name: props.name.clone(),
        kind: props.kind.clone(),
        bundle: props.bundle.clone(),
    }
}

/// The kept tabs (or the first example), plus the tabs of a share link; a notice, and
/// the finding the link selects.
fn initial_tabs(props: &PlaygroundProps) -> (Tabs, Option<String>, Option<SharedFinding>) {
    let mut tabs = match workspace::load_kept() {
        Some(kept) => Tabs::new(kept.files, kept.active),
        None => Tabs::example(EXAMPLES[0].1),
    };
    match link_of(props).bundle() {
        Some(Some(bundle)) => {
            let notice = share_view::take_settings(&bundle, "a share link");
            // Taken once: a reload shows the tabs as kept, without opening the link again.
            crate::embed::replace_address("#/");
            tabs.apply(TabAction::OpenShowing(bundle.source_files(), bundle.active));
            (tabs, Some(notice), bundle.finding)
        }
        Some(None) => (tabs, Some(DAMAGED_LINK.to_string()), None),
        None => (tabs, None, None),
    }
}

/// The findings of the last check, per tab id.
#[derive(Default, PartialEq)]
struct Results {
    by_tab: Vec<(u32, Rc<Checked>)>,
    /// Tabs sciguard did not check in full, with where and why.
    unchecked: Vec<(u32, String)>,
    /// How long the worker took; `None` before the first result.
    ms: Option<f64>,
    /// Why the last check did not complete: then nothing is known about the tabs.
    failed: Option<String>,
}

impl Results {
    /// Gives each report to the tab it was sent for. Reports come in the order sent,
    /// less the files `[tool.sciguard]` excludes (those tabs get none).
    fn of(sent: &[SentTab], reports: Vec<FileReport>, ms: Option<f64>) -> Results {
        let mut sent = sent.iter();
        let mut unchecked = Vec::new();
        let by_tab = reports
            .into_iter()
            .filter_map(|report| {
                let tab = sent.find(|t| t.name == report.filename)?;
                if let Some(why) = report.unchecked {
                    unchecked.push((tab.id, why));
                }
                let checked = Checked {
                    text: tab.text.clone(),
                    findings: report.findings,
                };
                Some((tab.id, Rc::new(checked)))
            })
            .collect();
        Results {
            by_tab,
            unchecked,
            ms,
            failed: None,
        }
    }

    /// A check that did not complete: no tab has findings, and the page says why.
    fn failed(why: String, ms: Option<f64>) -> Results {
        Results {
            ms,
            failed: Some(why),
            ..Results::default()
        }
    }

    /// Why a tab was not checked in full, if it was not.
    fn unchecked(&self, tab: u32) -> Option<&str> {
        self.unchecked
            .iter()
            .find(|(id, _)| *id == tab)
            .map(|(_, why)| why.as_str())
    }

    fn findings(&self, tab: u32) -> Option<&Vec<Finding>> {
        self.checked(tab).map(|c| &c.findings)
    }

    /// The findings of a tab and the text they were found in.
    fn checked(&self, tab: u32) -> Option<&Rc<Checked>> {
        self.by_tab
            .iter()
            .find(|(id, _)| *id == tab)
            .map(|(_, c)| c)
    }
}

/// A tab as it was sent in the latest check (reports name files, not tabs).
struct SentTab {
    id: u32,
    name: String,
    text: Rc<str>,
}

/// Files the user handed over, before they are read.
enum Opening {
    /// From a file input: files with their paths.
    Picked(Vec<(String, File)>),
    /// From a drop: files and folders still to walk.
    Dropped(Vec<FileSystemEntry>),
}

/// Moves the keyboard focus to a tab once it is drawn.
fn focus_tab(id: u32) {
    gloo_timers::callback::Timeout::new(0, move || {
        if let Some(button) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&format!("tab-{id}")))
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = button.focus();
        }
    })
    .forget();
}

/// The playground page.
#[function_component(Playground)]
pub fn playground(props: &PlaygroundProps) -> Html {
    let initial = use_memo((), |_| initial_tabs(props));
    let tabs = use_reducer(|| initial.0.clone());
    let notice = use_state(|| initial.1.clone());
    // Read after `initial`, which puts a share link's settings in force.
    let settings = use_state(rule_settings::current);
    let pending_finding = use_mut_ref(|| initial.2.clone());
    let not_kept = use_state_eq(|| None::<NotKept>);
    let results = use_state(|| Rc::new(Results::default()));
    let checking = use_state_eq(|| false);
    let selected = use_state(|| None::<usize>);
    let dragging = use_state_eq(|| false);
    let name_draft = use_state(|| None::<(u32, String)>);
    let pillar_filter = use_state(String::new);
    let severity_filter = use_state(String::new);
    let checker = use_mut_ref(|| None::<Checker>);
    let sent = use_mut_ref(Vec::<SentTab>::new);
    let checked = use_mut_ref(|| None::<(u64, RuleSettings)>);
    let seen_link = use_mut_ref(|| link_of(props));
    let debounce = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let editor = use_node_ref();
    let scroller = use_node_ref();
    let files_input = use_node_ref();
    let folder_input = use_node_ref();

    // A new share link (the hash changed while the page was open) opens its tabs.
    {
        let (tabs, notice, settings) = (tabs.dispatcher(), notice.clone(), settings.clone());
        let pending_finding = pending_finding.clone();
        use_effect_with(link_of(props), move |link| {
            if *seen_link.borrow() != *link {
                *seen_link.borrow_mut() = link.clone();
                match link.bundle() {
                    Some(Some(bundle)) => {
                        notice.set(Some(share_view::take_settings(&bundle, "a share link")));
                        crate::embed::replace_address("#/");
                        // The settings in force: the link's, unless they were refused.
                        settings.set(crate::rule_settings::current());
                        *pending_finding.borrow_mut() = bundle.finding.clone();
                        tabs.dispatch(TabAction::OpenShowing(bundle.source_files(), bundle.active));
                    }
                    Some(None) => notice.set(Some(DAMAGED_LINK.into())),
                    None => {}
                }
            }
        });
    }

    // One worker for the page's lifetime.
    {
        let (checker, sent) = (checker.clone(), sent.clone());
        let (results, checking, notice) = (results.clone(), checking.clone(), notice.clone());
        use_effect_with((), move |_| {
            let on_answer = {
                move |answer: Answer| {
                    results.set(Rc::new(match answer.error {
                        Some(error) => Results::failed(error, answer.ms),
                        None => Results::of(&sent.borrow(), answer.reports, answer.ms),
                    }));
                    checking.set(false);
                }
            };
            match Checker::start(on_answer) {
                Ok(started) => *checker.borrow_mut() = Some(started),
                Err(_) => notice.set(Some(checker::NO_WORKER.into())),
            }
            move || drop(checker.borrow_mut().take())
        });
    }

    // Check every tab together (debounced) when any of them changes, and keep the tabs.
    {
        let (state, checker, sent, debounce) = (
            tabs.clone(),
            checker.clone(),
            sent.clone(),
            debounce.clone(),
        );
        let (checking, not_kept) = (checking.clone(), not_kept.clone());
        let key = (tabs.revision, tabs.active, (*settings).clone());
        use_effect_with(key, move |(revision, _, settings)| {
            let now = (*revision, settings.clone());
            let recheck = checked.borrow().as_ref() != Some(&now);
            if recheck {
                // Results still on their way describe tabs that have changed since.
                if let Some(checker) = checker.borrow().as_ref() {
                    checker.forget_pending();
                }
                checking.set(true);
            }
            // The first check of the page goes out at once: nobody is typing yet.
            let delay = if checked.borrow().is_none() {
                0
            } else {
                DEBOUNCE_MS
            };
            let timeout = gloo_timers::callback::Timeout::new(delay, move || {
                let kept: Vec<KeptFile> = state.tabs.iter().map(Tab::kept).collect();
                not_kept.set(workspace::keep(&kept, state.active).err());
                if !recheck {
                    return;
                }
                let posted = checker
                    .borrow()
                    .as_ref()
                    .is_some_and(|c| c.check(&kept, &crate::RunOptions::site()));
                if posted {
                    *sent.borrow_mut() = state
                        .tabs
                        .iter()
                        .map(|t| SentTab {
                            id: t.id,
                            name: t.name.clone(),
                            text: t.text.clone(),
                        })
                        .collect();
                    *checked.borrow_mut() = Some(now);
                }
            });
            *debounce.borrow_mut() = Some(timeout);
        });
    }

    // Esc closes the finding's detail wherever the focus is (a click on a finding leaves
    // it on the page's body once the list redraws).
    {
        let selected = selected.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    selected.set(None);
                }
            });
            crate::listen(web_sys::window().map(Into::into), "keydown", listener)
        });
    }

    let tab = tabs.current().clone();

    // The shown tab stays in sight in a long tab strip, also when a new name or its
    // first count of findings widens it.
    let counted = results.findings(tab.id).is_some();
    use_effect_with((tab.id, tab.name.clone(), counted), |(id, _, _)| {
        // The tab with its close button, not the name alone. Only the strip scrolls:
        // `scrollIntoView` would also scroll the page, and a wiki page embedding this one.
        if let Some(tab) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&format!("tab-{id}")))
            .and_then(|button| button.parent_element())
            .and_then(|tab| tab.dyn_into::<HtmlElement>().ok())
        {
            if let Some(strip) = tab.parent_element() {
                let (left, width) = (tab.offset_left(), tab.offset_width());
                let (shown, room) = (strip.scroll_left(), strip.client_width());
                if left < shown {
                    strip.set_scroll_left(left);
                } else if left + width > shown + room {
                    strip.set_scroll_left(left + width - room);
                }
            }
        }
    });
    let empty = Vec::new();
    let findings: &Vec<Finding> = results.findings(tab.id).unwrap_or(&empty);
    // Detected once per render (it reads the text); `kind` is what the tab is checked as.
    let detected = tab.detected();
    let kind = tab.kind.unwrap_or(detected);

    let on_input = {
        let (tabs, selected, id) = (tabs.dispatcher(), selected.clone(), tab.id);
        Callback::from(move |text: Rc<str>| {
            tabs.dispatch(TabAction::Edit(id, text));
            selected.set(None);
        })
    };
    // Fixes and `# noqa` are typed into the editor, so that Ctrl+Z undoes them.
    let apply = {
        let (editor, selected) = (editor.clone(), selected.clone());
        Callback::from(move |fixed: String| {
            editor::edit_to(&editor, &fixed);
            selected.set(None);
        })
    };

    let visible: Vec<usize> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| pillar_filter.is_empty() || f.pillar.key() == pillar_filter.as_str())
        .filter(|(_, f)| severity_filter.is_empty() || f.severity.key() == severity_filter.as_str())
        .map(|(i, _)| i)
        .collect();

    let select = {
        let (selected, results, text, id, editor, scroller) = (
            selected.clone(),
            results.clone(),
            tab.text.clone(),
            tab.id,
            editor.clone(),
            scroller.clone(),
        );
        Callback::from(move |index: usize| {
            let Some(finding) = results.findings(id).and_then(|f| f.get(index)) else {
                return;
            };
            selected.set(Some(index));
            editor::show_in_editor(finding, &text, &editor, &scroller);
        })
    };

    // A share link's finding is selected once its tab's findings arrive.
    {
        let (select, id) = (select.clone(), tab.id);
        use_effect_with(results.clone(), move |results| {
            let Some(wanted) = pending_finding.borrow().clone() else {
                return;
            };
            let Some(found) = results.findings(id) else {
                return;
            };
            *pending_finding.borrow_mut() = None;
            if let Some(i) = found
                .iter()
                .position(|f| f.code == wanted.code && f.span.start.row == wanted.line)
            {
                select.emit(i);
            }
        });
    }

    let on_keydown = {
        let (select, selected, visible) = (select.clone(), selected.clone(), visible.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "F8" || visible.is_empty() {
                return;
            }
            e.prevent_default();
            let at = selected.and_then(|s| visible.iter().position(|v| *v == s));
            let next = match (at, e.shift_key()) {
                (None, false) => 0,
                (None, true) => visible.len() - 1,
                (Some(i), false) => (i + 1) % visible.len(),
                (Some(i), true) => (i + visible.len() - 1) % visible.len(),
            };
            select.emit(visible[next]);
        })
    };

    let on_kind = {
        let (tabs, id) = (tabs.dispatcher(), tab.id);
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            tabs.dispatch(TabAction::SetKind(id, SourceKind::from_key(&value)));
        })
    };
    // A name is applied as it is typed (the tab, its kind and its findings follow each
    // keystroke); the field shows the draft as typed, since the tab's name is trimmed
    // and never empty, until Enter or leaving the field.
    let name_value = match &*name_draft {
        Some((id, draft)) if *id == tab.id => draft.clone(),
        _ => tab.name.clone(),
    };
    let on_name_input = {
        let (tabs, name_draft, id) = (tabs.dispatcher(), name_draft.clone(), tab.id);
        Callback::from(move |e: InputEvent| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            tabs.dispatch(TabAction::Rename(id, typed.clone()));
            name_draft.set(Some((id, typed)));
        })
    };
    let on_rename = {
        let (tabs, name_draft, id) = (tabs.dispatcher(), name_draft.clone(), tab.id);
        Callback::from(move |e: Event| {
            let name = e.target_unchecked_into::<HtmlInputElement>().value();
            tabs.dispatch(TabAction::Rename(id, name));
            name_draft.set(None);
        })
    };
    let on_show_all = {
        let (pillar_filter, severity_filter) = (pillar_filter.clone(), severity_filter.clone());
        Callback::from(move |_| {
            pillar_filter.set(String::new());
            severity_filter.set(String::new());
        })
    };
    let on_pillar = set_on_change(&pillar_filter);
    let on_severity = set_on_change(&severity_filter);
    let make_bundle = {
        let (tabs, settings) = (tabs.clone(), settings.clone());
        let finding = selected
            .and_then(|i| findings.get(i))
            .map(|f| SharedFinding {
                code: f.code.clone(),
                line: f.span.start.row,
            });
        Callback::from(move |()| Bundle::of(&tabs, (*settings).clone(), finding.clone()))
    };
    let on_settings = {
        let (settings, not_kept_settings) = (settings.clone(), notice.clone());
        Callback::from(move |next: RuleSettings| {
            if let Err(why) = rule_settings::set(next.clone()) {
                not_kept_settings.set(Some(format!(
                    "The rule settings are in force on this page but not kept: {why}."
                )));
            }
            settings.set(next);
        })
    };

    // Opening files: read locally, then shown as tabs with a notice of what was skipped.
    let open_files = {
        let (tabs, notice, selected) = (tabs.dispatcher(), notice.clone(), selected.clone());
        let settings = settings.clone();
        Callback::from(move |files: Opening| {
            notice.set(Some("Opening files…".into()));
            let (tabs, notice, selected) = (tabs.clone(), notice.clone(), selected.clone());
            let settings = settings.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let (mut files, skipped) = match files {
                    Opening::Picked(files) => (files, Skipped::default()),
                    Opening::Dropped(entries) => opening::walk(entries).await,
                };
                // Downloaded share bundles open as the tabs and settings they hold.
                let (bundles, problems) = share_view::take_bundles(&mut files).await;
                let mut messages = problems;
                for bundle in bundles {
                    messages.push(share_view::take_settings(&bundle, "a file"));
                    if let Some(taken) = &bundle.settings {
                        settings.set(taken.clone());
                    }
                    tabs.dispatch(TabAction::OpenShowing(bundle.source_files(), bundle.active));
                }
                if !files.is_empty() || messages.is_empty() {
                    let (opened, message) = opening::open(files, skipped).await;
                    tabs.dispatch(TabAction::Open(opened));
                    messages.push(message);
                }
                selected.set(None);
                notice.set(Some(messages.join(" ")));
            });
        })
    };
    let on_picked = {
        let open_files = open_files.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(list) = input.files() else {
                return;
            };
            let files = opening::from_file_list(&list);
            // Cleared, so that choosing the same files again is noticed.
            input.set_value("");
            if !files.is_empty() {
                open_files.emit(Opening::Picked(files));
            }
        })
    };
    let click = |input: &NodeRef| {
        let input = input.clone();
        Callback::from(move |_| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            if e.data_transfer()
                .is_some_and(|t| opening::carries_files(&t))
            {
                e.prevent_default();
                dragging.set(true);
            }
        })
    };
    let on_dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let (dragging, open_files) = (dragging.clone(), open_files.clone());
        Callback::from(move |e: DragEvent| {
            dragging.set(false);
            // Text dragged within the editor is left to the browser.
            let Some(transfer) = e.data_transfer().filter(opening::carries_files) else {
                return;
            };
            e.prevent_default();
            let entries = opening::dropped_entries(&transfer);
            if !entries.is_empty() {
                open_files.emit(Opening::Dropped(entries));
            } else if let Some(list) = transfer.files() {
                // Browsers without entries (or scripted drops) still hand over the files.
                open_files.emit(Opening::Picked(opening::from_file_list(&list)));
            }
        })
    };

    let line_count = *use_memo((tab.id, tab.version), {
        let text = tab.text.clone();
        move |_| text.split('\n').count()
    });
    let large = line_count > MAX_MARKED_LINES;
    let current_line = selected
        .and_then(|i| results.findings(tab.id)?.get(i))
        .filter(|f| f.cell.is_none())
        .map(|f| f.span.start.row);
    let checked = results.checked(tab.id).cloned().unwrap_or_default();

    let all: Vec<&Finding> = results
        .by_tab
        .iter()
        .filter(|(id, _)| tabs.tabs.iter().any(|t| t.id == *id))
        .flat_map(|(_, c)| &c.findings)
        .collect();
    // The scorecard covers every tab, as the checklist page does. Lines are counted as
    // `str::lines` does (no line after a final newline), as the CLI counts them.
    let lines = *use_memo(tabs.revision, {
        let tabs = tabs.clone();
        move |_| {
            tabs.tabs
                .iter()
                .map(|t| t.text.lines().count())
                .sum::<usize>()
        }
    });
    // A check that failed, or left a tab unchecked in part, is never shown as a clean
    // scorecard: the page says what was not checked instead.
    let summary = if let Some(why) = &results.failed {
        html! {
            <p class="check-failed" role="alert">{ format!("sciguard could not check this text: {why}. Nothing is known about its findings; edit the text to check it again.") }</p>
        }
    } else if !results.unchecked.is_empty() {
        html! { <div class="check-failed" role="alert">
            { for results.unchecked.iter().map(|(id, why)| {
                let name = tabs.tabs.iter().find(|t| t.id == *id).map_or("a tab", |t| t.name.as_str());
                html! { <p>{ format!("sciguard could not check all of {name}: {why}. Its findings cover only the rest.") }</p> }
            }) }
        </div> }
    } else {
        html! {
            <ScorecardView card={Rc::new(Scorecard::of(all.iter().copied(), lines))} />
        }
    };

    let undo_close = tabs.closed.as_ref().map(|closed| {
        let on_undo = {
            let (tabs, selected) = (tabs.dispatcher(), selected.clone());
            Callback::from(move |_| {
                tabs.dispatch(TabAction::UndoClose);
                selected.set(None);
            })
        };
        let on_dismiss = {
            let tabs = tabs.dispatcher();
            Callback::from(move |_| tabs.dispatch(TabAction::ForgetClosed))
        };
        html! {
            <p class="notice closed-tab" role="status">{ format!("Closed {}. ", closed.tab.name) }
                <button class="undo-close" onclick={on_undo}>{ "Undo close" }</button>{ " " }
                <button class="dismiss-closed" onclick={on_dismiss}>{ "Dismiss" }</button></p>
        }
    });

    let tab_bar = {
        let ids: Vec<u32> = tabs.tabs.iter().map(|t| t.id).collect();
        let on_tab_keys = {
            let (tabs, ids, active) = (tabs.dispatcher(), ids.clone(), tabs.active);
            Callback::from(move |e: KeyboardEvent| {
                let to = match e.key().as_str() {
                    "ArrowRight" => (active + 1) % ids.len(),
                    "ArrowLeft" => (active + ids.len() - 1) % ids.len(),
                    "Home" => 0,
                    "End" => ids.len() - 1,
                    // The × buttons are for pointers; the keyboard closes the shown tab.
                    "Delete" => {
                        e.prevent_default();
                        tabs.dispatch(TabAction::Close(ids[active]));
                        return;
                    }
                    _ => return,
                };
                e.prevent_default();
                tabs.dispatch(TabAction::Select(ids[to]));
                focus_tab(ids[to]);
            })
        };
        let on_add = {
            let tabs = tabs.dispatcher();
            Callback::from(move |_| tabs.dispatch(TabAction::Add))
        };
        html! {
            <div class="tab-strip">
            <div class="tabs" role="tablist" aria-label="Open files" onkeydown={on_tab_keys}>
                { for tabs.tabs.iter().enumerate().map(|(i, t)| {
                    let active = i == tabs.active;
                    let count = results.findings(t.id).map(|f| (f.len(), f.iter().map(|f| f.severity).max()));
                    let on_select = {
                        let (tabs, selected, id) = (tabs.dispatcher(), selected.clone(), t.id);
                        Callback::from(move |_| { tabs.dispatch(TabAction::Select(id)); selected.set(None); })
                    };
                    let on_close = {
                        let (tabs, selected, id) = (tabs.dispatcher(), selected.clone(), t.id);
                        Callback::from(move |_| { tabs.dispatch(TabAction::Close(id)); selected.set(None); })
                    };
                    let label = t.name.rsplit('/').next().unwrap_or(&t.name).to_string();
                    html! {
                        <div class={classes!("tab", active.then_some("active"))} role="presentation">
                            <button role="tab" id={format!("tab-{}", t.id)} class="tab-select" aria-selected={active.to_string()}
                                aria-controls="editor-panel" aria-keyshortcuts="Delete" tabindex={if active { "0" } else { "-1" }} title={t.name.clone()}
                                data-name={t.name.clone()} onclick={on_select}>
                                <span class="tab-label">{ label }</span>
                                { for count.map(|(n, worst)| html! {
                                    <span class={classes!("badge", worst.map(|s| s.key()).unwrap_or("clean"))}
                                        aria-label={format!("{n} finding{}", if n == 1 { "" } else { "s" })}>{ n }</span>
                                }) }
                            </button>
                            // Outside the accessibility tree (a tab list holds tabs only):
                            // the Delete key closes the shown tab.
                            <button class="tab-close" aria-label={format!("Close {}", t.name)} title="Close (Delete)" tabindex="-1" aria-hidden="true" onclick={on_close}>{ "×" }</button>
                        </div>
                    }
                }) }
            </div>
                <button class="tab-add" aria-label="New file" title="New file" onclick={on_add}>{ "+" }</button>
            </div>
        }
    };

    let list = findings_view::list(findings, &visible, *selected, &select);
    let detail = selected.and_then(|i| findings.get(i)).map(|f| {
        let python = kind == SourceKind::Python;
        findings_view::detail(
            f,
            &tab.text,
            Details::Full,
            Some(apply.clone()),
            python,
            format!("#/rules/{}", f.code),
            {
                let selected = selected.clone();
                Callback::from(move |_| selected.set(None))
            },
        )
    });

    let examples: Html = EXAMPLES
        .iter()
        .map(|(title, code)| {
            let (tabs, selected) = (tabs.dispatcher(), selected.clone());
            let onclick = Callback::from(move |_| {
                tabs.dispatch(TabAction::Open(vec![SourceFile {
                    path: EXAMPLE_NAME.to_string(),
                    text: code.to_string(),
                    kind: None,
                    display: None,
                }]));
                selected.set(None);
            });
            html! { <button class="example" {onclick}>{ *title }</button> }
        })
        .collect();

    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let status = if *checking {
        "checking…".to_string()
    } else if results.failed.is_some() {
        "not checked".to_string()
    } else if results.unchecked(tab.id).is_some() {
        format!(
            "{} · not checked in full",
            plural(findings.len(), "finding")
        )
    } else {
        match results.ms {
            Some(ms) if tabs.tabs.len() > 1 => format!(
                "{} here, {} in all · {} checked in {ms:.1} ms",
                plural(findings.len(), "finding"),
                all.len(),
                plural(results.by_tab.len(), "file"),
            ),
            Some(ms) => format!(
                "{} · checked in {ms:.1} ms",
                plural(findings.len(), "finding")
            ),
            None => String::new(),
        }
    };

    html! {
        <div class="playground" onkeydown={on_keydown}>
            <h1 class="visually-hidden">{ "Playground: check Python and project files" }</h1>
            <div class="toolbar">
                <button class="open-files" onclick={click(&files_input)}>{ "Open files…" }</button>
                <button class="open-folder" onclick={click(&folder_input)}>{ "Open folder…" }</button>
                <input ref={files_input} class="visually-hidden files-input" type="file" multiple=true tabindex="-1" aria-hidden="true" onchange={on_picked.clone()} />
                <input ref={folder_input} class="visually-hidden folder-input" type="file" multiple=true webkitdirectory=true tabindex="-1" aria-hidden="true" onchange={on_picked} />
                <span class="examples">{ "Examples: " }{ examples }</span>
                <ShareBox bundle={make_bundle} />
            </div>
            <RuleSettingsPane settings={(*settings).clone()} on_change={on_settings} />
            { for notice.as_ref().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
            { for not_kept.map(|n| html! { <p class="notice">{ n.message() }</p> }) }
            { undo_close }
            { for large.then(|| html! { <p class="notice">{ format!("{line_count} lines: line numbers are hidden for inputs this large; findings still give their line.") }</p> }) }
            { summary }
            { tab_bar }
            <div class="tab-tools">
                <label>{ "Name " }
                    <input class="tab-name" value={name_value} oninput={on_name_input} onchange={on_rename} aria-label="File name (it sets the kind when detecting)" spellcheck="false" />
                </label>
                <label>{ "Kind " }
                    <select class="kind" onchange={on_kind} aria-label="Input kind">
                        <option value="auto" selected={tab.kind.is_none()}>{ format!("Detect ({})", detected.label()) }</option>
                        { for SourceKind::ALL.iter().map(|k| html! { <option value={k.key()} selected={tab.kind == Some(*k)}>{ k.label() }</option> }) }
                    </select>
                </label>
                <span class="drop-hint">{ "Drop files or folders on the editor: they are read here, never uploaded." }</span>
            </div>
            <div class="workspace">
                <div id="editor-panel" role="tabpanel" aria-labelledby={format!("tab-{}", tab.id)}
                    class={classes!("editor-scroll", dragging.then_some("dropping"))} ref={scroller.clone()}
                    ondragover={on_dragover} ondragleave={on_dragleave} ondrop={on_drop}>
                    <Editor text={tab.text.clone()} {kind} {checked} current={current_line}
                        {on_input} apply={apply.clone()} label="Code to check" area={editor.clone()} scroller={scroller.clone()} />
                </div>
                <div class="findings">
                    <div class="findings-head">
                        <span class="status" role="status" aria-live="polite">{ status }</span>
                        <select onchange={on_pillar} aria-label="Filter by pillar">
                            <option value="" selected={pillar_filter.is_empty()}>{ "All pillars" }</option>
                            { for Pillar::ALL.iter().map(|p| html!{ <option value={p.key()} selected={*pillar_filter == p.key()}>{ p.title() }</option> }) }
                        </select>
                        <select onchange={on_severity} aria-label="Filter by severity">
                            <option value="" selected={severity_filter.is_empty()}>{ "All severities" }</option>
                            { for ["high", "medium", "low", "info"].iter().map(|s| html!{ <option value={*s} selected={*severity_filter == *s}>{ *s }</option> }) }
                        </select>
                    </div>
                    <p class="hint">{ "F8 / Shift+F8: next / previous finding" }</p>
                    if visible.is_empty() && !findings.is_empty() {
                        <p class="empty-filter">{ format!("None of the {} findings match these filters. ", findings.len()) }
                            <button class="show-all" onclick={on_show_all}>{ "Show all" }</button></p>
                    }
                    { list }
                    { for detail }
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(id: u32, name: &str) -> SentTab {
        SentTab {
            id,
            name: name.into(),
            text: "".into(),
        }
    }

    #[test]
    fn reports_go_to_the_tabs_they_were_sent_for() {
        let tabs = [
            sent(7, "pyproject.toml"),
            sent(3, "build/gen.py"),
            sent(9, "app/main.py"),
        ];
        let settings = sciguard::settings::Settings::default();
        // build/gen.py was excluded by [tool.sciguard]: it has no report.
        let reports = vec![
            sciguard::check(
                "pyproject.toml",
                "[tool.sciguard]\nignore = [\"NOPE1\"]\n",
                &settings,
            ),
            sciguard::check(
                "app/main.py",
                "import numpy as np\nnp.load(f, allow_pickle=True)\n",
                &settings,
            ),
        ];
        let results = Results::of(&tabs, reports, Some(1.0));
        let codes = |id| {
            results
                .findings(id)
                .map(|f| f.iter().map(|f| f.code.clone()).collect::<Vec<_>>())
        };
        assert_eq!(codes(7), Some(vec!["SCI000".to_string()]));
        assert_eq!(codes(3), None);
        assert_eq!(codes(9), Some(vec!["SCI202".to_string()]));
    }
}
