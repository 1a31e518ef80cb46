//! The page's one door to the engine: a module Web Worker (`static/worker.js`) that runs
//! [`crate::check_files_json`], so that no page waits for a check. The playground and
//! the checklist both check through a [`Checker`]; nothing on the page calls the engine.

use crate::workspace::KeptFile;
use crate::RunOptions;
use gloo_timers::callback::Timeout;
use js_sys::{Array, Reflect};
use sciguard::input::SourceKind;
use sciguard::report::FileReport;
use sciguard::SourceFile;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{Event, MessageEvent, Worker, WorkerOptions, WorkerType};

/// What to tell the user when no worker can be started.
pub const NO_WORKER: &str =
    "This browser could not start the checker (Web Workers are unavailable).";

/// How long a check may run before it is cancelled (the worker is stopped and a fresh
/// one started): well past what the largest inputs sciguard takes need (a 10 MB paste
/// is checked in a few seconds), short enough that a stuck check is noticed.
pub const CHECK_BOUND_MS: u32 = 20_000;

/// Overrides [`CHECK_BOUND_MS`] when set in local storage to a number of milliseconds
/// (for slow machines, and for the browser tests of cancelling).
pub const CHECK_BOUND_KEY: &str = "sciguard.check-bound-ms";

/// The worker's answer to the latest check.
pub struct Answer {
    /// One report per file checked, in the order sent (files that `[tool.sciguard]`
    /// excludes are left out).
    pub reports: Vec<FileReport>,
    /// How long the engine took, in milliseconds.
    pub ms: Option<f64>,
    /// Why the check did not complete (the engine trapped, the worker failed, the check
    /// ran past its bound): the reports are then empty and say nothing about the files.
    pub error: Option<String>,
}

/// A file's name and chosen kind, as the worker takes them (texts travel apart).
#[derive(Serialize)]
struct WorkerFile<'a> {
    path: &'a str,
    kind: Option<SourceKind>,
}

/// A running worker. Only the answer to the latest check is passed on: older answers
/// describe files that have changed since. A check that fails or runs past its bound
/// is answered with an error and the worker is replaced, since a trap can leave its
/// module unusable. Dropping the checker stops the worker.
pub struct Checker {
    shared: Rc<Shared>,
}

struct Shared {
    running: RefCell<Option<Running>>,
    /// The id of the latest check; answers with another id are dropped.
    latest: Cell<u32>,
    on_answer: Box<dyn Fn(Answer)>,
    /// Cancels the latest check when it runs past its bound.
    watchdog: RefCell<Option<Timeout>>,
}

