//! INI files in Python's `configparser` dialect: `setup.cfg`, `pip.conf`, `.pypirc`,
//! `tox.ini`. Sections, `key = value` or `key: value`, indented continuation lines,
//! `#`/`;` comments. No crate keeps positions for this dialect, so it is read here,
//! line by line, which also makes a bad line one error rather than a lost file.

use super::{ConfigError, Dependency, Entry, ParsedConfig, Scalar};
use std::ops::Range;

struct PendingEntry {
    section: String,
    key: String,
    key_range: Range<usize>,
    /// Value lines: (text, range), the first one possibly empty.
    lines: Vec<(String, Range<usize>)>,
    indent: usize,
}

/// Parses an INI file; `path` tells `setup.cfg` apart (its requirement lists).
pub fn parse(path: &str, text: &str) -> ParsedConfig {
    let mut parsed = ParsedConfig::default();
    let mut section = String::new();
    let mut pending: Option<PendingEntry> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let start = offset;
        offset += raw.len();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(entry) = pending.as_mut() {
            if indent > entry.indent {
                let value = trimmed.trim_end();
                entry.lines.push((
                    value.to_string(),
                    start + indent..start + indent + value.len(),
                ));
                continue;
            }
        }
        if let Some(entry) = pending.take() {
            finish(entry, &mut parsed);
        }
        if trimmed.starts_with('[') {
            match trimmed.find(']') {
                Some(end) => section = trimmed[1..end].trim().to_string(),
                None => parsed.errors.push(ConfigError {
                    message: format!("Section header without `]`: `{}`", trimmed.trim_end()),
                    range: start..start + line.len(),
                }),
            }
            continue;
        }
        let Some(split) = trimmed.find(['=', ':']) else {
            parsed.errors.push(ConfigError {
                message: format!(
                    "Expected `key = value` or a `[section]` header, found `{}`",
                    trimmed.trim_end()
                ),
                range: start..start + line.len(),
            });
            continue;
        };
        let key = trimmed[..split].trim_end();
        let after = &trimmed[split + 1..];
        let value = after.trim();
        let value_start = start + indent + split + 1 + (after.len() - after.trim_start().len());
        pending = Some(PendingEntry {
            section: section.clone(),
            key: key.to_string(),
            key_range: start + indent..start + indent + key.len(),
            lines: vec![(value.to_string(), value_start..value_start + value.len())],
            indent,
        });
    }
    if let Some(entry) = pending.take() {
        finish(entry, &mut parsed);
    }
    if is_setup_cfg(path) {
        requirements_from_setup_cfg(&mut parsed, text);
    }
    parsed
}

fn finish(entry: PendingEntry, parsed: &mut ParsedConfig) {
    let lines: Vec<&(String, Range<usize>)> =
        entry.lines.iter().filter(|(t, _)| !t.is_empty()).collect();
    let value = lines
        .iter()
        .map(|(t, _)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let value_range = match (lines.first(), lines.last()) {
        (Some(first), Some(last)) => first.1.start..last.1.end,
        _ => entry.lines[0].1.clone(),
    };
    parsed.entries.push(Entry {
        section: vec![entry.section],
        key: entry.key,
        value: Scalar::Text(value),
        key_range: entry.key_range,
        value_range,
    });
}

fn is_setup_cfg(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.eq_ignore_ascii_case("setup.cfg")
}

/// `[options] install_requires` and every key of `[options.extras_require]`: one
/// requirement per line (or `;`-free comma lists on one line).
fn requirements_from_setup_cfg(parsed: &mut ParsedConfig, text: &str) {
    let lists: Vec<Range<usize>> = parsed
        .entries
        .iter()
        .filter(|e| {
            let section = e.section.first().map(String::as_str).unwrap_or("");
            (section == "options" && e.key_is("install_requires"))
                || section == "options.extras_require"
        })
        .map(|e| e.value_range.clone())
        .collect();
    for range in lists {
        let mut offset = range.start;
        for line in text[range.clone()].split('\n') {
            let line_start = offset;
            offset += line.len() + 1;
            let content = line.split(" #").next().unwrap_or(line);
            let trimmed = content.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let lead = content.len() - content.trim_start().len();
            let at = line_start + lead..line_start + lead + trimmed.len();
            match Dependency::parse_pep508(trimmed, at) {
                Ok(dependency) => parsed.dependencies.push(dependency),
                Err(error) => parsed.errors.push(error),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_cfg_requirements_and_entries() {
        let text = "[metadata]\nname = demo\n\n[options]\ninstall_requires =\n    numpy>=1.26\n    torch==2.4.1\n\n[options.extras_require]\nyaml = pyyaml\n";
        let parsed = parse("setup.cfg", text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let names: Vec<&str> = parsed
            .dependencies
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(names, ["numpy", "torch", "pyyaml"]);
        assert_eq!(&text[parsed.dependencies[1].range.clone()], "torch==2.4.1");
    }

    #[test]
    fn pip_conf_keys() {
        let text = "[global]\nextra-index-url = https://user:hunter2@pkgs.example.org/simple\ntrusted-host: pkgs.example.org\n";
        let parsed = parse("pip.conf", text);
        assert_eq!(parsed.entries.len(), 2);
        assert!(parsed.entries[1].key_is("trusted_host"));
        assert_eq!(
            &text[parsed.entries[1].value_range.clone()],
            "pkgs.example.org"
        );
        assert!(parsed.dependencies.is_empty());
    }

    #[test]
    fn a_bad_line_is_one_error() {
        let parsed = parse("x.ini", "[a]\nkey = 1\njust words\nother = 2\n");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.entries.len(), 2);
    }
}
