//! What happened, and who can follow it: the activity of the organization as
//! events (feedback, reflections, check-ins, requests, goals created and
//! achieved), the Atom feeds of the whole organization, of each team and of
//! each person, the sitemap, and the JSON export of everything the site shows.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value as Json, json};

use super::markdown::SafeHtml;
use super::views::{
    FeedbackCard, GoalCard, Link, ObjectiveCard, PersonCard, ReflectionCard, RequestCard, TeamCard,
    Views,
};
use crate::history::ChangeKind;
use crate::model::DocRef;
use crate::model::documents::{
    Date, Feedback, Goal, Objective, Owner, Person, Reflection, Request, Team,
};

/// Version of the JSON export's schema; bumped on any incompatible change.
pub const EXPORT_SCHEMA: &str = "openfolio.export/1";

/// One thing that happened, as a feed or the home page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub kind: &'static str,
    pub kind_label: String,
    pub date: Date,
    pub who: Link,
    pub title: String,
    pub url: String,
    pub summary: String,
    /// A stable id for the feed entry.
    pub id: String,
}

/// An Atom feed as the `feed.xml` template reads it (`feed`).
#[derive(Debug, Serialize)]
pub struct Feed {
    title: String,
    id: String,
    #[serde(rename = "self")]
    self_url: String,
    alternate: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

/// One entry of a [`Feed`].
#[derive(Debug, Serialize)]
struct FeedEntry {
    id: String,
    title: String,
    url: String,
    updated: String,
    author: std::sync::Arc<str>,
    summary: String,
}

/// An event as the site keeps it between being listed and being shown:
/// what orders it, and which event of which document it is. A feed shows
/// at most 50 events, so the rest ([`Event`]s take ten times the room) are
/// never made whole at once.
#[derive(Debug, Clone)]
pub struct EventRef {
    pub date: Date,
    /// The [`Event::id`].
    pub id: String,
    pub doc: DocRef,
    /// Its place among the events of `doc` ([`Views::events_of`]).
    pub nth: usize,
}

/// Newest first, then by id. Only events of one document share an id
/// (check-ins on one day), and those keep the order of its body.
pub fn event_order(a: &EventRef, b: &EventRef) -> std::cmp::Ordering {
    b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id))
}

/// Whether `event` is one of the events of the document `id`.
pub fn is_event_of(event: &EventRef, id: &str) -> bool {
    event
        .id
        .strip_prefix(id)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('#'))
}

