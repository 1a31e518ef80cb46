//! Where the findings of the last check are in the text shown, which may have changed
//! since, and the underlines they make on a line.

use super::edits::{common_ends, floor_boundary};
use super::Checked;
use sciguard::report::Severity;

/// A finding's place in the text shown, which may have changed since the check.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Marker {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) severity: Severity,
    /// Index into the checked findings.
    pub(super) finding: usize,
}

/// The findings' places in `text`: where the text changed since the check, findings
/// after the change move with it and findings touching it are hidden until the next
/// check. A notebook finding is left out: its place is in the joined cells.
pub(super) fn markers(checked: &Checked, text: &str) -> Vec<Marker> {
    let old = &*checked.text;
    let (prefix, suffix) = if old == text {
        (text.len(), 0)
    } else {
        common_ends(old, text)
    };
    let (old_tail, new_tail) = (old.len() - suffix, text.len() - suffix);
    let mut markers: Vec<Marker> = checked
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.cell.is_none())
        .filter_map(|(i, f)| {
            let start = f.span.start_offset.min(old.len());
            let end = f.span.end_offset.clamp(start, old.len());
            let (start, end) = if end <= prefix {
                (start, end)
            } else if start >= old_tail {
                (start - old_tail + new_tail, end - old_tail + new_tail)
            } else {
                return None;
            };
            let (start, mut end) = (floor_boundary(text, start), floor_boundary(text, end));
            // An empty range is drawn under the character it stands before.
            if end == start {
                if let Some(c) = text[start..].chars().next().filter(|c| *c != '\n') {
                    end = start + c.len_utf8();
                }
            }
            Some(Marker {
                start,
                end,
                severity: f.severity,
                finding: i,
            })
        })
        .collect();
    markers.sort_by_key(|m| (m.start, m.end));
    markers
}

/// An underline within one line: byte offsets in the line, the worst severity of the
/// findings under it, and the first of them.
#[derive(Debug, PartialEq)]
pub(super) struct Squiggle {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) severity: Severity,
    pub(super) marker: usize,
}

/// The underlines on the line `[from, to)` of the text; overlapping ones are merged.
pub(super) fn squiggles(markers: &[Marker], from: usize, to: usize) -> Vec<Squiggle> {
    let mut out: Vec<Squiggle> = Vec::new();
    for (i, m) in markers.iter().enumerate() {
        if m.start > to {
            break;
        }
        let (start, end) = (m.start.max(from), m.end.min(to));
        if end <= start {
            continue;
        }
        let (start, end) = (start - from, end - from);
        match out.last_mut() {
            Some(last) if start < last.end => {
                last.end = last.end.max(end);
                if m.severity > last.severity {
                    last.severity = m.severity;
                    last.marker = i;
                }
            }
            _ => out.push(Squiggle {
                start,
                end,
                severity: m.severity,
                marker: i,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::Checked;
    use super::*;
    use sciguard::settings::Settings;

    fn checked(text: &str) -> Checked {
        let report = sciguard::check("x.py", text, &Settings::default());
        Checked {
            text: text.into(),
            findings: report.findings,
        }
    }

    #[test]
    fn markers_move_with_edits_before_them_and_hide_when_edited() {
        let text = "import numpy as np\nx = np.load(p, allow_pickle=True)\n";
        let checked = checked(text);
        let at = |t: &str| {
            markers(&checked, t)
                .iter()
                .map(|m| t[m.start..m.end].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(at(text), ["np.load(p, allow_pickle=True)"]);
        // Lines added above: the marker moves down with its text.
        assert_eq!(
            at(&format!("# one\n# two\n{text}")),
            ["np.load(p, allow_pickle=True)"]
        );
        // Typing after it leaves it where it is.
        assert_eq!(
            at(&format!("{text}y = 1\n")),
            ["np.load(p, allow_pickle=True)"]
        );
        // Typing inside it hides it until the next check.
        assert!(at(&text.replace("(p,", "(path,")).is_empty());
    }

    #[test]
    fn overlapping_underlines_merge_and_keep_the_worst_severity() {
        let m = |start, end, severity| Marker {
            start,
            end,
            severity,
            finding: 0,
        };
        let markers = [
            m(2, 6, Severity::Low),
            m(4, 9, Severity::High),
            m(12, 30, Severity::Info),
        ];
        let got = squiggles(&markers, 0, 20);
        assert_eq!(
            got,
            [
                Squiggle {
                    start: 2,
                    end: 9,
                    severity: Severity::High,
                    marker: 1
                },
                Squiggle {
                    start: 12,
                    end: 20,
                    severity: Severity::Info,
                    marker: 2
                },
            ]
        );
        // On the next line, the rest of the long one.
        assert_eq!(
            squiggles(&markers, 21, 40),
            [Squiggle {
                start: 0,
                end: 9,
                severity: Severity::Info,
                marker: 2
            }]
        );
    }
}
