//! Finding the files to check, their settings, and reading them safely.

use anyhow::Result;
use sciguard::input::SourceKind;
use sciguard::selection::{Selection, GITIGNORE, VIRTUALENV_MARKER};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A file to check: Python, a notebook or a configuration file.
pub struct File {
    /// What it is checked as.
    pub kind: SourceKind,
    /// Where it is.
    pub path: PathBuf,
    /// How to show it (as given on the command line, or under the folder given).
    pub display: String,
    /// Its canonical absolute path, the name the project API sees.
    pub absolute: String,
}

/// Something that went wrong with one path; the run continues.
pub struct Problem {
    /// What to tell the user.
    pub message: String,
    /// Whether it makes the run fail (exit 2) rather than a warning.
    pub is_error: bool,
}

/// The files to check and the problems met while finding them.
pub struct Discovered {
    /// Python files, in walk order.
    pub files: Vec<File>,
    /// Problems met while finding them.
    pub problems: Vec<Problem>,
}

/// The canonical absolute form of a path (as given when it can't be resolved), the
/// namespace the project API compares folders in.
pub fn absolute(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .replace('\\', "/")
}

/// `pyproject.toml` files in and above the named paths: their `[tool.sciguard]` may govern the
/// files below, though they are not checked themselves.
pub fn pyprojects_above(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for path in paths {
        let Ok(start) = path.canonicalize() else {
            continue;
        };
        // A named folder's own pyproject.toml counts too (walking may skip it).
        let mut current = if start.is_dir() {
            Some(start.as_path())
        } else {
            start.parent()
        };
        while let Some(dir) = current {
            let candidate = dir.join("pyproject.toml");
            if candidate.is_file() && !found.contains(&candidate) {
                found.push(candidate);
            }
            current = dir.parent();
        }
    }
    found
}

/// Expands the command line's paths into files to check.
pub fn discover(paths: &[PathBuf]) -> Result<Discovered> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    // Folders already walked (canonical paths), so that a folder named twice, or inside
    // another one named, is walked once.
    let mut visited = HashSet::new();
    for path in paths {
        let metadata = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                problems.push(Problem {
                    message: format!("{}: {e}", path.display()),
                    is_error: true,
                });
                continue;
            }
        };
        if metadata.is_file() {
            // Files named on the command line are always checked, dotfiles included.
            let display = path.to_string_lossy().to_string();
            // A named file of no known kind is read as Python, as before.
            let kind = SourceKind::from_path(&display).unwrap_or(SourceKind::Python);
            files.push(File {
                kind,
                absolute: absolute(path),
                path: path.clone(),
                display,
            });
            continue;
        }
        // Which files of a folder are checked is the rules crate's call, as in the site;
        // `exclude` and per-file settings are the project API's.
        for (file, kind) in walk(path, &mut visited, &mut problems) {
            files.push(File {
                kind,
                display: file.to_string_lossy().trim_start_matches("./").to_string(),
                absolute: absolute(&file),
                path: file,
            });
        }
    }
    Ok(Discovered { files, problems })
}

/// The files to check in a folder named on the command line, sorted by name within each
/// folder. The rules crate decides, entry by entry, which folders to walk and which files
/// to take; symbolic links are not followed.
fn walk(
    root: &Path,
    visited: &mut HashSet<PathBuf>,
    problems: &mut Vec<Problem>,
) -> Vec<(PathBuf, SourceKind)> {
    let mut selection = Selection::default();
    let start = gitignores_above(root, &mut selection, problems);
    let mut taken = Vec::new();
    // Folders to walk, with their paths as the selection knows them; popped in name order.
    let mut pending = vec![(root.to_path_buf(), start)];
    while let Some((dir, relative)) = pending.pop() {
        if !visited.insert(dir.canonicalize().unwrap_or_else(|_| dir.clone())) {
            continue;
        }
        add_gitignore(&dir, &relative, &mut selection, problems);
        let mut entries = Vec::new();
        match std::fs::read_dir(&dir) {
            Ok(read) => {
                for entry in read {
                    match entry {
                        Ok(entry) => entries.push(entry),
                        Err(e) => problems.push(Problem {
                            message: format!("{}: {e}", dir.display()),
                            is_error: true,
                        }),
                    }
                }
            }
            Err(e) => problems.push(Problem {
                message: format!("{}: {e}", dir.display()),
                is_error: true,
            }),
        }
        entries.sort_by_key(std::fs::DirEntry::file_name);
        let mut folders = Vec::new();
        for entry in entries {
            let name = entry.file_name().to_string_lossy().to_string();
            let path = if relative.is_empty() {
                name
            } else {
                format!("{relative}/{name}")
            };
            // The type of the entry itself: a link is neither a folder nor a file here.
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                let is_virtualenv = entry.path().join(VIRTUALENV_MARKER).is_file();
                if selection.folder(&path, is_virtualenv).is_ok() {
                    folders.push((entry.path(), path));
                }
            } else if file_type.is_file() {
                if let Ok(kind) = selection.file(&path) {
                    taken.push((entry.path(), kind));
                }
            }
        }
        pending.extend(folders.into_iter().rev());
    }
    taken
}

