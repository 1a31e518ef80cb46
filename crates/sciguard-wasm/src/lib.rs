//! sciguard's JavaScript/TypeScript API (the npm-layout packages `target/npm/web` and
//! `target/npm/nodejs`, built by `cargo xtask npm`).
//!
//! A thin shell over the rules crate, as the CLI and the site are: each function reads
//! its arguments, asks the engine through its one project API ([`api`]) and hands back
//! the engine's own JSON, parsed. Arguments of the wrong shape are a thrown `Error`
//! naming the function and the argument, never a trap.

pub mod api;

use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** What a file is checked as; by default its name decides, then its content. */
export type SourceKind = "python" | "requirements" | "pyproject" | "ini" | "yaml" | "env" | "notebook";
export type Pillar = "boundaries" | "edges" | "feedback" | "failure";
export type Severity = "info" | "low" | "medium" | "high";

/** A file to check: its path in the project (decides its kind and its `[tool.sciguard]`) and its text. */
export interface SourceFileInput {
  name: string;
  content: string;
  kind?: SourceKind;
}

/** An organisation policy file: a rule page with an `ORG` code (see playbooks/organisation/). */
export interface PolicyFile {
  name: string;
  content: string;
}

/** Options of `check` (and of `checklist` and `applyFixes`), the CLI's flags of the same names. */
export interface CheckOptions {
  /** Only these rules: codes, code prefixes, names, pillars or "ALL" (replaces `select` in pyproject.toml). */
  select?: string[];
  /** Skip these rules too (added to `ignore` in pyproject.toml). */
  ignore?: string[];
  /** Leave out findings less severe than this. */
  severity?: Severity;
  /** Organisation policy files added to the built-in rules. */
  policies?: PolicyFile[];
  /** Where your organisation hosts the sciguard site: findings get `url` = docsUrl#/rules/CODE. */
  docsUrl?: string;
}

export interface ChecklistOptions extends CheckOptions {
  /** The workflow to start with: checkout, ingestion, reporting, training, or your own name. */
  workflow: string;
}

export interface FixOptions extends CheckOptions {
  /** Apply the fixes that change behaviour too (the CLI's --unsafe-fixes). */
  unsafeFixes?: boolean;
}

export interface RulesOptions {
  policies?: PolicyFile[];
  docsUrl?: string;
}

/** 1-based row and column (in Unicode characters). */
export interface Location {
  row: number;
  column: number;
}

export interface Edit {
  content: string;
  location: Location;
  end_location: Location;
}

export interface Fix {
  applicability: "safe" | "unsafe";
  message: string;
  edits: Edit[];
}

/** One finding, exactly as `sciguard check --output-format json` prints it. */
export interface Finding {
  code: string;
  name: string;
  message: string;
  pillar: Pillar;
  severity: Severity;
  filename: string;
  location: Location;
  end_location: Location;
  fix: Fix | null;
  noqa_row: number;
  /** Only with a docs URL. */
  url?: string;
  /** In a notebook: the 1-based cell (rows are lines within it). */
  cell?: number;
}

/** Part of a request that could not be honoured; the rest was. */
export interface Problem {
  /** policy: a policy file left out; settings: a pyproject.toml whose settings are not applied; unchecked: a file not checked in full. */
  kind: "policy" | "settings" | "unchecked";
  file: string;
  line: number | null;
  /** Names the file, the line and the field. */
  message: string;
}

export interface CheckResult {
  findings: Finding[];
  problems: Problem[];
}

export interface ChecklistItem {
  id: string;
  text: string;
  finding?: { file: string; line: number; code: string; name: string; severity: Severity; pillar: Pillar };
}

/** Severity-weighted findings per 1,000 lines, per pillar. */
export interface Scorecard {
  lines: number;
  syntax_errors: number;
  pillars: {
    pillar: Pillar;
    findings: number;
    weight: number;
    per_kloc: number;
    level: "good" | "fair" | "needs-work" | "poor";
    signal: string;
  }[];
  overall_signal: string;
}

