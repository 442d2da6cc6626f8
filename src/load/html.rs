//! Plain Markdown written as HTML while it is parsed, so that a body is
//! parsed once. "Plain" means HTML that needs no sanitizer (see
//! [`is_plain_markdown`]); links to other documents are left as
//! placeholders, because whether they become links depends on the audience
//! of the site, and [`PlainHtml::resolve`] fills them in when the page is
//! rendered. Bodies that are not plain are parsed again at render time and
//! go through the sanitizer there (`render::markdown`).

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::markdown::DOC_SCHEME;

/// A body's sections as HTML, with each link to a document as a placeholder:
/// `\x01N\x02` where its start tag goes and `\x03` where its end tag goes (N
/// is the link's index in `links`). Content cannot forge a placeholder:
/// a body whose HTML holds any other of these control characters is not
/// written here.
#[derive(Debug, Clone)]
pub struct PlainHtml {
    pub sections: Box<[Box<str>]>,
    pub links: Box<[DocLink]>,
}

/// A link to a document or a published file, as written in the body.
#[derive(Debug, Clone)]
pub struct DocLink {
    /// Repository path of the target, without the fragment.
    pub target: Box<str>,
    /// `#fragment`, or empty.
    pub fragment: Box<str>,
    /// The escaped ` title="…"` attribute, or empty.
    pub title: Box<str>,
}

const START: char = '\x01';
const NUMBER_END: char = '\x02';
const END: char = '\x03';

/// Writes one section (its events as the Markdown parser gave them, links to
/// documents with [`DOC_SCHEME`] URLs), adding its links to `links`; `None`
/// when the section is not plain, or when the placeholders could not stand
/// for both a link and its absence (see below): then the body is rendered
/// from its source.
pub fn write_section(events: &[Event<'_>], links: &mut Vec<DocLink>) -> Option<Box<str>> {
    if !is_plain_markdown(events) {
        return None;
    }
    let first_link = links.len();
    let mut is_doc_link: Vec<bool> = Vec::new();
    let mut in_image = 0usize;
    let mut sanitized = Sanitized::default();
    let mut mapped = Vec::with_capacity(events.len());
    for event in events {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) if dest_url.starts_with(DOC_SCHEME) => {
                // Inside an image the writer prints links as alt text, and
                // e-mail links get a `mailto:` prefix: both are left to the
                // slower path.
                if in_image > 0 || *link_type == LinkType::Email {
                    return None;
                }
                let path = &dest_url[DOC_SCHEME.len()..];
                let (target, fragment) = match path.split_once('#') {
                    Some((p, f)) => (p, format!("#{f}")),
                    None => (path, String::new()),
                };
                let mut title_attr = String::new();
                if !title.is_empty() {
                    title_attr.push_str(" title=\"");
                    let _ = pulldown_cmark_escape::escape_html(&mut title_attr, title);
                    title_attr.push('"');
                }
                is_doc_link.push(true);
                let n = links.len();
                links.push(DocLink {
                    target: target.into(),
                    fragment: fragment.into(),
                    title: title_attr.into(),
                });
                Event::InlineHtml(CowStr::from(format!("{START}{n}{NUMBER_END}")))
            }
            Event::Start(Tag::Link { .. }) => {
                is_doc_link.push(false);
                sanitized.event(event.clone())
            }
            Event::End(TagEnd::Link) => {
                if is_doc_link.pop().unwrap_or(false) {
                    Event::InlineHtml(CowStr::Borrowed("\x03"))
                } else {
                    sanitized.event(event.clone())
                }
            }
            Event::Start(Tag::Image { .. }) => {
                in_image += 1;
                sanitized.event(event.clone())
            }
            Event::End(TagEnd::Image) => {
                in_image = in_image.saturating_sub(1);
                sanitized.event(event.clone())
            }
            other => sanitized.event(other.clone()),
        };
        mapped.push(event);
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, mapped.into_iter());
    let html = align_classes(html);
    let added = links.len() - first_link;
    let count = |c: char| memchr::memchr_iter(c as u8, html.as_bytes()).count();
    if count(START) != added || count(NUMBER_END) != added || count(END) != added {
        // The text itself holds a control character (`&#1;`, say).
        links.truncate(first_link);
        return None;
    }
    // The HTML writer starts some blocks on a new line unless what it wrote
    // last ends with one. A placeholder ends without one, as the link's tags
    // do; a link that is left out writes nothing, so the two agree unless
    // what comes before a placeholder end ends with a new line.
    let mut rest = html.as_str();
    while let Some(at) = memchr::memchr(END as u8, rest.as_bytes()) {
        let mut before = &rest[..at];
        if let Some(start) = before.rfind(START)
            && before[start..].ends_with(NUMBER_END)
        {
            before = &before[..start];
        }
        if before.ends_with('\n') {
            links.truncate(first_link);
            return None;
        }
        rest = &rest[at + 1..];
    }
    Some(html.into_boxed_str())
}

