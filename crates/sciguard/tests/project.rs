//! Files checked together: declared versions inform the Python rules, every input kind is
//! read, and a broken file is one clear error while the others are still checked.

use sciguard::report::{Finding, Severity};
use sciguard::settings::Settings;
use sciguard::SourceFile;

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.into(),
        text: text.into(),
        kind: None,
        display: None,
    }
}

fn check(files: &[SourceFile]) -> Vec<(String, Finding)> {
    sciguard::check_files(files, &Settings::default())
        .into_iter()
        .flat_map(|r| {
            let name = r.filename.clone();
            r.findings.into_iter().map(move |f| (name.clone(), f))
        })
        .collect()
}

fn codes(found: &[(String, Finding)], code: &str) -> Vec<Finding> {
    found
        .iter()
        .filter(|(_, f)| f.code == code)
        .map(|(_, f)| f.clone())
        .collect()
}

const TRAIN: &str = "import torch\n\nmodel = torch.load(p)\n";

#[test]
fn torch_pin_before_2_6_makes_torch_load_high_and_names_the_pin() {
    let found = check(&[
        file("requirements.txt", "numpy==2.1.3\ntorch==2.4.1\n"),
        file("train.py", TRAIN),
    ]);
    let sci205 = codes(&found, "SCI205");
    assert_eq!(sci205.len(), 1, "{found:#?}");
    assert_eq!(sci205[0].severity, Severity::High);
    assert_eq!(sci205[0].span.start.row, 3);
    assert!(
        sci205[0]
            .message
            .contains("`torch==2.4.1` in requirements.txt:2 admits torch <2.6"),
        "{}",
        sci205[0].message
    );
}

#[test]
fn torch_2_6_or_later_makes_it_informational() {
    for declared in ["torch>=2.6", "torch==2.10.0"] {
        let found = check(&[file("requirements.txt", declared), file("train.py", TRAIN)]);
        let sci205 = codes(&found, "SCI205");
        assert_eq!(sci205.len(), 1);
        assert_eq!(sci205[0].severity, Severity::Info, "{declared}");
        assert!(
            sci205[0].message.contains("excludes torch <2.6"),
            "{}",
            sci205[0].message
        );
    }
    // Undeclared: medium, as without any configuration.
    let found = check(&[file("train.py", TRAIN)]);
    assert_eq!(codes(&found, "SCI205")[0].severity, Severity::Medium);
    // pyproject and setup.cfg declarations count too.
    let found = check(&[
        file(
            "pyproject.toml",
            "[project]\nname = \"x\"\ndependencies = [\"torch>=2.0\"]\n",
        ),
        file("train.py", TRAIN),
    ]);
    let sci205 = codes(&found, "SCI205");
    assert_eq!(sci205[0].severity, Severity::High);
    assert!(
        sci205[0].message.contains("pyproject.toml:3"),
        "{}",
        sci205[0].message
    );
}

#[test]
fn full_loader_is_reported_only_when_old_pyyaml_is_admitted() {
    let code = "import yaml\nconfig = yaml.load(stream, Loader=yaml.FullLoader)\ndata = yaml.full_load(other)\n";
    let found = check(&[
        file("requirements.txt", "pyyaml==5.3\n"),
        file("load.py", code),
    ]);
    let sci210 = codes(&found, "SCI210");
    assert_eq!(sci210.len(), 2, "{found:#?}");
    assert!(sci210.iter().all(|f| f.severity == Severity::High));
    assert!(sci210[0]
        .message
        .contains("`pyyaml==5.3` in requirements.txt:1"));
    for requirements in [Some("pyyaml>=6.0\n"), None] {
        let mut files = vec![file("load.py", code)];
        if let Some(text) = requirements {
            files.push(file("requirements.txt", text));
        }
        assert!(
            codes(&check(&files), "SCI210").is_empty(),
            "{requirements:?}"
        );
    }
}

#[test]
fn httpx_calls_keep_their_default_timeout() {
    let code = "import httpx\nimport requests\nhttpx.get(url)\nrequests.get(url)\n";
    let found = check(&[
        file("requirements.txt", "httpx==0.28.1\nrequests==2.32.4\n"),
        file("fetch.py", code),
    ]);
    let rows: Vec<usize> = codes(&found, "SCI401")
        .iter()
        .map(|f| f.span.start.row)
        .collect();
    assert_eq!(rows, [4]);
}

