//! sciguard reads PEP 508 requirement strings with its own reader (`config::pep508`). This
//! test holds it to `pep508_rs` 0.9, the crate it replaced (now only a dev-dependency):
//! on every requirement line of the fixtures and on tens of thousands of generated
//! lines, both must accept or both refuse, and on lines both accept they must agree on
//! the normalized name, the version specifiers and the URL.

use sciguard::config::dependency::{Dependency, Requirement};
use std::fmt;
use std::panic;
use std::str::FromStr;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Kept(String);

impl fmt::Display for Kept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug)]
struct Never;

impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

impl pep508_rs::Pep508Url for Kept {
    type Err = Never;

    fn parse_url(url: &str, _: Option<&std::path::Path>) -> Result<Self, Never> {
        Ok(Kept(url.to_string()))
    }
}

/// What a reader made of a line: `None` when it refused it, else (name, versions, URL).
type Reading = Option<(String, String, String)>;

fn ours(line: &str) -> Reading {
    let dependency = Dependency::parse_pep508(line, 0..line.len()).ok()?;
    let (versions, url) = match dependency.requirement {
        Requirement::Any => (String::new(), String::new()),
        Requirement::Versions(v) => (v.to_string(), String::new()),
        Requirement::Url(u) => (String::new(), u),
    };
    Some((dependency.name, versions, url))
}

/// `pep508_rs`'s reading, or `Err` where it panics (it does on a few malformed lines,
/// which sciguard refuses; those lines are left out of the comparison).
fn theirs(line: &str) -> Result<Reading, ()> {
    let line = line.to_string();
    panic::catch_unwind(move || {
        let parsed = pep508_rs::Requirement::<Kept>::from_str(&line).ok()?;
        let (versions, url) = match parsed.version_or_url {
            None => (String::new(), String::new()),
            Some(pep508_rs::VersionOrUrl::VersionSpecifier(v)) => (v.to_string(), String::new()),
            Some(pep508_rs::VersionOrUrl::Url(u)) => (String::new(), u.0),
        };
        Some((parsed.name.to_string(), versions, url))
    })
    .map_err(|_| ())
}

/// Compares both readers on `lines`; returns how many were compared, and how many of
/// those both accepted.
fn compare(lines: impl IntoIterator<Item = String>) -> (usize, usize) {
    // One comparison at a time: the panic hook, silenced here, is the process's.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let (mut compared, mut accepted) = (0, 0);
    let mut differ = Vec::new();
    for line in lines {
        let Ok(reference) = theirs(&line) else {
            assert!(
                ours(&line).is_none(),
                "pep508_rs panics on {line:?}; sciguard must refuse it"
            );
            continue;
        };
        compared += 1;
        accepted += usize::from(reference.is_some());
        let mine = ours(&line);
        if mine != reference {
            differ.push(format!(
                "{line:?}\n  sciguard:  {mine:?}\n  pep508_rs: {reference:?}"
            ));
        }
    }
    panic::set_hook(hook);
    assert!(
        differ.is_empty(),
        "{} lines read differently:\n{}",
        differ.len(),
        differ[..differ.len().min(20)].join("\n")
    );
    (compared, accepted)
}

#[test]
fn every_requirement_line_of_the_fixtures_reads_as_pep508_rs_reads_it() {
    let mut lines = Vec::new();
    let mut folders = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures"
    ))];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .contains("requirements")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                lines.extend(
                    text.lines()
                        .map(|l| l.split(" #").next().unwrap().trim().to_string())
                        .filter(|l| !l.is_empty() && !l.starts_with(['#', '-'])),
                );
            }
        }
    }
    let (compared, accepted) = compare(lines);
    assert!(
        compared > 20 && accepted > 20,
        "{compared} compared, {accepted} accepted"
    );
}

