//! The fuzz targets' properties, run over random inputs in every `cargo test`
//! (the deeper runs use `cargo fuzz`, see fuzz/). Any bytes in a document must
//! give diagnostics, never a panic; any Markdown must sanitize to HTML without
//! a script.

use openfolio::source::Memory;
use proptest::prelude::*;

fn check_goal(bytes: Vec<u8>) {
    let source = Memory::new()
        .with("org.yaml", "name: Fuzz\n")
        .with("teams/core/index.md", "---\nname: Core\n---\n")
        .with(
            "people/alice/index.md",
            "---\nname: Alice\nteam: core\n---\n",
        )
        .with("people/alice/goals/fuzzed.md", bytes.clone())
        .with("pay/rules.yaml", bytes);
    let checked = openfolio::pipeline::check(&source, 1 << 20).expect("checks never fail to run");
    for d in &checked.diagnostics {
        assert!(!d.message.is_empty());
    }
}

/// Pieces that front matter and Markdown are made of, to build inputs close to real ones.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "---\n",
        "title: ",
        "status: ",
        "active",
        "progress: ",
        "140",
        "\n",
        "  ",
        "\t",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "&a ",
        "*a ",
        "<<: ",
        "supports: ",
        "teams/core/goals/x",
        "due: ",
        "2026-13-01",
        "'",
        "\"",
        "#",
        "<script>",
        "javascript:",
        "](",
        "[x",
        "<img src=x onerror=alert(1)>",
        "## 2026-01-01\n",
        "| a |\n|-|\n",
        "\u{feff}",
        "\r\n",
        "é",
        "\0",
        "base:\n  by: level\n  table: { L1: ",
        "bonus:\n  pool: ",
        "split: points\n",
    ])
}

/// The start tags of an HTML text: (name, [(attribute, value)]), reading
/// quoted values as the serializer writes them.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || b.get(i + 1).is_none_or(|c| !c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && (b[j] as char).is_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' || b[j] == b'/' {
                break;
            }
            let start = j;
            while j < b.len() && !(b[j] as char).is_whitespace() && b[j] != b'=' && b[j] != b'>' {
                j += 1;
            }
            let attr = html[start..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                if j < b.len() && b[j] == b'"' {
                    let end = html[j + 1..].find('"').map_or(b.len(), |e| j + 1 + e);
                    value = html[j + 1..end].replace("&amp;", "&");
                    j = end + 1;
                }
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
        i = j;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_bytes_in_a_document_give_diagnostics_not_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_goal(bytes);
    }

    #[test]
    fn any_mix_of_syntax_gives_diagnostics_not_a_panic(parts in proptest::collection::vec(piece(), 0..60)) {
        check_goal(parts.concat().into_bytes());
    }

    #[test]
    fn sanitized_markdown_never_contains_script(parts in proptest::collection::vec(piece(), 0..60), tail in ".{0,80}") {
        let text = format!("{}{tail}", parts.concat());
        let html = openfolio::render::markdown::render_untrusted(&text);
        for (name, attrs) in tags(&html) {
            prop_assert!(!["script", "svg", "iframe", "object", "embed", "style", "math", "form", "textarea", "noscript"].contains(&name.as_str()), "<{}> in {}", name, html);
            for (attr, value) in attrs {
                prop_assert!(!attr.starts_with("on") && attr != "style", "{}= on <{}> in {}", attr, name, html);
                let v = value.trim().to_ascii_lowercase();
                prop_assert!(!v.starts_with("javascript:") && !v.starts_with("vbscript:") && !v.starts_with("data:"), "{}={} in {}", attr, value, html);
            }
        }
    }
}

#[test]
fn deep_nesting_and_alias_bombs_are_diagnostics() {
    let deep = format!(
        "---\ntitle: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    check_goal(deep.into_bytes());
    let mut bomb = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..20 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("b{}", i - 1)
        };
        bomb.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    bomb.push_str("---\n");
    let started = std::time::Instant::now();
    check_goal(bomb.into_bytes());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "an alias bomb is refused quickly"
    );
}
