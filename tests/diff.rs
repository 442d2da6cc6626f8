//! `openfolio diff`: what changed between two revisions, in domain words,
//! including the effect of a pay-rule change on everyone's pay.

mod common;

use common::*;
use git2::Repository;

const RULES: &str = "currency: EUR\nper: month\npublish: individual\nbase:\n  by: level\n  table: { L1: 2800, L3: 3900 }\nscale_by: fte\nround_to: 1\nbonus:\n  pool: 1000\n  eligible: { min_months: 0, as_of: 2026-12-31 }\n  split: equal\n";

#[test]
fn a_pay_rule_change_is_reviewed_by_its_effect() {
    let f = Fixture::minimal();
    f.write("people/bob/index.md", "---\nname: Bob Peeters\nteam: core\nrole: Facilitator\nlevel: L1\nstart: 2020-01-01\n---\nBob.\n");
    f.write("pay/rules.yaml", RULES);
    let repo = Repository::init(f.path()).unwrap();
    commit_all(&repo, "Alice", "alice@example.org", 1_767_225_600, "Start");
    f.write("pay/rules.yaml", &RULES.replace("L3: 3900", "L3: 4000"));
    f.write("people/alice/goals/learn-rust.md", "---\ntitle: Learn Rust\nkind: development\nsupports: teams/core/goals/faster-ci\nstatus: achieved\nprogress: 100\n---\nDone.\n");
    f.write(
        "people/alice/goals/new-goal.md",
        "---\ntitle: Teach Rust\nkind: contribution\n---\nNext.\n",
    );
    f.write(
        "people/alice/feedback/2026-06-01-from-bob.md",
        "---\nfrom: bob\ndate: 2026-06-01\nkind: appreciation\n---\nThanks.\n",
    );
    commit_all(
        &repo,
        "Alice",
        "alice@example.org",
        1_767_225_600 + 86_400 * 100,
        "Raise L3 and achieve a goal",
    );

    let o = bin()
        .args(["diff", "HEAD~1", "HEAD", "-C"])
        .arg(f.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("Goals added:\n  Teach Rust (people/alice/goals/new-goal): active"),
        "{out}"
    );
    assert!(
        out.contains(
            "Goals achieved:\n  Learn Rust (people/alice/goals/learn-rust): active → achieved"
        ),
        "{out}"
    );
    assert!(out.contains("alice: 1 new"), "{out}");
    assert!(out.contains("pay/rules.yaml changed"), "{out}");
    assert!(
        out.contains("Alice Janssens") && out.contains("3900.00 → 4000.00 (+100.00)"),
        "{out}"
    );
    assert!(
        !out.contains("Bob Peeters"),
        "bob's pay did not change: {out}"
    );

    let o = bin()
        .args(["diff", "HEAD~1", "--format", "markdown", "-C"])
        .arg(f.path())
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(
        md.contains("| Alice Janssens | 3900.00 | 4000.00 | +100.00 |"),
        "{md}"
    );
    assert!(md.contains("**Goals achieved**"), "{md}");

    // Nothing changed between a revision and itself.
    let o = bin()
        .args(["diff", "HEAD", "HEAD", "-C"])
        .arg(f.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("nothing that changes"));
}

#[test]
fn diff_output_keeps_hidden_documents_and_unpublished_pay_out() {
    let f = Fixture::minimal();
    f.write(
        "pay/rules.yaml",
        &RULES.replace("publish: individual", "publish: rules"),
    );
    let repo = Repository::init(f.path()).unwrap();
    commit_all(&repo, "Alice", "alice@example.org", 1_767_225_600, "Start");
    f.write(
        "people/alice/goals/private-plan.md",
        "---\ntitle: MARKERPRIVATE plan\nvisibility: private\n---\n",
    );
    f.write(
        "pay/rules.yaml",
        &RULES
            .replace("publish: individual", "publish: rules")
            .replace("L3: 3900", "L3: 4000"),
    );
    commit_all(
        &repo,
        "Alice",
        "alice@example.org",
        1_767_225_600 + 86_400,
        "Private plan and a raise",
    );
    let o = bin()
        .args(["diff", "HEAD~1", "HEAD", "--format", "markdown", "-C"])
        .arg(f.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("MARKERPRIVATE"), "{out}");
    assert!(!out.contains("4000.00"), "{out}");
    assert!(
        stderr(&o).contains("amounts are not listed"),
        "{}",
        stderr(&o)
    );
}
