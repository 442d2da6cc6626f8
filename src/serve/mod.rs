//! `openfolio serve`: builds the site into memory, serves it on loopback,
//! watches the repository, rebuilds after each change and tells open tabs to
//! reload once the new site is complete. A failed rebuild keeps the last good
//! site and shows the diagnostics over it. Nothing is ever written to or
//! deleted from disk.

mod http;
mod live;
pub mod watch;

use std::collections::{BTreeSet, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};

use crate::output::{OutputError, Sink};
use crate::pipeline::BuildOptions;
use crate::render::markdown::escape;
use live::{Live, Patch};

pub use http::{CSP, Target, resolve};

const LIVE_JS: &str = include_str!("live.js");
const OVERLAY_CSS: &str = include_str!("overlay.css");
/// Where the injected script is served; never part of a built site.
pub const LIVE_RELOAD_URL: &str = "/__openfolio/live.js";

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "port {port} on {ip} is already in use: stop the other server, or pass --port 0 to pick a free port"
    )]
    PortInUse { ip: IpAddr, port: u16 },
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, String),
    #[error("cannot watch {0}: {1}")]
    Watch(String, notify::Error),
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
}

/// The files of one complete build, in memory.
type Files = HashMap<String, Arc<Vec<u8>>>;

#[derive(Default)]
struct MemorySink(Mutex<Files>);

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        if let Ok(mut m) = self.0.lock() {
            m.insert(path.to_string(), Arc::new(bytes.to_vec()));
        }
        Ok(())
    }
}

/// What the server shows: the last good site, and the errors of the last
/// build when it failed.
#[derive(Default)]
struct Shared {
    /// What was parsed, reused for files that did not change.
    load_cache: crate::load::LoadCache,
    /// What was rendered, reused for pages whose inputs did not change.
    page_cache: crate::render::PageCache,
    /// What the last good site was built from, and what the next rebuild
    /// must take into account.
    state: Mutex<State>,
    site: RwLock<Arc<Files>>,
    /// The feeds, sitemap, export and search index are not built for the
    /// site being served yet: they are when one of them is first asked for.
    aggregates_stale: AtomicBool,
    errors: RwLock<Option<Arc<String>>>,
    clients: Mutex<Vec<mpsc::Sender<String>>>,
    builds: AtomicU64,
    patches: AtomicU64,
}

#[derive(Default)]
struct State {
    /// What the site being served was built from.
    live: Option<Live>,
    /// A full rebuild failed, so `live` is behind the files on disk.
    full_next: bool,
    /// Files of edits that failed: the next patch reads them again.
    dirty: BTreeSet<String>,
}

impl Shared {
    fn site(&self) -> Arc<Files> {
        self.site.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Builds the feeds, sitemap, `data/org.json` and search index of the
    /// site being served, if they are not built yet. Rebuilding them on every
    /// save would be most of each rebuild's time, and a tab rarely shows them.
    fn materialize(&self) {
        if !self.aggregates_stale.load(Ordering::SeqCst) {
            return;
        }
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let Some(live) = state.live.as_ref() else {
            return;
        };
        if !self.aggregates_stale.swap(false, Ordering::SeqCst) {
            return;
        }
        let site = self.site();
        let mut pages: Vec<String> = site
            .keys()
            .filter(|k| k.ends_with(".html"))
            .cloned()
            .collect();
        pages.sort();
        let sink = MemorySink::default();
        if let Err(e) = live.aggregates(&pages, &sink) {
            eprintln!("feeds, export and search index: {e}");
            return;
        }
        let mut files = (*site).clone();
        files.extend(sink.0.into_inner().unwrap_or_default());
        if let Ok(mut s) = self.site.write() {
            *s = Arc::new(files);
        }
    }

    /// Sends an event to every open tab, forgetting closed ones.
    fn broadcast(&self, event: &str, data: &str) {
        let msg = format!("event: {event}\ndata: {data}\n\n");
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(msg.clone()).is_ok());
        }
    }
}

/// A running server.
pub struct Running {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    _watcher: notify::RecommendedWatcher,
}

impl Running {
    /// How many builds have finished (good or bad); for tests.
    pub fn builds(&self) -> u64 {
        self.shared.builds.load(Ordering::SeqCst)
    }

    /// How many of them patched the last site instead of building it all
    /// again; for tests.
    pub fn patches(&self) -> u64 {
        self.shared.patches.load(Ordering::SeqCst)
    }

    /// The files of the site being served, by path (for tests that compare
    /// it with a full build).
    pub fn files(&self) -> HashMap<String, Vec<u8>> {
        self.shared.materialize();
        let site = self.shared.site();
        site.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect()
    }

    /// Blocks forever, serving.
    pub fn wait(self) {
        loop {
            std::thread::park();
        }
    }
}

