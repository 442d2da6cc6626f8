//! Any bytes as a goal file: front matter splitting, YAML parsing, field
//! reading and reference checks must never panic, hang or blow up memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openfolio::source::Memory;

fuzz_target!(|data: &[u8]| {
    let source = Memory::new()
        .with("org.yaml", "name: Fuzz\n")
        .with("teams/core/index.md", "---\nname: Core\n---\n")
        .with("people/alice/index.md", "---\nname: Alice\nteam: core\n---\n")
        .with("people/alice/goals/fuzzed.md", data.to_vec())
        .with("pay/rules.yaml", data.to_vec());
    let _ = openfolio::pipeline::check(&source, 1 << 20);
});
