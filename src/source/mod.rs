//! Where the repository's bytes come from. Everything downstream asks a
//! [`Source`] for files and never touches the file system itself, so that a
//! build can read the working tree or, later, a git tree at any revision.

pub mod git;
mod memory;
mod worktree;

pub use git::GitTree;
pub use memory::Memory;
pub use worktree::WorkTree;

/// Files bigger than this are refused with a diagnostic (content is prose;
/// a huge file is a mistake or an attack).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// A file the source can read, by its path relative to the repository root
/// with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceFile {
    pub path: String,
    pub size: u64,
    /// When the file last changed, when the source knows (the working tree):
    /// with the size, what `serve` uses to reuse what it parsed before.
    pub modified: Option<std::time::SystemTime>,
}

/// Something the source skipped, for `check` to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    Symlink(String),
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} is not a directory")]
    NotADirectory(String),
}

/// A repository to read from.
pub trait Source: Sync {
    /// Every file that may be content, sorted by path, and what was skipped.
    fn files(&self) -> Result<(Vec<SourceFile>, Vec<Skipped>), SourceError>;
    /// The bytes of one file listed by [`Source::files`].
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError>;
    /// A short description for messages ("working tree /x/y").
    fn describe(&self) -> String;
    /// The git commit this content is from, when known.
    fn revision(&self) -> Option<String> {
        None
    }
    /// Whether a file differs from the commit [`Source::revision`] names.
    fn is_modified(&self, _path: &str) -> bool {
        false
    }
}
