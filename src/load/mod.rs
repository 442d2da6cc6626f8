//! Reads every file of a [`Source`] into typed [`Documents`]: splits front
//! matter, parses YAML and Markdown once, in parallel over files. Pure apart
//! from reading the source: bytes in, documents and diagnostics out.

pub mod frontmatter;
pub mod html;
pub mod kinds;
pub mod markdown;
pub mod yaml;

use std::sync::Arc;

use rayon::prelude::*;

use crate::check::{Code, Diagnostic};
use crate::model::documents::*;
use crate::source::{Skipped, Source, SourceError, SourceFile};
use yaml::Node;

/// Where a file belongs in the content model, read from its path alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    OrgConfig,
    Objective {
        slug: String,
    },
    Team {
        team: String,
    },
    TeamGoal {
        team: String,
        slug: String,
    },
    Person {
        handle: String,
    },
    Goal {
        handle: String,
        slug: String,
    },
    Reflection {
        handle: String,
        period: String,
    },
    Feedback {
        handle: String,
        name: String,
    },
    Request {
        handle: String,
        slug: String,
    },
    PayPage,
    PayRules,
    Level {
        key: String,
    },
    Static,
    /// Theme and template files: read by the renderer, not here.
    Theme,
    /// Files that are fine to have but are not content (README.md, CI files).
    Ignored,
    /// A Markdown or YAML file in no known place.
    Stray,
}

/// Classifies a repository path.
/// A document's id: its path without `.md`, or its folder for `index.md`.
pub fn id_of(path: &str) -> &str {
    path.strip_suffix("/index.md")
        .or_else(|| path.strip_suffix(".md"))
        .unwrap_or(path)
}

pub fn place(path: &str) -> Place {
    let parts: Vec<&str> = path.split('/').collect();
    let md = |s: &str| s.strip_suffix(".md").map(str::to_string);
    let owned = |s: &str| s.to_string();
    match parts.as_slice() {
        ["org.yaml"] => Place::OrgConfig,
        ["objectives", f] => md(f).map_or(Place::Stray, |slug| Place::Objective { slug }),
        ["teams", t, "index.md"] => Place::Team { team: owned(t) },
        ["teams", t, "goals", f] => md(f).map_or(Place::Stray, |slug| Place::TeamGoal {
            team: owned(t),
            slug,
        }),
        ["people", h, "index.md"] => Place::Person { handle: owned(h) },
        ["people", h, "goals", f] => md(f).map_or(Place::Stray, |slug| Place::Goal {
            handle: owned(h),
            slug,
        }),
        ["people", h, "reflections", f] => md(f).map_or(Place::Stray, |period| Place::Reflection {
            handle: owned(h),
            period,
        }),
        ["people", h, "feedback", f] => md(f).map_or(Place::Stray, |name| Place::Feedback {
            handle: owned(h),
            name,
        }),
        ["people", h, "requests", f] => md(f).map_or(Place::Stray, |slug| Place::Request {
            handle: owned(h),
            slug,
        }),
        ["pay", "index.md"] => Place::PayPage,
        ["pay", "rules.yaml"] => Place::PayRules,
        ["pay", "levels", f] => md(f).map_or(Place::Stray, |key| Place::Level { key }),
        ["static", ..] => Place::Static,
        ["themes", ..] | ["templates", ..] | ["i18n", ..] => Place::Theme,
        [f] if !f.ends_with(".md") && !f.ends_with(".yaml") && !f.ends_with(".yml") => {
            Place::Ignored
        }
        ["README.md" | "CONTRIBUTING.md" | "CHANGELOG.md" | "LICENSE.md" | "CODEOWNERS.md"] => {
            Place::Ignored
        }
        ["docs", ..] | ["bench", ..] => Place::Ignored,
        [.., f] if f.ends_with(".md") || f.ends_with(".yaml") || f.ends_with(".yml") => {
            Place::Stray
        }
        _ => Place::Ignored,
    }
}

