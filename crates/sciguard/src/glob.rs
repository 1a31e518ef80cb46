//! Path globs, as `.gitignore` and `[tool.sciguard]` patterns use them: `*` and `?` stay
//! within one folder, `**/` spans folders, `[…]` classes (`!` or `^` negates), `\` escapes.
//! Small and dependency-free, so the same matcher serves the CLI and the browser.

/// Whether `text` (a `/`-separated path) matches the glob `pattern`.
pub fn matches(pattern: &[char], text: &[char]) -> bool {
    match pattern.first() {
        None => text.is_empty(),
        Some('*') if pattern.get(1) == Some(&'*') => {
            let rest = &pattern[2..];
            match rest.first() {
                // `**` at the end: everything below.
                None => true,
                // `**/`: zero or more whole folders.
                Some('/') => {
                    let rest = &rest[1..];
                    matches(rest, text)
                        || text
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| **c == '/')
                            .any(|(i, _)| matches(rest, &text[i + 1..]))
                }
                // `**` inside a name is an ordinary `*`.
                Some(_) => matches(&pattern[1..], text),
            }
        }
        Some('*') => {
            let rest = &pattern[1..];
            (0..=text.len())
                .take_while(|i| *i == 0 || text[i - 1] != '/')
                .any(|i| matches(rest, &text[i..]))
        }
        Some('?') => text.first().is_some_and(|c| *c != '/') && matches(&pattern[1..], &text[1..]),
        Some('[') => match (class(&pattern[1..], text.first()), text.first()) {
            (Some((true, len)), Some(_)) => matches(&pattern[1 + len..], &text[1..]),
            (Some((false, _)), _) => false,
            // An unclosed `[` is an ordinary character.
            (None, Some('[')) => matches(&pattern[1..], &text[1..]),
            _ => false,
        },
        Some('\\') if pattern.len() > 1 => {
            text.first() == Some(&pattern[1]) && matches(&pattern[2..], &text[1..])
        }
        Some(c) => text.first() == Some(c) && matches(&pattern[1..], &text[1..]),
    }
}

/// Reads a `[…]` class (after the `[`): whether `c` is in it, and its length with the
/// closing `]`; `None` when the class is not closed.
fn class(pattern: &[char], c: Option<&char>) -> Option<(bool, usize)> {
    let (negated, start) = match pattern.first() {
        Some('!' | '^') => (true, 1),
        _ => (false, 0),
    };
    let mut i = start;
    let mut found = false;
    while i < pattern.len() {
        // A `]` right after the opening is a member, not the end.
        if pattern[i] == ']' && i > start {
            let hit = c.is_some_and(|c| *c != '/') && found != negated;
            return Some((hit, i + 1));
        }
        let low = pattern[i];
        if pattern.get(i + 1) == Some(&'-') && pattern.get(i + 2).is_some_and(|h| *h != ']') {
            let high = pattern[i + 2];
            found |= c.is_some_and(|c| (low..=high).contains(c));
            i += 3;
        } else {
            found |= c == Some(&low);
            i += 1;
        }
    }
    None
}

/// Why a pattern is not a valid glob, if it is not.
pub fn check(pattern: &str) -> Result<(), String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '[' => match class(&chars[i + 1..], None) {
                Some((_, len)) => i += 1 + len,
                None => return Err("unclosed character class `[`".into()),
            },
            _ => i += 1,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, path: &str) -> bool {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = path.chars().collect();
        matches(&p, &t)
    }

    #[test]
    fn stars_classes_and_folders() {
        assert!(m("*.py", "a.py"));
        assert!(!m("*.py", "src/a.py"));
        assert!(m("**/*.py", "src/a.py"));
        assert!(m("**/*.py", "a.py"));
        assert!(m("scripts/**", "scripts/x/y.py"));
        assert!(m("test_?.py", "test_1.py"));
        assert!(m("[ab].py", "b.py"));
        assert!(!m("[!ab].py", "b.py"));
        assert!(check("a[.py").is_err());
        assert!(check("a[bc].py").is_ok());
    }
}
