//! Inputs the fuzz targets (`fuzz/`) found crashing, minimized: each must give a result or
//! a clear message, never a panic.

use sciguard::settings::Settings;
use sciguard::SourceFile;

fn check(path: &str, text: &str) -> Vec<sciguard::report::Finding> {
    let files = [SourceFile::new(path, text)];
    sciguard::check_files(&files, &Settings::default())
        .remove(0)
        .findings
}

/// config_requirements: pep508_rs panicked on a package name ending in `.`, `-` or `_`
/// followed by more text (`iopwll0.==.212` in the crasher).
#[test]
fn a_requirement_name_ending_in_punctuation_is_an_error() {
    for name in ["iopwll0.", "torch-", "numpy_"] {
        for (path, text) in [
            ("requirements.txt", format!("{name}==.212\nflask\n")),
            (
                "pyproject.toml",
                format!("[project]\nname = \"x\"\ndependencies = [\"{name}==1\", \"flask\"]\n"),
            ),
            (
                "setup.cfg",
                format!("[options]\ninstall_requires =\n    {name} >=1\n    flask\n"),
            ),
            (
                "environment.yml",
                format!("dependencies:\n  - pip:\n    - {name}==1\n    - flask\n"),
            ),
            // config_yaml's crasher: a conda match spec (`yonh- pt=3.8.5`).
            (
                "environment.yml",
                format!("dependencies:\n  - {name} pt=3.8.5\n  - flask\n"),
            ),
        ] {
            let findings = check(path, &text);
            let errors: Vec<&str> = findings
                .iter()
                .filter(|f| f.code == "SCI000")
                .map(|f| f.message.as_str())
                .collect();
            assert_eq!(errors.len(), 1, "{path}: {findings:#?}");
            assert!(
                errors[0].contains("must end with a letter or digit"),
                "{path}: {}",
                errors[0]
            );
        }
    }
    // Names that end well, or end the text, are read as before.
    for text in ["a.b==1\n", "torch\n", "x_y-z.w >=1\n"] {
        let findings = check("requirements.txt", text);
        assert!(
            findings.iter().all(|f| f.code != "SCI000"),
            "{text}: {findings:#?}"
        );
    }
    let findings = check("requirements.txt", "torch-\n");
    assert_eq!(
        findings.iter().filter(|f| f.code == "SCI000").count(),
        1,
        "{findings:#?}"
    );
}

/// config_requirements and config_ini: pep508_rs panicked slicing inside a character that
/// is not ASCII after a complete environment marker (`python_version < "3.11"\u{e1}`).
#[test]
fn a_marker_with_a_character_that_is_not_ascii_is_an_error() {
    for spec in [
        "tomli>=4.0; python_version < \"3.11\"\u{e1}",
        "tomli>=4.0; python_version < \"3.11\" \u{e1}",
        "tomli @ https://example.org/t.whl ; python_version < \"3.11\"\u{e1}",
    ] {
        for (path, text) in [
            ("requirements.txt", format!("{spec}\nflask\n")),
            (
                "setup.cfg",
                format!("[options]\ninstall_requires =\n    {spec}\n    flask\n"),
            ),
        ] {
            let findings = check(path, &text);
            let errors: Vec<&str> = findings
                .iter()
                .filter(|f| f.code == "SCI000")
                .map(|f| f.message.as_str())
                .collect();
            assert_eq!(errors.len(), 1, "{path}: {findings:#?}");
            assert!(errors[0].contains("marker"), "{}", errors[0]);
        }
    }
    // In a URL, such characters are read as before.
    for text in [
        "tomli @ https://example.org/\u{e1}.whl\n",
        "tomli @ https://example.org/x;\u{e1}.whl\n",
    ] {
        let findings = check("requirements.txt", text);
        assert!(
            findings.iter().all(|f| f.code != "SCI000"),
            "{text}: {findings:#?}"
        );
    }
}

