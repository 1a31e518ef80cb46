//! pip requirements files: requirements, options, hashes, includes, continuations.

use super::{Dependency, ParsedConfig, PipOption, Requirement};
use std::ops::Range;

/// Options that take a value (`--index-url URL` or `--index-url=URL`).
const VALUE_OPTIONS: &[(&str, &str)] = &[
    ("-r", "requirement"),
    ("--requirement", "requirement"),
    ("-c", "constraint"),
    ("--constraint", "constraint"),
    ("-e", "editable"),
    ("--editable", "editable"),
    ("-i", "index-url"),
    ("--index-url", "index-url"),
    ("--extra-index-url", "extra-index-url"),
    ("--trusted-host", "trusted-host"),
    ("-f", "find-links"),
    ("--find-links", "find-links"),
    ("--hash", "hash"),
    ("--no-binary", "no-binary"),
    ("--only-binary", "only-binary"),
    ("--config-settings", "config-settings"),
    ("--global-option", "global-option"),
];

/// One logical line: continuation lines joined, with each byte's offset in the file.
struct LogicalLine {
    text: String,
    /// Where each physical line's part starts: (offset in `text`, offset in the file).
    segments: Vec<(usize, usize)>,
}

impl LogicalLine {
    fn new() -> LogicalLine {
        LogicalLine {
            text: String::new(),
            segments: Vec::new(),
        }
    }

    /// The file offset of byte `i` of `text`.
    fn file_offset(&self, i: usize) -> usize {
        let segment = self.segments.partition_point(|(start, _)| *start <= i);
        match segment.checked_sub(1).map(|s| self.segments[s]) {
            Some((start, file)) => file + (i - start),
            None => 0,
        }
    }

    fn range(&self, local: Range<usize>) -> Range<usize> {
        let end = if local.end > local.start {
            self.file_offset(local.end - 1) + 1
        } else {
            self.file_offset(local.start)
        };
        self.file_offset(local.start)..end
    }
}

fn logical_lines(text: &str) -> Vec<LogicalLine> {
    let mut out = Vec::new();
    let mut current = LogicalLine::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let (body, continued) = match line.strip_suffix('\\') {
            Some(body) => (body, true),
            None => (line, false),
        };
        current.segments.push((current.text.len(), offset));
        current.text.push_str(body);
        offset += raw.len();
        if !continued {
            out.push(std::mem::replace(&mut current, LogicalLine::new()));
        }
    }
    if !current.text.is_empty() {
        out.push(current);
    }
    out
}

/// Where the comment starts: `#` at the start or after white space.
fn comment_start(line: &str) -> usize {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()))
        .unwrap_or(line.len())
}

/// White-space separated words with their ranges in `line`.
fn words(line: &str) -> Vec<(&str, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        match (start, c.is_whitespace()) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                out.push((&line[s..i], s..i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Parses a requirements file.
pub fn parse(text: &str) -> ParsedConfig {
    let mut parsed = ParsedConfig::default();
    for line in logical_lines(text) {
        let content = &line.text[..comment_start(&line.text)];
        if content.trim().is_empty() {
            continue;
        }
        let words = words(content);
        // The requirement part runs up to the first option that follows it.
        let mut requirement: Option<Range<usize>> = None;
        let mut has_hash = false;
        let mut i = 0;
        while i < words.len() {
            let (word, range) = (words[i].0, words[i].1.clone());
            if word.starts_with('-') && requirement.as_ref().is_none_or(|r| r.end <= range.start) {
                let (flag, inline) = match word.split_once('=') {
                    Some((f, v)) if f.starts_with("--") => (f, Some(v)),
                    _ => (word, None),
                };
                let known = VALUE_OPTIONS.iter().find(|(f, _)| *f == flag);
                let (name, value, end) = match (known, inline) {
                    (Some((_, name)), Some(v)) => (*name, v.to_string(), range.end),
                    (Some((_, name)), None) => match words.get(i + 1) {
                        Some((v, r)) => {
                            i += 1;
                            (*name, v.to_string(), r.end)
                        }
                        None => (*name, String::new(), range.end),
                    },
                    (None, _) => (
                        flag.trim_start_matches('-'),
                        inline.unwrap_or("").to_string(),
                        range.end,
                    ),
                };
                let full = line.range(range.start..end);
                if name == "hash" {
                    has_hash = true;
                } else if name == "editable" {
                    let dep = url_dependency(&value, full.clone());
                    parsed.hashed.push((full.clone(), false));
                    parsed.dependencies.push(dep);
                }
                parsed.pip_options.push(PipOption {
                    name: name.to_string(),
                    value,
                    range: full,
                });
                i += 1;
                continue;
            }
            // Part of the requirement (which may contain spaces: `numpy >= 1.26 ; python_version > "3.9"`).
            requirement = Some(match requirement {
                None => range,
                Some(r) => r.start..range.end,
            });
            i += 1;
        }
        let Some(local) = requirement else {
            continue;
        };
        let spec = &content[local.clone()];
        let range = line.range(local);
        let dependency = if looks_like_url(spec) {
            Ok(url_dependency(spec, range.clone()))
        } else {
            Dependency::parse_pep508(spec, range.clone())
        };
        match dependency {
            Ok(dep) => {
                parsed.hashed.push((range, has_hash));
                parsed.dependencies.push(dep);
            }
            Err(error) => parsed.errors.push(error),
        }
    }
    parsed
}

fn looks_like_url(spec: &str) -> bool {
    let s = spec.trim();
    [
        "git+", "hg+", "svn+", "bzr+", "http://", "https://", "file:",
    ]
    .iter()
    .any(|p| s.starts_with(p))
}

/// A bare URL or VCS requirement; the name comes from `#egg=` when given.
fn url_dependency(spec: &str, range: Range<usize>) -> Dependency {
    let name = spec
        .split_once("#egg=")
        .map(|(_, egg)| egg.split('&').next().unwrap_or(egg).to_ascii_lowercase())
        .unwrap_or_default();
    Dependency {
        name,
        requirement: Requirement::Url(spec.trim().to_string()),
        text: spec.trim().to_string(),
        range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_options_and_continuations() {
        let text = "# comment\n--extra-index-url https://pkgs.example.org/simple\nnumpy==1.26.4 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\npandas>=2.0  # inline comment\n-r dev.txt\ngit+https://github.com/org/pkg@main#egg=pkg\nrequests[socks] >= 2.31 ; python_version > \"3.8\"\n";
        let parsed = parse(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let names: Vec<&str> = parsed
            .dependencies
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(names, ["numpy", "pandas", "pkg", "requests"]);
        let numpy = &parsed.dependencies[0];
        assert_eq!(&text[numpy.range.clone()], "numpy==1.26.4");
        assert_eq!(
            parsed.hashed.iter().map(|h| h.1).collect::<Vec<_>>(),
            [true, false, false, false]
        );
        let options: Vec<&str> = parsed.pip_options.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(options, ["extra-index-url", "hash", "hash", "requirement"]);
        let extra = &parsed.pip_options[0];
        assert_eq!(
            &text[extra.range.clone()],
            "--extra-index-url https://pkgs.example.org/simple"
        );
        assert_eq!(
            &text[parsed.dependencies[3].range.clone()],
            "requests[socks] >= 2.31 ; python_version > \"3.8\""
        );
    }

    #[test]
    fn a_bad_line_is_one_error() {
        let parsed = parse("numpy==1.26\nnot a requirement ===\npandas\n");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.dependencies.len(), 2);
    }
}
