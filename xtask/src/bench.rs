//! `cargo xtask bench`: sciguard against the tools people would use instead, on the
//! pinned wheel corpus, in one run on one machine.
//!
//! - sciguard (`check --select ALL`) and `ruff check --no-cache --select S` on the whole
//!   corpus, alternating, on one core and on all cores;
//! - Bandit (single-threaded by design) and Semgrep on a subset (one package of the
//!   corpus, `--subset`), with sciguard and Ruff on the same subset for the ratios;
//!   Semgrep runs only with local rule files (`--semgrep-rules DIR`): its registry packs
//!   need its server, which this machine cannot reach.
//!
//! Each run is one child process; wall time comes from the clock, CPU time and peak
//! memory from `wait4` (the child and the processes it waited for). One core means
//! `taskset -c 0` and `RAYON_NUM_THREADS=1` (sciguard and Ruff both size their thread
//! pools from it). The table goes to stdout and to `target/bench/results.md`.

use crate::Result;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The peers, pinned so that runs on different days compare.
const PEERS: &[&str] = &["ruff==0.17.6", "bandit==1.9.4", "semgrep==1.185.0"];

const USAGE: &str =
    "usage: cargo xtask bench [--corpus DIR] [--runs N] [--subset PACKAGE] [--semgrep-rules DIR]";

/// What to run.
pub struct Options {
    /// Holds (or receives) the wheel corpus in `DIR/corpus`, as `make_corpus.sh` lays it.
    corpus: PathBuf,
    /// Runs per tool and thread count on the whole corpus (the median is shown).
    runs: usize,
    /// The package of the corpus that Bandit and Semgrep check.
    subset: String,
    /// Local Semgrep rule files (a folder or a file); without them Semgrep is skipped.
    semgrep_rules: Option<PathBuf>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            corpus: crate::precision::cache_dir()?,
            runs: 3,
            subset: "networkx".into(),
            semgrep_rules: None,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
            };
            match flag.as_str() {
                "--corpus" => options.corpus = PathBuf::from(value()?),
                "--runs" => {
                    options.runs = value()?
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or(format!("--runs needs a whole number above 0\n{USAGE}"))?
                }
                "--subset" => options.subset = value()?.clone(),
                "--semgrep-rules" => options.semgrep_rules = Some(PathBuf::from(value()?)),
                other => return Err(format!("unknown option `{other}`\n{USAGE}")),
            }
        }
        Ok(options)
    }
}

/// One measured run of a child process.
#[derive(Clone, Copy)]
struct Sample {
    wall: f64,
    cpu: f64,
    /// Peak resident memory in MiB.
    peak: f64,
}

/// Runs a command to its end and measures it. `one_core` pins it to CPU 0.
fn measure(program: &Path, args: &[OsString], one_core: bool, log: &Path) -> Result<Sample> {
    let mut command = if one_core {
        let mut c = Command::new("taskset");
        c.args(["-c", "0"])
            .arg(program)
            .env("RAYON_NUM_THREADS", "1");
        c
    } else {
        Command::new(program)
    };
    let stderr = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    let start = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| e.to_string())?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value (plain integers and timevals).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for (std never reaps on its own), and
    // both pointers are to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed().as_secs_f64();
    drop(child);
    if waited != pid {
        return Err(format!(
            "wait4 failed for {}: {}",
            program.display(),
            std::io::Error::last_os_error()
        ));
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // 0 and 1 are "no findings" and "findings" for every tool here; sciguard says 2 for
    // files it could not check in full, which its log names.
    if !matches!(code, Some(0..=2)) {
        return Err(format!(
            "{} {:?} ended with status {status} (see {})",
            program.display(),
            args,
            log.display()
        ));
    }
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok(Sample {
        wall,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        peak: usage.ru_maxrss as f64 / 1024.0,
    })
}

fn median(samples: &[Sample]) -> Sample {
    let mut sorted = samples.to_vec();
    sorted.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    sorted[sorted.len() / 2]
}

/// Files and lines of the Python files under a folder.
fn count_python(dir: &Path) -> (usize, usize) {
    let (mut files, mut lines) = (0, 0);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "py") {
                files += 1;
                lines += std::fs::read(&path)
                    .map(|b| b.iter().filter(|&&c| c == b'\n').count())
                    .unwrap_or(0);
            }
        }
    }
    (files, lines)
}

