//! `sciguard`: check Python, notebooks and project configuration from the command line,
//! in CI and pre-commit.

mod baseline;
mod failure;
mod files;
mod fixes;
mod policies;

use anyhow::Result;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use sciguard::checklist::{self, FileScope, Workflow};
use sciguard::config::advisories::{self, AdvisoryTable};
use sciguard::input::SourceKind;
use sciguard::project::{self, Executor, ProjectSettings};
use sciguard::report::{self, DocsUrl, FileReport, Summary};
use sciguard::rules::Registry;
use sciguard::settings::{Selector, CHECK_DEFAULTS};
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
        /// Organisation policy files or folders whose rules to include.
        #[arg(long = "policy", value_name = "FILE_OR_DIR")]
        policies: Vec<PathBuf>,
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
        /// Organisation policy files or folders whose rules to include.
        #[arg(long = "policy", value_name = "FILE_OR_DIR")]
        policies: Vec<PathBuf>,
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
    /// An organisation policy file (a rule page with an ORG code), or a folder of them
    /// (`*.md`), added to the built-in rules; repeatable. `[tool.sciguard] policies` in
    /// pyproject.toml adds more.
    #[arg(long = "policy", value_name = "FILE_OR_DIR")]
    policies: Vec<PathBuf>,
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
    /// The path the text read from standard input (the path `-`) stands for: its kind and
    /// its settings come from this name, and findings are reported against it.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Apply the safe fixes and write the files back (with `-`, print the fixed text);
    /// the findings left are reported.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff: apply the fixes that change behaviour too.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the changes --fix would make as a unified diff, and write nothing; exits
    /// with 1 when there are changes.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    /// Print how many findings each rule has instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Report only findings absent from this baseline (written by --write-baseline),
    /// matched by rule, file and the text of the flagged line, not its number.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write every finding to this baseline file and exit with 0.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "fix", "diff"])]
    write_baseline: Option<PathBuf>,
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
    /// GitLab's code quality report (Code Climate JSON).
    Gitlab,
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
        Command::Rule { rule, policies } => show_rule(&rule, &policies),
        Command::Rules {
            output_format,
            docs,
            policies,
        } => list_rules(output_format, docs, &policies),
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
    Selector::parse_all(texts, registry).map_err(|m| anyhow::anyhow!("{flag}: {m}"))
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
    // The policies the settings name decide what their `select` may name; problems with
    // them are reported by the run itself.
    let registry = policies::registry(&[], &pyprojects, &mut Vec::new());
    let settings = ProjectSettings::discover(
        pyprojects.iter().map(|(p, t)| (p.as_str(), t.as_str())),
        &project::Options {
            registry: Some(registry),
            ..project::Options::default()
        },
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
    /// The files checked (without their texts, which the reports hold), to check again.
    checked: Vec<SourceFile>,
    /// The settings and options of the run, to check again after fixing.
    run: Run,
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

    /// The file a report is about.
    fn file_of(&self, report: &FileReport) -> Option<&SourceFile> {
        self.checked
            .iter()
            .find(|f| f.shown_name() == report.filename)
    }
}

/// What a run checks with: the settings found and the command line's options.
struct Run {
    settings: ProjectSettings,
    /// The rules: built-in, plus the organisation's policies when any are given.
    registry: &'static Registry,
    select: Option<Vec<Selector>>,
    extend_select: Vec<Selector>,
    ignore: Vec<Selector>,
    roots: Vec<String>,
    table: std::borrow::Cow<'static, AdvisoryTable>,
    executor: Threads,
}

impl Run {
    fn options(&self) -> project::Options<'_> {
        project::Options {
            select: self.select.clone(),
            extend_select: self.extend_select.clone(),
            ignore: self.ignore.clone(),
            advisories: Some(&self.table),
            roots: self.roots.clone(),
            registry: Some(self.registry),
            ..project::Options::default()
        }
    }

    /// Checks the files as one project, through the project API; reports sorted by name.
    fn check(&self, sources: Vec<SourceFile>) -> Vec<FileReport> {
        let mut reports = self
            .settings
            .check(sources, &self.options(), &self.executor);
        reports.sort_by(|a, b| a.filename.cmp(&b.filename));
        reports
    }

    /// [`Run::check`] for files not read yet; files that could not be read come back as
    /// problems. Unless `keep_texts`, the project API reads each file as it checks it and
    /// keeps only the texts of files with findings, so that a large tree is never in
    /// memory all at once. Fixing needs every text kept: it checks the whole project
    /// again after the fixes, and files without findings still count there (what they
    /// save, declare and import).
    fn check_reading(
        &self,
        sources: Vec<SourceFile>,
        keep_texts: bool,
    ) -> (Vec<FileReport>, Vec<files::Problem>) {
        let read = |file: &SourceFile| {
            files::read_named(std::path::Path::new(&file.path), file.shown_name())
        };
        if !keep_texts {
            let (mut reports, problems) =
                self.settings
                    .check_reading(sources, &read, &self.options(), &self.executor);
            reports.sort_by(|a, b| a.filename.cmp(&b.filename));
            return (reports, problems);
        }
        let texts = self.executor.map(&sources, read);
        let mut problems = Vec::new();
        let mut read_files = Vec::with_capacity(sources.len());
        for (file, text) in sources.into_iter().zip(texts) {
            match text {
                Ok(text) => read_files.push(SourceFile { text, ..file }),
                Err(problem) => problems.push(problem),
            }
        }
        (self.check(read_files), problems)
    }
}

