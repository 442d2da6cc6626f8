//! Git history in the site: timelines, renames, provenance, reviews, merges,
//! over repositories written by the tests with git2.

mod common;

use common::*;
use git2::{Repository, Signature, Time};

const DAY: i64 = 86_400;
const START: i64 = 1_767_225_600; // 2026-01-01

struct Repo {
    f: Fixture,
    repo: Repository,
}

impl Repo {
    fn new() -> Repo {
        let f = Fixture::minimal();
        let repo = Repository::init(f.path()).unwrap();
        Repo { f, repo }
    }

    /// Commits the work tree as `who` on day `day` of 2026.
    fn commit(&self, who: (&str, &str), day: i64, message: &str) -> git2::Oid {
        commit_all(&self.repo, who.0, who.1, START + day * DAY, message)
    }
}

const ALICE: (&str, &str) = ("Alice Janssens", "alice@example.org");
const BOB: (&str, &str) = ("Bob Peeters", "bob@example.org");
const EVE: (&str, &str) = ("Eve Outsider", "eve@elsewhere.example");

fn history_repo() -> Repo {
    let r = Repo::new();
    let f = &r.f;
    f.write("people/bob/index.md", "---\nname: Bob Peeters\nteam: core\nrole: Facilitator\nemails: [bob@example.org]\n---\nBob.\n");
    // Feedback comes later, from its authors.
    let fb_bob = std::fs::read_to_string(
        f.path()
            .join("people/alice/feedback/2026-03-04-from-bob.md"),
    )
    .unwrap();
    let fb_client = std::fs::read_to_string(
        f.path()
            .join("people/bob/feedback/2026-04-01-from-client.md"),
    )
    .unwrap();
    f.remove("people/alice/feedback/2026-03-04-from-bob.md");
    f.remove("people/bob/feedback/2026-04-01-from-client.md");
    r.commit(ALICE, 5, "Start our repository");
    f.write("people/alice/feedback/2026-03-04-from-bob.md", &fb_bob);
    r.commit(BOB, 62, "Feedback for Alice on her Rust goal");
    f.write("people/bob/feedback/2026-04-01-from-client.md", &fb_client);
    f.write(
        "people/bob/feedback/2026-05-01-from-alice.md",
        "---\nfrom: alice\ndate: 2026-05-01\nkind: appreciation\n---\nThanks Bob.\n",
    );
    r.commit(EVE, 120, "Add two pieces of feedback for Bob");

    // A change on a branch, merged through a pull request by Bob.
    {
        let main_tip = r.repo.head().unwrap().peel_to_commit().unwrap();
        f.write("people/alice/goals/learn-rust.md", "---\ntitle: Learn Rust\nkind: development\nsupports: teams/core/goals/faster-ci\nstatus: achieved\nprogress: 100\ndue: 2026-09-30\n---\nDone.\n\n## 2026-06-01\n\nShipped the tool.\n");
        let branch_commit = r.commit(
            ALICE,
            150,
            "Mark my Rust goal achieved\n\nReviewed-by: Bob Peeters <bob@example.org>\n",
        );
        // Merge commit with two parents: main tip and the branch commit.
        let tree = r.repo.find_commit(branch_commit).unwrap().tree().unwrap();
        let sig = Signature::new(BOB.0, BOB.1, &Time::new(START + 151 * DAY, 0)).unwrap();
        let branch = r.repo.find_commit(branch_commit).unwrap();
        let merge = r
            .repo
            .commit(
                None,
                &sig,
                &sig,
                "Merge pull request #7 from alice/rust-done\n\nMark Rust goal achieved",
                &tree,
                &[&main_tip, &branch],
            )
            .unwrap();
        let head_ref = r.repo.head().unwrap().name().unwrap().to_string();
        r.repo.reference(&head_ref, merge, true, "merge").unwrap();
    }

    // Bob reviews Alice's reflection through a trailer.
    f.write(
        "people/alice/reflections/2026-H1.md",
        "---\nperiod: 2026-H1\ndate: 2026-06-20\nreviewers: [bob]\n---\nMy half year, revised.\n",
    );
    r.commit(
        ALICE,
        172,
        "Revise my reflection\n\nReviewed-by: Bob Peeters <bob@example.org>\n",
    );

    // Rename the goal; its history must follow.
    std::fs::rename(
        f.path().join("people/alice/goals/learn-rust.md"),
        f.path().join("people/alice/goals/rust.md"),
    )
    .unwrap();
    let fb = std::fs::read_to_string(
        f.path()
            .join("people/alice/feedback/2026-03-04-from-bob.md"),
    )
    .unwrap();
    f.write(
        "people/alice/feedback/2026-03-04-from-bob.md",
        &fb.replace("goals/learn-rust", "goals/rust"),
    );
    let profile = std::fs::read_to_string(f.path().join("people/alice/index.md")).unwrap();
    f.write(
        "people/alice/index.md",
        &profile.replace("goals/learn-rust.md", "goals/rust.md"),
    );
    r.commit(ALICE, 200, "Shorter name for my Rust goal");
    r
}

