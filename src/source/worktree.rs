//! Reading the working tree from disk.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Skipped, Source, SourceError, SourceFile};
use crate::output::MARKER_FILE;

/// The files of a directory on disk, minus what is never content: hidden
/// files and folders (`.git`, editor state), and any folder that openfolio
/// wrote (it carries the output marker), wherever it is.
pub struct WorkTree {
    root: PathBuf,
    exclude: Vec<PathBuf>,
}

impl WorkTree {
    pub fn new(root: &Path) -> Result<Self, SourceError> {
        if !root.is_dir() {
            return Err(SourceError::NotADirectory(root.display().to_string()));
        }
        Ok(WorkTree {
            root: root.to_path_buf(),
            exclude: Vec::new(),
        })
    }

    /// Never read this directory (the output, even before it has a marker).
    pub fn exclude(mut self, dir: &Path) -> Self {
        self.exclude.push(dir.to_path_buf());
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// One file as [`Source::files`] would list it, or `None` when it would
    /// not be listed (missing, not a regular file, hidden, or in a folder
    /// that is never content). For `serve`, which re-reads only what changed.
    pub fn file(&self, rel: &str) -> Option<SourceFile> {
        let parts: Vec<&str> = rel.split('/').collect();
        if parts
            .iter()
            .any(|p| p.is_empty() || p.starts_with('.') || p.ends_with('~') || *p == "..")
            || matches!(parts.first(), Some(&"public" | &"target"))
        {
            return None;
        }
        let mut dir = self.root.clone();
        for p in &parts[..parts.len() - 1] {
            dir.push(p);
            if dir.join(MARKER_FILE).exists() || self.exclude.contains(&dir) {
                return None;
            }
        }
        let path = self.root.join(rel);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.file_type().is_file() {
            return None;
        }
        Some(SourceFile {
            path: rel.to_string(),
            size: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// Which entries of the tree are content (see [`WorkTree`]).
struct Keep<'a> {
    root: &'a Path,
    /// The root with every link in its path resolved.
    real_root: PathBuf,
    exclude: Vec<PathBuf>,
}

impl Keep<'_> {
    /// Whether to list `e`, which is `depth` levels below the root.
    fn keeps(&self, e: &walkdir::DirEntry, depth: usize) -> bool {
        let name = e.file_name().to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') {
            return false;
        }
        if e.file_type().is_dir() {
            if e.path().join(MARKER_FILE).exists() {
                return false;
            }
            // No link is followed, so a folder's real path is the root's
            // and its path below the root: no system call.
            if !self.exclude.is_empty() {
                let real = match e.path().strip_prefix(self.root) {
                    Ok(rel) => self.real_root.join(rel),
                    Err(_) => e.path().to_path_buf(),
                };
                if self.exclude.contains(&real) {
                    return false;
                }
            }
            if depth == 1 && (name == "public" || name == "target") {
                // The default output and Rust's build folder are never content.
                return false;
            }
        }
        true
    }
}

/// What one walk found.
struct Walked {
    /// Each file, and its path on disk (whose name may not be UTF-8).
    files: Vec<(SourceFile, PathBuf)>,
    skipped: Vec<Skipped>,
    /// Folders at the walk's deepest level, not walked into.
    deeper: Vec<PathBuf>,
}

impl WorkTree {
    /// Walks `dir`, `depth` levels below the root (already kept), down to
    /// `max_depth` levels below `dir` when given.
    fn walk(
        &self,
        dir: &Path,
        depth: usize,
        max_depth: Option<usize>,
        keep: &Keep,
    ) -> Result<Walked, SourceError> {
        let mut walked = Walked {
            files: Vec::new(),
            skipped: Vec::new(),
            deeper: Vec::new(),
        };
        let mut walker = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name();
        if let Some(max) = max_depth {
            walker = walker.max_depth(max);
        }
        let entries = walker
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || keep.keeps(e, depth + e.depth()));
        for entry in entries {
            let entry = entry.map_err(|e| SourceError::Io {
                path: e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                source: e.into(),
            })?;
            if entry.depth() == 0 {
                continue;
            }
            let rel = relative(&self.root, entry.path());
            if entry.path_is_symlink() {
                walked.skipped.push(Skipped::Symlink(rel));
                continue;
            }
            if entry.file_type().is_dir() && Some(entry.depth()) == max_depth {
                walked.deeper.push(entry.into_path());
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            walked.files.push((
                SourceFile {
                    path: rel,
                    size: 0,
                    modified: None,
                },
                entry.into_path(),
            ));
        }
        Ok(walked)
    }
}

impl Source for WorkTree {
    fn files(&self) -> Result<(Vec<SourceFile>, Vec<Skipped>), SourceError> {
        let keep = Keep {
            root: &self.root,
            real_root: self
                .root
                .canonicalize()
                .unwrap_or_else(|_| self.root.clone()),
            exclude: self
                .exclude
                .iter()
                .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
                .collect(),
        };
        // The top two levels in one walk, then the folders below them (each
        // person's, each team's) side by side.
        let mut top = self.walk(&self.root, 0, Some(2), &keep)?;
        let below = top
            .deeper
            .par_iter()
            .with_max_len(4)
            .map(|dir| self.walk(dir, 2, None, &keep))
            .collect::<Result<Vec<Walked>, SourceError>>()?;
        let mut files = top.files;
        for w in below {
            files.extend(w.files);
            top.skipped.extend(w.skipped);
        }
        // Sizes and times: a system call per file, side by side.
        files
            .par_iter_mut()
            .with_max_len(256)
            .for_each(|(f, path)| {
                if let Ok(meta) = std::fs::symlink_metadata(path) {
                    f.size = meta.len();
                    f.modified = meta.modified().ok();
                }
            });
        let mut files: Vec<SourceFile> = files.into_iter().map(|(f, _)| f).collect();
        files.sort();
        top.skipped.sort_by(|a, b| {
            let (Skipped::Symlink(a), Skipped::Symlink(b)) = (a, b);
            a.cmp(b)
        });
        Ok((files, top.skipped))
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        std::fs::read(self.root.join(path)).map_err(|source| SourceError::Io {
            path: path.to_string(),
            source,
        })
    }

    fn describe(&self) -> String {
        format!("working tree {}", self.root.display())
    }

    fn revision(&self) -> Option<String> {
        super::git::head_revision(&self.root)
    }

    fn is_modified(&self, path: &str) -> bool {
        super::git::is_modified(&self.root, path)
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An excluded folder is left out however the root and the folder are
    /// spelled (through a link, with `..`), and nothing else is.
    #[test]
    fn an_excluded_folder_is_not_listed() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        for f in ["org.yaml", "people/a/index.md", "out/x.md", "outer/y.md"] {
            let p = repo.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&repo, &link).unwrap();
        let tree = WorkTree::new(&link)
            .unwrap()
            .exclude(&repo.join("people/../out"));
        let (files, _) = tree.files().unwrap();
        let paths: Vec<(&str, u64)> = files.iter().map(|f| (f.path.as_str(), f.size)).collect();
        assert_eq!(
            paths,
            [("org.yaml", 1), ("outer/y.md", 1), ("people/a/index.md", 1)]
        );
        assert!(files.iter().all(|f| f.modified.is_some()));
    }
}
