//! The `sciguard` binary, run as users run it.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn sciguard(dir: &Path, args: &[&str]) -> Output {
    sciguard_with_env(dir, args, None)
}

/// Runs sciguard with `SCIGUARD_DOCS_URL` set as given, or unset whatever the tests' own
/// environment holds.
fn sciguard_with_env(dir: &Path, args: &[&str], docs_url: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sciguard"));
    command.args(args).current_dir(dir);
    match docs_url {
        Some(url) => command.env("SCIGUARD_DOCS_URL", url),
        None => command.env_remove("SCIGUARD_DOCS_URL"),
    };
    command.output().expect("run sciguard")
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn json(output: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

fn codes(output: &Output) -> Vec<String> {
    json(output)
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["filename"].as_str().unwrap(),
                f["code"].as_str().unwrap()
            )
        })
        .collect()
}

const UNSAFE: &str =
    "import numpy as np\n\ndef load(path):\n    return np.load(path, allow_pickle=True)\n";

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "clean.py",
        "import numpy as np\nx = np.load('a.npy')\n",
    );
    write(dir.path(), "unsafe.py", UNSAFE);
    assert_eq!(
        sciguard(dir.path(), &["check", "clean.py"]).status.code(),
        Some(0)
    );
    assert_eq!(
        sciguard(dir.path(), &["check", "unsafe.py"]).status.code(),
        Some(1)
    );
    assert_eq!(
        sciguard(dir.path(), &["check", "--exit-zero", "unsafe.py"])
            .status
            .code(),
        Some(0)
    );
    let missing = sciguard(dir.path(), &["check", "nope.py"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.py"));
    assert_eq!(
        sciguard(dir.path(), &["check", "--output-format", "xml", "clean.py"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        sciguard(dir.path(), &["check", "--select", "SCI999", "clean.py"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn json_output_follows_ruffs_shape() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "unsafe.py", UNSAFE);
    let out = sciguard(
        dir.path(),
        &["check", "--output-format", "json", "unsafe.py"],
    );
    let findings = json(&out);
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f["code"], "SCI202");
    assert_eq!(f["name"], "numpy-load-allow-pickle");
    assert_eq!(f["pillar"], "edges");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["filename"], "unsafe.py");
    assert_eq!(f["location"], serde_json::json!({"row": 4, "column": 12}));
    assert_eq!(
        f["end_location"],
        serde_json::json!({"row": 4, "column": 44})
    );
    // sciguard has no address of its own: without a docs base there is no link to give.
    assert!(f.get("url").is_none(), "{f}");
    assert_eq!(f["fix"]["applicability"], "unsafe");
    assert_eq!(f["fix"]["edits"][0]["content"], "");
    assert_eq!(
        f["fix"]["edits"][0]["location"],
        serde_json::json!({"row": 4, "column": 24})
    );
    assert_eq!(
        f["fix"]["edits"][0]["end_location"],
        serde_json::json!({"row": 4, "column": 43})
    );
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "unsafe.py", UNSAFE);
    write(
        dir.path(),
        "sub dir/more.py",
        "import requests\nrequests.get(u)\nassert not open(u).close()\n",
    );
    let out = sciguard(dir.path(), &["check", "--output-format", "sarif", "."]);
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"sub%20dir/more.py"), "{uris:?}");
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // A document that breaks the schema is caught, so the check above can fail.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

/// The SARIF 2.1.0 schema's complaints about a log.
fn sarif_schema_errors(log: &serde_json::Value) -> Vec<String> {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}

#[test]
fn without_a_docs_base_output_points_at_the_rule_command() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "unsafe.py", UNSAFE);
    let out = sciguard(dir.path(), &["check", "unsafe.py"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("  = SCI202 numpy-load-allow-pickle: sciguard rule SCI202\n"),
        "{text}"
    );
    assert!(!text.contains("http"), "{text}");
    let out = sciguard(
        dir.path(),
        &["check", "--output-format", "json", "unsafe.py"],
    );
    assert!(json(&out)[0].get("url").is_none());
    let out = sciguard(
        dir.path(),
        &["check", "--output-format", "github", "unsafe.py"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("%0ADetails: sciguard rule SCI202\n"),
        "{text}"
    );
    let out = sciguard(
        dir.path(),
        &["check", "--output-format", "sarif", "unsafe.py"],
    );
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(sarif_schema_errors(&log).is_empty());
    let driver = &log["runs"][0]["tool"]["driver"];
    assert!(driver.get("informationUri").is_none(), "{driver}");
    let rule = &driver["rules"][0];
    assert!(rule.get("helpUri").is_none(), "{rule}");
    let help = rule["help"]["markdown"].as_str().unwrap();
    assert!(help.contains("## Why is this bad?\n"), "{help}");
    assert!(help.contains("CVE-2019-6446"), "{help}");
    assert_eq!(rule["help"]["text"], rule["help"]["markdown"]);
    let listed: Vec<serde_json::Value> =
        serde_json::from_slice(&sciguard(dir.path(), &["rules", "--output-format", "json"]).stdout)
            .unwrap();
    assert!(listed.iter().all(|r| r.get("url").is_none()));
}

#[test]
fn docs_url_comes_from_the_flag_then_pyproject_then_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "unsafe.py", UNSAFE);
    let json_url = |args: &[&str], env: Option<&str>| {
        let mut all = vec!["check", "--output-format", "json"];
        all.extend_from_slice(args);
        all.push("unsafe.py");
        let out = sciguard_with_env(dir.path(), &all, env);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(&out)[0]["url"].clone()
    };
    let flag = ["--docs-url", "https://wiki.example.org/sciguard/"];
    let wiki = "https://wiki.example.org/sciguard/#/rules/SCI202";
    assert_eq!(json_url(&flag, None), wiki);
    // Without the trailing slash, the same page.
    assert_eq!(
        json_url(&["--docs-url", "https://wiki.example.org/sciguard"], None),
        wiki
    );
    let env = Some("https://env.example.org/sciguard/");
    assert_eq!(
        json_url(&[], env),
        "https://env.example.org/sciguard/#/rules/SCI202"
    );
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.sciguard]\ndocs-url = \"https://intranet.example.org/tools/sciguard\"\n",
    );
    let intranet = "https://intranet.example.org/tools/sciguard/#/rules/SCI202";
    assert_eq!(json_url(&[], None), intranet);
    assert_eq!(
        json_url(&[], env),
        intranet,
        "pyproject wins over the environment"
    );
    assert_eq!(json_url(&flag, env), wiki, "the flag wins over both");

    // Text, GitHub and SARIF output link to the page too; the SARIF log stays valid.
    let out = sciguard(dir.path(), &["check", "unsafe.py"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!("  = SCI202 numpy-load-allow-pickle: {intranet}\n")),
        "{text}"
    );
    let out = sciguard(
        dir.path(),
        &["check", "--output-format", "github", "unsafe.py"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!("%0ADetails: {intranet}\n")),
        "{text}"
    );
    let out = sciguard(
        dir.path(),
        &["check", "--output-format", "sarif", "unsafe.py"],
    );
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = sarif_schema_errors(&log);
    assert!(errors.is_empty(), "{errors:#?}");
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(
        driver["informationUri"],
        "https://intranet.example.org/tools/sciguard/"
    );
    assert_eq!(driver["rules"][0]["helpUri"], intranet);
    assert!(driver["rules"][0]["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## Why is this bad?"));
    // A relative base suits a wiki page beside the site; `rules` lists the links too.
    let listed: Vec<serde_json::Value> = serde_json::from_slice(
        &sciguard(
            dir.path(),
            &[
                "rules",
                "--output-format",
                "json",
                "--docs-url",
                "../sciguard",
            ],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(
        listed[0]["url"],
        format!(
            "../sciguard/#/rules/{}",
            listed[0]["code"].as_str().unwrap()
        )
    );
}

#[test]
fn a_bad_docs_url_is_an_error_naming_where_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "unsafe.py", UNSAFE);
    let fails = |args: &[&str], env: Option<&str>, expected: &[&str]| {
        let out = sciguard_with_env(dir.path(), args, env);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        for part in expected {
            assert!(stderr.contains(part), "{args:?}: {stderr}");
        }
    };
    fails(
        &[
            "check",
            "--docs-url",
            "ftp://files.example.org/",
            "unsafe.py",
        ],
        None,
        &["--docs-url", "`ftp:` is not http or https"],
    );
    fails(
        &["check", "unsafe.py"],
        Some("https://"),
        &["SCIGUARD_DOCS_URL", "no host"],
    );
    for (config, expected) in [
        (
            "docs-url = \"javascript:alert(1)\"",
            "`docs-url`: `javascript:alert(1)` is not a usable docs URL",
        ),
        ("docs-url = 3", "`docs-url`: must be a string"),
        ("docs-url = \"https://wiki/#/rules\"", "contains `#`"),
    ] {
        write(
            dir.path(),
            "pyproject.toml",
            &format!("[tool.sciguard]\n{config}\n"),
        );
        fails(&["check", "unsafe.py"], None, &["pyproject.toml", expected]);
    }
    // The flag wins, so a bad value it overrides does not matter.
    fs::remove_file(dir.path().join("pyproject.toml")).unwrap();
    let out = sciguard_with_env(
        dir.path(),
        &[
            "check",
            "--docs-url",
            "https://ok.example.org/",
            "--output-format",
            "json",
            "unsafe.py",
        ],
        Some("not a url"),
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn github_and_text_formats() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "unsafe.py", UNSAFE);
    let out = sciguard(
        dir.path(),
        &["check", "--output-format", "github", "unsafe.py"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("::error file=unsafe.py,line=4,col=12,endLine=4,endColumn=44,title=SCI202 numpy-load-allow-pickle::SCI202 [high] "), "{text}");
    let out = sciguard(dir.path(), &["check", "unsafe.py"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("unsafe.py:4:12: SCI202 [high]"), "{text}");
    assert!(text.contains("4 |     return np.load(path, allow_pickle=True)\n  |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"), "{text}");
    assert!(text.contains("Found 1 finding: boundaries 0, edges 1, feedback 0, failure 0 (high 1, medium 0, low 0, info 0)"), "{text}");
}

#[test]
fn folders_respect_gitignore_but_named_files_are_always_checked() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), ".gitignore", "generated/\n");
    write(dir.path(), "pkg/model.py", UNSAFE);
    write(dir.path(), "generated/out.py", UNSAFE);
    write(dir.path(), ".hidden/secret.py", UNSAFE);
    write(dir.path(), "notes.txt", "np.load(x, allow_pickle=True)\n");
    write(dir.path(), ".git/config.yaml", "host: 0.0.0.0\n");
    write(dir.path(), ".venv/lib/site.py", UNSAFE);
    // Hidden configuration files and CI folders are checked.
    write(dir.path(), ".env", "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1\n");
    write(
        dir.path(),
        ".github/workflows/ci.yml",
        "env:\n  PIP_TRUSTED_HOST: pkgs.example.org\n",
    );
    let out = sciguard(dir.path(), &["check", "--output-format", "json", "."]);
    assert_eq!(
        codes(&out),
        [
            ".env:SCI512",
            ".github/workflows/ci.yml:SCI505",
            "pkg/model.py:SCI202"
        ]
    );
    let out = sciguard(
        dir.path(),
        &[
            "check",
            "--output-format",
            "json",
            "generated/out.py",
            ".hidden/secret.py",
        ],
    );
    assert_eq!(
        codes(&out),
        [".hidden/secret.py:SCI202", "generated/out.py:SCI202"]
    );
}

