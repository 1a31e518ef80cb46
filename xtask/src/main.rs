//! `cargo xtask <task>`: the project's development workflows.
//!
//! - `dist`: builds the static site into `dist/` (installing the wasm target,
//!   wasm-bindgen and the npm tools when missing) and prints the `.wasm` size.
//! - `serve`: `dist`, then serves it on http://127.0.0.1:8080.
//! - `test`: everything CI checks: formatting, clippy, all Rust tests, the wheel, the
//!   JS package under Node (`tests/npm/`), then the browser tests against a fresh
//!   `dist/` and the web package.
//! - `npm`: builds the JS/TypeScript packages (`crates/sciguard-wasm`) into
//!   `target/npm/web/` and `target/npm/nodejs/`, optimised, and prints the `.wasm` size.
//! - `demo`: builds the CLI and checks the example project in `examples/`.
//! - `new-rule`: writes the skeleton of a new rule (page, fixture, Rust file and its
//!   registration line).
//! - `wheel`: builds the platform wheel (maturin) into `target/wheels/`.
//! - `precision`: runs every rule over pinned wheels and application code, and writes
//!   per-rule counts and a seeded sample of findings to judge by hand.
//! - `bench`: times sciguard against Ruff, Bandit and Semgrep on the pinned wheels and
//!   prints wall, CPU, peak memory, lines per second and the ratios (not part of `test`).
//! - `fuzz`: runs the `cargo fuzz` targets for a stated time each and prints what they
//!   found (not part of `test`).

mod bench;
mod fuzz;
mod new_rule;
mod npm;
mod precision;
mod serve;
mod wheel;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

fn run(program: &str, args: &[&str]) -> Result {
    eprintln!("xtask: {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{program} {} failed ({status})", args.join(" ")))
    }
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).to_string())
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Where cargo puts build output: `CARGO_TARGET_DIR` when set (several worktrees can
/// share one), otherwise the workspace's `target/`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// The `wasm-bindgen` version pinned in Cargo.lock (the CLI must match it exactly).
fn bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn ensure_tools() -> Result {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        run("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    let version = bindgen_version()?;
    let installed = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if !installed.split_whitespace().any(|w| w == version) {
        eprintln!("xtask: installing wasm-bindgen-cli {version} (a few minutes, once)");
        // Not --locked: its lock file pins a crate version the registry no longer serves.
        run(
            "cargo",
            &["install", "wasm-bindgen-cli", "--version", &version],
        )?;
    }
    let e2e = root().join("tests/e2e");
    // Every package the browser suite imports: a checkout that gained one installs it.
    let missing = [
        "binaryen",
        "playwright-core",
        "axe-core",
        "@astral-sh/ruff-wasm-web",
    ]
    .iter()
    .any(|package| !e2e.join("node_modules").join(package).exists());
    if missing || !e2e.join("node_modules/.bin/wasm-opt").exists() {
        run(
            "npm",
            &[
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                &e2e.to_string_lossy(),
            ],
        )?;
    }
    Ok(())
}

/// The WebAssembly packages: the site and the JS package.
const WASM_PACKAGES: [&str; 2] = ["sciguard-site", "sciguard-wasm"];

/// Builds one of [`WASM_PACKAGES`] for wasm32 with the `wasm` profile (small over fast);
/// returns its `.wasm` file, before wasm-bindgen. Both are built in one cargo run: apart,
/// cargo resolves their shared dependencies' features differently (the site's Yew adds
/// some) and builds the engine and the parser twice, minutes on two cores.
fn build_wasm(package: &str) -> Result<PathBuf> {
    let mut args = vec![
        "build",
        "--profile",
        "wasm",
        "--target",
        "wasm32-unknown-unknown",
    ];
    for package in WASM_PACKAGES {
        args.extend(["--package", package]);
    }
    run("cargo", &args)?;
    let file = format!("{}.wasm", package.replace('-', "_"));
    Ok(target_dir().join("wasm32-unknown-unknown/wasm").join(file))
}

/// Shrinks a `.wasm` file in place with binaryen's `wasm-opt -Oz` (the npm build, which
/// reads current Rust output; Debian's is too old).
fn wasm_opt(wasm: &Path) -> Result {
    let wasm_opt = root().join("tests/e2e/node_modules/.bin/wasm-opt");
    run(
        &wasm_opt.to_string_lossy(),
        &[
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
            &wasm.to_string_lossy(),
            "-o",
            &wasm.to_string_lossy(),
        ],
    )
}

fn gzip_size(bytes: &[u8]) -> usize {
    // gzip = deflate + 18 bytes of header and trailer.
    miniz_oxide::deflate::compress_to_vec(bytes, 9).len() + 18
}

fn dist() -> Result {
    ensure_tools()?;
    let root = root();
    let dist = root.join("dist");
    let built = build_wasm("sciguard-site")?;
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).map_err(|e| e.to_string())?;
    run(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            &dist.to_string_lossy(),
            &built.to_string_lossy(),
        ],
    )?;
    let wasm = dist.join("sciguard_site_bg.wasm");
    wasm_opt(&wasm)?;
    std::fs::copy(root.join("index.html"), dist.join("index.html")).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(root.join("site/static")).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        std::fs::copy(&path, dist.join(path.file_name().expect("a file")))
            .map_err(|e| e.to_string())?;
    }
    // The example organisation policies sit next to the site, where an embed's
    // `policy=policies/…` option (and a team's own files, copied there) are read from.
    let policies = dist.join("policies");
    std::fs::create_dir_all(&policies).map_err(|e| e.to_string())?;
    for entry in
        std::fs::read_dir(root.join("playbooks/organisation")).map_err(|e| e.to_string())?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "md") {
            std::fs::copy(&path, policies.join(path.file_name().expect("a file")))
                .map_err(|e| e.to_string())?;
        }
    }
    let bytes = std::fs::read(&wasm).map_err(|e| e.to_string())?;
    println!(
        "site: dist/sciguard_site_bg.wasm is {:.2} MB raw, {:.2} MB gzip-compressed",
        bytes.len() as f64 / 1e6,
        gzip_size(&bytes) as f64 / 1e6
    );
    Ok(())
}

