//! sciguard: security and reliability rules for scientific Python.
//!
//! The crate takes text and returns findings; it does no I/O, so the same code runs
//! in the CLI, in tests and benchmarks, and in the browser through WebAssembly.
//! Every front end goes through one door, the [`project`] API.
//!
//! ```
//! let settings = sciguard::settings::Settings::default();
//! let report = sciguard::check("model.py", "import numpy as np\nnp.load(f, allow_pickle=True)\n", &settings);
//! assert_eq!(report.findings[0].code, "SCI202");
//! ```

pub mod checklist;
pub mod config;
pub mod glob;
pub mod input;
pub mod project;
pub(crate) mod python;
pub mod report;
pub mod rules;
pub mod settings;
pub mod vocab;

pub use input::is_test_file;
pub use project::{check, check_files, check_python, SourceFile, MAX_SYNTAX_ERRORS};
pub use vocab::{FileReport, Finding};

/// Applies every fix of the given findings that does not overlap an earlier one.
/// Returns the new text and how many fixes were applied. Fixes whose ranges do not fit
/// this text (stale findings from an older version of it) are skipped.
pub fn apply_fixes(source: &str, findings: &[Finding]) -> (String, usize) {
    let mut fixes: Vec<&vocab::Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
    fixes.sort_by_key(|f| f.edits.first().map_or(0, |e| e.span.start_offset));
    let mut out = String::with_capacity(source.len());
    let mut cursor = 0;
    let mut applied = 0;
    for fix in fixes {
        let mut next = cursor;
        let mut pieces = Vec::with_capacity(fix.edits.len() * 2);
        let fits = fix.edits.iter().all(|edit| {
            let piece = (edit.span.start_offset >= next)
                .then(|| source.get(next..edit.span.start_offset))
                .flatten();
            let end_ok = source.is_char_boundary(edit.span.end_offset)
                && edit.span.end_offset <= source.len();
            next = edit.span.end_offset;
            match piece {
                Some(piece) if end_ok => {
                    pieces.push(piece);
                    pieces.push(edit.content.as_str());
                    true
                }
                _ => false,
            }
        });
        if fits {
            pieces.iter().for_each(|p| out.push_str(p));
            cursor = next;
            applied += 1;
        }
    }
    out.push_str(source.get(cursor..).unwrap_or(""));
    (out, applied)
}
