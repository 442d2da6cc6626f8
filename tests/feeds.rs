//! Atom feeds, the sitemap and the JSON export of example-org.

mod common;

use common::*;

fn build() -> (tempfile::TempDir, Site) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = bin()
        .arg("build")
        .arg(example_org())
        .arg("--output")
        .arg(&out)
        .args(["--today", "2026-11-23"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    (
        tmp,
        Site {
            root: out,
            base: "/".into(),
        },
    )
}

#[test]
fn feeds_are_valid_atom_and_linked_from_their_pages() {
    let (_tmp, site) = build();
    let mut feeds = 0;
    for file in site
        .files()
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "feed.xml"))
    {
        let text = std::fs::read_to_string(&file).unwrap();
        let feed: atom_syndication::Feed = text
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(!feed.title().is_empty());
        assert!(feed.links().iter().any(|l| l.rel() == "self"));
        for e in feed.entries() {
            assert!(!e.id().is_empty() && !e.title().is_empty());
            assert!(
                e.links()
                    .iter()
                    .any(|l| l.href().starts_with("https://people.brightwork.example/"))
            );
        }
        feeds += 1;
    }
    assert_eq!(
        feeds,
        1 + 3 + 12,
        "one for the organization, each team and each person"
    );
    let org: atom_syndication::Feed = site.page("/feed.xml").parse().unwrap();
    assert!(org.entries().len() >= 20);
    assert!(org.entries().iter().any(|e| e.title().contains("Feedback")));
    // Newest first.
    let dates: Vec<String> = org
        .entries()
        .iter()
        .map(|e| e.updated().to_rfc3339())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert!(site.page("/people/alice/").contains(
        r#"type="application/atom+xml" title="Alice Janssens" href="/people/alice/feed.xml""#
    ));
    assert!(
        site.page("/teams/platform/")
            .contains(r#"href="/teams/platform/feed.xml""#)
    );
    let alice: atom_syndication::Feed = site.page("/people/alice/feed.xml").parse().unwrap();
    assert!(
        alice.entries().iter().all(|e| !e.title().contains("Inês")),
        "a person's feed is about them"
    );
}

#[test]
fn the_sitemap_lists_every_page() {
    let (_tmp, site) = build();
    let sitemap = site.page("/sitemap.xml");
    let locs = sitemap.matches("<loc>").count();
    let pages = site.html_files().len() - 1; // all but 404.html
    assert_eq!(locs, pages);
    assert!(sitemap.contains("<loc>https://people.brightwork.example/people/alice/</loc>"));
}

#[test]
fn the_json_export_holds_what_the_site_shows() {
    let (_tmp, site) = build();
    let v: serde_json::Value = serde_json::from_str(&site.page("/data/org.json")).unwrap();
    assert_eq!(v["schema"], "openfolio.export/1");
    assert_eq!(v["people"].as_array().unwrap().len(), 12);
    let alice = v["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["card"]["handle"] == "alice")
        .unwrap();
    assert_eq!(alice["card"]["name"], "Alice Janssens");
    assert!(
        alice["pay"]["monthly"].as_str().is_some(),
        "individual pay is published in example-org"
    );
    assert!(
        v["goals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["card"]["id"] == "people/alice/goals/faster-pipelines")
    );
    assert!(
        !site.page("/data/org.json").contains('<'),
        "no raw < in JSON"
    );
    // The same data on the command line.
    let o = bin()
        .arg("export")
        .arg(example_org())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let cli: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(cli["people"].as_array().unwrap().len(), 12);
}
