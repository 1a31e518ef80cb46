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

/// Entry point: renders the app when there is a page (not in the worker).
#[wasm_bindgen(start)]
pub fn start() {
    if web_sys::window().is_some() {
        yew::Renderer::<app::App>::new().render();
    }
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
/// order: texts travel as plain strings, never escaped into JSON and parsed back.
#[wasm_bindgen]
pub fn check_files_json(files: &str, texts: Vec<String>) -> String {
    let Ok(meta) = serde_json::from_str::<Vec<FileMeta>>(files) else {
        return "[]".to_string();
    };
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
    serde_json::to_string(&reports).unwrap_or_else(|_| "[]".to_string())
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
        serde_json::from_str(&check_files_json(files, texts)).expect("reports")
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
    fn damaged_requests_give_no_reports() {
        assert_eq!(check_files_json("{", vec![]), "[]");
    }
}