#[test]
fn notebook_findings_carry_cell_and_line() {
    let notebook = r##"{"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Training"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["import torch\n", "%matplotlib inline\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["x = 1\n", "model = torch.load(path)\n"]}
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"##;
    let found = check(&[
        file("analysis.ipynb", notebook),
        file("requirements.txt", "torch==2.4.1\n"),
    ]);
    let sci205 = codes(&found, "SCI205");
    assert_eq!(sci205.len(), 1, "{found:#?}");
    assert_eq!(sci205[0].cell, Some(3));
    assert_eq!(sci205[0].span.start.row, 2);
    assert_eq!(sci205[0].severity, Severity::High);
}

/// A Colab-style notebook: `%pip`, `!pip` (one indented under `if IN_COLAB:`), `%%writefile`
/// and `%%bash` cells, `?` help, markdown between code cells, a real syntax error in cell 9
/// followed by clean cells, and findings in `%%time` and `%%capture` cells.
const COLAB: &str = include_str!("fixtures/notebooks/colab_training.ipynb");

#[test]
fn notebooks_are_read_as_jupyter_runs_them() {
    let found = check(&[file("colab_training.ipynb", COLAB)]);
    let seen: Vec<(&str, Option<usize>, usize, usize)> = found
        .iter()
        .map(|(_, f)| {
            let at = f.span.start;
            (f.code.as_str(), f.cell, at.row, at.column)
        })
        .collect();
    // No syntax error for the magics, the shell lines, the help or the non-Python cells;
    // the one real error once, in its cell; names imported in cell 4 resolve in cells
    // 11 and 12; the Python under `%%time` and `%%capture` is checked. Cells count as a
    // person counts them, markdown cells included, and rows count within the cell.
    assert_eq!(
        seen,
        [
            ("SCI000", Some(9), 2, 47),
            ("SCI202", Some(11), 1, 12),
            ("SCI203", Some(11), 2, 10),
            ("SCI205", Some(12), 2, 9),
            ("SCI211", Some(14), 2, 9),
        ],
        "{found:#?}"
    );
    let error = &found[0].1;
    assert_eq!(error.severity, Severity::Medium);
    assert!(
        error.message.starts_with("Syntax error: "),
        "{}",
        error.message
    );
}

#[test]
fn a_half_written_cell_does_not_swallow_the_next() {
    // An unterminated string or bracket would run on to the end of a joined text.
    for broken in [r#"\"\"\"Loads the data"#, "rows = load(", "if ready:"] {
        let notebook = format!(
            r#"{{"cells": [
                {{"cell_type": "code", "metadata": {{}}, "outputs": [], "source": ["import pickle\n", "{broken}"]}},
                {{"cell_type": "markdown", "metadata": {{}}, "source": ["Next"]}},
                {{"cell_type": "code", "metadata": {{}}, "outputs": [], "source": ["obj = pickle.loads(blob)"]}}
            ], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 5}}"#
        );
        let found = check(&[file("analysis.ipynb", &notebook)]);
        let seen: Vec<(&str, Option<usize>, usize)> = found
            .iter()
            .map(|(_, f)| (f.code.as_str(), f.cell, f.span.start.row))
            .collect();
        assert_eq!(
            seen,
            [("SCI000", Some(1), 2), ("SCI201", Some(3), 1)],
            "{broken}: {found:#?}"
        );
    }
}

#[test]
fn a_notebook_in_another_language_is_one_info_finding() {
    let notebook = r##"{"cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["library(ggplot2)\n", "df <- read.csv('x.csv')"]}
    ], "metadata": {"kernelspec": {"display_name": "R", "language": "R", "name": "ir"}}, "nbformat": 4, "nbformat_minor": 5}"##;
    let found = check(&[file("analysis.ipynb", notebook)]);
    assert_eq!(found.len(), 1, "{found:#?}");
    let note = &found[0].1;
    assert_eq!(
        (note.code.as_str(), note.severity),
        ("SCI000", Severity::Info)
    );
    assert!(
        note.message.contains("kernel runs R, not Python"),
        "{}",
        note.message
    );
}

