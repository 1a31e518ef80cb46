//! SCI225 assert-for-validation: `assert` disappears under `python -O`.

use crate::python::literal::python_string;
use crate::vocab::Applicability;
use crate::rules::checker::{validated, Checker, FixedNode, RawFix};
use crate::rules::RuleId;
use ruff_python_ast::StmtAssert;
use ruff_text_size::Ranged;

/// The rule's code.
pub const CODE: &str = "SCI225";

/// Reports an `assert` (test files are exempt through the rule's page).
pub(crate) fn check(checker: &mut Checker, rule: RuleId, assert: &StmtAssert) {
    let fix = raise_instead(checker.source(), assert)
        .and_then(|fix| validated(checker.source(), assert.range(), fix, FixedNode::Statement));
    checker.report(
        rule,
        assert.range(),
        "`assert` is removed when Python runs with -O, so this check may never happen; raise an exception instead".to_string(),
        fix,
    );
}

/// `if not (<test>):\n    raise ValueError(<msg>)`, when the assert starts its own line.
fn raise_instead(source: &str, assert: &StmtAssert) -> Option<RawFix> {
    let start = assert.start().to_usize();
    let line_start = source.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = source.get(line_start..start)?;
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    // Only when nothing but a comment follows on the line (`assert x; y = 1` would move `y`).
    let end = assert.end().to_usize();
    let rest = source
        .get(end..)?
        .split('\n')
        .next()
        .unwrap_or("")
        .trim_start();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let test =
        &source[assert.test.range().start().to_usize()..assert.test.range().end().to_usize()];
    let message = match &assert.msg {
        Some(msg) => {
            source[msg.range().start().to_usize()..msg.range().end().to_usize()].to_string()
        }
        None => python_string(&format!("check failed: {}", test.replace('\n', " "))),
    };
    let unit = if indent.contains('\t') { "\t" } else { "    " };
    Some(RawFix {
        applicability: Applicability::Unsafe,
        title: "Replace with `if not ...: raise ValueError(...)`".to_string(),
        edits: vec![(
            assert.range(),
            format!("if not ({test}):\n{indent}{unit}raise ValueError({message})"),
        )],
    })
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct AssertForValidation;

impl crate::rules::PythonRule for AssertForValidation {
    const CODE: &'static str = CODE;

    fn statement(checker: &mut Checker<'_>, rule: RuleId, stmt: &ruff_python_ast::Stmt) {
        if let ruff_python_ast::Stmt::Assert(assert) = stmt {
            check(checker, rule, assert);
        }
    }
}
