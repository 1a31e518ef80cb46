//! `cargo xtask new-rule CODE name --pillar P [--rust] [--family F]`: writes the
//! skeleton of a rule (its page, its fixture and, for a Rust rule, its file and its
//! registration line), for a contributor to fill in.

use crate::Result;
use std::path::Path;

const PILLARS: [&str; 4] = ["boundaries", "edges", "feedback", "failure"];

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    code: String,
    name: String,
    pillar: String,
    family: Option<String>,
    rust: bool,
}

impl Request {
    /// Reads `CODE name --pillar P [--rust] [--family F]`.
    pub fn parse(args: &[String]) -> Result<Request> {
        let usage = "usage: cargo xtask new-rule CODE name --pillar boundaries|edges|feedback|failure [--rust] [--family F]";
        let mut positional = Vec::new();
        let (mut pillar, mut family, mut rust) = (None, None, false);
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--pillar" => pillar = args.next().cloned(),
                "--family" => family = args.next().cloned(),
                "--rust" => rust = true,
                other if other.starts_with("--") => {
                    return Err(format!("unknown option {other}\n{usage}"))
                }
                other => positional.push(other.to_string()),
            }
        }
        let [code, name] = <[String; 2]>::try_from(positional).map_err(|_| usage.to_string())?;
        let pillar = pillar.ok_or_else(|| format!("--pillar is required\n{usage}"))?;
        if !(code.len() == 6
            && code.starts_with("SCI")
            && code[3..].bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format!("`{code}`: a code is SCI followed by three digits (SCI1xx boundaries, SCI2xx edges, SCI3xx feedback, SCI4xx failure, SCI5xx configuration)"));
        }
        let kebab = !name.is_empty()
            && !name.starts_with('-')
            && !name.ends_with('-')
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !kebab {
            return Err(format!(
                "`{name}`: a rule name is kebab-case (`numpy-load-allow-pickle`)"
            ));
        }
        if !PILLARS.contains(&pillar.as_str()) {
            return Err(format!("`{pillar}` is not one of {}", PILLARS.join(", ")));
        }
        Ok(Request {
            code,
            name,
            pillar,
            family,
            rust,
        })
    }

    fn is_config(&self) -> bool {
        self.code.starts_with("SCI5")
    }

    fn snake(&self) -> String {
        self.name.replace('-', "_")
    }

    fn type_name(&self) -> String {
        self.name
            .split('-')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect()
    }

    fn family(&self) -> String {
        self.family.clone().unwrap_or_else(|| {
            match (self.is_config(), self.pillar.as_str()) {
                (true, _) => "dependencies",
                (_, "boundaries") => "global-state",
                (_, "edges") => "input-validation",
                (_, "feedback") => "logging",
                _ => "exceptions",
            }
            .to_string()
        })
    }
}

