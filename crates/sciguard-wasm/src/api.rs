//! What each JS function does, in plain Rust so that it is tested natively: read the
//! request, ask the engine, hand back the engine's own JSON. Nothing here decides what
//! a finding is; every check goes through `sciguard::check_project`, every fix through
//! `sciguard::project::fixing`, every rule through the [`Registry`].

use sciguard::checklist::{self, FileScope, Workflow};
use sciguard::input::SourceKind;
use sciguard::project::{self, fixing, Options, ProjectReport};
use sciguard::report::{self, DocsUrl, Severity};
use sciguard::rules::{CatalogEntry, Registry};
use sciguard::settings::{Selector, CHECK_DEFAULTS};
use sciguard::SourceFile;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A file to check, as JS gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    /// Its path within the project (`src/app.py`, `pyproject.toml`): decides its kind and
    /// which `[tool.sciguard]` governs it.
    pub name: String,
    /// Its whole text.
    pub content: String,
    /// The kind to check it as, when its name does not tell.
    #[serde(default)]
    pub kind: Option<SourceKind>,
}

/// An organisation policy file: a rule page with an `ORG` code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// Its name, for error messages.
    pub name: String,
    /// Its text.
    pub content: String,
}

/// The options of `check`, `checklist` and `applyFixes`: the CLI's flags of the same
/// names. `workflow` belongs to `checklist` and `unsafeFixes` to `applyFixes` alone.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct CheckOptions {
    /// Only these rules (replaces `select` in pyproject.toml), as `--select`.
    pub select: Option<Vec<String>>,
    /// Skip these rules too, as `--ignore`.
    pub ignore: Vec<String>,
    /// Leave out findings less severe than this.
    pub severity: Option<Severity>,
    /// Organisation policy files, as `--policy`.
    pub policies: Vec<PolicyFile>,
    /// Where the site's rule pages are published, as `--docs-url` (default: `docs-url`
    /// of a top-level `pyproject.toml` among the files).
    pub docs_url: Option<String>,
    /// `checklist`: the workflow to start with, as `--workflow`.
    pub workflow: Option<String>,
    /// `applyFixes`: apply the fixes that change behaviour too, as `--unsafe-fixes`.
    pub unsafe_fixes: Option<bool>,
}

impl CheckOptions {
    /// Refuses the options that belong to another function.
    fn only_for(&self, function: &str) -> Result<(), String> {
        if self.workflow.is_some() && function != "checklist" {
            return Err("options.workflow is an option of checklist()".into());
        }
        if self.unsafe_fixes.is_some() && function != "applyFixes" {
            return Err("options.unsafeFixes is an option of applyFixes()".into());
        }
        Ok(())
    }
}

/// The options of `rules` and `rulePage`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct RulesOptions {
    /// Organisation policy files whose rules to include.
    pub policies: Vec<PolicyFile>,
    /// Where the site's rule pages are published: each rule gets a `url`.
    pub docs_url: Option<String>,
}

/// Something that kept part of a request from being honoured; the rest was.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `policy` (a policy file left out), `settings` (a `pyproject.toml` whose settings
    /// are not applied) or `unchecked` (a file not checked in full).
    pub kind: &'static str,
    /// The file it is about.
    pub file: String,
    /// The 1-based line, when the problem is on one.
    pub line: Option<usize>,
    /// What is wrong, naming the file, line and field.
    pub message: String,
}

/// The rules of a request: built-in, plus the valid policy files given.
struct Rules {
    organisation: Option<Registry>,
    problems: Vec<Problem>,
}

impl Rules {
    fn load(policies: &[PolicyFile]) -> Rules {
        if policies.is_empty() {
            return Rules {
                organisation: None,
                problems: Vec::new(),
            };
        }
        let (registry, errors) = Registry::with_organisation(
            policies
                .iter()
                .map(|p| (p.name.as_str(), p.content.as_str())),
        );
        let problems = errors
            .into_iter()
            .map(|e| Problem {
                kind: "policy",
                file: e.file().to_string(),
                line: e.line(),
                message: format!("{e}; the other policies are loaded"),
            })
            .collect();
        Rules {
            organisation: Some(registry),
            problems,
        }
    }

