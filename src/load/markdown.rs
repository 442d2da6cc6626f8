//! Parses a Markdown body: split into dated check-in sections
//! (`## YYYY-MM-DD`), with relative links to other documents resolved to
//! their identifiers. Loading keeps what checks and lists need (sections,
//! links, summary, search text) and what rendering needs: the HTML of a body
//! that is plain Markdown, written in the same pass ([`super::html`]), or
//! else the source, which rendering parses again, the same way, for the
//! events of each section ([`section_events`]).

use std::sync::Arc;

use chrono::NaiveDate;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::html::{DocLink, PlainHtml};

/// Link destinations rewritten at load time start with this scheme; the
/// renderer turns them into URLs (or into plain text when the target is not in
/// the site). Content cannot forge it into a working link: an unresolved
/// `openfolio:` link is rendered as text.
pub const DOC_SCHEME: &str = "openfolio:";

/// A parsed body.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub sections: Vec<Section>,
    /// Every relative link, for `check` to verify.
    pub links: Vec<LinkRef>,
    /// First words of the body as plain text (for lists and search snippets).
    pub summary: String,
    /// The whole body as plain text (for the search index), at most
    /// [`TEXT_LIMIT`] bytes; empty for a body written at load, whose HTML
    /// gives the same words ([`super::html::PlainHtml::push_text`]).
    pub text: String,
    /// What rendering writes the body from.
    pub content: Content,
    /// The file and the body's first line in it.
    pub file: Box<str>,
    pub first_line: u32,
}

/// What a body is rendered from.
#[derive(Debug, Clone)]
pub enum Content {
    /// Plain Markdown, written as HTML at load: the source is not kept.
    Html(Box<PlainHtml>),
    /// Anything else: the text of the file (shared with the loaded file's,
    /// not copied) and where the body is in it, for [`section_events`] to
    /// parse again.
    Source {
        text: Arc<str>,
        start: usize,
        end: usize,
    },
}

impl Default for Content {
    fn default() -> Self {
        Content::Source {
            text: Arc::from(""),
            start: 0,
            end: 0,
        }
    }
}

/// How much of a body the search index holds.
pub const TEXT_LIMIT: usize = 4000;

/// A part of the body: the text before the first check-in (no date), or one
/// check-in.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub date: Option<NaiveDate>,
    /// The rest of a check-in heading after its date (`## 2026-03-04 First demo`).
    pub title: String,
}

/// A relative link in a body, and the repository path it points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: String,
    /// Repository path the link resolves to (`people/alice/goals/x.md`), or
    /// `None` when it climbs out of the repository.
    pub target: Option<String>,
    pub line: u32,
    pub col: u32,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Parses `text`, the body of `file`, which starts at line `first_line`.
pub fn parse(text: &str, file: &str, first_line: u32) -> Body {
    parse_in(&Arc::from(text), text, file, first_line)
}

/// Parses `body`, a part of the file text `text`.
pub fn parse_in(text: &Arc<str>, body: &str, file: &str, first_line: u32) -> Body {
    let (mut parsed, _, html) = split(body, file, first_line, Pass::Load);
    parsed.content = match html {
        Some(html) => {
            parsed.text = String::new();
            Content::Html(Box::new(html))
        }
        None => {
            // Where `body` is in `text` (it is a slice of it, or all of it).
            let start = (body.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
            match text.get(start..start.saturating_add(body.len())) {
                Some(slice) if slice.as_ptr() == body.as_ptr() => Content::Source {
                    text: text.clone(),
                    start,
                    end: start + body.len(),
                },
                _ => Content::Source {
                    text: Arc::from(body),
                    start: 0,
                    end: body.len(),
                },
            }
        }
    };
    parsed.file = file.into();
    parsed.first_line = first_line;
    parsed
}

/// The running text of a body as loading makes it for a body that is not
/// written at load: what the search index's text of a written body is
/// checked against.
#[cfg(test)]
pub fn running_text(text: &str) -> String {
    split(text, "people/x/index.md", 1, Pass::LoadSource).0.text
}

/// The events of each of `body`'s sections, in order, links to documents
/// rewritten to [`DOC_SCHEME`]: the body parsed again as [`parse`] did.
/// `None` for a body written at load, whose source is not kept.
pub fn section_events(body: &Body) -> Option<Vec<Vec<Event<'_>>>> {
    match &body.content {
        Content::Source { text, start, end } => {
            Some(events_of(&text[*start..*end], &body.file, body.first_line))
        }
        Content::Html(_) => None,
    }
}

