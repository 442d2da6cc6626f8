//! What `serve` keeps between edits: everything the served site was built
//! from (the checked documents, the audience's model, bodies as HTML,
//! events), and the patch that applies an edit of goals, reflections,
//! feedback or requests to it and renders only the pages that can show
//! them. Any other change (a profile, a team, `org.yaml`, pay, the theme, a
//! new, deleted or renamed file) takes a full rebuild.
//!
//! A patch gives exactly the pages a full build gives: the model is updated
//! as [`Org::new`] would build it, and the pages it renders are every page
//! that can show the edited documents, before and after the edit.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use super::{Files, LIVE_RELOAD_URL, MemorySink};
use crate::audience;
use crate::check::{self, Diagnostic};
use crate::load::{self, Place};
use crate::model::{DocRef, Document, Org};
use crate::output::Sink;
use crate::pipeline::{self, BuildOptions};
use crate::render::{self, PageCache, Prepared, markdown, pages};
use crate::source::WorkTree;

/// More changed files than this at once (a checkout, a pull) take a full
/// rebuild: it is as fast then, and simpler to trust.
const MAX_PATCH: usize = 32;

/// A site built in memory, with what it was built from.
pub(super) struct Live {
    opts: BuildOptions,
    /// Every document of the repository, indexed, for checks.
    all: Org,
    diagnostics: Vec<Diagnostic>,
    texts: HashMap<String, Arc<str>>,
    paths: HashSet<String>,
    /// The audience's model, theme, words and pay.
    site: pipeline::Site,
    prepared: Prepared,
}

/// What a patch did.
pub(super) enum Patch {
    /// The change needs a full rebuild.
    Unsupported,
    /// The edit has errors, as text to show; nothing changed.
    Invalid(String),
    /// The pages that can show the edited documents, rendered; the number
    /// of warnings in the repository now.
    Applied { files: Files, warnings: usize },
}

/// The errors among `diagnostics`, with their source lines, as one text.
pub(super) fn errors_text(diagnostics: &[Diagnostic], texts: &HashMap<String, Arc<str>>) -> String {
    let mut text = String::new();
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        text.push_str(&d.render(texts.get(&d.file).map(|t| &**t)));
        text.push('\n');
    }
    text
}

/// One file of the change, read and parsed.
struct Edit {
    file: String,
    id: String,
    at: DocRef,
    doc: Document,
    diagnostics: Vec<Diagnostic>,
    text: Option<Arc<str>>,
}

impl Live {
    /// Checks and renders the whole repository into `sink` (without the
    /// feeds, sitemap, export and search index: see [`Live::aggregates`]).
    /// Returns the diagnostics as text when the repository has errors.
    pub(super) fn build(
        opts: &BuildOptions,
        load_cache: &load::LoadCache,
        page_cache: &PageCache,
        sink: &dyn Sink,
    ) -> Result<(Live, usize), String> {
        let mut opts = opts.clone();
        opts.aggregates = false;
        let source = WorkTree::new(&opts.repo).map_err(|e| e.to_string())?;
        let checked = pipeline::check_cached(&source, opts.max_file_size, Some(load_cache))
            .map_err(|e| e.to_string())?;
        if checked.has_errors(opts.deny_warnings) {
            return Err(errors_text(&checked.diagnostics, &checked.texts));
        }
        let site = pipeline::site(&source, &checked, &opts, Some(LIVE_RELOAD_URL.into()))
            .map_err(|e| e.to_string())?;
        let input = site.input(&source, None, Some(page_cache), Some(&checked.texts));
        let prepared = render::prepare(&input, &site.options);
        render::render_prepared(&input, &site.options, &prepared, sink)
            .map_err(|e| e.to_string())?;
        let warnings = checked.diagnostics.len();
        let t0 = std::time::Instant::now();
        let all = Org::new(checked.documents);
        crate::timing("serve: index every document", t0);
        Ok((
            Live {
                opts,
                all,
                diagnostics: checked.diagnostics,
                texts: checked.texts,
                paths: checked.paths,
                site,
                prepared,
            },
            warnings,
        ))
    }

