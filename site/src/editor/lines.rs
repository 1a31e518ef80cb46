//! The lines of the text shown: where each starts and what it starts inside of, and
//! each drawn line's colours and underlines.

use super::marks::{squiggles, Marker, Squiggle};
use super::Checked;
use crate::highlight::{self, Lang, LineState, Token};
use sciguard::report::Severity;
use std::ops::Range;
use yew::prelude::*;

/// Where each line starts, and what it starts inside of.
#[derive(Debug, PartialEq)]
pub(super) struct Layout {
    pub(super) starts: Vec<usize>,
    pub(super) states: Vec<LineState>,
    /// The widest line, in columns (a tab to the next multiple of four).
    pub(super) columns: usize,
}

/// A line's width in columns (a tab to the next multiple of four).
fn width(line: &str) -> usize {
    if line.is_ascii() && !line.contains('\t') {
        line.len()
    } else {
        line.chars()
            .fold(0, |w, c| if c == '\t' { (w / 4 + 1) * 4 } else { w + 1 })
    }
}

impl Layout {
    pub(super) fn of(lang: Lang, text: &str) -> Layout {
        let mut starts = Vec::new();
        let mut states = Vec::new();
        let (mut at, mut state, mut columns) = (0, LineState::Code, 0);
        for line in text.split('\n') {
            starts.push(at);
            states.push(state);
            state = highlight::next_state(lang, state, line);
            at += line.len() + 1;
            columns = columns.max(width(line));
        }
        Layout {
            starts,
            states,
            columns,
        }
    }

    /// The layout of `new`, this being the layout of `old`: the lines before the edit
    /// are kept, the edited ones read again, and the lines after it are kept (moved)
    /// from the first one that starts in the state it had. A keystroke then costs the
    /// lines it touches, not the whole text. (`columns` only grows: a shortened widest
    /// line leaves the room it had.)
    pub(super) fn edited(&self, lang: Lang, old: &str, new: &str) -> Layout {
        let (prefix, suffix) = super::edits::common_ends(old, new);
        let first = self.line_of(prefix);
        let delta = new.len() as isize - old.len() as isize;
        let changed_to = new.len() - suffix;
        let mut starts = self.starts[..first].to_vec();
        let mut states = self.states[..first].to_vec();
        let mut columns = self.columns;
        let (mut at, mut state) = (self.starts[first], self.states[first]);
        loop {
            if at >= changed_to && at > 0 {
                let old_at = (at as isize - delta) as usize;
                if let Ok(j) = self.starts.binary_search(&old_at) {
                    if self.states[j] == state {
                        let moved = self.starts[j..]
                            .iter()
                            .map(|s| (*s as isize + delta) as usize);
                        starts.extend(moved);
                        states.extend_from_slice(&self.states[j..]);
                        return Layout {
                            starts,
                            states,
                            columns,
                        };
                    }
                }
            }
            starts.push(at);
            states.push(state);
            let end = new[at..].find('\n').map(|i| at + i);
            let line = &new[at..end.unwrap_or(new.len())];
            columns = columns.max(width(line));
            state = highlight::next_state(lang, state, line);
            match end {
                Some(end) => at = end + 1,
                None => {
                    return Layout {
                        starts,
                        states,
                        columns,
                    }
                }
            }
        }
    }

    pub(super) fn count(&self) -> usize {
        self.starts.len()
    }

    /// Line `i` (0-based), without its line break.
    pub(super) fn line<'a>(&self, text: &'a str, i: usize) -> &'a str {
        let end = self.starts.get(i + 1).map_or(text.len(), |s| s - 1);
        &text[self.starts[i]..end]
    }

    /// The 0-based line holding byte `at`.
    pub(super) fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|s| *s <= at).saturating_sub(1)
    }
}

/// The coloured pieces of `line[from..to]`.
fn pieces(line: &str, tokens: &[Token], from: usize, to: usize, out: &mut Vec<Html>) {
    let mut at = from;
    for t in tokens.iter().filter(|t| t.end > from && t.start < to) {
        let (start, end) = (t.start.max(from), t.end.min(to));
        if start > at {
            out.push(Html::from(line[at..start].to_string()));
        }
        out.push(html! { <span class={t.class.css()}>{ &line[start..end] }</span> });
        at = end;
    }
    if to > at {
        out.push(Html::from(line[at..to].to_string()));
    }
}

