//! What the project knows about a Python file beyond its text: which package it belongs
//! to and what kind of module it is. Rules use it to tell a package's calls to its own
//! API, testing helpers and re-exports apart from the code they guard.

use std::collections::HashMap;

/// The project's view of one Python file. The default is a lone snippet: no package,
/// an ordinary module.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FileContext<'a> {
    /// The file's dotted module name when it sits in a package (`scipy.signal._ltisys`;
    /// a package's `__init__.py` is named after the package).
    pub module: Option<&'a str>,
    /// Whether the file is a package's `__init__.py`.
    pub package_init: bool,
    /// Whether the file supports tests without being one (`pandas/_testing`,
    /// `sklearn/utils/estimator_checks.py`).
    pub testing_support: bool,
    /// Whether the file is a notebook (cells run top to bottom, nothing imports it).
    pub notebook: bool,
    /// Top-level import names that are this project's own (the package the file sits
    /// in, the project's declared name).
    pub first_party: &'a [String],
    /// The project's modules (dotted) and what their exports look like.
    pub modules: Option<&'a HashMap<String, ModuleShape>>,
    /// APIs (qualified names or prefixes) whose use the project wants to know about:
    /// those of advisories that concern one API only (`PIL.ImageMath`).
    pub watched: &'a [String],
}

/// What a module of the project exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ModuleShape {
    /// It lists its exports in `__all__`.
    DeclaresAll,
    /// A package (`__init__.py`) without `__all__`: it gathers its submodules' names.
    Package,
    /// A plain module without `__all__`: a star import takes every name it binds.
    Plain,
}

impl<'a> FileContext<'a> {
    /// Whether a qualified name (`sympy.core.sympify.sympify`) is this project's own API.
    pub fn is_first_party(&self, qualified: &str) -> bool {
        let top = qualified.split('.').next().unwrap_or(qualified);
        self.first_party.iter().any(|p| p == top)
    }

    /// The absolute module a `from <level dots><module> import ...` names, resolved
    /// against this file's own module.
    pub fn resolve_relative(&self, level: u32, module: Option<&str>) -> Option<String> {
        if level == 0 {
            return module.map(str::to_string);
        }
        let own = self.module?;
        let mut parts: Vec<&str> = own.split('.').collect();
        // A module's level-1 base is its package; a package `__init__` is its own base.
        let drop = if self.package_init { level - 1 } else { level };
        for _ in 0..drop {
            parts.pop()?;
        }
        if parts.is_empty() {
            return None;
        }
        let mut resolved = parts.join(".");
        if let Some(module) = module {
            resolved.push('.');
            resolved.push_str(module);
        }
        Some(resolved)
    }

    /// The watched API a qualified name uses, if any.
    pub fn watched_use(&self, qualified: &str) -> Option<&'a str> {
        self.watched
            .iter()
            .find(|w| {
                qualified.starts_with(w.as_str())
                    && matches!(qualified.as_bytes().get(w.len()), None | Some(b'.'))
            })
            .map(String::as_str)
    }

    /// The shape of one of the project's modules; `None` for modules it has no source
    /// of (compiled extensions, other projects).
    pub fn module_shape(&self, module: &str) -> Option<ModuleShape> {
        self.modules?.get(module).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_imports_resolve_against_the_module() {
        let first_party = ["scipy".to_string()];
        let module = FileContext {
            module: Some("scipy.signal._ltisys"),
            first_party: &first_party,
            ..FileContext::default()
        };
        assert_eq!(
            module.resolve_relative(1, Some("_filters")).as_deref(),
            Some("scipy.signal._filters")
        );
        assert_eq!(module.resolve_relative(2, None).as_deref(), Some("scipy"));
        let init = FileContext {
            module: Some("scipy.signal"),
            package_init: true,
            ..module
        };
        assert_eq!(
            init.resolve_relative(1, Some("_ltisys")).as_deref(),
            Some("scipy.signal._ltisys")
        );
        assert_eq!(init.resolve_relative(3, None), None);
        assert!(module.is_first_party("scipy.linalg.solve"));
        assert!(!module.is_first_party("scipyx.solve"));
    }
}
