//! Git as the audit log: for every file, the commits that changed it (with
//! renames followed), who made them, who reviewed them (merge commits and
//! `Reviewed-by:`-style trailers), and how a goal's `status`, `due` and
//! `progress` moved. Built in one walk over the commit graph, oldest first,
//! diffing each commit with its parent once: worker threads read a chunk of
//! commits side by side (`HISTORY_CHUNK`), then one pass applies them in
//! order, so that memory holds one chunk's changes, not the whole history's.
//!
//! Takes the repository and the people's e-mail addresses; returns data. It
//! renders nothing and knows nothing of audiences: the renderer only ever
//! asks it about documents that are in the site.

use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate};
use git2::{Delta, DiffFindOptions, Oid, Repository, Sort};
use serde::{Deserialize, Serialize};

use crate::load::{frontmatter, yaml};

/// Someone who wrote or reviewed a change, and the person they are (by the
/// e-mail addresses in profiles), when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub name: String,
    pub email: String,
    pub handle: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Commit {
    pub id: String,
    pub date: NaiveDate,
    pub author: Signature,
    pub subject: String,
    /// From `Reviewed-by:`/`Acked-by:` trailers and from the merge that brought it in.
    pub reviewers: Vec<Signature>,
    /// From `Co-authored-by:` trailers.
    pub co_authors: Vec<Signature>,
    /// The pull or merge request that brought it in (`#12`, `!12`).
    pub request: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Modified,
    Renamed,
    Deleted,
}

/// A front-matter field that changed value (`status: active → achieved`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    /// Index into [`History::commits`].
    pub commit: usize,
    pub kind: ChangeKind,
    /// For renames: the path it had before.
    pub from_path: Option<String>,
    pub fields: Vec<FieldChange>,
}

/// Whether git confirms who wrote a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum Provenance {
    /// The commit that added it was made by the person named in `from`.
    Verified,
    /// It was added by someone else.
    Unverified { by: Signature },
    /// History does not say (no git, shallow clone, or not committed yet).
    Unknown,
}

/// The history of every file of the organization.
#[derive(Debug, Default)]
pub struct History {
    pub commits: Vec<Commit>,
    /// By path relative to the organization folder, oldest change first.
    pub files: HashMap<String, Vec<Change>>,
    /// What could not be known, said once (shallow clone, no repository).
    pub notes: Vec<String>,
    /// The oldest commit when the clone is shallow: its "additions" are not real.
    pub shallow_root: Option<usize>,
}

/// Fields whose changes a goal's timeline shows.
const TRACKED: &[&str] = &["title", "status", "due", "progress", "supports"];

impl History {
    /// Reads the history of the organization in `dir` up to `start` (HEAD when
    /// `None`). Never fails: without git, the history is empty with a note.
    pub fn collect(dir: &Path, start: Option<Oid>, emails: &HashMap<String, String>) -> History {
        Self::collect_in_chunks(dir, start, emails, HISTORY_CHUNK)
    }

    /// [`History::collect`], working out `chunk` commits' changes at a time
    /// (the result does not depend on it; tests check that it does not).
    pub fn collect_in_chunks(
        dir: &Path,
        start: Option<Oid>,
        emails: &HashMap<String, String>,
        chunk: usize,
    ) -> History {
        match collect(dir, start, emails, chunk.max(1)) {
            Ok(h) => h,
            Err(note) => History {
                notes: vec![note],
                ..History::default()
            },
        }
    }

