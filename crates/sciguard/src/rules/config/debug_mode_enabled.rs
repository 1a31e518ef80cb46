//! SCI510: debug mode switched on in configuration (code calls are a policy on the page).

use crate::rules::config_file::{ConfigFile, ConfigFinding};
use crate::vocab::Severity;

/// The rule's code.
pub const CODE: &str = "SCI510";

const DEBUG_KEYS: &[&str] = &["debug", "flask_debug", "django_debug", "app_debug"];

/// Reports `DEBUG=True`-style settings; lower severity in local or test settings files.
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    let local = is_local_or_test(&file.file_name());
    for entry in file.entries(DEBUG_KEYS) {
        if !entry.value.is_truthy() {
            continue;
        }
        let (severity, note) = if local {
            (
                Some(Severity::Low),
                " (a local or test settings file; make sure it never reaches a deployment)",
            )
        } else {
            (None, "")
        };
        out.push(ConfigFinding {
            code: CODE,
            range: entry.range(),
            message: format!(
                "`{}` turns debug mode on: an exposed debugger (Werkzeug) runs any code a visitor sends{note}",
                entry.key
            ),
            severity,
        });
    }
}

/// `.env.local`, `.env.test`, `local_settings.py`-style names, `test.yaml`, `config.dev.yml`.
fn is_local_or_test(name: &str) -> bool {
    name.split(['.', '_', '-']).any(|part| {
        matches!(
            part,
            "local" | "test" | "tests" | "testing" | "dev" | "development" | "example" | "sample"
        )
    })
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct DebugModeEnabled;

impl crate::rules::ConfigRule for DebugModeEnabled {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