/// Builds, binds and starts serving and watching. Returns once the first
/// build is done (good or bad) and the server accepts connections.
pub fn start(opts: BuildOptions, ip: IpAddr, port: u16) -> Result<Running, ServeError> {
    let shared = Arc::new(Shared::default());
    let opts = Arc::new(opts);
    rebuild(&opts, &shared, &[]);
    let addr = SocketAddr::new(ip, port);
    let server = tiny_http::Server::http(addr).map_err(|e| {
        let in_use = e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse);
        if in_use {
            ServeError::PortInUse { ip, port }
        } else {
            ServeError::Bind(addr, e.to_string())
        }
    })?;
    let addr = server.server_addr().to_ip().unwrap_or(addr);
    let server = Arc::new(server);
    {
        let shared = shared.clone();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let shared = shared.clone();
                std::thread::spawn(move || handle(request, &shared));
            }
        });
    }
    let watcher = {
        let shared = shared.clone();
        let repo = opts.repo.clone();
        let opts = opts.clone();
        watch::watch(&repo, move |paths| rebuild(&opts, &shared, &paths))
            .map_err(|e| ServeError::Watch(repo.display().to_string(), e))?
    };
    Ok(Running {
        addr,
        shared,
        _watcher: watcher,
    })
}

/// Patches the site, or checks and renders it all again; swaps the new
/// site in only when it is complete, then tells the tabs whose page changed
/// to reload.
fn rebuild(opts: &BuildOptions, shared: &Shared, changed: &[PathBuf]) {
    let started = std::time::Instant::now();
    let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    let patch = match (relative_paths(&opts.repo, changed), state.full_next) {
        (Some(mut files), false) if !changed.is_empty() => {
            // Files that broke the last patch are read again with these.
            files.extend(state.dirty.iter().cloned());
            let patch = match state.live.as_mut() {
                Some(live) => live.patch(&files, &shared.page_cache),
                None => Patch::Unsupported,
            };
            if matches!(patch, Patch::Invalid(_)) {
                state.dirty = files;
            }
            patch
        }
        _ => Patch::Unsupported,
    };
    let old = shared.site();
    let result = match patch {
        Patch::Applied { files, warnings } => {
            shared.patches.fetch_add(1, Ordering::SeqCst);
            // Only the patched pages can differ from the site served.
            let paths = changed_pages(&old, &files, false);
            Ok((Update::Merge(files), paths, warnings))
        }
        Patch::Invalid(text) => Err(text),
        Patch::Unsupported => {
            let sink = MemorySink::default();
            match Live::build(opts, &shared.load_cache, &shared.page_cache, &sink) {
                Ok((live, warnings)) => {
                    state.live = Some(live);
                    let files = sink.0.into_inner().unwrap_or_default();
                    let paths = changed_pages(&old, &files, true);
                    Ok((Update::Replace(files), paths, warnings))
                }
                Err(text) => {
                    state.full_next = true;
                    Err(text)
                }
            }
        }
    };
    drop(old);
    match result {
        Ok((update, mut paths, warnings)) => {
            state.full_next = false;
            state.dirty.clear();
            let had_errors = shared.errors.read().map(|e| e.is_some()).unwrap_or(false);
            if had_errors {
                paths.push("*".into());
            }
            if let Ok(mut site) = shared.site.write() {
                match update {
                    // Copies the map only while a request still holds it.
                    Update::Merge(files) => Arc::make_mut(&mut *site).extend(files),
                    Update::Replace(files) => *site = Arc::new(files),
                }
            }
            shared.aggregates_stale.store(true, Ordering::SeqCst);
            drop(state);
            if let Ok(mut e) = shared.errors.write() {
                *e = None;
            }
            shared.builds.fetch_add(1, Ordering::SeqCst);
            if !changed.is_empty() {
                eprintln!(
                    "rebuilt after {} change(s) in {} ms: {} page(s) changed{}",
                    changed.len(),
                    started.elapsed().as_millis(),
                    paths.len(),
                    if warnings > 0 {
                        format!(", {warnings} warning(s)")
                    } else {
                        String::new()
                    }
                );
            }
            shared.broadcast("reload", &serde_json::to_string(&paths).unwrap_or_default());
        }
        Err(message) => {
            drop(state);
            eprintln!("{message}");
            eprintln!("the last good site is still served; fix the error and save again");
            if let Ok(mut e) = shared.errors.write() {
                *e = Some(Arc::new(message));
            }
            shared.builds.fetch_add(1, Ordering::SeqCst);
            shared.broadcast("reload", "[\"*\"]");
        }
    }
}

/// How a good rebuild changes the site served.
enum Update {
    /// These pages are new or changed; the others stay.
    Merge(Files),
    /// The whole site.
    Replace(Files),
}

