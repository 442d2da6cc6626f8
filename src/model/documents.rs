//! The typed documents of an organization repository, one struct per kind of
//! file in the content model. `load` fills them; everything after reads them.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::load::markdown::Body;
use crate::load::yaml::{At, Node};

pub type Date = NaiveDate;

/// Who may see a document; see the content model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Org,
    Team,
    Private,
}

impl Visibility {
    pub const NAMES: &'static [&'static str] = &["org", "team", "private"];
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "org" => Some(Self::Org),
            "team" => Some(Self::Team),
            "private" => Some(Self::Private),
            _ => None,
        }
    }
}

/// What every document has: its identifier, where it came from, who may see
/// it, and its Markdown body.
#[derive(Debug, Clone)]
pub struct Meta {
    /// The path relative to the repository without `.md` (`people/alice/goals/learn-rust`);
    /// for `index.md`, the folder (`people/alice`).
    pub id: String,
    /// The source file relative to the repository root.
    pub file: String,
    /// As written; `None` means the org's default.
    pub visibility: Option<At<String>>,
    pub body: Arc<Body>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct OrgConfig {
    pub name: String,
    pub base_url: String,
    pub language: String,
    pub default_visibility: Option<String>,
    pub theme: Option<String>,
    pub values: Vec<Value>,
    pub expectations: Vec<Expectation>,
    pub cycle: Vec<Moment>,
    /// Forge user names that own `pay/` in CODEOWNERS.
    pub pay_owners: Vec<String>,
    #[serde(skip)]
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Value {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(skip)]
    pub line: u32,
    #[serde(skip)]
    pub col: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Expectation {
    pub id: String,
    pub value: At<String>,
    pub behaviour: String,
    #[serde(skip)]
    pub line: u32,
    #[serde(skip)]
    pub col: u32,
}

/// One conversation of the yearly cycle.
#[derive(Debug, Clone, Serialize)]
pub struct Moment {
    pub id: String,
    pub name: String,
    pub when: String,
    pub purpose: String,
    pub affects_pay: String,
    #[serde(skip)]
    pub line: u32,
    #[serde(skip)]
    pub col: u32,
}

#[derive(Debug, Clone)]
pub struct Objective {
    pub meta: Meta,
    pub title: String,
    pub period: String,
    pub owner: Option<At<String>>,
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub meta: Meta,
    pub slug: String,
    pub name: String,
    pub mission: String,
    pub facilitators: Vec<At<String>>,
}

/// Whose goal it is: a person's (`people/<h>/goals/`) or a team's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Person(String),
    Team(String),
}

#[derive(Debug, Clone)]
pub struct Goal {
    pub meta: Meta,
    pub owner: Owner,
    pub title: String,
    /// `development` or `contribution`; personal goals only.
    pub kind: Option<String>,
    pub supports: Option<At<String>>,
    pub status: String,
    pub due: Option<Date>,
    pub progress: Option<At<u8>>,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub meta: Meta,
    pub handle: String,
    pub name: String,
    pub teams: Vec<At<String>>,
    pub role: String,
    pub level: Option<At<String>>,
    pub location: Option<At<String>>,
    pub fte: Option<At<Decimal>>,
    pub start: Option<Date>,
    pub coach: Option<At<String>>,
    pub emails: Vec<String>,
    pub forge: Option<String>,
    /// Every scalar front-matter field as text, for pay rules keyed by any
    /// profile field (`by: location`).
    pub fields: BTreeMap<String, At<String>>,
}

#[derive(Debug, Clone)]
pub struct Reflection {
    pub meta: Meta,
    pub handle: String,
    pub period: String,
    pub date: Option<Date>,
    pub reviewers: Vec<At<String>>,
    pub moment: Option<At<String>>,
}

#[derive(Debug, Clone)]
pub struct Feedback {
    pub meta: Meta,
    /// The person who received it: the folder it is in.
    pub to: String,
    pub from: At<String>,
    pub from_name: Option<String>,
    pub date: Option<Date>,
    pub kind: String,
    pub about: Option<At<String>>,
    pub request: Option<At<String>>,
    pub context: Option<At<String>>,
}

impl Feedback {
    pub fn is_external(&self) -> bool {
        self.from.value == "external"
    }
}

#[derive(Debug, Clone)]
pub struct Request {
    pub meta: Meta,
    pub handle: String,
    pub title: String,
    pub date: Option<Date>,
    pub asked: Vec<At<String>>,
    pub about: Option<At<String>>,
    pub until: Option<Date>,
    pub status: String,
}

/// A prose page with a title (`pay/index.md`).
#[derive(Debug, Clone)]
pub struct Page {
    pub meta: Meta,
    pub title: String,
}

/// `pay/levels/<level>.md`.
#[derive(Debug, Clone)]
pub struct Level {
    pub meta: Meta,
    pub key: String,
    pub title: String,
    pub summary: String,
}

/// A file under `static/` (or a theme's), copied as it is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Relative to the repository root.
    pub source: String,
    /// Relative to the site root.
    pub target: String,
}