/// The tree the site's test opens too: both must give the files listed in
/// `tests/fixtures/selection-expected.txt`. Every file there has a finding, so the files
/// reported are the files checked.
#[test]
fn a_folder_is_selected_as_the_playground_selects_it() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let out = sciguard(
        &fixtures.join("selection"),
        &["check", "--output-format", "json", "."],
    );
    let mut checked: Vec<String> = json(&out)
        .iter()
        .map(|f| f["filename"].as_str().unwrap().to_string())
        .collect();
    checked.sort();
    checked.dedup();
    let expected = fs::read_to_string(fixtures.join("selection-expected.txt")).unwrap();
    assert_eq!(checked, expected.lines().collect::<Vec<_>>());
    assert_eq!(checked.len(), 8);
}

#[test]
fn gitignores_apply_from_the_repository_root_and_without_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "src/generated/\n");
    write(dir.path(), "src/generated/out.py", UNSAFE);
    write(dir.path(), "src/model.py", UNSAFE);
    write(dir.path(), "src/.gitignore", "/local_*.py\n");
    write(dir.path(), "src/local_try.py", UNSAFE);
    // Not a repository: the folder's own .gitignore files apply, those above it do not.
    let out = sciguard(dir.path(), &["check", "--output-format", "json", "src"]);
    assert_eq!(
        codes(&out),
        ["src/generated/out.py:SCI202", "src/model.py:SCI202"]
    );
    // In a repository, git's view: those above the folder named apply too.
    fs::create_dir(dir.path().join(".git")).unwrap();
    let out = sciguard(dir.path(), &["check", "--output-format", "json", "src"]);
    assert_eq!(codes(&out), ["src/model.py:SCI202"]);
    let out = sciguard(
        &dir.path().join("src"),
        &["check", "--output-format", "json"],
    );
    assert_eq!(codes(&out), ["model.py:SCI202"]);
}

