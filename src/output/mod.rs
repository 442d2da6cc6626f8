//! Writing the site without ever losing anything: pages are written into a
//! fresh directory beside the output, which replaces the output only when the
//! whole build succeeded. A directory is only ever replaced or deleted when it
//! carries openfolio's marker file (see `lessons-from-ssgs.md` for the
//! generators that wiped their users' projects).

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The file that marks a directory as openfolio's own output.
pub const MARKER_FILE: &str = ".openfolio-site";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write the site to {0}: it is the repository itself or contains it")]
    ContainsRepository(String),
    #[error(
        "refusing to replace {0}: it holds files openfolio did not write (no {MARKER_FILE} marker); choose another --output, empty it, or pass --force"
    )]
    NotOurs(String),
    #[error("refusing to write the site to {0}: it is not a directory")]
    NotADirectory(String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Where built files go. `render` streams every file into a sink, so a build
/// never holds the whole site in memory; `serve` keeps them in memory instead.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError>;

    /// Puts the bytes that `write` writes: for a file too big to build in
    /// memory first (the JSON export). By default, through [`Sink::put`].
    fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), OutputError> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|source| OutputError::Io {
            path: path.to_string(),
            source,
        })?;
        self.put(path, &bytes)
    }
}

/// Checks that `output` may be written for the repository at `repo`.
pub fn guard(repo: &Path, output: &Path, force: bool) -> Result<(), OutputError> {
    let repo = repo.canonicalize().map_err(io(repo))?;
    let out_abs = absolute(output);
    if repo.starts_with(&out_abs) {
        return Err(OutputError::ContainsRepository(
            output.display().to_string(),
        ));
    }
    if output.exists() {
        if !output.is_dir() {
            return Err(OutputError::NotADirectory(output.display().to_string()));
        }
        let has_marker = output.join(MARKER_FILE).is_file();
        let empty = fs::read_dir(output).map_err(io(output))?.next().is_none();
        if !has_marker && !empty && !force {
            return Err(OutputError::NotOurs(output.display().to_string()));
        }
    }
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    // Not created yet: canonicalize the nearest existing parent.
    let mut parts = Vec::new();
    let mut cur = p;
    loop {
        if let Ok(c) = cur.canonicalize() {
            let mut out = c;
            for part in parts.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                parts.push(name.to_os_string());
                cur = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
            _ => return p.to_path_buf(),
        }
    }
}

/// A site being written into a staging directory beside the final output.
pub struct Staging {
    staging: PathBuf,
    output: PathBuf,
    /// Whether there is a previous site to link unchanged files from (a
    /// first build does not look for each file in it).
    has_previous: bool,
}

impl Staging {
    /// Creates the staging directory `.<name>.openfolio-new` beside `output`.
    pub fn new(output: &Path) -> Result<Self, OutputError> {
        let output = absolute(output);
        let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        fs::create_dir_all(&parent).map_err(io(&parent))?;
        let staging = parent.join(format!(".{name}.openfolio-new-{}", std::process::id()));
        if staging.exists() {
            remove_ours(&staging)?;
        }
        fs::create_dir(&staging).map_err(io(&staging))?;
        // Like every unchanged file, the marker is linked, not written again.
        let previous = output.join(MARKER_FILE);
        let linked = fs::read(&previous).is_ok_and(|b| b == MARKER_TEXT.as_bytes())
            && fs::hard_link(&previous, staging.join(MARKER_FILE)).is_ok();
        if !linked {
            fs::write(staging.join(MARKER_FILE), MARKER_TEXT).map_err(io(&staging))?;
        }
        let has_previous = output.is_dir();
        Ok(Staging {
            staging,
            output,
            has_previous,
        })
    }

