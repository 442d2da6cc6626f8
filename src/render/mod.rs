//! Turns the (audience-filtered) model into the files of the site: every
//! Markdown body to sanitized HTML once, then every page through the theme's
//! templates, in parallel, streamed into a [`Sink`].

/// A template value from `{"key": value, ...}`, like `serde_json::json!`
/// for one level of an object: each value goes through
/// `tera::Value::from_serializable`, which keeps the template values inside
/// it (such as cards) shared instead of copying them.
macro_rules! tv {
    ({ $($key:literal : $value:expr),* $(,)? }) => {{
        #[allow(unused_mut)]
        let mut map = tera::Map::default();
        $( map.insert($key.into(), tera::Value::from_serializable(&$value)); )*
        tera::Value::from(map)
    }};
}

pub mod charts;
pub mod feeds;
pub mod i18n;
pub mod markdown;
pub mod pages;
pub mod pay;
pub mod search;
pub mod theme;
pub mod views;

use crate::model::HashMap;

use rayon::prelude::*;
use serde_json::json;

use crate::model::Org;
use crate::model::documents::Date;
use crate::output::{OutputError, Sink};
use crate::source::Source;
use markdown::LinkTargets;
use pages::Job;
use theme::Theme;
pub use views::Bodies;
use views::Views;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template {template} failed for page {page}: {message}")]
    Template {
        template: String,
        page: String,
        message: String,
    },
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
}

/// What varies between builds of the same model.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The path the site is published under, with leading and trailing `/`.
    pub base_path: String,
    /// The whole address the site is published at (`--base-url` or
    /// org.yaml's `base_url`), for the absolute links of feeds and sitemap.
    pub base_url: String,
    /// "Today", for recent activity and the cycle (fixed in tests).
    pub today: Date,
    /// A script that `serve` injects into every page; never set by `build`.
    pub live_reload: Option<String>,
    /// Whether to write the files built from the whole site (feeds,
    /// sitemap, `data/org.json`, the search index) with the pages; `serve`
    /// builds them with [`render_aggregates`] when one is first asked for.
    pub aggregates: bool,
}

/// How many files a render wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub pages: usize,
    pub files: usize,
}

/// The path part of a `base_url`, as `/` or `/org/people/`.
pub fn base_path(base_url: &str) -> String {
    let rest = match base_url.split_once("://") {
        Some((_, rest)) => rest.split_once('/').map_or("", |(_, p)| p),
        None => base_url,
    };
    let trimmed = rest.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// Everything a render reads.
pub struct Input<'a> {
    /// The audience-filtered model.
    pub org: &'a Org,
    pub theme: &'a Theme,
    pub words: &'a i18n::Words,
    pub source: &'a dyn Source,
    /// Pay computed over the whole repository.
    pub pay: Option<&'a crate::pay::PayReport>,
    pub version: Option<pay::Version>,
    pub history: Option<&'a crate::history::History>,
    /// Pages rendered by the previous build, for `serve` (see [`PageCache`]).
    pub pages: Option<&'a PageCache>,
    /// The text of every file read, which identifies a body for the body
    /// cache of [`PageCache`].
    pub texts: Option<&'a std::collections::HashMap<String, std::sync::Arc<str>>>,
}

/// What `serve` keeps between rebuilds: each page's bytes with a digest of
/// everything it was rendered from (template, words, site, page data). A page
/// whose digest did not change is not rendered again, so an incremental
/// rebuild gives exactly the bytes of a full one. The theme is part of the
/// key through its digest: a template edit renders everything again.
///
/// It also keeps every body's HTML with the file text it was rendered from,
/// so that only edited bodies are rendered again (while the URLs that links
/// resolve to stay the same).
#[derive(Default)]
pub struct PageCache {
    pages: std::sync::Mutex<HashMap<String, CachedPage>>,
    bodies: std::sync::Mutex<BodyCache>,
}

#[derive(Default)]
struct BodyCache {
    /// A digest of the link targets the bodies were rendered with.
    urls: u64,
    /// By document id: the file's text, and its body's HTML.
    html: HashMap<String, (std::sync::Arc<str>, Vec<markdown::SectionHtml>)>,
}

/// A page's input digest and its bytes.
type CachedPage = ([u8; 32], std::sync::Arc<Vec<u8>>);

