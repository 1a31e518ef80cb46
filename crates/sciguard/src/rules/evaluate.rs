//! The policy evaluator: whether a declarative policy's conditions hold at one call or
//! assignment. It reads plain values (what the checker knows of each argument), never
//! the syntax tree, so it is tested without parsing Python.

use super::policy::{Condition, Literal, Policy, Subject, Test};

/// What is known of one value at the site: the facts every [`Test`] needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Value {
    /// The literal it is written as (`False`, `'ignore'`, `-1`), if any.
    pub literal: Option<Literal>,
    /// Whether it is a constant after folding (literals, operators over constants, names
    /// bound only to constants).
    pub constant: bool,
    /// Whether it is a `lambda` (code, not text).
    pub lambda: bool,
    /// Its qualified name, when it names an import (`yaml.Loader`).
    pub qualified: Option<String>,
    /// When it is a call: the callee's qualified name (`pickle.dumps`).
    pub called: Option<String>,
    /// The contents of a file named by a constant path (`open("configurator.py").read()`).
    pub literal_file: bool,
    /// Whether it visibly comes from outside the process (`input()`, `sys.argv`,
    /// `os.environ`, a file or network read), directly or through a name bound to one.
    pub outside: bool,
    /// Whether it is written as a false value other than `None` (`0`, `""`, `[]`): it
    /// turns an option off as `False` does.
    pub falsy: bool,
    /// The text it is written to begin with (a string, an f-string's leading text, the
    /// left operand of `+`), if any.
    pub leading_text: Option<String>,
}

/// One positional argument as written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Positional {
    /// A plain argument.
    Value(Value),
    /// `*args`: what it spreads is unknown.
    Starred,
}

/// A call site: its arguments as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct CallSite {
    /// Positional arguments, in order.
    pub positional: Vec<Positional>,
    /// Keyword arguments, by name.
    pub keywords: Vec<(String, Value)>,
    /// Whether a `**kwargs` is passed.
    pub double_starred: bool,
}

/// Where a policy is evaluated.
pub(crate) enum Site<'s> {
    /// A call, for `calls` policies.
    Call(&'s CallSite),
    /// The value assigned, for `assigns` policies.
    Assignment(&'s Value),
}

/// How an argument was passed.
enum Argument<'s> {
    Given(&'s Value),
    Missing,
    /// Passed through `*args` or `**kwargs`, or not: unknown.
    Unknown,
}

impl CallSite {
    fn argument(&self, keyword: Option<&str>, position: Option<usize>) -> Argument<'_> {
        if let Some(name) = keyword {
            if let Some((_, value)) = self.keywords.iter().find(|(k, _)| k == name) {
                return Argument::Given(value);
            }
        }
        let starred = |p: &Positional| matches!(p, Positional::Starred);
        if let Some(position) = position {
            for (i, arg) in self.positional.iter().enumerate() {
                match arg {
                    Positional::Starred => return Argument::Unknown,
                    Positional::Value(value) if i == position => return Argument::Given(value),
                    Positional::Value(_) => {}
                }
            }
        } else if keyword.is_none() && self.positional.iter().any(starred) {
            return Argument::Unknown;
        }
        if keyword.is_some() && self.double_starred {
            return Argument::Unknown;
        }
        Argument::Missing
    }
}

/// Whether the policy applies at this site, inside these `with` contexts (qualified
/// names of the context managers, innermost last).
pub(crate) fn policy_holds(policy: &Policy, site: &Site<'_>, contexts: &[Box<str>]) -> bool {
    outside_contexts(policy, contexts)
        && policy
            .conditions
            .iter()
            .all(|condition| condition_holds(condition, site))
}

fn outside_contexts(policy: &Policy, contexts: &[Box<str>]) -> bool {
    policy.outside.is_empty()
        || !contexts
            .iter()
            .any(|c| policy.outside.iter().any(|o| o.as_str() == &**c))
}

fn condition_holds(condition: &Condition, site: &Site<'_>) -> bool {
    match (&condition.subject, site) {
        (Subject::Argument { keyword, position }, Site::Call(call)) => {
            match call.argument(keyword.as_deref(), *position) {
                Argument::Given(value) => test_holds(&condition.test, Some(value)),
                Argument::Missing => test_holds(&condition.test, None),
                Argument::Unknown => false,
            }
        }
        // An assignment policy's conditions look at the value assigned.
        (_, Site::Assignment(value)) => test_holds(&condition.test, Some(value)),
        (Subject::AssignedValue, Site::Call(_)) => false,
    }
}

