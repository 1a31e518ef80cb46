//! Declarative policies: "a call to one of these qualified names (or an assignment to
//! one of these attributes), where these argument conditions hold".
//!
//! A policy is written in a rule page's front matter:
//!
//! ```toml
//! [[policy]]
//! calls = ["numpy.load"]
//! when = [{ arg = "allow_pickle", pos = 2, is-not = ["False", "None"] }]
//! message = "`{name}` is called with `allow_pickle` enabled"
//! fix = { remove-arg = "allow_pickle", title = "Remove `allow_pickle`" }
//! ```
//!
//! All conditions of a policy must hold; several policies for one rule act as "or".
//! `starts-with = ["http://"]` holds for text written to begin so (a string, an
//! f-string's leading text, the left operand of `+`).
//! A list holding `False` also matches the other false values written as literals
//! (`0`, `""`, `[]`, `()`, `{}`; not `None`, which APIs read as "the default"), and
//! `non-literal` folds text built from constants (`+`, `%`, `.format`, `.join`,
//! lookups into constant tables) into a constant; an f-string with a placeholder
//! is not one.
//! Policies are compiled once into tables keyed by qualified name, so a call costs
//! one lookup whatever the number of rules.

use super::RuleId;
use crate::vocab::{Applicability, Severity};
use std::collections::HashMap;
use toml::Value;

pub use crate::python::literal::Literal;

/// Which value a condition looks at.
#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    /// A call argument, by keyword and/or position.
    Argument {
        /// The keyword name, if it can be passed by keyword.
        keyword: Option<String>,
        /// The 0-based position, if it can be passed positionally.
        position: Option<usize>,
    },
    /// The value assigned (for assignment policies).
    AssignedValue,
}

/// What must be true of the subject.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// Not passed (and no `*args`/`**kwargs` could pass it).
    Missing,
    /// Passed.
    Present,
    /// Passed, and known to equal one of these literals.
    Is(Vec<Literal>),
    /// Passed, and not known to equal any of these literals.
    IsNot(Vec<Literal>),
    /// Not passed, or known to equal one of these literals.
    MissingOrIs(Vec<Literal>),
    /// Passed, and not a constant (after simple constant folding).
    NonLiteral,
    /// Passed, and visibly read from outside the process (`input()`, `sys.argv`,
    /// `os.environ`, a file or network read), directly or through a name bound to one.
    FromOutside,
    /// Passed, and its qualified name is one of these (`yaml.Loader`).
    ResolvesTo(Vec<String>),
    /// Passed, and not the direct result of a call to one of these
    /// (`pickle.loads(pickle.dumps(x))` round-trips data made in this process).
    NotFrom(Vec<String>),
    /// Passed, and text whose written beginning is one of these (`"http://..."`,
    /// `f"http://{host}/x.csv"`, `"http://" + path`).
    StartsWith(Vec<String>),
}

/// The tests a condition can make, for error messages.
const TESTS: &str = "missing, present, is, is-not, missing-or-is, non-literal, from-outside, resolves-to, not-from, starts-with";

/// One condition of a policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// What it looks at.
    pub subject: Subject,
    /// What must hold.
    pub test: Test,
}

/// A mechanical change a policy offers.
#[derive(Clone, Debug, PartialEq)]
pub enum FixAction {
    /// Set a keyword argument to a value (adding it when missing).
    SetArg {
        /// The keyword.
        keyword: String,
        /// Python source of the new value.
        value: String,
    },
    /// Remove a keyword argument.
    RemoveArg {
        /// The keyword.
        keyword: String,
    },
    /// Rename the called attribute (`yaml.load` → `yaml.safe_load`).
    RenameAttr {
        /// The new attribute name.
        to: String,
    },
}

/// A policy's fix, with its title and applicability.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyFix {
    /// The change.
    pub action: FixAction,
    /// What the change does, for a person.
    pub title: String,
    /// Whether it keeps behaviour.
    pub applicability: Applicability,
}

