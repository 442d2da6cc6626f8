//! The search index: every document in the site, and only those, indexed
//! with Pagefind (a well-kept static search library used with Hugo and
//! Zola). Its index is split into small chunks that the browser fetches only
//! for the words a reader types, so it stays small to load at any size.

use std::collections::BTreeMap;

use super::views::Views;
use crate::model::documents::Owner;

#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(String);

/// One document as the index sees it.
struct Record {
    url: String,
    title: String,
    kind: String,
    snippet: String,
    text: String,
}

fn records(v: &Views) -> Vec<Record> {
    let d = &v.org.docs;
    let w = v.words;
    let mut out = Vec::new();
    let mut add = |title: String, url: String, kind: String, snippet: &str, text: String| {
        out.push(Record {
            url,
            title,
            kind,
            snippet: snippet.to_string(),
            text,
        })
    };
    for p in &d.people {
        let teams: Vec<String> = p
            .teams
            .iter()
            .map(|t| v.team_link(&t.value).title)
            .collect();
        add(
            p.name.clone(),
            v.url(&p.meta.id),
            w.get("search.person"),
            &p.role,
            format!(
                "{} {} {} {}",
                p.handle,
                p.role,
                teams.join(" "),
                p.meta.body.text
            ),
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
    out
}

/// The file that records what an index was built from, so that the next
/// build can reuse it when nothing changed.
const DIGEST_FILE: &str = "pagefind/openfolio-digest.txt";

fn digest(records: &[Record], language: &str) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(language.as_bytes());
    for r in records {
        for part in [&r.url, &r.title, &r.kind, &r.snippet, &r.text] {
            h.update(part.as_bytes());
            h.update([0]);
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The index's files: reused from `previous` (a site this build replaces)
/// when it was built from exactly the same records, built anew otherwise.
pub fn build_or_reuse(
    v: &Views,
    previous: Option<&std::path::Path>,
) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    let records = records(v);
    let digest = digest(&records, &v.words.language);
    if let Some(prev) = previous
        && std::fs::read_to_string(prev.join(DIGEST_FILE)).is_ok_and(|d| d.trim() == digest)
    {
        let dir = prev.join("pagefind");
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let rel = entry
                .path()
                .strip_prefix(prev)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            match std::fs::read(entry.path()) {
                Ok(bytes) => files.push((rel, bytes)),
                Err(_) => return build(v, records, digest),
            }
        }
        return Ok(files);
    }
    build(v, records, digest)
}

/// The files of the index, by path inside the site (`pagefind/…`).
fn build(
    v: &Views,
    records: Vec<Record>,
    digest: String,
) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    let language = v.words.language.clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SearchError(e.to_string()))?;
    let t0 = std::time::Instant::now();
    runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(false)
            .force_language(language.clone())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options))
            .map_err(|e| SearchError(e.to_string()))?;
        for r in records {
            let meta: BTreeMap<String, String> = [
                ("title".to_string(), r.title.clone()),
                ("kind".to_string(), r.kind),
                ("snippet".to_string(), r.snippet),
            ]
            .into();
            // The title is part of the text, so a word of the title finds it.
            let content = format!("{}. {}", r.title, r.text);
            index
                .add_custom_record(r.url, content, language.clone(), Some(meta), None, None)
                .await
                .map_err(|e| SearchError(e.to_string()))?;
        }
        crate::timing("search: records added", t0);
        let t0 = std::time::Instant::now();
        let files = index
            .get_files()
            .await
            .map_err(|e| SearchError(e.to_string()))?;
        crate::timing("search: index built", t0);
        Ok(files
            .into_iter()
            .filter(|f| {
                // Only what the search page uses: the engine and the index,
                // not Pagefind's own UI or playground.
                let name = f.filename.to_string_lossy();
                !name.contains("-ui") && !name.contains("playground") && !name.contains("highlight")
            })
            .map(|f| {
                (
                    format!(
                        "pagefind/{}",
                        f.filename.to_string_lossy().replace('\\', "/")
                    ),
                    f.contents,
                )
            })
            .chain(std::iter::once((
                DIGEST_FILE.to_string(),
                digest.into_bytes(),
            )))
            .collect())
    })
}
