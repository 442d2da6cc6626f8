//! `openfolio codeowners`: writes CODEOWNERS from the profiles.

use std::path::PathBuf;

use anyhow::bail;

use crate::codeowners::{HEADER, generate};
use crate::pipeline;
use crate::source::WorkTree;

#[derive(clap::Args)]
pub struct Args {
    /// The organization repository (default: the current directory).
    dir: Option<PathBuf>,
    /// Where to write it, relative to the repository.
    #[arg(long, default_value = "CODEOWNERS")]
    path: PathBuf,
    /// Print it instead of writing it.
    #[arg(long)]
    stdout: bool,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let repo = super::repo_or_cwd(a.dir);
    let source = WorkTree::new(&repo)?;
    let checked = pipeline::check(&source, crate::source::DEFAULT_MAX_FILE_SIZE)?;
    let text = generate(&checked.documents);
    if a.stdout {
        print!("{text}");
        return Ok(0);
    }
    let target = repo.join(&a.path);
    if let Ok(existing) = std::fs::read_to_string(&target)
        && !existing.starts_with(HEADER)
    {
        bail!(
            "{} exists and was not written by openfolio; it was left as it is (use --stdout and merge by hand)",
            target.display()
        );
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&target, text)?;
    println!("{}", target.display());
    Ok(0)
}
