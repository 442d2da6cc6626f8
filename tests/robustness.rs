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
        let found = openfolio::render::markdown::script_vector(&html);
        prop_assert!(found.is_none(), "{:?} in {}", found, html);
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
