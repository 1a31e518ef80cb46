//! `cargo xtask precision`: runs every rule over real code and writes what a person needs
//! to judge whether the findings are worth having.
//!
//! Two groups of code are checked: the wheels of eight pinned scientific packages
//! (`xtask/precision/make_corpus.sh` builds them) and application code (the repositories
//! listed in `xtask/precision/apps.toml`, plus `--add` folders). The output, under
//! `target/precision/` (or `--out`):
//!
//! - `counts.md`: per group, the findings of each rule outside tests and in tests and,
//!   from the judgments in `xtask/precision/judgments.toml`, each rule's sample precision
//!   and an overall precision weighted by the rules' counts;
//! - `sample.md`: for each rule and group, a seeded sample of findings outside tests with
//!   their context, each followed by a `Judgment:` line for a reader to fill in;
//! - `sample.json`: the same sample for scripts (with the keys judgments are stored by);
//! - `raw/GROUP-PROJECT.json`: the CLI's JSON output for each project.

use crate::Result;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str = "usage: cargo xtask precision [--corpus DIR] [--apps DIR] [--add DIR]... [--out DIR] [--seed N] [--sample N] [--judgments FILE]
  --corpus DIR     where the wheel corpus is (built into DIR/corpus when missing);
                   default ${XDG_CACHE_HOME:-~/.cache}/sciguard-eval
  --apps DIR       the root of the folders listed in xtask/precision/apps.toml;
                   default ${XDG_CACHE_HOME:-~/.cache}/sciguard-eval/apps
  --add DIR        another folder of application code (repeatable)
  --out DIR        where to write the reports; default target/precision
  --seed N         the sampling seed; default 1
  --sample N       findings sampled per rule and group; default 8
  --judgments FILE the judgments to report (default xtask/precision/judgments.toml)";

/// Findings sampled per rule and group unless `--sample` says otherwise.
const SAMPLE_SIZE: usize = 8;
/// Lines of context shown on each side of a sampled finding.
const CONTEXT: usize = 10;
/// Characters of a context line shown (generated code has lines of thousands).
const LINE_WIDTH: usize = 200;
/// Where the committed files of the harness live, relative to the workspace.
const HARNESS_DIR: &str = "xtask/precision";

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// The folder whose `corpus/` holds the wheels' files, one folder per package.
    corpus: PathBuf,
    /// The root the manifest's `dir`s are relative to.
    apps: PathBuf,
    /// More application folders.
    add: Vec<PathBuf>,
    /// Where the reports go (`None`: `target/precision` in the workspace).
    out: Option<PathBuf>,
    seed: u64,
    sample: usize,
    /// A judgments file named on the command line (it must exist).
    judgments: Option<PathBuf>,
}

impl Options {
    /// Reads the command line after `precision`.
    pub fn parse(args: &[String]) -> Result<Options> {
        let (mut corpus, mut apps, mut out, mut judgments) = (None, None, None, None);
        let (mut add, mut seed, mut sample) = (Vec::new(), 1, SAMPLE_SIZE);
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
            };
            match arg.as_str() {
                "--corpus" => corpus = Some(PathBuf::from(value()?)),
                "--apps" => apps = Some(PathBuf::from(value()?)),
                "--add" => add.push(PathBuf::from(value()?)),
                "--out" => out = Some(PathBuf::from(value()?)),
                "--judgments" => judgments = Some(PathBuf::from(value()?)),
                "--seed" => seed = number(arg, &value()?)?,
                "--sample" => sample = number(arg, &value()?)?,
                "-h" | "--help" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        let corpus = match corpus {
            Some(dir) => dir,
            None => cache_dir()?,
        };
        let apps = match apps {
            Some(dir) => dir,
            None => cache_dir()?.join("apps"),
        };
        Ok(Options {
            corpus,
            apps,
            add,
            out,
            seed,
            sample,
            judgments,
        })
    }
}

fn number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T> {
    text.parse()
        .map_err(|_| format!("{flag}: `{text}` is not a non-negative whole number"))
}

/// `${XDG_CACHE_HOME:-~/.cache}/sciguard-eval`, as `make_corpus.sh` has it.
pub(crate) fn cache_dir() -> Result<PathBuf> {
    let cache = match std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("HOME")
            .filter(|v| !v.is_empty())
            .map(|home| PathBuf::from(home).join(".cache"))
            .ok_or("neither XDG_CACHE_HOME nor HOME is set: pass --corpus and --apps")?,
    };
    Ok(cache.join("sciguard-eval"))
}

/// Which kind of code a project is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
enum Group {
    /// The pinned wheels: library code.
    Wheels,
    /// Application code: scripts, pipelines, notebooks, services.
    Apps,
}

impl Group {
    fn key(self) -> &'static str {
        match self {
            Group::Wheels => "wheels",
            Group::Apps => "apps",
        }
    }
}

/// A folder checked as one project.
struct Project {
    group: Group,
    /// Its name in the reports: paths are shown as `name/relative/path`.
    name: String,
    dir: PathBuf,
}

