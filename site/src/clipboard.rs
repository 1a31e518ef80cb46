//! Copying to the clipboard, with an honest answer: a page in a cross-origin frame
//! without `allow="clipboard-write"`, or served over plain HTTP, is refused, and the
//! user must then be told so rather than "copied". And the other way a text leaves the
//! page, on the user's request: saving it as a file.

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

/// Saves `text` as a file named `name` (of type `mime`) through the browser's download;
/// the error says why the browser refused.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let refused = |_| "the browser refused to make the file".to_string();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("there is no page")?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&text.into());
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(refused)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(refused)?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(refused)?
        .dyn_into()
        .map_err(|_| "the browser refused to make the file".to_string())?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The browser reads the blob after this handler returns; it is freed a little later.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
