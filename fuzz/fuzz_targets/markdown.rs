//! Any text as a Markdown body: the sanitized HTML must never contain an
//! element, attribute or URL that could run script.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let html = openfolio::render::markdown::render_untrusted(&text);
    if let Some(found) = openfolio::render::markdown::script_vector(&html) {
        panic!("{found} in {html}");
    }
});
