//! Copying to the clipboard, with an honest answer: a page in a cross-origin frame
//! without `allow="clipboard-write"`, or served over plain HTTP, is refused, and the
//! user must then be told so rather than "copied".

use js_sys::{Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Writes text to the clipboard; the error says why the browser refused.
pub async fn copy(text: &str) -> Result<(), String> {
    let navigator = web_sys::window().ok_or("there is no window")?.navigator();
    // `navigator.clipboard` is missing outside secure contexts (plain http://).
    let clipboard = Reflect::get(&navigator, &"clipboard".into()).unwrap_or_default();
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(
            "this browser gives the page no clipboard (it needs https or localhost)".into(),
        );
    }
    let promise: Promise = clipboard
        .unchecked_into::<web_sys::Clipboard>()
        .write_text(text);
    JsFuture::from(promise).await.map(|_| ()).map_err(|error| {
        let message = Reflect::get(&error, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "no reason given".into());
        format!("the browser refused clipboard access ({message})")
    })
}
