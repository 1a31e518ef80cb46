//! Files a module writes itself: `torch.save(model, "ckpt.pt")`, `joblib.dump(m,
//! path)` with `path = os.path.join(out, "model.joblib")`, `open("meta.pkl", "wb")`.
//! Loading a file the same code saved under the same name (resuming a checkpoint) is
//! not the hazard that loading a downloaded or user-given file is.

use super::SCAN_DEPTH;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::{FxHashMap, FxHashSet};

/// Where a name is bound: the start of its function, `None` for module level.
type Scope = Option<TextSize>;

/// Callee names (the last part) that write their object to a path or file.
const WRITERS: &[&str] = &[
    "save",
    "dump",
    "to_pickle",
    "savez",
    "savez_compressed",
    "save_model",
    "save_pretrained",
    "save_checkpoint",
];

/// How many assignments deep a name is followed (`path = join(out, NAME)`, `NAME = "x"`).
const FOLLOW: u32 = 3;

/// The names under which a module writes files, and its assignments to follow names.
#[derive(Default)]
pub(crate) struct WrittenFiles<'a> {
    assigned: FxHashMap<(Scope, &'a str), Vec<&'a Expr>>,
    names: FxHashSet<String>,
    /// The source of non-name path arguments (`f"{root}/{name}.joblib"`).
    texts: FxHashSet<&'a str>,
    /// Specific names of path arguments (`self.snapshot_path`, `ckpt_path`).
    idents: FxHashSet<&'a str>,
}