/// Text read from standard input, and the path it stands for.
struct Stdin {
    text: String,
    /// The path as given with `--stdin-filename` (`-` without one).
    name: PathBuf,
}

impl Stdin {
    /// Reads standard input when the paths are `-`; `None` when they name files.
    fn read(paths: &[PathBuf], name: Option<&std::path::Path>) -> Result<Option<Stdin>> {
        let dash = paths.iter().filter(|p| p.as_os_str() == "-").count();
        if dash == 0 {
            if name.is_some() {
                anyhow::bail!(
                    "--stdin-filename names the text read from standard input; give `-` as the path to read it"
                );
            }
            return Ok(None);
        }
        if paths.len() > 1 {
            anyhow::bail!("`-` (standard input) cannot be checked together with other paths");
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| anyhow::anyhow!("standard input: cannot read: {e}"))?;
        let name = name.map_or_else(|| PathBuf::from("-"), std::path::Path::to_path_buf);
        let text = files::decode(bytes, &name.display().to_string())
            .map_err(|problem| anyhow::anyhow!("{}", problem.message))?;
        Ok(Some(Stdin { text, name }))
    }
}

/// Finds the files under the selected paths (or takes the text read from standard input)
/// and checks them as one project, through the project API: this front end only reads
/// files and maps the work over threads.
fn check_selection(
    selection: Selection,
    registry: &'static Registry,
    stdin: Option<&Stdin>,
    extend_select: Vec<Selector>,
    keep_texts: bool,
) -> Result<Checked> {
    let paths = if selection.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        selection.paths
    };
    let table = load_table(selection.advisories.as_deref())?;
    // Settings for text read from standard input come from the folders above the path it
    // stands for.
    let discovered = match stdin {
        Some(_) => files::Discovered {
            files: Vec::new(),
            problems: Vec::new(),
        },
        None => files::discover(&paths)?,
    };
    let roots = match stdin {
        Some(_) => Vec::new(),
        None => paths
            .iter()
            .filter(|p| p.is_dir())
            .map(|p| files::absolute(p))
            .collect(),
    };
    let mut problems = discovered.problems;
    // Settings come from every pyproject.toml walked, and those above the named paths.
    let mut pyprojects: Vec<(String, String)> = Vec::new();
    let walked = discovered
        .files
        .iter()
        .filter(|f| f.path.file_name().is_some_and(|n| n == "pyproject.toml"))
        .map(|f| f.path.clone());
    let above = match stdin {
        Some(stdin) => files::pyprojects_above(&[files::existing_folder(&stdin.name)]),
        None => files::pyprojects_above(&paths),
    };
    for path in above.into_iter().chain(walked) {
        if pyprojects.iter().any(|(p, _)| *p == files::absolute(&path)) {
            continue;
        }
        // An unreadable one is reported when it is checked (or not at all, above the run).
        if let Ok(text) = files::read_text(&path) {
            pyprojects.push((files::absolute(&path), text));
        }
    }
    // Organisation policies extend the rules that `select` may name.
    let registry = if selection.policies.is_empty()
        && pyprojects.iter().all(|(_, t)| !t.contains("policies"))
    {
        registry
    } else {
        policies::registry(&selection.policies, &pyprojects, &mut problems)
    };
    let select = parse_selectors(&selection.select, "--select", registry)?;
    let ignore = parse_selectors(&selection.ignore, "--ignore", registry)?;
    let run = Run {
        settings: ProjectSettings::discover(
            pyprojects.iter().map(|(p, t)| (p.as_str(), t.as_str())),
            &project::Options {
                select: (!select.is_empty()).then(|| select.clone()),
                extend_select: extend_select.clone(),
                ignore: ignore.clone(),
                advisories: Some(&table),
                roots: roots.clone(),
                registry: Some(registry),
                ..project::Options::default()
            },
        ),
        registry,
        select: (!select.is_empty()).then_some(select),
        extend_select,
        ignore,
        roots,
        table,
        executor: Threads::new()?,
    };
    for problem in run.settings.problems() {
        if problem.malformed_table {
            anyhow::bail!("{}: {}", problem.path, problem.message);
        }
        eprintln!(
            "sciguard: warning: {}: {}; its [tool.sciguard] settings are not applied",
            problem.path, problem.message
        );
    }
    let mut sources = Vec::new();
    if let Some(stdin) = stdin {
        let display = stdin.name.to_string_lossy().to_string();
        sources.push(SourceFile {
            path: files::absolute_named(&stdin.name),
            text: stdin.text.clone(),
            // As for a named file: a name of no known kind is read as Python.
            kind: Some(SourceKind::from_path(&display).unwrap_or(SourceKind::Python)),
            display: Some(display),
        });
    }
    let chosen: Vec<&files::File> = discovered
        .files
        .iter()
        .filter(|f| !run.settings.is_excluded(&f.absolute))
        .collect();
    // Texts are read by the project API as it checks each file (`Run::check_reading`).
    sources.extend(chosen.iter().map(|file| SourceFile {
        path: file.absolute.clone(),
        text: String::new(),
        kind: Some(file.kind),
        display: Some(file.display.clone()),
    }));
    let checked = sources
        .iter()
        .map(|s| SourceFile {
            path: s.path.clone(),
            text: String::new(),
            kind: s.kind,
            display: s.display.clone(),
        })
        .collect();
    let reports = if stdin.is_some() {
        run.check(sources)
    } else {
        let (reports, unread) = run.check_reading(sources, keep_texts);
        problems.extend(unread);
        reports
    };
    Ok(Checked {
        reports,
        problems,
        no_files: stdin.is_none() && discovered.files.is_empty(),
        checked,
        run,
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
    if args.unsafe_fixes && !args.fix && !args.diff {
        anyhow::bail!("--unsafe-fixes goes with --fix or --diff");
    }
    if args.statistics && !matches!(args.output_format, OutputFormat::Text | OutputFormat::Json) {
        anyhow::bail!("--statistics prints text or json");
    }
    let docs = resolve_docs_url(args.docs)?;
    let docs = docs.as_ref();
    let stdin = Stdin::read(&args.selection.paths, args.stdin_filename.as_deref())?;
    // `check` runs unused-noqa (opt-in elsewhere, as pasted snippets lack the context
    // their suppressions were written for); `--ignore unused-noqa` turns it off.
    let extend_select = Selector::parse_all(CHECK_DEFAULTS, registry)
        .map_err(|m| anyhow::anyhow!("defaults: {m}"))?;
    let fixing = args.fix || args.diff;
    let mut checked = check_selection(
        args.selection,
        registry,
        stdin.as_ref(),
        extend_select,
        fixing,
    )?;
    let fixed = fixing.then(|| fixes::fix_all(&mut checked, args.unsafe_fixes));
    let mut stdout = std::io::stdout().lock();
    if let Some(path) = &args.write_baseline {
        let count = baseline::write(&checked, path)?;
        eprintln!(
            "sciguard: wrote {count} finding{} to the baseline {}",
            if count == 1 { "" } else { "s" },
            path.display()
        );
        let failed = checked.report_problems();
        return Ok(ExitCode::from(if failed > 0 { 2 } else { 0 }));
    }
    if let Some(path) = &args.baseline {
        let hidden = baseline::apply(&mut checked, path)?;
        if hidden > 0 {
            eprintln!(
                "sciguard: {hidden} finding{} in the baseline {} not shown",
                if hidden == 1 { "" } else { "s" },
                path.display()
            );
        }
    }
    let mut write_failures = 0;
    if let Some(fixed) = &fixed {
        if args.diff {
            for change in &fixed.changes {
                stdout.write_all(fixes::unified_diff(change).as_bytes())?;
            }
            stdout.flush()?;
            eprint!("{}", fixes::summary(fixed, false, &[]));
            let failed = checked.report_problems();
            return Ok(ExitCode::from(if failed > 0 {
                2
            } else {
                u8::from(!fixed.changes.is_empty())
            }));
        }
        let mut unwritten = Vec::new();
        if stdin.is_none() {
            unwritten = write_fixed(&fixed.changes);
        }
        let skipped: Vec<&str> = unwritten.iter().map(|(name, _)| name.as_str()).collect();
        fixes::revert(&mut checked, fixed, &skipped);
        eprint!("{}", fixes::summary(fixed, true, &skipped));
        for (name, why) in &unwritten {
            eprintln!("sciguard: {name}: not fixed: {why}");
        }
        write_failures = unwritten.len();
    }
    let reports = &checked.reports;
    let rendered = if args.statistics {
        statistics(reports, args.output_format)
    } else {
        match args.output_format {
            OutputFormat::Text => report::render_text(reports, docs) + &scorecard_line(reports),
            OutputFormat::Json => report::render_json(reports, docs) + "\n",
            OutputFormat::Sarif => {
                let registry = checked.run.registry;
                report::render_sarif(reports, |code| project::rule_help_in(registry, code), docs)
                    + "\n"
            }
            OutputFormat::Github => report::render_github(reports, docs),
            OutputFormat::Gitlab => report::render_gitlab(reports, docs) + "\n",
        }
    };
    match (&stdin, args.fix) {
        // Fixing standard input: the fixed text is the output, the findings left go to
        // standard error.
        (Some(stdin), true) => {
            let text = reports.first().map_or(stdin.text.as_str(), |r| &r.source);
            stdout.write_all(text.as_bytes())?;
            std::io::stderr().lock().write_all(rendered.as_bytes())?;
        }
        _ => stdout.write_all(rendered.as_bytes())?,
    }
    stdout.flush()?;
    let failed = checked.report_problems() + write_failures;
    let total = Summary::of(reports).total();
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else if total > 0 && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes the fixed files back, each only if it still holds exactly the text that was
/// checked (not changed meanwhile, plain UTF-8 without a byte order mark: a Latin-1 file
/// written back as UTF-8 would change its bytes beyond the fix). Returns the files not
/// written (by name) with why; the others are written whatever happens to these.
fn write_fixed(changes: &[fixes::Change]) -> Vec<(String, String)> {
    let mut failed = Vec::new();
    for change in changes {
        let written = match std::fs::read(&change.path) {
            Err(e) => Err(format!("cannot read: {e}")),
            Ok(on_disk) if on_disk != change.before.as_bytes() => Err(
                "changed since it was checked, or not plain UTF-8 (a byte order mark or Latin-1)"
                    .to_string(),
            ),
            Ok(_) => std::fs::write(&change.path, &change.after)
                .map_err(|e| format!("cannot write: {e}")),
        };
        if let Err(why) = written {
            failed.push((change.filename.clone(), why));
        }
    }
    failed
}

/// How many findings one rule has.
#[derive(serde::Serialize)]
struct RuleCount<'a> {
    code: &'a str,
    name: &'a str,
    count: usize,
    /// How many of them have a fix on offer.
    fixable: usize,
}

/// How many findings each rule has, most first: a table, or JSON objects with `code`,
/// `name`, `count` and `fixable`.
fn statistics(reports: &[FileReport], format: OutputFormat) -> String {
    let mut rows: Vec<RuleCount> = Vec::new();
    for finding in reports.iter().flat_map(|r| &r.findings) {
        let fixable = usize::from(finding.fix.is_some());
        match rows.iter_mut().find(|r| r.code == finding.code) {
            Some(row) => {
                row.count += 1;
                row.fixable += fixable;
            }
            None => rows.push(RuleCount {
                code: &finding.code,
                name: &finding.name,
                count: 1,
                fixable,
            }),
        }
    }
    rows.sort_by_key(|r| (std::cmp::Reverse(r.count), r.code));
    if let OutputFormat::Json = format {
        return serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into()) + "\n";
    }
    let mut out = String::new();
    for row in &rows {
        let fixable = if row.fixable > 0 {
            format!("  ({} fixable)", row.fixable)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{:>6}  {:<7} {}{fixable}\n",
            row.count, row.code, row.name
        ));
    }
    out.push_str(&report::summary_line(&Summary::of(reports)));
    out
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
    let checked = check_selection(args.selection, Registry::builtin(), None, Vec::new(), false)?;
    // The paths named on the command line are the workflow: every file is in scope.
    let plan = checklist::plan_in(
        checked.run.registry,
        &checked.reports,
        workflow,
        &FileScope::All,
    );
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

/// The registry for `rule` and `rules`: built-in, plus `--policy` and the policies of
/// the `pyproject.toml` files above the current folder. Problems are printed.
fn listing_registry(given: &[PathBuf]) -> (&'static Registry, usize) {
    let mut pyprojects = Vec::new();
    for path in files::pyprojects_above(&[PathBuf::from(".")]) {
        if let Ok(text) = files::read_text(&path) {
            pyprojects.push((files::absolute(&path), text));
        }
    }
    let mut problems = Vec::new();
    let registry = policies::registry(given, &pyprojects, &mut problems);
    for problem in &problems {
        eprintln!("sciguard: {}", problem.message);
    }
    (registry, problems.iter().filter(|p| p.is_error).count())
}

fn show_rule(key: &str, given: &[PathBuf]) -> Result<ExitCode> {
    let (registry, _) = listing_registry(given);
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

fn list_rules(format: ListFormat, docs: DocsArgs, given: &[PathBuf]) -> Result<ExitCode> {
    let (registry, failed) = listing_registry(given);
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
            let rules: Vec<_> = registry
                .rules()
                .map(|(_, r)| r.catalog_entry(docs.as_ref()))
                .collect();
            out = serde_json::to_string_pretty(&rules)? + "\n";
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