/// The folder of the wheel corpus's `.py` files, `DIR/corpus`, built by `make_corpus.sh`
/// (pinned wheels from PyPI) when it is missing.
pub(crate) fn ensure_corpus(root: &Path, corpus: &Path) -> Result<PathBuf> {
    let files = corpus.join("corpus");
    if !files.is_dir() {
        let script = root.join(HARNESS_DIR).join("make_corpus.sh");
        crate::run(
            "bash",
            &[&script.to_string_lossy(), &corpus.to_string_lossy()],
        )
        .map_err(|error| format!("no corpus in {} and building it failed ({error}); it needs python3 with pip and access to PyPI", files.display()))?;
    }
    Ok(files)
}

/// The wheels' packages, building the corpus first when it is missing. Without a corpus
/// (no network, no pip) the group is skipped.
fn wheel_projects(root: &Path, corpus: &Path) -> Vec<Project> {
    let files = match ensure_corpus(root, corpus) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("xtask: precision: skipping the wheels: {error}");
            return Vec::new();
        }
    };
    subfolders(&files)
        .into_iter()
        .map(|dir| Project {
            group: Group::Wheels,
            name: file_name(&dir),
            dir,
        })
        .collect()
}

fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    found.sort();
    found
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.to_string_lossy().to_string())
}

/// `xtask/precision/apps.toml`: where the application code comes from.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default)]
    app: Vec<App>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct App {
    name: String,
    repository: String,
    commit: String,
    dir: String,
}

/// The manifest's folders that are present under `--apps`, then the `--add` folders.
fn app_projects(root: &Path, options: &Options) -> Result<Vec<Project>> {
    let path = root.join(HARNESS_DIR).join("apps.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let manifest: Manifest =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut projects = Vec::new();
    for app in manifest.app {
        let dir = options.apps.join(&app.dir);
        if dir.is_dir() {
            projects.push(Project {
                group: Group::Apps,
                name: app.name,
                dir,
            });
        } else {
            eprintln!(
                "xtask: precision: skipping {}: {} is missing; get it with `git clone {} {} && git -C {} checkout {}`",
                app.name,
                dir.display(),
                app.repository,
                dir.display(),
                dir.display(),
                app.commit
            );
        }
    }
    for dir in &options.add {
        if !dir.is_dir() {
            return Err(format!("--add {}: not a folder", dir.display()));
        }
        let mut name = file_name(&dir.canonicalize().unwrap_or_else(|_| dir.clone()));
        while projects.iter().any(|p| p.name == name) {
            name.push('+');
        }
        projects.push(Project {
            group: Group::Apps,
            name,
            dir: dir.clone(),
        });
    }
    Ok(projects)
}

/// A finding as the CLI's JSON output has it (the fields used here).
#[derive(Deserialize)]
struct CliFinding {
    code: String,
    name: String,
    message: String,
    severity: String,
    filename: String,
    location: CliLocation,
    #[serde(default)]
    cell: Option<usize>,
}

#[derive(Deserialize)]
struct CliLocation {
    row: usize,
    column: usize,
}

/// A finding in a project, placed in the corpus.
#[derive(Clone, Debug)]
struct Finding {
    group: Group,
    /// Index of its project.
    project: usize,
    /// Its file within the project.
    relative: String,
    /// Its key: the rule, `PROJECT/relative` path, line and cell.
    key: Key,
    column: usize,
    name: String,
    severity: String,
    message: String,
    in_tests: bool,
}

/// What identifies a finding across runs and samples, and so what a judgment is filed
/// under: not its place in a sample, which changes with the seed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
struct Key {
    rule: String,
    path: String,
    line: usize,
    /// Notebooks only: the cell number (`line` is then the line in the cell).
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<usize>,
}

/// Whether a file is a test, by its path relative to its project.
///
/// The same notion as `sciguard::is_test_file` (`crates/sciguard/src/input.rs`), which
/// decides where `exempt-in-tests` rules are silent. It is mirrored rather than called so
/// that xtask builds even while the rules crate does not (after `new-rule --rust`).
fn is_test_path(path: &str) -> bool {
    let normalized = path.replace('\\', "/");
    let name = normalized.rsplit('/').next().unwrap_or(&normalized);
    name == "conftest.py"
        || (name.starts_with("test_") && name.ends_with(".py"))
        || name.ends_with("_test.py")
        || normalized
            .split('/')
            .rev()
            .skip(1)
            .any(|dir| dir == "tests")
}

/// Runs the CLI on one project with every rule selected; keeps its raw output in `raw`.
fn check_project(cli: &Path, project: &Project, index: usize, raw: &Path) -> Result<Vec<Finding>> {
    let output = Command::new(cli)
        .args([
            "check",
            "--output-format",
            "json",
            "--exit-zero",
            "--select",
            "ALL",
            ".",
        ])
        .current_dir(&project.dir)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr.lines().collect();
    if let Some(first) = warnings.first() {
        eprintln!(
            "xtask: precision: {}: {} message(s) from sciguard, the first: {first}",
            project.name,
            warnings.len()
        );
    }
    let found: Vec<CliFinding> = serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "{}: sciguard check exited with {} and no JSON ({e}): {stderr}",
            project.dir.display(),
            output.status
        )
    })?;
    let raw_file = raw.join(format!("{}-{}.json", project.group.key(), project.name));
    std::fs::write(&raw_file, &output.stdout)
        .map_err(|e| format!("{}: {e}", raw_file.display()))?;
    Ok(found
        .into_iter()
        .map(|f| {
            let relative = f.filename.trim_start_matches("./").to_string();
            Finding {
                group: project.group,
                project: index,
                in_tests: is_test_path(&relative),
                key: Key {
                    rule: f.code,
                    path: format!("{}/{relative}", project.name),
                    line: f.location.row,
                    cell: f.cell,
                },
                relative,
                column: f.location.column,
                name: f.name,
                severity: f.severity,
                message: f.message,
            }
        })
        .collect())
}