impl PageCache {
    fn get(&self, path: &str, key: &[u8; 32]) -> Option<std::sync::Arc<Vec<u8>>> {
        let map = self.pages.lock().ok()?;
        map.get(path)
            .filter(|(k, _)| k == key)
            .map(|(_, b)| b.clone())
    }

    fn insert(&self, path: &str, key: [u8; 32], bytes: Vec<u8>) {
        if let Ok(mut map) = self.pages.lock() {
            map.insert(path.to_string(), (key, std::sync::Arc::new(bytes)));
        }
    }
}

/// The digest of what every page shares: the theme, the site, the words.
fn page_globals(theme: &Theme, site: &serde_json::Value, t: &serde_json::Value) -> [u8; 32] {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(theme.digest);
    h.update(serde_json::to_vec(site).unwrap_or_default());
    h.update(serde_json::to_vec(t).unwrap_or_default());
    h.finalize().into()
}

fn page_key(
    globals: &[u8; 32],
    template: &str,
    page: &tera::Value,
    data: &tera::Value,
) -> [u8; 32] {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(globals);
    h.update(template.as_bytes());
    h.update([0]);
    h.update(serde_json::to_vec(page).unwrap_or_default());
    h.update(serde_json::to_vec(data).unwrap_or_default());
    h.finalize().into()
}

/// What pages are built from besides the model: every body as HTML, the
/// URL of every file a body may link to, and the events. `serve` keeps it
/// between edits and patches it.
pub struct Prepared {
    /// Sanitized HTML of every body, by document id.
    pub html: HashMap<String, Vec<markdown::SectionHtml>>,
    /// The URL of every repository file that has a page or is copied.
    pub urls: HashMap<String, String>,
    /// Everything that happened, newest first.
    pub events: Vec<feeds::EventRef>,
}

/// Renders every body and lists the events, in parallel.
pub fn prepare(input: &Input, opts: &RenderOptions) -> Prepared {
    let t0 = std::time::Instant::now();
    let urls = link_urls(input, &opts.base_path);
    let html = body_html(input, &urls);
    crate::timing("render: bodies to HTML", t0);
    let t0 = std::time::Instant::now();
    let events = views(input, opts, Bodies::Rendered(&html), &[]).events(opts.today);
    crate::timing("render: events", t0);
    Prepared { html, urls, events }
}

/// Renders the whole site into `sink`, each body when its page is rendered
/// (see [`Bodies::OnDemand`]).
pub fn render(input: &Input, opts: &RenderOptions, sink: &dyn Sink) -> Result<Stats, RenderError> {
    let files = file_urls(input, &opts.base_path);
    let t0 = std::time::Instant::now();
    let events = views(input, opts, on_demand(input, opts, &files), &[]).events(opts.today);
    crate::timing("render: events", t0);
    let views = views(input, opts, on_demand(input, opts, &files), &events);
    render_views(input, opts, views, sink)
}

/// Bodies rendered when asked for, with links resolved to the site's
/// documents and to `files`, the other files it publishes.
fn on_demand<'a>(
    input: &'a Input,
    opts: &'a RenderOptions,
    files: &'a HashMap<String, String>,
) -> Bodies<'a> {
    Bodies::OnDemand {
        links: LinkTargets {
            urls: files,
            documents: Some((input.org, &opts.base_path)),
        },
        sanitizer: Box::new(markdown::sanitizer()),
    }
}

/// [`render`] with bodies and events at hand.
pub fn render_prepared(
    input: &Input,
    opts: &RenderOptions,
    prepared: &Prepared,
    sink: &dyn Sink,
) -> Result<Stats, RenderError> {
    let views = views(
        input,
        opts,
        Bodies::Rendered(&prepared.html),
        &prepared.events,
    );
    render_views(input, opts, views, sink)
}