/// Writes the files; returns what was written, for the contributor's next steps.
pub fn write(root: &Path, request: &Request) -> Result<Vec<String>> {
    let pages = root.join("playbooks/rules");
    let taken = std::fs::read_dir(&pages)
        .map_err(|e| format!("{}: {e}", pages.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .find(|f| {
            f.starts_with(&format!("{}-", request.code))
                || f.ends_with(&format!("-{}.md", request.name))
        });
    if let Some(page) = taken {
        return Err(format!("{}: the code or the name is already taken", page));
    }
    let families = std::fs::read_to_string(root.join("crates/sciguard/src/checklist/templates.rs"))
        .map_err(|e| e.to_string())?;
    let family = request.family();
    if !families.contains(&format!("key: \"{family}\"")) {
        return Err(format!("family `{family}` is not a key of RULE_FAMILIES in crates/sciguard/src/checklist/templates.rs"));
    }
    let mut written = Vec::new();
    let page = pages.join(format!("{}-{}.md", request.code, request.name));
    create(&page, &page_text(request, &family))?;
    written.push(relative(root, &page));
    let fixtures = root.join("crates/sciguard/tests/fixtures/rules");
    let fixture = if request.is_config() {
        fixtures.join(&request.code).join("requirements.txt")
    } else {
        fixtures.join(format!("{}.py", request.code))
    };
    create(&fixture, &fixture_text(request))?;
    written.push(relative(root, &fixture));
    if request.rust {
        let folder = if request.is_config() {
            "config"
        } else {
            request.pillar.as_str()
        };
        let file = root
            .join("crates/sciguard/src/rules")
            .join(folder)
            .join(format!("{}.rs", request.snake()));
        create(&file, &rust_text(request))?;
        written.push(relative(root, &file));
        let registry = root.join("crates/sciguard/src/rules/mod.rs");
        register(
            &registry,
            folder,
            &format!("{}::{}", request.snake(), request.type_name()),
        )?;
        written.push(format!(
            "{} (one registration line)",
            relative(root, &registry)
        ));
    }
    Ok(written)
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn create(path: &Path, text: &str) -> Result {
    if path.exists() {
        return Err(format!("{} already exists", path.display()));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Adds `file::Type,` as the last line of the folder's list in `register_rules!`.
fn register(registry: &Path, folder: &str, line: &str) -> Result {
    let text = std::fs::read_to_string(registry).map_err(|e| e.to_string())?;
    let invocation = text
        .find("register_rules! {")
        .ok_or("rules/mod.rs has no `register_rules! {` invocation")?;
    let list = text[invocation..]
        .find(&format!("{folder}: ["))
        .map(|i| invocation + i)
        .ok_or_else(|| format!("rules/mod.rs: no `{folder}: [` list in register_rules!"))?;
    let close = list
        + text[list..]
            .find("\n        ],")
            .or_else(|| text[list..].find("\n    ],"))
            .ok_or("unclosed list")?;
    let indent = if folder == "config" {
        "        "
    } else {
        "            "
    };
    let updated = format!("{}\n{indent}{line},{}", &text[..close], &text[close..]);
    std::fs::write(registry, updated).map_err(|e| e.to_string())
}

fn page_text(request: &Request, family: &str) -> String {
    let policy = if request.rust {
        String::new()
    } else {
        "\n[[policy]]\ncalls = [\"package.module.function\"]  # TODO: the qualified names to match\nwhen = [{ arg = \"option\", is = [\"True\"] }]  # TODO: argument conditions (see rules/policy.rs)\nmessage = \"`{name}` is called with `option=True`: TODO say what goes wrong\"\n".to_string()
    };
    let (fence, example) = if request.is_config() {
        ("requirements", "TODO-package  # the example must fire\n")
    } else {
        ("python", "import package\n\npackage.module.function(data, option=True)  # the example must fire\n")
    };
    format!(
        "+++\ncode = \"{code}\"\nname = \"{name}\"\npillar = \"{pillar}\"\nseverity = \"medium\"\nfamily = \"{family}\"\nsummary = \"TODO: one line, what the rule reports.\"\n{policy}+++\n\n## What it does\n\nTODO: what is reported, and what is not (near-misses).\n\n## Why is this bad?\n\nTODO: the failure or attack it prevents, with a source.\n\n## Example\n\n```{fence}\n{example}```\n\n## Use instead\n\n```{fence}\nTODO: the fixed example (it must not fire)\n```\n\n## References\n\n- TODO\n",
        code = request.code,
        name = request.name,
        pillar = request.pillar,
    )
}

fn fixture_text(request: &Request) -> String {
    if request.is_config() {
        "# A realistic file: `# fires` at the end of each line a finding must start on,\n# `# ok: why` on near-misses that must stay silent.\nTODO-package  # fires\nnumpy==1.26.4  # ok: TODO why\n".to_string()
    } else {
        "# A realistic module: `# fires` at the end of each line a finding must start on,\n# `# ok: why` on near-misses that must stay silent.\nimport package\n\npackage.module.function(data, option=True)  # fires\npackage.module.function(data)  # ok: TODO why\n".to_string()
    }
}

fn rust_text(request: &Request) -> String {
    let header = format!(
        "//! {} {}: TODO one line on what it reports.\n\n",
        request.code, request.name
    );
    if request.is_config() {
        format!(
            "{header}use crate::rules::config_file::{{ConfigFile, ConfigFinding}};\n\n/// The rule's code.\npub const CODE: &str = \"{code}\";\n\n/// Reports TODO in one configuration file (its neutral shapes: `file.parsed`).\npub fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {{\n    for dependency in &file.parsed.dependencies {{\n        // TODO: decide; report with the byte range of what is flagged.\n        let _ = (dependency, &out);\n    }}\n}}\n\n/// The rule, as registered in `rules/mod.rs`.\npub(crate) struct {ty};\n\nimpl crate::rules::ConfigRule for {ty} {{\n    const CODES: &'static [&'static str] = &[CODE];\n\n    fn check(file: &ConfigFile<'_>, out: &mut Vec<ConfigFinding>) {{\n        check(file, out);\n    }}\n}}\n",
            code = request.code,
            ty = request.type_name(),
        )
    } else {
        format!(
            "{header}use crate::rules::checker::Checker;\nuse crate::rules::{{PythonRule, RuleId}};\nuse ruff_python_ast::{{Expr, Stmt}};\n\n/// The rule's code.\npub const CODE: &str = \"{code}\";\n\n/// The rule, as registered in `rules/mod.rs`. Override only the hooks it needs.\npub(crate) struct {ty};\n\nimpl PythonRule for {ty} {{\n    const CODE: &'static str = CODE;\n\n    fn statement(checker: &mut Checker<'_>, rule: RuleId, stmt: &Stmt) {{\n        // TODO: match the statement kinds the rule cares about; ask the semantic model\n        // for names (`checker.qualified_name(expr)`), never match `np.` prefixes.\n        let _ = (checker, rule, stmt);\n    }}\n\n    fn expression(checker: &mut Checker<'_>, rule: RuleId, expr: &Expr) {{\n        // TODO: or expressions; report with\n        // `checker.report(rule, range, message, None)`.\n        let _ = (checker, rule, expr);\n    }}\n}}\n",
            code = request.code,
            ty = request.type_name(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn parses_and_refuses_clearly() {
        let request = Request::parse(&args("SCI230 zip-slip --pillar edges --rust")).unwrap();
        assert_eq!(request.type_name(), "ZipSlip");
        assert_eq!(request.snake(), "zip_slip");
        assert!(request.rust);
        assert_eq!(request.family(), "input-validation");
        assert!(Request::parse(&args("SCI23 zip-slip --pillar edges")).is_err());
        assert!(Request::parse(&args("SCI230 Zip_Slip --pillar edges")).is_err());
        assert!(Request::parse(&args("SCI230 zip-slip --pillar nowhere")).is_err());
        assert!(Request::parse(&args("SCI230 zip-slip")).is_err());
    }

    #[test]
    fn registers_one_line_at_the_end_of_the_folder_list() {
        let dir = std::env::temp_dir().join(format!("xtask-new-rule-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let registry = dir.join("mod.rs");
        let text = "register_rules! {\n    python: {\n        edges: [\n            a::A,\n        ],\n        failure: [\n            b::B,\n        ],\n    },\n    config: [\n        c::C,\n    ],\n}\n";
        std::fs::write(&registry, text).unwrap();
        register(&registry, "edges", "zip_slip::ZipSlip").unwrap();
        register(&registry, "config", "d::D").unwrap();
        let after = std::fs::read_to_string(&registry).unwrap();
        assert!(
            after.contains(
                "            a::A,\n            zip_slip::ZipSlip,\n        ],\n        failure"
            ),
            "{after}"
        );
        assert!(
            after.contains("        c::C,\n        d::D,\n    ],"),
            "{after}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
