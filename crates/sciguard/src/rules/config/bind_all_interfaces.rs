//! SCI513: a service bound to every network interface, in configuration.

use crate::rules::config_file::{ConfigFile, ConfigFinding};

/// The rule's code.
pub const CODE: &str = "SCI513";

const HOST_KEYS: &[&str] = &[
    "host",
    "hostname",
    "bind",
    "bind_address",
    "listen",
    "listen_address",
    "ip",
    "address",
    "server_host",
    "flask_run_host",
];

fn is_all_interfaces(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    v == "0.0.0.0" || v == "::" || v == "[::]" || v.starts_with("0.0.0.0:")
}

/// Reports `host: 0.0.0.0`-style settings and `--host 0.0.0.0` in command lines.
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    let message = |key: &str| {
        format!("`{key}` binds to every network interface: the service is reachable from any network the machine is on; bind to 127.0.0.1 and put a reverse proxy in front")
    };
    for entry in file.entries(HOST_KEYS) {
        if is_all_interfaces(entry.value.text()) {
            out.push(ConfigFinding {
                code: CODE,
                range: entry.range(),
                message: message(&entry.key),
                severity: None,
            });
        }
    }
    for (command, range) in &file.parsed.commands {
        // Jupyter's `--ip` is SCI511's.
        if command.contains("jupyter") {
            continue;
        }
        let words: Vec<&str> = command.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            let (flag, value) = match word.split_once('=') {
                Some((f, v)) => (f, Some(v)),
                None => (*word, words.get(i + 1).copied()),
            };
            if matches!(flag, "--host" | "--bind" | "-b" | "--ip" | "-h")
                && value.is_some_and(is_all_interfaces)
            {
                out.push(ConfigFinding {
                    code: CODE,
                    range: range.clone(),
                    message: message(flag),
                    severity: None,
                });
            }
        }
    }
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct BindAllInterfaces;

impl crate::rules::ConfigRule for BindAllInterfaces {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
