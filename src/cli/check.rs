//! `openfolio check`.

use std::path::PathBuf;

use std::collections::BTreeSet;

use crate::check::Code;
use crate::pipeline;

#[derive(clap::Args)]
pub struct Args {
    /// The organization repository (default: the current directory).
    dir: Option<PathBuf>,
    /// Treat warnings as errors (exit status 1).
    #[arg(long)]
    deny_warnings: bool,
    /// `text` for people, `json` for CI annotations (an array with one object per diagnostic).
    #[arg(long, value_enum, default_value = "text")]
    format: super::Format,
    /// Only report problems in files changed since this git revision (merge
    /// base with HEAD, plus uncommitted changes): for pull-request checks.
    /// References are still resolved against the whole repository.
    #[arg(long)]
    changed_since: Option<String>,
    /// Only report problems in these files (relative to the repository).
    #[arg(long = "only", value_name = "PATH")]
    only: Vec<String>,
    /// Check the repository as it was at a git revision or date.
    #[arg(long)]
    at: Option<String>,
    /// Do not read git history (no provenance or author warnings).
    #[arg(long)]
    no_history: bool,
    /// Refuse files bigger than this many bytes.
    #[arg(long, default_value_t = crate::source::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let repo = super::repo_or_cwd(a.dir);
    let source = pipeline::open_source(&repo, a.at.as_deref(), None)?;
    let mut checked = pipeline::check(source.as_ref(), a.max_file_size)?;
    if !a.no_history {
        let history = pipeline::history(&repo, source.as_ref(), &checked.documents);
        checked = checked.with_history(history, source.as_ref());
    }
    let mut limit: Option<(BTreeSet<String>, bool)> = None;
    if let Some(rev) = &a.changed_since {
        limit = Some(crate::source::git::changed_since(&repo, rev)?);
    }
    if !a.only.is_empty() {
        let (set, _) = limit.get_or_insert_with(Default::default);
        set.extend(
            a.only
                .iter()
                .map(|p| p.trim_start_matches("./").replace('\\', "/")),
        );
    }
    if let Some((paths, removed)) = &limit {
        // A deleted or renamed file breaks references elsewhere: keep those too.
        checked.diagnostics.retain(|d| {
            paths.contains(&d.file)
                || (*removed
                    && matches!(
                        d.code,
                        Code::UnknownReference
                            | Code::UnknownPerson
                            | Code::BrokenLink
                            | Code::WrongReferenceKind
                    ))
        });
    }
    super::print_diagnostics(&checked, a.format, a.deny_warnings);
    if a.format == super::Format::Text {
        super::print_notes(&checked);
    }
    let failed = checked.has_errors(a.deny_warnings);
    if !failed && a.format == super::Format::Text {
        eprintln!("ok: {} checked", source.describe());
    }
    Ok(i32::from(failed))
}