/// A reader's verdict on a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
enum Verdict {
    /// Right, and worth acting on.
    True,
    /// Wrong: the code does not do what the message says.
    False,
    /// Right, but not worth a reader's time.
    Noise,
}

impl Verdict {
    fn key(self) -> &'static str {
        match self {
            Verdict::True => "true",
            Verdict::False => "false",
            Verdict::Noise => "noise",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct Judgment {
    verdict: Verdict,
    note: String,
    /// The severity the finding had when judged, if the verdict depends on it ("noise at
    /// high"): after a rule change moves the finding to another severity, the judgment no
    /// longer applies and the finding is judged afresh.
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<String>,
}

/// `judgments.toml`: a list of `[[judgment]]` tables.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JudgmentFile {
    #[serde(default)]
    judgment: Vec<JudgmentEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JudgmentEntry {
    rule: String,
    path: String,
    line: usize,
    #[serde(default)]
    cell: Option<usize>,
    verdict: Verdict,
    #[serde(default)]
    note: String,
    #[serde(default)]
    severity: Option<String>,
}

/// Each finding's judgments: one, or one per severity it was judged at.
type Judgments = BTreeMap<Key, Vec<Judgment>>;

/// The judgment that applies to a finding: filed under its key, and made at its
/// severity when the judgment names one.
fn judgment_of<'j>(judgments: &'j Judgments, finding: &Finding) -> Option<&'j Judgment> {
    judgments.get(&finding.key)?.iter().find(|j| {
        j.severity
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case(&finding.severity))
    })
}

/// Reads a judgments file; a finding judged twice is an error (which one holds?).
fn parse_judgments(text: &str) -> Result<Judgments> {
    let file: JudgmentFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut judgments = Judgments::new();
    for entry in file.judgment {
        let key = Key {
            rule: entry.rule,
            path: entry.path,
            line: entry.line,
            cell: entry.cell,
        };
        let judgment = Judgment {
            verdict: entry.verdict,
            note: entry.note,
            severity: entry.severity,
        };
        let filed = judgments.entry(key.clone()).or_default();
        // Two judgments of one finding must be made at different, named severities.
        if filed.iter().any(|j| {
            j.severity.is_none() || judgment.severity.is_none() || j.severity == judgment.severity
        }) {
            return Err(format!(
                "{} {}:{} is judged twice",
                key.rule, key.path, key.line
            ));
        }
        filed.push(judgment);
    }
    Ok(judgments)
}

