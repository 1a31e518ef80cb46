//! Edits typed into the textarea for the user, so that the browser's undo includes them,
//! and the conversions between the textarea's UTF-16 offsets and the text's bytes.

use super::LINE_HEIGHT;
use sciguard::report::Finding;
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Spaces a Tab inserts.
pub(super) const INDENT: &str = "    ";

pub(super) fn floor_boundary(text: &str, at: usize) -> usize {
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

/// Byte offset in `text` of a UTF-16 offset (a textarea's selection).
pub(super) fn byte_offset(text: &str, utf16: u32) -> usize {
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
    if let Some(windowed) = super::window::of(&area) {
        return edit_windowed(&windowed, new);
    }
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

/// [`edit_to`] for a windowed textarea: the change is typed into the window, which is
/// first moved (and the editor scrolled) to the change if it does not hold it.
fn edit_windowed(windowed: &super::window::Registered, new: &str) {
    let area = &windowed.area;
    let mut held = windowed.window.borrow_mut();
    let Some(w) = held.as_mut() else {
        return;
    };
    let old = w.text.clone();
    if *old == *new {
        return;
    }
    let (prefix, suffix) = common_ends(&old, new);
    let (from, to) = (prefix, old.len() - suffix);
    if from < w.head || to > w.tail {
        w.hold(area, from);
        if let Some(scroller) = &windowed.scroller {
            let line = super::window::line_count(&old[..from]) as i32 - 1;
            let top = line * LINE_HEIGHT - scroller.client_height() / 2;
            scroller.set_scroll_top(top.max(0));
        }
    }
    if w.to_utf16(to).is_none() {
        // A change longer than the window: typed into the whole text.
        *w = super::window::Window::whole(old.clone());
        w.show(area);
    }
    let (Some(start), Some(end)) = (w.to_utf16(from), w.to_utf16(to)) else {
        return;
    };
    // The window's text afterwards, for browsers that cannot type it in.
    let after = &new[w.head..new.len() - (old.len() - w.tail)];
    let (after, insert) = (
        after.to_string(),
        new[prefix..new.len() - suffix].to_string(),
    );
    // Typing it in reaches the editor's input handler, which reads the window.
    drop(held);
    type_over(area, start, end, &insert, &after);
}

thread_local! {
    /// Set while an edit is typed in for the user: the editor tells the page of it at
    /// once instead of waiting for typing to pause.
    pub(super) static TELL_NOW: Cell<bool> = const { Cell::new(false) };
}

/// Replaces the UTF-16 range `[start, end)` with `insert` as if typed; `whole` is the
/// text afterwards, set directly where typing is not possible.
pub(super) fn type_over(
    area: &HtmlTextAreaElement,
    start: u32,
    end: u32,
    insert: &str,
    whole: &str,
) {
    TELL_NOW.set(true);
    type_in(area, start, end, insert, whole);
    TELL_NOW.set(false);
}

pub(super) fn type_in(area: &HtmlTextAreaElement, start: u32, end: u32, insert: &str, whole: &str) {
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
pub(super) fn indent(area: &HtmlTextAreaElement, dedent: bool) {
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
        let (from, to) = (finding.span.start_offset, finding.span.end_offset);
        match super::window::of(&area) {
            // The window is moved to the finding first if it does not hold it.
            Some(windowed) => {
                if let Some(w) = windowed.window.borrow_mut().as_mut() {
                    let moved = w.hold(&area, from);
                    if let (Some(a), Some(b)) = (w.to_utf16(from), w.to_utf16(to)) {
                        let _ = area.set_selection_range(a, b);
                        // Chromium drops a selection made in a textarea without the focus
                        // right after its value was set; made again once the value is in.
                        if moved {
                            gloo_timers::callback::Timeout::new(0, move || {
                                let _ = area.set_selection_range(a, b);
                            })
                            .forget();
                        }
                    }
                }
            }
            None => {
                let _ = area.set_selection_range(utf16_offset(text, from), utf16_offset(text, to));
            }
        }
    }
    if let Some(wrapper) = scroller.cast::<HtmlElement>() {
        let line_top = (finding.span.start.row as i32 - 1) * LINE_HEIGHT;
        wrapper.set_scroll_top((line_top - wrapper.client_height() / 2 + LINE_HEIGHT).max(0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn selection_offsets_convert_between_utf16_and_bytes() {
        let text = "é😀x";
        assert_eq!(utf16_offset(text, 2), 1);
        assert_eq!(utf16_offset(text, 6), 3);
        assert_eq!(byte_offset(text, 3), 6);
        assert_eq!(byte_offset(text, 99), text.len());
    }
}
