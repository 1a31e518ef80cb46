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

/// The length of the run of ASCII digits at the start of `text`.
fn digits(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// A reference starting `text`, as its length and where it links: a rule code that
/// exists (`SCI202`, `ORG001`), a web address, or an identifier a rule page cites
/// (`CVE-2025-32434`, `GHSA-…`, `PYSEC-2023-227`, `CWE-295`, `PEP 493`).
fn reference(text: &str, registry: &Registry) -> Option<(usize, String)> {
    if text.starts_with("https://") || text.starts_with("http://") {
        let end = text
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
            .unwrap_or(text.len());
        // Sentence punctuation after an address is not part of it.
        let url = text[..end].trim_end_matches(['.', ',', ';', ':', ')', ']', '\'']);
        return (url.len() > "https://".len()).then(|| (url.len(), escape(url)));
    }
    if (text.starts_with("SCI") || text.starts_with("ORG")) && digits(&text[3..]) == 3 {
        let code = &text[..6];
        return registry.find(code).map(|_| (6, format!("#/rules/{code}")));
    }
    let numbered = |prefix: &str| -> Option<usize> {
        let rest = text.strip_prefix(prefix)?;
        let n = digits(rest);
        (n > 0).then_some(prefix.len() + n)
    };
    if let Some(year) = text.strip_prefix("CVE-").filter(|r| digits(r) == 4) {
        let n = digits(year.get(5..)?);
        return (year.as_bytes().get(4) == Some(&b'-') && n >= 4).then(|| {
            let id = &text[..9 + n];
            (id.len(), format!("https://www.cve.org/CVERecord?id={id}"))
        });
    }
    if let Some(year) = text.strip_prefix("PYSEC-").filter(|r| digits(r) == 4) {
        let n = digits(year.get(5..)?);
        return (year.as_bytes().get(4) == Some(&b'-') && n > 0).then(|| {
            let id = &text[..11 + n];
            (id.len(), format!("https://osv.dev/vulnerability/{id}"))
        });
    }
    if text.starts_with("GHSA-") {
        let id = text.get(..19)?;
        let shaped = id[5..].split('-').map(str::len).eq([4, 4, 4])
            && id[5..]
                .bytes()
                .all(|b| b == b'-' || b.is_ascii_digit() || b.is_ascii_lowercase());
        return shaped.then(|| (19, format!("https://github.com/advisories/{id}")));
    }
    if let Some(len) = numbered("CWE-") {
        let n = &text[4..len];
        return Some((
            len,
            format!("https://cwe.mitre.org/data/definitions/{n}.html"),
        ));
    }
    if let Some(len) = numbered("PEP ") {
        let n: u32 = text[4..len].parse().ok()?;
        return Some((len, format!("https://peps.python.org/pep-{n:04}/")));
    }
    None
}

/// Splits text around references (rule codes that exist, web addresses, advisory and
/// standard identifiers), linking each.
fn link_references(text: &str, registry: &Registry, out: &mut Vec<Event<'static>>) {
    let bytes = text.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let found = starts_word
            .then(|| reference(&text[i..], registry))
            .flatten()
            .filter(|(len, _)| {
                bytes
                    .get(i + len)
                    .is_none_or(|b| !b.is_ascii_alphanumeric())
            });
        if let Some((len, href)) = found {
            out.push(Event::Text(CowStr::from(text[last..i].to_string())));
            let shown = escape(&text[i..i + len]);
            let class = if href.starts_with("#/rules/") {
                "rule-link"
            } else {
                "ref-link"
            };
            out.push(Event::Html(CowStr::from(format!(
                "<a class=\"{class}\" href=\"{href}\">{shown}</a>"
            ))));
            i += len;
            last = i;
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
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
    let mut in_link = false;
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
            Event::Start(Tag::Link { .. }) => {
                in_link = true;
                events.push(event.into_static());
            }
            Event::End(TagEnd::Link) => {
                in_link = false;
                events.push(Event::End(TagEnd::Link));
            }
            // Text already inside a link is not linked again.
            Event::Text(text) if !in_code && !in_link => {
                link_references(&text, registry, &mut events)
            }
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
    fn references_on_rule_pages_are_links() {
        let registry = Registry::builtin();
        let html = render(
            "- CVE-2025-32434, PYSEC-2023-227; GHSA-r9hx-vwmv-q579 (torch)\n- CWE-295: Improper Certificate Validation\n- PEP 493 and https://osv.dev.\n- SCI2020, xCVE-2025-1, CVE-25-1\n",
            "#/rules/SCI503",
            registry,
        );
        for link in [
            "<a class=\"ref-link\" href=\"https://www.cve.org/CVERecord?id=CVE-2025-32434\">CVE-2025-32434</a>",
            "<a class=\"ref-link\" href=\"https://osv.dev/vulnerability/PYSEC-2023-227\">PYSEC-2023-227</a>",
            "<a class=\"ref-link\" href=\"https://github.com/advisories/GHSA-r9hx-vwmv-q579\">GHSA-r9hx-vwmv-q579</a>",
            "<a class=\"ref-link\" href=\"https://cwe.mitre.org/data/definitions/295.html\">CWE-295</a>",
            "<a class=\"ref-link\" href=\"https://peps.python.org/pep-0493/\">PEP 493</a>",
            "<a class=\"ref-link\" href=\"https://osv.dev\">https://osv.dev</a>.",
        ] {
            assert!(html.contains(link), "{link} in {html}");
        }
        // Near misses: a longer code, a reference inside a word, a malformed year.
        assert_eq!(html.matches("<a ").count(), 6, "{html}");
        // A link written in the page is not linked again inside.
        let html = render(
            "See [PEP 8](https://peps.python.org/pep-0008/).\n",
            "#/",
            registry,
        );
        assert_eq!(html.matches("<a ").count(), 1, "{html}");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Why is this bad?"), "why-is-this-bad");
    }
}
