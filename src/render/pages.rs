//! The pages of the site: one [`Job`] per output page, each with its template
//! and its context. Jobs are independent, so they render in parallel.

use serde_json::{Value as Json, json};

use super::views::{Link, Views};
use crate::model::documents::*;
use crate::model::{DocRef, Org};

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Home,
    People,
    Person(usize),
    Teams,
    Team(usize),
    Objectives,
    Objective(usize),
    TeamGoal(usize),
    Goal(usize),
    Reflection(usize),
    Feedback(usize),
    Request(usize),
    HowItWorks,
    Search,
    Pay,
    Levels,
    Level(usize),
    /// What changes from the level before `key` to `key`.
    LevelStep(usize),
    NotFound,
}

/// Every page of the site.
pub fn jobs(org: &Org) -> Vec<Job> {
    let d = &org.docs;
    let mut jobs = vec![
        Job::Home,
        Job::People,
        Job::Teams,
        Job::Objectives,
        Job::HowItWorks,
        Job::Search,
        Job::NotFound,
    ];
    if d.pay_page.is_some() || d.pay_rules.is_some() {
        jobs.push(Job::Pay);
    }
    if !d.levels.is_empty() {
        jobs.push(Job::Levels);
        jobs.extend((1..d.levels.len()).map(Job::LevelStep));
    }
    jobs.extend((0..d.people.len()).map(Job::Person));
    jobs.extend((0..d.teams.len()).map(Job::Team));
    jobs.extend((0..d.objectives.len()).map(Job::Objective));
    jobs.extend((0..d.team_goals.len()).map(Job::TeamGoal));
    jobs.extend((0..d.goals.len()).map(Job::Goal));
    jobs.extend((0..d.reflections.len()).map(Job::Reflection));
    jobs.extend((0..d.feedback.len()).map(Job::Feedback));
    jobs.extend((0..d.requests.len()).map(Job::Request));
    jobs.extend((0..d.levels.len()).map(Job::Level));
    jobs
}

impl Job {
    /// Whether this page about the whole site ([`Job::is_document`] false)
    /// can show anything of the goal, team goal, reflection, feedback or
    /// request at `r`: the home page shows recent events and objectives'
    /// progress, the objectives page every goal that supports one; the
    /// others show people, teams, values, levels and pay, none of which
    /// those documents change. Document pages: see [`showing`].
    pub fn may_show(self, r: DocRef) -> bool {
        match self {
            Job::Home => true,
            Job::Objectives => matches!(r, DocRef::Goal(_) | DocRef::TeamGoal(_)),
            Job::People
            | Job::Teams
            | Job::HowItWorks
            | Job::Search
            | Job::Pay
            | Job::Levels
            | Job::Level(_)
            | Job::LevelStep(_)
            | Job::NotFound => false,
            _ => true,
        }
    }

    /// Whether the page is one document's page (a portfolio, a goal, a
    /// piece of feedback...) rather than a page about the whole site.
    pub fn is_document(self) -> bool {
        matches!(
            self,
            Job::Person(_)
                | Job::Team(_)
                | Job::Objective(_)
                | Job::TeamGoal(_)
                | Job::Goal(_)
                | Job::Reflection(_)
                | Job::Feedback(_)
                | Job::Request(_)
        )
    }

    /// The page of a document, when it has one of its own.
    pub fn of(r: DocRef) -> Option<Job> {
        Some(match r {
            DocRef::Objective(i) => Job::Objective(i),
            DocRef::Team(i) => Job::Team(i),
            DocRef::TeamGoal(i) => Job::TeamGoal(i),
            DocRef::Person(i) => Job::Person(i),
            DocRef::Goal(i) => Job::Goal(i),
            DocRef::Reflection(i) => Job::Reflection(i),
            DocRef::Feedback(i) => Job::Feedback(i),
            DocRef::Request(i) => Job::Request(i),
            DocRef::Level(i) => Job::Level(i),
            DocRef::PayPage => Job::Pay,
        })
    }
}

