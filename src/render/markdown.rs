//! Bodies → sanitized HTML, once per document and audience: the HTML that
//! loading wrote for plain Markdown with its links resolved, or the body
//! parsed again and sanitized. The only producer of [`SafeHtml`]; the only
//! other place where content becomes HTML is `load::html`, whose output
//! becomes `SafeHtml` only here.

use crate::model::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Serialize;

use crate::load::html::{Sanitized, align_classes, is_plain_markdown};
use crate::load::markdown::{Body, Content, DOC_SCHEME};

/// HTML that went through the sanitizer. Templates may print it with `safe`;
/// it is serialized into fields whose names end in `_html`, and no other
/// field may be printed with `safe` (a test checks the theme).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

/// A rendered section of a body: the introduction, or one dated check-in.
#[derive(Debug, Clone, Serialize)]
pub struct SectionHtml {
    pub date: Option<String>,
    pub title: String,
    pub body_html: SafeHtml,
}

/// Renders an untrusted Markdown text on its own (no links to other
/// documents), through the same parser and sanitizer as the site: for
/// fuzzing and tests.
pub fn render_untrusted(text: &str) -> String {
    let body = crate::load::markdown::parse(text, "people/x/index.md", 1);
    let urls = HashMap::default();
    join_sections(&render(&body, &LinkTargets::of(&urls), &sanitizer())).0
}

/// The first thing in sanitized HTML that could run script (a dangerous
/// element, an event-handler or style attribute, a script URL), if any: the
/// property that fuzzing and tests check the sanitizer's output against.
pub fn script_vector(html: &str) -> Option<String> {
    const ELEMENTS: &[&str] = &[
        "script", "svg", "iframe", "object", "embed", "style", "math", "form", "textarea",
        "noscript", "base", "meta", "link",
    ];
    for (name, attrs) in start_tags(html) {
        if ELEMENTS.contains(&name.as_str()) {
            return Some(format!("<{name}>"));
        }
        for (attr, value) in attrs {
            let v = value.trim().to_ascii_lowercase();
            if attr.starts_with("on")
                || attr == "style"
                || v.starts_with("javascript:")
                || v.starts_with("vbscript:")
                || v.starts_with("data:")
            {
                return Some(format!("<{name} {attr}=\"{value}\">"));
            }
        }
    }
    None
}

/// The start tags of an HTML text: (name, [(attribute, value)]), reading
/// quoted values as the serializer writes them.
pub fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || b.get(i + 1).is_none_or(|c| !c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && (b[j] as char).is_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' || b[j] == b'/' {
                break;
            }
            let start = j;
            while j < b.len() && !(b[j] as char).is_whitespace() && b[j] != b'=' && b[j] != b'>' {
                j += 1;
            }
            let attr = html[start..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                if j < b.len() && b[j] == b'"' {
                    let end = html[j + 1..].find('"').map_or(b.len(), |e| j + 1 + e);
                    value = html[j + 1..end].replace("&amp;", "&");
                    j = end + 1;
                }
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
        i = j;
    }
    out
}

/// Joins rendered sections into one piece of HTML, check-ins as `<h2>`
/// headings (their date and title escaped).
pub fn join_sections(sections: &[SectionHtml]) -> SafeHtml {
    let room: usize = sections
        .iter()
        .map(|s| s.body_html.as_str().len() + s.title.len() + 32)
        .sum();
    let mut out = String::with_capacity(room);
    for s in sections {
        if let Some(d) = &s.date {
            out.push_str("<h2>");
            out.push_str(&escape(d));
            if !s.title.is_empty() {
                out.push_str(" — ");
                out.push_str(&escape(&s.title));
            }
            out.push_str("</h2>\n");
        }
        out.push_str(s.body_html.as_str());
    }
    SafeHtml(out)
}

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// How links to other documents become URLs: the URL of every repository path
/// that is in the site (`people/alice/goals/x.md` → `/org/people/alice/goals/x/`).
pub struct LinkTargets<'a> {
    /// Repository path → URL.
    pub urls: &'a HashMap<String, String>,
    /// The site, for the paths of documents that `urls` does not hold: a
    /// build looks each one up when a link asks for it rather than keeping
    /// the URL of every document (~40 MB at 10,000 people).
    pub documents: Option<(&'a crate::model::Org, &'a str)>,
}

