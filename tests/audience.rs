//! Audiences: a document outside the audience leaves no trace in any output
//! file. Every hidden document carries a unique marker; every byte of every
//! output is scanned for it, for every audience.

mod common;

use common::*;

/// A fixture with documents of every visibility, each with a marker in its
/// title and body, and links to them from visible documents.
fn fixture() -> (Fixture, Vec<(&'static str, &'static str)>) {
    let f = Fixture::minimal();
    f.write(
        "teams/data/index.md",
        "---\nname: Data\nmission: Numbers.\nfacilitators: [carol]\n---\nData team.\n",
    );
    f.write(
        "people/carol/index.md",
        "---\nname: Carol Data\nteam: data\nrole: Analyst\n---\nCarol.\n",
    );
    // (marker, who may see it): "team:core", "team:data", "person:alice", "person:carol".
    let docs: Vec<(&str, &str, &str)> = vec![
        (
            "people/alice/goals/team-goal-mk.md",
            "---\ntitle: Core plan MARKERCORETEAM\nvisibility: team\n---\nBody MARKERCORETEAM.\n",
            "team:core",
        ),
        (
            "people/alice/goals/private-mk.md",
            "---\ntitle: Private MARKERALICEPRIV\nvisibility: private\n---\nBody MARKERALICEPRIV.\n",
            "person:alice",
        ),
        (
            "people/carol/goals/data-mk.md",
            "---\ntitle: Data plan MARKERDATATEAM\nvisibility: team\n---\nBody MARKERDATATEAM.\n",
            "team:data",
        ),
        (
            "people/carol/feedback/2026-05-01-from-alice.md",
            "---\nfrom: alice\ndate: 2026-05-01\nkind: suggestion\nvisibility: private\n---\nMARKERCAROLPRIVFB\n",
            "person:carol",
        ),
        (
            "people/alice/reflections/2026-H2.md",
            "---\nperiod: 2026-H2\ndate: 2026-11-01\nreviewers: [bob]\nvisibility: private\n---\nMARKERALICEREFL\n",
            "person:alice",
        ),
        (
            "teams/data/goals/secret-mk.md",
            "---\ntitle: Data team goal MARKERDATATG\nsupports: objectives/grow\nvisibility: team\n---\nMARKERDATATG\n",
            "team:data",
        ),
        (
            "people/alice/requests/ask-mk.md",
            "---\ntitle: Ask MARKERREQUEST\ndate: 2026-05-01\nasked: [bob]\nvisibility: private\n---\nMARKERREQUEST\n",
            "person:alice",
        ),
    ];
    let mut markers = Vec::new();
    for (path, text, who) in &docs {
        f.write(path, text);
        let marker = text
            .split_whitespace()
            .find(|w| w.starts_with("MARKER"))
            .unwrap();
        markers.push((
            Box::leak(marker.trim_end_matches('.').to_string().into_boxed_str()) as &str,
            *who,
        ));
    }
    // Visible documents link to the hidden ones and are about them.
    f.write("people/bob/feedback/2026-06-01-from-alice.md", "---\nfrom: alice\ndate: 2026-06-01\nkind: appreciation\n---\nSee [the plan](../../alice/goals/private-mk.md) and [data](../../carol/goals/data-mk.md).\n");
    f.write("people/alice/goals/learn-rust.md", "---\ntitle: Learn Rust\nkind: development\nsupports: teams/core/goals/faster-ci\nprogress: 40\n---\nSee [secret](private-mk.md).\n");
    (f, markers)
}

fn scan(f: &Fixture) -> String {
    let mut all = String::new();
    for file in f.site().files() {
        all.push_str(&read_text(&file));
        all.push_str(&file.display().to_string());
    }
    all
}

#[test]
fn every_audience_sees_exactly_its_documents() {
    let (f, markers) = fixture();
    let o = f.check(&["--deny-warnings"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for audience in [
        "org",
        "team:core",
        "team:data",
        "person:alice",
        "person:carol",
        "person:bob",
    ] {
        let o = f.build(&["--audience", audience]);
        assert!(o.status.success(), "{audience}: {}", stderr(&o));
        let all = scan(&f);
        for (marker, who) in &markers {
            let person_team = match audience {
                "person:alice" | "person:bob" => "team:core",
                "person:carol" => "team:data",
                _ => "",
            };
            let visible = *who == audience || *who == person_team;
            assert_eq!(
                all.contains(marker),
                visible,
                "{marker} (for {who}) with --audience {audience}"
            );
        }
        let broken = f.site().broken_links();
        assert!(broken.is_empty(), "{audience}: {broken:?}");
    }
}

#[test]
fn links_to_hidden_documents_become_plain_text() {
    let (f, _) = fixture();
    assert!(f.build(&[]).status.success());
    let fb = f.site().page("/people/bob/feedback/2026-06-01-from-alice/");
    assert!(fb.contains("See the plan and data."), "{fb}");
    assert!(!fb.contains("private-mk"));
}

#[test]
fn every_safe_in_the_theme_prints_sanitized_html() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, _) in text.match_indices("| safe") {
            let before = &text[..i];
            let expr = before[before.rfind("{{").unwrap() + 2..].trim();
            assert!(
                expr.ends_with("_html"),
                "{}: `{expr} | safe` prints something that is not sanitized HTML",
                path.display()
            );
        }
    }
}
