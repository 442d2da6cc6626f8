//! Watching the repository: file events from the notify crate, debounced,
//! without the noise editors and tools make (swap, backup and temporary
//! files, hidden folders like `.git`, and `.gitignore`d paths).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

/// How long the repository must be quiet before a rebuild starts: long enough
/// to gather an editor's save-through-rename or a `git checkout`.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// Whether a changed path (relative to the repository) can affect the site.
pub fn is_relevant(rel: &Path, ignored: &dyn Fn(&Path) -> bool) -> bool {
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let editor_noise = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.ends_with(".orig")
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'));
    let hidden = rel
        .components()
        .any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.')));
    let output = rel
        .components()
        .next()
        .is_some_and(|c| c.as_os_str() == "public" || c.as_os_str() == "target");
    !editor_noise && !hidden && !output && !ignored(rel)
}

/// Watches `root` and calls `on_change` with the relevant paths after each
/// quiet period. Runs until the returned watcher is dropped.
pub fn watch(
    root: &Path,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> notify::Result<notify::RecommendedWatcher> {
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(root, RecursiveMode::Recursive)?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    std::thread::spawn(move || {
        let repo = git2::Repository::discover(&root).ok();
        let workdir = repo
            .as_ref()
            .and_then(|r| r.workdir())
            .and_then(|w| w.canonicalize().ok());
        let ignored = |rel: &Path| -> bool {
            match (&repo, &workdir) {
                (Some(r), Some(w)) => root
                    .join(rel)
                    .strip_prefix(w)
                    .map(|p| r.status_should_ignore(p).unwrap_or(false))
                    .unwrap_or(false),
                _ => false,
            }
        };
        while let Ok(first) = rx.recv() {
            let mut events = vec![first];
            while let Ok(e) = rx.recv_timeout(DEBOUNCE) {
                events.push(e);
            }
            let mut paths: Vec<PathBuf> = events
                .into_iter()
                .filter_map(Result::ok)
                // Reading files (as every build does) is not a change.
                .filter(|e| {
                    !matches!(
                        e.kind,
                        notify::EventKind::Access(_) | notify::EventKind::Other
                    )
                })
                .flat_map(|e| e.paths)
                .filter_map(|p| {
                    let p = p.canonicalize().unwrap_or(p);
                    p.strip_prefix(&root).ok().map(Path::to_path_buf)
                })
                .filter(|rel| is_relevant(rel, &ignored))
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                on_change(paths);
            }
        }
    });
    Ok(watcher)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_noise_is_ignored() {
        let none = |_: &Path| false;
        for p in [
            "people/a/index.md~",
            "people/a/.index.md.swp",
            "people/a/4913",
            ".git/index",
            "people/a/#index.md#",
            "public/index.html",
            "people/a/x.tmp",
        ] {
            assert!(!is_relevant(Path::new(p), &none), "{p}");
        }
        for p in [
            "people/a/index.md",
            "org.yaml",
            "static/x.png",
            "templates/person.html",
        ] {
            assert!(is_relevant(Path::new(p), &none), "{p}");
        }
        let ignore_drafts = |p: &Path| p.starts_with("drafts");
        assert!(!is_relevant(Path::new("drafts/x.md"), &ignore_drafts));
    }
}
