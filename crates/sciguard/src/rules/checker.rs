//! The single traversal: walks a module once, keeps the semantic model current, and
//! calls each enabled rule at the node kinds it cares about.

use super::policy::{Condition, FixAction, Policy, PolicyFix, Subject, Test};
use super::{boundaries, edges, failure, feedback, Registry, RuleId, RuleSet, RustRule};
use crate::python::literal;
use crate::python::semantic::{instance_class, Binding, ScopeId, ScopeKind, SemanticModel};
use crate::report::{Applicability, Severity};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// Statements and expressions nested deeper than this are not walked (reported once).
pub const MAX_NESTING: u32 = 200;

/// A finding before positions are computed.
#[derive(Debug)]
pub struct RawFinding {
    /// The rule.
    pub rule: RuleId,
    /// What is flagged.
    pub range: TextRange,
    /// The message.
    pub message: String,
    /// Overrides the rule's severity.
    pub severity: Option<Severity>,
    /// A suggested change.
    pub fix: Option<RawFix>,
    /// The enclosing statement, for `# noqa` on its first or last line.
    pub statement: Statement,
    /// For policies whose severity depends on declared versions.
    pub gate: Option<Box<crate::rules::policy::VersionGate>>,
}

/// Where a statement starts and ends, for suppression comments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Statement {
    /// Its first offset.
    pub start: TextSize,
    /// For a simple statement, its end; for a compound one, where its body starts.
    pub end: TextSize,
    /// Whether it has a body (`def`, `if`, `with`, …): then only its header counts.
    pub compound: bool,
}

impl Statement {
    /// A statement covering just this range.
    pub fn of_range(range: TextRange) -> Statement {
        Statement {
            start: range.start(),
            end: range.end(),
            compound: false,
        }
    }

    /// The offset on the statement's last line (the header's, for compound statements).
    pub fn last_line_offset(&self, source: &str) -> usize {
        let end = self.end.to_usize().min(source.len());
        if !self.compound {
            return end.saturating_sub(1).max(self.start.to_usize());
        }
        // Walk back from the body over blank and comment-only lines to the header's `:` line.
        let mut line_end = source[..end].rfind('\n').unwrap_or(0);
        while line_end > self.start.to_usize() {
            let line_start = source[..line_end].rfind('\n').map_or(0, |i| i + 1);
            let text = source[line_start..line_end].trim();
            if !text.is_empty() && !text.starts_with('#') {
                return line_start.max(self.start.to_usize());
            }
            line_end = line_start.saturating_sub(1);
        }
        self.start.to_usize()
    }
}

/// A fix before positions are computed.
#[derive(Debug)]
pub struct RawFix {
    /// Whether it keeps behaviour.
    pub applicability: Applicability,
    /// What it does.
    pub title: String,
    /// Replacements, in source order.
    pub edits: Vec<(TextRange, String)>,
}

/// Walks one module and collects raw findings.
pub struct Checker<'a> {
    source: &'a str,
    registry: &'a Registry,
    enabled: &'a RuleSet,
    rust: [Option<RuleId>; RustRule::ALL.len()],
    any_policy: bool,
    model: SemanticModel,
    deferred: Vec<(&'a ast::StmtFunctionDef, ScopeId)>,
    with_contexts: Vec<Box<str>>,
    scratch: String,
    depth: u32,
    branch_depth: u32,
    too_deep_at: Option<TextSize>,
    statement: Statement,
    findings: Vec<RawFinding>,
}

