//! Opening files and folders from the user's disk into playground tabs. Everything is
//! read locally with the File API; nothing is uploaded.
//!
//! [`select`] is the pure part (which files to open, and why the others were skipped);
//! the rest walks what the browser hands over (a file input or a drop) and reads it.

use crate::gitignore::Gitignore;
use js_sys::{Array, Promise, Reflect};
use sciguard::input::SourceKind;
use sciguard::SourceFile;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DataTransfer, File, FileList, FileSystemDirectoryEntry, FileSystemDirectoryReader,
    FileSystemEntry, FileSystemFileEntry,
};

/// Files larger than this are not opened (a browser tab is not the place for them).
pub const MAX_FILE_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

/// At most this many files are opened at once.
pub const MAX_FILES: usize = 200;

/// Folders that hold tools' files, never the project's own: always skipped.
const TOOL_FOLDERS: [&str; 9] = [
    ".git",
    "node_modules",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".ipynb_checkpoints",
];

/// A file found in what the user opened: its path from the opened root, and its size.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// `/`-separated, relative to the root of what was opened.
    pub path: String,
    /// In bytes.
    pub size: f64,
}

/// How many files were skipped, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Matched by a `.gitignore`.
    pub gitignored: usize,
    /// Inside `.git`, `node_modules`, a virtualenv or a cache folder.
    pub tool_folder: usize,
    /// Larger than [`MAX_FILE_BYTES`].
    pub too_large: usize,
    /// Not a kind sciguard checks (from its name).
    pub not_checked: usize,
    /// Beyond the first [`MAX_FILES`].
    pub over_limit: usize,
    /// Could not be read (permissions).
    pub unreadable: usize,
    /// Binary, or text in an encoding other than UTF-8.
    pub not_text: usize,
}

impl Skipped {
    /// The total.
    pub fn total(&self) -> usize {
        self.gitignored
            + self.tool_folder
            + self.too_large
            + self.not_checked
            + self.over_limit
            + self.unreadable
            + self.not_text
    }
}

/// Whether a path lies in a tool's folder (`.git/`, `node_modules/`, …).
pub fn in_tool_folder(path: &str) -> bool {
    let mut folders = path.split('/');
    folders.next_back();
    folders.any(|f| TOOL_FOLDERS.contains(&f))
}

/// Whether a folder (by name) is a tool's folder, not worth walking into.
pub fn is_tool_folder(name: &str) -> bool {
    TOOL_FOLDERS.contains(&name)
}

/// Chooses which candidates to open: indices into `candidates`, in path order, and the
/// counts of the rest.
pub fn select(candidates: &[Candidate], gitignore: &Gitignore) -> (Vec<usize>, Skipped) {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|a, b| candidates[*a].path.cmp(&candidates[*b].path));
    let mut kept = Vec::new();
    let mut skipped = Skipped::default();
    for i in order {
        let Candidate { path, size } = &candidates[i];
        if in_tool_folder(path) {
            skipped.tool_folder += 1;
        } else if gitignore.ignores(path) {
            skipped.gitignored += 1;
        } else if SourceKind::from_path(path).is_none() {
            skipped.not_checked += 1;
        } else if *size > MAX_FILE_BYTES {
            skipped.too_large += 1;
        } else if kept.len() >= MAX_FILES {
            skipped.over_limit += 1;
        } else {
            kept.push(i);
        }
    }
    (kept, skipped)
}

/// What to tell the user: "Opened 12 files; skipped 340 (ignored by .gitignore: 300, …)".
pub fn notice(opened: usize, skipped: &Skipped) -> String {
    let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
    let mut out = format!("Opened {}", files(opened));
    if skipped.total() == 0 {
        out.push('.');
        return out;
    }
    let limit = format!("over the limit of {MAX_FILES} files");
    let reasons: Vec<String> = [
        ("ignored by .gitignore", skipped.gitignored),
        (
            "in .git, node_modules, virtualenv or cache folders",
            skipped.tool_folder,
        ),
        ("too large", skipped.too_large),
        ("not a checked kind", skipped.not_checked),
        (limit.as_str(), skipped.over_limit),
        ("unreadable", skipped.unreadable),
        ("binary or not UTF-8", skipped.not_text),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(why, n)| format!("{why}: {n}"))
    .collect();
    out.push_str(&format!(
        "; skipped {} ({}).",
        skipped.total(),
        reasons.join(", ")
    ));
    out
}

