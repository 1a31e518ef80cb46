//! PEP 508 dependency specifiers (`name [extras] (specifiers | @ url) ; marker`), read as
//! far as sciguard needs: the normalized name, what versions or URL are asked for, and
//! whether the whole line is well formed. Version specifiers are PEP 440's, read by
//! `pep440_rs`; environment markers are checked for their grammar only, since no rule
//! evaluates them.
//!
//! It accepts and refuses what `pep508_rs` 0.9 (the strict PEP 508 grammar, without its
//! extensions) does, which `tests/pep508_differential.rs` checks line by line, but it
//! needs none of that crate's URL, IDNA and regular-expression machinery, which was
//! 0.27 MB of the site's 1.16 MB of WebAssembly (gzip).

use pep440_rs::{VersionSpecifier, VersionSpecifiers};
use std::str::FromStr;

/// What a well-formed specifier asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Asks {
    /// No version and no URL.
    Nothing,
    /// Versions (`>=1.26,<2`, possibly empty: `numpy ()` asks for nothing either).
    Versions(VersionSpecifiers),
    /// A direct reference, as written (`git+https://…@v1.2`, `./vendor/pkg`).
    Url(String),
}

/// A well-formed specifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Specifier {
    /// The normalized name: lower case, each run of `-`, `_` and `.` as one `-`.
    pub name: String,
    pub asks: Asks,
}

/// How deep parentheses may nest in a marker; real markers use two or three.
const MAX_MARKER_DEPTH: usize = 64;

/// The environment markers PEP 508 defines, and the dotted spellings of its first draft
/// that pip still reads.
const MARKER_NAMES: [&str; 18] = [
    "implementation_name",
    "implementation_version",
    "os_name",
    "os.name",
    "platform_machine",
    "platform.machine",
    "platform_python_implementation",
    "platform.python_implementation",
    "python_implementation",
    "platform_release",
    "platform_system",
    "platform_version",
    "platform.version",
    "python_full_version",
    "python_version",
    "sys_platform",
    "sys.platform",
    "extra",
];

/// Reads one specifier; the error says what is wrong, in a sentence.
pub(crate) fn parse(text: &str) -> Result<Specifier, String> {
    let mut at = Reader { text, at: 0 };
    at.skip_space();
    let name = identifier(&mut at, "a package name", |next| match next {
        None => "it is empty".to_string(),
        Some(c) => format!("it must start with a package name, not `{c}`"),
    })?;
    at.skip_space();
    if at.eat('[') {
        extras(&mut at)?;
    }
    at.skip_space();
    let asks = match at.peek() {
        Some('@') => {
            at.bump();
            Asks::Url(url(&mut at)?)
        }
        Some('(') => {
            at.bump();
            let inside = at.take(|c| c != ')');
            if !at.eat(')') {
                return Err("the `(` before the versions is never closed".to_string());
            }
            Asks::Versions(versions(inside)?)
        }
        Some('<' | '=' | '>' | '~' | '!') => Asks::Versions(versions(at.take(|c| c != ';'))?),
        Some(';') | None => {
            if looks_like_archive(name) {
                return Err(format!(
                    "`{name}` is a file, not a package name: write `name @ {name}`"
                ));
            }
            Asks::Nothing
        }
        Some(c) => {
            return Err(format!(
                "expected `@`, `(`, a version comparison or `;` after the name, found `{c}`"
            ))
        }
    };
    at.skip_space();
    let marked = at.eat(';');
    if marked {
        marker(&mut at, 0)?;
        at.skip_space();
    }
    if let Some(c) = at.peek() {
        if let (false, Asks::Url(url)) = (marked, &asks) {
            if let Some(end) = url.chars().last().filter(|e| matches!(e, ';' | '#')) {
                return Err(format!(
                    "put a space before the `{end}` after the URL, or its end is unclear"
                ));
            }
        }
        return Err(if marked {
            format!("expected the end after the marker, found `{c}`")
        } else {
            format!("expected the end or `;` and a marker, found `{c}`")
        });
    }
    Ok(Specifier {
        name: normalize(name),
        asks,
    })
}