/// The document pages that show anything of the goal, reflection, feedback
/// or request `id`: its own page; the pages of what it names (up the chain
/// of `supports`, which progress rolls up along) and of what names it; the
/// portfolios of everyone those documents involve; and those people's and
/// goals' teams. Pages about the whole site ([`Job::is_document`] false)
/// are not included: they show something of every document.
///
/// `serve` renders these, for the organization before and after an edit
/// that changes only `id`, instead of every page.
pub fn showing(org: &Org, id: &str) -> Vec<Job> {
    let ix = &org.index;
    let d = &org.docs;
    let Some(&r) = ix.ids.get(id) else {
        return Vec::new();
    };
    let by_id = |id: &str| ix.ids.get(id).copied();
    let mut related: Vec<DocRef> = vec![r];
    let goal = |r: DocRef| match r {
        DocRef::Goal(i) => Some(&d.goals[i]),
        DocRef::TeamGoal(i) => Some(&d.team_goals[i]),
        _ => None,
    };
    // Up the chain of `supports` (bounded: a chain cannot be longer than
    // the number of goals, and `check` rejects circles).
    let mut up = r;
    while let Some(s) = goal(up).and_then(|g| g.supports.as_ref()) {
        match by_id(&s.value) {
            Some(next) if !related.contains(&next) => {
                related.push(next);
                up = next;
            }
            _ => break,
        }
    }
    match r {
        DocRef::Feedback(i) => {
            let f = &d.feedback[i];
            related.extend(
                f.about
                    .iter()
                    .chain(&f.request)
                    .filter_map(|a| by_id(&a.value)),
            );
        }
        DocRef::Request(i) => {
            related.extend(d.requests[i].about.iter().filter_map(|a| by_id(&a.value)))
        }
        _ => {}
    }
    // What names it: feedback about it or answering it, goals that support
    // it, requests about it.
    for &f in ix
        .feedback_about
        .get(id)
        .into_iter()
        .chain(ix.answers.get(id))
        .flatten()
    {
        related.push(DocRef::Feedback(f));
    }
    related.extend(ix.supporters.get(id).into_iter().flatten().copied());
    related.extend(
        d.requests
            .iter()
            .enumerate()
            .filter(|(_, q)| q.about.as_ref().is_some_and(|a| a.value == id))
            .map(|(i, _)| DocRef::Request(i)),
    );
    let mut people: Vec<&str> = Vec::new();
    let mut teams: Vec<&str> = Vec::new();
    for &x in &related {
        match x {
            DocRef::Goal(_) | DocRef::TeamGoal(_) => match goal(x).map(|g| &g.owner) {
                Some(Owner::Person(h)) => people.push(h),
                Some(Owner::Team(t)) => teams.push(t),
                None => {}
            },
            DocRef::Reflection(i) => {
                let r = &d.reflections[i];
                people.push(&r.handle);
                people.extend(r.reviewers.iter().map(|x| x.value.as_str()));
            }
            DocRef::Feedback(i) => {
                let f = &d.feedback[i];
                people.push(&f.to);
                people.push(&f.from.value);
            }
            DocRef::Request(i) => {
                let q = &d.requests[i];
                people.push(&q.handle);
                people.extend(q.asked.iter().map(|x| x.value.as_str()));
            }
            _ => {}
        }
    }
    for h in &people {
        if let Some(p) = org.person(h) {
            teams.extend(p.teams.iter().map(|t| t.value.as_str()));
        }
    }
    let mut jobs: Vec<Job> = related.into_iter().filter_map(Job::of).collect();
    jobs.extend(
        people
            .iter()
            .filter_map(|h| ix.people.get(*h))
            .map(|&i| Job::Person(i)),
    );
    jobs.extend(
        teams
            .iter()
            .filter_map(|t| ix.teams.get(*t))
            .map(|&i| Job::Team(i)),
    );
    jobs.sort();
    jobs.dedup();
    jobs
}

/// What a job renders: the output path, the template, its page title and
/// breadcrumbs, and the page's own data.
pub struct PageData {
    pub path: String,
    pub template: &'static str,
    pub title: String,
    pub section: &'static str,
    pub crumbs: Vec<Link>,
    /// A map from name to template value.
    pub data: tera::Value,
}

/// Goals (status, card) grouped by status in a fixed, non-ranking order.
fn by_status(cards: &[(&str, tera::Value)], v: &Views) -> Vec<tera::Value> {
    let order = ["active", "paused", "achieved", "dropped"];
    order
        .iter()
        .filter_map(|s| {
            let goals: Vec<&tera::Value> = cards
                .iter()
                .filter(|(status, _)| status == s)
                .map(|(_, card)| card)
                .collect();
            (!goals.is_empty()).then(
                || tv!({"status": s, "label": v.words.get(&format!("status.{s}")), "goals": goals}),
            )
        })
        .collect()
}

