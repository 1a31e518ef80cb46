//! What adopting sciguard takes, run as users run it: standard input for editors and
//! hooks, fixes, a baseline for a legacy codebase, statistics and CI report formats.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs sciguard in `dir`, feeding `input` to its standard input.
fn sciguard_fed(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sciguard"))
        .args(args)
        .current_dir(dir)
        .env_remove("SCIGUARD_DOCS_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sciguard");
    // sciguard may refuse before reading; a closed pipe is then expected.
    let _ = child.stdin.take().expect("stdin").write_all(input);
    child.wait_with_output().expect("wait for sciguard")
}

fn sciguard(dir: &Path, args: &[&str]) -> Output {
    sciguard_fed(dir, args, b"")
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

/// `filename:code` of each finding of a JSON report.
fn codes(output: &Output) -> Vec<String> {
    json(output)
        .as_array()
        .unwrap()
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

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

const UNSAFE: &str =
    "import numpy as np\n\ndef load(path):\n    return np.load(path, allow_pickle=True)\n";

#[test]
fn stdin_is_reported_against_the_name_given_with_its_kind_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "legacy/pyproject.toml",
        "[tool.sciguard]\nignore = [\"SCI202\"]\n",
    );
    let json_args = |name: &'static str| {
        [
            "check",
            "--output-format",
            "json",
            "-",
            "--stdin-filename",
            name,
        ]
    };
    // The file need not exist: editors check unsaved buffers.
    let out = sciguard_fed(dir.path(), &json_args("src/new.py"), UNSAFE.as_bytes());
    assert_eq!(codes(&out), ["src/new.py:SCI202"], "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(1));
    let f = &json(&out)[0];
    assert_eq!(f["location"], serde_json::json!({"row": 4, "column": 12}));
    // The pyproject.toml above the name governs the text.
    let out = sciguard_fed(dir.path(), &json_args("legacy/old.py"), UNSAFE.as_bytes());
    assert_eq!(codes(&out), Vec::<String>::new(), "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(0));
    // The kind comes from the name: the same text is a requirements file here.
    let requirements = b"numpy\nscipy==1.14.1\n";
    let out = sciguard_fed(dir.path(), &json_args("requirements.txt"), requirements);
    assert_eq!(codes(&out), ["requirements.txt:SCI501"]);
    // Read as Python, `scipy==1.14.1` is a syntax error.
    let out = sciguard_fed(dir.path(), &json_args("deps.py"), requirements);
    assert_eq!(codes(&out), ["deps.py:SCI000"]);
    // Without a name the text is Python, shown as `-`.
    let out = sciguard_fed(
        dir.path(),
        &["check", "--output-format", "json", "-"],
        UNSAFE.as_bytes(),
    );
    assert_eq!(codes(&out), ["-:SCI202"]);
}

#[test]
fn stdin_with_fix_prints_the_fixed_text_and_the_findings_left_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["check", "-", "--stdin-filename", "model.py", "--fix"];
    // SCI202's fix changes behaviour: only --unsafe-fixes applies it.
    let out = sciguard_fed(dir.path(), &args, UNSAFE.as_bytes());
    assert_eq!(String::from_utf8_lossy(&out.stdout), UNSAFE);
    assert!(
        stderr(&out).contains("model.py:4:12: SCI202"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(1));
    let mut unsafe_args = args.to_vec();
    unsafe_args.push("--unsafe-fixes");
    let out = sciguard_fed(dir.path(), &unsafe_args, UNSAFE.as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        UNSAFE.replace(", allow_pickle=True", "")
    );
    assert!(
        stderr(&out).contains("model.py: fixed 1 finding (SCI202)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0));
    // Nothing was written anywhere.
    assert!(!dir.path().join("model.py").exists());
}

#[test]
fn bad_stdin_use_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", "x = 1\n");
    let out = sciguard_fed(dir.path(), &["check", "-", "a.py"], b"x = 1\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be checked together"),
        "{}",
        stderr(&out)
    );
    let out = sciguard(dir.path(), &["check", "--stdin-filename", "a.py", "a.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("give `-` as the path"),
        "{}",
        stderr(&out)
    );
    let out = sciguard_fed(dir.path(), &["check", "-"], b"\x00\x01binary");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("-: skipped: binary file"),
        "{}",
        stderr(&out)
    );
    let out = sciguard_fed(dir.path(), &["check", "-"], b"x = '\xff'\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not valid UTF-8"), "{}", stderr(&out));
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", UNSAFE);
    write(dir.path(), "b.py", UNSAFE);
    write(dir.path(), "c.py", "import requests\nrequests.get(url)\n");
    let out = sciguard(dir.path(), &["check", "--statistics", "."]);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0], "     2  SCI202  numpy-load-allow-pickle  (2 fixable)",
        "{text}"
    );
    assert!(lines[1].starts_with("     1  SCI401  "), "{text}");
    assert!(lines[2].starts_with("Found 3 findings"), "{text}");
    assert_eq!(out.status.code(), Some(1));
    let out = sciguard(
        dir.path(),
        &["check", "--statistics", "--output-format", "json", "."],
    );
    assert_eq!(
        json(&out)[0],
        serde_json::json!({"code": "SCI202", "name": "numpy-load-allow-pickle", "count": 2, "fixable": 2})
    );
    let out = sciguard(
        dir.path(),
        &["check", "--statistics", "--output-format", "sarif", "."],
    );
    assert_eq!(out.status.code(), Some(2));
}

