//! Files one script of a project saves and another loads: `prepare.py` pickles
//! `meta.pkl` and `train.py` unpickles it; `generate_sine_wave.py` writes `traindata.pt`
//! and `train.py` loads it. Loading the project's own artefact is not the hazard that
//! loading a downloaded or user-given file is, so such loads are lowered to info, the
//! way a load of a file the same module writes is.

use super::python_file::PendingLoad;
use crate::vocab::{Finding, Severity};

/// One checked script or notebook: its path, what it writes, what it loads.
pub(super) struct Saved<'p> {
    pub index: usize,
    pub path: &'p str,
    /// The name the report shows.
    pub shown: &'p str,
    pub writes: Vec<String>,
    pub loads: Vec<PendingLoad>,
}

/// The folder of a path, without a leading `./` (`""` at the top).
pub(super) fn folder_of(path: &str) -> String {
    let path = path.replace('\\', "/");
    let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    folder.strip_prefix("./").unwrap_or(folder).to_string()
}

/// Whether a file's path lies in `folder` or below it (`""` is the top).
pub(super) fn is_below(path: &str, folder: &str) -> bool {
    folder.is_empty()
        || folder_of(path) == folder
        || folder_of(path).starts_with(&format!("{folder}/"))
}

/// Lowers each pending load whose file another script of the same project writes.
/// `roots` are the folders holding a project's metadata (`requirements.txt`,
/// `pyproject.toml`, `setup.cfg`, `setup.py`); a script belongs to the deepest one
/// above it, or to the whole checked tree.
pub(super) fn settle(findings: &mut [Vec<Finding>], scripts: &[Saved<'_>], roots: &[String]) {
    if scripts.iter().all(|s| s.writes.is_empty()) {
        return;
    }
    for loader in scripts.iter().filter(|s| !s.loads.is_empty()) {
        let root = roots
            .iter()
            .filter(|root| is_below(loader.path, root))
            .max_by_key(|root| root.len())
            .map_or("", String::as_str);
        for load in &loader.loads {
            let writer = scripts.iter().find_map(|w| {
                if !is_below(w.path, root) {
                    return None;
                }
                let name = load.names.iter().find(|n| w.writes.contains(n))?;
                Some((w.shown, name))
            });
            let Some((writer, name)) = writer else {
                continue;
            };
            let Some(finding) = findings.get_mut(loader.index).and_then(|found| {
                found.iter_mut().find(|f| {
                    f.code == load.code && f.span.start == load.start && f.cell == load.cell
                })
            }) else {
                continue;
            };
            if finding.severity == Severity::Info {
                continue;
            }
            finding.severity = Severity::Info;
            finding.message.push_str(&format!(
                " (`{writer}` in this project writes a file named `{name}`: loading what the project saved itself is low risk, as long as nobody else can replace the file)"
            ));
        }
    }
}