/// A package or extra name (`what`), which starts and ends with a letter or digit;
/// `missing` says what is wrong when there is none, given the character found instead.
fn identifier<'a>(
    at: &mut Reader<'a>,
    what: &str,
    missing: impl Fn(Option<char>) -> String,
) -> Result<&'a str, String> {
    let name = at.take(is_name_char);
    match (name.chars().next(), name.chars().last()) {
        (None, _) => Err(missing(at.peek())),
        (Some(first), _) if !first.is_ascii_alphanumeric() => Err(format!(
            "{what} must start with a letter or digit, not `{first}`"
        )),
        (_, Some(last)) if !last.is_ascii_alphanumeric() => Err(format!(
            "{what} must end with a letter or digit, not `{last}`"
        )),
        _ => Ok(name),
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

/// `scikit_learn`, `Scikit.Learn` → `scikit-learn`.
fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '.' | '-' | '_') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Extras after the `[`: names separated by commas, possibly none, up to the `]`.
fn extras(at: &mut Reader) -> Result<(), String> {
    at.skip_space();
    if at.eat(']') {
        return Ok(());
    }
    loop {
        at.skip_space();
        identifier(at, "an extra's name", |next| match next {
            None => "the `[` of the extras is never closed".to_string(),
            Some(c) => format!("expected the name of an extra, found `{c}`"),
        })?;
        if let Some(c) = at
            .peek()
            .filter(|c| !matches!(c, ',' | ']') && !c.is_whitespace())
        {
            return Err(format!("`{c}` cannot be part of an extra's name"));
        }
        at.skip_space();
        match at.peek() {
            Some(']') => {
                at.bump();
                return Ok(());
            }
            Some(',') => at.bump(),
            Some(c) => return Err(format!("expected `,` or `]` after an extra, found `{c}`")),
            None => return Err("the `[` of the extras is never closed".to_string()),
        }
    }
}

/// Specifiers separated by commas, each read by PEP 440's rules.
fn versions(text: &str) -> Result<VersionSpecifiers, String> {
    text.split(',')
        .map(|one| VersionSpecifier::from_str(one).map_err(|e| e.to_string()))
        .collect()
}

/// A URL after the `@`: it runs to the end, to a line break, to white space followed by
/// `;` or `#` (not part of it), or to a `;` or `#` followed by white space (part of it,
/// which makes the line ambiguous unless a marker follows).
fn url(at: &mut Reader) -> Result<String, String> {
    at.skip_space();
    let start = at.at;
    while let Some(c) = at.peek() {
        if matches!(c, '\r' | '\n') {
            break;
        }
        if c.is_whitespace() && matches!(at.after_space(), None | Some(';' | '#')) {
            break;
        }
        at.bump();
        if matches!(c, ';' | '#') && at.peek().is_some_and(char::is_whitespace) {
            break;
        }
    }
    let url = &at.text[start..at.at];
    if url.is_empty() {
        return Err("a URL must follow the `@`".to_string());
    }
    Ok(url.to_string())
}

/// `requests-2.31.0.tar.gz` or `pkg-1.0-py3-none-any.whl`: a file name where a package
/// name was expected.
fn looks_like_archive(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (last, before) = (parts.next(), parts.next());
    if before.is_none() {
        return false;
    }
    let single = |ext| matches!(ext, "whl" | "tbz" | "txz" | "tlz" | "zip" | "tgz" | "tar");
    let after_tar = |ext| matches!(ext, "bz2" | "xz" | "lz" | "lzma" | "gz");
    let last = last.unwrap_or_default();
    // The part before the last dot only counts as an extension when something precedes
    // it (`tar.gz` alone is a name).
    let before_is_extension = parts.next().is_some();
    single(last) || (before_is_extension && before == Some("tar") && after_tar(last))
}

/// `marker_or`: `marker_and ("or" marker_and)*`.
fn marker(at: &mut Reader, depth: usize) -> Result<(), String> {
    if depth > MAX_MARKER_DEPTH {
        return Err("the marker's parentheses nest too deeply".to_string());
    }
    marker_and(at, depth)?;
    while at.eat_word("or") {
        marker_and(at, depth)?;
    }
    Ok(())
}

/// `marker_and`: `marker_expr ("and" marker_expr)*`.
fn marker_and(at: &mut Reader, depth: usize) -> Result<(), String> {
    marker_expr(at, depth)?;
    while at.eat_word("and") {
        marker_expr(at, depth)?;
    }
    Ok(())
}

/// `( marker )` or `value op value`.
fn marker_expr(at: &mut Reader, depth: usize) -> Result<(), String> {
    at.skip_space();
    if at.eat('(') {
        marker(at, depth + 1)?;
        at.skip_space();
        return match at.peek() {
            Some(')') => {
                at.bump();
                Ok(())
            }
            Some(c) => Err(format!("expected `)` in the marker, found `{c}`")),
            None => Err("a `(` in the marker is never closed".to_string()),
        };
    }
    marker_value(at)?;
    at.skip_space();
    marker_operator(at)?;
    at.skip_space();
    marker_value(at)
}

/// A quoted string or one of the marker names.
fn marker_value(at: &mut Reader) -> Result<(), String> {
    match at.peek() {
        None => Err("the marker ends where a value was expected".to_string()),
        Some(quote @ ('"' | '\'')) => {
            at.bump();
            at.take(|c| c != quote);
            if at.eat(quote) {
                Ok(())
            } else {
                Err(format!(
                    "a {quote}string{quote} in the marker is never closed"
                ))
            }
        }
        Some(_) => {
            let word =
                at.take(|c| !c.is_whitespace() && !matches!(c, '>' | '=' | '<' | '!' | '~' | ')'));
            if MARKER_NAMES.contains(&word) {
                Ok(())
            } else {
                Err(format!(
                    "expected a quoted string or a marker name such as `python_version`, found `{word}`"
                ))
            }
        }
    }
}

