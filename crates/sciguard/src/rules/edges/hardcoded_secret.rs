//! SCI224 hardcoded-secret: passwords, tokens and keys written into the source.
//!
//! Two signals, as the rule page explains: a secret-like *name* given a string that
//! does not look like a placeholder, or any string in a known *provider format*.

use crate::rules::checker::Checker;
use crate::rules::RuleId;
use aho_corasick::AhoCorasick;
use ruff_python_ast::{self as ast, Expr, Parameters, Stmt};
use ruff_text_size::{Ranged, TextRange};
use std::ops::Range;
use std::sync::OnceLock;

/// The rule's code.
pub const CODE: &str = "SCI224";

/// Name segments that mark a secret on their own.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "token",
    "secret",
    "secrete",
    "credential",
    "credentials",
    "apikey",
    "privatekey",
];

/// Pairs of consecutive segments that mark a secret (`api_key`, `accessKey`).
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("access", "key"),
    ("private", "key"),
    ("auth", "key"),
    ("secret", "key"),
    ("client", "secret"),
    ("signing", "key"),
];

/// Words after a secret word that make the name describe the secret, not hold it
/// (`token_pattern`, `password_hasher`, `TOKEN_ENCODING`).
const DESCRIPTOR_WORDS: &[&str] = &[
    "pattern",
    "regex",
    "re",
    "type",
    "types",
    "encoding",
    "encoder",
    "name",
    "names",
    "field",
    "fields",
    "url",
    "uri",
    "endpoint",
    "path",
    "file",
    "dir",
    "header",
    "prefix",
    "suffix",
    "hasher",
    "hash",
    "algorithm",
    "length",
    "len",
    "count",
    "id",
    "ids",
    "index",
    "limit",
    "min",
    "max",
    "format",
    "kind",
    "label",
    "policy",
    "method",
    "scheme",
    "env",
    "var",
    "size",
    "expiry",
    "ttl",
    "timeout",
    "mask",
    "validator",
];

/// NLP vocabulary tokens (`mask_token = "[MASK]"`) are not credentials.
const VOCABULARY_QUALIFIERS: &[&str] = &[
    "mask", "pad", "unk", "unknown", "bos", "eos", "cls", "sep", "start", "end", "special", "oov",
    "sos",
];

/// Values that are obviously not real secrets.
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "example",
    "dummy",
    "placeholder",
    "your",
    "xxx",
    "redacted",
    "todo",
    "fixme",
    "secret",
    "password",
    "token",
    "none",
    "null",
    "test",
    "fake",
    "sample",
];

/// A provider's token format. `find` returns, for a match, the byte range of the
/// password when the format has one (a URL's `user:password@`).
struct Provider {
    name: &'static str,
    find: fn(&str) -> Option<Option<Range<usize>>>,
}

// Hand-written matchers rather than regexes: six fixed formats do not justify a regex
// engine in the browser bundle, and each is a single left-to-right scan.
const PROVIDERS: &[Provider] = &[
    // \b(A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}\b
    Provider {
        name: "an AWS access key id",
        find: aws_access_key,
    },
    // \b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}\b
    Provider {
        name: "a GitHub token",
        find: github_token,
    },
    // pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}
    Provider {
        name: "a PyPI upload token",
        find: pypi_token,
    },
    // -----BEGIN[ A-Z]*PRIVATE KEY-----
    Provider {
        name: "a private key",
        find: private_key,
    },
    // \bxox[abposr]-[0-9A-Za-z-]{10,}
    Provider {
        name: "a Slack token",
        find: slack_token,
    },
    // \b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]+:([^\s:/@]+)@
    Provider {
        name: "a password in a URL",
        find: url_password,
    },
];

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether a word boundary lies before byte `i`, given that byte `i` is a word byte.
fn boundary_before(bytes: &[u8], i: usize) -> bool {
    i == 0 || !is_word(bytes[i - 1])
}

/// Whether a word boundary lies after byte `i - 1`, given that it is a word byte.
fn boundary_after(bytes: &[u8], i: usize) -> bool {
    i >= bytes.len() || !is_word(bytes[i])
}