/** The rollout plan, as `sciguard checklist --format json` prints it. */
export interface RolloutPlan {
  workflow: string;
  files: { path: string; lines: number; findings: number; in_scope: boolean }[];
  phases: {
    kind: "scope" | "observability" | "guardrails" | "failure-planning" | "boundaries";
    title: string;
    advice: string;
    items: ChecklistItem[];
    notes?: string[];
  }[];
  pr_checklist: ChecklistItem[];
  retrospective: {
    questions: { id: string; heading: string; prompt: string }[];
    standards: { code: string; name: string; text: string }[];
  };
  scorecard: Scorecard;
}

export interface ChecklistResult {
  plan: RolloutPlan;
  /** The plan as Markdown task lists, as `sciguard checklist` prints it. */
  markdown: string;
  problems: Problem[];
}

export interface FixedFile {
  name: string;
  /** The text with every fix applied. */
  content: string;
  /** How many fixes were applied. */
  applied: number;
  /** Codes of the findings the fixes resolved, with their counts. */
  resolved: Record<string, number>;
}

export interface FixResult {
  /** The files the fixes changed. */
  changes: FixedFile[];
  /** The findings left in the fixed texts. */
  findings: Finding[];
  /** Files whose fixed text would not parse: left as they were. */
  refused: string[];
  /** Notebooks with fixes on offer, which are not applied. */
  notebooks: string[];
  problems: Problem[];
}

/** A rule as `sciguard rules --output-format json` lists it. */
export interface RuleInfo {
  bandit: string[];
  code: string;
  implementation: string;
  name: string;
  pillar: Pillar;
  ruff: string[];
  severity: Severity;
  summary: string;
  url?: string;
}

export interface RulesResult {
  rules: RuleInfo[];
  problems: Problem[];
}

export interface RulePage extends RuleInfo {
  /** The whole page, as `sciguard rule CODE` prints it. */
  markdown: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "SourceFileInput[]")]
    pub type Files;
    #[wasm_bindgen(typescript_type = "CheckOptions")]
    pub type CheckOptionsArg;
    #[wasm_bindgen(typescript_type = "ChecklistOptions")]
    pub type ChecklistOptionsArg;
    #[wasm_bindgen(typescript_type = "FixOptions")]
    pub type FixOptionsArg;
    #[wasm_bindgen(typescript_type = "RulesOptions")]
    pub type RulesOptionsArg;
    #[wasm_bindgen(typescript_type = "CheckResult")]
    pub type CheckResult;
    #[wasm_bindgen(typescript_type = "ChecklistResult")]
    pub type ChecklistResult;
    #[wasm_bindgen(typescript_type = "FixResult")]
    pub type FixResult;
    #[wasm_bindgen(typescript_type = "RulesResult")]
    pub type RulesResult;
    #[wasm_bindgen(typescript_type = "RulePage")]
    pub type RulePage;
    #[wasm_bindgen(typescript_type = "string")]
    pub type Code;
}

/// Reads an argument, or says which one is wrong and how. Arguments travel as JSON so
/// that serde sees every key: a misspelt option is an error, not silently ignored (as
/// it would be read field by field from the JS object).
fn read<T: DeserializeOwned>(function: &str, what: &str, value: JsValue) -> Result<T, JsError> {
    let fail = |why: &str| JsError::new(&format!("sciguard.{function}: {what}: {why}"));
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| fail(&format!("got {}", describe(&value))))?;
    serde_json::from_str(&text).map_err(|e| {
        let message = e.to_string();
        // The position is in JSON text the caller never saw.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        fail(message)
    })
}

/// What a value that is not JSON-like is, for an error message.
fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".into()
    } else {
        value
            .js_typeof()
            .as_string()
            .unwrap_or_else(|| "a value JSON cannot hold".into())
    }
}

