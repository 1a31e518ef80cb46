//! Layout and hash routing (`#/`, `#/playbook`, `#/rules`, `#/rules/SCI202`,
//! `#/checklist`), which
//! works from any static host and any sub-path.

use crate::{
    checklist_view::ChecklistPage,
    playbook::Playbook,
    playground::Playground,
    rules_view::{RuleIndex, RulePage},
};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// Where the user is.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// The playground, optionally opened with shared text.
    Playground { shared: Option<String> },
    /// The practices playbook, optionally at a section.
    Playbook { section: Option<String> },
    /// The rule index.
    Rules,
    /// One rule's page.
    Rule(String),
    /// The rollout checklist for what the playground holds.
    Checklist,
}

impl Route {
    /// Reads a location hash (`#/rules/SCI202`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let mut parts = path.splitn(2, '/');
        match (parts.next().unwrap_or(""), parts.next()) {
            ("playbook", section) => Route::Playbook {
                section: section.map(str::to_string),
            },
            ("rules", Some(code)) if !code.is_empty() => Route::Rule(code.to_string()),
            ("rules", _) => Route::Rules,
            ("checklist", _) => Route::Checklist,
            _ => Route::Playground {
                shared: query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("code="))
                    .map(str::to_string),
            },
        }
    }
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// A `<select>` change handler that stores the chosen value in `state`.
pub fn set_on_change(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        state.set(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        )
    })
}

/// Navigates to a route by setting the hash.
pub fn navigate(hash: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(hash);
    }
}

/// The whole app: header, navigation and the routed page.
#[function_component(App)]
pub fn app() -> Html {
    let route = use_state(|| Route::parse(&current_hash()));
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener =
                Closure::<dyn Fn()>::new(move || route.set(Route::parse(&current_hash())));
            let window = web_sys::window().expect("a page has a window");
            let _ = window
                .add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            move || {
                let _ = window.remove_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
                drop(listener);
            }
        });
    }
    let page = match (*route).clone() {
        Route::Playground { shared } => html! { <Playground {shared} /> },
        Route::Playbook { section } => html! { <Playbook {section} /> },
        Route::Rules => html! { <RuleIndex /> },
        Route::Rule(code) => html! { <RulePage {code} /> },
        Route::Checklist => html! { <ChecklistPage /> },
    };
    let active = |name: &str| match (&*route, name) {
        (Route::Playground { .. }, "playground") | (Route::Playbook { .. }, "playbook") => "active",
        (Route::Rules | Route::Rule(_), "rules") | (Route::Checklist, "checklist") => "active",
        _ => "",
    };
    html! {
        <>
            <header class="top">
                <a class="brand" href="#/">{ "sciguard" }</a>
                <nav aria-label="Main">
                    <a class={active("playground")} href="#/">{ "Playground" }</a>
                    <a class={active("playbook")} href="#/playbook">{ "Playbook" }</a>
                    <a class={active("rules")} href="#/rules">{ "Rules" }</a>
                    <a class={active("checklist")} href="#/checklist">{ "Checklist" }</a>
                </nav>
                <span class="privacy">{ "Runs in your browser: nothing you paste leaves this page." }</span>
            </header>
            <main id="main">{ page }</main>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(Route::parse(""), Route::Playground { shared: None });
        assert_eq!(
            Route::parse("#/?code=abc"),
            Route::Playground {
                shared: Some("abc".into())
            }
        );
        assert_eq!(
            Route::parse("#/playbook/why"),
            Route::Playbook {
                section: Some("why".into())
            }
        );
        assert_eq!(Route::parse("#/rules"), Route::Rules);
        assert_eq!(Route::parse("#/rules/SCI202"), Route::Rule("SCI202".into()));
        assert_eq!(Route::parse("#/checklist"), Route::Checklist);
    }
}