/// A virtualenv under the target folder holding the pinned peers.
fn peers_venv() -> Result<PathBuf> {
    let venv = crate::target_dir().join("bench/venv");
    let bin = venv.join("bin");
    let installed = crate::output(&bin.join("pip").to_string_lossy(), &["freeze"])
        .unwrap_or_default()
        .to_lowercase();
    if PEERS.iter().all(|p| installed.lines().any(|l| l == *p)) {
        return Ok(bin);
    }
    if !bin.join("pip").exists() {
        crate::run("python3", &["-m", "venv", &venv.to_string_lossy()])
            .map_err(|e| format!("{e}: the benchmark needs python3 with the venv module"))?;
    }
    let mut args = vec!["install", "--quiet", "--disable-pip-version-check"];
    args.extend_from_slice(PEERS);
    crate::run(&bin.join("pip").to_string_lossy(), &args)?;
    Ok(bin)
}

/// A tool's arguments, given the folder to check and whether it runs on one core.
type ArgsFor = Box<dyn Fn(&Path, bool) -> Vec<OsString>>;

/// A tool as the benchmark runs it.
struct Tool {
    name: &'static str,
    program: PathBuf,
    args: ArgsFor,
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// One row of the table.
struct Row {
    tool: &'static str,
    target: String,
    threads: String,
    lines: usize,
    runs: usize,
    sample: Sample,
}

impl Row {
    fn render(&self) -> String {
        format!(
            "| {} | {} | {} | {} | {:.2} | {:.2} | {:.0} | {:.0} |",
            self.tool,
            self.target,
            self.threads,
            self.runs,
            self.sample.wall,
            self.sample.cpu,
            self.sample.peak,
            self.lines as f64 / self.sample.wall,
        )
    }
}

pub fn run(root: &Path, options: &Options) -> Result {
    let corpus = crate::precision::ensure_corpus(root, &options.corpus)?;
    let subset = corpus.join(&options.subset);
    if !subset.is_dir() {
        return Err(format!(
            "--subset {}: no such package in {}",
            options.subset,
            corpus.display()
        ));
    }
    let bin = peers_venv()?;
    crate::run(
        "cargo",
        &["build", "--release", "--package", "sciguard-cli"],
    )?;
    let sciguard = crate::target_dir().join("release/sciguard");
    let out = crate::target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (files, lines) = count_python(&corpus);
    let (subset_files, subset_lines) = count_python(&subset);

    let sciguard_tool = Tool {
        name: "sciguard",
        program: sciguard.clone(),
        args: Box::new(|dir, _| {
            let mut args = os(&[
                "check",
                "--select",
                "ALL",
                "--exit-zero",
                "--output-format",
                "json",
            ]);
            args.push(dir.into());
            args
        }),
    };
    let ruff = Tool {
        name: "ruff",
        program: bin.join("ruff"),
        args: Box::new(|dir, _| {
            let mut args = os(&[
                "check",
                "--isolated",
                "--no-cache",
                "--select",
                "S",
                "--exit-zero",
                "--output-format",
                "json",
            ]);
            args.push(dir.into());
            args
        }),
    };
    let bandit = Tool {
        name: "bandit",
        program: bin.join("bandit"),
        args: Box::new(|dir, _| {
            let mut args = os(&["-q", "-f", "json", "-r"]);
            args.push(dir.into());
            args
        }),
    };
    let semgrep = options.semgrep_rules.as_ref().map(|rules| {
        let rules = rules.clone();
        Tool {
            name: "semgrep",
            program: bin.join("semgrep"),
            args: Box::new(move |dir, one_core| {
                let jobs = if one_core { 1 } else { cores };
                let mut args = os(&[
                    "scan",
                    "--metrics=off",
                    "--disable-version-check",
                    "--quiet",
                    "--json",
                    "--jobs",
                ]);
                args.push(jobs.to_string().into());
                args.push("--config".into());
                args.push(rules.clone().into());
                args.push(dir.into());
                args
            }),
        }
    });

    let mut rows: Vec<Row> = Vec::new();
    let threads = |one_core: bool| {
        if one_core {
            "1".into()
        } else {
            format!("{cores}")
        }
    };
    // The whole corpus: sciguard and Ruff alternating, `runs` times each.
    for one_core in [true, false] {
        let mut samples: [Vec<Sample>; 2] = [Vec::new(), Vec::new()];
        for run in 0..options.runs {
            for (i, tool) in [&sciguard_tool, &ruff].into_iter().enumerate() {
                eprintln!(
                    "xtask: bench: {} on the corpus, {} thread(s), run {}",
                    tool.name,
                    threads(one_core),
                    run + 1
                );
                let log = out.join(format!("{}.log", tool.name));
                let args = (tool.args)(&corpus, one_core);
                samples[i].push(measure(&tool.program, &args, one_core, &log)?);
            }
        }
        for (i, tool) in [&sciguard_tool, &ruff].into_iter().enumerate() {
            rows.push(Row {
                tool: tool.name,
                target: "corpus".into(),
                threads: threads(one_core),
                lines,
                runs: options.runs,
                sample: median(&samples[i]),
            });
        }
    }
    // The subset: every tool once per thread count (Bandit has one thread only).
    for one_core in [true, false] {
        let mut tools = vec![&sciguard_tool, &ruff];
        if one_core {
            tools.push(&bandit);
        }
        if let Some(semgrep) = &semgrep {
            tools.push(semgrep);
        }
        for tool in tools {
            eprintln!(
                "xtask: bench: {} on {}, {} thread(s)",
                tool.name,
                options.subset,
                threads(one_core)
            );
            let log = out.join(format!("{}-subset.log", tool.name));
            let args = (tool.args)(&subset, one_core);
            let sample = measure(&tool.program, &args, one_core, &log)?;
            rows.push(Row {
                tool: tool.name,
                target: options.subset.clone(),
                threads: threads(one_core),
                lines: subset_lines,
                runs: 1,
                sample,
            });
        }
    }

    let report = render(
        options,
        &rows,
        cores,
        (files, lines),
        (subset_files, subset_lines),
    );
    print!("{report}");
    let path = out.join("results.md");
    std::fs::write(&path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("xtask: bench: written to {}", path.display());
    Ok(())
}

fn render(
    options: &Options,
    rows: &[Row],
    cores: usize,
    corpus: (usize, usize),
    subset: (usize, usize),
) -> String {
    let mut text = format!(
        "sciguard bench: {cores} cores; corpus {} files, {} lines; subset `{}` {} files, {} lines\n\
         peers: {}\n\n\
         | tool | files | threads | runs | wall s (median) | CPU s | peak MiB | lines/s |\n\
         |---|---|---|---|---|---|---|---|\n",
        corpus.0,
        corpus.1,
        options.subset,
        subset.0,
        subset.1,
        PEERS.join(", "),
    );
    for row in rows {
        text.push_str(&row.render());
        text.push('\n');
    }
    let find = |tool: &str, target: &str, one: bool| {
        rows.iter()
            .find(|r| r.tool == tool && r.target == target && (r.threads == "1") == one)
            .map(|r| r.sample)
    };
    text.push_str("\nratios (sciguard / peer; below 1 means sciguard takes less):\n");
    for (target, label) in [("corpus", "corpus"), (options.subset.as_str(), "subset")] {
        for one in [true, false] {
            let cores_label = if one { "1 thread" } else { "all cores" };
            let Some(ours) = find("sciguard", target, one) else {
                continue;
            };
            for peer in ["ruff", "bandit", "semgrep"] {
                if let Some(theirs) = find(peer, target, one) {
                    text.push_str(&format!(
                        "- {label}, {cores_label}, vs {peer}: wall {:.3} (sciguard {:.1}x as fast), CPU {:.3}, peak memory {:.2}\n",
                        ours.wall / theirs.wall,
                        theirs.wall / ours.wall,
                        ours.cpu / theirs.cpu,
                        ours.peak / theirs.peak,
                    ));
                }
            }
        }
    }
    if options.semgrep_rules.is_none() {
        text.push_str("\nsemgrep: not run. Its registry rule packs (`p/python`) need semgrep's server, which this machine cannot reach; pass `--semgrep-rules DIR` with local rule files (for instance the `python/` folder of a checkout of the semgrep-rules repository) to include it.\n");
    }
    text.push_str("\nBandit has no parallel mode: it runs on one thread only, on the subset.\n");
    text
}
