//! The search index: every document in the site, and only those, as a small
//! static inverted index that the search page fetches piece by piece.
//!
//! Layout (all under `search/data/`, described for theme authors in the
//! README):
//! - `meta.json`: the number of documents, how many documents a document
//!   chunk holds, the first term of every term chunk, and the terms left out
//!   because they are in most documents;
//! - `t<N>.json`: a sorted run of terms, each with its postings: document
//!   numbers as deltas, shifted left by two, the low two bits a weight
//!   (3: in the title; 2: four or more times; 1: two or three; 0: once);
//! - `d<N>.json`: `[url, title, kind, snippet]` of a run of documents.
//!
//! The browser reads `meta.json`, then only the term chunks that can hold
//! the words typed and the document chunks of the hits it shows. Building it
//! is one parallel pass over the documents' text, without copying it.
//!
//! Tokens: lower-cased runs of letters and digits, 2 to 40 characters; the
//! search script splits a query the same way.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::views::Views;
use crate::load::markdown::{Body, Content, TEXT_LIMIT};
use crate::model::DocRef;
use crate::model::documents::Owner;
use crate::output::{OutputError, Sink};

/// How many documents one `d<N>.json` holds.
const DOCS_PER_CHUNK: usize = 200;
/// How many runs of chunks [`invert`] makes per thread.
const RUNS_PER_THREAD: usize = 16;
/// About how many bytes of postings one `t<N>.json` holds.
const TERM_CHUNK_BYTES: usize = 48 * 1024;
/// Terms in more than this share of documents (of a site with at least
/// [`COMMON_MIN_DOCS`] documents) are left out: they find everything.
const COMMON_SHARE: f64 = 0.5;
const COMMON_MIN_DOCS: usize = 200;

/// One document as the index sees it; `text` borrows the model's strings.
struct Record<'a> {
    url: String,
    title: String,
    kind: String,
    snippet: &'a str,
    text: Vec<Cow<'a, str>>,
    /// The document's body, whose text is read while the index is built.
    body: Option<&'a Body>,
}

/// The text of `body` that the index holds, into `out`: at most
/// [`TEXT_LIMIT`] bytes, in the order of the body, check-in headings
/// included.
fn body_text(body: &Body, out: &mut String) {
    out.clear();
    let Content::Html(html) = &body.content else {
        out.push_str(&body.text);
        return;
    };
    for (n, section) in body.sections.iter().enumerate() {
        if out.len() >= TEXT_LIMIT {
            break;
        }
        if let Some(date) = section.date {
            out.push_str(&date.to_string());
            out.push(' ');
            out.push_str(&section.title);
            out.push(' ');
        }
        html.push_text(n, out);
    }
    if out.len() > TEXT_LIMIT {
        let mut cut = TEXT_LIMIT;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        // Not in the middle of a word.
        let cut = out[..cut].rfind(char::is_whitespace).unwrap_or(cut);
        out.truncate(cut);
    }
}

/// Every document the index holds, in the order it numbers them.
fn documents(v: &Views) -> Vec<DocRef> {
    let d = &v.org.docs;
    let all = |n: usize, r: fn(usize) -> DocRef| (0..n).map(r);
    all(d.people.len(), DocRef::Person)
        .chain(all(d.teams.len(), DocRef::Team))
        .chain(all(d.objectives.len(), DocRef::Objective))
        .chain(all(d.team_goals.len(), DocRef::TeamGoal))
        .chain(all(d.goals.len(), DocRef::Goal))
        .chain(all(d.reflections.len(), DocRef::Reflection))
        .chain(all(d.feedback.len(), DocRef::Feedback))
        .chain(all(d.requests.len(), DocRef::Request))
        .collect()
}