/// Files in `static/` that a browser could run as script from the site's
/// origin; refused.
fn can_run_script(path: &str) -> bool {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "html"
            | "htm"
            | "xhtml"
            | "shtml"
            | "js"
            | "mjs"
            | "cjs"
            | "svg"
            | "svgz"
            | "xml"
            | "xsl"
            | "xslt"
            | "swf"
            | "wasm"
            | "php"
            | "jsp"
            | "asp"
            | "aspx"
            | "appcache"
            | "manifest"
            | "webmanifest"
    ) || path.rsplit('/').next().is_some_and(|n| !n.contains('.'))
}

/// Where a stray file probably belongs, for the warning's help line.
fn where_it_belongs(path: &str) -> String {
    let hint = if path.starts_with("people/") {
        "a person's files go in people/<handle>/index.md, goals/, reflections/, feedback/ or requests/"
    } else if path.starts_with("teams/") {
        "a team's files go in teams/<team>/index.md and teams/<team>/goals/<slug>.md"
    } else if path.starts_with("pay/") {
        "pay files are pay/index.md, pay/rules.yaml and pay/levels/<level>.md"
    } else if path.starts_with("objectives/") {
        "objectives are objectives/<slug>.md"
    } else {
        "content lives in org.yaml, objectives/, teams/, people/ and pay/; see the content model"
    };
    hint.to_string()
}

/// The result of loading: what could be read, and every problem found.
pub struct Loaded {
    pub documents: Documents,
    pub diagnostics: Vec<Diagnostic>,
    /// The text of the files that diagnostics point into (of every file
    /// read, with a cache), for diagnostics to quote.
    pub texts: std::collections::HashMap<String, Arc<str>>,
    /// The path of every file in the source, for link checks.
    pub paths: std::collections::HashSet<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(
        "{0} has no org.yaml: is this an organization repository? (`openfolio init` creates one)"
    )]
    NotAnOrg(String),
}

#[derive(Clone)]
enum Item {
    Org(OrgConfig),
    Objective(Objective),
    Team(Team),
    TeamGoal(Goal),
    Person(Person),
    Goal(Goal),
    Reflection(Reflection),
    Feedback(Feedback),
    Request(Request),
    PayPage(Page),
    PayRules(String, Node),
    Level(Level),
    Static(StaticFile),
    Nothing,
}

/// Loads the whole repository.
pub fn load(source: &dyn Source, max_file_size: u64) -> Result<Loaded, LoadError> {
    load_cached(source, max_file_size, None)
}

/// What `serve` keeps between rebuilds: the result of loading each file, by
/// path, with the size and time it had. A file whose size and time did not
/// change is not read or parsed again.
#[derive(Default)]
pub struct LoadCache(
    std::sync::Mutex<std::collections::HashMap<String, (u64, std::time::SystemTime, FileResult)>>,
);

