//! SCI512: `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` turns the safe `torch.load` default off.

use crate::rules::config_file::{ConfigFile, ConfigFinding};

/// The rule's code.
pub const CODE: &str = "SCI512";

/// Reports a truthy `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`.
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    for entry in file.entries(&["torch_force_no_weights_only_load"]) {
        if entry.value.is_truthy() {
            out.push(ConfigFinding {
                code: CODE,
                range: entry.range(),
                message: format!("`{}` makes every `torch.load` without `weights_only` unpickle arbitrary objects; remove it (or set `TORCH_FORCE_WEIGHTS_ONLY_LOAD=1`) and pass `weights_only=False` only at reviewed call sites", entry.key),
                severity: None,
            });
        }
    }
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct TorchWeightsOnlyDisabled;

impl crate::rules::ConfigRule for TorchWeightsOnlyDisabled {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
