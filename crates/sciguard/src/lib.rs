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
pub mod fix;
pub mod glob;
pub mod input;
pub mod project;
pub(crate) mod python;
pub mod report;
pub mod rules;
pub mod selection;
pub mod settings;
pub mod vocab;

pub use fix::apply_fixes;
pub use input::is_test_file;
pub use project::{
    check, check_files, check_project, check_python, Options, SourceFile, MAX_SYNTAX_ERRORS,
};
pub use vocab::{FileReport, Finding};
