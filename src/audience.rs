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

/// The documents `audience` may see. A person's documents go with their
/// profile: when the profile is hidden, so is everything in their folder.
pub fn select(docs: &Documents, audience: &Audience) -> Documents {
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
    let people: Vec<Person> = docs
        .people
        .iter()
        .filter(|p| rule.person_doc(&p.meta, &p.handle))
        .cloned()
        .collect();
    let visible_people: HashSet<&str> = people.iter().map(|p| p.handle.as_str()).collect();
    let teams: Vec<Team> = docs
        .teams
        .iter()
        .filter(|t| rule.team_doc(&t.meta, &t.slug))
        .cloned()
        .collect();
    let visible_teams: HashSet<&str> = teams.iter().map(|t| t.slug.as_str()).collect();
    let person_ok = |meta: &Meta, h: &str| visible_people.contains(h) && rule.person_doc(meta, h);
    let goal_ok = |g: &Goal| match &g.owner {
        Owner::Person(h) => person_ok(&g.meta, h),
        Owner::Team(t) => visible_teams.contains(t.as_str()) && rule.team_doc(&g.meta, t),
    };
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
            .filter(|g| goal_ok(g))
            .cloned()
            .collect(),
        goals: docs.goals.iter().filter(|g| goal_ok(g)).cloned().collect(),
        reflections: docs
            .reflections
            .iter()
            .filter(|r| person_ok(&r.meta, &r.handle))
            .cloned()
            .collect(),
        feedback: docs
            .feedback
            .iter()
            .filter(|f| person_ok(&f.meta, &f.to))
            .cloned()
            .collect(),
        requests: docs
            .requests
            .iter()
            .filter(|r| person_ok(&r.meta, &r.handle))
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
        people,
        teams,
    }
}