fn render_views(
    input: &Input,
    opts: &RenderOptions,
    mut views: Views,
    sink: &dyn Sink,
) -> Result<Stats, RenderError> {
    let Input {
        org, theme, source, ..
    } = *input;
    let t0 = std::time::Instant::now();
    let jobs = pages::jobs(org);
    // `data/org.json` is one file, written by one thread, and the last
    // thing left running when it came after the pages: it is written on a
    // thread of its own while the pool renders the pages.
    let (paths, export) = std::thread::scope(|scope| {
        let export = opts
            .aggregates
            .then(|| scope.spawn(|| write_export(&views, sink, feeds::Threads::This)));
        let paths = render_pages(input, opts, &views, &jobs, sink);
        crate::timing("render: pages", t0);
        let export = export.map(|thread| match thread.join() {
            Ok(written) => written,
            Err(panic) => std::panic::resume_unwind(panic),
        });
        (paths, export)
    });
    let paths = paths?;
    let mut files = jobs.len() + export.transpose()?.unwrap_or(0);
    // The cards are for pages only: their memory goes back before the
    // feeds and search index are built.
    std::mem::take(&mut views.cards).release();
    if opts.aggregates {
        files += write_feeds_and_search(&views, input, opts, &paths, sink)?;
    }
    if let Some(report) = input.pay {
        // The rules as published data: the calculator reads them, and anyone
        // can recompute from them. Never individual amounts.
        sink.put(
            "pay/rules.json",
            pay::calculator_json(&report.rules).as_bytes(),
        )?;
        if let Ok(bytes) = source.read("pay/rules.yaml") {
            sink.put("pay/rules.yaml", &bytes)?;
        }
        files += 2;
    }
    for (path, bytes) in &theme.assets {
        sink.put(path, bytes)?;
        files += 1;
    }
    org.docs.statics.par_iter().try_for_each(|s| {
        let bytes = source.read(&s.source)?;
        sink.put(&s.target, &bytes)?;
        Ok::<(), RenderError>(())
    })?;
    files += org.docs.statics.len();
    Ok(Stats {
        pages: jobs.len(),
        files,
    })
}

/// Renders the pages of `jobs` into `sink`, in parallel, reusing the bytes
/// [`Input::pages`] holds for a page whose inputs did not change. Returns
/// their paths.
pub fn render_pages(
    input: &Input,
    opts: &RenderOptions,
    views: &Views,
    jobs: &[Job],
    sink: &dyn Sink,
) -> Result<Vec<String>, RenderError> {
    let Input { org, theme, .. } = *input;
    let base = opts.base_path.as_str();
    let t = input.words.for_templates();
    let site = site_variable(input, opts, views);
    // Converted to template values once; each page shares them (an Arc clone).
    let site_value = tera::Value::from_serializable(&site);
    let t_value = tera::Value::from_serializable(&t);
    let globals = page_globals(theme, &site, &t);
    // Small pieces: left to rayon, the last piece could be thousands of
    // pages, rendered by one thread while the other had nothing left to do.
    jobs.par_iter()
        .with_max_len(32)
        .map(|job: &Job| {
            let page = views.page(*job);
            let source = page
                .path
                .strip_suffix("/index.html")
                .and_then(|id| org.index.ids.get(id))
                .and_then(|r| org.meta(*r))
                .map(|m| m.file.as_str());
            let page_json = tv!({
                "title": page.title,
                "section": page.section,
                "crumbs": page.crumbs,
                "url": format!("{base}{}", page.path.trim_end_matches("index.html")),
                "source": source,
                "changed": source.and_then(|f| views.last_changed(f)),
                "reviewed_by": source.map(|f| views.reviewed_by(f)).unwrap_or_default(),
                "feed": feed_of(&page.path).map(|f| format!("{base}{f}")),
            });
            // Same template, same words, same data: the same bytes as last time.
            let key = input
                .pages
                .map(|_| page_key(&globals, page.template, &page_json, &page.data));
            if let (Some(cache), Some(key)) = (input.pages, &key)
                && let Some(bytes) = cache.get(&page.path, key)
            {
                sink.put(&page.path, &bytes)?;
                return Ok(page.path);
            }
            let mut ctx = tera::Context::new();
            ctx.insert_value("site", site_value.clone());
            ctx.insert_value("t", t_value.clone());
            ctx.insert_value("page", page_json);
            for (k, v) in page.data.as_map().into_iter().flatten() {
                if let Some(k) = k.as_str() {
                    ctx.insert_value(k.to_string(), v.clone());
                }
            }
            let out =
                theme
                    .tera
                    .render(page.template, &ctx)
                    .map_err(|e| RenderError::Template {
                        template: page.template.to_string(),
                        page: page.path.clone(),
                        message: format!("{e}"),
                    })?;
            sink.put(&page.path, out.as_bytes())?;
            if let (Some(cache), Some(key)) = (input.pages, key) {
                cache.insert(&page.path, key, out.into_bytes());
            }
            Ok::<String, RenderError>(page.path)
        })
        .collect()
}

