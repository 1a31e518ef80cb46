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
