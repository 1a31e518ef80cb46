//! The dependencies the project's configuration files declare, which decide the
//! severity of version-dependent policies (`torch.load` without `weights_only`).

use crate::config::{Dependency, Requirement};
use crate::rules::policy::{GateOutcome, VersionGate};

/// A dependency declared in one of the checked files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    /// The file that declares it.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// The dependency.
    pub dependency: Dependency,
    /// The folder of the declaring file, in the run's path namespace (`""` for the top);
    /// it declares for the files below it.
    pub folder: String,
}

/// Every dependency the checked configuration files declare.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Declarations {
    items: Vec<Declaration>,
}

impl Declarations {
    /// Adds a declaration.
    pub fn push(&mut self, declaration: Declaration) {
        self.items.push(declaration);
    }

    /// The declarations that govern a file: those of the nearest folder above it that
    /// declares anything (its project root), as each project in a tree of several has
    /// its own `requirements.txt` or `pyproject.toml`.
    pub fn nearest(&self, path: &str) -> Declarations {
        let path = path.replace('\\', "/");
        let path = path.strip_prefix("./").unwrap_or(&path);
        let above = |folder: &str| folder.is_empty() || path.starts_with(&format!("{folder}/"));
        let Some(root) = self
            .items
            .iter()
            .map(|d| d.folder.as_str())
            .filter(|f| above(f))
            .max_by_key(|f| crate::selection::depth(f))
        else {
            return Declarations::default();
        };
        Declarations {
            items: self
                .items
                .iter()
                .filter(|d| d.folder == root)
                .cloned()
                .collect(),
        }
    }

    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The declarations of a package (normalized name).
    pub fn of<'d>(&'d self, package: &'d str) -> impl Iterator<Item = &'d Declaration> + 'd {
        self.items
            .iter()
            .filter(move |d| d.dependency.name == package)
    }

    /// What a version gate decides, and the note naming the declaration that drove it.
    pub fn decide(&self, gate: &VersionGate) -> (GateOutcome, String) {
        // URL requirements name no version.
        let declared: Vec<&Declaration> = self
            .of(&gate.package)
            .filter(|d| !matches!(d.dependency.requirement, Requirement::Url(_)))
            .collect();
        if declared.is_empty() {
            return (gate.undeclared.clone(), String::new());
        }
        let describe = |d: &Declaration, verb: &str, note: &str| {
            format!(
                " (`{}` in {}:{} {verb} {} {}: {note})",
                d.dependency.text, d.file, d.line, gate.package, gate.affected
            )
        };
        match declared
            .iter()
            .find(|d| d.dependency.admits_any(&gate.affected_versions))
        {
            Some(d) => (
                gate.admitted.clone(),
                describe(d, "admits", &gate.admitted_note),
            ),
            None => (
                gate.excluded.clone(),
                describe(declared[0], "excludes", &gate.excluded_note),
            ),
        }
    }
}
