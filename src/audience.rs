//! Who the site is for, and the filter that keeps everything else out.
//! The filter runs on the documents before the model's indexes are built and
//! before anything is rendered, so a document outside the audience cannot
//! reach a page, a list, a count, a roll-up or a link.

use std::collections::HashSet;
use std::str::FromStr;

use crate::model::documents::*;

/// The readers a site is built for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Everyone in the organization: only `org` documents.
    Org,
    /// A team: adds the `team` documents of that team's people and the team itself.
    Team(String),
    /// One person's preview: adds their own private documents and their teams' documents.
    Person(String),
}

impl FromStr for Audience {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.split_once(':') {
            None if s == "org" => Ok(Audience::Org),
            Some(("team", id)) if !id.is_empty() => Ok(Audience::Team(id.to_string())),
            Some(("person", h)) if !h.is_empty() => Ok(Audience::Person(h.to_string())),
            _ => Err(format!(
                "`{s}` is not an audience: use `org`, `team:ID` or `person:HANDLE`"
            )),
        }
    }
}

struct Rule<'a> {
    default: Visibility,
    audience: &'a Audience,
    /// Teams whose `team` documents the audience sees.
    teams: HashSet<String>,
    /// Teams of each person, for documents owned by a person.
    person_teams: std::collections::HashMap<&'a str, Vec<&'a str>>,
}

impl Rule<'_> {
    fn level(&self, meta: &Meta) -> Visibility {
        meta.visibility
            .as_ref()
            .and_then(|v| Visibility::parse(&v.value))
            .unwrap_or(self.default)
    }

    fn person_doc(&self, meta: &Meta, handle: &str) -> bool {
        match self.level(meta) {
            Visibility::Org => true,
            Visibility::Team => {
                matches!(self.audience, Audience::Person(h) if h == handle)
                    || self
                        .person_teams
                        .get(handle)
                        .is_some_and(|ts| ts.iter().any(|t| self.teams.contains(*t)))
            }
            Visibility::Private => matches!(self.audience, Audience::Person(h) if h == handle),
        }
    }

    fn team_doc(&self, meta: &Meta, team: &str) -> bool {
        match self.level(meta) {
            Visibility::Org => true,
            Visibility::Team => self.teams.contains(team),
            Visibility::Private => false,
        }
    }

    fn org_doc(&self, meta: &Meta, owner: Option<&str>) -> bool {
        match (self.level(meta), owner) {
            (Visibility::Org, _) => true,
            (_, Some(h)) => self.person_doc(meta, h),
            _ => false,
        }
    }
}

/// Whether the team or person an audience names exists.
pub fn validate(docs: &Documents, audience: &Audience) -> Result<(), String> {
    match audience {
        Audience::Org => Ok(()),
        Audience::Team(t) if docs.teams.iter().any(|x| &x.slug == t) => Ok(()),
        Audience::Person(h) if docs.people.iter().any(|x| &x.handle == h) => Ok(()),
        Audience::Team(t) => Err(format!(
            "`{t}` is not a team: --audience team:<a folder of teams/>"
        )),
        Audience::Person(h) => Err(format!(
            "`{h}` is not a person: --audience person:<a folder of people/>"
        )),
    }
}

/// Decides, document by document, what an audience may see.
pub struct Filter<'a> {
    rule: Rule<'a>,
    visible_people: HashSet<&'a str>,
    visible_teams: HashSet<&'a str>,
}

impl<'a> Filter<'a> {
    pub fn new(docs: &'a Documents, audience: &'a Audience) -> Self {
        let default = docs
            .config
            .default_visibility
            .as_deref()
            .and_then(Visibility::parse)
            .unwrap_or(Visibility::Org);
        let person_teams = docs
            .people
            .iter()
            .map(|p| {
                (
                    p.handle.as_str(),
                    p.teams.iter().map(|t| t.value.as_str()).collect(),
                )
            })
            .collect();
        let teams: HashSet<String> = match audience {
            Audience::Org => HashSet::new(),
            Audience::Team(t) => [t.clone()].into(),
            Audience::Person(h) => docs
                .people
                .iter()
                .filter(|p| &p.handle == h)
                .flat_map(|p| p.teams.iter().map(|t| t.value.clone()))
                .collect(),
        };
        let rule = Rule {
            default,
            audience,
            teams,
            person_teams,
        };
        let visible_people = docs
            .people
            .iter()
            .filter(|p| rule.person_doc(&p.meta, &p.handle))
            .map(|p| p.handle.as_str())
            .collect();
        let visible_teams = docs
            .teams
            .iter()
            .filter(|t| rule.team_doc(&t.meta, &t.slug))
            .map(|t| t.slug.as_str())
            .collect();
        Filter {
            rule,
            visible_people,
            visible_teams,
        }
    }

    fn person_ok(&self, meta: &Meta, h: &str) -> bool {
        self.visible_people.contains(h) && self.rule.person_doc(meta, h)
    }