impl<'a> WrittenFiles<'a> {
    /// Scans a module (every scope) once.
    pub(crate) fn scan(source: &'a str, body: &'a [Stmt]) -> WrittenFiles<'a> {
        let mut scan = Scan {
            files: WrittenFiles::default(),
            writes: Vec::new(),
            scope: None,
            nesting: 0,
        };
        for stmt in body {
            scan.visit_stmt(stmt);
        }
        let mut files = scan.files;
        for (scope, expr) in scan.writes {
            let mut found = Vec::new();
            files.file_names(expr, scope, FOLLOW, &mut found);
            files.names.extend(found);
            if let Some(ident) = specific_ident(expr) {
                files.idents.insert(ident);
            }
            if !expr.is_name_expr() {
                if let Some(text) =
                    source.get(expr.range().start().to_usize()..expr.range().end().to_usize())
                {
                    files.texts.insert(text);
                }
            }
        }
        files
    }

    /// Whether `expr` (a load's path or file argument, in the function starting at
    /// `scope`) names a file this module writes.
    pub(crate) fn writes(&self, source: &str, expr: &Expr, scope: Scope) -> bool {
        if !expr.is_name_expr()
            && source
                .get(expr.range().start().to_usize()..expr.range().end().to_usize())
                .is_some_and(|text| self.texts.contains(text))
        {
            return true;
        }
        // `torch.save(state, self.snapshot_path)` and later `torch.load(snapshot_path)`.
        if specific_ident(expr).is_some_and(|ident| self.idents.contains(ident)) {
            return true;
        }
        if self.names.is_empty() {
            return false;
        }
        let mut found = Vec::new();
        self.file_names(expr, scope, FOLLOW, &mut found);
        found.iter().any(|name| self.names.contains(name))
    }

    /// The literal file names this module writes (`meta.pkl` for `os.path.join(out,
    /// "meta.pkl")`, `data/train.bin`), for other files of the project to compare with.
    pub(crate) fn file_names_written(&self) -> Vec<String> {
        let mut names: Vec<String> = self.names.iter().filter_map(|n| file_name(n)).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The literal file names in a load's path argument.
    pub(crate) fn file_names_loaded(&self, expr: &Expr, scope: Scope) -> Vec<String> {
        let mut found = Vec::new();
        self.file_names(expr, scope, FOLLOW, &mut found);
        let mut names: Vec<String> = found.iter().filter_map(|n| file_name(n)).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Whether `expr` is text that names this machine (`"http://localhost:8501/v1"`,
    /// or a name assigned only such text).
    pub(crate) fn is_local_url(&self, expr: &Expr, scope: Scope) -> bool {
        let mut texts = Vec::new();
        self.leading_texts(expr, scope, FOLLOW, &mut texts);
        !texts.is_empty() && texts.iter().all(|t| names_this_machine(t))
    }

    fn leading_texts(&self, expr: &Expr, scope: Scope, depth: u32, out: &mut Vec<String>) {
        // `"http://localhost:" + port + path`: the text starts with the leftmost operand
        // (walked in a loop: a chain may be very long).
        let mut expr = expr;
        while let Expr::BinOp(b) = expr {
            expr = &b.left;
        }
        match expr {
            Expr::StringLiteral(s) => out.push(s.value.to_str().to_string()),
            Expr::FString(f) => match f.value.elements().next() {
                Some(ast::InterpolatedStringElement::Literal(l)) => out.push(l.value.to_string()),
                _ => out.push(String::new()),
            },
            Expr::Name(name) if depth > 0 => {
                let id = name.id.as_str();
                let values = self
                    .assigned
                    .get(&(scope, id))
                    .or_else(|| self.assigned.get(&(None, id)));
                match values {
                    Some(values) => {
                        for value in values {
                            self.leading_texts(value, scope, depth - 1, out);
                        }
                    }
                    None => out.push(String::new()),
                }
            }
            _ => out.push(String::new()),
        }
    }

    /// The string constants in `expr` that look like file names (`"ckpt.pt"`,
    /// `"out/meta.pkl"`), following names through their assignments.
    fn file_names(&self, expr: &Expr, scope: Scope, depth: u32, out: &mut Vec<String>) {
        struct Strings<'s, 'a> {
            files: &'s WrittenFiles<'a>,
            scope: Scope,
            depth: u32,
            nesting: u32,
            out: &'s mut Vec<String>,
        }
        impl<'e> Visitor<'e> for Strings<'_, '_> {
            fn visit_expr(&mut self, expr: &'e Expr) {
                match expr {
                    Expr::StringLiteral(s) => {
                        let text = s.value.to_str();
                        if looks_like_file(text) {
                            self.out.push(text.to_string());
                        }
                    }
                    Expr::Name(name) if self.depth > 0 => {
                        let id = name.id.as_str();
                        // The function's own binding, else the module's.
                        let (scope, values) = match self.files.assigned.get(&(self.scope, id)) {
                            Some(values) => (self.scope, values),
                            None => match self.files.assigned.get(&(None, id)) {
                                Some(values) => (None, values),
                                None => return,
                            },
                        };
                        for value in values {
                            self.files
                                .file_names(value, scope, self.depth - 1, self.out);
                        }
                    }
                    Expr::Lambda(_) => {}
                    _ if self.nesting < SCAN_DEPTH => {
                        self.nesting += 1;
                        visitor::walk_expr(self, expr);
                        self.nesting -= 1;
                    }
                    _ => {}
                }
            }
        }
        Strings {
            files: self,
            scope,
            depth,
            nesting: 0,
            out,
        }
        .visit_expr(expr);
    }
}

/// The last name of a path argument (`self.snapshot_path` → `snapshot_path`) when it is
/// specific enough to identify one file: two words or more (`ckpt_path`), not `path`.
fn specific_ident(expr: &Expr) -> Option<&str> {
    let ident = match expr {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.id.as_str(),
        _ => return None,
    };
    let words = ident
        .trim_matches('_')
        .split('_')
        .filter(|w| !w.is_empty())
        .count();
    (words >= 2).then_some(ident)
}

/// A literal that names a file, as compared across files: without a leading `./`, and
/// with a stem and an extension in its last part (a folder alone identifies nothing).
/// The whole literal is kept: `models/ldm/last.ckpt` (a download) is not the
/// `last.ckpt` a training script writes into its run folder.
fn file_name(path: &str) -> Option<String> {
    let path = path.strip_prefix("./").unwrap_or(path);
    let last = path.rsplit(['/', '\\']).next()?;
    last.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty())
        .then(|| path.replace('\\', "/"))
}

/// `http://localhost:8501/...`, `http://127.0.0.1/...`: a URL of this machine.
fn names_this_machine(text: &str) -> bool {
    let rest = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"))
        .unwrap_or(text);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    host == "localhost"
        || host.starts_with("127.")
        || rest.starts_with("[::1]")
        || host == "0.0.0.0"
}

/// `ckpt.pt`, `meta.pkl`, `cache/`: a name with an extension or a folder, not a mode
/// (`"wb"`) or a key.
fn looks_like_file(text: &str) -> bool {
    let last = text.rsplit(['/', '\\']).next().unwrap_or(text);
    text.len() >= 3
        && (text.contains('/')
            || last
                .rsplit_once('.')
                .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty()))
}

struct Scan<'a> {
    files: WrittenFiles<'a>,
    /// The path arguments of writing calls, with their scope.
    writes: Vec<(Scope, &'a Expr)>,
    scope: Scope,
    nesting: u32,
}

impl<'a> Visitor<'a> for Scan<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    if let Expr::Name(name) = target {
                        self.files
                            .assigned
                            .entry((self.scope, name.id.as_str()))
                            .or_default()
                            .push(&assign.value);
                    }
                }
            }
            // `with open(path, "rb") as f:` binds `f` to the opened file.
            Stmt::With(with) => {
                for item in &with.items {
                    if let Some(Expr::Name(name)) = item.optional_vars.as_deref() {
                        self.files
                            .assigned
                            .entry((self.scope, name.id.as_str()))
                            .or_default()
                            .push(&item.context_expr);
                    }
                }
            }
            Stmt::FunctionDef(def) => {
                let outer = self.scope.replace(def.start());
                visitor::walk_stmt(self, stmt);
                self.scope = outer;
                return;
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            self.note_write(call);
        }
        if self.nesting < SCAN_DEPTH {
            self.nesting += 1;
            visitor::walk_expr(self, expr);
            self.nesting -= 1;
        }
    }
}

