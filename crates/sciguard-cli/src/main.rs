//! `sciguard`: check Python, notebooks and project configuration from the command line,
//! in CI and pre-commit.

mod failure;
mod files;

use anyhow::Result;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use sciguard::checklist::{self, FileScope, Workflow};
use sciguard::config::advisories::{self, AdvisoryTable};
use sciguard::project::{self, Executor, ProjectSettings};
use sciguard::report::{self, DocsUrl, FileReport, Summary};
use sciguard::rules::Registry;
use sciguard::settings::Selector;
use sciguard::SourceFile;
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
    /// Check Python files, notebooks and configuration files, and folders of them (folders
    /// are walked respecting .gitignore); files checked together inform each other.
    Check(CheckArgs),
    /// Work with the advisory table of known-vulnerable versions.
    Advisories {
        #[command(subcommand)]
        command: AdvisoriesCommand,
    },
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
        #[command(flatten)]
        docs: DocsArgs,
    },
}

#[derive(clap::Args)]
struct DocsArgs {
    /// Where your organisation hosts the sciguard site (an http(s) URL or a relative path):
    /// rule links become URL#/rules/CODE. Wins over `docs-url` in pyproject.toml, which wins
    /// over the SCIGUARD_DOCS_URL environment variable. With none, output names the
    /// `sciguard rule CODE` command instead of a link.
    #[arg(long, value_name = "URL", value_parser = DocsUrl::parse)]
    docs_url: Option<DocsUrl>,
}