    fn goal_ok(&self, g: &Goal) -> bool {
        match &g.owner {
            Owner::Person(h) => self.person_ok(&g.meta, h),
            Owner::Team(t) => {
                self.visible_teams.contains(t.as_str()) && self.rule.team_doc(&g.meta, t)
            }
        }
    }

    /// Whether the audience sees this goal, reflection, feedback or request.
    pub fn admits(&self, doc: &crate::model::Document) -> bool {
        use crate::model::Document as D;
        match doc {
            D::Goal(g) => self.goal_ok(g),
            D::Reflection(r) => self.person_ok(&r.meta, &r.handle),
            D::Feedback(f) => self.person_ok(&f.meta, &f.to),
            D::Request(r) => self.person_ok(&r.meta, &r.handle),
        }
    }
}

/// The documents `audience` may see. A person's documents go with their
/// profile: when the profile is hidden, so is everything in their folder.
pub fn select(docs: &Documents, audience: &Audience) -> Documents {
    let keep = Selection::new(docs, audience);
    Documents {
        config: docs.config.clone(),
        objectives: pick(&docs.objectives, &keep.objectives),
        teams: pick(&docs.teams, &keep.teams),
        team_goals: pick(&docs.team_goals, &keep.team_goals),
        people: pick(&docs.people, &keep.people),
        goals: pick(&docs.goals, &keep.goals),
        reflections: pick(&docs.reflections, &keep.reflections),
        feedback: pick(&docs.feedback, &keep.feedback),
        requests: pick(&docs.requests, &keep.requests),
        pay_page: docs.pay_page.clone().filter(|_| keep.pay_page),
        levels: pick(&docs.levels, &keep.levels),
        pay_rules: docs.pay_rules.clone(),
        statics: docs.statics.clone(),
        unreadable: docs.unreadable.clone(),
    }
}

/// [`select`] without a copy: the documents the audience may not see are
/// dropped from `docs`. For `build`, which has no use for them once the
/// repository is checked (at 10,000 people a copy of every document's
/// metadata is ~100 MB).
pub fn retain(mut docs: Documents, audience: &Audience) -> Documents {
    let keep = Selection::new(&docs, audience);
    drop_unkept(&mut docs.objectives, &keep.objectives);
    drop_unkept(&mut docs.teams, &keep.teams);
    drop_unkept(&mut docs.team_goals, &keep.team_goals);
    drop_unkept(&mut docs.people, &keep.people);
    drop_unkept(&mut docs.goals, &keep.goals);
    drop_unkept(&mut docs.reflections, &keep.reflections);
    drop_unkept(&mut docs.feedback, &keep.feedback);
    drop_unkept(&mut docs.requests, &keep.requests);
    drop_unkept(&mut docs.levels, &keep.levels);
    if !keep.pay_page {
        docs.pay_page = None;
    }
    docs
}

/// Which documents of each list the audience may see, by position.
struct Selection {
    objectives: Vec<bool>,
    teams: Vec<bool>,
    team_goals: Vec<bool>,
    people: Vec<bool>,
    goals: Vec<bool>,
    reflections: Vec<bool>,
    feedback: Vec<bool>,
    requests: Vec<bool>,
    levels: Vec<bool>,
    pay_page: bool,
}

impl Selection {
    fn new(docs: &Documents, audience: &Audience) -> Self {
        let filter = Filter::new(docs, audience);
        let rule = &filter.rule;
        fn each<T>(docs: &[T], ok: impl Fn(&T) -> bool) -> Vec<bool> {
            docs.iter().map(ok).collect()
        }
        Selection {
            objectives: each(&docs.objectives, |o| {
                rule.org_doc(&o.meta, o.owner.as_ref().map(|x| x.value.as_str()))
            }),
            teams: each(&docs.teams, |t| {
                filter.visible_teams.contains(t.slug.as_str())
            }),
            team_goals: each(&docs.team_goals, |g| filter.goal_ok(g)),
            people: each(&docs.people, |p| {
                filter.visible_people.contains(p.handle.as_str())
            }),
            goals: each(&docs.goals, |g| filter.goal_ok(g)),
            reflections: each(&docs.reflections, |r| filter.person_ok(&r.meta, &r.handle)),
            feedback: each(&docs.feedback, |f| filter.person_ok(&f.meta, &f.to)),
            requests: each(&docs.requests, |r| filter.person_ok(&r.meta, &r.handle)),
            levels: each(&docs.levels, |l| rule.org_doc(&l.meta, None)),
            pay_page: docs
                .pay_page
                .as_ref()
                .is_some_and(|p| rule.org_doc(&p.meta, None)),
        }
    }
}

/// The kept ones of `all`, copied into a list of exactly their number.
fn pick<T: Clone>(all: &[T], keep: &[bool]) -> Vec<T> {
    let mut out = Vec::with_capacity(keep.iter().filter(|k| **k).count());
    out.extend(
        all.iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(d, _)| d.clone()),
    );
    out
}

fn drop_unkept<T>(all: &mut Vec<T>, keep: &[bool]) {
    let mut i = 0;
    all.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}
