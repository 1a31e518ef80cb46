//! The semantic model: scopes and bindings, so that every name used in a rule is
//! resolved to its fully qualified origin (`np.load` → `numpy.load`).
//!
//! Bindings are recorded in source order while the checker walks the tree. Function
//! bodies are walked after the enclosing scope is complete (as Python resolves globals
//! late), so a function can use an import that appears below it.

use ruff_python_ast::name::Name;
use rustc_hash::FxHashMap;

/// What a name is bound to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// A module or a member of one: the qualified name (`numpy`, `numpy.load`).
    Import(Box<str>),
    /// An instance of a known class (`requests.Session`).
    Instance(Box<str>),
    /// Assigned only constant values (strings, numbers, …).
    Constant,
    /// A value read from outside the process (`f.read()`, a web request, `sys.stdin`).
    Outside,
    /// A value the person running the process typed (`sys.argv[1]`, `input()`): from
    /// outside, but from the one person who could as well run any code directly.
    CommandLine,
    /// Anything else: a parameter, a computed value. Resolution stops here.
    Local,
    /// Declared `global`: look the name up in the module scope.
    Global,
}

/// The kind of a scope, which decides what nested functions can see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// The module.
    Module,
    /// A class body: invisible from the methods defined in it.
    Class,
    /// A function or lambda body.
    Function,
    /// A comprehension.
    Comprehension,
}

/// Index of a scope in the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScopeId(u32);

#[derive(Debug)]
struct Scope {
    kind: ScopeKind,
    parent: Option<ScopeId>,
    bindings: FxHashMap<Name, Binding>,
    /// For classes: instance attributes known to hold an instance (`self.session`).
    instance_attributes: FxHashMap<Name, Box<str>>,
}

/// Calls whose result is an instance of a known class.
const INSTANCE_FACTORIES: &[(&str, &str)] = &[
    ("requests.Session", "requests.Session"),
    ("requests.session", "requests.Session"),
    ("requests.sessions.Session", "requests.Session"),
    ("httpx.Client", "httpx.Client"),
    ("httpx.AsyncClient", "httpx.AsyncClient"),
    ("pandas.DataFrame", "pandas.DataFrame"),
    ("pandas.read_csv", "pandas.DataFrame"),
    ("pandas.read_table", "pandas.DataFrame"),
    ("pandas.read_parquet", "pandas.DataFrame"),
    ("pandas.read_feather", "pandas.DataFrame"),
    ("pandas.read_excel", "pandas.DataFrame"),
    ("pandas.read_json", "pandas.DataFrame"),
    ("pandas.read_sql", "pandas.DataFrame"),
    ("pandas.read_sql_query", "pandas.DataFrame"),
    ("pandas.read_sql_table", "pandas.DataFrame"),
    ("pandas.read_orc", "pandas.DataFrame"),
    ("pandas.read_stata", "pandas.DataFrame"),
    ("pandas.concat", "pandas.DataFrame"),
    ("ssl.create_default_context", "ssl.SSLContext"),
    ("ssl.SSLContext", "ssl.SSLContext"),
    ("urllib3.PoolManager", "urllib3.PoolManager"),
    ("flask.Flask", "flask.Flask"),
];

/// The class of the instance a call to this qualified name returns, if known.
pub fn instance_class(callee: &str) -> Option<&'static str> {
    INSTANCE_FACTORIES
        .iter()
        .find(|(factory, _)| *factory == callee)
        .map(|(_, class)| *class)
}

/// Scopes and bindings for one module.
#[derive(Debug)]
pub struct SemanticModel {
    scopes: Vec<Scope>,
    current: ScopeId,
    /// In a method: the name of its first parameter (`self`) and its class's scope.
    receiver: Option<(Name, ScopeId)>,
}

impl Default for SemanticModel {
    fn default() -> Self {
        SemanticModel::new()
    }
}

impl SemanticModel {
    /// A model holding only the (empty) module scope.
    pub fn new() -> SemanticModel {
        SemanticModel {
            scopes: vec![Scope {
                kind: ScopeKind::Module,
                parent: None,
                bindings: FxHashMap::default(),
                instance_attributes: FxHashMap::default(),
            }],
            current: ScopeId(0),
            receiver: None,
        }
    }

    /// The scope being walked.
    pub fn current_scope(&self) -> ScopeId {
        self.current
    }

    /// Whether the walk is at module level (not inside a function or class).
    pub fn at_module_level(&self) -> bool {
        self.current.0 == 0
    }

    /// Opens a scope nested in `parent` and makes it current.
    pub fn push_scope(&mut self, kind: ScopeKind, parent: ScopeId) -> ScopeId {
        let id = ScopeId(self.scopes.len() as u32);
        self.scopes.push(Scope {
            kind,
            parent: Some(parent),
            bindings: FxHashMap::default(),
            instance_attributes: FxHashMap::default(),
        });
        self.current = id;
        id
    }

