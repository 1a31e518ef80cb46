//! Long texts: the textarea holds only the lines around the view.
//!
//! A browser lays out all of a textarea's text on every keystroke: 160–190 ms at 4× CPU
//! slowdown for 5,000 lines on the machines the suite runs on, against about 25 ms for
//! 40 lines. So from [`WINDOWED_FROM`] lines on, the textarea holds the lines in view
//! and [`MARGIN`] more on each side (the *window*), moved down by its margin to where
//! those lines are, while the copy behind it draws the colours as before. The whole
//! text is the text before the window, the textarea's value, and the text after it.
//!
//! The window moves when the view comes within [`SLACK`] lines of its edge, and to a
//! line the page selects or edits (a finding chosen in the list, a fix, Ctrl+Home,
//! Ctrl+End). Moving it sets the textarea's value, which ends the browser's undo
//! history, so Ctrl+Z undoes the edits made since the window last moved. Ctrl+A first
//! makes the window the whole text, so that what is selected, copied, cut or typed
//! over is all of it. The browser's own find (Ctrl+F) sees the lines drawn.

use super::edits::{byte_offset, utf16_offset};
use super::LINE_HEIGHT;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{HtmlElement, HtmlTextAreaElement};

/// Texts of at least this many lines are windowed.
pub(crate) const WINDOWED_FROM: usize = 1_500;

/// Lines held beyond the view, above and below.
const MARGIN: usize = 60;

/// The window moves when the view comes this close (in lines) to one of its edges.
const SLACK: usize = 20;

/// Lines above and below a line the window is moved to, for the view that will follow
/// (a view is up to about 50 lines, with the lines drawn beyond it).
const HOLD_ROOM: usize = 50;

/// What the textarea of a windowed editor holds.
#[derive(Debug, Default)]
pub(crate) struct Window {
    /// The whole text, as of the last edit or move.
    pub text: Rc<str>,
    /// The lines held, `[first, last)`.
    pub first: usize,
    pub last: usize,
    /// The bytes of `text` held, `[head, tail)`: from the start of line `first` to the
    /// end of line `last - 1` (without its line break).
    pub head: usize,
    pub tail: usize,
    /// Made whole for Ctrl+A: it lasts while something is selected.
    pub whole: bool,
}

impl Window {
    /// The window for a view of lines `[top, bottom)` of a text of `count` lines whose
    /// lines start at `starts`.
    pub(crate) fn around(text: Rc<str>, starts: &[usize], top: usize, bottom: usize) -> Window {
        let count = starts.len();
        let first = top.saturating_sub(MARGIN).min(count.saturating_sub(1));
        let last = (bottom + MARGIN).clamp(first + 1, count);
        Window::lines(text, starts, first, last)
    }

    /// The window holding lines `[first, last)`.
    pub(crate) fn lines(text: Rc<str>, starts: &[usize], first: usize, last: usize) -> Window {
        let head = starts[first];
        let tail = starts.get(last).map_or(text.len(), |s| s - 1);
        Window {
            text,
            first,
            last,
            head,
            tail,
            whole: false,
        }
    }

    /// Whether a view of lines `[top, bottom)` is far enough inside the window (the
    /// text's first and last lines count as far enough).
    pub(crate) fn covers(&self, top: usize, bottom: usize, count: usize) -> bool {
        if self.whole {
            return false;
        }
        let top_ok = self.first == 0 || top >= self.first + SLACK;
        let bottom_ok = self.last >= count || bottom + SLACK <= self.last;
        top_ok && bottom_ok
    }

    /// The window holding all of `text`, for Ctrl+A.
    pub(crate) fn whole(text: Rc<str>) -> Window {
        let last = line_count(&text);
        Window {
            head: 0,
            tail: text.len(),
            text,
            first: 0,
            last,
            whole: true,
        }
    }

    /// Puts the window in `area`: its lines, moved down to where they are shown.
    pub(crate) fn show(&self, area: &HtmlTextAreaElement) {
        area.set_value(self.held());
        set_top(area, Some(self.first));
        self.fit(area);
    }

    /// Makes the textarea as tall as the lines it holds.
    pub(crate) fn fit(&self, area: &HtmlTextAreaElement) {
        let rows = (self.last - self.first).max(1) as u32;
        if area.rows() != rows {
            area.set_rows(rows);
        }
    }

    /// Moves the window to byte `at` of the text if it does not hold it: the caller is
    /// about to select there (a finding chosen in the list, Ctrl+Home, a fix).
    /// Whether it moved.
    pub(crate) fn hold(&mut self, area: &HtmlTextAreaElement, at: usize) -> bool {
        if self.to_utf16(at).is_some() && !self.whole {
            return false;
        }
        let starts = line_starts(&self.text);
        let line = starts.partition_point(|s| *s <= at).saturating_sub(1);
        // Room for a view around the line, wherever in it the line ends up.
        let room = line.saturating_sub(HOLD_ROOM)..line + HOLD_ROOM;
        *self = Window::around(self.text.clone(), &starts, room.start, room.end);
        self.show(area);
        true
    }

    /// What the textarea shows.
    pub(crate) fn held(&self) -> &str {
        &self.text[self.head..self.tail]
    }

