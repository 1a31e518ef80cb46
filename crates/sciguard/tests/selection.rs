//! File selection on a real tree, walked by a tiny walker of the kind every front end
//! writes: the CLI's test runs the binary on the same tree and expects the same list.

use sciguard::selection::{Selection, GITIGNORE, VIRTUALENV_MARKER};
use std::fs;
use std::path::Path;

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures"))
}

/// Walks `dir` (at `relative` from the root), asking the selection about each entry.
fn walk(dir: &Path, relative: &str, selection: &mut Selection, taken: &mut Vec<String>) {
    if let Ok(text) = fs::read_to_string(dir.join(GITIGNORE)) {
        selection.add_gitignore(relative, &text);
    }
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().to_string();
        let path = if relative.is_empty() {
            name
        } else {
            format!("{relative}/{name}")
        };
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            let is_virtualenv = entry.path().join(VIRTUALENV_MARKER).is_file();
            if selection.folder(&path, is_virtualenv).is_ok() {
                walk(&entry.path(), &path, selection, taken);
            }
        } else if kind.is_file() && selection.file(&path).is_ok() {
            taken.push(path);
        }
    }
}

/// Every file below `dir`, as a browser's folder input lists them.
fn list(dir: &Path, relative: &str, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        let path = if relative.is_empty() {
            name
        } else {
            format!("{relative}/{name}")
        };
        if entry.file_type().unwrap().is_dir() {
            list(&entry.path(), &path, out);
        } else {
            out.push(path);
        }
    }
}

fn expected() -> Vec<String> {
    fs::read_to_string(fixtures().join("selection-expected.txt"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_walk_takes_the_expected_files() {
    let mut taken = Vec::new();
    walk(
        &fixtures().join("selection"),
        "",
        &mut Selection::default(),
        &mut taken,
    );
    taken.sort();
    assert_eq!(taken, expected());
}

#[test]
fn a_flat_list_gives_the_same_files_as_a_walk() {
    let root = fixtures().join("selection");
    let mut paths = Vec::new();
    list(&root, "", &mut paths);
    // In no particular order, as a browser hands them over.
    paths.reverse();
    let all: Vec<&str> = paths.iter().map(String::as_str).collect();
    let mut selection = Selection::default();
    for i in sciguard::selection::listed_gitignores(&all) {
        let folder = all[i].strip_suffix(GITIGNORE).unwrap_or("");
        selection.add_gitignore(folder, &fs::read_to_string(root.join(all[i])).unwrap());
    }
    let mut taken: Vec<String> = all
        .iter()
        .zip(selection.listed(&all))
        .filter(|(_, verdict)| verdict.is_ok())
        .map(|(path, _)| path.to_string())
        .collect();
    taken.sort();
    assert_eq!(taken, expected());
    assert_eq!((all.len(), taken.len()), (23, 8));
}
