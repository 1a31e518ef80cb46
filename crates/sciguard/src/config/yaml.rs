//! YAML (CI files, compose files, `.condarc`, app settings), read with `saphyr`, which
//! keeps a span for every node. Every scalar under a mapping key becomes an [`Entry`];
//! `command:`/`args:`/`entrypoint:` strings are also kept as command lines.

use super::{ConfigError, Entry, ParsedConfig, Scalar};
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar as YamlScalar, YamlData};
use std::ops::Range;

/// Flow collections nested deeper than this are refused before parsing.
const MAX_DEPTH: usize = 200;

/// Keys whose string values are command lines.
const COMMAND_KEYS: &[&str] = &["command", "args", "entrypoint", "script", "run"];

/// Parses a YAML file (every document in it).
pub fn parse(text: &str) -> ParsedConfig {
    let mut parsed = ParsedConfig::default();
    if let Some(at) = too_deep(text) {
        let message = format!("YAML nested more than {MAX_DEPTH} levels deep was not checked");
        parsed.unchecked = Some(message.clone());
        parsed.errors.push(ConfigError {
            message,
            range: at..at,
        });
        return parsed;
    }
    let offsets = CharOffsets::new(text);
    let documents = match MarkedYaml::load_from_str(text) {
        Ok(documents) => documents,
        Err(error) => {
            let at = offsets.byte(error.marker().index());
            // The reader's budget for expanding aliases (its message is fixed): valid
            // YAML, but a "billion laughs" that sciguard does not expand.
            let message = if error.info().starts_with("alias expansion exceeded") {
                let message = format!("YAML whose aliases expand to more than 100,000 nodes (at line {}) was not checked: a limit of sciguard's against \"billion laughs\"", error.marker().line());
                parsed.unchecked = Some(message.clone());
                message
            } else {
                format!(
                    "Invalid YAML at line {}: {}",
                    error.marker().line(),
                    error.info()
                )
            };
            parsed.errors.push(ConfigError {
                message,
                range: at..at,
            });
            return parsed;
        }
    };
    let mut section = Vec::new();
    for document in &documents {
        walk(document, None, &mut section, &offsets, &mut parsed);
    }
    parsed
}

/// Finds where flow brackets (`[`, `{`) first nest deeper than [`MAX_DEPTH`].
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {}
            _ => {}
        }
    }
    None
}

/// saphyr counts positions in characters; findings need byte offsets.
struct CharOffsets {
    /// Byte offset of each character, or empty for ASCII text.
    bytes: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        CharOffsets {
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.bytes.is_empty() {
            char_index.min(self.len)
        } else {
            self.bytes.get(char_index).copied().unwrap_or(self.len)
        }
    }

    fn range(&self, node: &MarkedYaml<'_>) -> Range<usize> {
        self.byte(node.span.start.index())..self.byte(node.span.end.index())
    }
}

fn scalar(node: &MarkedYaml<'_>) -> Option<Scalar> {
    match &node.data {
        YamlData::Value(value) => Some(match value {
            YamlScalar::Null => Scalar::Null,
            YamlScalar::Boolean(b) => Scalar::Bool(*b),
            YamlScalar::Integer(i) => Scalar::Number(i.to_string()),
            YamlScalar::FloatingPoint(f) => Scalar::Number(f.to_string()),
            YamlScalar::String(s) => Scalar::Text(s.to_string()),
        }),
        YamlData::Representation(text, _, _) => Some(Scalar::Text(text.to_string())),
        YamlData::Tagged(_, inner) => scalar(inner),
        _ => None,
    }
}

fn walk(
    node: &MarkedYaml<'_>,
    key: Option<(&str, Range<usize>)>,
    section: &mut Vec<String>,
    offsets: &CharOffsets,
    parsed: &mut ParsedConfig,
) {
    match &node.data {
        YamlData::Mapping(map) => {
            if let Some((k, _)) = &key {
                section.push(k.to_string());
            }
            for (k, v) in map.iter() {
                let name = scalar(k).map(|s| s.text().to_string()).unwrap_or_default();
                walk(v, Some((&name, offsets.range(k))), section, offsets, parsed);
            }
            if key.is_some() {
                section.pop();
            }
        }
        YamlData::Sequence(items) => {
            for item in items {
                let item_key = key.as_ref().map(|(k, r)| (*k, r.clone()));
                walk(item, item_key, section, offsets, parsed);
            }
        }
        YamlData::Tagged(_, inner) if !matches!(inner.data, YamlData::Value(_)) => {
            walk(inner, key, section, offsets, parsed)
        }
        _ => {
            let (Some((name, key_range)), Some(value)) = (key, scalar(node)) else {
                return;
            };
            let value_range = offsets.range(node);
            if COMMAND_KEYS.contains(&name.to_ascii_lowercase().as_str()) {
                if let Scalar::Text(command) = &value {
                    parsed.commands.push((command.clone(), value_range.clone()));
                }
            }
            parsed.entries.push(Entry {
                section: section.clone(),
                key: name.to_string(),
                value,
                key_range,
                value_range,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_with_positions() {
        let text = "server:\n  host: 0.0.0.0\n  verify: false\nservices:\n  lab:\n    command: jupyter lab --ip=0.0.0.0 --NotebookApp.token=''\n";
        let parsed = parse(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let host = &parsed.entries[0];
        assert_eq!(host.key, "host");
        assert_eq!(host.section, ["server"]);
        assert_eq!(&text[host.value_range.clone()], "0.0.0.0");
        assert_eq!(parsed.entries[1].value, Scalar::Bool(false));
        assert_eq!(parsed.commands.len(), 1);
    }

    #[test]
    fn invalid_yaml_is_one_error() {
        let parsed = parse("a: [1, 2\nb: c\n");
        assert_eq!(parsed.errors.len(), 1);
        assert!(parsed.errors[0].message.starts_with("Invalid YAML"));
        let deep = "[".repeat(100_000);
        assert_eq!(parse(&deep).errors.len(), 1);
    }
}
