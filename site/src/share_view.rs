//! The playground's "Copy link" button and what it tells: the link copied (or why not),
//! or, for tabs too long for a link, a file to download instead. Also reads such files
//! back when they are opened.

use crate::share::{Bundle, BUNDLE_SUFFIX, MAX_LINK_CHARS};
use web_sys::File;
use yew::prelude::*;

/// Properties: how to gather what the link carries (done on click, so that the tabs'
/// texts are not copied on every render).
#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The tabs, settings and selected finding, gathered when the button is pressed.
    pub bundle: Callback<(), Bundle>,
}

/// What the last press gave.
#[derive(Clone, PartialEq)]
enum Outcome {
    /// The link, and why it could not be copied, if it could not.
    Link(String, Option<String>),
    /// The link would be this long; the bundle's JSON is offered as a file instead.
    TooLong(usize, String),
    /// The download could not be started.
    NotSaved(String),
}

/// The button and its outcome.
#[function_component(ShareBox)]
pub fn share_box(props: &ShareProps) -> Html {
    let outcome = use_state(|| None::<Outcome>);
    let on_share = {
        let (outcome, bundle) = (outcome.clone(), props.bundle.clone());
        Callback::from(move |_| {
            let bundle = bundle.emit(());
            let base = crate::embed::page_base();
            let link = format!("{base}{}", bundle.fragment());
            if link.len() > MAX_LINK_CHARS {
                outcome.set(Some(Outcome::TooLong(link.len(), bundle.to_json())));
                return;
            }
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let copied = crate::clipboard::copy(&link).await;
                outcome.set(Some(Outcome::Link(link, copied.err())));
            });
        })
    };
    let shown = match &*outcome {
        None => html! {},
        Some(Outcome::Link(link, refused)) => html! {
            <p class="share-row" role="status">{ match refused {
                None => "Link copied (every open tab, its name and kind, and the rule settings travel in the link, after #, and are never sent to a server): ".to_string(),
                Some(why) => format!("Not copied: {why}. Select the link and copy it yourself: "),
            } }
                <input class="share-link" readonly=true value={link.clone()} aria-label="Share link" /></p>
        },
        Some(Outcome::TooLong(chars, json)) => {
            let on_download = {
                let (outcome, json) = (outcome.clone(), json.clone());
                Callback::from(move |_| {
                    if let Err(why) =
                        crate::clipboard::download(DOWNLOAD_NAME, "application/json", &json)
                    {
                        outcome.set(Some(Outcome::NotSaved(why)));
                    }
                })
            };
            html! {
                <p class="share-row too-long" role="status">
                    { format!("These tabs make a link of {chars} characters, longer than the {MAX_LINK_CHARS} that mail, chat and wiki tools are sure to keep whole, so no link was copied. ") }
                    <button class="download-share" onclick={on_download}>{ "Download as file" }</button>
                    { format!(" (a {BUNDLE_SUFFIX} file: open it here with “Open files…” or drop it on the editor to get the same tabs and settings back)") }
                </p>
            }
        }
        Some(Outcome::NotSaved(why)) => html! {
            <p class="share-row" role="alert">{ format!("The file could not be saved: {why}.") }</p>
        },
    };
    html! {
        <>
            <button class="share" onclick={on_share} title="Copies a link holding every open tab with its name and kind, and the rule settings">{ "Copy link" }</button>
            { shown }
        </>
    }
}

/// Puts the settings a bundle carries in force, if it carries any (links made before
/// settings existed leave the receiver's alone); what to tell the user. `from` says
/// where the bundle came from ("a share link").
pub fn take_settings(bundle: &Bundle, from: &str) -> String {
    let n = bundle.files.len();
    let opened = format!(
        "Opened {n} tab{} from {from}",
        if n == 1 { "" } else { "s" }
    );
    let Some(settings) = &bundle.settings else {
        return format!("{opened}.");
    };
    // Settings from elsewhere are checked as the settings pane checks typed ones: an
    // entry that names no rule would silently select nothing.
    if let Err(bad) = settings.check(crate::policies::registry()) {
        return format!(
            "{opened}; its rule settings are not taken (`{}`: {}), so yours stay.",
            bad.list, bad.message
        );
    }
    match crate::rule_settings::set(settings.clone()) {
        Ok(()) if settings.is_default() => format!("{opened}, with every rule (its settings)."),
        Ok(()) => format!("{opened}, with its rule settings (see Rule settings)."),
        Err(why) => format!("{opened}, with its rule settings, which are not kept: {why}."),
    }
}

/// The name a downloaded bundle gets.
pub const DOWNLOAD_NAME: &str = "playground.sciguard.json";

/// Takes the downloaded bundles out of files being opened and reads them; the other
/// files are left to be opened as usual. A bundle that cannot be read is reported.
pub async fn take_bundles(files: &mut Vec<(String, File)>) -> (Vec<Bundle>, Vec<String>) {
    let (bundles, rest): (Vec<_>, Vec<_>) = std::mem::take(files)
        .into_iter()
        .partition(|(path, _)| path.ends_with(BUNDLE_SUFFIX));
    *files = rest;
    let mut read = Vec::new();
    let mut problems = Vec::new();
    for (path, file) in bundles {
        match crate::opening::read_as_text(&file).await {
            Ok(text) => match Bundle::from_json(&text) {
                Some(bundle) => read.push(bundle),
                None => problems.push(format!("{path} holds no playground tabs")),
            },
            Err(why) => problems.push(format!("{path} {why}")),
        }
    }
    (read, problems)
}
