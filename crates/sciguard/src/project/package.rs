//! Which package each Python file belongs to, from the files of the run: folders that
//! hold an `__init__.py` form packages, and `pyproject.toml` (`[project].name`) or
//! `setup.cfg` (`[metadata] name`) name the project. Rules learn from it which calls
//! are the project's own API and which star imports re-export a declared `__all__`.

use super::SourceFile;
use crate::input::SourceKind;
use crate::rules::{FileContext, ModuleShape};
use crate::selection::depth;
use std::collections::{HashMap, HashSet};

/// The packages among the files of one run.
#[derive(Debug, Default)]
pub(crate) struct PackageIndex {
    /// Folders (normalized, `/`-separated) holding an `__init__.py`.
    package_folders: HashSet<String>,
    /// The modules of the packages, by dotted name.
    modules: HashMap<String, ModuleShape>,
    /// `(folder, import name)` of declared project names, deepest folder first.
    projects: Vec<(String, String)>,
}

/// A file's place in its package, owned so the context can borrow from it.
#[derive(Debug, Default)]
pub(crate) struct Placement {
    module: Option<String>,
    package_init: bool,
    first_party: Vec<String>,
    testing_support: bool,
}

impl PackageIndex {
    /// Indexes the files of a run.
    pub(crate) fn new(files: &[SourceFile]) -> PackageIndex {
        PackageIndex::with_all(files, |_, file| declares_all(&file.text))
    }

    /// [`PackageIndex::new`] where whether the `i`th file declares `__all__` is known
    /// without its text (read and let go earlier).
    pub(crate) fn with_all(
        files: &[SourceFile],
        declares: impl Fn(usize, &SourceFile) -> bool,
    ) -> PackageIndex {
        let mut index = PackageIndex::default();
        for file in files {
            let path = normalize(&file.path);
            let (folder, name) = split(&path);
            if name == "__init__.py" {
                index.package_folders.insert(folder.to_string());
            }
            let declared = match name {
                "pyproject.toml" => pyproject_name(&file.text),
                "setup.cfg" => setup_cfg_name(&file.text),
                _ => None,
            };
            if let Some(declared) = declared {
                index.projects.push((folder.to_string(), declared));
            }
        }
        index
            .projects
            .sort_by_key(|(folder, _)| std::cmp::Reverse(depth(folder)));
        for (i, file) in files.iter().enumerate() {
            if file.kind() != SourceKind::Python {
                continue;
            }
            if let (Some(module), package_init) = index.module_of(&normalize(&file.path)) {
                let shape = if declares(i, file) {
                    ModuleShape::DeclaresAll
                } else if package_init {
                    ModuleShape::Package
                } else {
                    ModuleShape::Plain
                };
                index.modules.insert(module, shape);
            }
        }
        index
    }

    /// Where a file sits: its module name, whether it is a package `__init__`, and the
    /// project's own top-level names.
    pub(crate) fn place(&self, path: &str) -> Placement {
        let path = normalize(path);
        let (module, package_init) = self.module_of(&path);
        let mut first_party = Vec::new();
        if let Some(module) = &module {
            let top = module.split('.').next().unwrap_or(module);
            first_party.push(top.to_string());
        }
        if let Some((_, name)) = self
            .projects
            .iter()
            .find(|(folder, _)| folder.is_empty() || path.starts_with(&format!("{folder}/")))
        {
            if !first_party.contains(name) {
                first_party.push(name.clone());
            }
        }
        Placement {
            testing_support: crate::input::is_testing_support(&path),
            module,
            package_init,
            first_party,
        }
    }

    /// The context rules see for a placed file.
    pub(crate) fn context<'a>(
        &'a self,
        placement: &'a Placement,
        notebook: bool,
        watched: &'a [String],
    ) -> FileContext<'a> {
        FileContext {
            module: placement.module.as_deref(),
            package_init: placement.package_init,
            testing_support: placement.testing_support,
            notebook,
            first_party: &placement.first_party,
            modules: Some(&self.modules),
            watched,
        }
    }

    /// The dotted module of a normalized path inside a package, and whether it is the
    /// package's `__init__.py`.
    fn module_of(&self, path: &str) -> (Option<String>, bool) {
        let (folder, name) = split(path);
        let Some(stem) = name.strip_suffix(".py") else {
            return (None, false);
        };
        let mut parts: Vec<&str> = Vec::new();
        let mut current = folder;
        while self.package_folders.contains(current) {
            let (parent, last) = split(current);
            if last.is_empty() || !is_identifier(last) {
                break;
            }
            parts.push(last);
            if parent == current {
                break;
            }
            current = parent;
        }
        if parts.is_empty() {
            return (None, false);
        }
        parts.reverse();
        let package_init = stem == "__init__";
        if !package_init {
            if !is_identifier(stem) {
                return (None, false);
            }
            parts.push(stem);
        }
        (Some(parts.join(".")), package_init)
    }
}