impl<'a> Checker<'a> {
    /// A checker for one module with the given rules enabled.
    pub fn new(source: &'a str, registry: &'a Registry, enabled: &'a RuleSet) -> Checker<'a> {
        let mut rust = [None; RustRule::ALL.len()];
        for (slot, rule) in rust.iter_mut().zip(RustRule::ALL) {
            *slot = registry.rust_rule(rule).filter(|id| enabled.contains(*id));
        }
        let any_policy = registry
            .rules()
            .any(|(id, r)| !r.policies.is_empty() && enabled.contains(id));
        Checker {
            source,
            registry,
            enabled,
            rust,
            any_policy,
            model: SemanticModel::new(),
            deferred: Vec::new(),
            with_contexts: Vec::new(),
            scratch: String::with_capacity(64),
            depth: 0,
            branch_depth: 0,
            too_deep_at: None,
            statement: Statement::default(),
            findings: Vec::new(),
        }
    }

    /// Walks the module body, then the deferred function bodies.
    pub fn run(mut self, body: &'a [Stmt]) -> (Vec<RawFinding>, Option<TextSize>) {
        self.visit_body(body);
        let mut next = 0;
        while next < self.deferred.len() {
            let (function, parent) = self.deferred[next];
            next += 1;
            self.model.push_scope(ScopeKind::Function, parent);
            self.bind_parameters(&function.parameters);
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
        (self.findings, self.too_deep_at)
    }

    /// The source text.
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// The semantic model at the current point of the walk.
    pub fn model(&self) -> &SemanticModel {
        &self.model
    }

    /// The id of a Rust rule if it is enabled for this file.
    pub fn enabled(&self, rule: RustRule) -> Option<RuleId> {
        self.rust[rule as usize]
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

    fn nested(&mut self, at: TextSize) -> bool {
        if self.depth >= MAX_NESTING {
            self.too_deep_at.get_or_insert(at);
            return false;
        }
        true
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
        match value {
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

    fn check_call(&mut self, call: &'a ast::ExprCall) {
        if !self.any_policy || !self.model.resolve(&call.func, &mut self.scratch) {
            return;
        }
        let registry = self.registry;
        let refs = registry.policies().for_call(&self.scratch);
        if refs.is_empty() {
            return;
        }
        let qualified = std::mem::take(&mut self.scratch);
        for at in refs {
            if !self.enabled.contains(at.rule) {
                continue;
            }
            let policy = &registry.rule(at.rule).policies[at.index as usize];
            if !self.outside_contexts(policy) {
                continue;
            }
            if policy
                .conditions
                .iter()
                .all(|c| self.call_condition_holds(c, &call.arguments))
            {
                let fix = policy
                    .fix
                    .as_ref()
                    .and_then(|f| self.call_fix(f, call))
                    .and_then(|f| validated(self.source, call.range(), f, FixedNode::Expression));
                self.report_policy(at.rule, policy, call.range(), &qualified, fix);
            }
        }
        self.scratch = qualified;
    }

    fn check_assignment_target(&mut self, target: &'a Expr, value: &'a Expr) {
        let Expr::Attribute(attr) = target else {
            return;
        };
        let registry = self.registry;
        let policies = registry.policies();
        let by_attr = policies.for_assigned_attr(&attr.attr.id);
        let by_name = if self.model.resolve(target, &mut self.scratch) {
            policies.for_assign(&self.scratch)
        } else {
            &[]
        };
        if by_attr.is_empty() && by_name.is_empty() {
            return;
        }
        let qualified = std::mem::take(&mut self.scratch);
        for at in by_name.iter().chain(by_attr) {
            if !self.enabled.contains(at.rule) {
                continue;
            }
            let policy = &registry.rule(at.rule).policies[at.index as usize];
            if self.outside_contexts(policy)
                && policy
                    .conditions
                    .iter()
                    .all(|c| self.value_test_holds(&c.test, Some(value)))
            {
                let range = TextRange::new(target.start(), value.end());
                self.report_policy(at.rule, policy, range, &qualified, None);
            }
        }
        self.scratch = qualified;
    }

    fn report_policy(
        &mut self,
        rule: RuleId,
        policy: &Policy,
        range: TextRange,
        qualified: &str,
        fix: Option<RawFix>,
    ) {
        self.findings.push(RawFinding {
            rule,
            range,
            message: policy.message.replace(
                "{name}",
                qualified.strip_prefix("builtins.").unwrap_or(qualified),
            ),
            severity: policy.severity,
            fix,
            statement: self.statement,
            gate: policy.declared.clone().map(Box::new),
        });
    }

    fn outside_contexts(&self, policy: &Policy) -> bool {
        policy.outside.is_empty()
            || !self
                .with_contexts
                .iter()
                .any(|c| policy.outside.iter().any(|o| o.as_str() == &**c))
    }

    fn call_condition_holds(&self, condition: &Condition, arguments: &'a ast::Arguments) -> bool {
        let Subject::Argument { keyword, position } = &condition.subject else {
            return false;
        };
        match find_argument(arguments, keyword.as_deref(), *position) {
            Argument::Given(expr) => self.value_test_holds(&condition.test, Some(expr)),
            Argument::Missing => self.value_test_holds(&condition.test, None),
            // Passed through `*args` or `**kwargs`: unknown, so no condition holds.
            Argument::Unknown => false,
        }
    }

    fn value_test_holds(&self, test: &Test, value: Option<&Expr>) -> bool {
        match (test, value) {
            (Test::Missing, None) | (Test::MissingOrIs(_), None) => true,
            (Test::Present, Some(_)) => true,
            (Test::Is(lits) | Test::MissingOrIs(lits), Some(v)) => {
                lits.iter().any(|l| literal::equals(v, l))
            }
            (Test::IsNot(lits), Some(v)) => !lits.iter().any(|l| literal::equals(v, l)),
            // A lambda is code, not text: `df.query(lambda d: d.a > 1)` cannot be injected.
            (Test::NonLiteral, Some(v)) => !self.is_constant(v) && !v.is_lambda_expr(),
            (Test::ResolvesTo(names), Some(v)) => {
                let mut out = String::new();
                self.model.resolve(v, &mut out) && names.contains(&out)
            }
            (Test::NotFrom(names), Some(v)) => {
                let Expr::Call(call) = v else { return true };
                let mut out = String::new();
                !(self.model.resolve(&call.func, &mut out) && names.contains(&out))
            }
            _ => false,
        }
    }

    fn call_fix(&self, fix: &PolicyFix, call: &ast::ExprCall) -> Option<RawFix> {
        let args = &call.arguments;
        let edits = match &fix.action {
            FixAction::SetArg { keyword, value } => {
                if let Some(existing) = args.find_keyword(keyword) {
                    vec![(existing.value.range(), value.clone())]
                } else {
                    if args.keywords.iter().any(|k| k.arg.is_none())
                        || args.args.iter().any(Expr::is_starred_expr)
                    {
                        return None;
                    }
                    let last_end = args
                        .args
                        .iter()
                        .map(Ranged::end)
                        .chain(args.keywords.iter().map(Ranged::end))
                        .max();
                    match last_end {
                        Some(end) => vec![(TextRange::empty(end), format!(", {keyword}={value}"))],
                        None => vec![(
                            TextRange::empty(args.end() - TextSize::from(1)),
                            format!("{keyword}={value}"),
                        )],
                    }
                }
            }
            FixAction::RemoveArg { keyword } => {
                let index = args
                    .keywords
                    .iter()
                    .position(|k| k.arg.as_ref().is_some_and(|a| a.id == keyword.as_str()))?;
                let target = &args.keywords[index];
                let mut all: Vec<TextRange> = args
                    .args
                    .iter()
                    .map(Ranged::range)
                    .chain(args.keywords.iter().map(Ranged::range))
                    .collect();
                all.sort_by_key(|r| r.start());
                let at = all.iter().position(|r| *r == target.range())?;
                let range = if at > 0 {
                    TextRange::new(all[at - 1].end(), target.end())
                } else if let Some(next) = all.get(1) {
                    TextRange::new(target.start(), next.start())
                } else {
                    target.range()
                };
                vec![(range, String::new())]
            }
            FixAction::RenameAttr { to } => {
                let Expr::Attribute(attr) = call.func.as_ref() else {
                    return None;
                };
                vec![(attr.attr.range, to.clone())]
            }
        };
        Some(RawFix {
            applicability: fix.applicability,
            title: fix.title.clone(),
            edits,
        })
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

/// The span of a clause header (`elif x:`, `except E:`, `case p:`) for suppression.
fn header(start: TextSize, body: Option<&Stmt>) -> Statement {
    Statement {
        start,
        end: body.map_or(start, Ranged::start),
        compound: body.is_some(),
    }
}

/// What a fix rewrites, so that its result can be parsed as such.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixedNode {
    /// A call or other expression.
    Expression,
    /// A whole statement.
    Statement,
}

/// Keeps a fix only if its edits lie inside `node` on character boundaries and the
/// rewritten node still parses: a suggested change must never break the file.
pub fn validated(source: &str, node: TextRange, fix: RawFix, kind: FixedNode) -> Option<RawFix> {
    let (start, end) = (node.start().to_usize(), node.end().to_usize());
    let mut text = String::new();
    let mut cursor = start;
    for (range, content) in &fix.edits {
        let (a, b) = (range.start().to_usize(), range.end().to_usize());
        if a < cursor || b > end {
            return None;
        }
        text.push_str(source.get(cursor..a)?);
        text.push_str(content);
        cursor = b;
    }
    text.push_str(source.get(cursor..end)?);
    let parses = match kind {
        FixedNode::Expression => ruff_python_parser::parse_expression(&text).is_ok(),
        FixedNode::Statement => ruff_python_parser::parse_module(&text).is_ok(),
    };
    parses.then_some(fix)
}

fn is_staticmethod(function: &ast::StmtFunctionDef) -> bool {
    function
        .decorator_list
        .iter()
        .any(|d| matches!(&d.expression, Expr::Name(n) if n.id == "staticmethod"))
}

/// How an argument was passed.
enum Argument<'a> {
    Given(&'a Expr),
    Missing,
    Unknown,
}

fn find_argument<'a>(
    arguments: &'a ast::Arguments,
    keyword: Option<&str>,
    position: Option<usize>,
) -> Argument<'a> {
    if let Some(name) = keyword {
        if let Some(found) = arguments.find_keyword(name) {
            return Argument::Given(&found.value);
        }
    }
    if let Some(position) = position {
        for (i, arg) in arguments.args.iter().enumerate() {
            if arg.is_starred_expr() {
                return Argument::Unknown;
            }
            if i == position {
                return Argument::Given(arg);
            }
        }
    } else if arguments.args.iter().any(Expr::is_starred_expr) && keyword.is_none() {
        return Argument::Unknown;
    }
    if keyword.is_some() && arguments.keywords.iter().any(|k| k.arg.is_none()) {
        return Argument::Unknown;
    }
    Argument::Missing
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
        if !self.nested(stmt.start()) {
            return;
        }
        self.depth += 1;
        let outer_statement = self.statement;
        self.statement = statement_span(stmt);
        match stmt {
            Stmt::Import(import) => {
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
            Stmt::ImportFrom(import) => {
                if let Some(id) = self.enabled(RustRule::StarImport) {
                    boundaries::star_import::check(self, id, import);
                }
                let module = import.module.as_ref().filter(|_| import.level == 0);
                for alias in &import.names {
                    if alias.name.id == "*" {
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    let binding = match module {
                        Some(module) => {
                            Binding::Import(format!("{}.{}", module.id, alias.name.id).into())
                        }
                        None => Binding::Local,
                    };
                    self.model.bind(&bound.id, binding);
                }
            }
            Stmt::FunctionDef(function) => {
                for decorator in &function.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(id) = self.enabled(RustRule::MutableDefaultArgument) {
                    boundaries::mutable_default_argument::check(self, id, &function.parameters);
                }
                if let Some(id) = self.enabled(RustRule::HardcodedSecret) {
                    edges::hardcoded_secret::check_parameters(self, id, &function.parameters);
                }
                self.visit_parameters(&function.parameters);
                if let Some(returns) = &function.returns {
                    self.visit_annotation(returns);
                }
                self.model.bind(&function.name.id, Binding::Local);
                self.deferred.push((function, self.model.current_scope()));
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                let outer = self.model.current_scope();
                self.model.push_scope(ScopeKind::Class, outer);
                self.visit_body(&class.body);
                self.model.set_current(outer);
                self.model.bind(&class.name.id, Binding::Local);
            }
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                for target in &assign.targets {
                    self.visit_expr(target);
                    self.check_assignment_target(target, &assign.value);
                }
                if let Some(id) = self.enabled(RustRule::HardcodedSecret) {
                    edges::hardcoded_secret::check_assignment(
                        self,
                        id,
                        &assign.targets,
                        &assign.value,
                    );
                }
                let binding = self.binding_for(&assign.value);
                for target in &assign.targets {
                    self.bind_value(target, binding.clone());
                }
            }
            Stmt::AnnAssign(assign) => {
                self.visit_annotation(&assign.annotation);
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                    self.visit_expr(&assign.target);
                    self.check_assignment_target(&assign.target, value);
                    if let Some(id) = self.enabled(RustRule::HardcodedSecret) {
                        edges::hardcoded_secret::check_assignment(
                            self,
                            id,
                            std::slice::from_ref(&*assign.target),
                            value,
                        );
                    }
                    let binding = self.binding_for(value);
                    self.bind_value(&assign.target, binding);
                } else {
                    self.visit_expr(&assign.target);
                }
            }
            Stmt::AugAssign(assign) => {
                self.visit_expr(&assign.value);
                self.visit_expr(&assign.target);
                self.bind_target(&assign.target, Binding::Local);
            }
            Stmt::For(for_stmt) => {
                self.visit_expr(&for_stmt.iter);
                self.bind_target(&for_stmt.target, Binding::Local);
                self.visit_expr(&for_stmt.target);
                if let Some(id) = self.enabled(RustRule::UnboundedRetryLoop) {
                    failure::unbounded_retry_loop::check_for(self, id, for_stmt);
                }
                self.visit_branch(&for_stmt.body);
                self.visit_branch(&for_stmt.orelse);
            }
            Stmt::While(while_stmt) => {
                if let Some(id) = self.enabled(RustRule::UnboundedRetryLoop) {
                    failure::unbounded_retry_loop::check_while(self, id, while_stmt);
                }
                self.visit_expr(&while_stmt.test);
                self.visit_branch(&while_stmt.body);
                self.visit_branch(&while_stmt.orelse);
            }
            Stmt::With(with) => {
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
                if let Some(id) = self.enabled(RustRule::NumpyErrorsIgnored) {
                    feedback::numpy_errors_ignored::check_with(self, id, with);
                }
                self.visit_body(&with.body);
                self.with_contexts.truncate(pushed);
            }
            Stmt::Try(try_stmt) => {
                self.visit_body(&try_stmt.body);
                self.branch_depth += 1;
                for handler in &try_stmt.handlers {
                    self.visit_except_handler(handler);
                }
                self.branch_depth -= 1;
                self.visit_branch(&try_stmt.orelse);
                self.visit_body(&try_stmt.finalbody);
            }
            Stmt::Assert(assert) => {
                if let Some(id) = self.enabled(RustRule::AssertForValidation) {
                    edges::assert_for_validation::check(self, id, assert);
                }
                visitor::walk_stmt(self, stmt);
            }
            Stmt::If(if_stmt) => {
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
            Stmt::Match(match_stmt) => {
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
            Stmt::Global(global) => {
                if !self.model.at_module_level() {
                    for name in &global.names {
                        self.model.bind(&name.id, Binding::Global);
                    }
                }
            }
            Stmt::Nonlocal(nonlocal) => {
                for name in &nonlocal.names {
                    self.model.bind(&name.id, Binding::Local);
                }
            }
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
        if let Some(id) = self.enabled(RustRule::SwallowedException) {
            failure::swallowed_exception::check(self, id, h);
        }
        if let Some(name) = &h.name {
            self.model.bind(&name.id, Binding::Local);
        }
        visitor::walk_except_handler(self, handler);
        self.statement = outer;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if !self.nested(expr.start()) {
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Call(call) => {
                self.check_call(call);
                if let Some(id) = self.enabled(RustRule::HardcodedSecret) {
                    edges::hardcoded_secret::check_keywords(self, id, &call.arguments);
                }
                visitor::walk_expr(self, expr);
            }
            Expr::StringLiteral(string) => {
                if let Some(id) = self.enabled(RustRule::InsecureTempFile) {
                    edges::insecure_temp_file::check(self, id, string);
                }
                if let Some(id) = self.enabled(RustRule::HardcodedSecret) {
                    edges::hardcoded_secret::check_literal(self, id, string);
                }
            }
            Expr::FString(fstring) => {
                if let Some(id) = self.enabled(RustRule::InsecureTempFile) {
                    edges::insecure_temp_file::check_fstring(self, id, fstring);
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Dict(dict) => {
                if let Some(id) = self.enabled(RustRule::HardcodedSecret) {
                    edges::hardcoded_secret::check_dict(self, id, dict);
                }
                visitor::walk_expr(self, expr);
            }
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