/// Checks a GitLab code quality report against the fields GitLab documents as required
/// (docs.gitlab.com, "Code Quality report format"): `description`, `check_name`,
/// `fingerprint` (unique), `severity` (one of info, minor, major, critical, blocker),
/// `location.path` (relative, no `./`) and `location.lines.begin` (a line, from 1).
fn gitlab_report_errors(report: &serde_json::Value) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(issues) = report.as_array() else {
        return vec!["the report is not a JSON array".into()];
    };
    let mut fingerprints = std::collections::HashSet::new();
    for (i, issue) in issues.iter().enumerate() {
        for field in ["description", "check_name", "fingerprint"] {
            if issue[field].as_str().is_none_or(str::is_empty) {
                errors.push(format!("issue {i}: `{field}` is not a non-empty string"));
            }
        }
        if !fingerprints.insert(issue["fingerprint"].to_string()) {
            errors.push(format!("issue {i}: fingerprint repeated"));
        }
        let severity = issue["severity"].as_str().unwrap_or("");
        if !["info", "minor", "major", "critical", "blocker"].contains(&severity) {
            errors.push(format!("issue {i}: severity `{severity}`"));
        }
        match issue["location"]["path"].as_str() {
            Some(path) if !path.starts_with('/') && !path.starts_with("./") => {}
            other => errors.push(format!("issue {i}: location.path {other:?}")),
        }
        if issue["location"]["lines"]["begin"]
            .as_u64()
            .is_none_or(|l| l < 1)
        {
            errors.push(format!("issue {i}: location.lines.begin"));
        }
    }
    errors
}

