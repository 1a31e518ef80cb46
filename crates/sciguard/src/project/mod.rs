//! The project API: the one door every front end (CLI, site, JS package) goes through.
//!
//! It takes the files (paths and texts) and options, finds `[tool.sciguard]` among them
//! (the nearest `pyproject.toml` above each file), applies `exclude` and per-file
//! ignores, runs the configuration phase and then the Python phase (what the
//! configuration declares informs the Python checks), and returns one report per file.
//! It does no I/O: front ends read files and may map the work over threads.

mod config_file;
mod declarations;
mod discovery;
mod exposure;
pub mod fixing;
mod package;
mod python_file;
mod saved;

pub use declarations::{Declaration, Declarations};
pub use discovery::{ProjectSettings, SettingsProblem};
pub use python_file::MAX_SYNTAX_ERRORS;

use crate::config::advisories::AdvisoryTable;
use crate::input::SourceKind;
use crate::report::RuleHelp;
use crate::rules::{FileContext, Registry, RuleSet};
use crate::settings::{Selector, Settings};
use crate::vocab::{FileReport, Finding, Severity};

/// One file handed to sciguard: its path (or a tab's name), its text and, when the user
/// chose one, its kind (otherwise the kind comes from the name, then the content).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceFile {
    /// The path, in the namespace shared by every file of the run (settings are found
    /// by comparing folders of these paths).
    pub path: String,
    /// The whole text.
    pub text: String,
    /// The kind the user chose, if any.
    pub kind: Option<SourceKind>,
    /// How reports and messages name the file, when not by `path` (the CLI passes
    /// absolute paths and shows them as the user wrote them).
    pub display: Option<String>,
}

impl SourceFile {
    /// A file of the kind its name implies.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
            ..SourceFile::default()
        }
    }

    /// The kind this file is checked as.
    pub fn kind(&self) -> SourceKind {
        self.kind
            .unwrap_or_else(|| SourceKind::detect(&self.path, &self.text))
    }

    /// The name reports and messages use.
    pub fn shown_name(&self) -> &str {
        self.display.as_deref().unwrap_or(&self.path)
    }
}

/// What a run may change beyond the files' own `[tool.sciguard]`.
#[derive(Clone, Debug, Default)]
pub struct Options<'a> {
    /// Replaces `select` everywhere (the CLI's `--select`).
    pub select: Option<Vec<Selector>>,
    /// Added to `ignore` everywhere (the CLI's `--ignore`).
    pub ignore: Vec<Selector>,
    /// Selected everywhere on top of `select` (the CLI's own defaults); `ignore` wins.
    pub extend_select: Vec<Selector>,
    /// Settings for files that no `pyproject.toml` configures (default: every rule).
    pub fallback: Settings,
    /// The advisory table; the built-in one when `None`.
    pub advisories: Option<&'a AdvisoryTable>,
    /// Folders whose files are named relative to them where no `pyproject.toml`
    /// configures sciguard (the folders named on the CLI's command line).
    pub roots: Vec<String>,
    /// The rules: the built-in registry when `None`, or one with an organisation's
    /// policies added ([`Registry::with_organisation`]).
    pub registry: Option<&'a Registry>,
    /// Findings less severe than this are left out everywhere (the JS package's
    /// `severity`, the site's threshold), whatever `severity` in `[tool.sciguard]` says;
    /// that setting decides when `None`.
    pub severity: Option<Severity>,
}

impl Options<'_> {
    /// The registry of this run.
    pub fn registry(&self) -> &Registry {
        self.registry.unwrap_or(Registry::builtin())
    }

    fn adjust(&self, settings: Settings) -> Settings {
        let settings = match &self.select {
            Some(select) => settings.with_select(select.clone()),
            None => settings,
        };
        let settings = match self.severity {
            Some(least) => settings.with_severity(least),
            None => settings,
        };
        settings
            .with_extend_select(self.extend_select.clone())
            .with_ignore(self.ignore.clone())
    }
}

