//! The sciguard site: a static single-page app (Yew) over the rules crate.
//!
//! The same WebAssembly module runs twice: on the page, where it renders the UI, and
//! in a module Web Worker (`static/worker.js`), where [`check_files_json`] runs the
//! engine so that typing never waits for a check. Pages reach the worker through
//! `checker` only; nothing on the page thread runs a check.

mod app;
mod checker;
mod checklist_view;
mod clipboard;
mod editor;
mod embed;
mod embedding_view;
mod findings_view;
mod highlight;
mod kept;
mod learn;
mod markdown;
pub mod opening;
mod playbook;
mod playground;
pub mod policies;
mod policies_view;
pub mod rule_settings;
mod rule_settings_view;
mod rules_view;
mod scorecard;
pub mod share;
mod share_view;
pub mod tabs;
pub mod workspace;

use sciguard::input::SourceKind;
use sciguard::settings::Selector;
use sciguard::SourceFile;
use serde::Deserialize;

use wasm_bindgen::prelude::*;

/// Entry point: renders the app when there is a page; in the worker, keeps the message
/// of any panic for [`last_panic`].
#[wasm_bindgen(start)]
pub fn start() {
    if web_sys::window().is_some() {
        yew::Renderer::<app::App>::new().render();
    } else {
        std::panic::set_hook(Box::new(|info| {
            LAST_PANIC.with(|last| *last.borrow_mut() = Some(info.to_string()));
        }));
    }
}

