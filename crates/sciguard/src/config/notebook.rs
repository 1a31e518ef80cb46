//! Jupyter notebooks: the code cells Jupyter runs as Python, joined into one text so that
//! names defined in one cell resolve in the next, with the byte range of each cell (the
//! parser reads each on its own) and a map back to cell numbers and lines.

use super::ConfigError;
use ruff_text_size::{TextRange, TextSize};
use serde_json::Value;

/// Cell magics whose body is Python that IPython runs in the kernel (timing, profiling,
/// capturing output, debugging) or in a Python subprocess. Any other cell magic hands
/// its body to something else (`%%bash`, `%%writefile`, `%%html`, `%%sql`, `%%R`, …), so
/// its cell is not Python. The same list as Ruff's notebook support.
const PYTHON_CELL_MAGICS: &[&str] = &[
    "capture", "debug", "prun", "pypy", "python", "python3", "time", "timeit",
];

/// IPython's line magics (IPython 8 with ipykernel, and the package managers), which a
/// one-line cell may call without its `%` (automagic): `pip install requests`.
const LINE_MAGICS: &[&str] = &[
    "alias",
    "alias_magic",
    "autoawait",
    "autocall",
    "automagic",
    "autosave",
    "bookmark",
    "cat",
    "cd",
    "clear",
    "colors",
    "conda",
    "config",
    "connect_info",
    "cp",
    "debug",
    "dhist",
    "dirs",
    "doctest_mode",
    "ed",
    "edit",
    "env",
    "gui",
    "hist",
    "history",
    "killbgscripts",
    "ldir",
    "less",
    "lf",
    "lk",
    "ll",
    "load",
    "load_ext",
    "loadpy",
    "logoff",
    "logon",
    "logstart",
    "logstate",
    "logstop",
    "ls",
    "lsmagic",
    "lx",
    "macro",
    "magic",
    "mamba",
    "man",
    "matplotlib",
    "micromamba",
    "mkdir",
    "more",
    "mv",
    "notebook",
    "page",
    "pastebin",
    "pdb",
    "pdef",
    "pdoc",
    "pfile",
    "pinfo",
    "pinfo2",
    "pip",
    "popd",
    "pprint",
    "precision",
    "prun",
    "psearch",
    "psource",
    "pushd",
    "pwd",
    "pycat",
    "pylab",
    "qtconsole",
    "quickref",
    "recall",
    "rehashx",
    "reload_ext",
    "rep",
    "rerun",
    "reset",
    "reset_selective",
    "rm",
    "rmdir",
    "run",
    "save",
    "sc",
    "set_env",
    "sx",
    "system",
    "tb",
    "time",
    "timeit",
    "unalias",
    "unload_ext",
    "uv",
    "who",
    "who_ls",
    "whos",
    "xdel",
    "xmode",
];

/// The code cells of a notebook as one Python text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notebook {
    /// The cells Jupyter runs as Python, each followed by one newline.
    pub source: String,
    /// The byte range of each of those cells in `source` (without its newline), in order.
    pub ranges: Vec<TextRange>,
    /// For each range: its cell's 1-based number among all the notebook's cells, as a
    /// person counts them (markdown cells too), and its first line (1-based) in `source`.
    cells: Vec<(usize, usize)>,
    /// The kernel's language when it is not Python (then no cell is read).
    pub other_language: Option<String>,
}