/// The files to open and the notice to show, from files the browser handed over with
/// their paths. Reads the `.gitignore` files among them first.
pub async fn open(files: Vec<(String, File)>, mut skipped: Skipped) -> (Vec<SourceFile>, String) {
    let mut gitignores: Vec<(&str, &File)> = files
        .iter()
        .filter(|(path, _)| path == ".gitignore" || path.ends_with("/.gitignore"))
        .filter(|(path, _)| !in_tool_folder(path))
        .map(|(path, file)| (path.as_str(), file))
        .collect();
    // Shallower files first: deeper patterns take precedence.
    gitignores.sort_by_key(|(path, _)| path.matches('/').count());
    let mut gitignore = Gitignore::default();
    for (path, file) in gitignores {
        if let Some(text) = read_text(file).await {
            gitignore.add(path.trim_end_matches(".gitignore"), &text);
        }
    }
    let candidates: Vec<Candidate> = files
        .iter()
        .map(|(path, file)| Candidate {
            path: path.clone(),
            size: file.size(),
        })
        .collect();
    let (kept, more) = select(&candidates, &gitignore);
    skipped.gitignored += more.gitignored;
    skipped.tool_folder += more.tool_folder;
    skipped.too_large += more.too_large;
    skipped.not_checked += more.not_checked;
    skipped.over_limit += more.over_limit;
    let mut opened = Vec::with_capacity(kept.len());
    for i in kept {
        let (path, file) = &files[i];
        match read_utf8(file).await {
            Read::Text(text) => opened.push(SourceFile {
                path: path.clone(),
                text,
                kind: None,
                display: None,
            }),
            Read::NotText => skipped.not_text += 1,
            Read::Failed => skipped.unreadable += 1,
        }
    }
    let notice = notice(opened.len(), &skipped);
    (opened, notice)
}

/// What reading a file gave.
enum Read {
    Text(String),
    /// Binary (NUL bytes) or not valid UTF-8: opening it would show replacement characters.
    NotText,
    Failed,
}

/// Reads a file as strict UTF-8 (a byte-order mark is dropped), as the CLI does.
async fn read_utf8(file: &File) -> Read {
    let Some(buffer) = JsFuture::from(file.array_buffer()).await.ok() else {
        return Read::Failed;
    };
    decode(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Strict UTF-8, refusing binary files.
fn decode(bytes: Vec<u8>) -> Read {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Read::NotText;
    }
    match String::from_utf8(bytes) {
        Ok(text) => Read::Text(
            text.strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text),
        ),
        Err(_) => Read::NotText,
    }
}

async fn read_text(file: &File) -> Option<String> {
    JsFuture::from(file.text()).await.ok()?.as_string()
}

/// The files of a file input, with their paths within a chosen folder when there is one.
pub fn from_file_list(list: &FileList) -> Vec<(String, File)> {
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|file| {
            // `webkitRelativePath` is set for folder inputs (`project/src/a.py`), empty otherwise.
            let relative = Reflect::get(&file, &"webkitRelativePath".into())
                .ok()
                .and_then(|v| v.as_string())
                .filter(|p| !p.is_empty());
            (relative.unwrap_or_else(|| file.name()), file)
        })
        .collect()
}

/// The entries of a drop, taken while the event lasts (the browser empties them after).
pub fn dropped_entries(transfer: &DataTransfer) -> Vec<FileSystemEntry> {
    let items = transfer.items();
    (0..items.length())
        .filter_map(|i| items.get(i))
        .filter(|item| item.kind() == "file")
        .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
        .collect()
}

/// Walks dropped files and folders. Tool folders are not walked into; each counts as one
/// skipped item.
pub async fn walk(entries: Vec<FileSystemEntry>) -> (Vec<(String, File)>, Skipped) {
    let mut files = Vec::new();
    let mut skipped = Skipped::default();
    let mut pending = entries;
    while let Some(entry) = pending.pop() {
        let path = entry.full_path().trim_start_matches('/').to_string();
        if entry.is_directory() {
            if is_tool_folder(&entry.name()) {
                skipped.tool_folder += 1;
                continue;
            }
            let reader = entry
                .unchecked_into::<FileSystemDirectoryEntry>()
                .create_reader();
            match read_all(&reader).await {
                Some(children) => pending.extend(children),
                None => skipped.unreadable += 1,
            }
        } else if entry.is_file() {
            let entry: FileSystemFileEntry = entry.unchecked_into();
            let file = Promise::new(&mut |resolve, reject| {
                entry.file_with_callback_and_callback(&resolve, &reject);
            });
            match JsFuture::from(file)
                .await
                .ok()
                .and_then(|f| f.dyn_into::<File>().ok())
            {
                Some(file) => files.push((path, file)),
                None => skipped.unreadable += 1,
            }
        }
    }
    (files, skipped)
}