/// Runs per-file work, in order or in parallel: the CLI maps over threads, the site and
/// the JS package in order. Results come back in the order of `items`.
pub trait Executor {
    /// `items.iter().map(work).collect()`, however the executor likes.
    fn map<T: Sync, R: Send>(&self, items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R>;
}

/// One item after the other.
#[derive(Clone, Copy, Debug, Default)]
pub struct InOrder;

impl Executor for InOrder {
    fn map<T: Sync, R: Send>(&self, items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
        items.iter().map(work).collect()
    }
}

/// Checks several files together, as one project, honouring `[tool.sciguard]` in any
/// `pyproject.toml` among them. Files it governs get its settings, the others get
/// `settings`. Reports come in the order of `files`, excluded files left out; a
/// malformed `[tool.sciguard]` is reported on its `pyproject.toml` (SCI000) and the
/// file's folder falls back to `settings`.
pub fn check_files(files: &[SourceFile], settings: &Settings) -> Vec<FileReport> {
    let options = Options {
        fallback: settings.clone(),
        ..Options::default()
    };
    check_project(files, &options).reports
}

/// What [`check_project`] gives: the reports and what kept settings from applying.
#[derive(Debug)]
pub struct ProjectReport {
    /// One report per file, in the order given, excluded files left out.
    pub reports: Vec<FileReport>,
    /// Everything the project settings said: the governing settings of each path and the
    /// `pyproject.toml` files whose `[tool.sciguard]` could not be applied.
    pub settings: ProjectSettings,
}

/// [`check_files`] with a run's options (selection, organisation rules, severity): the
/// door the JS package goes through. A malformed `[tool.sciguard]` is reported on its
/// `pyproject.toml` (SCI000) and the file's folder falls back to `options.fallback`.
pub fn check_project(files: &[SourceFile], options: &Options<'_>) -> ProjectReport {
    let project = ProjectSettings::discover(
        files.iter().map(|f| (f.path.as_str(), f.text.as_str())),
        options,
    );
    let mut reports = project.check(files.to_vec(), options, &InOrder);
    // A pyproject.toml that is not TOML already gets its own SCI000 when checked.
    let registry = options.registry();
    for problem in project.problems().iter().filter(|p| p.malformed_table) {
        let Some(file) = files.iter().find(|f| f.path == problem.path) else {
            continue;
        };
        let Some(report) = reports.iter_mut().find(|r| r.filename == file.shown_name()) else {
            continue;
        };
        let error = crate::config::ConfigError {
            message: format!("{}; these settings are not applied", problem.message),
            range: 0..0,
        };
        let rules = project.rules_for(registry, &problem.path);
        let positions = crate::vocab::Positions::new(&report.source);
        if let Some(finding) = config_file::syntax_error(registry, &rules, &positions, error) {
            report.findings.insert(0, finding);
        }
    }
    ProjectReport {
        reports,
        settings: project,
    }
}

/// The text with a `# noqa: CODE` comment that suppresses a Python finding, where one
/// can go (not after a line that ends inside a string); front ends offer it next to a
/// finding's fix.
pub fn suppress(source: &str, finding: &Finding) -> Option<String> {
    crate::python::suppression::with_noqa(source, finding)
}

/// Checks one file (of any kind, from its name) with the built-in rules.
pub fn check(path: &str, source: &str, settings: &Settings) -> FileReport {
    check_files(&[SourceFile::new(path, source)], settings)
        .pop()
        .unwrap_or_default()
}

/// Checks Python source with exactly the given rules (for tests and tools that choose
/// rules themselves): the same pipeline as [`check_files`], with nothing declared.
pub fn check_python(source: &str, registry: &Registry, rules: &RuleSet) -> Vec<Finding> {
    check_python_file("snippet.py", source, registry, rules)
}

/// [`check_python`] for a named file (the name decides Jupyter config checks).
pub fn check_python_file(
    path: &str,
    source: &str,
    registry: &Registry,
    rules: &RuleSet,
) -> Vec<Finding> {
    python_file::check_python_file(
        path,
        source,
        registry,
        rules,
        &Declarations::default(),
        FileContext::default(),
    )
    .findings
}

/// Checks one configuration file with exactly the given rules (for tests and tools that
/// choose rules themselves): the same pipeline as [`check_files`].
pub fn check_config(
    path: &str,
    kind: SourceKind,
    text: &str,
    registry: &Registry,
    rules: &RuleSet,
) -> Vec<Finding> {
    let advisories = AdvisoryTable::builtin();
    config_file::check_config(path, kind, text, registry, rules, advisories).findings
}

/// A built-in rule's summary and page, for SARIF's rule descriptions.
pub fn rule_help(code: &str) -> Option<RuleHelp> {
    rule_help_in(Registry::builtin(), code)
}

/// A rule's summary and page in a registry (one with organisation policies too).
pub fn rule_help_in(registry: &Registry, code: &str) -> Option<RuleHelp> {
    let rule = registry.rule(registry.find(code)?);
    Some(RuleHelp {
        summary: rule.summary.clone(),
        page: rule.render_markdown(),
    })
}

impl ProjectSettings {
    /// Checks the files: configuration first, then Python and notebooks knowing what
    /// the configuration declares. Excluded files are left out; reports come in the
    /// order of `files` and take their texts (no copy of a large tree is made).
    pub fn check(
        &self,
        files: Vec<SourceFile>,
        options: &Options<'_>,
        executor: &impl Executor,
    ) -> Vec<FileReport> {
        let (reports, _) = self.check_with(files, None::<&Unread>, options, executor);
        reports
    }

