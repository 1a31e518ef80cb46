//! The site's share-link decoders on arbitrary URL fragments and bundle files: what a
//! link made before tabs decodes to must encode back to a link that decodes to the same
//! text, and a bundle (`s=` links, `.sciguard.json` downloads) must survive the round
//! trip unchanged.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sciguard_site::share::{decode, encode, Bundle};

fuzz_target!(|data: &[u8]| {
    let token = String::from_utf8_lossy(data);
    if let Some(text) = decode(&token) {
        let again = encode(&text);
        assert_eq!(decode(&again).as_deref(), Some(text.as_str()));
    }
    for bundle in [Bundle::from_token(&token), Bundle::from_json(&token)]
        .into_iter()
        .flatten()
    {
        let again = Bundle::from_token(&encode(&bundle.to_json()));
        assert_eq!(again.as_ref(), Some(&bundle));
        let _ = bundle.source_files();
    }
});
