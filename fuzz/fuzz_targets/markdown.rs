//! Any text as a Markdown body: the sanitized HTML must never contain a
//! script, an event handler or a javascript: URL.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let html = openfolio::render::markdown::render_untrusted(&text);
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("javascript:"), "{html}");
    assert!(!lower.contains(" onerror="), "{html}");
    assert!(!lower.contains("<svg"), "{html}");
    assert!(!lower.contains("<iframe"), "{html}");
});
