//! Declared dependencies, read with PEP 508 (requirement strings) and PEP 440 (versions
//! and specifiers) semantics by the `pep508_rs`/`pep440_rs` crates.

use super::ConfigError;
use pep440_rs::{Operator, Version, VersionSpecifiers};
use std::fmt;
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

/// A URL kept as written: sciguard never fetches it, only looks at its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct RawUrl(String);

/// A URL that could not be taken (never produced: every URL text is kept).
#[derive(Debug)]
struct NeverFails;

impl fmt::Display for NeverFails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid URL")
    }
}

impl std::error::Error for NeverFails {}

impl fmt::Display for RawUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl pep508_rs::Pep508Url for RawUrl {
    type Err = NeverFails;

    fn parse_url(url: &str, _working_dir: Option<&std::path::Path>) -> Result<Self, Self::Err> {
        Ok(RawUrl(url.to_string()))
    }
}

/// The last character of a requirement's package name or of one of its extras when it is
/// `.`, `-` or `_` (`a.==1`, `a[gpu-]`): pep508_rs 0.9 panics on such names instead of
/// returning an error (found by fuzzing), so they are refused before parsing.
fn identifier_ending_badly(text: &str) -> Option<char> {
    let ident = identifier_len;
    let bad_end = |s: &str, n: usize| {
        let last = *s.as_bytes().get(n.checked_sub(1)?)?;
        matches!(last, b'.' | b'-' | b'_').then_some(char::from(last))
    };
    let rest = text.trim_start();
    let name = ident(rest);
    // A bad end at the end of the text is an error pep508_rs reports itself.
    if name < rest.len() {
        if let Some(last) = bad_end(rest, name) {
            return Some(last);
        }
    }
    let extras = rest[name..].trim_start().strip_prefix('[')?;
    let extras = &extras[..extras.find(']').unwrap_or(extras.len())];
    extras.split(',').find_map(|extra| {
        let extra = extra.trim_start();
        bad_end(extra, ident(extra))
    })
}

/// The length of the package name or extra at the start of `text` (PEP 508 identifier
/// characters).
fn identifier_len(text: &str) -> usize {
    text.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        .count()
}

/// Where a requirement's environment marker starts: its `;` (in a URL requirement,
/// `name [extras] @ url`, the first `;` after white space past the `@`).
fn marker_start(text: &str) -> Option<usize> {
    let rest = text.trim_start();
    let mut after = rest[identifier_len(rest)..].trim_start();
    if let Some(extras) = after.strip_prefix('[') {
        after = extras[extras.find(']')? + 1..].trim_start();
    }
    if !after.starts_with('@') {
        return text.find(';');
    }
    let bytes = text.as_bytes();
    let at = text.len() - after.len();
    (at + 1..bytes.len()).find(|&i| bytes[i] == b';' && bytes[i - 1].is_ascii_whitespace())
}

/// The first character that is not ASCII in a requirement's environment marker: pep508_rs
/// 0.9 counts a marker's words in characters and slices them in bytes, and panics when a
/// character that is not ASCII follows a complete marker (`python_version < "3.11"
/// \u{e1}`, `< "3"2"\u{e1}`, found by fuzzing). Markers compare versions and platform
/// names: ASCII, even inside their quotes, in any real file.
fn non_ascii_in_marker(text: &str) -> Option<char> {
    text[marker_start(text)?..].chars().find(|c| !c.is_ascii())
}

impl Dependency {
    /// Reads a PEP 508 requirement string (`torch>=2.6; python_version >= "3.9"`) found at
    /// `range` of the file.
    pub fn parse_pep508(text: &str, range: Range<usize>) -> Result<Dependency, ConfigError> {
        let refused = |why: String| ConfigError {
            message: format!("Invalid requirement `{}`: {why}", text.trim()),
            range: range.clone(),
        };
        if let Some(last) = identifier_ending_badly(text) {
            return Err(refused(format!(
                "a package name or extra must end with a letter or digit, not `{last}`"
            )));
        }
        if let Some(odd) = non_ascii_in_marker(text) {
            return Err(refused(format!(
                "`{odd}` in the environment marker (markers are ASCII)"
            )));
        }
        let parsed = pep508_rs::Requirement::<RawUrl>::from_str(text).map_err(|e| ConfigError {
            message: format!("Invalid requirement `{}`: {}", text.trim(), e.message),
            range: range.clone(),
        })?;
        let requirement = match parsed.version_or_url {
            None => Requirement::Any,
            Some(pep508_rs::VersionOrUrl::VersionSpecifier(s)) if s.is_empty() => Requirement::Any,
            Some(pep508_rs::VersionOrUrl::VersionSpecifier(s)) => Requirement::Versions(s),
            Some(pep508_rs::VersionOrUrl::Url(url)) => Requirement::Url(url.0),
        };
        Ok(Dependency {
            name: parsed.name.to_string(),
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