/// One drawn line: its colours, and underlines where findings are.
fn line_html(
    line: &str,
    tokens: &[Token],
    squiggles: &[Squiggle],
    markers: &[Marker],
    checked: &Checked,
) -> Html {
    let mut out = Vec::new();
    let mut at = 0;
    for s in squiggles {
        pieces(line, tokens, at, s.start, &mut out);
        let mut inner = Vec::new();
        pieces(line, tokens, s.start, s.end, &mut inner);
        let code = checked
            .findings
            .get(markers[s.marker].finding)
            .map(|f| f.code.clone());
        out.push(html! {
            <span class={classes!("sq", s.severity.key())} data-m={s.marker.to_string()} data-code={code}>{ for inner }</span>
        });
        at = s.end;
    }
    pieces(line, tokens, at, line.len(), &mut out);
    html! { <div class="hl-line">{ for out }</div> }
}

/// The numbers of the lines in `range`, marked where findings start; `current` is the
/// selected finding's line (1-based).
pub(super) fn numbers(
    range: Range<usize>,
    layout: &Layout,
    markers: &[Marker],
    current: Option<usize>,
) -> Html {
    let mut marks: Vec<Option<Severity>> = vec![None; range.len()];
    for m in markers {
        let line = layout.line_of(m.start);
        if range.contains(&line) {
            let slot = &mut marks[line - range.start];
            *slot = Some(slot.map_or(m.severity, |s| s.max(m.severity)));
        }
    }
    range
        .clone()
        .map(|i| {
            let n = i + 1;
            let current = (current == Some(n)).then_some("current");
            match marks[i - range.start] {
                Some(sev) => html! { <div class={classes!("ln", "marked", sev.key(), current)} title={sev.key()}>{ n }</div> },
                None => html! { <div class={classes!("ln", current)}>{ n }</div> },
            }
        })
        .collect()
}

/// The lines in `range` of `text`, coloured and underlined.
pub(super) fn drawn(
    range: Range<usize>,
    text: &str,
    layout: &Layout,
    lang: Lang,
    markers: &[Marker],
    checked: &Checked,
) -> Html {
    range
        .map(|i| {
            let line = layout.line(text, i);
            let line = line.strip_suffix('\r').unwrap_or(line);
            let (tokens, _) = highlight::line_tokens(lang, layout.states[i], line);
            let from = layout.starts[i];
            let squiggles = squiggles(markers, from, from + line.len());
            line_html(line, &tokens, &squiggles, markers, checked)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_layout_is_the_layout_of_the_edited_text() {
        let base = "import x\ns = '''\nopen\n'''\nt = 1\n\tu = \"\"\"a\"\"\"\nend";
        // Each edit: (byte range replaced, text put there), including ones that open
        // or close a triple-quoted string, join or split lines, and touch either end.
        let edits: [(std::ops::Range<usize>, &str); 9] = [
            (0..0, "# a\n"),
            (9..9, "'''"),
            (13..16, ""),
            (20..21, "x\ny\nz"),
            (base.len()..base.len(), "\nmore"),
            (0..base.len(), ""),
            (5..30, "'''"),
            (8..9, ""),
            (22..22, "\"\"\""),
        ];
        for lang in [Lang::Python, Lang::Toml, Lang::Yaml] {
            let old_layout = Layout::of(lang, base);
            for (range, put) in edits.iter().cloned() {
                let mut new = base.to_string();
                new.replace_range(range.clone(), put);
                let fresh = Layout::of(lang, &new);
                let edited = old_layout.edited(lang, base, &new);
                assert_eq!(edited.starts, fresh.starts, "{lang:?} {range:?} {put:?}");
                assert_eq!(edited.states, fresh.states, "{lang:?} {range:?} {put:?}");
                assert!(edited.columns >= fresh.columns);
            }
        }
    }

    #[test]
    fn layout_finds_lines_states_and_the_widest_line() {
        let layout = Layout::of(Lang::Python, "a\n\tb\ns = '''\nx'''\n");
        assert_eq!(layout.count(), 5);
        assert_eq!(layout.columns, 7);
        assert_eq!(layout.states[3], LineState::Triple(b'\''));
        assert_eq!(layout.line("a\n\tb\ns = '''\nx'''\n", 1), "\tb");
        assert_eq!(layout.line_of(2), 1);
    }
}