impl Notebook {
    /// Reads a notebook's JSON.
    pub fn parse(text: &str) -> Result<Notebook, ConfigError> {
        let json: Value = serde_json::from_str(text).map_err(|e| ConfigError {
            message: format!("Invalid notebook JSON at line {}: {e}", e.line()),
            range: 0..0,
        })?;
        let Some(cells) = json.get("cells").and_then(Value::as_array) else {
            return Err(ConfigError {
                message: "Not a Jupyter notebook: no `cells` list".into(),
                range: 0..0,
            });
        };
        let mut notebook = Notebook {
            other_language: kernel_language(&json).filter(|l| !is_python(l)),
            ..Notebook::default()
        };
        if notebook.other_language.is_some() {
            return Ok(notebook);
        }
        let mut line = 1;
        for (index, cell) in cells.iter().enumerate() {
            if cell.get("cell_type").and_then(Value::as_str) != Some("code") {
                continue;
            }
            let code = match cell.get("source") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(parts)) => parts.iter().filter_map(Value::as_str).collect(),
                _ => String::new(),
            };
            if !runs_as_python(cell, &code) {
                continue;
            }
            // The cell's own last newline is dropped and one newline added: the parser
            // wants exactly one between cells, and an error at the end of a cell then
            // lands on its last line.
            let code = code.strip_suffix('\n').unwrap_or(&code);
            let code = code.strip_suffix('\r').unwrap_or(code);
            let start = TextSize::try_from(notebook.source.len()).unwrap_or_default();
            notebook.source.push_str(code);
            let end = TextSize::try_from(notebook.source.len()).unwrap_or_default();
            notebook.source.push('\n');
            notebook.ranges.push(TextRange::new(start, end));
            notebook.cells.push((index + 1, line));
            line += line_count(code);
        }
        Ok(notebook)
    }

    /// The cell number and the line within it of a line of `source`.
    pub fn locate(&self, line: usize) -> (usize, usize) {
        let at = self.cells.partition_point(|(_, start)| *start <= line);
        match at.checked_sub(1).and_then(|i| self.cells.get(i)) {
            Some((cell, start)) => (*cell, line - start + 1),
            None => (1, line),
        }
    }
}

/// The language the notebook's kernel runs, if the notebook says.
fn kernel_language(json: &Value) -> Option<String> {
    let metadata = json.get("metadata")?;
    let language = metadata
        .get("kernelspec")
        .and_then(|k| k.get("language"))
        .or_else(|| metadata.get("language_info").and_then(|l| l.get("name")))?;
    language.as_str().map(str::to_string)
}

fn is_python(language: &str) -> bool {
    language.trim().to_ascii_lowercase().starts_with("python")
}

/// Whether Jupyter runs a code cell's text as Python: not when an editor marked the
/// cell as another language (VS Code's `languageId`), nor when it starts with a cell
/// magic that hands its body to something else (as IPython does, blank lines and
/// indentation before the magic do not count), nor when it is one automagic line.
fn runs_as_python(cell: &Value, code: &str) -> bool {
    let language = cell
        .get("metadata")
        .and_then(|m| m.get("vscode"))
        .and_then(|v| v.get("languageId"))
        .and_then(Value::as_str);
    if language.is_some_and(|l| !is_python(l)) {
        return false;
    }
    if is_automagic(code) {
        return false;
    }
    let first = code.lines().map(str::trim_start).find(|l| !l.is_empty());
    match first.and_then(|l| l.strip_prefix("%%")) {
        Some(magic) => {
            let name = magic.split_whitespace().next().unwrap_or("");
            PYTHON_CELL_MAGICS.contains(&name)
        }
        None => true,
    }
}

/// Whether a cell is one line that IPython runs as a line magic without its `%`
/// (`pip install requests`, `cd data`). IPython does this for one-line cells only, and
/// not when the name is assigned (`time = 5`); a line that goes on as Python would
/// (`time(x)`, `load.x`, `run + 1`) is kept.
fn is_automagic(code: &str) -> bool {
    let mut lines = code.lines().map(str::trim).filter(|l| !l.is_empty());
    let (Some(line), None) = (lines.next(), lines.next()) else {
        return false;
    };
    let Some((word, rest)) = line.split_once([' ', '\t']) else {
        return false;
    };
    let rest = rest.trim_start();
    let goes_on_as_python = rest.starts_with([
        '=', '(', '[', '.', ',', ':', ';', '+', '*', '/', '%', '<', '>', '&', '|', '^', '@', '#',
    ]) || rest.starts_with("if ")
        || rest.starts_with("for ");
    LINE_MAGICS.contains(&word) && !goes_on_as_python
}

