//! Reading the repository from git: the tree of any commit (`--at`), without
//! checking anything out or touching the working tree or the index; and the
//! paths changed since a revision (`check --changed-since`).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;

use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};

use super::{Skipped, Source, SourceError, SourceFile};

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{0} is not inside a git repository")]
    NotARepository(String),
    #[error(
        "`{0}` is not a revision of this repository (a commit, branch, tag, or a date YYYY-MM-DD)"
    )]
    UnknownRevision(String),
    #[error("no commit on the current branch is at or before {0}")]
    NothingBefore(String),
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

fn open(dir: &Path) -> Result<Repository, GitError> {
    Repository::discover(dir).map_err(|_| GitError::NotARepository(dir.display().to_string()))
}

/// Resolves `at`: a revision (`main`, `v1`, a commit id, `HEAD~3`) or a date,
/// meaning the last commit on the current branch made at or before the end of
/// that day (first-parent history).
pub fn resolve(repo: &Repository, at: &str) -> Result<Oid, GitError> {
    if let Ok(date) = chrono::NaiveDate::parse_from_str(at, "%Y-%m-%d") {
        let end = date
            .and_hms_opt(23, 59, 59)
            .map(|d| d.and_utc().timestamp())
            .unwrap_or(i64::MAX);
        let mut walk = repo.revwalk()?;
        walk.push_head()?;
        walk.simplify_first_parent()?;
        for oid in walk {
            let oid = oid?;
            if repo.find_commit(oid)?.time().seconds() <= end {
                return Ok(oid);
            }
        }
        return Err(GitError::NothingBefore(at.to_string()));
    }
    let obj = repo
        .revparse_single(at)
        .map_err(|_| GitError::UnknownRevision(at.to_string()))?;
    Ok(obj
        .peel_to_commit()
        .map_err(|_| GitError::UnknownRevision(at.to_string()))?
        .id())
}

/// The files of one commit's tree. `prefix` is the organization's folder
/// inside the git repository (empty when it is the root).
pub struct GitTree {
    repo: Mutex<Repository>,
    commit: Oid,
    files: Vec<(SourceFile, Oid)>,
    skipped: Vec<Skipped>,
}

impl GitTree {
    /// The tree of `at` for the organization in `dir` (which may be a
    /// sub-folder of the git repository).
    pub fn open(dir: &Path, at: &str) -> Result<GitTree, GitError> {
        let repo = open(dir)?;
        let commit = resolve(&repo, at)?;
        let prefix = prefix_of(&repo, dir);
        let mut files = Vec::new();
        let mut skipped = Vec::new();
        {
            let tree = repo.find_commit(commit)?.tree()?;
            tree.walk(TreeWalkMode::PreOrder, |root, entry| {
                let name = entry.name().unwrap_or("");
                let full = format!("{root}{name}");
                let Some(rel) = full.strip_prefix(&prefix) else {
                    return if prefix.starts_with(&full) {
                        TreeWalkResult::Ok
                    } else {
                        TreeWalkResult::Skip
                    };
                };
                if name.starts_with('.') || (root == prefix && matches!(name, "public" | "target"))
                {
                    return TreeWalkResult::Skip;
                }
                match entry.kind() {
                    Some(ObjectType::Blob) if entry.filemode() == 0o120000 => {
                        skipped.push(Skipped::Symlink(rel.to_string()))
                    }
                    Some(ObjectType::Blob) => {
                        let size = repo
                            .find_blob(entry.id())
                            .map(|b| b.size() as u64)
                            .unwrap_or(0);
                        files.push((
                            SourceFile {
                                path: rel.to_string(),
                                size,
                                modified: None,
                            },
                            entry.id(),
                        ));
                    }
                    _ => {}
                }
                TreeWalkResult::Ok
            })?;
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(GitTree {
            repo: Mutex::new(repo),
            commit,
            files,
            skipped,
        })
    }

    pub fn commit(&self) -> Oid {
        self.commit
    }
}

/// The organization folder relative to the repository's work tree, with a
/// trailing `/` (or empty).
fn prefix_of(repo: &Repository, dir: &Path) -> String {
    let (Some(work), Ok(dir)) = (
        repo.workdir().and_then(|w| w.canonicalize().ok()),
        dir.canonicalize(),
    ) else {
        return String::new();
    };
    match dir.strip_prefix(&work) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            format!("{}/", rel.to_string_lossy().replace('\\', "/"))
        }
        _ => String::new(),
    }
}

impl Source for GitTree {
    fn files(&self) -> Result<(Vec<SourceFile>, Vec<Skipped>), SourceError> {
        Ok((
            self.files.iter().map(|(f, _)| f.clone()).collect(),
            self.skipped.clone(),
        ))
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        let io = |e: &dyn std::fmt::Display| SourceError::Io {
            path: path.to_string(),
            source: std::io::Error::other(e.to_string()),
        };
        let idx = self
            .files
            .binary_search_by(|(f, _)| f.path.as_str().cmp(path))
            .map_err(|_| io(&"not in the tree"))?;
        let repo = self
            .repo
            .lock()
            .map_err(|_| io(&"repository lock poisoned"))?;
        let blob = repo.find_blob(self.files[idx].1).map_err(|e| io(&e))?;
        Ok(blob.content().to_vec())
    }

    fn describe(&self) -> String {
        format!("commit {}", &self.commit.to_string()[..12])
    }

    fn revision(&self) -> Option<String> {
        Some(self.commit.to_string())
    }
}

/// Paths (relative to the organization folder) changed between the merge base
/// of `rev` and HEAD, and the working tree: what a pull request changes.
/// Returns the paths and whether any file was deleted or renamed away.
pub fn changed_since(dir: &Path, rev: &str) -> Result<(BTreeSet<String>, bool), GitError> {
    let repo = open(dir)?;
    let base = resolve(&repo, rev)?;
    let head = repo.head()?.peel_to_commit()?.id();
    let base = repo.merge_base(base, head).unwrap_or(base);
    let tree = repo.find_commit(base)?.tree()?;
    let mut opts = git2::DiffOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true);
    let mut diff = repo.diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))?;
    diff.find_similar(None)?;
    let prefix = prefix_of(&repo, dir);
    let mut paths = BTreeSet::new();
    let mut removed = false;
    for delta in diff.deltas() {
        if matches!(delta.status(), git2::Delta::Deleted | git2::Delta::Renamed) {
            removed = true;
        }
        for file in [delta.old_file(), delta.new_file()] {
            if let Some(p) = file.path().and_then(|p| p.to_str())
                && let Some(rel) = p.strip_prefix(&prefix)
            {
                paths.insert(rel.to_string());
            }
        }
    }
    Ok((paths, removed))
}

/// The commit HEAD points to, when `dir` is the root of a git repository's
/// work tree (a folder inside another project's repository has no history
/// of its own).
pub fn head_revision(dir: &Path) -> Option<String> {
    let repo = Repository::open(dir).ok()?;
    let head = repo.head().ok()?.peel_to_commit().ok()?.id().to_string();
    Some(head)
}

/// Whether a file of the work tree differs from HEAD.
pub fn is_modified(dir: &Path, path: &str) -> bool {
    Repository::open(dir)
        .ok()
        .and_then(|r| r.status_file(Path::new(path)).ok())
        .is_some_and(|s| !s.is_empty() && !s.is_ignored())
}
