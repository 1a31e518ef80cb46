//! The Python check path on arbitrary bytes: read as the CLI reads a file (UTF-8, lossy
//! here), checked with every rule through the project API, fixes applied. A fix never
//! breaks a file that parsed: fixes that would not re-parse are withheld.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sciguard::settings::Settings;
use sciguard::SourceFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let files = [SourceFile::new("fuzz.py", text.clone())];
    for report in sciguard::check_files(&files, &Settings::default()) {
        let (fixed, applied) = sciguard::apply_fixes(&text, &report.findings);
        if applied > 0 && ruff_python_parser::parse_module(&text).is_ok() {
            assert!(
                ruff_python_parser::parse_module(&fixed).is_ok(),
                "a fix broke the file:\n{text}\n---\n{fixed}"
            );
        }
    }
});
