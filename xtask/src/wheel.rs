//! `cargo xtask wheel`: the platform wheel Python teams install (maturin, `bindings =
//! "bin"`), and the tests that install it as users do (pip, `python -m sciguard`, pipx,
//! uv), run the README's CI recipes with it, and run the pre-commit hook from this
//! repository against a throwaway git repository.

use crate::{root, run, target_dir, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

/// The Python tools the wheel tasks use, pinned, installed from PyPI into a virtualenv
/// under the target folder (never system-wide).
const PYTHON_TOOLS: &[&str] = &[
    "maturin==1.16.0",
    "pre-commit==4.7.0",
    "pipx==1.18.4",
    "uv==0.13.9",
];

/// The folder of the Python tools' virtualenv, created and filled when missing.
fn python_tools() -> Result<PathBuf> {
    let venv = target_dir().join("py-tools");
    let marker = venv.join("sciguard-tools.txt");
    let wanted = PYTHON_TOOLS.join("\n");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(venv);
    }
    let python = python3()?;
    run(&python, &["-m", "venv", &venv.to_string_lossy()])?;
    let pip = venv.join("bin/pip");
    let mut args = vec!["install", "--quiet", "--disable-pip-version-check"];
    args.extend(PYTHON_TOOLS);
    run(&pip.to_string_lossy(), &args)?;
    std::fs::write(&marker, wanted).map_err(|e| format!("{}: {e}", marker.display()))?;
    Ok(venv)
}

/// A Python 3 interpreter on the PATH.
fn python3() -> Result<String> {
    for name in ["python3", "python"] {
        if crate::output(name, &["--version"]).is_some_and(|v| v.starts_with("Python 3")) {
            return Ok(name.to_string());
        }
    }
    Err("the wheel tasks need Python 3 with venv on the PATH (Debian: apt-get install python3-venv)".into())
}

