//! Checks that need the whole repository: every reference resolves, and to
//! the right kind of thing; nobody reviews or praises themselves; relative
//! links point at files that exist.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::{Code, Diagnostic, suggest};
use crate::load::yaml::At;
use crate::model::documents::*;
use crate::model::{DocRef, Org};

/// All reference diagnostics for `org` (which must be unfiltered: the whole
/// repository). `files` is every path in the repository, for link checks.
pub fn check(org: &Org, files: &HashSet<String>) -> Vec<Diagnostic> {
    let mut c = Checker::new(org);
    c.config();
    // Each document is checked on its own: side by side, a run of them at
    // a time, the runs' diagnostics kept in document order.
    let refs: Vec<DocRef> = org.docs.refs().collect();
    let runs: Vec<Vec<Diagnostic>> = refs
        .par_chunks(256)
        .with_max_len(1)
        .map(|run| {
            let mut c = Checker::new(org);
            for r in run {
                c.document(*r);
                if let Some(meta) = org.meta(*r) {
                    c.links_of(meta, files);
                }
            }
            c.out
        })
        .collect();
    c.out.extend(runs.into_iter().flatten());
    if let Some(meta) = org.docs.pay_page.as_ref().map(|p| &p.meta) {
        c.links_of(meta, files);
    }
    c.out
}

/// The reference diagnostics of one document of `org`, as [`check`] gives
/// them, for an edit that changed only that document and not what it names
/// (`serve`'s patch path).
pub fn check_document(org: &Org, files: &HashSet<String>, r: DocRef) -> Vec<Diagnostic> {
    let mut c = Checker::new(org);
    c.document(r);
    if let Some(meta) = org.meta(r) {
        c.links_of(meta, files);
    }
    c.out
}
/// Schemes a link from front matter may use.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

struct Checker<'a> {
    org: &'a Org,
    out: Vec<Diagnostic>,
    handles: Vec<&'a str>,
}

impl<'a> Checker<'a> {
    fn new(org: &'a Org) -> Self {
        Checker {
            org,
            out: Vec::new(),
            handles: org.docs.people.iter().map(|p| p.handle.as_str()).collect(),
        }
    }

    fn document(&mut self, r: DocRef) {
        let d = &self.org.docs;
        match r {
            DocRef::Objective(i) => self.objective(&d.objectives[i]),
            DocRef::Team(i) => self.team_doc(&d.teams[i]),
            DocRef::TeamGoal(i) => self.goal(&d.team_goals[i]),
            DocRef::Goal(i) => self.goal(&d.goals[i]),
            DocRef::Person(i) => self.person_doc(&d.people[i]),
            DocRef::Reflection(i) => self.reflection(&d.reflections[i]),
            DocRef::Feedback(i) => self.feedback(&d.feedback[i]),
            DocRef::Request(i) => self.request(&d.requests[i]),
            DocRef::PayPage | DocRef::Level(_) => {}
        }
    }

    fn objective(&mut self, o: &Objective) {
        self.person_opt(&o.meta.file, o.owner.as_ref(), "owner");
        self.visibility_ok(&o.meta);
    }

    fn team_doc(&mut self, t: &Team) {
        for f in &t.facilitators {
            self.person(&t.meta.file, f, "facilitators");
        }
    }

