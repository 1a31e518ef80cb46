//! Layout and hash routing (`#/`, `#/playbook`, `#/rules`, `#/rules/SCI202`,
//! `#/checklist`, `#/learn`, `#/policies`, `#/embedding`, and `#/embed?…` for frames), which
//! works from any static host and any sub-path.

use crate::{
    checklist_view::ChecklistPage,
    embed::Embed,
    embedding_view::EmbeddingPage,
    learn::LearnPage,
    playbook::Playbook,
    playground::Playground,
    policies_view::PoliciesPage,
    rules_view::{RuleIndex, RulePage},
};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// Where the user is.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// The playground, optionally opened with a share link: a bundle of tabs and
    /// settings (`s=`), or, from links made before tabs, one text with its file name and
    /// kind (`code=`, `name=`, `kind=`).
    Playground {
        shared: Option<String>,
        name: Option<String>,
        kind: Option<String>,
        bundle: Option<String>,
    },
    /// The practices playbook, optionally at a section.
    Playbook { section: Option<String> },
    /// The rule index, with the search typed in it (`#/rules?q=pickle`).
    Rules { query: String },
    /// One rule's page.
    Rule(String),
    /// The rollout checklist for what the playground holds.
    Checklist,
    /// The editor and findings alone, for an `<iframe>`; the fragment's query.
    Embed(String),
    /// How to embed sciguard in a wiki: the snippet builder.
    Embedding,
    /// The organisation's policy files kept in this browser.
    Policies,
    /// Exercises for new contributors, one per pillar.
    Learn,
    /// A fragment that names no page.
    NotFound(String),
}

/// A parameter of a fragment's query (`q` in `q=pickle&x=1`), as written.
fn param(query: &str, key: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .map(str::to_string)
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
            ("rules", _) => Route::Rules {
                query: param(query, "q")
                    .map(|q| crate::embed::decode_component(&q))
                    .unwrap_or_default(),
            },
            ("checklist", _) => Route::Checklist,
            ("embed", _) => Route::Embed(query.to_string()),
            ("embedding", _) => Route::Embedding,
            ("policies", _) => Route::Policies,
            ("learn", _) => Route::Learn,
            ("", _) => Route::Playground {
                shared: param(query, "code"),
                name: param(query, "name").map(|n| crate::embed::decode_component(&n)),
                kind: param(query, "kind"),
                bundle: param(query, "s"),
            },
            (other, _) => Route::NotFound(other.to_string()),
        }
    }
}

impl Route {
    /// The document title while the route is shown.
    pub fn title(&self) -> String {
        let page = match self {
            Route::Playground { .. } => "Playground".to_string(),
            Route::Playbook { .. } => "Playbook".to_string(),
            Route::Rules { .. } => "Rules".to_string(),
            Route::Rule(code) => format!("{code} rule"),
            Route::Checklist => "Rollout checklist".to_string(),
            Route::Embed(_) => "Check".to_string(),
            Route::Embedding => "Embed in your wiki".to_string(),
            Route::Policies => "Organisation policies".to_string(),
            Route::Learn => "Learn".to_string(),
            Route::NotFound(_) => "Page not found".to_string(),
        };
        format!("{page} · sciguard")
    }
}