/// Length of the run of bytes satisfying `ok` from `start`.
fn run(bytes: &[u8], start: usize, ok: impl Fn(u8) -> bool) -> usize {
    bytes[start.min(bytes.len())..]
        .iter()
        .take_while(|b| ok(**b))
        .count()
}

fn starts(value: &str, needle: &str) -> impl Iterator<Item = usize> {
    value
        .match_indices(needle)
        .map(|(i, _)| i)
        .collect::<Vec<_>>()
        .into_iter()
}

fn aws_access_key(value: &str) -> Option<Option<Range<usize>>> {
    let bytes = value.as_bytes();
    let upper_or_digit = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    (0..bytes.len().saturating_sub(19))
        .filter(|&i| boundary_before(bytes, i))
        .find(|&i| {
            let head = &bytes[i..i + 4];
            let prefix = matches!(head, b"ABIA" | b"ACCA" | b"AKIA" | b"ASIA")
                || (head.starts_with(b"A3T") && upper_or_digit(head[3]));
            prefix
                && bytes[i + 4..i + 20].iter().all(|b| upper_or_digit(*b))
                && boundary_after(bytes, i + 20)
        })
        .map(|_| None)
}

fn github_token(value: &str) -> Option<Option<Range<usize>>> {
    let bytes = value.as_bytes();
    ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        .iter()
        .flat_map(|p| starts(value, p))
        .find(|&i| boundary_before(bytes, i) && run(bytes, i + 4, is_word) == 36)
        .map(|_| None)
}

fn pypi_token(value: &str) -> Option<Option<Range<usize>>> {
    let bytes = value.as_bytes();
    let token = |b: u8| is_word(b) || b == b'-';
    let prefix = "pypi-AgEIcHlwaS5vcmc";
    starts(value, prefix)
        .find(|&i| run(bytes, i + prefix.len(), token) >= 50)
        .map(|_| None)
}

fn private_key(value: &str) -> Option<Option<Range<usize>>> {
    let bytes = value.as_bytes();
    let label = |b: u8| b == b' ' || b.is_ascii_uppercase();
    starts(value, "-----BEGIN")
        .find(|&i| {
            let from = i + "-----BEGIN".len();
            let end = from + run(bytes, from, label);
            bytes[from..end].ends_with(b"PRIVATE KEY") && bytes[end..].starts_with(b"-----")
        })
        .map(|_| None)
}

fn slack_token(value: &str) -> Option<Option<Range<usize>>> {
    let bytes = value.as_bytes();
    let token = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
    starts(value, "xox")
        .find(|&i| {
            boundary_before(bytes, i)
                && bytes.get(i + 3).is_some_and(|b| b"abposr".contains(b))
                && bytes.get(i + 4) == Some(&b'-')
                && run(bytes, i + 5, token) >= 10
        })
        .map(|_| None)
}

fn url_password(value: &str) -> Option<Option<Range<usize>>> {
    let bytes = value.as_bytes();
    let scheme = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-');
    // Any char but white space, `:`, `/` and `@` (works on bytes: UTF-8 continuation
    // bytes are never ASCII, and ASCII white space is what matters in a URL).
    let part = |b: u8| !(b.is_ascii_whitespace() || matches!(b, b':' | b'/' | b'@'));
    for at in starts(value, "://") {
        let scheme_start = at - bytes[..at].iter().rev().take_while(|b| scheme(**b)).count();
        let has_scheme =
            (scheme_start..at).any(|i| bytes[i].is_ascii_alphabetic() && boundary_before(bytes, i));
        if !has_scheme {
            continue;
        }
        let user = at + 3;
        let user_len = run(bytes, user, part);
        let colon = user + user_len;
        if user_len == 0 || bytes.get(colon) != Some(&b':') {
            continue;
        }
        let password_len = run(bytes, colon + 1, part);
        let end = colon + 1 + password_len;
        if password_len > 0 && bytes.get(end) == Some(&b'@') {
            return Some(Some(colon + 1..end));
        }
    }
    None
}