    fn goal(&mut self, g: &Goal) {
        if let Some(s) = &g.supports {
            let personal = matches!(g.owner, Owner::Person(_));
            let ok: &[&str] = if personal {
                &["team goal", "objective"]
            } else {
                &["objective", "team goal"]
            };
            self.reference(&g.meta.file, s, "supports", ok, |r| {
                matches!(r, DocRef::Objective(_) | DocRef::TeamGoal(_))
            });
            // A chain of `supports` that comes back to this goal.
            let mut seen = vec![g.meta.id.as_str()];
            let mut next = Some(s.value.as_str());
            while let Some(id) = next {
                if seen.contains(&id) {
                    if id == g.meta.id && id != s.value {
                        self.out.push(
                            Diagnostic::error(Code::SupportCycle, &g.meta.file, s.line, s.col, format!("`supports` goes round in a circle back to this goal through `{}`", s.value))
                                .help("a goal supports a team goal or an objective higher up; remove one `supports` of the circle"),
                        );
                    }
                    break;
                }
                seen.push(id);
                next = match self.org.index.ids.get(id) {
                    Some(DocRef::TeamGoal(i)) => self.org.docs.team_goals[*i]
                        .supports
                        .as_ref()
                        .map(|x| x.value.as_str()),
                    Some(DocRef::Goal(i)) => self.org.docs.goals[*i]
                        .supports
                        .as_ref()
                        .map(|x| x.value.as_str()),
                    _ => None,
                };
            }
            if s.value == g.meta.id {
                self.out.push(
                    Diagnostic::error(
                        Code::WrongReferenceKind,
                        &g.meta.file,
                        s.line,
                        s.col,
                        "a goal cannot support itself",
                    )
                    .help("name the team goal or objective this goal contributes to"),
                );
            }
        }
    }

    fn person_doc(&mut self, p: &Person) {
        if p.teams.is_empty() {
            self.out.push(
                Diagnostic::error(
                    Code::MissingField,
                    &p.meta.file,
                    2,
                    1,
                    format!("{} has no team", p.name),
                )
                .help("add `team: <team>` (or `teams: [a, b]`) naming a folder of teams/"),
            );
        }
        for t in &p.teams {
            self.team(&p.meta.file, t);
        }
        if let Some(coach) = &p.coach {
            self.person(&p.meta.file, coach, "coach");
            if coach.value == p.handle {
                self.out.push(
                    Diagnostic::error(
                        Code::SelfReview,
                        &p.meta.file,
                        coach.line,
                        coach.col,
                        "a person cannot be their own coach",
                    )
                    .help("name a colleague, or leave `coach` out"),
                );
            }
        }
    }

