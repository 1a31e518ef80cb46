//! Markdown to HTML for the playbook and rule pages: raw HTML is shown as text,
//! headings get anchors, and rule codes link to their pages.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use sciguard::rules::Registry;

/// A heading's anchor: lower-case words joined by dashes.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Splits text around rule codes that exist, linking each to its page.
fn link_codes(text: &str, registry: &Registry, out: &mut Vec<Event<'static>>) {
    let bytes = text.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i + 6 <= bytes.len() {
        let candidate = &text[i..];
        let is_code = candidate.starts_with("SCI")
            && bytes[i + 3..i + 6].iter().all(u8::is_ascii_digit)
            && bytes.get(i + 6).is_none_or(|b| !b.is_ascii_alphanumeric())
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if is_code && registry.find(&text[i..i + 6]).is_some() {
            out.push(Event::Text(CowStr::from(text[last..i].to_string())));
            let code = &text[i..i + 6];
            out.push(Event::Html(CowStr::from(format!(
                "<a class=\"rule-link\" href=\"#/rules/{code}\">{code}</a>"
            ))));
            i += 6;
            last = i;
        } else {
            i += candidate.chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push(Event::Text(CowStr::from(text[last..].to_string())));
}

/// Renders Markdown; `base` is the route headings link to (`#/playbook`).
pub fn render(markdown: &str, base: &str, registry: &Registry) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut events: Vec<Event<'static>> = Vec::new();
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut in_code = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    let id = slug(&text);
                    events.push(Event::Html(CowStr::from(format!(
                        "<{level} id=\"{id}\"><a class=\"anchor\" href=\"{base}/{id}\" aria-label=\"Link to this section\">#</a> {}</{level}>",
                        escape(&text)
                    ))));
                }
            }
            Event::Text(text) | Event::Code(text) if heading.is_some() => {
                if let Some((_, buffer)) = heading.as_mut() {
                    buffer.push_str(&text);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                events.push(Event::Start(Tag::CodeBlock(kind.into_static())));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(text) if !in_code => link_codes(&text, registry, &mut events),
            // Raw HTML in Markdown is shown as text, never interpreted.
            Event::Html(html) | Event::InlineHtml(html) => {
                events.push(Event::Text(CowStr::from(html.to_string())))
            }
            other => events.push(other.into_static()),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // A code block wider than the page scrolls: keyboard users must be able to reach it.
    // Raw HTML in pages is escaped above, so every `<pre>` here is a code block.
    html.replace("<pre>", "<pre tabindex=\"0\">")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text_and_codes_link() {
        let registry = Registry::builtin();
        let html = render(
            "# Title here\n\nSee SCI202 and SCI999. <img src=x onerror=alert(1)>\n",
            "#/playbook",
            registry,
        );
        assert!(html.contains("<h1 id=\"title-here\">"), "{html}");
        assert!(
            html.contains("<a class=\"rule-link\" href=\"#/rules/SCI202\">SCI202</a>"),
            "{html}"
        );
        assert!(!html.contains("SCI999</a>"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Why is this bad?"), "why-is-this-bad");
    }
}
