//! Embeds the default theme (`themes/default/`) in the binary, so that
//! openfolio works from anywhere without its source tree.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.expect("readable theme directory");
        println!("cargo:rerun-if-changed={}", entry.path().display());
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&root).expect("inside theme");
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push(format!(
                "    ({:?}, include_bytes!({:?})),\n",
                rel,
                entry.path().display().to_string()
            ));
        }
    }
    let code = format!(
        "/// The files of the default theme, by path relative to `themes/default/`.\npub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n{}];\n",
        files.concat()
    );
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("default_theme.rs");
    std::fs::write(out, code).expect("write default_theme.rs");
}