    pub fn changes(&self, path: &str) -> &[Change] {
        self.files.get(path).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The last change of a file.
    pub fn last(&self, path: &str) -> Option<(&Change, &Commit)> {
        self.changes(path)
            .last()
            .map(|c| (c, &self.commits[c.commit]))
    }

    /// Who git says added a document, compared with who it claims is the author.
    pub fn provenance(&self, path: &str, claimed: &str) -> Provenance {
        let Some(first) = self.changes(path).first() else {
            return Provenance::Unknown;
        };
        if first.kind != ChangeKind::Added || self.shallow_root == Some(first.commit) {
            return Provenance::Unknown;
        }
        let author = &self.commits[first.commit].author;
        if author.handle.as_deref() == Some(claimed) {
            Provenance::Verified
        } else {
            Provenance::Unverified { by: author.clone() }
        }
    }

    /// Everyone who reviewed a change to this file.
    pub fn reviewers(&self, path: &str) -> Vec<&Signature> {
        let mut out: Vec<&Signature> = Vec::new();
        for c in self.changes(path) {
            for r in &self.commits[c.commit].reviewers {
                if !out.iter().any(|o| o.email == r.email) {
                    out.push(r);
                }
            }
        }
        out
    }
}

fn signature(name: &str, email: &str, emails: &HashMap<String, String>) -> Signature {
    Signature {
        name: name.to_string(),
        email: email.to_string(),
        handle: emails.get(&email.to_lowercase()).cloned(),
    }
}

/// `Name <email>` from a trailer value.
fn parse_person(value: &str, emails: &HashMap<String, String>) -> Option<Signature> {
    let (name, rest) = value.split_once('<')?;
    let email = rest.split('>').next()?.trim();
    Some(signature(name.trim(), email, emails))
}

/// Review and co-author trailers of a commit message.
fn trailers(message: &str, emails: &HashMap<String, String>) -> (Vec<Signature>, Vec<Signature>) {
    let mut reviewers = Vec::new();
    let mut co = Vec::new();
    for line in message.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        match key.as_str() {
            "reviewed-by" | "acked-by" | "approved-by" => {
                reviewers.extend(parse_person(value, emails))
            }
            "co-authored-by" => co.extend(parse_person(value, emails)),
            _ => {}
        }
    }
    (reviewers, co)
}

