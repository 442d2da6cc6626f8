//! The search index: every document in the site (and only those), indexed
//! with elasticlunr (the index format mdBook uses, read by elasticlunr.js in
//! the browser), plus a small list of titles, URLs and snippets to show.
//! Both are loaded only when a reader searches.

use elasticlunr::IndexBuilder;
use serde_json::json;

use super::views::Views;
use crate::model::documents::Owner;

/// `search/index.json` (the elasticlunr index) and `search/docs.json`
/// (`[title, url, kind, snippet]` per document, by index).
pub fn build(v: &Views) -> (String, String) {
    let d = &v.org.docs;
    let w = v.words;
    let mut index = IndexBuilder::new()
        .save_docs(false)
        .add_fields(&["title", "body"])
        .build();
    let mut docs: Vec<serde_json::Value> = Vec::new();
    let mut add = |title: String, url: String, kind: String, snippet: &str, body: String| {
        index.add_doc(&docs.len().to_string(), [title.as_str(), body.as_str()]);
        docs.push(json!([title, url, kind, snippet]));
    };
    for p in &d.people {
        let teams: Vec<String> = p
            .teams
            .iter()
            .map(|t| v.team_link(&t.value).title)
            .collect();
        let body = format!(
            "{} {} {} {}",
            p.handle,
            p.role,
            teams.join(" "),
            p.meta.body.text
        );
        add(
            p.name.clone(),
            v.url(&p.meta.id),
            w.get("search.person"),
            &p.role,
            body,
        );
    }
    for t in &d.teams {
        add(
            t.name.clone(),
            v.url(&t.meta.id),
            w.get("search.team"),
            &t.mission,
            format!("{} {}", t.mission, t.meta.body.text),
        );
    }
    for o in &d.objectives {
        add(
            o.title.clone(),
            v.url(&o.meta.id),
            w.get("search.objective"),
            &o.meta.body.summary,
            o.meta.body.text.clone(),
        );
    }
    for g in d.team_goals.iter().chain(&d.goals) {
        let owner = match &g.owner {
            Owner::Person(h) => v.person_link(h).title,
            Owner::Team(t) => v.team_link(t).title,
        };
        add(
            g.title.clone(),
            v.url(&g.meta.id),
            format!("{} · {owner}", w.get("search.goal")),
            &g.meta.body.summary,
            format!("{owner} {}", g.meta.body.text),
        );
    }
    for r in &d.reflections {
        let who = v.person_link(&r.handle).title;
        add(
            format!("{who} — {} {}", w.get("reflection.title"), r.period),
            v.url(&r.meta.id),
            w.get("search.reflection"),
            &r.meta.body.summary,
            format!("{who} {}", r.meta.body.text),
        );
    }
    for f in &d.feedback {
        let link = v.link_id(&f.meta.id);
        add(
            link.title.clone(),
            v.url(&f.meta.id),
            w.get("search.feedback"),
            &f.meta.body.summary,
            f.meta.body.text.clone(),
        );
    }
    for r in &d.requests {
        add(
            r.title.clone(),
            v.url(&r.meta.id),
            w.get("search.request"),
            &r.meta.body.summary,
            r.meta.body.text.clone(),
        );
    }
    (
        index.to_json(),
        serde_json::to_string(&docs).unwrap_or_default(),
    )
}