/// Loads the whole repository, reusing what `cache` holds for unchanged files.
pub fn load_cached(
    source: &dyn Source,
    max_file_size: u64,
    cache: Option<&LoadCache>,
) -> Result<Loaded, LoadError> {
    let t0 = std::time::Instant::now();
    let (files, skipped) = source.files()?;
    crate::timing("check: load: list the files", t0);
    if !files.iter().any(|f| f.path == "org.yaml") {
        return Err(LoadError::NotAnOrg(source.describe()));
    }
    let cached = |file: &SourceFile| -> Option<FileResult> {
        let (cache, modified) = (cache?, file.modified?);
        let map = cache.0.lock().ok()?;
        map.get(&file.path)
            .filter(|(size, time, _)| *size == file.size && *time == modified)
            .map(|(_, _, r)| r.clone())
    };
    // Collected in place, in order, with room for exactly the files: a
    // `collect` of `Result`s would gather chunks in a list and copy them
    // together, holding up to three times the results at the peak.
    let mut read: Vec<Result<FileResult, SourceError>> = Vec::new();
    files
        .par_iter()
        // Small pieces, so that no thread is left with a long run of files
        // at the end while the others have nothing to do.
        .with_max_len(64)
        .map(|file| match cached(file) {
            Some(r) => Ok(r),
            None => {
                let mut r = load_file(source, file, max_file_size)?;
                // Without a cache (a build, not `serve`), a text is kept only
                // for its diagnostics, or when its body keeps it anyway;
                // checks that come later read what they quote again.
                if cache.is_none() && r.1.is_empty() && !matches!(r.0, Item::Nothing) {
                    r.2 = None;
                }
                Ok(r)
            }
        })
        .collect_into_vec(&mut read);
    let results: Vec<FileResult> = read.into_iter().collect::<Result<_, SourceError>>()?;
    crate::timing("check: load: read and parse the files", t0);
    if let Some(cache) = cache
        && let Ok(mut map) = cache.0.lock()
    {
        map.clear();
        for (file, r) in files.iter().zip(&results) {
            if let Some(t) = file.modified {
                map.insert(file.path.clone(), (file.size, t, r.clone()));
            }
        }
    }

    let mut docs = Documents::default();
    let mut diagnostics = Vec::new();
    let mut texts = std::collections::HashMap::new();
    for s in skipped {
        match s {
            Skipped::Symlink(path) => diagnostics.push(
                Diagnostic::warning(Code::SkippedSymlink, &path, 0, 0, "symbolic link not followed")
                    .help("openfolio never follows links (they could point outside the repository); copy the file instead"),
            ),
        }
    }
    // Room for exactly the documents there are: these vectors are kept for
    // the whole build, and growing them by doubling leaves up to half unused.
    let mut counts = [0usize; 8];
    for (item, _, _) in &results {
        let kind = match item {
            Item::Objective(_) => 0,
            Item::Team(_) => 1,
            Item::TeamGoal(_) => 2,
            Item::Person(_) => 3,
            Item::Goal(_) => 4,
            Item::Reflection(_) => 5,
            Item::Feedback(_) => 6,
            Item::Request(_) => 7,
            _ => continue,
        };
        counts[kind] += 1;
    }
    docs.objectives.reserve_exact(counts[0]);
    docs.teams.reserve_exact(counts[1]);
    docs.team_goals.reserve_exact(counts[2]);
    docs.people.reserve_exact(counts[3]);
    docs.goals.reserve_exact(counts[4]);
    docs.reflections.reserve_exact(counts[5]);
    docs.feedback.reserve_exact(counts[6]);
    docs.requests.reserve_exact(counts[7]);
    for (item, diags, text) in results {
        if matches!(item, Item::Nothing)
            && let Some((path, _)) = &text
        {
            docs.unreadable.push(id_of(path).to_string());
        }
        diagnostics.extend(diags);
        if let Some((path, text)) = text {
            texts.insert(path, text);
        }
        match item {
            Item::Org(c) => docs.config = c,
            Item::Objective(x) => docs.objectives.push(x),
            Item::Team(x) => docs.teams.push(x),
            Item::TeamGoal(x) => docs.team_goals.push(x),
            Item::Person(x) => docs.people.push(x),
            Item::Goal(x) => docs.goals.push(x),
            Item::Reflection(x) => docs.reflections.push(x),
            Item::Feedback(x) => docs.feedback.push(x),
            Item::Request(x) => docs.requests.push(x),
            Item::PayPage(x) => docs.pay_page = Some(x),
            Item::PayRules(f, n) => docs.pay_rules = Some((f, n)),
            Item::Level(x) => docs.levels.push(x),
            Item::Static(x) => docs.statics.push(x),
            Item::Nothing => {}
        }
    }
    Ok(Loaded {
        documents: docs,
        diagnostics,
        texts,
        paths: files.into_iter().map(|f| f.path).collect(),
    })
}

/// One goal, reflection, feedback or request read again, with its
/// problems and its text (`serve`'s patch path). The document is `None`
/// when the file is of another kind or could not be parsed (a diagnostic
/// says why then).
pub struct Reloaded {
    pub document: Option<crate::model::Document>,
    pub diagnostics: Vec<Diagnostic>,
    pub text: Option<Arc<str>>,
}

/// Reads and parses one file of `source` as [`load`] does.
pub fn reload(source: &dyn Source, file: &SourceFile, max: u64) -> Result<Reloaded, SourceError> {
    use crate::model::Document;
    let (item, diagnostics, text) = load_file(source, file, max)?;
    let document = match item {
        Item::Goal(g) | Item::TeamGoal(g) => Some(Document::Goal(g)),
        Item::Reflection(r) => Some(Document::Reflection(r)),
        Item::Feedback(f) => Some(Document::Feedback(f)),
        Item::Request(r) => Some(Document::Request(r)),
        _ => None,
    };
    Ok(Reloaded {
        document,
        diagnostics,
        text: text.map(|(_, t)| t),
    })
}

