//! The default theme in Dutch: the catalogue is complete, and a Dutch site
//! built from `example-org/` shows none of the theme's English words.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;
use openfolio::load::yaml::{self, Node, Value};

fn theme_file(lang: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("themes/default/i18n/{lang}.yaml"))
}

fn catalogue(lang: &str) -> Node {
    let path = theme_file(lang);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    yaml::parse(&text, 0)
        .unwrap_or_else(|(line, col, msg)| panic!("{}:{line}:{col}: {msg}", path.display()))
}

/// Every leaf of a catalogue as (dotted key, text); list items get `key[i]`.
fn leaves(node: &Node, prefix: &str, out: &mut Vec<(String, String)>) {
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                let key = if prefix.is_empty() {
                    k.name.clone()
                } else {
                    format!("{prefix}.{}", k.name)
                };
                leaves(v, &key, out);
            }
        }
        Value::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, &format!("{prefix}[{i}]"), out);
            }
        }
        Value::Str(s) | Value::Number(s) => out.push((prefix.to_string(), s.clone())),
        Value::Bool(b) => out.push((prefix.to_string(), b.to_string())),
        Value::Null => out.push((prefix.to_string(), String::new())),
    }
}

fn catalogue_leaves(lang: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    leaves(&catalogue(lang), "", &mut out);
    out
}

/// The text of the example's content files: what the site may legitimately
/// show in English because the organization wrote it.
fn example_content() -> Vec<String> {
    let root = example_org();
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || e.file_name() != "public")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path() != root.join("README.md"))
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "md" || x == "yaml" || x == "yml")
        })
        .map(|e| std::fs::read_to_string(e.path()).expect("read example file"))
        .collect()
}

/// Builds the example organization with `language: nl`, from a git
/// repository with a little history, so that timelines, reviewers and
/// provenance are shown too.
fn build_dutch_example(tmp: &Path) -> Site {
    let dir = tmp.join("repo");
    copy_tree(&example_org(), &dir);
    let org = dir.join("org.yaml");
    let text = std::fs::read_to_string(&org).expect("read org.yaml");
    assert!(
        text.contains("\nlanguage: en"),
        "example-org/org.yaml sets `language: en`"
    );
    std::fs::write(&org, text.replacen("\nlanguage: en", "\nlanguage: nl", 1))
        .expect("write org.yaml");

    // Bob commits everything (so feedback from others is not confirmed by
    // git), then Alice updates her goal, reviewed by Bob. The messages are
    // Dutch: commit subjects are shown, and they are content.
    let goal = dir.join("people/alice/goals/learn-rust.md");
    let written = std::fs::read_to_string(&goal).expect("read goal");
    assert!(written.contains("\nprogress: 55\n"), "{}", goal.display());
    std::fs::write(
        &goal,
        written.replace("\nprogress: 55\n", "\nprogress: 40\n"),
    )
    .expect("write goal");
    let repo = git2::Repository::init(&dir).expect("git init");
    commit_all(
        &repo,
        "Bob Peeters",
        "bob@brightwork.example",
        1_768_000_000, // 2026-01-09
        "Begin van de repository",
    );
    std::fs::write(&goal, &written).expect("write goal");
    commit_all(
        &repo,
        "Alice Janssens",
        "alice@brightwork.example",
        1_780_000_000, // 2026-05-28
        "Voortgang van mijn doel\n\nReviewed-by: Bob Peeters <bob@brightwork.example>\n",
    );

    let out = tmp.join("site");
    let o = bin()
        .arg("build")
        .arg(&dir)
        .arg("--output")
        .arg(&out)
        .args(["--today", "2026-11-23"])
        .output()
        .expect("run openfolio");
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    Site {
        root: out,
        base: "/".into(),
    }
}