#[test]
fn gitlab_output_is_a_code_quality_report() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/load.py", UNSAFE);
    // Two identical findings in one file still get two fingerprints.
    write(
        dir.path(),
        "src/twice.py",
        "import requests\nrequests.get(url)\nrequests.get(url)\n",
    );
    write(dir.path(), "requirements.txt", "numpy\nscipy==1.14.1\n");
    let out = sciguard(dir.path(), &["check", "--output-format", "gitlab", "."]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(gitlab_report_errors(&report), Vec::<String>::new());
    assert_eq!(report.as_array().unwrap().len(), 4, "{report:#}");
    let load = report
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["check_name"] == "SCI202")
        .unwrap();
    assert_eq!(load["severity"], "critical");
    assert_eq!(load["location"]["path"], "src/load.py");
    assert_eq!(load["location"]["lines"]["begin"], 4);
    assert!(load["description"]
        .as_str()
        .unwrap()
        .starts_with("SCI202 numpy-load-allow-pickle: `numpy.load`"));
    // The validator itself catches what GitLab would refuse.
    let broken = serde_json::json!([
        {"description": "", "check_name": "X", "fingerprint": "f", "severity": "high",
         "location": {"path": "./a.py", "lines": {"begin": 0}}},
        {"description": "d", "check_name": "X", "fingerprint": "f", "severity": "minor",
         "location": {"path": "a.py", "lines": {"begin": 1}}}
    ]);
    assert_eq!(gitlab_report_errors(&broken).len(), 5);
    // Moving the code keeps the fingerprints, so GitLab tracks the same issues.
    let before: Vec<String> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].to_string())
        .collect();
    write(
        dir.path(),
        "src/load.py",
        &format!("\"\"\"Loading.\"\"\"\n\n{UNSAFE}"),
    );
    let after = json(&sciguard(
        dir.path(),
        &["check", "--output-format", "gitlab", "."],
    ));
    let after: Vec<String> = after
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].to_string())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn a_baseline_hides_old_findings_wherever_they_move_and_shows_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let old = "import numpy as np\nimport requests\n\ndef load(path):\n    return np.load(path, allow_pickle=True)\n\ndef fetch(url):\n    return requests.get(url)\n";
    write(dir.path(), "src/legacy.py", old);
    write(dir.path(), "requirements.txt", "numpy\nscipy==1.14.1\n");
    let out = sciguard(
        dir.path(),
        &["check", "--write-baseline", "sciguard-baseline.json", "."],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("wrote 3 findings"),
        "{}",
        stderr(&out)
    );
    let written: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("sciguard-baseline.json")).unwrap())
            .unwrap();
    assert_eq!(written["findings"].as_array().unwrap().len(), 3);
    let check = |dir: &Path| {
        sciguard(
            dir,
            &[
                "check",
                "--output-format",
                "json",
                "--baseline",
                "sciguard-baseline.json",
                ".",
            ],
        )
    };
    let out = check(dir.path());
    assert_eq!(codes(&out), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(0));
    // Every line moves (a header above, the functions swapped) and one finding is added.
    let moved = "\"\"\"Legacy loaders.\"\"\"\n# owned by the data team\n\nimport numpy as np\nimport requests\n\ndef fetch(url):\n    return requests.get(url)\n\ndef load(path):\n    return np.load(path, allow_pickle=True)\n\ndef load_again(path):\n    return np.load(path, allow_pickle=True)\n";
    write(dir.path(), "src/legacy.py", moved);
    let out = check(dir.path());
    assert_eq!(codes(&out), ["src/legacy.py:SCI202"], "{}", stderr(&out));
    assert_eq!(json(&out)[0]["location"]["row"], 14);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("3 findings in the baseline"),
        "{}",
        stderr(&out)
    );
    // Paths are relative to the baseline's folder: running from elsewhere matches too.
    let out = sciguard(
        &dir.path().join("src"),
        &[
            "check",
            "--output-format",
            "json",
            "--baseline",
            "../sciguard-baseline.json",
            "legacy.py",
        ],
    );
    assert_eq!(codes(&out), ["legacy.py:SCI202"], "{}", stderr(&out));
}

#[test]
fn a_broken_baseline_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", UNSAFE);
    for (text, says) in [
        ("{not json", "not a sciguard baseline"),
        ("[]", "not a sciguard baseline"),
        (
            "{\"tool\": \"sciguard\", \"version\": 9, \"findings\": []}",
            "version 9",
        ),
        (
            "{\"tool\": \"sciguard\", \"version\": 1, \"findings\": [{\"code\": 1}]}",
            "not a sciguard baseline",
        ),
    ] {
        write(dir.path(), "baseline.json", text);
        let out = sciguard(
            dir.path(),
            &["check", "--baseline", "baseline.json", "a.py"],
        );
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(stderr(&out).contains(says), "{text}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
    let out = sciguard(dir.path(), &["check", "--baseline", "missing.json", "a.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing.json: cannot read the baseline"),
        "{}",
        stderr(&out)
    );
}

/// Copies the rules crate's fixtures (real-looking code for every Python rule) into `dir`.
fn copy_rule_fixtures(dir: &Path) -> usize {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sciguard/tests/fixtures/rules");
    let mut copied = 0;
    for entry in fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "py") {
            fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
            copied += 1;
        }
    }
    copied
}

fn read_all(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn with_fix(findings: &serde_json::Value) -> usize {
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["fix"].is_null())
        .count()
}

fn with_safe_fix(findings: &serde_json::Value) -> usize {
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["fix"]["applicability"] == "safe")
        .count()
}