/// One declarative policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// Qualified names of the calls it matches.
    pub calls: Vec<String>,
    /// Assignment targets it matches: qualified names, or `*.attr` for any receiver.
    pub assigns: Vec<String>,
    /// All must hold.
    pub conditions: Vec<Condition>,
    /// The call must not be inside `with <one of these>(...)`.
    pub outside: Vec<String>,
    /// The finding's message; `{name}` is replaced by the matched qualified name.
    pub message: String,
    /// Overrides the rule's severity for this policy.
    pub severity: Option<Severity>,
    /// A suggested change.
    pub fix: Option<PolicyFix>,
    /// Severity decided by the versions the project declares (`[policy.declared]`).
    pub declared: Option<VersionGate>,
    /// The call's result is the previous state, and keeping it (`old = np.seterr(...)`)
    /// shows the code restores that state: then it is not reported (`unless-saved`).
    pub unless_saved: bool,
    /// The argument holding the URL (`unless-local = { arg = "url", pos = 0 }`): a call
    /// to this machine's own service (`http://localhost:8501/...`) is not reported.
    pub unless_local: Option<Subject>,
    /// The argument naming the file the call reads (`loads = { arg = "f", pos = 0 }`):
    /// when the same code writes a file under the same name, loading it is reported at
    /// info severity.
    pub loads: Option<Subject>,
}

impl Policy {
    /// Whether it reports text that reaches code execution (a `non-literal` condition:
    /// `eval`, queries, shells), as opposed to a dangerous call or setting.
    pub fn judges_text(&self) -> bool {
        self.conditions
            .iter()
            .any(|c| matches!(c.test, Test::NonLiteral | Test::FromOutside))
    }
}

/// What to do with a finding, given the project's declared versions of a package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GateOutcome {
    /// Keep the policy's severity.
    Keep,
    /// Report it at this severity.
    Report(Severity),
    /// Do not report it.
    Off,
}

/// A policy whose finding depends on the declared versions of a package: a call that is
/// unsafe only on old releases (`torch.load` before 2.6, `FullLoader` before PyYAML 5.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionGate {
    /// The normalized package name (`torch`).
    pub package: String,
    /// The versions where the call is unsafe, as PEP 440 specifiers (`<2.6`).
    pub affected: String,
    /// The same versions, parsed once when the page is read.
    pub affected_versions: version_ranges::Ranges<pep440_rs::Version>,
    /// When a declaration admits an affected version.
    pub admitted: GateOutcome,
    /// When every declaration excludes the affected versions.
    pub excluded: GateOutcome,
    /// When the package is not declared (or only through URLs).
    pub undeclared: GateOutcome,
    /// Why it matters when admitted, appended to the message.
    pub admitted_note: String,
    /// Why it is fine when excluded, appended to the message.
    pub excluded_note: String,
}
#[derive(Debug, thiserror::Error)]
#[error("policy #{index}: {message}")]
pub struct PolicyError {
    /// 1-based position of the policy in its page.
    pub index: usize,
    /// What is wrong, naming the key.
    pub message: String,
}

impl Policy {
    /// Reads a policy from its TOML table; `index` is its 0-based position in the page.
    pub fn from_toml(value: &Value, index: usize) -> Result<Policy, PolicyError> {
        let err = |message: String| PolicyError {
            index: index + 1,
            message,
        };
        let table = value
            .as_table()
            .ok_or_else(|| err("must be a table ([[policy]])".into()))?;
        for key in table.keys() {
            if ![
                "calls",
                "assigns",
                "when",
                "outside",
                "message",
                "severity",
                "fix",
                "declared",
                "loads",
                "unless-saved",
                "unless-local",
            ]
            .contains(&key.as_str())
            {
                return Err(err(format!(
                    "unknown key `{key}` (expected calls, assigns, when, outside, message, severity, fix, declared, loads, unless-saved, unless-local)"
                )));
            }
        }
        let strings = |key: &str| -> Result<Vec<String>, PolicyError> {
            match table.get(key) {
                None => Ok(Vec::new()),
                Some(v) => {
                    string_list(v).ok_or_else(|| err(format!("`{key}` must be a list of strings")))
                }
            }
        };
        let calls = strings("calls")?;
        let assigns = strings("assigns")?;
        if calls.is_empty() == assigns.is_empty() {
            return Err(err(
                "exactly one of `calls` or `assigns` must be a non-empty list".into(),
            ));
        }
        let message = table
            .get("message")
            .and_then(Value::as_str)
            .ok_or_else(|| err("`message` (a string) is required".into()))?
            .to_string();
        let severity =
            match table.get("severity") {
                None => None,
                Some(v) => Some(v.as_str().and_then(Severity::from_key).ok_or_else(|| {
                    err("`severity` must be one of info, low, medium, high".into())
                })?),
            };
        let conditions = match table.get("when") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    parse_condition(item, !calls.is_empty())
                        .map_err(|m| err(format!("`when` item {}: {m}", i + 1)))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(err("`when` must be a list of tables".into())),
        };
        let fix = match table.get("fix") {
            None => None,
            Some(v) => Some(parse_fix(v).map_err(|m| err(format!("`fix`: {m}")))?),
        };
        let declared = match table.get("declared") {
            None => None,
            Some(v) => Some(parse_gate(v).map_err(|m| err(format!("`declared`: {m}")))?),
        };
        let loads = match table.get("loads") {
            None => None,
            Some(v) => Some(parse_argument(v).map_err(|m| err(format!("`loads`: {m}")))?),
        };
        let unless_saved = match table.get("unless-saved") {
            None => false,
            Some(v) => v
                .as_bool()
                .ok_or_else(|| err("`unless-saved` must be true or false".into()))?,
        };
        let unless_local = match table.get("unless-local") {
            None => None,
            Some(v) => Some(parse_argument(v).map_err(|m| err(format!("`unless-local`: {m}")))?),
        };
        Ok(Policy {
            unless_local,
            unless_saved,
            loads,
            declared,
            calls,
            assigns,
            conditions,
            outside: strings("outside")?,
            message,
            severity,
            fix,
        })
    }
}