/// Feedback (period, card) grouped by half year, newest first (the lists
/// are already sorted).
fn by_period(cards: Vec<(String, tera::Value)>) -> Vec<tera::Value> {
    let mut groups: Vec<(String, Vec<tera::Value>)> = Vec::new();
    for (period, c) in cards {
        match groups.last_mut() {
            Some((p, list)) if *p == period => list.push(c),
            _ => groups.push((period, vec![c])),
        }
    }
    groups
        .into_iter()
        .map(|(p, items)| tv!({"period": p, "items": items}))
        .collect()
}

impl Views<'_> {
    fn crumb(&self, title: &str, id: &str) -> Link {
        Link::new(title.to_string(), Some(self.url(id)))
    }

    fn root_crumb(&self, key: &str, path: &str) -> Link {
        Link::new(self.words.get(key), Some(format!("{}{path}", self.base)))
    }

    fn person_crumbs(&self, handle: &str) -> Vec<Link> {
        let mut c = vec![self.root_crumb("nav.people", "people/")];
        if let Some(p) = self.org.person(handle) {
            c.push(self.crumb(&p.name, &p.meta.id));
        }
        c
    }

    /// Builds one page.
    pub fn page(&self, job: Job) -> PageData {
        let org = self.org;
        let d = &org.docs;
        let w = self.words;
        match job {
            Job::Home => {
                let objectives = self.cards(
                    (0..d.objectives.len())
                        .filter(|&i| d.objectives[i].status == "active")
                        .map(DocRef::Objective),
                );
                let teams = self.cards((0..d.teams.len()).map(DocRef::Team));
                PageData {
                    path: "index.html".into(),
                    template: "index.html",
                    title: d.config.name.clone(),
                    section: "home",
                    crumbs: vec![],
                    data: tv!({
                        "objectives": objectives,
                        "teams": teams,
                        "recent": self.events.iter().take(12).filter_map(|e| self.event(e)).map(|e| json!({"kind": e.kind, "kind_label": e.kind_label, "date": self.date(Some(e.date)), "who": e.who, "title": e.title, "url": e.url})).collect::<Vec<_>>(),
                        "counts": json!({"people": d.people.len(), "teams": d.teams.len(), "goals": d.goals.len() + d.team_goals.len()}),
                        "intro_html": self.body_html("org"),
                    }),
                }
            }
            Job::People => {
                let people = self.people_by_name(0..d.people.len());
                let teams: Vec<tera::Value> = d
                    .teams
                    .iter()
                    .enumerate()
                    .map(|(ti, t)| {
                        tv!({"team": self.card(DocRef::Team(ti)), "members": self.members(&t.slug)})
                    })
                    .collect();
                PageData {
                    path: "people/index.html".into(),
                    template: "people.html",
                    title: w.get("nav.people"),
                    section: "people",
                    crumbs: vec![],
                    data: tv!({"people": people, "teams": teams}),
                }
            }
            Job::Person(i) => self.person_page(&d.people[i]),
            Job::Teams => PageData {
                path: "teams/index.html".into(),
                template: "teams.html",
                title: w.get("nav.teams"),
                section: "teams",
                crumbs: vec![],
                data: tv!({"teams": self.cards((0..d.teams.len()).map(DocRef::Team))}),
            },
            Job::Team(i) => {
                let t = &d.teams[i];
                let members = self.members(&t.slug);
                let goals: Vec<tera::Value> = org
                    .index
                    .team_goals_of
                    .get(&t.slug)
                    .into_iter()
                    .flatten()
                    .map(|&gi| {
                        let g = &d.team_goals[gi];
                        let (_, personal) = self.supporter_cards(&g.meta.id);
                        tv!({"goal": self.card(DocRef::TeamGoal(gi)), "supporters": personal})
                    })
                    .collect();
                let dates: Vec<Date> = org
                    .index
                    .members
                    .get(&t.slug)
                    .into_iter()
                    .flatten()
                    .flat_map(|&i| {
                        org.index
                            .feedback_to
                            .get(&d.people[i].handle)
                            .into_iter()
                            .flatten()
                    })
                    .filter_map(|&f| d.feedback[f].date)
                    .collect();
                let team_chart =
                    self.monthly_chart(&w.get("chart.team_feedback"), &dates, self.today);
                PageData {
                    path: format!("{}/index.html", t.meta.id),
                    template: "team.html",
                    title: t.name.clone(),
                    section: "teams",
                    crumbs: vec![self.root_crumb("nav.teams", "teams/")],
                    data: tv!({
                        "chart": team_chart,
                        "team": self.card(DocRef::Team(i)),
                        "members": members,
                        "goals": goals,
                        "body_html": self.body_html(&t.meta.id),
                    }),
                }
            }
            Job::Objectives => {
                let trees: Vec<tera::Value> = (0..d.objectives.len())
                    .map(|i| self.objective_tree(i))
                    .collect();
                PageData {
                    path: "objectives/index.html".into(),
                    template: "objectives.html",
                    title: w.get("nav.objectives"),
                    section: "objectives",
                    crumbs: vec![],
                    data: tv!({"objectives": trees}),
                }
            }
            Job::Objective(i) => {
                let o = &d.objectives[i];
                PageData {
                    path: format!("{}/index.html", o.meta.id),
                    template: "objective.html",
                    title: o.title.clone(),
                    section: "objectives",
                    crumbs: vec![self.root_crumb("nav.objectives", "objectives/")],
                    data: tv!({"tree": self.objective_tree(i), "body_html": self.body_html(&o.meta.id)}),
                }
            }
            Job::TeamGoal(i) => {
                let g = &d.team_goals[i];
                let Owner::Team(slug) = &g.owner else {
                    unreachable!("team goals have a team owner")
                };
                let mut crumbs = vec![self.root_crumb("nav.teams", "teams/")];
                if let Some(t) = org.team(slug) {
                    crumbs.push(self.crumb(&t.name, &t.meta.id));
                }
                self.goal_page(DocRef::TeamGoal(i), g, crumbs)
            }
            Job::Goal(i) => {
                let g = &d.goals[i];
                let Owner::Person(h) = &g.owner else {
                    unreachable!("personal goals have a person owner")
                };
                self.goal_page(DocRef::Goal(i), g, self.person_crumbs(h))
            }
            Job::Reflection(i) => {
                let r = &d.reflections[i];
                let feedback = self.cards(
                    org.index
                        .feedback_about
                        .get(&r.meta.id)
                        .into_iter()
                        .flatten()
                        .map(|&f| DocRef::Feedback(f)),
                );
                PageData {
                    path: format!("{}/index.html", r.meta.id),
                    template: "reflection.html",
                    title: format!("{} {}", w.get("reflection.title"), r.period),
                    section: "people",
                    crumbs: self.person_crumbs(&r.handle),
                    data: tv!({
                        "reflection": self.card(DocRef::Reflection(i)),
                        "body_html": self.body_html(&r.meta.id),
                        "feedback": feedback,
                    }),
                }
            }
            Job::Feedback(i) => {
                let f = &d.feedback[i];
                PageData {
                    path: format!("{}/index.html", f.meta.id),
                    template: "feedback.html",
                    title: format!("{} — {}", self.kind_label(&f.kind), org.from_name(f)),
                    section: "people",
                    crumbs: self.person_crumbs(&f.to),
                    data: tv!({"feedback": self.card(DocRef::Feedback(i)), "body_html": self.body_html(&f.meta.id), "provenance": self.provenance(f)}),
                }
            }
            Job::Request(i) => {
                let r = &d.requests[i];
                let answers = self.cards(
                    org.index
                        .answers
                        .get(&r.meta.id)
                        .into_iter()
                        .flatten()
                        .map(|&f| DocRef::Feedback(f)),
                );
                PageData {
                    path: format!("{}/index.html", r.meta.id),
                    template: "request.html",
                    title: r.title.clone(),
                    section: "people",
                    crumbs: self.person_crumbs(&r.handle),
                    data: tv!({"request": self.card(DocRef::Request(i)), "body_html": self.body_html(&r.meta.id), "answers": answers}),
                }
            }
            Job::HowItWorks => {
                let cfg = &d.config;
                let values: Vec<Json> = cfg
                    .values
                    .iter()
                    .map(|v| {
                        let expectations: Vec<_> = cfg.expectations.iter().filter(|e| e.value.value == v.id).collect();
                        json!({"id": v.id, "name": v.name, "description": v.description, "expectations": expectations})
                    })
                    .collect();
                let expectations: Vec<Json> = cfg
                    .expectations
                    .iter()
                    .map(|e| {
                        let value = cfg.values.iter().find(|v| v.id == e.value.value);
                        json!({"id": e.id, "behaviour": e.behaviour, "value": value.map(|v| &v.name), "value_id": e.value.value})
                    })
                    .collect();
                PageData {
                    path: "how-it-works/index.html".into(),
                    template: "how.html",
                    title: w.get("nav.how"),
                    section: "how",
                    crumbs: vec![],
                    data: tv!({"values": values, "expectations": expectations, "cycle": self.cycle(self.today)}),
                }
            }
            Job::Pay => {
                let page = d.pay_page.as_ref();
                let levels: Vec<Json> = d
                    .levels
                    .iter()
                    .map(|l| json!({"key": l.key, "title": l.title, "summary": l.summary, "url": self.url(&l.meta.id)}))
                    .collect();
                PageData {
                    path: "pay/index.html".into(),
                    template: "pay.html",
                    title: page
                        .map(|p| p.title.clone())
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| w.get("nav.pay")),
                    section: "pay",
                    crumbs: vec![],
                    data: tv!({
                        "body_html": self.body_html("pay"),
                        "levels": levels,
                        "ladder": if d.levels.is_empty() { Vec::new() } else { self.ladder(self.pay) },
                        "rules": self.pay.map(|p| self.pay_rules(p)),
                        "table": self.pay.map(|p| self.pay_table(p)),
                        "version": self.version,
                    }),
                }
            }
            Job::Levels => PageData {
                path: "pay/levels/index.html".into(),
                template: "levels.html",
                title: w.get("pay.levels"),
                section: "pay",
                crumbs: vec![self.root_crumb("nav.pay", "pay/")],
                data: tv!({"ladder": self.ladder(self.pay), "version": self.version}),
            },
            Job::LevelStep(i) => {
                let ladder = self.ladder(self.pay);
                let (lower, higher) = (&d.levels[i - 1], &d.levels[i]);
                let items = |l: &crate::model::documents::Level| -> Vec<String> {
                    list_items(&self.sections(&l.meta.id))
                };
                let (lo_items, hi_items) = (items(lower), items(higher));
                let added: Vec<&String> =
                    hi_items.iter().filter(|x| !lo_items.contains(x)).collect();
                let band = |k: &str| {
                    ladder
                        .iter()
                        .find(|l| l["key"] == k)
                        .map(|l| l["band"].clone())
                        .unwrap_or(Json::Null)
                };
                let diff = self.pay.and_then(|p| {
                    let (a, b) = (
                        p.rules.base.get(&lower.key)?,
                        p.rules.base.get(&higher.key)?,
                    );
                    Some(crate::pay::format::money(
                        b - a,
                        &p.rules.currency,
                        p.rules.unit(),
                        &w.language,
                    ))
                });
                PageData {
                    path: format!("pay/levels/{}-to-{}/index.html", lower.key, higher.key),
                    template: "level_step.html",
                    title: format!("{} → {}", lower.title, higher.title),
                    section: "pay",
                    crumbs: vec![
                        self.root_crumb("nav.pay", "pay/"),
                        self.root_crumb("pay.levels", "pay/levels/"),
                    ],
                    data: tv!({
                        "lower": json!({"key": lower.key, "title": lower.title, "summary": lower.summary, "url": self.url(&lower.meta.id), "body_html": self.body_html(&lower.meta.id), "band": band(&lower.key)}),
                        "higher": json!({"key": higher.key, "title": higher.title, "summary": higher.summary, "url": self.url(&higher.meta.id), "body_html": self.body_html(&higher.meta.id), "band": band(&higher.key)}),
                        "added": added,
                        "base_difference": diff,
                    }),
                }
            }
            Job::Level(i) => {
                let l = &d.levels[i];
                PageData {
                    path: format!("{}/index.html", l.meta.id),
                    template: "level.html",
                    title: l.title.clone(),
                    section: "pay",
                    crumbs: vec![
                        self.root_crumb("nav.pay", "pay/"),
                        self.root_crumb("pay.levels", "pay/levels/"),
                    ],
                    data: tv!({
                        "level": json!({"key": l.key, "title": l.title, "summary": l.summary}),
                        "body_html": self.body_html(&l.meta.id),
                        "band": self.ladder(self.pay).into_iter().find(|x| x["key"] == l.key.as_str()).map(|x| x["band"].clone()),
                    }),
                }
            }
            Job::Search => PageData {
                path: "search/index.html".into(),
                template: "search.html",
                title: w.get("search.title"),
                section: "search",
                crumbs: vec![],
                data: tv!({}),
            },
            Job::NotFound => PageData {
                path: "404.html".into(),
                template: "404.html",
                title: w.get("notfound.title"),
                section: "notfound",
                crumbs: vec![],
                data: tv!({}),
            },
        }
    }

    fn goal_page(&self, r: DocRef, g: &Goal, crumbs: Vec<Link>) -> PageData {
        let org = self.org;
        let sections = self.sections(&g.meta.id);
        let (intro, checkins): (Vec<_>, Vec<_>) = sections.iter().partition(|s| s.date.is_none());
        let mut checkins: Vec<Json> = checkins
            .into_iter()
            .map(|s| {
                let date = s
                    .date
                    .as_deref()
                    .and_then(|d| Date::parse_from_str(d, "%Y-%m-%d").ok());
                json!({"date": self.date(date), "title": s.title, "body_html": s.body_html})
            })
            .collect();
        checkins.reverse();
        let (team, personal) = self.supporter_cards(&g.meta.id);
        let feedback = self.cards(
            org.index
                .feedback_about
                .get(&g.meta.id)
                .into_iter()
                .flatten()
                .map(|&f| DocRef::Feedback(f)),
        );
        let intro_html =
            super::markdown::join_sections(&intro.into_iter().cloned().collect::<Vec<_>>());
        PageData {
            path: format!("{}/index.html", g.meta.id),
            template: "goal.html",
            title: g.title.clone(),
            section: if matches!(g.owner, Owner::Team(_)) {
                "teams"
            } else {
                "people"
            },
            crumbs,
            data: tv!({
                "goal": self.card(r),
                "intro_html": intro_html,
                "checkins": checkins,
                "supporting_team_goals": team,
                "supporting_goals": personal,
                "feedback": feedback,
                "history": self.history_of(&g.meta.file),
            }),
        }
    }

    fn person_page(&self, p: &Person) -> PageData {
        let org = self.org;
        let d = &org.docs;
        let ix = &org.index;
        fn of<'m>(m: &'m crate::model::HashMap<String, Vec<usize>>, h: &str) -> &'m [usize] {
            m.get(h).map_or(&[], Vec::as_slice)
        }
        let list = |m| of(m, &p.handle);
        let goals: Vec<(&str, tera::Value)> = list(&ix.goals_of)
            .iter()
            .map(|&i| (d.goals[i].status.as_str(), self.card(DocRef::Goal(i))))
            .collect();
        let reflections = self.cards(
            list(&ix.reflections_of)
                .iter()
                .rev()
                .map(|&i| DocRef::Reflection(i)),
        );
        let received: Vec<(String, tera::Value)> = list(&ix.feedback_to)
            .iter()
            .map(|&i| {
                let period = d.feedback[i].date.map(super::views::half_year);
                (period.unwrap_or_default(), self.card(DocRef::Feedback(i)))
            })
            .collect();
        let given = self.cards(list(&ix.feedback_from).iter().map(|&i| DocRef::Feedback(i)));
        let requests = self.cards(list(&ix.requests_of).iter().map(|&i| DocRef::Request(i)));
        let asked = self.cards(list(&ix.asked_of).iter().map(|&i| DocRef::Request(i)));
        let reviewing = self.cards(list(&ix.reviewing).iter().map(|&i| DocRef::Reflection(i)));
        let coachees = self.cards(list(&ix.coachees).iter().map(|&i| DocRef::Person(i)));
        let profile = tv!({
            "handle": p.handle,
            "name": p.name,
            "role": p.role,
            "teams": p.teams.iter().map(|t| self.team_link(&t.value)).collect::<Vec<_>>(),
            "level": p.level.as_ref().map(|l| &l.value),
            "level_url": p.level.as_ref().and_then(|l| ix.levels.get(&l.value)).map(|&i| self.url(&d.levels[i].meta.id)),
            "location": p.location.as_ref().map(|l| &l.value),
            "fte": p.fte.as_ref().map(|f| f.value.normalize().to_string()),
            "start": self.date(p.start),
            "coach": p.coach.as_ref().map(|c| self.person_link(&c.value)),
            "emails": p.emails,
            "forge": p.forge,
        });
        type GoalSpan = (String, Vec<Date>, Option<Date>);
        let spans: Vec<GoalSpan> = list(&ix.goals_of)
            .iter()
            .map(|&i| {
                let g = &d.goals[i];
                (
                    g.title.clone(),
                    g.meta.body.sections.iter().filter_map(|s| s.date).collect(),
                    g.due,
                )
            })
            .collect();
        let received_dates: Vec<(String, Date)> = list(&ix.feedback_to)
            .iter()
            .filter_map(|&i| {
                d.feedback[i]
                    .date
                    .map(|dt| (org.from_name(&d.feedback[i]), dt))
            })
            .collect();
        let timeline = self.timeline_chart(
            &self.words.get("chart.person_year"),
            &spans,
            &received_dates,
            self.today,
        );
        PageData {
            path: format!("{}/index.html", p.meta.id),
            template: "person.html",
            title: p.name.clone(),
            section: "people",
            crumbs: vec![self.root_crumb("nav.people", "people/")],
            data: tv!({
                "person": profile,
                "body_html": self.body_html(&p.meta.id),
                "goal_groups": by_status(&goals, self),
                "reflections": reflections,
                "feedback_received": by_period(received),
                "feedback_received_count": list(&ix.feedback_to).len(),
                "feedback_given": given,
                "requests": requests,
                "asked_of_you": asked,
                "reviewing": reviewing,
                "coachees": coachees,
                "activity": self.activity_of(&p.handle, 15),
                "due": self.due(p),
                "timeline": timeline,
                "pay": self.pay.map(|r| self.pay_breakdown(r, &p.handle)),
                "pay_version": self.version,
            }),
        }
    }

    /// Objective → team goals → personal goals, with roll-ups.
    fn objective_tree(&self, i: usize) -> tera::Value {
        let o = &self.org.docs.objectives[i];
        let (team_refs, personal_refs) = self.supporter_refs(&o.meta.id);
        let team: Vec<tera::Value> = team_refs
            .iter()
            .map(|&r| {
                let id = self.org.meta(r).map_or("", |m| m.id.as_str());
                let (_, supporters) = self.supporter_cards(id);
                tv!({"goal": self.card(r), "supporters": supporters})
            })
            .collect();
        let bars: Vec<(String, Option<u8>)> = team_refs
            .iter()
            .map(|&r| {
                let id = self.org.meta(r).map_or("", |m| m.id.as_str());
                (
                    self.org.title(r),
                    self.org.index.progress.get(id).copied().flatten(),
                )
            })
            .collect();
        let chart = (!bars.is_empty()).then(|| self.progress_chart(&o.title, &bars));
        tv!({"objective": self.card(DocRef::Objective(i)), "team_goals": team, "personal_goals": self.cards(personal_refs), "chart": chart})
    }

    /// Goals that support `id`: team goals by title, then personal goals
    /// by owner and title.
    fn supporter_refs(&self, id: &str) -> (Vec<DocRef>, Vec<DocRef>) {
        let d = &self.org.docs;
        let mut team: Vec<(&str, DocRef)> = Vec::new();
        let mut personal: Vec<(String, &str, DocRef)> = Vec::new();
        for &r in self.org.index.supporters.get(id).into_iter().flatten() {
            match r {
                DocRef::TeamGoal(i) => team.push((&d.team_goals[i].title, r)),
                DocRef::Goal(i) => {
                    let g = &d.goals[i];
                    let owner = match &g.owner {
                        Owner::Person(h) => self.org.display_name(h),
                        Owner::Team(t) => self
                            .org
                            .team(t)
                            .map_or_else(|| t.clone(), |t| t.name.clone()),
                    };
                    personal.push((owner, &g.title, r));
                }
                _ => {}
            }
        }
        team.sort_by(|a, b| a.0.cmp(b.0));
        personal.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        (
            team.into_iter().map(|(_, r)| r).collect(),
            personal.into_iter().map(|(_, _, r)| r).collect(),
        )
    }

    /// The cards of [`Views::supporter_refs`].
    fn supporter_cards(&self, id: &str) -> (Vec<tera::Value>, Vec<tera::Value>) {
        let (team, personal) = self.supporter_refs(id);
        (self.cards(team), self.cards(personal))
    }

    /// The cards of a team's members, by name.
    fn members(&self, slug: &str) -> Vec<tera::Value> {
        let members = self.org.index.members.get(slug).into_iter().flatten();
        self.people_by_name(members.copied())
    }

    /// The cards of people, by name (case-insensitive).
    fn people_by_name(&self, people: impl IntoIterator<Item = usize>) -> Vec<tera::Value> {
        let d = &self.org.docs;
        let mut people: Vec<(String, usize)> = people
            .into_iter()
            .map(|i| (d.people[i].name.to_lowercase(), i))
            .collect();
        people.sort_by(|a, b| a.0.cmp(&b.0));
        self.cards(people.into_iter().map(|(_, i)| DocRef::Person(i)))
    }
}

