//! Organisation policy files (`--policy FILE_OR_DIR`, `[tool.sciguard] policies`): read
//! from disk here, turned into rules by the engine (`Registry::with_organisation`).

use crate::files::{self, Problem};
use sciguard::rules::Registry;
use std::path::{Path, PathBuf};

/// The registry of a run: the built-in one, or one with the organisation's policies.
/// Files that cannot be read or are invalid become problems (exit 2 at the end of the
/// run), naming the file, line and field; the other policies still load.
pub fn registry(
    given: &[PathBuf],
    pyprojects: &[(String, String)],
    problems: &mut Vec<Problem>,
) -> &'static Registry {
    let mut paths: Vec<PathBuf> = given.to_vec();
    for (pyproject, text) in pyprojects {
        let folder = Path::new(pyproject).parent().unwrap_or(Path::new("."));
        // A malformed `policies` is reported with the rest of the settings.
        if let Ok(listed) = sciguard::settings::policy_files(text) {
            paths.extend(listed.iter().map(|p| folder.join(p)));
        }
    }
    if paths.is_empty() {
        return Registry::builtin();
    }
    let mut pages: Vec<(String, String)> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for path in paths {
        for file in policy_files_in(&path, problems) {
            // The same file named twice (`--policy` and pyproject.toml) loads once.
            let canonical = file.canonicalize().unwrap_or_else(|_| file.clone());
            if seen.contains(&canonical) {
                continue;
            }
            seen.push(canonical);
            match files::read_text(&file) {
                Ok(text) => pages.push((file.display().to_string(), text)),
                Err(problem) => problems.push(Problem {
                    message: format!("error: policy {}", problem.message),
                    is_error: true,
                }),
            }
        }
    }
    let (registry, errors) =
        Registry::with_organisation(pages.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    problems.extend(errors.into_iter().map(|e| Problem {
        message: format!("error: policy {e}; the other policies are loaded"),
        is_error: true,
    }));
    // One registry per process run: the CLI keeps it to the end.
    Box::leak(Box::new(registry))
}

/// A policy path as files: the file itself, or a folder's `.md` files in name order.
fn policy_files_in(path: &Path, problems: &mut Vec<Problem>) -> Vec<PathBuf> {
    if path.is_dir() {
        match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut found: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "md"))
                    .collect();
                found.sort();
                if found.is_empty() {
                    problems.push(Problem {
                        message: format!(
                            "warning: policy folder {} holds no .md files",
                            path.display()
                        ),
                        is_error: false,
                    });
                }
                found
            }
            Err(e) => {
                problems.push(Problem {
                    message: format!("error: policy folder {}: cannot read: {e}", path.display()),
                    is_error: true,
                });
                Vec::new()
            }
        }
    } else if path.exists() {
        vec![path.to_path_buf()]
    } else {
        problems.push(Problem {
            message: format!("error: policy {}: no such file or folder", path.display()),
            is_error: true,
        });
        Vec::new()
    }
}