/// Every entry of a folder: `readEntries` answers in batches until one comes back empty.
async fn read_all(reader: &FileSystemDirectoryReader) -> Option<Vec<FileSystemEntry>> {
    let mut all = Vec::new();
    loop {
        let batch = Promise::new(&mut |resolve, reject| {
            let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
        });
        let batch: Array = JsFuture::from(batch).await.ok()?.dyn_into().ok()?;
        if batch.length() == 0 {
            return Some(all);
        }
        all.extend(batch.iter().map(|e| e.unchecked_into::<FileSystemEntry>()));
    }
}

/// Whether a drag carries files (not text dragged from the editor).
pub fn carries_files(transfer: &DataTransfer) -> bool {
    transfer
        .types()
        .iter()
        .any(|t| t == JsValue::from_str("Files"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, size: f64) -> Candidate {
        Candidate {
            path: path.to_string(),
            size,
        }
    }

    #[test]
    fn keeps_checked_kinds_and_counts_the_rest() {
        let mut gitignore = Gitignore::default();
        gitignore.add("project", "build/\n*.log\n");
        let candidates = [
            file("project/train.py", 100.0),
            file("project/requirements.txt", 20.0),
            file("project/README.md", 10.0),
            file("project/.gitignore", 10.0),
            file("project/build/gen.py", 10.0),
            file("project/run.log", 10.0),
            file("project/big.py", 3.0 * 1024.0 * 1024.0),
            file("project/.git/config", 10.0),
            file("project/.venv/lib/site.py", 10.0),
            file("project/src/__pycache__/m.py", 10.0),
        ];
        let (kept, skipped) = select(&candidates, &gitignore);
        let kept: Vec<&str> = kept.iter().map(|i| candidates[*i].path.as_str()).collect();
        assert_eq!(kept, ["project/requirements.txt", "project/train.py"]);
        assert_eq!(
            skipped,
            Skipped {
                gitignored: 2,
                tool_folder: 3,
                too_large: 1,
                not_checked: 2,
                over_limit: 0,
                unreadable: 0,
                not_text: 0,
            }
        );
        assert_eq!(
            notice(kept.len(), &skipped),
            "Opened 2 files; skipped 8 (ignored by .gitignore: 2, in .git, node_modules, virtualenv or cache folders: 3, too large: 1, not a checked kind: 2)."
        );
    }

    #[test]
    fn caps_the_number_of_files() {
        let candidates: Vec<Candidate> = (0..MAX_FILES + 5)
            .map(|i| file(&format!("m{i:04}.py"), 1.0))
            .collect();
        let (kept, skipped) = select(&candidates, &Gitignore::default());
        assert_eq!(kept.len(), MAX_FILES);
        assert_eq!(skipped.over_limit, 5);
        assert_eq!(candidates[kept[0]].path, "m0000.py");
    }

    #[test]
    fn notices() {
        assert_eq!(notice(1, &Skipped::default()), "Opened 1 file.");
        assert!(matches!(decode(b"caf\xe9\n".to_vec()), Read::NotText));
        assert!(matches!(decode(b"a\0b".to_vec()), Read::NotText));
        assert!(
            matches!(decode("\u{feff}x = 1\n".as_bytes().to_vec()), Read::Text(t) if t == "x = 1\n")
        );
        let binary = Skipped {
            not_text: 2,
            ..Skipped::default()
        };
        assert_eq!(
            notice(3, &binary),
            "Opened 3 files; skipped 2 (binary or not UTF-8: 2)."
        );
        let skipped = Skipped {
            not_checked: 1,
            ..Skipped::default()
        };
        assert_eq!(
            notice(0, &skipped),
            "Opened 0 files; skipped 1 (not a checked kind: 1)."
        );
    }

    #[test]
    fn tool_folders() {
        assert!(in_tool_folder("a/node_modules/x.py"));
        assert!(!in_tool_folder("venv.py"));
        assert!(!in_tool_folder("src/venvs/x.py"));
    }
}
