//! `openfolio build` over small repositories written by the tests: links,
//! themes, safe output.

mod common;

use common::*;

#[test]
fn a_minimal_org_builds_and_links_resolve() {
    let f = Fixture::minimal();
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = f.site();
    for page in [
        "/",
        "/people/alice/",
        "/people/bob/",
        "/teams/core/",
        "/teams/core/goals/faster-ci/",
        "/objectives/grow/",
        "/people/alice/goals/learn-rust/",
        "/people/alice/reflections/2026-H1/",
        "/people/alice/feedback/2026-03-04-from-bob/",
        "/people/bob/feedback/2026-04-01-from-client/",
    ] {
        assert!(site.exists(page), "{page}");
    }
    assert!(site.broken_links().is_empty(), "{:?}", site.broken_links());
    let goal = site.page("/people/alice/goals/learn-rust/");
    assert!(
        goal.contains(r#"<a href="/teams/core/goals/faster-ci/""#),
        "relative link rewritten"
    );
    assert!(goal.contains("First steps"));
    // The team goal has no progress of its own: rolled up from Alice's 40%.
    let team = site.page("/teams/core/goals/faster-ci/");
    assert!(team.contains("40%"), "rolled-up progress");
    // External feedback shows who wrote it.
    let bob = site.page("/people/bob/");
    assert!(bob.contains("Client X"));
    // Feedback given by bob is on bob's page; reviewers are on the reflection.
    assert!(bob.contains(r#"href="/people/alice/feedback/2026-03-04-from-bob/""#));
    let refl = site.page("/people/alice/reflections/2026-H1/");
    assert!(refl.contains("Bob Peeters"));
    assert!(site.page("/404.html").contains("Page not found"));
}

/// A link finds its document by the document's file: a goal whose name
/// ends in `index` is not the folder's `index.md`, and a profile is.
#[test]
fn links_to_files_named_like_an_index_resolve() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/search-index.md",
        "---\ntitle: Fix the search index\nkind: contribution\nstatus: active\n---\nBack to [my profile](../index.md) and [the team](../../../teams/core/index.md).\n",
    );
    f.write(
        "people/alice/reflections/2026-H1.md",
        "---\nperiod: 2026-H1\ndate: 2026-06-20\nreviewers: [bob]\n---\nSee [the index goal](../goals/search-index.md).\n",
    );
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = f.site();
    let goal = site.page("/people/alice/goals/search-index/");
    assert!(goal.contains(r#"<a href="/people/alice/" rel"#), "{goal}");
    assert!(goal.contains(r#"<a href="/teams/core/" rel"#), "{goal}");
    let reflection = site.page("/people/alice/reflections/2026-H1/");
    assert!(
        reflection.contains(r#"<a href="/people/alice/goals/search-index/" rel"#),
        "{reflection}"
    );
    assert!(site.broken_links().is_empty(), "{:?}", site.broken_links());
}

#[test]
fn a_failed_build_leaves_the_previous_site_byte_for_byte() {
    let f = Fixture::minimal();
    assert!(f.build(&[]).status.success());
    let site = f.site();
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = site
        .files()
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    f.write(
        "people/alice/index.md",
        "---\nname: Alice\nteam: nowhere\n---\n",
    );
    let o = f.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("previous site is unchanged"));
    let after: Vec<(std::path::PathBuf, Vec<u8>)> = site
        .files()
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    assert_eq!(before, after);
    // No staging directory is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(f.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("openfolio"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_directory_guards() {
    let f = Fixture::minimal();
    // The repository itself, or a directory containing it.
    let o = f.build(&["--output", f.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("repository itself"), "{}", stderr(&o));
    let parent = f.path().parent().unwrap().to_str().unwrap().to_string();
    assert_eq!(f.build(&["--output", &parent]).status.code(), Some(2));
    // A directory with files openfolio did not write.
    f.write("mine/notes.txt", "keep me");
    let mine = f.path().join("mine");
    let o = f.build(&["--output", mine.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "keep me"
    );
    // With --force the site is written and the user's files are kept aside.
    let o = f.build(&["--output", mine.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(mine.join("index.html").is_file());
    let backup = std::fs::read_dir(f.path())
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("mine.backup-"))
        .expect("backup kept");
    assert_eq!(
        std::fs::read_to_string(backup.path().join("notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn the_output_is_never_read_as_content() {
    let f = Fixture::minimal();
    assert!(f.build(&[]).status.success());
    // Plant a Markdown file in the output: it must not be read.
    f.write("public/people/x/index.md", "---\nbroken: [\n---\n");
    let o = f.check(&["--deny-warnings"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Even an output elsewhere inside the repository, once built, is skipped.
    assert!(
        f.build(&["--output", f.path().join("site").to_str().unwrap()])
            .status
            .success()
    );
    f.write("site/stray.md", "---\n---\n");
    assert!(f.check(&["--deny-warnings"]).status.success());
}

#[test]
fn templates_and_static_files_can_be_overridden_from_the_repository() {
    let f = Fixture::minimal();
    f.write("templates/person.html", "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">Custom portfolio of {{ person.name }}</p>{% endblock content %}");
    f.write("static/style.css", "body { color: black; }");
    f.write("static/files/guide.txt", "guide");
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = f.site();
    assert!(
        site.page("/people/alice/")
            .contains("Custom portfolio of Alice Janssens")
    );
    assert_eq!(site.page("/style.css"), "body { color: black; }");
    assert_eq!(site.page("/files/guide.txt"), "guide");
    // Other pages still use the default theme.
    assert!(site.page("/teams/core/").contains("Core"));
}

#[test]
fn an_org_can_name_its_own_theme() {
    let f = Fixture::minimal();
    f.write(
        "org.yaml",
        &MINIMAL_ORG.replace("language: en\n", "language: en\ntheme: plain\n"),
    );
    f.write("themes/plain/templates/index.html", "{% extends \"base.html\" %}{% block content %}<h1>Plain home of {{ site.name }}</h1>{% endblock content %}");
    f.write("themes/plain/static/extra.css", "/* extra */");
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(f.site().page("/").contains("Plain home of Test Co"));
    assert!(f.site().exists("/extra.css"));
    // A theme that does not exist is a clear error.
    f.write(
        "org.yaml",
        &MINIMAL_ORG.replace("language: en\n", "language: en\ntheme: missing\n"),
    );
    let o = f.build(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("theme `missing` not found"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_template_error_names_the_template_and_keeps_the_site() {
    let f = Fixture::minimal();
    assert!(f.build(&[]).status.success());
    let before = std::fs::read(f.path().join("public/index.html")).unwrap();
    f.write("templates/index.html", "{% extends \"base.html\" %}{% block content %}{{ nosuchvariable.x }}{% endblock content %}");
    let o = f.build(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("index.html"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(f.path().join("public/index.html")).unwrap(),
        before
    );
}

#[test]
fn content_cannot_inject_script() {
    let f = Fixture::minimal();
    f.write("people/alice/goals/evil.md", "---\ntitle: \"</title><script>alert(1)</script>\"\nkind: development\n---\n<script>alert(2)</script>\n\n<img src=x onerror=alert(3)>\n\n[a](javascript:alert(4)) [b](&#106;avascript:alert(5))\n\n<svg><script>alert(6)</script></svg>\n");
    f.write("people/bob/feedback/2026-05-05-from-alice.md", "---\nfrom: alice\ndate: 2026-05-05\nkind: appreciation\ncontext: javascript:alert(7)\n---\nHi\n");
    let o = f.build(&[]);
    // The javascript: context is an error, so fix it and build.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    f.write(
        "people/bob/feedback/2026-05-05-from-alice.md",
        "---\nfrom: alice\ndate: 2026-05-05\nkind: appreciation\n---\nHi\n",
    );
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for file in f.site().html_files() {
        let html = std::fs::read_to_string(&file).unwrap().to_lowercase();
        for bad in ["<script>alert", "onerror", "javascript:", "<svg><script"] {
            assert!(!html.contains(bad), "{bad} in {}", file.display());
        }
    }
    assert!(
        f.site()
            .page("/people/alice/goals/evil/")
            .contains("&lt;/title&gt;&lt;script&gt;")
    );
}

#[test]
fn file_names_with_spaces_and_unicode_give_valid_urls() {
    let f = Fixture::minimal();
    f.write("static/files/Feedback guide é.txt", "guide");
    f.write("people/bob/index.md", "---\nname: Bob Peeters\nteam: core\n---\nRead [the guide](../../static/files/Feedback%20guide%20%C3%A9.txt) and [again](<../../static/files/Feedback guide é.txt>).\n");
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bob = f.site().page("/people/bob/");
    assert!(
        bob.contains(r#"href="/files/Feedback%20guide%20%C3%A9.txt""#),
        "{bob}"
    );
    assert!(f.path().join("public/files/Feedback guide é.txt").is_file());
    // A person folder named with spaces is a clear error, not a broken site.
    f.write(
        "people/Jan Janssens/index.md",
        "---\nname: Jan\nteam: core\n---\n",
    );
    let o = f.check(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("jan-janssens"), "{}", stderr(&o));
}

#[test]
fn codeowners_makes_people_owners_of_their_folders() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/index.md",
        "---\nname: Alice Janssens\nteam: core\nforge: alice-j\n---\nAlice.\n",
    );
    f.write(
        "people/bob/index.md",
        "---\nname: Bob Peeters\nteam: core\nforge: bpeeters\n---\nBob.\n",
    );
    f.write(
        "org.yaml",
        &format!("{MINIMAL_ORG}pay_owners: [treasurer]\n"),
    );
    let o = bin().arg("codeowners").arg(f.path()).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(f.path().join("CODEOWNERS")).unwrap();
    assert!(text.contains("/people/alice/ @alice-j"));
    assert!(text.contains("/teams/core/ @bpeeters"));
    assert!(text.contains("/pay/ @treasurer"));
    // Run again: replaces its own file.
    assert!(
        bin()
            .arg("codeowners")
            .arg(f.path())
            .output()
            .unwrap()
            .status
            .success()
    );
    // A person without a forge name is a warning once CODEOWNERS is used.
    f.write(
        "people/carol/index.md",
        "---\nname: Carol\nteam: core\n---\n",
    );
    let o = f.check(&["--format", "json"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("W109"));
    // A hand-written CODEOWNERS is never overwritten.
    f.write("CODEOWNERS", "* @someone\n");
    let o = bin().arg("codeowners").arg(f.path()).output().unwrap();
    assert!(!o.status.success());
    assert_eq!(
        std::fs::read_to_string(f.path().join("CODEOWNERS")).unwrap(),
        "* @someone\n"
    );
}

#[test]
fn the_cycle_and_what_is_due_follow_today() {
    let f = Fixture::minimal();
    let org = MINIMAL_ORG.replace(
        "  - id: goal-setting\n    name: Goal setting\n    when: January",
        "  - id: year-reflection\n    name: Year reflection\n    when: December",
    );
    f.write("org.yaml", &org);
    f.write("people/alice/reflections/2025.md", "---\nperiod: 2025\ndate: 2025-12-10\nreviewers: [bob]\nmoment: year-reflection\n---\nLast year.\n");
    f.write("people/alice/requests/demo.md", "---\ntitle: How was my demo?\ndate: 2026-11-01\nasked: [bob]\nuntil: 2026-12-31\nstatus: open\n---\nTell me.\n");
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let alice = f.site().page("/people/alice/");
    assert!(
        alice.contains("Write your reflection for Year reflection (December)"),
        "{alice}"
    );
    let bob = f.site().page("/people/bob/");
    assert!(bob.contains("Alice Janssens asks for your feedback: How was my demo?"));
    let how = f.site().page("/how-it-works/");
    assert!(how.contains("Next: <strong>Year reflection</strong>"));
    assert!(how.contains("class=\"chart-today\""));
    // Once Bob answers the request, it is no longer asked of him.
    f.write("people/alice/feedback/2026-11-20-from-bob.md", "---\nfrom: bob\ndate: 2026-11-20\nkind: appreciation\nrequest: people/alice/requests/demo\n---\nGreat demo.\n");
    assert!(f.build(&[]).status.success());
    assert!(
        !f.site()
            .page("/people/bob/")
            .contains("asks for your feedback")
    );
    let request = f.site().page("/people/alice/requests/demo/");
    assert!(request.contains("answered"));
    // In January, nothing is due for the December reflection.
    let o = bin()
        .arg("build")
        .arg(f.path())
        .args(["--today", "2026-03-01"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(
        !f.site()
            .page("/people/alice/")
            .contains("Write your reflection")
    );
}

#[test]
fn a_language_is_added_with_one_file() {
    let f = Fixture::minimal();
    f.write(
        "org.yaml",
        &MINIMAL_ORG.replace("language: en", "language: fr"),
    );
    f.write("i18n/fr.yaml", "nav:\n  people: Personnes\nmonths: [janvier, février, mars, avril, mai, juin, juillet, août, septembre, octobre, novembre, décembre]\n");
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = f.site().page("/");
    assert!(home.contains(">Personnes</a>"), "the added word");
    assert!(home.contains(">Teams</a>"), "English fills the gaps");
    assert!(home.contains("23 novembre 2026"));
    assert!(home.contains("lang=\"fr\""));
}

#[test]
fn an_org_can_change_single_words() {
    let f = Fixture::minimal();
    f.write("i18n/en.yaml", "nav:\n  people: Colleagues\n");
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = f.site().page("/");
    assert!(home.contains(">Colleagues</a>"));
    assert!(home.contains(">Teams</a>"), "every other word stays");
}

#[cfg(unix)]
#[test]
fn a_rebuild_with_no_change_writes_no_file() {
    use std::os::unix::fs::MetadataExt;
    let f = Fixture::minimal();
    assert!(f.build(&[]).status.success());
    let inodes = |site: &Site| -> Vec<(std::path::PathBuf, u64)> {
        let mut v: Vec<_> = site
            .files()
            .into_iter()
            .map(|p| {
                let i = std::fs::metadata(&p).unwrap().ino();
                (p, i)
            })
            .collect();
        v.sort();
        v
    };
    let before = inodes(&f.site());
    assert!(f.build(&[]).status.success());
    assert_eq!(
        before,
        inodes(&f.site()),
        "every file is the same file as before"
    );
}
