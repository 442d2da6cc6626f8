//! openfolio: a static site generator for people-driven performance
//! management. An organization's git repository of Markdown files (goals,
//! reflections, feedback, team goals, objectives, pay rules) becomes a
//! browsable internal site.
//!
//! The data flows one way, and the module tree follows it:
//!
//! - [`source`]: which bytes to read (the working tree, later a git tree);
//! - [`load`]: front matter, YAML and Markdown → typed documents;
//! - [`model`]: the documents linked into a graph with indexes and roll-ups;
//! - [`check`]: every diagnostic, with file, line, column and help;
//! - [`pay`]: pay and bonus shares computed from `pay/rules.yaml`;
//! - [`history`]: git history, provenance and reviews of every document;
//! - [`audience`]: what one audience may see, applied before rendering;
//! - [`render`]: pages through the theme's Tera templates, in parallel;
//! - [`output`]: an atomic swap of the finished site into place;
//! - [`pipeline`]: the stages in order, for the commands in [`cli`].

pub mod audience;
pub mod author;
pub mod check;
pub mod cli;
pub mod codeowners;
pub mod diff;
pub mod history;
pub mod load;
pub mod model;
pub mod output;
pub mod pay;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod source;

/// Files built into the binary (see `build.rs`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Prints how long a stage took when `OPENFOLIO_TIMINGS` is set (for
/// profiling; see bench/).
pub fn timing(stage: &str, since: std::time::Instant) {
    if std::env::var_os("OPENFOLIO_TIMINGS").is_some() {
        // The resident set now, from /proc where there is one.
        let rss = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map(|pages| format!(", {} MiB resident", (pages * 4096) >> 20))
            .unwrap_or_default();
        eprintln!("timing: {stage}: {} ms{rss}", since.elapsed().as_millis());
    }
}
