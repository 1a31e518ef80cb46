//! Hostile and huge inputs: a result or a clear message, never a panic or a hang.

use sciguard::report::Severity;
use sciguard::rules::{Registry, RuleSet};

fn check(source: &str) -> Vec<sciguard::report::Finding> {
    let registry = Registry::builtin();
    sciguard::check_python(source, registry, &RuleSet::all(registry))
}

/// Runs on a thread with a known, modest stack, like a browser worker's.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic, no stack overflow")
}

#[test]
fn deeply_nested_brackets_are_refused_clearly() {
    for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
        let source = format!(
            "import pickle\nx = {}1{}\npickle.loads(b)\n",
            open.repeat(100_000),
            close.repeat(100_000)
        );
        let findings = on_small_stack(move || check(&source));
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].code, "SCI000");
        assert!(findings[0].message.contains("nested brackets"));
        assert_eq!(findings[0].span.start.row, 2);
        // CPython refuses the file too: an error in the code, not a limit of sciguard's.
        assert_eq!(findings[0].severity, Severity::Medium);
        assert!(findings[0].message.contains("Python refuses this"));
    }
}

#[test]
fn deep_nesting_without_brackets_is_bounded() {
    // 300 unary operators: Python takes it, and the walk stops at its limit of 200 levels.
    let unary = format!("import pickle\nx = {}1\npickle.loads(b)\n", "-".repeat(300));
    let findings = on_small_stack(move || check(&unary));
    let found: Vec<_> = findings
        .iter()
        .map(|f| (f.code.as_str(), f.severity))
        .collect();
    assert_eq!(
        found,
        [("SCI000", Severity::Info), ("SCI201", Severity::High)],
        "{findings:#?}"
    );
    assert!(findings[0].message.contains("sciguard's limit of 200"));
    // 100,000 of them: the parser would need that many frames, more than a browser's
    // stack holds, so the file is refused before parsing, with a note on sciguard's limit.
    let unary = format!(
        "import pickle\nx = {}1\npickle.loads(b)\n",
        "-".repeat(100_000)
    );
    let findings = on_small_stack(move || check(&unary));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(
        (findings[0].severity, findings[0].span.start.row),
        (Severity::Info, 2)
    );
    assert!(findings[0]
        .message
        .contains("nests more than 1000 operators"));
    // A chain of 100,000 binary operators is written flat: it is walked to the end.
    let chain = format!(
        "import pickle\nx = {}1\npickle.loads(b)\n",
        "1 + ".repeat(100_000)
    );
    let findings = on_small_stack(move || check(&chain));
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["SCI201"], "{findings:#?}");
}

#[test]
fn deep_blocks_are_a_syntax_error_python_reports_too() {
    let nested = |levels: usize| {
        let mut source = String::from("import pickle\n");
        for depth in 0..levels {
            source.push_str(&format!("{}if x:\n", " ".repeat(depth)));
        }
        source.push_str(&format!("{}pickle.loads(b)\n", " ".repeat(levels)));
        source
    };
    // CPython takes 99 nested blocks; sciguard checks them to the bottom.
    let findings = on_small_stack(move || check(&nested(99)));
    let found: Vec<_> = findings
        .iter()
        .map(|f| (f.code.as_str(), f.span.start.row))
        .collect();
    assert_eq!(found, [("SCI201", 101)], "{findings:#?}");
    // 100 or 5,000 (more than a browser's stack holds): "too many levels of indentation",
    // as CPython says.
    for levels in [100, 5_000] {
        let findings = on_small_stack(move || check(&nested(levels)));
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(
            (findings[0].code.as_str(), findings[0].severity),
            ("SCI000", Severity::Medium)
        );
        assert!(findings[0].message.contains("levels of indentation"));
    }
}