    /// The feeds, sitemap, `data/org.json` and search index of the site,
    /// whose pages are `pages`.
    pub(super) fn aggregates(&self, pages: &[String], sink: &dyn Sink) -> Result<usize, String> {
        let source = WorkTree::new(&self.opts.repo).map_err(|e| e.to_string())?;
        let input = self.site.input(&source, None, None, None);
        render::render_aggregates(&input, &self.site.options, &self.prepared, pages, sink)
            .map_err(|e| e.to_string())
    }

    /// Applies an edit of the files `changed` (paths relative to the
    /// repository) and renders the pages it can change.
    pub(super) fn patch(&mut self, changed: &BTreeSet<String>, page_cache: &PageCache) -> Patch {
        if changed.is_empty() || changed.len() > MAX_PATCH {
            return Patch::Unsupported;
        }
        let Ok(source) = WorkTree::new(&self.opts.repo) else {
            return Patch::Unsupported;
        };
        let t0 = std::time::Instant::now();
        let mut edits = Vec::new();
        let mut broken = Vec::new();
        // The text of the changed files, for the diagnostics to quote.
        let mut texts = HashMap::new();
        for file in changed {
            match self.read(&source, file) {
                Read::Edit(e) => edits.push(*e),
                Read::Broken(diags, text) => {
                    texts.extend(text.map(|t| (file.clone(), t)));
                    broken.extend(diags);
                }
                Read::Unsupported => {
                    if std::env::var_os("OPENFOLIO_TIMINGS").is_some() {
                        eprintln!("patch: {file} needs a full rebuild");
                    }
                    return Patch::Unsupported;
                }
            }
        }
        if !broken.is_empty() {
            return Patch::Invalid(errors_text(&broken, &texts));
        }

        // The whole repository, for checks: replace, check, and put back
        // when the edit is not good.
        let olds: Vec<Document> = edits
            .iter()
            .map(|e| self.all.replace(e.at, e.doc.clone()))
            .collect();
        for e in &mut edits {
            e.diagnostics.extend(check::references::check_document(
                &self.all,
                &self.paths,
                e.at,
            ));
        }
        let failed = edits
            .iter()
            .flat_map(|e| &e.diagnostics)
            .any(|d| d.is_error() || self.opts.deny_warnings);
        let visible: Vec<bool> = {
            let filter = audience::Filter::new(&self.all.docs, &self.opts.audience);
            edits.iter().map(|e| filter.admits(&e.doc)).collect()
        };
        let same_visibility = edits
            .iter()
            .zip(&visible)
            .all(|(e, v)| self.site.org.index.ids.contains_key(&e.id) == *v);
        if failed || !same_visibility {
            for (e, old) in edits.iter().zip(olds).rev() {
                self.all.replace(e.at, old);
            }
            if !failed {
                return Patch::Unsupported;
            }
            for e in &edits {
                texts.extend(e.text.clone().map(|t| (e.file.clone(), t)));
            }
            let diags: Vec<Diagnostic> = edits.into_iter().flat_map(|e| e.diagnostics).collect();
            return Patch::Invalid(errors_text(&diags, &texts));
        }
        crate::timing("patch: read and check", t0);

        let t0 = std::time::Instant::now();
        let changed_files: HashSet<&str> = edits.iter().map(|e| e.file.as_str()).collect();
        self.diagnostics
            .retain(|d| !changed_files.contains(d.file.as_str()));
        let mut jobs: BTreeSet<pages::Job> = pages::jobs(&self.site.org)
            .into_iter()
            .filter(|j| !j.is_document() && edits.iter().any(|e| j.may_show(e.at)))
            .collect();
        let sanitizer = markdown::sanitizer();
        let mut patched = Vec::new();
        for (e, visible) in edits.into_iter().zip(visible) {
            self.diagnostics.extend(e.diagnostics);
            if let Some(t) = e.text {
                self.texts.insert(e.file, t);
            }
            if !visible {
                continue;
            }
            let Some(&at) = self.site.org.index.ids.get(&e.id) else {
                continue;
            };
            jobs.extend(pages::showing(&self.site.org, &e.id));
            let targets = markdown::LinkTargets::of(&self.prepared.urls);
            let html = markdown::render(&e.doc.meta().body, &targets, &sanitizer);
            self.prepared.html.insert(e.id.clone(), html);
            self.site.org.replace(at, e.doc);
            jobs.extend(pages::showing(&self.site.org, &e.id));
            patched.push((e.id, at));
        }
        pipeline::sort(&mut self.diagnostics);
        crate::timing("patch: model and bodies", t0);

        let t0 = std::time::Instant::now();
        let fresh: Vec<render::feeds::EventRef> = {
            let input = self.site.input(&source, None, None, None);
            let views = render::views(
                &input,
                &self.site.options,
                render::Bodies::Rendered(&self.prepared.html),
                &[],
            );
            patched
                .iter()
                .flat_map(|(_, at)| views.event_refs_of(*at, self.site.options.today))
                .collect()
        };
        let events = &mut self.prepared.events;
        events.retain(|ev| {
            !patched
                .iter()
                .any(|(id, _)| render::feeds::is_event_of(ev, id))
        });
        for ev in fresh {
            let at = events.partition_point(|x| {
                render::feeds::event_order(x, &ev) != std::cmp::Ordering::Greater
            });
            events.insert(at, ev);
        }
        crate::timing("patch: events", t0);

        let t0 = std::time::Instant::now();
        let jobs: Vec<pages::Job> = jobs.into_iter().collect();
        let input = self
            .site
            .input(&source, None, Some(page_cache), Some(&self.texts));
        let views = render::views(
            &input,
            &self.site.options,
            render::Bodies::Rendered(&self.prepared.html),
            &self.prepared.events,
        );
        let sink = MemorySink::default();
        if render::render_pages(&input, &self.site.options, &views, &jobs, &sink).is_err() {
            // The model has the edit but the site does not: a full build
            // starts again from the files, and reports the error itself.
            return Patch::Unsupported;
        }
        crate::timing("patch: pages", t0);
        Patch::Applied {
            files: sink.0.into_inner().unwrap_or_default(),
            warnings: self.diagnostics.len(),
        }
    }

