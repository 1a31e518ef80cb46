//! The site's share-link decoder on arbitrary URL fragments; what it decodes must encode
//! back to a link that decodes to the same text.
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
});
