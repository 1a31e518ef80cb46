//! The files the playground holds, kept in local storage between visits. Other pages
//! (the checklist, a rule's "Try it") read and add them here, so every page sees the
//! same work. This is the one place that knows the storage keys and format.

use sciguard::input::SourceKind;
use sciguard::SourceFile;
use serde::{Deserialize, Serialize};

/// Where the playground kept its single text before it had tabs (read once, to migrate).
pub const STORAGE_KEY: &str = "sciguard.playground.text";

/// Where the playground keeps its tabs: `{"active": 0, "files": [{path, text, kind}]}`.
pub const FILES_KEY: &str = "sciguard.playground.files";

/// Larger workspaces are not written to local storage (the write blocks the page, and
/// browsers allow a few megabytes per site).
pub const MAX_KEPT_BYTES: usize = 1 << 20;

/// One kept file, borrowed for writing.
#[derive(Serialize)]
pub struct KeptFile<'a> {
    /// The tab's name.
    pub path: &'a str,
    /// Its text.
    pub text: &'a str,
    /// The kind the user chose, `None` for automatic detection.
    pub kind: Option<SourceKind>,
}

#[derive(Serialize)]
struct KeptRef<'a> {
    active: usize,
    files: &'a [KeptFile<'a>],
}

#[derive(Deserialize)]
struct StoredFile {
    path: String,
    text: String,
    kind: Option<SourceKind>,
}

#[derive(Deserialize)]
struct Stored {
    #[serde(default)]
    active: usize,
    files: Vec<StoredFile>,
}

/// What the playground held: its files and which one was open.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Kept {
    /// The files, in tab order.
    pub files: Vec<SourceFile>,
    /// The index of the open tab.
    pub active: usize,
}

/// Why the workspace was not kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotKept {
    /// Larger than [`MAX_KEPT_BYTES`].
    TooLarge,
    /// The browser refused (storage disabled or full).
    Refused,
}

impl NotKept {
    /// What to tell the user.
    pub fn message(self) -> &'static str {
        match self {
            NotKept::TooLarge => "These files are too large to keep across reloads (over 1 MB together); copy a link or save them yourself.",
            NotKept::Refused => "This browser did not let the page keep your files across reloads.",
        }
    }
}

/// The name given to text that has no file name (pasted, or kept before tabs existed).
/// It implies no kind, so the kind is detected from the content.
pub const UNTITLED: &str = "untitled";

/// Reads what was kept, migrating the single text kept before tabs existed.
pub fn load_kept() -> Option<Kept> {
    let storage = crate::kept::storage()?;
    if let Some(json) = storage.get_item(FILES_KEY).ok().flatten() {
        return parse(&json);
    }
    let text = storage.get_item(STORAGE_KEY).ok().flatten()?;
    Some(Kept {
        files: vec![SourceFile {
            path: UNTITLED.to_string(),
            text,
            kind: None,
            display: None,
        }],
        active: 0,
    })
}

fn parse(json: &str) -> Option<Kept> {
    let stored: Stored = serde_json::from_str(json).ok()?;
    if stored.files.is_empty() {
        return None;
    }
    Some(Kept {
        active: stored.active.min(stored.files.len() - 1),
        files: stored
            .files
            .into_iter()
            .map(|f| SourceFile {
                path: f.path,
                text: f.text,
                kind: f.kind,
                display: None,
            })
            .collect(),
    })
}

/// The files the playground last held (empty when nothing was kept), with the chosen
/// kind when it was not left to detection.
pub fn load() -> Vec<SourceFile> {
    load_kept().map(|k| k.files).unwrap_or_default()
}

/// Keeps the playground's files, unless together they are larger than [`MAX_KEPT_BYTES`].
pub fn keep(files: &[KeptFile], active: usize) -> Result<(), NotKept> {
    // Measured before serialising, so that a large paste costs nothing here.
    let size: usize = files.iter().map(|f| f.text.len() + f.path.len()).sum();
    if size > MAX_KEPT_BYTES {
        return Err(NotKept::TooLarge);
    }
    let json = serde_json::to_string(&KeptRef { active, files }).map_err(|_| NotKept::Refused)?;
    let storage = crate::kept::storage().ok_or(NotKept::Refused)?;
    storage
        .set_item(FILES_KEY, &json)
        .map_err(|_| NotKept::Refused)?;
    // The old single text is migrated by now; leaving it would only confuse.
    let _ = storage.remove_item(STORAGE_KEY);
    Ok(())
}

/// Opens a file in the playground the next time it shows: as a new tab that becomes the
/// open one, or in place of the tab with the same name.
pub fn open(file: SourceFile) {
    let mut kept = load_kept().unwrap_or_default();
    let active = match kept.files.iter().position(|f| f.path == file.path) {
        Some(i) => {
            kept.files[i] = file;
            i
        }
        None => {
            kept.files.push(file);
            kept.files.len() - 1
        }
    };
    let borrowed: Vec<KeptFile> = kept
        .files
        .iter()
        .map(|f| KeptFile {
            path: &f.path,
            text: &f.text,
            kind: f.kind,
        })
        .collect();
    if keep(&borrowed, active).is_err() {
        // Better to open the file alone than not at all.
        let alone = &borrowed[active..=active];
        let _ = keep(alone, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_json_round_trips() {
        let files = [
            KeptFile {
                path: "requirements.txt",
                text: "torch==2.4.1\n",
                kind: None,
            },
            KeptFile {
                path: "train.py",
                text: "import torch\n",
                kind: Some(SourceKind::Python),
            },
        ];
        let json = serde_json::to_string(&KeptRef {
            active: 1,
            files: &files,
        })
        .expect("serialises");
        let kept = parse(&json).expect("parses");
        assert_eq!(kept.active, 1);
        assert_eq!(kept.files[1].kind, Some(SourceKind::Python));
        assert_eq!(kept.files[0].text, "torch==2.4.1\n");
    }

    #[test]
    fn damaged_or_empty_storage_is_ignored() {
        assert_eq!(parse("{"), None);
        assert_eq!(parse(r#"{"active":3,"files":[]}"#), None);
        let kept = parse(r#"{"active":9,"files":[{"path":"a.py","text":"","kind":null}]}"#);
        assert_eq!(kept.map(|k| k.active), Some(0));
    }
}
