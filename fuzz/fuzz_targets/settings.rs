//! Reading `[tool.sciguard]` settings from arbitrary `pyproject.toml` text, then using
//! them as a project does (selection, exclusion, per-file rules, the policy files it
//! lists).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sciguard::project::{Options, ProjectSettings};
use sciguard::rules::Registry;
use sciguard::settings::Settings;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let registry = Registry::builtin();
    if let Ok(Some(settings)) = Settings::from_pyproject(&text, registry) {
        let _ = settings.is_excluded("src/app/main.py");
        let _ = settings.rules_for(registry, "tests/test_x.py");
        let _ = settings.docs_url();
    }
    let _ = sciguard::settings::policy_files(&text);
    let project = ProjectSettings::discover([("pyproject.toml", &*text)], &Options::default());
    let _ = project.is_excluded("build/x.py");
});
