//! The sciguard site: a static single-page app (Yew) over the rules crate.
//!
//! The same WebAssembly module runs twice: on the page, where it renders the UI, and
//! in a module Web Worker (`static/worker.js`), where [`check_files_json`] runs the
//! engine so that typing never waits for a check. Pages reach the worker through
//! `checker` only; nothing on the page thread runs a check.

mod app;
mod checker;
mod checklist_view;
mod markdown;
pub mod opening;
mod playbook;
mod playground;
mod rules_view;
mod scorecard;
pub mod share;
pub mod tabs;
pub mod workspace;

use sciguard::input::SourceKind;
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
pub fn check_files_json(files: &str, texts: Vec<String>) -> Result<String, JsError> {
    LAST_PANIC.with(|last| last.borrow_mut().take());
    check_files(files, texts).map_err(|e| JsError::new(&e))
}

/// [`check_files_json`] with a plain error, so that it can be tested natively.
fn check_files(files: &str, texts: Vec<String>) -> Result<String, String> {
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
    let reports = sciguard::check_files(&files, &sciguard::settings::Settings::default());
    serde_json::to_string(&reports).map_err(|e| format!("the result could not be sent ({e})"))
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
        serde_json::from_str(&check_files(files, texts).expect("checked")).expect("reports")
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
        let error = check_files("{", vec![]).unwrap_err();
        assert!(error.starts_with("the page sent a request"), "{error}");
        let error = check_files(r#"[{"path":"a.py","kind":null}]"#, vec![]).unwrap_err();
        assert_eq!(error, "the page sent 1 file names and 0 texts");
    }
}