    fn registry(&self) -> &Registry {
        self.organisation.as_ref().unwrap_or(Registry::builtin())
    }
}

/// The files as the project API takes them; names must be present and distinct.
fn sources(files: Vec<InputFile>) -> Result<Vec<SourceFile>, String> {
    let mut seen = BTreeSet::new();
    files
        .into_iter()
        .map(|f| {
            if f.name.trim().is_empty() {
                return Err("every file needs a `name` (its path in the project)".to_string());
            }
            if !seen.insert(f.name.clone()) {
                return Err(format!("two files are named `{}`", f.name));
            }
            Ok(SourceFile {
                path: f.name,
                text: f.content,
                kind: f.kind,
                display: None,
            })
        })
        .collect()
}

fn docs_url(given: Option<&str>) -> Result<Option<DocsUrl>, String> {
    given
        .map(|text| DocsUrl::parse(text).map_err(|e| format!("options.docsUrl: {e}")))
        .transpose()
}

/// A prepared run: the files, the rules and the project API's options.
struct Run<'r> {
    sources: Vec<SourceFile>,
    options: Options<'r>,
}

impl<'r> Run<'r> {
    /// `defaults` are selected on top of the selection, as the CLI command does.
    fn new(
        files: Vec<InputFile>,
        options: &CheckOptions,
        registry: &'r Registry,
        defaults: &[&str],
    ) -> Result<Run<'r>, String> {
        let select = options
            .select
            .as_deref()
            .map(|s| Selector::parse_all(s, registry))
            .transpose()
            .map_err(|m| format!("options.select: {m}"))?;
        let ignore = Selector::parse_all(&options.ignore, registry)
            .map_err(|m| format!("options.ignore: {m}"))?;
        let extend_select =
            Selector::parse_all(defaults, registry).map_err(|m| format!("defaults: {m}"))?;
        Ok(Run {
            sources: sources(files)?,
            options: Options {
                select,
                ignore,
                extend_select,
                severity: options.severity,
                registry: Some(registry),
                ..Options::default()
            },
        })
    }

    fn check(&self) -> ProjectReport {
        project::check_project(&self.sources, &self.options)
    }
}

/// The problems of a checked project: policy files left out, settings not applied,
/// files not checked in full.
fn problems(rules: Rules, checked: &ProjectReport) -> Vec<Problem> {
    let mut problems = rules.problems;
    problems.extend(checked.settings.problems().iter().map(|p| Problem {
        kind: "settings",
        file: p.path.clone(),
        line: None,
        message: format!(
            "{}: {}; its [tool.sciguard] settings are not applied",
            p.path, p.message
        ),
    }));
    problems.extend(checked.reports.iter().filter_map(|r| {
        r.unchecked.as_ref().map(|why| Problem {
            kind: "unchecked",
            file: r.filename.clone(),
            line: None,
            message: format!("could not check all of {}: {why}", r.filename),
        })
    }));
    problems
}

/// The docs base: the option, else `docs-url` of the settings governing the top folder
/// (the CLI takes the one governing the current folder).
fn docs_for(options: &CheckOptions, checked: &ProjectReport) -> Result<Option<DocsUrl>, String> {
    match docs_url(options.docs_url.as_deref())? {
        Some(url) => Ok(Some(url)),
        None => Ok(checked.settings.governing("-").0.docs_url().cloned()),
    }
}

