//! GitHub Actions workflow commands (`::error file=…::message`).

use super::{rule_pointer, DocsUrl, FileReport, Severity};

/// One annotation line per finding; its message ends with where the rule is explained
/// (the page under the docs base, or the `sciguard rule` command without one).
pub fn render_github(reports: &[FileReport], docs: Option<&DocsUrl>) -> String {
    let mut out = String::new();
    for report in reports {
        for f in &report.findings {
            let level = match f.severity {
                Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low | Severity::Info => "notice",
            };
            out.push_str(&format!(
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&report.filename),
                f.span.start.row,
                f.span.start.column,
                f.span.end.row,
                f.span.end.column,
                escape_property(&format!("{} {}", f.code, f.name)),
                escape_data(&format!(
                    "{}{} [{}] {}\nDetails: {}",
                    // In a notebook, lines count from the start of the cell.
                    f.cell.map_or(String::new(), |c| format!("cell {c}: ")),
                    f.code,
                    f.severity,
                    f.message,
                    rule_pointer(&f.code, docs)
                )),
            ));
        }
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_separators() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_data("50%: x\ny"), "50%25: x%0Ay");
    }
}