impl<'a> Views<'a> {
    fn teams_of(&self, handle: &str) -> Vec<&'a str> {
        self.org
            .person(handle)
            .map(|p| p.teams.iter().map(|t| t.value.as_str()).collect())
            .unwrap_or_default()
    }

    /// Every event up to `today`, newest first (ties by id, so the order is stable).
    pub fn events(&self, today: Date) -> Vec<EventRef> {
        let d = &self.org.docs;
        let mut out: Vec<EventRef> = d
            .refs()
            .collect::<Vec<_>>()
            .par_iter()
            .with_max_len(256)
            .flat_map_iter(|r| self.event_refs_of(*r, today))
            .collect();
        out.par_sort_by(event_order);
        out
    }

    /// [`Views::events_of`], as the site keeps them.
    pub fn event_refs_of(&self, r: DocRef, today: Date) -> Vec<EventRef> {
        self.events_of(r, today)
            .into_iter()
            .enumerate()
            .map(|(nth, e)| EventRef {
                date: e.date,
                id: e.id,
                doc: r,
                nth,
            })
            .collect()
    }

    /// The event `e` refers to, whole.
    pub fn event(&self, e: &EventRef) -> Option<Event> {
        self.events_of(e.doc, self.today).into_iter().nth(e.nth)
    }

    /// The people and the teams whose feeds the events of `r` belong to.
    pub fn followers(&self, r: DocRef) -> (Vec<&'a str>, Vec<&'a str>) {
        let d = &self.org.docs;
        let person = |h: &'a String| (vec![h.as_str()], self.teams_of(h));
        match r {
            DocRef::Feedback(i) => person(&d.feedback[i].to),
            DocRef::Reflection(i) => person(&d.reflections[i].handle),
            DocRef::Request(i) => person(&d.requests[i].handle),
            DocRef::Goal(_) | DocRef::TeamGoal(_) => {
                let g = match r {
                    DocRef::Goal(i) => &d.goals[i],
                    DocRef::TeamGoal(i) => &d.team_goals[i],
                    _ => return Default::default(),
                };
                match &g.owner {
                    Owner::Person(h) => person(h),
                    Owner::Team(t) => (Vec::new(), vec![t.as_str()]),
                }
            }
            _ => Default::default(),
        }
    }

    /// The events of one document up to `today`, in the order its body gives them.
    pub fn events_of(&self, r: DocRef, today: Date) -> Vec<Event> {
        let d = &self.org.docs;
        let w = self.words;
        let mut out = Vec::new();
        let mut push = |kind: &'static str,
                        date: Date,
                        who: Link,
                        title: String,
                        url: String,
                        summary: String,
                        id: String| {
            if date <= today {
                out.push(Event {
                    kind,
                    kind_label: w.get(&format!("activity.{kind}")),
                    date,
                    who,
                    title,
                    url,
                    summary,
                    id,
                });
            }
        };
        match r {
            DocRef::Feedback(i) => {
                let f = &d.feedback[i];
                if let Some(date) = f.date.filter(|d| *d <= today) {
                    // What the feedback's card would show, without the rest
                    // of the card: most events are feedback.
                    push(
                        "feedback",
                        date,
                        self.feedback_from(f),
                        format!(
                            "{} → {}",
                            self.kind_label(&f.kind),
                            self.person_link(&f.to).title
                        ),
                        self.url(&f.meta.id),
                        f.meta.body.summary.clone(),
                        f.meta.id.clone(),
                    );
                }
            }
            DocRef::Reflection(i) => {
                let r = &d.reflections[i];
                if let Some(date) = r.date {
                    let title = format!("{} {}", w.get("reflection.title"), r.period);
                    push(
                        "reflection",
                        date,
                        self.person_link(&r.handle),
                        title,
                        self.url(&r.meta.id),
                        r.meta.body.summary.clone(),
                        r.meta.id.clone(),
                    );
                }
            }
            DocRef::Request(i) => {
                let r = &d.requests[i];
                if let Some(date) = r.date {
                    push(
                        "request",
                        date,
                        self.person_link(&r.handle),
                        r.title.clone(),
                        self.url(&r.meta.id),
                        r.meta.body.summary.clone(),
                        r.meta.id.clone(),
                    );
                }
            }
            DocRef::Goal(_) | DocRef::TeamGoal(_) => {
                let g = match r {
                    DocRef::Goal(i) => &d.goals[i],
                    DocRef::TeamGoal(i) => &d.team_goals[i],
                    _ => return out,
                };
                let who = match &g.owner {
                    Owner::Person(h) => self.person_link(h),
                    Owner::Team(t) => self.team_link(t),
                };
                for s in g.meta.body.sections.iter().filter(|s| s.date.is_some()) {
                    let date = s.date.unwrap_or_default();
                    let title = if s.title.is_empty() {
                        g.title.clone()
                    } else {
                        format!("{}: {}", g.title, s.title)
                    };
                    push(
                        "checkin",
                        date,
                        who.clone(),
                        title,
                        format!("{}#checkin-{date}", self.url(&g.meta.id)),
                        String::new(),
                        format!("{}#{date}", g.meta.id),
                    );
                }
                // Created and achieved, when git history says when.
                if let Some(h) = self.history {
                    let changes = h.changes(&g.meta.file);
                    if let Some(first) = changes.first().filter(|c| c.kind == ChangeKind::Added) {
                        push(
                            "goal",
                            h.commits[first.commit].date,
                            who.clone(),
                            g.title.clone(),
                            self.url(&g.meta.id),
                            g.meta.body.summary.clone(),
                            format!("{}#created", g.meta.id),
                        );
                    }
                    let achieved = changes.iter().find(|c| {
                        c.fields
                            .iter()
                            .any(|f| f.field == "status" && f.to.as_deref() == Some("achieved"))
                    });
                    if let Some(c) = achieved.filter(|_| g.status == "achieved") {
                        push(
                            "achieved",
                            h.commits[c.commit].date,
                            who,
                            g.title.clone(),
                            self.url(&g.meta.id),
                            String::new(),
                            format!("{}#achieved", g.meta.id),
                        );
                    }
                }
            }
            _ => {}
        }
        out
    }

    /// An Atom feed's data for the `feed.xml` template.
    pub fn feed(
        &self,
        title: &str,
        path: &str,
        page: &str,
        events: &[&EventRef],
        absolute: &str,
    ) -> Feed {
        let org = self.org.docs.config.name.to_lowercase().replace(' ', "-");
        let updated = events.first().map(|e| e.date);
        let entries = events
            .iter()
            .take(50)
            .filter_map(|e| self.event(e))
            .map(|e| FeedEntry {
                id: format!("urn:openfolio:{org}:{}", e.id),
                title: format!("{}: {}", e.kind_label, e.title),
                url: format!("{absolute}{}", e.url.trim_start_matches('/')),
                updated: format!("{}T00:00:00Z", e.date),
                author: e.who.title,
                summary: e.summary,
            })
            .collect();
        Feed {
            title: title.to_string(),
            id: format!("urn:openfolio:{org}:{path}"),
            self_url: format!("{absolute}{}", path.trim_start_matches('/')),
            alternate: format!("{absolute}{}", page.trim_start_matches('/')),
            updated: format!(
                "{}T00:00:00Z",
                updated.map_or_else(|| "1970-01-01".into(), |d| d.to_string())
            ),
            entries,
        }
    }

    /// Everything the site shows, as data other tools can read
    /// (schema [`EXPORT_SCHEMA`], documented in the README). The lists are
    /// made while they are serialized, a chunk of documents at a time (each
    /// chunk in parallel), so that the export is never whole in memory.
    pub fn export(&self) -> Export<'_> {
        let d = &self.org.docs;
        let pay_public = self
            .pay
            .filter(|p| p.rules.publish == crate::pay::rules::Publish::Individual);
        Export {
            schema: EXPORT_SCHEMA,
            organization: json!({
                "name": d.config.name,
                "language": d.config.language,
                "values": d.config.values,
                "expectations": d.config.expectations.iter().map(|e| json!({"id": e.id, "value": e.value.value, "behaviour": e.behaviour})).collect::<Vec<_>>(),
                "cycle": d.config.cycle,
            }),
            objectives: Chunked::new(d.objectives.iter(), move |o| {
                self.export_item(self.objective(o), &o.meta.id)
            }),
            teams: Chunked::new(d.teams.iter(), move |t| {
                self.export_item(self.team(t), &t.meta.id)
            }),
            people: Chunked::new(d.people.iter(), move |p| PersonItem {
                card: self.person(p),
                level: p.level.as_ref().map(|l| l.value.clone()),
                fte: p.fte.as_ref().map(|f| f.value.normalize().to_string()),
                start: p.start,
                coach: p.coach.as_ref().map(|c| c.value.clone()),
                body_html: self.body_html(&p.meta.id),
                pay: pay_public.map(|r| self.pay_breakdown(r, &p.handle)),
            }),
            goals: Chunked::new(d.team_goals.iter().chain(&d.goals), move |g| {
                self.export_item(self.goal(g), &g.meta.id)
            }),
            reflections: Chunked::new(d.reflections.iter(), move |r| {
                self.export_item(self.reflection(r), &r.meta.id)
            }),
            feedback: Chunked::new(d.feedback.iter(), move |f| {
                self.export_item(self.feedback(f), &f.meta.id)
            }),
            requests: Chunked::new(d.requests.iter(), move |r| {
                self.export_item(self.request(r), &r.meta.id)
            }),
        }
    }
}

