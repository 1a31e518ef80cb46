//! Organisation policies: rule pages with `ORG` codes, loaded at run time next to the
//! built-in rules, reported like them, refused when broken without losing the others.

use sciguard::project::{InOrder, Options, ProjectSettings};
use sciguard::rules::Registry;
use sciguard::{FileReport, SourceFile};
use std::path::Path;

fn example(name: &str) -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../playbooks/organisation")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (name.to_string(), text)
}

fn examples() -> Vec<(String, String)> {
    vec![
        example("ORG001-requests-timeout-and-ca-bundle.md"),
        example("ORG002-read-csv-over-http.md"),
    ]
}

fn check(registry: &Registry, path: &str, text: &str) -> Vec<(String, usize)> {
    let files = vec![SourceFile {
        path: path.into(),
        text: text.into(),
        kind: None,
        display: None,
    }];
    let options = Options {
        registry: Some(registry),
        ..Options::default()
    };
    let project = ProjectSettings::discover(
        files.iter().map(|f| (f.path.as_str(), f.text.as_str())),
        &options,
    );
    let reports: Vec<FileReport> = project.check(files, &options, &InOrder);
    reports
        .into_iter()
        .flat_map(|r| r.findings)
        .map(|f| (f.code, f.span.start.row))
        .collect()
}

#[test]
fn the_example_policies_load_and_fire_like_built_in_rules() {
    let files = examples();
    let (registry, errors) =
        Registry::with_organisation(files.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    assert!(errors.is_empty(), "{errors:?}");
    assert!(registry.has_organisation_rules());
    let org = registry.find("ORG001").map(|id| registry.rule(id));
    assert_eq!(
        org.map(|r| r.name.as_str()),
        Some("requests-without-timeout-or-ca-bundle")
    );
    let code = "import requests\nimport pandas as pd\n\
                requests.get(URL)\n\
                requests.get(URL, timeout=5)\n\
                requests.get(URL, verify='/etc/ssl/certs/company-ca.pem')\n\
                requests.get(URL, verify=False)\n\
                pd.read_csv('http://data.example.org/prices.csv')\n\
                pd.read_csv(f'http://{host}/prices.csv')\n\
                pd.read_csv('https://data.example.org/prices.csv')\n\
                pd.read_csv(filepath_or_buffer='http://' + host + '/x.csv')\n";
    let found = check(&registry, "pipeline.py", code);
    let org: Vec<&(String, usize)> = found.iter().filter(|(c, _)| c.starts_with("ORG")).collect();
    assert_eq!(
        org,
        [
            &("ORG001".to_string(), 3),
            &("ORG001".to_string(), 6),
            &("ORG002".to_string(), 7),
            &("ORG002".to_string(), 8),
            &("ORG002".to_string(), 10),
        ],
        "{found:?}"
    );
    // Built-in rules still run beside them (SCI401: no timeout; SCI218: verify=False).
    assert!(found.contains(&("SCI218".to_string(), 6)), "{found:?}");
    // Without the organisation's registry, nothing ORG fires.
    let builtin = check(Registry::builtin(), "pipeline.py", code);
    assert!(
        builtin.iter().all(|(c, _)| !c.starts_with("ORG")),
        "{builtin:?}"
    );
}

#[test]
fn a_broken_policy_file_is_named_with_its_line_and_field_and_the_others_load() {
    let mut files = examples();
    files.push((
        "broken.md".into(),
        "+++\ncode = \"ORG010\"\nname = \"broken\"\npillar = \"walls\"\nseverity = \"high\"\nsummary = \"s\"\n\n[[policy]]\ncalls = [\"x.y\"]\nmessage = \"m\"\n+++\n".into(),
    ));
    files.push((
        "bad-policy.md".into(),
        "+++\ncode = \"ORG011\"\nname = \"bad-policy\"\npillar = \"edges\"\nseverity = \"high\"\nsummary = \"s\"\n\n[[policy]]\ncalls = [\"x.y\"]\nmessage = \"m\"\nwhen = [{ arg = \"a\", sometimes = true }]\n+++\n".into(),
    ));
    files.push((
        "shadow.md".into(),
        "+++\ncode = \"ORG012\"\nname = \"numpy-load-allow-pickle\"\npillar = \"edges\"\nseverity = \"high\"\nsummary = \"s\"\n\n[[policy]]\ncalls = [\"x.y\"]\nmessage = \"m\"\n+++\n".into(),
    ));
    files.push((
        "builtin-code.md".into(),
        "+++\ncode = \"SCI202\"\nname = \"mine\"\npillar = \"edges\"\nseverity = \"high\"\nsummary = \"s\"\n\n[[policy]]\ncalls = [\"x.y\"]\nmessage = \"m\"\n+++\n".into(),
    ));
    files.push((
        "toml.md".into(),
        "+++\ncode = \"ORG013\"\nname = = \"x\"\n+++\n".into(),
    ));
    let (registry, errors) =
        Registry::with_organisation(files.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 5, "{messages:#?}");
    assert!(
        messages[0].starts_with("broken.md:4: `pillar`"),
        "{messages:#?}"
    );
    assert!(
        messages[1].starts_with("bad-policy.md:8: "),
        "{messages:#?}"
    );
    assert!(messages[1].contains("sometimes"), "{messages:#?}");
    assert!(
        messages[2].contains("`numpy-load-allow-pickle` is already declared"),
        "{messages:#?}"
    );
    assert!(
        messages[3].starts_with("builtin-code.md:2: `code`"),
        "{messages:#?}"
    );
    assert!(messages[4].starts_with("toml.md:3: "), "{messages:#?}");
    // The valid ones loaded anyway, and the built-in rule kept its own page.
    assert!(registry.find("ORG001").is_some() && registry.find("ORG002").is_some());
    let sci202 = registry
        .find("SCI202")
        .map(|id| registry.rule(id).name.clone());
    assert_eq!(sci202.as_deref(), Some("numpy-load-allow-pickle"));
    assert!(registry.find("ORG010").is_none() && registry.find("ORG012").is_none());
}

#[test]
fn organisation_findings_add_their_familys_pull_request_line() {
    use sciguard::checklist::{self, FileScope, Workflow};
    let files = examples();
    let (registry, errors) =
        Registry::with_organisation(files.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    assert!(errors.is_empty(), "{errors:?}");
    // Only ORG001 fires here (it sits in the `timeouts` family); no built-in rule does.
    let text = "import requests\n\ndef fetch(url):\n    return requests.get(url, timeout=5, verify=False)\n";
    let options = Options {
        registry: Some(&registry),
        select: Some(vec![sciguard::settings::Selector::Prefix("ORG".into())]),
        ..Options::default()
    };
    let text = text.replace("timeout=5, ", "");
    let reports = sciguard::check_project(&[SourceFile::new("fetch.py", text)], &options).reports;
    let codes: Vec<&str> = reports[0]
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect();
    assert_eq!(codes, ["ORG001"]);
    let lines = |plan: checklist::RolloutPlan| -> Vec<String> {
        plan.pr_checklist.into_iter().map(|i| i.id).collect()
    };
    let with = lines(checklist::plan_in(
        &registry,
        &reports,
        Workflow::Ingestion,
        &FileScope::All,
    ));
    let without = lines(checklist::plan(
        &reports,
        Workflow::Ingestion,
        &FileScope::All,
    ));
    assert_eq!(with.len(), without.len() + 1, "{with:?} vs {without:?}");
    assert!(with.iter().any(|id| id.contains("timeouts")), "{with:?}");
}
