//! `sciguard`: check Python files from the command line, in CI and pre-commit.

mod files;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use sciguard::checklist::{self, FileScope, Workflow};
use sciguard::report::{self, FileReport, Summary};
use sciguard::rules::Registry;
use sciguard::settings::{Selector, Settings};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

// Parsing allocates many small nodes on several threads; mimalloc handles that well.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "sciguard",
    version,
    about = "Security and reliability checks for scientific Python"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check Python files and folders (folders are walked respecting .gitignore).
    Check(CheckArgs),
    /// Print a rule's page: what it reports, why, an example and the fix.
    Rule {
        /// A code (SCI202) or name (numpy-load-allow-pickle).
        rule: String,
    },
    /// Turn the findings into a phased rollout plan, a pull-request checklist and a scorecard.
    Checklist(ChecklistArgs),
    /// List every rule with its pillar, severity and implementation.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        output_format: ListFormat,
    },
}

#[derive(clap::Args)]
struct Selection {
    /// Files or folders to check (default: the current folder).
    paths: Vec<PathBuf>,
    /// Only these rules: codes, code prefixes, names or pillars, comma-separated (replaces `select` in pyproject.toml).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (added to `ignore` in pyproject.toml).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    selection: Selection,
    /// Exit with 0 even when there are findings.
    #[arg(long)]
    exit_zero: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    output_format: OutputFormat,
}

#[derive(clap::Args)]
struct ChecklistArgs {
    #[command(flatten)]
    selection: Selection,
    /// The workflow to start with: checkout, ingestion, reporting, training, or your own name.
    #[arg(long)]
    workflow: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ChecklistFormat::Markdown)]
    format: ChecklistFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChecklistFormat {
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Checklist(args) => checklist(args),
        Command::Rule { rule } => show_rule(&rule),
        Command::Rules { output_format } => list_rules(output_format),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("sciguard: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn parse_selectors(texts: &[String], flag: &str, registry: &Registry) -> Result<Vec<Selector>> {
    texts
        .iter()
        .filter(|t| !t.trim().is_empty())
        .map(|t| Selector::parse(t, registry).map_err(|m| anyhow::anyhow!("{flag}: {m}")))
        .collect()
}

/// What checking the selected paths gave.
struct Checked {
    /// One report per file read, sorted by file name.
    reports: Vec<FileReport>,
    /// Paths that could not be found or read; the run went on without them.
    problems: Vec<files::Problem>,
    /// Whether discovery found no Python file at all.
    no_files: bool,
}

impl Checked {
    /// Tells the user about unreadable paths; returns how many make the run fail.
    fn report_problems(&self) -> usize {
        for problem in &self.problems {
            eprintln!("sciguard: {}", problem.message);
        }
        let failed = self.problems.iter().filter(|p| p.is_error).count();
        if self.no_files && failed == 0 {
            eprintln!("sciguard: warning: no Python files found");
        }
        failed
    }
}

/// Finds the Python files under the selected paths and checks them in parallel.
fn check_selection(selection: Selection, registry: &Registry) -> Result<Checked> {
    let select = parse_selectors(&selection.select, "--select", registry)?;
    let ignore = parse_selectors(&selection.ignore, "--ignore", registry)?;
    let paths = if selection.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        selection.paths
    };
    let adjust = |settings: Settings| {
        let settings = if select.is_empty() {
            settings
        } else {
            settings.with_select(select.clone())
        };
        settings.with_ignore(ignore.clone())
    };
    let discovered = files::discover(&paths, registry, &adjust)?;
    let mut problems = discovered.problems;

    // Deep (but legal) nesting recurses in the parser and in drop; give each worker room.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(256 << 20)
        .build()?;
    let outcomes: Vec<Result<FileReport, files::Problem>> = pool.install(|| {
        discovered
            .files
            .par_iter()
            .map(|file| {
                let source = files::read_python(&file.path)?;
                let rules = file.settings.rules_for(registry, &file.relative);
                Ok(FileReport {
                    filename: file.display.clone(),
                    findings: sciguard::check_python(&source, registry, &rules),
                    source,
                })
            })
            .collect()
    });
    let mut reports = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        match outcome {
            Ok(report) => reports.push(report),
            Err(problem) => problems.push(problem),
        }
    }
    reports.sort_by(|a, b| a.filename.cmp(&b.filename));
    Ok(Checked {
        reports,
        problems,
        no_files: discovered.files.is_empty(),
    })
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let registry = Registry::builtin();
    let checked = check_selection(args.selection, registry)?;
    let reports = &checked.reports;
    let mut stdout = std::io::stdout().lock();
    let rendered = match args.output_format {
        OutputFormat::Text => report::render_text(reports),
        OutputFormat::Json => report::render_json(reports) + "\n",
        OutputFormat::Sarif => report::render_sarif(reports, registry) + "\n",
        OutputFormat::Github => report::render_github(reports),
    };
    stdout.write_all(rendered.as_bytes())?;
    stdout.flush()?;
    let failed = checked.report_problems();
    let total = Summary::of(reports).total();
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else if total > 0 && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn checklist(args: ChecklistArgs) -> Result<ExitCode> {
    let workflow =
        Workflow::parse(&args.workflow).map_err(|e| anyhow::anyhow!("--workflow: {e}"))?;
    let checked = check_selection(args.selection, Registry::builtin())?;
    // The paths named on the command line are the workflow: every file is in scope.
    let plan = checklist::plan(&checked.reports, workflow, &FileScope::All);
    let rendered = match args.format {
        ChecklistFormat::Markdown => checklist::render_markdown(&plan, &BTreeSet::new()),
        ChecklistFormat::Json => checklist::render_json(&plan) + "\n",
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(rendered.as_bytes())?;
    stdout.flush()?;
    let failed = checked.report_problems();
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn show_rule(key: &str) -> Result<ExitCode> {
    let registry = Registry::builtin();
    match registry.find(key) {
        Some(id) => {
            print!("{}", registry.rule(id).render_markdown());
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let close: Vec<String> = registry
                .rules()
                .filter(|(_, r)| r.code.contains(&key.to_ascii_uppercase()) || r.name.contains(key))
                .map(|(_, r)| format!("{} {}", r.code, r.name))
                .take(5)
                .collect();
            let hint = if close.is_empty() {
                "run `sciguard rules` to list them".to_string()
            } else {
                format!("did you mean: {}", close.join(", "))
            };
            anyhow::bail!("no rule `{key}`; {hint}")
        }
    }
}

fn list_rules(format: ListFormat) -> Result<ExitCode> {
    let registry = Registry::builtin();
    let mut out = String::new();
    match format {
        ListFormat::Text => {
            out.push_str(&format!(
                "{:<7} {:<36} {:<11} {:<8} {}\n",
                "CODE", "NAME", "PILLAR", "SEVERITY", "IMPLEMENTATION"
            ));
            for (_, r) in registry.rules() {
                out.push_str(&format!(
                    "{:<7} {:<36} {:<11} {:<8} {}\n",
                    r.code,
                    r.name,
                    r.pillar.key(),
                    r.severity,
                    r.implementation()
                ));
            }
        }
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = registry
                .rules()
                .map(|(_, r)| {
                    serde_json::json!({
                        "code": r.code, "name": r.name, "pillar": r.pillar, "severity": r.severity,
                        "summary": r.summary, "implementation": r.implementation(),
                        "bandit": r.bandit, "ruff": r.ruff, "url": report::rule_url(&r.code),
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&rules)? + "\n";
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