impl<'a> Scan<'a> {
    fn note_write(&mut self, call: &'a ast::ExprCall) {
        let name = match call.func.as_ref() {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => a.attr.id.as_str(),
            _ => return,
        };
        let args = &call.arguments;
        if name == "open" {
            // `open(path, "wb")`: written when the mode writes or appends.
            let mode = args
                .args
                .get(1)
                .or_else(|| args.find_keyword("mode").map(|k| &k.value));
            let writes = mode
                .and_then(Expr::as_string_literal_expr)
                .is_some_and(|m| m.value.to_str().contains(['w', 'a', 'x']));
            if writes {
                if let Some(path) = args.args.first() {
                    self.writes.push((self.scope, path));
                }
            }
        } else if WRITERS.contains(&name) {
            let scope = self.scope;
            self.writes.extend(args.args.iter().map(|a| (scope, a)));
            self.writes
                .extend(args.keywords.iter().map(|k| (scope, &k.value)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(source: &str, load_arg: &str) -> bool {
        let module = ruff_python_parser::parse_module(source).expect("valid Python");
        let files = WrittenFiles::scan(source, &module.syntax().body);
        let arg = ruff_python_parser::parse_expression(load_arg).expect("valid expression");
        files.writes(load_arg, &arg.syntax().body, None)
    }

    #[test]
    fn a_file_saved_under_the_same_name_is_the_modules_own() {
        let resume = "import os, torch\nckpt = os.path.join(out_dir, 'ckpt.pt')\ndef save(m):\n    torch.save(m, os.path.join(out_dir, 'ckpt.pt'))\n";
        assert!(written(resume, "ckpt"));
        assert!(written(resume, "os.path.join(out_dir, 'ckpt.pt')"));
        assert!(!written(resume, "args.checkpoint"));
        assert!(!written(resume, "'other.pt'"));
        let cache = "NAME = 'cal_housing.pkz'\npath = join(home, NAME)\njoblib.dump(data, path, compress=6)\n";
        assert!(written(cache, "path"));
        let pickled = "with open('meta.pkl', 'wb') as f:\n    pickle.dump(meta, f)\n";
        assert!(written(pickled, "open('meta.pkl', 'rb')"));
        // The file a `with` opened, followed to its name.
        let read =
            format!("{pickled}with open(os.path.join(d, 'meta.pkl'), 'rb') as g:\n    pass\n");
        assert!(written(&read, "g"));
        assert!(!written(
            "open('meta.pkl', 'rb')\n",
            "open('meta.pkl', 'rb')"
        ));
        // A mode is not a file name.
        assert!(!written("open(p, 'wb')\n", "open(q, 'wb')"));
        // A function's own `path` is not another function's.
        let scoped =
            "def save(m, out):\n    path = out + '/model.joblib'\n    joblib.dump(m, path)\n";
        assert!(!written(scoped, "path"));
        // The same specific name written and read, across methods.
        let snapshot =
            "class T:\n    def save(self, s):\n        torch.save(s, self.snapshot_path)\n";
        assert!(written(snapshot, "snapshot_path"));
        let generic = "def save(m, path):\n    joblib.dump(m, path)\n";
        assert!(!written(generic, "path"));
        // URLs of this machine, written or assigned.
        let module = ruff_python_parser::parse_module(
            "URL = 'http://localhost:8501/v1'\nother = 'https://api.example.org'\n",
        )
        .expect("valid");
        let files = WrittenFiles::scan("", &module.syntax().body);
        let expr = |e: &str| ruff_python_parser::parse_expression(e).expect("valid");
        assert!(files.is_local_url(&expr("URL").syntax().body, None));
        assert!(files.is_local_url(&expr("'http://127.0.0.1:5000/predict'").syntax().body, None));
        assert!(files.is_local_url(&expr("f'http://localhost:{port}/x'").syntax().body, None));
        assert!(!files.is_local_url(&expr("other").syntax().body, None));
        assert!(!files.is_local_url(&expr("unknown").syntax().body, None));
        assert!(!files.is_local_url(&expr("'http://localhost.evil.org/'").syntax().body, None));
        // The same expression written and read.
        let same = "def save(self, m, name):\n    dump(m, f'{self.root}/{name}.joblib')\n";
        assert!(written(same, "f'{self.root}/{name}.joblib'"));
    }
}