impl PlainHtml {
    /// Section `n` with each link to a document made a link to `url_of` its
    /// target, or left as its text when the target is not in the site.
    pub fn resolve<'u>(
        &self,
        n: usize,
        url_of: impl Fn(&str) -> Option<std::borrow::Cow<'u, str>>,
    ) -> String {
        let html: &str = &self.sections[n];
        if self.links.is_empty() {
            return html.to_string();
        }
        let mut out = String::with_capacity(html.len() + 64);
        // Whether each open placeholder link was written.
        let mut open: Vec<bool> = Vec::new();
        let mut rest = html;
        while let Some(at) = memchr::memchr2(START as u8, END as u8, rest.as_bytes()) {
            out.push_str(&rest[..at]);
            if rest.as_bytes()[at] == END as u8 {
                if open.pop().unwrap_or(false) {
                    out.push_str("</a>");
                }
                rest = &rest[at + 1..];
                continue;
            }
            let after = &rest[at + 1..];
            let digits = memchr::memchr(NUMBER_END as u8, after.as_bytes()).unwrap_or(after.len());
            let link = after[..digits]
                .parse::<usize>()
                .ok()
                .and_then(|i| self.links.get(i));
            rest = after.get(digits + 1..).unwrap_or("");
            match link.and_then(|l| Some((l, url_of(&l.target)?))) {
                Some((link, url)) => {
                    out.push_str("<a href=\"");
                    let _ = pulldown_cmark_escape::escape_href(&mut out, &url);
                    let _ = pulldown_cmark_escape::escape_href(&mut out, &link.fragment);
                    out.push('"');
                    out.push_str(&link.title);
                    out.push_str(" rel=\"noopener noreferrer\">");
                    open.push(true);
                }
                None => open.push(false),
            }
        }
        out.push_str(rest);
        out
    }
}

impl PlainHtml {
    /// Appends the running text of section `n` to `out`, for the search
    /// index: the words as the Markdown gave them. Where an element ends,
    /// a space (the words of two cells, items or links are two words); where
    /// one starts, nothing (`a**b**` is `ab`); inline code is part of the
    /// word around it; an image is its alt text; entities are spaces (each
    /// stands for a character that is not a letter or digit).
    pub fn push_text(&self, n: usize, out: &mut String) {
        let html: &str = &self.sections[n];
        let bytes = html.as_bytes();
        let mut i = 0;
        while let Some(at) = memchr::memchr3(b'<', b'&', START as u8, &bytes[i..]) {
            let at = i + at;
            out.push_str(&html[i..at]);
            let rest = &html[at..];
            i = match bytes[at] {
                b'<' => {
                    let end = memchr::memchr(b'>', rest.as_bytes()).map_or(rest.len(), |e| e + 1);
                    let tag = &rest[..end];
                    if tag.starts_with("</") && tag != "</code>" {
                        out.push(' ');
                    } else if let Some(alt) = tag
                        .strip_prefix("<img ")
                        .and_then(|t| t.split_once(" alt=\""))
                        .and_then(|(_, t)| t.split_once('"'))
                        .map(|(alt, _)| alt)
                    {
                        push_unescaped(alt, out);
                        out.push(' ');
                    }
                    at + end
                }
                b'&' => {
                    out.push(' ');
                    at + memchr::memchr(b';', rest.as_bytes()).map_or(1, |e| e + 1)
                }
                // A placeholder's number is not text.
                _ => at + memchr::memchr(NUMBER_END as u8, rest.as_bytes()).map_or(1, |e| e + 1),
            };
        }
        out.push_str(&html[i..]);
    }
}

