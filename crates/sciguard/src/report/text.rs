//! Human output: each finding with a source excerpt, then a summary per pillar.

use super::{rule_pointer, DocsUrl, FileReport, Pillar, Summary};

/// Renders findings for a terminal (no colour). Each finding ends with where its rule is
/// explained: the page under the docs base, or the `sciguard rule` command without one.
pub fn render_text(reports: &[FileReport], docs: Option<&DocsUrl>) -> String {
    let mut out = String::new();
    for report in reports {
        for f in &report.findings {
            let cell = f.cell.map_or(String::new(), |c| format!("cell {c}:"));
            out.push_str(&format!(
                "{}:{cell}{}:{}: {} [{}] {}\n",
                report.filename,
                f.span.start.row,
                f.span.start.column,
                f.code,
                f.severity,
                f.message
            ));
            // A notebook's text is its JSON; its findings point into cells instead.
            let excerpt = f
                .cell
                .is_none()
                .then(|| line_at(&report.source, f.span.start_offset))
                .flatten();
            if let Some(line) = excerpt {
                let gutter = f.span.start.row.to_string();
                let pad = " ".repeat(gutter.len());
                let line = line.trim_end();
                let start = f.span.start.column - 1;
                let line_chars = line.chars().count();
                let end = if f.span.end.row == f.span.start.row {
                    f.span.end.column - 1
                } else {
                    line_chars
                };
                let width = end.saturating_sub(start).max(1);
                let shown: String = line.chars().take(200).collect();
                out.push_str(&format!(
                    "{pad} |\n{gutter} | {shown}\n{pad} | {}{}\n",
                    " ".repeat(start.min(200)),
                    "^".repeat(width.min(200usize.saturating_sub(start.min(200)).max(1)))
                ));
            }
            if let Some(fix) = &f.fix {
                out.push_str(&format!(
                    "  = fix ({}): {}\n",
                    match fix.applicability {
                        super::Applicability::Safe => "safe",
                        super::Applicability::Unsafe => "unsafe",
                    },
                    fix.message
                ));
            }
            out.push_str(&format!(
                "  = {} {}: {}\n\n",
                f.code,
                f.name,
                rule_pointer(&f.code, docs)
            ));
        }
    }
    out.push_str(&summary_line(&Summary::of(reports)));
    out
}

/// "Found 3 findings: ..." with counts per pillar and severity.
pub fn summary_line(summary: &Summary) -> String {
    if summary.total() == 0 {
        return "No findings.\n".to_string();
    }
    let pillars: Vec<String> = Pillar::ALL
        .iter()
        .zip(summary.per_pillar)
        .map(|(p, n)| format!("{} {n}", p.key()))
        .collect();
    let [info, low, medium, high] = summary.per_severity;
    let mut line = format!(
        "Found {} finding{}: {} (high {high}, medium {medium}, low {low}, info {info})",
        summary.total(),
        if summary.total() == 1 { "" } else { "s" },
        pillars.join(", ")
    );
    if summary.syntax_errors > 0 {
        line.push_str(&format!(
            "; {} syntax error{}",
            summary.syntax_errors,
            if summary.syntax_errors == 1 { "" } else { "s" }
        ));
    }
    line.push('\n');
    line
}

/// The line holding a byte offset; `\n`, `\r\n` and a lone `\r` all end lines, as in
/// the positions findings carry.
pub(crate) fn line_at(source: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(source.len());
    let start = source
        .get(..offset)?
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let end = source
        .get(offset..)?
        .find(['\n', '\r'])
        .map_or(source.len(), |i| offset + i);
    source.get(start..end)
}
