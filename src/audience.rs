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
    let filter = Filter::new(docs, audience);
    let rule = &filter.rule;
    Documents {
        config: docs.config.clone(),
        objectives: docs
            .objectives
            .iter()
            .filter(|o| rule.org_doc(&o.meta, o.owner.as_ref().map(|x| x.value.as_str())))
            .cloned()
            .collect(),
        team_goals: docs
            .team_goals
            .iter()
            .filter(|g| filter.goal_ok(g))
            .cloned()
            .collect(),
        goals: docs
            .goals
            .iter()
            .filter(|g| filter.goal_ok(g))
            .cloned()
            .collect(),
        reflections: docs
            .reflections
            .iter()
            .filter(|r| filter.person_ok(&r.meta, &r.handle))
            .cloned()
            .collect(),
        feedback: docs
            .feedback
            .iter()
            .filter(|f| filter.person_ok(&f.meta, &f.to))
            .cloned()
            .collect(),
        requests: docs
            .requests
            .iter()
            .filter(|r| filter.person_ok(&r.meta, &r.handle))
            .cloned()
            .collect(),
        pay_page: docs
            .pay_page
            .clone()
            .filter(|p| rule.org_doc(&p.meta, None)),
        levels: docs
            .levels
            .iter()
            .filter(|l| rule.org_doc(&l.meta, None))
            .cloned()
            .collect(),
        pay_rules: docs.pay_rules.clone(),
        statics: docs.statics.clone(),
        unreadable: docs.unreadable.clone(),
        people: docs
            .people
            .iter()
            .filter(|p| filter.visible_people.contains(p.handle.as_str()))
            .cloned()
            .collect(),
        teams: docs
            .teams
            .iter()
            .filter(|t| filter.visible_teams.contains(t.slug.as_str()))
            .cloned()
            .collect(),
    }
}
