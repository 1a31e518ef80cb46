//! "Embed in your wiki": builds the `<iframe>` snippet for an embed from the reader's
//! choices, previews it, and says how to paste it into common wikis and how to host
//! the site on an intranet.

use crate::app::set_on_change;
use crate::embed::{EmbedOptions, Theme};
use crate::findings_view::Details;
use crate::playground::EXAMPLES;
use sciguard::input::SourceKind;
use wasm_bindgen::prelude::*;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The snippet's frame height before the first height message arrives (CSS px).
const START_HEIGHT: u32 = 480;

/// The `<iframe>` and the listener that sizes it from the embed's height messages.
pub fn snippet(src: &str, id: &str, origin: &str) -> String {
    format!(
        r#"<iframe id="{id}" src="{src}" title="sciguard: checks for scientific Python" width="100%" height="{START_HEIGHT}" style="border:0" allow="clipboard-write"></iframe>
<script>
  // Fits the frame to its content: sciguard posts {{source, type, height, id}}.
  window.addEventListener("message", function (event) {{
    var data = event.data;
    if (event.origin !== "{origin}" || !data || data.source !== "sciguard" || data.type !== "height") return;
    var frame = document.getElementById(data.id);
    if (frame) frame.style.height = data.height + "px";
  }});
</script>"#,
        src = src.replace('"', "%22"),
    )
}

fn page_location() -> (String, String) {
    let base = crate::embed::page_base();
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    (base, origin)
}

fn text_input(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        state.set(e.target_unchecked_into::<HtmlInputElement>().value())
    })
}

