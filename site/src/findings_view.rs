//! Findings as the playground and the embed show them: a list grouped by pillar, and
//! the detail of the selected finding with the rule's advice and its fix.

use crate::checklist_view::inline_code;
use crate::markdown;
use crate::rules_view::severity_label;
use sciguard::report::{Applicability, Finding, Pillar};
use yew::prelude::*;

/// Where a finding is: "line 3", or "cell 2, line 3" in a notebook.
pub fn place(finding: &Finding) -> String {
    match finding.cell {
        Some(cell) => format!("cell {cell}, line {}", finding.span.start.row),
        None => format!("line {}", finding.span.start.row),
    }
}

/// The findings at `visible` (indexes into `findings`), grouped by pillar; a click
/// selects one by its index.
pub fn list(
    findings: &[Finding],
    visible: &[usize],
    selected: Option<usize>,
    select: &Callback<usize>,
) -> Html {
    Pillar::ALL
        .iter()
        .map(|pillar| {
            let items: Vec<usize> = visible
                .iter()
                .copied()
                .filter(|i| findings[*i].pillar == *pillar)
                .collect();
            if items.is_empty() {
                return html! {};
            }
            html! {
                <section class="group">
                    <h2>{ pillar.title() }</h2>
                    <ul>
                        { for items.into_iter().map(|i| {
                            let f = &findings[i];
                            let onclick = { let select = select.clone(); Callback::from(move |_| select.emit(i)) };
                            let class = classes!("finding", (selected == Some(i)).then_some("selected"));
                            html! {
                                <li>
                                    <button {class} {onclick} data-code={f.code.clone()} data-line={f.span.start.row.to_string()} data-cell={f.cell.map(|c| c.to_string())}>
                                        <span class={classes!("sev", f.severity.key())}>{ severity_label(f.severity) }</span>
                                        <span class="where">{ place(f) }</span>
                                        <code>{ &f.code }</code>
                                        <span class="msg">{ inline_code(&f.message) }</span>
                                    </button>
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }
        })
        .collect()
}

/// The text with the finding's fix applied, if it has one that applies.
pub fn fixed(text: &str, f: &Finding) -> Option<String> {
    let (fixed, applied) = sciguard::apply_fixes(text, std::slice::from_ref(f));
    (applied > 0).then_some(fixed)
}

/// How much of a finding's detail to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Details {
    /// The message, the fix and the rule link.
    Compact,
    /// Also the rule page's "why" and "how to fix".
    Full,
}

/// The detail of one finding in `text`. `apply` receives the fixed (or suppressed) text,
/// and is absent where the text cannot be edited; `python` says whether the text is
/// Python, where a `# noqa` comment can suppress the finding; `rule_href` is where the
/// rule's page is; `close` closes the detail (on a phone it is a sheet over the page).
pub fn detail(
    f: &Finding,
    text: &str,
    details: Details,
    apply: Option<Callback<String>>,
    python: bool,
    rule_href: String,
    close: Callback<MouseEvent>,
) -> Html {
    let registry = crate::policies::registry();
    let rule = registry.find(&f.code).map(|id| registry.rule(id));
    let section = |heading: &str| {
        (details == Details::Full)
            .then(|| rule.and_then(|r| r.section(heading)))
            .flatten()
            .map(|s| markdown::render(s, "#/playbook", registry))
    };
    let (why, how) = (section("Why is this bad?"), section("Use instead"));
    let diff = sciguard::fix::preview(text, f);
    let on_suppress = apply
        .clone()
        .filter(|_| python)
        .and_then(|apply| Some((apply, sciguard::project::suppress(text, f)?)))
        .map(|(apply, suppressed)| Callback::from(move |_| apply.emit(suppressed.clone())));
    let on_apply = apply.map(|apply| {
        let (text, finding) = (text.to_string(), f.clone());
        Callback::from(move |_| {
            if let Some(fixed) = fixed(&text, &finding) {
                apply.emit(fixed);
            }
        })
    });
    html! {
        <aside class="detail" aria-label="Finding details">
            <button class="close-detail" onclick={close} aria-keyshortcuts="Escape" title="Close (Esc)">{ "Close" }</button>
            <h2><code>{ &f.code }</code>{ " " }{ &f.name }</h2>
            <p class="meta"><span class={classes!("sev", f.severity.key())}>{ severity_label(f.severity) }</span>{ format!(" · {} · {}", f.pillar.title(), place(f)) }</p>
            <p class="msg">{ inline_code(&f.message) }</p>
            { for why.map(|h| html! { <><h3>{ "Why it matters" }</h3><div class="prose">{ Html::from_html_unchecked(AttrValue::from(h)) }</div></> }) }
            { for how.map(|h| html! { <><h3>{ "How to fix" }</h3><div class="prose">{ Html::from_html_unchecked(AttrValue::from(h)) }</div></> }) }
            { for f.fix.as_ref().zip(diff).map(|(fix, sciguard::fix::FixPreview { before, after })| html! {
                <div class="fix">
                    <h3>{ format!("Suggested fix ({})", if fix.applicability == Applicability::Safe { "safe" } else { "review it: it changes behaviour" }) }</h3>
                    <p>{ &fix.message }</p>
                    <pre class="diff" tabindex="0"><span class="del">{ before.lines().map(|l| format!("- {l}\n")).collect::<String>() }</span><span class="add">{ after.lines().map(|l| format!("+ {l}\n")).collect::<String>() }</span></pre>
                    { for on_apply.clone().map(|onclick| html! { <button class="primary apply-fix" {onclick}>{ "Apply fix" }</button> }) }
                </div>
            }) }
            { for on_suppress.map(|onclick| html! {
                <p class="suppress"><button class="suppress-noqa" {onclick} title={format!("Adds `# noqa: {}` to the end of line {}", f.code, f.span.start.row)}>{ "Suppress with # noqa" }</button>
                    { " when the code is right as it is; say why in the comment." }</p>
            }) }
            <p><a class="rule-link" href={rule_href}>{ format!("Read the {} rule page", f.code) }</a></p>
        </aside>
    }
}
