//! `openfolio serve`.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::audience::Audience;
use crate::pipeline::BuildOptions;
use crate::serve;

#[derive(clap::Args)]
pub struct Args {
    /// The organization repository (default: the current directory).
    dir: Option<PathBuf>,
    /// The port to listen on; 0 picks a free one.
    #[arg(short, long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on. The default, loopback, is reachable from this computer only.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Open the site in the browser.
    #[arg(long)]
    open: bool,
    /// Who the preview is for: org, team:ID or person:HANDLE.
    #[arg(long, default_value = "org")]
    audience: Audience,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let repo = super::repo_or_cwd(a.dir);
    let mut opts = BuildOptions::new(&repo);
    opts.audience = a.audience;
    opts.base_url = Some("/".into());
    let running = serve::start(opts, a.bind, a.port)?;
    let url = serve::display_url(running.addr);
    let scope = if a.bind.is_loopback() {
        "only this computer can connect"
    } else {
        "other computers on the network can connect"
    };
    eprintln!(
        "serving {} at {url} ({scope}); watching for changes, Ctrl-C to stop",
        repo.display()
    );
    if a.open {
        serve::open_browser(&url);
    }
    running.wait();
    Ok(0)
}