/// Lines in a text as the positions of findings count them: `\n`, `\r\n` and a lone
/// `\r` each end one.
fn line_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    breaks + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notebook(cells: &str) -> Notebook {
        Notebook::parse(&format!(
            r#"{{"cells": [{cells}], "metadata": {{}}, "nbformat": 4}}"#
        ))
        .unwrap()
    }

    fn cell_texts(nb: &Notebook) -> Vec<&str> {
        nb.ranges.iter().map(|r| &nb.source[*r]).collect()
    }

    #[test]
    fn cells_and_lines() {
        let nb = notebook(
            r##"{"cell_type": "markdown", "source": ["# Title"]},
            {"cell_type": "code", "source": ["import torch\n", "%matplotlib inline\n"]},
            {"cell_type": "code", "source": "x = 1\nmodel = torch.load(p)"}"##,
        );
        assert_eq!(
            nb.source,
            "import torch\n%matplotlib inline\nx = 1\nmodel = torch.load(p)\n"
        );
        assert_eq!(
            cell_texts(&nb),
            [
                "import torch\n%matplotlib inline",
                "x = 1\nmodel = torch.load(p)"
            ]
        );
        assert_eq!(nb.locate(1), (2, 1));
        assert_eq!(nb.locate(2), (2, 2));
        assert_eq!(nb.locate(4), (3, 2));
        assert!(Notebook::parse("{\"cells\": [").is_err());
    }

    #[test]
    fn cell_magics_that_do_not_run_python_leave_their_cell_out() {
        let nb = notebook(
            r##"{"cell_type": "code", "source": ["%%bash\n", "pip install -r requirements.txt\n"]},
            {"cell_type": "code", "source": ["\n", "  %%writefile train.py\n", "import os\n"]},
            {"cell_type": "code", "source": ["%%time\n", "total = sum(range(10))\n"]},
            {"cell_type": "code", "source": ["%%capture out\n", "fit()\n"]},
            {"cell_type": "code", "source": ["x = 1\n", "%%html\n"]},
            {"cell_type": "code", "metadata": {"vscode": {"languageId": "sql"}}, "source": ["SELECT 1"]}"##,
        );
        assert_eq!(
            cell_texts(&nb),
            [
                "%%time\ntotal = sum(range(10))",
                "%%capture out\nfit()",
                "x = 1\n%%html"
            ]
        );
        assert_eq!(nb.locate(1), (3, 1));
        assert_eq!(nb.locate(3), (4, 1));
        assert_eq!(nb.locate(6), (5, 2));
    }

    #[test]
    fn one_line_automagic_cells_are_left_out() {
        let nb = notebook(
            r##"{"cell_type": "code", "source": ["pip install -q transformers"]},
            {"cell_type": "code", "source": ["\n", "cd data/raw\n"]},
            {"cell_type": "code", "source": ["conda install -y pytorch"]},
            {"cell_type": "code", "source": ["time = 5"]},
            {"cell_type": "code", "source": ["load(path)"]},
            {"cell_type": "code", "source": ["pip install x\n", "y = 1"]},
            {"cell_type": "code", "source": ["run"]}"##,
        );
        assert_eq!(
            cell_texts(&nb),
            ["time = 5", "load(path)", "pip install x\ny = 1", "run"]
        );
    }

    #[test]
    fn a_notebook_in_another_language_has_no_python() {
        let nb = Notebook::parse(
            r#"{"cells": [{"cell_type": "code", "source": ["library(ggplot2)"]}],
                "metadata": {"kernelspec": {"language": "R", "name": "ir"}}}"#,
        )
        .unwrap();
        assert_eq!(nb.other_language.as_deref(), Some("R"));
        assert!(nb.ranges.is_empty());
        let nb = Notebook::parse(
            r#"{"cells": [{"cell_type": "code", "source": ["x = 1"]}],
                "metadata": {"kernelspec": {"language": "python", "name": "python3"}}}"#,
        )
        .unwrap();
        assert_eq!(nb.other_language, None);
        assert_eq!(cell_texts(&nb), ["x = 1"]);
    }

    #[test]
    fn empty_cells_and_odd_line_ends_keep_lines_right() {
        let nb = notebook(
            r##"{"cell_type": "code", "source": []},
            {"cell_type": "code", "source": "a = 1\r\nb = 2\r\n"},
            {"cell_type": "code", "source": "c = 3\rd = 4"}"##,
        );
        assert_eq!(cell_texts(&nb), ["", "a = 1\r\nb = 2", "c = 3\rd = 4"]);
        assert_eq!(nb.locate(1), (1, 1));
        assert_eq!(nb.locate(3), (2, 2));
        assert_eq!(nb.locate(5), (3, 2));
    }
}
