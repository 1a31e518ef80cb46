//! `cargo xtask fuzz`: runs the `cargo fuzz` targets in `fuzz/` one after another for a
//! stated time each and prints what they found.
//!
//! The targets build on nightly (installed through rustup when missing, as is
//! `cargo-fuzz` from crates.io) without a sanitizer, with debug assertions on, into
//! `target/fuzz/build`. Corpora stay in `target/fuzz/corpus/TARGET` so that a later run
//! goes on where the last stopped; crashing inputs land in `target/fuzz/artifacts/TARGET`.
//! After a crash the target is started again until its time is used (at most
//! [`MAX_RESTARTS`] times), so that one shallow bug does not hide the rest. Each
//! fuzzer runs niced, so that the machine stays usable.

use crate::Result;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask fuzz [--secs N] [TARGET...]";

/// Every target in `fuzz/Cargo.toml`, in the order they run by default.
const TARGETS: &[&str] = &[
    "python_check",
    "notebook",
    "config_requirements",
    "config_pyproject",
    "config_ini",
    "config_yaml",
    "config_env",
    "settings",
    "policy_file",
    "baseline",
    "share_link",
];

/// Restarts after crashes, per target.
const MAX_RESTARTS: usize = 8;

/// What to run.
pub struct Options {
    secs: u64,
    targets: Vec<String>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            secs: 600,
            targets: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--secs" => {
                    options.secs = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .filter(|n| *n > 0)
                        .ok_or(format!("--secs needs a whole number above 0\n{USAGE}"))?
                }
                flag if flag.starts_with('-') => {
                    return Err(format!("unknown option `{flag}`\n{USAGE}"))
                }
                target if TARGETS.contains(&target) => options.targets.push(target.into()),
                other => {
                    return Err(format!(
                        "unknown fuzz target `{other}`; the targets are: {}",
                        TARGETS.join(", ")
                    ))
                }
            }
        }
        if options.targets.is_empty() {
            options.targets = TARGETS.iter().map(|t| t.to_string()).collect();
        }
        Ok(options)
    }
}

/// What one target's runs came to.
struct Outcome {
    target: String,
    seconds: u64,
    executions: u64,
    crashes: Vec<String>,
}

pub fn run(root: &Path, options: &Options) -> Result {
    let work = crate::target_dir().join("fuzz");
    let build = work.join("build");
    prepare()?;
    eprintln!("xtask: building the fuzz targets on nightly (minutes the first time)");
    // `cargo fuzz build` takes one target or none (all of them).
    let builds: Vec<Option<&String>> = if options.targets.len() == 1 {
        vec![options.targets.first()]
    } else {
        vec![None]
    };
    for target in builds {
        let status = Command::new("cargo")
            .args(["+nightly", "fuzz", "build", "--sanitizer", "none"])
            .args(["--debug-assertions"])
            .args(target)
            .env("CARGO_TARGET_DIR", &build)
            .current_dir(root.join("fuzz"))
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("cargo fuzz build failed ({status})"));
        }
    }
    let binaries = build.join(host_triple()?).join("release");
    let mut outcomes = Vec::new();
    for target in &options.targets {
        let outcome = fuzz_one(&binaries.join(target), target, &work, options.secs)?;
        eprintln!(
            "xtask: {target}: {} s, {} executions, {} crashes",
            outcome.seconds,
            outcome.executions,
            outcome.crashes.len()
        );
        outcomes.push(outcome);
    }
    let table = table(&outcomes, options.secs);
    println!("{table}");
    std::fs::write(work.join("results.md"), &table)
        .map_err(|e| format!("{}: {e}", work.join("results.md").display()))?;
    let crashed: Vec<_> = outcomes
        .iter()
        .filter(|o| !o.crashes.is_empty())
        .map(|o| o.target.as_str())
        .collect();
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "crashes in {}: inputs in {}",
            crashed.join(", "),
            work.join("artifacts").display()
        ))
    }
}