/// The paths, relative to the repository and `/`-separated, of the files
/// the watcher reported (relative already, or absolute under the
/// repository's canonical path); `None` when one is outside it or not UTF-8.
fn relative_paths(repo: &std::path::Path, changed: &[PathBuf]) -> Option<BTreeSet<String>> {
    let root = repo.canonicalize().unwrap_or_else(|_| repo.to_path_buf());
    changed
        .iter()
        .map(|p| {
            let rel = if p.is_absolute() {
                p.strip_prefix(&root).ok()?
            } else {
                p.as_path()
            };
            let parts: Option<Vec<&str>> =
                rel.components().map(|c| c.as_os_str().to_str()).collect();
            Some(parts?.join("/"))
        })
        .collect()
}

/// The URL paths of the pages in `new` that differ from `old`, and, when
/// `new` is the whole site, of the pages it no longer has.
fn changed_pages(old: &Files, new: &Files, whole: bool) -> Vec<String> {
    let mut paths: Vec<String> = new
        .iter()
        .filter(|(k, v)| old.get(*k).is_none_or(|o| o != *v))
        .map(|(k, _)| format!("/{k}"))
        .collect();
    if whole {
        paths.extend(
            old.keys()
                .filter(|k| k.ends_with(".html") && !new.contains_key(*k))
                .map(|k| format!("/{k}")),
        );
    }
    paths
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn respond(request: tiny_http::Request, status: u16, content_type: &str, body: Vec<u8>) {
    let response = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Content-Security-Policy", CSP))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

fn handle(request: tiny_http::Request, shared: &Shared) {
    if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        return respond(
            request,
            405,
            "text/plain; charset=utf-8",
            b"method not allowed\n".to_vec(),
        );
    }
    let url = request.url().to_string();
    match url.split('?').next().unwrap_or("") {
        "/__openfolio/live.js" => {
            return respond(
                request,
                200,
                "text/javascript; charset=utf-8",
                LIVE_JS.into(),
            );
        }
        "/__openfolio/overlay.css" => {
            return respond(request, 200, "text/css; charset=utf-8", OVERLAY_CSS.into());
        }
        "/__openfolio/events" => {
            let (tx, rx) = mpsc::channel();
            let _ = tx.send("retry: 1000\n\n".to_string());
            if let Ok(mut c) = shared.clients.lock() {
                c.push(tx);
            }
            // Written by hand and flushed per event: a buffered chunked
            // response would hold small events back.
            let mut w = request.into_writer();
            let _ = http::stream_events(&mut w, &rx);
            return;
        }
        _ => {}
    }
    let mut site = shared.site();
    let errors = shared.errors.read().ok().and_then(|e| e.clone());
    let target = resolve(&url, |p| site.contains_key(p));
    if let Target::File(path) = &target
        && !site.contains_key(path)
    {
        // Perhaps a feed, the export or the search index, built on demand.
        shared.materialize();
        site = shared.site();
    }
    match target {
        Target::BadRequest => respond(
            request,
            400,
            "text/plain; charset=utf-8",
            b"bad request\n".to_vec(),
        ),
        Target::Redirect(to) => {
            let response = tiny_http::Response::empty(301).with_header(header("Location", &to));
            let _ = request.respond(response);
        }
        Target::File(path) => {
            let (status, path) = if site.contains_key(&path) {
                (200, path)
            } else {
                (404, "404.html".to_string())
            };
            let Some(bytes) = site.get(&path) else {
                return respond(
                    request,
                    404,
                    "text/plain; charset=utf-8",
                    b"not found\n".to_vec(),
                );
            };
            let content_type = http::content_type(&path);
            let body = match (&errors, content_type.starts_with("text/html")) {
                (Some(e), true) => with_overlay(bytes, e),
                _ => bytes.to_vec(),
            };
            respond(request, status, content_type, body)
        }
    }
}

/// The page with the diagnostics of the failed build over it.
fn with_overlay(page: &[u8], errors: &str) -> Vec<u8> {
    let html = String::from_utf8_lossy(page);
    let overlay = format!(
        "<link rel=\"stylesheet\" href=\"/__openfolio/overlay.css\"><div class=\"openfolio-overlay\" role=\"alert\"><h2>openfolio: the last change has errors; this is the last good version</h2><pre>{}</pre><p>Fix the file and save: the page reloads by itself.</p></div>",
        escape(errors)
    );
    match html.rfind("</body>") {
        Some(i) => format!("{}{overlay}{}", &html[..i], &html[i..]).into_bytes(),
        None => format!("{html}{overlay}").into_bytes(),
    }
}

/// The address to print: localhost names for loopback.
pub fn display_url(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}/", addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{}/", addr.port()),
        _ => format!("http://{addr}/"),
    }
}

/// Opens the URL in the desktop's browser, if there is one.
pub fn open_browser(url: &str) {
    for cmd in ["xdg-open", "open"] {
        if std::process::Command::new(cmd)
            .arg(url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok()
        {
            return;
        }
    }
}
