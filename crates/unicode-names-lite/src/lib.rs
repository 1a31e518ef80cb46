//! The one function of `unicode_names2` that `ruff_python_parser` calls: the character a
//! `\N{NAME}` escape in a string literal stands for.
//!
//! sciguard's rules never look at the character an escape names, and the full name
//! tables were 0.49 MB of the site's 1.65 MB (gzip) of WebAssembly. So this stand-in answers for
//! every name that is well formed as a Unicode character name (letters, digits, spaces
//! and hyphens, starting with a letter, at most 88 characters, which is the longest
//! name), with U+FFFD. The cost: an escape with a well-formed but unknown name
//! (`"\N{NO SUCH THING}"`) is not reported as a syntax error.

/// The longest Unicode character name, or alias, in characters.
const LONGEST_NAME: usize = 88;

/// `Some('\u{FFFD}')` for a well-formed character name, `None` otherwise (the parser then
/// reports the escape as a syntax error).
pub fn character(name: &str) -> Option<char> {
    let well_formed = name.len() <= LONGEST_NAME
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && !name.ends_with([' ', '-'])
        && !name.contains("  ")
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-');
    well_formed.then_some(char::REPLACEMENT_CHARACTER)
}

#[cfg(test)]
mod tests {
    use super::character;

    #[test]
    fn well_formed_names_are_accepted_in_any_case() {
        for name in [
            "DEGREE SIGN",
            "greek small letter alpha",
            "LATIN CAPITAL LETTER A WITH MACRON AND GRAVE",
            "CJK UNIFIED IDEOGRAPH-4E00",
            "HANGUL SYLLABLE GA",
            "BOX DRAWINGS LIGHT DIAGONAL UPPER CENTRE TO MIDDLE LEFT AND MIDDLE RIGHT TO LOWER CENTRE",
        ] {
            assert_eq!(character(name), Some('\u{FFFD}'), "{name}");
        }
    }

    #[test]
    fn malformed_names_are_refused() {
        for name in [
            "",
            " SPACE",
            "DEGREE SIGN ",
            "DEGREE  SIGN",
            "4E00",
            "SNOW_MAN",
            "é",
            "A}",
        ] {
            assert_eq!(character(name), None, "{name:?}");
        }
        assert_eq!(character(&"A".repeat(89)), None);
    }
}