/// Installs the nightly toolchain and cargo-fuzz when they are missing.
fn prepare() -> Result {
    let has_nightly = crate::output("rustup", &["toolchain", "list"])
        .is_some_and(|list| list.lines().any(|l| l.starts_with("nightly")));
    if !has_nightly {
        crate::run(
            "rustup",
            &["toolchain", "install", "nightly", "--profile", "minimal"],
        )?;
    }
    if crate::output("cargo", &["+nightly", "fuzz", "--version"]).is_none() {
        crate::run("cargo", &["install", "--locked", "cargo-fuzz"])?;
    }
    Ok(())
}

fn host_triple() -> Result<String> {
    let version =
        crate::output("rustc", &["+nightly", "-vV"]).ok_or("cannot run rustc +nightly -vV")?;
    version
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_string)
        .ok_or_else(|| "rustc -vV printed no host".into())
}

/// Runs one target for `secs` seconds of fuzzing in all, restarting after crashes.
fn fuzz_one(binary: &Path, target: &str, work: &Path, secs: u64) -> Result<Outcome> {
    let corpus = work.join("corpus").join(target);
    let artifacts = work.join("artifacts").join(target);
    let logs = work.join("logs");
    for dir in [&corpus, &artifacts, &logs] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let start = Instant::now();
    let mut outcome = Outcome {
        target: target.into(),
        seconds: 0,
        executions: 0,
        crashes: Vec::new(),
    };
    for attempt in 0..=MAX_RESTARTS {
        let left = secs.saturating_sub(start.elapsed().as_secs());
        if left == 0 {
            break;
        }
        let log: PathBuf = logs.join(format!("{target}.{attempt}.log"));
        let log_file =
            std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let status = Command::new("nice")
            .args(["-n", "19"])
            .arg(binary)
            .arg(&corpus)
            .arg(format!("-max_total_time={left}"))
            .args(["-timeout=20", "-rss_limit_mb=3072", "-print_final_stats=1"])
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file)
            .status()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        outcome.executions += executions(&text);
        if !status.success() {
            let first = text
                .lines()
                .find(|l| l.contains("panicked") || l.contains("ERROR:"))
                .unwrap_or("(no message; see the log)");
            outcome.crashes.push(format!("{first} [{}]", log.display()));
        }
    }
    outcome.seconds = start.elapsed().as_secs();
    Ok(outcome)
}

/// The executions a libFuzzer log reports (its final stats, or its last status line).
fn executions(log: &str) -> u64 {
    let stat = log.lines().find_map(|l| {
        l.strip_prefix("stat::number_of_executed_units:")
            .and_then(|n| n.trim().parse().ok())
    });
    stat.or_else(|| {
        log.lines().rev().find_map(|l| {
            let n = l.strip_prefix('#')?;
            n.split_whitespace().next()?.parse().ok()
        })
    })
    .unwrap_or(0)
}

fn table(outcomes: &[Outcome], secs: u64) -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut out = format!(
        "Fuzzing, {secs} s per target, one target at a time, niced, on {cores} cores \
         (no sanitizer, debug assertions on)\n\n\
         | target | seconds | executions | crashes |\n|---|--:|--:|---|\n"
    );
    for o in outcomes {
        let crashes = if o.crashes.is_empty() {
            "0".to_string()
        } else {
            format!("{}: {}", o.crashes.len(), o.crashes[0])
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            o.target, o.seconds, o.executions, crashes
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executions_come_from_the_final_stats_or_the_last_status_line() {
        let log =
            "#1024 pulse cov: 5\n#2048 NEW cov: 9 ft: 3\nstat::number_of_executed_units: 2100\n";
        assert_eq!(executions(log), 2100);
        assert_eq!(executions("#10 INITED\n#77 NEW cov: 1\ndone"), 77);
        assert_eq!(executions("nothing"), 0);
    }

    #[test]
    fn unknown_targets_and_options_are_refused() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(Options::parse(&args(&["nope"])).is_err());
        assert!(Options::parse(&args(&["--secs", "0"])).is_err());
        assert!(Options::parse(&args(&["--fast"])).is_err());
        let options = Options::parse(&args(&["--secs", "5", "notebook"])).unwrap();
        assert_eq!((options.secs, options.targets.len()), (5, 1));
        assert_eq!(Options::parse(&[]).unwrap().targets.len(), TARGETS.len());
    }
}
