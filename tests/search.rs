//! Search in a real browser (headless Chromium): a goal is found by a word of
//! its body, and a document that is not in the site is not found.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use common::*;

/// Serves a directory over HTTP on a free port, for as long as the test runs.
fn serve_dir(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let path = line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .to_string();
                let mut file = root.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                let mut s = stream;
                match std::fs::read(&file) {
                    Ok(body) if !path.contains("..") => {
                        let ct = match file.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("js") => "text/javascript",
                            Some("json") => "application/json",
                            Some("css") => "text/css",
                            _ => "application/octet-stream",
                        };
                        let _ = write!(
                            s,
                            "HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = s.write_all(&body);
                    }
                    _ => {
                        let _ = write!(
                            s,
                            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        );
                    }
                }
            });
        }
    });
    port
}

fn chromium() -> Option<&'static str> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| Path::new(p).exists())
}

/// The DOM of a search page once its results are in (tried a few times: a
/// loaded machine can be slower than Chromium's virtual time).
fn dom(browser: &str, url: &str) -> String {
    let mut last = String::new();
    for _ in 0..6 {
        last = dom_once(browser, url);
        let status = last.split("aria-live=\"polite\">").nth(1).unwrap_or("");
        if status.starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
    }
    last
}

fn dom_once(browser: &str, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=60000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn search_finds_a_goal_by_a_word_of_its_body_and_nothing_hidden() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("OPENFOLIO_REQUIRE_BROWSER").is_none(),
            "Chromium is required (.ci/run installs it)"
        );
        eprintln!(
            "skipped: no Chromium on this machine (install the chromium package to run this test)"
        );
        return;
    };
    let f = Fixture::minimal();
    f.write("people/alice/goals/learn-rust.md", "---\ntitle: Learn Rust\nkind: development\nsupports: teams/core/goals/faster-ci\nprogress: 40\n---\nThe plan involves a flamegraphwizard and <b>bold</b> moves.\n");
    f.write(
        "people/alice/goals/secret.md",
        "---\ntitle: Secret\nvisibility: private\n---\nAlso a flamegraphwizard, but private.\n",
    );
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index: String = f
        .site()
        .files()
        .iter()
        .filter(|p| p.to_string_lossy().contains("/search/data/"))
        .map(|p| read_text(p))
        .collect();
    assert!(
        index.contains("flamegraphwizard"),
        "the scan reads the index"
    );
    assert!(
        !index.contains("Secret") && !index.contains("secret"),
        "the hidden goal is not in the index"
    );
    let port = serve_dir(f.path().join("public"));
    let page = dom(
        browser,
        &format!("http://127.0.0.1:{port}/search/?q=flamegraphwizard"),
    );
    assert!(page.contains("polite\">1 result for"), "{page}");
    assert!(
        page.contains(r#"<a href="/people/alice/goals/learn-rust/">Learn Rust</a>"#),
        "{page}"
    );
    assert!(
        page.contains("<mark>flamegraphwizard</mark>"),
        "the snippet marks the word: {page}"
    );
    assert!(!page.contains("/people/alice/goals/secret/"));
    // The start of a word finds it, and every word must be found.
    let page = dom(
        browser,
        &format!("http://127.0.0.1:{port}/search/?q=Flamegraph"),
    );
    assert!(page.contains("polite\">1 result for"), "{page}");
    let page = dom(
        browser,
        &format!("http://127.0.0.1:{port}/search/?q=flamegraphwizard%20bold"),
    );
    assert!(page.contains("polite\">1 result for"), "{page}");
    let page = dom(
        browser,
        &format!("http://127.0.0.1:{port}/search/?q=flamegraphwizard%20nowhere"),
    );
    assert!(page.contains("polite\">0 results for"), "{page}");
    // Titles are inserted as text: markup in a title is shown, not run.
    let page = dom(browser, &format!("http://127.0.0.1:{port}/search/?q=learn"));
    assert!(page.contains("Learn Rust"), "{page}");
    assert!(!page.contains("<b>bold</b>") || !page.contains("search-hit\"><b>"));
}