impl<'a> LinkTargets<'a> {
    /// Targets given by a map of every path in the site.
    pub fn of(urls: &'a HashMap<String, String>) -> Self {
        LinkTargets {
            urls,
            documents: None,
        }
    }

    /// The URL of the repository file `path`, when it is in the site.
    pub fn url(&self, path: &str) -> Option<std::borrow::Cow<'a, str>> {
        if let Some(url) = self.urls.get(path) {
            return Some(url.as_str().into());
        }
        let (org, base) = self.documents?;
        super::document_url(org, base, path).map(Into::into)
    }
}

/// Renders every section of `body`.
pub fn render(body: &Body, links: &LinkTargets, sanitizer: &ammonia::Builder) -> Vec<SectionHtml> {
    let html: Vec<SafeHtml> = match &body.content {
        Content::Html(html) => (0..body.sections.len())
            .map(|n| SafeHtml(html.resolve(n, |target| links.url(target))))
            .collect(),
        Content::Source { text, start, end } => {
            render_source(body, &text[*start..*end], links, sanitizer)
        }
    };
    body.sections
        .iter()
        .zip(html)
        .map(|(s, body_html)| SectionHtml {
            date: s.date.map(|d| d.to_string()),
            title: s.title.clone(),
            body_html,
        })
        .collect()
}

/// The HTML of each section of `body`, parsed again from `text`, its source.
fn render_source(
    body: &Body,
    text: &str,
    links: &LinkTargets,
    sanitizer: &ammonia::Builder,
) -> Vec<SafeHtml> {
    crate::load::markdown::events_of(text, &body.file, body.first_line)
        .iter()
        .map(|events| to_html(events, links, sanitizer))
        .collect()
}

fn to_html(events: &[Event<'_>], links: &LinkTargets, sanitizer: &ammonia::Builder) -> SafeHtml {
    let mut dropped_links = 0usize;
    let mut depth_stack: Vec<bool> = Vec::new();
    let mapped = events.iter().filter_map(|e| match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            if let Some(path) = dest_url.strip_prefix(DOC_SCHEME) {
                let (p, frag) = match path.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (path, None),
                };
                match links.url(p) {
                    Some(url) => {
                        depth_stack.push(true);
                        let url = match frag {
                            Some(f) => format!("{url}#{f}"),
                            None => url.into_owned(),
                        };
                        Some(Event::Start(Tag::Link {
                            link_type: *link_type,
                            dest_url: CowStr::from(url),
                            title: title.clone(),
                            id: id.clone(),
                        }))
                    }
                    None => {
                        // Not in this site (missing, or not visible to this
                        // audience): keep the text, drop the link.
                        depth_stack.push(false);
                        dropped_links += 1;
                        None
                    }
                }
            } else {
                depth_stack.push(true);
                Some(e.clone())
            }
        }
        Event::End(TagEnd::Link) => {
            if depth_stack.pop().unwrap_or(true) {
                Some(e.clone())
            } else {
                None
            }
        }
        other => Some(other.clone()),
    });
    let mut html = String::new();
    if is_plain_markdown(events) {
        // Nothing but Markdown that pulldown-cmark escapes itself: written
        // as the sanitizer would leave it, without parsing it again.
        let mut sanitized = Sanitized::default();
        pulldown_cmark::html::push_html(&mut html, mapped.map(|e| sanitized.event(e)));
        return SafeHtml(align_classes(html));
    }
    pulldown_cmark::html::push_html(&mut html, mapped);
    SafeHtml(sanitizer.clean(&align_classes(html)).to_string())
}