/// The events of each section of `text`, the body of `file` from line
/// `first_line`, as [`section_events`] gives them.
pub fn events_of<'a>(text: &'a str, file: &str, first_line: u32) -> Vec<Vec<Event<'a>>> {
    split(text, file, first_line, Pass::Events).1
}

/// What a pass of [`split`] over a body is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Loading: links, summary, and the HTML when the body is plain
    /// Markdown, or else the search text (a written body gives the search
    /// index its words from the HTML).
    Load,
    /// Loading a body that is not plain Markdown: the search text from the
    /// start, no HTML.
    LoadSource,
    /// Rendering a body that is not plain: the events of each section, and
    /// none of the above.
    Events,
}

/// The body and the events of each of its sections, as `pass` asks.
fn split<'a>(
    text: &'a str,
    file: &str,
    first_line: u32,
    pass: Pass,
) -> (Body, Vec<Vec<Event<'a>>>, Option<PlainHtml>) {
    let plain = pass != Pass::Events;
    // Whether words were left out of the search text while the body could
    // still be written as HTML.
    let mut text_skipped = false;
    let mut position = Position::new(text, first_line);
    let dir = file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");

    let mut body = Body::default();
    let mut events_of: Vec<Vec<Event<'a>>> = Vec::new();
    let mut current = Section::default();
    let mut current_events: Vec<Event<'a>> = Vec::new();
    // Whether the current section has any event (kept or not).
    let mut current_has_events = false;
    let mut heading: Option<Vec<Event<'a>>> = None;
    let mut summary = RunningText::new(SUMMARY_LIMIT);
    let mut search_text = RunningText::new(TEXT_LIMIT);
    let mut in_heading = false;
    // The HTML of each section and the links to documents in them, while
    // the body may still be written at load.
    let mut html: Option<(Vec<Box<str>>, Vec<DocLink>)> =
        (pass == Pass::Load).then(Default::default);
    // Writes a finished section's HTML, or gives up on writing the body.
    let write = |html: &mut Option<(Vec<Box<str>>, Vec<DocLink>)>, events: &[Event<'_>]| {
        if let Some((sections, links)) = html {
            match super::html::write_section(events, links) {
                Some(section) => sections.push(section),
                None => *html = None,
            }
        }
    };

    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match rewrite_relative(&dest_url, dir) {
                    Some(resolved) => {
                        if plain {
                            let (line, col) = position.at(range.start);
                            body.links.push(LinkRef {
                                dest: dest_url.to_string(),
                                target: resolved.clone(),
                                line,
                                col,
                            });
                        }
                        match resolved {
                            Some(t) => CowStr::from(format!("{DOC_SCHEME}{t}")),
                            None => dest_url,
                        }
                    }
                    None => dest_url,
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        };

        if plain {
            if html.is_some() {
                text_skipped = true;
            } else {
                match &event {
                    Event::Text(t) | Event::Code(t) => search_text.push(t),
                    Event::SoftBreak | Event::HardBreak | Event::End(_) => search_text.gap(),
                    _ => {}
                }
            }
            // The summary is running text: headings are left out of it.
            match &event {
                Event::Start(Tag::Heading { .. }) => in_heading = true,
                Event::End(TagEnd::Heading(_)) => in_heading = false,
                _ => {}
            }
            if !in_heading {
                match &event {
                    Event::Text(t) | Event::Code(t) => summary.push(t),
                    Event::SoftBreak
                    | Event::HardBreak
                    | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                        summary.gap()
                    }
                    _ => {}
                }
            }
        }

        match (&mut heading, &event) {
            (
                None,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H2,
                    ..
                }),
            ) => {
                heading = Some(vec![event]);
            }
            (Some(h), Event::End(TagEnd::Heading(_))) => {
                h.push(event);
                let events = heading.take().unwrap_or_default();
                let text: String = events
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                match checkin_date(&text) {
                    Some((date, title)) => {
                        let finished = std::mem::take(&mut current);
                        let finished_events = std::mem::take(&mut current_events);
                        if current_has_events || finished.date.is_some() {
                            body.sections.push(finished);
                            write(&mut html, &finished_events);
                            if !plain {
                                events_of.push(finished_events);
                            }
                        }
                        current_has_events = false;
                        current.date = Some(date);
                        current.title = title;
                    }
                    None => {
                        current_has_events = true;
                        if !plain || html.is_some() {
                            current_events.extend(events);
                        }
                    }
                }
            }
            (Some(h), _) => h.push(event),
            (None, _) => {
                current_has_events = true;
                if !plain || html.is_some() {
                    current_events.push(event);
                }
            }
        }
    }
    if let Some(h) = heading {
        current_has_events = true;
        if !plain || html.is_some() {
            current_events.extend(h);
        }
    }
    if current_has_events || current.date.is_some() || body.sections.is_empty() {
        body.sections.push(current);
        write(&mut html, &current_events);
        if !plain {
            events_of.push(current_events);
        }
    }
    if html.is_none() && text_skipped {
        // Not plain after all, found after the first words: once more, for
        // the search text from the start (rare: raw HTML, footnotes).
        return split(text, file, first_line, Pass::LoadSource);
    }
    if plain {
        body.summary = summary.finish(200);
        body.text = search_text.finish(TEXT_LIMIT);
    }
    let html = html.map(|(sections, links)| PlainHtml {
        sections: sections.into(),
        links: links.into(),
    });
    (body, events_of, html)
}