/// Whether an identifier names a secret: split into words on `_`, `-` and case changes.
pub fn is_secret_name(name: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' || c == ' ' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    let next_describes = |i: usize| {
        words
            .get(i + 1)
            .is_some_and(|w| DESCRIPTOR_WORDS.contains(&w.as_str()))
    };
    let single = words.iter().enumerate().any(|(i, w)| {
        SECRET_WORDS.contains(&w.as_str())
            && !next_describes(i)
            && !(w == "token" && i > 0 && VOCABULARY_QUALIFIERS.contains(&words[i - 1].as_str()))
    });
    single
        || words.windows(2).enumerate().any(|(i, pair)| {
            SECRET_PAIRS.contains(&(pair[0].as_str(), pair[1].as_str())) && !next_describes(i + 1)
        })
}

/// Whether a value assigned to a secret-like name is plausibly a real secret.
pub fn looks_like_secret_value(name: &str, value: &str) -> bool {
    if value.len() < 6 || value.len() > 512 {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    let has_space = value.chars().any(char::is_whitespace);
    let templated = value.contains("${")
        || value.contains("{{")
        || value.contains("%(")
        || value.contains("{}");
    let bracketed = (value.starts_with('<') && value.ends_with('>'))
        || (value.starts_with('{') && value.ends_with('}'));
    let one_char = value
        .chars()
        .all(|c| c == value.chars().next().unwrap_or(' '));
    // `NextToken = "next_token"`, `TOKEN_HEADER = "Authorization"`: identifiers, not secrets.
    let identifier_like = value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-' || c == '.')
        || value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-')
        || (value.chars().all(|c| c.is_ascii_alphabetic()) && value.len() <= 16);
    let path_or_url = value.contains('/') || value.contains('\\');
    let same_as_name =
        lower.replace(['-', '_'], "") == name.to_ascii_lowercase().replace(['-', '_'], "");
    !(has_space
        || templated
        || bracketed
        || one_char
        || identifier_like
        || path_or_url
        || same_as_name
        || too_regular(&lower)
        || PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)))
}

/// Keyboard rows typed in order, which people use as stand-in passwords.
const KEYBOARD_WALKS: &[&str] = &["qwerty", "asdf", "zxcv", "qwertz", "azerty"];

/// A value too regular to be a real key: runs of consecutive characters (`abc123`,
/// `123456`, `abcdef`), one short unit repeated (`abab12ab`, `123123`), or a keyboard
/// walk (`qwerty1`). Real secrets are random; these are what people type in examples.
fn too_regular(lower: &str) -> bool {
    let bytes = lower.as_bytes();
    if !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    if KEYBOARD_WALKS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // At most two runs (letters, then digits or the reverse), each stepping by one:
    // `abc123`, `123456`, `cba`.
    let runs: Vec<&[u8]> = bytes
        .chunk_by(|a, b| a.is_ascii_digit() == b.is_ascii_digit())
        .collect();
    let stepping = |run: &[u8]| {
        run.len() >= 3
            && (run.windows(2).all(|p| p[1] == p[0].wrapping_add(1))
                || run.windows(2).all(|p| p[0] == p[1].wrapping_add(1)))
    };
    if runs.len() <= 2 && runs.iter().all(|run| stepping(run)) {
        return true;
    }
    // One unit of up to a third of the length, repeated.
    (1..=bytes.len() / 3).any(|unit| {
        bytes.len().is_multiple_of(unit) && bytes.chunks(unit).all(|chunk| chunk == &bytes[..unit])
    })
}

fn report_named(checker: &mut Checker, rule: RuleId, name: &str, range: TextRange) {
    checker.report(
        rule,
        range,
        format!("`{name}` is given a literal secret; read it from the environment or a secret manager, and rotate it if it was ever committed"),
        None,
    );
}

/// Substrings every secret-like name contains; checked before any allocation.
const NAME_HINTS: &[&str] = &["pass", "pwd", "token", "secret", "key", "credential"];

