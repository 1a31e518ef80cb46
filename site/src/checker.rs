//! The page's one door to the engine: a module Web Worker (`static/worker.js`) that runs
//! [`crate::check_files_json`], so that no page waits for a check. The playground and
//! the checklist both check through a [`Checker`]; nothing on the page calls the engine.

use crate::workspace::KeptFile;
use js_sys::{Array, Reflect};
use sciguard::input::SourceKind;
use sciguard::report::FileReport;
use sciguard::SourceFile;
use serde::Serialize;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// What to tell the user when no worker can be started.
pub const NO_WORKER: &str =
    "This browser could not start the checker (Web Workers are unavailable).";

/// The worker's answer to the latest check.
pub struct Answer {
    /// One report per file checked, in the order sent (files that `[tool.sciguard]`
    /// excludes are left out).
    pub reports: Vec<FileReport>,
    /// How long the engine took, in milliseconds.
    pub ms: Option<f64>,
    /// Why the check failed, when the engine trapped (the reports are then empty).
    pub error: Option<String>,
}

/// A file's name and chosen kind, as the worker takes them (texts travel apart).
#[derive(Serialize)]
struct WorkerFile<'a> {
    path: &'a str,
    kind: Option<SourceKind>,
}

/// A running worker. Only the answer to the latest check is passed on: older answers
/// describe files that have changed since. Dropping it stops the worker.
pub struct Checker {
    worker: Worker,
    /// The id of the latest check; answers with another id are dropped.
    latest: Rc<Cell<u32>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

fn field(data: &JsValue, name: &str) -> JsValue {
    Reflect::get(data, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

impl Checker {
    /// Starts a worker whose answers to the latest check go to `on_answer`.
    pub fn start(on_answer: impl Fn(Answer) + 'static) -> Result<Checker, JsValue> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options("./worker.js", &options)?;
        let latest = Rc::new(Cell::new(0));
        let on_message = {
            let latest = latest.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                if field(&data, "id").as_f64() != Some(f64::from(latest.get())) {
                    return;
                }
                let out = field(&data, "out").as_string().unwrap_or_default();
                on_answer(Answer {
                    reports: serde_json::from_str(&out).unwrap_or_default(),
                    ms: field(&data, "ms").as_f64(),
                    error: field(&data, "error").as_string(),
                });
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(Checker {
            worker,
            latest,
            _on_message: on_message,
        })
    }

    /// Sends files to be checked together, as one project; answers to earlier checks
    /// are dropped from now on. False when the worker would not take them.
    pub fn check(&self, files: &[KeptFile]) -> bool {
        self.forget_pending();
        let meta: Vec<WorkerFile> = files
            .iter()
            .map(|f| WorkerFile {
                path: f.path,
                kind: f.kind,
            })
            .collect();
        let meta = serde_json::to_string(&meta).unwrap_or_else(|_| "[]".into());
        let texts: Array = files.iter().map(|f| JsValue::from_str(f.text)).collect();
        let message = Array::of3(&JsValue::from(self.latest.get()), &meta.into(), &texts);
        self.worker.post_message(&message).is_ok()
    }

    /// Drops the answers to checks already sent (their files have changed since).
    pub fn forget_pending(&self) {
        self.latest.set(self.latest.get().wrapping_add(1));
    }
}

/// Gives each report the text it was checked from: texts do not travel back from the
/// worker (`FileReport::source` is not serialized), and the checklist reads lines from
/// them. Reports come in the order of `files`, less the excluded ones.
pub fn restore_sources(reports: &mut [FileReport], files: &[SourceFile]) {
    let mut files = files.iter();
    for report in reports {
        if let Some(file) = files.find(|f| f.shown_name() == report.filename) {
            report.source.clone_from(&file.text);
        }
    }
}

impl Drop for Checker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_get_back_the_texts_they_were_checked_from() {
        let files = [
            SourceFile::new("a.py", "import os\n"),
            SourceFile::new("skipped.py", "x = 1\n"),
            SourceFile::new("b.py", "y = 2\nz = 3\n"),
        ];
        let report = |name: &str| FileReport {
            filename: name.into(),
            ..FileReport::default()
        };
        let mut reports = [report("a.py"), report("b.py")];
        restore_sources(&mut reports, &files);
        assert_eq!(reports[0].source, "import os\n");
        assert_eq!(reports[1].source, "y = 2\nz = 3\n");
    }
}
