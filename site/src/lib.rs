//! The sciguard site: a static single-page app (Yew) over the rules crate.
//!
//! The same WebAssembly module runs twice: on the page, where it renders the UI, and
//! in a module Web Worker (`static/worker.js`), where [`check_json`] runs the engine so
//! that typing never waits for a check.

mod app;
mod checklist_view;
mod markdown;
mod playbook;
mod playground;
mod rules_view;
mod scorecard;
pub mod share;
pub mod workspace;

use wasm_bindgen::prelude::*;

/// Entry point: renders the app when there is a page (not in the worker).
#[wasm_bindgen(start)]
pub fn start() {
    if web_sys::window().is_some() {
        yew::Renderer::<app::App>::new().render();
    }
}

/// Checks Python source and returns the findings as JSON (used by the worker). The
/// text is only borrowed: no copy of a large paste is made per check.
#[wasm_bindgen]
pub fn check_json(path: &str, text: &str) -> String {
    let registry = sciguard::rules::Registry::builtin();
    let rules = sciguard::settings::Settings::default().rules_for(registry, path);
    let findings = sciguard::check_python(text, registry, &rules);
    serde_json::to_string(&findings).unwrap_or_else(|_| "[]".to_string())
}
