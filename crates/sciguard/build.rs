//! Embeds every page of `playbooks/rules/` into the crate.

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let pages_dir = manifest.join("../../playbooks/rules");
    println!("cargo:rerun-if-changed={}", pages_dir.display());
    let mut pages: Vec<PathBuf> = fs::read_dir(&pages_dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", pages_dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let mut out = String::from("&[\n");
    for page in &pages {
        println!("cargo:rerun-if-changed={}", page.display());
        let name = page
            .file_name()
            .and_then(|n| n.to_str())
            .expect("page names are UTF-8");
        let abs = page.canonicalize().expect("page path resolves");
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    out.push_str("]\n");
    let dest = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("pages.rs");
    fs::write(dest, out).expect("write pages.rs");
}