type FileResult = (Item, Vec<Diagnostic>, Option<(String, Arc<str>)>);

fn load_file(source: &dyn Source, file: &SourceFile, max: u64) -> Result<FileResult, SourceError> {
    let path = file.path.as_str();
    let place = place(path);
    let mut diags = Vec::new();
    match place {
        Place::Ignored | Place::Theme => return Ok((Item::Nothing, diags, None)),
        Place::Static if can_run_script(path) => {
            diags.push(
                Diagnostic::warning(Code::UnsafeStatic, path, 0, 0, "not copied: this kind of file can run script in readers' browsers")
                    .help("static/ takes images (png, jpg, gif, webp), fonts, style sheets, PDFs and other downloads; not .html, .js or .svg"),
            );
            return Ok((Item::Nothing, diags, None));
        }
        Place::Static if file.size > max.saturating_mul(8) => {
            // Downloads may be bigger than documents, but not unbounded.
            diags.push(
                Diagnostic::error(Code::FileTooLarge, path, 0, 0, format!("static file of {} bytes, over the limit of {} for static files", file.size, max.saturating_mul(8)))
                    .help("link to large files where they are stored, or raise the limit with `--max-file-size` (static files may be 8 times that)"),
            );
            return Ok((Item::Nothing, diags, None));
        }
        Place::Static => {
            return Ok((
                Item::Static(StaticFile {
                    source: path.to_string(),
                    target: path["static/".len()..].to_string(),
                }),
                diags,
                None,
            ));
        }
        Place::Stray => {
            diags.push(
                Diagnostic::warning(
                    Code::StrayFile,
                    path,
                    0,
                    0,
                    "this file is not in any place openfolio reads, so it is not on the site",
                )
                .help(where_it_belongs(path)),
            );
            return Ok((Item::Nothing, diags, None));
        }
        _ => {}
    }
    if file.size > max {
        diags.push(
            Diagnostic::error(
                Code::FileTooLarge,
                path,
                0,
                0,
                format!("file is {} bytes, over the limit of {max}", file.size),
            )
            .help("split it, or raise the limit with `--max-file-size`"),
        );
        return Ok((Item::Nothing, diags, None));
    }
    let bytes = source.read(path)?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = upto.iter().filter(|b| **b == b'\n').count() as u32 + 1;
            diags.push(
                Diagnostic::error(
                    Code::NotUtf8,
                    path,
                    line,
                    1,
                    "the file is not valid UTF-8 text",
                )
                .help("save the file as UTF-8 in your editor"),
            );
            return Ok((Item::Nothing, diags, None));
        }
    };
    let text: Arc<str> = Arc::from(frontmatter::normalise(&text));
    let item = parse_document(path, &place, &text, &mut diags);
    Ok((item, diags, Some((path.to_string(), text))))
}

fn slug_check(path: &str, what: &str, name: &str, diags: &mut Vec<Diagnostic>) -> bool {
    if kinds::is_slug(name) {
        return true;
    }
    let better: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    diags.push(
        Diagnostic::error(
            Code::InvalidName,
            path,
            0,
            0,
            format!("`{name}` is not a valid {what}"),
        )
        .help(format!(
            "use lowercase letters, digits and `-` only, e.g. `{}`",
            better.trim_matches('-')
        )),
    );
    false
}

