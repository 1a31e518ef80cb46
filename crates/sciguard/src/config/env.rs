//! `.env` files: `KEY=value`, `export KEY=value`, quoted values, `#` comments. The
//! format has no specification and no crate that keeps positions, so it is read here.

use super::{unquote, ConfigError, Entry, ParsedConfig, Scalar};

/// At most this many malformed lines are reported; the rest are counted.
const MAX_ERRORS: usize = 20;

/// Parses a `.env` file.
pub fn parse(text: &str) -> ParsedConfig {
    let mut parsed = ParsedConfig::default();
    let mut offset = 0;
    let mut bad = 0usize;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let start = offset;
        offset += raw.len();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = line.len() - trimmed.len();
        let (body, skipped) = match trimmed.strip_prefix("export ") {
            Some(rest) => (rest.trim_start(), trimmed.len() - rest.trim_start().len()),
            None => (trimmed, 0),
        };
        let key_start = start + lead + skipped;
        let Some((key, rest)) = body.split_once('=').filter(|(k, _)| !k.trim().is_empty()) else {
            bad += 1;
            if bad <= MAX_ERRORS {
                parsed.errors.push(ConfigError {
                    message: format!("Expected `KEY=value`, found `{}`", shorten(trimmed)),
                    range: start..start + line.len(),
                });
            }
            continue;
        };
        let key = key.trim_end();
        // An unquoted value ends at ` #`; a quoted one at its closing quote.
        let value_text = if rest.trim_start().starts_with(['"', '\'']) {
            rest.trim()
        } else {
            rest.split(" #").next().unwrap_or(rest).trim()
        };
        let (value, quote) = unquote(value_text);
        let lead_in_rest = rest.len() - rest.trim_start().len();
        let value_start = key_start + body.find('=').unwrap_or(0) + 1 + lead_in_rest + quote;
        parsed.entries.push(Entry {
            section: Vec::new(),
            key: key.to_string(),
            value: Scalar::Text(value.to_string()),
            key_range: key_start..key_start + key.len(),
            value_range: value_start..value_start + value.len(),
        });
    }
    parsed.errors_not_kept = bad.saturating_sub(MAX_ERRORS);
    parsed
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.trim_end().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_values_and_positions() {
        let text = "# settings\nexport API_KEY=\"sk-live-123\"\nDEBUG=1 # on\nEMPTY=\n";
        let parsed = parse(text);
        assert!(parsed.errors.is_empty());
        assert_eq!(parsed.entries.len(), 3);
        let key = &parsed.entries[0];
        assert_eq!(&text[key.key_range.clone()], "API_KEY");
        assert_eq!(&text[key.value_range.clone()], "sk-live-123");
        assert_eq!(parsed.entries[1].value, Scalar::Text("1".into()));
        assert_eq!(parsed.entries[2].value, Scalar::Text(String::new()));
    }
}