/// Substrings every provider format contains; checked before any regex runs.
const PROVIDER_ANCHORS: &[&str] = &[
    "A3T",
    "ABIA",
    "ACCA",
    "AKIA",
    "ASIA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "pypi-",
    "PRIVATE KEY",
    "xox",
    "://",
];

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn check_pair(checker: &mut Checker, rule: RuleId, name: &str, value: &Expr) {
    if let Expr::StringLiteral(string) = value {
        let text = string.value.to_str();
        if text.len() < 6
            || text.len() > 512
            || !NAME_HINTS.iter().any(|h| contains_ignore_case(name, h))
        {
            return;
        }
        if is_secret_name(name)
            && looks_like_secret_value(name, string.value.to_str())
            && !matches_provider(string.value.to_str())
        {
            report_named(checker, rule, name, string.range());
        }
    }
}

/// Assignments: `PASSWORD = "..."`, `self.api_key = "..."`, `cfg["token"] = "..."`.
pub(crate) fn check_assignment(checker: &mut Checker, rule: RuleId, targets: &[Expr], value: &Expr) {
    for target in targets {
        let name = match target {
            Expr::Name(name) => Some(name.id.as_str()),
            Expr::Attribute(attr) => Some(attr.attr.id.as_str()),
            Expr::Subscript(sub) => match sub.slice.as_ref() {
                Expr::StringLiteral(key) => Some(key.value.to_str()),
                _ => None,
            },
            _ => None,
        };
        if let Some(name) = name {
            check_pair(checker, rule, name, value);
        }
    }
}

/// Keyword arguments: `connect(password="...")`.
pub(crate) fn check_keywords(checker: &mut Checker, rule: RuleId, arguments: &ast::Arguments) {
    for keyword in &arguments.keywords {
        if let (Some(arg), Expr::StringLiteral(_)) = (&keyword.arg, &keyword.value) {
            check_pair(checker, rule, &arg.id, &keyword.value);
        }
    }
}

/// Parameter defaults: `def connect(password="...")`.
pub(crate) fn check_parameters(checker: &mut Checker, rule: RuleId, parameters: &Parameters) {
    for parameter in parameters.iter_non_variadic_params() {
        if let Some(default) = parameter.default() {
            check_pair(checker, rule, &parameter.name().id, default);
        }
    }
}

/// Dict displays: `{"password": "..."}`.
pub(crate) fn check_dict(checker: &mut Checker, rule: RuleId, dict: &ast::ExprDict) {
    for item in &dict.items {
        if let Some(Expr::StringLiteral(key)) = &item.key {
            check_pair(checker, rule, key.value.to_str(), &item.value);
        }
    }
}

/// One pass over the text for all anchors (docstrings are long and numerous).
fn anchors() -> &'static AhoCorasick {
    static ANCHORS: OnceLock<AhoCorasick> = OnceLock::new();
    ANCHORS.get_or_init(|| AhoCorasick::new(PROVIDER_ANCHORS).expect("anchors are plain strings"))
}

fn matches_provider(value: &str) -> bool {
    // URLs are common in docstrings; only one with `user:password@` can hold a secret.
    let credential_url = || value.contains("://") && value.contains('@');
    value.len() >= 16
        && (anchors().is_match(value) || credential_url())
        && PROVIDERS.iter().any(|p| (p.find)(value).is_some())
}

/// A secret in a provider format inside `value`: what it is (`a GitHub token`) and, for
/// a URL with a password, the password's byte range in `value`.
pub fn provider_secret(value: &str) -> Option<(&'static str, Option<std::ops::Range<usize>>)> {
    if !matches_provider(value) {
        return None;
    }
    for provider in PROVIDERS {
        let Some(password) = (provider.find)(value) else {
            continue;
        };
        // A URL whose password is a placeholder (`${PASS}`, `***`) or a default
        // (`postgres:postgres@localhost`) is configuration, not a secret.
        if let Some(range) = &password {
            if !looks_like_secret_value("password", &value[range.clone()]) {
                continue;
            }
        }
        return Some((provider.name, password));
    }
    None
}

