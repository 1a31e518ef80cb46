//! The single traversal: walks a module once and keeps the semantic model (bindings,
//! scopes, `with` contexts) current. At each node it hands over to the per-node
//! dispatch lists in [`analyze`], which run the declarative policies and the hooks of
//! the enabled Rust rules.

mod analyze;
mod call;
mod raw;
mod written;

pub(crate) use raw::{validated, FixedNode, RawFinding, RawFix, Statement};

use super::PYTHON_RULE_HOOKS;
use super::{ExpressionHook, FileContext, HandlerHook, Registry, RuleId, RuleSet, StatementHook};
use crate::python::literal;
use crate::python::semantic::{instance_class, Binding, ScopeId, ScopeKind, SemanticModel};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// Statements and expressions nested deeper than this are not walked (reported once). A
/// chain written flat (`a + b + c`, `x.f().g()`) counts as one level however long it is.
pub(crate) const MAX_NESTING: u32 = 200;

/// How deep the rules' own small scans of one expression go (is this argument read from
/// outside, does this condition do work): far enough for any real argument or condition,
/// and far short of overflowing a browser worker's stack on a 300,000-link chain.
pub(crate) const SCAN_DEPTH: u32 = 64;

/// The first sub-expression of `expr` (itself included, in source order) for which
/// `found` holds: the rules' one bounded search of an expression. Lambda bodies are not
/// searched (they do not run where they are written), nor anything deeper than
/// [`SCAN_DEPTH`].
pub(crate) fn find_expr<'e>(
    expr: &'e Expr,
    found: &mut dyn FnMut(&'e Expr) -> bool,
) -> Option<&'e Expr> {
    struct Finder<'e, 'f> {
        found: &'f mut dyn FnMut(&'e Expr) -> bool,
        hit: Option<&'e Expr>,
        depth: u32,
    }
    impl<'e> Visitor<'e> for Finder<'e, '_> {
        fn visit_expr(&mut self, expr: &'e Expr) {
            if self.hit.is_some() {
                return;
            }
            if (self.found)(expr) {
                self.hit = Some(expr);
                return;
            }
            if !expr.is_lambda_expr() && self.depth < SCAN_DEPTH {
                self.depth += 1;
                visitor::walk_expr(self, expr);
                self.depth -= 1;
            }
        }
    }
    let mut finder = Finder {
        found,
        hit: None,
        depth: 0,
    };
    finder.visit_expr(expr);
    finder.hit
}

/// What a walk found.
pub(crate) struct Walked<'a> {
    /// The raw findings.
    pub findings: Vec<RawFinding>,
    /// The code nested too deep to walk, if any.
    pub too_deep_at: Option<TextRange>,
    /// Watched APIs the module uses.
    pub used: Vec<&'a str>,
    /// Outside packages: the literal file names the module writes.
    pub writes: Vec<String>,
    /// Loads reported at their rule's severity whose path names literal files: another
    /// file of the project may write them.
    pub loads: Vec<(TextRange, RuleId, Vec<String>)>,
}

/// A function whose body is walked after the enclosing scope.
#[derive(Clone, Copy)]
pub(crate) struct Deferred<'a> {
    /// The definition.
    pub def: &'a ast::StmtFunctionDef,
    parent: ScopeId,
    /// Whether callers outside the module can reach it by name: a public function at
    /// module level or a public (or dunder) method of a public class there.
    pub public: bool,
}

/// Walks one module and collects raw findings.
pub(crate) struct Checker<'a> {
    source: &'a str,
    registry: &'a Registry,
    enabled: &'a RuleSet,
    statement_hooks: Vec<(StatementHook, RuleId)>,
    expression_hooks: Vec<(ExpressionHook, RuleId)>,
    handler_hooks: Vec<(HandlerHook, RuleId)>,
    any_policy: bool,
    context: FileContext<'a>,
    module_body: &'a [Stmt],
    /// The value of the assignment being walked (`x = <value>`), if any.
    assigned_value: Option<TextRange>,
    /// Watched APIs the module uses (see [`FileContext::watched`]).
    used: Vec<&'a str>,
    /// The files the module writes, scanned when a load is first met.
    written: Option<written::WrittenFiles<'a>>,
    /// See [`Walked::loads`].
    loads: Vec<(TextRange, RuleId, Vec<String>)>,
    model: SemanticModel,
    deferred: Vec<Deferred<'a>>,
    /// Whether definitions met now are part of the module's public surface (module
    /// level, or the body of a public class there).
    public_scope: bool,
    function: Option<Deferred<'a>>,
    with_contexts: Vec<Box<str>>,
    scratch: String,
    depth: u32,
    branch_depth: u32,
    too_deep_at: Option<TextRange>,
    /// The links of the chains being walked, innermost last (see `walk_chain`).
    chain: Vec<&'a Expr>,
    statement: Statement,
    findings: Vec<RawFinding>,
}

