//! Organisation policies in the site: policy files (the rule-page format, `ORG` codes)
//! that a person pastes or opens, kept in this browser's local storage, or that an
//! embed names in its fragment. The engine turns them into rules
//! (`Registry::with_organisation`); this module only keeps the files and caches the
//! registry they make, on the page and in the worker alike.

use sciguard::rules::Registry;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// Where the policy files are kept (a JSON array of [`PolicyFile`]).
pub const KEPT_KEY: &str = "sciguard.policies";

/// One policy file: its name (shown in errors) and its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyFile {
    /// The file name, such as `ORG100-no-http-datasets.md`.
    pub name: String,
    /// The page: `+++` front matter with `[[policy]]` tables, then Markdown.
    pub content: String,
}

/// A registry and the errors of the files that could not be loaded.
struct Loaded {
    files: Vec<PolicyFile>,
    registry: &'static Registry,
    errors: Vec<String>,
}

thread_local! {
    /// The registry of the latest set of policy files. Policy files change seldom (a
    /// person adds or removes one), so a new set's registry is built once and kept for
    /// the page's life; checks in between reuse it.
    static LOADED: RefCell<Option<Loaded>> = const { RefCell::new(None) };
    /// Policy files an embed named in its fragment: they replace the kept ones there.
    static OVERRIDE: RefCell<Option<Vec<PolicyFile>>> = const { RefCell::new(None) };
    /// The kept policy files, read from storage once and replaced by [`keep`]: a check
    /// on every debounced edit reads them from here.
    static KEPT: RefCell<Option<Vec<PolicyFile>>> = const { RefCell::new(None) };
}

/// The registry for these policy files (the built-in one when there are none), and
/// the errors of the files left out, each naming the file, line and field.
pub fn registry_for(files: &[PolicyFile]) -> (&'static Registry, Vec<String>) {
    if files.is_empty() {
        return (Registry::builtin(), Vec::new());
    }
    LOADED.with(|loaded| {
        let mut loaded = loaded.borrow_mut();
        if let Some(hit) = loaded.as_ref().filter(|l| l.files == files) {
            return (hit.registry, hit.errors.clone());
        }
        let (registry, errors) = Registry::with_organisation(
            files.iter().map(|f| (f.name.as_str(), f.content.as_str())),
        );
        let registry: &'static Registry = Box::leak(Box::new(registry));
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        *loaded = Some(Loaded {
            files: files.to_vec(),
            registry,
            errors: errors.clone(),
        });
        (registry, errors)
    })
}

/// The policy files in force on this page: an embed's own, else the kept ones.
pub fn current() -> Vec<PolicyFile> {
    OVERRIDE
        .with(|o| o.borrow().clone())
        .unwrap_or_else(load_kept)
}

/// The registry pages show rules from: the built-in rules plus [`current`] policies.
pub fn registry() -> &'static Registry {
    registry_for(&current()).0
}

/// Makes an embed's policy files the ones in force on this page (they are not kept).
pub fn set_override(files: Vec<PolicyFile>) {
    OVERRIDE.with(|o| *o.borrow_mut() = Some(files));
}

/// The policy files kept in this browser (none when storage is unavailable or holds
/// something unreadable).
pub fn load_kept() -> Vec<PolicyFile> {
    KEPT.with(|kept| {
        kept.borrow_mut()
            .get_or_insert_with(|| crate::kept::json(KEPT_KEY).unwrap_or_default())
            .clone()
    })
}

/// Puts the policy files in force and keeps them in this browser; an error says why
/// they could not be kept.
pub fn keep(files: &[PolicyFile]) -> Result<(), String> {
    KEPT.with(|kept| *kept.borrow_mut() = Some(files.to_vec()));
    crate::kept::keep_json(KEPT_KEY, &files)
}

/// A policy file's code and name, or why it was left out.
pub type Described = Result<(String, String), String>;

/// What a policy file defines, for the list on the policies page: its code and name,
/// or why it was left out.
pub fn describe(file: &PolicyFile) -> Described {
    let (registry, errors) =
        Registry::with_organisation([(file.name.as_str(), file.content.as_str())]);
    if let Some(error) = errors.first() {
        return Err(error.to_string());
    }
    let defined = registry
        .rules()
        .map(|(_, rule)| rule)
        .find(|rule| rule.code.starts_with("ORG"))
        .map(|rule| (rule.code.clone(), rule.name.clone()));
    defined.ok_or_else(|| format!("{}: defines no policy", file.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(name: &str) -> PolicyFile {
        let path = format!(
            "{}/../playbooks/organisation/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let content = std::fs::read_to_string(&path).expect("example policy");
        PolicyFile {
            name: name.to_string(),
            content,
        }
    }

    fn examples() -> Vec<PolicyFile> {
        let folder = format!("{}/../playbooks/organisation", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .expect("examples")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".md"))
            .collect();
        names.sort();
        names.iter().map(|n| example(n)).collect()
    }

    #[test]
    fn the_registry_is_built_once_per_set_of_files() {
        let files = examples();
        let (first, errors) = registry_for(&files);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(first.find("ORG001").is_some());
        let (again, _) = registry_for(&files);
        assert!(std::ptr::eq(first, again));
        let (builtin, _) = registry_for(&[]);
        assert!(builtin.find("ORG001").is_none());
    }

    #[test]
    fn a_broken_file_is_described_and_the_others_still_load() {
        let mut files = examples();
        files.push(PolicyFile {
            name: "ORG777-broken.md".into(),
            content: "+++\ncode = \"ORG777\"\nname = \"broken\"\npillar = \"edges\"\nseverity = \"urgent\"\nsummary = \"x\"\n[[policy]]\ncalls = [\"os.system\"]\nmessage = \"m\"\n+++\n".into(),
        });
        let (registry, errors) = registry_for(&files);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("ORG777-broken.md:5:"),
            "{}",
            errors[0]
        );
        assert!(registry.find("ORG002").is_some());
        assert!(describe(&files[files.len() - 1]).is_err());
        let (code, _) = describe(&files[0]).expect("a valid example");
        assert!(code.starts_with("ORG"));
    }
}
