//! Builds `example-org/` with the real binary and checks the site a reader gets.

mod common;

use std::path::Path;

use common::*;

fn build_example(out: &Path, extra: &[&str]) -> Site {
    let o = bin()
        .arg("build")
        .arg(example_org())
        .arg("--output")
        .arg(out)
        .args(["--today", "2026-11-23"])
        .args(extra)
        .output()
        .expect("run");
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    Site {
        root: out.to_path_buf(),
        base: "/".into(),
    }
}

/// Every Markdown document of the example, its id, and whether it is meant
/// for the whole organization.
fn documents() -> Vec<(String, bool)> {
    let root = example_org();
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e
            .path()
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let top = rel.split('/').next().unwrap_or("");
        if !rel.ends_with(".md") || !["people", "teams", "objectives", "pay"].contains(&top) {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let front = text.split("\n---").next().unwrap_or("");
        let org_visible =
            !front.contains("\nvisibility: team") && !front.contains("\nvisibility: private");
        let id = rel
            .strip_suffix("/index.md")
            .or_else(|| rel.strip_suffix(".md"))
            .unwrap()
            .to_string();
        out.push((id, org_visible));
    }
    assert!(out.len() > 80, "example-org has its documents");
    out
}

#[test]
fn every_document_has_its_page_and_every_link_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_example(&tmp.path().join("site"), &[]);
    for (id, visible) in documents() {
        let page = format!("/{id}/");
        assert_eq!(
            site.exists(&page),
            visible,
            "page {page} (visible to org: {visible})"
        );
    }
    for page in [
        "/",
        "/people/",
        "/teams/",
        "/objectives/",
        "/how-it-works/",
        "/pay/",
        "/404.html",
        "/style.css",
    ] {
        assert!(site.exists(page), "{page}");
    }
    let broken = site.broken_links();
    assert!(broken.is_empty(), "broken internal links: {broken:#?}");
    assert!(
        site.exists("/handbook/feedback-guide.txt"),
        "static files are copied"
    );
}

