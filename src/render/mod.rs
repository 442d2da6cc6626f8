//! Turns the (audience-filtered) model into the files of the site: every
//! Markdown body to sanitized HTML once, then every page through the theme's
//! templates, in parallel, streamed into a [`Sink`].

pub mod i18n;
pub mod markdown;
pub mod pages;
pub mod pay;
pub mod theme;
pub mod views;

use std::collections::HashMap;

use rayon::prelude::*;
use serde_json::json;

use crate::model::Org;
use crate::model::documents::Date;
use crate::output::{OutputError, Sink};
use crate::source::Source;
use markdown::LinkTargets;
use pages::Job;
use theme::Theme;
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
    /// "Today", for recent activity and the cycle (fixed in tests).
    pub today: Date,
    /// A script that `serve` injects into every page; never set by `build`.
    pub live_reload: Option<String>,
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
}

/// Renders the whole site into `sink`.
pub fn render(input: &Input, opts: &RenderOptions, sink: &dyn Sink) -> Result<Stats, RenderError> {
    let Input {
        org,
        theme,
        words,
        source,
        ..
    } = *input;
    let base = opts.base_path.as_str();
    // The URL of every repository file that has a page or is copied.
    let mut urls: HashMap<String, String> = HashMap::new();
    for (id, r) in &org.index.ids {
        if let Some(meta) = org.meta(*r) {
            urls.insert(meta.file.clone(), format!("{base}{id}/"));
        }
    }
    for s in &org.docs.statics {
        urls.insert(
            s.source.clone(),
            format!("{base}{}", encode_path(&s.target)),
        );
    }
    if input.pay.is_some() {
        urls.insert("pay/rules.yaml".into(), format!("{base}pay/rules.yaml"));
    }
    let sanitizer = markdown::sanitizer();
    let targets = LinkTargets { urls: &urls };
    let metas: Vec<_> = org
        .index
        .ids
        .values()
        .filter_map(|r| org.meta(*r))
        .collect();
    let html: HashMap<String, Vec<markdown::SectionHtml>> = metas
        .par_iter()
        .map(|m| {
            (
                m.id.clone(),
                markdown::render(&m.body, &targets, &sanitizer),
            )
        })
        .collect();

    let views = Views {
        org,
        base,
        words,
        html: &html,
        pay: input.pay,
        version: input.version.as_ref(),
        history: input.history,
        visible_files: org
            .index
            .ids
            .values()
            .filter_map(|r| org.meta(*r))
            .map(|m| m.file.as_str())
            .collect(),
        commit_index: commit_index(input.history),
    };
    let t = words.for_templates();
    let site = json!({
        "name": org.docs.config.name,
        "base": base,
        "language": words.language,
        "has_pay": org.docs.pay_page.is_some() || org.docs.pay_rules.is_some(),
        "today": views.date(Some(opts.today)),
        "live_reload": opts.live_reload,
    });

    let jobs = pages::jobs(org);
    jobs.par_iter().try_for_each(|job: &Job| {
        let page = views.page(*job, opts.today);
        let mut ctx = tera::Context::new();
        ctx.insert("site", &site);
        ctx.insert("t", &t);
        let source = page
            .path
            .strip_suffix("/index.html")
            .and_then(|id| org.index.ids.get(id))
            .and_then(|r| org.meta(*r))
            .map(|m| m.file.as_str());
        ctx.insert(
            "page",
            &json!({
                "title": page.title,
                "section": page.section,
                "crumbs": page.crumbs,
                "url": format!("{base}{}", page.path.trim_end_matches("index.html")),
                "source": source,
                "changed": source.and_then(|f| views.last_changed(f)),
                "reviewed_by": source.map(|f| views.reviewed_by(f)).unwrap_or_default(),
            }),
        );
        if let serde_json::Value::Object(map) = &page.data {
            for (k, v) in map {
                ctx.insert(k.clone(), v);
            }
        }
        let out = theme
            .tera
            .render(page.template, &ctx)
            .map_err(|e| RenderError::Template {
                template: page.template.to_string(),
                page: page.path.clone(),
                message: format!("{e}"),
            })?;
        sink.put(&page.path, out.as_bytes())?;
        Ok::<(), RenderError>(())
    })?;

    let mut files = jobs.len();
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
    path.split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Commit → the files it changed, for deciding whether its subject may be shown.
fn commit_index(history: Option<&crate::history::History>) -> HashMap<usize, Vec<(&str, usize)>> {
    let mut out: HashMap<usize, Vec<(&str, usize)>> = HashMap::new();
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