/// The snippet builder and the how-to.
#[function_component(EmbeddingPage)]
pub fn embedding_page() -> Html {
    let source = use_state(|| "1".to_string());
    let name = use_state(|| "example.py".to_string());
    let kind = use_state(|| "auto".to_string());
    let select = use_state(String::new);
    let ignore = use_state(String::new);
    let readonly = use_state(|| false);
    let theme = use_state(|| "auto".to_string());
    let details = use_state(|| "full".to_string());
    let frame_id = use_state(|| "sciguard-1".to_string());
    let policy = use_state(String::new);
    let copied = use_state(|| None::<Option<String>>);
    let preview = use_node_ref();

    // The preview is sized by the same height messages the snippet's script reads.
    {
        let preview = preview.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(
                move |event: web_sys::MessageEvent| {
                    let data = event.data();
                    let field = |k: &str| js_sys::Reflect::get(&data, &k.into()).ok();
                    let ours = field("source").and_then(|v| v.as_string()).as_deref()
                        == Some("sciguard")
                        && field("type").and_then(|v| v.as_string()).as_deref() == Some("height");
                    let Some(frame) = preview.cast::<web_sys::HtmlIFrameElement>() else {
                        return;
                    };
                    let from_preview = frame.content_window().is_some_and(|w| {
                        event
                            .source()
                            .is_some_and(|s| JsValue::from(s) == JsValue::from(w))
                    });
                    if let (true, true, Some(height)) =
                        (ours, from_preview, field("height").and_then(|v| v.as_f64()))
                    {
                        frame.set_height(&format!("{}", height.ceil() as u32));
                    }
                },
            );
            crate::listen(web_sys::window().map(Into::into), "message", listener)
        });
    }

    let text = match source.as_str() {
        "playground" => crate::workspace::load_kept()
            .and_then(|k| k.files.into_iter().nth(k.active).map(|f| f.text))
            .unwrap_or_default(),
        n => {
            let i = n.parse::<usize>().unwrap_or(1).clamp(1, EXAMPLES.len()) - 1;
            EXAMPLES[i].1.to_string()
        }
    };
    let split = |s: &str| {
        s.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let options = EmbedOptions {
        text,
        name: name.trim().to_string(),
        kind: SourceKind::from_key(&kind),
        select: (!select.trim().is_empty()).then(|| split(&select)),
        ignore: split(&ignore),
        readonly: *readonly,
        theme: match theme.as_str() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::Auto,
        },
        details: if *details == "compact" {
            Details::Compact
        } else {
            Details::Full
        },
        id: Some(frame_id.trim().to_string()).filter(|s| !s.is_empty()),
        policies: split(&policy),
        problems: Vec::new(),
    };
    let (base, origin) = page_location();
    let src = format!("{base}#/embed?{}", options.to_query());
    let code = snippet(&src, options.id.as_deref().unwrap_or("sciguard-1"), &origin);

    let on_copy = {
        let (copied, code) = (copied.clone(), code.clone());
        Callback::from(move |_| {
            let (copied, code) = (copied.clone(), code.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = crate::clipboard::copy(&code).await;
                copied.set(Some(outcome.err()));
            });
        })
    };
    let on_readonly = {
        let readonly = readonly.clone();
        Callback::from(move |e: Event| {
            readonly.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };

    html! {
        <section class="embedding prose">
            <h1>{ "Embed in your wiki" }</h1>
            <p>{ "Put a live sciguard check on a wiki page, a developer portal or an onboarding guide. The frame shows an editor and its findings only; everything runs in the reader's browser, and the frame never scrolls the page around it." }</p>
            <h2>{ "Choose what it shows" }</h2>
            <div class="embed-form">
                <label>{ "Text " }
                    <select class="embed-source" onchange={set_on_change(&source)}>
                        { for EXAMPLES.iter().enumerate().map(|(i, (title, _))| html! {
                            <option value={(i + 1).to_string()} selected={*source == (i + 1).to_string()}>{ format!("Example: {title}") }</option>
                        }) }
                        <option value="playground" selected={*source == "playground"}>{ "The playground's open tab" }</option>
                    </select>
                </label>
                <label>{ "File name " }<input class="embed-name-input" type="text" value={(*name).clone()} oninput={text_input(&name)} /></label>
                <label>{ "Kind " }
                    <select class="embed-kind" onchange={set_on_change(&kind)}>
                        <option value="auto" selected={*kind == "auto"}>{ "Detect" }</option>
                        { for SourceKind::ALL.iter().map(|k| html! { <option value={k.key()} selected={*kind == k.key()}>{ k.label() }</option> }) }
                    </select>
                </label>
                <label>{ "Rules " }<input class="embed-select" type="text" placeholder="all (or SCI2, edges, ORG…)" value={(*select).clone()} oninput={text_input(&select)} /></label>
                <label>{ "Ignore " }<input class="embed-ignore" type="text" placeholder="SCI404, …" value={(*ignore).clone()} oninput={text_input(&ignore)} /></label>
                <label><input class="embed-readonly" type="checkbox" checked={*readonly} onchange={on_readonly} />{ " Read-only" }</label>
                <label>{ "Theme " }
                    <select class="embed-theme" onchange={set_on_change(&theme)}>
                        { for [("auto", "Follow the reader's setting"), ("light", "Light"), ("dark", "Dark")].iter().map(|(k, l)| html! { <option value={*k} selected={*theme == *k}>{ *l }</option> }) }
                    </select>
                </label>
                <label>{ "Details " }
                    <select class="embed-details" onchange={set_on_change(&details)}>
                        <option value="full" selected={*details == "full"}>{ "Full (why and how to fix)" }</option>
                        <option value="compact" selected={*details == "compact"}>{ "Compact" }</option>
                    </select>
                </label>
                <label>{ "Frame id " }<input class="embed-id" type="text" value={(*frame_id).clone()} oninput={text_input(&frame_id)} /></label>
                <label>{ "Policy files next to the site " }<input class="embed-policy" type="text" placeholder="policies/ORG100.md" value={(*policy).clone()} oninput={text_input(&policy)} /></label>
            </div>
            <h2>{ "The snippet" }</h2>
            <pre class="snippet" tabindex="0"><code>{ code.clone() }</code></pre>
            <p><button class="primary copy-snippet" onclick={on_copy}>{ "Copy the snippet" }</button>{ " " }
                <a class="embed-open" href={src.clone()} target="_blank" rel="noopener">{ "Open the embed on its own" }</a></p>
            { for copied.as_ref().map(|refused| html! { <p class="notice" role="status">{ match refused {
                None => "Copied.".to_string(),
                Some(why) => format!("Not copied: {why}. Select the snippet above and copy it."),
            } }</p> }) }
            <p>{ "The frame posts " }<code>{ "{ source: \"sciguard\", type: \"height\", height, id }" }</code>{ " to its parent whenever its content's height changes; the script above sets the frame's height from it. Where a wiki strips scripts, the frame keeps its fixed height and scrolls inside itself." }</p>
            <h2>{ "Preview" }</h2>
            <iframe ref={preview} class="embed-preview" src={src} title="Preview of the embed" height={START_HEIGHT.to_string()} allow="clipboard-write"></iframe>
            <h2>{ "Pasting it into your wiki" }</h2>
            <h3>{ "Confluence" }</h3>
            <p>{ "Data Center and Server: insert the HTML macro (an administrator enables it under the system apps) and paste the whole snippet; or insert the iframe macro with the embed's address and a height. Cloud: type /iframe, paste the embed's address (the src above) and set a height; Cloud runs no page scripts, so the height stays fixed. Either way the wiki must be allowed to frame the site (see hosting, below)." }</p>
            <h3>{ "MediaWiki" }</h3>
            <p>{ "MediaWiki removes <iframe> and <script> from pages. Use an extension that allows them on trusted templates, such as Widgets (create Widget:Sciguard holding the snippet, then write {{#widget:Sciguard}} on the page), or ask an administrator for a protected page with raw HTML enabled." }</p>
            <h3>{ "MkDocs and Docusaurus" }</h3>
            <p>{ "MkDocs passes raw HTML through Markdown: paste the snippet into the page (with Material for MkDocs too). Docusaurus pages are MDX: write the frame as JSX, " }<code>{ "<iframe id=\"sciguard-1\" src=\"…\" title=\"sciguard\" width=\"100%\" height={480} style={{border: 0}} allow=\"clipboard-write\" />" }</code>{ ", and put the message listener in a small component's useEffect, or keep the fixed height." }</p>
            <h3>{ "A plain HTML page" }</h3>
            <p>{ "Paste the snippet where the check should appear." }</p>
            <h2>{ "Hosting the site on an intranet" }</h2>
            <p>{ "Build the static site with " }<code>{ "cargo xtask dist" }</code>{ " and copy the " }<code>{ "dist/" }</code>{ " folder to any static web server (nginx, Apache, an object-store bucket, GitLab or GitHub Pages); any sub-path works and nothing else is needed, since the page makes no request besides its own files. Serve " }<code>{ ".wasm" }</code>{ " as " }<code>{ "application/wasm" }</code>{ ". To let the wiki frame it, do not send " }<code>{ "X-Frame-Options: DENY" }</code>{ "; send " }<code>{ "Content-Security-Policy: frame-ancestors https://wiki.example.com" }</code>{ " naming your wiki instead. Organisation policy files placed next to " }<code>{ "index.html" }</code>{ " (for example " }<code>{ "dist/policies/ORG100.md" }</code>{ ") can be named in the snippet's policy option." }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_sizes_its_own_frame_and_checks_the_sender() {
        let code = snippet(
            "https://tools.example/sciguard/#/embed?example=2",
            "frame-7",
            "https://tools.example",
        );
        assert!(code.contains(
            r#"<iframe id="frame-7" src="https://tools.example/sciguard/#/embed?example=2""#
        ));
        assert!(code.contains(r#"allow="clipboard-write""#));
        assert!(code.contains(r#"event.origin !== "https://tools.example""#));
        assert!(code.contains("frame.style.height = data.height + \"px\""));
    }
}
