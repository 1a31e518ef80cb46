//! Which files of a folder sciguard checks: one answer for the CLI, which walks the disk,
//! and the site, which walks what the browser hands over.
//!
//! No I/O: the caller walks its tree and asks, for each entry below the root it meets,
//! whether to go into a folder ([`Selection::folder`]) or take a file
//! ([`Selection::file`]), handing over each `.gitignore` it finds on the way
//! ([`Selection::add_gitignore`]). A caller handed a flat list of every file below the
//! root (a browser's folder input) asks [`Selection::listed`] instead. Paths are
//! `/`-separated and relative to the root; the root itself, chosen by the user, is always
//! walked.
//!
//! A folder is skipped when a `.gitignore` ignores it or when it holds tools' files or
//! build output ([`is_excluded_folder`]), with or without a `.gitignore`. A file is taken
//! when no `.gitignore` ignores it and its name says what kind it is
//! ([`SourceKind::from_path`]); hidden files are taken (`.env`, `.pypirc` and `.condarc`
//! are configuration).

use crate::glob;
use crate::input::SourceKind;
use std::collections::{HashMap, HashSet};

/// The name of the files whose patterns say what git leaves out.
pub const GITIGNORE: &str = ".gitignore";

/// A file that marks the folder holding it as a virtualenv, whatever its name.
pub const VIRTUALENV_MARKER: &str = "pyvenv.cfg";

/// Folders skipped by name: version control, virtualenvs, installed packages, caches and
/// build output. Besides these, `*.egg-info` and hidden folders are skipped.
pub const EXCLUDED_FOLDERS: [&str; 16] = [
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "env",
    "node_modules",
    "site-packages",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    ".nox",
    "build",
    "dist",
];

/// Hidden folders that are walked: they hold CI and container configuration.
pub const HIDDEN_FOLDERS_WALKED: [&str; 5] = [
    ".github",
    ".gitlab",
    ".circleci",
    ".devcontainer",
    ".binder",
];

/// Why an entry is left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// A `.gitignore` ignores it, or a folder above it.
    Gitignored,
    /// It lies in a folder of tools' files or build output ([`is_excluded_folder`]).
    Excluded,
    /// Its name says no kind sciguard checks.
    NotChecked,
}

/// Whether a folder, by its name, holds tools' files or build output and is never walked.
pub fn is_excluded_folder(name: &str) -> bool {
    EXCLUDED_FOLDERS.contains(&name)
        || name.ends_with(".egg-info")
        || (name.starts_with('.') && !HIDDEN_FOLDERS_WALKED.contains(&name))
}

/// The `.gitignore` files of a flat list worth reading (indices into `paths`): those
/// outside excluded folders. Reading the others would change nothing, since nothing
/// below an excluded folder is taken.
pub fn listed_gitignores(paths: &[&str]) -> Vec<usize> {
    paths
        .iter()
        .enumerate()
        .filter(|(_, path)| {
            let mut parts = path.split('/');
            parts.next_back() == Some(GITIGNORE) && !parts.any(is_excluded_folder)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The rules that select the files of one tree: the `.gitignore` files met so far, and
/// the default excludes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Shallower folders first, so that deeper files' patterns win, as in git.
    gitignores: Vec<Gitignore>,
}

/// The patterns of one `.gitignore`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Gitignore {
    /// The folder holding it (`""` at the root, no trailing `/`).
    folder: String,
    patterns: Vec<Pattern>,
}

/// One pattern line of a `.gitignore`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Pattern {
    /// The glob, without `!`, anchoring `/` or trailing `/`.
    glob: Vec<char>,
    /// `!pattern`: re-includes what an earlier pattern ignored.
    negated: bool,
    /// `pattern/`: matches folders only.
    folders_only: bool,
    /// Has a `/` before its end: matched against the path from the `.gitignore`'s folder,
    /// not against the name at any depth.
    anchored: bool,
}

