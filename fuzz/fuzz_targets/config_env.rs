//! The env parser and its rules on arbitrary text, as the file `.env`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sciguard::settings::Settings;
use sciguard::SourceFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let files = [SourceFile::new(".env", text)];
    let _ = sciguard::check_files(&files, &Settings::default());
});