/// Decodes the character references Tera and the Markdown renderer write.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let code = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()
                    } else if let Some(dec) = name.strip_prefix('#') {
                        dec.parse().ok()
                    } else {
                        None
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text a reader sees: no scripts, styles, comments or tags, character
/// references decoded. Whitespace is kept. Each tag becomes a separator, so
/// that no phrase is found across two elements (two cells of a table): a
/// word of the theme is always written as a whole, inside one element.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        rest = &rest[i..];
        let lower: Vec<u8> = rest
            .bytes()
            .take(8)
            .map(|b| b.to_ascii_lowercase())
            .collect();
        let close = if rest.starts_with("<!--") {
            "-->"
        } else if lower.starts_with(b"<script") {
            "</script>"
        } else if lower.starts_with(b"<style") {
            "</style>"
        } else {
            ">"
        };
        match rest.find(close) {
            Some(end) => rest = &rest[end + close.len()..],
            None => rest = "",
        }
        text.push_str(" \u{1f} ");
    }
    text.push_str(rest);
    decode_entities(&text)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `needle` occurs in `hay` as whole words (not inside a longer
/// word: `Period` is not in `Periode`).
fn contains_words(hay: &str, needle: &str) -> bool {
    let starts_word = needle.chars().next().is_some_and(char::is_alphanumeric);
    let ends_word = needle.chars().last().is_some_and(char::is_alphanumeric);
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let at = from + i;
        let end = at + needle.len();
        let before_ok =
            !starts_word || !hay[..at].chars().last().is_some_and(char::is_alphanumeric);
        let after_ok = !ends_word || !hay[end..].chars().next().is_some_and(char::is_alphanumeric);
        if before_ok && after_ok {
            return true;
        }
        from = at + hay[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The English words of the theme a Dutch page must not show: those that
/// have a different Dutch word, are at least four characters long, and do
/// not occur in the example's own (English) content.
fn english_ui_strings() -> Vec<(String, String)> {
    let nl: std::collections::HashMap<String, String> =
        catalogue_leaves("nl").into_iter().collect();
    let content: Vec<String> = example_content().iter().map(|t| collapse(t)).collect();
    let mut out = Vec::new();
    for (key, en) in catalogue_leaves("en") {
        let en = collapse(&en);
        if en.chars().count() < 4 || nl.get(&key).map(|s| collapse(s)) == Some(en.clone()) {
            continue;
        }
        if content.iter().any(|c| contains_words(c, &en)) {
            continue;
        }
        out.push((key, en));
    }
    out
}

#[test]
fn the_dutch_catalogue_has_exactly_the_english_keys() {
    let keys = |lang: &str| -> BTreeSet<String> {
        catalogue_leaves(lang)
            .into_iter()
            .map(|(k, _)| match k.find('[') {
                Some(i) => k[..i].to_string(),
                None => k,
            })
            .collect()
    };
    let (en, nl) = (keys("en"), keys("nl"));
    let missing: Vec<_> = en.difference(&nl).collect();
    let extra: Vec<_> = nl.difference(&en).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "nl.yaml lacks {missing:?}; nl.yaml has keys en.yaml does not: {extra:?}"
    );
    let months = |lang: &str| {
        catalogue_leaves(lang)
            .iter()
            .filter(|(k, _)| k.starts_with("months["))
            .count()
    };
    assert_eq!(months("en"), 12);
    assert_eq!(months("nl"), 12, "nl.yaml names twelve months");
    let empty: Vec<_> = catalogue_leaves("nl")
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(k, _)| k)
        .collect();
    assert!(empty.is_empty(), "empty Dutch words: {empty:?}");
}

#[test]
fn a_dutch_site_shows_no_english_theme_words() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_dutch_example(tmp.path());
    let english = english_ui_strings();
    assert!(
        english.len() > 100,
        "most of the theme's words are checked ({} are)",
        english.len()
    );

    let mut found: Vec<String> = Vec::new();
    let mut pages = site.html_files();
    pages.sort();
    assert!(pages.len() > 50, "the example has its pages");
    for file in &pages {
        let html = std::fs::read_to_string(file).expect("read page");
        let rel = file
            .strip_prefix(&site.root)
            .unwrap_or(file)
            .display()
            .to_string();
        assert!(
            html.contains("<html lang=\"nl\">"),
            "{rel} is marked as Dutch"
        );
        let text = collapse(&visible_text(&html));
        for (key, en) in &english {
            if contains_words(&text, en) {
                found.push(format!("{rel}: {en:?} ({key})"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English theme words on the Dutch site:\n{}",
        found.join("\n")
    );

    // The pages that only git history brings were part of the scan.
    let nl: std::collections::HashMap<String, String> =
        catalogue_leaves("nl").into_iter().collect();
    let all_text: String = pages
        .iter()
        .map(|f| {
            collapse(&visible_text(
                &std::fs::read_to_string(f).expect("read page"),
            ))
        })
        .collect::<Vec<_>>()
        .join("\n");
    for key in [
        "history.title",
        "history.last_changed",
        "history.reviewed_by",
        "history.activity",
        "history.verified",
        "history.unverified",
        "history.external_by",
    ] {
        let word = collapse(nl.get(key).unwrap_or_else(|| panic!("nl.yaml has {key}")));
        assert!(
            contains_words(&all_text, &word),
            "the Dutch site shows {key} ({word:?})"
        );
    }

    // Dates in Dutch: the footer says when the site was built.
    let home = collapse(&visible_text(&site.page("/")));
    assert!(
        home.contains("23 november 2026"),
        "Dutch date in the footer"
    );

    // Money in Dutch notation: `3 538,08 €`, with no-break spaces.
    let pay = visible_text(&site.page("/pay/"));
    let dutch_money = pay.match_indices("\u{a0}€").any(|(i, _)| {
        let before: Vec<char> = pay[..i].chars().rev().take(4).collect();
        before.len() == 4
            && before[0].is_ascii_digit()
            && before[1].is_ascii_digit()
            && before[2] == ','
            && before[3].is_ascii_digit()
    });
    assert!(
        dutch_money,
        "an amount like `3\u{a0}538,08\u{a0}€` on /pay/"
    );
}

#[test]
fn the_helpers_find_whole_words_in_visible_text() {
    let text = collapse(&visible_text(
        "<p>Periode <b>Due</b> x</p><p>Due&nbsp;y</p><script>var Active = 1;</script><p>Tom &amp; Jerry &#x27;a&#39;</p>",
    ));
    assert!(contains_words(&text, "Periode"));
    assert!(!contains_words(&text, "Period"));
    assert!(!contains_words(&text, "Active"));
    assert!(contains_words(&text, "Tom & Jerry 'a'"));
    assert!(contains_words(&text, "Due y"));
    assert!(!contains_words(&text, "Due x"), "not across elements");
}