impl Selection {
    /// Adds the patterns of the `.gitignore` in `folder` (`""` for the root). They apply
    /// below that folder, and win over those of shallower folders.
    pub fn add_gitignore(&mut self, folder: &str, text: &str) {
        let folder = folder.trim_matches('/').to_string();
        let deep = depth(&folder);
        let at = self
            .gitignores
            .partition_point(|g| depth(&g.folder) <= deep);
        let patterns = text
            .trim_start_matches('\u{feff}')
            .lines()
            .filter_map(Pattern::parse)
            .collect();
        self.gitignores.insert(at, Gitignore { folder, patterns });
    }

    /// Whether to walk into the folder at `path`, once the folders above it were walked.
    /// `is_virtualenv`: whether it holds a [`VIRTUALENV_MARKER`], when the caller can tell.
    pub fn folder(&self, path: &str, is_virtualenv: bool) -> Result<(), Skip> {
        if self.ignores(path, true) {
            return Err(Skip::Gitignored);
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        if is_virtualenv || is_excluded_folder(name) {
            return Err(Skip::Excluded);
        }
        Ok(())
    }

    /// Whether to take the file at `path`, once the folders above it were walked, and
    /// what it is checked as.
    pub fn file(&self, path: &str) -> Result<SourceKind, Skip> {
        if self.ignores(path, false) {
            return Err(Skip::Gitignored);
        }
        SourceKind::from_path(path).ok_or(Skip::NotChecked)
    }

    /// The verdict on each file of a flat list of every file below the root, as a walk
    /// would give it: the folders above each file are asked about first, and a folder
    /// listing a [`VIRTUALENV_MARKER`] is a virtualenv. Add the `.gitignore` files first
    /// (see [`listed_gitignores`]).
    pub fn listed(&self, paths: &[&str]) -> Vec<Result<SourceKind, Skip>> {
        let virtualenvs: HashSet<&str> = paths
            .iter()
            .filter_map(|p| p.strip_suffix(VIRTUALENV_MARKER)?.strip_suffix('/'))
            .collect();
        let mut folders: HashMap<&str, Result<(), Skip>> = HashMap::new();
        paths
            .iter()
            .map(|path| {
                for (i, _) in path.match_indices('/') {
                    let folder = &path[..i];
                    let verdict = *folders
                        .entry(folder)
                        .or_insert_with(|| self.folder(folder, virtualenvs.contains(folder)));
                    verdict?;
                }
                self.file(path)
            })
            .collect()
    }

    /// Whether the `.gitignore` files ignore the entry at `path`: the last pattern that
    /// matches it decides.
    fn ignores(&self, path: &str, is_folder: bool) -> bool {
        let mut ignored = false;
        for gitignore in &self.gitignores {
            let relative = if gitignore.folder.is_empty() {
                path
            } else {
                match path
                    .strip_prefix(gitignore.folder.as_str())
                    .and_then(|r| r.strip_prefix('/'))
                {
                    Some(relative) => relative,
                    None => continue,
                }
            };
            let name = relative.rsplit('/').next().unwrap_or(relative);
            let (relative, name): (Vec<char>, Vec<char>) =
                (relative.chars().collect(), name.chars().collect());
            for p in &gitignore.patterns {
                if (p.folders_only && !is_folder) || p.negated != ignored {
                    // A pattern that cannot change the verdict need not be matched.
                    continue;
                }
                let subject = if p.anchored { &relative } else { &name };
                if glob::matches(&p.glob, subject) {
                    ignored = !p.negated;
                }
            }
        }
        ignored
    }
}

impl Pattern {
    /// Reads one line: `None` for blank lines and comments.
    fn parse(line: &str) -> Option<Pattern> {
        if line.starts_with('#') {
            return None;
        }
        // Trailing spaces are dropped, unless the last one is escaped (`\ `).
        let trimmed = line.trim_end_matches(' ');
        let line = if trimmed.ends_with('\\') && trimmed.len() < line.len() {
            &line[..trimmed.len() + 1]
        } else {
            trimmed
        };
        // `\!` and `\#` start literal patterns: the glob reads the escape.
        let (negated, line) = match line.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let (folders_only, line) = match line.strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let anchored = line.contains('/');
        let line = line.strip_prefix('/').unwrap_or(line);
        if line.is_empty() {
            return None;
        }
        Some(Pattern {
            glob: line.chars().collect(),
            negated,
            folders_only,
            anchored,
        })
    }
}

/// How many folders deep `folder` is (`""` is the root).
pub(crate) fn depth(folder: &str) -> usize {
    if folder.is_empty() {
        0
    } else {
        folder.matches('/').count() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A selection with one `.gitignore` at the root.
    fn rules(text: &str) -> Selection {
        let mut s = Selection::default();
        s.add_gitignore("", text);
        s
    }

    /// Whether a `.py` file at `path` is left out (as a flat list of one file).
    fn skips(s: &Selection, path: &str) -> bool {
        s.listed(&[path])[0].is_err()
    }

    #[test]
    fn names_match_at_any_depth() {
        let s = rules("# build output\n\n*.log.py\nout/\n");
        assert!(skips(&s, "app.log.py"));
        assert!(skips(&s, "a/b/app.log.py"));
        assert!(skips(&s, "out/x.py"));
        assert!(skips(&s, "src/out/x.py"));
        assert!(!s.ignores("out", false), "out/ matches folders only");
        assert_eq!(s.folder("src/out", false), Err(Skip::Gitignored));
        assert!(!skips(&s, "src/main.py"));
        assert!(!skips(&s, "# build output.py"));
    }

    #[test]
    fn slashes_anchor_to_the_gitignores_folder() {
        let s = rules("/data\ndocs/*.py\n");
        assert!(skips(&s, "data/a.py"));
        assert!(!skips(&s, "src/data/a.py"));
        assert!(skips(&s, "docs/conf.py"));
        assert!(!skips(&s, "docs/api/conf.py"), "* does not cross /");
        assert!(!skips(&s, "src/docs/conf.py"));
    }

    #[test]
    fn double_stars() {
        let s = rules("**/generated\nlogs/**\na/**/b.py\n");
        assert!(skips(&s, "generated/x.py"));
        assert!(skips(&s, "src/deep/generated/x.py"));
        assert!(skips(&s, "logs/2024/x.yaml"));
        assert_eq!(s.folder("logs", false), Ok(()), "logs/** is what is inside");
        assert!(skips(&s, "a/b.py"));
        assert!(skips(&s, "a/x/y/b.py"));
        assert!(!skips(&s, "b.py"));
    }

    #[test]
    fn later_patterns_win_and_negation_re_includes() {
        let s = rules("*.py\n!keep.py\n");
        assert!(skips(&s, "drop.py"));
        assert!(!skips(&s, "keep.py"));
        assert!(!skips(&s, "src/keep.py"));
        let s = rules("!keep.py\n*.py\n");
        assert!(skips(&s, "keep.py"), "the last match decides");
        // A file inside an ignored folder cannot be re-included…
        let s = rules("out/\n!out/keep.py\n");
        assert!(skips(&s, "out/keep.py"));
        // …but what is inside a folder can be, when the folder itself is not ignored.
        let s = rules("out/**\n!out/keep.py\n");
        assert!(!skips(&s, "out/keep.py"));
        assert!(skips(&s, "out/drop.py"));
        // A folder re-included by name is walked.
        let s = rules("gen*/\n!generated_api/\n");
        assert!(skips(&s, "gen/x.py"));
        assert!(!skips(&s, "generated_api/x.py"));
    }

    #[test]
    fn question_marks_classes_escapes_and_spaces() {
        let s =
            rules("?.py\n*.py[cod]\n\\#notes.py\n\\!bang.py\nweird[.py\n\\*.yaml\ntail.py   \n");
        assert!(skips(&s, "a.py"));
        assert!(!skips(&s, "ab.py"));
        assert_eq!(s.file("m.pyc"), Err(Skip::Gitignored));
        assert!(!skips(&s, "mod.py"));
        assert!(skips(&s, "#notes.py"));
        assert!(skips(&s, "!bang.py"));
        assert!(skips(&s, "weird[.py"));
        assert!(skips(&s, "*.yaml"), "an escaped * is literal");
        assert!(!skips(&s, "ci.yaml"));
        assert!(skips(&s, "tail.py"), "trailing spaces are dropped");
        let s = rules("[!a-c]x.py\nspace\\ \n");
        assert!(skips(&s, "dx.py"));
        assert!(!skips(&s, "bx.py"));
        assert_eq!(s.folder("space ", false), Err(Skip::Gitignored));
        assert_eq!(s.folder("space", false), Ok(()));
    }

    #[test]
    fn nested_gitignores_apply_below_their_folder_and_win() {
        let mut s = Selection::default();
        // Added deepest first: the order of discovery does not matter.
        s.add_gitignore("project/sub/", "/local.py\n!keep.py\n");
        s.add_gitignore("", "*.py\r\n!project/**/*.py\n*keep.py\n");
        assert!(skips(&s, "top.py"));
        assert!(!skips(&s, "project/a.py"));
        assert!(skips(&s, "project/sub/local.py"));
        assert!(!skips(&s, "project/sub/deeper/local.py"));
        assert!(skips(&s, "project/keep.py"));
        assert!(!skips(&s, "project/sub/keep.py"), "the deeper file wins");
        assert!(!skips(&s, "project/sub/deeper/keep.py"));
        // A sibling's patterns do not apply.
        let mut s = Selection::default();
        s.add_gitignore("a", "*.py\n");
        assert!(skips(&s, "a/x.py"));
        assert!(!skips(&s, "ab/x.py"));
    }

    #[test]
    fn default_excludes_apply_without_a_gitignore() {
        let s = Selection::default();
        for folder in [
            ".git",
            ".hg",
            ".svn",
            "venv",
            ".venv",
            "env",
            "node_modules",
            "__pycache__",
            ".mypy_cache",
            ".pytest_cache",
            ".ruff_cache",
            ".tox",
            ".nox",
            "build",
            "dist",
            "sciguard.egg-info",
            "site-packages",
            ".ipynb_checkpoints",
            ".vscode",
            ".hidden",
        ] {
            assert_eq!(s.folder(folder, false), Err(Skip::Excluded), "{folder}");
            assert_eq!(
                s.folder(&format!("src/{folder}"), false),
                Err(Skip::Excluded)
            );
            assert!(skips(&s, &format!("a/{folder}/b/m.py")), "{folder}");
        }
        for folder in [
            ".github",
            ".gitlab",
            ".circleci",
            ".devcontainer",
            ".binder",
            "src",
            "venvs",
            "environment",
            "builder",
        ] {
            assert_eq!(s.folder(folder, false), Ok(()), "{folder}");
        }
        assert_eq!(s.folder("tools", true), Err(Skip::Excluded));
        // Hidden files are taken when their kind is known.
        assert_eq!(s.file(".env"), Ok(SourceKind::Env));
        assert_eq!(s.file("deploy/.pypirc"), Ok(SourceKind::Ini));
        assert_eq!(s.file(".condarc"), Ok(SourceKind::Yaml));
        assert_eq!(s.file("README.md"), Err(Skip::NotChecked));
        assert_eq!(s.file(".gitignore"), Err(Skip::NotChecked));
        // A file named like an excluded folder is a file.
        assert_eq!(s.file("build.py"), Ok(SourceKind::Python));
    }

    #[test]
    fn flat_lists_are_judged_as_a_walk_would() {
        let mut s = Selection::default();
        s.add_gitignore("", "*.log\n");
        let paths = [
            "train.py",
            ".github/workflows/ci.yml",
            "tools/pyvenv.cfg",
            "tools/lib/site.py",
            "node_modules/x/config.yaml",
            "run.log",
            "README.md",
            "venv.py",
        ];
        assert_eq!(
            s.listed(&paths),
            [
                Ok(SourceKind::Python),
                Ok(SourceKind::Yaml),
                Err(Skip::Excluded),
                Err(Skip::Excluded),
                Err(Skip::Excluded),
                Err(Skip::Gitignored),
                Err(Skip::NotChecked),
                Ok(SourceKind::Python),
            ]
        );
        let gitignores = [
            ".gitignore",
            "src/.gitignore",
            "node_modules/x/.gitignore",
            ".venv/.gitignore",
            "a.gitignore",
        ];
        assert_eq!(listed_gitignores(&gitignores), [0, 1]);
    }
}