/// What `site` is in every template.
fn site_variable(input: &Input, opts: &RenderOptions, views: &Views) -> serde_json::Value {
    let d = &input.org.docs;
    json!({
        "name": d.config.name,
        "base": opts.base_path,
        "language": input.words.language,
        "has_pay": d.pay_page.is_some() || d.pay_rules.is_some(),
        "today": views.date(Some(opts.today)),
        "live_reload": opts.live_reload,
    })
}

/// The files built from the whole site: feeds, sitemap, `data/org.json` and
/// the search index, for a site whose pages are `pages` (for `serve`, which
/// builds them only when one is asked for).
pub fn render_aggregates(
    input: &Input,
    opts: &RenderOptions,
    prepared: &Prepared,
    pages: &[String],
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let views = views(
        input,
        opts,
        Bodies::Rendered(&prepared.html),
        &prepared.events,
    );
    let (feeds_and_search, export) = rayon::join(
        || write_feeds_and_search(&views, input, opts, pages, sink),
        || write_export(&views, sink, feeds::Threads::Pool),
    );
    Ok(feeds_and_search? + export?)
}

/// `data/org.json`.
fn write_export(
    views: &Views,
    sink: &dyn Sink,
    threads: feeds::Threads,
) -> Result<usize, RenderError> {
    let t0 = std::time::Instant::now();
    let export = views.export();
    sink.put_with("data/org.json", &mut |w| export.write_json(w, threads))?;
    crate::timing("render: export", t0);
    Ok(1)
}

/// The feeds, the sitemap and the search index, side by side.
fn write_feeds_and_search(
    views: &Views,
    input: &Input,
    opts: &RenderOptions,
    pages: &[String],
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let site = site_variable(input, opts, views);
    let t = input.words.for_templates();
    let base_ctx = ctx_base(&site, &t);
    let (feeds, search) = rayon::join(
        || write_feeds(views, input.theme, &base_ctx, sink, &opts.base_url, pages),
        || {
            let t0 = std::time::Instant::now();
            let n = search::write(views, sink);
            crate::timing("render: search index", t0);
            n
        },
    );
    Ok(feeds? + search?)
}

/// The URL of every repository file that has a page or is copied, for
/// links between documents.
fn link_urls(input: &Input, base: &str) -> HashMap<String, String> {
    let org = input.org;
    let mut urls = file_urls(input, base);
    for (id, r) in &org.index.ids {
        if let Some(meta) = org.meta(*r) {
            urls.insert(meta.file.clone(), page_url(base, id));
        }
    }
    urls
}

/// The URL of a document's page.
fn page_url(base: &str, id: &str) -> String {
    format!("{base}{}/", encode_path(id))
}

/// The URL of the page of the document whose file is `path`, when it is
/// in the site (what [`link_urls`] holds for it).
pub fn document_url(org: &Org, base: &str, path: &str) -> Option<String> {
    if !path.ends_with(".md") {
        return None;
    }
    let id = crate::load::id_of(path);
    let meta = org.meta(*org.index.ids.get(id)?)?;
    (meta.file == path).then(|| page_url(base, id))
}

/// The URLs of the files the site publishes that are not documents.
fn file_urls(input: &Input, base: &str) -> HashMap<String, String> {
    let org = input.org;
    let mut urls: HashMap<String, String> = HashMap::default();
    for s in &org.docs.statics {
        urls.insert(
            s.source.clone(),
            format!("{base}{}", encode_path(&s.target)),
        );
    }
    if input.pay.is_some() {
        urls.insert("pay/rules.yaml".into(), format!("{base}pay/rules.yaml"));
    }
    urls
}

