//! `openfolio check`: one small broken repository per diagnostic code, each
//! asserting the code, the file, the line and the column reported.

mod common;

use common::*;
use serde_json::Value;

fn diagnostics(f: &Fixture, args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let o = f.check(&all);
    let json: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("json: {e}: {}", String::from_utf8_lossy(&o.stdout)));
    (
        o.status.code().unwrap_or(-1),
        json.as_array().cloned().unwrap_or_default(),
    )
}

/// Asserts that `check` reports `code` at `file:line:col`, and returns it.
fn expect(f: &Fixture, code: &str, file: &str, line: u64, col: u64) -> Value {
    expect_with(f, &[], code, file, line, col)
}

fn expect_with(f: &Fixture, args: &[&str], code: &str, file: &str, line: u64, col: u64) -> Value {
    let (_, diags) = diagnostics(f, args);
    let found = diags
        .iter()
        .find(|d| d["code"] == code && d["file"] == file)
        .unwrap_or_else(|| panic!("no {code} for {file} in {diags:#?}"));
    assert_eq!(found["file"], file, "{found:#}");
    assert_eq!(
        (
            found["line"].as_u64().unwrap(),
            found["column"].as_u64().unwrap()
        ),
        (line, col),
        "{found:#}"
    );
    assert!(
        found["help"].as_str().is_some_and(|h| !h.is_empty()),
        "every diagnostic has a help line: {found:#}"
    );
    found.clone()
}

#[test]
fn the_minimal_fixture_is_clean() {
    let f = Fixture::minimal();
    let (code, diags) = diagnostics(&f, &["--deny-warnings"]);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(code, 0);
}

#[test]
fn e001_yaml_syntax() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/bad.md",
        "---\ntitle: Fine\nsupports: [unclosed\n---\nBody\n",
    );
    let d = expect(&f, "E001", "people/alice/goals/bad.md", 3, 11);
    assert_eq!(d["severity"], "error");
}

#[test]
fn e001_tab_points_at_the_tab() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/tab.md",
        "---\ntitle: x\n\tstatus: active\n---\n",
    );
    let d = expect(&f, "E001", "people/alice/goals/tab.md", 3, 1);
    assert!(d["help"].as_str().unwrap().contains("tabs"));
}

#[test]
fn e002_missing_front_matter() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/nofm.md",
        "title: Forgot the dashes\nstatus: active\n",
    );
    expect(&f, "E002", "people/alice/goals/nofm.md", 1, 1);
}

#[test]
fn e003_missing_field() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/untitled.md",
        "---\nstatus: active\n---\n",
    );
    let d = expect(&f, "E003", "people/alice/goals/untitled.md", 2, 1);
    assert!(d["message"].as_str().unwrap().contains("`title`"));
}

#[test]
fn e004_wrong_type() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/reflections/2026-H2.md",
        "---\nperiod: 2026-H2\nreviewers:\n  bob: yes\n---\n",
    );
    expect(&f, "E004", "people/alice/reflections/2026-H2.md", 4, 3);
}

#[test]
fn e005_invalid_value_with_suggestion() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/learn-rust.md",
        "---\ntitle: Learn Rust\nkind: development\nstatus: actve\n---\n",
    );
    let d = expect(&f, "E005", "people/alice/goals/learn-rust.md", 4, 9);
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `active`?"),
        "{d}"
    );
}

#[test]
fn e006_invalid_date() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/late.md",
        "---\ntitle: Late\ndue: 2026-13-01\n---\n",
    );
    expect(&f, "E006", "people/alice/goals/late.md", 3, 6);
}

#[test]
fn e007_invalid_period() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/reflections/2026-H2.md",
        "---\nperiod: 2026-H1\ndate: 2026-12-01\n---\n",
    );
    expect(&f, "E007", "people/alice/reflections/2026-H2.md", 2, 9);
}

