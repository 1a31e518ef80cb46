//! The notebook reader on arbitrary text: the JSON, its cells, then the Python in them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sciguard::settings::Settings;
use sciguard::SourceFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = sciguard::config::notebook::Notebook::parse(&text);
    let files = [SourceFile::new("fuzz.ipynb", text)];
    let _ = sciguard::check_files(&files, &Settings::default());
});