/// The judgments named with `--judgments`, else the committed file when it exists.
fn load_judgments(root: &Path, options: &Options) -> Result<Option<(PathBuf, Judgments)>> {
    let path = match &options.judgments {
        Some(path) => path.clone(),
        None => {
            let committed = root.join(HARNESS_DIR).join("judgments.toml");
            if !committed.is_file() {
                return Ok(None);
            }
            committed
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let judgments = parse_judgments(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Some((path, judgments)))
}

/// One rule's numbers in one group.
#[derive(Clone, Debug, Default, PartialEq)]
struct Tally {
    code: String,
    name: String,
    outside: usize,
    in_tests: usize,
    /// Findings outside tests that have a judgment.
    judged: usize,
    /// Of those, the ones judged true.
    true_positives: usize,
}

impl Tally {
    /// The share of judged findings that are true; none before any is judged.
    fn precision(&self) -> Option<f64> {
        (self.judged > 0).then(|| self.true_positives as f64 / self.judged as f64)
    }
}

/// Each rule's numbers in a group, most findings outside tests first.
fn tally(findings: &[&Finding], judgments: &Judgments) -> Vec<Tally> {
    let mut by_rule: BTreeMap<&str, Tally> = BTreeMap::new();
    for f in findings {
        let t = by_rule.entry(&f.key.rule).or_insert_with(|| Tally {
            code: f.key.rule.clone(),
            name: f.name.clone(),
            ..Tally::default()
        });
        if f.in_tests {
            t.in_tests += 1;
            continue;
        }
        t.outside += 1;
        if let Some(judgment) = judgment_of(judgments, f) {
            t.judged += 1;
            t.true_positives += usize::from(judgment.verdict == Verdict::True);
        }
    }
    let mut tallies: Vec<Tally> = by_rule.into_values().collect();
    tallies.sort_by(|a, b| b.outside.cmp(&a.outside).then(a.code.cmp(&b.code)));
    tallies
}

/// The overall precision: each judged rule's sample precision weighted by its findings
/// outside tests, and how many findings those rules cover. None when no rule with
/// findings is judged.
fn weighted_precision(tallies: &[Tally]) -> Option<(f64, usize)> {
    let judged: Vec<(f64, usize)> = tallies
        .iter()
        .filter(|t| t.outside > 0)
        .filter_map(|t| t.precision().map(|p| (p, t.outside)))
        .collect();
    let covered: usize = judged.iter().map(|(_, n)| n).sum();
    (covered > 0).then(|| {
        let weighted: f64 = judged.iter().map(|(p, n)| p * *n as f64).sum();
        (weighted / covered as f64, covered)
    })
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, well-mixed generator, enough to pick
/// samples reproducibly without a dependency.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by multiply-and-shift.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

/// The seed of one rule's sample in one group: so that adding a rule, or findings of
/// another rule, leaves this sample as it was.
fn rule_seed(seed: u64, group: Group, rule: &str) -> u64 {
    // FNV-1a over the group and the rule code.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in group.key().bytes().chain([b'/']).chain(rule.bytes()) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    seed ^ hash
}

/// `k` distinct indices out of `0..n` (all of them when `k >= n`), in increasing order.
fn sample_indices(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..n).collect();
    let mut rng = SplitMix64(seed);
    let k = k.min(n);
    // The first k steps of a Fisher-Yates shuffle.
    for i in 0..k {
        let j = i + rng.below(n - i);
        indices.swap(i, j);
    }
    indices.truncate(k);
    indices.sort_unstable();
    indices
}

/// A sampled finding and its id (`SCI225-3`).
struct Sampled<'f> {
    id: String,
    finding: &'f Finding,
}

/// For each rule, up to `size` findings outside tests per group; ids number a rule's
/// samples across groups (wheels first), so each is unique.
fn draw_sample<'f>(findings: &'f [Finding], size: usize, seed: u64) -> Vec<Sampled<'f>> {
    let mut by_rule: BTreeMap<(&str, Group), Vec<&Finding>> = BTreeMap::new();
    for f in findings.iter().filter(|f| !f.in_tests) {
        by_rule.entry((&f.key.rule, f.group)).or_default().push(f);
    }
    let mut sampled = Vec::new();
    let mut numbered: BTreeMap<&str, usize> = BTreeMap::new();
    for ((rule, group), candidates) in by_rule {
        let picked = sample_indices(candidates.len(), size, rule_seed(seed, group, rule));
        for index in picked {
            let number = numbered.entry(rule).or_default();
            *number += 1;
            sampled.push(Sampled {
                id: format!("{rule}-{number}"),
                finding: candidates[index],
            });
        }
    }
    sampled
}

/// The lines a finding's line counts in: the file's, or its notebook cell's.
fn source_lines(path: &Path, cell: Option<usize>) -> Result<Vec<String>> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let Some(cell) = cell else {
        return Ok(split_lines(&text));
    };
    let notebook: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let source = notebook
        .get("cells")
        .and_then(|cells| cells.get(cell.wrapping_sub(1)))
        .and_then(|c| c.get("source"))
        .ok_or_else(|| format!("{}: no cell {cell}", path.display()))?;
    let text = match source {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(parts) => parts.iter().filter_map(|p| p.as_str()).collect(),
        _ => String::new(),
    };
    Ok(split_lines(&text))
}

/// Lines as the parser counts rows: a line ends at `\n`, `\r\n` or a lone `\r`.
fn split_lines(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    let mut lines: Vec<String> = text.split(['\n', '\r']).map(str::to_string).collect();
    if text.is_empty() || text.ends_with(['\n', '\r']) {
        lines.pop();
    }
    lines
}

/// `CONTEXT` lines either side of `line` (1-based), numbered, the line itself marked `>`.
fn render_context(lines: &[String], line: usize) -> String {
    let first = line.saturating_sub(CONTEXT).max(1);
    let last = (line + CONTEXT).min(lines.len());
    let width = last.max(line).to_string().len();
    let mut out = String::new();
    for number in first..=last {
        let marker = if number == line { '>' } else { ' ' };
        let text = lines[number - 1].trim_end();
        let cut = text
            .char_indices()
            .nth(LINE_WIDTH)
            .map_or(text.len(), |(i, _)| i);
        let more = if cut < text.len() { " …" } else { "" };
        let _ = writeln!(out, "{marker} {number:>width$} | {}{more}", &text[..cut]);
    }
    if line > lines.len() {
        let _ = writeln!(out, "> {line:>width$} | (past the end of the file)");
    }
    out
}

/// A code fence longer than any run of backticks in `text`.
fn fence(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

fn language(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("py" | "ipynb") => "python",
        Some("toml") => "toml",
        Some("cfg" | "ini") => "ini",
        Some("yml" | "yaml") => "yaml",
        _ => "text",
    }
}

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

/// What one group gave.
struct GroupReport<'a> {
    group: Group,
    projects: Vec<&'a Project>,
    files: usize,
    tallies: Vec<Tally>,
}

impl GroupReport<'_> {
    fn outside(&self) -> usize {
        self.tallies.iter().map(|t| t.outside).sum()
    }

    fn in_tests(&self) -> usize {
        self.tallies.iter().map(|t| t.in_tests).sum()
    }
}

