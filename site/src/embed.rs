//! Embed mode (`#/embed?…`): the editor and the findings alone, for an `<iframe>` in a
//! wiki page or a developer portal. It never scrolls its host page, and it tells the
//! host its height so that the frame can fit it:
//!
//! `{ source: "sciguard", type: "height", height: <CSS px>, id: <the id option or null> }`
//!
//! is posted to `window.parent` whenever the content's height changes.

use crate::checker::{self, Answer, Checker};
use crate::editor::{self, show_in_editor, Checked, Editor};
use crate::findings_view::{self, Details};
use crate::playground::{DEBOUNCE_MS, EXAMPLES};
use crate::policies::{self, PolicyFile};
use crate::share;
use crate::RunOptions;
use sciguard::input::SourceKind;
use sciguard::report::FileReport;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;
use yew::prelude::*;

/// The colours an embed uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// The reader's system setting.
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    fn key(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// What an embed shows, from its fragment (`#/embed?example=edges&readonly=1`).
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedOptions {
    /// The text shown first: from `code=` (a share-link token) or `example=`.
    pub text: String,
    /// The file name, which decides the kind unless `kind` is given.
    pub name: String,
    /// The input kind, when given.
    pub kind: Option<SourceKind>,
    /// Rules to run (`select=SCI2,edges`), replacing the default selection.
    pub select: Option<Vec<String>>,
    /// Rules not to run.
    pub ignore: Vec<String>,
    /// Whether the reader may edit the text.
    pub readonly: bool,
    /// Light, dark or the reader's setting.
    pub theme: Theme,
    /// Compact or full finding details.
    pub details: Details,
    /// Echoed in height messages, so that a host with several frames can tell them apart.
    pub id: Option<String>,
    /// Policy files next to the site (relative paths) to check with.
    pub policies: Vec<String>,
    /// What in the fragment could not be used, for a notice.
    pub problems: Vec<String>,
}

impl Default for EmbedOptions {
    fn default() -> EmbedOptions {
        EmbedOptions {
            text: EXAMPLES[0].1.to_string(),
            name: "example.py".into(),
            kind: None,
            select: None,
            ignore: Vec::new(),
            readonly: false,
            theme: Theme::Auto,
            details: Details::Full,
            id: None,
            policies: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// Decodes `%XX` escapes (what `encodeURIComponent` writes); a malformed escape stays.
pub fn decode_component(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes everything but letters, digits and `-_.~`, as `encodeURIComponent` does
/// (and `,` and `/`, which read better in lists and paths and are safe in a fragment).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~,/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn flag(value: &str) -> Option<bool> {
    match value {
        "" | "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

/// Whether a policy path names a file next to the site (never another origin).
fn is_local_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains("://")
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.to_ascii_lowercase().starts_with("data:")
        && !path.to_ascii_lowercase().starts_with("javascript:")
}

impl EmbedOptions {
    /// Reads the fragment's query (`example=edges&readonly=1`); what cannot be used is
    /// listed in `problems` and otherwise left at its default.
    pub fn parse(query: &str) -> EmbedOptions {
        let mut options = EmbedOptions::default();
        let mut named_example = false;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode_component(raw);
            let mut bad = |what: &str| {
                options
                    .problems
                    .push(format!("`{key}={value}` was ignored: {what}"))
            };
            match key {
                "example" => {
                    let found = value
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| n.checked_sub(1))
                        .filter(|n| *n < EXAMPLES.len())
                        .or_else(|| {
                            sciguard::report::Pillar::from_key(&value)
                                .and_then(|p| EXAMPLES.iter().position(|(t, _)| *t == p.title()))
                        });
                    match found {
                        Some(n) => {
                            options.text = EXAMPLES[n].1.to_string();
                            named_example = true;
                        }
                        None => bad("examples are 1 to 4, or boundaries, edges, feedback, failure"),
                    }
                }
                "code" => match share::decode(raw) {
                    Some(text) => {
                        options.text = text;
                        named_example = true;
                    }
                    None => bad("the text in the link is damaged or too large"),
                },
                "name" if !value.trim().is_empty() => options.name = value.trim().to_string(),
                "kind" => match SourceKind::from_key(&value) {
                    Some(kind) => options.kind = Some(kind),
                    None if value == "auto" => {}
                    None => bad("unknown kind"),
                },
                "select" => options.select = Some(list(&value)),
                "ignore" => options.ignore = list(&value),
                "readonly" => match flag(&value) {
                    Some(on) => options.readonly = on,
                    None => bad("use readonly=1 or readonly=0"),
                },
                "theme" => match value.as_str() {
                    "auto" => options.theme = Theme::Auto,
                    "light" => options.theme = Theme::Light,
                    "dark" => options.theme = Theme::Dark,
                    _ => bad("use light, dark or auto"),
                },
                "details" => match value.as_str() {
                    "compact" => options.details = Details::Compact,
                    "full" => options.details = Details::Full,
                    _ => bad("use compact or full"),
                },
                "id" => options.id = Some(value),
                "policy" => {
                    for path in list(&value) {
                        if is_local_path(&path) {
                            options.policies.push(path);
                        } else {
                            bad("a policy must be a file next to the site (a relative path)");
                        }
                    }
                }
                _ => bad("unknown option"),
            }
        }
        // A text without a name is checked as Python unless its content says otherwise.
        if named_example && options.name == "example.py" && options.kind.is_none() {
            let detected = SourceKind::from_content(&options.text);
            if detected != SourceKind::Python {
                options.name = "untitled".into();
            }
        }
        options
    }

    /// The fragment query that gives these options (the text as a share-link token).
    pub fn to_query(&self) -> String {
        let mut parts = vec![format!("code={}", share::encode(&self.text))];
        parts.push(format!("name={}", encode_component(&self.name)));
        if let Some(kind) = self.kind {
            parts.push(format!("kind={}", kind.key()));
        }
        if let Some(select) = &self.select {
            parts.push(format!("select={}", encode_component(&select.join(","))));
        }
        if !self.ignore.is_empty() {
            parts.push(format!(
                "ignore={}",
                encode_component(&self.ignore.join(","))
            ));
        }
        if self.readonly {
            parts.push("readonly=1".into());
        }
        if self.theme != Theme::Auto {
            parts.push(format!("theme={}", self.theme.key()));
        }
        if self.details == Details::Compact {
            parts.push("details=compact".into());
        }
        if let Some(id) = &self.id {
            parts.push(format!("id={}", encode_component(id)));
        }
        if !self.policies.is_empty() {
            parts.push(format!(
                "policy={}",
                encode_component(&self.policies.join(","))
            ));
        }
        parts.join("&")
    }
}

/// The address of this page without its fragment.
pub(crate) fn page_base() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// Replaces this page's address with the same page at `fragment` (`#/rules?q=pickle`),
/// without a new history entry or a route change.
pub(crate) fn replace_address(fragment: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let address = format!("{}{fragment}", page_base());
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}

/// Sets the page's colours for this embed (`data-theme` on `<html>`).
fn apply_theme(theme: Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.key());
        let classes = root.get_attribute("class").unwrap_or_default();
        let _ = root.set_attribute("class", format!("{classes} embedded").trim());
    }
}

/// Tells the host page how tall the content is, whenever that changes.
fn report_height(root: HtmlElement, id: Option<String>) -> Option<web_sys::ResizeObserver> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    let post = move || {
        let height = root.scroll_height().max(root.offset_height());
        let message = js_sys::Object::new();
        let set = |k: &str, v: JsValue| js_sys::Reflect::set(&message, &k.into(), &v);
        let _ = set("source", "sciguard".into());
        let _ = set("type", "height".into());
        let _ = set("height", f64::from(height).into());
        let _ = set("id", id.as_deref().map_or(JsValue::NULL, JsValue::from_str));
        // The height says nothing private; any host may read it.
        let _ = parent.post_message(&message, "*");
    };
    post();
    let observed = web_sys::window()?.document()?.document_element()?;
    let callback = Closure::<dyn FnMut()>::new(post);
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    // The observer lives as long as the page: the embed is the whole page.
    callback.forget();
    observer.observe(&observed);
    Some(observer)
}

