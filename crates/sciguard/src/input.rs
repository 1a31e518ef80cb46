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

    /// The kind a file is checked as when the user chose none: from its name, else
    /// from the start of its content ([`SourceKind::from_content`] on the first
    /// [`DETECT_BYTES`]). The one detector for every front end: the CLI's standard
    /// input, the site's tabs, the JS package.
    pub fn detect(path: &str, text: &str) -> SourceKind {
        SourceKind::from_path(path).unwrap_or_else(|| {
            // Whole lines only: a line cut short could read as another format.
            let head = match text.len() > DETECT_BYTES {
                true => {
                    let mut cut = DETECT_BYTES;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text[..cut]
                        .rfind('\n')
                        .map_or(&text[..cut], |end| &text[..end])
                }
                false => text,
            };
            SourceKind::from_content(head)
        })
    }

    /// The kind a file's content suggests, with Python as the fallback: a file is taken
    /// for a configuration format only when every line it has reads as that format, so
    /// Python with `key = value` lines stays Python.
    pub fn from_content(text: &str) -> SourceKind {
        let text = text.trim_start_matches('\u{feff}');
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let Some(first) = lines.first() else {
            return SourceKind::Python;
        };
        if first.starts_with('{') && text.contains("\"cells\"") {
            return SourceKind::Notebook;
        }
        if text
            .trim_start()
            .lines()
            .next()
            .is_some_and(|l| l.starts_with("#!") && l.contains("python"))
        {
            return SourceKind::Python;
        }
        // Before looking for Python statements: a YAML block scalar may hold a script.
        if *first == "---" || content::yaml(text) {
            return SourceKind::Yaml;
        }
        let all = |test: fn(&str) -> bool| lines.iter().all(|l| test(l));
        if lines.iter().any(|l| content::python_statement(l)) {
            return SourceKind::Python;
        }
        // A section header first (Python was ruled out above): INI or TOML, whatever
        // its continuation lines hold (tox commands, multi-line TOML arrays and strings).
        if content::section(first).is_some() {
            let pyproject = lines
                .iter()
                .filter_map(|l| content::section(l))
                .any(|s| s == "project" || s == "build-system" || s.starts_with("tool."));
            // INI values are bare words; TOML's are quoted, numbers, booleans or lists.
            let values: Vec<&str> = lines
                .iter()
                .filter(|l| content::ini_or_toml_line(l) && content::section(l).is_none())
                .filter_map(|l| Some(l.split_once('=')?.1.trim()))
                .collect();
            let toml = values.iter().all(|v| content::toml_value(v))
                && values.iter().any(|v| v.starts_with(['"', '\'', '[', '{']));
            return if pyproject || toml {
                SourceKind::Pyproject
            } else {
                SourceKind::Ini
            };
        }
        if all(content::requirement) {
            return SourceKind::Requirements;
        }
        if all(content::env_assignment) {
            return SourceKind::Env;
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

/// Content detection looks at the start of a text only (a pasted file's kind shows
/// before the rest of a large paste matters).
pub const DETECT_BYTES: usize = 64 * 1024;

/// Line tests for [`SourceKind::from_content`]; each takes a trimmed line that is not
/// blank and not a `#` comment.
mod content {
    /// A distribution name (PEP 508): letters, digits, `.`, `_`, `-`.
    fn name_end(line: &str) -> usize {
        line.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
            .unwrap_or(line.len())
    }

    /// A line only Python has: an import, a definition, a decorator, a main guard.
    pub fn python_statement(line: &str) -> bool {
        let word = |w: &str| {
            line.strip_prefix(w)
                .is_some_and(|rest| rest.starts_with([' ', '(']))
        };
        word("import")
            || (word("from") && line.contains(" import "))
            || ((word("def") || word("class") || word("async def")) && line.ends_with(':'))
            || (line.starts_with('@') && line[1..].starts_with(|c: char| c.is_alphabetic()))
            || line.starts_with("if __name__")
            || line.starts_with("print(")
    }

    /// `[section]`, `[[table]]`: the header's name.
    pub fn section(line: &str) -> Option<&str> {
        let inner = line
            .strip_prefix("[[")
            .and_then(|l| l.strip_suffix("]]"))
            .or_else(|| line.strip_prefix('[')?.strip_suffix(']'))?
            .trim();
        let ok = !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | ' ' | '"' | ':'));
        ok.then_some(inner)
    }

    /// A line of an INI or TOML file: a header, `key = value`, `key: value` (INI), or
    /// the continuation of a value (a list item, a closing bracket).
    pub fn ini_or_toml_line(line: &str) -> bool {
        if section(line).is_some() || line.starts_with(';') {
            return true;
        }
        let key = |k: &str| {
            let k = k.trim();
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '"' | ' '))
        };
        match line.split_once(['=', ':']) {
            Some((k, _)) if key(k) => true,
            // Continuation lines of multi-line values.
            _ => line.starts_with(['"', '\'', ']', '}']) || name_end(line) == line.len(),
        }
    }

    /// A TOML value (as opposed to an INI one, which is bare text).
    pub fn toml_value(value: &str) -> bool {
        value.starts_with(['"', '\'', '[', '{'])
            || matches!(value, "true" | "false")
            || value.parse::<f64>().is_ok()
            || value.is_empty()
    }

    /// A requirements line: `name[extras] (specifier)? (; marker)? (# comment)?`, an
    /// option (`-r base.txt`, `--index-url …`), or a URL or path to a distribution.
    pub fn requirement(line: &str) -> bool {
        // A comment, or per-requirement options (`--hash=…`) after the requirement.
        let line = match [line.find(" #"), line.find(" --")]
            .into_iter()
            .flatten()
            .min()
        {
            Some(at) => line[..at].trim_end(),
            None => line,
        };
        // A line continued on the next (pip-compile's `--hash` lines follow).
        let line = line.strip_suffix('\\').map_or(line, str::trim_end);
        if line.starts_with('-') {
            return line
                .trim_start_matches('-')
                .starts_with(|c: char| c.is_ascii_alphabetic());
        }
        if line.contains("://") || line == "." || line.starts_with("./") || line.starts_with("../")
        {
            return !line.contains(' ') || line.contains(" @ ") || line.contains(';');
        }
        let end = name_end(line);
        if end == 0 || !line.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return false;
        }
        let mut rest = line[end..].trim_start();
        if let Some(extras) = rest.strip_prefix('[') {
            let Some((inside, after)) = extras.split_once(']') else {
                return false;
            };
            if !inside
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ',' | ' ' | '_' | '-' | '.'))
            {
                return false;
            }
            rest = after.trim_start();
        }
        // An environment marker (`; python_version < "3.10"`) may follow.
        let spec = rest.split_once(';').map_or(rest, |(spec, _)| spec);
        let spec = spec.trim();
        if spec.starts_with('@') {
            return true;
        }
        // Versions as pip reads them: comma-separated clauses of operator and version.
        let clause = |c: &str| {
            let c = c.trim();
            let version = ["===", "==", "~=", "!=", ">=", "<=", ">", "<"]
                .iter()
                .find_map(|op| c.strip_prefix(op));
            version.is_some_and(|v| {
                let v = v.trim();
                !v.is_empty()
                    && v.chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '*' | '+' | '!'))
            })
        };
        spec.is_empty() || spec.split(',').all(clause)
    }

    /// `NAME=value` or `export NAME=value`, with no space before `=` and no `==`.
    pub fn env_assignment(line: &str) -> bool {
        let line = line.strip_prefix("export ").unwrap_or(line);
        line.split_once('=').is_some_and(|(key, value)| {
            !key.is_empty()
                && !key.starts_with(|c: char| c.is_ascii_digit())
                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !value.starts_with('=')
        })
    }

    /// Whether every line reads as YAML, with at least one `key:`. Lines indented under
    /// a key are its value's continuation (a block scalar such as `run: |`, a flow list
    /// spread over lines, a long plain scalar), whatever they hold.
    pub fn yaml(text: &str) -> bool {
        let mut key_indent: Option<usize> = None;
        for raw in text.lines() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let indent = raw.len() - raw.trim_start().len();
            if !yaml_line(line) {
                if key_indent.is_some_and(|key| indent > key) {
                    continue;
                }
                return false;
            }
            if line.trim_start_matches("- ").contains(':') {
                key_indent = Some(indent);
            }
        }
        key_indent.is_some()
    }

    /// A YAML line: `key:`, `key: value`, `- item` or a document marker.
    fn yaml_line(line: &str) -> bool {
        if line == "---" || line == "..." || line == "-" || line.starts_with("- ") {
            return true;
        }
        // A key with colons of its own (`build:linux:`).
        if line.ends_with(':') && !line.contains([' ', '(', '=', '[']) {
            return true;
        }
        let Some((key, value)) = line.split_once(':') else {
            return false;
        };
        let key = key.trim_end().trim_matches(['"', '\'']);
        // `name: int = 3` is a Python annotated assignment, not a YAML string.
        let annotation = value.split_once(" = ").is_some_and(|(kind, _)| {
            let kind = kind.trim();
            !kind.is_empty()
                && kind.chars().all(|c| {
                    c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | ',' | ' ' | '|')
                })
        });
        !annotation
            && !key.is_empty()
            && !key.contains(' ')
            && !key.contains(['(', '=', '['])
            && (value.is_empty() || value.starts_with(' '))
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

    /// Real-looking samples of each kind, and near-misses that must stay what they are.
    #[test]
    fn content_detection_on_real_looking_files_and_near_misses() {
        use SourceKind::*;
        let cases: &[(&str, SourceKind)] = &[
            // pip requirements, as people write them.
            ("numpy==1.26.4\ntorch==2.4.1\n", Requirements),
            (
                "# training deps\n-r base.txt\n--extra-index-url https://download.pytorch.org/whl/cu121\ntorch>=2.1,<2.6\nscikit-learn~=1.4  # models\nrequests[security] >= 2.31\npandas\ntyping-extensions; python_version < \"3.11\"\nmypkg @ git+https://github.com/org/mypkg@v1.2\n-e .\n",
                Requirements,
            ),
            ("numpy\nscipy\nmatplotlib\n", Requirements),
            ("Django===4.2.11\nPillow!=10.0.0\n", Requirements),
            // pip-compile output, with hashes on continuation lines.
            (
                "#\n# This file is autogenerated by pip-compile\n#\nnumpy==1.26.4 \\\n    --hash=sha256:03a8c78d01d9781b28a6989f6fa1bb2c4f2d51201cf99d3dd875df6fbd96b23b\n    # via pandas\npandas==2.2.2 ; python_version >= \"3.9\" \\\n    --hash=sha256:001910ad31abc7bf06f49dcc903755d2f7f3a9186c0c040b827e522e9cef0863\n",
                Requirements,
            ),
            // TOML: pyproject tables, or any TOML with quoted values.
            ("[project]\nname = \"x\"\ndependencies = [\n  \"numpy>=1.26\",\n]\n", Pyproject),
            ("[tool.ruff]\nline-length = 100\n", Pyproject),
            ("[server]\nhost = \"0.0.0.0\"\nport = 8888\n", Pyproject),
            // INI: bare values.
            ("[metadata]\nname = mypkg\n\n[options]\ninstall_requires =\n    numpy\n", Ini),
            ("[global]\nindex-url = http://pypi.internal/simple\ntrusted-host = pypi.internal\n", Ini),
            ("[flake8]\nmax-line-length = 100\n", Ini),
            // YAML.
            ("name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n", Yaml),
            ("---\nchannels:\n  - conda-forge\ndependencies:\n  - numpy=1.26\n", Yaml),
            ("server:\n  host: 0.0.0.0\n", Yaml),
            // .env.
            ("API_KEY=abc123\nDEBUG=1\nexport DATABASE_URL=postgres://u:p@db/x\n", Env),
            // Notebook JSON.
            ("{\n \"cells\": [],\n \"metadata\": {},\n \"nbformat\": 4\n}\n", Notebook),
            // Python, including the near-misses.
            ("import numpy as np\nx = np.load(p)\n", Python),
            ("#!/usr/bin/env python3\nname = 'x'\n", Python),
            ("x = 1\nname = \"model\"\nthreshold = 0.5\n", Python),
            ("lr = 0.01\nepochs = 10\n", Python),
            ("lr: float = 0.01\nlayers: list[int] = [64, 64]\n", Python),
            ("from pathlib import Path\n[x for x in range(3)]\n", Python),
            ("[x for x in range(3)]\n", Python),
            ("def main():\n    return 1\n", Python),
            ("try:\n    run()\nexcept KeyError:\n    pass\n", Python),
            ("print(\"hello\")\n", Python),
            ("config = {\"key\": \"value\"}\n", Python),
            ("", Python),
        ];
        for (text, kind) in cases {
            assert_eq!(SourceKind::from_content(text), *kind, "{text:?}");
        }
    }

    #[test]
    fn names_win_over_content_and_only_the_start_is_read() {
        assert_eq!(
            SourceKind::detect("setup.py", "numpy==1.26.4\n"),
            SourceKind::Python
        );
        assert_eq!(
            SourceKind::detect("untitled", "numpy==1.26.4\n"),
            SourceKind::Requirements
        );
        let long = format!("{}import os\n", "numpy==1.26.4\n".repeat(DETECT_BYTES / 10));
        assert_eq!(
            SourceKind::detect("untitled", &long),
            SourceKind::Requirements
        );
        // A cut inside a multi-byte character is moved back to a boundary.
        let wide = "\u{e9}".repeat(DETECT_BYTES);
        let _ = SourceKind::detect("untitled", &wide);
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