    fn reflection(&mut self, r: &Reflection) {
        let d = &self.org.docs;
        for rv in &r.reviewers {
            self.person(&r.meta.file, rv, "reviewers");
            if rv.value == r.handle {
                self.out.push(
                    Diagnostic::error(
                        Code::SelfReview,
                        &r.meta.file,
                        rv.line,
                        rv.col,
                        "you cannot review your own reflection",
                    )
                    .help("choose colleagues as reviewers"),
                );
            }
        }
        if let Some(m) = &r.moment
            && !d.config.cycle.iter().any(|x| x.id == m.value)
        {
            let ids = d.config.cycle.iter().map(|x| x.id.as_str());
            let hint = suggest(&m.value, ids)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            self.out.push(
                Diagnostic::error(
                    Code::UnknownReference,
                    &r.meta.file,
                    m.line,
                    m.col,
                    format!("`{}` is not a moment of the cycle in org.yaml", m.value),
                )
                .help(format!(
                    "{hint}use one of: {}",
                    d.config
                        .cycle
                        .iter()
                        .map(|x| x.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }

    fn feedback(&mut self, f: &Feedback) {
        if !f.is_external() && !f.from.value.is_empty() {
            self.person(&f.meta.file, &f.from, "from");
            if f.from.value == f.to {
                self.out.push(
                    Diagnostic::error(Code::SelfFeedback, &f.meta.file, f.from.line, f.from.col, "feedback cannot come from the person who receives it")
                        .help("write about your own work in a reflection (people/<you>/reflections/) instead"),
                );
            }
        }
        if let Some(a) = &f.about {
            self.about(&f.meta.file, a);
        }
        if let Some(r) = &f.request {
            self.reference(&f.meta.file, r, "request", &["feedback request"], |r| {
                matches!(r, DocRef::Request(_))
            });
        }
        if let Some(ctx) = &f.context
            && !is_safe_url(&ctx.value)
        {
            self.out.push(
                Diagnostic::error(Code::InvalidValue, &f.meta.file, ctx.line, ctx.col, format!("`{}` is not an http(s) link", ctx.value))
                    .help("`context` takes a web address starting with https:// (a pull request, an issue)"),
            );
        }
    }

    fn request(&mut self, r: &Request) {
        for a in &r.asked {
            self.person(&r.meta.file, a, "asked");
            if a.value == r.handle {
                self.out.push(
                    Diagnostic::error(
                        Code::SelfFeedback,
                        &r.meta.file,
                        a.line,
                        a.col,
                        "you cannot ask yourself for feedback",
                    )
                    .help("ask colleagues"),
                );
            }
        }
        if let Some(a) = &r.about {
            self.about(&r.meta.file, a);
        }
    }
}

impl Checker<'_> {
    fn config(&mut self) {
        let cfg = &self.org.docs.config;
        let file = cfg.file.as_str();
        let mut seen: HashMap<&str, u32> = HashMap::new();
        let ids = cfg
            .values
            .iter()
            .map(|v| (v.id.as_str(), v.line, v.col, "value"))
            .chain(
                cfg.expectations
                    .iter()
                    .map(|e| (e.id.as_str(), e.line, e.col, "expectation")),
            )
            .chain(
                cfg.cycle
                    .iter()
                    .map(|m| (m.id.as_str(), m.line, m.col, "moment")),
            );
        for (id, line, col, what) in ids {
            if !crate::load::kinds::is_slug(id) {
                self.out.push(
                    Diagnostic::error(
                        Code::InvalidName,
                        file,
                        line,
                        col,
                        format!("`{id}` is not a valid {what} id"),
                    )
                    .help("use lowercase letters, digits and `-` only"),
                );
            }
            if let Some(first) = seen.insert(id, line) {
                self.out.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        file,
                        line,
                        col,
                        format!("`{id}` is already used on line {first}"),
                    )
                    .help("give every value, expectation and moment its own id"),
                );
            }
        }
        for e in &cfg.expectations {
            if !cfg.values.iter().any(|v| v.id == e.value.value) {
                let hint = suggest(&e.value.value, cfg.values.iter().map(|v| v.id.as_str()))
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                self.out.push(
                    Diagnostic::error(
                        Code::UnknownReference,
                        file,
                        e.value.line,
                        e.value.col,
                        format!("`{}` is not a value in `values`", e.value.value),
                    )
                    .help(format!(
                        "{hint}tie each expectation to one of the values' ids"
                    )),
                );
            }
        }
        if cfg.expectations.len() > 5 {
            let sixth = &cfg.expectations[5];
            self.out.push(
                Diagnostic::warning(
                    Code::TooManyExpectations,
                    file,
                    sixth.line,
                    sixth.col,
                    format!(
                        "{} expectations; keep it to five at most",
                        cfg.expectations.len()
                    ),
                )
                .help("people can hold five concrete expectations in mind; merge or drop the rest"),
            );
        }
    }

    fn visibility_ok(&mut self, _meta: &Meta) {}

    /// A reference to a file that exists but could not be read: its own
    /// diagnostic says why, so the reference is not reported again.
    fn unreadable(&self, id: &str) -> bool {
        self.org.docs.unreadable.iter().any(|u| u == id)
    }

    fn person(&mut self, file: &str, h: &At<String>, field: &str) {
        if self.org.index.people.contains_key(&h.value)
            || self.unreadable(&format!("people/{}", h.value))
        {
            return;
        }
        let help = match suggest(&h.value, self.handles.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("`{field}` names a person by handle: the folder name under people/"),
        };
        let kind = self.org.index.ids.get(&h.value).map(|r| r.kind_name());
        let (code, msg) = match kind {
            Some(k) => (
                Code::WrongReferenceKind,
                format!("`{}` is {k}, not a person", h.value),
            ),
            None => (
                Code::UnknownPerson,
                format!("`{}` is not a person", h.value),
            ),
        };
        self.out
            .push(Diagnostic::error(code, file, h.line, h.col, msg).help(help));
    }

    fn person_opt(&mut self, file: &str, h: Option<&At<String>>, field: &str) {
        if let Some(h) = h {
            self.person(file, h, field);
        }
    }

    fn team(&mut self, file: &str, t: &At<String>) {
        if self.org.index.teams.contains_key(&t.value) {
            return;
        }
        let slugs = self.org.docs.teams.iter().map(|t| t.slug.as_str());
        let help = match suggest(&t.value, slugs) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "name a folder of teams/ (teams/<team>/index.md)".into(),
        };
        self.out.push(
            Diagnostic::error(
                Code::UnknownReference,
                file,
                t.line,
                t.col,
                format!("`{}` is not a team", t.value),
            )
            .help(help),
        );
    }

    /// A reference by document id that must be one of the kinds `accept` allows.
    fn reference(
        &mut self,
        file: &str,
        r: &At<String>,
        field: &str,
        kinds: &[&str],
        accept: impl Fn(DocRef) -> bool,
    ) {
        if self.unreadable(&r.value) {
            return;
        }
        match self.org.index.ids.get(&r.value) {
            Some(d) if accept(*d) => {}
            Some(d) => self.out.push(
                Diagnostic::error(
                    Code::WrongReferenceKind,
                    file,
                    r.line,
                    r.col,
                    format!("`{field}` names {}, `{}`", d.kind_name(), r.value),
                )
                .help(format!(
                    "`{field}` takes the id of a {}",
                    kinds.join(" or ")
                )),
            ),
            None => {
                let cands = self
                    .org
                    .index
                    .ids
                    .iter()
                    .filter(|(_, d)| accept(**d))
                    .map(|(k, _)| k.as_str());
                let help = match suggest(&r.value, cands) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if r.value.ends_with(".md") => format!(
                        "write the id without `.md`: `{}`",
                        r.value.trim_end_matches(".md")
                    ),
                    None => format!(
                        "`{field}` takes the id of a {}: its path without `.md`, e.g. `teams/platform/goals/faster-ci`",
                        kinds.join(" or ")
                    ),
                };
                self.out.push(
                    Diagnostic::error(
                        Code::UnknownReference,
                        file,
                        r.line,
                        r.col,
                        format!("`{}` does not exist", r.value),
                    )
                    .help(help),
                );
            }
        }
    }

