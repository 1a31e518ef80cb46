//! The playground: an editor with line numbers, findings as you type (checked in a Web
//! Worker), details with the rule's advice, one-click fixes, examples and share links.

use crate::app::set_on_change;
use crate::markdown;
use crate::rules_view::severity_label;
use crate::scorecard::ScorecardView;
use crate::share;
use js_sys::{Array, Reflect};
use sciguard::checklist::Scorecard;
use sciguard::input::SourceKind;
use sciguard::report::{Finding, Pillar, Severity};
use sciguard::rules::Registry;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, HtmlTextAreaElement, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::prelude::*;

use crate::workspace::STORAGE_KEY;

/// Lines are drawn this tall (px); keep in step with `style.css`.
const LINE_HEIGHT: i32 = 20;

/// Above this many lines the gutter shows plain numbers, without per-line markers.
const MAX_MARKED_LINES: usize = 20_000;

/// Larger texts are not written to local storage (the write blocks the page).
const MAX_STORED_BYTES: usize = 1 << 20;

/// Wait this long after the last keystroke before checking.
const DEBOUNCE_MS: u32 = 200;

const EXAMPLES: [(&str, &str); 4] = [
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

struct WorkerHandle {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

/// Properties: shared text from a link, if the page was opened with one.
#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    /// The `code=` token from the URL fragment.
    pub shared: Option<String>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn initial_text(shared: &Option<String>) -> (String, Option<String>) {
    if let Some(token) = shared {
        return match share::decode(token) {
            Some(text) => (text, None),
            None => (
                String::new(),
                Some("This share link is damaged or too large; nothing was loaded.".into()),
            ),
        };
    }
    let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    (saved.unwrap_or_else(|| EXAMPLES[0].1.to_string()), None)
}

fn utf16_offset(text: &str, byte: usize) -> u32 {
    let byte = byte.min(text.len());
    let byte = (0..=byte)
        .rev()
        .find(|b| text.is_char_boundary(*b))
        .unwrap_or(0);
    text[..byte].encode_utf16().count() as u32
}

/// The lines an edit touches, before and after the fix (only those lines are rebuilt).
fn diff_lines(text: &str, finding: &Finding) -> Option<(String, String)> {
    let fix = finding.fix.as_ref()?;
    let first = fix.edits.first()?.span.start_offset;
    let last = fix.edits.last()?.span.end_offset;
    let start = text.get(..first)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text
        .get(last..)?
        .find('\n')
        .map_or(text.len(), |i| last + i);
    let mut after = String::new();
    let mut cursor = start;
    for edit in &fix.edits {
        after.push_str(text.get(cursor..edit.span.start_offset)?);
        after.push_str(&edit.content);
        cursor = edit.span.end_offset;
    }
    after.push_str(text.get(cursor..end)?);
    Some((text.get(start..end)?.to_string(), after))
}

fn gutter(line_count: usize, findings: &[Finding]) -> Html {
    if line_count > MAX_MARKED_LINES {
        // Laying out hundreds of thousands of numbered lines would freeze the page.
        return html! {};
    }
    let mut marks: Vec<Option<Severity>> = vec![None; line_count + 1];
    for f in findings {
        if let Some(slot) = marks.get_mut(f.span.start.row) {
            *slot = Some(slot.map_or(f.severity, |s| s.max(f.severity)));
        }
    }
    html! {
        <div class="gutter" aria-hidden="true">
            { for (1..=line_count).map(|n| match marks[n] {
                Some(sev) => html! { <div class={classes!("ln", "marked", sev.key())} title={sev.key()}>{ n }</div> },
                None => html! { <div class="ln">{ n }</div> },
            }) }
        </div>
    }
}

/// The playground page.
#[function_component(Playground)]
pub fn playground(props: &PlaygroundProps) -> Html {
    let initial = use_memo(props.shared.clone(), initial_text);
    let text = use_state(|| initial.0.clone());
    let notice = use_state(|| initial.1.clone());
    let revision = use_state(|| 0u64);
    let findings = use_state(|| Rc::new(Vec::<Finding>::new()));
    let checking = use_state(|| false);
    let elapsed = use_state(|| None::<f64>);
    let selected = use_state(|| None::<usize>);
    let kind_choice = use_state(|| "auto".to_string());
    let pillar_filter = use_state(String::new);
    let severity_filter = use_state(String::new);
    let share_link = use_state(|| None::<String>);
    let worker = use_mut_ref(|| None::<WorkerHandle>);
    let latest = use_mut_ref(|| 0u32);
    let debounce = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let editor = use_node_ref();
    let scroller = use_node_ref();

    // Shared text replaces what the page held when the link changes.
    {
        let (text, notice, revision) = (text.clone(), notice.clone(), revision.clone());
        use_effect_with(initial.clone(), move |initial| {
            if *text != initial.0 {
                text.set(initial.0.clone());
                revision.set(*revision + 1);
            }
            notice.set(initial.1.clone());
        });
    }

    // One worker for the page's lifetime.
    {
        let (worker, latest) = (worker.clone(), latest.clone());
        let (findings, checking, elapsed, notice) = (
            findings.clone(),
            checking.clone(),
            elapsed.clone(),
            notice.clone(),
        );
        use_effect_with((), move |_| {
            let options = WorkerOptions::new();
            options.set_type(WorkerType::Module);
            match Worker::new_with_options("./worker.js", &options) {
                Ok(w) => {
                    let on_message =
                        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                            let data = event.data();
                            let id = Reflect::get(&data, &"id".into())
                                .ok()
                                .and_then(|v| v.as_f64())
                                .unwrap_or(-1.0) as u32;
                            if id != *latest.borrow() {
                                return;
                            }
                            let out = Reflect::get(&data, &"out".into())
                                .ok()
                                .and_then(|v| v.as_string())
                                .unwrap_or_default();
                            let ms = Reflect::get(&data, &"ms".into())
                                .ok()
                                .and_then(|v| v.as_f64());
                            findings.set(Rc::new(serde_json::from_str(&out).unwrap_or_default()));
                            elapsed.set(ms);
                            checking.set(false);
                        });
                    w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                    *worker.borrow_mut() = Some(WorkerHandle {
                        worker: w,
                        _on_message: on_message,
                    });
                }
                Err(_) => notice.set(Some(
                    "This browser could not start the checker (Web Workers are unavailable)."
                        .into(),
                )),
            }
            let worker = worker.clone();
            move || {
                if let Some(handle) = worker.borrow_mut().take() {
                    handle.worker.terminate();
                }
            }
        });
    }

    let detected = {
        // Detection looks at the start only; cut on a character boundary.
        let mut cut = text.len().min(64 * 1024);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        SourceKind::from_content(&text[..cut])
    };
    let kind = match kind_choice.as_str() {
        "auto" => detected,
        "requirements" => SourceKind::Requirements,
        "pyproject" => SourceKind::Pyproject,
        "ini" => SourceKind::Ini,
        "yaml" => SourceKind::Yaml,
        "env" => SourceKind::Env,
        _ => SourceKind::Python,
    };

    // Check (debounced) and keep the text whenever it changes.
    {
        let (text, worker, latest, debounce) = (
            text.clone(),
            worker.clone(),
            latest.clone(),
            debounce.clone(),
        );
        let (checking, findings, notice) = (checking.clone(), findings.clone(), notice.clone());
        use_effect_with((*revision, kind), move |(_, kind)| {
            let kind = *kind;
            checking.set(kind == SourceKind::Python);
            let timeout = gloo_timers::callback::Timeout::new(DEBOUNCE_MS, move || {
                // Local storage writes block the page; very large texts are not kept.
                let kept = text.len() <= MAX_STORED_BYTES
                    && storage().is_some_and(|s| s.set_item(STORAGE_KEY, &text).is_ok());
                if !kept {
                    notice.set(Some("This text is too large to keep across reloads; copy a link or save it yourself.".into()));
                }
                if kind != SourceKind::Python {
                    findings.set(Rc::new(Vec::new()));
                    checking.set(false);
                    return;
                }
                if let Some(handle) = worker.borrow().as_ref() {
                    let id = *latest.borrow() + 1;
                    *latest.borrow_mut() = id;
                    let message = Array::of3(
                        &JsValue::from(id),
                        &JsValue::from("playground.py"),
                        &JsValue::from(text.as_str()),
                    );
                    if handle.worker.post_message(&message).is_ok() {
                        checking.set(true);
                    }
                }
            });
            *debounce.borrow_mut() = Some(timeout);
        });
    }

    let on_input = {
        let (text, revision, selected) = (text.clone(), revision.clone(), selected.clone());
        Callback::from(move |e: InputEvent| {
            text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value());
            revision.set(*revision + 1);
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
        let (selected, findings, text, editor, scroller) = (
            selected.clone(),
            findings.clone(),
            text.clone(),
            editor.clone(),
            scroller.clone(),
        );
        Callback::from(move |index: usize| {
            let Some(finding) = findings.get(index) else {
                return;
            };
            selected.set(Some(index));
            if let Some(area) = editor.cast::<HtmlTextAreaElement>() {
                let start = utf16_offset(&text, finding.span.start_offset);
                let end = utf16_offset(&text, finding.span.end_offset);
                let _ = area.set_selection_range(start, end);
            }
            if let Some(wrapper) = scroller.cast::<HtmlElement>() {
                wrapper.set_scroll_top(((finding.span.start.row as i32) - 4).max(0) * LINE_HEIGHT);
            }
        })
    };

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

    let on_kind = set_on_change(&kind_choice);
    let on_pillar = set_on_change(&pillar_filter);
    let on_severity = set_on_change(&severity_filter);
    let on_share = {
        let (text, share_link) = (text.clone(), share_link.clone());
        Callback::from(move |_| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let location = window.location();
            let base = location.href().unwrap_or_default();
            let base = base.split('#').next().unwrap_or_default().to_string();
            let link = format!("{base}#/?code={}", share::encode(&text));
            let _ = window.navigator().clipboard().write_text(&link);
            share_link.set(Some(link));
        })
    };

    // The gutter: one line number per line, marked where findings start. Rebuilt only
    // when the line count or the findings change, not on every render.
    let line_count = *use_memo(*revision, {
        let text = text.clone();
        move |_| text.split('\n').count()
    });
    let large = line_count > MAX_MARKED_LINES;
    let gutter = (*use_memo((line_count, findings.clone()), |(line_count, findings)| {
        gutter(*line_count, findings)
    }))
    .clone();

    let registry = Registry::builtin();
    // Counted as `str::lines` does (no line after a final newline), as the CLI counts.
    let lines = line_count - usize::from(text.is_empty() || text.ends_with('\n'));
    let summary = html! {
        <ScorecardView card={Rc::new(Scorecard::of(findings.iter(), lines))} />
    };

    let list: Html = Pillar::ALL
        .iter()
        .map(|pillar| {
            let items: Vec<usize> = visible.iter().copied().filter(|i| findings[*i].pillar == *pillar).collect();
            if items.is_empty() {
                return html! {};
            }
            html! {
                <section class="group">
                    <h3>{ pillar.title() }</h3>
                    <ul>
                        { for items.into_iter().map(|i| {
                            let f = &findings[i];
                            let onclick = { let select = select.clone(); Callback::from(move |_| select.emit(i)) };
                            let class = classes!("finding", (*selected == Some(i)).then_some("selected"));
                            html! {
                                <li>
                                    <button {class} {onclick} data-code={f.code.clone()} data-line={f.span.start.row.to_string()}>
                                        <span class={classes!("sev", f.severity.key())}>{ severity_label(f.severity) }</span>
                                        <span class="where">{ format!("line {}", f.span.start.row) }</span>
                                        <code>{ &f.code }</code>
                                        <span class="msg">{ &f.message }</span>
                                    </button>
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }
        })
        .collect();

    let detail = selected.and_then(|i| findings.get(i).cloned()).map(|f| {
        let rule = registry.find(&f.code).map(|id| registry.rule(id));
        let why = rule.and_then(|r| r.section("Why is this bad?")).map(|s| markdown::render(s, "#/playbook", registry));
        let how = rule.and_then(|r| r.section("Use instead")).map(|s| markdown::render(s, "#/playbook", registry));
        let diff = diff_lines(&text, &f);
        let apply = {
            let (text, revision, selected, finding) = (text.clone(), revision.clone(), selected.clone(), f.clone());
            Callback::from(move |_| {
                let (fixed, applied) = sciguard::apply_fixes(&text, std::slice::from_ref(&finding));
                if applied > 0 {
                    text.set(fixed);
                    revision.set(*revision + 1);
                    selected.set(None);
                }
            })
        };
        html! {
            <aside class="detail" aria-label="Finding details">
                <h2><code>{ &f.code }</code>{ " " }{ &f.name }</h2>
                <p class="meta"><span class={classes!("sev", f.severity.key())}>{ severity_label(f.severity) }</span>{ format!(" · {} · line {}", f.pillar.title(), f.span.start.row) }</p>
                <p class="msg">{ &f.message }</p>
                { for why.map(|h| html! { <><h3>{ "Why it matters" }</h3><div class="prose">{ Html::from_html_unchecked(AttrValue::from(h)) }</div></> }) }
                { for how.map(|h| html! { <><h3>{ "How to fix" }</h3><div class="prose">{ Html::from_html_unchecked(AttrValue::from(h)) }</div></> }) }
                { for f.fix.as_ref().zip(diff).map(|(fix, (before, after))| html! {
                    <div class="fix">
                        <h3>{ format!("Suggested fix ({})", if fix.applicability == sciguard::report::Applicability::Safe { "safe" } else { "review it: it changes behaviour" }) }</h3>
                        <p>{ &fix.message }</p>
                        <pre class="diff"><span class="del">{ before.lines().map(|l| format!("- {l}\n")).collect::<String>() }</span><span class="add">{ after.lines().map(|l| format!("+ {l}\n")).collect::<String>() }</span></pre>
                        <button class="primary apply-fix" onclick={apply}>{ "Apply fix" }</button>
                    </div>
                }) }
                <p><a class="rule-link" href={format!("#/rules/{}", f.code)}>{ format!("Read the {} rule page", f.code) }</a></p>
            </aside>
        }
    });

    let examples: Html = EXAMPLES
        .iter()
        .map(|(title, code)| {
            let (text, revision, selected) = (text.clone(), revision.clone(), selected.clone());
            let onclick = Callback::from(move |_| {
                text.set(code.to_string());
                revision.set(*revision + 1);
                selected.set(None);
            });
            html! { <button class="example" {onclick}>{ *title }</button> }
        })
        .collect();

    let status = if *checking {
        "checking…".to_string()
    } else if kind != SourceKind::Python {
        format!(
            "sciguard does not check {} files yet; only Python is checked.",
            kind.label()
        )
    } else {
        match *elapsed {
            Some(ms) => format!(
                "{} finding{} · checked in {ms:.1} ms",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" }
            ),
            None => String::new(),
        }
    };

    html! {
        <div class="playground" onkeydown={on_keydown}>
            <div class="toolbar">
                <label>{ "Input " }
                    <select class="kind" onchange={on_kind} aria-label="Input kind">
                        <option value="auto" selected={*kind_choice == "auto"}>{ format!("Detect ({})", detected.label()) }</option>
                        { for [("python", "Python"), ("requirements", "requirements.txt"), ("pyproject", "pyproject.toml"), ("yaml", "YAML"), ("ini", "INI / setup.cfg"), ("env", ".env")]
                            .iter().map(|(value, label)| html! { <option value={*value} selected={*kind_choice == *value}>{ *label }</option> }) }
                    </select>
                </label>
                <span class="examples">{ "Examples: " }{ examples }</span>
                <button class="share" onclick={on_share}>{ "Copy link" }</button>
            </div>
            { for share_link.as_ref().map(|link| html! {
                <p class="share-row">{ "Link copied (the text travels in the link, after #, and is never sent to a server): " }
                    <input class="share-link" readonly=true value={link.clone()} aria-label="Share link" /></p>
            }) }
            { for notice.as_ref().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
            { for large.then(|| html! { <p class="notice">{ format!("{line_count} lines: line numbers are hidden for inputs this large; findings still give their line.") }</p> }) }
            { summary }
            <div class="workspace">
                <div class="editor-scroll" ref={scroller}>
                    <div class="editor">
                        { gutter }
                        <textarea ref={editor} class={classes!("code", large.then_some("large"))} spellcheck="false" wrap="off"
                            aria-label="Code to check" rows={if large { "30".to_string() } else { line_count.to_string() }}
                            value={(*text).clone()} oninput={on_input} />
                    </div>
                </div>
                <div class="findings" aria-live="polite">
                    <div class="findings-head">
                        <span class="status">{ status }</span>
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
                    { list }
                    { for detail }
                </div>
            </div>
        </div>
    }
}
