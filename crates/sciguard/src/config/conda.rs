//! Conda environment files (`environment.yml`): the `dependencies:` list, in conda's
//! match-spec syntax (`pytorch::pytorch=1.11.0`, `numpy 1.21.*`, `python>=3.9`), and
//! its `pip:` list of PEP 508 requirements. They declare versions as requirements files
//! do, so version-dependent rules and the vulnerable-version rules read them too.

use super::dependency::Dependency;
use super::{ParsedConfig, Scalar};

/// Conda packages whose PyPI name differs (advisories and gates use PyPI names).
const RENAMED: &[(&str, &str)] = &[("pytorch", "torch"), ("pytorch-cpu", "torch")];

/// Conda packages that are not Python distributions on PyPI.
const NOT_ON_PYPI: &[&str] = &[
    "python",
    "cudatoolkit",
    "cudnn",
    "nodejs",
    "r-base",
    "_libgcc_mutex",
];

/// Whether a YAML file is a conda environment: named like one (`environment.yml`,
/// `environment-gpu.yaml`, `conda.yml`), or with top-level `channels:` and
/// `dependencies:`.
pub fn is_environment(path: &str, parsed: &ParsedConfig) -> bool {
    let name = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    let named = name.starts_with("environment") || name.starts_with("conda") || name == "env.yml";
    let top = |key: &str| {
        parsed
            .entries
            .iter()
            .any(|e| e.section.is_empty() && e.key == key)
    };
    yaml && (named || (top("channels") && top("dependencies")))
}

/// Adds the environment's declared dependencies to `parsed`.
pub fn read_dependencies(parsed: &mut ParsedConfig) {
    let mut found = Vec::new();
    for entry in &parsed.entries {
        let Scalar::Text(text) = &entry.value else {
            continue;
        };
        let range = entry.value_range.clone();
        let dependency = if entry.section.is_empty() && entry.key == "dependencies" {
            let Some(spec) = pep508_of_match_spec(text) else {
                continue;
            };
            Dependency::parse_pep508(&spec, range).map(|mut d| {
                d.text = text.clone();
                d
            })
        } else if entry.section == ["dependencies"] && entry.key == "pip" {
            // `-r requirements.txt`, `--extra-index-url`: options, not requirements.
            if text.starts_with('-') {
                continue;
            }
            Dependency::parse_pep508(text, range)
        } else {
            continue;
        };
        match dependency {
            Ok(dependency) => found.push(dependency),
            Err(error) => parsed.errors.push(error),
        }
    }
    parsed.dependencies.extend(found);
}

/// A conda match spec as a PEP 508 requirement: `pytorch::pytorch=1.11.0` →
/// `torch==1.11.0`, `numpy=1.21` → `numpy==1.21.*`, `numpy 1.21.*` → `numpy==1.21.*`,
/// `scipy>=1.7,<1.10` unchanged. `None` for packages that are not on PyPI.
pub fn pep508_of_match_spec(spec: &str) -> Option<String> {
    let spec = spec.trim();
    let spec = spec.rsplit_once("::").map_or(spec, |(_, rest)| rest);
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let (name, rest) = spec.split_at(end);
    let lower = name.to_ascii_lowercase();
    if name.is_empty() || NOT_ON_PYPI.contains(&lower.as_str()) || lower.starts_with("lib") {
        return None;
    }
    let name = RENAMED
        .iter()
        .find(|(conda, _)| *conda == lower)
        .map_or(name, |(_, pypi)| *pypi);
    let rest = rest.trim();
    if rest.is_empty() {
        return Some(name.to_string());
    }
    // `=1.2.3=py39_0`, `1.2.3 py39_0`: the build string after the version is dropped.
    let version_part = |v: &str| -> String {
        v.split(['=', ' '])
            .find(|p| !p.is_empty())
            .unwrap_or("")
            .to_string()
    };
    let specifiers = if let Some(v) = rest.strip_prefix("==") {
        format!("=={}", version_part(v))
    } else if rest.starts_with(['>', '<', '!', '~']) {
        rest.split_whitespace().next().unwrap_or(rest).to_string()
    } else {
        // `=1.21` and `1.21.*` are prefix matches; three parts name a release.
        let v = version_part(rest.trim_start_matches('='));
        let v = v
            .trim_end_matches(".*")
            .trim_end_matches('*')
            .trim_end_matches('.');
        if v.is_empty() {
            return Some(name.to_string());
        }
        if v.split('.').count() >= 3 {
            format!("=={v}")
        } else {
            format!("=={v}.*")
        }
    };
    Some(format!("{name}{specifiers}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_specs_become_requirements() {
        let cases = [
            ("pytorch::pytorch=1.11.0", Some("torch==1.11.0")),
            ("numpy=1.21", Some("numpy==1.21.*")),
            ("numpy 1.21.*", Some("numpy==1.21.*")),
            ("scipy>=1.7,<1.10", Some("scipy>=1.7,<1.10")),
            ("pillow==9.0.1=py39h", Some("pillow==9.0.1")),
            ("pyyaml", Some("pyyaml")),
            ("python=3.8.5", None),
            ("cudatoolkit=11.3", None),
            (
                "conda-forge::transformers=4.19.2",
                Some("transformers==4.19.2"),
            ),
        ];
        for (spec, expected) in cases {
            assert_eq!(pep508_of_match_spec(spec).as_deref(), expected, "{spec}");
        }
    }

    #[test]
    fn environment_files_declare_dependencies() {
        let text = "name: ldm\nchannels:\n  - pytorch\n  - defaults\ndependencies:\n  - python=3.8.5\n  - pip=20.3\n  - pytorch=1.11.0\n  - pip:\n    - transformers==4.19.2\n    - -e .\n";
        let mut parsed = super::super::yaml::parse(text);
        assert!(is_environment("environment.yaml", &parsed));
        assert!(
            is_environment("envs/gpu.yml", &parsed),
            "channels + dependencies"
        );
        read_dependencies(&mut parsed);
        let names: Vec<(&str, &str)> = parsed
            .dependencies
            .iter()
            .map(|d| (d.name.as_str(), d.text.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("pip", "pip=20.3"),
                ("torch", "pytorch=1.11.0"),
                ("transformers", "transformers==4.19.2")
            ]
        );
        let ci = super::super::yaml::parse("jobs:\n  test:\n    dependencies: [numpy]\n");
        assert!(!is_environment(".github/workflows/ci.yml", &ci));
    }
}