/// `#12` from GitHub's "Merge pull request #12 from …", `!12` from GitLab's
/// "See merge request group/proj!12".
pub fn merge_request(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("Merge pull request #") {
        let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return (!n.is_empty()).then(|| format!("#{n}"));
    }
    for line in message.lines() {
        if let Some(i) = line.find("See merge request ") {
            let r = &line[i + "See merge request ".len()..];
            if let Some(bang) = r.rfind('!') {
                let n: String = r[bang + 1..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if !n.is_empty() {
                    return Some(format!("!{n}"));
                }
            }
        }
    }
    None
}

fn tracked_fields(text: &str) -> HashMap<String, String> {
    let text = frontmatter::normalise(text);
    let Ok(split) = frontmatter::split(&text) else {
        return HashMap::new();
    };
    let Ok(node) = yaml::parse(split.yaml, 1) else {
        return HashMap::new();
    };
    TRACKED
        .iter()
        .filter_map(|f| {
            node.get(f)
                .and_then(|n| n.as_scalar_text())
                .map(|v| (f.to_string(), v.to_string()))
        })
        .collect()
}

fn is_goal(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    matches!(parts.as_slice(), ["people", _, "goals", f] | ["teams", _, "goals", f] if f.ends_with(".md"))
}

fn collect(
    dir: &Path,
    start: Option<Oid>,
    emails: &HashMap<String, String>,
    chunk_size: usize,
) -> Result<History, String> {
    // Objects come from the repository's own store: checking each one's hash
    // again on every read is most of the time of a long walk.
    git2::opts::strict_hash_verification(false);
    // Each object of the walk is read once: libgit2's object cache (one per
    // repository handle) would only hold memory, up to GiBs in a long
    // history. It is on again when the walk ends.
    git2::opts::enable_caching(false);
    let _caching = CachingOffUntilDropped;
    let repo = Repository::discover(dir).map_err(|_| {
        "not a git repository: no history, provenance or reviews are shown".to_string()
    })?;
    // The organization must be the repository itself: a folder inside some
    // other project's repository (like openfolio's own example-org) has a
    // history that is not the organization's.
    let work = repo.workdir().and_then(|w| w.canonicalize().ok());
    let here = dir.canonicalize().ok();
    if work.is_none() || work != here {
        return Err(format!(
            "{} is a folder inside the git repository {}, not a repository of its own: no history, provenance or reviews are shown",
            dir.display(),
            work.map(|w| w.display().to_string()).unwrap_or_default()
        ));
    }
    let prefix = String::new();
    let start = match start {
        Some(s) => s,
        None => repo
            .head()
            .and_then(|h| h.peel_to_commit())
            .map(|c| c.id())
            .map_err(|_| "the repository has no commits yet: no history is shown".to_string())?,
    };
    let mut walk = repo.revwalk().map_err(|e| e.to_string())?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(|e| e.to_string())?;
    walk.push(start).map_err(|e| e.to_string())?;

    // Continue from the cache when its tip is `start` or an ancestor of it:
    // only the new commits are read.
    let cache_file = repo.path().join("openfolio").join(CACHE_FILE);
    let cached = read_cache(&cache_file).filter(|c| {
        Oid::from_str(&c.tip)
            .is_ok_and(|tip| tip == start || repo.graph_descendant_of(start, tip).unwrap_or(false))
    });
    let (mut h, mut goal_fields) = match cached {
        Some(c) => {
            if let Ok(tip) = Oid::from_str(&c.tip) {
                let _ = walk.hide(tip);
            }
            let mut h = History {
                commits: c.commits,
                files: c.files,
                notes: Vec::new(),
                shallow_root: c.shallow_root,
            };
            // Profiles' addresses may have changed since: name people anew.
            for commit in &mut h.commits {
                for s in std::iter::once(&mut commit.author)
                    .chain(commit.reviewers.iter_mut())
                    .chain(commit.co_authors.iter_mut())
                {
                    s.handle = emails.get(&s.email.to_lowercase()).cloned();
                }
            }
            (h, c.goal_fields)
        }
        None => (History::default(), HashMap::new()),
    };
    let shallow = repo.is_shallow();
    let mut index_of: HashMap<Oid, usize> = h
        .commits
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Oid::from_str(&c.id).ok().map(|o| (o, i)))
        .collect();
    // What each commit changed, worked out in parallel (each worker with
    // its own handle on the repository); applied in order below.
    let t0 = std::time::Instant::now();
    let oids: Vec<Oid> = walk.flatten().collect();
    crate::timing("history: walk", t0);
    // One handle on the repository per worker thread, opened once.
    let git_dir = repo.path().to_path_buf();
    let handles = (0..rayon::current_num_threads())
        .map(|_| Repository::open(&git_dir).map(std::sync::Mutex::new))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("the repository cannot be read: {e}; no history is shown"))?;
    let changes_in = |chunk: &[Oid]| -> Vec<Option<CommitRead>> {
        chunk
            .par_iter()
            .map(|oid| {
                // Each worker thread has its own handle, so no lock waits.
                let slot = &handles[rayon::current_thread_index().unwrap_or(0) % handles.len()];
                let handle = slot
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                read_commit(&handle, *oid, emails)
            })
            .collect()
    };
    // The changes are worked out a chunk of commits at a time, so that
    // memory holds one chunk's, not the whole history's.
    for chunk in oids.chunks(chunk_size) {
        for (&oid, commit) in chunk.iter().zip(changes_in(chunk)) {
            // A commit that cannot be read is left out, as git log would fail on it.
            let Some(CommitRead {
                commit,
                merge,
                parents,
                has_parent_tree,
                changes,
            }) = commit
            else {
                continue;
            };
            let idx = h.commits.len();
            h.commits.push(commit);
            index_of.insert(oid, idx);

            if let (Some((message, merger)), [p1, p2, ..]) = (merge, &parents[..]) {
                // A merge: whoever merged reviewed the commits it brings in.
                let request = merge_request(&message);
                let mut reviewers = h.commits[idx].reviewers.clone();
                if request.is_some() || message.starts_with("Merge") {
                    reviewers.push(merger);
                }
                if let Ok(mut branch) = repo.revwalk() {
                    let _ = branch.push(*p2);
                    let _ = branch.hide(*p1);
                    for b in branch.flatten() {
                        if let Some(&i) = index_of.get(&b) {
                            let c = &mut h.commits[i];
                            for r in &reviewers {
                                if r.email != c.author.email
                                    && !c.reviewers.iter().any(|x| x.email == r.email)
                                {
                                    c.reviewers.push(r.clone());
                                }
                            }
                            if c.request.is_none() {
                                c.request = request.clone();
                            }
                        }
                    }
                }
                h.commits[idx].request = request;
                continue;
            }

            let Some(changes) = changes else {
                continue;
            };
            if !has_parent_tree && shallow && !parents.is_empty() {
                h.shallow_root = Some(idx);
            }
            if parents.is_empty() && shallow && h.shallow_root.is_none() {
                h.shallow_root = Some(idx);
            }
            for FileChange {
                kind,
                path,
                from,
                goal_fields: now,
            } in changes
            {
                let Some(path) = path.strip_prefix(&prefix).map(str::to_string) else {
                    continue;
                };
                let from = from.and_then(|p| p.strip_prefix(&prefix).map(str::to_string));
                // Follow renames: the file keeps its earlier history.
                if let Some(old) = &from
                    && let Some(earlier) = h.files.remove(old)
                {
                    h.files.insert(path.clone(), earlier);
                    if let Some(f) = goal_fields.remove(old) {
                        goal_fields.insert(path.clone(), f);
                    }
                }
                let mut fields = Vec::new();
                if let Some(now) = now {
                    let before = goal_fields.remove(&path).unwrap_or_default();
                    if kind != ChangeKind::Added {
                        for f in TRACKED {
                            let (a, b) = (before.get(*f), now.get(*f));
                            if a != b {
                                fields.push(FieldChange {
                                    field: f.to_string(),
                                    from: a.cloned(),
                                    to: b.cloned(),
                                });
                            }
                        }
                    }
                    goal_fields.insert(path.clone(), now);
                }
                h.files.entry(path).or_default().push(Change {
                    commit: idx,
                    kind,
                    from_path: from,
                    fields,
                });
            }
        }
    }
    crate::timing("history: changes, in order", t0);
    if shallow {
        let since = h
            .shallow_root
            .and_then(|i| h.commits.get(i))
            .map(|c| c.date.to_string())
            .unwrap_or_default();
        h.notes.push(format!("shallow clone: history starts on {since}; who added older documents cannot be known (fetch the full history with `git fetch --unshallow`)"));
    }
    write_cache(&cache_file, &h, &goal_fields, start);
    crate::timing("history: cache", t0);
    Ok(h)
}

