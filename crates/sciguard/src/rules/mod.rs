//! The rules: their pages (metadata, documentation, declarative policies), the one
//! traversal that runs them over Python, and the rules written in Rust.
//!
//! Every rule written in Rust is registered once, in [`register_rules!`] below; its
//! page, fixture and snapshot carry everything else. A declarative rule needs no
//! registration at all: its page is the rule.

pub(crate) mod checker;
pub(crate) mod config_file;
mod context;
mod evaluate;
pub mod page;
pub(crate) mod policy;
pub mod registry;

pub(crate) use context::{FileContext, ModuleShape};
pub use page::{parse_organisation_page, parse_page, CatalogEntry, Origin, PageError, Rule};
pub use registry::{Registry, RuleId, RuleSet, EMBEDDED_PAGES};

use checker::Checker;
use config_file::{ConfigFile, ConfigFinding};
use ruff_python_ast::{self as ast, Expr, Stmt};

/// A rule written in Rust over the Python syntax tree. It subscribes to the node kinds
/// it needs by overriding their hooks; the checker calls every enabled rule's hooks from
/// its single walk, before the node's children are visited.
pub(crate) trait PythonRule {
    /// The rule's code, which names its page.
    const CODE: &'static str;

    /// Called for every statement.
    fn statement(_checker: &mut Checker<'_>, _rule: RuleId, _stmt: &Stmt) {}

    /// Called for every expression.
    fn expression(_checker: &mut Checker<'_>, _rule: RuleId, _expr: &Expr) {}

    /// Called for every `except` clause.
    fn except_handler(
        _checker: &mut Checker<'_>,
        _rule: RuleId,
        _handler: &ast::ExceptHandlerExceptHandler,
    ) {
    }
}

/// A rule written in Rust over a configuration file's neutral shapes (dependencies,
/// entries, pip options, command lines), so it is written once for every format.
pub(crate) trait ConfigRule {
    /// The codes it reports (one page each).
    const CODES: &'static [&'static str];

    /// Reports what it finds in one file.
    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>);
}

