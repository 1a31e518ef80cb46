//! Reading a baseline file (`sciguard check --baseline FILE`) from arbitrary bytes, read
//! as the CLI reads it; a baseline that parses is matched against findings, and what the
//! CLI would write back reads again.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sciguard::report::baseline::{render_baseline, Baseline, BaselineEntry};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Baseline::parse(text) {
        Ok(baseline) => {
            let entry = BaselineEntry {
                filename: "src/a.py".to_string(),
                code: "SCI101".to_string(),
                fingerprint: "0123456789abcdef".to_string(),
                line: 1,
                message: String::new(),
            };
            let _ = baseline.contains(&entry);
            let again = Baseline::parse(&render_baseline(vec![entry]));
            assert!(
                again.is_ok(),
                "a written baseline does not read back: {again:?}"
            );
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