    /// The kind of a scope.
    pub fn kind(&self, scope: ScopeId) -> ScopeKind {
        self.scopes[scope.0 as usize].kind
    }

    /// Sets the receiver of the method being walked (`self` of class scope `class`).
    pub fn set_receiver(&mut self, receiver: Option<(&str, ScopeId)>) {
        self.receiver = receiver.map(|(name, class)| (Name::from(name), class));
    }

    /// Records that `self.<attribute>` holds an instance of `class`, for every method.
    /// Returns false when the expression is not an attribute of the current receiver.
    pub fn bind_receiver_attribute(&mut self, target: &ruff_python_ast::Expr, class: &str) -> bool {
        let Some(class_scope) = self.receiver_class_of(target) else {
            return false;
        };
        let ruff_python_ast::Expr::Attribute(attr) = target else {
            return false;
        };
        self.scopes[class_scope.0 as usize]
            .instance_attributes
            .insert(attr.attr.id.clone(), class.into());
        true
    }

    /// The class scope when `expr` is `<receiver>.<attr>` inside a method.
    fn receiver_class_of(&self, expr: &ruff_python_ast::Expr) -> Option<ScopeId> {
        let (receiver, class) = self.receiver.as_ref()?;
        let ruff_python_ast::Expr::Attribute(attr) = expr else {
            return None;
        };
        let ruff_python_ast::Expr::Name(name) = attr.value.as_ref() else {
            return None;
        };
        (name.id == *receiver && self.lookup(&name.id) == Some(&Binding::Local)).then_some(*class)
    }

    /// Makes `scope` current again (after a nested scope is done).
    pub fn set_current(&mut self, scope: ScopeId) {
        self.current = scope;
    }

    /// Binds a name in the current scope. A `global` declaration redirects the
    /// binding to the module scope.
    pub fn bind(&mut self, name: &str, binding: Binding) {
        let mut scope = self.current;
        if self.scopes[scope.0 as usize].bindings.get(name) == Some(&Binding::Global) {
            scope = ScopeId(0);
        }
        self.scopes[scope.0 as usize]
            .bindings
            .insert(Name::from(name), binding);
    }

    /// Binds a name from code that may not run (an `if` branch, an `except` handler, a
    /// loop body). The result keeps what any path could leave: an import stays an
    /// import (`except ImportError: torch = None`), and a constant only stays constant
    /// if it was constant before (`if not cmd: cmd = "ls"` keeps `cmd` a user value).
    pub fn bind_conditionally(&mut self, name: &str, binding: Binding) {
        let scope = &self.scopes[self.current.0 as usize];
        let merged = match (scope.bindings.get(name), binding) {
            (None | Some(Binding::Global), new) => new,
            (
                Some(old @ (Binding::Import(_) | Binding::Instance(_))),
                Binding::Constant | Binding::Local,
            ) => old.clone(),
            (Some(Binding::Constant), Binding::Constant) => Binding::Constant,
            // Read from outside on one branch: possibly from outside after it.
            (Some(Binding::Outside), Binding::Constant | Binding::Local | Binding::CommandLine) => {
                Binding::Outside
            }
            (Some(Binding::CommandLine), Binding::Constant | Binding::Local) => {
                Binding::CommandLine
            }
            (Some(Binding::Local), Binding::Constant) => Binding::Local,
            (Some(_), new) => new,
        };
        self.bind(name, merged);
    }

    /// Binds a name in the nearest scope that is not a comprehension (for `:=`).
    pub fn bind_outside_comprehensions(&mut self, name: &str, binding: Binding) {
        let current = self.current;
        while self.scopes[self.current.0 as usize].kind == ScopeKind::Comprehension {
            match self.scopes[self.current.0 as usize].parent {
                Some(parent) => self.current = parent,
                None => break,
            }
        }
        self.bind(name, binding);
        self.current = current;
    }

    /// Finds the binding a name refers to from the current scope. Class scopes are
    /// only visible from their own body, as in Python.
    pub fn lookup(&self, name: &str) -> Option<&Binding> {
        let mut scope = Some(self.current);
        let mut first = true;
        while let Some(id) = scope {
            let s = &self.scopes[id.0 as usize];
            if first || s.kind != ScopeKind::Class {
                match s.bindings.get(name) {
                    Some(Binding::Global) => return self.scopes[0].bindings.get(name),
                    Some(binding) => return Some(binding),
                    None => {}
                }
            }
            first = false;
            scope = s.parent;
        }
        None
    }

    /// Whether a name is bound only to constants.
    pub fn is_constant_name(&self, name: &str) -> bool {
        self.lookup(name) == Some(&Binding::Constant)
    }

    /// Writes the qualified name of a name, attribute chain or instance method into
    /// `out` (cleared first). Returns false when the expression does not resolve: it
    /// is a local value, or not a name at all. No allocation once `out` has grown.
    pub fn resolve(&self, expr: &ruff_python_ast::Expr, out: &mut String) -> bool {
        out.clear();
        self.resolve_into(expr, out, 0)
    }

