//! `openfolio serve`: a real server on a free port over a fixture repository,
//! fetched over HTTP while files change on disk.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::*;
use openfolio::pipeline::BuildOptions;

fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// Waits until `cond` holds, polling; panics with `what` after 10 s.
fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for: {what}");
}

fn start(f: &Fixture) -> openfolio::serve::Running {
    let mut opts = BuildOptions::new(f.path());
    opts.base_url = Some("/".into());
    openfolio::serve::start(opts, "127.0.0.1".parse().unwrap(), 0).expect("server starts")
}

#[test]
fn serves_pages_and_rebuilds_on_change_with_a_reload_event() {
    let f = Fixture::minimal();
    let server = start(&f);
    let addr = server.addr;
    let (status, head, body) = get(addr, "/people/alice/");
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("content-type: text/html"));
    assert!(head.contains("Content-Security-Policy"));
    assert!(body.contains("Alice Janssens"));
    assert!(
        body.contains("/__openfolio/live.js"),
        "the reload script is injected in serve"
    );
    assert!(
        !f.path().join("public").exists(),
        "serve writes nothing to disk"
    );

    // Listen for reload events, then edit a goal.
    let mut events = TcpStream::connect(addr).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        events,
        "GET /__openfolio/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(events);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    std::thread::sleep(Duration::from_millis(300));

    f.write("people/alice/goals/learn-rust.md", "---\ntitle: Learn Rust in depth\nkind: development\nsupports: teams/core/goals/faster-ci\nstatus: active\nprogress: 60\n---\nUpdated plan.\n");
    let mut got = String::new();
    let start_wait = Instant::now();
    while !got.contains("/people/alice/goals/learn-rust/index.html")
        && start_wait.elapsed() < Duration::from_secs(10)
    {
        let mut l = String::new();
        if reader.read_line(&mut l).unwrap_or(0) == 0 {
            break;
        }
        got.push_str(&l);
    }
    assert!(got.contains("event: reload"), "{got}");
    assert!(
        got.contains("/people/alice/goals/learn-rust/index.html"),
        "{got}"
    );
    let (_, _, body) = get(addr, "/people/alice/goals/learn-rust/");
    assert!(
        body.contains("Learn Rust in depth"),
        "new content is served once the event is sent"
    );
    // Feeds, export and search index are built when first asked for, from
    // the edited repository.
    let (status, _, feed) = get(addr, "/people/alice/feed.xml");
    assert_eq!(status, 200);
    assert!(feed.contains("<feed"), "{feed}");
    let (status, _, export) = get(addr, "/data/org.json");
    assert_eq!(status, 200);
    assert!(export.contains("Learn Rust in depth"));
    let (status, _, index) = get(addr, "/search/data/t0.json");
    assert_eq!(status, 200);
    assert!(
        index.contains("\"updated\""),
        "the edited body is indexed: {index}"
    );

    // A new person appears; a deleted one goes.
    f.write(
        "people/carol/index.md",
        "---\nname: Carol Smit\nteam: core\n---\nCarol.\n",
    );
    eventually("carol's page", || get(addr, "/people/carol/").0 == 200);
    f.remove("people/carol/index.md");
    eventually("carol's page gone", || get(addr, "/people/carol/").0 == 404);
    assert!(
        get(addr, "/people/carol/").2.contains("Page not found"),
        "the theme's 404 page"
    );
}

#[test]
fn an_invalid_edit_keeps_the_last_good_page_and_shows_the_error() {
    let f = Fixture::minimal();
    let server = start(&f);
    let addr = server.addr;
    let builds = server.builds();
    f.write(
        "people/alice/goals/learn-rust.md",
        "---\ntitle: Learn Rust\nstatus: actve\n---\n",
    );
    eventually("a rebuild", || server.builds() > builds);
    let (status, _, body) = get(addr, "/people/alice/goals/learn-rust/");
    assert_eq!(status, 200);
    assert!(body.contains("openfolio-overlay"), "{body}");
    assert!(
        body.contains("people/alice/goals/learn-rust.md:3:9"),
        "file, line and column in the overlay"
    );
    assert!(
        body.contains("The plan"),
        "the last good version of the page"
    );
    // Fixing it brings the page back without the overlay.
    let builds = server.builds();
    f.write(
        "people/alice/goals/learn-rust.md",
        "---\ntitle: Learn Rust again\nstatus: active\n---\n",
    );
    eventually("a rebuild", || server.builds() > builds);
    eventually("the fixed page", || {
        get(addr, "/people/alice/goals/learn-rust/")
            .2
            .contains("Learn Rust again")
    });
    assert!(
        !get(addr, "/people/alice/goals/learn-rust/")
            .2
            .contains("openfolio-overlay")
    );
}

