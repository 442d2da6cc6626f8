//! `openfolio export`: everything the site shows, as JSON on standard output.

use std::path::PathBuf;

use crate::audience::Audience;
use crate::pipeline::{self, BuildOptions};

#[derive(clap::Args)]
pub struct Args {
    /// The organization repository (default: the current directory).
    dir: Option<PathBuf>,
    #[arg(long, value_parser = ["json"], default_value = "json")]
    format: String,
    /// Who the data is for: org, team:ID or person:HANDLE.
    #[arg(long, default_value = "org")]
    audience: Audience,
    /// Export the repository as it was at a git revision or date.
    #[arg(long)]
    at: Option<String>,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let repo = super::repo_or_cwd(a.dir);
    let mut opts = BuildOptions::new(&repo);
    opts.audience = a.audience;
    opts.at = a.at;
    let source = pipeline::open_source(&repo, opts.at.as_deref(), None)?;
    let mut checked = pipeline::check(source.as_ref(), opts.max_file_size)?;
    if checked.has_errors(false) {
        super::print_diagnostics(&checked, super::Format::Text, false);
        return Ok(1);
    }
    let history = pipeline::history(&repo, source.as_ref(), &checked.documents);
    checked = checked.with_history(history, source.as_ref());
    let json = pipeline::export(source.as_ref(), &checked, &opts)?;
    println!("{}", serde_json::to_string_pretty(&json)?);
    Ok(0)
}