/// Every `Requires-Dist` line of the installed Python packages on a machine of this kind
/// (1,052 distinct lines, collected from their `METADATA` files): real specifiers, with
/// extras, parenthesised versions and markers.
#[test]
fn real_requires_dist_lines_read_as_pep508_rs_reads_them() {
    let text = include_str!("fixtures/pep508/requires-dist.txt");
    let (compared, accepted) = compare(text.lines().map(str::to_string));
    eprintln!("{compared} Requires-Dist lines compared, {accepted} accepted by both");
    assert!(
        compared > 1_000 && accepted > 1_000,
        "{compared} compared, {accepted} accepted"
    );
}

#[test]
fn generated_lines_read_as_pep508_rs_reads_them() {
    // Each slot: well-formed pieces, then malformed ones (picked one time in eight).
    const NAMES: [&[&str]; 2] = [
        &["numpy", "Scikit_Learn.x", "a", "a.b", "1x", "torch"],
        &[
            "a-",
            "-a",
            "requests-2.31.0.tar.gz",
            "x.whl",
            "tar.gz",
            "é",
            "[x]",
            "",
        ],
    ];
    const SPACE: [&[&str]; 2] = [&["", " ", "  "], &["\t", "\u{a0}"]];
    const EXTRAS: [&[&str]; 2] = [
        &["", "[]", "[gpu]", "[gpu, docs]", "[ a ]", "[a.b_c]"],
        &["[", "[a,]", "[,a]", "[a b]", "[a-]", "[a", "[a;b]"],
    ];
    const ASKS: [&[&str]; 2] = [
        &[
            "",
            ">=1.0",
            ">= 1.0 , <2",
            "==1.*",
            "~=2.4.0",
            "(>=1.0)",
            "()",
            "!=1.2",
            "==1.0.post1.dev2",
            "( >=1 , <2 )",
            "===foo",
            "@ https://x.org/a.whl",
            "@ ./vendor/x",
            "@ git+https://x@main#egg=x",
            "@ file:///a b",
            "@\thttps://x.org/a",
        ],
        &[
            ">=>1",
            "(>=1",
            "1.0",
            "<=",
            ">=1.0,",
            "(>=1;)",
            ">1 extra",
            "@https://x.org/a;",
            "@",
            "@ https://x.org/a.whl;",
            "@ https://x.org/a# x",
        ],
    ];
    const MARKERS: [&[&str]; 2] = [
        &[
            "",
            " ; python_version < '3.8'",
            ";python_version<\"3\"and os_name=='nt'",
            "; (sys_platform == 'linux' or os_name == 'nt') and extra == 'gpu'",
            "; 'a' in sys_platform",
            "; platform_machine not in 'x86_64'",
            "; os.name == 'nt' or(os_name == 'nt')",
            "; ((python_version>'3'))",
            "; sys_platform=='linux'or os_name=='nt'",
            "; implementation_name == 'cpython' and python_full_version >= '3.9.1'",
            " ;python_version=='3' ",
        ],
        &[
            ";",
            "; python_version",
            "; version < '3'",
            "; python_version === '3'",
            "; (os_name == 'nt'",
            "; os_name == 'nt' xor",
            "; os_name == \"nt",
            "; os_name not'nt'",
            "; os_name notin 'nt'",
            "; python_version < '3' and",
            "; extra == 'a' )",
        ],
    ];
    const TAIL: [&[&str]; 2] = [&["", " ", "\t"], &[" x", ";", " #c", "#"]];
    // A fixed linear congruential sequence: the same lines on every run.
    let mut state: u64 = 0x5c16_0a2d;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let mut pick = |slot: [&[&'static str]; 2]| {
        let options = slot[usize::from(next() % 8 == 0)];
        options[next() % options.len()]
    };
    let lines: Vec<String> = (0..40_000)
        .map(|_| {
            [
                pick(SPACE),
                pick(NAMES),
                pick(SPACE),
                pick(EXTRAS),
                pick(SPACE),
                pick(ASKS),
                pick(SPACE),
                pick(MARKERS),
                pick(TAIL),
            ]
            .concat()
        })
        .collect();
    let (compared, accepted) = compare(lines);
    eprintln!("{compared} generated lines compared, {accepted} accepted by both");
    assert!(
        compared > 30_000 && accepted > 2_000,
        "{compared} compared, {accepted} accepted"
    );
}