#[derive(Subcommand)]
enum AdvisoriesCommand {
    /// Rebuild the table from an OSV export of the PyPI ecosystem (the zip of OSV JSON
    /// records, or one JSON record); use the result with `check --advisories`.
    Import {
        /// The OSV zip (or a .json record).
        file: PathBuf,
        /// Where to write the table.
        #[arg(long, short, default_value = "sciguard-advisories.toml")]
        output: PathBuf,
    },
    /// Print the table in use (date, source, advisories) as TOML.
    Show {
        /// A table written by `advisories import` (default: the built-in table).
        #[arg(long)]
        advisories: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct Selection {
    /// An advisory table written by `sciguard advisories import` (default: the built-in one).
    #[arg(long)]
    advisories: Option<PathBuf>,
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
    #[command(flatten)]
    docs: DocsArgs,
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
    failure::exit_on_panic();
    let table = AdvisoryTable::builtin();
    let version: &'static str = Box::leak(
        format!(
            "{} (advisory table {}, {} advisories)",
            env!("CARGO_PKG_VERSION"),
            table.date,
            table.advisories.len()
        )
        .into_boxed_str(),
    );
    let matches = Cli::command().version(version).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Advisories { command } => advisories_command(command),
        Command::Checklist(args) => checklist(args),
        Command::Rule { rule } => show_rule(&rule),
        Command::Rules {
            output_format,
            docs,
        } => list_rules(output_format, docs),
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

/// The environment variable naming the docs base when neither the command line nor
/// pyproject.toml does.
const DOCS_URL_VAR: &str = "SCIGUARD_DOCS_URL";

/// The settings governing the current folder (from the nearest `pyproject.toml` that
/// configures sciguard), for what holds for a whole run (`docs-url`).
fn settings_here() -> Result<sciguard::settings::Settings> {
    let here = PathBuf::from(".");
    let mut pyprojects = Vec::new();
    for path in files::pyprojects_above(std::slice::from_ref(&here)) {
        if let Ok(text) = files::read_text(&path) {
            pyprojects.push((files::absolute(&path), text));
        }
    }
    let settings = ProjectSettings::discover(
        pyprojects.iter().map(|(p, t)| (p.as_str(), t.as_str())),
        &project::Options::default(),
    );
    if let Some(problem) = settings.problems().iter().find(|p| p.malformed_table) {
        anyhow::bail!("{}: {}", problem.path, problem.message);
    }
    let probe = format!("{}/-", files::absolute(&here));
    Ok(settings.governing(&probe).0.clone())
}

/// Where rule links point: `--docs-url`, else `docs-url` in the pyproject.toml governing
/// the current folder, else `SCIGUARD_DOCS_URL`; none when none is set.
fn resolve_docs_url(docs: DocsArgs) -> Result<Option<DocsUrl>> {
    if docs.docs_url.is_some() {
        return Ok(docs.docs_url);
    }
    if let Some(url) = settings_here()?.docs_url() {
        return Ok(Some(url.clone()));
    }
    match std::env::var(DOCS_URL_VAR) {
        Ok(text) if !text.trim().is_empty() => DocsUrl::parse(&text)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("{DOCS_URL_VAR}: {e}")),
        Err(std::env::VarError::NotUnicode(_)) => {
            anyhow::bail!("{DOCS_URL_VAR}: not valid UTF-8")
        }
        _ => Ok(None),
    }
}

/// What checking the selected paths gave.
struct Checked {
    /// One report per file read, sorted by file name.
    reports: Vec<FileReport>,
    /// Paths that could not be found or read; the run went on without them.
    problems: Vec<files::Problem>,
    /// Whether discovery found no file to check at all.
    no_files: bool,
}

impl Checked {
    /// Tells the user about unreadable paths and about files sciguard could not check in
    /// full (a failed check is never a pass); returns how many make the run fail.
    fn report_problems(&self) -> usize {
        for problem in &self.problems {
            eprintln!("sciguard: {}", problem.message);
        }
        let mut failed = self.problems.iter().filter(|p| p.is_error).count();
        for report in &self.reports {
            if let Some(why) = &report.unchecked {
                eprintln!(
                    "sciguard: error: could not check all of {}: {why}",
                    report.filename
                );
                failed += 1;
            }
        }
        if self.no_files && failed == 0 {
            eprintln!("sciguard: warning: no files to check found");
        }
        failed
    }
}

/// Finds the files under the selected paths and checks them as one project, through the
/// project API: this front end only reads files and maps the work over threads.
fn check_selection(selection: Selection, registry: &Registry) -> Result<Checked> {
    let select = parse_selectors(&selection.select, "--select", registry)?;
    let ignore = parse_selectors(&selection.ignore, "--ignore", registry)?;
    let paths = if selection.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        selection.paths
    };
    let table = load_table(selection.advisories.as_deref())?;
    let options = project::Options {
        select: (!select.is_empty()).then_some(select),
        ignore,
        advisories: Some(&table),
        roots: paths
            .iter()
            .filter(|p| p.is_dir())
            .map(|p| files::absolute(p))
            .collect(),
        ..project::Options::default()
    };
    let discovered = files::discover(&paths)?;
    let mut problems = discovered.problems;
    // Settings come from every pyproject.toml walked, and those above the named paths.
    let mut pyprojects: Vec<(String, String)> = Vec::new();
    let walked = discovered
        .files
        .iter()
        .filter(|f| f.path.file_name().is_some_and(|n| n == "pyproject.toml"))
        .map(|f| f.path.clone());
    for path in files::pyprojects_above(&paths).into_iter().chain(walked) {
        if pyprojects.iter().any(|(p, _)| *p == files::absolute(&path)) {
            continue;
        }
        // An unreadable one is reported when it is checked (or not at all, above the run).
        if let Ok(text) = files::read_text(&path) {
            pyprojects.push((files::absolute(&path), text));
        }
    }
    let settings = ProjectSettings::discover(
        pyprojects.iter().map(|(p, t)| (p.as_str(), t.as_str())),
        &options,
    );
    for problem in settings.problems() {
        if problem.malformed_table {
            anyhow::bail!("{}: {}", problem.path, problem.message);
        }
        eprintln!(
            "sciguard: warning: {}: {}; its [tool.sciguard] settings are not applied",
            problem.path, problem.message
        );
    }
    let chosen: Vec<&files::File> = discovered
        .files
        .iter()
        .filter(|f| !settings.is_excluded(&f.absolute))
        .collect();
    let executor = Threads::new()?;
    let read = executor.map(&chosen, |file| {
        files::read_text(&file.path).map(|text| SourceFile {
            path: file.absolute.clone(),
            text,
            kind: Some(file.kind),
            display: Some(file.display.clone()),
        })
    });
    let mut sources = Vec::with_capacity(read.len());
    for outcome in read {
        match outcome {
            Ok(source) => sources.push(source),
            Err(problem) => problems.push(problem),
        }
    }
    let mut reports = settings.check(sources, &options, &executor);
    reports.sort_by(|a, b| a.filename.cmp(&b.filename));
    Ok(Checked {
        reports,
        problems,
        no_files: discovered.files.is_empty(),
    })
}

/// The project API's work, mapped over a thread pool.
struct Threads {
    pool: rayon::ThreadPool,
}

impl Threads {
    fn new() -> Result<Threads> {
        // Deep (but legal) nesting recurses in the parser and in drop; give each worker room.
        let pool = rayon::ThreadPoolBuilder::new()
            .stack_size(256 << 20)
            .build()?;
        Ok(Threads { pool })
    }
}

