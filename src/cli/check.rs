//! `openfolio check`.

use std::path::PathBuf;

use crate::pipeline;
use crate::source::{Source, WorkTree};

#[derive(clap::Args)]
pub struct Args {
    /// The organization repository (default: the current directory).
    dir: Option<PathBuf>,
    /// Treat warnings as errors (exit status 1).
    #[arg(long)]
    deny_warnings: bool,
    /// `text` for people, `json` for CI annotations (one object per diagnostic).
    #[arg(long, value_enum, default_value = "text")]
    format: super::Format,
    /// Refuse files bigger than this many bytes.
    #[arg(long, default_value_t = crate::source::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let repo = super::repo_or_cwd(a.dir);
    let source = WorkTree::new(&repo)?;
    let checked = pipeline::check(&source, a.max_file_size)?;
    super::print_diagnostics(&checked, a.format, a.deny_warnings);
    let failed = checked.has_errors(a.deny_warnings);
    if !failed && a.format == super::Format::Text {
        eprintln!("ok: {} checked", source.describe());
    }
    Ok(i32::from(failed))
}