impl Views<'_> {
    /// What is due for a person now: a reflection for the current moment of
    /// the cycle, reviewers who have not answered, and what others asked of them.
    fn due(&self, p: &crate::model::documents::Person) -> Vec<Json> {
        use chrono::Datelike;
        let org = self.org;
        let d = &org.docs;
        let ix = &org.index;
        let w = self.words;
        let today = self.today;
        // The person's page, as the cards' links to them have it.
        let me = self.url(&p.meta.id);
        let recent =
            |date: Option<Date>| date.is_some_and(|x| (today - x).num_days() <= 183 && x <= today);
        let mut out = Vec::new();
        // A reflection moment (one that reflections name) that is near.
        for m in &d.config.cycle {
            let Some(month) = super::charts::month_of(&m.when) else {
                continue;
            };
            // Last month, this month or next: the conversation is near.
            let near = month == today.month()
                || month % 12 + 1 == today.month()
                || today.month() % 12 + 1 == month;
            if !near || !self.reflection_moments.contains(m.id.as_str()) {
                continue;
            }
            let written = ix
                .reflections_of
                .get(&p.handle)
                .into_iter()
                .flatten()
                .any(|&i| {
                    let r = &d.reflections[i];
                    r.moment.as_ref().is_some_and(|x| x.value == m.id)
                        && r.date.is_some_and(|x| x.year() == today.year())
                });
            if !written {
                out.push(json!({"kind": "reflection", "text": w.get("due.reflection").replace("{moment}", &m.name).replace("{when}", &m.when), "url": format!("{}how-it-works/#moment-{}", self.base, m.id)}));
            }
        }
        for &i in ix.reflections_of.get(&p.handle).into_iter().flatten() {
            let r = &d.reflections[i];
            if !recent(r.date) {
                continue;
            }
            let card = self.reflection(r);
            let waiting: Vec<String> = card
                .reviewers
                .iter()
                .filter(|x| !x.answered)
                .map(|x| x.person.title.to_string())
                .collect();
            if !waiting.is_empty() {
                out.push(json!({"kind": "waiting", "text": w.get("due.waiting").replace("{period}", &r.period).replace("{who}", &waiting.join(", ")), "url": card.url}));
            }
        }
        for &i in ix.asked_of.get(&p.handle).into_iter().flatten() {
            let r = &d.requests[i];
            let card = self.request(r);
            let open = r.status == "open" && r.until.is_none_or(|u| u >= today);
            let answered = card
                .asked
                .iter()
                .any(|a| a.answered && a.person.url.as_deref() == Some(me.as_str()));
            if open && !answered {
                out.push(json!({"kind": "asked", "text": w.get("due.asked").replace("{who}", &card.person.title).replace("{title}", &r.title), "url": card.url}));
            }
        }
        for &i in ix.reviewing.get(&p.handle).into_iter().flatten() {
            let r = &d.reflections[i];
            let card = self.reflection(r);
            if recent(r.date)
                && card
                    .reviewers
                    .iter()
                    .any(|x| x.person.url.as_deref() == Some(me.as_str()) && !x.answered)
            {
                out.push(json!({"kind": "review", "text": w.get("due.review").replace("{who}", &card.person.title).replace("{period}", &r.period), "url": card.url}));
            }
        }
        out
    }
}

/// The text of the list items of a body (a level's behaviours), to compare levels.
fn list_items(sections: &[super::markdown::SectionHtml]) -> Vec<String> {
    let mut out = Vec::new();
    for s in sections {
        let html = s.body_html.as_str();
        let mut rest = html;
        while let Some(i) = rest.find("<li>") {
            rest = &rest[i + 4..];
            let end = rest.find("</li>").unwrap_or(rest.len());
            let text = strip_tags(&rest[..end]);
            if !text.is_empty() {
                out.push(text);
            }
            rest = &rest[end..];
        }
    }
    out
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