#[test]
fn nothing_outside_the_site_is_served() {
    let f = Fixture::minimal();
    f.write("secret.txt", "top secret");
    let server = start(&f);
    let addr = server.addr;
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/people/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%5c..%5csecret.txt",
    ] {
        let (status, _, body) = get(addr, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("top secret"), "{path}");
    }
    assert_eq!(get(addr, "/org.yaml").0, 404);
    let (status, head, _) = get(addr, "/people");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /people/"));
    let (status, head, _) = get(addr, "/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let f = Fixture::minimal();
    let first = start(&f);
    let mut opts = BuildOptions::new(f.path());
    opts.base_url = Some("/".into());
    let err = openfolio::serve::start(opts, "127.0.0.1".parse().unwrap(), first.addr.port())
        .err()
        .expect("refused");
    assert!(err.to_string().contains("already in use"), "{err}");
    assert!(err.to_string().contains("--port 0"));
}

#[test]
fn after_a_series_of_edits_the_served_site_is_the_site_a_full_build_gives() {
    let f = Fixture::minimal();
    let server = start(&f);
    type Edit = Box<dyn Fn(&Fixture)>;
    let edits: Vec<Edit> = vec![
        Box::new(|f| {
            f.write("people/alice/goals/learn-rust.md", "---\ntitle: Learn Rust well\nkind: development\nsupports: teams/core/goals/faster-ci\nprogress: 70\n---\nBetter.\n\n## 2026-09-01\n\nMore.\n")
        }),
        Box::new(|f| {
            f.write(
                "people/carol/index.md",
                "---\nname: Carol Smit\nteam: core\n---\nNew here.\n",
            )
        }),
        Box::new(|f| {
            f.write(
                "people/carol/feedback/2026-10-01-from-bob.md",
                "---\nfrom: bob\ndate: 2026-10-01\nkind: appreciation\n---\nWelcome.\n",
            )
        }),
        Box::new(|f| f.remove("people/bob/feedback/2026-04-01-from-client.md")),
        Box::new(|f| {
            f.write("teams/core/index.md", "---\nname: Core Team\nmission: Keep the lights on, together.\nfacilitators: [bob]\n---\nRenamed.\n")
        }),
    ];
    for edit in &edits {
        let builds = server.builds();
        edit(&f);
        eventually("a rebuild", || server.builds() > builds);
    }
    // Let the last debounce settle, then compare with a fresh full build.
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_served_is_full_build(f.path(), &server, "after the edits");
}

