//! SCI506: a VCS or URL requirement that can change under the same reference.

use crate::rules::config_file::{mask_password, ConfigFile, ConfigFinding};
use crate::config::Requirement;

/// The rule's code.
pub const CODE: &str = "SCI506";

/// Reports VCS requirements without a full commit hash and plain-HTTP archives.
pub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
    // What a docs builder installs is not deployed (and is often unmaintained theme code).
    if file.is_docs_requirements() {
        return;
    }
    for dependency in &file.parsed.dependencies {
        let Requirement::Url(url) = &dependency.requirement else {
            continue;
        };
        if let Some(problem) = problem(url) {
            out.push(ConfigFinding {
                code: CODE,
                range: dependency.range.clone(),
                message: format!("`{}` {problem}", mask_password(url)),
                severity: None,
            });
        }
    }
}

/// What makes this URL mutable, if anything.
fn problem(url: &str) -> Option<&'static str> {
    let url = url.trim();
    let vcs = ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .any(|p| url.starts_with(p));
    if url.contains("+http://") || url.starts_with("http://") {
        return Some("is fetched over plain HTTP: what is installed can be replaced in transit; use https and pin a commit or a hash");
    }
    if !vcs {
        return None;
    }
    let without_fragment = url.split('#').next().unwrap_or(url);
    // The reference follows the last `@` after the host (`git+https://host/repo@ref`).
    let path = without_fragment
        .split_once("://")
        .map_or(without_fragment, |(_, p)| p);
    let reference = path
        .split_once('/')
        .and_then(|(_, repo)| repo.rsplit_once('@'))
        .map(|(_, r)| r);
    match reference {
        None => Some("has no reference: it installs whatever the default branch holds at install time; pin a full commit hash (`@<40 hex digits>`)"),
        Some(r) if r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit()) => None,
        Some(_) => Some("names a branch or tag, which can move: pin a full commit hash (`@<40 hex digits>`)"),
    }
}


/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct MutableVcsRequirement;

impl crate::rules::ConfigRule for MutableVcsRequirement {
    const CODES: &'static [&'static str] = &[CODE];

    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {
        check(file, out);
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn references() {
        assert!(problem("git+https://github.com/org/pkg").is_some());
        assert!(problem("git+https://github.com/org/pkg@main#egg=pkg").is_some());
        assert!(problem("git+https://git@github.com/org/pkg").is_some());
        assert!(
            problem("git+https://github.com/org/pkg@0123456789abcdef0123456789abcdef01234567")
                .is_none()
        );
        assert!(problem("http://example.org/pkg-1.0.tar.gz").is_some());
        assert!(problem("https://example.org/pkg-1.0.tar.gz").is_none());
    }
}
