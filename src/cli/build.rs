//! `openfolio build`.

use std::path::PathBuf;

use crate::audience::Audience;
use crate::pipeline::{self, BuildError, BuildOptions};

#[derive(clap::Args)]
pub struct Args {
    /// The organization repository (default: the current directory).
    dir: Option<PathBuf>,
    /// Where to write the site (default: public/ inside the repository).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Who the site is for: org, team:ID or person:HANDLE.
    #[arg(long, default_value = "org")]
    audience: Audience,
    /// Publish under this URL instead of org.yaml's base_url.
    #[arg(long)]
    base_url: Option<String>,
    /// Replace an output directory that holds files openfolio did not write.
    #[arg(long)]
    force: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Refuse files bigger than this many bytes.
    #[arg(long, default_value_t = crate::source::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// The date the site is built as of (YYYY-MM-DD; default: today).
    #[arg(long)]
    today: Option<chrono::NaiveDate>,
    /// Build the site as it was at a git revision, or on a date (YYYY-MM-DD:
    /// the last commit of the current branch on or before that day).
    #[arg(long)]
    at: Option<String>,
    /// Do not read git history (faster; no timelines, provenance or reviewers).
    #[arg(long)]
    no_history: bool,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let repo = super::repo_or_cwd(a.dir);
    let mut opts = BuildOptions::new(&repo);
    opts.output = a.output;
    opts.audience = a.audience;
    opts.base_url = a.base_url;
    opts.force = a.force;
    opts.deny_warnings = a.deny_warnings;
    opts.max_file_size = a.max_file_size;
    opts.at = a.at.clone();
    opts.history = !a.no_history;
    match (
        a.today,
        a.at.as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
    ) {
        (Some(t), _) | (None, Some(t)) => opts.today = t,
        _ => {}
    }
    let started = std::time::Instant::now();
    match pipeline::build(&opts) {
        Ok(report) => {
            super::print_diagnostics(&report.checked, super::Format::Text, false);
            super::print_notes(&report.checked);
            eprintln!(
                "built {} pages ({} files) into {} in {} ms",
                report.stats.pages,
                report.stats.files,
                report.output.display(),
                started.elapsed().as_millis()
            );
            // The process exits next: the system takes the memory back at
            // once, where dropping the site frees it allocation by allocation.
            std::mem::forget(report);
            Ok(0)
        }
        Err((BuildError::Invalid, Some(checked))) => {
            super::print_diagnostics(&checked, super::Format::Text, opts.deny_warnings);
            eprintln!(
                "error: the repository has errors; nothing was written and the previous site is unchanged"
            );
            Ok(1)
        }
        Err((e, checked)) => {
            if let Some(c) = checked {
                super::print_diagnostics(&c, super::Format::Text, false);
            }
            Err(e.into())
        }
    }
}
