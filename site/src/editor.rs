//! The code editor: the browser's own `<textarea>` (which keeps native undo, input
//! methods, mobile keyboards and screen readers) laid over a coloured copy of the lines
//! in view, with a wavy underline under each finding and a card that offers its fix.
//!
//! Only the lines in view (and a margin) are drawn, in the copy and in the line numbers,
//! so that a keystroke costs the same in a 50-line file as in a 5,000-line one. Text
//! reaches the page through `on_input` only; programmatic edits (fixes, `# noqa`,
//! indentation) go through [`edit_to`], which types them into the textarea so that
//! Ctrl+Z undoes them.

use crate::checklist_view::inline_code;
use crate::findings_view;
use crate::highlight::{self, Lang, LineState, Token};
use crate::rules_view::severity_label;
use gloo_timers::callback::Timeout;
use sciguard::input::SourceKind;
use sciguard::report::{Finding, Severity};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Lines are drawn this tall (px); keep in step with `style.css`.
pub(crate) const LINE_HEIGHT: i32 = 20;

/// The editor's padding above the first line (px); keep in step with `style.css`.
const PADDING_TOP: i32 = 4;

/// Above this many lines the editor is a plain textarea: no colours, numbers or marks.
pub(crate) const MAX_MARKED_LINES: usize = 20_000;

/// Lines drawn above and below the view, so that a short scroll draws nothing new.
const MARGIN: usize = 12;

/// The drawn lines move in steps of this many lines.
const STEP: usize = 8;

/// Spaces a Tab inserts.
const INDENT: &str = "    ";

/// The page hears of typing once it pauses this long (ms), or when the editor loses the
/// focus: a keystroke redraws the editor alone, not the page around it.
pub(crate) const TELL_PAGE_MS: u32 = 100;

/// The `inputType`s of typing, which the page hears of once it pauses.
const TYPING: [&str; 7] = [
    "insertText",
    "insertLineBreak",
    "insertCompositionText",
    "deleteContentBackward",
    "deleteContentForward",
    "deleteWordBackward",
    "deleteWordForward",
];

/// How long a card shown by hovering stays once the pointer leaves its underline (ms).
const HOVER_GRACE_MS: u32 = 400;

/// Findings and the text they were found in.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Checked {
    pub text: Rc<str>,
    pub findings: Vec<Finding>,
}

/// Properties of the [`Editor`].
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The text as the page holds it; the editor shows it whenever it changes to
    /// something not typed here (another tab, an example).
    pub text: Rc<str>,
    /// How to colour it.
    pub kind: SourceKind,
    /// The last check's findings, and the text they were found in.
    pub checked: Rc<Checked>,
    /// The selected finding's line, outlined in the gutter.
    #[prop_or_default]
    pub current: Option<usize>,
    /// Receives the text after edits: once typing pauses, or the editor loses the focus.
    pub on_input: Callback<Rc<str>>,
    /// Receives a fixed text from a card's "Apply fix" (the page's one fix path);
    /// absent where the text cannot be edited.
    #[prop_or_default]
    pub apply: Option<Callback<String>>,
    #[prop_or_default]
    pub readonly: bool,
    pub label: AttrValue,
    /// The textarea.
    pub area: NodeRef,
    /// The element that scrolls the editor.
    pub scroller: NodeRef,
}

/// Where each line starts, and what it starts inside of.
#[derive(Debug, PartialEq)]
struct Layout {
    starts: Vec<usize>,
    states: Vec<LineState>,
    /// The widest line, in columns (a tab to the next multiple of four).
    columns: usize,
}

impl Layout {
    fn of(lang: Lang, text: &str) -> Layout {
        let mut starts = Vec::new();
        let mut states = Vec::new();
        let (mut at, mut state, mut columns) = (0, LineState::Code, 0);
        for line in text.split('\n') {
            starts.push(at);
            states.push(state);
            state = highlight::next_state(lang, state, line);
            at += line.len() + 1;
            let width = if line.is_ascii() && !line.contains('\t') {
                line.len()
            } else {
                line.chars()
                    .fold(0, |w, c| if c == '\t' { (w / 4 + 1) * 4 } else { w + 1 })
            };
            columns = columns.max(width);
        }
        Layout {
            starts,
            states,
            columns,
        }
    }