#[test]
fn e008_out_of_range() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/learn-rust.md",
        "---\ntitle: Learn Rust\nprogress: 140\n---\n",
    );
    expect(&f, "E008", "people/alice/goals/learn-rust.md", 3, 11);
    let f = Fixture::minimal();
    f.write(
        "people/bob/index.md",
        "---\nname: Bob\nteam: core\nfte: 1.5\n---\n",
    );
    expect(&f, "E008", "people/bob/index.md", 4, 6);
}

#[test]
fn e009_invalid_name() {
    let f = Fixture::minimal();
    f.write(
        "people/Carol_B/index.md",
        "---\nname: Carol\nteam: core\n---\n",
    );
    let d = expect(&f, "E009", "people/Carol_B/index.md", 0, 0);
    assert!(d["help"].as_str().unwrap().contains("carol-b"));
}

#[test]
fn e010_duplicate_id() {
    let f = Fixture::minimal();
    f.write(
        "org.yaml",
        &format!("{MINIMAL_ORG}  - id: goal-setting\n    name: Again\n"),
    );
    expect(&f, "E010", "org.yaml", 19, 9);
}

#[test]
fn e011_duplicate_field() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/twice.md",
        "---\ntitle: One\nstatus: active\ntitle: Two\n---\n",
    );
    expect(&f, "E011", "people/alice/goals/twice.md", 4, 1);
}

#[test]
fn e012_unknown_person_suggests_the_nearest() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/reflections/2026-H1.md",
        "---\nperiod: 2026-H1\ndate: 2026-06-20\nreviewers: [bobb]\n---\n",
    );
    let d = expect(&f, "E012", "people/alice/reflections/2026-H1.md", 4, 13);
    assert_eq!(d["help"], "did you mean `bob`?");
}

#[test]
fn e013_unknown_reference() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/learn-rust.md",
        "---\ntitle: Learn Rust\nsupports: teams/core/goals/faster-cj\n---\n",
    );
    let d = expect(&f, "E013", "people/alice/goals/learn-rust.md", 3, 11);
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("teams/core/goals/faster-ci")
    );
}

#[test]
fn e014_wrong_reference_kind() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/learn-rust.md",
        "---\ntitle: Learn Rust\nsupports: people/bob\n---\n",
    );
    let d = expect(&f, "E014", "people/alice/goals/learn-rust.md", 3, 11);
    assert!(d["message"].as_str().unwrap().contains("a person"));
}

#[test]
fn e015_self_review() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/reflections/2026-H1.md",
        "---\nperiod: 2026-H1\nreviewers: [bob, alice]\n---\n",
    );
    expect(&f, "E015", "people/alice/reflections/2026-H1.md", 3, 18);
}

#[test]
fn e016_self_feedback() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/feedback/2026-05-01-from-alice.md",
        "---\nfrom: alice\ndate: 2026-05-01\nkind: appreciation\n---\nWell done me.\n",
    );
    expect(
        &f,
        "E016",
        "people/alice/feedback/2026-05-01-from-alice.md",
        2,
        7,
    );
}

#[test]
fn e017_broken_link() {
    let f = Fixture::minimal();
    f.write(
        "people/bob/index.md",
        "---\nname: Bob Peeters\nteam: core\n---\nBob.\n\nSee [my plan](goals/plan.md).\n",
    );
    expect(&f, "E017", "people/bob/index.md", 7, 5);
}

#[test]
fn e018_not_utf8() {
    let f = Fixture::minimal();
    std::fs::write(
        f.path().join("people/bob/feedback/latin1.md"),
        b"---\nfrom: alice\n---\ncaf\xe9\n",
    )
    .unwrap();
    expect(&f, "E018", "people/bob/feedback/latin1.md", 4, 1);
}

#[test]
fn e019_file_too_large() {
    let f = Fixture::minimal();
    expect_with(
        &f,
        &["--max-file-size", "60"],
        "E019",
        "people/alice/goals/learn-rust.md",
        0,
        0,
    );
}

