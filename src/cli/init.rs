//! `openfolio init`.

use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The directory to create (must be empty or not exist).
    dir: PathBuf,
    /// The organization's name.
    #[arg(long, default_value = "Our Cooperative")]
    name: String,
    /// Your handle: your folder under people/.
    #[arg(long, default_value = "founder")]
    handle: String,
    /// Your full name.
    #[arg(long, default_value = "Founder")]
    person_name: String,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let today = chrono::Local::now().date_naive();
    let files = crate::author::init(&a.dir, &a.name, &a.handle, &a.person_name, today)?;
    for f in &files {
        println!("{}", f.display());
    }
    eprintln!(
        "created an organization repository in {} ({} files); next: `openfolio check {}`",
        a.dir.display(),
        files.len(),
        a.dir.display()
    );
    Ok(0)
}
