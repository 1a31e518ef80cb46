//! What kind of text was given: Python or one of the configuration formats.
//! Detection uses the file name first and the content second.

use serde::{Deserialize, Serialize};

/// The kinds of input sciguard recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// Python source.
    Python,
    /// A pip requirements file.
    Requirements,
    /// `pyproject.toml`.
    Pyproject,
    /// `setup.cfg` and other INI files.
    Ini,
    /// YAML.
    Yaml,
    /// A `.env` file.
    Env,
    /// A Jupyter notebook (`.ipynb`): its code cells are checked as Python.
    Notebook,
}

impl SourceKind {
    /// Every kind, in the order a chooser lists them.
    pub const ALL: [SourceKind; 7] = [
        SourceKind::Python,
        SourceKind::Requirements,
        SourceKind::Pyproject,
        SourceKind::Ini,
        SourceKind::Yaml,
        SourceKind::Env,
        SourceKind::Notebook,
    ];

    /// The key used in JSON and the site (`requirements`).
    pub fn key(self) -> &'static str {
        match self {
            SourceKind::Python => "python",
            SourceKind::Requirements => "requirements",
            SourceKind::Pyproject => "pyproject",
            SourceKind::Ini => "ini",
            SourceKind::Yaml => "yaml",
            SourceKind::Env => "env",
            SourceKind::Notebook => "notebook",
        }
    }

    /// Parses a kind key.
    pub fn from_key(key: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The kind implied by a file name, if any.
    pub fn from_path(path: &str) -> Option<SourceKind> {
        let name = path.replace('\\', "/");
        let name = name
            .rsplit('/')
            .next()
            .unwrap_or(&name)
            .to_ascii_lowercase();
        let ext = name.rsplit_once('.').map(|(_, e)| e);
        match (name.as_str(), ext) {
            ("pyproject.toml", _) => Some(SourceKind::Pyproject),
            (n, Some("txt" | "in"))
                if n.starts_with("requirements") || n.starts_with("constraints") =>
            {
                Some(SourceKind::Requirements)
            }
            (n, _) if n == ".env" || n.starts_with(".env.") || n.ends_with(".env") => {
                Some(SourceKind::Env)
            }
            (_, Some("py" | "pyi" | "pyw")) => Some(SourceKind::Python),
            (_, Some("ipynb")) => Some(SourceKind::Notebook),
            (_, Some("yaml" | "yml")) | (".condarc", _) => Some(SourceKind::Yaml),
            (_, Some("cfg" | "ini" | "conf")) | (".pypirc", _) => Some(SourceKind::Ini),
            _ => None,
        }
    }

    /// The kind a file's content suggests, with Python as the fallback.
    pub fn from_content(text: &str) -> SourceKind {
        let lines = || {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
        };
        let first = lines().next().unwrap_or("");
        if first.starts_with('{') && text.contains("\"cells\"") {
            return SourceKind::Notebook;
        }
        if first.starts_with("#!") && first.contains("python") {
            return SourceKind::Python;
        }
        if text.contains("[project]") || text.contains("[build-system]") || text.contains("[tool.")
        {
            return SourceKind::Pyproject;
        }
        if first.starts_with('[') && first.ends_with(']') {
            return SourceKind::Ini;
        }
        if first == "---" || first.starts_with("- ") {
            return SourceKind::Yaml;
        }
        let python_words = [
            "import ",
            "from ",
            "def ",
            "class ",
            "print(",
            "if __name__",
        ];
        if lines().any(|l| python_words.iter().any(|w| l.starts_with(w))) {
            return SourceKind::Python;
        }
        let env_like = lines().all(|l| {
            let l = l.strip_prefix("export ").unwrap_or(l);
            l.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        });
        if env_like && lines().next().is_some() {
            return SourceKind::Env;
        }
        let requirement_like = lines().all(|l| {
            l.starts_with('-')
                || l.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) && !l.contains(' ')
                || l.contains("==")
                || l.contains(">=")
        });
        if requirement_like && lines().next().is_some() && !text.contains(": ") {
            return SourceKind::Requirements;
        }
        if lines().all(|l| l.starts_with("- ") || l.contains(": ") || l.ends_with(':'))
            && lines().next().is_some()
        {
            return SourceKind::Yaml;
        }
        SourceKind::Python
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Python => "Python",
            SourceKind::Requirements => "requirements.txt",
            SourceKind::Pyproject => "pyproject.toml",
            SourceKind::Ini => "INI / setup.cfg",
            SourceKind::Yaml => "YAML",
            SourceKind::Env => ".env",
            SourceKind::Notebook => "Jupyter notebook",
        }
    }
}

/// Whether a path is a test module, exempt from rules such as SCI225 by default.
pub fn is_test_file(path: &str) -> bool {
    let normalized = path.replace('\\', "/");
    let name = normalized.rsplit('/').next().unwrap_or(&normalized);
    name == "conftest.py"
        || (name.starts_with("test_") && name.ends_with(".py"))
        || name.ends_with("_test.py")
        || normalized
            .split('/')
            .rev()
            .skip(1)
            .any(|dir| dir == "tests")
}

/// Whether a path is a module that supports tests without being one: a package's
/// `testing` / `_testing` helpers, `testutils`, or scikit-learn's `estimator_checks.py`.
/// Asserts there are how the helpers report, as in tests.
pub fn is_testing_support(path: &str) -> bool {
    let normalized = path.replace('\\', "/");
    normalized.split('/').any(|part| {
        let stem = part.strip_suffix(".py").unwrap_or(part);
        matches!(
            stem.trim_start_matches('_'),
            "testing"
                | "testutils"
                | "test_utils"
                | "testing_utils"
                | "estimator_checks"
                | "pytest_plugin"
                | "conftest"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_first() {
        assert_eq!(
            SourceKind::from_path("src/model.py"),
            Some(SourceKind::Python)
        );
        assert_eq!(
            SourceKind::from_path("requirements-dev.txt"),
            Some(SourceKind::Requirements)
        );
        assert_eq!(
            SourceKind::from_path("a/pyproject.toml"),
            Some(SourceKind::Pyproject)
        );
        assert_eq!(SourceKind::from_path(".env.local"), Some(SourceKind::Env));
        assert_eq!(SourceKind::from_path("setup.cfg"), Some(SourceKind::Ini));
        assert_eq!(SourceKind::from_path("ci.yml"), Some(SourceKind::Yaml));
        assert_eq!(SourceKind::from_path("notes.md"), None);
    }

    #[test]
    fn content_second() {
        assert_eq!(
            SourceKind::from_content("import numpy as np\n"),
            SourceKind::Python
        );
        assert_eq!(
            SourceKind::from_content("numpy==1.26.4\npandas>=2.0\n"),
            SourceKind::Requirements
        );
        assert_eq!(
            SourceKind::from_content("[project]\nname = \"x\"\n"),
            SourceKind::Pyproject
        );
        assert_eq!(
            SourceKind::from_content("API_KEY=abc\nDEBUG=1\n"),
            SourceKind::Env
        );
        assert_eq!(
            SourceKind::from_content("server:\n  host: 0.0.0.0\n"),
            SourceKind::Yaml
        );
        assert_eq!(
            SourceKind::from_content("[metadata]\nname = x\n"),
            SourceKind::Ini
        );
    }
}
