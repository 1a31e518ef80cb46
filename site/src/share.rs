//! Share links: the playground's tabs, compressed, in the URL fragment (never sent to a
//! server). A link (`#/?s=…`) carries a [`Bundle`]: every open tab with its name and
//! kind, the tab shown, the rule settings and, optionally, the finding selected. Links
//! made before tabs (`#/?code=…&name=…&kind=…`, one text) still open ([`Bundle::legacy`]).
//! A bundle too long for a link is downloaded as a [`BUNDLE_SUFFIX`] file instead, which
//! the playground opens again like any file.

use crate::rule_settings::RuleSettings;
use crate::tabs::Tabs;
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;
use sciguard::input::SourceKind;
use sciguard::SourceFile;
use serde::{Deserialize, Serialize};

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

/// The longest link offered. RFC 9110 (section 4.1) recommends that every sender and
/// recipient of a URI support at least 8,000 octets; past that, mail clients, chat tools
/// and wikis are free to cut a link short, and a cut link opens nothing. Longer bundles
/// are offered as a file instead.
pub const MAX_LINK_CHARS: usize = 8_000;

/// The file name ending of a downloaded bundle; the playground opens such a file as the
/// tabs and settings it holds.
pub const BUNDLE_SUFFIX: &str = ".sciguard.json";

/// The tab a link made before tabs opens in when it names none (no extension: the
/// kind is detected from the text).
const LEGACY_NAME: &str = "shared";

/// What a share link carries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    /// The open tabs, in order.
    pub files: Vec<SharedFile>,
    /// The index of the tab shown.
    #[serde(default)]
    pub active: usize,
    /// The rule settings in force; `None` in links made before settings existed, which
    /// leave the receiver's settings alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<RuleSettings>,
    /// The finding selected in the tab shown, if one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<SharedFinding>,
}

/// One tab of a [`Bundle`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedFile {
    /// The tab's name (a path); it drives kind detection.
    pub path: String,
    /// Its text.
    pub text: String,
    /// The kind chosen for it; `None` detects it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceKind>,
}

/// A finding to select once the tabs are checked: its code and line in the tab shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedFinding {
    /// The rule's code (`SCI202`).
    pub code: String,
    /// The line it starts on (1-based).
    pub line: usize,
}

/// The share parameters of a playground address: `s` (a bundle), or `code`, `name` and
/// `kind` (links made before tabs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    /// The single text of a link made before tabs (`code=`).
    pub code: Option<String>,
    /// Its name (`name=`, decoded).
    pub name: Option<String>,
    /// Its kind key (`kind=`).
    pub kind: Option<String>,
    /// A bundle's token (`s=`).
    pub bundle: Option<String>,
}

impl Link {
    /// What the link holds: `None` when the address has no share link, `Some(None)`
    /// when it is damaged or too large.
    pub fn bundle(&self) -> Option<Option<Bundle>> {
        if let Some(token) = &self.bundle {
            return Some(Bundle::from_token(token));
        }
        let text = decode(self.code.as_deref()?);
        Some(text.map(|text| Bundle::legacy(text, self.name.as_deref(), self.kind.as_deref())))
    }
}

impl Bundle {
    /// The playground's tabs and settings, and the finding selected.
    pub fn of(tabs: &Tabs, settings: RuleSettings, finding: Option<SharedFinding>) -> Bundle {
        Bundle {
            files: tabs
                .tabs
                .iter()
                .map(|t| SharedFile {
                    path: t.name.clone(),
                    text: t.text.to_string(),
                    kind: t.kind,
                })
                .collect(),
            active: tabs.active,
            settings: Some(settings),
            finding,
        }
    }

    /// A link made before tabs: one text, with its name and kind when it gave them.
    pub fn legacy(text: String, name: Option<&str>, kind: Option<&str>) -> Bundle {
        let path = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(LEGACY_NAME);
        Bundle {
            files: vec![SharedFile {
                path: path.to_string(),
                text,
                kind: kind.and_then(SourceKind::from_key),
            }],
            ..Bundle::default()
        }
    }

    /// The bundle as JSON (a downloaded [`BUNDLE_SUFFIX`] file holds this).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a bundle's JSON; `None` unless it holds at least one tab.
    pub fn from_json(json: &str) -> Option<Bundle> {
        let mut bundle: Bundle = serde_json::from_str(json).ok()?;
        if bundle.files.is_empty() {
            return None;
        }
        bundle.active = bundle.active.min(bundle.files.len() - 1);
        Some(bundle)
    }

    /// The fragment of a link to this bundle (`#/?s=…`).
    pub fn fragment(&self) -> String {
        format!("#/?s={}", encode(&self.to_json()))
    }

    /// Reads the `s=` token of a link; `None` if it is damaged or too large.
    pub fn from_token(token: &str) -> Option<Bundle> {
        Bundle::from_json(&decode(token)?)
    }