/// Reads the `.gitignore` of a folder being walked, if it has one.
fn add_gitignore(
    dir: &Path,
    relative: &str,
    selection: &mut Selection,
    problems: &mut Vec<Problem>,
) {
    let path = dir.join(GITIGNORE);
    if !path.is_file() {
        return;
    }
    match std::fs::read(&path) {
        Ok(bytes) => selection.add_gitignore(relative, &String::from_utf8_lossy(&bytes)),
        Err(e) => problems.push(Problem {
            message: format!(
                "{}: cannot read: {e}; its patterns are not applied",
                path.display()
            ),
            is_error: false,
        }),
    }
}

/// Adds the `.gitignore` files of the folders above `root` up to its git repository's
/// root, as git applies them too; returns `root`'s path from there (`""` when `root` is
/// not inside a repository, or is its root).
fn gitignores_above(root: &Path, selection: &mut Selection, problems: &mut Vec<Problem>) -> String {
    let Ok(absolute) = root.canonicalize() else {
        return String::new();
    };
    let Some(repository) = absolute.ancestors().find(|a| a.join(".git").exists()) else {
        return String::new();
    };
    let from_repository = |dir: &Path| {
        dir.strip_prefix(repository)
            .unwrap_or(dir)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let above: Vec<&Path> = absolute
        .ancestors()
        .skip(1)
        .take_while(|a| a.starts_with(repository))
        .collect();
    for dir in above.into_iter().rev() {
        add_gitignore(dir, &from_repository(dir), selection, problems);
    }
    from_repository(&absolute)
}

/// Reads a file: UTF-8, or Latin-1 when the file declares it (PEP 263).
/// Binary and undecodable files are refused with a message naming the problem.
pub fn read_text(path: &Path) -> Result<String, Problem> {
    read_named(path, &path.display().to_string())
}

/// [`read_text`] for a file shown to the user as `name`.
pub fn read_named(path: &Path, name: &str) -> Result<String, Problem> {
    let bytes = std::fs::read(path).map_err(|e| Problem {
        message: format!("{name}: cannot read: {e}"),
        is_error: true,
    })?;
    decode(bytes, name)
}

/// Decodes what was read from a file (or standard input, shown as `name`): UTF-8 without
/// its byte order mark, or Latin-1 when the text declares it (PEP 263).
pub fn decode(bytes: Vec<u8>, name: &str) -> Result<String, Problem> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(Problem {
            message: format!("{name}: skipped: binary file (contains NUL bytes)"),
            is_error: false,
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text)),
        Err(error) => {
            let bytes = error.as_bytes();
            if declares_latin1(bytes) {
                return Ok(bytes.iter().map(|&b| b as char).collect());
            }
            let at = error.utf8_error().valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Problem {
                message: format!("{name}: skipped: not valid UTF-8 (byte {at}, line {line}) and no Latin-1 coding declaration"),
                is_error: false,
            })
        }
    }
}

/// The absolute form of a path that may not exist (the name given to text read from
/// standard input): canonical when it exists, else joined to the current folder.
pub fn absolute_named(path: &Path) -> String {
    if path.exists() {
        return absolute(path);
    }
    let joined = std::env::current_dir()
        .and_then(|here| here.canonicalize())
        .map_or_else(|_| path.to_path_buf(), |here| here.join(path));
    joined.to_string_lossy().replace('\\', "/")
}

/// The nearest folder at or above `path` that exists (the current folder when none does).
pub fn existing_folder(path: &Path) -> PathBuf {
    path.ancestors()
        .skip(1)
        .find(|a| a.is_dir())
        .filter(|a| !a.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// A PEP 263 coding cookie for Latin-1 on one of the first two lines.
fn declares_latin1(bytes: &[u8]) -> bool {
    bytes
        .split(|&b| b == b'\n')
        .take(2)
        .filter_map(|line| std::str::from_utf8(line).ok())
        .filter(|line| line.trim_start().starts_with('#'))
        .any(|line| {
            let lower = line.to_ascii_lowercase();
            lower.contains("coding")
                && ["latin-1", "latin1", "iso-8859-1", "iso8859-1"]
                    .iter()
                    .any(|e| lower.contains(e))
        })
}