#[test]
fn w101_unknown_field_suggests_a_typo() {
    let f = Fixture::minimal();
    f.write(
        "people/alice/goals/learn-rust.md",
        "---\ntitle: Learn Rust\nstatsu: active\n---\n",
    );
    let d = expect(&f, "W101", "people/alice/goals/learn-rust.md", 3, 1);
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["help"], "did you mean `status`?");
    let (code, _) = diagnostics(&f, &[]);
    assert_eq!(code, 0, "warnings alone pass");
    let (code, _) = diagnostics(&f, &["--deny-warnings"]);
    assert_eq!(code, 1, "--deny-warnings fails on a warning");
}

#[test]
fn w102_too_many_expectations() {
    let f = Fixture::minimal();
    let mut org = MINIMAL_ORG.replace("cycle:\n", "");
    org = org
        .split("  - id: goal-setting")
        .next()
        .unwrap()
        .to_string();
    for i in 2..=6 {
        org.push_str(&format!(
            "  - id: e{i}\n    value: ownership\n    behaviour: Behaviour {i}.\n"
        ));
    }
    f.write("org.yaml", &org);
    expect(&f, "W102", "org.yaml", 25, 9);
}

#[test]
fn w103_stray_file_says_where_it_belongs() {
    let f = Fixture::minimal();
    f.write("people/alice/notes.md", "---\ntitle: x\n---\n");
    let d = expect(&f, "W103", "people/alice/notes.md", 0, 0);
    assert!(d["help"].as_str().unwrap().contains("people/<handle>/"));
}

#[cfg(unix)]
#[test]
fn w104_symlinks_are_not_followed() {
    let f = Fixture::minimal();
    std::os::unix::fs::symlink("/etc/passwd", f.path().join("people/alice/goals/passwd.md"))
        .unwrap();
    expect(&f, "W104", "people/alice/goals/passwd.md", 0, 0);
}

#[test]
fn w106_static_files_that_could_run_script_are_refused() {
    let f = Fixture::minimal();
    f.write("static/evil.html", "<script>alert(1)</script>");
    f.write("static/logo.svg", "<svg onload=alert(1)></svg>");
    f.write("static/ok.txt", "fine");
    expect(&f, "W106", "static/evil.html", 0, 0);
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = f.site();
    assert!(site.exists("/ok.txt"));
    assert!(!site.exists("/evil.html") && !site.exists("/logo.svg"));
}

#[test]
fn every_mistake_is_reported_in_one_run_and_text_output_quotes_the_line() {
    let f = Fixture::minimal();
    f.write("people/alice/goals/learn-rust.md", "---\ntitle: Learn Rust\nstatus: actve\nsupports: teams/core/goals/nope\nprogress: 300\n---\n");
    f.write(
        "people/alice/index.md",
        "---\nname: Alice\nteam: core\ncoach: bobb\n---\n",
    );
    let (code, diags) = diagnostics(&f, &[]);
    assert_eq!(code, 1);
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    for c in ["E005", "E013", "E008", "E012"] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
    let o = f.check(&[]);
    let text = stderr(&o);
    assert!(
        text.contains("error[E012 unknown-person]: `bobb` is not a person"),
        "{text}"
    );
    assert!(text.contains("  --> people/alice/index.md:4:8"), "{text}");
    assert!(text.contains("4 | coach: bobb"), "{text}");
    assert!(text.contains("= help: did you mean `bob`?"), "{text}");
    // A build keeps only the texts it needs, and reads again the files that
    // the checks after loading point into: it quotes the same line.
    let o = f.build(&[]);
    let text = stderr(&o);
    assert!(!o.status.success());
    assert!(text.contains("4 | coach: bobb"), "{text}");
    assert!(
        text.contains("4 | supports: teams/core/goals/nope"),
        "{text}"
    );
}