/// Builds the wheel with the given cargo profile into `out` (emptied first); returns it.
fn build(profile: &str, out: &Path) -> Result<PathBuf> {
    let maturin = python_tools()?.join("bin/maturin");
    let _ = std::fs::remove_dir_all(out);
    let started = Instant::now();
    let status = Command::new(&maturin)
        .args(["build", "--profile", profile, "--out"])
        .arg(out)
        .current_dir(root())
        .env("CARGO_TARGET_DIR", target_dir())
        .status()
        .map_err(|e| format!("cannot run maturin: {e}"))?;
    if !status.success() {
        return Err(format!("maturin build failed ({status})"));
    }
    let wheel = std::fs::read_dir(out)
        .map_err(|e| format!("{}: {e}", out.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .ok_or_else(|| format!("maturin wrote no wheel into {}", out.display()))?;
    eprintln!(
        "xtask: built {} ({profile} profile) in {:.0} s",
        wheel.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(wheel)
}

/// `cargo xtask wheel`: the release wheel in `target/wheels/`.
pub fn wheel() -> Result {
    let wheel = build("release", &target_dir().join("wheels"))?;
    println!("wheel: {}", wheel.display());
    println!("install it with: pipx install {}", wheel.display());
    Ok(())
}

/// A fresh scratch folder under the target folder.
fn scratch(name: &str) -> Result<PathBuf> {
    let dir = target_dir().join("wheel-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

fn output_of(command: &mut Command) -> Result<Output> {
    let shown = format!("{command:?}");
    eprintln!("xtask: {shown}");
    command
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Fails unless the command exited with `code` and its output holds every `expected`.
fn expect(output: &Output, code: i32, expected: &[&str], what: &str) -> Result {
    let all = text(output);
    if output.status.code() != Some(code) {
        return Err(format!(
            "{what}: exit {:?}, expected {code}:\n{all}",
            output.status.code()
        ));
    }
    if let Some(missing) = expected.iter().find(|e| !all.contains(*e)) {
        return Err(format!("{what}: output lacks {missing:?}:\n{all}"));
    }
    Ok(())
}

/// What `sciguard check` on the example project prints in every install.
const EXAMPLE_FINDING: &str = "SCI202";

/// The wheel, installed as users install it, then the README's CI recipes and the
/// pre-commit hook. The wheel is built with the dev profile: the release profile's fat
/// LTO takes minutes on two cores, and what is tested here is the packaging, not the
/// optimiser (`cargo xtask wheel` builds the release wheel).
pub fn test() -> Result {
    let tools = python_tools()?;
    let wheel = build("dev", &target_dir().join("wheels-test"))?;
    let example = root().join("examples/ingestion-pipeline");
    let example = example.to_string_lossy();
    let version = format!("sciguard {}", env!("CARGO_PKG_VERSION"));

    // pip, in a fresh virtualenv, without any index: the wheel needs nothing else.
    let dir = scratch("pip")?;
    let venv = dir.join("venv");
    run(&python3()?, &["-m", "venv", &venv.to_string_lossy()])?;
    run(
        &venv.join("bin/pip").to_string_lossy(),
        &["install", "--quiet", "--no-index", &wheel.to_string_lossy()],
    )?;
    let check = output_of(Command::new(venv.join("bin/sciguard")).args(["check", &example]))?;
    expect(
        &check,
        1,
        &[EXAMPLE_FINDING, "Found "],
        "pip-installed sciguard check",
    )?;
    let module =
        output_of(Command::new(venv.join("bin/python")).args(["-m", "sciguard", "--version"]))?;
    expect(&module, 0, &[&version], "python -m sciguard --version")?;
    let module = output_of(
        Command::new(venv.join("bin/python")).args(["-m", "sciguard", "check", &example]),
    )?;
    expect(&module, 1, &[EXAMPLE_FINDING], "python -m sciguard check")?;

    // pipx and uv, as the README says, each into folders of its own.
    let dir = scratch("pipx")?;
    let pipx = output_of(
        Command::new(tools.join("bin/pipx"))
            .args(["install", "--force", &wheel.to_string_lossy()])
            .env("PIPX_HOME", dir.join("home"))
            .env("PIPX_BIN_DIR", dir.join("bin"))
            .env("PIPX_MAN_DIR", dir.join("man")),
    )?;
    expect(&pipx, 0, &[], "pipx install")?;
    let check = output_of(Command::new(dir.join("bin/sciguard")).args(["check", &example]))?;
    expect(
        &check,
        1,
        &[EXAMPLE_FINDING],
        "pipx-installed sciguard check",
    )?;
    let dir = scratch("uv")?;
    let uv = output_of(
        Command::new(tools.join("bin/uv"))
            .args(["tool", "install", "--offline", &wheel.to_string_lossy()])
            .env("UV_TOOL_DIR", dir.join("tools"))
            .env("UV_TOOL_BIN_DIR", dir.join("bin"))
            .env("UV_CACHE_DIR", dir.join("cache"))
            .env("UV_PYTHON_DOWNLOADS", "never"),
    )?;
    expect(&uv, 0, &[], "uv tool install")?;
    let check = output_of(Command::new(dir.join("bin/sciguard")).args(["check", &example]))?;
    expect(&check, 1, &[EXAMPLE_FINDING], "uv-installed sciguard check")?;

    ci_recipes(&venv.join("bin"), &wheel)?;
    pre_commit(&tools)
}

/// Runs the `run:` / `script:` lines of the README's CI recipes (between the
/// `<!-- ci-recipes -->` markers) in a copy of the example project, with the wheel where
/// the recipes expect it, and checks the reports they write.
fn ci_recipes(bin: &Path, wheel: &Path) -> Result {
    let readme = std::fs::read_to_string(root().join("README.md")).map_err(|e| e.to_string())?;
    let recipes = readme
        .split("<!-- ci-recipes -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- /ci-recipes -->").next())
        .ok_or("README.md: no <!-- ci-recipes --> section")?;
    let commands: Vec<&str> = recipes
        .lines()
        .map(str::trim)
        .filter_map(|l| {
            // `- run: …` (GitHub Actions) or `- …` under `script:` (GitLab CI).
            let l = l.strip_prefix("- ").unwrap_or(l);
            let l = l.strip_prefix("run: ").unwrap_or(l);
            (l.starts_with("pip install") || l.starts_with("sciguard ")).then_some(l)
        })
        .collect();
    if commands.len() < 4 {
        return Err(format!(
            "README.md: the CI recipes hold too few commands: {commands:?}"
        ));
    }
    let dir = scratch("ci")?;
    copy_dir(&root().join("examples/ingestion-pipeline"), &dir)?;
    let wheels = dir.join("wheels");
    std::fs::create_dir_all(&wheels).map_err(|e| e.to_string())?;
    let name = wheel.file_name().ok_or("a wheel file name")?;
    std::fs::copy(wheel, wheels.join(name)).map_err(|e| e.to_string())?;
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in &commands {
        // The recipes' pip runs in the test's virtualenv, without an index.
        let out = output_of(
            Command::new("bash")
                .args(["-c", &format!("set -e -o pipefail; {command}")])
                .current_dir(&dir)
                .env("PATH", &path)
                .env("PIP_NO_INDEX", "1"),
        )?;
        // The example project has findings: a check without --exit-zero fails the job.
        let code = if command.starts_with("sciguard check") && !command.contains("--exit-zero") {
            1
        } else {
            0
        };
        expect(&out, code, &[], command)?;
    }
    for (report, marker) in [
        ("sciguard.sarif", "\"version\": \"2.1.0\""),
        ("gl-code-quality-report.json", "\"check_name\": \"SCI202\""),
    ] {
        let written = std::fs::read_to_string(dir.join(report))
            .map_err(|e| format!("the CI recipes wrote no {report}: {e}"))?;
        serde_json::from_str::<serde_json::Value>(&written)
            .map_err(|e| format!("{report} is not JSON: {e}"))?;
        if !written.contains(marker) {
            return Err(format!("{report} lacks {marker}"));
        }
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().ok_or("a file name")?);
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// What pre-commit, and git running its hook, need: a cache of their own, and maturin
/// building with the dev profile in this target folder.
fn hook_env<'a>(command: &'a mut Command, cache: &Path) -> &'a mut Command {
    command
        .env("PRE_COMMIT_HOME", cache)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("MATURIN_PEP517_ARGS", "--profile dev")
}

/// Runs git in `dir` with a fixed identity; a commit runs the hook through
/// `.git/hooks/pre-commit`, which gets the environment from git.
fn git(dir: &Path, cache: &Path, args: &[&str]) -> Result<Output> {
    let identity = [
        "-c",
        "user.name=sciguard",
        "-c",
        "user.email=sciguard@example.invalid",
    ];
    output_of(hook_env(
        Command::new("git")
            .args(identity)
            .args(args)
            .current_dir(dir),
        cache,
    ))
}

/// The real pre-commit, with this repository (at HEAD: pre-commit clones a commit) as
/// the hook source, in a throwaway repository: a finding blocks the commit, the fixed
/// file goes through. pre-commit builds the hook's environment from source, as it does
/// for users; maturin is told to use the dev profile and this target folder, so the
/// build reuses what `cargo test` compiled instead of a from-scratch release build.
fn pre_commit(tools: &Path) -> Result {
    let head = crate::output(
        "git",
        &["-C", &root().to_string_lossy(), "rev-parse", "HEAD"],
    )
    .ok_or("git rev-parse HEAD failed: the pre-commit test needs this repository's history")?;
    let dirty = crate::output(
        "git",
        &[
            "-C",
            &root().to_string_lossy(),
            "status",
            "--porcelain",
            "--",
            ".pre-commit-hooks.yaml",
            "pyproject.toml",
            "python",
        ],
    )
    .unwrap_or_default();
    if !dirty.trim().is_empty() {
        eprintln!("xtask: note: the pre-commit test uses the hooks as committed at HEAD; uncommitted changes to them are not tested:\n{dirty}");
    }
    let dir = scratch("pre-commit")?;
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).map_err(|e| e.to_string())?;
    git(&repo, &dir.join("cache"), &["init", "--quiet"])?;
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: sciguard\n",
        root().display(),
        head.trim()
    );
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).map_err(|e| e.to_string())?;
    let cache = dir.join("cache");
    let pre_commit = output_of(hook_env(
        Command::new(tools.join("bin/pre-commit"))
            .arg("install")
            .current_dir(&repo),
        &cache,
    ))?;
    expect(&pre_commit, 0, &[], "pre-commit install")?;
    std::fs::write(
        repo.join("load.py"),
        "import numpy as np\n\n\ndef load(path):\n    return np.load(path, allow_pickle=True)\n",
    )
    .map_err(|e| e.to_string())?;
    git(&repo, &cache, &["add", "."])?;
    let started = Instant::now();
    let blocked = git(&repo, &cache, &["commit", "--quiet", "-m", "load arrays"])?;
    expect(
        &blocked,
        1,
        &["sciguard", "Failed", "load.py:5:12: SCI202"],
        "a commit with a finding",
    )?;
    eprintln!(
        "xtask: pre-commit built the hook and blocked the commit in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    std::fs::write(
        repo.join("load.py"),
        "import numpy as np\n\n\ndef load(path):\n    return np.load(path)\n",
    )
    .map_err(|e| e.to_string())?;
    git(&repo, &cache, &["add", "."])?;
    let passed = git(&repo, &cache, &["commit", "--quiet", "-m", "load arrays"])?;
    expect(&passed, 0, &[], "a commit without findings")
}