/// How much running text the summary collects before it is cut.
const SUMMARY_LIMIT: usize = 300;

/// Running text with every run of whitespace made one space. Text is taken
/// while what was given so far (counting each gap as one byte) is under
/// `limit` bytes; each piece is taken whole.
struct RunningText {
    text: String,
    limit: usize,
    /// Bytes given so far, before whitespace was collapsed.
    given: usize,
    /// A space is due before the next word.
    gap: bool,
}

impl RunningText {
    fn new(limit: usize) -> Self {
        RunningText {
            text: String::new(),
            limit,
            given: 0,
            gap: false,
        }
    }

    fn push(&mut self, s: &str) {
        if self.given >= self.limit {
            return;
        }
        self.given += s.len();
        if s.is_empty() {
            return;
        }
        if !s.is_ascii() {
            if s.starts_with(char::is_whitespace) {
                self.gap = true;
            }
            for word in s.split_whitespace() {
                self.word(word);
                self.gap = true;
            }
            // The next word follows this one with a space only if there
            // was whitespace between them.
            self.gap = s.ends_with(char::is_whitespace);
            return;
        }
        // ASCII: the same, a byte at a time (what `char::is_whitespace`
        // is for ASCII), copying each run of words that are already one
        // space apart at once.
        let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && is_space(bytes[i]) {
                self.gap = true;
                i += 1;
            }
            let start = i;
            while i < bytes.len()
                && (!is_space(bytes[i])
                    || (bytes[i] == b' ' && bytes.get(i + 1).is_some_and(|&b| !is_space(b))))
            {
                i += 1;
            }
            if start < i {
                self.word(&s[start..i]);
                self.gap = false;
            }
        }
    }

    fn word(&mut self, word: &str) {
        if self.gap && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(word);
    }

    fn gap(&mut self) {
        if self.given >= self.limit {
            return;
        }
        self.given += 1;
        self.gap = true;
    }

    /// The text, cut at a word boundary to at most `max` bytes (with `…`).
    fn finish(self, max: usize) -> String {
        // Kept for the whole build: no room left over from growing.
        let mut text = truncate_words(self.text, max);
        text.shrink_to_fit();
        text
    }
}

/// Line and column of byte offsets into a text, for offsets that mostly
/// come in increasing order (each is counted from the one before).
struct Position<'a> {
    text: &'a str,
    first_line: u32,
    offset: usize,
    line: u32,
    line_start: usize,
}

impl<'a> Position<'a> {
    fn new(text: &'a str, first_line: u32) -> Self {
        Position {
            text,
            first_line,
            offset: 0,
            line: 0,
            line_start: 0,
        }
    }

    fn at(&mut self, offset: usize) -> (u32, u32) {
        if offset < self.offset {
            (self.offset, self.line, self.line_start) = (0, 0, 0);
        }
        let between = &self.text.as_bytes()[self.offset..offset];
        for (i, &b) in between.iter().enumerate() {
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.offset + i + 1;
            }
        }
        self.offset = offset;
        let col = self.text[self.line_start..offset].chars().count() + 1;
        (self.line + self.first_line, col as u32)
    }
}

fn truncate_words(s: String, max: usize) -> String {
    if s.len() <= max {
        return s;
    }
    let mut cut = max;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = s[..cut].rfind(' ').unwrap_or(cut);
    format!("{}…", &s[..cut])
}