/// `text` with each entity a space.
fn push_unescaped(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        out.push(' ');
        rest = rest[at..].split_once(';').map_or("", |(_, r)| r);
    }
    out.push_str(rest);
}

/// Table alignment as classes: the Content-Security-Policy blocks style
/// attributes, and the sanitizer removes them.
pub fn align_classes(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

/// Whether a section is plain Markdown, whose HTML needs no sanitizer: no
/// raw HTML, no footnotes (whose markup the sanitizer rewrites), every
/// link and image URL relative or http(s)/mailto (the schemes the sanitizer
/// keeps), and every element it opens closed in it (a check-in heading
/// inside a list splits the list between two sections, and the sanitizer
/// closes what is left open). pulldown-cmark escapes all text and attribute
/// values itself, so no element or attribute but its own can appear.
/// Anything else goes through the sanitizer.
pub fn is_plain_markdown(events: &[Event<'_>]) -> bool {
    let mut open = 0usize;
    for e in events {
        match e {
            Event::Start(_) => open += 1,
            Event::End(_) => match open.checked_sub(1) {
                Some(n) => open = n,
                None => return false,
            },
            _ => {}
        }
    }
    open == 0
        && events.iter().all(|e| match e {
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => false,
            Event::Start(Tag::FootnoteDefinition(_)) => false,
            Event::Start(Tag::Link { dest_url, .. }) => {
                dest_url.starts_with(DOC_SCHEME) || is_safe_url(dest_url)
            }
            Event::Start(Tag::Image { dest_url, .. }) => is_safe_url(dest_url),
            _ => true,
        })
}

/// A URL that the sanitizer keeps as it is: http(s) or mailto, or relative
/// (no scheme), in printable ASCII.
fn is_safe_url(url: &str) -> bool {
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    if ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return true;
    }
    // A scheme is whatever comes before a `:` in the first segment.
    let first = url.split(['/', '?', '#']).next().unwrap_or("");
    !first.contains(':')
}

/// The events of a plain section as the sanitizer would leave them.
#[derive(Default)]
pub struct Sanitized {
    /// Inside an image, whose alt text the HTML writer makes of the text of
    /// what is inside it: tags are left as they are, to be skipped.
    in_image: usize,
}

impl Sanitized {
    pub fn event<'e>(&mut self, event: Event<'e>) -> Event<'e> {
        match &event {
            Event::Start(Tag::Image { .. }) => self.in_image += 1,
            Event::End(TagEnd::Image) => {
                self.in_image = self.in_image.saturating_sub(1);
                return event;
            }
            _ if self.in_image > 0 => return event,
            _ => {}
        }
        as_sanitized(event)
    }
}

/// An event of a plain section as the sanitizer would leave it: links get
/// `rel`, code blocks lose their language class (classes are not allowed).
fn as_sanitized(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            ..
        }) => {
            let mut a = String::from("<a href=\"");
            if link_type == LinkType::Email {
                a.push_str("mailto:");
            }
            let _ = pulldown_cmark_escape::escape_href(&mut a, &dest_url);
            if !title.is_empty() {
                a.push_str("\" title=\"");
                let _ = pulldown_cmark_escape::escape_html(&mut a, &title);
            }
            a.push_str("\" rel=\"noopener noreferrer\">");
            Event::InlineHtml(CowStr::from(a))
        }
        Event::Start(Tag::CodeBlock(_)) => {
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Indented))
        }
        // Void elements as the sanitizer's serializer writes them.
        Event::TaskListMarker(checked) => Event::InlineHtml(CowStr::Borrowed(if checked {
            "<input disabled=\"\" type=\"checkbox\" checked=\"\">\n"
        } else {
            "<input disabled=\"\" type=\"checkbox\">\n"
        })),
        Event::HardBreak => Event::InlineHtml(CowStr::Borrowed("<br>\n")),
        Event::Rule => Event::Html(CowStr::Borrowed("<hr>\n")),
        other => other,
    }
}
