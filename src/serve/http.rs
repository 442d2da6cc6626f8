//! The HTTP side of `serve`: maps a request path to a file of the built site
//! held in memory (so nothing outside the site can ever be served), with the
//! right content type, security headers, and the live-reload event stream.

use std::io::Write;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site, by its path in the site.
    File(String),
    /// A directory without its trailing slash: redirect to it.
    Redirect(String),
    /// Not a valid path (traversal, control characters, bad encoding).
    BadRequest,
}

/// Resolves the path of a URL (without query) against the site's files.
pub fn resolve(url: &str, exists: impl Fn(&str) -> bool) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
        return Target::BadRequest;
    };
    if decoded.contains(['\0', '\\']) || decoded.chars().any(char::is_control) {
        return Target::BadRequest;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Target::BadRequest,
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    let dir_like = decoded.ends_with('/') || joined.is_empty();
    if dir_like {
        let index = if joined.is_empty() {
            "index.html".to_string()
        } else {
            format!("{joined}/index.html")
        };
        return Target::File(index);
    }
    if !exists(&joined) && exists(&format!("{joined}/index.html")) {
        return Target::Redirect(format!("/{joined}/"));
    }
    Target::File(joined)
}

/// The content type of a site file, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "txt" | "md" | "yaml" | "yml" | "csv" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The Content-Security-Policy sent with every response: only the site's own
/// scripts and styles.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Writes the response head of an event stream, then every event as it
/// arrives (and a comment every 15 s, so that closed tabs are noticed),
/// flushing each; returns when the tab goes away.
pub fn stream_events(w: &mut dyn Write, rx: &Receiver<String>) -> std::io::Result<()> {
    w.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n")?;
    w.flush()?;
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        w.write_all(msg.as_bytes())?;
        w.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        let exists = |p: &str| p == "people/index.html" || p == "style.css";
        assert_eq!(resolve("/", exists), Target::File("index.html".into()));
        assert_eq!(
            resolve("/people/", exists),
            Target::File("people/index.html".into())
        );
        assert_eq!(
            resolve("/people", exists),
            Target::Redirect("/people/".into())
        );
        assert_eq!(
            resolve("/style.css?v=1", exists),
            Target::File("style.css".into())
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/..%2fetc",
            "/a%00b",
            "/a%5c..%5cb",
            "/%ff",
        ] {
            assert_eq!(resolve(bad, exists), Target::BadRequest, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("pay/rules.json"), "application/json");
        assert_eq!(content_type("x"), "application/octet-stream");
    }
}
