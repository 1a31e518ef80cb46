//! Applying fixes. One edit-applying routine serves both [`apply_fixes`] (the crate's API,
//! the site's "Apply fix") and [`preview`] (the site's before/after lines), so that what is
//! shown is what is applied. Rules check their fixes here too ([`rewrite_parses`]): a
//! suggested change must never break the file.

use crate::vocab::{Finding, Fix};
use ruff_text_size::TextRange;

/// The lines a fix changes, before and after it is applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixPreview {
    /// The whole lines the fix touches, as they are.
    pub before: String,
    /// The same lines once the fix is applied.
    pub after: String,
}

/// Applies every fix of the given findings that does not overlap an earlier one.
/// Returns the new text and how many fixes were applied. Fixes whose ranges do not fit
/// this text (stale findings from an older version of it) are skipped.
pub fn apply_fixes(source: &str, findings: &[Finding]) -> (String, usize) {
    let mut fixes: Vec<&Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
    fixes.sort_by_key(|f| f.edits.first().map_or(0, |e| e.span.start_offset));
    let mut out = String::with_capacity(source.len());
    let mut cursor = 0;
    let mut applied = 0;
    for fix in fixes {
        if let Some(end) = write_fixed(source, fix, cursor, &mut out) {
            cursor = end;
            applied += 1;
        }
    }
    out.push_str(source.get(cursor..).unwrap_or(""));
    (out, applied)
}

/// The lines a finding's fix changes, before and after; `None` when it has no fix or the
/// fix does not fit this text (then [`apply_fixes`] skips it too).
pub fn preview(source: &str, finding: &Finding) -> Option<FixPreview> {
    let fix = finding.fix.as_ref()?;
    let first = fix.edits.first()?.span.start_offset;
    let last = fix.edits.last()?.span.end_offset;
    let start = line_start(source, first)?;
    let end = line_end(source, last)?;
    let mut after = String::new();
    let edited_to = write_fixed(source, fix, start, &mut after)?;
    after.push_str(source.get(edited_to..end)?);
    Some(FixPreview {
        before: source.get(start..end)?.to_string(),
        after,
    })
}

/// Appends `source` from `from` to the end of the fix's last edit, with the edits applied,
/// and returns the offset it stopped at. When the edits do not fit (out of order,
/// overlapping each other or text before `from`, reversed, past the end, or splitting a
/// character: a stale fix from an older version of the text), leaves `out` as it was
/// and returns `None`. A fix without edits changes nothing and is not applied.
fn write_fixed(source: &str, fix: &Fix, from: usize, out: &mut String) -> Option<usize> {
    if fix.edits.is_empty() {
        return None;
    }
    let mark = out.len();
    let mut cursor = from;
    for edit in &fix.edits {
        let (start, end) = (edit.span.start_offset, edit.span.end_offset);
        // `get` refuses a range that runs backwards, passes the end or splits a character.
        match (source.get(cursor..start), source.get(start..end)) {
            (Some(kept), Some(_)) => {
                out.push_str(kept);
                out.push_str(&edit.content);
                cursor = end;
            }
            _ => {
                out.truncate(mark);
                return None;
            }
        }
    }
    Some(cursor)
}

/// The start of the line holding `offset` (after `\n`, `\r\n` or a lone `\r`, as the
/// positions findings carry count lines).
fn line_start(source: &str, offset: usize) -> Option<usize> {
    Some(
        source
            .get(..offset)?
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1),
    )
}

/// The end of the line holding `offset`, before its line break.
fn line_end(source: &str, offset: usize) -> Option<usize> {
    Some(
        source
            .get(offset..)?
            .find(['\n', '\r'])
            .map_or(source.len(), |i| offset + i),
    )
}

/// What a fix rewrites, so that its result can be parsed as such.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FixedNode {
    /// A call or other expression.
    Expression,
    /// A whole statement.
    Statement,
}

/// A node longer than this gets no fix: re-parsing it could build a tree too deep to drop
/// on a browser's stack (a chain of 20,000 `a +` in a call's argument does, measured in
/// Node), and a rewrite that large is not one to apply without reading it.
const MAX_FIXED_NODE_BYTES: usize = 16 << 10;