fn normalize(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.strip_prefix("./").unwrap_or(&path).to_string()
}

/// `(folder, name)`; the folder of a bare name is `""`.
fn split(path: &str) -> (&str, &str) {
    match path.rsplit_once('/') {
        Some((folder, name)) => (folder, name),
        None => ("", path),
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Whether a module assigns `__all__` at its top level (a line starting with it).
pub(crate) fn declares_all(text: &str) -> bool {
    text.match_indices("__all__").any(|(at, _)| {
        (at == 0 || text.as_bytes()[at - 1] == b'\n') && {
            let rest = text[at + 7..].trim_start_matches([' ', '\t']);
            rest.starts_with('=') || rest.starts_with(':') || rest.starts_with("+=")
        }
    })
}

/// The import name of a distribution name (`scikit-learn` imports as... its own
/// package folder; the name is only a hint, normalized to `scikit_learn`).
fn import_name(name: &str) -> String {
    name.trim().to_lowercase().replace(['-', '.'], "_")
}

fn pyproject_name(text: &str) -> Option<String> {
    let table: toml::Table = text.parse().ok()?;
    let name = table.get("project")?.get("name")?.as_str()?;
    Some(import_name(name))
}

fn setup_cfg_name(text: &str) -> Option<String> {
    let mut in_metadata = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_metadata = line == "[metadata]";
        } else if in_metadata {
            if let Some((key, value)) = line.split_once('=') {
                if key.trim() == "name" && !value.trim().is_empty() {
                    return Some(import_name(value));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(paths: &[(&str, &str)]) -> Vec<SourceFile> {
        paths.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect()
    }

    #[test]
    fn packages_come_from_init_files() {
        let index = PackageIndex::new(&files(&[
            ("site/scipy/__init__.py", ""),
            ("site/scipy/signal/__init__.py", "from ._ltisys import *\n"),
            ("site/scipy/signal/_ltisys.py", "__all__ = ['lti']\n"),
            ("site/scipy/signal/_other.py", "x = 1  # __all__ = []\n"),
            ("site/scripts/run.py", ""),
        ]));
        let placed = index.place("site/scipy/signal/_ltisys.py");
        assert_eq!(placed.module.as_deref(), Some("scipy.signal._ltisys"));
        assert_eq!(placed.first_party, vec!["scipy".to_string()]);
        let init = index.place("site/scipy/signal/__init__.py");
        assert_eq!(init.module.as_deref(), Some("scipy.signal"));
        assert!(init.package_init);
        assert_eq!(
            index.modules["scipy.signal._ltisys"],
            ModuleShape::DeclaresAll
        );
        assert_eq!(index.modules["scipy.signal._other"], ModuleShape::Plain);
        assert_eq!(index.modules["scipy.signal"], ModuleShape::Package);
        let script = index.place("site/scripts/run.py");
        assert_eq!(script.module, None);
        assert!(script.first_party.is_empty());
    }

    #[test]
    fn declared_project_names_are_first_party() {
        let index = PackageIndex::new(&files(&[
            ("app/pyproject.toml", "[project]\nname = \"My-Tool\"\n"),
            ("app/src/run.py", ""),
            ("lib/setup.cfg", "[metadata]\nname = geo.kit\n"),
            ("lib/x.py", ""),
            ("other/y.py", ""),
        ]));
        assert_eq!(index.place("app/src/run.py").first_party, vec!["my_tool"]);
        assert_eq!(index.place("lib/x.py").first_party, vec!["geo_kit"]);
        assert!(index.place("other/y.py").first_party.is_empty());
    }

    #[test]
    fn testing_support_modules() {
        let index = PackageIndex::default();
        assert!(index.place("pandas/_testing/asserters.py").testing_support);
        assert!(
            index
                .place("sklearn/utils/estimator_checks.py")
                .testing_support
        );
        assert!(!index.place("sklearn/utils/validation.py").testing_support);
    }
}