#[test]
fn goal_pages_show_how_the_goal_changed_across_renames() {
    let r = history_repo();
    let o = r.f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let goal = r.f.site().page("/people/alice/goals/rust/");
    let hist = &goal[goal.find("id=\"h-history\"").expect("a history section")..];
    assert!(hist.contains("Shorter name for my Rust goal"));
    assert!(hist.contains("Mark my Rust goal achieved"));
    assert!(
        hist.contains("Start our repository"),
        "history from before the rename"
    );
    assert!(
        hist.contains("<code>status</code>: active → achieved"),
        "{hist}"
    );
    assert!(hist.contains("<code>progress</code>: 40 → 100"));
    assert!(hist.contains("<code>due</code>: — → 2026-09-30"));
    assert!(
        hist.contains("Reviewed by"),
        "reviewers from the trailer and the merge"
    );
    assert!(hist.contains("(#7)"), "the pull request that brought it in");
    // Every page says when it last changed and by whom.
    assert!(
        goal.contains("Last changed on <time datetime=\"2026-07-20\">"),
        "{}",
        &goal[goal.find("Last changed").unwrap_or(0)..][..200.min(goal.len())]
    );
    // The portfolio has an activity timeline.
    let alice = r.f.site().page("/people/alice/");
    assert!(alice.contains("id=\"h-activity\""));
}

#[test]
fn feedback_provenance_is_verified_by_the_committer() {
    let r = history_repo();
    assert!(r.f.build(&[]).status.success());
    let site = r.f.site();
    let verified = site.page("/people/alice/feedback/2026-03-04-from-bob/");
    assert!(
        verified.contains("confirmed by git"),
        "bob committed bob's feedback"
    );
    let unverified = site.page("/people/bob/feedback/2026-05-01-from-alice/");
    assert!(unverified.contains("not confirmed by git"));
    assert!(unverified.contains("Eve Outsider"));
    // check warns about both: the unverified feedback and the unknown author.
    let o = r.f.check(&["--format", "json"]);
    let diags: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<(&str, &str)> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert!(
        codes.contains(&("W107", "people/bob/feedback/2026-05-01-from-alice.md")),
        "{codes:?}"
    );
    assert!(codes.iter().any(|(c, _)| *c == "W108"), "{codes:?}");
    assert!(!codes.contains(&("W107", "people/alice/feedback/2026-03-04-from-bob.md")));
}

#[test]
fn reviewers_who_answered_through_a_review_are_shown() {
    let r = history_repo();
    assert!(r.f.build(&[]).status.success());
    let refl = r.f.site().page("/people/alice/reflections/2026-H1/");
    let reviewers = &refl[refl.find("class=\"reviewers\"").unwrap()..];
    let bob = &reviewers[..reviewers.find("</li>").unwrap()];
    assert!(
        bob.contains("Bob Peeters") && bob.contains("answered"),
        "{bob}"
    );
    assert!(refl.contains("Reviewed by"));
}