    /// Reads one changed file for a patch.
    fn read(&self, source: &WorkTree, file: &str) -> Read {
        let editable = matches!(
            load::place(file),
            Place::Goal { .. }
                | Place::TeamGoal { .. }
                | Place::Reflection { .. }
                | Place::Feedback { .. }
                | Place::Request { .. }
        );
        let (true, Some(src), Some(id)) = (editable, source.file(file), file.strip_suffix(".md"))
        else {
            return Read::Unsupported;
        };
        let Some(&at) = self.all.index.ids.get(id) else {
            // A new file, or one that could not be read before.
            return Read::Unsupported;
        };
        let Ok(reloaded) = load::reload(source, &src, self.opts.max_file_size) else {
            return Read::Unsupported;
        };
        let Some(doc) = reloaded.document else {
            return if reloaded.diagnostics.iter().any(Diagnostic::is_error) {
                Read::Broken(reloaded.diagnostics, reloaded.text)
            } else {
                Read::Unsupported
            };
        };
        if !doc.fits(at) || !self.same_links_elsewhere(at, &doc) {
            return Read::Unsupported;
        }
        Read::Edit(Box::new(Edit {
            file: file.to_string(),
            id: id.to_string(),
            at,
            doc,
            diagnostics: reloaded.diagnostics,
            text: reloaded.text,
        }))
    }

    /// Whether the edit leaves alone what other documents' checks and pages
    /// depend on beyond the pages [`pages::showing`] finds: what a goal
    /// supports (a circle is reported on every goal in it) and the moment
    /// a reflection is for (every portfolio's "due" list looks at which
    /// moments reflections name).
    fn same_links_elsewhere(&self, at: DocRef, doc: &Document) -> bool {
        let d = &self.all.docs;
        let value = |x: Option<&crate::load::yaml::At<String>>| x.map(|v| v.value.clone());
        match (at, doc) {
            (DocRef::Goal(i), Document::Goal(g)) => {
                value(d.goals[i].supports.as_ref()) == value(g.supports.as_ref())
            }
            (DocRef::TeamGoal(i), Document::Goal(g)) => {
                value(d.team_goals[i].supports.as_ref()) == value(g.supports.as_ref())
            }
            (DocRef::Reflection(i), Document::Reflection(r)) => {
                value(d.reflections[i].moment.as_ref()) == value(r.moment.as_ref())
            }
            _ => true,
        }
    }
}

/// A changed file, as a patch sees it.
enum Read {
    Edit(Box<Edit>),
    /// It cannot be parsed: its diagnostics and text.
    Broken(Vec<Diagnostic>, Option<Arc<str>>),
    Unsupported,
}