/// Reads policy files that sit next to the site.
async fn fetch_policies(paths: Vec<String>) -> (Vec<PolicyFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let Some(window) = web_sys::window() else {
        return (files, problems);
    };
    for path in paths {
        let text = async {
            let response = JsFuture::from(window.fetch_with_str(&path))
                .await
                .map_err(|_| "could not be fetched".to_string())?;
            let response: web_sys::Response = response.unchecked_into();
            if !response.ok() {
                return Err(format!("the site answered {}", response.status()));
            }
            let text = JsFuture::from(response.text().map_err(|_| "could not be read")?)
                .await
                .map_err(|_| "could not be read".to_string())?;
            text.as_string().ok_or_else(|| "is not text".to_string())
        }
        .await;
        match text {
            Ok(content) => files.push(PolicyFile {
                name: path.rsplit('/').next().unwrap_or(&path).to_string(),
                content,
            }),
            Err(why) => problems.push(format!("policy {path}: {why}")),
        }
    }
    (files, problems)
}

/// Properties: the fragment's query.
#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    /// Everything after `#/embed?`.
    pub query: String,
}

/// What the embed knows of the latest check.
#[derive(Default, PartialEq)]
enum Outcome {
    #[default]
    Checking,
    Checked(Rc<Checked>, Option<String>),
    Failed(String),
}

