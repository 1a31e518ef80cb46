//! `cargo xtask <task>`: the project's development workflows.
//!
//! - `test`: everything CI checks: formatting, clippy with warnings denied, all tests.
//! - `demo`: builds the CLI and checks the example project in `examples/`.

use std::process::{Command, ExitCode};

fn run(program: &str, args: &[&str]) -> bool {
    eprintln!("xtask: {program} {}", args.join(" "));
    match Command::new(program).args(args).status() {
        Ok(status) => status.success(),
        Err(error) => {
            eprintln!("xtask: cannot run {program}: {error}");
            false
        }
    }
}

fn test() -> bool {
    run("cargo", &["fmt", "--all", "--", "--check"])
        && run(
            "cargo",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        )
        && run("cargo", &["test", "--workspace"])
}

fn demo() -> bool {
    // The example project is meant to have findings; exit code 1 is the expected result.
    run(
        "cargo",
        &["build", "--release", "--package", "sciguard-cli"],
    );
    let status = Command::new("target/release/sciguard")
        .args(["check", "examples/ingestion-pipeline"])
        .status();
    matches!(status.map(|s| s.code()), Ok(Some(0 | 1)))
}

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let ok = match task.as_str() {
        "test" => test(),
        "demo" => demo(),
        _ => {
            eprintln!("usage: cargo xtask <test|demo>\n  test  formatting, clippy and every test (what CI runs)\n  demo  build the CLI and check examples/ingestion-pipeline");
            return ExitCode::from(2);
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