#[test]
fn a_portfolio_tells_the_story_of_a_person() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_example(&tmp.path().join("site"), &[]);
    let alice = site.page("/people/alice/");
    assert!(alice.contains("<h1>Alice Janssens</h1>"));
    // Goals grouped by status, with what they support and a progress bar.
    let active = alice.find(">Active <").expect("active group");
    let achieved = alice.find(">Achieved <").expect("achieved group");
    assert!(active < achieved);
    assert!(alice.contains("Bring the main pipeline under ten minutes"));
    assert!(alice.contains(r#"href="/teams/platform/goals/faster-ci/""#));
    assert!(alice.contains("progress-fill"));
    // Reflections with reviewers, feedback received and given, coach.
    assert!(alice.contains(r#"href="/people/alice/reflections/2026-H1/""#));
    assert!(alice.contains("Reviewers chosen"));
    assert!(alice.contains(r#"<dt>Coach</dt><dd><a href="/people/bob/">Bob Peeters</a>"#));
    let received = alice.find("id=\"feedback-received\"").unwrap();
    let given = alice.find("id=\"feedback-given\"").unwrap();
    assert!(received < given);
    // Relative Markdown links in the body became page URLs.
    assert!(alice.contains(r#"href="/people/alice/goals/faster-pipelines/""#));
    assert!(!alice.contains(".md\""), "no link to a .md file remains");
}

#[test]
fn feedback_given_is_derived_from_every_from() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_example(&tmp.path().join("site"), &[]);
    // Every org-visible feedback document from bob appears on bob's page.
    let bob = site.page("/people/bob/");
    let given = &bob[bob.find("id=\"feedback-given\"").unwrap()..];
    let root = example_org().join("people");
    let mut count = 0;
    for e in walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
    {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if e.path().to_string_lossy().contains("/feedback/")
            && text.contains("\nfrom: bob\n")
            && !text.contains("visibility: private")
            && !text.contains("visibility: team")
        {
            let rel = e
                .path()
                .strip_prefix(example_org())
                .unwrap()
                .to_string_lossy()
                .replace(".md", "/");
            assert!(
                given.contains(&format!("href=\"/{rel}\"")),
                "{rel} in bob's feedback given"
            );
            count += 1;
        }
    }
    assert!(count > 0);
}

#[test]
fn goal_pages_show_checkins_as_a_dated_timeline() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_example(&tmp.path().join("site"), &[]);
    let goal = site.page("/people/alice/goals/faster-pipelines/");
    assert!(goal.contains("class=\"timeline\""));
    let start = goal.find("class=\"timeline\"").unwrap();
    let timeline = &goal[start..start + goal[start..].find("</ol>").unwrap()];
    let tl_dates: Vec<String> = attributes(timeline, &["datetime"])
        .into_iter()
        .filter(|d| d.starts_with("2026"))
        .collect();
    assert!(tl_dates.len() >= 2, "{tl_dates:?}");
    let mut sorted = tl_dates.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(tl_dates, sorted, "newest first");
}

#[test]
fn objectives_roll_up_team_and_personal_goals() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_example(&tmp.path().join("site"), &[]);
    let page = site.page("/objectives/");
    assert!(page.contains(r#"href="/teams/platform/goals/faster-ci/""#));
    assert!(page.contains(r#"href="/people/alice/goals/faster-pipelines/""#));
    let home = site.page("/");
    assert!(home.contains("Brightwork Cooperative"));
    assert!(home.contains("Recent activity"));
}

#[test]
fn documents_outside_the_audience_leave_no_trace() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_example(&tmp.path().join("site"), &[]);
    let hidden: Vec<String> = documents()
        .into_iter()
        .filter(|(_, v)| !v)
        .map(|(id, _)| id)
        .collect();
    assert!(!hidden.is_empty());
    for file in site.files() {
        let text = read_text(&file);
        for id in &hidden {
            assert!(
                !text.contains(id.as_str()),
                "{id} appears in {}",
                file.display()
            );
        }
    }
    // A team audience sees its team's documents.
    let tmp2 = tempfile::tempdir().unwrap();
    let team = build_example(&tmp2.path().join("site"), &["--audience", "team:data"]);
    assert!(team.exists("/teams/data/goals/client-churn-model/"));
    assert!(!team.exists("/people/chen/goals/speak-up-in-planning/"));
    let chen = build_example(&tmp2.path().join("chen"), &["--audience", "person:chen"]);
    assert!(chen.exists("/people/chen/goals/speak-up-in-planning/"));
}

#[test]
fn the_site_works_under_a_sub_path() {
    let tmp = tempfile::tempdir().unwrap();
    let mut site = build_example(
        &tmp.path().join("site"),
        &["--base-url", "https://pages.example/org/people/"],
    );
    site.base = "/org/people/".into();
    let home = site.page("/");
    assert!(home.contains(r#"href="/org/people/style.css""#));
    let broken = site.broken_links();
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn example_org_checks_clean() {
    let o = bin()
        .arg("check")
        .arg(example_org())
        .arg("--deny-warnings")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn every_chart_has_a_text_alternative() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_example(&tmp.path().join("site"), &[]);
    let mut charts = 0;
    for file in site.html_files() {
        let html = std::fs::read_to_string(&file).unwrap();
        for (i, _) in html.match_indices("<figure class=\"chart") {
            let figure = &html[i..i + html[i..].find("</figure>").unwrap()];
            let svg = &figure[figure.find("<svg").unwrap()..];
            assert!(
                svg.contains("role=\"img\"") && svg.contains("aria-label=\""),
                "{}",
                file.display()
            );
            assert!(svg.contains("<title>"), "{}", file.display());
            let text_alternative = figure.contains("<table")
                || figure.contains("<ul class=\"visually-hidden\">")
                || figure.contains("The table below");
            assert!(
                text_alternative,
                "chart without its numbers in {}",
                file.display()
            );
            charts += 1;
        }
    }
    assert!(
        charts > 12 + 3 + 3,
        "a timeline per person, a chart per team and objective, the pay bands: {charts}"
    );
}