/// Whether edits (byte ranges and replacements, in source order) lie inside `node` on
/// character boundaries and the rewritten node still parses.
pub(crate) fn rewrite_parses(
    source: &str,
    node: TextRange,
    edits: &[(TextRange, String)],
    kind: FixedNode,
) -> bool {
    let (start, end) = (node.start().to_usize(), node.end().to_usize());
    if end.saturating_sub(start) > MAX_FIXED_NODE_BYTES {
        return false;
    }
    let mut text = String::new();
    let mut cursor = start;
    for (range, content) in edits {
        let (a, b) = (range.start().to_usize(), range.end().to_usize());
        if a < cursor || b > end {
            return false;
        }
        let Some(kept) = source.get(cursor..a) else {
            return false;
        };
        text.push_str(kept);
        text.push_str(content);
        cursor = b;
    }
    let Some(rest) = source.get(cursor..end) else {
        return false;
    };
    text.push_str(rest);
    match kind {
        FixedNode::Expression => ruff_python_parser::parse_expression(&text).is_ok(),
        FixedNode::Statement => ruff_python_parser::parse_module(&text).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Applicability, Edit, Location, Span};
    use crate::rules::{Registry, RuleSet};

    fn found(source: &str) -> Vec<Finding> {
        let registry = Registry::builtin();
        crate::check_python(source, registry, &RuleSet::all(registry))
    }

    /// A finding whose fix makes the given (start, end, content) edits.
    fn fixing(edits: &[(usize, usize, &str)]) -> Finding {
        let at = Location { row: 1, column: 1 };
        let span = |start_offset, end_offset| Span {
            start: at,
            end: at,
            start_offset,
            end_offset,
        };
        Finding {
            code: "SCI000".into(),
            name: "test".into(),
            pillar: crate::report::Pillar::Edges,
            severity: crate::report::Severity::Low,
            message: String::new(),
            span: span(edits[0].0, edits[0].1),
            fix: Some(Fix {
                applicability: Applicability::Safe,
                message: String::new(),
                edits: edits
                    .iter()
                    .map(|&(start, end, content)| Edit {
                        content: content.into(),
                        span: span(start, end),
                    })
                    .collect(),
            }),
            cell: None,
        }
    }

    /// Checks that the preview shows exactly what applying the one fix gives: the text
    /// before the touched lines, then the preview's lines, then the text after them.
    fn agrees(source: &str, finding: &Finding) -> FixPreview {
        let shown = preview(source, finding).expect("a preview");
        let (fixed, applied) = apply_fixes(source, std::slice::from_ref(finding));
        assert_eq!(applied, 1);
        let at = source.find(&shown.before).expect("before is in the source");
        assert_eq!(&fixed[..at], &source[..at]);
        assert_eq!(&fixed[at..at + shown.after.len()], shown.after);
        assert_eq!(
            &fixed[at + shown.after.len()..],
            &source[at + shown.before.len()..]
        );
        // Line by line, as the site shows it.
        let row = source[..at].lines().count();
        let lines: Vec<&str> = fixed
            .lines()
            .skip(row)
            .take(shown.after.lines().count())
            .collect();
        assert_eq!(lines, shown.after.lines().collect::<Vec<_>>());
        shown
    }

    #[test]
    fn preview_shows_what_apply_applies() {
        let source = "import numpy as np\nx = np.load(f, allow_pickle=True)  # load\ny = 1\n";
        let findings = found(source);
        let shown = agrees(source, &findings[0]);
        assert_eq!(shown.before, "x = np.load(f, allow_pickle=True)  # load");
        assert_eq!(shown.after, "x = np.load(f)  # load");
        // A fix that writes several lines.
        let source =
            "def f(x):\n    \"\"\"Doc.\"\"\"\n    assert x > 0, 'x must be positive'\n    return x\n";
        let findings = found(source);
        let fixable = findings.iter().find(|f| f.fix.is_some()).unwrap();
        let shown = agrees(source, fixable);
        assert_eq!(shown.before, "    assert x > 0, 'x must be positive'");
        assert_eq!(
            shown.after,
            "    if not (x > 0):\n        raise ValueError('x must be positive')"
        );
    }

    #[test]
    fn edits_on_several_lines_and_line_endings() {
        let source = "a = 1\r\nb = 2\r\nc = 3\r\n";
        let finding = fixing(&[(0, 1, "x"), (7, 8, "y")]);
        let shown = agrees(source, &finding);
        assert_eq!(shown.before, "a = 1\r\nb = 2");
        assert_eq!(shown.after, "x = 1\r\ny = 2");
        // Deleting a whole line shows the line that takes its place.
        let source = "keep\ndrop\nnext\n";
        let shown = agrees(source, &fixing(&[(5, 10, "")]));
        assert_eq!(
            (shown.before.as_str(), shown.after.as_str()),
            ("drop\nnext", "next")
        );
    }

    #[test]
    fn overlapping_fixes_apply_the_first_only() {
        let source = "abcdef\n";
        let first = fixing(&[(1, 4, "X")]);
        let overlapping = fixing(&[(3, 5, "Y")]);
        let after = fixing(&[(5, 6, "Z")]);
        let (fixed, applied) =
            apply_fixes(source, &[after.clone(), overlapping.clone(), first.clone()]);
        assert_eq!((fixed.as_str(), applied), ("aXeZ\n", 2));
        // Each still previews on its own, as each applies on its own.
        agrees(source, &overlapping);
        // A fix whose own edits overlap or run backwards fits nowhere.
        for broken in [fixing(&[(1, 4, "X"), (3, 5, "Y")]), fixing(&[(4, 2, "X")])] {
            assert_eq!(preview(source, &broken), None);
            assert_eq!(apply_fixes(source, &[broken]), (source.to_string(), 0));
        }
    }

    #[test]
    fn stale_and_empty_fixes_are_skipped_by_both() {
        let findings = found("import numpy as np\nx = np.load(f, allow_pickle=True)\n");
        for stale in ["short", "", "import numpy as np\n"] {
            assert_eq!(preview(stale, &findings[0]), None, "{stale:?}");
            assert_eq!(apply_fixes(stale, &findings), (stale.to_string(), 0));
        }
        let mut empty = fixing(&[(0, 0, "")]);
        empty.fix.as_mut().unwrap().edits.clear();
        assert_eq!(preview("x", &empty), None);
        assert_eq!(apply_fixes("x", &[empty]), ("x".to_string(), 0));
        let mut none = fixing(&[(0, 0, "")]);
        none.fix = None;
        assert_eq!(preview("x", &none), None);
    }

    #[test]
    fn multibyte_text_is_cut_only_between_characters() {
        // "é" is two bytes, "𝔁" four: offsets inside them are stale, not cut.
        let source = "s = 'é' + '𝔁'\nt = 'ü'\n";
        let e = source.find('é').unwrap();
        let x = source.find('𝔁').unwrap();
        let shown = agrees(source, &fixing(&[(e, e + 2, "e"), (x, x + 4, "x")]));
        assert_eq!(
            (shown.before.as_str(), shown.after.as_str()),
            ("s = 'é' + '𝔁'", "s = 'e' + 'x'")
        );
        let u = source.find('ü').unwrap();
        agrees(source, &fixing(&[(u, u + 2, "ue")]));
        for inside in [fixing(&[(e + 1, e + 2, "")]), fixing(&[(x, x + 3, "")])] {
            assert_eq!(preview(source, &inside), None);
            assert_eq!(apply_fixes(source, &[inside]).1, 0);
        }
        let (fixed, applied) = apply_fixes(
            source,
            &[fixing(&[(u, u + 2, "ue")]), fixing(&[(e, e + 2, "e")])],
        );
        assert_eq!((fixed.as_str(), applied), ("s = 'e' + '𝔁'\nt = 'ue'\n", 2));
    }
}