impl Views<'_> {
    fn export_item<C>(&self, card: C, id: &str) -> Item<C> {
        Item {
            card,
            body_html: self.body_html(id),
        }
    }
}

/// The JSON export (`data/org.json`, `openfolio export`).
#[derive(Serialize)]
pub struct Export<'a> {
    schema: &'static str,
    organization: Json,
    objectives: Chunked<'a, Objective, Item<ObjectiveCard>>,
    teams: Chunked<'a, Team, Item<TeamCard>>,
    people: Chunked<'a, Person, PersonItem>,
    goals: Chunked<'a, Goal, Item<GoalCard>>,
    reflections: Chunked<'a, Reflection, Item<ReflectionCard>>,
    feedback: Chunked<'a, Feedback, Item<FeedbackCard<'a>>>,
    requests: Chunked<'a, Request, Item<RequestCard>>,
}

/// A list of the export: its items are made when it is serialized, a
/// chunk at a time, in order.
struct Chunked<'a, D, T> {
    docs: Vec<&'a D>,
    make: Box<dyn Fn(&'a D) -> T + Send + Sync + 'a>,
}

/// How many items of a list are in memory at once.
const EXPORT_CHUNK: usize = 512;

impl<'a, D: Sync, T: Send> Chunked<'a, D, T> {
    fn new(
        docs: impl Iterator<Item = &'a D>,
        make: impl Fn(&'a D) -> T + Send + Sync + 'a,
    ) -> Self {
        Chunked {
            docs: docs.collect(),
            make: Box::new(make),
        }
    }
}

impl<D: Sync, T: Serialize + Send> Serialize for Chunked<'_, D, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.docs
                .chunks(EXPORT_CHUNK)
                .flat_map(|chunk| chunk.par_iter().map(|d| (self.make)(d)).collect::<Vec<T>>()),
        )
    }
}