/// `text` is shared with the body parsed from it (which keeps its source).
fn parse_document(path: &str, place: &Place, text: &Arc<str>, diags: &mut Vec<Diagnostic>) -> Item {
    if matches!(place, Place::OrgConfig | Place::PayRules) {
        return match yaml::parse(text, 0) {
            Ok(node) if *place == Place::OrgConfig => Item::Org(kinds::org(path, &node, diags)),
            Ok(node) => Item::PayRules(path.to_string(), node),
            Err((line, col, msg)) => {
                diags.push(yaml_error(path, text, 1, line, col, msg));
                Item::Nothing
            }
        };
    }
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            let line = match e {
                frontmatter::SplitError::NoOpening => 1,
                frontmatter::SplitError::NotClosed => 1,
            };
            diags.push(
                Diagnostic::error(Code::MissingFrontMatter, path, line, 1, e.to_string())
                    .help("start the file with a line `---`, then the fields, then another `---` line, then the text"),
            );
            return Item::Nothing;
        }
    };
    let node = match yaml::parse(split.yaml, 1) {
        Ok(n) => n,
        Err((line, col, msg)) => {
            diags.push(yaml_error(path, split.yaml, 2, line, col, msg));
            return Item::Nothing;
        }
    };
    let body = markdown::parse_in(text, split.body, path, split.body_line);
    let id = id_of(path);
    let meta = Meta {
        id: id.to_string(),
        file: path.to_string(),
        visibility: None,
        body: Arc::new(body),
    };
    match place {
        Place::Objective { slug } => {
            slug_check(path, "objective slug", slug, diags);
            Item::Objective(kinds::objective(meta, &node, diags))
        }
        Place::Team { team } => {
            slug_check(path, "team slug", team, diags);
            Item::Team(kinds::team(meta, team, &node, diags))
        }
        Place::TeamGoal { team, slug } => {
            slug_check(path, "goal slug", slug, diags);
            Item::TeamGoal(kinds::goal(meta, Owner::Team(team.clone()), &node, diags))
        }
        Place::Person { handle } => {
            slug_check(path, "handle", handle, diags);
            Item::Person(kinds::person(meta, handle, &node, diags))
        }
        Place::Goal { handle, slug } => {
            slug_check(path, "goal slug", slug, diags);
            Item::Goal(kinds::goal(
                meta,
                Owner::Person(handle.clone()),
                &node,
                diags,
            ))
        }
        Place::Reflection { handle, period } => {
            if !kinds::is_period(period) {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidPeriod,
                        path,
                        0,
                        0,
                        format!("`{period}` is not a period"),
                    )
                    .help(
                        "name reflections by their period: `2026.md`, `2026-H1.md` or `2026-Q3.md`",
                    ),
                );
            }
            Item::Reflection(kinds::reflection(meta, handle, period, &node, diags))
        }
        Place::Feedback { handle, name } => {
            slug_check(path, "feedback file name", name, diags);
            Item::Feedback(kinds::feedback(meta, handle, &node, diags))
        }
        Place::Request { handle, slug } => {
            slug_check(path, "request slug", slug, diags);
            Item::Request(kinds::request(meta, handle, &node, diags))
        }
        Place::PayPage => Item::PayPage(kinds::page(meta, &node, diags)),
        Place::Level { key } => Item::Level(kinds::level(meta, key, &node, diags)),
        _ => Item::Nothing,
    }
}

fn yaml_error(
    path: &str,
    yaml: &str,
    first_line: u32,
    line: u32,
    col: u32,
    msg: String,
) -> Diagnostic {
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return Diagnostic::error(
            Code::DuplicateField,
            path,
            line,
            col,
            format!("field `{key}` is written twice"),
        )
        .help("keep one of the two lines");
    }
    let lower = msg.to_lowercase();
    let is_tab =
        lower.contains("found a tab") || lower.contains("tabs") || lower.contains("tab character");
    // The parser blames the start of the scalar; point at the tab itself.
    let (line, col) = match yaml
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start_matches(' ').starts_with('\t'))
    {
        Some((i, l)) if is_tab => (
            first_line + i as u32,
            (l.find('\t').unwrap_or(0) + 1) as u32,
        ),
        _ => (line, col),
    };
    let help = if is_tab {
        "YAML does not allow tabs for indentation: use spaces".to_string()
    } else {
        "check the indentation and that values containing `: ` or starting with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `@` or a quote are quoted".to_string()
    };
    Diagnostic::error(
        Code::YamlSyntax,
        path,
        line,
        col,
        format!("invalid YAML: {msg}"),
    )
    .help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places() {
        assert_eq!(
            place("people/alice/goals/x.md"),
            Place::Goal {
                handle: "alice".into(),
                slug: "x".into()
            }
        );
        assert_eq!(place("teams/p/index.md"), Place::Team { team: "p".into() });
        assert_eq!(place("README.md"), Place::Ignored);
        assert_eq!(place("people/alice/notes.md"), Place::Stray);
        assert_eq!(place("static/a/b.png"), Place::Static);
        assert_eq!(place("goals/x.md"), Place::Stray);
    }
}