/// `counts.md`.
fn render_counts(
    groups: &[GroupReport],
    all_rules: &[(String, String)],
    judgments: Option<&Path>,
    seed: u64,
) -> String {
    let mut out = String::from("# sciguard findings on real code\n\n");
    out.push_str("Written by `cargo xtask precision`: every rule (`--select ALL`) over each project. A finding is *in tests* when its file is a test by the rules crate's notion (`test_*.py`, `*_test.py`, `conftest.py`, or under a `tests/` folder); rules marked `exempt-in-tests` never fire there, so their in-tests count is 0.\n");
    match judgments {
        Some(path) => {
            let _ = writeln!(out, "\nJudgments from `{}`; precision is true / judged over the judged findings outside tests (samples drawn with seed {seed}, see `sample.md`).", path.display());
        }
        None => out.push_str("\nNo judgments file: precision columns are left out.\n"),
    }
    for group in groups {
        let names: Vec<&str> = group.projects.iter().map(|p| p.name.as_str()).collect();
        let _ = writeln!(
            out,
            "\n## {} ({} projects, {} Python files and notebooks)\n\n{}\n",
            group.group.key(),
            names.len(),
            group.files,
            names.join(", ")
        );
        out.push_str(&counts_table(group, judgments.is_some()));
        if judgments.is_some() {
            out.push_str(&precision_lines(&group.tallies));
        }
        let fired: BTreeSet<&str> = group.tallies.iter().map(|t| t.code.as_str()).collect();
        let silent: Vec<&str> = all_rules
            .iter()
            .map(|(code, _)| code.as_str())
            .filter(|code| !fired.contains(code))
            .collect();
        if !silent.is_empty() {
            let _ = writeln!(out, "\nNo findings: {}.", silent.join(", "));
        }
    }
    out
}

fn counts_table(group: &GroupReport, judged: bool) -> String {
    let mut out = String::from("| Rule | Name | Outside tests | In tests |");
    out.push_str(if judged {
        " Judged | True | Precision |\n|---|---|--:|--:|--:|--:|--:|\n"
    } else {
        "\n|---|---|--:|--:|\n"
    });
    for t in &group.tallies {
        let _ = write!(
            out,
            "| {} | {} | {} | {} |",
            t.code, t.name, t.outside, t.in_tests
        );
        if judged {
            let precision = t.precision().map_or("–".to_string(), percent);
            let _ = write!(out, " {} | {} | {precision} |", t.judged, t.true_positives);
        }
        out.push('\n');
    }
    let _ = write!(
        out,
        "| **Total** | | **{}** | **{}** |",
        group.outside(),
        group.in_tests()
    );
    if judged {
        let judged: usize = group.tallies.iter().map(|t| t.judged).sum();
        let true_positives: usize = group.tallies.iter().map(|t| t.true_positives).sum();
        let _ = write!(out, " {judged} | {true_positives} | |");
    }
    out.push('\n');
    out
}

fn precision_lines(tallies: &[Tally]) -> String {
    let outside: usize = tallies.iter().map(|t| t.outside).sum();
    let mut out = String::new();
    match weighted_precision(tallies) {
        Some((precision, covered)) => {
            let _ = writeln!(out, "\nWeighted precision: **{}** (each judged rule's sample precision weighted by its findings outside tests; the judged rules have {covered} of the {outside} findings outside tests).", percent(precision));
        }
        None => out.push_str("\nWeighted precision: none yet (no rule judged).\n"),
    }
    let unjudged: Vec<String> = tallies
        .iter()
        .filter(|t| t.outside > 0 && t.judged == 0)
        .map(|t| format!("{} ({})", t.code, t.outside))
        .collect();
    if !unjudged.is_empty() {
        let _ = writeln!(out, "\nNot judged yet: {}.", unjudged.join(", "));
    }
    out
}

/// `sample.md`: each sampled finding with its context and a `Judgment:` line.
fn render_sample(
    sampled: &[Sampled],
    projects: &[Project],
    judgments: &Judgments,
    size: usize,
    seed: u64,
) -> String {
    let mut out = String::from("# Findings to judge\n\n");
    let _ = writeln!(out, "Up to {size} findings outside tests per rule and group, drawn with seed {seed} (`cargo xtask precision --seed N` draws others). Read each one and fill in its `Judgment:` line with `true`, `false` or `noise` and a reason, then record it in `xtask/precision/judgments.toml` under the finding's rule, path and line (and cell); `sample.json` has them for scripts.");
    let mut heading = None;
    for s in sampled {
        let f = s.finding;
        if heading != Some((f.group, &f.key.rule)) {
            heading = Some((f.group, &f.key.rule));
            let _ = writeln!(out, "\n## {} {} ({})", f.key.rule, f.name, f.group.key());
        }
        out.push_str(&render_one(
            s,
            &projects[f.project],
            judgment_of(judgments, f),
        ));
    }
    out
}

fn render_one(sampled: &Sampled, project: &Project, judgment: Option<&Judgment>) -> String {
    let f = sampled.finding;
    let place = match f.key.cell {
        Some(cell) => format!("{} cell {cell}, line {}", f.key.path, f.key.line),
        None => format!("{}:{}", f.key.path, f.key.line),
    };
    let mut out = format!(
        "\n### {} `{place}` ({})\n\n{}\n\n",
        sampled.id, f.severity, f.message
    );
    match source_lines(&project.dir.join(&f.relative), f.key.cell) {
        Ok(lines) => {
            let context = render_context(&lines, f.key.line);
            let fence = fence(&context);
            let _ = writeln!(out, "{fence}{}\n{context}{fence}", language(&f.relative));
        }
        Err(error) => {
            let _ = writeln!(out, "(no context: {error})");
        }
    }
    match judgment {
        Some(j) => {
            let judged = format!("{} {}", j.verdict.key(), j.note.trim());
            let _ = writeln!(out, "\nJudgment: {}", judged.trim_end());
        }
        None => out.push_str("\nJudgment:\n"),
    }
    out
}

