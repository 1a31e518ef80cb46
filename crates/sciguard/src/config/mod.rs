//! Configuration inputs: requirements files, `pyproject.toml`, `setup.cfg` and other INI
//! files, YAML, `.env` and notebooks. Each parser turns its format into the same neutral
//! shapes, with byte ranges into the original text: declared [`Dependency`]s, key/value
//! [`Entry`]s and, for requirements files, pip [`PipOption`]s. The 5xx rules read only
//! those shapes, so a rule is written once for every format.

pub mod advisories;
pub mod conda;
pub mod dependency;
pub mod env;
pub mod ini;
pub mod notebook;
mod pep508;
pub mod pyproject;
pub mod requirements;
pub mod yaml;

pub use dependency::{Dependency, Requirement};

use crate::input::SourceKind;
use std::ops::Range;

/// Configuration files larger than this are refused with one message (a `.env` or YAML
/// file this big is not configuration a person wrote).
pub const MAX_CONFIG_BYTES: usize = 16 << 20;

/// A scalar value from a configuration file, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// A string (quoted or not, in formats that don't type their values).
    Text(String),
    /// A boolean typed by the format (YAML, TOML).
    Bool(bool),
    /// A number typed by the format, as written.
    Number(String),
    /// An explicit null (YAML `~`, `null`).
    Null,
}

impl Scalar {
    /// The value as text (`true`, `42`, the string itself).
    pub fn text(&self) -> &str {
        match self {
            Scalar::Text(s) | Scalar::Number(s) => s,
            Scalar::Bool(true) => "true",
            Scalar::Bool(false) => "false",
            Scalar::Null => "",
        }
    }

    /// Whether the value means "on" (`true`, `1`, `yes`, `on`).
    pub fn is_truthy(&self) -> bool {
        match self {
            Scalar::Bool(b) => *b,
            Scalar::Null => false,
            other => matches!(
                other.text().trim().to_ascii_lowercase().as_str(),
                "true" | "1" | "yes" | "on" | "y"
            ),
        }
    }

    /// Whether the value means "off" (`false`, `0`, `no`, `off`).
    pub fn is_falsy(&self) -> bool {
        match self {
            Scalar::Bool(b) => !*b,
            Scalar::Null => false,
            other => matches!(
                other.text().trim().to_ascii_lowercase().as_str(),
                "false" | "0" | "no" | "off" | "n"
            ),
        }
    }
}

/// One setting: a key (with the path of tables or sections above it) and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The tables or sections above the key, outermost first (`["global"]` in pip.conf).
    pub section: Vec<String>,
    /// The key as written.
    pub key: String,
    /// The value.
    pub value: Scalar,
    /// Where the key is.
    pub key_range: Range<usize>,
    /// Where the value is.
    pub value_range: Range<usize>,
}

impl Entry {
    /// Whether the key is `normalized` once lower-cased, with `-` and `.` read as `_`
    /// (`extra-index-url` is `extra_index_url`). Compares without allocating: every rule
    /// asks this of every entry.
    pub fn key_is(&self, normalized: &str) -> bool {
        let key = self.key.trim();
        key.len() == normalized.len()
            && key.bytes().zip(normalized.bytes()).all(|(k, n)| {
                let k = match k {
                    b'-' | b'.' => b'_',
                    other => other.to_ascii_lowercase(),
                };
                k == n
            })
    }

    /// The whole setting's range, key to value.
    pub fn range(&self) -> Range<usize> {
        self.key_range.start.min(self.value_range.start)
            ..self.key_range.end.max(self.value_range.end)
    }
}

/// A pip option given in a requirements file (`--extra-index-url URL`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipOption {
    /// The option name without dashes (`extra-index-url`, `trusted-host`, `r`).
    pub name: String,
    /// Its value.
    pub value: String,
    /// Where the option (name and value) is.
    pub range: Range<usize>,
}

/// A file that could not be read as its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// What is wrong, for a person.
    pub message: String,
    /// Where, as far as the parser knows.
    pub range: Range<usize>,
}

/// What a configuration file holds, in the neutral shapes the 5xx rules read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedConfig {
    /// Declared dependencies.
    pub dependencies: Vec<Dependency>,
    /// Settings.
    pub entries: Vec<Entry>,
    /// pip options (requirements files only).
    pub pip_options: Vec<PipOption>,
    /// Lines of a requirements file that carry `--hash`, and those that don't
    /// (requirement ranges), for SCI507.
    pub hashed: Vec<(Range<usize>, bool)>,
    /// Strings that hold command lines (YAML `command:`/`args:`/`entrypoint:`), for
    /// flags such as `--NotebookApp.token=`.
    pub commands: Vec<(String, Range<usize>)>,
    /// Why the file could not be (fully) read.
    pub errors: Vec<ConfigError>,
    /// Errors counted but not kept (a parser may stop keeping them on huge files).
    pub errors_not_kept: usize,
    /// Why sciguard did not check all of the file, when a limit of its own (size,
    /// nesting) stopped it; the error says the same to the user.
    pub unchecked: Option<String>,
}

/// Parses a configuration file of the given kind. Python and notebooks have no
/// configuration shape and give an empty result.
pub fn parse(kind: SourceKind, path: &str, text: &str) -> ParsedConfig {
    if text.len() > MAX_CONFIG_BYTES {
        let message = format!(
            "This {} file is {:.1} MB, over the {} MB limit for configuration files; it was not checked",
            kind.label(),
            text.len() as f64 / (1 << 20) as f64,
            MAX_CONFIG_BYTES >> 20
        );
        return ParsedConfig {
            unchecked: Some(message.clone()),
            errors: vec![ConfigError {
                message,
                range: 0..0,
            }],
            ..ParsedConfig::default()
        };
    }
    match kind {
        SourceKind::Requirements => requirements::parse(text),
        SourceKind::Pyproject => pyproject::parse(text),
        SourceKind::Ini => ini::parse(path, text),
        SourceKind::Yaml => {
            let mut parsed = yaml::parse(text);
            if conda::is_environment(path, &parsed) {
                conda::read_dependencies(&mut parsed);
            }
            parsed
        }
        SourceKind::Env => env::parse(text),
        SourceKind::Python | SourceKind::Notebook => ParsedConfig::default(),
    }
}

/// Strips one pair of matching quotes.
pub(crate) fn unquote(value: &str) -> (&str, usize) {
    let v = value.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return (&v[1..v.len() - 1], 1);
        }
    }
    (v, 0)
}
