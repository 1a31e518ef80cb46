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
use crate::highlight::Lang;
use crate::rules_view::severity_label;
use gloo_timers::callback::Timeout;
use sciguard::input::SourceKind;
use sciguard::report::Finding;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

mod edits;
mod lines;
mod marks;
mod window;

use edits::{byte_offset, indent, TELL_NOW};
pub(crate) use edits::{edit_to, show_in_editor};
use lines::Layout;
use marks::markers;
use window::{line_count, Window, WINDOWED_FROM};

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

/// The page hears of typing once it pauses this long (ms) after the keystroke is on
/// screen, or when the editor loses the focus: a keystroke redraws the editor alone,
/// not the page around it.
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

/// Whether a text of `count` lines is windowed (see [`window`]).
fn windowed(count: usize) -> bool {
    (WINDOWED_FROM..=MAX_MARKED_LINES).contains(&count)
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

/// The lines to draw, `[first, last)`: they follow the scroll position, and a new
/// line count (a new text may have scrolled the editor before a scroll event arrives).
#[hook]
fn use_view(scroller: &NodeRef, count: usize) -> (usize, usize) {
    let view = use_state_eq(|| (0, 64));
    {
        let (scroller, view) = (scroller.clone(), view.setter());
        use_effect_with(scroller.clone(), move |_| {
            let target = scroller.cast::<Element>();
            let listener = Closure::<dyn Fn()>::new({
                let (scroller, view) = (scroller.clone(), view.clone());
                move || {
                    if let Some(v) = view_of(&scroller) {
                        view.set(v);
                    }
                }
            });
            crate::listen(target.map(Into::into), "scroll", listener)
        });
    }
    {
        let (scroller, view) = (scroller.clone(), view.setter());
        use_effect_with(count, move |_| {
            if let Some(v) = view_of(&scroller) {
                view.set(v);
            }
        });
    }
    *view
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
    /// Started once the keystroke is on screen (dropping it cancels it).
    timer: Option<Timeout>,
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
    // Where lines start and what they start in: after an edit, from the layout before it.
    let last_layout = use_mut_ref(|| None::<(Rc<str>, Lang, Rc<Layout>)>);
    let layout: Rc<Layout> = {
        let mut last = last_layout.borrow_mut();
        let layout = match last.as_ref() {
            Some((was, l, layout)) if *l == lang && Rc::ptr_eq(was, &text) => layout.clone(),
            Some((was, l, layout)) if *l == lang => Rc::new(layout.edited(lang, was, &text)),
            _ => Rc::new(Layout::of(lang, &text)),
        };
        *last = Some(((*text).clone(), lang, layout.clone()));
        layout
    };
    let markers = use_memo(
        (props.checked.clone(), (*text).clone()),
        |(checked, text)| markers(checked, text),
    );
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
    let is_windowed = windowed(layout.count());
    // What the textarea holds of a long text (see `window`); `None` when it holds all.
    let window = use_mut_ref(|| None::<Window>);

    // A new text from the page (not the typing it was told of) replaces what is shown.
    {
        let (area, typed, card, shown, untold, told, window) = (
            props.area.clone(),
            typed.clone(),
            card.clone(),
            text.clone(),
            untold.clone(),
            told.clone(),
            window.clone(),
        );
        use_effect_with(props.text.clone(), move |text| {
            let same = |t: &Option<Rc<str>>| t.as_ref().is_some_and(|t| Rc::ptr_eq(t, text));
            let ours = same(&typed.borrow()) || same(&told.borrow());
            if !ours {
                untold.borrow_mut().take();
                // A long text is put in the textarea a window at a time, once its lines
                // are known (the window effect below).
                *window.borrow_mut() = None;
                if let Some(element) = area.cast::<HtmlTextAreaElement>() {
                    if !windowed(line_count(text)) && *element.value() != **text {
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
        let (area, shown_in, text, window) = (
            props.area.clone(),
            shown_in.clone(),
            (*text).clone(),
            window.clone(),
        );
        use_effect(move || {
            let Some(element) = area.cast::<HtmlTextAreaElement>() else {
                return;
            };
            if shown_in.borrow().as_ref() != Some(&element) {
                *window.borrow_mut() = None;
                if !is_windowed && *element.value() != *text {
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

    let count = layout.count();
    let view = use_view(&props.scroller, count);
    let (first, last) = (view.0.min(count), view.1.min(count));
    // A long text's textarea holds the lines around the view: moved when the view nears
    // an edge of what it holds, or the text is new. The code area keeps the height of
    // all the lines, so that the scroll bar is the text's.
    {
        let (area, window, text, layout, code, scroller) = (
            props.area.clone(),
            window.clone(),
            (*text).clone(),
            layout.clone(),
            code.clone(),
            props.scroller.clone(),
        );
        use_effect(move || {
            let Some(element) = area.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let height = code.cast::<HtmlElement>().map(|c| c.style());
            if !is_windowed {
                if window.borrow_mut().take().is_some() {
                    element.set_value(&text);
                    window::set_top(&element, None);
                }
                if let Some(height) = height {
                    let _ = height.remove_property("min-height");
                }
                return;
            }
            if let Some(height) = height {
                let all = format!("{}px", count as i32 * LINE_HEIGHT + 2 * PADDING_TOP);
                if height.get_property_value("min-height").ok().as_deref() != Some(&all) {
                    let _ = height.set_property("min-height", &all);
                }
            }
            let mut held = window.borrow_mut();
            let focused = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_some_and(|a| a == *AsRef::<Element>::as_ref(&element));
            let selection = || {
                Some((
                    element.selection_start().ok()??,
                    element.selection_end().ok()??,
                ))
            };
            if let Some(w) = held.as_mut().filter(|w| Rc::ptr_eq(&w.text, &text)) {
                let selecting = focused && selection().is_some_and(|(a, b)| a != b);
                // A selection being made or held stays, unless the view left the window.
                let inside = first >= w.first && last <= w.last;
                if w.covers(first, last, count) || (selecting && inside) {
                    return;
                }
            }
            // The selection to keep, in bytes of the whole text.
            let keep = match held.as_mut() {
                Some(w) if Rc::ptr_eq(&w.text, &text) => selection()
                    .filter(|_| focused)
                    .map(|(a, b)| (w.to_bytes(a), w.to_bytes(b))),
                // The textarea held all of it (a paste made the text long).
                None if focused && *element.value() == *text => {
                    selection().map(|(a, b)| (byte_offset(&text, a), byte_offset(&text, b)))
                }
                _ => None,
            };
            let next = Window::around(text.clone(), &layout.starts, first, last);
            next.show(&element);
            if let Some((from, to)) = keep {
                match (next.to_utf16(from), next.to_utf16(to)) {
                    (Some(a), Some(b)) => drop(element.set_selection_range(a, b)),
                    // The caret was scrolled away from: typing waits for a click, rather
                    // than going where it cannot be seen.
                    _ if focused => drop(element.blur()),
                    _ => {}
                }
            }
            *held = Some(next);
            drop(held);
            window::register(&element, &window, scroller.cast::<Element>());
        });
    }
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
        let (on_input, typed, card, shown, untold, tell, window) = (
            props.on_input.clone(),
            typed.clone(),
            card.clone(),
            text.clone(),
            untold.clone(),
            tell.clone(),
            window.clone(),
        );
        Callback::from(move |e: InputEvent| {
            let kind = js_sys::Reflect::get(&e, &"inputType".into())
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            let value = area.value();
            // In a windowed textarea an edit changes the window; a value set by a script
            // (a plain `input` event, not one of ours) is the whole text.
            let mut held = window.borrow_mut();
            let text: Rc<str> = match held.as_mut() {
                Some(w) if !kind.is_empty() || TELL_NOW.get() => {
                    let whole = w.edited(&value);
                    w.fit(&area);
                    whole
                }
                Some(_) => {
                    *held = None;
                    value.into()
                }
                None => value.into(),
            };
            drop(held);
            *typed.borrow_mut() = Some(text.clone());
            shown.set(text.clone());
            card.set(None);
            *untold.borrow_mut() = Some(Untold {
                text: text.clone(),
                to: on_input.clone(),
                timer: None,
            });
            // The wait for a pause starts after the frame that shows this keystroke, so
            // that the page's redraw never holds that frame back.
            let after_frame = Closure::once_into_js({
                let (untold, tell) = (untold.clone(), tell.clone());
                move || {
                    let mut waiting = untold.borrow_mut();
                    if let Some(u) = waiting.as_mut().filter(|u| Rc::ptr_eq(&u.text, &text)) {
                        u.timer = Some(Timeout::new(TELL_PAGE_MS, move || tell()));
                    }
                }
            });
            let framed = web_sys::window()
                .and_then(|w| w.request_animation_frame(after_frame.unchecked_ref()).ok())
                .is_some();
            // Typing waits; pastes, drops, undo and edits made for the user (fixes,
            // `# noqa`, indentation) are told at once.
            if TELL_NOW.get() || !TYPING.contains(&kind.as_str()) || !framed {
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
        let (tab_released, card, window, scroller) = (
            tab_released.clone(),
            card.clone(),
            window.clone(),
            props.scroller.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            let released = tab_released.borrow();
            let command = e.ctrl_key() || e.meta_key();
            if command && window_keys(&e, &window, &scroller) {
                return;
            }
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
        let (card, markers, text, code, window) = (
            card.clone(),
            markers.clone(),
            (*text).clone(),
            code.clone(),
            window.clone(),
        );
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
            let at = match window.borrow().as_ref() {
                Some(w) => w.to_bytes(start),
                None => byte_offset(&text, start),
            };
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

    // The text a card's "Apply fix" gives: made once per card and text, not on each
    // render while the card is open (it applies the fix to the whole text). A fix's edits
    // are placed in the checked text, so it is offered only until the text changes.
    let card_fix = use_memo(
        (
            card.map(|c| c.marker),
            markers.clone(),
            props.checked.clone(),
            (*text).clone(),
        ),
        |(marker, markers, checked, text)| {
            let f = checked.findings.get(markers.get((*marker)?)?.finding)?;
            if *checked.text != **text {
                return None;
            }
            findings_view::fixed(text, f)
        },
    );

    if large {
        return html! {
            <div class="editor">
                <textarea ref={props.area.clone()} class="code large" spellcheck="false" wrap="off" readonly={props.readonly}
                    aria-label={props.label.clone()} rows="30" oninput={on_input} onblur={on_blur} />
            </div>
        };
    }

    let text = &**text;
    let numbers = lines::numbers(first..last, &layout, &markers, props.current);
    let lines = lines::drawn(first..last, text, &layout, lang, &markers, &props.checked);
    let card_html = card.and_then(|c| {
        let m = markers.get(c.marker)?;
        let f = props.checked.findings.get(m.finding)?;
        let unchanged = *props.checked.text == *text;
        let apply = props
            .apply
            .clone()
            .zip((*card_fix).clone())
            .map(|(apply, fixed)| Callback::from(move |_: MouseEvent| apply.emit(fixed.clone())));
        let waiting = f.fix.is_some() && !unchanged && props.apply.is_some();
        let row = layout.line_of(m.start) + 1;
        let pointer = (on_card_enter.clone(), on_card_leave.clone());
        Some(card_view(f, row, apply, waiting, &card_box, pointer))
    });

    html! {
        <div class="editor">
            <div class="gutter" aria-hidden="true"><div class="window" ref={numbers_box}>{ numbers }</div></div>
            <div class="code-wrap" ref={code}>
                <pre class="hl" aria-hidden="true" ref={overlay}><div class="window" ref={lines_box}>{ lines }</div></pre>
                <textarea ref={props.area.clone()} class="code" spellcheck="false" wrap="off" readonly={props.readonly}
                    aria-label={props.label.clone()} aria-describedby="editor-keys"
                    rows={if is_windowed { 1 } else { count }.to_string()} cols={(layout.columns + 2).to_string()}
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

/// Ctrl+A, Ctrl+Home and Ctrl+End in a windowed textarea, which would otherwise reach
/// only the lines it holds: select all of the text, or go to its start or end. Whether
/// the key was taken.
fn window_keys(
    e: &KeyboardEvent,
    window: &Rc<std::cell::RefCell<Option<Window>>>,
    scroller: &NodeRef,
) -> bool {
    let area = e.target_unchecked_into::<HtmlTextAreaElement>();
    let mut held = window.borrow_mut();
    let Some(w) = held.as_mut() else {
        return false;
    };
    match e.key().as_str() {
        "a" | "A" if !e.shift_key() && !e.alt_key() => {
            e.prevent_default();
            // The window becomes the whole text while something is selected.
            let whole = Window::whole(w.text.clone());
            whole.show(&area);
            area.select();
            *w = whole;
            true
        }
        key @ ("Home" | "End") if !e.alt_key() => {
            e.prevent_default();
            let at = if key == "Home" { 0 } else { w.text.len() };
            let (from, to) = match (e.shift_key(), area.selection_start(), area.selection_end()) {
                // Shift extends the selection from its start (or to its end).
                (true, Ok(Some(a)), Ok(Some(_))) if key == "End" => (w.to_bytes(a), at),
                (true, Ok(Some(_)), Ok(Some(b))) => (at, w.to_bytes(b)),
                _ => (at, at),
            };
            w.hold(&area, at);
            if let (Some(a), Some(b)) = (w.to_utf16(from), w.to_utf16(to)) {
                let _ = area.set_selection_range(a, b);
            }
            drop(held);
            if let Some(scroller) = scroller.cast::<Element>() {
                let top = if key == "Home" {
                    0
                } else {
                    scroller.scroll_height()
                };
                scroller.set_scroll_top(top);
            }
            true
        }
        _ => false,
    }
}

/// The card of a finding on line `row`: its severity, code and message, and "Apply
/// fix" (`apply`) or a note that the fix waits for the check of the edited text.
fn card_view(
    f: &Finding,
    row: usize,
    apply: Option<Callback<MouseEvent>>,
    waiting: bool,
    node: &NodeRef,
    (on_enter, on_leave): (Callback<MouseEvent>, Callback<MouseEvent>),
) -> Html {
    html! {
        <div class="lint-card" ref={node.clone()} role="group" aria-label={format!("Finding on line {row}")}
            onmouseenter={on_enter} onmouseleave={on_leave}>
            <p class="card-head"><span class={classes!("sev", f.severity.key())}>{ severity_label(f.severity) }</span>
                { " " }<code>{ &f.code }</code>{ format!(" · line {row}") }</p>
            <p class="msg">{ inline_code(&f.message) }</p>
            { for apply.map(|onclick| html! { <button class="primary card-apply" {onclick}>{ "Apply fix" }</button> }) }
            { for waiting.then(|| html! { <p class="card-wait">{ "Checking the edited text…" }</p> }) }
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
}
