//! Jupyter notebooks: the code cells, joined into one Python text so that names defined
//! in one cell resolve in the next, with a map back to cell numbers and lines.

use super::ConfigError;

/// The code cells of a notebook as one Python text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notebook {
    /// The code cells, each ending with a newline.
    pub source: String,
    /// For each code cell: its 1-based number among all cells and its first line (1-based)
    /// in `source`.
    cells: Vec<(usize, usize)>,
}

impl Notebook {
    /// Reads a notebook's JSON.
    pub fn parse(text: &str) -> Result<Notebook, ConfigError> {
        let json: serde_json::Value = serde_json::from_str(text).map_err(|e| ConfigError {
            message: format!("Invalid notebook JSON at line {}: {e}", e.line()),
            range: 0..0,
        })?;
        let Some(cells) = json.get("cells").and_then(|c| c.as_array()) else {
            return Err(ConfigError {
                message: "Not a Jupyter notebook: no `cells` list".into(),
                range: 0..0,
            });
        };
        let mut notebook = Notebook::default();
        let mut line = 1;
        for (index, cell) in cells.iter().enumerate() {
            if cell.get("cell_type").and_then(|t| t.as_str()) != Some("code") {
                continue;
            }
            let text = match cell.get("source") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Array(parts)) => {
                    parts.iter().filter_map(|p| p.as_str()).collect::<String>()
                }
                _ => String::new(),
            };
            notebook.cells.push((index + 1, line));
            for cell_line in text.lines() {
                // IPython magics and shell escapes are not Python; keep the line as a comment.
                let trimmed = cell_line.trim_start();
                if trimmed.starts_with('%') || trimmed.starts_with('!') {
                    notebook.source.push('#');
                    notebook.source.push_str(&cell_line[1..]);
                } else {
                    notebook.source.push_str(cell_line);
                }
                notebook.source.push('\n');
                line += 1;
            }
            // A blank line between cells keeps a half-written cell from swallowing the next.
            notebook.source.push('\n');
            line += 1;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_lines() {
        let text = r##"{"cells": [
            {"cell_type": "markdown", "source": ["# Title"]},
            {"cell_type": "code", "source": ["import torch\n", "%matplotlib inline\n"]},
            {"cell_type": "code", "source": "x = 1\nmodel = torch.load(p)"}
        ], "nbformat": 4}"##;
        let nb = Notebook::parse(text).unwrap();
        assert_eq!(
            nb.source,
            "import torch\n#matplotlib inline\n\nx = 1\nmodel = torch.load(p)\n\n"
        );
        assert_eq!(nb.locate(1), (2, 1));
        assert_eq!(nb.locate(5), (3, 2));
        assert!(Notebook::parse("{\"cells\": [").is_err());
    }
}