impl<'a> Checker<'a> {
    /// A checker for one module with the given rules enabled.
    pub(crate) fn new(
        source: &'a str,
        registry: &'a Registry,
        enabled: &'a RuleSet,
        context: FileContext<'a>,
    ) -> Checker<'a> {
        let mut statement_hooks = Vec::new();
        let mut expression_hooks = Vec::new();
        let mut handler_hooks = Vec::new();
        for (hooks, id) in PYTHON_RULE_HOOKS.iter().zip(registry.python_rules()) {
            if let Some(id) = id.filter(|id| enabled.contains(*id)) {
                statement_hooks.push((hooks.0, id));
                expression_hooks.push((hooks.1, id));
                handler_hooks.push((hooks.2, id));
            }
        }
        let any_policy = registry
            .rules()
            .any(|(id, r)| !r.policies.is_empty() && enabled.contains(id));
        Checker {
            source,
            registry,
            enabled,
            statement_hooks,
            expression_hooks,
            handler_hooks,
            any_policy,
            context,
            module_body: &[],
            written: None,
            loads: Vec::new(),
            used: Vec::new(),
            assigned_value: None,
            model: SemanticModel::new(),
            deferred: Vec::new(),
            public_scope: true,
            function: None,
            with_contexts: Vec::new(),
            scratch: String::with_capacity(64),
            depth: 0,
            branch_depth: 0,
            too_deep_at: None,
            chain: Vec::new(),
            statement: Statement::default(),
            findings: Vec::new(),
        }
    }

    /// Walks the module body, then the deferred function bodies.
    pub(crate) fn run(mut self, body: &'a [Stmt]) -> Walked<'a> {
        self.module_body = body;
        self.visit_body(body);
        let mut next = 0;
        while next < self.deferred.len() {
            let deferred = self.deferred[next];
            let (function, parent) = (deferred.def, deferred.parent);
            self.function = Some(deferred);
            self.public_scope = false;
            next += 1;
            self.model.push_scope(ScopeKind::Function, parent);
            self.bind_parameters(&function.parameters);
            if is_request_handler(function) {
                // A web route's parameters are what the client sent.
                for p in function.parameters.iter_non_variadic_params() {
                    self.model.bind(&p.parameter.name.id, Binding::Outside);
                }
            }
            let receiver = function
                .parameters
                .posonlyargs
                .iter()
                .chain(&function.parameters.args)
                .next()
                .filter(|_| {
                    self.model.kind(parent) == ScopeKind::Class && !is_staticmethod(function)
                });
            self.model
                .set_receiver(receiver.map(|p| (p.parameter.name.id.as_str(), parent)));
            let outer = std::mem::take(&mut self.with_contexts);
            self.branch_depth = 0;
            self.visit_body(&function.body);
            self.with_contexts = outer;
        }
        // A script's saved files, for the project's other scripts that load them (a
        // `prepare.py` that pickles `meta.pkl` for `train.py`).
        let writes = if self.context.module.is_none() && self.any_policy {
            let (source, body) = (self.source, self.module_body);
            self.written
                .get_or_insert_with(|| written::WrittenFiles::scan(source, body))
                .file_names_written()
        } else {
            Vec::new()
        };
        Walked {
            findings: self.findings,
            too_deep_at: self.too_deep_at,
            used: self.used,
            writes,
            loads: self.loads,
        }
    }

    /// Notes a use of a watched API.
    fn note_use(&mut self, qualified: &str) {
        if let Some(api) = self.context.watched_use(qualified) {
            if !self.used.contains(&api) {
                self.used.push(api);
            }
        }
    }

    /// The source text.
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// What the project knows about this file.
    pub fn context(&self) -> FileContext<'a> {
        self.context
    }

    /// The module's top-level statements.
    pub fn module_body(&self) -> &'a [Stmt] {
        self.module_body
    }

    /// The function whose body is being walked (`None` at module and class level).
    pub fn function(&self) -> Option<Deferred<'a>> {
        self.function
    }

    /// The qualified name of an expression, allocated (for rare paths in rules).
    pub fn qualified_name(&self, expr: &Expr) -> Option<String> {
        let mut out = String::new();
        self.model.resolve(expr, &mut out).then_some(out)
    }

    /// Whether an expression is a constant after folding.
    pub fn is_constant(&self, expr: &Expr) -> bool {
        literal::is_constant(expr, &self.model)
    }

    /// Records a finding.
    pub fn report(&mut self, rule: RuleId, range: TextRange, message: String, fix: Option<RawFix>) {
        self.findings.push(RawFinding {
            rule,
            range,
            message,
            severity: None,
            fix,
            statement: self.statement,
            gate: None,
        });
    }

    fn bind_value(&mut self, target: &Expr, binding: Binding) {
        if let (Expr::Attribute(_), Binding::Instance(class)) = (target, &binding) {
            self.model.bind_receiver_attribute(target, class);
            return;
        }
        if self.branch_depth == 0 {
            self.bind_target(target, binding);
        } else if let Expr::Name(name) = target {
            self.model.bind_conditionally(&name.id, binding);
        } else {
            self.bind_target(target, Binding::Local);
        }
    }

    fn visit_branch(&mut self, body: &'a [Stmt]) {
        self.branch_depth += 1;
        self.visit_body(body);
        self.branch_depth -= 1;
    }

    /// Whether a node can be walked; the first that is too deep is remembered.
    fn nested(&mut self, node: TextRange) -> bool {
        if self.depth >= MAX_NESTING {
            self.too_deep_at.get_or_insert(node);
            return false;
        }
        true
    }

    /// Walks a chain written flat: `a + b + c` (a tree that leans left, as deep as the
    /// chain is long), `x.f().g()[0]`, or a mix. A loop rather than recursion, and one
    /// level of nesting in all: its length is not nesting the user wrote. Nodes are
    /// visited in the order recursion would visit them.
    fn walk_chain(&mut self, top: &'a Expr) {
        let base = self.chain.len();
        let mut link = top;
        loop {
            analyze::expression(self, link);
            self.chain.push(link);
            match chain_inner(link) {
                Some(inner) if chain_inner(inner).is_some() => link = inner,
                Some(inner) => {
                    self.visit_expr(inner);
                    break;
                }
                None => break,
            }
        }
        // The rest of each link, innermost first.
        while self.chain.len() > base {
            let Some(link) = self.chain.pop() else { break };
            match link {
                Expr::BinOp(binop) => self.visit_expr(&binop.right),
                Expr::Call(call) => self.visit_arguments(&call.arguments),
                Expr::Subscript(subscript) => self.visit_expr(&subscript.slice),
                _ => {}
            }
        }
    }

    fn bind_parameters(&mut self, parameters: &ast::Parameters) {
        for p in parameters.iter_non_variadic_params() {
            self.model.bind(&p.parameter.name.id, Binding::Local);
        }
        for p in [&parameters.vararg, &parameters.kwarg]
            .into_iter()
            .flatten()
        {
            self.model.bind(&p.name.id, Binding::Local);
        }
    }

    fn bind_target(&mut self, target: &Expr, binding: Binding) {
        match target {
            Expr::Name(name) => self.model.bind(&name.id, binding),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.bind_target(elt, Binding::Local);
                }
            }
            Expr::Starred(star) => self.bind_target(&star.value, Binding::Local),
            _ => {}
        }
    }

    /// What a name assigned this value is bound to.
    fn binding_for(&mut self, value: &Expr) -> Binding {
        if self.is_constant(value) {
            return Binding::Constant;
        }
        let files = call::files_are_outside(self);
        if let Some(origin) = call::expr_origin(&self.model, value, files, &mut self.scratch) {
            return origin;
        }
        match value {
            // `yaml = importlib.import_module("yaml")`, `load = getattr(pickle, "load")`.
            Expr::Call(_) if self.model.resolve(value, &mut self.scratch) => {
                Binding::Import(self.scratch.as_str().into())
            }
            Expr::Call(call) => {
                if self.model.resolve(&call.func, &mut self.scratch) {
                    if let Some(class) = instance_class(&self.scratch) {
                        return Binding::Instance(class.into());
                    }
                }
                Binding::Local
            }
            Expr::Name(_) | Expr::Attribute(_) => {
                if self.model.resolve(value, &mut self.scratch) {
                    Binding::Import(self.scratch.as_str().into())
                } else {
                    match value {
                        Expr::Name(name) => self
                            .model
                            .lookup(&name.id)
                            .cloned()
                            .unwrap_or(Binding::Local),
                        _ => Binding::Local,
                    }
                }
            }
            _ => Binding::Local,
        }
    }

    fn bind_import(&mut self, import: &'a ast::StmtImport) {
        for alias in &import.names {
            match &alias.asname {
                Some(asname) => self
                    .model
                    .bind(&asname.id, Binding::Import(alias.name.id.as_str().into())),
                None => {
                    let top = alias.name.id.split('.').next().unwrap_or(&alias.name.id);
                    self.model.bind(top, Binding::Import(top.into()));
                }
            }
        }
    }

    fn bind_import_from(&mut self, import: &'a ast::StmtImportFrom) {
        let module = import.module.as_ref().filter(|_| import.level == 0);
        for alias in &import.names {
            if alias.name.id == "*" {
                continue;
            }
            let bound = alias.asname.as_ref().unwrap_or(&alias.name);
            let binding = match module {
                Some(module) => {
                    let qualified = format!("{}.{}", module.id, alias.name.id);
                    self.note_use(&qualified);
                    Binding::Import(qualified.into())
                }
                None => Binding::Local,
            };
            self.model.bind(&bound.id, binding);
        }
    }

    fn walk_function_def(&mut self, function: &'a ast::StmtFunctionDef) {
        for decorator in &function.decorator_list {
            self.visit_decorator(decorator);
        }
        self.visit_parameters(&function.parameters);
        if let Some(returns) = &function.returns {
            self.visit_annotation(returns);
        }
        self.model.bind(&function.name.id, Binding::Local);
        let name = function.name.id.as_str();
        let public = self.public_scope
            && (!name.starts_with('_') || (name.starts_with("__") && name.ends_with("__")));
        self.deferred.push(Deferred {
            def: function,
            parent: self.model.current_scope(),
            public,
        });
    }

    fn walk_class_def(&mut self, class: &'a ast::StmtClassDef) {
        for decorator in &class.decorator_list {
            self.visit_decorator(decorator);
        }
        if let Some(arguments) = &class.arguments {
            self.visit_arguments(arguments);
        }
        let outer = self.model.current_scope();
        self.model.push_scope(ScopeKind::Class, outer);
        let outer_public = self.public_scope;
        self.public_scope = outer_public && !class.name.id.starts_with('_');
        self.visit_body(&class.body);
        self.public_scope = outer_public;
        self.model.set_current(outer);
        self.model.bind(&class.name.id, Binding::Local);
    }

    fn walk_assign(&mut self, assign: &'a ast::StmtAssign) {
        let outer = self.assigned_value.replace(assign.value.range());
        self.visit_expr(&assign.value);
        self.assigned_value = outer;
        for target in &assign.targets {
            self.visit_expr(target);
        }
        let binding = self.binding_for(&assign.value);
        for target in &assign.targets {
            self.bind_value(target, binding.clone());
        }
    }

    fn walk_ann_assign(&mut self, assign: &'a ast::StmtAnnAssign) {
        self.visit_annotation(&assign.annotation);
        if let Some(value) = &assign.value {
            self.visit_expr(value);
            self.visit_expr(&assign.target);
            let binding = self.binding_for(value);
            self.bind_value(&assign.target, binding);
        } else {
            self.visit_expr(&assign.target);
        }
    }

    fn walk_aug_assign(&mut self, assign: &'a ast::StmtAugAssign) {
        self.visit_expr(&assign.value);
        self.visit_expr(&assign.target);
        self.bind_target(&assign.target, Binding::Local);
    }

    fn walk_for(&mut self, for_stmt: &'a ast::StmtFor) {
        self.visit_expr(&for_stmt.iter);
        // `for line in sys.stdin:` reads from outside.
        let files = call::files_are_outside(self);
        let binding = call::expr_origin(&self.model, &for_stmt.iter, files, &mut self.scratch)
            .unwrap_or(Binding::Local);
        self.bind_target(&for_stmt.target, binding);
        self.visit_expr(&for_stmt.target);
        self.visit_branch(&for_stmt.body);
        self.visit_branch(&for_stmt.orelse);
    }

    fn walk_while(&mut self, while_stmt: &'a ast::StmtWhile) {
        self.visit_expr(&while_stmt.test);
        self.visit_branch(&while_stmt.body);
        self.visit_branch(&while_stmt.orelse);
    }

    fn walk_with(&mut self, with: &'a ast::StmtWith) {
        let pushed = self.with_contexts.len();
        for item in &with.items {
            self.visit_expr(&item.context_expr);
            let mut binding = Binding::Local;
            if let Expr::Call(call) = &item.context_expr {
                if self.model.resolve(&call.func, &mut self.scratch) {
                    if let Some(class) = instance_class(&self.scratch) {
                        binding = Binding::Instance(class.into());
                    }
                    self.with_contexts.push(self.scratch.as_str().into());
                }
            }
            if let Some(vars) = &item.optional_vars {
                self.bind_target(vars, binding);
                self.visit_expr(vars);
            }
        }
        self.visit_body(&with.body);
        self.with_contexts.truncate(pushed);
    }

    fn walk_try(&mut self, try_stmt: &'a ast::StmtTry) {
        self.visit_body(&try_stmt.body);
        self.branch_depth += 1;
        for handler in &try_stmt.handlers {
            self.visit_except_handler(handler);
        }
        self.branch_depth -= 1;
        self.visit_branch(&try_stmt.orelse);
        self.visit_body(&try_stmt.finalbody);
    }

    fn walk_if(&mut self, if_stmt: &'a ast::StmtIf) {
        self.visit_expr(&if_stmt.test);
        self.visit_branch(&if_stmt.body);
        for clause in &if_stmt.elif_else_clauses {
            self.statement = header(clause.start(), clause.body.first());
            if let Some(test) = &clause.test {
                self.visit_expr(test);
            }
            self.visit_branch(&clause.body);
        }
    }

    fn walk_match(&mut self, match_stmt: &'a ast::StmtMatch) {
        self.visit_expr(&match_stmt.subject);
        for case in &match_stmt.cases {
            self.statement = header(case.start(), case.body.first());
            self.visit_pattern(&case.pattern);
            if let Some(guard) = &case.guard {
                self.visit_expr(guard);
            }
            self.visit_branch(&case.body);
        }
    }

    fn bind_global(&mut self, global: &'a ast::StmtGlobal) {
        if !self.model.at_module_level() {
            for name in &global.names {
                self.model.bind(&name.id, Binding::Global);
            }
        }
    }

    fn bind_nonlocal(&mut self, nonlocal: &'a ast::StmtNonlocal) {
        for name in &nonlocal.names {
            self.model.bind(&name.id, Binding::Local);
        }
    }

    fn visit_comprehension_scope(
        &mut self,
        generators: &'a [ast::Comprehension],
        elements: &[&'a Expr],
    ) {
        let outer = self.model.current_scope();
        for (i, generator) in generators.iter().enumerate() {
            self.visit_expr(&generator.iter);
            if i == 0 {
                self.model.push_scope(ScopeKind::Comprehension, outer);
            }
            self.bind_target(&generator.target, Binding::Local);
            for condition in &generator.ifs {
                self.visit_expr(condition);
            }
        }
        for element in elements {
            self.visit_expr(element);
        }
        self.model.set_current(outer);
    }
}