impl<D: Sync, T: Serialize + Send> Chunked<'_, D, T> {
    /// The list as [`site_json`] writes it. [`Threads::Pool`]
    /// serializes each chunk's items side by side (the same bytes, in a
    /// fraction of the time); [`Threads::This`] makes and writes one item
    /// at a time on the calling thread.
    fn write_json(&self, w: &mut dyn std::io::Write, threads: Threads) -> std::io::Result<()> {
        w.write_all(b"[")?;
        let mut first = true;
        let mut comma = |w: &mut dyn std::io::Write| {
            let sep: &[u8] = if first { b"" } else { b"," };
            first = false;
            w.write_all(sep)
        };
        match threads {
            Threads::Pool => {
                for chunk in self.docs.chunks(EXPORT_CHUNK) {
                    let items: Vec<Vec<u8>> = chunk
                        .par_iter()
                        .with_max_len(16)
                        .map(|d| site_json(&(self.make)(d)))
                        .collect();
                    for item in items {
                        comma(w)?;
                        w.write_all(&item)?;
                    }
                }
            }
            Threads::This => {
                debug_assert!(
                    rayon::current_thread_index().is_none(),
                    "the export's own thread, not the pool's"
                );
                // Each item into one buffer, reused: serializing through
                // `dyn Write` is a virtual call per fragment.
                let mut item = Vec::new();
                for d in &self.docs {
                    comma(w)?;
                    item.clear();
                    serialize_site_json(&(self.make)(d), &mut item)?;
                    w.write_all(&item)?;
                }
            }
        }
        w.write_all(b"]")
    }
}

/// Where the export's items are made and serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threads {
    /// Side by side on rayon's threads.
    Pool,
    /// On the calling thread alone: for a thread of its own that writes the
    /// export while the pool renders pages (work handed to the pool from
    /// outside it would wait for the pages).
    This,
}

impl Export<'_> {
    /// The export as [`site_json`] writes it (the same bytes), its
    /// items made and serialized as `threads` says.
    pub fn write_json(&self, w: &mut dyn std::io::Write, threads: Threads) -> std::io::Result<()> {
        use std::io::Write;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
        let key = |w: &mut dyn std::io::Write, first: bool, name: &str| {
            w.write_all(if first { b"{\"" } else { b",\"" })?;
            w.write_all(name.as_bytes())?;
            w.write_all(b"\":")
        };
        key(&mut w, true, "schema")?;
        w.write_all(&site_json(&self.schema))?;
        key(&mut w, false, "organization")?;
        w.write_all(&site_json(&self.organization))?;
        key(&mut w, false, "objectives")?;
        self.objectives.write_json(&mut w, threads)?;
        key(&mut w, false, "teams")?;
        self.teams.write_json(&mut w, threads)?;
        key(&mut w, false, "people")?;
        self.people.write_json(&mut w, threads)?;
        key(&mut w, false, "goals")?;
        self.goals.write_json(&mut w, threads)?;
        key(&mut w, false, "reflections")?;
        self.reflections.write_json(&mut w, threads)?;
        key(&mut w, false, "feedback")?;
        self.feedback.write_json(&mut w, threads)?;
        key(&mut w, false, "requests")?;
        self.requests.write_json(&mut w, threads)?;
        w.write_all(b"}")?;
        w.flush()
    }
}

/// A document in the export: its card, as the pages show it, and its body.
#[derive(Serialize)]
struct Item<C> {
    card: C,
    body_html: SafeHtml,
}

#[derive(Serialize)]
struct PersonItem {
    card: PersonCard,
    level: Option<String>,
    fte: Option<String>,
    start: Option<Date>,
    coach: Option<String>,
    body_html: SafeHtml,
    pay: Option<Json>,
}

/// JSON served inside a site: compact, with `<` written as `\u003c` so that
/// no string can close a script element or start markup if embedded.
pub fn site_json(value: &impl Serialize) -> Vec<u8> {
    let mut out = Vec::new();
    // Serializing our own types into memory cannot fail; a `Vec` needs no
    // buffer in front of it.
    let _ = serialize_site_json(value, &mut out);
    out
}

/// [`site_json`], into a writer (one that buffers: serde writes small pieces).
fn serialize_site_json<W: std::io::Write>(value: &impl Serialize, w: W) -> std::io::Result<()> {
    struct HtmlSafe;
    impl serde_json::ser::Formatter for HtmlSafe {
        fn write_string_fragment<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
            fragment: &str,
        ) -> std::io::Result<()> {
            let mut rest = fragment;
            while let Some(i) = rest.find('<') {
                w.write_all(&rest.as_bytes()[..i])?;
                w.write_all(b"\\u003c")?;
                rest = &rest[i + 1..];
            }
            w.write_all(rest.as_bytes())
        }
    }
    let mut ser = serde_json::Serializer::with_formatter(w, HtmlSafe);
    value.serialize(&mut ser).map_err(std::io::Error::other)
}
