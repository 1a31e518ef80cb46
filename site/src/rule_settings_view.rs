//! The playground's settings pane: rules to select and ignore, the least severity
//! reported, and the `[tool.sciguard]` table that does the same on the command line.

use crate::rule_settings::{BadSelection, RuleSettings};
use sciguard::report::Severity;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties: the settings in force and where a valid change goes.
#[derive(Properties, PartialEq)]
pub struct RuleSettingsPaneProps {
    /// The settings in force.
    pub settings: RuleSettings,
    /// Called with settings whose every entry names a rule.
    pub on_change: Callback<RuleSettings>,
}

/// The settings pane, folded until opened (open on arrival when settings are in force).
#[function_component(RuleSettingsPane)]
pub fn rule_settings_pane(props: &RuleSettingsPaneProps) -> Html {
    // The lists as typed: an entry that names no rule stays in the field, with the
    // engine's message, while the last valid settings stay in force.
    let select_text = use_state(|| props.settings.select.join(", "));
    let ignore_text = use_state(|| props.settings.ignore.join(", "));
    let error = use_state(|| None::<BadSelection>);
    let copied = use_state(|| None::<Result<(), String>>);
    // Open on arrival when settings are in force; after that the reader folds it (were
    // it tied to the settings, clearing the last entry would fold it mid-typing).
    let open_at_first = *use_memo((), |_| !props.settings.is_default());
    // Settings from elsewhere (a share link) replace what the fields show.
    {
        let (select_text, ignore_text, error) =
            (select_text.clone(), ignore_text.clone(), error.clone());
        use_effect_with(props.settings.clone(), move |settings| {
            let typed = RuleSettings {
                select: RuleSettings::split(&select_text),
                ignore: RuleSettings::split(&ignore_text),
                severity: settings.severity,
            };
            if typed != *settings && error.is_none() {
                select_text.set(settings.select.join(", "));
                ignore_text.set(settings.ignore.join(", "));
            }
        });
    }
    let apply = {
        let (settings, on_change, error) = (
            props.settings.clone(),
            props.on_change.clone(),
            error.clone(),
        );
        let (select_text, ignore_text) = (select_text.clone(), ignore_text.clone());
        move |select: &str, ignore: &str, severity: Option<Severity>| {
            select_text.set(select.to_string());
            ignore_text.set(ignore.to_string());
            let next = RuleSettings {
                select: RuleSettings::split(select),
                ignore: RuleSettings::split(ignore),
                severity,
            };
            match next.check(crate::policies::registry()) {
                Ok(()) => {
                    error.set(None);
                    if next != settings {
                        on_change.emit(next);
                    }
                }
                Err(bad) => error.set(Some(bad)),
            }
        }
    };
    let on_select = {
        let (apply, ignore_text, severity) =
            (apply.clone(), ignore_text.clone(), props.settings.severity);
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            apply(&value, &ignore_text, severity);
        })
    };
    let on_ignore = {
        let (apply, select_text, severity) =
            (apply.clone(), select_text.clone(), props.settings.severity);
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            apply(&select_text, &value, severity);
        })
    };
    let on_severity = {
        let (apply, select_text, ignore_text) =
            (apply.clone(), select_text.clone(), ignore_text.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            apply(&select_text, &ignore_text, Severity::from_key(&value));
        })
    };
    let toml = props.settings.toml();
    let on_copy = {
        let (toml, copied) = (toml.clone(), copied.clone());
        Callback::from(move |_| {
            let (toml, copied) = (toml.clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(crate::clipboard::copy(&toml).await));
            });
        })
    };
    let invalid = |list: &str| error.as_ref().is_some_and(|e| e.list == list);
    let described = |list: &str| invalid(list).then(|| AttrValue::from("settings-error"));
    let in_force = if props.settings.is_default() {
        "every rule".to_string()
    } else {
        let mut parts = Vec::new();
        if !props.settings.select.is_empty() {
            parts.push(format!("only {}", props.settings.select.join(", ")));
        }
        if !props.settings.ignore.is_empty() {
            parts.push(format!("not {}", props.settings.ignore.join(", ")));
        }
        if let Some(least) = props.settings.severity {
            parts.push(format!("{} and above", least.key()));
        }
        parts.join("; ")
    };
    html! {
        <details class="settings-pane" open={open_at_first}>
            <summary>{ "Rule settings: " }<span class="settings-summary">{ in_force }</span></summary>
            <div class="settings-fields">
                <label>{ "Select " }
                    <input class="settings-select" value={(*select_text).clone()} oninput={on_select}
                        placeholder="all rules (e.g. SCI2, edges)" spellcheck="false"
                        aria-invalid={invalid("select").to_string()} aria-describedby={described("select")} />
                </label>
                <label>{ "Ignore " }
                    <input class="settings-ignore" value={(*ignore_text).clone()} oninput={on_ignore}
                        placeholder="none (e.g. SCI218)" spellcheck="false"
                        aria-invalid={invalid("ignore").to_string()} aria-describedby={described("ignore")} />
                </label>
                <label>{ "Least severity " }
                    <select class="settings-severity" onchange={on_severity}>
                        <option value="" selected={props.settings.severity.is_none()}>{ "all findings" }</option>
                        { for [Severity::Low, Severity::Medium, Severity::High].into_iter().map(|s| html! {
                            <option value={s.key()} selected={props.settings.severity == Some(s)}>{ format!("{} and above", s.key()) }</option>
                        }) }
                    </select>
                </label>
            </div>
            { for error.as_ref().map(|e| html! {
                <p id="settings-error" class="settings-error" role="alert">{ format!("{}: {} The settings in force are unchanged.", e.list, e.message) }</p>
            }) }
            <p class="settings-note">{ "Codes (SCI201), prefixes (SCI2), rule names or pillars, separated by commas. Kept in this browser and carried in share links. The same settings for " }<code>{ "sciguard check" }</code>{ ", in pyproject.toml:" }</p>
            <pre class="settings-toml" tabindex="0">{ toml }</pre>
            <button class="copy-toml" onclick={on_copy}>{ "Copy TOML" }</button>
            { for copied.as_ref().map(|outcome| html! {
                <span class="copy-outcome" role="status">{ match outcome {
                    Ok(()) => " Copied.".to_string(),
                    Err(why) => format!(" Not copied: {why}. Select the text and copy it yourself."),
                } }</span>
            }) }
        </details>
    }
}