#[test]
fn long_flat_chains_are_not_nesting() {
    let terms = |format: &dyn Fn(usize) -> String, separator: &str| {
        (0..1_000).map(format).collect::<Vec<_>>().join(separator)
    };
    let name = |i| format!("a{i}");
    let string = |i| format!("'s{i}'");
    let chains = [
        terms(&name, " + "),
        terms(&name, " * 2 - "),
        terms(&name, " and "),
        terms(&name, " or not "),
        terms(&name, " < "),
        terms(&string, " + "),
        terms(&string, " "),
        format!("frame{}", ".dropna().loc[0]".repeat(1_000)),
        format!("frame{}", ".assign(y=1).pipe(f)".repeat(1_000)),
    ];
    for chain in chains {
        let source = format!("x = {chain}\nresult = eval(input())\n");
        let findings = on_small_stack(move || check(&source));
        let found: Vec<_> = findings
            .iter()
            .map(|f| (f.code.as_str(), f.span.start.row))
            .collect();
        assert_eq!(found, [("SCI211", 2)], "{}", &chain[..60]);
    }
    // Inside a call, the chain is still one level, and the call is still checked.
    let source = format!(
        "import numpy as np\nx = np.load({}, allow_pickle=True)\n",
        terms(&name, " + ")
    );
    let findings = on_small_stack(move || check(&source));
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["SCI202"], "{findings:#?}");
}

#[test]
fn a_huge_call_is_reported_without_a_fix() {
    // Re-parsing its fix would build a 20,000-level tree, too deep to drop in a browser.
    let source = format!(
        "import numpy as np\nx = np.load({}a, allow_pickle=True)\n",
        "a + ".repeat(20_000)
    );
    let findings = on_small_stack(move || check(&source));
    let found: Vec<_> = findings
        .iter()
        .map(|f| (f.code.as_str(), f.fix.is_some()))
        .collect();
    assert_eq!(found, [("SCI202", false)], "{findings:#?}");
    // An ordinary call keeps its fix.
    let findings = check("import numpy as np\nx = np.load(f, allow_pickle=True)\n");
    assert!(findings[0].fix.is_some(), "{findings:#?}");
}

#[test]
fn nesting_past_sciguard_limit_is_one_info_finding() {
    // Valid Python (CPython takes 99 nested blocks and 200 nested brackets) that is more
    // than 200 levels deep in all: 60 blocks, an assignment and 150 nested lists.
    let mut source = String::from("import pickle\n");
    for depth in 0..60 {
        source.push_str(&format!("{}if x:\n", " ".repeat(depth)));
    }
    source.push_str(&format!(
        "{}y = {}1{}\n",
        " ".repeat(60),
        "[".repeat(150),
        "]".repeat(150)
    ));
    source.push_str("pickle.loads(b)\n");
    let findings = on_small_stack(move || check(&source));
    let found: Vec<_> = findings
        .iter()
        .map(|f| (f.code.as_str(), f.span.start.row, f.severity))
        .collect();
    assert_eq!(
        found,
        [
            ("SCI000", 62, Severity::Info),
            ("SCI201", 63, Severity::High)
        ],
        "{findings:#?}"
    );
    assert!(
        findings[0]
            .message
            .starts_with("sciguard did not check line 62:")
            && findings[0].message.contains("not an error in the code"),
        "{}",
        findings[0].message
    );
    // Summaries do not count it as a syntax error; the checklist does not ask to fix it.
    assert!(!findings[0].is_syntax_error());
    let report = sciguard::FileReport {
        filename: "deep.py".into(),
        findings,
        source: String::new(),
        unchecked: None,
    };
    let summary = sciguard::report::Summary::of(std::slice::from_ref(&report));
    assert_eq!((summary.syntax_errors, summary.per_severity[0]), (0, 1));
    let card = sciguard::checklist::Scorecard::of(&report.findings, 63);
    assert_eq!(card.syntax_errors, 0);
}