/// The embed: an editor and its findings, nothing else.
#[function_component(Embed)]
pub fn embed(props: &EmbedProps) -> Html {
    let options = use_memo(props.query.clone(), |q| EmbedOptions::parse(q));
    let text = use_state(|| Rc::<str>::from(options.text.as_str()));
    let outcome = use_state(|| Rc::new(Outcome::Checking));
    // The last check's findings, still underlined while the next check runs.
    let last_checked = use_mut_ref(Rc::<Checked>::default);
    let selected = use_state(|| None::<usize>);
    let notices = use_state(|| options.problems.clone());
    // `None` until the policy files the fragment names have been read.
    let policy_files = use_state(|| options.policies.is_empty().then(Vec::new));
    let checker = use_mut_ref(|| None::<Checker>);
    // The text of the latest check, which its findings are placed in.
    let sent = use_mut_ref(|| Rc::<str>::from(""));
    let debounce = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let first_check = use_mut_ref(|| true);
    let root = use_node_ref();
    let editor = use_node_ref();
    let scroller = use_node_ref();

    // Theme, height reports and the policy files: once.
    {
        let (options, root, notices, policy_files) = (
            options.clone(),
            root.clone(),
            notices.clone(),
            policy_files.clone(),
        );
        use_effect_with((), move |_| {
            apply_theme(options.theme);
            let observer = root
                .cast::<HtmlElement>()
                .and_then(|r| report_height(r, options.id.clone()));
            if !options.policies.is_empty() {
                let paths = options.policies.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let (files, problems) = fetch_policies(paths).await;
                    let (_, errors) = policies::registry_for(&files);
                    let mut all = (*notices).clone();
                    all.extend(problems);
                    all.extend(errors);
                    notices.set(all);
                    policies::set_override(files.clone());
                    policy_files.set(Some(files));
                });
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
            }
        });
    }

    // One worker for the embed's life.
    {
        let (checker, outcome, sent) = (checker.clone(), outcome.clone(), sent.clone());
        let last_checked = last_checked.clone();
        use_effect_with((), move |_| {
            let answered = outcome.clone();
            let on_answer = move |answer: Answer| {
                let outcome = &answered;
                outcome.set(Rc::new(match answer.error {
                    Some(error) => Outcome::Failed(error),
                    None => {
                        let report: Option<FileReport> = answer.reports.into_iter().next();
                        let (findings, unchecked) =
                            report.map_or((Vec::new(), None), |r| (r.findings, r.unchecked));
                        let text = sent.borrow().clone();
                        let checked = Rc::new(Checked { text, findings });
                        *last_checked.borrow_mut() = checked.clone();
                        Outcome::Checked(checked, unchecked)
                    }
                }));
            };
            match Checker::start(on_answer) {
                Ok(started) => *checker.borrow_mut() = Some(started),
                Err(_) => outcome.set(Rc::new(Outcome::Failed(checker::NO_WORKER.into()))),
            }
            move || drop(checker.borrow_mut().take())
        });
    }

    // Check the text (debounced) whenever it or the policies change.
    {
        let (checker, debounce, options, outcome, sent) = (
            checker.clone(),
            debounce.clone(),
            options.clone(),
            outcome.clone(),
            sent.clone(),
        );
        let first = first_check.clone();
        use_effect_with(
            (text.clone(), (*policy_files).clone()),
            move |(text, files)| {
                if let Some(files) = files.clone() {
                    if let Some(checker) = checker.borrow().as_ref() {
                        checker.forget_pending();
                    }
                    outcome.set(Rc::new(Outcome::Checking));
                    let text = (**text).clone();
                    // The first check goes out at once: nobody is typing yet.
                    let delay = if std::mem::replace(&mut *first.borrow_mut(), false) {
                        0
                    } else {
                        DEBOUNCE_MS
                    };
                    let timeout = gloo_timers::callback::Timeout::new(delay, move || {
                        *sent.borrow_mut() = text.clone();
                        let file = crate::workspace::KeptFile {
                            path: &options.name,
                            text: &text,
                            kind: options.kind,
                        };
                        let run = RunOptions {
                            select: options.select.clone(),
                            ignore: options.ignore.clone(),
                            policies: files,
                            severity: None,
                        };
                        if let Some(checker) = checker.borrow().as_ref() {
                            checker.check(std::slice::from_ref(&file), &run);
                        }
                    });
                    *debounce.borrow_mut() = Some(timeout);
                }
            },
        );
    }

    let on_input = {
        let (text, selected) = (text.clone(), selected.clone());
        Callback::from(move |typed: Rc<str>| {
            text.set(typed);
            selected.set(None);
        })
    };
    let checked = match &**outcome {
        Outcome::Checked(checked, _) => checked.clone(),
        Outcome::Checking => last_checked.borrow().clone(),
        Outcome::Failed(_) => Rc::default(),
    };
    let findings = &checked.findings;
    let select = {
        let (selected, checked, text, editor, scroller) = (
            selected.clone(),
            checked.clone(),
            text.clone(),
            editor.clone(),
            scroller.clone(),
        );
        Callback::from(move |index: usize| {
            let Some(finding) = checked.findings.get(index) else {
                return;
            };
            selected.set(Some(index));
            show_in_editor(finding, &text, &editor, &scroller);
        })
    };
    let visible: Vec<usize> = (0..findings.len()).collect();
    let list = findings_view::list(findings, &visible, *selected, &select);
    // The full site opens the text as a tab of the same name and kind, with the embed's
    // rule selection when it has one (else the reader's own settings stay).
    // Made again only when the text changes, not on each render (it deflates the text).
    let open_link = use_memo(((*text).clone(), options.clone()), |(text, options)| {
        let chosen = options.select.is_some() || !options.ignore.is_empty();
        let bundle = share::Bundle {
            files: vec![share::SharedFile {
                path: options.name.clone(),
                text: text.to_string(),
                kind: options.kind,
            }],
            settings: chosen.then(|| crate::rule_settings::RuleSettings {
                select: options.select.clone().unwrap_or_default(),
                ignore: options.ignore.clone(),
                severity: None,
            }),
            ..share::Bundle::default()
        };
        AttrValue::from(format!("{}{}", page_base(), bundle.fragment()))
    });
    // Fixes and `# noqa` are typed into the editor, so that Ctrl+Z undoes them.
    let apply = (!options.readonly).then(|| {
        let (editor, selected) = (editor.clone(), selected.clone());
        Callback::from(move |fixed: String| {
            editor::edit_to(&editor, &fixed);
            selected.set(None);
        })
    });
    let kind = options
        .kind
        .unwrap_or_else(|| SourceKind::detect(&options.name, &text));
    let detail = selected.and_then(|i| findings.get(i)).map(|f| {
        findings_view::detail(
            f,
            &text,
            options.details,
            apply.clone(),
            kind == SourceKind::Python,
            format!("{}#/rules/{}", page_base(), f.code),
            {
                let selected = selected.clone();
                Callback::from(move |_| selected.set(None))
            },
        )
    });
    let status = match &**outcome {
        Outcome::Checking => html! { <span class="status">{ "checking…" }</span> },
        Outcome::Failed(why) => html! {
            <p class="check-failed" role="alert">{ format!("sciguard could not check this text: {why}. Nothing is known about its findings.") }</p>
        },
        Outcome::Checked(checked, unchecked) => {
            let n = checked.findings.len();
            let counted = format!("{n} finding{}", if n == 1 { "" } else { "s" });
            match unchecked {
                Some(why) => {
                    html! { <p class="check-failed" role="alert">{ format!("{counted}, but sciguard could not check all of it: {why}.") }</p> }
                }
                None => html! { <span class="status" role="status">{ counted }</span> },
            }
        }
    };
    html! {
        <main class="embed" ref={root}>
            <div class="embed-head">
                <h1 class="embed-name">{ &options.name }</h1>
                { status }
                <a class="open-full" href={(*open_link).clone()} target="_blank" rel="noopener">{ "Open in sciguard ↗" }</a>
            </div>
            { for notices.iter().map(|n| html! { <p class="notice">{ n.clone() }</p> }) }
            <div class="embed-body">
                <div class="editor-scroll" ref={scroller.clone()}>
                    <Editor text={(*text).clone()} {kind} checked={checked.clone()}
                        current={selected.and_then(|i| findings.get(i)).filter(|f| f.cell.is_none()).map(|f| f.span.start.row)}
                        {on_input} {apply} readonly={options.readonly}
                        label={if options.readonly { "Code (read-only)" } else { "Code to check" }}
                        area={editor.clone()} scroller={scroller.clone()} />
                </div>
                <div class="findings">
                    { list }
                    { for detail }
                </div>
            </div>
            <p class="embed-foot">{ "Checked in your browser by sciguard: nothing you type leaves this page." }</p>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_come_from_the_fragment() {
        let options = EmbedOptions::parse(
            "example=failure&name=fetch.py&select=SCI4,ORG&ignore=SCI404&readonly=1&theme=dark&details=compact&id=frame-2&policy=policies/ORG100.md",
        );
        assert_eq!(options.text, EXAMPLES[1].1);
        assert_eq!(options.name, "fetch.py");
        assert_eq!(options.select, Some(vec!["SCI4".into(), "ORG".into()]));
        assert_eq!(options.ignore, vec!["SCI404".to_string()]);
        assert!(options.readonly);
        assert_eq!(options.theme, Theme::Dark);
        assert_eq!(options.details, Details::Compact);
        assert_eq!(options.id.as_deref(), Some("frame-2"));
        assert_eq!(options.policies, vec!["policies/ORG100.md".to_string()]);
        assert!(options.problems.is_empty(), "{:?}", options.problems);
    }

    #[test]
    fn a_query_round_trips() {
        let mut options = EmbedOptions::parse("");
        options.text = "torch==2.4.1\n# ünïcode & = ?\n".into();
        options.name = "requirements dev.txt".into();
        options.kind = Some(SourceKind::Requirements);
        options.select = Some(vec!["SCI5".into()]);
        options.readonly = true;
        options.theme = Theme::Light;
        options.id = Some("a&b".into());
        options.policies = vec!["org/ORG1.md".into()];
        let again = EmbedOptions::parse(&options.to_query());
        assert_eq!(again, options);
    }

    #[test]
    fn what_cannot_be_used_is_said_not_guessed() {
        let options = EmbedOptions::parse(
            "theme=pink&example=9&wat=1&policy=https://evil.example/p.md&kind=cobol",
        );
        assert_eq!(options.problems.len(), 5, "{:?}", options.problems);
        assert!(options.policies.is_empty());
        assert_eq!(options.theme, Theme::Auto);
        assert_eq!(options.text, EXAMPLES[0].1);
    }

    #[test]
    fn a_shared_config_file_keeps_its_kind() {
        let token = share::encode("numpy\npandas>=2\n");
        let options = EmbedOptions::parse(&format!("code={token}"));
        assert_ne!(options.name, "example.py");
    }
}
