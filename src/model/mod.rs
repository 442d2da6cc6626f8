//! The organization as a linked graph: the documents plus the indexes that
//! answer "who gave this feedback", "which goals support this one", "who is in
//! this team" in constant time. Built once per build, after the audience
//! filter, so that every index only ever holds what the audience may see.

pub mod documents;
mod rollup;

/// The maps of the model: keyed by handles, slugs and ids, looked up for
/// every card and link of every page. aHash is several times faster than
/// SipHash on such short keys and still keyed at random.
pub type HashMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;

use documents::*;

/// A reference to one document of [`Documents`] by kind and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// The position in its kind's list (0 for the pay page).
    pub fn index(self) -> usize {
        match self {
            DocRef::Objective(i)
            | DocRef::Team(i)
            | DocRef::TeamGoal(i)
            | DocRef::Person(i)
            | DocRef::Goal(i)
            | DocRef::Reflection(i)
            | DocRef::Feedback(i)
            | DocRef::Request(i)
            | DocRef::Level(i) => i,
            DocRef::PayPage => 0,
        }
    }

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

/// The lists of [`Index`] that hold documents by a key (a handle, a slug,
/// an id), named so that one function says which lists a document is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Members,
    Coachees,
    GoalsOf,
    TeamGoalsOf,
    FeedbackTo,
    FeedbackFrom,
    FeedbackAbout,
    Answers,
    ReflectionsOf,
    RequestsOf,
    AskedOf,
    Reviewing,
}

impl List {
    /// Lists of feedback, which are kept newest first.
    fn is_feedback(self) -> bool {
        matches!(
            self,
            List::FeedbackTo | List::FeedbackFrom | List::FeedbackAbout | List::Answers
        )
    }
}

impl Index {
    fn list(&mut self, list: List) -> &mut HashMap<String, Vec<usize>> {
        match list {
            List::Members => &mut self.members,
            List::Coachees => &mut self.coachees,
            List::GoalsOf => &mut self.goals_of,
            List::TeamGoalsOf => &mut self.team_goals_of,
            List::FeedbackTo => &mut self.feedback_to,
            List::FeedbackFrom => &mut self.feedback_from,
            List::FeedbackAbout => &mut self.feedback_about,
            List::Answers => &mut self.answers,
            List::ReflectionsOf => &mut self.reflections_of,
            List::RequestsOf => &mut self.requests_of,
            List::AskedOf => &mut self.asked_of,
            List::Reviewing => &mut self.reviewing,
        }
    }
}

/// Calls `f` with each list, and the key in it, that the document `r` is in.
fn lists_of(docs: &Documents, r: DocRef, mut f: impl FnMut(List, &str)) {
    match r {
        DocRef::TeamGoal(i) => {
            if let Owner::Team(t) = &docs.team_goals[i].owner {
                f(List::TeamGoalsOf, t);
            }
        }
        DocRef::Person(i) => {
            let p = &docs.people[i];
            for t in &p.teams {
                f(List::Members, &t.value);
            }
            if let Some(c) = &p.coach {
                f(List::Coachees, &c.value);
            }
        }
        DocRef::Goal(i) => {
            if let Owner::Person(h) = &docs.goals[i].owner {
                f(List::GoalsOf, h);
            }
        }
        DocRef::Reflection(i) => {
            let r = &docs.reflections[i];
            f(List::ReflectionsOf, &r.handle);
            for rv in &r.reviewers {
                f(List::Reviewing, &rv.value);
            }
        }
        DocRef::Feedback(i) => {
            let fb = &docs.feedback[i];
            f(List::FeedbackTo, &fb.to);
            if !fb.is_external() {
                f(List::FeedbackFrom, &fb.from.value);
            }
            if let Some(a) = &fb.about {
                f(List::FeedbackAbout, &a.value);
            }
            if let Some(r) = &fb.request {
                f(List::Answers, &r.value);
            }
        }
        DocRef::Request(i) => {
            let r = &docs.requests[i];
            f(List::RequestsOf, &r.handle);
            for a in &r.asked {
                f(List::AskedOf, &a.value);
            }
        }
        DocRef::Objective(_) | DocRef::Team(_) | DocRef::PayPage | DocRef::Level(_) => {}
    }
}

/// What a goal supports, by id.
fn supported(docs: &Documents, r: DocRef) -> Option<&str> {
    let g = match r {
        DocRef::TeamGoal(i) => &docs.team_goals[i],
        DocRef::Goal(i) => &docs.goals[i],
        _ => return None,
    };
    g.supports.as_ref().map(|s| s.value.as_str())
}

/// Feedback newest first, then in file order.
fn sort_feedback(docs: &Documents, list: &mut [usize]) {
    list.sort_by(|a, b| {
        docs.feedback[*b]
            .date
            .cmp(&docs.feedback[*a].date)
            .then(a.cmp(b))
    });
}

/// A goal, reflection, feedback or request: the documents that an edit in
/// `serve` replaces in place (see [`Org::replace`]), without indexing the
/// whole organization again.
#[derive(Debug, Clone)]
pub enum Document {
    Goal(Goal),
    Reflection(Reflection),
    Feedback(Feedback),
    Request(Request),
}