/// A statement hook of a registered Python rule.
pub(crate) type StatementHook = fn(&mut Checker<'_>, RuleId, &Stmt);
/// An expression hook of a registered Python rule.
pub(crate) type ExpressionHook = fn(&mut Checker<'_>, RuleId, &Expr);
/// An `except` clause hook of a registered Python rule.
pub(crate) type HandlerHook = fn(&mut Checker<'_>, RuleId, &ast::ExceptHandlerExceptHandler);

/// Declares the rule modules and generates the tables the registry and the checker read,
/// from one list of rules.
macro_rules! register_rules {
    (
        python: {$(
            $(#[$pillar_doc:meta])*
            $pillar:ident: [$($python_file:ident::$python_rule:ident),* $(,)?],
        )*},
        $(#[$config_doc:meta])*
        config: [$($config_file:ident::$config_rule:ident),* $(,)?] $(,)?
    ) => {
        $(
            $(#[$pillar_doc])*
            pub(crate) mod $pillar {
                $(pub(crate) mod $python_file;)*
            }
        )*

        $(#[$config_doc])*
        pub(crate) mod config {
            $(pub(crate) mod $config_file;)*
        }

        /// The codes of the Python rules written in Rust, in registration order.
        pub(crate) const PYTHON_RULE_CODES: &[&str] =
            &[$($(<$pillar::$python_file::$python_rule as PythonRule>::CODE,)*)*];

        /// The hooks of the Python rules, in registration order.
        pub(crate) const PYTHON_RULE_HOOKS: &[(StatementHook, ExpressionHook, HandlerHook)] = &[$($((
            <$pillar::$python_file::$python_rule as PythonRule>::statement,
            <$pillar::$python_file::$python_rule as PythonRule>::expression,
            <$pillar::$python_file::$python_rule as PythonRule>::except_handler,
        ),)*)*];

        /// The codes of the configuration rules written in Rust.
        pub(crate) fn config_rule_codes() -> impl Iterator<Item = &'static str> {
            [$(<config::$config_file::$config_rule as ConfigRule>::CODES),*]
                .into_iter()
                .flatten()
                .copied()
        }

        /// Runs every configuration rule on a file.
        pub(crate) fn check_config_file(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
            $(<config::$config_file::$config_rule as ConfigRule>::check(file, out);)*
        }
    };
}

// The one place a rule written in Rust is registered: one line per rule, under its
// pillar's folder (`rules/<pillar>/<file>.rs`) or `rules/config/`.
register_rules! {
    python: {
        /// Explicit boundaries (1xx): one reason to change, no hidden shared state.
        boundaries: [
            mutable_default_argument::MutableDefaultArgument,
            star_import::StarImport,
        ],
        /// Guardrails at edges (2xx): inputs, outputs and external calls are validated.
        edges: [
            assert_for_validation::AssertForValidation,
            hardcoded_secret::HardcodedSecret,
            insecure_temp_file::InsecureTempFile,
            assert_with_side_effects::AssertWithSideEffects,
        ],
        /// Operational feedback (3xx): logs, metrics and warnings explain behaviour.
        feedback: [
            numpy_errors_ignored::NumpyErrorsIgnored,
            unused_noqa::UnusedNoqa,
        ],
        /// Failure planning (4xx): timeouts, bounded retries, no swallowed errors.
        failure: [
            swallowed_exception::SwallowedException,
            unbounded_retry_loop::UnboundedRetryLoop,
        ],
    },
    /// The dependency and configuration rules (5xx), over the shapes of [`config_file`].
    config: [
        bind_all_interfaces::BindAllInterfaces,
        debug_mode_enabled::DebugModeEnabled,
        extra_index_url::ExtraIndexUrl,
        insecure_index::InsecureIndex,
        jupyter_server_exposed::JupyterServerExposed,
        mutable_vcs_requirement::MutableVcsRequirement,
        partial_hashes::PartialHashes,
        secret_in_config::SecretInConfig,
        tls_disabled_in_config::TlsDisabledInConfig,
        torch_weights_only_disabled::TorchWeightsOnlyDisabled,
        unpinned_dependency::UnpinnedDependency,
        vulnerable_version::VulnerableVersion,
    ],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_examples_of_a_page() {
        let page = "+++\ncode = \"SCI901\"\nname = \"x\"\npillar = \"edges\"\nseverity = \"high\"\nfamily = \"shell\"\nsummary = \"s\"\n+++\n## Example\n\n```python\nx = 1\n```\n\n## Use instead\n\nText\n";
        let rule = parse_page("SCI901-x.md", page).unwrap();
        assert_eq!(rule.code_block("Example"), Some(("python", "x = 1\n")));
        assert_eq!(
            rule.example_file("Example"),
            Some(("example.py", "x = 1\n"))
        );
        assert_eq!(rule.section("Use instead"), Some("Text"));
        assert_eq!(rule.section("References"), None);
        assert_eq!(rule.family.as_deref(), Some("shell"));
    }

    #[test]
    fn rules_come_in_code_order() {
        let codes: Vec<&str> = Registry::builtin()
            .rules()
            .map(|(_, r)| r.code.as_str())
            .collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn every_registered_rule_has_a_page_and_one_registration() {
        let registry = Registry::builtin();
        let codes: Vec<&str> = PYTHON_RULE_CODES
            .iter()
            .copied()
            .chain(config_rule_codes())
            .collect();
        for code in &codes {
            assert!(registry.find(code).is_some(), "{code} has no page");
            assert_eq!(
                codes.iter().filter(|c| *c == code).count(),
                1,
                "{code} is registered twice"
            );
        }
        assert_eq!(PYTHON_RULE_HOOKS.len(), PYTHON_RULE_CODES.len());
    }
}
