//! The rule pages are the documentation and the rule definitions at once: every page
//! must be complete, and its examples must behave as the page says.

use sciguard::input::SourceKind;
use sciguard::rules::{parse_page, Registry, RuleSet, EMBEDDED_PAGES};

fn only(registry: &Registry, code: &str) -> RuleSet {
    registry.find(code).into_iter().collect()
}

#[test]
fn every_page_parses_and_is_named_after_its_rule() {
    assert!(EMBEDDED_PAGES.len() >= 23);
    for (page, text) in EMBEDDED_PAGES {
        let rule = parse_page(page, text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            *page,
            format!("{}-{}.md", rule.code, rule.name),
            "page file name"
        );
    }
}

#[test]
fn every_page_has_an_implementation() {
    let registry = Registry::builtin();
    for (_, rule) in registry.rules() {
        assert_ne!(
            rule.implementation(),
            "none",
            "{} has a page but no policy and no Rust rule",
            rule.code
        );
    }
}

#[test]
fn every_page_documents_what_why_example_instead_references() {
    for (_, rule) in Registry::builtin().rules() {
        if rule.code == "SCI000" {
            continue;
        }
        let mut at = 0;
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
            "## References",
        ] {
            let found = rule.body[at..]
                .find(heading)
                .unwrap_or_else(|| panic!("{}: missing or out of order: {heading}", rule.code));
            at += found + heading.len();
        }
    }
}

/// Checks a page's example as the file it stands for.
fn check_block(path: &str, text: &str, rules: &RuleSet) -> Vec<sciguard::report::Finding> {
    let registry = Registry::builtin();
    let kind = SourceKind::from_path(path).expect("a known kind");
    if kind == SourceKind::Python {
        return sciguard::check_python(text, registry, rules);
    }
    sciguard::project::check_config(path, kind, text, registry, rules)
}

#[test]
fn page_examples_fire_and_fixes_do_not() {
    let registry = Registry::builtin();
    for (_, rule) in registry.rules() {
        if rule.code == "SCI000" {
            continue;
        }
        let (name, example) = rule
            .example_file("Example")
            .unwrap_or_else(|| panic!("{}: no example", rule.code));
        let (instead_name, instead) = rule
            .example_file("Use instead")
            .unwrap_or_else(|| panic!("{}: no fix", rule.code));
        let fired = check_block(name, example, &only(registry, &rule.code));
        assert!(
            !fired.is_empty(),
            "{}: the page's example does not trigger the rule",
            rule.code
        );
        let after = check_block(instead_name, instead, &RuleSet::all(registry));
        assert!(
            after.is_empty(),
            "{}: the page's fix still triggers: {after:#?}",
            rule.code
        );
    }
}

#[test]
fn malformed_pages_are_clear_errors() {
    let err = parse_page("X.md", "no front matter")
        .unwrap_err()
        .to_string();
    assert!(err.contains("must start with a `+++` line"), "{err}");
    let err = parse_page("X.md", "+++\ncode = \"SCI9\"\nname = \"x\"\npillar = \"edges\"\nseverity = \"high\"\nsummary = \"s\"\n+++\n").unwrap_err().to_string();
    assert!(err.contains("three digits"), "{err}");
    let err = parse_page("X.md", "+++\ncode = \"SCI901\"\nname = \"x\"\npillar = \"walls\"\nseverity = \"high\"\nsummary = \"s\"\n+++\n").unwrap_err().to_string();
    assert!(err.starts_with("X.md:4: `pillar`: `walls`"), "{err}");
    let err = parse_page("X.md", "+++\ncode = \"SCI901\"\nname = \"x\"\npillar = \"edges\"\nseverity = \"high\"\nsummary = \"s\"\ncolour = 1\n+++\n").unwrap_err().to_string();
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn an_organisation_page_adds_a_declarative_rule() {
    let org = "+++\ncode = \"SCI901\"\nname = \"no-internal-loader\"\npillar = \"edges\"\nseverity = \"high\"\nsummary = \"Our legacy loader unpickles.\"\n\n[[policy]]\ncalls = [\"acme.io.legacy_load\"]\nmessage = \"`{name}` unpickles\"\n+++\nBody.\n";
    let pages = EMBEDDED_PAGES
        .iter()
        .copied()
        .chain([("SCI901-no-internal-loader.md", org)]);
    let registry = Registry::from_pages(pages).unwrap();
    let found = sciguard::check_python(
        "from acme.io import legacy_load as ll\nll(path)\n",
        &registry,
        &RuleSet::all(&registry),
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "SCI901");
    assert_eq!(found[0].message, "`acme.io.legacy_load` unpickles");
    let duplicate = Registry::from_pages(
        EMBEDDED_PAGES
            .iter()
            .copied()
            .chain([("copy.md", EMBEDDED_PAGES[1].1)]),
    )
    .unwrap_err();
    assert!(
        duplicate.to_string().contains("already declared"),
        "{duplicate}"
    );
}