/// Moves the focus to the page's heading once it is drawn, without scrolling.
fn focus_heading() {
    gloo_timers::callback::Timeout::new(0, || {
        let Some(heading) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("main h1").ok().flatten())
            .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let _ = heading.set_attribute("tabindex", "-1");
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = heading.focus_with_options(&options);
    })
    .forget();
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
            crate::listen(web_sys::window().map(Into::into), "hashchange", listener)
        });
    }
    // Each route has its own title; a navigation starts at the top of the new page, with
    // the focus on its heading (not on the first load: the reader has not moved yet).
    {
        let first = use_mut_ref(|| true);
        use_effect_with((*route).clone(), move |route| {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&route.title());
            }
            let navigated = !std::mem::replace(&mut *first.borrow_mut(), false);
            let keeps_place = matches!(
                route,
                Route::Embed(_) | Route::Playbook { section: Some(_) }
            );
            if navigated && !keeps_place {
                if let Some(window) = web_sys::window() {
                    window.scroll_to_with_x_and_y(0.0, 0.0);
                }
                focus_heading();
            }
        });
    }
    if let Route::Embed(query) = &*route {
        return html! { <Embed query={query.clone()} /> };
    }
    let page = match (*route).clone() {
        Route::Playground {
            shared,
            name,
            kind,
            bundle,
        } => html! { <Playground {shared} {name} {kind} {bundle} /> },
        Route::Playbook { section } => html! { <Playbook {section} /> },
        Route::Rules { query } => html! { <RuleIndex {query} /> },
        Route::Rule(code) => html! { <RulePage {code} /> },
        Route::Checklist => html! { <ChecklistPage /> },
        Route::Embedding => html! { <EmbeddingPage /> },
        Route::Policies => html! { <PoliciesPage /> },
        Route::Learn => html! { <LearnPage /> },
        Route::Embed(_) => html! {},
        Route::NotFound(path) => html! {
            <section class="not-found">
                <h1>{ "Page not found" }</h1>
                <p>{ format!("There is no page “{path}” here. ") }<a href="#/">{ "Go to the playground" }</a>{ ", or see the " }<a href="#/rules">{ "rules" }</a>{ "." }</p>
            </section>
        },
    };
    let active = |name: &str| match (&*route, name) {
        (Route::Playground { .. }, "playground") | (Route::Playbook { .. }, "playbook") => "active",
        (Route::Rules { .. } | Route::Rule(_), "rules") | (Route::Checklist, "checklist") => {
            "active"
        }
        (Route::Learn, "learn")
        | (Route::Policies, "policies")
        | (Route::Embedding, "embedding") => "active",
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
                    <a class={active("learn")} href="#/learn">{ "Learn" }</a>
                    <a class={active("policies")} href="#/policies">{ "Organisation policies" }</a>
                    <a class={active("embedding")} href="#/embedding">{ "Embed in your wiki" }</a>
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
        let playground =
            |shared: Option<&str>, name: Option<&str>, kind: Option<&str>| Route::Playground {
                shared: shared.map(Into::into),
                name: name.map(Into::into),
                kind: kind.map(Into::into),
                bundle: None,
            };
        assert_eq!(Route::parse(""), playground(None, None, None));
        assert_eq!(
            Route::parse("#/?code=abc"),
            playground(Some("abc"), None, None)
        );
        assert_eq!(
            Route::parse("#/?code=abc&name=dev%20requirements.txt&kind=requirements"),
            playground(
                Some("abc"),
                Some("dev requirements.txt"),
                Some("requirements")
            )
        );
        assert_eq!(
            Route::parse("#/embed?example=2&readonly=1"),
            Route::Embed("example=2&readonly=1".into())
        );
        assert_eq!(Route::parse("#/learn"), Route::Learn);
        assert_eq!(Route::parse("#/policies"), Route::Policies);
        assert_eq!(Route::parse("#/embedding"), Route::Embedding);
        assert_eq!(Route::parse("#/nope"), Route::NotFound("nope".into()));
        assert_eq!(Route::parse("#/"), playground(None, None, None));
        assert_eq!(
            Route::parse("#/playbook/why"),
            Route::Playbook {
                section: Some("why".into())
            }
        );
        let rules = |q: &str| Route::Rules { query: q.into() };
        assert_eq!(Route::parse("#/rules"), rules(""));
        assert_eq!(Route::parse("#/rules?q=pickle"), rules("pickle"));
        assert_eq!(
            Route::parse("#/rules?q=allow%20pickle"),
            rules("allow pickle")
        );
        assert_eq!(
            Route::parse("#/?s=abc"),
            Route::Playground {
                shared: None,
                name: None,
                kind: None,
                bundle: Some("abc".into()),
            }
        );
        assert_eq!(Route::parse("#/rules/SCI202"), Route::Rule("SCI202".into()));
        assert_eq!(Route::parse("#/checklist"), Route::Checklist);
    }
}