/// The next link inward of a chain written flat (`a + b` → `a`, `x.f` and `x[0]` → `x`,
/// `f()` → `f`), when the expression is one.
fn chain_inner(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::BinOp(binop) => Some(&binop.left),
        Expr::Attribute(attribute) => Some(&attribute.value),
        Expr::Call(call) => Some(&call.func),
        Expr::Subscript(subscript) => Some(&subscript.value),
        _ => None,
    }
}

/// The span of a clause header (`elif x:`, `except E:`, `case p:`) for suppression.
fn header(start: TextSize, body: Option<&Stmt>) -> Statement {
    Statement {
        start,
        end: body.map_or(start, Ranged::start),
        compound: body.is_some(),
    }
}

/// `@app.route(...)`, `@app.get(...)`, `@router.post(...)`: a web framework's route.
fn is_request_handler(function: &ast::StmtFunctionDef) -> bool {
    function.decorator_list.iter().any(|d| {
        let Expr::Call(call) = &d.expression else {
            return false;
        };
        matches!(call.func.as_ref(), Expr::Attribute(a) if matches!(
            a.attr.id.as_str(),
            "route" | "get" | "post" | "put" | "patch" | "delete" | "websocket" | "api_route"
        ))
    })
}

fn is_staticmethod(function: &ast::StmtFunctionDef) -> bool {
    function
        .decorator_list
        .iter()
        .any(|d| matches!(&d.expression, Expr::Name(n) if n.id == "staticmethod"))
}