    fn resolve_into(&self, expr: &ruff_python_ast::Expr, out: &mut String, depth: u32) -> bool {
        use ruff_python_ast::Expr;
        if depth > 32 {
            return false;
        }
        match expr {
            Expr::Name(name) => match self.lookup(&name.id) {
                Some(Binding::Import(qualified)) => {
                    out.push_str(qualified);
                    true
                }
                Some(_) => false,
                None => {
                    out.push_str("builtins.");
                    out.push_str(&name.id);
                    true
                }
            },
            Expr::Attribute(attr) => {
                let receiver_ok = match attr.value.as_ref() {
                    Expr::Name(name) => match self.lookup(&name.id) {
                        Some(Binding::Instance(class)) => {
                            out.push_str(class);
                            true
                        }
                        _ => self.resolve_into(&attr.value, out, depth + 1),
                    },
                    // `self.session.get(...)` where a method set `self.session = requests.Session()`.
                    Expr::Attribute(inner) if self.receiver_class_of(&attr.value).is_some() => {
                        let class = self
                            .receiver_class_of(&attr.value)
                            .expect("checked by the guard");
                        match self.scopes[class.0 as usize]
                            .instance_attributes
                            .get(inner.attr.id.as_str())
                        {
                            Some(instance) => {
                                out.push_str(instance);
                                true
                            }
                            None => false,
                        }
                    }
                    // `__import__("pickle").loads`, `getattr(pickle, "loads")`.
                    Expr::Call(call) if self.resolve_dynamic(call, out, depth + 1) => true,
                    // `requests.Session().get(...)`: a method on a fresh instance.
                    Expr::Call(call) => {
                        out.clear();
                        if self.resolve_into(&call.func, out, depth + 1) {
                            match instance_class(out) {
                                Some(class) => {
                                    out.clear();
                                    out.push_str(class);
                                    true
                                }
                                None => false,
                            }
                        } else {
                            false
                        }
                    }
                    _ => self.resolve_into(&attr.value, out, depth + 1),
                };
                if receiver_ok {
                    out.push('.');
                    out.push_str(&attr.attr.id);
                }
                receiver_ok
            }
            Expr::Call(call) => self.resolve_dynamic(call, out, depth + 1),
            _ => false,
        }
    }

    /// Names reached dynamically with constant text: `__import__("pickle")` and
    /// `importlib.import_module("pickle")` name the module, `getattr(pickle, "loads")` the
    /// attribute.
    fn resolve_dynamic(
        &self,
        call: &ruff_python_ast::ExprCall,
        out: &mut String,
        depth: u32,
    ) -> bool {
        use ruff_python_ast::Expr;
        // Only these spellings can reach a name dynamically: look before resolving, so a
        // long chain of ordinary calls is not resolved twice at every link.
        let candidate = match call.func.as_ref() {
            Expr::Name(n) => matches!(n.id.as_str(), "getattr" | "__import__" | "import_module"),
            Expr::Attribute(a) => a.attr.id == "import_module",
            _ => false,
        };
        if !candidate {
            return false;
        }
        let start = out.len();
        let mut callee = String::new();
        if !self.resolve_into(&call.func, &mut callee, depth + 1) {
            return false;
        }
        let text = |e: Option<&Expr>| match e {
            Some(Expr::StringLiteral(s)) => Some(s.value.to_str().to_string()),
            _ => None,
        };
        let args = &call.arguments.args;
        match callee.as_str() {
            "builtins.__import__" | "importlib.import_module" => match text(args.first()) {
                Some(module) if !module.starts_with('.') => {
                    out.push_str(&module);
                    true
                }
                _ => false,
            },
            "builtins.getattr" if args.len() == 2 => {
                let Some(name) = text(args.get(1)) else {
                    return false;
                };
                if self.resolve_into(&args[0], out, depth + 1) {
                    out.push('.');
                    out.push_str(&name);
                    true
                } else {
                    out.truncate(start);
                    false
                }
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_scopes_are_invisible_from_methods() {
        let mut m = SemanticModel::new();
        m.bind("np", Binding::Import("numpy".into()));
        let class = m.push_scope(ScopeKind::Class, ScopeId(0));
        m.bind("np", Binding::Local);
        assert_eq!(m.lookup("np"), Some(&Binding::Local));
        m.push_scope(ScopeKind::Function, class);
        assert_eq!(m.lookup("np"), Some(&Binding::Import("numpy".into())));
    }

    #[test]
    fn global_declarations_bind_at_module_level() {
        let mut m = SemanticModel::new();
        let f = m.push_scope(ScopeKind::Function, ScopeId(0));
        m.bind("cache", Binding::Global);
        m.bind("cache", Binding::Import("pickle".into()));
        m.set_current(ScopeId(0));
        assert_eq!(m.lookup("cache"), Some(&Binding::Import("pickle".into())));
        m.set_current(f);
        assert_eq!(m.lookup("cache"), Some(&Binding::Import("pickle".into())));
    }
}