fn syntax_errors(findings: &serde_json::Value) -> usize {
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SCI000" && f["severity"] != "info")
        .count()
}

#[test]
fn fix_applies_every_offered_fix_on_the_rule_fixtures_and_diff_shows_the_same_change() {
    let fixed = tempfile::tempdir().unwrap();
    assert!(copy_rule_fixtures(fixed.path()) > 20);
    let original = read_all(fixed.path());
    let json_args = ["check", "--output-format", "json", "."];
    let before = json(&sciguard(fixed.path(), &json_args));
    let offered = with_fix(&before);
    assert!(offered > 10, "{offered}");
    // --diff writes nothing and shows the change as a patch.
    let diff = sciguard(fixed.path(), &["check", "--diff", "--unsafe-fixes", "."]);
    assert_eq!(diff.status.code(), Some(1), "{}", stderr(&diff));
    assert_eq!(read_all(fixed.path()), original);
    let patch = String::from_utf8_lossy(&diff.stdout).to_string();
    assert!(
        patch.contains("--- a/SCI202.py\n+++ b/SCI202.py\n"),
        "{patch}"
    );
    // --fix alone applies the safe fixes only (today SCI311's: stale codes in `# noqa`).
    let safe_offered = with_safe_fix(&before);
    assert!(safe_offered > 5, "{safe_offered}");
    let safe = sciguard(
        fixed.path(),
        &["check", "--fix", "--output-format", "json", "."],
    );
    assert_eq!(safe.status.code(), Some(1));
    let after_safe = json(&safe);
    assert_eq!(with_safe_fix(&after_safe), 0, "{}", stderr(&safe));
    assert_eq!(with_fix(&after_safe), offered - safe_offered);
    assert_eq!(
        after_safe.as_array().unwrap().len(),
        before.as_array().unwrap().len() - safe_offered
    );
    assert_ne!(read_all(fixed.path()), original);
    let out = sciguard(
        fixed.path(),
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--output-format",
            "json",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("SCI202.py: fixed 5 findings (SCI202 ×5)"),
        "{}",
        stderr(&out)
    );
    let reported = json(&out);
    let after = json(&sciguard(fixed.path(), &json_args));
    assert_eq!(
        reported, after,
        "--fix reports what checking the result gives"
    );
    // Each fixed finding is gone, nothing new appeared, and every file parses as before.
    assert_eq!(with_fix(&after), 0, "{after:#}");
    assert_eq!(
        after.as_array().unwrap().len(),
        before.as_array().unwrap().len() - offered
    );
    assert_eq!(syntax_errors(&after), syntax_errors(&before));
    // The patch --diff printed makes the same files (git apply reads it outside a repository).
    let patched = tempfile::tempdir().unwrap();
    copy_rule_fixtures(patched.path());
    fs::write(patched.path().join("fixes.patch"), &patch).unwrap();
    let applied = Command::new("git")
        .args(["apply", "fixes.patch"])
        .current_dir(patched.path())
        .output()
        .expect("run git apply");
    assert!(applied.status.success(), "{}", stderr(&applied));
    assert_eq!(read_all(patched.path()), read_all(fixed.path()));
    // Fixing again changes nothing.
    let again = sciguard(fixed.path(), &["check", "--diff", "--unsafe-fixes", "."]);
    assert_eq!((again.status.code(), again.stdout.len()), (Some(0), 0));
}