/// Reads an options argument; `undefined` and `null` are the defaults.
fn read_options<T: DeserializeOwned>(
    function: &str,
    value: Option<JsValue>,
    default: impl FnOnce() -> Result<T, JsError>,
) -> Result<T, JsError> {
    match value {
        Some(value) if !value.is_undefined() && !value.is_null() => {
            if !value.is_object() || js_sys::Array::is_array(&value) {
                return Err(JsError::new(&format!(
                    "sciguard.{function}: options must be an object"
                )));
            }
            read(function, "options", value)
        }
        _ => default(),
    }
}

fn read_files(function: &str, files: Files) -> Result<Vec<api::InputFile>, JsError> {
    read(
        function,
        "files must be an array of {name, content} objects",
        files.into(),
    )
}

/// Turns the engine's JSON into JS values, or a request error into a thrown `Error`.
fn answer<T: JsCast>(function: &str, result: Result<String, String>) -> Result<T, JsError> {
    let json = result.map_err(|e| JsError::new(&format!("sciguard.{function}: {e}")))?;
    js_sys::JSON::parse(&json)
        .map(JsCast::unchecked_into)
        .map_err(|_| {
            JsError::new(&format!(
                "sciguard.{function}: internal error: invalid JSON"
            ))
        })
}

/// Checks files together, as one project (a `pyproject.toml` among them configures the
/// files below it), and returns the findings exactly as `sciguard check --output-format
/// json` prints them, in the order of the files given, with the problems met.
#[wasm_bindgen]
pub fn check(files: Files, options: Option<CheckOptionsArg>) -> Result<CheckResult, JsError> {
    let files = read_files("check", files)?;
    let options = read_options("check", options.map(Into::into), || Ok(Default::default()))?;
    answer("check", api::check(files, options))
}

/// Checks files as `check` does and turns the findings into the phased rollout plan, as
/// JSON and as the Markdown `sciguard checklist` prints.
#[wasm_bindgen]
pub fn checklist(files: Files, options: ChecklistOptionsArg) -> Result<ChecklistResult, JsError> {
    let files = read_files("checklist", files)?;
    let options = read_options("checklist", Some(options.into()), || Ok(Default::default()))?;
    answer("checklist", api::checklist(files, options))
}

/// Applies the fixes on offer, as `sciguard check --fix` does, and returns the fixed
/// texts with the findings left.
#[wasm_bindgen(js_name = applyFixes)]
pub fn apply_fixes(files: Files, options: Option<FixOptionsArg>) -> Result<FixResult, JsError> {
    let files = read_files("applyFixes", files)?;
    let options = read_options("applyFixes", options.map(Into::into), || {
        Ok(Default::default())
    })?;
    answer("applyFixes", api::apply_fixes(files, options))
}

/// Every rule (with the organisation's policies when given), as `sciguard rules
/// --output-format json` lists them.
#[wasm_bindgen]
pub fn rules(options: Option<RulesOptionsArg>) -> Result<RulesResult, JsError> {
    let options = read_options("rules", options.map(Into::into), || Ok(Default::default()))?;
    answer("rules", api::rules(options))
}

/// A rule's page (by code or name): its catalog entry and its Markdown, as `sciguard
/// rule` prints it; `undefined` when no rule has that code or name.
#[wasm_bindgen(js_name = rulePage)]
pub fn rule_page(
    code: Code,
    options: Option<RulesOptionsArg>,
) -> Result<Option<RulePage>, JsError> {
    let code: String = read("rulePage", "code must be a string", code.into())?;
    let options = read_options("rulePage", options.map(Into::into), || {
        Ok(Default::default())
    })?;
    match api::rule_page(&code, options) {
        Ok(None) => Ok(None),
        Ok(Some(json)) => answer("rulePage", Ok(json)).map(Some),
        Err(e) => Err(JsError::new(&format!("sciguard.rulePage: {e}"))),
    }
}

/// The version of sciguard this package holds.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