/// The record of one of [`documents`].
fn record<'a>(v: &'a Views, r: DocRef) -> Option<Record<'a>> {
    let d = &v.org.docs;
    let w = v.words;
    let record = |title: String,
                  url: String,
                  kind: String,
                  snippet: &'a str,
                  text: Vec<Cow<'a, str>>,
                  body: &'a Body| Record {
        url,
        title,
        kind,
        snippet,
        text,
        body: Some(body),
    };
    Some(match r {
        DocRef::Person(i) => {
            let p = &d.people[i];
            let mut text: Vec<Cow<str>> = vec![p.handle.as_str().into(), p.role.as_str().into()];
            text.extend(
                p.teams
                    .iter()
                    .map(|t| v.team_link(&t.value).title.to_string().into()),
            );
            record(
                p.name.clone(),
                v.url(&p.meta.id),
                w.get("search.person"),
                &p.role,
                text,
                &p.meta.body,
            )
        }
        DocRef::Team(i) => {
            let t = &d.teams[i];
            record(
                t.name.clone(),
                v.url(&t.meta.id),
                w.get("search.team"),
                &t.mission,
                vec![t.mission.as_str().into()],
                &t.meta.body,
            )
        }
        DocRef::Objective(i) => {
            let o = &d.objectives[i];
            record(
                o.title.clone(),
                v.url(&o.meta.id),
                w.get("search.objective"),
                &o.meta.body.summary,
                Vec::new(),
                &o.meta.body,
            )
        }
        DocRef::TeamGoal(_) | DocRef::Goal(_) => {
            let g = match r {
                DocRef::TeamGoal(i) => &d.team_goals[i],
                DocRef::Goal(i) => &d.goals[i],
                _ => return None,
            };
            let owner = match &g.owner {
                Owner::Person(h) => v.person_link(h).title,
                Owner::Team(t) => v.team_link(t).title,
            };
            record(
                g.title.clone(),
                v.url(&g.meta.id),
                format!("{} · {owner}", w.get("search.goal")),
                &g.meta.body.summary,
                vec![owner.to_string().into()],
                &g.meta.body,
            )
        }
        DocRef::Reflection(i) => {
            let r = &d.reflections[i];
            let who = v.person_link(&r.handle).title;
            record(
                format!("{who} — {} {}", w.get("reflection.title"), r.period),
                v.url(&r.meta.id),
                w.get("search.reflection"),
                &r.meta.body.summary,
                vec![who.to_string().into()],
                &r.meta.body,
            )
        }
        DocRef::Feedback(i) => {
            let f = &d.feedback[i];
            record(
                v.link_id(&f.meta.id).title.to_string(),
                v.url(&f.meta.id),
                w.get("search.feedback"),
                &f.meta.body.summary,
                Vec::new(),
                &f.meta.body,
            )
        }
        DocRef::Request(i) => {
            let r = &d.requests[i];
            record(
                r.title.clone(),
                v.url(&r.meta.id),
                w.get("search.request"),
                &r.meta.body.summary,
                Vec::new(),
                &r.meta.body,
            )
        }
        DocRef::PayPage | DocRef::Level(_) => return None,
    })
}

/// Calls `f` with every token of `text`: a lower-cased run of letters and
/// digits of 2 to 40 characters (what `search.js` does to a query).
fn tokens(text: &str, mut f: impl FnMut(&str)) {
    if text.is_ascii() {
        // The same, a byte at a time: for ASCII, `char::is_alphanumeric`
        // is `u8::is_ascii_alphanumeric` and a character is a byte.
        let bytes = text.as_bytes();
        let mut lower = String::new();
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if !(2..=40).contains(&(i - start)) {
                continue;
            }
            let word = &text[start..i];
            if word.bytes().any(|b| b.is_ascii_uppercase()) {
                lower.clear();
                lower.push_str(word);
                lower.make_ascii_lowercase();
                f(&lower);
            } else {
                f(word);
            }
        }
        return;
    }
    let mut lower = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.len() < 2 {
            continue;
        }
        let n = word.chars().count();
        if !(2..=40).contains(&n) {
            continue;
        }
        lower.clear();
        if word.is_ascii() {
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        f(&lower);
    }
}

/// Every term's postings while building. aHash: faster than SipHash on
/// short keys, and still keyed at random, so that content cannot choose
/// terms that collide.
type Postings = HashMap<String, PostingList, ahash::RandomState>;