/// Every body of the site as sanitized HTML, rendered once, in parallel.
fn body_html(
    input: &Input,
    urls: &HashMap<String, String>,
) -> HashMap<String, Vec<markdown::SectionHtml>> {
    let org = input.org;
    let sanitizer = markdown::sanitizer();
    let targets = LinkTargets::of(urls);
    let metas: Vec<_> = org
        .index
        .ids
        .values()
        .filter_map(|r| org.meta(*r))
        .collect();
    let render_body =
        |m: &crate::model::documents::Meta| markdown::render(&m.body, &targets, &sanitizer);
    let (Some(cache), Some(texts)) = (input.pages, input.texts) else {
        return metas
            .par_iter()
            .map(|m| (m.id.clone(), render_body(m)))
            .collect();
    };
    // Order-independent, so that the map's order does not matter.
    let digest = urls.iter().fold(0u64, |acc, kv| {
        use std::hash::BuildHasher;
        let fixed = std::hash::BuildHasherDefault::<std::hash::DefaultHasher>::default();
        acc.wrapping_add(fixed.hash_one(kv))
    });
    let mut bodies = cache.bodies.lock().unwrap_or_else(|e| e.into_inner());
    if bodies.urls != digest {
        bodies.html.clear();
        bodies.urls = digest;
    }
    let fresh: Vec<_> = metas
        .par_iter()
        .map(|m| {
            let text = texts.get(&m.file);
            let cached = bodies.html.get(&m.id).filter(|(t, _)| {
                text.is_some_and(|now| std::sync::Arc::ptr_eq(t, now) || **t == **now)
            });
            let html = match cached {
                Some((_, html)) => html.clone(),
                None => render_body(m),
            };
            (m.id.clone(), text.cloned(), html)
        })
        .collect();
    bodies.html.clear();
    let mut out = HashMap::with_capacity_and_hasher(fresh.len(), Default::default());
    for (id, text, html) in fresh {
        if let Some(text) = text {
            bodies.html.insert(id.clone(), (text, html.clone()));
        }
        out.insert(id, html);
    }
    out
}

/// The views every page is built from.
pub fn views<'a>(
    input: &'a Input<'a>,
    opts: &'a RenderOptions,
    bodies: Bodies<'a>,
    events: &'a [feeds::EventRef],
) -> Views<'a> {
    let org = input.org;
    Views {
        org,
        base: opts.base_path.as_str(),
        words: input.words,
        bodies,
        pay: input.pay,
        version: input.version.as_ref(),
        history: input.history,
        // Only history is filtered by it.
        visible_files: match input.history {
            Some(_) => org
                .index
                .ids
                .values()
                .filter_map(|r| org.meta(*r))
                .map(|m| m.file.as_str())
                .collect(),
            None => Default::default(),
        },
        reflection_moments: org
            .docs
            .reflections
            .iter()
            .filter_map(|r| r.moment.as_ref().map(|m| m.value.as_str()))
            .collect(),
        commit_index: commit_index(input.history),
        events,
        today: opts.today,
        files_of: files_by_person(input.history),
        cards: views::Cards::new(&org.docs),
    }
}

/// Everything the site shows as one JSON document (`data/org.json`).
pub fn export(input: &Input, opts: &RenderOptions) -> serde_json::Value {
    let files = file_urls(input, &opts.base_path);
    let events = views(input, opts, on_demand(input, opts, &files), &[]).events(opts.today);
    let views = views(input, opts, on_demand(input, opts, &files), &events);
    serde_json::to_value(views.export()).unwrap_or_default()
}

/// The feed a page links to: the organization's on the home page, a team's
/// on its page, a person's on their portfolio.
fn feed_of(page: &str) -> Option<String> {
    let parts: Vec<&str> = page.split('/').collect();
    match parts.as_slice() {
        ["index.html"] => Some("feed.xml".into()),
        ["teams", t, "index.html"] => Some(format!("teams/{t}/feed.xml")),
        ["people", h, "index.html"] => Some(format!("people/{h}/feed.xml")),
        _ => None,
    }
}

fn ctx_base(site: &serde_json::Value, t: &serde_json::Value) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", site);
    ctx.insert("t", t);
    ctx
}

