//! The "floor" of a build: the least work any site generator must do with an
//! organization repository, used by `bench/run` as the baseline openfolio is
//! compared with.
//!
//! ```text
//! cargo run --release --example floor -- ORG_DIR OUT_DIR
//! ```
//!
//! It reads every Markdown file of `ORG_DIR`, splits the front matter, parses
//! the YAML with openfolio's own parser, renders the body with pulldown-cmark
//! and writes one HTML file per document under `OUT_DIR` (same relative path,
//! `.html` instead of `.md`), in parallel with rayon. Nothing else: no model,
//! no checks, no templates, no links between pages, no search index.

use std::path::{Path, PathBuf};
use std::time::Instant;

use openfolio::load::{frontmatter, yaml};
use pulldown_cmark::{Options, Parser, html::push_html};
use rayon::prelude::*;
use walkdir::WalkDir;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [org, out] = args.as_slice() else {
        eprintln!("usage: floor ORG_DIR OUT_DIR");
        std::process::exit(2);
    };
    let (org, out) = (Path::new(org), Path::new(out));
    let start = Instant::now();

    let files: Vec<PathBuf> = WalkDir::new(org)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();

    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;

    let results: Vec<Result<Option<usize>, String>> = files
        .par_iter()
        .map(|path| render(org, out, path, options))
        .collect();

    let mut bytes = 0;
    let mut written = 0;
    let mut skipped = 0;
    let mut failures = 0;
    for r in results {
        match r {
            Ok(Some(n)) => {
                written += 1;
                bytes += n;
            }
            Ok(None) => skipped += 1,
            Err(e) => {
                failures += 1;
                eprintln!("floor: {e}");
            }
        }
    }
    eprintln!(
        "floor: {} files, {} pages ({} bytes of HTML), {} without front matter skipped, {} failures, in {:.3}s",
        files.len(),
        written,
        bytes,
        skipped,
        failures,
        start.elapsed().as_secs_f64()
    );
    if failures > 0 {
        std::process::exit(1);
    }
}

/// Reads, parses and renders one document; returns the bytes written, or
/// `None` for a file without front matter (a README, which openfolio does not
/// publish either).
fn render(org: &Path, out: &Path, path: &Path, options: Options) -> Result<Option<usize>, String> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = frontmatter::normalise(&raw);
    let split = match frontmatter::split(&text) {
        Ok(split) => split,
        Err(frontmatter::SplitError::NoOpening) => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let front = yaml::parse(split.yaml, 1)
        .map_err(|(line, col, msg)| format!("{}:{line}:{col}: {msg}", path.display()))?;

    let mut html = String::with_capacity(split.body.len() * 3 / 2 + 256);
    html.push_str("<!doctype html>\n<meta charset=\"utf-8\">\n<title>");
    let title = front
        .get("title")
        .or_else(|| front.get("name"))
        .and_then(yaml::Node::as_scalar_text)
        .unwrap_or("");
    escape_into(&mut html, title);
    html.push_str("</title>\n");
    push_html(&mut html, Parser::new_ext(split.body, options));

    let rel = path.strip_prefix(org).unwrap_or(path);
    let target = out.join(rel).with_extension("html");
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&target, &html).map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(Some(html.len()))
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}
