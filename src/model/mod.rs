//! The organization as a linked graph: the documents plus the indexes that
//! answer "who gave this feedback", "which goals support this one", "who is in
//! this team" in constant time. Built once per build, after the audience
//! filter, so that every index only ever holds what the audience may see.

pub mod documents;
mod rollup;

use std::collections::HashMap;

use documents::*;

/// A reference to one document of [`Documents`] by kind and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocRef {
    Objective(usize),
    Team(usize),
    TeamGoal(usize),
    Person(usize),
    Goal(usize),
    Reflection(usize),
    Feedback(usize),
    Request(usize),
    PayPage,
    Level(usize),
}

impl DocRef {
    /// How the kind is named in messages.
    pub fn kind_name(self) -> &'static str {
        match self {
            DocRef::Objective(_) => "an objective",
            DocRef::Team(_) => "a team",
            DocRef::TeamGoal(_) => "a team goal",
            DocRef::Person(_) => "a person",
            DocRef::Goal(_) => "a personal goal",
            DocRef::Reflection(_) => "a reflection",
            DocRef::Feedback(_) => "a feedback document",
            DocRef::Request(_) => "a feedback request",
            DocRef::PayPage => "the pay page",
            DocRef::Level(_) => "a level",
        }
    }
}

/// Indexes over the documents, each built in one pass.
#[derive(Debug, Default)]
pub struct Index {
    pub ids: HashMap<String, DocRef>,
    pub people: HashMap<String, usize>,
    pub teams: HashMap<String, usize>,
    pub members: HashMap<String, Vec<usize>>,
    pub coachees: HashMap<String, Vec<usize>>,
    pub goals_of: HashMap<String, Vec<usize>>,
    pub team_goals_of: HashMap<String, Vec<usize>>,
    /// Goals (team or personal) that support the document with this id.
    pub supporters: HashMap<String, Vec<DocRef>>,
    pub feedback_to: HashMap<String, Vec<usize>>,
    pub feedback_from: HashMap<String, Vec<usize>>,
    /// Feedback whose `about` names this id.
    pub feedback_about: HashMap<String, Vec<usize>>,
    /// Feedback whose `request` names this request id.
    pub answers: HashMap<String, Vec<usize>>,
    pub reflections_of: HashMap<String, Vec<usize>>,
    pub requests_of: HashMap<String, Vec<usize>>,
    pub asked_of: HashMap<String, Vec<usize>>,
    pub reviewing: HashMap<String, Vec<usize>>,
    pub levels: HashMap<String, usize>,
    /// Progress of every goal and objective, explicit or rolled up.
    pub progress: HashMap<String, Option<u8>>,
}

/// The documents and their indexes.
#[derive(Debug)]
pub struct Org {
    pub docs: Documents,
    pub index: Index,
}

fn push<K: Into<String>>(map: &mut HashMap<String, Vec<usize>>, key: K, i: usize) {
    map.entry(key.into()).or_default().push(i);
}