#[test]
fn syntax_errors_keep_their_severity_and_the_cap_on_them_is_info() {
    let findings = check("total = 1 +\nprint(total)\n");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(
        (findings[0].code.as_str(), findings[0].severity),
        ("SCI000", Severity::Medium)
    );
    assert!(findings[0].message.starts_with("Syntax error: "));
    // More than the cap: the first ones, then one note at info severity.
    let source = "def f(:\n".repeat(sciguard::MAX_SYNTAX_ERRORS + 5);
    let findings = check(&source);
    let (shown, notes): (Vec<_>, Vec<_>) = findings
        .iter()
        .filter(|f| f.code == "SCI000")
        .partition(|f| f.severity != Severity::Info);
    assert_eq!(shown.len(), sciguard::MAX_SYNTAX_ERRORS, "{findings:#?}");
    assert!(shown
        .iter()
        .all(|f| f.message.starts_with("Syntax error: ")));
    assert_eq!(notes.len(), 1, "{findings:#?}");
    assert!(
        notes[0].message.contains("did not show"),
        "{}",
        notes[0].message
    );
    assert!(notes[0].span.start.row > shown[shown.len() - 1].span.start.row);
}

#[test]
fn binary_junk_gives_syntax_errors_not_a_panic() {
    let mut junk = String::new();
    let mut state: u32 = 12345;
    for _ in 0..200_000 {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        junk.push(char::from_u32((state >> 16) % 0x2FF + 1).unwrap_or('?'));
    }
    let findings = on_small_stack(move || check(&junk));
    let syntax: Vec<_> = findings.iter().filter(|f| f.code == "SCI000").collect();
    assert!(!syntax.is_empty());
    assert!(
        syntax.len() <= sciguard::MAX_SYNTAX_ERRORS + 1,
        "{}",
        syntax.len()
    );
}

#[test]
fn a_ten_megabyte_file_is_checked() {
    let block = "import numpy as np\n\ndef step(x, rng):\n    y = np.tanh(x) * rng.normal(size=x.shape)\n    return y.sum()\n\n";
    let mut source = String::new();
    while source.len() < 10 << 20 {
        source.push_str(block);
    }
    source.push_str("np.load(f, allow_pickle=True)\n");
    let lines = source.lines().count();
    let findings = check(&source);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].span.start.row, lines);
}

#[test]
fn odd_text_is_handled() {
    for source in [
        "",
        "\n\n\n",
        "\u{feff}import os\n",
        "x = '\u{1F600}'; import os; os.system(c)\n",
        "\r\nimport os\r\nos.system(c)\r\n",
        "def f(:\n",
        "'''unterminated",
        "\t\t  \x0c\n",
        "if x:\n\tpass\n        pass\n",
    ] {
        let _ = check(source);
    }
    // Columns count characters, not bytes.
    let findings = check("x = '\u{1F600}'; import os; os.system(c)\n");
    let f = findings
        .iter()
        .find(|f| f.code == "SCI217")
        .expect("SCI217");
    assert_eq!(f.span.start.column, 21, "a byte count would say 24");
}

#[test]
fn deep_chains_of_every_kind_fit_a_small_stack() {
    // Each of these builds a tree 300,000 levels deep without a single bracket pair nesting.
    // Chains written flat are walked to the end; nesting is refused before parsing.
    for (shape, part, walked) in [
        ("x = a{}\n", ".b", true),
        ("x = b{}\n", "()", true),
        ("x = b{}\n", "[0]", true),
        ("x = {}a\n", "a + ", true),
        ("x = {}a\n", "not ", false),
        ("x = {}1\n", "a if b else ", false),
        ("x = {}0\n", "lambda: ", false),
        ("x = {}a\n", "-", false),
        ("x = {}a\n", "2 ** ", false),
    ] {
        let source = format!(
            "import pickle\n{}pickle.loads(b)\n",
            shape.replace("{}", &part.repeat(300_000))
        );
        let findings = on_small_stack(move || check(&source));
        let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
        let expected = if walked { "SCI201" } else { "SCI000" };
        assert_eq!(codes, [expected], "{part}: {findings:#?}");
    }
}