impl Document {
    /// Whether it can take the place of the document at `r`.
    pub fn fits(&self, r: DocRef) -> bool {
        matches!(
            (self, r),
            (Document::Goal(_), DocRef::Goal(_) | DocRef::TeamGoal(_))
                | (Document::Reflection(_), DocRef::Reflection(_))
                | (Document::Feedback(_), DocRef::Feedback(_))
                | (Document::Request(_), DocRef::Request(_))
        )
    }

    pub fn meta(&self) -> &Meta {
        match self {
            Document::Goal(d) => &d.meta,
            Document::Reflection(d) => &d.meta,
            Document::Feedback(d) => &d.meta,
            Document::Request(d) => &d.meta,
        }
    }
}

/// Every document by its id.
fn ids_of(docs: &Documents) -> HashMap<String, DocRef> {
    let mut ids = HashMap::default();
    ids.reserve(docs.refs().count() + 1);
    // The pay page has no place in a list, so it is not among `refs`.
    for r in docs.refs().chain(std::iter::once(DocRef::PayPage)) {
        if let Some(meta) = docs.meta(r) {
            ids.insert(meta.id.clone(), r);
        }
    }
    ids
}

/// The indexes other than the ids.
fn lists(docs: &Documents) -> Index {
    let mut ix = Index::default();
    for (i, t) in docs.teams.iter().enumerate() {
        ix.teams.insert(t.slug.clone(), i);
    }
    for (i, p) in docs.people.iter().enumerate() {
        ix.people.insert(p.handle.clone(), i);
    }
    for (i, l) in docs.levels.iter().enumerate() {
        ix.levels.insert(l.key.clone(), i);
    }
    // In kind order, then file order: the order every list keeps.
    for r in docs.refs() {
        lists_of(docs, r, |list, key| {
            ix.list(list)
                .entry(key.to_string())
                .or_default()
                .push(r.index())
        });
        if let Some(s) = supported(docs, r) {
            ix.supporters.entry(s.to_string()).or_default().push(r);
        }
    }
    for list in [
        &mut ix.feedback_to,
        &mut ix.feedback_from,
        &mut ix.feedback_about,
        &mut ix.answers,
    ] {
        for v in list.values_mut() {
            sort_feedback(docs, v);
        }
    }
    ix
}

impl Org {
    pub fn new(docs: Documents) -> Org {
        // The map of ids, the largest, beside all the others.
        let (ids, mut ix) = rayon::join(|| ids_of(&docs), || lists(&docs));
        ix.ids = ids;
        let mut org = Org { docs, index: ix };
        org.index.progress = rollup::progress(&org);
        org
    }

    /// Puts `doc` in the place of the document `r` (the same file, edited)
    /// and updates the indexes it is in, as [`Org::new`] would build them.
    /// Returns the document it replaced. `r` must be of `doc`'s kind.
    pub fn replace(&mut self, r: DocRef, doc: Document) -> Document {
        let mut keys: Vec<(List, String)> = Vec::new();
        lists_of(&self.docs, r, |l, k| keys.push((l, k.to_string())));
        let i = r.index();
        for (l, k) in &keys {
            let map = self.index.list(*l);
            if let Some(v) = map.get_mut(k) {
                v.retain(|&x| x != i);
                if v.is_empty() {
                    map.remove(k);
                }
            }
        }
        if let Some(s) = supported(&self.docs, r).map(str::to_string)
            && let Some(v) = self.index.supporters.get_mut(&s)
        {
            v.retain(|&x| x != r);
            if v.is_empty() {
                self.index.supporters.remove(&s);
            }
        }
        let old = self.docs.swap(r, doc);
        let mut added: Vec<(List, String)> = Vec::new();
        lists_of(&self.docs, r, |l, k| added.push((l, k.to_string())));
        for (l, k) in &added {
            let v = self.index.list(*l).entry(k.clone()).or_default();
            let at = v.partition_point(|&x| x < i);
            v.insert(at, i);
        }
        if let Some(s) = supported(&self.docs, r).map(str::to_string) {
            let v = self.index.supporters.entry(s).or_default();
            let at = v.partition_point(|x| *x < r);
            v.insert(at, r);
        }
        for (l, k) in keys.iter().chain(&added) {
            if l.is_feedback() {
                let mut v = self.index.list(*l).remove(k).unwrap_or_default();
                sort_feedback(&self.docs, &mut v);
                if !v.is_empty() {
                    self.index.list(*l).insert(k.clone(), v);
                }
            }
        }
        // Progress rolls up from goals alone.
        if matches!(r, DocRef::Goal(_) | DocRef::TeamGoal(_)) {
            self.index.progress = rollup::progress(self);
        }
        old
    }

    pub fn person(&self, handle: &str) -> Option<&Person> {
        self.index.people.get(handle).map(|&i| &self.docs.people[i])
    }

    pub fn team(&self, slug: &str) -> Option<&Team> {
        self.index.teams.get(slug).map(|&i| &self.docs.teams[i])
    }

    /// The common part of any document, by reference.
    pub fn meta(&self, r: DocRef) -> Option<&Meta> {
        self.docs.meta(r)
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
