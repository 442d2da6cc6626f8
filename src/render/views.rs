//! What templates see: plain, serializable views of the model, built once per
//! document and shared by every page that shows it. Every field a template
//! may print with `safe` is a [`SafeHtml`] named `*_html`.

use crate::model::HashMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use super::i18n::Words;
use super::markdown::{SafeHtml, SectionHtml};
use crate::model::documents::*;
use crate::model::{DocRef, Org};

/// A link to a page, or plain text when the target is not in the site.
#[derive(Debug, Clone, Default)]
pub struct Link {
    /// Shared, not copied: a person's or a team's link is in most cards.
    pub title: Arc<str>,
    pub url: Option<Arc<str>>,
    /// The link as a template value, when it is one that many cards hold (a
    /// person's, a team's): made once, and shared by each card's value
    /// instead of copied into it (Tera keeps a value inside a serialized
    /// struct as it is).
    shared: Option<tera::Value>,
}

impl Link {
    pub fn new(title: String, url: Option<String>) -> Self {
        Link {
            title: title.into(),
            url: url.map(Into::into),
            shared: None,
        }
    }
}

impl PartialEq for Link {
    fn eq(&self, other: &Self) -> bool {
        self.title == other.title && self.url == other.url
    }
}

impl Eq for Link {}

impl Serialize for Link {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if let Some(shared) = &self.shared {
            return shared.serialize(s);
        }
        let mut link = s.serialize_struct("Link", 2)?;
        link.serialize_field("title", &self.title)?;
        link.serialize_field("url", &self.url)?;
        link.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub human: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalCard {
    pub id: String,
    pub url: String,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub kind: Option<String>,
    pub kind_label: Option<String>,
    /// Explicit or rolled up; `None` when nothing is known.
    pub progress: Option<u8>,
    pub progress_rolled_up: bool,
    pub due: Option<DateView>,
    pub supports: Option<Link>,
    pub owner: Link,
    pub summary: String,
    pub checkins: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonCard {
    pub handle: String,
    pub url: String,
    pub name: String,
    pub role: String,
    pub teams: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedbackCard<'a> {
    /// Borrowed from the model: a card is made for each page that lists the
    /// feedback, and serialized straight away.
    pub id: &'a str,
    pub url: String,
    pub from: Link,
    pub external: bool,
    pub to: Link,
    pub date: Option<DateView>,
    pub period: String,
    pub kind: &'a str,
    pub kind_label: String,
    pub about: Option<Link>,
    pub request: Option<Link>,
    pub context: Option<&'a str>,
    pub summary: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReflectionCard {
    pub id: String,
    pub url: String,
    pub person: Link,
    pub period: String,
    pub date: Option<DateView>,
    pub reviewers: Vec<ReviewerView>,
    pub moment: Option<String>,
    pub summary: String,
}

/// A chosen reviewer and whether they have answered (feedback about the reflection).
#[derive(Debug, Clone, Serialize)]
pub struct ReviewerView {
    pub person: Link,
    pub answered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestCard {
    pub id: String,
    pub url: String,
    pub title: String,
    pub person: Link,
    pub date: Option<DateView>,
    pub until: Option<DateView>,
    pub status: String,
    pub status_label: String,
    pub about: Option<Link>,
    pub asked: Vec<ReviewerView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamCard {
    pub slug: String,
    pub url: String,
    pub name: String,
    pub mission: String,
    pub facilitators: Vec<Link>,
    pub member_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveCard {
    pub id: String,
    pub url: String,
    pub title: String,
    pub period: String,
    pub status: String,
    pub status_label: String,
    pub owner: Option<Link>,
    pub progress: Option<u8>,
    /// Progress computed from the goals that support it.
    pub progress_rolled_up: bool,
    pub summary: String,
}

/// Builds views, with the URL of every page in the site at hand.
pub struct Views<'a> {
    pub org: &'a Org,
    pub base: &'a str,
    pub words: &'a Words,
    pub bodies: Bodies<'a>,
    /// Pay computed over the whole repository, when there are pay rules.
    pub pay: Option<&'a crate::pay::PayReport>,
    pub version: Option<&'a super::pay::Version>,
    pub history: Option<&'a crate::history::History>,
    /// Source files of every document in the site.
    pub visible_files: std::collections::HashSet<&'a str>,
    /// The cycle moments that some reflection is written for: the moments
    /// a portfolio reminds its owner of.
    pub reflection_moments: std::collections::HashSet<&'a str>,
    /// Commit → the files it changed (path, change), built once.
    pub commit_index: HashMap<usize, Vec<(&'a str, usize)>>,
    /// Everything that happened, newest first (see `feeds`).
    pub events: &'a [super::feeds::EventRef],
    /// The day the site is built as of.
    pub today: Date,
    /// The files in git history under each person's folder, by handle.
    pub files_of: HashMap<&'a str, Vec<&'a str>>,
    /// Every document's card as a template value, built once.
    pub cards: Cards,
}

/// Where the views get each body's HTML from.
pub enum Bodies<'a> {
    /// Rendered beforehand, by document id: `serve` keeps them between
    /// edits and renders only the edited ones again.
    Rendered(&'a HashMap<String, Vec<SectionHtml>>),
    /// Rendered when a page or the export asks for one, and dropped after:
    /// `build` never holds the HTML of every body at once. Each body is on
    /// one page, so only the export renders it a second time.
    OnDemand {
        links: super::markdown::LinkTargets<'a>,
        sanitizer: Box<ammonia::Builder<'static>>,
    },
}

/// Every document's card as a template value, built the first time a page
/// shows it and shared (an `Arc` clone, not a copy) by every page after
/// that: a goal is shown on its own page, on its owner's portfolio, on the
/// pages of what it supports and in every list of them, and is built once.
/// Feedback cards are not kept: each is shown on a few pages only, building
/// one again costs no more than keeping it, and feedback is most of the
/// documents (at 10,000 people, keeping them took ~120 MB).
#[derive(Default)]
pub struct Cards {
    /// Each person's and team's link, which most cards hold.
    person_links: Vec<OnceLock<Link>>,
    team_links: Vec<OnceLock<Link>>,
    objectives: Vec<OnceLock<tera::Value>>,
    teams: Vec<OnceLock<tera::Value>>,
    team_goals: Vec<OnceLock<tera::Value>>,
    people: Vec<OnceLock<tera::Value>>,
    goals: Vec<OnceLock<tera::Value>>,
    reflections: Vec<OnceLock<tera::Value>>,
    requests: Vec<OnceLock<tera::Value>>,
}

impl Cards {
    /// Room for the cards of every document of `d`, none built yet.
    pub fn new(d: &Documents) -> Self {
        fn slots<T>(n: usize) -> Vec<OnceLock<T>> {
            (0..n).map(|_| OnceLock::new()).collect()
        }
        Cards {
            person_links: slots(d.people.len()),
            team_links: slots(d.teams.len()),
            objectives: slots(d.objectives.len()),
            teams: slots(d.teams.len()),
            team_goals: slots(d.team_goals.len()),
            people: slots(d.people.len()),
            goals: slots(d.goals.len()),
            reflections: slots(d.reflections.len()),
            requests: slots(d.requests.len()),
        }
    }

    /// Frees the cards side by side: at 10,000 people, dropping them on one
    /// thread took 130 ms while the other had nothing to do.
    pub fn release(self) {
        drop((self.person_links, self.team_links));
        for cards in [
            self.objectives,
            self.teams,
            self.team_goals,
            self.people,
            self.goals,
            self.reflections,
            self.requests,
        ] {
            cards.into_par_iter().with_max_len(1024).for_each(drop);
        }
    }
}

impl<'a> Views<'a> {
    /// The card of a document as a template value (see [`Cards`]).
    pub fn card(&self, r: DocRef) -> tera::Value {
        type Build = fn(&Views, usize) -> tera::Value;
        let c = &self.cards;
        let (slot, build, i): (_, Build, _) = match r {
            DocRef::Objective(i) => (
                &c.objectives[i],
                |v, i| value(&v.objective(&v.org.docs.objectives[i])),
                i,
            ),
            DocRef::Team(i) => (&c.teams[i], |v, i| value(&v.team(&v.org.docs.teams[i])), i),
            DocRef::TeamGoal(i) => (
                &c.team_goals[i],
                |v, i| value(&v.goal(&v.org.docs.team_goals[i])),
                i,
            ),
            DocRef::Person(i) => (
                &c.people[i],
                |v, i| value(&v.person(&v.org.docs.people[i])),
                i,
            ),
            DocRef::Goal(i) => (&c.goals[i], |v, i| value(&v.goal(&v.org.docs.goals[i])), i),
            DocRef::Reflection(i) => (
                &c.reflections[i],
                |v, i| value(&v.reflection(&v.org.docs.reflections[i])),
                i,
            ),
            DocRef::Feedback(i) => return value(&self.feedback(&self.org.docs.feedback[i])),
            DocRef::Request(i) => (
                &c.requests[i],
                |v, i| value(&v.request(&v.org.docs.requests[i])),
                i,
            ),
            DocRef::PayPage | DocRef::Level(_) => return tera::Value::none(),
        };
        slot.get_or_init(|| build(self, i)).clone()
    }

    /// The cards of `refs`, in order.
    pub fn cards(&self, refs: impl IntoIterator<Item = DocRef>) -> Vec<tera::Value> {
        refs.into_iter().map(|r| self.card(r)).collect()
    }

    pub fn url(&self, id: &str) -> String {
        format!("{}{}/", self.base, super::encode_path(id))
    }

    pub fn date(&self, d: Option<Date>) -> Option<DateView> {
        d.map(|d| DateView {
            iso: d.to_string(),
            human: self.words.date(d),
        })
    }

    /// A link to any id; plain text when it is not in the site.
    pub fn link_id(&self, id: &str) -> Link {
        if let Some(DocRef::Feedback(i)) = self.org.index.ids.get(id) {
            let f = &self.org.docs.feedback[*i];
            let title = self
                .words
                .get("feedback.link_title")
                .replace("{from}", &self.org.from_name(f))
                .replace("{to}", &self.org.display_name(&f.to));
            return Link::new(title, Some(self.url(id)));
        }
        match self.org.index.ids.get(id) {
            Some(r) => Link::new(self.org.title(*r), Some(self.url(id))),
            None => {
                // Expectations are named by id on the "how it works" page.
                if let Some(e) = self
                    .org
                    .docs
                    .config
                    .expectations
                    .iter()
                    .find(|e| e.id == id)
                {
                    return Link::new(
                        e.behaviour.clone(),
                        Some(format!("{}how-it-works/#expectation-{}", self.base, e.id)),
                    );
                }
                Link::new(id.rsplit('/').next().unwrap_or(id).to_string(), None)
            }
        }
    }

    pub fn person_link(&self, handle: &str) -> Link {
        match self.org.index.people.get(handle) {
            Some(&i) => shared(self.cards.person_links.get(i), || {
                let p = &self.org.docs.people[i];
                Link::new(p.name.clone(), Some(self.url(&p.meta.id)))
            }),
            None => Link::new(handle.to_string(), None),
        }
    }

    pub fn team_link(&self, slug: &str) -> Link {
        match self.org.index.teams.get(slug) {
            Some(&i) => shared(self.cards.team_links.get(i), || {
                let t = &self.org.docs.teams[i];
                Link::new(t.name.clone(), Some(self.url(&t.meta.id)))
            }),
            None => Link::new(slug.to_string(), None),
        }
    }

    /// The sections of a document's body as HTML (see [`Bodies`]).
    pub fn sections(&self, id: &str) -> std::borrow::Cow<'_, [SectionHtml]> {
        match &self.bodies {
            Bodies::Rendered(html) => html.get(id).map(Vec::as_slice).unwrap_or(&[]).into(),
            Bodies::OnDemand { links, sanitizer } => self
                .org
                .index
                .ids
                .get(id)
                .and_then(|r| self.org.meta(*r))
                .map(|m| super::markdown::render(&m.body, links, sanitizer))
                .unwrap_or_default()
                .into(),
        }
    }

    /// The whole body as one piece of HTML (check-ins shown as headings).
    pub fn body_html(&self, id: &str) -> SafeHtml {
        match self.sections(id) {
            // Most bodies are one section without a date: its HTML is the
            // body's, taken as it is rather than copied.
            std::borrow::Cow::Owned(mut one) if one.len() == 1 && one[0].date.is_none() => {
                one.pop().map(|s| s.body_html).unwrap_or_default()
            }
            sections => super::markdown::join_sections(&sections),
        }
    }

    pub fn goal(&self, g: &Goal) -> GoalCard {
        let explicit = g.progress.as_ref().map(|p| p.value);
        let progress = self.org.index.progress.get(&g.meta.id).copied().flatten();
        GoalCard {
            id: g.meta.id.clone(),
            url: self.url(&g.meta.id),
            title: g.title.clone(),
            status: g.status.clone(),
            status_label: self.words.get(&format!("status.{}", g.status)),
            kind: g.kind.clone(),
            kind_label: g
                .kind
                .as_ref()
                .map(|k| self.words.get(&format!("kind.{k}"))),
            progress,
            progress_rolled_up: explicit.is_none() && progress.is_some() && g.status != "achieved",
            due: self.date(g.due),
            supports: g.supports.as_ref().map(|s| self.link_id(&s.value)),
            owner: match &g.owner {
                Owner::Person(h) => self.person_link(h),
                Owner::Team(t) => self.team_link(t),
            },
            summary: g.meta.body.summary.clone(),
            checkins: g
                .meta
                .body
                .sections
                .iter()
                .filter(|s| s.date.is_some())
                .count(),
        }
    }

    pub fn person(&self, p: &Person) -> PersonCard {
        PersonCard {
            handle: p.handle.clone(),
            url: self.url(&p.meta.id),
            name: p.name.clone(),
            role: p.role.clone(),
            teams: p.teams.iter().map(|t| self.team_link(&t.value)).collect(),
        }
    }

    /// Who gave a piece of feedback: their portfolio, or an outsider's name.
    pub fn feedback_from(&self, f: &Feedback) -> Link {
        if f.is_external() {
            Link::new(self.org.from_name(f), None)
        } else {
            self.person_link(&f.from.value)
        }
    }

    /// The words for a kind of feedback ("Appreciation").
    pub fn kind_label(&self, kind: &str) -> String {
        self.words.get(&format!("kind.{kind}"))
    }

    pub fn feedback<'f>(&self, f: &'f Feedback) -> FeedbackCard<'f> {
        FeedbackCard {
            id: &f.meta.id,
            url: self.url(&f.meta.id),
            from: self.feedback_from(f),
            external: f.is_external(),
            to: self.person_link(&f.to),
            date: self.date(f.date),
            period: f.date.map(half_year).unwrap_or_default(),
            kind: &f.kind,
            kind_label: self.kind_label(&f.kind),
            about: f.about.as_ref().map(|a| self.link_id(&a.value)),
            request: f.request.as_ref().map(|r| self.link_id(&r.value)),
            context: f
                .context
                .as_ref()
                .map(|c| c.value.as_str())
                .filter(|c| crate::check::references::is_safe_url(c)),
            summary: &f.meta.body.summary,
        }
    }

    /// Who answered: feedback about `id` (or answering it) from each person,
    /// or a review of a change to it (a `Reviewed-by:` trailer, a merge).
    fn answered(&self, id: &str, handle: &str) -> bool {
        let ix = &self.org.index;
        let reviewed = match (self.history, ix.ids.get(id).and_then(|r| self.org.meta(*r))) {
            (Some(h), Some(meta)) => h
                .reviewers(&meta.file)
                .iter()
                .any(|s| s.handle.as_deref() == Some(handle)),
            _ => false,
        };
        reviewed
            || ix
                .feedback_about
                .get(id)
                .into_iter()
                .chain(ix.answers.get(id))
                .flatten()
                .any(|&i| self.org.docs.feedback[i].from.value == handle)
    }

    pub fn reflection(&self, r: &Reflection) -> ReflectionCard {
        ReflectionCard {
            id: r.meta.id.clone(),
            url: self.url(&r.meta.id),
            person: self.person_link(&r.handle),
            period: r.period.clone(),
            date: self.date(r.date),
            reviewers: r
                .reviewers
                .iter()
                .map(|h| ReviewerView {
                    person: self.person_link(&h.value),
                    answered: self.answered(&r.meta.id, &h.value),
                })
                .collect(),
            moment: r.moment.as_ref().and_then(|m| {
                self.org
                    .docs
                    .config
                    .cycle
                    .iter()
                    .find(|c| c.id == m.value)
                    .map(|c| c.name.clone())
            }),
            summary: r.meta.body.summary.clone(),
        }
    }

    pub fn request(&self, r: &Request) -> RequestCard {
        RequestCard {
            id: r.meta.id.clone(),
            url: self.url(&r.meta.id),
            title: r.title.clone(),
            person: self.person_link(&r.handle),
            date: self.date(r.date),
            until: self.date(r.until),
            status: r.status.clone(),
            status_label: self.words.get(&format!("status.{}", r.status)),
            about: r.about.as_ref().map(|a| self.link_id(&a.value)),
            asked: r
                .asked
                .iter()
                .map(|h| ReviewerView {
                    person: self.person_link(&h.value),
                    answered: self.answered(&r.meta.id, &h.value),
                })
                .collect(),
        }
    }

    pub fn team(&self, t: &Team) -> TeamCard {
        TeamCard {
            slug: t.slug.clone(),
            url: self.url(&t.meta.id),
            name: t.name.clone(),
            mission: t.mission.clone(),
            facilitators: t
                .facilitators
                .iter()
                .map(|f| self.person_link(&f.value))
                .collect(),
            member_count: self.org.index.members.get(&t.slug).map_or(0, Vec::len),
        }
    }

    pub fn objective(&self, o: &Objective) -> ObjectiveCard {
        ObjectiveCard {
            id: o.meta.id.clone(),
            url: self.url(&o.meta.id),
            title: o.title.clone(),
            period: o.period.clone(),
            status: o.status.clone(),
            status_label: self.words.get(&format!("status.{}", o.status)),
            owner: o.owner.as_ref().map(|h| self.person_link(&h.value)),
            progress: self.org.index.progress.get(&o.meta.id).copied().flatten(),
            progress_rolled_up: o.status != "achieved",
            summary: o.meta.body.summary.clone(),
        }
    }
}

/// The link in `slot`, with its template value, made there the first time;
/// after that a copy costs two reference counts and no string.
fn shared(slot: Option<&OnceLock<Link>>, make: impl FnOnce() -> Link) -> Link {
    let Some(slot) = slot else { return make() };
    slot.get_or_init(|| {
        let mut link = make();
        link.shared = Some(value(&link));
        link
    })
    .clone()
}

/// Anything serializable as a template value.
pub fn value<T: Serialize + ?Sized>(v: &T) -> tera::Value {
    tera::Value::from_serializable(v)
}

/// `2026-H1` for a date in the first half of 2026.
pub fn half_year(d: Date) -> String {
    use chrono::Datelike;
    format!("{}-H{}", d.year(), if d.month() <= 6 { 1 } else { 2 })
}

/// What git says, as templates show it.
impl Views<'_> {
    /// A commit author or reviewer: a link to the person, or their name.
    fn signature(&self, s: &crate::history::Signature) -> Link {
        match &s.handle {
            Some(h) if self.org.person(h).is_some() => self.person_link(h),
            _ => Link::new(s.name.clone(), None),
        }
    }

    /// Whether a commit's subject may be shown: only when every document it
    /// touched is in this site (a subject can name a document that is not).
    fn subject_shown(&self, commit: usize) -> bool {
        let Some(files) = self.commit_index.get(&commit) else {
            return true;
        };
        files.iter().map(|(f, _)| f).all(|f| {
            let content = f.starts_with("people/")
                || f.starts_with("teams/")
                || f.starts_with("objectives/")
                || f.starts_with("pay/levels/");
            !content || self.visible_files.contains(*f)
        })
    }

    /// The change history of a file, newest first.
    pub fn history_of(&self, file: &str) -> Vec<serde_json::Value> {
        let Some(h) = self.history else {
            return Vec::new();
        };
        h.changes(file)
            .iter()
            .rev()
            .map(|c| {
                let commit = &h.commits[c.commit];
                serde_json::json!({
                    "date": self.date(Some(commit.date)),
                    "who": self.signature(&commit.author),
                    "subject": if self.subject_shown(c.commit) { Some(commit.subject.clone()) } else { None },
                    "kind": c.kind,
                    "fields": c.fields,
                    "reviewers": commit.reviewers.iter().map(|r| self.signature(r)).collect::<Vec<_>>(),
                    "request": commit.request,
                    "commit": &commit.id[..commit.id.len().min(10)],
                })
            })
            .collect()
    }

    /// When a file last changed, and by whom.
    pub fn last_changed(&self, file: &str) -> Option<serde_json::Value> {
        let (_, commit) = self.history?.last(file)?;
        Some(
            serde_json::json!({"date": self.date(Some(commit.date)), "who": self.signature(&commit.author)}),
        )
    }

    /// Everyone who reviewed a change to a file.
    pub fn reviewed_by(&self, file: &str) -> Vec<Link> {
        self.history
            .map(|h| {
                h.reviewers(file)
                    .into_iter()
                    .map(|s| self.signature(s))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether git confirms who wrote a piece of feedback.
    pub fn provenance(&self, f: &Feedback) -> serde_json::Value {
        use crate::history::Provenance;
        let Some(h) = self.history else {
            return serde_json::json!({"verdict": "unknown"});
        };
        if f.is_external() {
            return match h.changes(&f.meta.file).first() {
                Some(c) => {
                    serde_json::json!({"verdict": "external", "by": self.signature(&h.commits[c.commit].author)})
                }
                None => serde_json::json!({"verdict": "unknown"}),
            };
        }
        match h.provenance(&f.meta.file, &f.from.value) {
            Provenance::Verified => serde_json::json!({"verdict": "verified"}),
            Provenance::Unverified { by } => {
                serde_json::json!({"verdict": "unverified", "by": self.signature(&by)})
            }
            Provenance::Unknown => serde_json::json!({"verdict": "unknown"}),
        }
    }

    /// Recent changes to a person's documents that are in the site, newest first.
    pub fn activity_of(&self, handle: &str, limit: usize) -> Vec<serde_json::Value> {
        let Some(h) = self.history else {
            return Vec::new();
        };
        let mut items: Vec<(usize, &str, &crate::history::Change)> = Vec::new();
        for path in self.files_of.get(handle).into_iter().flatten() {
            if self.visible_files.contains(path) {
                for c in h.changes(path) {
                    items.push((c.commit, path, c));
                }
            }
        }
        items.sort_by(|a, b| {
            h.commits[b.0]
                .date
                .cmp(&h.commits[a.0].date)
                .then(b.0.cmp(&a.0))
                .then(a.1.cmp(b.1))
        });
        items.truncate(limit);
        items
            .into_iter()
            .map(|(ci, path, c)| {
                let commit = &h.commits[ci];
                let id = crate::load::id_of(path);
                serde_json::json!({
                    "date": self.date(Some(commit.date)),
                    "who": self.signature(&commit.author),
                    "doc": self.link_id(id),
                    "kind": c.kind,
                    "subject": if self.subject_shown(ci) { Some(commit.subject.clone()) } else { None },
                })
            })
            .collect()
    }
}
