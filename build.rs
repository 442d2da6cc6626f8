//! Embeds the default theme (`themes/default/`) and the `init` scaffold
//! (`scaffold/init/`) in the binary, so that openfolio works from anywhere
//! without its source tree.

use std::path::Path;

fn main() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let theme = embed(
        &here.join("themes/default"),
        "DEFAULT_THEME",
        "The files of the default theme, by path relative to `themes/default/`.",
    );
    let scaffold = embed(
        &here.join("scaffold/init"),
        "SCAFFOLD",
        "The files `openfolio init` writes, by path relative to the new repository.",
    );
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("embedded.rs");
    std::fs::write(out, format!("{theme}{scaffold}")).expect("write embedded.rs");
}

fn embed(root: &Path, name: &str, doc: &str) -> String {
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("readable theme directory");
        println!("cargo:rerun-if-changed={}", entry.path().display());
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(root).expect("inside theme");
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push(format!(
                "    ({:?}, include_bytes!({:?})),\n",
                rel,
                entry.path().display().to_string()
            ));
        }
    }
    format!(
        "/// {doc}\n#[allow(dead_code)]\npub static {name}: &[(&str, &[u8])] = &[\n{}];\n",
        files.concat()
    )
}