    fn count(&self) -> usize {
        self.starts.len()
    }

    /// Line `i` (0-based), without its line break.
    fn line<'a>(&self, text: &'a str, i: usize) -> &'a str {
        let end = self.starts.get(i + 1).map_or(text.len(), |s| s - 1);
        &text[self.starts[i]..end]
    }

    /// The 0-based line holding byte `at`.
    fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|s| *s <= at).saturating_sub(1)
    }
}

/// A finding's place in the text shown, which may have changed since the check.
#[derive(Clone, Debug, PartialEq)]
struct Marker {
    start: usize,
    end: usize,
    severity: Severity,
    /// Index into the checked findings.
    finding: usize,
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// How many bytes two texts share at their start, and then at their end (both on
/// character boundaries, never overlapping).
pub(crate) fn common_ends(a: &str, b: &str) -> (usize, usize) {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    // Whole blocks first: slices compare much faster than bytes one by one.
    let blocks = x
        .chunks(64)
        .zip(y.chunks(64))
        .take_while(|(p, q)| p == q)
        .count()
        * 64;
    let prefix = blocks
        + x[blocks.min(x.len())..]
            .iter()
            .zip(&y[blocks.min(y.len())..])
            .take_while(|(p, q)| p == q)
            .count();
    let mut prefix = prefix.min(x.len()).min(y.len());
    while !a.is_char_boundary(prefix) || !b.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = x.len().min(y.len()) - prefix;
    let blocks = x[x.len() - room..]
        .rchunks(64)
        .zip(y[y.len() - room..].rchunks(64))
        .take_while(|(p, q)| p == q)
        .count()
        * 64;
    let blocks = blocks.min(room);
    let mut suffix = blocks
        + x[x.len() - room..x.len() - blocks]
            .iter()
            .rev()
            .zip(y[y.len() - room..y.len() - blocks].iter().rev())
            .take_while(|(p, q)| p == q)
            .count();
    while !a.is_char_boundary(a.len() - suffix) || !b.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    (prefix, suffix)
}

/// The findings' places in `text`: where the text changed since the check, findings
/// after the change move with it and findings touching it are hidden until the next
/// check. A notebook finding is left out: its place is in the joined cells.
fn markers(checked: &Checked, text: &str) -> Vec<Marker> {
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
struct Squiggle {
    start: usize,
    end: usize,
    severity: Severity,
    marker: usize,
}

/// The underlines on the line `[from, to)` of the text; overlapping ones are merged.
fn squiggles(markers: &[Marker], from: usize, to: usize) -> Vec<Squiggle> {
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

/// Byte offset in `text` of a UTF-16 offset (a textarea's selection).
fn byte_offset(text: &str, utf16: u32) -> usize {
    let utf16 = utf16 as usize;
    if text.is_ascii() {
        return utf16.min(text.len());
    }
    let mut units = 0;
    for (at, c) in text.char_indices() {
        if units >= utf16 {
            return at;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// UTF-16 offset (as a textarea counts) of byte `byte` of `text`.
pub(crate) fn utf16_offset(text: &str, byte: usize) -> u32 {
    let byte = floor_boundary(text, byte);
    text[..byte].encode_utf16().count() as u32
}

/// Makes the textarea hold `new` by one edit typed into it (the changed middle
/// replaced), so that the browser's undo and redo include it. Where the browser
/// cannot type it, the value is set and an `input` event sent (then undo skips it).
pub(crate) fn edit_to(area: &NodeRef, new: &str) {
    let Some(area) = area.cast::<HtmlTextAreaElement>() else {
        return;
    };
    let old = area.value();
    if old == new {
        return;
    }
    let (prefix, suffix) = common_ends(&old, new);
    let (start, end) = (
        utf16_offset(&old, prefix),
        utf16_offset(&old, old.len() - suffix),
    );
    type_over(&area, start, end, &new[prefix..new.len() - suffix], new);
}

thread_local! {
    /// Set while an edit is typed in for the user: the editor tells the page of it at
    /// once instead of waiting for typing to pause.
    static TELL_NOW: Cell<bool> = const { Cell::new(false) };
}

/// Replaces the UTF-16 range `[start, end)` with `insert` as if typed; `whole` is the
/// text afterwards, set directly where typing is not possible.
fn type_over(area: &HtmlTextAreaElement, start: u32, end: u32, insert: &str, whole: &str) {
    TELL_NOW.set(true);
    type_in(area, start, end, insert, whole);
    TELL_NOW.set(false);
}

fn type_in(area: &HtmlTextAreaElement, start: u32, end: u32, insert: &str, whole: &str) {
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = area.focus_with_options(&options);
    let _ = area.set_selection_range(start, end);
    let typed = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .is_some_and(|d| {
            let command = if insert.is_empty() {
                "delete"
            } else {
                "insertText"
            };
            d.exec_command_with_show_ui_and_value(command, false, insert)
                .unwrap_or(false)
        });
    if !typed {
        area.set_value(whole);
        let at = start + insert.encode_utf16().count() as u32;
        let _ = area.set_selection_range(at, at);
        if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &{
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            init
        }) {
            let _ = area.dispatch_event(&event);
        }
    }
}

/// Tab and Shift+Tab: indent or dedent the selected lines, or insert spaces at the caret.
fn indent(area: &HtmlTextAreaElement, dedent: bool) {
    let text = area.value();
    let (Some(sel_start), Some(sel_end)) = (
        area.selection_start().ok().flatten(),
        area.selection_end().ok().flatten(),
    ) else {
        return;
    };
    let (start, end) = (byte_offset(&text, sel_start), byte_offset(&text, sel_end));
    if start == end && !dedent {
        let mut whole = text.clone();
        whole.insert_str(start, INDENT);
        type_over(area, sel_start, sel_end, INDENT, &whole);
        return;
    }
    let first = text[..start].rfind('\n').map_or(0, |i| i + 1);
    // A selection ending at the start of a line leaves that line alone.
    let last_end = if end > start && text[..end].ends_with('\n') {
        end - 1
    } else {
        text[end..].find('\n').map_or(text.len(), |i| end + i)
    };
    let block = &text[first..last_end.max(first)];
    let changed: Vec<String> = block
        .split('\n')
        .map(|line| {
            if dedent {
                let cut = if line.starts_with('\t') {
                    1
                } else {
                    line.bytes()
                        .take(INDENT.len())
                        .take_while(|b| *b == b' ')
                        .count()
                };
                line[cut..].to_string()
            } else if line.trim().is_empty() {
                line.to_string()
            } else {
                format!("{INDENT}{line}")
            }
        })
        .collect();
    let changed = changed.join("\n");
    if changed == block {
        return;
    }
    let whole = format!(
        "{}{changed}{}",
        &text[..first],
        &text[first + block.len()..]
    );
    let from = utf16_offset(&text, first);
    let to = utf16_offset(&text, first + block.len());
    type_over(area, from, to, &changed, &whole);
    let _ = area.set_selection_range(from, from + changed.encode_utf16().count() as u32);
}

/// Selects a finding's text in the editor and scrolls its line to the middle of the
/// editor. Only the editor scrolls, never the page (or a page embedding this one). A
/// notebook finding is left alone: its position is in the joined cells, not the JSON shown.
pub(crate) fn show_in_editor(finding: &Finding, text: &str, editor: &NodeRef, scroller: &NodeRef) {
    if finding.cell.is_some() {
        return;
    }
    if let Some(area) = editor.cast::<HtmlTextAreaElement>() {
        let start = utf16_offset(text, finding.span.start_offset);
        let end = utf16_offset(text, finding.span.end_offset);
        let _ = area.set_selection_range(start, end);
    }
    if let Some(wrapper) = scroller.cast::<HtmlElement>() {
        let line_top = (finding.span.start.row as i32 - 1) * LINE_HEIGHT;
        wrapper.set_scroll_top((line_top - wrapper.client_height() / 2 + LINE_HEIGHT).max(0));
    }
}

/// The lines to draw, `[first, last)`, for a scroll position and view height.
fn drawn(scroll_top: i32, height: i32) -> (usize, usize) {
    let top = ((scroll_top - PADDING_TOP).max(0) / LINE_HEIGHT) as usize;
    let bottom = ((scroll_top + height).max(0) / LINE_HEIGHT) as usize + 1;
    let first = top.saturating_sub(MARGIN) / STEP * STEP;
    let last = (bottom + MARGIN).div_ceil(STEP) * STEP;
    (first, last)
}

fn view_of(scroller: &NodeRef) -> Option<(usize, usize)> {
    let scroller = scroller.cast::<Element>()?;
    Some(drawn(scroller.scroll_top(), scroller.client_height()))
}

/// What a card is shown for.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Card {
    /// Index into the markers.
    marker: usize,
    /// Shown by the pointer (it goes when the pointer leaves), else by the caret.
    hover: bool,
    /// Where the underline starts, from the left of the code (px).
    left: i32,
}

/// Typing the page has not heard of yet: the text, whom to tell (the page as it was
/// when the typing happened, which names the tab typed in), and the timer that will.
struct Untold {
    text: Rc<str>,
    to: Callback<Rc<str>>,
    _timer: Timeout,
}

/// Moves an element by `y` pixels (and `x`), through the CSS object model: the site's
/// CSP allows no style attributes.
fn place(element: &NodeRef, x: i32, y: i32) {
    if let Some(element) = element.cast::<HtmlElement>() {
        let _ = element
            .style()
            .set_property("transform", &format!("translate({x}px, {y}px)"));
    }
}

/// The editor.
#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let lang = Lang::of(props.kind);
    // The text shown: what was typed here, or the page's text when that changes.
    let text = use_state(|| props.text.clone());
    let layout = use_memo(((*text).clone(), lang), |(text, lang)| {
        Layout::of(*lang, text)
    });
    let markers = use_memo(
        (props.checked.clone(), (*text).clone()),
        |(checked, text)| markers(checked, text),
    );
    let view = use_state_eq(|| (0, 64));
    let card = use_state_eq(|| None::<Card>);
    // The text last read from the textarea or taken from the page.
    let typed = use_mut_ref(|| None::<Rc<str>>);
    // Typing the page has not heard of yet.
    let untold = use_mut_ref(|| None::<Untold>);
    // The text the page was last told of: when it comes back, the editor is ahead of it.
    let told = use_mut_ref(|| None::<Rc<str>>);
    let shown_in = use_mut_ref(|| None::<HtmlTextAreaElement>);
    // Esc lets the next Tab leave the editor.
    let tab_released = use_mut_ref(|| Cell::new(false));
    let hide_later = use_mut_ref(|| None::<Timeout>);
    let overlay = use_node_ref();
    let code = use_node_ref();
    let lines_box = use_node_ref();
    let numbers_box = use_node_ref();
    let card_box = use_node_ref();
    let large = layout.count() > MAX_MARKED_LINES;

    // A new text from the page (not the typing it was told of) replaces what is shown.
    {
        let (area, typed, card, shown, untold, told) = (
            props.area.clone(),
            typed.clone(),
            card.clone(),
            text.clone(),
            untold.clone(),
            told.clone(),
        );
        use_effect_with(props.text.clone(), move |text| {
            let same = |t: &Option<Rc<str>>| t.as_ref().is_some_and(|t| Rc::ptr_eq(t, text));
            let ours = same(&typed.borrow()) || same(&told.borrow());
            if !ours {
                untold.borrow_mut().take();
                if let Some(element) = area.cast::<HtmlTextAreaElement>() {
                    if *element.value() != **text {
                        element.set_value(text);
                    }
                }
                *typed.borrow_mut() = Some(text.clone());
                shown.set(text.clone());
                card.set(None);
            }
        });
    }
    // A new textarea (switching to and from a plain one for large inputs makes one)
    // gets the text.
    {
        let (area, shown_in, text) = (props.area.clone(), shown_in.clone(), (*text).clone());
        use_effect(move || {
            let Some(element) = area.cast::<HtmlTextAreaElement>() else {
                return;
            };
            if shown_in.borrow().as_ref() != Some(&element) {
                if *element.value() != *text {
                    element.set_value(&text);
                }
                *shown_in.borrow_mut() = Some(element);
            }
        });
    }
    // Tells the page of typing not yet told (at once: the timer is dropped).
    let tell = {
        let (untold, told) = (untold.clone(), told.clone());
        Rc::new(move || {
            let waiting = untold.borrow_mut().take();
            if let Some(Untold { text, to, .. }) = waiting {
                *told.borrow_mut() = Some(text.clone());
                to.emit(text);
            }
        })
    };
    // Typing not yet told is told when the editor goes away.
    {
        let tell = tell.clone();
        use_effect_with((), move |_| move || tell());
    }

    // The drawn lines follow the scroll position.
    {
        let (scroller, view) = (props.scroller.clone(), view.setter());
        use_effect_with(props.scroller.clone(), move |_| {
            let target = scroller.cast::<Element>();
            let listener = Closure::<dyn Fn()>::new({
                let (scroller, view) = (scroller.clone(), view.clone());
                move || {
                    if let Some(v) = view_of(&scroller) {
                        view.set(v);
                    }
                }
            });
            if let Some(target) = &target {
                let _ = target
                    .add_event_listener_with_callback("scroll", listener.as_ref().unchecked_ref());
            }
            if let Some(v) = view_of(&scroller) {
                view.set(v);
            }
            move || {
                if let Some(target) = target {
                    let _ = target.remove_event_listener_with_callback(
                        "scroll",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                drop(listener);
            }
        });
    }
    // A new text may have scrolled the editor without a scroll event reaching here yet.
    {
        let (scroller, view) = (props.scroller.clone(), view.setter());
        use_effect_with(layout.count(), move |_| {
            if let Some(v) = view_of(&scroller) {
                view.set(v);
            }
        });
    }

    let count = layout.count();
    let (first, last) = (view.0.min(count), view.1.min(count));
    {
        let (lines_box, numbers_box) = (lines_box.clone(), numbers_box.clone());
        use_effect_with((first, large), move |(first, _)| {
            let y = *first as i32 * LINE_HEIGHT;
            place(&lines_box, 0, y);
            place(&numbers_box, 0, y);
        });
    }
    {
        let (card_box, code, scroller) = (card_box.clone(), code.clone(), props.scroller.clone());
        let top = card.and_then(|c| markers.get(c.marker)).map(|m| {
            let line = layout.line_of(m.start);
            (line as i32 + 1) * LINE_HEIGHT + PADDING_TOP
        });
        let left = card.map_or(0, |c| c.left);
        use_effect_with((top, left), move |(top, left)| {
            if let Some(top) = top {
                // Under the underline, moved left as far as it takes to stay in view.
                let room = code.cast::<Element>().zip(scroller.cast::<Element>()).map(
                    |(code, scroller)| {
                        let visible = scroller.get_bounding_client_rect().right()
                            - code.get_bounding_client_rect().left();
                        let width = card_box
                            .cast::<HtmlElement>()
                            .map_or(0, |c| c.offset_width());
                        visible as i32 - width - LINE_HEIGHT
                    },
                );
                let left = room.map_or(*left, |room| (*left).min(room)).max(0);
                place(&card_box, left, *top);
            }
        });
    }

    let on_input = {
        let (on_input, typed, card, shown, untold, tell) = (
            props.on_input.clone(),
            typed.clone(),
            card.clone(),
            text.clone(),
            untold.clone(),
            tell.clone(),
        );
        Callback::from(move |e: InputEvent| {
            let text: Rc<str> = e
                .target_unchecked_into::<HtmlTextAreaElement>()
                .value()
                .into();
            *typed.borrow_mut() = Some(text.clone());
            shown.set(text.clone());
            card.set(None);
            let later = Timeout::new(TELL_PAGE_MS, {
                let tell = tell.clone();
                move || tell()
            });
            *untold.borrow_mut() = Some(Untold {
                text,
                to: on_input.clone(),
                _timer: later,
            });
            // Typing waits; pastes, drops, undo and edits made for the user (fixes,
            // `# noqa`, indentation) are told at once.
            let kind = js_sys::Reflect::get(&e, &"inputType".into())
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            if TELL_NOW.get() || !TYPING.contains(&kind.as_str()) {
                tell();
            }
        })
    };
    let on_blur = {
        let tell = tell.clone();
        Callback::from(move |_: FocusEvent| tell())
    };
    // The copy follows the textarea if it ever scrolls sideways itself.
    let on_scroll = {
        let overlay = overlay.clone();
        Callback::from(move |e: Event| {
            let area = e.target_unchecked_into::<HtmlElement>();
            if let Some(overlay) = overlay.cast::<Element>() {
                overlay.set_scroll_left(area.scroll_left());
            }
        })
    };
    let readonly = props.readonly;
    let on_keydown = {
        let (tab_released, card) = (tab_released.clone(), card.clone());
        Callback::from(move |e: KeyboardEvent| {
            let released = tab_released.borrow();
            match e.key().as_str() {
                "Tab"
                    if !readonly
                        && !released.get()
                        && !e.ctrl_key()
                        && !e.alt_key()
                        && !e.meta_key() =>
                {
                    e.prevent_default();
                    indent(&e.target_unchecked_into(), e.shift_key());
                }
                "Tab" => released.set(false),
                // A card shown by the caret stays: Tab reaches its button next.
                "Escape" => {
                    released.set(true);
                    if card.is_some_and(|c| c.hover) {
                        card.set(None);
                    }
                }
                "Shift" => {}
                _ => released.set(false),
            }
        })
    };
    let on_focus = {
        let tab_released = tab_released.clone();
        Callback::from(move |_: FocusEvent| tab_released.borrow().set(false))
    };
    // The caret inside an underline shows its card (keyboards and touch).
    let on_caret = {
        let (card, markers, text, code) =
            (card.clone(), markers.clone(), (*text).clone(), code.clone());
        Callback::from(move |e: Event| {
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            let (Some(start), Some(end)) = (
                area.selection_start().ok().flatten(),
                area.selection_end().ok().flatten(),
            ) else {
                return;
            };
            if start != end {
                return;
            }
            let at = byte_offset(&text, start);
            let hit = markers.iter().position(|m| m.start <= at && at <= m.end);
            match hit {
                Some(marker) => {
                    if card.is_some_and(|c| c.marker == marker) {
                        return;
                    }
                    let left = squiggle_left(&code, marker);
                    card.set(Some(Card {
                        marker,
                        hover: false,
                        left,
                    }));
                }
                None if card.is_some_and(|c| !c.hover) => card.set(None),
                None => {}
            }
        })
    };
    let on_keyup = {
        let on_caret = on_caret.clone();
        Callback::from(move |e: KeyboardEvent| {
            if !matches!(
                e.key().as_str(),
                "Escape" | "Tab" | "Shift" | "Control" | "Alt" | "Meta"
            ) {
                on_caret.emit(e.into());
            }
        })
    };
    let on_mouseup = {
        let on_caret = on_caret.clone();
        Callback::from(move |e: MouseEvent| on_caret.emit(e.into()))
    };
    // The pointer over an underline shows its card: the copy lies under the textarea,
    // so the underline is found among everything at the pointer.
    let on_mousemove = {
        let (card, hide_later, code) = (card.clone(), hide_later.clone(), code.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let hit = document
                .elements_from_point(e.client_x() as f32, e.client_y() as f32)
                .iter()
                .filter_map(|el| el.dyn_into::<Element>().ok())
                .find(|el| el.class_list().contains("sq"))
                .and_then(|el| el.get_attribute("data-m")?.parse::<usize>().ok());
            match hit {
                Some(marker) => {
                    hide_later.borrow_mut().take();
                    if card.is_none_or(|c| c.marker != marker) {
                        let left = squiggle_left(&code, marker);
                        card.set(Some(Card {
                            marker,
                            hover: true,
                            left,
                        }));
                    }
                }
                None if card.is_some_and(|c| c.hover) && hide_later.borrow().is_none() => {
                    let (card, hide) = (card.clone(), hide_later.clone());
                    *hide_later.borrow_mut() = Some(Timeout::new(HOVER_GRACE_MS, move || {
                        hide.borrow_mut().take();
                        if card.is_some_and(|c| c.hover) {
                            card.set(None);
                        }
                    }));
                }
                None => {}
            }
        })
    };
    let on_card_enter = {
        let hide_later = hide_later.clone();
        Callback::from(move |_: MouseEvent| drop(hide_later.borrow_mut().take()))
    };
    let on_card_leave = {
        let card = card.clone();
        Callback::from(move |_: MouseEvent| {
            if card.is_some_and(|c| c.hover) {
                card.set(None);
            }
        })
    };

    if large {
        return html! {
            <div class="editor">
                <textarea ref={props.area.clone()} class="code large" spellcheck="false" wrap="off" readonly={props.readonly}
                    aria-label={props.label.clone()} rows="30" oninput={on_input} onblur={on_blur} />
            </div>
        };
    }

    let text = &**text;
    let mut marks: Vec<Option<Severity>> = vec![None; last - first];
    for m in markers.iter() {
        let line = layout.line_of(m.start);
        if (first..last).contains(&line) {
            let slot = &mut marks[line - first];
            *slot = Some(slot.map_or(m.severity, |s| s.max(m.severity)));
        }
    }
    let numbers = (first..last).map(|i| {
        let n = i + 1;
        let current = (props.current == Some(n)).then_some("current");
        match marks[i - first] {
            Some(sev) => html! { <div class={classes!("ln", "marked", sev.key(), current)} title={sev.key()}>{ n }</div> },
            None => html! { <div class={classes!("ln", current)}>{ n }</div> },
        }
    });
    let lines = (first..last).map(|i| {
        let line = layout.line(text, i);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let (tokens, _) = highlight::line_tokens(lang, layout.states[i], line);
        let from = layout.starts[i];
        let squiggles = squiggles(&markers, from, from + line.len());
        line_html(line, &tokens, &squiggles, &markers, &props.checked)
    });
    let card_html = card.and_then(|c| {
        let m = markers.get(c.marker)?;
        let f = props.checked.findings.get(m.finding)?;
        // A fix's edits are placed in the checked text: offered only until it changes.
        let unchanged = *props.checked.text == *text;
        let apply = props
            .apply
            .clone()
            .filter(|_| unchanged && f.fix.is_some())
            .and_then(|apply| Some((apply, findings_view::fixed(text, f)?)))
            .map(|(apply, fixed)| Callback::from(move |_: MouseEvent| apply.emit(fixed.clone())));
        let row = layout.line_of(m.start) + 1;
        Some(html! {
            <div class="lint-card" ref={card_box.clone()} role="group" aria-label={format!("Finding on line {row}")}
                onmouseenter={on_card_enter.clone()} onmouseleave={on_card_leave.clone()}>
                <p class="card-head"><span class={classes!("sev", f.severity.key())}>{ severity_label(f.severity) }</span>
                    { " " }<code>{ &f.code }</code>{ format!(" · line {row}") }</p>
                <p class="msg">{ inline_code(&f.message) }</p>
                { for apply.map(|onclick| html! { <button class="primary card-apply" {onclick}>{ "Apply fix" }</button> }) }
                { for (f.fix.is_some() && !unchanged && props.apply.is_some()).then(|| html! { <p class="card-wait">{ "Checking the edited text…" }</p> }) }
            </div>
        })
    });

    html! {
        <div class="editor">
            <div class="gutter" aria-hidden="true"><div class="window" ref={numbers_box}>{ for numbers }</div></div>
            <div class="code-wrap" ref={code}>
                <pre class="hl" aria-hidden="true" ref={overlay}><div class="window" ref={lines_box}>{ for lines }</div></pre>
                <textarea ref={props.area.clone()} class="code" spellcheck="false" wrap="off" readonly={props.readonly}
                    aria-label={props.label.clone()} aria-describedby="editor-keys"
                    rows={count.to_string()} cols={(layout.columns + 2).to_string()}
                    oninput={on_input} onscroll={on_scroll} onkeydown={on_keydown} onkeyup={on_keyup}
                    onmouseup={on_mouseup} onmousemove={on_mousemove} onfocus={on_focus} onblur={on_blur} />
                // One node whether or not a card is shown, so that the textarea before it is
                // never taken for another element and drawn anew.
                <div class="card-slot">{ for card_html }</div>
            </div>
            <p id="editor-keys" class="visually-hidden">{ if props.readonly {
                "Read-only."
            } else {
                "Tab indents and Shift+Tab dedents; press Escape, then Tab, to leave the editor. Ctrl+Z undoes edits and applied fixes."
            } }</p>
        </div>
    }
}

/// Where the underline of a marker starts, from the left of the code (px).
fn squiggle_left(code: &NodeRef, marker: usize) -> i32 {
    let Some(code) = code.cast::<Element>() else {
        return 0;
    };
    code.query_selector(&format!(".sq[data-m=\"{marker}\"]"))
        .ok()
        .flatten()
        .map_or(0, |sq| {
            (sq.get_bounding_client_rect().left() - code.get_bounding_client_rect().left()) as i32
        })
}

#[cfg(test)]
mod tests {
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
    fn common_ends_stop_at_characters() {
        assert_eq!(common_ends("abc", "abc"), (3, 0));
        assert_eq!(common_ends("abXc", "abYYc"), (2, 1));
        assert_eq!(common_ends("aé", "aè"), (1, 0));
        assert_eq!(common_ends("aa", "aaa"), (2, 0));
        let long = "x".repeat(300);
        assert_eq!(
            common_ends(&format!("{long}1{long}"), &format!("{long}22{long}")),
            (300, 300)
        );
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

    #[test]
    fn the_drawn_lines_cover_the_view_and_a_margin() {
        let (first, last) = drawn(0, 600);
        assert_eq!(first, 0);
        assert!(last >= 30 + MARGIN);
        let (first, last) = drawn(100_000, 600);
        let top = (100_000 - PADDING_TOP) as usize / LINE_HEIGHT as usize;
        assert!(first <= top.saturating_sub(MARGIN) && last >= top + 30 + MARGIN);
        assert!(last - first <= 30 + 2 * MARGIN + 2 * STEP + 2);
    }

    #[test]
    fn selection_offsets_convert_between_utf16_and_bytes() {
        let text = "é😀x";
        assert_eq!(utf16_offset(text, 2), 1);
        assert_eq!(utf16_offset(text, 6), 3);
        assert_eq!(byte_offset(text, 3), 6);
        assert_eq!(byte_offset(text, 99), text.len());
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