/// The statement span used for suppression comments: a simple statement's whole range;
/// a compound statement's header (up to its body).
fn statement_span(stmt: &Stmt) -> Statement {
    let body_start = match stmt {
        Stmt::FunctionDef(s) => s.body.first().map(Ranged::start),
        Stmt::ClassDef(s) => s.body.first().map(Ranged::start),
        Stmt::If(s) => s.body.first().map(Ranged::start),
        Stmt::For(s) => s.body.first().map(Ranged::start),
        Stmt::While(s) => s.body.first().map(Ranged::start),
        Stmt::With(s) => s.body.first().map(Ranged::start),
        Stmt::Try(s) => s.body.first().map(Ranged::start),
        Stmt::Match(s) => s.cases.first().map(Ranged::start),
        _ => None,
    };
    match body_start {
        Some(start) if start > stmt.start() => Statement {
            start: stmt.start(),
            end: start,
            compound: true,
        },
        _ => Statement::of_range(stmt.range()),
    }
}

impl<'a> Visitor<'a> for Checker<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !self.nested(stmt.range()) {
            return;
        }
        self.depth += 1;
        let outer_statement = self.statement;
        self.statement = statement_span(stmt);
        analyze::statement(self, stmt);
        match stmt {
            Stmt::Import(import) => self.bind_import(import),
            Stmt::ImportFrom(import) => self.bind_import_from(import),
            Stmt::FunctionDef(function) => self.walk_function_def(function),
            Stmt::ClassDef(class) => self.walk_class_def(class),
            Stmt::Assign(assign) => self.walk_assign(assign),
            Stmt::AnnAssign(assign) => self.walk_ann_assign(assign),
            Stmt::AugAssign(assign) => self.walk_aug_assign(assign),
            Stmt::For(for_stmt) => self.walk_for(for_stmt),
            Stmt::While(while_stmt) => self.walk_while(while_stmt),
            Stmt::With(with) => self.walk_with(with),
            Stmt::Try(try_stmt) => self.walk_try(try_stmt),
            Stmt::If(if_stmt) => self.walk_if(if_stmt),
            Stmt::Match(match_stmt) => self.walk_match(match_stmt),
            Stmt::Global(global) => self.bind_global(global),
            Stmt::Nonlocal(nonlocal) => self.bind_nonlocal(nonlocal),
            _ => visitor::walk_stmt(self, stmt),
        }
        self.statement = outer_statement;
        self.depth -= 1;
    }

    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        // Capture patterns bind names (`case {"cmd": cmd}:`).
        let captured = match pattern {
            ast::Pattern::MatchAs(p) => p.name.as_ref(),
            ast::Pattern::MatchStar(p) => p.name.as_ref(),
            ast::Pattern::MatchMapping(p) => p.rest.as_ref(),
            _ => None,
        };
        if let Some(name) = captured {
            self.model.bind(&name.id, Binding::Local);
        }
        visitor::walk_pattern(self, pattern);
    }

    fn visit_except_handler(&mut self, handler: &'a ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(h) = handler;
        let outer = self.statement;
        self.statement = header(h.start(), h.body.first());
        analyze::except_handler(self, h);
        if let Some(name) = &h.name {
            self.model.bind(&name.id, Binding::Local);
        }
        visitor::walk_except_handler(self, handler);
        self.statement = outer;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if !self.nested(expr.range()) {
            return;
        }
        self.depth += 1;
        if chain_inner(expr).is_some() {
            self.walk_chain(expr);
            self.depth -= 1;
            return;
        }
        analyze::expression(self, expr);
        match expr {
            // A string's parts are not expressions of their own.
            Expr::StringLiteral(_) => {}
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    self.visit_parameters(parameters);
                }
                let outer = self.model.current_scope();
                self.model.push_scope(ScopeKind::Function, outer);
                if let Some(parameters) = &lambda.parameters {
                    self.bind_parameters(parameters);
                }
                self.visit_expr(&lambda.body);
                self.model.set_current(outer);
            }
            Expr::ListComp(c) => self.visit_comprehension_scope(&c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.visit_comprehension_scope(&c.generators, &[&c.elt]),
            Expr::Generator(c) => self.visit_comprehension_scope(&c.generators, &[&c.elt]),
            Expr::DictComp(c) => match &c.key {
                Some(key) => self.visit_comprehension_scope(&c.generators, &[key, &c.value]),
                None => self.visit_comprehension_scope(&c.generators, &[&c.value]),
            },
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                // `:=` in a comprehension binds in the enclosing function or module.
                if let Expr::Name(name) = named.target.as_ref() {
                    self.model
                        .bind_outside_comprehensions(&name.id, Binding::Local);
                }
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }
}
