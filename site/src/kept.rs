//! What the site keeps in this browser's local storage: the one way the pages reach it.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// This page's local storage, when the browser keeps one for it.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The text kept under `key`.
pub fn text(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// The JSON value kept under `key`, when there is one and it reads as a `T`.
pub fn json<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&text(key)?).ok()
}

/// Keeps `value` as JSON under `key`; the error says why the browser refused, in words
/// for the page. Callers whose data is only a convenience ignore it.
pub fn keep_json<T: Serialize>(key: &str, value: &T) -> Result<(), String> {
    let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
    storage()
        .ok_or("this browser keeps no local storage for this page")?
        .set_item(key, &json)
        .map_err(|_| "the browser's local storage is full or blocked".to_string())
}