impl Executor for Threads {
    fn map<T: Sync, R: Send>(&self, items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
        let work = &work;
        self.pool.install(|| items.par_iter().map(work).collect())
    }
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let registry = Registry::builtin();
    let docs = resolve_docs_url(args.docs)?;
    let docs = docs.as_ref();
    let checked = check_selection(args.selection, registry)?;
    let reports = &checked.reports;
    let mut stdout = std::io::stdout().lock();
    let rendered = match args.output_format {
        OutputFormat::Text => report::render_text(reports, docs) + &scorecard_line(reports),
        OutputFormat::Json => report::render_json(reports, docs) + "\n",
        OutputFormat::Sarif => report::render_sarif(reports, project::rule_help, docs) + "\n",
        OutputFormat::Github => report::render_github(reports, docs),
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

/// The pillar scorecard in one line, the same numbers as `checklist` and the site show.
fn scorecard_line(reports: &[FileReport]) -> String {
    let card = checklist::scorecard::Scorecard::of_reports(reports);
    if card.pillars.iter().all(|p| p.findings == 0) {
        return String::new();
    }
    let pillars: Vec<String> = card
        .pillars
        .iter()
        .map(|p| format!("{} {:.1} {}", p.pillar.key(), p.per_kloc, p.level.label()))
        .collect();
    format!(
        "Scorecard (severity-weighted findings per 1,000 lines, over {} lines): {}\n",
        card.lines,
        pillars.join(", ")
    )
}

/// The advisory table: a file written by `advisories import`, or the built-in one.
fn load_table(path: Option<&std::path::Path>) -> Result<std::borrow::Cow<'static, AdvisoryTable>> {
    Ok(match path {
        None => std::borrow::Cow::Borrowed(AdvisoryTable::builtin()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            std::borrow::Cow::Owned(
                AdvisoryTable::from_toml(&text)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
            )
        }
    })
}

fn advisories_command(command: AdvisoriesCommand) -> Result<ExitCode> {
    match command {
        AdvisoriesCommand::Show { advisories } => {
            let table = load_table(advisories.as_deref())?;
            print!("{}", table.to_toml());
        }
        AdvisoriesCommand::Import { file, output } => {
            let records = read_osv_records(&file)?;
            let texts = || records.iter().map(String::as_str);
            let (found, counts) = advisories::from_osv_records(texts());
            let date = advisories::newest_record_date(texts()).unwrap_or_else(|| "unknown".into());
            let table = AdvisoryTable::new(
                date.clone(),
                format!("OSV export {}", file.display()),
                found,
            )?;
            std::fs::write(&output, table.to_toml())
                .map_err(|e| anyhow::anyhow!("{}: {e}", output.display()))?;
            eprintln!(
                "sciguard: read {} records: {} imported, {} skipped (withdrawn or no PyPI range), {} not JSON; {} advisories dated {date} written to {}",
                counts.records,
                counts.imported,
                counts.skipped,
                counts.invalid,
                table.advisories.len(),
                output.display()
            );
            if table.advisories.is_empty() {
                anyhow::bail!(
                    "{}: no PyPI advisories found; is this an OSV export?",
                    file.display()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The JSON records of an OSV export: a zip of `.json` files, or one `.json` file.
fn read_osv_records(path: &std::path::Path) -> Result<Vec<String>> {
    use std::io::Read;
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if !bytes.starts_with(b"PK") {
        let text = String::from_utf8(bytes).map_err(|_| {
            anyhow::anyhow!("{}: neither a zip nor a UTF-8 JSON record", path.display())
        })?;
        return Ok(vec![text]);
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| anyhow::anyhow!("{}: not a readable zip: {e}", path.display()))?;
    let mut records = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| anyhow::anyhow!("{}: entry {i}: {e}", path.display()))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if !name.ends_with(".json") {
            continue;
        }
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .map_err(|e| anyhow::anyhow!("{}: {name}: {e}", path.display()))?;
        records.push(text);
    }
    Ok(records)
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

fn list_rules(format: ListFormat, docs: DocsArgs) -> Result<ExitCode> {
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
            let docs = resolve_docs_url(docs)?;
            let rules: Vec<serde_json::Value> = registry
                .rules()
                .map(|(_, r)| {
                    let mut rule = serde_json::json!({
                        "code": r.code, "name": r.name, "pillar": r.pillar, "severity": r.severity,
                        "summary": r.summary, "implementation": r.implementation(),
                        "bandit": r.bandit, "ruff": r.ruff,
                    });
                    if let Some(docs) = &docs {
                        rule["url"] = docs.rule_url(&r.code).into();
                    }
                    rule
                })
                .collect();
            out = serde_json::to_string_pretty(&rules)? + "\n";
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
