//! `cargo xtask npm`: the JS/TypeScript packages of `crates/sciguard-wasm`, one wasm
//! build laid out twice, as `target/npm/web/` (an ES module for browsers and bundlers)
//! and `target/npm/nodejs/` (CommonJS for Node), each with its `package.json`, README
//! and TypeScript declarations.

use crate::{build_wasm, ensure_tools, gzip_size, root, run, target_dir, wasm_opt, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The wasm-bindgen targets packaged, with the package name and module type of each.
const TARGETS: [Target; 2] = [
    Target {
        bindgen: "web",
        package: "sciguard-wasm-web",
        module_type: "module",
    },
    Target {
        bindgen: "nodejs",
        package: "sciguard-wasm-nodejs",
        module_type: "commonjs",
    },
];

/// The base name of the generated files (`sciguard.js`, `sciguard_bg.wasm`, `sciguard.d.ts`).
const OUT_NAME: &str = "sciguard";

struct Target {
    bindgen: &'static str,
    package: &'static str,
    module_type: &'static str,
}

/// Where the packages are written.
pub fn out_dir() -> PathBuf {
    target_dir().join("npm")
}

/// Builds both packages. `optimise` runs `wasm-opt -Oz` (the publishable build); the test
/// build skips it, as it changes size, not behaviour, and costs ~35 s per MB per target.
pub fn build(optimise: bool) -> Result {
    ensure_tools()?;
    let started = Instant::now();
    let built = build_wasm("sciguard-wasm")?;
    let version = env!("CARGO_PKG_VERSION");
    let readme = std::fs::read_to_string(root().join("crates/sciguard-wasm/README.md"))
        .map_err(|e| format!("crates/sciguard-wasm/README.md: {e}"))?;
    // wasm-bindgen writes the same `.wasm` for both targets: optimised once, copied.
    let mut optimised: Option<(Vec<u8>, PathBuf)> = None;
    for target in &TARGETS {
        let dir = out_dir().join(target.bindgen);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        run(
            "wasm-bindgen",
            &[
                "--target",
                target.bindgen,
                "--out-name",
                OUT_NAME,
                "--out-dir",
                &dir.to_string_lossy(),
                &built.to_string_lossy(),
            ],
        )?;
        let wasm = dir.join(format!("{OUT_NAME}_bg.wasm"));
        if optimise {
            let raw = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
            match &optimised {
                Some((same, done)) if *same == raw => {
                    std::fs::copy(done, &wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
                }
                _ => {
                    wasm_opt(&wasm)?;
                    optimised = Some((raw, wasm.clone()));
                }
            }
        }
        write(&dir.join("package.json"), &package_json(target, version))?;
        write(&dir.join("README.md"), &readme)?;
        // wasm-bindgen's own .gitignore would keep the files out of `npm publish`.
        let _ = std::fs::remove_file(dir.join(".gitignore"));
        let bytes = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
        println!(
            "npm: {}/{OUT_NAME}_bg.wasm is {:.2} MB raw, {:.2} MB gzip-compressed{}",
            dir.display(),
            bytes.len() as f64 / 1e6,
            gzip_size(&bytes) as f64 / 1e6,
            if optimise { "" } else { " (not optimised)" }
        );
    }
    println!(
        "npm: packages in {} ({:.0} s)",
        out_dir().display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The package under Node against the CLI's own output (`tests/npm/`), on an
/// unoptimised build. `cargo xtask test` runs it right after `cargo test`, which has
/// built the debug CLI; on its own (`build_cli`) it builds the CLI first.
pub fn test(build_cli: bool) -> Result {
    build(false)?;
    if build_cli {
        run("cargo", &["build", "--package", "sciguard-cli"])?;
    }
    crate::node_tests("tests/npm")
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A `package.json`, fields in the order npm writes them.
#[derive(serde::Serialize)]
struct Manifest<'a> {
    name: &'a str,
    version: &'a str,
    description: &'a str,
    license: &'a str,
    keywords: [&'a str; 5],
    #[serde(rename = "type")]
    module_type: &'a str,
    main: String,
    types: String,
    exports: Exports,
    files: Vec<String>,
}

/// The `exports` map: `types` must come before `default`, as conditions match in order.
#[derive(serde::Serialize)]
struct Exports {
    #[serde(rename = ".")]
    root: Conditions,
    #[serde(rename = "./sciguard_bg.wasm")]
    wasm: String,
    #[serde(rename = "./package.json")]
    manifest: &'static str,
}

#[derive(serde::Serialize)]
struct Conditions {
    types: String,
    default: String,
}

/// The package's manifest: name and version from the workspace, the entry points and
/// the TypeScript declarations wasm-bindgen wrote.
fn package_json(target: &Target, version: &str) -> String {
    let module = format!("./{OUT_NAME}.js");
    let types = format!("./{OUT_NAME}.d.ts");
    let mut files = vec!["README.md".to_string()];
    files.extend(
        [".d.ts", ".js", "_bg.wasm", "_bg.wasm.d.ts"].map(|end| format!("{OUT_NAME}{end}")),
    );
    let manifest = Manifest {
        name: target.package,
        version,
        description: "Security and reliability checks for scientific Python code, notebooks and project configuration (sciguard, WebAssembly)",
        license: "MIT OR Apache-2.0",
        keywords: ["python", "security", "lint", "scientific-python", "webassembly"],
        module_type: target.module_type,
        main: module.clone(),
        types: types.clone(),
        exports: Exports {
            root: Conditions {
                types,
                default: module,
            },
            wasm: format!("./{OUT_NAME}_bg.wasm"),
            manifest: "./package.json",
        },
        files,
    };
    serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n"
}