#[test]
fn fixes_never_break_the_file() {
    let registry = Registry::builtin();
    // (source, whether a fix is applied): a fix that would not re-parse is withheld.
    for (source, applied) in [
        ("import torch\nm = torch.load(f)  # \u{e9}\n", true),
        ("\u{feff}import torch\r\nm = torch.load(f)\r\n", true),
        (
            "import numpy as np\nx = np.load(\n    f,\n    allow_pickle=True,\n)\n",
            true,
        ),
        ("import requests\nr = requests.get(\u{e9}t\u{e9})\n", true),
        ("import requests\nr = requests.get((u for u in x))\n", true),
        (
            "import requests\nr = requests.get(\n    u,  # \u{1F600}\n)\n",
            true,
        ),
        (
            "def f(x):\n    \"\"\"Doc.\"\"\"\n    assert x != '\u{200b}'\n",
            true,
        ),
        // Parenthesised arguments, a trailing comma, a bare generator.
        ("import torch\nm = torch.load((f))\n", true),
        (
            "import numpy as np\nx = np.load((f), allow_pickle=True)\n",
            true,
        ),
        (
            "import numpy as np\nx = np.load(allow_pickle=True,)\n",
            true,
        ),
        (
            "import numpy as np\nx = np.load(allow_pickle=True, mmap_mode=(m))\n",
            true,
        ),
        ("import requests\nr = requests.get(u for u in x)\n", true),
        // Files that do not parse get no fix.
        ("import requests\nx = requests.get(  # \u{e9}", false),
        ("import torch\ntorch.load(\u{feff}", false),
    ] {
        let findings = sciguard::check_python(source, registry, &RuleSet::all(registry));
        let (fixed, count) = sciguard::apply_fixes(source, &findings);
        assert_eq!(
            (fixed != source, count > 0),
            (applied, applied),
            "{source:?} became {fixed:?}\n{findings:#?}"
        );
        assert_eq!(
            ruff_python_parser::parse_module(&fixed).is_ok(),
            ruff_python_parser::parse_module(source).is_ok(),
            "fix broke:\n{source}\n---\n{fixed}"
        );
    }
    // Stale findings (from another text) are skipped, not applied at random offsets.
    let findings = sciguard::check_python(
        "import numpy as np\nx = np.load(f, allow_pickle=True)\n",
        registry,
        &RuleSet::all(registry),
    );
    let (fixed, applied) = sciguard::apply_fixes("short \u{e9}", &findings);
    assert_eq!((fixed.as_str(), applied), ("short \u{e9}", 0));
}

fn check_as(path: &'static str, text: String) -> Vec<sciguard::report::Finding> {
    on_small_stack(move || {
        let files = [sciguard::SourceFile {
            path: path.into(),
            text,
            kind: None,
            display: None,
        }];
        sciguard::check_files(&files, &sciguard::settings::Settings::default())
            .remove(0)
            .findings
    })
}