/// Any string literal in a provider format.
pub(crate) fn check_literal(checker: &mut Checker, rule: RuleId, string: &ast::ExprStringLiteral) {
    if let Some((name, _)) = provider_secret(string.value.to_str()) {
        checker.report(
            rule,
            string.range(),
            format!("This string contains {name}; read it from the environment or a secret manager, and rotate it if it was ever committed"),
            None,
        );
    }
}


/// The rule, as registered in `rules/mod.rs`.
pub(crate) struct HardcodedSecret;

impl crate::rules::PythonRule for HardcodedSecret {
    const CODE: &'static str = CODE;

    fn statement(checker: &mut Checker<'_>, rule: RuleId, stmt: &Stmt) {
        match stmt {
            Stmt::FunctionDef(function) => check_parameters(checker, rule, &function.parameters),
            Stmt::Assign(assign) => check_assignment(checker, rule, &assign.targets, &assign.value),
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    check_assignment(checker, rule, std::slice::from_ref(&*assign.target), value);
                }
            }
            _ => {}
        }
    }

    fn expression(checker: &mut Checker<'_>, rule: RuleId, expr: &Expr) {
        match expr {
            Expr::Call(call) => check_keywords(checker, rule, &call.arguments),
            Expr::StringLiteral(string) => check_literal(checker, rule, string),
            Expr::Dict(dict) => check_dict(checker, rule, dict),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_formats() {
        let hit = |v: &str| provider_secret(v).map(|(name, _)| name);
        assert_eq!(
            hit("key = AKIAIOSFODNN7REALKEY"),
            Some("an AWS access key id")
        );
        assert_eq!(hit("xAKIAIOSFODNN7REALKEY"), None);
        assert_eq!(hit("AKIAIOSFODNN7REALKEYS"), None);
        assert_eq!(
            hit(&format!("token ghp_{}", "a".repeat(36))),
            Some("a GitHub token")
        );
        assert_eq!(hit(&format!("ghp_{}", "a".repeat(37))), None);
        assert_eq!(
            hit(&format!("pypi-AgEIcHlwaS5vcmc{}", "x".repeat(50))),
            Some("a PyPI upload token")
        );
        assert_eq!(
            hit(&format!("pypi-AgEIcHlwaS5vcmc{}", "x".repeat(49))),
            None
        );
        assert_eq!(
            hit("-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
            Some("a private key")
        );
        assert_eq!(hit("-----BEGIN PUBLIC KEY----- and PRIVATE KEY-----"), None);
        assert_eq!(hit("xoxb-1234567890-abcdef"), Some("a Slack token"));
        assert_eq!(hit("xoxb-123"), None);
        let url = "postgresql://etl:Zq8v7Rk2pLm4@db.internal/features";
        assert_eq!(
            provider_secret(url),
            Some(("a password in a URL", Some(17..29)))
        );
        assert_eq!(
            hit("postgresql://etl:${DB_PASSWORD}@db.internal/features"),
            None
        );
        assert_eq!(hit("https://pkgs.example.org/simple/user:pass@"), None);
        assert_eq!(hit("s3://bucket/key:with@odd"), None);
    }

    #[test]
    fn names() {
        for name in [
            "password",
            "DB_PASSWORD",
            "apiKey",
            "api_key",
            "GITHUB_TOKEN",
            "client_secret",
            "self_pwd",
            "AccessKey",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "passenger",
            "compass",
            "tokenizer",
            "keys",
            "monkey",
            "bypass_cache",
            "secretary",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn values() {
        assert!(looks_like_secret_value("password", "hunter2!"));
        assert!(looks_like_secret_value("token", "f3b9c2d4e8a1b7c6"));
        assert!(looks_like_secret_value("token", "a8Kd93bQ"));
        assert!(looks_like_secret_value("password", "s3cure987x"));
        for placeholder in [
            "",
            "abc123",
            "123456789",
            "abcdef",
            "qwerty123",
            "ab12ab12ab12",
            "changeme",
            "<your-token>",
            "${TOKEN}",
            "********",
            "next_token",
            "Authorization",
            "your api key",
            "/run/secrets/token",
            "PASSWORD",
        ] {
            assert!(
                !looks_like_secret_value("token", placeholder),
                "{placeholder}"
            );
        }
    }
}