fn test_holds(test: &Test, value: Option<&Value>) -> bool {
    // `shell=0` turns the option off as `shell=False` does.
    let written = |lits: &[Literal], v: &Value| {
        v.literal.as_ref().is_some_and(|l| lits.contains(l))
            || (v.falsy && lits.contains(&Literal::Bool(false)))
    };
    match (test, value) {
        (Test::Missing, None) | (Test::MissingOrIs(_), None) => true,
        (Test::Present, Some(_)) => true,
        (Test::Is(lits) | Test::MissingOrIs(lits), Some(v)) => written(lits, v),
        (Test::IsNot(lits), Some(v)) => !written(lits, v),
        // A lambda is code, not text: `df.query(lambda d: d.a > 1)` cannot be injected.
        // Nor is the text of a file the project names literally (`exec(open("cfg.py").read())`).
        (Test::NonLiteral, Some(v)) => !v.constant && !v.lambda && !v.literal_file,
        (Test::FromOutside, Some(v)) => v.outside && !v.literal_file,
        (Test::ResolvesTo(names), Some(v)) => {
            v.qualified.as_ref().is_some_and(|q| names.contains(q))
        }
        (Test::NotFrom(names), Some(v)) => !v.called.as_ref().is_some_and(|c| names.contains(c)),
        (Test::StartsWith(prefixes), Some(v)) => v
            .leading_text
            .as_deref()
            .is_some_and(|text| prefixes.iter().any(|p| text.starts_with(p.as_str()))),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(conditions: Vec<Condition>) -> Policy {
        Policy {
            calls: vec!["numpy.load".into()],
            assigns: Vec::new(),
            conditions,
            outside: Vec::new(),
            message: String::new(),
            severity: None,
            fix: None,
            declared: None,
            loads: None,
            unless_saved: false,
            unless_local: None,
        }
    }

    fn arg(keyword: &str, position: Option<usize>, test: Test) -> Condition {
        Condition {
            subject: Subject::Argument {
                keyword: Some(keyword.into()),
                position,
            },
            test,
        }
    }

    fn literal(l: Literal) -> Value {
        Value {
            literal: Some(l),
            constant: true,
            ..Value::default()
        }
    }

    #[test]
    fn is_not_by_keyword_or_position() {
        let p = policy(vec![arg(
            "allow_pickle",
            Some(2),
            Test::IsNot(vec![Literal::Bool(false), Literal::None]),
        )]);
        let holds = |site: CallSite| policy_holds(&p, &Site::Call(&site), &[]);
        let by_keyword = CallSite {
            keywords: vec![("allow_pickle".into(), literal(Literal::Bool(true)))],
            ..CallSite::default()
        };
        assert!(holds(by_keyword));
        let by_position = CallSite {
            positional: vec![
                Positional::Value(Value::default()),
                Positional::Value(Value::default()),
                Positional::Value(literal(Literal::Bool(false))),
            ],
            ..CallSite::default()
        };
        assert!(!holds(by_position));
        // Missing: `is-not` needs the argument.
        assert!(!holds(CallSite::default()));
        // A variable is not known to be False.
        let variable = CallSite {
            keywords: vec![("allow_pickle".into(), Value::default())],
            ..CallSite::default()
        };
        assert!(holds(variable));
    }

    #[test]
    fn spread_arguments_are_unknown_so_nothing_holds() {
        let p = policy(vec![arg("timeout", Some(3), Test::Missing)]);
        let starred = CallSite {
            positional: vec![Positional::Starred],
            ..CallSite::default()
        };
        assert!(!policy_holds(&p, &Site::Call(&starred), &[]));
        let kwargs = CallSite {
            double_starred: true,
            ..CallSite::default()
        };
        assert!(!policy_holds(&p, &Site::Call(&kwargs), &[]));
        assert!(policy_holds(&p, &Site::Call(&CallSite::default()), &[]));
    }

    #[test]
    fn non_literal_resolves_to_and_not_from() {
        let value = |v: Value| CallSite {
            keywords: vec![("x".into(), v)],
            ..CallSite::default()
        };
        let non_literal = policy(vec![arg("x", None, Test::NonLiteral)]);
        let holds = |p: &Policy, site: CallSite| policy_holds(p, &Site::Call(&site), &[]);
        assert!(holds(&non_literal, value(Value::default())));
        assert!(!holds(&non_literal, value(literal(Literal::Int(1)))));
        let lambda = Value {
            lambda: true,
            ..Value::default()
        };
        assert!(!holds(&non_literal, value(lambda)));
        let project_file = Value {
            literal_file: true,
            ..Value::default()
        };
        assert!(!holds(&non_literal, value(project_file)));
        let from_outside = policy(vec![arg("x", None, Test::FromOutside)]);
        let read = Value {
            outside: true,
            ..Value::default()
        };
        assert!(holds(&from_outside, value(read)));
        assert!(!holds(&from_outside, value(Value::default())));

        let loader = policy(vec![arg(
            "x",
            None,
            Test::ResolvesTo(vec!["yaml.Loader".into()]),
        )]);
        let named = |q: &str| Value {
            qualified: Some(q.into()),
            ..Value::default()
        };
        assert!(holds(&loader, value(named("yaml.Loader"))));
        assert!(!holds(&loader, value(named("yaml.SafeLoader"))));

        let not_from = policy(vec![arg(
            "x",
            None,
            Test::NotFrom(vec!["pickle.dumps".into()]),
        )]);
        let call = |c: &str| Value {
            called: Some(c.into()),
            ..Value::default()
        };
        assert!(!holds(&not_from, value(call("pickle.dumps"))));
        assert!(holds(&not_from, value(call("open"))));
    }

    #[test]
    fn outside_a_context_and_assignments() {
        let mut p = policy(vec![Condition {
            subject: Subject::AssignedValue,
            test: Test::Is(vec![Literal::Str("ignore".into())]),
        }]);
        p.outside = vec!["warnings.catch_warnings".into()];
        let ignore = literal(Literal::Str("ignore".into()));
        assert!(policy_holds(&p, &Site::Assignment(&ignore), &[]));
        let inside: [Box<str>; 1] = ["warnings.catch_warnings".into()];
        assert!(!policy_holds(&p, &Site::Assignment(&ignore), &inside));
        let other = literal(Literal::Str("error".into()));
        assert!(!policy_holds(&p, &Site::Assignment(&other), &[]));
    }
}
