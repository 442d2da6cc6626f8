//! Benchmark: how long `openfolio serve` takes from saving one feedback file
//! to serving the updated site, on an organization on disk.
//!
//! `cargo run --release --example serve-edit -- /tmp/org [RUNS] [FILE]`
//! (generate the organization with `--example gen-org`). FILE is the
//! feedback file to edit, relative to the organization (default: the first
//! one found); it is restored at the end. Prints each run and the median, in
//! milliseconds. The time includes the watcher's debounce
//! (`serve::watch::DEBOUNCE`), which is reported separately.

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let org = PathBuf::from(args.next().expect("usage: serve-edit ORG_DIR [RUNS]"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let feedback = match args.next() {
        Some(file) => org.join(file),
        None => walkdir::WalkDir::new(org.join("people"))
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.path().to_string_lossy().contains("/feedback/") && e.file_type().is_file())
            .expect("a feedback file")
            .into_path(),
    };
    let original = std::fs::read_to_string(&feedback).expect("read feedback");
    let mut opts = openfolio::pipeline::BuildOptions::new(&org);
    opts.base_url = Some("/".into());
    let started = Instant::now();
    let server =
        openfolio::serve::start(opts, "127.0.0.1".parse().expect("ip"), 0).expect("serve starts");
    eprintln!(
        "first build (with the search index): {} ms",
        started.elapsed().as_millis()
    );
    let mut times = Vec::new();
    for run in 0..runs {
        std::thread::sleep(Duration::from_millis(300));
        let builds = server.builds();
        let t0 = Instant::now();
        std::fs::write(&feedback, format!("{original}\nEdit number {run}.\n")).expect("write");
        while server.builds() == builds {
            std::thread::sleep(Duration::from_millis(1));
        }
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        eprintln!("run {run}: {ms:.0} ms");
        times.push(ms);
    }
    std::fs::write(&feedback, original).expect("restore");
    times.sort_by(|a, b| a.total_cmp(b));
    let debounce = openfolio::serve::watch::DEBOUNCE.as_millis();
    println!(
        "one-file edit in serve: median {:.0} ms (min {:.0}, max {:.0}), of which {debounce} ms is the debounce",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}