/// config_requirements and config_ini (the 10-minute runs): the same panic in a marker of
/// a requirement that is not a URL requirement but has an `@` further on, or where the
/// character stands in a quote (`sUU;
/// sys_platform == "linux" git+ht\u{fffd}…@main`, `tomli>=2.0; python_version <
/// "C3.11"ate@\u{fffd}ion` in the crashers): the `@` made the check look for a URL
/// requirement's marker, and it found none.
#[test]
fn a_marker_before_an_at_sign_is_read_as_a_marker() {
    for spec in [
        "sUU; sys_platform == \"linux\" x\u{e1} @",
        "sUU; sys_platform == \"linux\" git+ht\u{fffd}//github.com/org/f@main#egg=f",
        "tomli>=2.0; python_version < \"C3.11\"ate@\u{fffd}ion",
        // config_ini, again: after a complete marker, a word whose quote never closes.
        "tomli>=2.0; python_version < \"3\tot\"2.11\"atplot\u{fffd}lib>=3.8",
        // Inside quotes too: the word after a marker is sliced wherever it stands.
        "tomli; python_version < \"3.11\" x\"\u{e1}\"",
        "numpy[gpu] ; os_name == \"nt\" \u{e1}@x",
        "tomli [a] @ https://example.org/t.whl ; python_version < \"3.11\"\u{e1}",
    ] {
        for (path, text) in [
            ("requirements.txt", format!("{spec}\nflask\n")),
            (
                "setup.cfg",
                format!("[options]\ninstall_requires =\n    {spec}\n    flask\n"),
            ),
        ] {
            let findings = check(path, &text);
            let errors: Vec<&str> = findings
                .iter()
                .filter(|f| f.code == "SCI000")
                .map(|f| f.message.as_str())
                .collect();
            assert_eq!(errors.len(), 1, "{path}: {spec}: {findings:#?}");
            assert!(errors[0].contains("marker"), "{}", errors[0]);
        }
    }
}

/// A version with a character that is not ASCII, inside a marker's quotes, is well formed
/// (PEP 508 leaves a marker's values free; only evaluating it would find no such version),
/// and no longer stops the reading.
#[test]
fn a_marker_value_with_a_character_that_is_not_ascii_is_read() {
    let spec = "tomli>=4.0; python_version < \"3.1\u{e1}1\"";
    for (path, text) in [
        ("requirements.txt", format!("{spec}\nflask\n")),
        (
            "setup.cfg",
            format!("[options]\ninstall_requires =\n    {spec}\n    flask\n"),
        ),
    ] {
        let findings = check(path, &text);
        assert!(
            findings.iter().all(|f| f.code != "SCI000"),
            "{path}: {findings:#?}"
        );
    }
}

/// config_requirements: pep508_rs panicked on an extra ending in `.`, `-` or `_`
/// (`firet[sd-` in the crasher).
#[test]
fn an_extra_ending_in_punctuation_is_an_error() {
    for spec in [
        "firet[sd-",
        "torch[gpu-]",
        "torch[cpu, gpu_] >=2",
        "torch [gpu.]",
    ] {
        let findings = check("requirements.txt", &format!("{spec}\nflask\n"));
        let errors: Vec<&str> = findings
            .iter()
            .filter(|f| f.code == "SCI000")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(errors.len(), 1, "{spec}: {findings:#?}");
        assert!(
            errors[0].contains("must end with a letter or digit"),
            "{}",
            errors[0]
        );
    }
    for spec in ["torch[gpu]", "torch[cpu, gpu-x] >=2", "torch [a.b]"] {
        let findings = check("requirements.txt", &format!("{spec}\n"));
        assert!(
            findings.iter().all(|f| f.code != "SCI000"),
            "{spec}: {findings:#?}"
        );
    }
}

/// notebook: ruff_python_parser panicked ("IPython escape command expression is only
/// allowed for % and !") when recovery from an unclosed bracket re-read a line starting
/// with `,` (an IPython auto-call escape) as an expression.
#[test]
fn an_auto_call_escape_after_an_unclosed_bracket_is_a_syntax_error() {
    for cell in ["import {ys\n,,,,\n", "import {a\n;b\n", "import {ys\n?x\n"] {
        let notebook = serde_json::json!({
            "cells": [
                {"cell_type": "code", "source": cell, "metadata": {}, "outputs": [], "execution_count": null},
                {"cell_type": "code", "source": "import pickle\npickle.loads(b)\n", "metadata": {}, "outputs": [], "execution_count": null}
            ],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5
        });
        let findings = check("analysis.ipynb", &notebook.to_string());
        let codes: Vec<_> = findings.iter().map(|f| f.code.as_str()).collect();
        assert!(codes.contains(&"SCI000"), "{cell:?}: {codes:?}");
        // The next cell is still checked.
        assert!(codes.iter().any(|c| *c != "SCI000"), "{cell:?}: {codes:?}");
    }
}