    /// The whole text once the textarea holds `value`; the window then holds `value`.
    pub(crate) fn edited(&mut self, value: &str) -> Rc<str> {
        let mut whole =
            String::with_capacity(self.head + value.len() + self.text.len() - self.tail);
        whole.push_str(&self.text[..self.head]);
        whole.push_str(value);
        whole.push_str(&self.text[self.tail..]);
        let whole: Rc<str> = whole.into();
        self.last = self.first + line_count(value);
        self.tail = self.head + value.len();
        self.text = whole.clone();
        whole
    }

    /// Bytes of the whole text for a UTF-16 selection offset in the textarea.
    pub(crate) fn to_bytes(&self, utf16: u32) -> usize {
        self.head + byte_offset(self.held(), utf16)
    }

    /// The textarea's UTF-16 offset for byte `at` of the whole text, if it holds it.
    pub(crate) fn to_utf16(&self, at: usize) -> Option<u32> {
        (self.head..=self.tail)
            .contains(&at)
            .then(|| utf16_offset(self.held(), at - self.head))
    }
}

/// Moves the textarea down to line `first` (its margin, through the CSS object model:
/// the site's CSP allows no style attributes), as tall as the lines it holds, and names
/// that line in `data-first-line`; `None` puts it back as it was.
pub(crate) fn set_top(area: &HtmlTextAreaElement, first: Option<usize>) {
    let style = HtmlElement::style(area);
    match first {
        Some(first) => {
            let top = first as i32 * LINE_HEIGHT;
            let _ = style.set_property("margin-top", &format!("{top}px"));
            let _ = style.set_property("align-self", "flex-start");
            let _ = area.set_attribute("data-first-line", &first.to_string());
        }
        None => {
            let _ = style.remove_property("margin-top");
            let _ = style.remove_property("align-self");
            let _ = area.remove_attribute("data-first-line");
        }
    }
}

thread_local! {
    /// The windows of the editors on the page, by textarea: the page's edits
    /// ([`super::edit_to`]) and selections ([`super::show_in_editor`]) go through them.
    static WINDOWS: RefCell<Vec<Registered>> = const { RefCell::new(Vec::new()) };
}

/// A windowed editor: its textarea, window and the element that scrolls it.
#[derive(Clone)]
pub(crate) struct Registered {
    pub area: HtmlTextAreaElement,
    pub window: Rc<RefCell<Option<Window>>>,
    pub scroller: Option<web_sys::Element>,
}

/// Tells the page's edits that `area` is windowed through `window`.
pub(crate) fn register(
    area: &HtmlTextAreaElement,
    window: &Rc<RefCell<Option<Window>>>,
    scroller: Option<web_sys::Element>,
) {
    WINDOWS.with(|w| {
        let mut w = w.borrow_mut();
        w.retain(|r| r.area != *area && r.area.is_connected());
        w.push(Registered {
            area: area.clone(),
            window: window.clone(),
            scroller,
        });
    });
}

/// The windowed editor of `area`, if it is windowed.
pub(crate) fn of(area: &HtmlTextAreaElement) -> Option<Registered> {
    WINDOWS.with(|w| {
        w.borrow()
            .iter()
            .find(|r| r.area == *area)
            .filter(|r| r.window.borrow().is_some())
            .cloned()
    })
}

/// The number of lines of `text` (one more than its line breaks).
pub(crate) fn line_count(text: &str) -> usize {
    text.bytes().filter(|b| *b == b'\n').count() + 1
}

/// Where each line of `text` starts.
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::line_starts as starts;

    #[test]
    fn a_window_holds_the_view_and_a_margin_and_rebuilds_the_whole_text() {
        let text: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        let text: Rc<str> = text.into();
        let starts = starts(&text);
        let count = starts.len();
        let mut window = Window::around(text.clone(), &starts, 500, 540);
        assert_eq!((window.first, window.last), (440, 600));
        assert!(window.held().starts_with("line 440\n") && window.held().ends_with("line 599"));
        assert!(window.covers(500, 540, count));
        assert!(!window.covers(455, 495, count), "too close to the top edge");
        assert!(
            !window.covers(560, 590, count),
            "too close to the bottom edge"
        );
        // An edit in the window: the whole text is the same around it.
        let typed = window
            .held()
            .replacen("line 500", "line 500 edited\nnew line", 1);
        let whole = window.edited(&typed);
        assert_eq!(
            *whole,
            *text.replacen("line 500\n", "line 500 edited\nnew line\n", 1)
        );
        assert_eq!((window.first, window.last), (440, 601));
        // Selections map both ways.
        let at = whole.find("new line").unwrap();
        let utf16 = window.to_utf16(at).unwrap();
        assert_eq!(window.to_bytes(utf16), at);
        assert_eq!(window.to_utf16(3), None);
    }

    #[test]
    fn the_ends_of_the_text_are_held_without_slack() {
        let text: Rc<str> = "a\nb\nc\n".into();
        let starts = starts(&text);
        let window = Window::around(text.clone(), &starts, 0, 4);
        assert_eq!(
            (window.first, window.last, window.held()),
            (0, 4, "a\nb\nc\n")
        );
        assert!(window.covers(0, 4, 4));
        let end = Window::lines(text, &starts, 2, 4);
        assert_eq!(end.held(), "c\n");
    }
}
