//! The pillar scorecard (findings weighted by severity per 1,000 lines, and the level
//! they map to), shown on the playground and the checklist page. The numbers come from
//! `sciguard::checklist::Scorecard`, the same as the CLI's.

use crate::checklist_view::inline_code;
use sciguard::checklist::Scorecard;
use std::rc::Rc;
use yew::prelude::*;

/// Properties: the scorecard, and whether to spell out each pillar's signals.
#[derive(Properties, PartialEq)]
pub struct ScorecardProps {
    /// The numbers to show.
    pub card: Rc<Scorecard>,
    /// Show "what good looks like" under each pillar (otherwise it is a tooltip).
    #[prop_or_default]
    pub detailed: bool,
}

/// One tile per pillar: level, weighted findings per 1,000 lines, count.
#[function_component(ScorecardView)]
pub fn scorecard_view(props: &ScorecardProps) -> Html {
    let card = &props.card;
    html! {
        <section class="scorecard" aria-label="Pillar scorecard">
            { for card.pillars.iter().map(|score| html! {
                <div class={classes!("score-tile", score.level.key())} data-pillar={score.pillar.key()}
                    title={(!props.detailed).then(|| format!("What good looks like: {}", score.signal))}>
                    <span class="score-pillar">{ score.pillar.title() }</span>
                    <span class="score-level">{ score.level.label() }</span>
                    <span class="score-numbers">{ format!("{:.1} per 1,000 lines · {} finding{}", score.per_kloc, score.findings, if score.findings == 1 { "" } else { "s" }) }</span>
                    { for props.detailed.then(|| html! { <span class="score-signal">{ inline_code(&score.signal) }</span> }) }
                </div>
            }) }
            <p class="score-note">{ format!(
                "Weighted by severity (high 10, medium 5, low 2) over {} line{}{}.",
                card.lines,
                if card.lines == 1 { "" } else { "s" },
                match card.syntax_errors {
                    0 => String::new(),
                    1 => "; 1 syntax error counted apart".to_string(),
                    n => format!("; {n} syntax errors counted apart"),
                }
            ) }</p>
        </section>
    }
}
