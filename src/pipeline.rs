//! The stages in order, for the commands that run them: source → load →
//! check → audience → model → render → output. `build` and `check` are thin
//! callers of [`check`] and [`build`]; `serve` will reuse them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::audience::{self, Audience};
use crate::check::{self, Diagnostic};
use crate::history::History;
use crate::load::{self, LoadError};
use crate::model::Org;
use crate::model::documents::{Date, Documents};
use crate::output::{self, OutputError, Staging};
use crate::pay::{self, rules::PayRules};
use crate::render::{self, RenderError, RenderOptions, theme::Theme, theme::ThemeError};
use crate::source::{GitTree, Source, WorkTree};

/// A repository that was read and checked.
pub struct Checked {
    pub documents: Documents,
    /// Errors and warnings, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Text of every file read, for printing diagnostics with their source line.
    pub texts: HashMap<String, Arc<str>>,
    /// `pay/rules.yaml`, typed, when it is present and valid.
    pub pay_rules: Option<PayRules>,
    /// Git history, when it was read (see [`Checked::with_history`]).
    pub history: Option<Arc<History>>,
    /// The path of every file in the repository, for link checks.
    pub paths: HashSet<String>,
}

impl Checked {
    /// Adds the history and what it says about provenance and authors
    /// (quoting `source` for the diagnostics).
    pub fn with_history(mut self, history: Arc<History>, source: &dyn Source) -> Self {
        self.diagnostics
            .extend(check::provenance::check(&history, &self.documents));
        sort(&mut self.diagnostics);
        self.quote_sources(source);
        self.history = Some(history);
        self
    }

    /// Reads the text of each file that a diagnostic points into and that
    /// loading did not keep, for printing the diagnostic with its source
    /// line. Loading keeps only the texts it has a use for: they are the
    /// largest thing it reads, and an organization of thousands of people
    /// has few diagnostics.
    pub fn quote_sources(&mut self, source: &dyn Source) {
        for d in &self.diagnostics {
            if d.line == 0 || self.texts.contains_key(&d.file) {
                continue;
            }
            if let Ok(text) = source.read(&d.file).map(String::from_utf8)
                && let Ok(text) = text
            {
                let text = load::frontmatter::normalise(&text);
                self.texts.insert(d.file.clone(), Arc::from(text));
            }
        }
    }

    pub fn has_errors(&self, deny_warnings: bool) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.is_error() || deny_warnings)
    }
}

/// Reads and checks the whole repository.
pub fn check(source: &dyn Source, max_file_size: u64) -> Result<Checked, LoadError> {
    check_cached(source, max_file_size, None)
}

/// [`check`], reusing what `cache` holds for files that did not change.
pub fn check_cached(
    source: &dyn Source,
    max_file_size: u64,
    cache: Option<&load::LoadCache>,
) -> Result<Checked, LoadError> {
    let t0 = std::time::Instant::now();
    let loaded = load::load_cached(source, max_file_size, cache)?;
    crate::timing("check: load", t0);
    let t0 = std::time::Instant::now();
    let paths = loaded.paths;
    let mut diagnostics = loaded.diagnostics;
    let documents = loaded.documents;
    let org = Org::new(documents);
    diagnostics.extend(check::references::check(&org, &paths));
    let pay_rules = org
        .docs
        .pay_rules
        .as_ref()
        .and_then(|(file, node)| pay::rules::parse(file, node, &mut diagnostics));
    if let Some(rules) = &pay_rules {
        diagnostics.extend(pay::check(rules, &org.docs));
        // Profile fields that pay rules are keyed by are known fields.
        let pay_fields: HashSet<&str> = std::iter::once(rules.base.by.as_str())
            .chain(rules.multipliers.iter().map(|m| m.table.by.as_str()))
            .chain(rules.steps.iter().map(|s| s.since.as_str()))
            .chain(rules.scale_by.iter().map(String::as_str))
            .collect();
        diagnostics.retain(|d| {
            let is_profile = d.file.starts_with("people/")
                && d.file.ends_with("/index.md")
                && d.file.matches('/').count() == 2;
            !(d.code == check::Code::UnknownField
                && is_profile
                && pay_fields
                    .iter()
                    .any(|f| d.message == format!("unknown field `{f}`")))
        });
    }
    if crate::codeowners::LOCATIONS
        .iter()
        .any(|l| paths.contains(*l))
    {
        for p in org.docs.people.iter().filter(|p| p.forge.is_none()) {
            diagnostics.push(
                check::Diagnostic::warning(check::Code::MissingForge, &p.meta.file, 2, 1, format!("{} has no `forge` user name, so CODEOWNERS cannot make them the owner of their folder", p.name))
                    .help("add `forge: <their user name on the git forge>` and run `openfolio codeowners` again"),
            );
        }
    }
    sort(&mut diagnostics);
    let mut checked = Checked {
        documents: org.docs,
        diagnostics,
        texts: loaded.texts,
        pay_rules,
        history: None,
        paths,
    };
    checked.quote_sources(source);
    crate::timing("check: references and rules", t0);
    Ok(checked)
}