/// One sampled finding in `sample.json`.
#[derive(Serialize)]
struct SampleRecord<'a> {
    id: &'a str,
    group: Group,
    #[serde(flatten)]
    key: &'a Key,
    column: usize,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    judgment: Option<&'a Judgment>,
}

fn render_sample_json(sampled: &[Sampled], judgments: &Judgments, seed: u64) -> String {
    let records: Vec<SampleRecord> = sampled
        .iter()
        .map(|s| SampleRecord {
            id: &s.id,
            group: s.finding.group,
            key: &s.finding.key,
            column: s.finding.column,
            name: &s.finding.name,
            severity: &s.finding.severity,
            message: &s.finding.message,
            judgment: judgment_of(judgments, s.finding),
        })
        .collect();
    #[derive(Serialize)]
    struct Document<'a> {
        seed: u64,
        samples: Vec<SampleRecord<'a>>,
    }
    let document = Document {
        seed,
        samples: records,
    };
    // Plain strings and numbers: serialising cannot fail.
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}

/// Python files and notebooks under a folder (hidden folders skipped), for scale.
fn count_sources(dir: &Path) -> usize {
    let mut count = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && !name.starts_with('.') {
                pending.push(entry.path());
            } else if kind.is_file() && (name.ends_with(".py") || name.ends_with(".ipynb")) {
                count += 1;
            }
        }
    }
    count
}

/// Every rule's code and name, from the CLI.
fn all_rules(cli: &Path) -> Result<Vec<(String, String)>> {
    #[derive(Deserialize)]
    struct Rule {
        code: String,
        name: String,
    }
    let output = Command::new(cli)
        .args(["rules", "--output-format", "json"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    let rules: Vec<Rule> =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("sciguard rules: {e}"))?;
    Ok(rules.into_iter().map(|r| (r.code, r.name)).collect())
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The whole run: corpus, CLI, findings, reports, summary.
pub fn run(root: &Path, options: &Options) -> Result {
    let mut projects = wheel_projects(root, &options.corpus);
    projects.extend(app_projects(root, options)?);
    if projects.is_empty() {
        return Err("nothing to check: no wheel corpus and no application folder".into());
    }
    let judgments = load_judgments(root, options)?;
    crate::run(
        "cargo",
        &["build", "--release", "--package", "sciguard-cli"],
    )?;
    // Absolute, since each project is checked from its own folder.
    let built = crate::target_dir().join("release/sciguard");
    let cli = built
        .canonicalize()
        .map_err(|e| format!("{}: {e}", built.display()))?;
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/precision"));
    let raw = out.join("raw");
    std::fs::create_dir_all(&raw).map_err(|e| format!("{}: {e}", raw.display()))?;
    let mut findings = Vec::new();
    for (index, project) in projects.iter().enumerate() {
        eprintln!("xtask: precision: checking {}", project.dir.display());
        findings.extend(check_project(&cli, project, index, &raw)?);
    }
    findings.sort_by(|a, b| (a.group, &a.key, a.column).cmp(&(b.group, &b.key, b.column)));
    let empty = Judgments::new();
    let judged = judgments.as_ref().map_or(&empty, |(_, j)| j);
    let groups = group_reports(&projects, &findings, judged);
    let sampled = draw_sample(&findings, options.sample, options.seed);
    let judgments_path = judgments
        .as_ref()
        .map(|(p, _)| p.strip_prefix(root).unwrap_or(p));
    let counts = render_counts(&groups, &all_rules(&cli)?, judgments_path, options.seed);
    write(&out.join("counts.md"), &counts)?;
    let sample = render_sample(&sampled, &projects, judged, options.sample, options.seed);
    write(&out.join("sample.md"), &sample)?;
    write(
        &out.join("sample.json"),
        &render_sample_json(&sampled, judged, options.seed),
    )?;
    report_stale(&findings, judged);
    print_summary(&groups, sampled.len(), &out);
    Ok(())
}

fn group_reports<'a>(
    projects: &'a [Project],
    findings: &[Finding],
    judgments: &Judgments,
) -> Vec<GroupReport<'a>> {
    [Group::Wheels, Group::Apps]
        .into_iter()
        .filter(|g| projects.iter().any(|p| p.group == *g))
        .map(|group| {
            let members: Vec<&Project> = projects.iter().filter(|p| p.group == group).collect();
            let in_group: Vec<&Finding> = findings.iter().filter(|f| f.group == group).collect();
            GroupReport {
                group,
                files: members.iter().map(|p| count_sources(&p.dir)).sum(),
                projects: members,
                tallies: tally(&in_group, judgments),
            }
        })
        .collect()
}