thread_local! {
    /// The message of the panic that stopped the last check, if one did.
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The message of the panic that stopped the last check (the site's WebAssembly aborts
/// on a panic, which the worker sees only as a trap); `None` if none did.
#[wasm_bindgen]
pub fn last_panic() -> Option<String> {
    LAST_PANIC.with(|last| last.borrow().clone())
}

/// A file's name and chosen kind, as the page sends them to the worker.
#[derive(Deserialize)]
struct FileMeta {
    path: String,
    kind: Option<SourceKind>,
}

/// Checks several files together, as one project, and returns their reports as JSON
/// (`[{filename, findings}]`, in the order given; used by the worker). `files` is a JSON
/// array of `{path, kind}` (kind a key or null) and `texts` holds the texts in the same
/// order: texts travel as plain strings, never escaped into JSON and parsed back. A
/// request it cannot read is an error, never an empty result.
#[wasm_bindgen]
pub fn check_files_json(files: &str, texts: Vec<String>, options: &str) -> Result<String, JsError> {
    LAST_PANIC.with(|last| last.borrow_mut().take());
    check_files(files, texts, options).map_err(|e| JsError::new(&e))
}

/// What a check may change beyond the files' own `[tool.sciguard]`: the rule selection
/// an embed names, and the organisation's policy files.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub struct RunOptions {
    /// Replaces `select` (codes, prefixes, names, pillars).
    #[serde(default)]
    pub select: Option<Vec<String>>,
    /// Added to `ignore`.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Organisation policy files; invalid ones are left out (the policies page says why).
    #[serde(default)]
    pub policies: Vec<policies::PolicyFile>,
    /// Findings less severe than this are left out.
    #[serde(default)]
    pub severity: Option<sciguard::report::Severity>,
}

impl RunOptions {
    /// The rule settings and the policies in force on this page (both held in memory,
    /// so that a check does not read local storage).
    pub fn site() -> RunOptions {
        let settings = rule_settings::current();
        RunOptions {
            select: (!settings.select.is_empty()).then_some(settings.select),
            ignore: settings.ignore,
            policies: policies::current(),
            severity: settings.severity,
        }
    }

    /// Every rule, with the policies in force on this page, whatever the rule settings
    /// say: a Learn exercise checks its own rule even when the playground ignores it.
    pub fn every_rule() -> RunOptions {
        RunOptions {
            policies: policies::current(),
            ..RunOptions::default()
        }
    }
}

/// [`check_files_json`] with a plain error, so that it can be tested natively.
fn check_files(files: &str, texts: Vec<String>, options: &str) -> Result<String, String> {
    let run: RunOptions = if options.trim().is_empty() {
        RunOptions::default()
    } else {
        serde_json::from_str(options)
            .map_err(|e| format!("the page sent options the checker cannot read ({e})"))?
    };
    let (registry, _) = policies::registry_for(&run.policies);
    let selectors = |texts: &[String]| -> Result<Vec<Selector>, String> {
        texts
            .iter()
            .map(|t| Selector::parse(t, registry).map_err(|e| format!("rule selection: {e}")))
            .collect()
    };
    let options = sciguard::Options {
        select: run.select.as_deref().map(selectors).transpose()?,
        ignore: selectors(&run.ignore)?,
        registry: Some(registry),
        severity: run.severity,
        ..sciguard::Options::default()
    };
    let meta = serde_json::from_str::<Vec<FileMeta>>(files)
        .map_err(|e| format!("the page sent a request the checker cannot read ({e})"))?;
    if meta.len() != texts.len() {
        return Err(format!(
            "the page sent {} file names and {} texts",
            meta.len(),
            texts.len()
        ));
    }
    let files: Vec<SourceFile> = meta
        .into_iter()
        .zip(texts)
        .map(|(m, text)| SourceFile {
            path: m.path,
            text,
            kind: m.kind,
            display: None,
        })
        .collect();
    let reports = sciguard::check_project(&files, &options).reports;
    serde_json::to_string(&reports).map_err(|e| format!("the result could not be sent ({e})"))
}

/// Adds `listener` for `event` on `target` (nothing when there is no target) and returns
/// what removes it again: an effect's teardown.
pub(crate) fn listen<F: ?Sized + 'static>(
    target: Option<web_sys::EventTarget>,
    event: &'static str,
    listener: Closure<F>,
) -> impl FnOnce() {
    if let Some(target) = &target {
        let _ = target.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    }
    move || {
        if let Some(target) = target {
            let _ = target
                .remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        }
        drop(listener);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sciguard::report::{FileReport, Severity};

    fn check(requirements: &str) -> Vec<FileReport> {
        let files =
            r#"[{"path":"requirements.txt","kind":null},{"path":"train.py","kind":"python"}]"#;
        let texts = vec![
            requirements.to_string(),
            "import torch\nmodel = torch.load(p)\n".to_string(),
        ];
        serde_json::from_str(&check_files(files, texts, "").expect("checked")).expect("reports")
    }

    #[test]
    fn files_are_checked_together() {
        let reports = check("torch==2.4.1\n");
        let names: Vec<&str> = reports.iter().map(|r| r.filename.as_str()).collect();
        assert_eq!(names, ["requirements.txt", "train.py"]);
        let sci205 = reports[1].findings.iter().find(|f| f.code == "SCI205");
        let sci205 = sci205.expect("SCI205 on train.py");
        assert_eq!(sci205.severity, Severity::High);
        assert!(sci205.message.contains("2.4.1"), "{}", sci205.message);
        let fixed = check("torch>=2.6\n");
        assert!(fixed[1]
            .findings
            .iter()
            .all(|f| f.code != "SCI205" || f.severity != Severity::High));
    }

    #[test]
    fn damaged_requests_are_an_error_not_an_empty_result() {
        let error = check_files("{", vec![], "").unwrap_err();
        assert!(error.starts_with("the page sent a request"), "{error}");
        let error = check_files(r#"[{"path":"a.py","kind":null}]"#, vec![], "").unwrap_err();
        assert_eq!(error, "the page sent 1 file names and 0 texts");
    }

    #[test]
    fn selections_and_policies_travel_with_the_request() {
        let files = r#"[{"path":"fetch.py","kind":null}]"#;
        let text =
            "import requests, numpy as np\nrequests.get(url)\nnp.load(p, allow_pickle=True)\n";
        let policy = std::fs::read_to_string(format!(
            "{}/../playbooks/organisation/ORG001-requests-timeout-and-ca-bundle.md",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("example policy");
        let options = serde_json::to_string(&RunOptions {
            select: Some(vec!["ORG".into(), "SCI2".into()]),
            ignore: vec!["SCI218".into()],
            policies: vec![policies::PolicyFile {
                name: "ORG001.md".into(),
                content: policy,
            }],
            severity: None,
        })
        .expect("options");
        let out = check_files(files, vec![text.to_string()], &options).expect("checked");
        let reports: Vec<FileReport> = serde_json::from_str(&out).expect("reports");
        let codes: Vec<&str> = reports[0]
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(codes, ["ORG001", "SCI202"]);
        let error = check_files(files, vec![text.into()], r#"{"select":["SCI9"]}"#).unwrap_err();
        assert!(
            error.starts_with("rule selection: `SCI9` matches no rule"),
            "{error}"
        );
    }
}