/// `2026-03-14` or `2026-03-14 First demo` (also with `—`, `-` or `:` after the date).
fn checkin_date(heading: &str) -> Option<(NaiveDate, String)> {
    let heading = heading.trim();
    let date = NaiveDate::parse_from_str(heading.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = heading[10..]
        .trim_start_matches([' ', '—', '–', '-', ':'])
        .trim();
    Some((date, rest.to_string()))
}

/// For a relative link to a Markdown file or to a file under `static/`,
/// returns `Some(resolved repository path)`; `Some(None)` when it climbs out
/// of the repository; `None` for links that are not ours to rewrite
/// (absolute URLs, anchors, other files).
fn rewrite_relative(dest: &str, dir: &str) -> Option<Option<String>> {
    if dest.is_empty()
        || dest.starts_with('#')
        || dest.starts_with('/')
        || dest.contains("://")
        || dest.contains(':') && !dest.contains('/')
        || dest
            .split(['/', '#', '?'])
            .next()
            .is_some_and(|s| s.contains(':'))
    {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    // `My%20File.pdf` names the file `My File.pdf`.
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let path = decoded.as_ref();
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(None);
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    let is_doc = joined.ends_with(".md");
    let is_static = joined.starts_with("static/") || joined == "pay/rules.yaml";
    if !is_doc && !is_static {
        return None;
    }
    Some(Some(match fragment {
        Some(f) => format!("{joined}#{f}"),
        None => joined,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_the_file() {
        let d = "people/alice";
        assert_eq!(
            rewrite_relative("goals/learn-rust.md", d),
            Some(Some("people/alice/goals/learn-rust.md".into()))
        );
        assert_eq!(
            rewrite_relative(
                "../../../teams/platform/index.md#mission",
                "people/alice/goals"
            ),
            Some(Some("teams/platform/index.md#mission".into()))
        );
        assert_eq!(
            rewrite_relative("../../../../x.md", "people/alice"),
            Some(None)
        );
        assert_eq!(rewrite_relative("https://example.com/a.md", d), None);
        assert_eq!(rewrite_relative("#top", d), None);
        assert_eq!(rewrite_relative("mailto:a@b.c", d), None);
        assert_eq!(rewrite_relative("javascript:alert(1)", d), None);
        assert_eq!(rewrite_relative("picture.png", d), None);
    }

    #[test]
    fn links_get_the_doc_scheme_and_a_position() {
        let body = parse(
            "Intro\n\nSee [goal](goals/x.md).\n",
            "people/alice/index.md",
            5,
        );
        assert_eq!(body.links.len(), 1);
        assert_eq!(body.links[0].line, 7);
        assert_eq!(body.links[0].col, 5);
        let events = events_of(
            "Intro\n\nSee [goal](goals/x.md).\n",
            "people/alice/index.md",
            5,
        );
        let has = events[0].iter().any(|e| {
            matches!(e, Event::Start(Tag::Link { dest_url, .. }) if dest_url.as_ref() == "openfolio:people/alice/goals/x.md")
        });
        assert!(has);
    }

    #[test]
    fn running_text_collapses_whitespace_as_split_whitespace_does() {
        let pieces = [
            "  a  b\tc\n",
            "d",
            " e ",
            "",
            "f\x0Bg",
            "  ",
            "h\u{a0}i é  j",
            "k",
        ];
        let mut text = RunningText::new(usize::MAX);
        let mut raw = String::new();
        for (n, p) in pieces.iter().enumerate() {
            text.push(p);
            raw.push_str(p);
            if n == 3 {
                text.gap();
                raw.push(' ');
            }
        }
        let expected = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(text.finish(usize::MAX), expected);
    }

    #[test]
    fn checkins_split_the_body() {
        let body = parse(
            "Why.\n\n## Plan\n\nSteps.\n\n## 2026-03-04 First demo\n\nDone.\n\n## 2026-04-01\n\nMore.\n",
            "people/a/goals/g.md",
            5,
        );
        assert_eq!(body.sections.len(), 3);
        assert_eq!(body.sections[0].date, None);
        assert_eq!(body.sections[1].date, NaiveDate::from_ymd_opt(2026, 3, 4));
        assert_eq!(body.sections[1].title, "First demo");
        assert_eq!(body.sections[2].date, NaiveDate::from_ymd_opt(2026, 4, 1));
        assert_eq!(body.summary, "Why. Steps. Done. More.");
    }

    /// A body found not to be plain after its first sections keeps the
    /// search text of all of them.
    #[test]
    fn a_body_that_is_not_plain_keeps_all_its_search_text() {
        let md = "First words.\n\n## 2026-03-04 Demo\n\nMiddle words.\n\n## 2026-04-01\n\n<div>raw</div>\n\nLast words.\n";
        let body = parse(md, "people/a/goals/g.md", 1);
        assert!(matches!(body.content, Content::Source { .. }));
        assert_eq!(
            body.text,
            "First words. 2026-03-04 Demo Middle words. 2026-04-01 Last words."
        );
        assert_eq!(body.sections.len(), 3);
        // A plain body leaves the search text to its HTML.
        let plain = parse(
            "First words.\n\n## 2026-03-04 Demo\n",
            "people/a/goals/g.md",
            1,
        );
        assert!(matches!(plain.content, Content::Html(_)) && plain.text.is_empty());
    }
}
