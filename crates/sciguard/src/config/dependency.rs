//! Declared dependencies, read with PEP 508 (requirement strings, [`pep508`]) and PEP 440
//! (versions and specifiers, the `pep440_rs` crate) semantics.

use super::pep508::{self, Asks};
use super::ConfigError;
use pep440_rs::{Operator, Version, VersionSpecifiers};
use std::ops::Range;
use std::str::FromStr;
use version_ranges::Ranges;

/// What a dependency declaration asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// Any version (`numpy`, `numpy = "*"`).
    Any,
    /// A PEP 440 specifier set (`>=1.26,<2`).
    Versions(VersionSpecifiers),
    /// A direct URL or VCS reference (`git+https://…@v1.2`).
    Url(String),
}

/// One declared dependency, with where it was declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// The normalized distribution name (`scikit-learn`, `pyyaml`).
    pub name: String,
    /// What it asks for.
    pub requirement: Requirement,
    /// The declaration as written (`torch==2.4.1`).
    pub text: String,
    /// Where it is.
    pub range: Range<usize>,
}

impl Dependency {
    /// Reads a PEP 508 requirement string (`torch>=2.6; python_version >= "3.9"`) found at
    /// `range` of the file.
    pub fn parse_pep508(text: &str, range: Range<usize>) -> Result<Dependency, ConfigError> {
        let parsed = pep508::parse(text).map_err(|why| ConfigError {
            message: format!("Invalid requirement `{}`: {why}", text.trim()),
            range: range.clone(),
        })?;
        let requirement = match parsed.asks {
            Asks::Nothing => Requirement::Any,
            Asks::Versions(s) if s.is_empty() => Requirement::Any,
            Asks::Versions(s) => Requirement::Versions(s),
            Asks::Url(url) => Requirement::Url(url),
        };
        Ok(Dependency {
            name: parsed.name,
            requirement,
            text: text.trim().to_string(),
            range,
        })
    }

    /// Reads a Poetry constraint (`"^1.2"`, `"~2.0"`, `"*"`, `">=1,<2"`) for `name`.
    pub fn parse_poetry(
        name: &str,
        constraint: &str,
        range: Range<usize>,
    ) -> Result<Dependency, ConfigError> {
        let specifiers = poetry_to_pep440(constraint);
        let text = if specifiers.is_empty() {
            name.to_string()
        } else {
            format!("{name}{specifiers}")
        };
        let mut dependency = Dependency::parse_pep508(&text, range)?;
        dependency.text = format!("{name} = \"{constraint}\"");
        Ok(dependency)
    }

    /// The versions this declaration admits, or `None` for a URL.
    pub fn admitted(&self) -> Option<Ranges<Version>> {
        match &self.requirement {
            Requirement::Any => Some(Ranges::full()),
            Requirement::Versions(s) => Some(Ranges::from(s.clone())),
            Requirement::Url(_) => None,
        }
    }

    /// Whether this declaration admits any version in `versions` (`false` for URLs).
    pub fn admits_any(&self, versions: &Ranges<Version>) -> bool {
        self.admitted()
            .is_some_and(|admitted| !admitted.is_disjoint(versions))
    }

    /// Whether it pins: an exact `==` (no wildcard), `===` or a compatible `~=` release.
    pub fn is_pin(&self) -> bool {
        let Requirement::Versions(specifiers) = &self.requirement else {
            return false;
        };
        specifiers.iter().any(|s| {
            matches!(
                s.operator(),
                Operator::Equal | Operator::ExactEqual | Operator::TildeEqual
            )
        })
    }

    /// Whether it names no version at all.
    pub fn is_unpinned(&self) -> bool {
        self.requirement == Requirement::Any
    }
}

/// Parses a PEP 440 specifier set (`<2.6`, `>=1.0,<1.2`).
pub fn parse_specifiers(text: &str) -> Option<Ranges<Version>> {
    VersionSpecifiers::from_str(text).ok().map(Ranges::from)
}

/// Poetry's caret and tilde constraints as PEP 440 specifiers; `*` means any.
fn poetry_to_pep440(constraint: &str) -> String {
    constraint
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty() && *part != "*")
        .map(|part| {
            let (op, version) = if let Some(v) = part.strip_prefix('^') {
                ('^', v.trim())
            } else if let Some(v) = part.strip_prefix('~').filter(|v| !v.starts_with('=')) {
                ('~', v.trim())
            } else if part.starts_with(|c: char| c.is_ascii_digit()) {
                ('=', part)
            } else {
                return part.to_string();
            };
            let numbers: Vec<u64> = version.split('.').map_while(|n| n.parse().ok()).collect();
            if numbers.is_empty() {
                return part.to_string();
            }
            let upper = match op {
                // ^1.2.3 → <2.0.0; ^0.2.3 → <0.3.0; ^0.0.3 → <0.0.4
                '^' => {
                    let first = numbers
                        .iter()
                        .position(|n| *n != 0)
                        .unwrap_or(numbers.len() - 1);
                    bump(&numbers, first)
                }
                // ~1.2.3 → <1.3.0; ~1 → <2
                '~' => bump(&numbers, if numbers.len() > 1 { 1 } else { 0 }),
                _ => return format!("=={version}"),
            };
            format!(">={version},<{upper}")
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn bump(numbers: &[u64], at: usize) -> String {
    let mut out: Vec<u64> = numbers[..=at].to_vec();
    out[at] += 1;
    out.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poetry_constraints() {
        assert_eq!(poetry_to_pep440("^1.2.3"), ">=1.2.3,<2");
        assert_eq!(poetry_to_pep440("^0.2.3"), ">=0.2.3,<0.3");
        assert_eq!(poetry_to_pep440("~1.2.3"), ">=1.2.3,<1.3");
        assert_eq!(poetry_to_pep440("*"), "");
        assert_eq!(poetry_to_pep440("2.4.1"), "==2.4.1");
        assert_eq!(poetry_to_pep440(">=1,<2"), ">=1,<2");
    }

    #[test]
    fn pins_and_ranges() {
        let pin = Dependency::parse_pep508("torch==2.4.1", 0..12).unwrap();
        assert!(pin.is_pin());
        let before = parse_specifiers("<2.6").unwrap();
        assert!(pin.admits_any(&before));
        let floor = Dependency::parse_pep508("torch>=2.6", 0..10).unwrap();
        assert!(!floor.is_pin() && !floor.admits_any(&before));
        let compatible = Dependency::parse_pep508("Torch ~= 2.4.0", 0..14).unwrap();
        assert!(compatible.is_pin());
        assert_eq!(compatible.name, "torch");
        let bare = Dependency::parse_pep508("numpy", 0..5).unwrap();
        assert!(bare.is_unpinned());
        let url = Dependency::parse_pep508("pkg @ git+https://example.org/pkg@main", 0..1).unwrap();
        assert_eq!(
            url.requirement,
            Requirement::Url("git+https://example.org/pkg@main".into())
        );
        assert!(Dependency::parse_pep508("numpy>=>1", 0..9).is_err());
    }
}
