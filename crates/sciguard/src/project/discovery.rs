//! Which settings govern each file: the nearest `pyproject.toml` above it (among the
//! files given) whose `[tool.sciguard]` table is present, as Ruff and pytest find theirs.

use super::Options;
use crate::rules::{Registry, RuleSet};
use crate::selection::depth;
use crate::settings::Settings;

/// A `pyproject.toml` whose settings could not be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsProblem {
    /// The file's path.
    pub path: String,
    /// What is wrong, naming the key.
    pub message: String,
    /// Whether `[tool.sciguard]` itself is malformed (the user asked for settings that
    /// cannot be honoured), rather than the file not being TOML at all.
    pub malformed_table: bool,
}

/// The settings of one project root.
#[derive(Debug)]
struct Root {
    /// The folder of its `pyproject.toml`, normalized (`""` for the top).
    folder: String,
    settings: Settings,
}

/// The settings of every project root among the files of a run.
#[derive(Debug, Default)]
pub struct ProjectSettings {
    /// Deepest folders first, so the first that holds a file is its nearest.
    roots: Vec<Root>,
    fallback: Settings,
    /// Folders that root the fallback settings (deepest first).
    fallback_roots: Vec<String>,
    problems: Vec<SettingsProblem>,
}

impl ProjectSettings {
    /// Reads `[tool.sciguard]` from every `pyproject.toml` among `(path, text)`; a front
    /// end may include `pyproject.toml` files above the checked folders for their
    /// settings alone.
    pub fn discover<'f>(
        files: impl IntoIterator<Item = (&'f str, &'f str)>,
        options: &Options<'_>,
    ) -> ProjectSettings {
        let registry = options.registry();
        let mut roots = Vec::new();
        let mut problems = Vec::new();
        for (path, text) in files {
            let normalized = normalize(path);
            let Some(folder) = pyproject_folder(&normalized) else {
                continue;
            };
            match Settings::from_pyproject(text, registry) {
                Ok(Some(settings)) => roots.push(Root {
                    folder: folder.to_string(),
                    settings: options.adjust(settings),
                }),
                Ok(None) => {}
                Err(error) => problems.push(SettingsProblem {
                    path: path.to_string(),
                    // A file that is not TOML gets its own SCI000 when it is checked.
                    malformed_table: error.key != "pyproject.toml",
                    message: error.to_string(),
                }),
            }
        }
        roots.sort_by_key(|r| std::cmp::Reverse(depth(&r.folder)));
        let mut fallback_roots: Vec<String> = options.roots.iter().map(|r| normalize(r)).collect();
        fallback_roots.sort_by_key(|r| std::cmp::Reverse(depth(r)));
        ProjectSettings {
            roots,
            fallback_roots,
            fallback: options.adjust(options.fallback.clone()),
            problems,
        }
    }

    /// `pyproject.toml` files whose settings could not be applied.
    pub fn problems(&self) -> &[SettingsProblem] {
        &self.problems
    }

    /// The settings that govern a path, and the path relative to their project root.
    pub fn governing(&self, path: &str) -> (&Settings, String) {
        let normalized = normalize(path);
        for root in &self.roots {
            if let Some(relative) = within(&root.folder, &normalized) {
                return (&root.settings, relative.to_string());
            }
        }
        let relative = self
            .fallback_roots
            .iter()
            .find_map(|root| within(root, &normalized))
            .map(str::to_string);
        (&self.fallback, relative.unwrap_or(normalized))
    }

    /// Whether `exclude` of the governing settings leaves the path out.
    pub fn is_excluded(&self, path: &str) -> bool {
        let (settings, relative) = self.governing(path);
        settings.is_excluded(&relative)
    }

    /// The rules to run on a path.
    pub fn rules_for(&self, registry: &Registry, path: &str) -> RuleSet {
        let (settings, relative) = self.governing(path);
        settings.rules_for(registry, &relative)
    }
}

/// Forward slashes, no `./` segments.
fn normalize(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out: Vec<&str> = Vec::new();
    for (i, part) in path.split('/').enumerate() {
        match part {
            "." => {}
            "" if i > 0 => {}
            _ => out.push(part),
        }
    }
    out.join("/")
}

/// The folder of a `pyproject.toml` path (`""` for one at the top).
fn pyproject_folder(path: &str) -> Option<&str> {
    match path.rsplit_once('/') {
        Some((folder, "pyproject.toml")) => Some(if folder.is_empty() && path.starts_with('/') {
            "/"
        } else {
            folder
        }),
        None if path == "pyproject.toml" => Some(""),
        _ => None,
    }
}

/// The path relative to `folder`, if it lies inside it.
fn within<'p>(folder: &str, path: &'p str) -> Option<&'p str> {
    if folder.is_empty() {
        return (!path.starts_with('/') && !path.starts_with("../")).then_some(path);
    }
    if folder == "/" {
        return path.strip_prefix('/');
    }
    path.strip_prefix(folder)?.strip_prefix('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discover(files: &[(&str, &str)]) -> ProjectSettings {
        ProjectSettings::discover(files.iter().copied(), &Options::default())
    }

    #[test]
    fn nearest_pyproject_with_a_table_governs() {
        let project = discover(&[
            (
                "pyproject.toml",
                "[tool.sciguard]\nexclude = [\"vendor/\"]\n",
            ),
            ("sub/pyproject.toml", "[project]\nname = \"x\"\n"),
            (
                "lib/pyproject.toml",
                "[tool.sciguard]\nexclude = [\"gen/\"]\n",
            ),
        ]);
        assert!(project.is_excluded("vendor/a.py"));
        assert!(project.is_excluded("./vendor/a.py"));
        // sub/ has no table, so the top one governs: relative to the top.
        assert!(project.is_excluded("sub/vendor/a.py"));
        assert!(project.is_excluded("lib/gen/a.py"));
        // lib/ governs itself: the top's `vendor/` is relative to the top.
        assert!(!project.is_excluded("lib/x/a.py"));
        assert_eq!(project.governing("lib/x/a.py").1, "x/a.py");
        assert!(!project.is_excluded("gen/a.py"));
        assert!(project.problems().is_empty());
    }

    #[test]
    fn absolute_paths_and_folder_names_that_share_a_prefix() {
        let project = discover(&[(
            "/p/app/pyproject.toml",
            "[tool.sciguard]\nexclude = [\"x.py\"]\n",
        )]);
        assert!(project.is_excluded("/p/app/x.py"));
        assert!(!project.is_excluded("/p/application/x.py"));
        assert_eq!(
            project.governing("/p/application/x.py").1,
            "/p/application/x.py"
        );
    }

    #[test]
    fn broken_settings_are_problems_not_panics() {
        let project = discover(&[
            (
                "a/pyproject.toml",
                "[tool.sciguard]\nignore = [\"NOPE1\"]\n",
            ),
            ("b/pyproject.toml", "not toml ["),
        ]);
        let problems = project.problems();
        assert_eq!(problems.len(), 2);
        assert!(problems[0].malformed_table, "{problems:?}");
        assert!(problems[0].message.contains("ignore"), "{problems:?}");
        assert!(!problems[1].malformed_table);
        assert!(!project.is_excluded("a/x.py"));
    }
}
