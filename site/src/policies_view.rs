//! The "Organisation policies" page: policy files pasted or opened here, kept in this
//! browser, listed with what each defines or why it was left out, and removable.
//! Checks, rule pages, the scorecard and the checklist then use them as built-in rules.

use crate::opening;
use crate::policies::{self, PolicyFile};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The example policies shipped with sciguard, to start from.
const EXAMPLES: [(&str, &str); 2] = [
    (
        "ORG001-requests-timeout-and-ca-bundle.md",
        include_str!("../../playbooks/organisation/ORG001-requests-timeout-and-ca-bundle.md"),
    ),
    (
        "ORG002-read-csv-over-http.md",
        include_str!("../../playbooks/organisation/ORG002-read-csv-over-http.md"),
    ),
];

/// Adds a file, replacing one of the same name.
fn with_file(mut files: Vec<PolicyFile>, file: PolicyFile) -> Vec<PolicyFile> {
    match files.iter_mut().find(|f| f.name == file.name) {
        Some(same) => *same = file,
        None => files.push(file),
    }
    files
}

/// The policies page.
#[function_component(PoliciesPage)]
pub fn policies_page() -> Html {
    let files = use_state(policies::load_kept);
    // Each file is compiled once per edit of the list, not on each redraw (typing in the
    // editor below redraws the page).
    let described = use_memo((*files).clone(), |files| {
        files.iter().map(policies::describe).collect::<Vec<_>>()
    });
    let name = use_state(String::new);
    let content = use_state(String::new);
    let notice = use_state(|| None::<String>);
    let files_input = use_node_ref();

    // Every change is kept at once; a refusal is said, never hidden.
    let save = {
        let (files, notice) = (files.clone(), notice.clone());
        Callback::from(move |(next, done): (Vec<PolicyFile>, String)| {
            match policies::keep(&next) {
                Ok(()) => notice.set(Some(done)),
                Err(why) => notice.set(Some(format!("Not kept in this browser: {why}."))),
            }
            files.set(next);
        })
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            name.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_content = {
        let content = content.clone();
        Callback::from(move |e: InputEvent| {
            content.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_add = {
        let (files, name, content, save, notice) = (
            files.clone(),
            name.clone(),
            content.clone(),
            save.clone(),
            notice.clone(),
        );
        Callback::from(move |_| {
            if content.trim().is_empty() {
                notice.set(Some("Paste a policy file first.".into()));
                return;
            }
            let given = name.trim();
            let file_name = if given.is_empty() {
                "pasted-policy.md".to_string()
            } else {
                given.to_string()
            };
            let file = PolicyFile {
                name: file_name.clone(),
                content: (*content).clone(),
            };
            save.emit((
                with_file((*files).clone(), file),
                format!("Added {file_name}."),
            ));
            name.set(String::new());
            content.set(String::new());
        })
    };
    let on_open = {
        let (files, save) = (files.clone(), save.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(list) = input.files() else {
                return;
            };
            let picked = opening::from_file_list(&list);
            input.set_value("");
            let (files, save) = (files.clone(), save.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut next = (*files).clone();
                let mut said = Vec::new();
                for (path, file) in picked {
                    let name = path.rsplit('/').next().unwrap_or(&path).to_string();
                    match opening::read_as_text(&file).await {
                        Ok(content) => {
                            said.push(format!("added {name}"));
                            next = with_file(next, PolicyFile { name, content });
                        }
                        Err(why) => said.push(format!("{name} {why}")),
                    }
                }
                save.emit((next, format!("Opened: {}.", said.join("; "))));
            });
        })
    };
    let on_examples = {
        let (files, save) = (files.clone(), save.clone());
        Callback::from(move |_| {
            let next = EXAMPLES.iter().fold((*files).clone(), |all, (name, text)| {
                with_file(
                    all,
                    PolicyFile {
                        name: name.to_string(),
                        content: text.to_string(),
                    },
                )
            });
            save.emit((next, "Added the two example policies.".into()));
        })
    };
    let click_open = {
        let input = files_input.clone();
        Callback::from(move |_| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };

    let rows: Html = files
        .iter()
        .zip(described.iter())
        .map(|(file, described)| {
            let on_remove = {
                let (files, save, name) = (files.clone(), save.clone(), file.name.clone());
                Callback::from(move |_| {
                    let next: Vec<PolicyFile> =
                        files.iter().filter(|f| f.name != name).cloned().collect();
                    save.emit((next, format!("Removed {name}.")));
                })
            };
            let on_edit = {
                let (name, content, file) = (name.clone(), content.clone(), file.clone());
                Callback::from(move |_| {
                    name.set(file.name.clone());
                    content.set(file.content.clone());
                })
            };
            let what = match described.clone() {
                Ok((code, rule)) => html! {
                    <span class="policy-ok"><a href={format!("#/rules/{code}")}><code>{ code }</code>{ " " }{ rule }</a></span>
                },
                Err(why) => html! { <span class="policy-error" role="note">{ format!("Not loaded: {why}") }</span> },
            };
            html! {
                <li class="policy-row" data-name={file.name.clone()}>
                    <span class="policy-name">{ &file.name }</span>
                    { what }
                    <button class="policy-edit" onclick={on_edit} aria-label={format!("Edit {}", file.name)}>{ "Edit" }</button>
                    <button class="policy-remove" onclick={on_remove} aria-label={format!("Remove {}", file.name)}>{ "Remove" }</button>
                </li>
            }
        })
        .collect();

    html! {
        <section class="policies prose">
            <h1>{ "Organisation policies" }</h1>
            <p>{ "Add your team's own practices as rules. A policy file has the same format as the playbook's rule pages: TOML front matter between " }<code>{ "+++" }</code>{ " lines with the rule's code (" }<code>{ "ORG" }</code>{ " and up to six digits), name, pillar, severity and " }<code>{ "[[policy]]" }</code>{ " tables, then the page in Markdown. Policies are kept in this browser only; checks in the playground, the rule pages, the scorecard and the checklist use them like built-in rules." }</p>
            <p>{ "The same files work everywhere: " }<code>{ "sciguard check --policy FILE_OR_DIR" }</code>{ ", " }<code>{ "[tool.sciguard] policies = [\"policies/\"]" }</code>{ " in pyproject.toml, the JS package's " }<code>{ "policies" }</code>{ " option, and an embed's " }<code>{ "policy=" }</code>{ " option for a file hosted next to the site." }</p>
            { for notice.as_ref().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
            <h2>{ "Policies in this browser" }</h2>
            if files.is_empty() {
                <p class="empty">{ "None yet." }</p>
            } else {
                <ul class="policy-list">{ rows }</ul>
            }
            <h2>{ "Add a policy" }</h2>
            <div class="policy-form">
                <label>{ "File name " }<input class="policy-file-name" type="text" placeholder="ORG100-no-http-datasets.md" value={(*name).clone()} oninput={on_name} /></label>
                <label class="policy-text-label">{ "Policy file" }
                    <textarea class="policy-text" rows="14" spellcheck="false" value={(*content).clone()} oninput={on_content}
                        placeholder="+++\ncode = \"ORG100\"\nname = \"…\"\n…\n+++\n\n## What it does\n…" />
                </label>
                <div class="policy-actions">
                    <button class="primary policy-add" onclick={on_add}>{ "Add policy" }</button>
                    <button class="policy-open" onclick={click_open}>{ "Open policy files…" }</button>
                    <input ref={files_input} class="visually-hidden policy-files" type="file" multiple=true accept=".md,text/markdown,text/plain" tabindex="-1" aria-hidden="true" onchange={on_open} />
                    <button class="policy-examples" onclick={on_examples}>{ "Add the two example policies" }</button>
                </div>
            </div>
        </section>
    }
}