pub(crate) fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics
        .sort_by(|a, b| (&a.file, a.line, a.col, a.code).cmp(&(&b.file, b.line, b.col, b.code)));
    diagnostics.dedup();
}

/// The e-mail addresses of every person, lowercased, to their handle.
pub fn emails(docs: &Documents) -> HashMap<String, String> {
    docs.people
        .iter()
        .flat_map(|p| {
            p.emails
                .iter()
                .map(|e| (e.to_lowercase(), p.handle.clone()))
        })
        .collect()
}

/// Reads the history of the repository in `dir` up to the commit `source`
/// is from (HEAD for a working tree).
pub fn history(dir: &Path, source: &dyn Source, docs: &Documents) -> Arc<History> {
    let start = source.revision().and_then(|r| git2::Oid::from_str(&r).ok());
    Arc::new(History::collect(dir, start, &emails(docs)))
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub repo: PathBuf,
    /// Defaults to `public/` inside the repository.
    pub output: Option<PathBuf>,
    pub audience: Audience,
    /// Overrides org.yaml's `base_url` (serve uses `/`).
    pub base_url: Option<String>,
    pub today: Date,
    pub force: bool,
    pub deny_warnings: bool,
    pub max_file_size: u64,
    /// Build from this git revision or date instead of the working tree.
    pub at: Option<String>,
    /// Read git history (provenance, timelines, reviewers).
    pub history: bool,
    /// Write feeds, sitemap, `data/org.json` and the search index with the
    /// pages (`serve` builds them when first asked for, with
    /// [`render_aggregates`]).
    pub aggregates: bool,
}

/// The source for a repository directory: its working tree, or the tree of a
/// commit when `at` is given. `output` is never read as content.
pub fn open_source(
    repo: &Path,
    at: Option<&str>,
    output: Option<&Path>,
) -> Result<Box<dyn Source>, BuildError> {
    match at {
        Some(at) => Ok(Box::new(GitTree::open(repo, at)?)),
        None => {
            let mut tree = WorkTree::new(repo)?;
            if let Some(out) = output {
                tree = tree.exclude(out);
            }
            Ok(Box::new(tree))
        }
    }
}