fn to_json(value: &impl Serialize) -> String {
    // Plain structs of strings and numbers always serialise.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// `check`: `{findings, problems}`, `findings` being exactly what
/// `sciguard check --output-format json` prints for the same files.
pub fn check(files: Vec<InputFile>, options: CheckOptions) -> Result<String, String> {
    options.only_for("check")?;
    let rules = Rules::load(&options.policies);
    let run = Run::new(files, &options, rules.registry(), CHECK_DEFAULTS)?;
    let checked = run.check();
    let docs = docs_for(&options, &checked)?;
    let findings = report::render_json(&checked.reports, docs.as_ref());
    let problems = to_json(&problems(rules, &checked));
    Ok(format!(
        "{{\"findings\":{findings},\"problems\":{problems}}}"
    ))
}

/// `checklist`: `{plan, markdown, problems}`, as `sciguard checklist` gives them (JSON
/// and Markdown) for the same files.
pub fn checklist(files: Vec<InputFile>, options: CheckOptions) -> Result<String, String> {
    options.only_for("checklist")?;
    let workflow = Workflow::parse(options.workflow.as_deref().unwrap_or_default())
        .map_err(|e| format!("options.workflow: {e}"))?;
    let rules = Rules::load(&options.policies);
    // As the CLI's `checklist`: the selection without `check`'s own defaults.
    let run = Run::new(files, &options, rules.registry(), &[])?;
    let checked = run.check();
    let plan = checklist::plan_in(
        rules.registry(),
        &checked.reports,
        workflow,
        &FileScope::All,
    );
    let markdown = to_json(&checklist::render_markdown(&plan, &BTreeSet::new()));
    let plan = checklist::render_json(&plan);
    let problems = to_json(&problems(rules, &checked));
    Ok(format!(
        "{{\"plan\":{plan},\"markdown\":{markdown},\"problems\":{problems}}}"
    ))
}

/// One file `applyFixes` changed.
#[derive(Serialize)]
struct ChangedFile<'a> {
    name: &'a str,
    content: &'a str,
    applied: usize,
    resolved: &'a BTreeMap<String, usize>,
}

/// `applyFixes`: `{changes, findings, refused, notebooks, problems}`: the fixed texts
/// and the findings left, as `sciguard check --fix --output-format json` leaves them.
pub fn apply_fixes(files: Vec<InputFile>, options: CheckOptions) -> Result<String, String> {
    options.only_for("applyFixes")?;
    let rules = Rules::load(&options.policies);
    let run = Run::new(files, &options, rules.registry(), CHECK_DEFAULTS)?;
    let mut checked = run.check();
    let fixed = fixing::fix_reports(
        &mut checked.reports,
        &run.sources,
        options.unsafe_fixes.unwrap_or(false),
        |sources| project::check_project(&sources, &run.options).reports,
    );
    let docs = docs_for(&options, &checked)?;
    let changes: Vec<ChangedFile> = fixed
        .changes
        .iter()
        .map(|c| ChangedFile {
            name: &c.filename,
            content: &c.after,
            applied: c.applied,
            resolved: &c.resolved,
        })
        .collect();
    let findings = report::render_json(&checked.reports, docs.as_ref());
    Ok(format!(
        "{{\"changes\":{},\"findings\":{findings},\"refused\":{},\"notebooks\":{},\"problems\":{}}}",
        to_json(&changes),
        to_json(&fixed.refused),
        to_json(&fixed.notebooks),
        to_json(&problems(rules, &checked)),
    ))
}

/// `rules`: `{rules, problems}`, `rules` being what `sciguard rules --output-format json`
/// prints.
pub fn rules(options: RulesOptions) -> Result<String, String> {
    let docs = docs_url(options.docs_url.as_deref())?;
    let rules = Rules::load(&options.policies);
    let catalog: Vec<CatalogEntry> = rules
        .registry()
        .rules()
        .map(|(_, r)| r.catalog_entry(docs.as_ref()))
        .collect();
    Ok(format!(
        "{{\"rules\":{},\"problems\":{}}}",
        to_json(&catalog),
        to_json(&rules.problems)
    ))
}

/// A rule's catalog entry and its page in Markdown (what `sciguard rule` prints).
#[derive(Serialize)]
struct RulePage<'a> {
    #[serde(flatten)]
    rule: CatalogEntry<'a>,
    markdown: String,
}