    /// [`ProjectSettings::check`] for files whose texts are not read yet (a front end
    /// with a file system): `read` gives a file's text when the check needs it. Python
    /// and notebook files are read one at a time as they are checked, and a text is kept
    /// only when its report has findings (renderers, fixes and baselines need it), so
    /// that the texts of a large tree are never all in memory at once. Files that
    /// cannot be read are left out and their errors returned.
    pub fn check_reading<E: Send>(
        &self,
        files: Vec<SourceFile>,
        read: &(impl Fn(&SourceFile) -> Result<String, E> + Sync),
        options: &Options<'_>,
        executor: &impl Executor,
    ) -> (Vec<FileReport>, Vec<E>) {
        self.check_with(files, Some(read), options, executor)
    }

    fn check_with<E: Send>(
        &self,
        files: Vec<SourceFile>,
        read: Option<&(impl Fn(&SourceFile) -> Result<String, E> + Sync)>,
        options: &Options<'_>,
        executor: &impl Executor,
    ) -> (Vec<FileReport>, Vec<E>) {
        let registry = options.registry();
        let advisories = options.advisories.unwrap_or(AdvisoryTable::builtin());
        let is_code =
            |f: &SourceFile| matches!(f.kind(), SourceKind::Python | SourceKind::Notebook);
        let mut failed = Vec::new();
        let mut files: Vec<SourceFile> = files
            .into_iter()
            .filter(|f| !self.is_excluded(&f.path))
            .collect();
        // With a reader, configuration is read first and kept (every file's check depends
        // on it, and it is small). Of Python files only whether they declare `__all__` is
        // kept (the package index needs it); their texts are read again when checked.
        let mut declares_all = Vec::new();
        if let Some(read) = read {
            let first = executor.map(&files, |f| {
                let text = read(f)?;
                Ok(if is_code(f) {
                    (None, package::declares_all(&text))
                } else {
                    (Some(text), false)
                })
            });
            let mut kept = Vec::with_capacity(files.len());
            for (mut file, first) in files.into_iter().zip(first) {
                match first {
                    Ok((text, declares)) => {
                        if let Some(text) = text {
                            file.text = text;
                        }
                        declares_all.push(declares);
                        kept.push(file);
                    }
                    Err(error) => failed.push(error),
                }
            }
            files = kept;
        }
        let lazy = |f: &SourceFile| read.is_some() && is_code(f);
        let phase = |code: bool| -> Vec<(usize, &SourceFile, RuleSet)> {
            files
                .iter()
                .enumerate()
                .filter(|(_, f)| is_code(f) == code)
                .map(|(i, f)| (i, f, self.rules_for(registry, &f.path)))
                .collect()
        };
        let mut findings: Vec<Vec<Finding>> = vec![Vec::new(); files.len()];
        let mut unchecked: Vec<Option<String>> = vec![None; files.len()];
        let configs = phase(false);
        let checked = executor.map(&configs, |(_, file, rules)| {
            config_file::check_config(
                file.shown_name(),
                file.kind(),
                &file.text,
                registry,
                rules,
                advisories,
            )
        });
        let mut declarations = Declarations::default();
        let mut exposures = exposure::Exposures::default();
        let mut roots: Vec<String> = Vec::new();
        for ((i, file, _), checked) in configs.iter().zip(checked) {
            let (found, declared) = (checked.findings, checked.declarations);
            unchecked[*i] = checked.unchecked;
            let folder = saved::folder_of(&file.path);
            let folder = folder.as_str();
            if !declared.is_empty() || is_project_metadata(&file.path) {
                roots.push(folder.to_string());
            }
            exposures.note(*i, folder, &found, &declared, advisories);
            for mut declaration in declared {
                declaration.folder = folder.to_string();
                declarations.push(declaration);
            }
            findings[*i] = found;
        }
        let code = phase(true);
        let packages = match read {
            Some(_) => package::PackageIndex::with_all(&files, |i, _| declares_all[i]),
            None => package::PackageIndex::new(&files),
        };
        let checked = executor.map(&code, |(_, file, rules)| {
            let read_now = match read {
                Some(read) if lazy(file) => Some(read(file)),
                _ => None,
            };
            let text = match &read_now {
                Some(Ok(text)) => text.as_str(),
                Some(Err(_)) => "",
                None => file.text.as_str(),
            };
            let placement = packages.place(&file.path);
            let declarations = declarations.nearest(&file.path);
            let checked = match file.kind() {
                SourceKind::Notebook => python_file::check_notebook(
                    text,
                    registry,
                    rules,
                    &declarations,
                    packages.context(&placement, true, exposures.watched()),
                ),
                _ => python_file::check_python_file(
                    &file.path,
                    text,
                    registry,
                    rules,
                    &declarations,
                    packages.context(&placement, false, exposures.watched()),
                ),
            };
            // A text read here is kept only where a report will need it; of the others only
            // the line count is kept (scorecards weigh findings per 1,000 lines).
            let read_now = read_now.map(|outcome| {
                outcome.map(|text| match checked.findings.is_empty() {
                    true => Err(text.lines().count()),
                    false => Ok(text),
                })
            });
            (checked, read_now)
        });
        let mut used = Vec::new();
        let mut scripts = Vec::new();
        let mut texts: Vec<Option<String>> = vec![None; files.len()];
        let mut line_counts: Vec<Option<usize>> = vec![None; files.len()];
        let mut unread = vec![false; files.len()];
        for ((i, file, _), (checked, read_now)) in code.iter().zip(checked) {
            match read_now {
                Some(Ok(Ok(text))) => texts[*i] = Some(text),
                Some(Ok(Err(lines))) => line_counts[*i] = Some(lines),
                Some(Err(error)) => {
                    failed.push(error);
                    unread[*i] = true;
                    continue;
                }
                None => {}
            }
            findings[*i] = checked.findings;
            unchecked[*i] = checked.unchecked.as_ref().map(|u| u.describe());
            used.push((file.path.as_str(), checked.used));
            if is_project_metadata(&file.path) {
                roots.push(saved::folder_of(&file.path));
            }
            if !checked.writes.is_empty() || !checked.loads.is_empty() {
                scripts.push(saved::Saved {
                    index: *i,
                    path: &file.path,
                    shown: file.shown_name(),
                    writes: checked.writes,
                    loads: checked.loads,
                });
            }
        }
        exposures.settle(&mut findings, &used);
        saved::settle(&mut findings, &scripts, &roots);
        for (file, found) in files.iter().zip(findings.iter_mut()) {
            if let Some(least) = self.governing(&file.path).0.severity() {
                found.retain(|f| f.severity >= least);
            }
        }
        drop((used, scripts));
        drop((configs, code));
        let mut reports = Vec::with_capacity(files.len());
        for (i, (mut file, (findings, unchecked))) in files
            .into_iter()
            .zip(findings.into_iter().zip(unchecked))
            .enumerate()
        {
            if unread[i] {
                continue;
            }
            if let Some(text) = texts[i].take() {
                file.text = text;
            } else if let (Some(read), true) = (read, lazy(&file) && !findings.is_empty()) {
                // A finding added across files (a saved artefact, an exposure) to a file
                // whose text was let go: read it again for the report.
                match read(&file) {
                    Ok(text) => file.text = text,
                    Err(error) => {
                        failed.push(error);
                        continue;
                    }
                }
            } else if let Some(lines) = line_counts[i] {
                // A report without findings needs no excerpt, fix or fingerprint; it
                // stands in with as many empty lines as the text had.
                file.text = "\n".repeat(lines);
            }
            reports.push(FileReport {
                filename: file.display.unwrap_or(file.path),
                findings,
                source: file.text,
                unchecked,
            });
        }
        (reports, failed)
    }
}

/// The reader of [`ProjectSettings::check`]: texts are already in the files.
type Unread = fn(&SourceFile) -> Result<String, std::convert::Infallible>;

/// A file that marks the top of a project: `pyproject.toml`, `setup.cfg`, `setup.py`.
fn is_project_metadata(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    matches!(name, "pyproject.toml" | "setup.cfg" | "setup.py")
}