fn string_list(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn literal_list(value: &Value) -> Result<Vec<Literal>, String> {
    let items = string_list(value).ok_or(
        "expected a list of Python literals written as strings, e.g. [\"False\", \"None\"]",
    )?;
    items
        .iter()
        .map(|s| Literal::parse(s).ok_or_else(|| format!("`{s}` is not a Python literal (None, True, False, an integer or a quoted string)")))
        .collect()
}

fn parse_condition(value: &Value, for_call: bool) -> Result<Condition, String> {
    let table = value.as_table().ok_or("must be a table")?;
    let keyword = match table.get("arg") {
        None => None,
        Some(v) => Some(v.as_str().ok_or("`arg` must be a string")?.to_string()),
    };
    let position = match table.get("pos") {
        None => None,
        Some(v) => Some(
            v.as_integer()
                .filter(|p| (0..64).contains(p))
                .ok_or("`pos` must be an integer from 0 to 63")? as usize,
        ),
    };
    let subject = if keyword.is_none() && position.is_none() {
        if for_call {
            return Err("a condition on a call needs `arg` and/or `pos`".into());
        }
        Subject::AssignedValue
    } else {
        Subject::Argument { keyword, position }
    };
    let mut test = None;
    for (key, value) in table {
        let parsed = match key.as_str() {
            "arg" | "pos" => continue,
            "missing" | "present" | "non-literal" | "from-outside" => {
                if value.as_bool() != Some(true) {
                    return Err(format!("`{key}` can only be `true`"));
                }
                match key.as_str() {
                    "missing" => Test::Missing,
                    "present" => Test::Present,
                    "from-outside" => Test::FromOutside,
                    _ => Test::NonLiteral,
                }
            }
            "is" => Test::Is(literal_list(value)?),
            "is-not" => Test::IsNot(literal_list(value)?),
            "missing-or-is" => Test::MissingOrIs(literal_list(value)?),
            "resolves-to" => Test::ResolvesTo(
                string_list(value).ok_or("`resolves-to` must be a list of qualified names")?,
            ),
            "not-from" => Test::NotFrom(
                string_list(value).ok_or("`not-from` must be a list of qualified names")?,
            ),
            "starts-with" => Test::StartsWith(
                string_list(value)
                    .filter(|l| !l.is_empty())
                    .ok_or("`starts-with` must be a list of texts (`[\"http://\"]`)")?,
            ),
            other => {
                return Err(format!(
                    "unknown key `{other}` (expected arg, pos and one of {TESTS})"
                ))
            }
        };
        if test.replace(parsed).is_some() {
            return Err(format!("give exactly one test ({TESTS})"));
        }
    }
    let test = test.ok_or(format!("no test given ({TESTS})"))?;
    if subject == Subject::AssignedValue && matches!(test, Test::Missing | Test::MissingOrIs(_)) {
        return Err("an assigned value is never missing".into());
    }
    Ok(Condition { subject, test })
}

/// `{ arg = "f", pos = 0 }`: an argument by keyword and/or position.
fn parse_argument(value: &Value) -> Result<Subject, String> {
    let table = value
        .as_table()
        .ok_or("must be a table with `arg` and/or `pos`")?;
    let mut keyword = None;
    let mut position = None;
    for (key, v) in table {
        match key.as_str() {
            "arg" => keyword = Some(v.as_str().ok_or("`arg` must be a string")?.to_string()),
            "pos" => {
                position = Some(
                    v.as_integer()
                        .filter(|p| (0..64).contains(p))
                        .ok_or("`pos` must be an integer from 0 to 63")?
                        as usize,
                )
            }
            other => return Err(format!("unknown key `{other}` (expected arg, pos)")),
        }
    }
    if keyword.is_none() && position.is_none() {
        return Err("give `arg` and/or `pos`".into());
    }
    Ok(Subject::Argument { keyword, position })
}

fn parse_gate(value: &Value) -> Result<VersionGate, String> {
    let table = value.as_table().ok_or("must be a table")?;
    for key in table.keys() {
        if ![
            "package",
            "affected",
            "admitted",
            "excluded",
            "undeclared",
            "admitted-note",
            "excluded-note",
        ]
        .contains(&key.as_str())
        {
            return Err(format!("unknown key `{key}`"));
        }
    }
    let text = |key: &str| {
        table
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let outcome = |key: &str| match table.get(key).and_then(Value::as_str) {
        None | Some("keep") => Ok(GateOutcome::Keep),
        Some("off") => Ok(GateOutcome::Off),
        Some(other) => Severity::from_key(other)
            .map(GateOutcome::Report)
            .ok_or(format!("`{key}` must be keep, off or a severity")),
    };
    let package = text("package");
    let affected = text("affected");
    let parsed = crate::config::dependency::parse_specifiers(&affected);
    let (false, Some(affected_versions)) = (package.is_empty(), parsed) else {
        return Err(
            "`package` and `affected` (PEP 440 specifiers such as \"<2.6\") are required".into(),
        );
    };
    Ok(VersionGate {
        package,
        affected,
        affected_versions,
        admitted: outcome("admitted")?,
        excluded: outcome("excluded")?,
        undeclared: outcome("undeclared")?,
        admitted_note: text("admitted-note"),
        excluded_note: text("excluded-note"),
    })
}

fn parse_fix(value: &Value) -> Result<PolicyFix, String> {
    let table = value.as_table().ok_or("must be a table")?;
    let get = |k: &str| table.get(k).and_then(Value::as_str).map(str::to_string);
    let title = get("title").ok_or("`title` (a string) is required")?;
    let applicability = match get("applicability").as_deref() {
        None | Some("unsafe") => Applicability::Unsafe,
        Some("safe") => Applicability::Safe,
        Some(other) => {
            return Err(format!(
                "`applicability` is `{other}`, expected safe or unsafe"
            ))
        }
    };
    let action = if let Some(keyword) = get("set-arg") {
        let value =
            get("value").ok_or("`set-arg` needs `value`, the Python source of the new value")?;
        FixAction::SetArg { keyword, value }
    } else if let Some(keyword) = get("remove-arg") {
        FixAction::RemoveArg { keyword }
    } else if let Some(to) = get("rename-attr") {
        FixAction::RenameAttr { to }
    } else {
        return Err("expected one of `set-arg`, `remove-arg`, `rename-attr`".into());
    };
    for key in table.keys() {
        if ![
            "title",
            "applicability",
            "set-arg",
            "value",
            "remove-arg",
            "rename-attr",
        ]
        .contains(&key.as_str())
        {
            return Err(format!("unknown key `{key}`"));
        }
    }
    Ok(PolicyFix {
        action,
        title,
        applicability,
    })
}

/// A policy, located: which rule owns it and where it sits in the rule's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyRef {
    /// The owning rule.
    pub rule: RuleId,
    /// Index into the rule's `policies`.
    pub index: u16,
}

/// Policies compiled into lookup tables.
#[derive(Debug, Default)]
pub struct CompiledPolicies {
    calls: HashMap<Box<str>, Vec<PolicyRef>>,
    assigns: HashMap<Box<str>, Vec<PolicyRef>>,
    assigned_attrs: HashMap<Box<str>, Vec<PolicyRef>>,
}

impl CompiledPolicies {
    /// Builds the tables from each rule's policies.
    pub fn compile<'a>(rules: impl Iterator<Item = (RuleId, &'a [Policy])>) -> CompiledPolicies {
        let mut out = CompiledPolicies::default();
        for (rule, policies) in rules {
            for (index, policy) in policies.iter().enumerate() {
                let at = PolicyRef {
                    rule,
                    index: index as u16,
                };
                for name in &policy.calls {
                    out.calls.entry(name.as_str().into()).or_default().push(at);
                }
                for target in &policy.assigns {
                    if let Some(attr) = target.strip_prefix("*.") {
                        out.assigned_attrs.entry(attr.into()).or_default().push(at);
                    } else {
                        out.assigns
                            .entry(target.as_str().into())
                            .or_default()
                            .push(at);
                    }
                }
            }
        }
        out
    }

    /// Policies for a call to this qualified name.
    pub fn for_call(&self, qualified: &str) -> &[PolicyRef] {
        self.calls.get(qualified).map_or(&[], Vec::as_slice)
    }

    /// Policies for an assignment to this qualified target.
    pub fn for_assign(&self, qualified: &str) -> &[PolicyRef] {
        self.assigns.get(qualified).map_or(&[], Vec::as_slice)
    }

    /// Policies for an assignment to this attribute on any receiver.
    pub fn for_assigned_attr(&self, attr: &str) -> &[PolicyRef] {
        self.assigned_attrs.get(attr).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(text: &str) -> Result<Policy, PolicyError> {
        let value: Value = toml::from_str::<toml::Table>(text)
            .map(Value::Table)
            .unwrap();
        Policy::from_toml(&value, 0)
    }

    #[test]
    fn reads_a_full_policy() {
        let p = policy(
            r#"calls = ["numpy.load"]
when = [{ arg = "allow_pickle", pos = 2, is-not = ["False", "None"] }]
message = "m"
severity = "high"
fix = { remove-arg = "allow_pickle", title = "Remove it" }"#,
        )
        .unwrap();
        assert_eq!(p.calls, ["numpy.load"]);
        assert_eq!(
            p.conditions[0],
            Condition {
                subject: Subject::Argument {
                    keyword: Some("allow_pickle".into()),
                    position: Some(2)
                },
                test: Test::IsNot(vec![Literal::Bool(false), Literal::None]),
            }
        );
        assert_eq!(p.severity, Some(Severity::High));
        assert_eq!(
            p.fix.unwrap().action,
            FixAction::RemoveArg {
                keyword: "allow_pickle".into()
            }
        );
    }

    #[test]
    fn errors_name_the_key() {
        let e = policy(
            "calls = [\"a.b\"]\nmessage = \"m\"\nwhen = [{ arg = \"x\", is = [\"maybe\"] }]",
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("`maybe` is not a Python literal"),
            "{e}"
        );
        let e =
            policy("calls = [\"a.b\"]\nmessage = \"m\"\nwhen = [{ arg = \"x\", bogus = true }]")
                .unwrap_err();
        assert!(e.to_string().contains("unknown key `bogus`"), "{e}");
        let e = policy("calls = [\"a.b\"]").unwrap_err();
        assert!(e.to_string().contains("`message`"), "{e}");
        let e = policy("message = \"m\"").unwrap_err();
        assert!(
            e.to_string()
                .contains("exactly one of `calls` or `assigns`"),
            "{e}"
        );
        let e =
            policy("calls = [\"a\"]\nmessage = \"m\"\nwhen = [{ missing = true }]").unwrap_err();
        assert!(e.to_string().contains("needs `arg`"), "{e}");
        let e = policy("calls = [\"a\"]\nmessage = \"m\"\ncolour = 1").unwrap_err();
        assert!(e.to_string().contains("unknown key `colour`"), "{e}");
    }

    #[test]
    fn literals_parse_python_spellings() {
        assert_eq!(Literal::parse("None"), Some(Literal::None));
        assert_eq!(
            Literal::parse("'ignore'"),
            Some(Literal::Str("ignore".into()))
        );
        assert_eq!(Literal::parse("\"x\""), Some(Literal::Str("x".into())));
        assert_eq!(Literal::parse("-1"), Some(Literal::Int(-1)));
        assert_eq!(Literal::parse("ignore"), None);
    }
}