    /// The tabs to open.
    pub fn source_files(&self) -> Vec<SourceFile> {
        self.files
            .iter()
            .map(|f| SourceFile {
                path: f.path.clone(),
                text: f.text.clone(),
                kind: f.kind,
                display: None,
            })
            .collect()
    }
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

    fn two_tabs() -> Bundle {
        let tabs = Tabs::new(
            vec![
                SourceFile::new("train.py", "import torch\nmodel = torch.load(p)\n"),
                SourceFile {
                    kind: Some(SourceKind::Requirements),
                    ..SourceFile::new("deps", "torch==2.4.1\n")
                },
            ],
            1,
        );
        let settings = RuleSettings {
            ignore: vec!["SCI218".into()],
            severity: Some(sciguard::report::Severity::Medium),
            ..RuleSettings::default()
        };
        let finding = SharedFinding {
            code: "SCI503".into(),
            line: 1,
        };
        Bundle::of(&tabs, settings, Some(finding))
    }

    #[test]
    fn bundles_round_trip_through_links_and_files() {
        let bundle = two_tabs();
        let fragment = bundle.fragment();
        let token = fragment.strip_prefix("#/?s=").expect("an s= link");
        assert_eq!(Bundle::from_token(token), Some(bundle.clone()));
        assert_eq!(Bundle::from_json(&bundle.to_json()), Some(bundle.clone()));
        let files = bundle.source_files();
        assert_eq!(files[1].path, "deps");
        assert_eq!(files[1].kind, Some(SourceKind::Requirements));
        assert_eq!(bundle.active, 1);
        // Defaults are left out of the link, which keeps it short; default settings
        // are written, since they replace the receiver's.
        let tabs = Tabs::new(vec![SourceFile::new("a.py", "x = 1\n")], 0);
        let plain = Bundle::of(&tabs, RuleSettings::default(), None);
        assert_eq!(
            plain.to_json(),
            r#"{"files":[{"path":"a.py","text":"x = 1\n"}],"active":0,"settings":{}}"#
        );
        assert_eq!(Bundle::from_json(&plain.to_json()), Some(plain));
    }

    #[test]
    fn links_made_before_tabs_still_open() {
        // A token as the single-text links made it (raw deflate, URL-safe base64).
        let old = "yyvNLai0tTXUMzLTM-EqyS9KzrC1NdIz0TPkAgA";
        let text = decode(old).expect("an old token");
        assert_eq!(text, "numpy==1.26.4\ntorch==2.4.1\n");
        let bundle = Bundle::legacy(text, Some(" dev requirements.txt "), Some("requirements"));
        assert_eq!(bundle.files[0].path, "dev requirements.txt");
        assert_eq!(bundle.files[0].kind, Some(SourceKind::Requirements));
        assert_eq!(bundle.settings, None, "the receiver's settings stay");
        let unnamed = Bundle::legacy(String::new(), None, Some("nonsense"));
        assert_eq!(unnamed.files[0].path, "shared");
        assert_eq!(unnamed.files[0].kind, None);
    }

    #[test]
    fn an_address_gives_its_bundle_whichever_format() {
        assert_eq!(Link::default().bundle(), None);
        let old = Link {
            code: Some(encode("import os\n")),
            name: Some("a.py".into()),
            ..Link::default()
        };
        let from_old = old.bundle().flatten().expect("an old link opens");
        assert_eq!(from_old.files[0].path, "a.py");
        let bundle = two_tabs();
        let token = bundle.fragment()["#/?s=".len()..].to_string();
        let new = Link {
            bundle: Some(token),
            ..old.clone()
        };
        assert_eq!(new.bundle(), Some(Some(bundle)));
        let damaged = Link {
            code: Some("!!".into()),
            ..Link::default()
        };
        assert_eq!(damaged.bundle(), Some(None));
    }

    /// What the `share_link` fuzz target asserts, on hand-made bundles: one read from a
    /// link makes a link that reads back the same (unknown fields and a shown tab past
    /// the end included).
    #[test]
    fn a_bundle_read_from_a_link_makes_the_same_link() {
        for json in [
            r#"{"files":[{"path":"a","text":"x"}],"active":9,"extra":1}"#,
            r#"{"files":[{"path":"","text":"\u0000\ud83d\ude00","kind":"notebook"}],"settings":{"severity":"info"},"finding":{"code":"","line":0}}"#,
        ] {
            let bundle = Bundle::from_token(&encode(json)).expect("a bundle");
            let fragment = bundle.fragment();
            let token = fragment.strip_prefix("#/?s=").expect("a bundle link");
            assert_eq!(Bundle::from_token(token), Some(bundle));
        }
    }

    #[test]
    fn damaged_or_empty_bundles_are_refused() {
        assert_eq!(Bundle::from_token("!!!"), None);
        assert_eq!(Bundle::from_token(&encode("{}")), None);
        assert_eq!(Bundle::from_token(&encode(r#"{"files":[]}"#)), None);
        let clamped = Bundle::from_json(r#"{"files":[{"path":"a","text":""}],"active":7}"#);
        assert_eq!(clamped.map(|b| b.active), Some(0));
    }
}