/// `rulePage`: the page of a rule named by code or name, `None` when no rule has it.
/// Policy files that fail to load are left out (`rules` and `check` report why).
pub fn rule_page(key: &str, options: RulesOptions) -> Result<Option<String>, String> {
    let docs = docs_url(options.docs_url.as_deref())?;
    let rules = Rules::load(&options.policies);
    let registry = rules.registry();
    Ok(registry.find(key.trim()).map(|id| {
        let rule = registry.rule(id);
        to_json(&RulePage {
            rule: rule.catalog_entry(docs.as_ref()),
            markdown: rule.render_markdown(),
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn file(name: &str, content: &str) -> InputFile {
        InputFile {
            name: name.into(),
            content: content.into(),
            kind: None,
        }
    }

    fn json(text: &str) -> Value {
        serde_json::from_str(text).expect("valid JSON")
    }

    const PICKLE: &str = "import pickle\n\ndef load(p):\n    return pickle.load(open(p, 'rb'))\n";

    #[test]
    fn findings_are_the_clis_json() {
        let files = vec![file("model.py", PICKLE)];
        let out = json(&check(files, CheckOptions::default()).unwrap());
        let reports = vec![sciguard::check("model.py", PICKLE, &Default::default())];
        assert_eq!(out["findings"], json(&report::render_json(&reports, None)));
        assert_eq!(out["findings"][0]["code"], "SCI201", "{out}");
        assert_eq!(out["problems"], Value::Array(vec![]));
    }

    #[test]
    fn pyproject_settings_among_the_files_apply() {
        let files = vec![
            file("pyproject.toml", "[tool.sciguard]\nignore = [\"SCI201\"]\ndocs-url = \"https://wiki.example.org/sg/\"\n"),
            file("model.py", PICKLE),
            file("other/pyproject.toml", "[project]\nname = \"x\"\n"),
        ];
        let out = json(&check(files, CheckOptions::default()).unwrap());
        let codes: Vec<&Value> = out["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| &f["code"])
            .collect();
        assert!(!codes.contains(&&Value::from("SCI201")), "{out}");
        let with_select = check(
            vec![
                file("model.py", PICKLE),
                file("requirements.txt", "numpy\n"),
            ],
            CheckOptions {
                select: Some(vec!["SCI201".into()]),
                severity: Some(Severity::High),
                docs_url: Some("https://docs.example.org/".into()),
                ..CheckOptions::default()
            },
        );
        let out = json(&with_select.unwrap());
        let findings = out["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 1, "{out}");
        assert_eq!(
            findings[0]["url"],
            "https://docs.example.org/#/rules/SCI201"
        );
    }

    #[test]
    fn a_severity_threshold_leaves_out_less_severe_findings() {
        let code =
            "import numpy as np\ntry:\n    np.load(f, allow_pickle=True)\nexcept:\n    pass\n";
        let all = json(&check(vec![file("a.py", code)], CheckOptions::default()).unwrap());
        let high = CheckOptions {
            severity: Some(Severity::High),
            ..CheckOptions::default()
        };
        let high = json(&check(vec![file("a.py", code)], high).unwrap());
        let severities = |v: &Value| -> Vec<String> {
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["severity"].as_str().unwrap().to_string())
                .collect()
        };
        assert!(severities(&all).iter().any(|s| s != "high"), "{all}");
        assert!(!severities(&high).is_empty());
        assert!(severities(&high).iter().all(|s| s == "high"), "{high}");
    }

    #[test]
    fn bad_requests_are_errors_that_say_what_is_wrong() {
        let unknown = CheckOptions {
            select: Some(vec!["NOPE9".into()]),
            ..CheckOptions::default()
        };
        let error = check(vec![file("a.py", "")], unknown).unwrap_err();
        assert!(
            error.starts_with("options.select: `NOPE9` matches no rule"),
            "{error}"
        );
        let twice = check(
            vec![file("a.py", ""), file("a.py", "")],
            CheckOptions::default(),
        );
        assert_eq!(twice.unwrap_err(), "two files are named `a.py`");
        let error = check(vec![file(" ", "")], CheckOptions::default()).unwrap_err();
        assert!(error.contains("needs a `name`"), "{error}");
        let docs = CheckOptions {
            docs_url: Some("ftp://x".into()),
            ..CheckOptions::default()
        };
        assert!(check(vec![], docs)
            .unwrap_err()
            .starts_with("options.docsUrl:"));
        let options: Result<CheckOptions, _> =
            serde_json::from_str(r#"{"workflow": "ingestion", "selct": ["SCI2"]}"#);
        assert!(options
            .unwrap_err()
            .to_string()
            .contains("unknown field `selct`"));
        let options: CheckOptions =
            serde_json::from_str(r#"{"unsafeFixes": true, "ignore": ["SCI2"]}"#).unwrap();
        let error = check(vec![], options).unwrap_err();
        assert_eq!(error, "options.unsafeFixes is an option of applyFixes()");
        let error = checklist(vec![], CheckOptions::default()).unwrap_err();
        assert!(
            error.starts_with("options.workflow: name the workflow"),
            "{error}"
        );
    }

    #[test]
    fn a_broken_policy_is_a_problem_and_the_valid_ones_still_fire() {
        let valid = PolicyFile {
            name: "ORG002.md".into(),
            content: std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../playbooks/organisation/ORG002-read-csv-over-http.md"
            ))
            .unwrap(),
        };
        let broken = PolicyFile {
            name: "broken.md".into(),
            content: "+++\ncode = \"ORG009\"\nname = \"x\"\npillar = \"nowhere\"\n+++\n".into(),
        };
        let options = CheckOptions {
            policies: vec![valid, broken],
            ..CheckOptions::default()
        };
        let code = "import pandas as pd\npd.read_csv('http://example.org/a.csv')\n";
        let out = json(&check(vec![file("a.py", code)], options).unwrap());
        let org: Vec<&Value> = out["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "ORG002")
            .collect();
        assert_eq!(org.len(), 1, "{out}");
        let problem = &out["problems"][0];
        assert_eq!(problem["kind"], "policy");
        assert_eq!(problem["file"], "broken.md");
        assert!(problem["line"].is_u64(), "{problem}");
        assert!(
            problem["message"]
                .as_str()
                .unwrap()
                .starts_with("broken.md:"),
            "{problem}"
        );
    }

    #[test]
    fn fixes_go_through_the_engines_fix_loop() {
        let code = "import yaml\ndata = yaml.load(text)\n";
        let out = json(&apply_fixes(vec![file("a.py", code)], CheckOptions::default()).unwrap());
        let mut reports = vec![sciguard::check("a.py", code, &Default::default())];
        let sources = [SourceFile::new("a.py", code)];
        // SCI210's fix changes behaviour: applied only with unsafe fixes.
        assert_eq!(out["changes"], Value::Array(vec![]), "{out}");
        let unsafe_fixes = CheckOptions {
            unsafe_fixes: Some(true),
            ..CheckOptions::default()
        };
        let out = json(&apply_fixes(vec![file("a.py", code)], unsafe_fixes).unwrap());
        let fixed = fixing::fix_reports(&mut reports, &sources, true, |s| {
            sciguard::check_files(&s, &Default::default())
        });
        assert_eq!(fixed.changes.len(), 1);
        let expected = fixed.changes[0].after.as_str();
        assert_eq!(
            out["changes"][0]["content"].as_str(),
            Some(expected),
            "{out}"
        );
        assert_eq!(expected, "import yaml\ndata = yaml.safe_load(text)\n");
        assert_eq!(out["changes"][0]["resolved"]["SCI210"], 1);
    }

    #[test]
    fn rules_and_pages_come_from_the_registry() {
        let out = json(&rules(RulesOptions::default()).unwrap());
        let count = out["rules"].as_array().unwrap().len();
        assert_eq!(count, Registry::builtin().len());
        let page = json(
            &rule_page("numpy-load-allow-pickle", RulesOptions::default())
                .unwrap()
                .unwrap(),
        );
        assert_eq!(page["code"], "SCI202");
        assert!(page["markdown"]
            .as_str()
            .unwrap()
            .starts_with("# SCI202 numpy-load-allow-pickle"));
        assert_eq!(rule_page("SCI999", RulesOptions::default()).unwrap(), None);
    }

    #[test]
    fn the_checklist_is_the_engines_plan() {
        let options = CheckOptions {
            workflow: Some("ingestion".into()),
            ..CheckOptions::default()
        };
        let out = json(&checklist(vec![file("model.py", PICKLE)], options).unwrap());
        assert_eq!(out["plan"]["workflow"], "ingestion");
        assert!(
            out["markdown"].as_str().unwrap().contains("SCI201"),
            "{out}"
        );
    }
}
