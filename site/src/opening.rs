//! Opening files and folders from the user's disk into playground tabs. Everything is
//! read locally with the File API; nothing is uploaded.
//!
//! Which files of a folder to open is the rules crate's call ([`sciguard::selection`]),
//! the same as the CLI's. The pure part here adds what needs the files themselves: the
//! size and count limits ([`select`]). The rest walks what the browser hands over (a
//! file input or a drop) and reads it.

use js_sys::{Array, Promise, Reflect};
use sciguard::input::SourceKind;
use sciguard::selection::{self, Selection, Skip, GITIGNORE, VIRTUALENV_MARKER};
use sciguard::SourceFile;
use std::collections::{BTreeMap, HashMap};
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
    /// Inside `.git`, `node_modules`, a virtualenv, a cache, build output or a hidden folder.
    pub excluded: usize,
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
            + self.excluded
            + self.too_large
            + self.not_checked
            + self.over_limit
            + self.unreadable
            + self.not_text
    }

    /// Counts one entry the selection left out.
    fn count(&mut self, skip: Skip) {
        match skip {
            Skip::Gitignored => self.gitignored += 1,
            Skip::Excluded => self.excluded += 1,
            Skip::NotChecked => self.not_checked += 1,
        }
    }
}

/// Splits a path of what was opened into the folder opened (`""` for a file chosen by
/// itself) and the path below it.
fn split_root(path: &str) -> (&str, &str) {
    path.split_once('/').unwrap_or(("", path))
}

/// The paths of what was opened, by the folder opened (indices into `paths`).
fn by_root<'a>(paths: &[&'a str]) -> BTreeMap<&'a str, Vec<usize>> {
    let mut roots: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, path) in paths.iter().enumerate() {
        roots.entry(split_root(path).0).or_default().push(i);
    }
    roots
}

/// The `.gitignore` files worth reading among what was opened (indices into `paths`).
/// Those of files chosen by themselves are not: only a folder's apply.
pub fn gitignores_to_read(paths: &[&str]) -> Vec<usize> {
    by_root(paths)
        .into_iter()
        .filter(|(root, _)| !root.is_empty())
        .flat_map(|(_, members)| {
            let below: Vec<&str> = members.iter().map(|&i| split_root(paths[i]).1).collect();
            selection::listed_gitignores(&below)
                .into_iter()
                .map(move |j| members[j])
        })
        .collect()
}

/// The rules crate's verdict on each path of what was opened. Each folder opened is a
/// root of its own with its `.gitignore` files (`gitignores`: their texts by path, read
/// as [`gitignores_to_read`] says); a file chosen by itself is judged by its name alone.
pub fn verdicts(
    paths: &[&str],
    gitignores: &HashMap<&str, String>,
) -> Vec<Result<SourceKind, Skip>> {
    let mut verdicts = vec![Err(Skip::NotChecked); paths.len()];
    for (root, members) in by_root(paths) {
        let below: Vec<&str> = members.iter().map(|&i| split_root(paths[i]).1).collect();
        let mut selection = Selection::default();
        // A `.gitignore` chosen by itself governs nothing.
        if !root.is_empty() {
            for (&i, path) in members.iter().zip(&below) {
                if let Some(text) = gitignores.get(paths[i]) {
                    selection.add_gitignore(path.strip_suffix(GITIGNORE).unwrap_or(""), text);
                }
            }
        }
        for (i, verdict) in members.into_iter().zip(selection.listed(&below)) {
            verdicts[i] = verdict;
        }
    }
    verdicts
}