/// Atom feeds (organization, teams, people) and the sitemap.
fn write_feeds(
    views: &Views,
    theme: &Theme,
    base_ctx: &tera::Context,
    sink: &dyn Sink,
    base_url: &str,
    pages: &[String],
) -> Result<usize, RenderError> {
    let org = views.org;
    let absolute = if base_url.starts_with("http") {
        format!("{}/", base_url.trim_end_matches('/'))
    } else {
        views.base.to_string()
    };
    let render = |template: &str, path: &str, data: tera::Value| -> Result<(), RenderError> {
        let mut ctx = base_ctx.clone();
        ctx.insert_value("feed", data);
        let out = theme
            .tera
            .render(template, &ctx)
            .map_err(|e| RenderError::Template {
                template: template.into(),
                page: path.into(),
                message: format!("{e}"),
            })?;
        sink.put(path, out.as_bytes())?;
        Ok(())
    };
    let t0 = std::time::Instant::now();
    let all: Vec<&feeds::EventRef> = views.events.iter().collect();
    render(
        "feed.xml",
        "feed.xml",
        tera::Value::from_serializable(&views.feed(
            &org.docs.config.name,
            "feed.xml",
            "",
            &all,
            &absolute,
        )),
    )?;
    let mut n = 1;
    // Events by team and by person, in one pass (newest first, as `events`).
    let mut by_team: HashMap<&str, Vec<&feeds::EventRef>> = HashMap::default();
    let mut by_person: HashMap<&str, Vec<&feeds::EventRef>> = HashMap::default();
    for e in views.events {
        let (people, teams) = views.followers(e.doc);
        for t in teams {
            by_team.entry(t).or_default().push(e);
        }
        for p in people {
            by_person.entry(p).or_default().push(e);
        }
    }
    let name = &org.docs.config.name;
    let teams = org.docs.teams.par_iter().with_max_len(16).map(|t| {
        let events = by_team.get(t.slug.as_str()).map_or(&[][..], Vec::as_slice);
        let path = format!("teams/{}/feed.xml", t.slug);
        let page = format!("teams/{}/", t.slug);
        let title = format!("{} — {name}", t.name);
        render(
            "feed.xml",
            &path,
            tera::Value::from_serializable(&views.feed(&title, &path, &page, events, &absolute)),
        )
    });
    let people = org.docs.people.par_iter().with_max_len(16).map(|p| {
        let events = by_person
            .get(p.handle.as_str())
            .map_or(&[][..], Vec::as_slice);
        let path = format!("people/{}/feed.xml", p.handle);
        let page = format!("people/{}/", p.handle);
        let title = format!("{} — {name}", p.name);
        render(
            "feed.xml",
            &path,
            tera::Value::from_serializable(&views.feed(&title, &path, &page, events, &absolute)),
        )
    });
    teams.chain(people).collect::<Result<(), RenderError>>()?;
    n += org.docs.teams.len() + org.docs.people.len();
    let mut pages: Vec<&String> = pages.iter().filter(|p| *p != "404.html").collect();
    pages.sort();
    let urls: Vec<String> = pages
        .into_iter()
        .map(|p| {
            format!(
                "{absolute}{}",
                encode_path(p.trim_end_matches("index.html"))
            )
        })
        .collect();
    // Straight to a template value: at 10,000 people a JSON value of the
    // URLs on the way was ~20 MB more at the build's busiest moment.
    #[derive(serde::Serialize)]
    struct Sitemap<'a> {
        urls: &'a [String],
    }
    let sitemap = tera::Value::from_serializable(&Sitemap { urls: &urls });
    drop(urls);
    render("sitemap.xml", "sitemap.xml", sitemap)?;
    crate::timing("render: feeds and sitemap", t0);
    Ok(n + 1)
}

/// Characters that cannot stand as they are in a URL path segment.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// A site path as a URL path: every segment percent-encoded (spaces and any
/// Unicode give valid URLs).
pub fn encode_path(path: &str) -> String {
    let plain = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~');
    if path.as_bytes().iter().all(plain) {
        return path.to_string();
    }
    path.split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The files in history under `people/<handle>/`, by handle, in one pass.
fn files_by_person(history: Option<&crate::history::History>) -> HashMap<&str, Vec<&str>> {
    let mut out: HashMap<&str, Vec<&str>> = HashMap::default();
    for path in history.into_iter().flat_map(|h| h.files.keys()) {
        if let Some(handle) = path
            .strip_prefix("people/")
            .and_then(|r| r.split('/').next())
        {
            out.entry(handle).or_default().push(path.as_str());
        }
    }
    out
}

/// Commit → the files it changed, for deciding whether its subject may be shown.
fn commit_index(history: Option<&crate::history::History>) -> HashMap<usize, Vec<(&str, usize)>> {
    let mut out: HashMap<usize, Vec<(&str, usize)>> = HashMap::default();
    if let Some(h) = history {
        for (path, changes) in &h.files {
            for (i, c) in changes.iter().enumerate() {
                out.entry(c.commit).or_default().push((path.as_str(), i));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(
            base_path("https://pages.example/org/people/"),
            "/org/people/"
        );
        assert_eq!(base_path("https://people.example"), "/");
        assert_eq!(base_path(""), "/");
        assert_eq!(base_path("/sub"), "/sub/");
    }
}