/// One term's postings while building, already in the form the index
/// writes them: for each document, in order, `(doc - previous doc) << 2 |
/// weight` as a LEB128 varint. One to three bytes a posting, where a `u32`
/// each (and a vector's spare room) took 150 MB at 10,000 people.
#[derive(Default)]
struct PostingList {
    bytes: Vec<u8>,
    /// How many documents.
    docs: u32,
    /// The last document written to `bytes`.
    written: u32,
    /// The document being counted, not written yet: its number and, while
    /// it is counted, [`IN_TITLE`] and how often (at most 15; 0: none).
    doc: u32,
    pending: u8,
}

const IN_TITLE: u8 = 1 << 4;

impl PostingList {
    /// Counts `term` once in `doc`, which is this list's last document or
    /// one after it.
    fn add(&mut self, doc: u32, title: bool) {
        let flag = if title { IN_TITLE } else { 0 };
        if self.pending != 0 && self.doc == doc {
            let count = ((self.pending & 15) + 1).min(15);
            self.pending = (self.pending & IN_TITLE) | flag | count;
        } else {
            self.flush();
            self.doc = doc;
            self.pending = flag | 1;
            self.docs += 1;
        }
    }

    /// Writes the document being counted.
    fn flush(&mut self) {
        if self.pending != 0 {
            let delta = self.doc - self.written;
            push_varint(
                &mut self.bytes,
                u64::from(delta) << 2 | weight(self.pending),
            );
            self.written = self.doc;
            self.pending = 0;
        }
    }

    /// Appends `later`, whose documents all come after this list's.
    fn append(&mut self, mut later: PostingList) {
        self.flush();
        later.flush();
        let Some((first, len)) = read_varint(&later.bytes) else {
            return;
        };
        // `later` starts from document 0; this list goes on from `written`.
        let doc = (first >> 2) as u32;
        push_varint(
            &mut self.bytes,
            u64::from(doc - self.written) << 2 | (first & 3),
        );
        self.bytes.extend_from_slice(&later.bytes[len..]);
        self.written = later.written;
        self.docs += later.docs;
    }