/// Judgments that match no finding outside tests (the rule changed, or a typo) are
/// worth knowing about: they no longer count.
fn report_stale(findings: &[Finding], judgments: &Judgments) {
    let current: BTreeSet<&Key> = findings
        .iter()
        .filter(|f| !f.in_tests)
        .map(|f| &f.key)
        .collect();
    for key in judgments.keys().filter(|k| !current.contains(k)) {
        eprintln!(
            "xtask: precision: judgment of {} {}:{} matches no finding outside tests; it is not counted",
            key.rule, key.path, key.line
        );
    }
}

fn print_summary(groups: &[GroupReport], sampled: usize, out: &Path) {
    for g in groups {
        println!(
            "{}: {} projects, {} Python files and notebooks, {} findings outside tests ({} in tests) from {} rules",
            g.group.key(),
            g.projects.len(),
            g.files,
            g.outside(),
            g.in_tests(),
            g.tallies.len()
        );
        if let Some((precision, covered)) = weighted_precision(&g.tallies) {
            println!(
                "  weighted precision {} over {covered} findings of judged rules",
                percent(precision)
            );
        }
    }
    println!("wrote {}/counts.md", out.display());
    println!(
        "wrote {}/sample.md ({sampled} findings to judge)",
        out.display()
    );
    println!("wrote {}/sample.json", out.display());
    println!("raw CLI output in {}/raw/", out.display());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse() {
        let args =
            |text: &str| -> Vec<String> { text.split_whitespace().map(String::from).collect() };
        let options = Options::parse(&args(
            "--corpus c --apps a --add x --add y --seed 7 --sample 3 --judgments j.toml",
        ))
        .expect("parses");
        assert_eq!(options.corpus, PathBuf::from("c"));
        assert_eq!(options.add, vec![PathBuf::from("x"), PathBuf::from("y")]);
        assert_eq!((options.seed, options.sample), (7, 3));
        assert_eq!(options.judgments, Some(PathBuf::from("j.toml")));
        assert!(Options::parse(&args("--seed x"))
            .unwrap_err()
            .contains("--seed"));
        assert!(Options::parse(&args("--add"))
            .unwrap_err()
            .contains("needs a value"));
        assert!(Options::parse(&args("--bogus")).is_err());
    }

    #[test]
    fn splitmix64_matches_the_reference() {
        // The first outputs for seed 0 of the reference implementation (Vigna's splitmix64.c).
        let mut rng = SplitMix64(0);
        assert_eq!(rng.next(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(rng.next(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(rng.next(), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn samples_are_reproducible_distinct_and_bounded() {
        let a = sample_indices(1000, 8, 42);
        assert_eq!(a, sample_indices(1000, 8, 42));
        assert_eq!(a.len(), 8);
        assert!(
            a.windows(2).all(|w| w[0] < w[1]),
            "sorted and distinct: {a:?}"
        );
        assert!(a.iter().all(|&i| i < 1000));
        assert_ne!(a, sample_indices(1000, 8, 43));
        assert_eq!(sample_indices(5, 8, 42), vec![0, 1, 2, 3, 4]);
        assert_eq!(sample_indices(0, 8, 42), Vec::<usize>::new());
    }

    #[test]
    fn every_index_can_be_drawn() {
        // Draws from a small range over many seeds reach every index, about evenly.
        let mut seen = [0usize; 10];
        for seed in 0..2000 {
            for i in sample_indices(10, 3, seed) {
                seen[i] += 1;
            }
        }
        assert!(seen.iter().all(|&n| (450..750).contains(&n)), "{seen:?}");
    }

    #[test]
    fn a_rules_sample_does_not_depend_on_other_rules() {
        assert_eq!(
            rule_seed(1, Group::Wheels, "SCI225"),
            rule_seed(1, Group::Wheels, "SCI225")
        );
        assert_ne!(
            rule_seed(1, Group::Wheels, "SCI225"),
            rule_seed(1, Group::Apps, "SCI225")
        );
        assert_ne!(
            rule_seed(1, Group::Wheels, "SCI225"),
            rule_seed(1, Group::Wheels, "SCI226")
        );
    }

    #[test]
    fn test_paths_as_the_rules_crate_has_them() {
        for path in [
            "pkg/tests/test_io.py",
            "pkg/tests/helpers.py",
            "test_io.py",
            "io_test.py",
            "conftest.py",
            "a\\tests\\b.py",
        ] {
            assert!(is_test_path(path), "{path}");
        }
        for path in [
            "pkg/io.py",
            "pkg/testing.py",
            "pkg/tests.py",
            "pkg/test/util.py",
            "pkg/testsuite/a.py",
            "pkg/contest.py",
        ] {
            assert!(!is_test_path(path), "{path}");
        }
    }

    #[test]
    fn judgments_parse_and_refuse_duplicates_and_unknown_verdicts() {
        let text = r#"
            [[judgment]]
            rule = "SCI225"
            path = "numpy/numpy/a.py"
            line = 12
            verdict = "true"
            note = "validates user input"

            [[judgment]]
            rule = "SCI225"
            path = "handson-ml3/01.ipynb"
            line = 3
            cell = 7
            verdict = "noise"
        "#;
        let judgments = parse_judgments(text).expect("parses");
        let key = Key {
            rule: "SCI225".into(),
            path: "handson-ml3/01.ipynb".into(),
            line: 3,
            cell: Some(7),
        };
        assert_eq!(judgments[&key][0].verdict, Verdict::Noise);
        assert_eq!(judgments.len(), 2);
        assert!(parse_judgments("").expect("empty is fine").is_empty());
        let twice = format!("{text}\n[[judgment]]\nrule = \"SCI225\"\npath = \"numpy/numpy/a.py\"\nline = 12\nverdict = \"false\"\n");
        assert!(parse_judgments(&twice)
            .unwrap_err()
            .contains("judged twice"));
        // Judged again at another severity: both are kept, each applies at its own.
        let high = "[[judgment]]\nrule = \"SCI201\"\npath = \"a.py\"\nline = 1\nverdict = \"noise\"\nseverity = \"high\"\n";
        let info = high.replace("noise", "true").replace("high", "info");
        let both = parse_judgments(&format!("{high}{info}")).expect("two severities");
        assert_eq!(both.values().next().map(Vec::len), Some(2));
        assert!(parse_judgments(&format!("{high}{high}")).is_err());
        let wrong =
            "[[judgment]]\nrule = \"SCI1\"\npath = \"a.py\"\nline = 1\nverdict = \"maybe\"\n";
        assert!(parse_judgments(wrong).is_err());
        let typo = "[[judgment]]\nrule = \"SCI1\"\npath = \"a.py\"\nlien = 1\nverdict = \"true\"\n";
        assert!(parse_judgments(typo).is_err());
    }

    fn finding(rule: &str, path: &str, line: usize, in_tests: bool) -> Finding {
        Finding {
            group: Group::Wheels,
            project: 0,
            relative: path.into(),
            key: Key {
                rule: rule.into(),
                path: path.into(),
                line,
                cell: None,
            },
            column: 1,
            name: rule.to_lowercase(),
            severity: "low".into(),
            message: String::new(),
            in_tests,
        }
    }

    #[test]
    fn tallies_count_judgments_outside_tests_only() {
        let findings = [
            finding("SCI1", "a.py", 1, false),
            finding("SCI1", "a.py", 2, false),
            finding("SCI1", "tests/a.py", 1, true),
            finding("SCI2", "b.py", 1, false),
        ];
        let text = "[[judgment]]\nrule = \"SCI1\"\npath = \"a.py\"\nline = 1\nverdict = \"true\"\n\
                    [[judgment]]\nrule = \"SCI1\"\npath = \"a.py\"\nline = 2\nverdict = \"noise\"\n\
                    [[judgment]]\nrule = \"SCI1\"\npath = \"tests/a.py\"\nline = 1\nverdict = \"true\"\n";
        let judgments = parse_judgments(text).expect("parses");
        let refs: Vec<&Finding> = findings.iter().collect();
        let tallies = tally(&refs, &judgments);
        assert_eq!(tallies[0].code, "SCI1");
        assert_eq!(
            (tallies[0].outside, tallies[0].in_tests, tallies[0].judged),
            (2, 1, 2)
        );
        assert_eq!(tallies[0].true_positives, 1);
        assert_eq!(tallies[0].precision(), Some(0.5));
        assert_eq!(tallies[1].precision(), None);
    }

    #[test]
    fn weighted_precision_weights_by_findings_outside_tests() {
        let rule = |outside, judged, true_positives| Tally {
            outside,
            judged,
            true_positives,
            ..Tally::default()
        };
        // 100 findings at 8/8 and 300 at 4/8: (100 * 1 + 300 * 0.5) / 400.
        let tallies = [rule(100, 8, 8), rule(300, 8, 4), rule(1000, 0, 0)];
        let (precision, covered) = weighted_precision(&tallies).expect("judged");
        assert!((precision - 0.625).abs() < 1e-12, "{precision}");
        assert_eq!(covered, 400);
        assert_eq!(weighted_precision(&[rule(50, 0, 0)]), None);
    }

    #[test]
    fn context_marks_the_line_and_stops_at_the_edges() {
        let lines: Vec<String> = (1..=30).map(|i| format!("line {i}")).collect();
        let shown = render_context(&lines, 15);
        let rows: Vec<&str> = shown.lines().collect();
        assert_eq!(rows.len(), 21);
        assert_eq!(rows[0], "   5 | line 5");
        assert_eq!(rows[10], "> 15 | line 15");
        assert_eq!(rows[20], "  25 | line 25");
        let top = render_context(&lines, 2);
        assert!(top.starts_with("   1 | line 1\n>  2 | line 2\n"), "{top}");
        assert_eq!(top.lines().count(), 12);
        assert_eq!(render_context(&lines, 30).lines().count(), 11);
        let long = vec!["é".repeat(LINE_WIDTH + 5)];
        let shown = render_context(&long, 1);
        assert_eq!(shown, format!("> 1 | {} …\n", "é".repeat(LINE_WIDTH)));
    }

    #[test]
    fn lines_end_where_the_parser_ends_them() {
        assert_eq!(split_lines("a\r\nb\rc\nd"), ["a", "b", "c", "d"]);
        assert_eq!(split_lines("a\n\nb\n"), ["a", "", "b"]);
        assert!(split_lines("").is_empty());
    }

    #[test]
    fn fences_outlast_backticks_in_the_code() {
        assert_eq!(fence("x = 1"), "```");
        assert_eq!(fence("doc = '''```python'''"), "````");
    }
}