impl Org {
    pub fn new(docs: Documents) -> Org {
        let mut ix = Index::default();
        for (i, d) in docs.objectives.iter().enumerate() {
            ix.ids.insert(d.meta.id.clone(), DocRef::Objective(i));
        }
        for (i, d) in docs.teams.iter().enumerate() {
            ix.ids.insert(d.meta.id.clone(), DocRef::Team(i));
            ix.teams.insert(d.slug.clone(), i);
        }
        for (i, d) in docs.team_goals.iter().enumerate() {
            ix.ids.insert(d.meta.id.clone(), DocRef::TeamGoal(i));
            if let Owner::Team(t) = &d.owner {
                push(&mut ix.team_goals_of, t.as_str(), i);
            }
            if let Some(s) = &d.supports {
                ix.supporters
                    .entry(s.value.clone())
                    .or_default()
                    .push(DocRef::TeamGoal(i));
            }
        }
        for (i, p) in docs.people.iter().enumerate() {
            ix.ids.insert(p.meta.id.clone(), DocRef::Person(i));
            ix.people.insert(p.handle.clone(), i);
            for t in &p.teams {
                push(&mut ix.members, t.value.as_str(), i);
            }
            if let Some(c) = &p.coach {
                push(&mut ix.coachees, c.value.as_str(), i);
            }
        }
        for (i, g) in docs.goals.iter().enumerate() {
            ix.ids.insert(g.meta.id.clone(), DocRef::Goal(i));
            if let Owner::Person(h) = &g.owner {
                push(&mut ix.goals_of, h.as_str(), i);
            }
            if let Some(s) = &g.supports {
                ix.supporters
                    .entry(s.value.clone())
                    .or_default()
                    .push(DocRef::Goal(i));
            }
        }
        for (i, r) in docs.reflections.iter().enumerate() {
            ix.ids.insert(r.meta.id.clone(), DocRef::Reflection(i));
            push(&mut ix.reflections_of, r.handle.as_str(), i);
            for rv in &r.reviewers {
                push(&mut ix.reviewing, rv.value.as_str(), i);
            }
        }
        for (i, f) in docs.feedback.iter().enumerate() {
            ix.ids.insert(f.meta.id.clone(), DocRef::Feedback(i));
            push(&mut ix.feedback_to, f.to.as_str(), i);
            if !f.is_external() {
                push(&mut ix.feedback_from, f.from.value.as_str(), i);
            }
            if let Some(a) = &f.about {
                push(&mut ix.feedback_about, a.value.as_str(), i);
            }
            if let Some(r) = &f.request {
                push(&mut ix.answers, r.value.as_str(), i);
            }
        }
        for (i, r) in docs.requests.iter().enumerate() {
            ix.ids.insert(r.meta.id.clone(), DocRef::Request(i));
            push(&mut ix.requests_of, r.handle.as_str(), i);
            for a in &r.asked {
                push(&mut ix.asked_of, a.value.as_str(), i);
            }
        }
        if let Some(p) = &docs.pay_page {
            ix.ids.insert(p.meta.id.clone(), DocRef::PayPage);
        }
        for (i, l) in docs.levels.iter().enumerate() {
            ix.ids.insert(l.meta.id.clone(), DocRef::Level(i));
            ix.levels.insert(l.key.clone(), i);
        }
        // Feedback newest first everywhere it is listed.
        for list in [
            &mut ix.feedback_to,
            &mut ix.feedback_from,
            &mut ix.feedback_about,
            &mut ix.answers,
        ] {
            for v in list.values_mut() {
                v.sort_by(|a, b| {
                    docs.feedback[*b]
                        .date
                        .cmp(&docs.feedback[*a].date)
                        .then(a.cmp(b))
                });
            }
        }
        let mut org = Org { docs, index: ix };
        org.index.progress = rollup::progress(&org);
        org
    }

    pub fn person(&self, handle: &str) -> Option<&Person> {
        self.index.people.get(handle).map(|&i| &self.docs.people[i])
    }

    pub fn team(&self, slug: &str) -> Option<&Team> {
        self.index.teams.get(slug).map(|&i| &self.docs.teams[i])
    }

    /// The common part of any document, by reference.
    pub fn meta(&self, r: DocRef) -> Option<&Meta> {
        let d = &self.docs;
        Some(match r {
            DocRef::Objective(i) => &d.objectives[i].meta,
            DocRef::Team(i) => &d.teams[i].meta,
            DocRef::TeamGoal(i) => &d.team_goals[i].meta,
            DocRef::Person(i) => &d.people[i].meta,
            DocRef::Goal(i) => &d.goals[i].meta,
            DocRef::Reflection(i) => &d.reflections[i].meta,
            DocRef::Feedback(i) => &d.feedback[i].meta,
            DocRef::Request(i) => &d.requests[i].meta,
            DocRef::PayPage => &d.pay_page.as_ref()?.meta,
            DocRef::Level(i) => &d.levels[i].meta,
        })
    }

    /// A human title for any document.
    pub fn title(&self, r: DocRef) -> String {
        let d = &self.docs;
        match r {
            DocRef::Objective(i) => d.objectives[i].title.clone(),
            DocRef::Team(i) => d.teams[i].name.clone(),
            DocRef::TeamGoal(i) => d.team_goals[i].title.clone(),
            DocRef::Person(i) => d.people[i].name.clone(),
            DocRef::Goal(i) => d.goals[i].title.clone(),
            DocRef::Reflection(i) => {
                let r = &d.reflections[i];
                format!("{} — {}", self.display_name(&r.handle), r.period)
            }
            DocRef::Feedback(i) => {
                let f = &d.feedback[i];
                format!("{} for {}", self.from_name(f), self.display_name(&f.to))
            }
            DocRef::Request(i) => d.requests[i].title.clone(),
            DocRef::PayPage => d
                .pay_page
                .as_ref()
                .map(|p| p.title.clone())
                .unwrap_or_default(),
            DocRef::Level(i) => d.levels[i].title.clone(),
        }
    }

    /// A person's name, or the handle when there is no such (visible) person.
    pub fn display_name(&self, handle: &str) -> String {
        self.person(handle)
            .map_or_else(|| handle.to_string(), |p| p.name.clone())
    }

    /// Who wrote a piece of feedback, as shown.
    pub fn from_name(&self, f: &Feedback) -> String {
        if f.is_external() {
            f.from_name.clone().unwrap_or_else(|| "External".into())
        } else {
            self.display_name(&f.from.value)
        }
    }

    /// The org's default visibility.
    pub fn default_visibility(&self) -> Visibility {
        self.docs
            .config
            .default_visibility
            .as_deref()
            .and_then(Visibility::parse)
            .unwrap_or(Visibility::Org)
    }
}
