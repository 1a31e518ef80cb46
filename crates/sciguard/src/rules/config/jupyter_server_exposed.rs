//! SCI511: a Jupyter server without authentication or open to every origin, in command
//! lines (compose `command:`, CI `run:`) and settings. Python config files
//! (`jupyter_server_config.py`) are checked by [`check_python_config`].

use crate::rules::config_file::{ConfigFile, ConfigFinding};

/// The rule's code.
pub const CODE: &str = "SCI511";

/// What an exposing setting does, by its last name part (`token`, `allow_origin`).
fn problem(attr: &str, value: &str) -> Option<&'static str> {
    let value = value.trim().trim_matches(['"', '\'']);
    let lower = value.to_ascii_lowercase();
    match attr {
        "token" | "password" if value.is_empty() => {
            Some("turns authentication off: anyone who reaches the port can run code")
        }
        "disable_check_xsrf" if matches!(lower.as_str(), "true" | "1") => {
            Some("turns off cross-site request protection")
        }
        "allow_origin" if value == "*" => Some("lets any web page drive the server"),
        "allow_root" if matches!(lower.as_str(), "true" | "1" | "") => {
            Some("runs the server as root")
        }
        "ip" if value == "0.0.0.0" || value == "*" => Some("listens on every interface"),
        _ => None,
    }
}

/// Reports exposing flags in command lines (`jupyter lab --ServerApp.token=''`).
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    let container = runs_in_containers(file);
    for (command, range) in &file.parsed.commands {
        if !command.contains("jupyter") && !command.contains("notebook") {
            continue;
        }
        for word in command.split_whitespace() {
            let Some(flag) = word.strip_prefix("--") else {
                continue;
            };
            let (name, value) = flag.split_once('=').unwrap_or((flag, ""));
            let attr = name.rsplit('.').next().unwrap_or(name).replace('-', "_");
            // In a container, the server has to listen on the container's interfaces for
            // a published port to reach it; what the host exposes is the `ports:` mapping.
            if container && attr == "ip" {
                continue;
            }
            if let Some(problem) = problem(&attr, value) {
                out.push(ConfigFinding {
                    code: CODE,
                    range: range.clone(),
                    message: format!("Jupyter `{word}` {problem}; keep the token, bind to 127.0.0.1 and use an SSH tunnel"),
                    severity: None,
                });
            }
        }
    }
}

/// Whether the file's commands run in containers: a Compose file (`docker-compose.yml`,
/// `compose.yaml`, or any YAML with top-level `services:`).
fn runs_in_containers(file: &ConfigFile<'_>) -> bool {
    let name = file.file_name();
    name.starts_with("docker-compose")
        || name.starts_with("compose.")
        || file.text.starts_with("services:")
        || file.text.contains("\nservices:")
}

/// Reports `c.ServerApp.token = ''`-style lines of a Jupyter Python config file, as
/// (byte range, message). Only top-level assignments to `c.<App>.<name>` are read.
pub fn check_python_config(path: &str, source: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if !(name.starts_with("jupyter_") && name.ends_with("_config.py")) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let text = line.split(" #").next().unwrap_or(line).trim_end();
        let Some(rest) = text.strip_prefix("c.") else {
            continue;
        };
        let Some((target, value)) = rest.split_once('=') else {
            continue;
        };
        let attr = target.trim().rsplit('.').next().unwrap_or("");
        if let Some(problem) = problem(attr, value) {
            out.push((
                start..start + text.len(),
                format!(
                    "`c.{}` {problem}; keep the token, bind to 127.0.0.1 and use an SSH tunnel",
                    target.trim()
                ),
            ));
        }
    }
    out
}

/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct JupyterServerExposed;

impl crate::rules::ConfigRule for JupyterServerExposed {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}