#[test]
fn deep_and_hostile_config_files_are_one_message() {
    let deep_array = format!("a = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let deep_table = format!("a = {}1{}\n", "{b = ".repeat(100_000), "}".repeat(100_000));
    let deep_flow = format!("a: {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let deep_json = format!(
        "{{\"cells\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let mut deep_block = String::new();
    for depth in 0..3_000 {
        deep_block.push_str(&" ".repeat(depth));
        deep_block.push_str("k:\n");
    }
    for (path, text) in [
        ("pyproject.toml", deep_array),
        ("pyproject.toml", deep_table),
        ("config.yaml", deep_flow),
        ("analysis.ipynb", deep_json),
        ("requirements.txt", "\u{0}\u{1}\u{2}junk ===\n".repeat(1000)),
        // A lone `=` is read as an empty key, without a message; the NUL lines are malformed.
        (".env", "=\n=\n\u{0}\n".repeat(100_000)),
    ] {
        let findings = check_as(path, text);
        assert!(!findings.is_empty(), "{path}: no message");
        assert!(findings.len() <= 21, "{path}: {} findings", findings.len());
        assert!(
            findings.iter().all(|f| f.code == "SCI000"),
            "{path}: {findings:#?}"
        );
    }
    // Deep block YAML is valid: it is checked to the bottom.
    deep_block.push_str(&" ".repeat(3_000));
    deep_block.push_str("host: 0.0.0.0\n");
    let findings = check_as("config.yaml", deep_block);
    let found: Vec<_> = findings
        .iter()
        .map(|f| (f.code.as_str(), f.span.start.row))
        .collect();
    assert_eq!(found, [("SCI513", 3_001)], "{findings:#?}");
}

fn report_as(path: &'static str, text: String) -> sciguard::FileReport {
    on_small_stack(move || {
        let files = [sciguard::SourceFile::new(path, text)];
        sciguard::check_files(&files, &sciguard::settings::Settings::default()).remove(0)
    })
}

#[test]
fn what_sciguard_did_not_check_is_said_in_the_report() {
    // Refused before parsing: the report says so even when SCI000 is not selected.
    let unary = format!(
        "import pickle\nx = {}1\npickle.loads(b)\n",
        "-".repeat(3_000)
    );
    let report = report_as("deep.py", unary.clone());
    let why = report.unchecked.as_deref().expect("unchecked");
    assert!(
        why.starts_with("line 2: sciguard did not check this file"),
        "{why}"
    );
    let registry = Registry::builtin();
    let files = [sciguard::SourceFile::new("deep.py", unary)];
    let ignore = sciguard::settings::Selector::parse("SCI000", registry).expect("selector");
    let settings = sciguard::settings::Settings::default().with_ignore(vec![ignore]);
    let reports = sciguard::check_files(&files, &settings);
    assert_eq!(reports[0].findings, []);
    assert!(reports[0].unchecked.is_some());
    // Walked in part: the rest is checked and the report names the line skipped.
    let mut source = String::from("import pickle\n");
    for depth in 0..60 {
        source.push_str(&format!("{}if x:\n", " ".repeat(depth)));
    }
    source.push_str(&format!(
        "{}y = {}1{}\n",
        " ".repeat(60),
        "[".repeat(150),
        "]".repeat(150)
    ));
    source.push_str("pickle.loads(b)\n");
    let report = report_as("partial.py", source);
    assert!(report.findings.iter().any(|f| f.code == "SCI201"));
    let why = report.unchecked.as_deref().expect("unchecked");
    assert!(why.starts_with("line 62: code nested deeper"), "{why}");
    // In a notebook the place is the cell.
    let cell = format!("x = {}1", "not ".repeat(2_000));
    let notebook = serde_json::json!({
        "cells": [
            {"cell_type": "code", "source": "import pickle", "metadata": {}, "outputs": []},
            {"cell_type": "code", "source": cell, "metadata": {}, "outputs": []},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    });
    let report = report_as("deep.ipynb", notebook.to_string());
    let why = report.unchecked.as_deref().expect("unchecked");
    assert!(why.starts_with("cell 2, line 1: "), "{why}");
    // Configuration past sciguard's limits.
    let deep_toml = format!("a = {}1{}\n", "{b = ".repeat(70), "}".repeat(70));
    let deep_yaml = format!("a: {}1{}\n", "[".repeat(300), "]".repeat(300));
    for (path, text) in [("pyproject.toml", deep_toml), ("config.yaml", deep_yaml)] {
        let report = report_as(path, text);
        assert!(report.unchecked.is_some(), "{path}: {report:#?}");
        assert!(report.findings.iter().any(|f| f.code == "SCI000"), "{path}");
    }
    // Ordinary files are checked in full.
    for (path, text) in [
        ("ok.py", "import pickle\npickle.loads(b)\n".to_string()),
        ("pyproject.toml", "[project]\nname = 'x'\n".to_string()),
        ("config.yaml", "a: [1, [2]]\n".to_string()),
    ] {
        assert_eq!(report_as(path, text).unchecked, None, "{path}");
    }
}

/// The hostile inputs of issue 15, each with the outcome it must have. Their time and
/// memory bounds are stated in the README's "Limits" section (measured, not asserted).
#[test]
fn hostile_python_gives_findings_or_says_what_was_not_checked() {
    const PICKLE: &str = "import pickle\npickle.loads(b)\n";
    let deep = 100_000;
    // (what, the text after PICKLE, checked in full)
    let cases = [
        (
            "calls",
            format!("x = {}1{}\n", "f(".repeat(deep), ")".repeat(deep)),
            false,
        ),
        (
            "comprehensions",
            format!("x = {}z{}\n", "[y for y in ".repeat(deep), "]".repeat(deep)),
            false,
        ),
        ("attributes", format!("x = a{}\n", ".b".repeat(deep)), true),
        ("unary ~", format!("x = {}1\n", "~".repeat(deep)), false),
        ("unary +", format!("x = {}1\n", "+".repeat(deep)), false),
        ("await", format!("x = {}1\n", "await ".repeat(deep)), false),
        (
            "f-strings",
            format!("x = {}1{}\n", "f\"{".repeat(deep), "}\"".repeat(deep)),
            false,
        ),
        (
            "f-string field",
            format!("x = f'{{{}1}}'\n", "-".repeat(deep)),
            false,
        ),
        (
            "brackets around operators",
            format!("x = {}1{}\n", "-(".repeat(60), ")".repeat(60)),
            true,
        ),
        (
            "operators inside brackets",
            format!("x = {}1{}\n", "-------(".repeat(190), ")".repeat(190)),
            false,
        ),
    ];
    for (what, text, complete) in cases {
        let report = report_as("hostile.py", format!("{PICKLE}{text}"));
        let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
        if complete {
            assert_eq!(report.unchecked, None, "{what}");
            assert!(codes.contains(&"SCI201"), "{what}: {codes:?}");
        } else {
            let why = report.unchecked.as_deref().unwrap_or_default();
            assert!(why.starts_with("line 3: "), "{what}: {why:?}");
            assert_eq!(codes, ["SCI000"], "{what}");
        }
    }
    // A 10 MB single line, and a million short lines: checked to the end.
    let line = format!("x = [{}1]\n", "1.5, ".repeat(2 << 20));
    assert!(line.len() > 10 << 20);
    let millions = "x = 1\n".repeat(1_000_000);
    for (what, text) in [("10 MB line", line), ("1,000,000 lines", millions)] {
        let rows = text.lines().count();
        let report = report_as("big.py", format!("{text}{PICKLE}"));
        let found: Vec<_> = report
            .findings
            .iter()
            .map(|f| (f.code.as_str(), f.span.start.row))
            .collect();
        assert_eq!(found, [("SCI201", rows + 2)], "{what}");
        assert_eq!(report.unchecked, None, "{what}");
    }
}

#[test]
fn pathological_strings_do_not_slow_the_secret_scanners() {
    // Prefixes of every credential format, repeated into megabyte literals, in a named
    // assignment and bare; a real key after them is still found.
    let junk = [
        "AKIA".repeat(250_000),
        "ghp_".repeat(250_000),
        format!("ghp_{} ", "a".repeat(35)).repeat(25_000),
        "pypi-AgEIcHlwaS5vcmc".repeat(50_000),
        "-----BEGIN ".repeat(100_000),
        format!("-----BEGIN {}", "A".repeat(100)).repeat(10_000),
        "xoxb-".repeat(200_000),
        "a://".repeat(250_000),
        "a://b:".repeat(170_000),
        "ab".repeat(500_000),
        "qwerty".repeat(170_000),
    ];
    let mut source = String::new();
    for (i, text) in junk.iter().enumerate() {
        source.push_str(&format!("api_token_{i} = '{text}'\n'{text}'\n"));
    }
    source.push_str("API_TOKEN = 'f3b9c2d4e8a17c6e5d0b9a8f7e6d5c4b'\n");
    let last = source.lines().count();
    let report = report_as("secrets.py", source);
    assert_eq!(report.unchecked, None);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code == "SCI224" && f.span.start.row == last),
        "{:#?}",
        report
            .findings
            .iter()
            .map(|f| (&f.code, f.span.start.row))
            .collect::<Vec<_>>()
    );
    // The same junk as values in a .env file and a YAML file.
    let env: String = junk
        .iter()
        .enumerate()
        .map(|(i, t)| format!("API_TOKEN_{i}={t}\n"))
        .collect();
    let yaml: String = junk
        .iter()
        .enumerate()
        .map(|(i, t)| format!("api_token_{i}: '{t}'\n"))
        .collect();
    for (path, text) in [(".env", env), ("config.yaml", yaml)] {
        let report = report_as(path, text);
        assert_eq!(report.unchecked, None, "{path}");
    }
}

#[test]
fn huge_and_hostile_configuration_is_bounded() {
    // 100,000 requirements: every line is read; an unpinned one at the end is found.
    let mut requirements: String = (0..100_000)
        .map(|i| format!("package-{i}==1.0.{i}\n"))
        .collect();
    requirements.push_str("torch\n");
    let report = report_as("requirements.txt", requirements);
    assert_eq!(report.unchecked, None);
    assert!(
        report.findings.iter().any(|f| f.span.start.row == 100_001),
        "{:?}",
        report
            .findings
            .iter()
            .map(|f| (&f.code, f.span.start.row))
            .take(5)
            .collect::<Vec<_>>()
    );
    // A notebook of 10,000 cells: the last one is checked, and named.
    let mut cells: Vec<serde_json::Value> = (0..9_999)
        .map(|i| serde_json::json!({"cell_type": "code", "source": format!("x{i} = {i}\n"), "metadata": {}, "outputs": []}))
        .collect();
    cells.push(serde_json::json!({"cell_type": "code", "source": "import pickle\npickle.loads(b)\n", "metadata": {}, "outputs": []}));
    let notebook =
        serde_json::json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5});
    let report = report_as("big.ipynb", notebook.to_string());
    let found: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.cell))
        .collect();
    assert_eq!(found, [("SCI201", Some(10_000))]);
    // A billion laughs: aliases are not expanded, so the file is read in linear time.
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in 1..10 {
        let previous = (b'a' + level - 1) as char;
        let name = (b'a' + level) as char;
        let refs = vec![format!("*{previous}"); 9].join(",");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    bomb.push_str("password: hunter2hunter\n");
    let report = report_as("config.yaml", bomb.clone());
    let why = report.unchecked.as_deref().unwrap_or_default();
    assert!(why.contains("billion laughs"), "{why:?}");
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["SCI000"]);
    // Aliases within the budget are read, and what they hold is checked.
    let small = "base: &base {host: 0.0.0.0}\nserver: *base\n".to_string();
    let report = report_as("config.yaml", small);
    assert_eq!(report.unchecked, None);
    assert!(
        report.findings.iter().any(|f| f.code == "SCI513"),
        "{:#?}",
        report.findings
    );
    // Deep JSON in a notebook and deep TOML: one message each (the parsers' own limits).
    for (path, text) in [
        (
            "deep.ipynb",
            format!(
                "{{\"cells\": {}{}}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
        ),
        (
            "pyproject.toml",
            format!("a = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        ),
    ] {
        let report = report_as(path, text);
        let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["SCI000"], "{path}");
    }
}

/// `\N{…}` escapes are read without the Unicode name tables (see README, Limits): a
/// well-formed name is taken, a malformed one is a syntax error, and the rules still see
/// the rest of the string.
#[test]
fn named_unicode_escapes_are_taken_without_the_name_tables() {
    let source =
        "import pickle\nunit = \"\\N{DEGREE SIGN}C\"\nodd = '\\N{no such name}'\npickle.loads(b)\n";
    let findings = check(source);
    assert!(findings.iter().all(|f| f.code != "SCI000"), "{findings:#?}");
    assert!(
        findings.iter().any(|f| f.span.start.row == 4),
        "{findings:#?}"
    );
    let findings = check("x = \"\\N{DEGREE_SIGN}\"\n");
    assert_eq!(
        findings.iter().filter(|f| f.code == "SCI000").count(),
        1,
        "{findings:#?}"
    );
}