/// The sanitizer: an allowlist of the HTML that Markdown produces plus a few
/// harmless tags people write by hand. No scripts, styles, frames, forms,
/// SVG or MathML; only http(s), mailto and relative URLs; external links get
/// `rel="noopener noreferrer"`.
pub fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "input", "details", "summary", "mark", "kbd", "sup", "sub", "section",
    ])
    .add_tag_attributes("input", ["type", "checked", "disabled"])
    .add_tag_attributes("li", ["id"])
    .add_tag_attributes("sup", ["id"])
    .add_tag_attributes("div", ["id"])
    .add_tag_attributes("a", ["id"])
    .add_tag_attributes("h1", ["id"])
    .add_tag_attributes("h2", ["id"])
    .add_tag_attributes("h3", ["id"])
    .add_allowed_classes("td", ["align-left", "align-center", "align-right"])
    .add_allowed_classes("th", ["align-left", "align-center", "align-right"])
    .url_schemes(["http", "https", "mailto"].into_iter().collect())
    .link_rel(Some("noopener noreferrer"))
    .attribute_filter(|element, attribute, value| match (element, attribute) {
        ("input", "type") if value != "checkbox" => None,
        _ => Some(value.into()),
    });
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::markdown::parse;

    fn html(md: &str, urls: &[(&str, &str)]) -> String {
        let urls: HashMap<String, String> = urls
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let body = parse(md, "people/alice/index.md", 4);
        join_sections(&render(&body, &LinkTargets::of(&urls), &sanitizer())).0
    }

    #[test]
    fn doc_links_become_urls_or_plain_text() {
        let out = html(
            "[a](goals/x.md) and [b](goals/hidden.md)",
            &[("people/alice/goals/x.md", "/people/alice/goals/x/")],
        );
        assert!(out.contains(r#"<a href="/people/alice/goals/x/""#), "{out}");
        assert!(out.contains(" and b"), "{out}");
        assert!(!out.contains("hidden"), "{out}");
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let out = html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y](&#106;avascript:alert(1))\n\n<svg><script>alert(1)</script></svg>\n\n<iframe src=x></iframe>",
            &[],
        );
        for bad in ["<script", "onerror", "javascript:", "<svg", "<iframe"] {
            assert!(!out.to_lowercase().contains(bad), "{bad} in {out}");
        }
    }

    #[test]
    fn markdown_extensions_survive_sanitizing() {
        let out = html(
            "| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ text[^1]\n\n[^1]: note\n",
            &[],
        );
        assert!(out.contains("<table>"), "{out}");
        assert!(
            out.contains(r#"<th class="align-left">a</th>"#) && !out.contains("style="),
            "{out}"
        );
        assert!(out.contains(r#"type="checkbox""#), "{out}");
        assert!(out.contains("<del>old</del>"), "{out}");
        assert!(
            out.contains(r##"href="#1""##) && out.contains(r#"<div id="1">"#),
            "{out}"
        );
    }

    #[test]
    fn plain_markdown_is_written_as_the_sanitizer_leaves_it() {
        let urls: HashMap<String, String> = [(
            "people/alice/goals/x.md".to_string(),
            "/people/alice/goals/x/".to_string(),
        )]
        .into_iter()
        .collect();
        let samples = [
            "# Title\n\nSome *emphasis*, **strong**, `code` & a < b > c \"quotes\" 'single'.\n",
            "- one\n- two\n  1. nested\n\n> quote\n\n---\n\nline  \nbreak\n",
            "| a | b | c |\n|:-|:-:|-:|\n| 1 | 2 | 3 |\n\n- [x] done\n- [ ] todo\n\n~~old~~\n",
            "```rust\nfn main() { let x = \"<b>\"; }\n```\n\n    indented\n",
            "[doc](goals/x.md#plan), [gone](goals/y.md), [web](https://example.com/a?b=1&c=\"d\" \"T 'x'\"), <https://auto.example>, <alice@example.com>, [rel](other/page?x=1#y), [mail](mailto:a@b.c)\n",
            "![alt *text*](pic.png \"a title\") and ![x](https://example.com/i.png)\n",
            "Ünïcödé — text with emoji 🎉 and entities &amp; &copy; &#60;\n",
        ];
        for md in samples {
            let body = parse(md, "people/alice/index.md", 1);
            let events = crate::load::markdown::events_of(md, "people/alice/index.md", 1);
            assert!(events.iter().all(|e| is_plain_markdown(e)), "{md}");
            let fast = join_sections(&render(&body, &LinkTargets::of(&urls), &sanitizer())).0;
            let cleaned = sanitizer().clean(&fast).to_string();
            let norm = |s: &str| {
                s.replace(" />", ">")
                    .replace("/>", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&#x27;", "'")
            };
            assert_eq!(norm(&fast), norm(&cleaned), "{md}");
        }
    }

    #[test]
    fn raw_html_footnotes_and_other_schemes_go_through_the_sanitizer() {
        for md in [
            "<b>x</b>",
            "a <i>b</i>",
            "x[^1]\n\n[^1]: y",
            "[x](javascript:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x](data:text/html,hi)",
            "[x](<java script:x>)",
            "![x](vbscript:x)",
            "![x](openfolio:people/x/index.md)",
            // A check-in inside a list leaves the list open in one section.
            "1. ## 2026-03-04 x\n   text\n",
            "> ## 2026-03-04 x\n> text\n",
        ] {
            let body = parse(md, "people/alice/index.md", 1);
            assert!(matches!(body.content, Content::Source { .. }), "{md}");
            let events = crate::load::markdown::section_events(&body).unwrap_or_default();
            assert!(!events.iter().all(|e| is_plain_markdown(e)), "{md}");
        }
    }

    /// The HTML written at load, its links resolved, is what parsing the
    /// source again writes, whether each link's target is in the site or not.
    #[test]
    fn html_written_at_load_is_what_the_source_renders_to() {
        let samples = [
            "Intro [doc](goals/x.md) and [gone](goals/y.md \"T <1>\").\n\n## 2026-03-04 First\n\nSee [x again](goals/x.md#plan 'a title') [web](https://e.com).\n",
            "- [item](goals/x.md)\n  - nested [y](goals/y.md)\n- [](goals/x.md)\n\n| [a](goals/x.md) | b |\n|:-|-:|\n| [*c*](goals/y.md) | `d` |\n",
            "[![pic](pic.png)](goals/x.md) [**bold** `code`](../bob/index.md)\n\n> [q](goals/y.md)\n\n## Plan\n\n1. [s](../../static/a%20b.pdf)\n",
            "- a\n  [](goals/y.md)\n  - b\n\nsoft\n[x\n](goals/y.md)\n- c\n",
            "- [ ] [task](goals/x.md)\n- [x] done  \n  [br](goals/y.md)\n",
            "![alt [in](goals/x.md)](p.png) <goals@x.md> [ctl &#1; text](goals/x.md) &#2;&#3;\n",
            "## 2026-01-01\n\n## 2026-02-02 Empty\n\n[last](goals/y.md)",
            "![x [l](https://e.com/page) y](p.png) ![a  \nb *c*](q.png)\n",
        ];
        let file = "people/alice/index.md";
        let all: HashMap<String, String> = [
            ("people/alice/goals/x.md", "/o/people/alice/goals/x/"),
            (
                "people/alice/goals/y.md",
                "/o/people/alice/goals/y/?a=1&b=\"c\"",
            ),
            ("people/bob/index.md", "/o/people/bob/"),
            ("static/a b.pdf", "/o/static/a%20b.pdf"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let some: HashMap<String, String> = all
            .iter()
            .filter(|(k, _)| k.ends_with("x.md"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let none = HashMap::default();
        let mut written = 0;
        for md in samples {
            let body = parse(md, file, 3);
            written += matches!(body.content, Content::Html(_)) as usize;
            for urls in [&all, &some, &none] {
                let targets = LinkTargets::of(urls);
                let at_load: Vec<SafeHtml> = render(&body, &targets, &sanitizer())
                    .into_iter()
                    .map(|s| s.body_html)
                    .collect();
                let again = render_source(&body, md, &targets, &sanitizer());
                assert_eq!(at_load, again, "{md}");
            }
        }
        // Most samples are plain; some need the source (a link inside an
        // image, a forged placeholder, a link ending on a new line).
        assert!((4..samples.len()).contains(&written), "{written}");
    }

    #[test]
    fn alt_text_is_text_only() {
        let out = html("![x [l](https://e.com/page) y  \nz](p.png)", &[]);
        assert!(out.contains(r#"alt="x l y z""#), "{out}");
        assert!(!out.contains("href"), "{out}");
    }

    #[test]
    fn external_links_get_rel() {
        let out = html("[x](https://example.com)", &[]);
        assert!(out.contains(r#"rel="noopener noreferrer""#), "{out}");
    }
}
