//! The practices playbook, rendered from `playbooks/practices.md`.

use crate::markdown;
use sciguard::rules::Registry;
use yew::prelude::*;

// One copy of the playbook in the bundle: the rules crate embeds it for the scorecard.
const PRACTICES: &str = sciguard::checklist::scorecard::PRACTICES;

/// Properties: the section to scroll to.
#[derive(Properties, PartialEq)]
pub struct PlaybookProps {
    /// A heading anchor.
    pub section: Option<String>,
}

/// The playbook page.
#[function_component(Playbook)]
pub fn playbook(props: &PlaybookProps) -> Html {
    let html = use_memo((), |_| {
        markdown::render(PRACTICES, "#/playbook", Registry::builtin())
    });
    {
        let section = props.section.clone();
        use_effect_with(section, |section| {
            if let Some(id) = section {
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(id))
                {
                    el.scroll_into_view();
                }
            }
        });
    }
    html! {
        <article class="prose">
            <p class="learn-link">{ "New to these practices? " }<a href="#/learn">{ "Try one short exercise per pillar" }</a>{ " on the Learn page." }</p>
            { Html::from_html_unchecked(AttrValue::from((*html).clone())) }
        </article>
    }
}