#[test]
fn fix_leaves_a_file_it_cannot_write_back_faithfully() {
    let dir = tempfile::tempdir().unwrap();
    // Latin-1, as its coding line says: written back as UTF-8 its bytes would change.
    let mut latin1 = b"# -*- coding: latin-1 -*-\n# caf\xe9\n".to_vec();
    latin1.extend_from_slice(UNSAFE.as_bytes());
    fs::write(dir.path().join("old.py"), &latin1).unwrap();
    write(dir.path(), "new.py", UNSAFE);
    let out = sciguard(dir.path(), &["check", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("old.py: not fixed: changed since it was checked, or not plain UTF-8"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("new.py: fixed 1 finding (SCI202)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read(dir.path().join("old.py")).unwrap(), latin1);
    // The findings reported are those of the files as they are.
    let out = sciguard(
        dir.path(),
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--output-format",
            "json",
            ".",
        ],
    );
    assert_eq!(codes(&out), ["old.py:SCI202"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("new.py")).unwrap(),
        UNSAFE.replace(", allow_pickle=True", "")
    );
}

#[test]
fn unused_noqa_is_reported_by_check_fixed_safely_and_off_by_default_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let text = "import numpy as np\nimport requests\n\n\ndef load(path):\n    return np.load(path, allow_pickle=True)  # noqa: SCI202\n\n\ndef load_reviewed(path):\n    return np.load(path)  # noqa: SCI202\n\n\ndef fetch(url):\n    return requests.get(url)  # noqa: SCI202, SCI401\n\n\ndef other_tools(x):\n    assert x  # noqa: S101\n    return x  # noqa\n";
    write(dir.path(), "pipeline.py", text);
    let json_args = ["check", "--output-format", "json", "pipeline.py"];
    let out = sciguard(dir.path(), &json_args);
    let found = json(&out);
    let unused: Vec<(u64, &str)> = found
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SCI311")
        .map(|f| {
            (
                f["location"]["row"].as_u64().unwrap(),
                f["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        unused,
        [
            (10, "this suppression comment names a code that suppressed nothing: SCI202 (no finding of it on this line)"),
            (14, "this suppression comment names a code that suppressed nothing: SCI202 (no finding of it on this line)"),
        ],
        "{found:#}"
    );
    // Its fix is safe: --fix alone removes the stale codes and keeps the used one.
    let out = sciguard(dir.path(), &["check", "--fix", "pipeline.py"]);
    assert!(
        stderr(&out).contains("pipeline.py: fixed 2 findings (SCI311 ×2)"),
        "{}",
        stderr(&out)
    );
    let fixed = fs::read_to_string(dir.path().join("pipeline.py")).unwrap();
    assert!(fixed.contains("    return np.load(path)\n"), "{fixed}");
    assert!(
        fixed.contains("    return requests.get(url)  # noqa: SCI401\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("allow_pickle=True)  # noqa: SCI202\n"),
        "{fixed}"
    );
    assert_eq!(
        codes(&sciguard(dir.path(), &json_args)),
        Vec::<String>::new()
    );
    // Turned off like any rule; the library (the site, the JS package) runs it only when selected.
    write(dir.path(), "pipeline.py", text);
    let out = sciguard(
        dir.path(),
        &[
            "check",
            "--output-format",
            "json",
            "--ignore",
            "unused-noqa",
            "pipeline.py",
        ],
    );
    assert_eq!(codes(&out), Vec::<String>::new());
    let settings = sciguard::settings::Settings::default();
    assert!(sciguard::check("pipeline.py", text, &settings)
        .findings
        .is_empty());
}

/// Fixing checks the project again after the fixes, and that check must still see the
/// files without findings: here `prepare.py` (no finding of its own) saves the pickle
/// that `train.py` loads, which makes that load informational, before and after fixing
/// an unrelated `# noqa` in `util.py`.
#[test]
fn fixing_one_file_keeps_what_the_other_files_say_about_each_other() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "prepare.py",
        "import pickle\n\nmeta = {\"vocab\": 3}\nwith open(\"meta.pkl\", \"wb\") as f:\n    pickle.dump(meta, f)\n",
    );
    write(
        dir.path(),
        "train.py",
        "import pickle\n\nwith open(\"meta.pkl\", \"rb\") as f:\n    meta = pickle.load(f)\n",
    );
    write(dir.path(), "util.py", "x = 1  # noqa: SCI202\n");
    let severity_of_load = |out: &Output| {
        json(out)
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "SCI201")
            .map(|f| f["severity"].as_str().unwrap().to_string())
    };
    let before = sciguard(dir.path(), &["check", "--output-format", "json", "."]);
    assert_eq!(
        severity_of_load(&before).as_deref(),
        Some("info"),
        "{}",
        stderr(&before)
    );
    let fixed = sciguard(
        dir.path(),
        &["check", "--fix", "--output-format", "json", "."],
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("util.py")).unwrap(),
        "x = 1\n"
    );
    assert_eq!(
        severity_of_load(&fixed).as_deref(),
        Some("info"),
        "{}",
        stderr(&fixed)
    );
}