/// Everything that was read, before indexes are built.
#[derive(Debug, Clone, Default)]
pub struct Documents {
    pub config: OrgConfig,
    pub objectives: Vec<Objective>,
    pub teams: Vec<Team>,
    pub team_goals: Vec<Goal>,
    pub people: Vec<Person>,
    pub goals: Vec<Goal>,
    pub reflections: Vec<Reflection>,
    pub feedback: Vec<Feedback>,
    pub requests: Vec<Request>,
    pub pay_page: Option<Page>,
    pub levels: Vec<Level>,
    /// `pay/rules.yaml`, parsed as YAML; typed by the `pay` module.
    pub pay_rules: Option<(String, Node)>,
    pub statics: Vec<StaticFile>,
    /// Ids of documents whose file could not be read (a diagnostic says why);
    /// references to them are not reported again.
    pub unreadable: Vec<String>,
}

impl Documents {
    /// Every document that has a place in a list, by kind and then in file
    /// order: team goals before personal goals, as the indexes list them.
    pub fn refs(&self) -> impl Iterator<Item = super::DocRef> + '_ {
        use super::DocRef as R;
        (0..self.objectives.len())
            .map(R::Objective)
            .chain((0..self.teams.len()).map(R::Team))
            .chain((0..self.team_goals.len()).map(R::TeamGoal))
            .chain((0..self.people.len()).map(R::Person))
            .chain((0..self.goals.len()).map(R::Goal))
            .chain((0..self.reflections.len()).map(R::Reflection))
            .chain((0..self.feedback.len()).map(R::Feedback))
            .chain((0..self.requests.len()).map(R::Request))
            .chain((0..self.levels.len()).map(R::Level))
    }

    /// The common part of any document, by reference.
    pub fn meta(&self, r: super::DocRef) -> Option<&Meta> {
        use super::DocRef as R;
        Some(match r {
            R::Objective(i) => &self.objectives[i].meta,
            R::Team(i) => &self.teams[i].meta,
            R::TeamGoal(i) => &self.team_goals[i].meta,
            R::Person(i) => &self.people[i].meta,
            R::Goal(i) => &self.goals[i].meta,
            R::Reflection(i) => &self.reflections[i].meta,
            R::Feedback(i) => &self.feedback[i].meta,
            R::Request(i) => &self.requests[i].meta,
            R::PayPage => &self.pay_page.as_ref()?.meta,
            R::Level(i) => &self.levels[i].meta,
        })
    }

    /// Lets go of what only the checks read (each body's list of links),
    /// once they are done: a build of 10,000 people holds ~30 MB less while
    /// it renders. A body shared with another holder (`serve` keeps the
    /// checked documents) is left as it is.
    pub fn forget_check_data(&mut self) {
        let metas = self
            .objectives
            .iter_mut()
            .map(|d| &mut d.meta)
            .chain(self.teams.iter_mut().map(|d| &mut d.meta))
            .chain(self.team_goals.iter_mut().map(|d| &mut d.meta))
            .chain(self.people.iter_mut().map(|d| &mut d.meta))
            .chain(self.goals.iter_mut().map(|d| &mut d.meta))
            .chain(self.reflections.iter_mut().map(|d| &mut d.meta))
            .chain(self.feedback.iter_mut().map(|d| &mut d.meta))
            .chain(self.requests.iter_mut().map(|d| &mut d.meta))
            .chain(self.pay_page.iter_mut().map(|d| &mut d.meta))
            .chain(self.levels.iter_mut().map(|d| &mut d.meta));
        for meta in metas {
            if let Some(body) = Arc::get_mut(&mut meta.body) {
                body.links = Vec::new();
            }
        }
    }

    /// Puts `doc` at `r` and returns what was there.
    ///
    /// # Panics
    /// When `r` is not of `doc`'s kind: callers find `r` by the document's id.
    pub fn swap(&mut self, r: super::DocRef, doc: super::Document) -> super::Document {
        use super::{DocRef as R, Document as D};
        match (r, doc) {
            (R::Goal(i), D::Goal(g)) => D::Goal(std::mem::replace(&mut self.goals[i], g)),
            (R::TeamGoal(i), D::Goal(g)) => D::Goal(std::mem::replace(&mut self.team_goals[i], g)),
            (R::Reflection(i), D::Reflection(x)) => {
                D::Reflection(std::mem::replace(&mut self.reflections[i], x))
            }
            (R::Feedback(i), D::Feedback(x)) => {
                D::Feedback(std::mem::replace(&mut self.feedback[i], x))
            }
            (R::Request(i), D::Request(x)) => {
                D::Request(std::mem::replace(&mut self.requests[i], x))
            }
            (r, d) => panic!("{} cannot take the place of {r:?}", d.meta().id),
        }
    }
}
