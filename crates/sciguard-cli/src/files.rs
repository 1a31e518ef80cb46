//! Finding the files to check, their settings, and reading them safely.

use anyhow::Result;
use sciguard::input::SourceKind;
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

/// Hidden folders whose files are configuration worth checking.
const HIDDEN_FOLDERS_WALKED: &[&str] = &[
    ".github",
    ".gitlab",
    ".circleci",
    ".devcontainer",
    ".binder",
];

/// Expands the command line's paths into files to check.
pub fn discover(paths: &[PathBuf]) -> Result<Discovered> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
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
        // Hidden files are walked (`.env`, `.pypirc`, `.condarc` are configuration), but of
        // hidden folders only those holding CI and container configuration.
        let walk = ignore::WalkBuilder::new(path)
            .hidden(false)
            .filter_entry(|entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                let name = entry.file_name().to_string_lossy();
                !(is_dir && entry.depth() > 0 && name.starts_with('.'))
                    || HIDDEN_FOLDERS_WALKED.contains(&name.as_ref())
            })
            .build();
        for entry in walk {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problems.push(Problem {
                        message: e.to_string(),
                        is_error: true,
                    });
                    continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let file = entry.path();
            let Some(kind) = SourceKind::from_path(&file.to_string_lossy()) else {
                continue;
            };
            files.push(File {
                kind,
                display: file.to_string_lossy().trim_start_matches("./").to_string(),
                absolute: absolute(file),
                path: file.to_path_buf(),
            });
        }
    }
    Ok(Discovered { files, problems })
}

/// Reads a file: UTF-8, or Latin-1 when the file declares it (PEP 263).
/// Binary and undecodable files are refused with a message naming the problem.
pub fn read_text(path: &Path) -> Result<String, Problem> {
    let bytes = std::fs::read(path).map_err(|e| Problem {
        message: format!("{}: cannot read: {e}", path.display()),
        is_error: true,
    })?;
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(Problem {
            message: format!(
                "{}: skipped: binary file (contains NUL bytes)",
                path.display()
            ),
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
                message: format!("{}: skipped: not valid UTF-8 (byte {at}, line {line}) and no Latin-1 coding declaration", path.display()),
                is_error: false,
            })
        }
    }
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