/// Debian's Chromium for the browser tests (the machines run as root).
fn ensure_browser() -> Result {
    if Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some() {
        return Ok(());
    }
    let root_user = output("id", &["-u"]).is_some_and(|id| id.trim() == "0");
    if !root_user {
        return Err("the browser tests need Chromium: run `sudo apt-get install -y chromium`, or set CHROMIUM to a Chromium binary".into());
    }
    run("apt-get", &["update", "-qq"])?;
    run("apt-get", &["install", "-y", "-qq", "chromium"])
}

fn test() -> Result {
    run("cargo", &["fmt", "--all", "--", "--check"])?;
    run(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    run("cargo", &["test", "--workspace"])?;
    // The JS package against the output of the CLI `cargo test` just built (later steps
    // build it with other settings); its web build is in the browser tests.
    npm::test(false)?;
    // The wheel installed by pip, pipx and uv, the README's CI recipes, the pre-commit hook.
    wheel::test()?;
    dist()?;
    ensure_browser()?;
    node_tests("tests/e2e")
}

/// Runs the `*.test.mjs` files of a folder with Node's own runner, telling them where
/// the JS packages and the CLI binary are.
fn node_tests(folder: &str) -> Result {
    let folder = root().join(folder);
    eprintln!("xtask: node --test {}", folder.display());
    let status = Command::new("node")
        .args(["--test", "--test-concurrency=1"])
        .arg(&folder)
        .env("SCIGUARD_NPM_DIR", npm::out_dir())
        .env("SCIGUARD_BIN", target_dir().join("debug/sciguard"))
        .status()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "node --test {} failed ({status})",
            folder.display()
        ))
    }
}

fn demo() -> Result {
    run(
        "cargo",
        &["build", "--release", "--package", "sciguard-cli"],
    )?;
    // The example project is meant to have findings; exit code 1 is the expected result.
    let status = Command::new(target_dir().join("release/sciguard"))
        .args(["check", "examples/ingestion-pipeline"])
        .current_dir(root())
        .status()
        .map_err(|e| e.to_string())?;
    match status.code() {
        Some(0 | 1) => Ok(()),
        _ => Err(format!("sciguard check failed ({status})")),
    }
}

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "dist" => dist(),
        "serve" => dist().and_then(|_| serve::serve(&root().join("dist"), "127.0.0.1:8080")),
        "test" => test(),
        "npm" => npm::build(true),
        "npm-test" => npm::test(true),
        "demo" => demo(),
        "wheel" => wheel::wheel(),
        "wheel-test" => wheel::test(),
        "new-rule" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            new_rule::Request::parse(&args)
                .and_then(|request| new_rule::write(&root(), &request))
                .map(|written| {
                    println!("wrote:");
                    written.iter().for_each(|w| println!("  {w}"));
                    println!("next: fill in the TODOs, then follow CONTRIBUTING.md from step 3");
                })
        }
        "bench" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            bench::Options::parse(&args).and_then(|options| bench::run(&root(), &options))
        }
        "fuzz" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            fuzz::Options::parse(&args).and_then(|options| fuzz::run(&root(), &options))
        }
        "precision" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            precision::Options::parse(&args).and_then(|options| precision::run(&root(), &options))
        }
        _ => {
            eprintln!("usage: cargo xtask <serve|dist|test|npm|demo|wheel|new-rule|precision|bench|fuzz>\n  serve  build the site and serve it on http://127.0.0.1:8080\n  dist   build the site into dist/\n  npm    build the JS/TypeScript packages into target/npm/web and target/npm/nodejs\n  npm-test  the JS package under Node against the CLI's output (part of test)\n  test   formatting, clippy, every Rust test and the browser tests (what CI runs)\n  demo   build the CLI and check examples/ingestion-pipeline\n  wheel  build the platform wheel into target/wheels/ (pip, pipx, uv, pre-commit)\n  wheel-test  the wheel installed by pip, pipx and uv, the README's CI recipes and the pre-commit hook (part of test)\n  new-rule CODE name --pillar P [--rust] [--family F]  write a new rule's skeleton\n  precision [--corpus DIR] [--apps DIR] [--add DIR]... [--seed N] [--judgments FILE]  counts and a sample of findings on real code to judge\n  bench [--corpus DIR] [--runs N] [--subset PACKAGE] [--semgrep-rules DIR]  sciguard against ruff, bandit and semgrep: wall, CPU, memory, lines/s, ratios\n  fuzz [--secs N] [TARGET...]  run the cargo fuzz targets, N seconds each (default 600), and print what they found");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error}");
            ExitCode::FAILURE
        }
    }
}