    /// Moves the finished site into place. The old site, if any, is removed
    /// only after the new one is in place, and only if it is ours.
    pub fn commit(self) -> Result<(), OutputError> {
        let old = self.staging.with_extension("old");
        let had_old = self.output.exists();
        if had_old {
            let empty = fs::read_dir(&self.output)
                .map_err(io(&self.output))?
                .next()
                .is_none();
            if empty {
                fs::remove_dir(&self.output).map_err(io(&self.output))?;
            } else {
                fs::rename(&self.output, &old).map_err(io(&self.output))?;
            }
        }
        fs::rename(&self.staging, &self.output).map_err(io(&self.output))?;
        if old.exists() {
            if old.join(MARKER_FILE).is_file() {
                remove_ours(&old)?;
            } else {
                // `--force` on a directory openfolio did not write: keep the
                // user's files, moved aside, never deleted.
                let backup = backup_name(&self.output);
                fs::rename(&old, &backup).map_err(io(&old))?;
                eprintln!(
                    "note: the previous contents of {} were moved to {}",
                    self.output.display(),
                    backup.display()
                );
            }
        }
        Ok(())
    }

    /// Abandons a failed build: the staging directory goes, the output stays.
    pub fn abandon(self) {
        let _ = remove_ours(&self.staging);
    }
}

fn backup_name(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    output.with_file_name(format!("{name}.backup-{stamp}"))
}

const MARKER_TEXT: &str =
    "This directory was written by openfolio and is replaced on every build.\n";

/// Removes a directory only if it carries the marker.
fn remove_ours(dir: &Path) -> Result<(), OutputError> {
    if dir.join(MARKER_FILE).is_file() {
        fs::remove_dir_all(dir).map_err(io(dir))
    } else {
        Err(OutputError::NotOurs(dir.display().to_string()))
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let target = self.staging.join(path);
        if let Some(parent) = target.parent() {
            make_dir(parent)?;
        }
        // A file whose bytes did not change is linked from the previous site,
        // not written again: a rebuild with no change writes no file.
        let previous = self.output.join(path);
        let same = self.has_previous
            && fs::metadata(&previous).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            && fs::read(&previous).is_ok_and(|old| old == bytes);
        if same && fs::hard_link(&previous, &target).is_ok() {
            return Ok(());
        }
        let mut file = fs::File::create(&target).map_err(io(&target))?;
        file.write_all(bytes).map_err(io(&target))
    }

    fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), OutputError> {
        let target = self.staging.join(path);
        if let Some(parent) = target.parent() {
            make_dir(parent)?;
        }
        let previous = self.output.join(path);
        let mut w = Unchanged::new(&previous, &target);
        write(&mut w).map_err(io(&target))?;
        if w.finish().map_err(io(&target))? && fs::hard_link(&previous, &target).is_err() {
            fs::copy(&previous, &target).map_err(io(&target))?;
        }
        Ok(())
    }
}

/// Creates a directory of the staging site and its parents. Most pages are
/// the only file of a new directory whose parent exists: one `mkdir`, where
/// `create_dir_all` would look first.
fn make_dir(dir: &Path) -> Result<(), OutputError> {
    match fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(_) => fs::create_dir_all(dir).map_err(io(dir)),
    }
}

/// A writer that compares what it is given with the previous file, and
/// only starts writing the new file (with the common start copied from the
/// previous one) at the first difference: a file streamed in that did not
/// change is not written at all.
struct Unchanged<'a> {
    previous: Option<std::io::BufReader<fs::File>>,
    previous_path: &'a Path,
    target: &'a Path,
    /// How many bytes matched the previous file so far.
    same: u64,
    out: Option<std::io::BufWriter<fs::File>>,
    /// The previous file's bytes, to compare a write with.
    old: Vec<u8>,
}

impl<'a> Unchanged<'a> {
    fn new(previous: &'a Path, target: &'a Path) -> Self {
        Unchanged {
            previous: fs::File::open(previous)
                .ok()
                .filter(|f| f.metadata().is_ok_and(|m| m.is_file()))
                .map(std::io::BufReader::new),
            previous_path: previous,
            target,
            same: 0,
            out: None,
            old: Vec::new(),
        }
    }

    /// Starts the new file with the `same` bytes that matched.
    fn diverge(&mut self) -> std::io::Result<&mut std::io::BufWriter<fs::File>> {
        if self.out.is_none() {
            let mut out = std::io::BufWriter::new(fs::File::create(self.target)?);
            if self.same > 0 {
                let mut old = fs::File::open(self.previous_path)?;
                std::io::copy(&mut (&mut old).take(self.same), &mut out)?;
            }
            self.previous = None;
            self.out = Some(out);
        }
        Ok(self.out.as_mut().expect("just set"))
    }

