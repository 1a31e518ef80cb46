//! Embeds every page of `playbooks/rules/` into the crate, and writes one test per rule
//! fixture for `tests/rules.rs`.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

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
    fixture_tests(&manifest);
}

/// Writes `rule_fixtures.rs`: `FIXTURES`, every fixture of `tests/fixtures/rules/` as
/// (snapshot name, path in that folder), and one `#[test]` per fixture named after its
/// snapshot (`SCI202`, `SCI501_requirements_txt`), so `cargo test SCI202` runs one rule's
/// fixture and a new fixture needs no edit. A fixture is a Python file `SCI201.py` or any
/// file in a folder `SCI501/`, named as the file it stands for.
fn fixture_tests(manifest: &Path) {
    let dir = manifest.join("tests/fixtures/rules");
    // A folder is scanned recursively: an added, removed or edited fixture reruns this.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut fixtures: Vec<(String, String)> = Vec::new();
    // A packaged crate has no tests folder: then there are no fixture tests.
    for entry in fs::read_dir(&dir).into_iter().flatten() {
        let path = entry.expect("fixture folder entry").path();
        let name = file_name(&path);
        if path.is_dir() {
            let folder = fs::read_dir(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            for inner in folder {
                let file = file_name(&inner.expect("fixture entry").path());
                let stem = format!("{name}-{}", file.trim_start_matches('.'));
                fixtures.push((stem, format!("{name}/{file}")));
            }
        } else if let Some(stem) = name.strip_suffix(".py") {
            fixtures.push((stem.to_string(), name));
        }
    }
    fixtures.sort();
    let mut out =
        String::from("/// Every fixture: (snapshot name, path in `tests/fixtures/rules/`).\n");
    out.push_str("const FIXTURES: &[(&str, &str)] = &[\n");
    for (stem, path) in &fixtures {
        out.push_str(&format!("    ({stem:?}, {path:?}),\n"));
    }
    out.push_str("];\n");
    let mut names = std::collections::BTreeSet::new();
    for (stem, path) in &fixtures {
        let test: String = stem
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        assert!(
            names.insert(test.clone()),
            "two fixtures make the test name {test}; rename {path}"
        );
        out.push_str(&format!(
            "\n#[test]\n\
             #[allow(non_snake_case)] // named after the rule code: `cargo test {code}` selects it\n\
             fn {test}() {{\n    fixture({stem:?}, {path:?});\n}}\n",
            code = &stem[..stem.len().min(6)],
        ));
    }
    let dest =
        PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("rule_fixtures.rs");
    fs::write(dest, out).expect("write rule_fixtures.rs");
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_else(|| panic!("fixture names are UTF-8: {}", path.display()))
        .to_string()
}
