//! Shared helpers for the integration tests: write small organization
//! repositories, run the real binary on them, and inspect the site it wrote.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_openfolio"))
}

pub fn example_org() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-org")
}

/// A repository written by a test into a temporary directory.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A minimal valid organization: two people in one team, one objective,
    /// one team goal, a goal, a reflection and two pieces of feedback.
    pub fn minimal() -> Fixture {
        let f = Fixture::empty();
        f.write("org.yaml", MINIMAL_ORG);
        f.write(
            "objectives/grow.md",
            "---\ntitle: Grow sustainably\nperiod: 2026\nstatus: active\n---\nWhy we grow.\n",
        );
        f.write("teams/core/index.md", "---\nname: Core\nmission: Keep the lights on.\nfacilitators: [bob]\n---\nThe core team.\n");
        f.write("teams/core/goals/faster-ci.md", "---\ntitle: CI under ten minutes\nsupports: objectives/grow\nstatus: active\ndue: 2026-09-30\n---\nTeam goal body.\n");
        f.write("people/alice/index.md", "---\nname: Alice Janssens\nteam: core\nrole: Engineer\nlevel: L3\nfte: 1\nstart: 2021-03-01\ncoach: bob\nemails: [alice@example.org]\n---\nAlice's profile. See [my goal](goals/learn-rust.md).\n");
        f.write(
            "people/bob/index.md",
            "---\nname: Bob Peeters\nteam: core\nrole: Facilitator\n---\nBob.\n",
        );
        f.write("people/alice/goals/learn-rust.md", "---\ntitle: Learn Rust\nkind: development\nsupports: teams/core/goals/faster-ci\nstatus: active\nprogress: 40\n---\nThe plan, see [the team goal](../../../teams/core/goals/faster-ci.md).\n\n## 2026-03-04 First steps\n\nRead the book.\n\n## 2026-05-01\n\nWrote a tool.\n");
        f.write(
            "people/alice/reflections/2026-H1.md",
            "---\nperiod: 2026-H1\ndate: 2026-06-20\nreviewers: [bob]\n---\nMy half year.\n",
        );
        f.write("people/alice/feedback/2026-03-04-from-bob.md", "---\nfrom: bob\ndate: 2026-03-04\nkind: appreciation\nabout: people/alice/goals/learn-rust\n---\nGreat progress on Rust.\n");
        f.write("people/bob/feedback/2026-04-01-from-client.md", "---\nfrom: external\nfrom_name: Client X\ndate: 2026-04-01\nkind: suggestion\n---\nMore demos please.\n");
        f
    }

    pub fn empty() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path().join(rel)).expect("remove");
    }

    /// Runs `openfolio build` with extra arguments; output goes to `public/`.
    pub fn build(&self, args: &[&str]) -> Output {
        bin()
            .arg("build")
            .arg(self.path())
            .args(["--today", "2026-11-23"])
            .args(args)
            .output()
            .expect("run openfolio")
    }

    pub fn check(&self, args: &[&str]) -> Output {
        bin()
            .arg("check")
            .arg(self.path())
            .args(args)
            .output()
            .expect("run openfolio")
    }

    pub fn site(&self) -> Site {
        Site {
            root: self.path().join("public"),
            base: "/".into(),
        }
    }
}

pub const MINIMAL_ORG: &str = "name: Test Co\nbase_url: https://people.test.example/\nlanguage: en\ndefault_visibility: org\nvalues:\n  - id: ownership\n    name: Ownership\n    description: We finish what we start.\nexpectations:\n  - id: announce-work\n    value: ownership\n    behaviour: You say when you pick up work.\ncycle:\n  - id: goal-setting\n    name: Goal setting\n    when: January\n    purpose: Write goals.\n    affects_pay: No.\n";

/// A built site on disk.
pub struct Site {
    pub root: PathBuf,
    /// The base path internal links start with.
    pub base: String,
}

impl Site {
    pub fn page(&self, url_path: &str) -> String {
        let rel = url_path.trim_start_matches('/');
        let p = if rel.is_empty() || rel.ends_with('/') {
            self.root.join(rel).join("index.html")
        } else {
            self.root.join(rel)
        };
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    pub fn exists(&self, url_path: &str) -> bool {
        let rel = url_path.trim_start_matches('/');
        let p = if rel.is_empty() || rel.ends_with('/') {
            self.root.join(rel).join("index.html")
        } else {
            self.root.join(rel)
        };
        p.is_file()
    }

    pub fn files(&self) -> Vec<PathBuf> {
        walkdir::WalkDir::new(&self.root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().to_path_buf())
            .collect()
    }

    pub fn html_files(&self) -> Vec<PathBuf> {
        self.files()
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .collect()
    }

    /// Every internal `href`/`src` that does not resolve to a file of the site,
    /// as (page, link).
    pub fn broken_links(&self) -> Vec<(String, String)> {
        let mut broken = BTreeSet::new();
        for file in self.html_files() {
            let html = std::fs::read_to_string(&file).expect("read page");
            for link in attributes(&html, &["href", "src"]) {
                if link.starts_with("http://")
                    || link.starts_with("https://")
                    || link.starts_with("mailto:")
                {
                    continue;
                }
                let link = link.split('#').next().unwrap_or("").to_string();
                if link.is_empty() {
                    continue;
                }
                let ok = match link.strip_prefix(&self.base) {
                    Some(rest) => self.exists(&format!("/{rest}")),
                    None => false,
                };
                if !ok {
                    broken.insert((
                        file.strip_prefix(&self.root)
                            .unwrap_or(&file)
                            .display()
                            .to_string(),
                        link,
                    ));
                }
            }
        }
        broken.into_iter().collect()
    }
}

/// Values of the given attributes in an HTML text (double-quoted, as the theme writes them).
pub fn attributes(html: &str, names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for name in names {
        let needle = format!(" {name}=\"");
        let mut rest = html;
        while let Some(i) = rest.find(&needle) {
            rest = &rest[i + needle.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
                rest = &rest[end..];
            }
        }
    }
    out
}

/// The text of an output file, decompressed when it is gzip (the search
/// index's chunks are), so that scans for hidden content see everything.
pub fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("read output file");
    if bytes.starts_with(&[0x1f, 0x8b]) {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .expect("gzip");
        return String::from_utf8_lossy(&out).into_owned();
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Commits every file of the work tree as `name <email>` at `when` (seconds
/// since the epoch), on top of HEAD.
pub fn commit_all(
    repo: &git2::Repository,
    name: &str,
    email: &str,
    when: i64,
    message: &str,
) -> git2::Oid {
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.update_all(["*"], None).expect("update");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("write tree"))
        .expect("tree");
    let sig = git2::Signature::new(name, email, &git2::Time::new(when, 0)).expect("signature");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .expect("commit")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copies `from` into `to`, leaving out a built `public/` folder.
pub fn copy_tree(from: &Path, to: &Path) {
    let walker = walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || e.file_name() != "public");
    for e in walker {
        let e = e.expect("walk example-org");
        let rel = e.path().strip_prefix(from).expect("inside example-org");
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}