    /// Whether the bytes written are the whole previous file; otherwise
    /// the new file is complete on disk.
    fn finish(mut self) -> std::io::Result<bool> {
        if let Some(prev) = self.previous.as_mut() {
            use std::io::BufRead;
            if prev.fill_buf()?.is_empty() {
                return Ok(true);
            }
        }
        self.diverge()?.flush()?;
        Ok(false)
    }
}

impl Write for Unchanged<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(prev) = self.previous.as_mut() {
            self.old.resize(buf.len(), 0);
            let mut got = 0;
            while got < buf.len() {
                match prev.read(&mut self.old[got..])? {
                    0 => break,
                    n => got += n,
                }
            }
            if self.old[..got] == *buf {
                self.same += buf.len() as u64;
                return Ok(buf.len());
            }
        }
        self.diverge()?.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.out.as_mut() {
            Some(out) => out.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_repository_and_foreign_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        fs::create_dir_all(repo.join("docs")).unwrap();
        fs::write(repo.join("docs/x.txt"), "mine").unwrap();
        assert!(matches!(
            guard(&repo, &repo, false),
            Err(OutputError::ContainsRepository(_))
        ));
        assert!(matches!(
            guard(&repo, tmp.path(), false),
            Err(OutputError::ContainsRepository(_))
        ));
        assert!(matches!(
            guard(&repo, &repo.join("docs"), false),
            Err(OutputError::NotOurs(_))
        ));
        assert!(guard(&repo, &repo.join("public"), false).is_ok());
    }

    #[test]
    fn commit_replaces_only_our_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let s = Staging::new(&out).unwrap();
        s.put("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");
        let s = Staging::new(&out).unwrap();
        s.put("b/index.html", b"two").unwrap();
        s.abandon();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");
        assert!(!out.join("b").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_not_written_again() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let s = Staging::new(&out).unwrap();
        s.put("same.html", b"same").unwrap();
        s.put("changes.html", b"one").unwrap();
        s.commit().unwrap();
        let inode = fs::metadata(out.join("same.html")).unwrap().ino();
        let s = Staging::new(&out).unwrap();
        s.put("same.html", b"same").unwrap();
        s.put("changes.html", b"two").unwrap();
        s.commit().unwrap();
        assert_eq!(
            fs::metadata(out.join("same.html")).unwrap().ino(),
            inode,
            "the same file, not a new one"
        );
        assert_eq!(fs::read(out.join("changes.html")).unwrap(), b"two");
    }

    /// Streams `chunks` into `path` of a new staging of `out`, and commits.
    fn stream(out: &Path, path: &str, chunks: &[&[u8]]) {
        let s = Staging::new(out).unwrap();
        s.put_with(path, &mut |w| {
            chunks.iter().try_for_each(|c| w.write_all(c))
        })
        .unwrap();
        s.commit().unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_streamed_file_is_written_only_when_it_changed() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        stream(&out, "data/x.json", &[b"{\"a\":", b"1,", b"\"b\":2}"]);
        let inode = || fs::metadata(out.join("data/x.json")).unwrap().ino();
        let first = inode();
        // The same bytes in other chunks: the same file.
        stream(&out, "data/x.json", &[b"{\"a\":1", b",\"b\":2}"]);
        assert_eq!(inode(), first, "not written again");
        // A difference in the middle, a longer file, a shorter one.
        for (chunks, whole) in [
            (
                &[&b"{\"a\":1,"[..], b"\"b\":3}"][..],
                &b"{\"a\":1,\"b\":3}"[..],
            ),
            (
                &[&b"{\"a\":1,\"b\":3}"[..], b"  "][..],
                b"{\"a\":1,\"b\":3}  ",
            ),
            (&[&b"{\"a\":1"[..]][..], b"{\"a\":1"),
            (&[][..], b""),
        ] {
            stream(&out, "data/x.json", chunks);
            assert_eq!(fs::read(out.join("data/x.json")).unwrap(), whole);
        }
    }
}