/// Chooses which candidates to open, given the selection's verdicts: indices into
/// `candidates`, in path order, and the counts of the rest.
pub fn select(
    candidates: &[Candidate],
    verdicts: &[Result<SourceKind, Skip>],
) -> (Vec<usize>, Skipped) {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|a, b| candidates[*a].path.cmp(&candidates[*b].path));
    let mut kept = Vec::new();
    let mut skipped = Skipped::default();
    for i in order {
        match verdicts[i] {
            Err(skip) => skipped.count(skip),
            Ok(_) if candidates[i].size > MAX_FILE_BYTES => skipped.too_large += 1,
            Ok(_) if kept.len() >= MAX_FILES => skipped.over_limit += 1,
            Ok(_) => kept.push(i),
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
            "in .git, node_modules, virtualenv, cache, build or hidden folders",
            skipped.excluded,
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
    let paths: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
    let mut gitignores = HashMap::new();
    for i in gitignores_to_read(&paths) {
        if let Some(text) = read_text(&files[i].1).await {
            gitignores.insert(paths[i], text);
        }
    }
    let verdicts = verdicts(&paths, &gitignores);
    let candidates: Vec<Candidate> = files
        .iter()
        .map(|(path, file)| Candidate {
            path: path.clone(),
            size: file.size(),
        })
        .collect();
    let (kept, more) = select(&candidates, &verdicts);
    skipped.gitignored += more.gitignored;
    skipped.excluded += more.excluded;
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

/// Reads one file as text, as files opened in the playground are; the error says why not.
pub async fn read_as_text(file: &File) -> Result<String, &'static str> {
    match read_utf8(file).await {
        Read::Text(text) => Ok(text),
        Read::NotText => Err("is not UTF-8 text"),
        Read::Failed => Err("could not be read"),
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

/// Walks dropped files and folders: each dropped folder is a root, walked as the rules
/// crate's selection says (a folder skipped counts as one item). Returns the files taken.
pub async fn walk(entries: Vec<FileSystemEntry>) -> (Vec<(String, File)>, Skipped) {
    let mut files = Vec::new();
    let mut skipped = Skipped::default();
    for entry in entries {
        if entry.is_directory() {
            walk_folder(entry, &mut files, &mut skipped).await;
        } else if entry.is_file() {
            match entry_file(&entry).await {
                Some(file) => files.push((entry.name(), file)),
                None => skipped.unreadable += 1,
            }
        }
    }
    (files, skipped)
}

/// Walks one dropped folder, reading each `.gitignore` before the entries beside it.
async fn walk_folder(
    root: FileSystemEntry,
    files: &mut Vec<(String, File)>,
    skipped: &mut Skipped,
) {
    let name = root.name();
    let mut selection = Selection::default();
    // Folders to walk, with their paths below the root.
    let mut pending = vec![(root, String::new())];
    while let Some((folder, below)) = pending.pop() {
        let reader = folder
            .unchecked_into::<FileSystemDirectoryEntry>()
            .create_reader();
        let Some(children) = read_all(&reader).await else {
            skipped.unreadable += 1;
            continue;
        };
        let holds = |name: &str| children.iter().find(|c| c.is_file() && c.name() == name);
        // A virtualenv under any name is known by its marker, once its entries are read.
        if !below.is_empty() && holds(VIRTUALENV_MARKER).is_some() {
            if let Err(skip) = selection.folder(&below, true) {
                skipped.count(skip);
                continue;
            }
        }
        if let Some(gitignore) = holds(GITIGNORE) {
            if let Some(file) = entry_file(gitignore).await {
                if let Some(text) = read_text(&file).await {
                    selection.add_gitignore(&below, &text);
                }
            }
        }
        for child in children {
            let path = if below.is_empty() {
                child.name()
            } else {
                format!("{below}/{}", child.name())
            };
            if child.is_directory() {
                match selection.folder(&path, false) {
                    Ok(()) => pending.push((child, path)),
                    Err(skip) => skipped.count(skip),
                }
            } else if child.is_file() {
                if let Err(skip) = selection.file(&path) {
                    skipped.count(skip);
                    continue;
                }
                match entry_file(&child).await {
                    Some(file) => files.push((format!("{name}/{path}"), file)),
                    None => skipped.unreadable += 1,
                }
            }
        }
    }
}

/// The file of a file entry.
async fn entry_file(entry: &FileSystemEntry) -> Option<File> {
    let entry: &FileSystemFileEntry = entry.unchecked_ref();
    let file = Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(file).await.ok()?.dyn_into::<File>().ok()
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

    /// What [`open`] chooses, with the `.gitignore` texts given by path.
    fn choose(candidates: &[Candidate], texts: &[(&str, &str)]) -> (Vec<usize>, Skipped) {
        let paths: Vec<&str> = candidates.iter().map(|c| c.path.as_str()).collect();
        let gitignores = gitignores_to_read(&paths)
            .into_iter()
            .filter_map(|i| {
                let (_, text) = texts.iter().find(|(p, _)| *p == paths[i])?;
                Some((paths[i], text.to_string()))
            })
            .collect();
        select(candidates, &verdicts(&paths, &gitignores))
    }

    #[test]
    fn keeps_checked_kinds_and_counts_the_rest() {
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
        let (kept, skipped) = choose(&candidates, &[("project/.gitignore", "build/\n*.log\n")]);
        let kept: Vec<&str> = kept.iter().map(|i| candidates[*i].path.as_str()).collect();
        assert_eq!(kept, ["project/requirements.txt", "project/train.py"]);
        assert_eq!(
            skipped,
            Skipped {
                gitignored: 2,
                excluded: 3,
                too_large: 1,
                not_checked: 2,
                over_limit: 0,
                unreadable: 0,
                not_text: 0,
            }
        );
        assert_eq!(
            notice(kept.len(), &skipped),
            "Opened 2 files; skipped 8 (ignored by .gitignore: 2, in .git, node_modules, virtualenv, cache, build or hidden folders: 3, too large: 1, not a checked kind: 2)."
        );
    }

    #[test]
    fn the_folder_opened_is_walked_whatever_its_name_and_chosen_files_by_kind() {
        let candidates = [
            file("venv/app.py", 1.0),
            file("venv/venv/site.py", 1.0),
            file(".gitignore", 1.0),
            file("ci.yml", 1.0),
            file("notes.md", 1.0),
        ];
        // A .gitignore chosen by itself is not read.
        let (kept, skipped) = choose(&candidates, &[(".gitignore", "*.yml\n")]);
        let kept: Vec<&str> = kept.iter().map(|i| candidates[*i].path.as_str()).collect();
        assert_eq!(kept, ["ci.yml", "venv/app.py"]);
        assert_eq!((skipped.excluded, skipped.not_checked), (1, 2));
    }

    /// The tree the CLI's test checks: opened as a browser's folder input lists it, the
    /// playground opens the files the CLI checks.
    #[test]
    fn the_selection_fixture_opens_what_the_cli_checks() {
        let fixtures =
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures"));
        fn list(dir: &std::path::Path, path: &str, out: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                let path = format!("{path}/{}", entry.file_name().to_string_lossy());
                if entry.file_type().unwrap().is_dir() {
                    list(&entry.path(), &path, out);
                } else {
                    out.push((path, std::fs::read_to_string(entry.path()).unwrap()));
                }
            }
        }
        let mut files = Vec::new();
        list(&fixtures.join("selection"), "selection", &mut files);
        let candidates: Vec<Candidate> =
            files.iter().map(|(p, t)| file(p, t.len() as f64)).collect();
        let texts: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let (kept, skipped) = choose(&candidates, &texts);
        let kept: Vec<String> = kept.iter().map(|i| candidates[*i].path.clone()).collect();
        let expected: Vec<String> =
            std::fs::read_to_string(fixtures.join("selection-expected.txt"))
                .unwrap()
                .lines()
                .map(|l| format!("selection/{l}"))
                .collect();
        assert_eq!(kept, expected);
        assert_eq!(
            notice(kept.len(), &skipped),
            "Opened 8 files; skipped 15 (ignored by .gitignore: 5, in .git, node_modules, virtualenv, cache, build or hidden folders: 7, not a checked kind: 3)."
        );
    }

    #[test]
    fn caps_the_number_of_files() {
        let candidates: Vec<Candidate> = (0..MAX_FILES + 5)
            .map(|i| file(&format!("m{i:04}.py"), 1.0))
            .collect();
        let (kept, skipped) = choose(&candidates, &[]);
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
}