/// Asserts that `server` serves exactly the files a fresh `openfolio build`
/// of `repo` writes, byte for byte (pages but for the live-reload script).
fn assert_served_is_full_build(
    repo: &std::path::Path,
    server: &openfolio::serve::Running,
    when: &str,
) {
    let served = server.files();
    let out = tempfile::tempdir().unwrap();
    let o = bin()
        .arg("build")
        .arg(repo)
        .arg("--output")
        .arg(out.path().join("site"))
        .args(["--base-url", "/"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{when}: {}", stderr(&o));
    let built = Site {
        root: out.path().join("site"),
        base: "/".into(),
    };
    let today = chrono::Local::now().date_naive().to_string();
    let mut compared = 0;
    for file in built.files() {
        let rel = file
            .strip_prefix(&built.root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == ".openfolio-site" {
            continue;
        }
        let bytes = std::fs::read(&file).unwrap();
        let served_bytes = served
            .get(&rel)
            .unwrap_or_else(|| panic!("{when}: {rel} is not served"));
        if rel.ends_with(".html") {
            // Served pages differ only by the live-reload script tag.
            let served_text = String::from_utf8_lossy(served_bytes)
                .replace("<script src=\"/__openfolio/live.js\"></script>", "");
            let built_text = String::from_utf8_lossy(&bytes).into_owned();
            if served_text != built_text {
                let at = served_text
                    .chars()
                    .zip(built_text.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                let around = |t: &str| -> String {
                    t.chars().skip(at.saturating_sub(200)).take(400).collect()
                };
                panic!(
                    "{when}: {rel} (built on {today}) differs at character {at}:\nserved: {}\nbuilt:  {}",
                    around(&served_text),
                    around(&built_text)
                );
            }
        } else {
            // Feeds, export and search index included: serve builds them
            // when first asked for, from the same edited repository.
            assert!(served_bytes == &bytes, "{when}: {rel}");
        }
        compared += 1;
    }
    assert!(compared > 20);
    let extra: Vec<&String> = served
        .keys()
        .filter(|k| !built.root.join(k).exists())
        .collect();
    assert!(extra.is_empty(), "{when}: {extra:?}");
}

/// Edits of one existing goal, team goal, reflection, feedback or request
/// are patched into the served site (only the pages they can change are
/// rendered again); others take a full rebuild. Either way, after every
/// edit the site served is the site a full build gives.
#[test]
fn patched_edits_give_the_site_a_full_build_gives() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&example_org(), dir.path());
    let repo = dir.path().to_path_buf();
    let mut opts = BuildOptions::new(&repo);
    opts.base_url = Some("/".into());
    let server = openfolio::serve::start(opts, "127.0.0.1".parse().unwrap(), 0).unwrap();
    let replace = |file: &str, from: &str, to: &str| {
        let path = repo.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    let karin = "people/gijs/feedback/2026-10-30-from-karin.md";
    let request = "people/gijs/requests/portal-demo.md";
    let goal = "people/gijs/goals/test-first.md";
    let team_goal = "teams/product/goals/mobile-app.md";
    let reflection = "people/gijs/reflections/2026-H1.md";
    // (what, file, from, to, patched)
    let edits = [
        (
            "a feedback body",
            karin,
            "The flow was clear",
            "The flow was very clear",
            true,
        ),
        (
            "a feedback kind",
            karin,
            "kind: suggestion",
            "kind: appreciation",
            true,
        ),
        (
            "feedback made visible to all",
            karin,
            "visibility: team",
            "visibility: org",
            false,
        ),
        (
            "feedback about a goal",
            karin,
            "request: people/gijs/requests/portal-demo",
            "about: people/gijs/goals/test-first",
            true,
        ),
        (
            "who a request asks",
            request,
            "asked: [farah, karin, hana]",
            "asked: [farah, hana]",
            true,
        ),
        (
            "a request closed",
            request,
            "status: open",
            "status: closed",
            true,
        ),
        (
            "a goal's progress",
            goal,
            "progress: 50",
            "progress: 90",
            true,
        ),
        (
            "the progress of a goal a team goal rolls up",
            "people/gijs/goals/portal-v2-frontend.md",
            "progress: 75",
            "progress: 15",
            true,
        ),
        (
            "a goal's title",
            goal,
            "title: Write my tests before my code",
            "title: Tests first",
            true,
        ),
        (
            "a team goal's title",
            team_goal,
            "title: A native mobile app for bookings",
            "title: A mobile app",
            true,
        ),
        (
            "a reflection's reviewers",
            reflection,
            "reviewers: [emma, hana]",
            "reviewers: [emma]",
            true,
        ),
        (
            "who gave feedback",
            "people/farah/feedback/2026-04-13-from-hana.md",
            "from: hana",
            "from: gijs",
            true,
        ),
        (
            "the expectation feedback is about",
            "people/farah/feedback/2026-04-13-from-hana.md",
            "about: decisions-in-writing",
            "about: announce-work",
            true,
        ),
        (
            "a goal achieved",
            goal,
            "status: active",
            "status: achieved",
            true,
        ),
        (
            "what a request is about",
            request,
            "about: people/gijs/goals/portal-v2-frontend",
            "about: people/gijs/goals/test-first",
            true,
        ),
        (
            "what a goal supports",
            goal,
            "supports: objectives/2026-learning-culture",
            "supports: objectives/2026-sustainable-growth",
            false,
        ),
    ];
    for (what, file, from, to, patched) in edits {
        let (builds, patches) = (server.builds(), server.patches());
        replace(file, from, to);
        eventually(what, || server.builds() > builds);
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(server.patches() > patches, patched, "{what}: patched?");
        assert_served_is_full_build(&repo, &server, what);
    }

    // A mistake is shown, not applied; its fix is patched.
    let (builds, patches) = (server.builds(), server.patches());
    replace(karin, "date: 2026-10-30", "date: 2026-13-45");
    eventually("the broken date", || server.builds() > builds);
    let (_, _, page) = get(server.addr, "/people/gijs/");
    assert!(page.contains("openfolio-overlay"), "{page}");
    assert!(page.contains(karin), "the overlay names the file");
    let builds = server.builds();
    replace(karin, "date: 2026-13-45", "date: 2026-10-29");
    eventually("the fixed date", || server.builds() > builds);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(server.patches() > patches, "the fix is patched");
    assert!(
        !get(server.addr, "/people/gijs/")
            .2
            .contains("openfolio-overlay")
    );
    assert_served_is_full_build(&repo, &server, "the fixed date");
}