/// A comparison, `in`, or `not in`.
fn marker_operator(at: &mut Reader) -> Result<(), String> {
    let op = if at.peek().is_some_and(char::is_alphabetic) {
        at.take(|c| !c.is_whitespace() && c != '\'' && c != '"')
    } else {
        at.take(|c| matches!(c, '<' | '=' | '>' | '~' | '!'))
    };
    if op == "not" {
        if !at.peek().is_some_and(char::is_whitespace) {
            return Err("`not` in a marker must be followed by a space and `in`".to_string());
        }
        at.skip_space();
        return if at.eat('i') && at.eat('n') {
            Ok(())
        } else {
            Err("`not` in a marker must be followed by `in`".to_string())
        };
    }
    if matches!(op, "==" | "!=" | ">" | ">=" | "<" | "<=" | "~=" | "in") {
        Ok(())
    } else {
        Err(format!(
            "expected a marker comparison such as `>=` or `not in`, found `{op}`"
        ))
    }
}

/// A position in the text, moving forward a character at a time.
struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.at += c.len_utf8();
        }
    }

    fn eat(&mut self, wanted: char) -> bool {
        let here = self.peek() == Some(wanted);
        if here {
            self.bump();
        }
        here
    }

    /// The text from here while `keep` holds, moving past it.
    fn take(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let rest = &self.text[self.at..];
        let len = rest.find(|c| !keep(c)).unwrap_or(rest.len());
        self.at += len;
        &rest[..len]
    }

    fn skip_space(&mut self) {
        self.take(char::is_whitespace);
    }

    /// The first character after the white space from here.
    fn after_space(&self) -> Option<char> {
        self.text[self.at..].chars().find(|c| !c.is_whitespace())
    }

    /// After white space, `word` followed by white space (or nothing): moves past it.
    fn eat_word(&mut self, word: &str) -> bool {
        let rest = self.text[self.at..].trim_start();
        let Some(after) = rest.strip_prefix(word) else {
            return false;
        };
        if after.starts_with(|c: char| !c.is_whitespace()) {
            return false;
        }
        self.at = self.text.len() - after.len();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asks(text: &str) -> Asks {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}")).asks
    }

    #[test]
    fn names_extras_versions_and_urls() {
        let spec =
            parse("Scikit_Learn.Extra [gpu, docs] >= 1.2 , < 2 ; python_version >= '3.9'").unwrap();
        assert_eq!(spec.name, "scikit-learn-extra");
        assert!(matches!(spec.asks, Asks::Versions(v) if v.to_string() == ">=1.2, <2"));
        assert_eq!(asks("numpy"), Asks::Nothing);
        assert_eq!(asks("numpy ; sys_platform == 'linux'"), Asks::Nothing);
        assert!(matches!(asks("numpy (>=1.0)"), Asks::Versions(v) if v.len() == 1));
        assert_eq!(
            asks("pkg @ git+https://example.org/pkg@main ; os_name == 'nt'"),
            Asks::Url("git+https://example.org/pkg@main".into())
        );
        assert_eq!(asks("pkg@./vendor/pkg"), Asks::Url("./vendor/pkg".into()));
    }

    #[test]
    fn markers_are_checked_for_their_grammar() {
        for good in [
            "a; python_version < '3.8' and (sys_platform == 'win32' or os_name == \"nt\")",
            "a; 'linux' in sys_platform",
            "a; platform_machine not   in 'arm64 aarch64'",
            "a; extra == 'gpu'",
        ] {
            assert!(parse(good).is_ok(), "{good}");
        }
        for bad in [
            "a; python_version",
            "a; python_version <",
            "a; python_version === '3'",
            "a; version < '3'",
            "a; (python_version < '3'",
            "a; python_version < '3",
            "a; python_version < '3' xor os_name == 'nt'",
            "a; os_name == 'nt' and",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = format!(
            "a; {}python_version < '3'{}",
            "(".repeat(100),
            ")".repeat(100)
        );
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn malformed_lines_are_refused_with_a_reason() {
        for (bad, why) in [
            ("", "empty"),
            ("-e .", "must start with a letter or digit"),
            ("[x]", "must start with a package name"),
            ("a.==1", "end with a letter or digit"),
            ("a[gpu-]", "extra's name must end"),
            ("a[,]", "name of an extra"),
            ("a[b", "never closed"),
            ("numpy>=>1", "comparison operator"),
            ("numpy (>=1", "never closed"),
            ("numpy 1.0", "expected `@`"),
            ("requests-2.31.0.tar.gz", "is a file"),
            ("pkg @ https://x.org/a.whl; os_name == 'nt'", "put a space"),
            ("pkg @", "URL must follow"),
        ] {
            let error = parse(bad).expect_err(bad);
            assert!(error.contains(why), "{bad}: {error}");
        }
    }
}
