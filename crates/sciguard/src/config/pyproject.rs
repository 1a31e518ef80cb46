//! `pyproject.toml` (and any TOML file): dependencies from `[project]`,
//! `[project.optional-dependencies]`, `[dependency-groups]` and
//! `[tool.poetry.dependencies]`, plus every scalar setting for the secret and TLS rules.
//! Read with the `toml` crate's spanned document, so every value keeps its position.

use super::{ConfigError, Dependency, Entry, ParsedConfig, Scalar};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Tables nested deeper than this are not walked for settings.
const MAX_DEPTH: usize = 64;

/// Parses a TOML file.
pub fn parse(text: &str) -> ParsedConfig {
    let mut parsed = ParsedConfig::default();
    let document = match DeTable::parse(text) {
        Ok(document) => document,
        Err(error) => {
            let range = error.span().unwrap_or(0..0);
            parsed.errors.push(ConfigError {
                message: format!("Invalid TOML: {}", error.message().trim()),
                range,
            });
            return parsed;
        }
    };
    let root = document.get_ref();
    if let Some(project) = sub(table(root, "project")) {
        pep508_list(table(project, "dependencies"), &mut parsed);
        if let Some(optional) = sub(table(project, "optional-dependencies")) {
            for (_, list) in optional.iter() {
                pep508_list(Some(list), &mut parsed);
            }
        }
    }
    if let Some(groups) = sub(table(root, "dependency-groups")) {
        for (_, list) in groups.iter() {
            pep508_list(Some(list), &mut parsed);
        }
    }
    let poetry = sub(table(root, "tool")).and_then(|tool| sub(table(tool, "poetry")));
    if let Some(poetry) = poetry {
        poetry_table(sub(table(poetry, "dependencies")), &mut parsed);
        poetry_table(sub(table(poetry, "dev-dependencies")), &mut parsed);
        if let Some(groups) = sub(table(poetry, "group")) {
            for (_, group) in groups.iter() {
                if let DeValue::Table(group) = group.get_ref() {
                    poetry_table(sub(table(group, "dependencies")), &mut parsed);
                }
            }
        }
    }
    let mut section = Vec::new();
    walk(root, &mut section, &mut parsed, 0);
    parsed
}

fn table<'t, 'i>(t: &'t DeTable<'i>, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
    t.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v)
}

fn sub<'t, 'i>(value: Option<&'t Spanned<DeValue<'i>>>) -> Option<&'t DeTable<'i>> {
    match value.map(Spanned::get_ref) {
        Some(DeValue::Table(t)) => Some(t),
        _ => None,
    }
}

fn pep508_list(list: Option<&Spanned<DeValue<'_>>>, parsed: &mut ParsedConfig) {
    let Some(DeValue::Array(items)) = list.map(Spanned::get_ref) else {
        return;
    };
    for item in items.iter() {
        // Include-group tables (`{include-group = "test"}`) are not requirements.
        if let DeValue::String(text) = item.get_ref() {
            match Dependency::parse_pep508(text, string_range(item)) {
                Ok(dependency) => parsed.dependencies.push(dependency),
                Err(error) => parsed.errors.push(error),
            }
        }
    }
}

fn poetry_table(table: Option<&DeTable<'_>>, parsed: &mut ParsedConfig) {
    let Some(table) = table else { return };
    for (name, value) in table.iter() {
        if name.get_ref().eq_ignore_ascii_case("python") {
            continue;
        }
        let constraint = match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            DeValue::Table(t) => {
                t.iter()
                    .find(|(k, _)| k.get_ref() == "version")
                    .and_then(|(_, v)| match v.get_ref() {
                        DeValue::String(s) => Some(s.to_string()),
                        _ => None,
                    })
            }
            _ => None,
        };
        // Git and path dependencies carry no version; they are not version pins.
        let Some(constraint) = constraint else {
            continue;
        };
        let range = name.span().start..value.span().end;
        match Dependency::parse_poetry(name.get_ref(), &constraint, range) {
            Ok(dependency) => parsed.dependencies.push(dependency),
            Err(error) => parsed.errors.push(error),
        }
    }
}

/// The range of a string value without its quotes.
fn string_range(value: &Spanned<DeValue<'_>>) -> std::ops::Range<usize> {
    let span = value.span();
    if span.end > span.start + 1 {
        span.start + 1..span.end - 1
    } else {
        span
    }
}

fn walk(table: &DeTable<'_>, section: &mut Vec<String>, parsed: &mut ParsedConfig, depth: usize) {
    if depth > MAX_DEPTH {
        if parsed.unchecked.is_none() {
            let message = format!(
                "tables nested more than {MAX_DEPTH} levels deep were not checked (a limit of sciguard's)"
            );
            let at = table.iter().next().map_or(0, |(key, _)| key.span().start);
            parsed.errors.push(ConfigError {
                message: message.clone(),
                range: at..at,
            });
            parsed.unchecked = Some(message);
        }
        return;
    }
    for (key, value) in table.iter() {
        let scalar = match value.get_ref() {
            DeValue::String(s) => Scalar::Text(s.to_string()),
            DeValue::Integer(i) => Scalar::Number(i.as_str().to_string()),
            DeValue::Float(f) => Scalar::Number(f.as_str().to_string()),
            DeValue::Boolean(b) => Scalar::Bool(*b),
            DeValue::Datetime(_) => continue,
            DeValue::Table(inner) => {
                section.push(key.get_ref().to_string());
                walk(inner, section, parsed, depth + 1);
                section.pop();
                continue;
            }
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let DeValue::Table(inner) = item.get_ref() {
                        section.push(key.get_ref().to_string());
                        walk(inner, section, parsed, depth + 1);
                        section.pop();
                    }
                }
                continue;
            }
        };
        let value_range = if matches!(scalar, Scalar::Text(_)) {
            string_range(value)
        } else {
            value.span()
        };
        parsed.entries.push(Entry {
            section: section.clone(),
            key: key.get_ref().to_string(),
            value: scalar,
            key_range: key.span(),
            value_range,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_from_every_table() {
        let text = r#"[project]
name = "demo"
dependencies = ["numpy>=1.26", "torch==2.4.1"]

[project.optional-dependencies]
yaml = ["pyyaml"]

[dependency-groups]
test = ["pytest>=8", {include-group = "lint"}]

[tool.poetry.dependencies]
python = "^3.10"
pandas = "^2.1"
requests = { version = "*", extras = ["socks"] }
"#;
        let parsed = parse(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let names: Vec<&str> = parsed
            .dependencies
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["numpy", "torch", "pyyaml", "pytest", "pandas", "requests"]
        );
        assert_eq!(&text[parsed.dependencies[1].range.clone()], "torch==2.4.1");
        assert!(parsed.dependencies[5].is_unpinned());
        assert!(parsed
            .entries
            .iter()
            .any(|e| e.key == "name" && e.value == Scalar::Text("demo".into())));
    }

    #[test]
    fn broken_toml_is_one_error_with_a_position() {
        let parsed = parse("[project]\nname = \"x\nversion = 1\n");
        assert_eq!(parsed.errors.len(), 1);
        assert!(parsed.errors[0].message.starts_with("Invalid TOML"));
    }
}
