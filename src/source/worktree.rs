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
        // The rules of the walk: names that are never content, and the
        // top folders that are never content (a file may be called so).
        if parts
            .iter()
            .any(|p| p.is_empty() || *p == ".." || !Keep::name(p))
            || (parts.len() > 1 && matches!(parts[0], "public" | "target"))
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
struct Keep {
    /// The root with every link in its path resolved.
    real_root: PathBuf,
    exclude: Vec<PathBuf>,
}

impl Keep {
    /// Whether a name is ever content: hidden files and folders, and
    /// editors' backups, are not.
    fn name(name: &str) -> bool {
        !(name.starts_with('.') || name.ends_with('~'))
    }

    /// Whether to walk into the folder at `path` on disk, named `name`, in
    /// a folder `depth` levels below the root; its marker is seen when it is
    /// listed. No folder left out here is opened.
    fn folder(&self, root: &Path, path: &Path, name: &str, depth: usize) -> bool {
        if depth == 0 && (name == "public" || name == "target") {
            // The default output and Rust's build folder are never content.
            return false;
        }
        // No link is followed, so a folder's real path is the root's and its
        // path below the root: no system call.
        if !self.exclude.is_empty() {
            let real = match path.strip_prefix(root) {
                Ok(rel) => self.real_root.join(rel),
                Err(_) => path.to_path_buf(),
            };
            if self.exclude.contains(&real) {
                return false;
            }
        }
        true
    }
}

/// What one walk found.
#[derive(Default)]
struct Walked {
    /// Each file, with its size and time.
    files: Vec<SourceFile>,
    skipped: Vec<Skipped>,
}

impl WorkTree {
    /// Walks the folder `dir` on disk, `rel` from the root (`""`: the root
    /// itself), `depth` levels below it, and the folders in it side by side.
    /// Whether a folder holds the output marker is seen in its own listing,
    /// without a system call per folder.
    fn walk(
        &self,
        dir: &Path,
        rel: &str,
        depth: usize,
        keep: &Keep,
    ) -> Result<Walked, SourceError> {
        let io = |source| SourceError::Io {
            path: dir.display().to_string(),
            source,
        };
        let mut entries: Vec<(String, std::fs::FileType, std::fs::DirEntry)> = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let kind = entry.file_type().map_err(io)?;
            // A name that is not UTF-8 is listed as its lossy form; the
            // folder is still walked by its real path.
            let name = entry.file_name().to_string_lossy().into_owned();
            entries.push((name, kind, entry));
        }
        // The marker as `exists()` sees it: a link to nothing is no marker.
        let marked = entries.iter().any(|(name, kind, entry)| {
            name == MARKER_FILE && (!kind.is_symlink() || entry.path().exists())
        });
        if depth > 0 && marked {
            return Ok(Walked::default());
        }
        let mut walked = Walked::default();
        let mut folders: Vec<(PathBuf, String)> = Vec::new();
        for (name, kind, entry) in entries {
            if !Keep::name(&name) {
                continue;
            }
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if kind.is_symlink() {
                walked.skipped.push(Skipped::Symlink(path));
            } else if kind.is_dir() {
                let on_disk = entry.path();
                if keep.folder(&self.root, &on_disk, &name, depth) {
                    folders.push((on_disk, path));
                }
            } else if kind.is_file() {
                // Size and time from the folder's handle: no path to look
                // up again.
                let meta = entry.metadata().ok();
                walked.files.push(SourceFile {
                    size: meta.as_ref().map_or(0, |m| m.len()),
                    modified: meta.and_then(|m| m.modified().ok()),
                    path,
                });
            }
        }
        let below = folders
            .par_iter()
            .with_max_len(4)
            .map(|(on_disk, rel)| self.walk(on_disk, rel, depth + 1, keep))
            .collect::<Result<Vec<Walked>, SourceError>>()?;
        for w in below {
            walked.files.extend(w.files);
            walked.skipped.extend(w.skipped);
        }
        Ok(walked)
    }
}

impl Source for WorkTree {
    fn files(&self) -> Result<(Vec<SourceFile>, Vec<Skipped>), SourceError> {
        let keep = Keep {
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
        let Walked {
            mut files,
            mut skipped,
        } = self.walk(&self.root, "", 0, &keep)?;
        files.sort();
        skipped.sort_by(|a, b| {
            let (Skipped::Symlink(a), Skipped::Symlink(b)) = (a, b);
            a.cmp(b)
        });
        Ok((files, skipped))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What is never content is not listed: hidden entries, backups, a
    /// folder with the output marker at any depth, `public/` and `target/`
    /// at the top; links are reported, not followed; sizes are read.
    #[test]
    fn only_content_is_listed() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path();
        for (f, text) in [
            ("org.yaml", "ab"),
            ("people/a/index.md", "abc"),
            ("people/a/goals/g.md~", "x"),
            ("people/a/.draft.md", "x"),
            ("people/a/old-site/.openfolio-site", ""),
            ("people/a/old-site/people/b/index.md", "x"),
            ("public/index.md", "x"),
            ("target/x.md", "x"),
            ("teams/public/index.md", "abcd"),
            (".git/HEAD", "x"),
        ] {
            let p = repo.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        std::os::unix::fs::symlink("/etc/passwd", repo.join("people/a/link.md")).unwrap();
        // A dangling link named like the marker is no marker.
        std::os::unix::fs::symlink("/nowhere", repo.join("people/.openfolio-site")).unwrap();
        // A folder whose name is not UTF-8 is walked, and listed lossily.
        let odd = repo.join(std::ffi::OsStr::from_bytes(b"teams/t\xff"));
        std::fs::create_dir_all(&odd).unwrap();
        std::fs::write(odd.join("index.md"), "abcde").unwrap();
        let (files, skipped) = WorkTree::new(repo).unwrap().files().unwrap();
        let listed: Vec<(&str, u64)> = files.iter().map(|f| (f.path.as_str(), f.size)).collect();
        assert_eq!(
            listed,
            [
                ("org.yaml", 2),
                ("people/a/index.md", 3),
                ("teams/public/index.md", 4),
                ("teams/t\u{fffd}/index.md", 5)
            ]
        );
        assert_eq!(skipped, [Skipped::Symlink("people/a/link.md".into())]);
    }

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