#[test]
fn every_config_kind_is_read() {
    let found = check(&[
        file("requirements-dev.txt", "pytest\nruff==0.8.1\n"),
        file(
            "pyproject.toml",
            "[project]\nname = \"x\"\ndependencies = [\"pillow==9.5.0\"]\n",
        ),
        file(
            "setup.cfg",
            "[options]\ninstall_requires =\n    pyyaml>=5.1\n",
        ),
        file("pip.conf", "[global]\ntrusted-host = pkgs.example.org\n"),
        file("deploy.yml", "server:\n  host: 0.0.0.0\n"),
        file(".env", "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1\n"),
    ]);
    let mut seen: Vec<(String, String, usize)> = found
        .iter()
        .map(|(name, f)| (name.clone(), f.code.clone(), f.span.start.row))
        .collect();
    seen.sort();
    let expected = [
        (".env", "SCI512", 1),
        ("deploy.yml", "SCI513", 2),
        ("pip.conf", "SCI505", 2),
        ("pyproject.toml", "SCI503", 3),
        ("requirements-dev.txt", "SCI501", 1),
        ("setup.cfg", "SCI502", 3),
    ];
    let expected: Vec<(String, String, usize)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn a_broken_file_is_one_error_and_the_others_are_still_checked() {
    let big_env = "SOME_SETTING=value\n".repeat(50 * 1024 * 1024 / 19 + 1);
    let found = check(&[
        file("pyproject.toml", "[project\nname = \"x\"\n"),
        file("config.yaml", "a: [1, 2\nb: c\n"),
        file("huge.env", &big_env),
        file("notebook.ipynb", "{\"cells\": [ "),
        file("requirements.txt", "numpy\nscipy==1.14.1\n"),
    ]);
    for name in [
        "pyproject.toml",
        "config.yaml",
        "huge.env",
        "notebook.ipynb",
    ] {
        let errors: Vec<&Finding> = found
            .iter()
            .filter(|(n, f)| n == name && f.code == "SCI000")
            .map(|(_, f)| f)
            .collect();
        assert_eq!(errors.len(), 1, "{name}: {found:#?}");
    }
    assert!(found
        .iter()
        .any(|(n, f)| n == "requirements.txt" && f.code == "SCI501"));
    let toml = found.iter().find(|(n, _)| n == "pyproject.toml").unwrap();
    assert!(
        toml.1.message.starts_with("Invalid TOML"),
        "{}",
        toml.1.message
    );
    let huge = found.iter().find(|(n, _)| n == "huge.env").unwrap();
    assert!(
        huge.1.message.contains("over the 16 MB limit"),
        "{}",
        huge.1.message
    );
}

#[test]
fn noqa_comments_work_in_config_files() {
    let found = check(&[file(
        "requirements.txt",
        "numpy  # noqa: SCI501\npandas  # noqa\nscipy\nrequests==2.32.4\n",
    )]);
    let rows: Vec<usize> = found.iter().map(|(_, f)| f.span.start.row).collect();
    assert_eq!(rows, [3]);
}

#[test]
fn many_bad_env_lines_are_counted_once_and_right() {
    let text: String = (0..30).map(|i| format!("not a setting {i}\n")).collect();
    let found = check(&[file(".env", &format!("=\n{text}"))]);
    assert_eq!(found.len(), 20, "{found:#?}");
    assert!(found.iter().all(|(_, f)| f.code == "SCI000"));
    // 31 malformed lines (the lone `=` included), 20 shown.
    assert!(
        found[19].1.message.ends_with("(11 more errors not shown)"),
        "{}",
        found[19].1.message
    );
    assert_eq!(found[0].1.span.start.row, 1, "a lone `=` is malformed");
}

#[test]
fn tool_sciguard_in_a_pyproject_governs_the_files_below_it() {
    let pyproject = "[tool.sciguard]\nignore = [\"SCI401\"]\nper-file-ignores = { \"scripts/*.py\" = [\"SCI202\"] }\nexclude = [\"vendor/\"]\n";
    let code =
        "import numpy as np\nimport requests\nnp.load(f, allow_pickle=True)\nrequests.get(u)\n";
    let files = [
        file("proj/pyproject.toml", pyproject),
        file("proj/app/main.py", code),
        file("proj/scripts/run.py", code),
        file("proj/vendor/lib.py", code),
        file("other/main.py", code),
    ];
    let reports = sciguard::check_files(&files, &Settings::default());
    let codes = |name: &str| -> Vec<String> {
        reports
            .iter()
            .find(|r| r.filename == name)
            .unwrap_or_else(|| panic!("no report for {name}"))
            .findings
            .iter()
            .map(|f| f.code.clone())
            .collect()
    };
    assert_eq!(codes("proj/app/main.py"), ["SCI202"]);
    assert!(codes("proj/scripts/run.py").is_empty());
    assert!(
        reports.iter().all(|r| r.filename != "proj/vendor/lib.py"),
        "excluded"
    );
    // Outside the project its settings do not apply.
    assert_eq!(codes("other/main.py"), ["SCI202", "SCI401"]);
}

#[test]
fn severity_in_tool_sciguard_leaves_out_less_severe_findings_below_it() {
    let code =
        "import numpy as np\nimport requests\nnp.load(f, allow_pickle=True)\nrequests.get(u)\n";
    let files = [
        file(
            "proj/pyproject.toml",
            "[tool.sciguard]\nseverity = \"high\"\n",
        ),
        file("proj/main.py", code),
        file("other/main.py", code),
    ];
    let codes = |options: &sciguard::Options| -> Vec<(String, String)> {
        sciguard::check_project(&files, options)
            .reports
            .into_iter()
            .flat_map(|r| {
                let name = r.filename.clone();
                r.findings.into_iter().map(move |f| (name.clone(), f.code))
            })
            .collect()
    };
    let pair = |n: &str, c: &str| (n.to_string(), c.to_string());
    assert_eq!(
        codes(&sciguard::Options::default()),
        [
            pair("proj/main.py", "SCI202"),
            pair("other/main.py", "SCI202"),
            pair("other/main.py", "SCI401"),
        ]
    );
    // A front end's threshold (the site's, the JS package's) wins everywhere.
    let low = sciguard::Options {
        severity: Some(Severity::Low),
        ..sciguard::Options::default()
    };
    assert_eq!(
        codes(&low),
        [
            pair("proj/main.py", "SCI202"),
            pair("proj/main.py", "SCI401"),
            pair("other/main.py", "SCI202"),
            pair("other/main.py", "SCI401"),
        ]
    );
    let bad = [file(
        "pyproject.toml",
        "[tool.sciguard]\nseverity = \"urgent\"\n",
    )];
    let found = check(&bad);
    assert!(found[0].1.message.contains("severity"), "{found:#?}");
}

#[test]
fn a_malformed_tool_sciguard_is_an_sci000_on_its_pyproject() {
    let files = [
        file("pyproject.toml", "[tool.sciguard]\nignore = [\"NOPE1\"]\n"),
        file("a.py", "import requests\nrequests.get(u)\n"),
    ];
    let found = check(&files);
    let on_pyproject: Vec<&Finding> = found
        .iter()
        .filter(|(name, _)| name == "pyproject.toml")
        .map(|(_, f)| f)
        .collect();
    assert_eq!(on_pyproject.len(), 1, "{found:#?}");
    let finding = on_pyproject[0];
    assert_eq!(
        (finding.code.as_str(), finding.span.start.row),
        ("SCI000", 1)
    );
    assert!(finding.message.contains("ignore") && finding.message.contains("NOPE1"));
    // The settings are not applied, so SCI401 still fires.
    assert!(found.iter().any(|(n, f)| n == "a.py" && f.code == "SCI401"));
}

/// `(file, line)` of each finding of `code`.
fn lines_of(found: &[(String, Finding)], code: &str) -> Vec<(String, usize)> {
    found
        .iter()
        .filter(|(_, f)| f.code == code)
        .map(|(name, f)| (name.clone(), f.span.start.row))
        .collect()
}

#[test]
fn a_package_calling_its_own_api_is_not_reported_unless_the_input_comes_from_outside() {
    let own = "from symalg import sympify\nimport sys\n\ndef simplify(expr):\n    return sympify(expr)\n\ndef from_cli():\n    return sympify(sys.argv[1])\n\ndef from_file(f):\n    return sympify(f.read())\n";
    let user = "from symalg import sympify\n\ndef parse():\n    return sympify(input())\n";
    let mut files = vec![
        file("src/symalg/__init__.py", ""),
        file("src/symalg/core.py", "def sympify(x):\n    return x\n"),
        file("src/symalg/api.py", own),
        file("app/run.py", user),
    ];
    // `symalg` stands for sympy here: make its calls those of the tracked API.
    for f in &mut files {
        f.text = f.text.replace("symalg", "sympy");
        f.path = f.path.replace("symalg", "sympy");
    }
    let found = check(&files);
    assert_eq!(
        lines_of(&found, "SCI214"),
        // In a package, a file's text is not outside input (line 11 reads one).
        vec![
            ("src/sympy/api.py".to_string(), 8),
            ("app/run.py".to_string(), 4),
        ],
        "{found:#?}"
    );
    // The project's declared name counts too, without any `__init__.py`.
    let found = check(&[
        file(
            "pyproject.toml",
            "[project]\nname = \"sympy\"\nversion = \"1\"\n",
        ),
        file(
            "tools/gen.py",
            "import sympy\n\ndef build(expr):\n    return sympy.sympify(expr)\n",
        ),
    ]);
    assert!(lines_of(&found, "SCI214").is_empty(), "{found:#?}");
}

#[test]
fn star_imports_are_reported_outside_packages_unless_they_re_export_a_declared_surface() {
    let found = check(&[
        file("pyproject.toml", "[project]\nname = \"pkg\"\nversion = \"1\"\n"),
        file("pkg/__init__.py", "from .api import *\nfrom .leaky import *\nfrom numpy import *\n"),
        file("pkg/api.py", "import numpy as np\n__all__ = ['mean']\ndef mean(x):\n    return np.mean(x)\n"),
        file("pkg/leaky.py", "import numpy as np\nfrom math import *\ndef total(x):\n    return np.sum(x)\n"),
        file("scripts/run.py", "from pkg.api import *\nfrom pkg.leaky import *\nfrom numpy import *\n\nprint(mean([1]))\n"),
    ]);
    assert_eq!(
        lines_of(&found, "SCI106"),
        vec![
            ("scripts/run.py".to_string(), 2),
            ("scripts/run.py".to_string(), 3),
        ],
        "{found:#?}"
    );
}

#[test]
fn asserts_in_testing_support_modules_are_not_validation() {
    let helper = "def assert_frame_ok(frame):\n    \"\"\"Check a frame.\"\"\"\n    assert frame.shape[0] > 0\n";
    // SCI225 is opt-in: select it by code.
    let registry = sciguard::rules::Registry::builtin();
    let settings = Settings::default().with_select(vec![sciguard::settings::Selector::parse(
        "SCI225", registry,
    )
    .expect("a rule code")]);
    let files = [
        file("pkg/_testing/asserters.py", helper),
        file("pkg/utils/estimator_checks.py", helper),
        file("pkg/frame.py", helper),
    ];
    let found: Vec<(String, Finding)> = sciguard::check_files(&files, &settings)
        .into_iter()
        .flat_map(|r| {
            let name = r.filename.clone();
            r.findings.into_iter().map(move |f| (name.clone(), f))
        })
        .collect();
    // Not even by ALL: an opt-in rule needs its code or name.
    let all = Settings::default().with_select(vec![sciguard::settings::Selector::All]);
    assert!(sciguard::check_files(&files, &all)
        .iter()
        .all(|r| r.findings.iter().all(|f| f.code != "SCI225")));
    assert_eq!(
        lines_of(&found, "SCI225"),
        vec![("pkg/frame.py".to_string(), 3)],
        "{found:#?}"
    );
}

#[test]
fn each_project_in_a_tree_is_judged_by_its_own_declarations() {
    let found = check(&[
        file("old/requirements.txt", "torch==2.4.1\n"),
        file("old/train.py", TRAIN),
        file("new/requirements.txt", "torch==2.7.0\n"),
        file("new/train.py", TRAIN),
        file("new/sub/eval.py", TRAIN),
        file("loose/run.py", TRAIN),
    ]);
    let torch: Vec<(String, Severity, String)> = found
        .iter()
        .filter(|(_, f)| f.code == "SCI205")
        .map(|(n, f)| (n.clone(), f.severity, f.message.clone()))
        .collect();
    let old = torch
        .iter()
        .find(|t| t.0 == "old/train.py")
        .expect("old project");
    assert_eq!(old.1, Severity::High, "{torch:#?}");
    assert!(old.2.contains("old/requirements.txt"), "{torch:#?}");
    assert!(
        torch
            .iter()
            .all(|t| t.0 == "old/train.py" || !t.2.contains("old/requirements.txt")),
        "another project's pin leaks: {torch:#?}"
    );
    assert!(
        !torch
            .iter()
            .any(|t| t.0.starts_with("new/") && t.1 == Severity::High),
        "{torch:#?}"
    );
}

#[test]
fn in_notebooks_only_text_from_outside_reaches_eval_findings() {
    let cell = |src: &str| {
        format!("{{\"cell_type\": \"code\", \"metadata\": {{}}, \"outputs\": [], \"source\": [{src:?}]}}")
    };
    let notebook = format!(
        "{{\"cells\": [{}, {}, {}], \"metadata\": {{}}, \"nbformat\": 4, \"nbformat_minor\": 5}}",
        cell("names = ['df1', 'df2']\nframes = [eval(n) for n in names]\n"),
        cell("import numpy as np\nnp.load('x.npy', allow_pickle=True)\n"),
        cell("expr = input('formula: ')\nresult = eval(input('formula: '))\n"),
    );
    let found = check(&[file("analysis.ipynb", &notebook)]);
    let evals: Vec<(Option<usize>, usize)> = found
        .iter()
        .filter(|(_, f)| f.code == "SCI211")
        .map(|(_, f)| (f.cell, f.span.start.row))
        .collect();
    assert_eq!(evals.len(), 1, "{found:#?}");
    assert_eq!(evals[0].1, 2, "{found:#?}");
    // Other rules are unchanged in notebooks.
    assert_eq!(codes(&found, "SCI202").len(), 1, "{found:#?}");
}

#[test]
fn a_vulnerable_pin_whose_api_the_code_never_uses_is_info() {
    let requirements = "scikit-learn==1.3.2\npillow==10.1.0\nrequests==2.31.0\n";
    let severity = |found: &[(String, Finding)], line: usize| {
        found
            .iter()
            .find(|(_, f)| f.code == "SCI503" && f.span.start.row == line)
            .map(|(_, f)| f.severity)
    };
    let unused = check(&[
        file("app/requirements.txt", requirements),
        file("app/train.py", "from sklearn.linear_model import LogisticRegression\nfrom PIL import Image\n\nmodel = LogisticRegression()\n"),
        // Another project in the tree uses the API; it does not count for this one.
        file("other/nlp.py", "from sklearn.feature_extraction.text import TfidfVectorizer\nTfidfVectorizer()\n"),
    ]);
    assert_eq!(severity(&unused, 1), Some(Severity::Info), "{unused:#?}");
    assert_eq!(severity(&unused, 2), Some(Severity::Info), "{unused:#?}");
    // requests' advisories concern any use of the package.
    assert_eq!(severity(&unused, 3), Some(Severity::High), "{unused:#?}");
    let info = unused
        .iter()
        .find(|(_, f)| f.code == "SCI503" && f.span.start.row == 1)
        .map(|(_, f)| f.message.clone())
        .unwrap_or_default();
    assert!(info.contains("never uses"), "{info}");
    let used = check(&[
        file("app/requirements.txt", requirements),
        file(
            "app/nlp/features.py",
            "from sklearn.feature_extraction.text import TfidfVectorizer\n",
        ),
        file(
            "app/img.py",
            "from PIL import ImageMath\nImageMath.eval('a + b', a=x, b=y)\n",
        ),
    ]);
    assert_eq!(severity(&used, 1), Some(Severity::High), "{used:#?}");
    assert_eq!(severity(&used, 2), Some(Severity::High), "{used:#?}");
    // numpy 1.11.1: two disputed advisories (one names no API) and one about `numpy.pad`;
    // a project that never pads is not exposed by the undisputed one.
    let old_numpy = |code: &str| {
        check(&[
            file(
                "book/requirements.txt",
                "numpy==1.11.1
",
            ),
            file("book/plot.py", code),
        ])
    };
    let found = old_numpy(
        "import numpy as np
x = np.linspace(0, 1)
",
    );
    assert_eq!(severity(&found, 1), Some(Severity::Info), "{found:#?}");
    assert!(
        found
            .iter()
            .any(|(_, f)| f.message.contains("undisputed advisories")),
        "{found:#?}"
    );
    let found = old_numpy(
        "import numpy as np
x = np.pad(np.ones(3), 1)
",
    );
    assert_eq!(severity(&found, 1), Some(Severity::High), "{found:#?}");
}

#[test]
fn a_library_loads_from_outside_or_it_is_its_own_business() {
    let code = "import pickle\n\ndef load(fid):\n    return pickle.load(fid)\n\ndef load_cached(name):\n    return pickle.load(open(name + '.pkl', 'rb'))\n\nimport subprocess\ndef run(cmd):\n    return subprocess.run(cmd, shell=True)\n\nfrom urllib.request import urlopen\ndef fetch(url):\n    return pickle.load(urlopen(url))\n";
    let found = check(&[
        file("pkg/__init__.py", ""),
        file("pkg/io.py", code),
        file("scripts/io.py", code),
    ]);
    assert_eq!(
        lines_of(&found, "SCI201"),
        // In the package, only what visibly comes from outside (the network) is reported:
        // not the API that loads its caller's file, nor the library's own cache.
        vec![
            ("pkg/io.py".to_string(), 15),
            ("scripts/io.py".to_string(), 4),
            ("scripts/io.py".to_string(), 7),
            ("scripts/io.py".to_string(), 15),
        ],
        "{found:#?}"
    );
    // A command runner that passes its parameter to the shell is an API in a package.
    assert_eq!(
        lines_of(&found, "SCI217"),
        vec![("scripts/io.py".to_string(), 11)],
        "{found:#?}"
    );
}

#[test]
fn library_fallbacks_and_numerics_are_judged_as_library_code() {
    let mut body = String::from("import numpy as np\n\ndef f(x):\n    try:\n        import cupy\n    except:\n        pass\n    with np.errstate(divide='ignore'):\n");
    for i in 0..12 {
        body.push_str(&format!("        y{i} = 1 / x\n"));
    }
    let found = check(&[
        file("pkg/__init__.py", ""),
        file("pkg/num.py", &body),
        file("notebooks/explore.py", &body),
    ]);
    assert_eq!(
        lines_of(&found, "SCI405"),
        vec![("notebooks/explore.py".to_string(), 6)],
        "{found:#?}"
    );
    assert_eq!(
        lines_of(&found, "SCI303"),
        vec![("notebooks/explore.py".to_string(), 8)],
        "{found:#?}"
    );
}

#[test]
fn what_a_docs_builder_installs_is_not_a_deployment() {
    let requirements =
        "sphinx==5.3.0\nsphinx-panels\ngit+https://github.com/org/theme.git#egg=theme\n";
    let found = check(&[
        file("docs/requirements.txt", requirements),
        file("requirements-docs.txt", requirements),
        file("requirements-docker.txt", requirements),
    ]);
    let names = |code: &str| -> Vec<String> {
        found
            .iter()
            .filter(|(_, f)| f.code == code)
            .map(|(n, _)| n.clone())
            .collect()
    };
    assert_eq!(names("SCI501"), ["requirements-docker.txt"], "{found:#?}");
    assert_eq!(names("SCI506"), ["requirements-docker.txt"], "{found:#?}");
}

#[test]
fn a_file_another_script_of_the_project_saves_loads_at_info() {
    let prepare = "import os, pickle, torch\nmeta = {'vocab': 65}\nwith open(os.path.join(os.path.dirname(__file__), 'meta.pkl'), 'wb') as f:\n    pickle.dump(meta, f)\ntorch.save(data, open('traindata.pt', 'wb'))\n";
    let train = "import os, pickle, torch\nmeta_path = os.path.join('data', name, 'meta.pkl')\nwith open(meta_path, 'rb') as f:\n    meta = pickle.load(f)\ndata = torch.load('traindata.pt')\nother = pickle.load(open('downloaded.pkl', 'rb'))\n";
    let found = check(&[
        file("proj/requirements.txt", "torch==2.1.0\n"),
        file("proj/data/prepare.py", prepare),
        file("proj/train.py", train),
        // A checkpoint saved under a bare name is not a downloaded one in another folder.
        file(
            "proj/main.py",
            "import torch\ntorch.save(state, os.path.join(logdir, 'last.ckpt'))\n",
        ),
        file(
            "proj/inpaint.py",
            "import torch\nsd = torch.load('models/ldm/inpainting/last.ckpt')\n",
        ),
        // Another project writing `downloaded.pkl` does not vouch for this one's.
        file("elsewhere/requirements.txt", "numpy==2.0.0\n"),
        file(
            "elsewhere/save.py",
            "import pickle\npickle.dump(x, open('downloaded.pkl', 'wb'))\n",
        ),
    ]);
    let loads: Vec<(usize, Severity, &str)> = found
        .iter()
        .filter(|(path, f)| path == "proj/train.py" && (f.code == "SCI201" || f.code == "SCI205"))
        .map(|(_, f)| (f.span.start.row, f.severity, f.message.as_str()))
        .collect();
    assert_eq!(loads.len(), 3, "{loads:#?}");
    assert_eq!(loads[0].1, Severity::Info, "{loads:#?}");
    assert!(loads[0].2.contains("proj/data/prepare.py"), "{loads:#?}");
    assert!(loads[0].2.contains("`meta.pkl`"), "{loads:#?}");
    assert_eq!(loads[1].1, Severity::Info, "{loads:#?}");
    assert!(loads[1].2.contains("`traindata.pt`"), "{loads:#?}");
    assert_eq!((loads[2].0, loads[2].1), (6, Severity::High), "{loads:#?}");
    let downloaded = found
        .iter()
        .find(|(path, f)| path == "proj/inpaint.py" && f.code == "SCI205")
        .map(|(_, f)| f.severity);
    assert_eq!(downloaded, Some(Severity::High), "{found:#?}");
}

#[test]
fn a_debugger_open_to_the_network_is_one_finding() {
    let app = "from flask import Flask\napp = Flask(__name__)\napp.run(host=\"0.0.0.0\", debug=True)\napp.run(host=\"0.0.0.0\")\n";
    let found = check(&[file("serve.py", app)]);
    let on = |line: usize| -> Vec<&Finding> {
        found
            .iter()
            .filter(|(_, f)| f.span.start.row == line)
            .map(|(_, f)| f)
            .collect()
    };
    let both = on(3);
    assert_eq!(both.len(), 1, "{found:#?}");
    assert_eq!(both[0].code, "SCI510");
    assert!(both[0].message.contains("SCI513"), "{found:#?}");
    let bind = on(4);
    assert_eq!(bind.len(), 1, "{found:#?}");
    assert_eq!(bind[0].code, "SCI513");
}

/// A front end with a file system hands the project API a reader instead of texts: the
/// findings are those of a check with every text in hand, texts are kept only for files
/// with findings, and an unreadable file is left out with its error.
#[test]
fn checking_while_reading_gives_the_same_findings_and_keeps_only_needed_texts() {
    use sciguard::project::{InOrder, Options, ProjectSettings};
    let texts = [
        ("proj/requirements.txt", "torch==2.4.1\n"),
        ("proj/train.py", TRAIN),
        ("proj/pkg/__init__.py", "__all__ = [\"load\"]\nfrom .io import load\n"),
        (
            "proj/pkg/io.py",
            "import pickle\n\ndef load(p):\n    with open(p, 'rb') as f:\n        return pickle.load(f)\n",
        ),
        ("proj/clean.py", "def add(a, b):\n    return a + b\n"),
    ];
    let with_texts: Vec<SourceFile> = texts.iter().map(|(p, t)| file(p, t)).collect();
    let mut unread: Vec<SourceFile> = texts.iter().map(|(p, _)| file(p, "")).collect();
    unread.push(file("proj/missing.py", ""));
    let options = Options::default();
    let settings = ProjectSettings::discover(std::iter::empty(), &options);
    let expected = settings.check(with_texts, &options, &InOrder);
    let read = |f: &SourceFile| {
        texts
            .iter()
            .find(|(p, _)| *p == f.path)
            .map(|(_, t)| t.to_string())
            .ok_or_else(|| format!("{}: cannot read", f.path))
    };
    let (reports, errors) = settings.check_reading(unread, &read, &options, &InOrder);
    assert_eq!(errors, ["proj/missing.py: cannot read"]);
    assert_eq!(reports.len(), expected.len());
    let mut with_findings = 0;
    for (got, want) in reports.iter().zip(&expected) {
        assert_eq!(got.filename, want.filename);
        assert_eq!(got.findings, want.findings, "{}", got.filename);
        let is_code = got.filename.ends_with(".py");
        // Scorecards count lines, so every report keeps its file's line count.
        assert_eq!(
            got.source.lines().count(),
            want.source.lines().count(),
            "{}",
            got.filename
        );
        if is_code && got.findings.is_empty() {
            assert!(
                got.source.trim().is_empty(),
                "{} kept its text",
                got.filename
            );
        } else {
            assert_eq!(got.source, want.source, "{}", got.filename);
        }
        with_findings += usize::from(is_code && !got.findings.is_empty());
    }
    assert!(with_findings >= 1, "{reports:#?}");
    assert!(reports
        .iter()
        .any(|r| r.filename.ends_with("clean.py") && r.source == "\n\n"));
}

/// Kind detection from content, judged on real files: every configuration fixture of the
/// rules and of the example project, with its name taken away, is read as the kind its
/// name gives (a requirements file pasted into "untitled" must not be checked as Python).
#[test]
fn fixtures_without_their_names_are_read_as_their_kind() {
    use sciguard::input::SourceKind;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut folders = vec![
        root.join("tests/fixtures/rules"),
        root.join("../../examples"),
    ];
    let (mut checked, mut wrong) = (0, Vec::new());
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let name = path.to_string_lossy().to_string();
            let (Some(kind), Ok(text)) =
                (SourceKind::from_path(&name), std::fs::read_to_string(&path))
            else {
                continue;
            };
            checked += 1;
            let got = SourceKind::detect("untitled", &text);
            if got != kind {
                wrong.push(format!("{name}: {kind:?} read as {got:?}"));
            }
        }
    }
    assert!(checked > 50, "{checked} files");
    assert!(
        wrong.is_empty(),
        "{checked} files, misread:\n{}",
        wrong.join("\n")
    );
}