#[test]
fn subjects_of_commits_that_touch_hidden_documents_are_not_shown() {
    let r = history_repo();
    r.f.write(
        "people/alice/goals/secret.md",
        "---\ntitle: Secret plan\nvisibility: private\n---\nHidden.\n",
    );
    let goal = std::fs::read_to_string(r.f.path().join("people/alice/goals/rust.md")).unwrap();
    r.f.write(
        "people/alice/goals/rust.md",
        &goal.replace("Done.", "Done, really."),
    );
    r.commit(ALICE, 210, "Add SECRETSUBJECT plan and tweak rust goal");
    assert!(r.f.build(&[]).status.success());
    for file in r.f.site().files() {
        let text = read_text(&file);
        assert!(!text.contains("SECRETSUBJECT"), "{}", file.display());
        assert!(!text.contains("Secret plan"), "{}", file.display());
    }
    // With the person's own audience, the subject is shown.
    let o = r.f.build(&["--audience", "person:alice"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        r.f.site()
            .page("/people/alice/goals/rust/")
            .contains("SECRETSUBJECT")
    );
}

#[test]
fn without_git_or_in_a_shallow_clone_builds_work_and_say_so_once() {
    let f = Fixture::minimal();
    let o = f.build(&[]);
    assert!(o.status.success());
    assert_eq!(stderr(&o).matches("note: ").count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("not a git repository"));

    // A shallow clone of a repository with history.
    let r = history_repo();
    let tmp = tempfile::tempdir().unwrap();
    let clone = tmp.path().join("clone");
    let url = format!("file://{}", r.f.path().display());
    let status = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(&clone)
        .status()
        .expect("git is installed");
    assert!(status.success());
    let o = bin().arg("build").arg(&clone).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("shallow clone"), "{}", stderr(&o));
    let page = std::fs::read_to_string(
        clone.join("public/people/alice/feedback/2026-03-04-from-bob/index.html"),
    )
    .unwrap();
    assert!(
        page.contains("not known"),
        "provenance cannot be known in a shallow clone"
    );
}

#[test]
fn history_is_cached_and_a_new_commit_is_added_to_it() {
    let r = history_repo();
    assert!(r.f.build(&[]).status.success());
    let cache = r.f.path().join(".git/openfolio/history-v1.json");
    assert!(cache.is_file(), "the walk is cached inside .git");
    let goal = std::fs::read_to_string(r.f.path().join("people/alice/goals/rust.md")).unwrap();
    r.f.write(
        "people/alice/goals/rust.md",
        &goal.replace("progress: 100", "progress: 90"),
    );
    r.commit(BOB, 230, "Correct the progress of Alice's goal");
    assert!(r.f.build(&[]).status.success());
    let page = r.f.site().page("/people/alice/goals/rust/");
    assert!(
        page.contains("Correct the progress"),
        "the new commit is read"
    );
    assert!(
        page.contains("<code>progress</code>: 100 → 90"),
        "field changes continue from the cached state"
    );
    assert!(
        page.contains("Start our repository"),
        "older history still comes from the cache"
    );
    // A corrupt cache is ignored, never fatal.
    std::fs::write(&cache, "not json").unwrap();
    assert!(r.f.build(&[]).status.success());
    assert!(
        r.f.site()
            .page("/people/alice/goals/rust/")
            .contains("Correct the progress")
    );
}

#[test]
fn the_history_is_the_same_whatever_the_chunk_of_commits_read_side_by_side() {
    use openfolio::history::History;
    let r = history_repo();
    // Two more commits, so that chunks end inside runs of edits to one goal.
    let goal = std::fs::read_to_string(r.f.path().join("people/alice/goals/rust.md")).unwrap();
    r.f.write(
        "people/alice/goals/rust.md",
        &goal.replace("progress: 100", "progress: 80"),
    );
    r.commit(BOB, 210, "Lower the progress");
    r.f.write(
        "people/alice/goals/rust.md",
        &goal.replace("status: achieved", "status: active"),
    );
    r.commit(ALICE, 220, "Back to active");
    let emails: std::collections::HashMap<String, String> = [
        ("alice@example.org".to_string(), "alice".to_string()),
        ("bob@example.org".to_string(), "bob".to_string()),
    ]
    .into();
    let cache = r.f.path().join(".git/openfolio");
    let read = |chunk: usize| {
        let _ = std::fs::remove_dir_all(&cache);
        let h = History::collect_in_chunks(r.f.path(), None, &emails, chunk);
        assert!(h.notes.is_empty(), "{:?}", h.notes);
        let files: std::collections::BTreeMap<_, _> = h.files.iter().collect();
        (
            serde_json::to_string(&h.commits).unwrap(),
            serde_json::to_string(&files).unwrap(),
            h.shallow_root,
        )
    };
    let whole = read(4096);
    assert!(whole.0.contains("Merge pull request #7"), "{}", whole.0);
    assert!(
        whole.1.contains("people/alice/goals/rust.md"),
        "the renamed goal keeps its history"
    );
    for chunk in [1, 2, 3] {
        assert_eq!(read(chunk), whole, "chunks of {chunk} commits");
    }
}