impl BuildOptions {
    pub fn new(repo: &Path) -> Self {
        BuildOptions {
            repo: repo.to_path_buf(),
            output: None,
            audience: Audience::Org,
            base_url: None,
            today: chrono::Local::now().date_naive(),
            force: false,
            deny_warnings: false,
            max_file_size: crate::source::DEFAULT_MAX_FILE_SIZE,
            at: None,
            history: true,
            aggregates: true,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.repo.join("public"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("the repository has errors; the previous site was left as it was")]
    Invalid,
    #[error(transparent)]
    Theme(#[from] ThemeError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
    #[error(transparent)]
    Git(#[from] crate::source::git::GitError),
    #[error("{0}")]
    Audience(String),
}

/// What a build did.
pub struct BuildReport {
    /// The diagnostics and the history. Rendering took the documents and
    /// the list of paths out of it (see [`render_site`]).
    pub checked: Checked,
    pub stats: render::Stats,
    pub output: PathBuf,
    /// What was rendered, handed back rather than freed: a command that
    /// exits next can leave it to the system (at 10,000 people, freeing its
    /// million allocations one by one takes a quarter of a second).
    pub site: Site,
}

/// Checks, filters for the audience, renders into a staging directory and
/// swaps it into place. On any error the previous site is untouched; the
/// diagnostics are in the returned `Checked` either way.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, (BuildError, Option<Box<Checked>>)> {
    let output = opts.output_dir();
    output::guard(&opts.repo, &output, opts.force).map_err(|e| (e.into(), None))?;
    let source =
        open_source(&opts.repo, opts.at.as_deref(), Some(&output)).map_err(|e| (e, None))?;
    let source = source.as_ref();
    let t0 = std::time::Instant::now();
    let mut checked = check(source, opts.max_file_size).map_err(|e| (e.into(), None))?;
    crate::timing("load and check", t0);
    if opts.history {
        let t0 = std::time::Instant::now();
        let history = history(&opts.repo, source, &checked.documents);
        checked = checked.with_history(history, source);
        crate::timing("history", t0);
    }
    if checked.has_errors(opts.deny_warnings) {
        return Err((BuildError::Invalid, Some(Box::new(checked))));
    }
    match render_site(source, &mut checked, opts, &output) {
        Ok((stats, site)) => Ok(BuildReport {
            checked,
            stats,
            output,
            site,
        }),
        Err(e) => Err((e, Some(Box::new(checked)))),
    }
}

/// Renders the site into a staging directory that replaces `output` when
/// all of it is written. Takes the documents (and the list of paths) out of
/// `checked`: a build has no use for those the audience does not see, and
/// copying the rest would cost as much memory again.
fn render_site(
    source: &dyn Source,
    checked: &mut Checked,
    opts: &BuildOptions,
    output: &Path,
) -> Result<(render::Stats, Site), BuildError> {
    let staging = Staging::new(output)?;
    let rendered = site_of(source, checked, opts).and_then(|site| {
        let input = site.input(source, checked.history.as_deref(), None, None);
        let stats = render::render(&input, &site.options, &staging)?;
        Ok((stats, site))
    });
    match rendered {
        Ok(done) => {
            staging.commit()?;
            Ok(done)
        }
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// Filters for the audience and renders the checked repository into `sink`
/// (a staging directory for `build`, memory for `serve`).
pub fn render_into(
    source: &dyn Source,
    checked: &Checked,
    opts: &BuildOptions,
    live_reload: Option<String>,
    sink: &dyn output::Sink,
) -> Result<render::Stats, BuildError> {
    render_cached(source, checked, opts, live_reload, None, sink)
}

/// [`render_into`], reusing the pages of a previous render whose inputs did
/// not change (`serve`).
pub fn render_cached(
    source: &dyn Source,
    checked: &Checked,
    opts: &BuildOptions,
    live_reload: Option<String>,
    pages: Option<&render::PageCache>,
    sink: &dyn output::Sink,
) -> Result<render::Stats, BuildError> {
    with_input(source, checked, opts, live_reload, pages, |input, ropts| {
        Ok(render::render(input, ropts, sink)?)
    })
}

/// Everything the site for `opts.audience` shows, as JSON (`openfolio export`).
pub fn export(
    source: &dyn Source,
    checked: &Checked,
    opts: &BuildOptions,
) -> Result<serde_json::Value, BuildError> {
    with_input(source, checked, opts, None, None, |input, ropts| {
        Ok(render::export(input, ropts))
    })
}

/// The site for one audience, owned: the audience-filtered model, the
/// theme, the words, pay and the render options, which [`render::Input`]
/// borrows. `serve` keeps it between edits.
pub struct Site {
    pub org: Org,
    pub theme: Theme,
    pub words: render::i18n::Words,
    pub pay: Option<pay::PayReport>,
    pub version: Option<render::pay::Version>,
    pub options: RenderOptions,
}

/// Filters for the audience, loads the theme and computes pay.
pub fn site(
    source: &dyn Source,
    checked: &Checked,
    opts: &BuildOptions,
    live_reload: Option<String>,
) -> Result<Site, BuildError> {
    let t0 = std::time::Instant::now();
    audience::validate(&checked.documents, &opts.audience).map_err(BuildError::Audience)?;
    let pay = pay_report(checked);
    let visible = audience::select(&checked.documents, &opts.audience);
    assemble(source, checked, visible, pay, opts, live_reload, t0)
}

/// [`site`] for `build`, with the documents moved out of `checked`
/// instead of copied.
fn site_of(
    source: &dyn Source,
    checked: &mut Checked,
    opts: &BuildOptions,
) -> Result<Site, BuildError> {
    let t0 = std::time::Instant::now();
    audience::validate(&checked.documents, &opts.audience).map_err(BuildError::Audience)?;
    let pay = pay_report(checked);
    let mut visible = audience::retain(std::mem::take(&mut checked.documents), &opts.audience);
    visible.forget_check_data();
    let site = assemble(source, checked, visible, pay, opts, None, t0);
    // The path of every file was for the link checks and the theme.
    checked.paths = HashSet::new();
    site
}

/// Pay over the whole repository, whoever the audience is: each person's
/// share of the bonus depends on everyone's.
fn pay_report(checked: &Checked) -> Option<pay::PayReport> {
    checked
        .pay_rules
        .as_ref()
        .map(|r| pay::compute_all(r, &checked.documents))
}

fn assemble(
    source: &dyn Source,
    checked: &Checked,
    visible: Documents,
    pay: Option<pay::PayReport>,
    opts: &BuildOptions,
    live_reload: Option<String>,
    t0: std::time::Instant,
) -> Result<Site, BuildError> {
    let org = Org::new(visible);
    let theme = Theme::load(source, org.docs.config.theme.as_deref(), &checked.paths)?;
    let words = theme.words(&org.docs.config.language);
    let base_url = opts
        .base_url
        .clone()
        .unwrap_or_else(|| org.docs.config.base_url.clone());
    let options = RenderOptions {
        base_path: render::base_path(&base_url),
        base_url,
        today: opts.today,
        live_reload,
        aggregates: opts.aggregates,
    };
    crate::timing("render: audience, model, theme and pay", t0);
    Ok(Site {
        org,
        theme,
        words,
        pay,
        version: pay_version(source),
        options,
    })
}

impl Site {
    /// What the renderer reads.
    pub fn input<'a>(
        &'a self,
        source: &'a dyn Source,
        history: Option<&'a History>,
        pages: Option<&'a render::PageCache>,
        texts: Option<&'a HashMap<String, Arc<str>>>,
    ) -> render::Input<'a> {
        render::Input {
            org: &self.org,
            theme: &self.theme,
            words: &self.words,
            source,
            pay: self.pay.as_ref(),
            version: self.version.clone(),
            history,
            pages,
            texts,
        }
    }
}

/// Builds the [`Site`] and hands the renderer's input to `f`.
fn with_input<T>(
    source: &dyn Source,
    checked: &Checked,
    opts: &BuildOptions,
    live_reload: Option<String>,
    pages: Option<&render::PageCache>,
    f: impl FnOnce(&render::Input, &RenderOptions) -> Result<T, BuildError>,
) -> Result<T, BuildError> {
    let site = site(source, checked, opts, live_reload)?;
    let input = site.input(
        source,
        checked.history.as_deref(),
        pages,
        pages.map(|_| &checked.texts),
    );
    f(&input, &site.options)
}

/// Which version of `pay/rules.yaml` pay pages were computed from.
pub fn pay_version(source: &dyn Source) -> Option<render::pay::Version> {
    use sha2::Digest;
    let bytes = source.read("pay/rules.yaml").ok()?;
    let digest = sha2::Sha256::digest(&bytes);
    let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    let commit = source.revision().map(|c| {
        if source.is_modified("pay/rules.yaml") {
            format!("{c} + uncommitted changes to pay/rules.yaml")
        } else {
            c
        }
    });
    Some(render::pay::Version { hash, commit })
}