/// A worker and the handlers it calls.
struct Running {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

fn field(data: &JsValue, name: &str) -> JsValue {
    Reflect::get(data, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The bound on one check: [`CHECK_BOUND_MS`] unless local storage says otherwise.
fn check_bound_ms() -> u32 {
    crate::kept::text(CHECK_BOUND_KEY)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(CHECK_BOUND_MS)
}

/// Reads the worker's message: the reports, or why there are none.
fn read_answer(data: &JsValue) -> Answer {
    let ms = field(data, "ms").as_f64();
    let failed = |error: String| Answer {
        reports: Vec::new(),
        ms,
        error: Some(error),
    };
    if let Some(error) = field(data, "error").as_string() {
        return failed(error);
    }
    let Some(out) = field(data, "out").as_string() else {
        return failed("the checker sent no result".into());
    };
    match serde_json::from_str(&out) {
        Ok(reports) => Answer {
            reports,
            ms,
            error: None,
        },
        Err(error) => failed(format!("the checker's result could not be read ({error})")),
    }
}

impl Shared {
    /// A fresh worker whose messages and errors come back here.
    fn spawn(self: &Rc<Self>) -> Result<Running, JsValue> {
        // The page's first worker was started by static/boot.js, with the module.
        let global = js_sys::global();
        let started = field(&global, "sciguardWorker");
        let prestarted = started.is_instance_of::<Worker>();
        let worker = if prestarted {
            js_sys::Reflect::set(&global, &"sciguardWorker".into(), &JsValue::UNDEFINED)?;
            started.unchecked_into::<Worker>()
        } else {
            let options = WorkerOptions::new();
            options.set_type(WorkerType::Module);
            Worker::new_with_options("./worker.js", &options)?
        };
        let on_message = {
            let shared = Rc::downgrade(self);
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                if let Some(shared) = shared.upgrade() {
                    if field(&data, "id").as_f64() == Some(f64::from(shared.latest.get())) {
                        shared.answer(read_answer(&data));
                    }
                }
            })
        };
        // The worker's script failed to load or threw outside a check.
        let on_error = {
            let shared = Rc::downgrade(self);
            // A failed load fires a plain `Event`, an uncaught exception an `ErrorEvent`.
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                if let Some(event) = event.dyn_ref::<Event>() {
                    event.prevent_default();
                }
                if let Some(shared) = shared.upgrade() {
                    let message = field(&event, "message").as_string().unwrap_or_default();
                    let message = if message.is_empty() {
                        "the checker stopped".to_string()
                    } else {
                        format!("the checker stopped: {message}")
                    };
                    shared.fail(message);
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The page compiled the engine once (static/boot.js); the worker instantiates that
        // module rather than fetching and compiling it again.
        let module = field(&global, "sciguardModule");
        if !prestarted && module.is_instance_of::<js_sys::WebAssembly::Module>() {
            let message = js_sys::Object::new();
            js_sys::Reflect::set(&message, &"module".into(), &module)?;
            worker.post_message(&message)?;
        }
        Ok(Running {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Passes on the answer to the latest check; a failed check replaces the worker.
    fn answer(self: &Rc<Self>, answer: Answer) {
        if answer.error.is_some() {
            self.restart();
        }
        (self.on_answer)(answer);
    }

    /// The latest check did not complete.
    fn fail(self: &Rc<Self>, error: String) {
        self.answer(Answer {
            reports: Vec::new(),
            ms: None,
            error: Some(error),
        });
    }

    /// Stops the worker now and starts a fresh one. The old handlers may be running (this
    /// is called from them), so they are dropped once they have returned.
    fn restart(self: &Rc<Self>) {
        let old = self.running.borrow_mut().take();
        if let Some(old) = &old {
            old.worker.terminate();
        }
        Timeout::new(0, move || drop(old)).forget();
        *self.running.borrow_mut() = self.spawn().ok();
    }
}

impl Checker {
    /// Starts a worker whose answers to the latest check go to `on_answer`.
    pub fn start(on_answer: impl Fn(Answer) + 'static) -> Result<Checker, JsValue> {
        let shared = Rc::new(Shared {
            running: RefCell::new(None),
            latest: Cell::new(0),
            on_answer: Box::new(on_answer),
            watchdog: RefCell::new(None),
        });
        let running = shared.spawn()?;
        *shared.running.borrow_mut() = Some(running);
        Ok(Checker { shared })
    }

    /// Sends files to be checked together, as one project, with the run's rule selection
    /// and organisation policies; answers to earlier checks
    /// are dropped from now on. False when the worker would not take them. A check still
    /// running after [`check_bound_ms`] is cancelled and answered with an error.
    pub fn check(&self, files: &[KeptFile], options: &RunOptions) -> bool {
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
        let id = self.shared.latest.get();
        let options = serde_json::to_string(options).unwrap_or_default();
        let message = Array::of4(&JsValue::from(id), &meta.into(), &texts, &options.into());
        let posted = self
            .shared
            .running
            .borrow()
            .as_ref()
            .is_some_and(|r| r.worker.post_message(&message).is_ok());
        if !posted {
            return false;
        }
        let bound = check_bound_ms();
        let shared: Weak<Shared> = Rc::downgrade(&self.shared);
        let watchdog = Timeout::new(bound, move || {
            let Some(shared) = shared.upgrade() else {
                return;
            };
            if shared.latest.get() == id {
                let bound = if bound < 1000 {
                    format!("{bound} ms")
                } else {
                    format!("{:.1} s", f64::from(bound) / 1000.0)
                };
                shared.fail(format!(
                    "the check ran longer than {bound}, sciguard's bound, and was cancelled"
                ));
            }
        });
        // The one it replaces has not fired, or has fired and returned: dropping is safe.
        *self.shared.watchdog.borrow_mut() = Some(watchdog);
        true
    }

    /// Drops the answers to checks already sent (their files have changed since).
    pub fn forget_pending(&self) {
        let latest = &self.shared.latest;
        latest.set(latest.get().wrapping_add(1));
    }
}

impl Drop for Checker {
    fn drop(&mut self) {
        self.shared.watchdog.borrow_mut().take();
        self.shared.running.borrow_mut().take();
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
