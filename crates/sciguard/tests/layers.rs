//! The pipeline runs one way: `vocab` ← `input`|`fix` ← `python`|`config` ← `rules` ←
//! `settings` ← `report` ← `checklist` ← `project`. This test reads the crate's sources
//! and fails on an import against that direction or on any cycle between modules.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Top-level module → the top-level modules it names through `crate::`.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).expect("under src");
            let first = relative
                .components()
                .next()
                .expect("a component")
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string();
            if first == "lib" {
                continue;
            }
            let text = fs::read_to_string(&path).expect("UTF-8 source");
            let edges = graph.entry(first.clone()).or_default();
            // Unit tests may use anything; only the code itself is layered.
            let code = text.split("#[cfg(test)]").next().unwrap_or(&text);
            for line in code.lines() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for (at, _) in line.match_indices("crate::") {
                    let name: String = line[at + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != first {
                        edges.insert(name);
                    }
                }
            }
        }
    }
    graph
}

/// The layer of each module: a module may import only from lower layers.
fn layer(module: &str) -> usize {
    match module {
        "vocab" | "glob" => 0,
        "input" | "fix" => 1,
        "python" | "config" | "selection" => 2,
        "rules" => 3,
        "settings" => 4,
        "report" => 5,
        "checklist" => 6,
        "project" => 7,
        other => panic!("module `{other}` has no layer: add it to tests/layers.rs"),
    }
}

#[test]
fn imports_run_down_the_pipeline_only() {
    let graph = import_graph();
    let mut wrong = Vec::new();
    for (module, imports) in &graph {
        for import in imports {
            // A module that does not exist (a macro path, a typo) is a compile error
            // elsewhere; here only the known modules are judged.
            if !graph.contains_key(import) {
                continue;
            }
            if layer(import) >= layer(module) {
                wrong.push(format!("{module} imports {import}"));
            }
        }
    }
    let shown: Vec<String> = graph
        .iter()
        .map(|(m, i)| {
            format!(
                "{m} -> {}",
                i.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    println!("{}", shown.join("\n"));
    assert!(
        wrong.is_empty(),
        "imports against the pipeline:\n{}\n\ngraph:\n{}",
        wrong.join("\n"),
        shown.join("\n")
    );
}

#[test]
fn the_stages_named_in_the_design_keep_their_distance() {
    let graph = import_graph();
    for lower in ["python", "config", "report", "vocab", "input"] {
        assert!(
            !graph[lower].contains("rules"),
            "{lower} imports rules: {:?}",
            graph[lower]
        );
    }
    for (module, imports) in &graph {
        assert!(
            !imports.contains("project"),
            "{module} imports the project API, which sits above everything"
        );
    }
    assert!(
        graph["vocab"].is_empty(),
        "vocab is a leaf: {:?}",
        graph["vocab"]
    );
}