#[test]
fn pyproject_settings_apply() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"demo\"\n\n[tool.sciguard]\nignore = [\"SCI225\"]\nper-file-ignores = { \"scripts/*.py\" = [\"failure\"] }\nexclude = [\"vendor/\"]\n",
    );
    let body = "import requests\nassert requests\nrequests.get(u)\n";
    write(dir.path(), "app/main.py", body);
    write(dir.path(), "scripts/run.py", body);
    write(dir.path(), "vendor/lib.py", body);
    let out = sciguard(dir.path(), &["check", "--output-format", "json", "."]);
    assert_eq!(codes(&out), ["app/main.py:SCI401"]);
    // Settings are found from a subfolder too, and the CLI's --select replaces `select`.
    let out = sciguard(
        &dir.path().join("app"),
        &[
            "check",
            "--output-format",
            "json",
            "--select",
            "SCI225,SCI401",
            "main.py",
        ],
    );
    assert_eq!(codes(&out), ["main.py:SCI401"], "ignore still applies");
    let out = sciguard(
        dir.path(),
        &[
            "check",
            "--output-format",
            "json",
            "--ignore",
            "request-without-timeout",
            "app",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn test_files_are_exempt_from_assert_and_warning_rules() {
    let dir = tempfile::tempdir().unwrap();
    let body = "import warnings\nwarnings.simplefilter('ignore')\ndef check(x):\n    \"\"\"Doc.\"\"\"\n    assert x > 0\n";
    for path in [
        "tests/helpers.py",
        "test_model.py",
        "model_test.py",
        "conftest.py",
        "lib/model.py",
    ] {
        write(dir.path(), path, body);
    }
    // SCI225 is opt-in: selected by its code.
    let out = sciguard(
        dir.path(),
        &[
            "check",
            "--output-format",
            "json",
            "--select",
            "SCI225,SCI302",
            ".",
        ],
    );
    assert_eq!(codes(&out), ["lib/model.py:SCI302", "lib/model.py:SCI225"]);
}

#[test]
fn malformed_config_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", "x = 1\n");
    for (config, expected) in [
        (
            "[tool.sciguard]\nselect = \"SCI2\"\n",
            "`select`: must be a list of strings",
        ),
        (
            "[tool.sciguard]\nignore = [\"SCI9\"]\n",
            "`ignore`: `SCI9` matches no rule",
        ),
        (
            "[tool.sciguard]\nselct = [\"SCI2\"]\n",
            "`selct`: unknown key",
        ),
        (
            "[tool.sciguard]\nper-file-ignores = { \"a[.py\" = [\"SCI2\"] }\n",
            "per-file-ignores.\"a[.py\"`: bad pattern",
        ),
    ] {
        write(dir.path(), "pyproject.toml", config);
        let out = sciguard(dir.path(), &["check", "a.py"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{config}: {stderr}");
        assert!(stderr.contains(expected), "{config}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // A pyproject.toml that is not TOML at all is a warning (and a SCI000 finding when it
    // is checked itself); the other files are still checked.
    write(dir.path(), "pyproject.toml", "[tool.sciguard\n");
    write(dir.path(), "b.py", UNSAFE);
    let out = sciguard(dir.path(), &["check", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not valid TOML"), "{stderr}");
    assert!(stdout.contains("pyproject.toml:1:"), "{stdout}");
    assert!(stdout.contains("b.py:4:12: SCI202"), "{stdout}");
}

#[test]
fn bad_files_get_one_message_each_and_the_run_continues() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.py", UNSAFE);
    fs::write(
        dir.path().join("binary.py"),
        [0x7f, b'E', b'L', b'F', 0, 1, 2, 0, 0xff],
    )
    .unwrap();
    fs::write(dir.path().join("latin.py"), b"x = '\xe9t\xe9'\n").unwrap();
    fs::write(
        dir.path().join("declared.py"),
        b"# -*- coding: latin-1 -*-\nimport os\nos.system(c) # \xe9\n",
    )
    .unwrap();
    let out = sciguard(dir.path(), &["check", "--output-format", "json", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(codes(&out), ["declared.py:SCI217", "good.py:SCI202"]);
    assert!(
        stderr.contains("binary.py: skipped: binary file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("latin.py: skipped: not valid UTF-8 (byte 5, line 1)"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
}

#[test]
fn deep_and_huge_files_do_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "deep.py",
        &format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    write(
        dir.path(),
        "unary.py",
        &format!("x = {}1\n", "not ".repeat(100_000)),
    );
    let mut big = String::new();
    while big.len() < 10 << 20 {
        big.push_str("def f(a, b):\n    return a * b + 1\n\n");
    }
    let big_lines = big.lines().count() + 2;
    big.push_str("import pickle\npickle.loads(b)\n");
    write(dir.path(), "big.py", &big);
    let out = sciguard(dir.path(), &["check", "--output-format", "json", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("overflow"),
        "{stderr}"
    );
    let findings = json(&out);
    assert!(findings.iter().any(|f| f["filename"] == "deep.py"
        && f["message"].as_str().unwrap().contains("nested brackets")));
    // The big file is checked to its last line, and only that line is reported.
    let big: Vec<_> = findings
        .iter()
        .filter(|f| f["filename"] == "big.py")
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["location"]["row"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(big, [("SCI201", big_lines as u64)]);
}

#[test]
fn rule_pages_and_listing() {
    let dir = tempfile::tempdir().unwrap();
    let out = sciguard(dir.path(), &["rule", "SCI202"]);
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with("# SCI202 numpy-load-allow-pickle\n"),
        "{page}"
    );
    assert!(
        page.contains("## Why is this bad?") && page.contains("CVE-2019-6446"),
        "{page}"
    );
    let by_name = sciguard(dir.path(), &["rule", "numpy-load-allow-pickle"]);
    assert_eq!(String::from_utf8(by_name.stdout).unwrap(), page);
    let unknown = sciguard(dir.path(), &["rule", "SCI2"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("did you mean: SCI201 pickle-deserialization"));
    let list = String::from_utf8(sciguard(dir.path(), &["rules"]).stdout).unwrap();
    assert!(list.contains("SCI202  numpy-load-allow-pickle"), "{list}");
    assert!(
        list.contains("SCI405  swallowed-exception                  failure     medium   rust"),
        "{list}"
    );
    let listed: Vec<serde_json::Value> =
        serde_json::from_slice(&sciguard(dir.path(), &["rules", "--output-format", "json"]).stdout)
            .unwrap();
    assert_eq!(listed.len(), 38);
}

#[test]
fn the_nearest_pyproject_governs_each_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pkg/pyproject.toml",
        "[tool.sciguard]\nignore = [\"SCI201\"]\n",
    );
    // SCI401 shows that pkg/d.py is checked; only its SCI201 is ignored.
    let body = "import pickle\nimport requests\npickle.loads(b)\nrequests.get(u)\n";
    write(dir.path(), "pkg/d.py", body);
    write(dir.path(), "top.py", body);
    let out = sciguard(dir.path(), &["check", "--output-format", "json", "."]);
    assert_eq!(
        codes(&out),
        ["pkg/d.py:SCI401", "top.py:SCI201", "top.py:SCI401"]
    );
    let out = sciguard(dir.path(), &["check", "--output-format", "json", "pkg"]);
    assert_eq!(codes(&out), ["pkg/d.py:SCI401"]);
}

#[test]
fn odd_selectors_and_stale_input_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.py",
        "import requests\nx = requests.get(  # \u{e9}",
    );
    for args in [
        &["check", "--select", "\u{e9}\u{e9}", "a.py"][..],
        &["check", "--ignore", "a\u{20ac}", "a.py"],
    ] {
        let out = sciguard(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("matches no rule"), "{stderr}");
    }
    // The unfinished call is still reported, but a file that does not parse gets no fix.
    let out = sciguard(dir.path(), &["check", "--output-format", "json", "a.py"]);
    let findings = json(&out);
    let timeout = findings
        .iter()
        .find(|f| f["code"] == "SCI401")
        .unwrap_or_else(|| panic!("no SCI401: {findings:#?}"));
    assert!(timeout["fix"].is_null(), "{timeout:#?}");
}

#[test]
fn a_folder_is_one_project_declared_torch_decides_torch_load_severity() {
    let dir = tempfile::tempdir().unwrap();
    let code = "import torch\n\ndef restore(p):\n    return torch.load(p)\n";
    write(
        dir.path(),
        "old/requirements.txt",
        "numpy==2.1.3\ntorch==2.4.1\n",
    );
    write(dir.path(), "old/train.py", code);
    write(dir.path(), "new/requirements.txt", "torch>=2.6\n");
    write(dir.path(), "new/train.py", code);
    let found = |folder: &str| {
        let out = sciguard(
            &dir.path().join(folder),
            &["check", ".", "--output-format", "json"],
        );
        json(&out)
            .into_iter()
            .find(|f| f["code"] == "SCI205")
            .unwrap_or_else(|| panic!("no SCI205 in {folder}"))
    };
    let old = found("old");
    assert_eq!(old["severity"], "high");
    assert_eq!(old["location"]["row"], 4);
    let message = old["message"].as_str().unwrap();
    assert!(
        message.contains("`torch==2.4.1` in requirements.txt:2"),
        "{message}"
    );
    let new = found("new");
    assert_eq!(new["severity"], "info");
    // The pin itself is known-vulnerable.
    let out = sciguard(
        &dir.path().join("old"),
        &["check", ".", "--output-format", "json"],
    );
    assert!(codes(&out).contains(&"requirements.txt:SCI503".to_string()));
}

#[test]
fn config_files_notebooks_and_bad_config_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pyproject.toml", "[project\nname = \"x\"\n");
    write(dir.path(), "deploy.yaml", "server:\n  host: 0.0.0.0\n");
    write(dir.path(), "broken.yaml", "a: [1, 2\n");
    write(
        dir.path(),
        "setup.cfg",
        "[options]\ninstall_requires =\n    pandas\n",
    );
    write(dir.path(), "requirements.txt", "numpy==2.1.3\npandas\n");
    fs::write(dir.path().join("latin.ini"), b"[a]\nname = caf\xe9\n").unwrap();
    write(
        dir.path(),
        "analysis.ipynb",
        r#"{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["import pickle\n", "obj = pickle.load(f)\n"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#,
    );
    let out = sciguard(dir.path(), &["check", ".", "--output-format", "json"]);
    let found = json(&out);
    let get = |file: &str, code: &str| {
        found
            .iter()
            .find(|f| f["filename"] == file && f["code"] == code)
            .unwrap_or_else(|| panic!("{file} {code}: {found:#?}"))
            .clone()
    };
    assert_eq!(get("deploy.yaml", "SCI513")["location"]["row"], 2);
    // A library's metadata should not pin; a requirements file should.
    assert_eq!(get("requirements.txt", "SCI501")["location"]["row"], 2);
    assert!(!found
        .iter()
        .any(|f| f["filename"] == "setup.cfg" && f["code"] == "SCI501"));
    assert!(get("pyproject.toml", "SCI000")["message"]
        .as_str()
        .unwrap()
        .starts_with("Invalid TOML"));
    assert!(get("broken.yaml", "SCI000")["message"]
        .as_str()
        .unwrap()
        .starts_with("Invalid YAML"));
    let pickle = get("analysis.ipynb", "SCI201");
    assert_eq!(pickle["cell"], 1);
    assert_eq!(pickle["location"]["row"], 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("latin.ini: skipped: not valid UTF-8"),
        "{stderr}"
    );
    let text = sciguard(dir.path(), &["check", "analysis.ipynb"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("analysis.ipynb:cell 1:2:7: SCI201"),
        "{stdout}"
    );
    let github = sciguard(
        dir.path(),
        &["check", "--output-format", "github", "analysis.ipynb"],
    );
    let stdout = String::from_utf8_lossy(&github.stdout);
    assert!(
        stdout.contains("line=2,") && stdout.contains("::cell 1: SCI201"),
        "{stdout}"
    );
    let sarif = sciguard(
        dir.path(),
        &["check", "--output-format", "sarif", "analysis.ipynb"],
    );
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["properties"]["cell"], 1);
}

#[test]
fn a_colab_notebook_is_read_as_jupyter_runs_it() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sciguard/tests/fixtures/notebooks/colab_training.ipynb");
    fs::copy(fixture, dir.path().join("train.ipynb")).unwrap();
    let out = sciguard(
        dir.path(),
        &["check", "--output-format", "json", "train.ipynb"],
    );
    let found: Vec<(String, u64, u64)> = json(&out)
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["cell"].as_u64().unwrap(),
                f["location"]["row"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("SCI000", 9, 2),
        ("SCI202", 11, 1),
        ("SCI203", 11, 2),
        ("SCI205", 12, 2),
        ("SCI211", 14, 2),
    ];
    let expected: Vec<(String, u64, u64)> = expected
        .iter()
        .map(|(code, cell, row)| (code.to_string(), *cell, *row))
        .collect();
    assert_eq!(found, expected);
    let text = sciguard(dir.path(), &["check", "train.ipynb"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("train.ipynb:cell 9:2:47: SCI000 [medium] Syntax error:"),
        "{stdout}"
    );
    assert!(stdout.contains("; 1 syntax error\n"), "{stdout}");
}

#[test]
fn advisories_import_rebuilds_the_table_from_an_osv_zip() {
    let dir = tempfile::tempdir().unwrap();
    let zip = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv/PyPI.zip");
    let out = sciguard(
        dir.path(),
        &[
            "advisories",
            "import",
            zip.to_str().unwrap(),
            "--output",
            "table.toml",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("read 4 records: 2 imported, 2 skipped"),
        "{stderr}"
    );
    let table = fs::read_to_string(dir.path().join("table.toml")).unwrap();
    assert!(table.contains("date = \"2099-05-01\""), "{table}");
    assert!(table.contains("package = \"widgetlib\""), "{table}");
    assert!(table.contains("affected = [\">=2.0,<=2.3.1\"]"), "{table}");
    write(
        dir.path(),
        "requirements.txt",
        "widgetlib==1.4.9\ngizmo>=2.1\nnumpy\n",
    );
    let out = sciguard(
        dir.path(),
        &[
            "check",
            "requirements.txt",
            "--advisories",
            "table.toml",
            "--output-format",
            "json",
        ],
    );
    let found = json(&out);
    let by_code = |code: &str| found.iter().find(|f| f["code"] == code).cloned();
    let pinned = by_code("SCI503").expect("widgetlib pin");
    assert!(pinned["message"]
        .as_str()
        .unwrap()
        .contains("CVE-2099-1000"));
    // gizmo's only advisory is disputed and has no fixed release: nothing to move to.
    assert!(by_code("SCI502").is_none(), "{found:#?}");
    // Not an OSV export: a clear error.
    write(dir.path(), "junk.zip", "PK not really a zip");
    let out = sciguard(dir.path(), &["advisories", "import", "junk.zip"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a readable zip"));
}

#[test]
fn version_names_the_advisory_table_date() {
    let out = sciguard(Path::new("."), &["--version"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("advisory table 2026-11-23"), "{stdout}");
}

#[test]
fn checklist_plans_the_workflow_in_markdown_and_json() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ingest/fetch.py",
        "import warnings\nimport requests\n\nwarnings.filterwarnings(\"ignore\")\n\ndef fetch(url):\n    return requests.get(url).json()\n",
    );
    write(dir.path(), "ingest/load.py", UNSAFE);
    let out = sciguard(
        dir.path(),
        &["checklist", "--workflow", "ingestion", "ingest"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("# Rollout plan: Ingestion workflow\n"),
        "{text}"
    );
    let tasks: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("- [ ] `ingest/") && l.contains("` SCI"))
        .map(|l| l.split(' ').nth(3).unwrap())
        .collect();
    // Phase 2 (feedback), 3 (edges), 4 (failure), each with its file:line.
    assert_eq!(
        tasks,
        [
            "`ingest/fetch.py:4`",
            "`ingest/load.py:4`",
            "`ingest/fetch.py:7`"
        ]
    );
    // One high finding (10) × 1000 / 11 lines.
    assert!(
        text.contains("| Guardrails at edges | 1 | 909.1 | Poor |"),
        "{text}"
    );
    assert!(text.contains("- [ ] Every network call has a timeout <!-- pr-timeouts -->"));

    let out = sciguard(
        dir.path(),
        &[
            "checklist",
            "--workflow",
            "nightly export",
            "--format",
            "json",
            "ingest",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["workflow"], "nightly export");
    assert_eq!(plan["phases"].as_array().unwrap().len(), 5);
    assert_eq!(plan["phases"][2]["items"][0]["finding"]["code"], "SCI202");
    assert_eq!(plan["scorecard"]["lines"], 11);
    assert_eq!(plan["pr_checklist"].as_array().unwrap().len(), 5);

    let out = sciguard(dir.path(), &["checklist", "--workflow", " ", "ingest"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--workflow: name the workflow"));
}

#[test]
fn check_text_ends_with_the_same_scorecard_as_the_checklist() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "load.py", UNSAFE);
    write(dir.path(), "requirements.txt", "numpy\nscipy==1.14.1\n");
    let text = sciguard(dir.path(), &["check", "."]);
    let text = String::from_utf8_lossy(&text.stdout);
    let plan = sciguard(
        dir.path(),
        &[
            "checklist",
            ".",
            "--workflow",
            "ingestion",
            "--format",
            "json",
        ],
    );
    let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    let card = &plan["scorecard"];
    let edges = card["pillars"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pillar"] == "edges")
        .unwrap();
    // SCI202 (high, 10) and SCI501 (low, 2) over 6 lines: 2,000 per 1,000 lines.
    assert_eq!(edges["per_kloc"], 2000.0);
    assert_eq!(card["lines"], 6);
    assert!(
        text.ends_with("Scorecard (severity-weighted findings per 1,000 lines, over 6 lines): boundaries 0.0 Good, edges 2000.0 Poor, feedback 0.0 Good, failure 0.0 Good\n"),
        "{text}"
    );
    let clean = tempfile::tempdir().unwrap();
    write(clean.path(), "ok.py", "x = 1\n");
    let out = sciguard(clean.path(), &["check", "."]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "No findings.\n");
}

/// The example organisation policies shipped with the repository.
fn organisation_examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbooks/organisation")
}

const PIPELINE: &str = "import requests\nimport pandas as pd\n\nr = requests.get(URL)\nok = requests.get(URL, timeout=5)\ndf = pd.read_csv(\"http://data.example.org/a.csv\")\nsafe = pd.read_csv(\"https://data.example.org/a.csv\")\n";

#[test]
fn organisation_policies_load_from_the_command_line_and_pyproject() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pipeline.py", PIPELINE);
    let examples = organisation_examples();
    let examples = examples.to_str().unwrap();
    let out = sciguard(
        dir.path(),
        &[
            "check",
            "--policy",
            examples,
            "--select",
            "ORG",
            "--output-format",
            "json",
            "pipeline.py",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: Vec<(String, u64)> = json(&out)
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["location"]["row"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("ORG001".to_string(), 4), ("ORG002".to_string(), 6)]
    );
    // Without the policies, an ORG selection names no rule: a clear error.
    let out = sciguard(dir.path(), &["check", "--select", "ORG001", "pipeline.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`ORG001` matches no rule"));
    // `[tool.sciguard] policies`, relative to the pyproject.toml, and a select naming them.
    fs::create_dir_all(dir.path().join("policies")).unwrap();
    fs::copy(
        organisation_examples().join("ORG002-read-csv-over-http.md"),
        dir.path().join("policies/ORG002-read-csv-over-http.md"),
    )
    .unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.sciguard]\npolicies = [\"policies\"]\nselect = [\"ORG002\"]\n",
    );
    let out = sciguard(dir.path(), &["check", "--output-format", "json", "."]);
    assert_eq!(
        codes(&out),
        ["pipeline.py:ORG002"],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // SARIF describes the policy's rule with its own page.
    let out = sciguard(dir.path(), &["check", "--output-format", "sarif", "."]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    assert_eq!(rules[0]["id"], "ORG002", "{rules}");
    assert!(
        rules[0]["help"]["markdown"]
            .as_str()
            .unwrap_or("")
            .contains("Plain HTTP has no integrity"),
        "{rules}"
    );
    // The rule's page, as for a built-in rule.
    let out = sciguard(dir.path(), &["rule", "ORG002"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("# ORG002 read-csv-over-plain-http"));
}

#[test]
fn a_broken_policy_file_is_an_error_naming_it_and_the_others_still_load() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pipeline.py", PIPELINE);
    for name in [
        "ORG001-requests-timeout-and-ca-bundle.md",
        "ORG002-read-csv-over-http.md",
    ] {
        fs::create_dir_all(dir.path().join("policies")).unwrap();
        fs::copy(
            organisation_examples().join(name),
            dir.path().join("policies").join(name),
        )
        .unwrap();
    }
    write(
        dir.path(),
        "policies/ORG003-broken.md",
        "+++\ncode = \"ORG003\"\nname = \"broken\"\npillar = \"edges\"\nseverity = \"urgent\"\nsummary = \"s\"\n\n[[policy]]\ncalls = [\"x.y\"]\nmessage = \"m\"\n+++\n",
    );
    let out = sciguard(
        dir.path(),
        &[
            "check",
            "--policy",
            "policies",
            "--policy",
            "missing.md",
            "--output-format",
            "json",
            "pipeline.py",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("ORG003-broken.md:5: `severity`: `urgent`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing.md: no such file or folder"),
        "{stderr}"
    );
    let found = codes(&out);
    assert!(
        found.contains(&"pipeline.py:ORG001".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"pipeline.py:ORG002".to_string()),
        "{found:?}"
    );
}

#[test]
fn a_file_not_checked_in_full_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "unary.py",
        &format!(
            "import pickle\nx = {}1\npickle.loads(b)\n",
            "-".repeat(3_000)
        ),
    );
    write(dir.path(), "fine.py", "import os\nos.system(cmd)\n");
    // Not a pass whatever the flags: exit 2 and a message naming the file and why.
    for flags in [&[][..], &["--exit-zero"], &["--ignore", "SCI000"]] {
        let mut args = vec!["check", "--output-format", "json"];
        args.extend_from_slice(flags);
        args.push(".");
        let out = sciguard(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {stderr}");
        assert!(
            stderr.contains("sciguard: error: could not check all of unary.py: line 2: sciguard did not check this file"),
            "{stderr}"
        );
        // The other file's findings are still printed.
        assert!(
            codes(&out).contains(&"fine.py:SCI217".to_string()),
            "{flags:?}"
        );
    }
    let out = sciguard(dir.path(), &["checklist", "."]);
    assert_eq!(out.status.code(), Some(2));
    // SARIF says the run did not succeed, and why, and stays valid.
    let out = sciguard(dir.path(), &["check", "--output-format", "sarif", "."]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif_schema_errors(&log), Vec::<String>::new());
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert!(notes[0]["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("sciguard could not check all of unary.py: line 2:"));
    // A file checked in full keeps the usual codes.
    let out = sciguard(dir.path(), &["check", "--exit-zero", "fine.py"]);
    assert_eq!(out.status.code(), Some(0));
}
