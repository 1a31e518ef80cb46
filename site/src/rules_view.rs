//! The rule index and one page per rule, from the same pages the engine embeds.

use crate::app::set_on_change;
use crate::markdown;
use sciguard::report::{Pillar, Severity};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties: the search the address holds (`#/rules?q=pickle`).
#[derive(Properties, PartialEq)]
pub struct RuleIndexProps {
    /// The search as the address gives it; empty for none.
    #[prop_or_default]
    pub query: String,
}

/// Puts the search in the address, so that a reload or the back button restores it. It
/// replaces the current entry: each keystroke is not a page of its own.
fn keep_query_in_address(query: &str) {
    crate::embed::replace_address(&if query.is_empty() {
        "#/rules".to_string()
    } else {
        format!("#/rules?q={}", crate::embed::encode_component(query))
    });
}

/// Every rule, filterable by pillar and searchable by code or words.
#[function_component(RuleIndex)]
pub fn rule_index(props: &RuleIndexProps) -> Html {
    let query = use_state(|| props.query.clone());
    let pillar = use_state(String::new);
    let registry = crate::policies::registry();
    // Back to an address with another search (the back button) shows that search.
    {
        let query = query.clone();
        use_effect_with(props.query.clone(), move |from_address| {
            if *query != *from_address {
                query.set(from_address.clone());
            }
        });
    }
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            keep_query_in_address(&typed);
            query.set(typed);
        })
    };
    let on_pillar = set_on_change(&pillar);
    let needle = query.to_lowercase();
    let rows: Html = registry
        .rules()
        .filter(|(_, r)| pillar.is_empty() || r.pillar.key() == pillar.as_str())
        .filter(|(_, r)| {
            needle.is_empty()
                || r.code.to_lowercase().contains(&needle)
                || r.name.contains(&needle)
                || r.summary.to_lowercase().contains(&needle)
        })
        .map(|(_, r)| {
            html! {
                <li class="rule-row">
                    <a href={format!("#/rules/{}", r.code)}><code>{ &r.code }</code>{ " " }{ &r.name }</a>
                    <span class={classes!("sev", r.severity.key())}>{ severity_label(r.severity) }</span>
                    <span class="pillar-tag">{ r.pillar.title() }</span>
                    <p>{ &r.summary }</p>
                </li>
            }
        })
        .collect();
    html! {
        <section class="rules">
            <h1>{ "Rules" }</h1>
            <p class="table-date">{ advisory_note() }</p>
            <div class="filters">
                <label>{ "Search " }<input type="search" class="rule-search" placeholder="code or words" value={(*query).clone()} oninput={on_query} aria-label="Search rules" /></label>
                <label>{ "Pillar " }
                    <select onchange={on_pillar} aria-label="Filter by pillar">
                        <option value="" selected={pillar.is_empty()}>{ "All pillars" }</option>
                        { for Pillar::ALL.iter().map(|p| html!{ <option value={p.key()} selected={*pillar == p.key()}>{ p.title() }</option> }) }
                    </select>
                </label>
            </div>
            <ul class="rule-list">{ rows }</ul>
        </section>
    }
}

/// Which advisory table the version rules use, and its date.
pub fn advisory_note() -> String {
    let table = sciguard::config::advisories::AdvisoryTable::builtin();
    format!(
        "Known-vulnerable versions (SCI502, SCI503) are matched against the advisory table of {} ({} advisories from PYSEC, OSV and GHSA records).",
        table.date,
        table.advisories.len()
    )
}

/// A severity with a symbol, so that colour is not its only carrier.
pub fn severity_label(severity: Severity) -> String {
    let symbol = match severity {
        Severity::High => "▲",
        Severity::Medium => "◆",
        Severity::Low => "●",
        Severity::Info => "ℹ",
    };
    format!("{symbol} {}", severity.key())
}

/// Properties: the rule's code or name.
#[derive(Properties, PartialEq)]
pub struct RulePageProps {
    /// `SCI202` or `numpy-load-allow-pickle`.
    pub code: String,
}

/// One rule's page, with a button that opens its example in a playground tab.
#[function_component(RulePage)]
pub fn rule_page(props: &RulePageProps) -> Html {
    let registry = crate::policies::registry();
    let Some(id) = registry.find(&props.code) else {
        return html! { <section><h1>{ "No such rule" }</h1><p>{ format!("There is no rule {}. ", props.code) }<a href="#/rules">{ "See all rules" }</a></p></section> };
    };
    let rule = registry.rule(id);
    let body = markdown::render(
        &rule.render_markdown(),
        &format!("#/rules/{}", rule.code),
        registry,
    );
    let example = rule
        .example_file("Example")
        .map(|(name, text)| (name.to_string(), text.to_string()));
    let try_it = example.map(|(name, code)| {
        // Python examples keep their old tab name; a config example opens as the file it
        // stands for (`SCI504-example/pip.conf`), so its kind is detected from the name.
        let path = match name.strip_suffix(".py") {
            Some(_) => format!("{}-example.py", rule.code),
            None => format!("{}-example/{name}", rule.code),
        };
        let onclick = Callback::from(move |_| {
            crate::workspace::open(sciguard::SourceFile {
                path: path.clone(),
                text: code.clone(),
                kind: None,
                display: None,
            });
            crate::app::navigate("#/");
        });
        html! { <button class="primary try-it" {onclick}>{ "Try it in the playground" }</button> }
    });
    html! {
        <article class="prose rule-page">
            <p class="crumbs"><a href="#/rules">{ "Rules" }</a>{ " / " }{ &rule.code }</p>
            { for try_it }
            { Html::from_html_unchecked(AttrValue::from(body)) }
        </article>
    }
}
