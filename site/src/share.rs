//! Share links: the playground's text, compressed, in the URL fragment (never sent to a server).

use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Largest text a link may expand to (a guard against decompression bombs).
pub const MAX_SHARED_BYTES: usize = 16 << 20;

/// Compresses text into a URL-safe token.
pub fn encode(text: &str) -> String {
    let packed = compress_to_vec(text.as_bytes(), 9);
    let mut out = String::with_capacity(packed.len() * 4 / 3 + 4);
    for chunk in packed.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Expands a token made by [`encode`]; `None` if it is damaged or too large.
pub fn decode(token: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(token.len() * 3 / 4);
    for chunk in token.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let v = ALPHABET.iter().position(|a| a == c)? as u32;
            n |= v << (18 - 6 * i);
        }
        for i in 0..chunk.len().saturating_sub(1) {
            bytes.push((n >> (16 - 8 * i)) as u8);
        }
    }
    let text = decompress_to_vec_with_limit(&bytes, MAX_SHARED_BYTES).ok()?;
    String::from_utf8(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_any_text() {
        for text in [
            "",
            "a",
            "ab",
            "abc",
            "import numpy as np\nnp.load(f, allow_pickle=True)\n",
            "caf\u{e9} \u{1F600}\n",
        ] {
            let token = encode(text);
            assert!(token.bytes().all(|b| ALPHABET.contains(&b)), "{token}");
            assert_eq!(decode(&token).as_deref(), Some(text));
        }
    }

    #[test]
    fn damaged_tokens_are_refused() {
        assert_eq!(decode("!!!"), None);
        assert_eq!(decode("AAAA"), None);
    }
}
