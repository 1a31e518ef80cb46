//! The site's share-link decoder on arbitrary URL fragments; what it decodes must encode
//! back to a link that decodes to the same text, and a bundle (tabs, settings, finding)
//! read from a link must make a link that reads back the same.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let token = String::from_utf8_lossy(data);
    if let Some(text) = sciguard_site::share::decode(&token) {
        let again = sciguard_site::share::encode(&text);
        assert_eq!(
            sciguard_site::share::decode(&again).as_deref(),
            Some(text.as_str())
        );
    }
    if let Some(bundle) = sciguard_site::share::Bundle::from_token(&token) {
        let fragment = bundle.fragment();
        let token = fragment.strip_prefix("#/?s=").expect("a bundle link");
        assert_eq!(
            sciguard_site::share::Bundle::from_token(token).as_ref(),
            Some(&bundle)
        );
    }
});