    /// The `(delta << 2 | weight)` values, in order.
    fn values(&self) -> impl Iterator<Item = u64> + '_ {
        let mut rest = &self.bytes[..];
        std::iter::from_fn(move || {
            let (v, len) = read_varint(rest)?;
            rest = &rest[len..];
            Some(v)
        })
    }
}

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The varint at the start of `bytes` and its length.
fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for (i, b) in bytes.iter().enumerate().take(10) {
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// The weight in the index's two bits of a document counted as `pending`.
fn weight(pending: u8) -> u64 {
    match (pending & IN_TITLE != 0, pending & 15) {
        (true, _) => 3,
        (false, n) if n >= 4 => 2,
        (false, n) if n >= 2 => 1,
        _ => 0,
    }
}

fn add_posting(map: &mut Postings, term: &str, doc: u32, title: bool) {
    match map.get_mut(term) {
        Some(list) => list.add(doc, title),
        None => {
            let mut list = PostingList::default();
            list.add(doc, title);
            map.insert(term.to_string(), list);
        }
    }
}

/// Adds the documents of one chunk to `map`, and writes the chunk.
fn index_chunk(
    v: &Views,
    map: &mut Postings,
    chunk: usize,
    refs: &[DocRef],
    sink: &dyn Sink,
) -> Result<(), OutputError> {
    let records: Vec<Record> = refs.iter().filter_map(|r| record(v, *r)).collect();
    let mut text = String::new();
    for (i, r) in records.iter().enumerate() {
        let doc = (chunk * DOCS_PER_CHUNK + i) as u32;
        tokens(&r.title, |t| add_posting(map, t, doc, true));
        for part in &r.text {
            tokens(part, |t| add_posting(map, t, doc, false));
        }
        if let Some(body) = r.body {
            body_text(body, &mut text);
            tokens(&text, |t| add_posting(map, t, doc, false));
        }
    }
    let rows: Vec<[&str; 4]> = records
        .iter()
        .map(|r| [r.url.as_str(), &r.title, &r.kind, r.snippet])
        .collect();
    let json = serde_json::to_string(&rows).unwrap_or_default();
    sink.put(&format!("search/data/d{chunk}.json"), json.as_bytes())
}

/// Every term with its postings, sorted by term, in one parallel pass that
/// also writes the document chunks (`d<N>.json`): a document's record is
/// made for it there, and dropped with its chunk. Each fold reads a run of
/// chunks in order, and the reduce joins runs in order, so that each list
/// stays in document order.
fn invert(
    v: &Views,
    docs: &[DocRef],
    sink: &dyn Sink,
) -> Result<Vec<(String, PostingList)>, OutputError> {
    let chunks = docs.len().div_ceil(DOCS_PER_CHUNK);
    // Runs of a fixed number of chunks, each a task of its own: left to
    // rayon's splitting, the last run could be a quarter of the work, read
    // by one thread while the other had nothing left to do. Each run's map
    // is one more merge, so there are not many more runs than that.
    let runs = chunks.min(RUNS_PER_THREAD * rayon::current_num_threads());
    let map = (0..runs)
        .into_par_iter()
        .with_max_len(1)
        .map(|run| {
            let mut map = Postings::default();
            for chunk in run * chunks / runs..(run + 1) * chunks / runs {
                let first = chunk * DOCS_PER_CHUNK;
                let refs = &docs[first..(first + DOCS_PER_CHUNK).min(docs.len())];
                index_chunk(v, &mut map, chunk, refs, sink)?;
            }
            Ok::<Postings, OutputError>(map)
        })
        .try_reduce(Postings::default, |mut earlier, later| {
            for (term, list) in later {
                earlier.entry(term).or_default().append(list);
            }
            Ok(earlier)
        })?;
    let mut terms: Vec<(String, PostingList)> = map
        .into_iter()
        .map(|(term, mut list)| {
            list.flush();
            list.bytes.shrink_to_fit();
            (term, list)
        })
        .collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(terms)
}

/// Writes the index of `v`'s documents into `sink`; returns how many files.
pub fn write(v: &Views, sink: &dyn Sink) -> Result<usize, OutputError> {
    let refs = documents(v);
    let docs = refs.len();
    let terms = invert(v, &refs, sink)?;
    let common_limit = if docs >= COMMON_MIN_DOCS {
        (docs as f64 * COMMON_SHARE) as usize
    } else {
        usize::MAX
    };
    let mut common: Vec<String> = Vec::new();
    let mut firsts: Vec<String> = Vec::new();
    let mut chunk = String::new();
    // Each term's postings are dropped once encoded, and each chunk is
    // written when it is full: the index is never in memory twice.
    let write_chunk = |chunk: &mut String, n: usize| {
        chunk.push('}');
        let put = sink.put(&format!("search/data/t{n}.json"), chunk.as_bytes());
        chunk.clear();
        put
    };
    for (term, list) in terms {
        if list.docs as usize > common_limit {
            common.push(term);
            continue;
        }
        if chunk.is_empty() {
            chunk.push('{');
            chunk.push_str(&json_string(&term));
            firsts.push(term);
        } else {
            chunk.push(',');
            chunk.push_str(&json_string(&term));
        }
        chunk.push_str(":[");
        for (i, v) in list.values().enumerate() {
            if i > 0 {
                chunk.push(',');
            }
            chunk.push_str(itoa::Buffer::new().format(v));
        }
        chunk.push(']');
        if chunk.len() >= TERM_CHUNK_BYTES {
            write_chunk(&mut chunk, firsts.len() - 1)?;
        }
    }
    if !chunk.is_empty() {
        write_chunk(&mut chunk, firsts.len() - 1)?;
    }
    let term_chunks = firsts.len();
    let meta = serde_json::json!({
        "version": 1,
        "docs": docs,
        "per_chunk": DOCS_PER_CHUNK,
        "chunks": firsts,
        "common": common,
    });
    sink.put("search/data/meta.json", meta.to_string().as_bytes())?;
    Ok(1 + term_chunks + docs.div_ceil(DOCS_PER_CHUNK))
}

/// A JSON string literal (with `<` escaped, like every JSON the site serves).
fn json_string(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokens(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn tokens_are_lowercased_words_of_two_to_forty_characters() {
        assert_eq!(
            all("Ship the CI-pipeline, a 2nd time; Één ë x"),
            ["ship", "the", "ci", "pipeline", "2nd", "time", "één"]
        );
        assert!(all(&"a".repeat(41)).is_empty());
    }

    /// The words the index reads from a body's HTML are the words of its
    /// running text, for every kind of Markdown a plain body can hold.
    #[test]
    fn text_from_the_html_has_the_words_of_the_running_text() {
        let samples = [
            "Intro **bold**text and *it* [doc](goals/x.md)after, [gone](../../y.md \"T\") `co`de.\n\n## 2026-03-04 — First `demo` 7\n\nAT&T <https://e.com/a?b=1&c=2> x < y > z \"q\" 'a'\n",
            "- [x] done\n- [ ] todo [link](goals/x.md)\n  - nested\n\n| a | b |\n|:-|-:|\n| 1 **2** | `3` |\n\n> quote\nsoft\nbreak  \nhard\n\n---\n",
            "![alt **text** &amp; more](pic.png \"title\")![two](a.png)x\n\n```rust\nfn main() { let x = \"<b>\"; }\n```\n\n    indented code\n\n# H1\n\n### H3 words\n",
            "Ünïcödé — émoji 🎉 &copy; &#60; naïve café\n\n## Plan\n\n1. one\n2. two\n\n## 2026-05-01\n\n## 2026-06-01 Last\n",
            "![x [l](https://e.com/page) y](p.png) after\n",
        ];
        let bag = |text: &str| {
            let mut words = Vec::new();
            tokens(text, |t| words.push(t.to_string()));
            words.sort();
            words
        };
        for md in samples {
            let body = crate::load::markdown::parse(md, "people/x/index.md", 1);
            assert!(matches!(body.content, Content::Html(_)), "{md}");
            let mut text = String::new();
            body_text(&body, &mut text);
            let running = crate::load::markdown::running_text(md);
            assert_eq!(bag(&text), bag(&running), "{md}\n{text}\n{running}");
        }
        // A long body is cut to the limit, between words.
        let long = "word ".repeat(2000);
        let body = crate::load::markdown::parse(&long, "people/x/index.md", 1);
        let mut text = String::new();
        body_text(&body, &mut text);
        assert!(text.len() <= TEXT_LIMIT && text.len() > TEXT_LIMIT - 10);
        assert!(text.split_whitespace().all(|w| w == "word"));
    }

    #[test]
    fn postings_count_and_mark_titles() {
        let mut map = Postings::default();
        for _ in 0..5 {
            add_posting(&mut map, "goal", 7, false);
        }
        add_posting(&mut map, "goal", 9, true);
        add_posting(&mut map, "goal", 9, false);
        add_posting(&mut map, "goal", 300, false);
        let list = map.get_mut("goal").unwrap();
        list.flush();
        assert_eq!(list.docs, 3);
        // Document 7 four or more times, 9 in the title, 300 once.
        assert_eq!(
            list.values().collect::<Vec<_>>(),
            [7 << 2 | 2, 2 << 2 | 3, 291 << 2]
        );
    }

    /// Lists built in runs and joined are the list built in one run.
    #[test]
    fn joined_postings_are_the_postings_of_all_documents() {
        let docs: Vec<(u32, bool)> = (0..2000u32)
            .filter(|d| d % 3 != 1)
            .flat_map(|d| std::iter::repeat_n((d, d % 7 == 0), (d % 5) as usize + 1))
            .collect();
        let mut whole = PostingList::default();
        for &(d, t) in &docs {
            whole.add(d, t);
        }
        whole.flush();
        for cut in [0, 1, 5, 700, docs.len() - 1, docs.len()] {
            let mut first = PostingList::default();
            let mut second = PostingList::default();
            // A cut between two postings of one document would split it:
            // runs are whole documents.
            let mut cut = cut;
            while cut > 0 && cut < docs.len() && docs[cut].0 == docs[cut - 1].0 {
                cut += 1;
            }
            for &(d, t) in &docs[..cut] {
                first.add(d, t);
            }
            for &(d, t) in &docs[cut..] {
                second.add(d, t);
            }
            first.append(second);
            assert_eq!(first.docs, whole.docs, "cut at {cut}");
            assert_eq!(
                first.values().collect::<Vec<_>>(),
                whole.values().collect::<Vec<_>>(),
                "cut at {cut}"
            );
        }
    }
}
