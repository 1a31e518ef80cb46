//! The files the playground holds, kept in local storage between visits. Other pages
//! (the checklist) read them from here, so every page sees the same work.

use sciguard::SourceFile;

/// Where the playground keeps its text between visits.
pub const STORAGE_KEY: &str = "sciguard.playground.text";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The files the playground last held (empty when nothing was kept).
pub fn load() -> Vec<SourceFile> {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .map(|text| {
            vec![SourceFile {
                path: "snippet.py".to_string(),
                text,
                kind: None,
            }]
        })
        .unwrap_or_default()
}