/// Turns libgit2's object cache back on when the history walk ends.
struct CachingOffUntilDropped;

impl Drop for CachingOffUntilDropped {
    fn drop(&mut self) {
        git2::opts::enable_caching(true);
    }
}

/// How many commits' changes are worked out side by side before they are
/// applied in order: enough to keep every core busy, few enough that their
/// changes take little memory in a history of hundreds of thousands.
const HISTORY_CHUNK: usize = 4096;

/// The cache of a history walk, inside the repository's `.git` folder: never
/// published, never committed, and thrown away when its format changes.
const CACHE_FILE: &str = "history-v1.json";

#[derive(Serialize, Deserialize)]
struct Cache {
    tip: String,
    commits: Vec<Commit>,
    files: HashMap<String, Vec<Change>>,
    goal_fields: HashMap<String, HashMap<String, String>>,
    shallow_root: Option<usize>,
}

fn read_cache(path: &Path) -> Option<Cache> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Best effort: a history that cannot be cached is read again next time.
fn write_cache(
    path: &Path,
    h: &History,
    goal_fields: &HashMap<String, HashMap<String, String>>,
    tip: Oid,
) {
    #[derive(Serialize)]
    struct CacheRef<'a> {
        tip: String,
        commits: &'a [Commit],
        files: &'a HashMap<String, Vec<Change>>,
        goal_fields: &'a HashMap<String, HashMap<String, String>>,
        shallow_root: Option<usize>,
    }
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let cache = CacheRef {
        tip: tip.to_string(),
        commits: &h.commits,
        files: &h.files,
        goal_fields,
        shallow_root: h.shallow_root,
    };
    // Streamed to the file: the JSON of a long history is hundreds of MB.
    let tmp = path.with_extension("json.tmp");
    let written = std::fs::File::create(&tmp).ok().and_then(|f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
        serde_json::to_writer(&mut w, &cache).ok()?;
        std::io::Write::flush(&mut w).ok()
    });
    if written.is_some() {
        let _ = std::fs::rename(&tmp, path);
    } else {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// One changed file of a commit: what happened, its path, the path it had
/// before (renames), and its new blob.
type TreeChange = (ChangeKind, String, Option<String>, Oid);

/// One changed file of a commit, as the history records it: for a goal
/// that is still there, the tracked fields it has now.
struct FileChange {
    kind: ChangeKind,
    path: String,
    from: Option<String>,
    goal_fields: Option<HashMap<String, String>>,
}

/// What the history keeps of one commit, read by a worker thread so that
/// the pass that applies commits in order reads nothing from git (but a
/// merge's branch).
struct CommitRead {
    /// As the history keeps it: author, date, subject, trailers.
    commit: Commit,
    /// A merge's whole message (which names its pull request) and its
    /// committer (who merged it); `None` for other commits.
    merge: Option<(String, Signature)>,
    parents: Vec<Oid>,
    /// False in a shallow clone's oldest commits, whose parents are missing.
    has_parent_tree: bool,
    /// The files it changed against its first parent; `None` for a merge
    /// (whose changes are its branch's commits) or a tree that cannot be read.
    changes: Option<Vec<FileChange>>,
}

/// `None` when the commit cannot be read.
fn read_commit(
    repo: &Repository,
    oid: Oid,
    emails: &HashMap<String, String>,
) -> Option<CommitRead> {
    let commit = repo.find_commit(oid).ok()?;
    let person =
        |s: git2::Signature| signature(s.name().unwrap_or(""), s.email().unwrap_or(""), emails);
    let message = commit.message().unwrap_or("");
    let author = commit.author();
    let (reviewers, co_authors) = trailers(message, emails);
    let parent_tree = commit.parent(0).ok().and_then(|p| p.tree().ok());
    let parents: Vec<Oid> = commit.parent_ids().collect();
    let is_merge = parents.len() > 1;
    let changes = if is_merge {
        None
    } else {
        changes_of(repo, &commit, parent_tree.as_ref())
    };
    Some(CommitRead {
        commit: Commit {
            id: oid.to_string(),
            date: DateTime::from_timestamp(author.when().seconds(), 0)
                .map(|d| d.date_naive())
                .unwrap_or_default(),
            author: person(author),
            subject: commit.summary().ok().flatten().unwrap_or("").to_string(),
            reviewers,
            co_authors,
            request: None,
        },
        merge: is_merge.then(|| (message.to_string(), person(commit.committer()))),
        has_parent_tree: parent_tree.is_some(),
        parents,
        changes,
    })
}

/// The files `commit` changed against its first parent's tree.
fn changes_of(
    repo: &Repository,
    commit: &git2::Commit,
    parent_tree: Option<&git2::Tree>,
) -> Option<Vec<FileChange>> {
    let tree = commit.tree().ok()?;
    let mut find = DiffFindOptions::new();
    find.renames(true);
    let changes = tree_changes(repo, parent_tree, &tree, &mut find)
        .into_iter()
        .map(|(kind, path, from, blob)| {
            let goal_fields = (is_goal(&path) && kind != ChangeKind::Deleted).then(|| {
                let text = repo
                    .find_blob(blob)
                    .map(|b| String::from_utf8_lossy(b.content()).into_owned())
                    .unwrap_or_default();
                tracked_fields(&text)
            });
            FileChange {
                kind,
                path,
                from,
                goal_fields,
            }
        })
        .collect();
    Some(changes)
}

/// The files that differ between two trees. Subtrees with the same id are
/// skipped without reading them, so a commit that touches one file of a
/// repository of 100 000 files reads a handful of trees, not all of them.
/// Renames are paired by identical content; the rare add/delete pairs left
/// are given to libgit2's similarity detection, limited to those paths.
fn tree_changes(
    repo: &Repository,
    old: Option<&git2::Tree>,
    new: &git2::Tree,
    find: &mut DiffFindOptions,
) -> Vec<TreeChange> {
    let mut raw: Vec<(ChangeKind, String, Oid)> = Vec::new();
    diff_trees(repo, old, Some(new), "", &mut raw);
    let deleted: HashMap<Oid, String> = raw
        .iter()
        .filter(|c| c.0 == ChangeKind::Deleted)
        .map(|c| (c.2, c.1.clone()))
        .collect();
    let mut renamed_from: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out: Vec<TreeChange> = Vec::new();
    for (kind, path, oid) in &raw {
        if *kind == ChangeKind::Added
            && let Some(from) = deleted.get(oid)
            && !renamed_from.contains(from)
        {
            renamed_from.insert(from.clone());
            out.push((ChangeKind::Renamed, path.clone(), Some(from.clone()), *oid));
        }
    }
    let renamed_to: std::collections::HashSet<&str> = out.iter().map(|c| c.1.as_str()).collect();
    let rest: Vec<&(ChangeKind, String, Oid)> = raw
        .iter()
        .filter(|c| {
            let paired_add = c.0 == ChangeKind::Added && renamed_to.contains(c.1.as_str());
            let paired_delete = c.0 == ChangeKind::Deleted && renamed_from.contains(&c.1);
            !paired_add && !paired_delete
        })
        .collect();
    let adds = rest.iter().any(|c| c.0 == ChangeKind::Added);
    let deletes = rest.iter().any(|c| c.0 == ChangeKind::Deleted);
    if adds && deletes {
        // Renames with edits: let libgit2 compare contents, on these paths only.
        let mut opts = git2::DiffOptions::new();
        for c in rest.iter().filter(|c| c.0 != ChangeKind::Modified) {
            opts.pathspec(&c.1);
        }
        opts.disable_pathspec_match(true);
        if let Ok(mut diff) = repo.diff_tree_to_tree(old, Some(new), Some(&mut opts)) {
            let _ = diff.find_similar(Some(find));
            let mut handled: std::collections::HashSet<String> = std::collections::HashSet::new();
            for d in diff.deltas() {
                if d.status() == Delta::Renamed
                    && let (Some(n), Some(o)) = (
                        d.new_file().path().and_then(|p| p.to_str()),
                        d.old_file().path().and_then(|p| p.to_str()),
                    )
                {
                    handled.insert(n.to_string());
                    handled.insert(o.to_string());
                    out.push((
                        ChangeKind::Renamed,
                        n.to_string(),
                        Some(o.to_string()),
                        d.new_file().id(),
                    ));
                }
            }
            out.extend(
                rest.into_iter()
                    .filter(|c| !handled.contains(&c.1))
                    .map(|c| (c.0, c.1.clone(), None, c.2)),
            );
            return out;
        }
    }
    out.extend(rest.into_iter().map(|c| (c.0, c.1.clone(), None, c.2)));
    out
}

fn is_tree(mode: i32) -> bool {
    mode == 0o040000
}

/// Recursively collects the blobs that differ between two (sub)trees: a
/// merge of the two sorted entry lists (no allocation for equal entries).
fn diff_trees(
    repo: &Repository,
    old: Option<&git2::Tree>,
    new: Option<&git2::Tree>,
    dir: &str,
    out: &mut Vec<(ChangeKind, String, Oid)>,
) {
    // Git sorts entries by name, folders as if their name ended with `/`.
    fn cmp(a: &git2::TreeEntry, b: &git2::TreeEntry) -> std::cmp::Ordering {
        let (an, bn) = (a.name_bytes(), b.name_bytes());
        let at = if is_tree(a.filemode()) {
            Some(b'/')
        } else {
            None
        };
        let bt = if is_tree(b.filemode()) {
            Some(b'/')
        } else {
            None
        };
        an.iter()
            .copied()
            .chain(at)
            .cmp(bn.iter().copied().chain(bt))
    }
    let mut a = old.map(|t| t.iter()).into_iter().flatten().peekable();
    let mut b = new.map(|t| t.iter()).into_iter().flatten().peekable();
    loop {
        let order = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => {
                // Same name and kind: equal ids mean the same content.
                if x.name_bytes() == y.name_bytes()
                    && is_tree(x.filemode()) == is_tree(y.filemode())
                {
                    std::cmp::Ordering::Equal
                } else {
                    cmp(x, y)
                }
            }
        };
        match order {
            std::cmp::Ordering::Equal => {
                let (x, y) = (a.next(), b.next());
                let (Some(x), Some(y)) = (x, y) else { break };
                if x.id() == y.id() && x.filemode() == y.filemode() {
                    continue;
                }
                let path = format!("{dir}{}", String::from_utf8_lossy(y.name_bytes()));
                if is_tree(x.filemode()) {
                    let (ta, tb) = (repo.find_tree(x.id()).ok(), repo.find_tree(y.id()).ok());
                    diff_trees(repo, ta.as_ref(), tb.as_ref(), &format!("{path}/"), out);
                } else {
                    out.push((ChangeKind::Modified, path, y.id()));
                }
            }
            std::cmp::Ordering::Less => {
                let Some(x) = a.next() else { break };
                let path = format!("{dir}{}", String::from_utf8_lossy(x.name_bytes()));
                if is_tree(x.filemode()) {
                    let t = repo.find_tree(x.id()).ok();
                    diff_trees(repo, t.as_ref(), None, &format!("{path}/"), out);
                } else {
                    out.push((ChangeKind::Deleted, path, x.id()));
                }
            }
            std::cmp::Ordering::Greater => {
                let Some(y) = b.next() else { break };
                let path = format!("{dir}{}", String::from_utf8_lossy(y.name_bytes()));
                if is_tree(y.filemode()) {
                    let t = repo.find_tree(y.id()).ok();
                    diff_trees(repo, None, t.as_ref(), &format!("{path}/"), out);
                } else {
                    out.push((ChangeKind::Added, path, y.id()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_request_numbers() {
        assert_eq!(
            merge_request("Merge pull request #12 from alice/feedback\n\nThanks"),
            Some("#12".into())
        );
        assert_eq!(
            merge_request("Merge branch 'x' into 'main'\n\nSee merge request group/proj!34"),
            Some("!34".into())
        );
        assert_eq!(merge_request("Add goal"), None);
    }

    #[test]
    fn trailers_name_people_by_email() {
        let emails: HashMap<String, String> =
            [("bob@example.org".to_string(), "bob".to_string())].into();
        let (r, c) = trailers(
            "Add feedback\n\nReviewed-by: Bob <Bob@Example.org>\nCo-authored-by: Eve <eve@x.org>\n",
            &emails,
        );
        assert_eq!(r[0].handle.as_deref(), Some("bob"));
        assert_eq!(c[0].handle, None);
        assert_eq!(c[0].name, "Eve");
    }
}