    /// `about`: a goal, a reflection, or an expectation id.
    fn about(&mut self, file: &str, a: &At<String>) {
        if self
            .org
            .docs
            .config
            .expectations
            .iter()
            .any(|e| e.id == a.value)
        {
            return;
        }
        self.reference(
            file,
            a,
            "about",
            &[
                "goal",
                "reflection",
                "team goal",
                "feedback request",
                "expectation",
            ],
            |r| {
                matches!(
                    r,
                    DocRef::Goal(_)
                        | DocRef::Reflection(_)
                        | DocRef::TeamGoal(_)
                        | DocRef::Request(_)
                )
            },
        );
    }

    /// Relative links of a body that point at no file.
    fn links_of(&mut self, meta: &Meta, files: &HashSet<String>) {
        for link in &meta.body.links {
            let ok = match &link.target {
                Some(t) => {
                    let path = t.split('#').next().unwrap_or(t);
                    files.contains(path)
                }
                None => false,
            };
            if !ok {
                self.out.push(
                    Diagnostic::error(Code::BrokenLink, &meta.file, link.line, link.col, format!("link to `{}` points to a file that does not exist", link.dest))
                        .help("links are relative to this file, e.g. `goals/learn-rust.md` or `../../teams/platform/index.md`"),
                );
            }
        }
    }
}