#[test]
fn exit_status_two_when_openfolio_cannot_run() {
    let f = Fixture::empty();
    let o = f.check(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no org.yaml"));
}

#[test]
fn init_then_check_is_clean_and_new_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("org");
    let o = bin()
        .args(["init"])
        .arg(&dir)
        .args(["--handle", "ann", "--person-name", "Ann Smith"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        dir.join(".gitignore").is_file() && dir.join(".github/workflows/openfolio.yml").is_file()
    );
    assert!(dir.join(".github/pull_request_template.md").is_file());
    let run = |args: &[&str]| {
        bin()
            .arg("new")
            .arg("-C")
            .arg(&dir)
            .args(args)
            .output()
            .unwrap()
    };
    for args in [
        &["person", "bo", "--name", "Bo Li"][..],
        &[
            "goal",
            "ann",
            "Learn Rust",
            "--supports",
            "teams/team/goals/first-team-goal",
        ],
        &[
            "feedback",
            "--to",
            "ann",
            "--from",
            "bo",
            "--kind",
            "suggestion",
        ],
        &["reflection", "ann", "2026-H2", "--reviewers", "bo"],
        &["request", "ann", "How was my demo?", "--asked", "bo"],
    ] {
        let o = run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let path = String::from_utf8_lossy(&o.stdout).trim().to_string();
        assert!(std::path::Path::new(&path).is_file(), "{path}");
    }
    let o = bin()
        .arg("check")
        .arg(&dir)
        .arg("--deny-warnings")
        .output()
        .unwrap();
    assert!(o.status.success(), "init + new is clean: {}", stderr(&o));
    // Never overwrite, never touch a non-empty directory.
    let before = std::fs::read(dir.join("people/ann/goals/learn-rust.md")).unwrap();
    let o = run(&["goal", "ann", "Learn Rust"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("already exists"));
    assert_eq!(
        std::fs::read(dir.join("people/ann/goals/learn-rust.md")).unwrap(),
        before
    );
    let o = bin().args(["init"]).arg(&dir).output().unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not empty"));
}

/// Copies example-org (without its built site) into a temporary directory.
fn example_copy() -> Fixture {
    let f = Fixture::empty();
    let root = example_org();
    for e in walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = e.path().strip_prefix(&root).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let to = f.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(e.path(), to).unwrap();
    }
    f
}

fn edit(f: &Fixture, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(f.path().join(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    f.write(rel, &text.replacen(from, to, 1));
}

#[test]
fn twenty_hurried_mistakes_in_example_org_are_all_reported_in_one_run() {
    let f = example_copy();
    let mistakes: Vec<(&str, &str, &str, &str, u64)> = vec![
        // (file, from, to, expected code, expected line)
        (
            "people/bob/index.md",
            "coach: ines",
            "coach: inez",
            "E012",
            9,
        ),
        ("people/bob/index.md", "fte: 1.0", "fte: 10", "E008", 7),
        ("people/bob/index.md", "level: L4", "level: L7", "E020", 5),
        (
            "people/bob/index.md",
            "location: Ghent",
            "location: Gent",
            "E020",
            6,
        ),
        (
            "people/alice/goals/learn-rust.md",
            "status: active",
            "status: actief",
            "E005",
            5,
        ),
        (
            "people/alice/goals/learn-rust.md",
            "progress: 55",
            "progress: 155",
            "E008",
            7,
        ),
        (
            "people/alice/goals/learn-rust.md",
            "due: 2026-12-31",
            "due: 31/12/2026",
            "E006",
            6,
        ),
        (
            "people/alice/goals/learn-rust.md",
            "kind: development",
            "kind: developement",
            "E005",
            3,
        ),
        (
            "people/chen/reflections/2026-H1.md",
            "reviewers: [alice, bob]",
            "reviewers: [alice, chen]",
            "E015",
            4,
        ),
        (
            "people/chen/reflections/2026-H1.md",
            "moment: mid-year-reflection",
            "moment: midyear-reflection",
            "E013",
            5,
        ),
        (
            "people/chen/reflections/2026-H1.md",
            "period: 2026-H1",
            "period: 2026-H3",
            "E007",
            2,
        ),
        (
            "teams/platform/goals/faster-ci.md",
            "supports: objectives/2026-reliable-services",
            "supports: objectives/2026-reliable-service",
            "E013",
            3,
        ),
        (
            "teams/platform/goals/faster-ci.md",
            "status: active",
            "statsu: active",
            "W101",
            4,
        ),
        (
            "people/alice/feedback/2026-04-08-from-bob.md",
            "from: bob",
            "from: alice",
            "E016",
            2,
        ),
        ("org.yaml", "value: ownership", "value: ownershp", "E013", 0),
        (
            "teams/platform/index.md",
            "facilitators: [bob]",
            "facilitators: [bobb]",
            "E012",
            4,
        ),
    ];
    for (file, from, to, _, _) in &mistakes {
        edit(&f, file, from, to);
    }
    // A missing `---`, a tab, a stray file, a link to a missing file, a broken team reference.
    edit(&f, "people/dries/index.md", "---\n", "");
    let gijs = std::fs::read_to_string(f.path().join("people/gijs/index.md")).unwrap();
    f.write(
        "people/gijs/index.md",
        &gijs.replacen("\nrole:", "\n\trole:", 1),
    );
    f.write("people/alice/notes.md", "# my notes\n");
    edit(
        &f,
        "people/karin/index.md",
        "teams: [data, product]",
        "teams: [data, produkt]",
    );
    let o = f.check(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let diags: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = diags.as_array().unwrap();
    for (file, _, _, code, line) in &mistakes {
        let found = diags.iter().any(|d| {
            d["file"] == *file && d["code"] == *code && (*line == 0 || d["line"] == *line)
        });
        assert!(found, "{code} at {file}:{line} in {diags:#?}");
    }
    for (file, code) in [
        ("people/dries/index.md", "E002"),
        ("people/gijs/index.md", "E001"),
        ("people/alice/notes.md", "W103"),
        ("people/karin/index.md", "E013"),
    ] {
        assert!(
            diags.iter().any(|d| d["file"] == file && d["code"] == code),
            "{code} in {file}: {diags:#?}"
        );
    }
    assert!(
        diags
            .iter()
            .all(|d| d["help"].as_str().is_some_and(|h| !h.is_empty())),
        "every diagnostic says how to fix it"
    );
    // And the build refuses, leaving no site.
    let o = f.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!f.path().join("public").exists());
}

#[test]
fn e023_support_cycle() {
    let f = Fixture::minimal();
    f.write(
        "teams/core/goals/a.md",
        "---\ntitle: A\nsupports: teams/core/goals/b\n---\n",
    );
    f.write(
        "teams/core/goals/b.md",
        "---\ntitle: B\nsupports: teams/core/goals/a\n---\n",
    );
    expect(&f, "E023", "teams/core/goals/a.md", 3, 11);
}

#[test]
fn fields_pay_rules_use_are_known_fields() {
    let f = Fixture::minimal();
    f.write("pay/rules.yaml", "currency: EUR\nper: month\nbase:\n  by: grade\n  table: { A: 3000, B: 3500 }\nround_to: 1\n");
    f.write(
        "people/alice/index.md",
        "---\nname: Alice Janssens\nteam: core\ngrade: B\n---\n",
    );
    f.write(
        "people/bob/index.md",
        "---\nname: Bob Peeters\nteam: core\ngrade: A\n---\n",
    );
    let (code, diags) = diagnostics(&f, &["--deny-warnings"]);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(code, 0);
}

#[test]
fn an_audience_that_names_nobody_is_an_error() {
    let f = Fixture::minimal();
    let o = f.build(&["--audience", "team:nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`nope` is not a team"),
        "{}",
        stderr(&o)
    );
}
