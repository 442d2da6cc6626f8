//! Git as a source: `--at` builds and `check --changed-since`, over
//! repositories written by the tests with git2.

mod common;

use common::*;
use git2::Repository;

const JAN: i64 = 1_768_000_000; // 2026-01-09
const JUN: i64 = 1_780_000_000; // 2026-05-28

#[test]
fn build_at_a_date_shows_the_site_as_it_was_without_touching_the_work_tree() {
    let f = Fixture::minimal();
    f.write(".gitignore", "public/\n");
    let repo = Repository::init(f.path()).unwrap();
    commit_all(&repo, "Alice", "alice@example.org", JAN, "Start");
    f.write("people/alice/goals/learn-rust.md", "---\ntitle: Learn Rust properly\nkind: development\nstatus: achieved\nprogress: 100\n---\nDone.\n");
    commit_all(&repo, "Alice", "alice@example.org", JUN, "Achieved");
    // An uncommitted edit in the work tree, which --at must not see or change.
    f.write(
        "people/bob/index.md",
        "---\nname: Bob Uncommitted\nteam: core\n---\n",
    );
    let status_before: Vec<String> = repo
        .statuses(None)
        .unwrap()
        .iter()
        .filter(|s| !s.status().is_ignored())
        .map(|s| format!("{:?} {}", s.status(), s.path().unwrap_or("")))
        .collect();

    let o = f.build(&["--at", "2026-03-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = f.site();
    let goal = site.page("/people/alice/goals/learn-rust/");
    assert!(
        goal.contains("Learn Rust") && !goal.contains("Learn Rust properly"),
        "the January version"
    );
    assert!(
        site.page("/people/bob/").contains("Bob Peeters"),
        "the committed profile, not the work tree"
    );

    let o = f.build(&["--at", "HEAD"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        f.site()
            .page("/people/alice/goals/learn-rust/")
            .contains("Learn Rust properly")
    );

    let status_after: Vec<String> = repo
        .statuses(None)
        .unwrap()
        .iter()
        .filter(|s| !s.status().is_ignored())
        .map(|s| format!("{:?} {}", s.status(), s.path().unwrap_or("")))
        .collect();
    assert_eq!(
        status_before, status_after,
        "the work tree and index are untouched"
    );
    assert!(
        std::fs::read_to_string(f.path().join("people/bob/index.md"))
            .unwrap()
            .contains("Uncommitted")
    );

    let o = f.build(&["--at", "2025-01-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no commit"), "{}", stderr(&o));
    let o = f.build(&["--at", "no-such-branch"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn changed_since_limits_diagnostics_to_what_a_pull_request_changes() {
    let f = Fixture::minimal();
    // A problem that is already on the main branch.
    f.write(
        "people/bob/goals/old.md",
        "---\ntitle: Old\nstatsu: active\n---\n",
    );
    let repo = Repository::init(f.path()).unwrap();
    let base = commit_all(&repo, "Bob", "bob@example.org", JAN, "Base");
    repo.branch("main-base", &repo.find_commit(base).unwrap(), true)
        .unwrap();
    // The pull request: one new broken file, committed, and one uncommitted edit.
    f.write(
        "people/alice/feedback/2026-06-01-from-bob.md",
        "---\nfrom: bobb\ndate: 2026-06-01\nkind: appreciation\n---\nThanks!\n",
    );
    commit_all(&repo, "Bob", "bob@example.org", JUN, "Feedback for Alice");
    f.write(
        "people/alice/goals/learn-rust.md",
        "---\ntitle: Learn Rust\nstatus: actve\n---\n",
    );

    let o = f.check(&["--changed-since", "main-base", "--format", "json"]);
    let diags: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<&str> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"people/alice/feedback/2026-06-01-from-bob.md"),
        "{files:?}"
    );
    assert!(
        files.contains(&"people/alice/goals/learn-rust.md"),
        "{files:?}"
    );
    assert!(
        !files.contains(&"people/bob/goals/old.md"),
        "pre-existing problems are not the PR's: {files:?}"
    );
    assert_eq!(o.status.code(), Some(1));

    let o = f.check(&["--only", "people/bob/goals/old.md", "--format", "json"]);
    let diags: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        diags
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["file"] == "people/bob/goals/old.md")
    );
    assert!(!diags.as_array().unwrap().is_empty());
}

#[test]
fn a_directory_that_is_not_a_git_repository_builds_and_at_says_why_not() {
    let f = Fixture::minimal();
    assert!(f.build(&[]).status.success());
    let o = f.build(&["--at", "HEAD"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not inside a git repository"),
        "{}",
        stderr(&o)
    );
}
