//! The checklist's wording and policy, as data: standing items, the pull-request
//! checklist per rule family, refactor effort, retrospective prompts. The code in
//! `mod.rs` only selects, orders and fills these in.

use super::RolloutPhase;

/// A task every plan carries in a phase, whatever was found.
pub struct StandingItem {
    /// Its fixed id (ticks are kept under it).
    pub id: &'static str,
    /// The phase it belongs to.
    pub phase: RolloutPhase,
    /// What to do.
    pub text: &'static str,
}

/// Standing items, in the order they are listed in their phase.
pub const STANDING_ITEMS: &[StandingItem] = &[
    StandingItem {
        id: "std-logger-per-module",
        phase: RolloutPhase::Observability,
        text: "Each module in the workflow logs through `logging.getLogger(__name__)`, not `print`",
    },
    StandingItem {
        id: "std-count-retries-failures",
        phase: RolloutPhase::Observability,
        text: "Retried and failed operations (and rows read and dropped) are counted, and each run ends by logging the counts",
    },
    StandingItem {
        id: "std-no-silenced-warnings",
        phase: RolloutPhase::Observability,
        text: "No process-wide `warnings` filters or `np.seterr` calls: suppression is scoped to one call",
    },
    StandingItem {
        id: "std-missing-input-limit",
        phase: RolloutPhase::FailurePlanning,
        text: "Decide how much missing input is acceptable; above it the run stops instead of publishing",
    },
];

/// A group of rules that one pull-request checklist line covers.
pub struct RuleFamily {
    /// Short key; the PR item's id is `pr-<key>`.
    pub key: &'static str,
    /// The checklist line.
    pub text: &'static str,
}

/// The families a rule page may name in its `family` key (a test checks that every
/// registered rule names one of these).
pub const RULE_FAMILIES: &[RuleFamily] = &[
    RuleFamily {
        key: "deserialization",
        text: "No new pickle, joblib or full `torch.load` of untrusted data; checkpoints load with `weights_only=True`",
    },
    RuleFamily {
        key: "evaluated-input",
        text: "No `eval`, `exec`, `query`, `numexpr` or `sympify` on input from outside the process",
    },
    RuleFamily {
        key: "shell",
        text: "Commands run from argument lists, never from shell strings built from input",
    },
    RuleFamily {
        key: "tls",
        text: "TLS verification stays on, in code and in configuration",
    },
    RuleFamily {
        key: "secrets",
        text: "No secrets in source or configuration; they come from the environment or a secret manager",
    },
    RuleFamily {
        key: "input-validation",
        text: "Inputs from outside the process (files, archives, XML, templates) are validated with exceptions, not `assert`",
    },
    RuleFamily {
        key: "temp-and-randomness",
        text: "Temporary files come from `tempfile.mkstemp`/`TemporaryDirectory`, tokens from `secrets`",
    },
    RuleFamily {
        key: "warnings",
        text: "No new global `warnings` filters or `np.seterr` calls; suppression is scoped to a call",
    },
    RuleFamily {
        key: "logging",
        text: "Library code logs through a module logger, lazily formatted, with tracebacks for errors",
    },
    RuleFamily {
        key: "numerical-checks",
        text: "Solver results, conversions and NaN checks are verified, not assumed",
    },
    RuleFamily {
        key: "timeouts",
        text: "Every network call has a timeout",
    },
    RuleFamily {
        key: "retries",
        text: "Any retry is bounded and backs off",
    },
    RuleFamily {
        key: "exceptions",
        text: "Failures are logged and counted, not swallowed or turned into sentinels",
    },
    RuleFamily {
        key: "status-checks",
        text: "Exit codes of subprocesses and HTTP statuses are checked",
    },
    RuleFamily {
        key: "global-state",
        text: "Randomness is passed in as a `Generator`; importing a module changes no global state and does no I/O",
    },
    RuleFamily {
        key: "explicit-names",
        text: "No function has a mutable default; modules import names by name, not with `*`",
    },
    RuleFamily {
        key: "dependencies",
        text: "Dependencies are pinned with hashes, above every advisory's fix version, from one trusted index",
    },
    RuleFamily {
        key: "exposure",
        text: "Servers and notebooks bind to localhost, with authentication on and debug mode off",
    },
];

/// Pull-request items the playbook asks for whatever was found.
pub const PR_ALWAYS: &[(&str, &str)] = &[
    ("pr-owner-named", "An owner for the change is named"),
    (
        "pr-rollback-known",
        "The rollback path is known: how to revert or switch the change off",
    ),
];

/// At most this many rule families make the pull-request checklist (plus [`PR_ALWAYS`]).
pub const MAX_PR_FAMILIES: usize = 5;

/// Relative effort of the refactor each boundaries rule asks for: phase 5 lists the
/// smallest first. A default is local to one function; a star import touches every use
/// of the names it brought in; a global generator has to be passed down call chains.
pub const REFACTOR_EFFORT: &[(&str, u8)] = &[
    ("SCI104", 1),
    ("SCI105", 1),
    ("SCI101", 2),
    ("SCI103", 2),
    ("SCI107", 2),
    ("SCI106", 3),
    ("SCI102", 3),
];

/// Effort assumed for a rule missing from [`REFACTOR_EFFORT`].
pub const DEFAULT_EFFORT: u8 = 2;

/// One question of the retrospective template.
pub struct RetroPrompt {
    /// Its fixed id.
    pub id: &'static str,
    /// The short heading.
    pub heading: &'static str,
    /// What to write down.
    pub prompt: &'static str,
}

/// The retrospective, in the order the playbook runs it: half an hour, no blame.
pub const RETRO_PROMPTS: &[RetroPrompt] = &[
    RetroPrompt {
        id: "retro-incident",
        heading: "Incident",
        prompt: "What happened, and when was it noticed?",
    },
    RetroPrompt {
        id: "retro-what-failed",
        heading: "What failed, and where",
        prompt: "Which job, file, data source or dependency failed?",
    },
    RetroPrompt {
        id: "retro-users-affected",
        heading: "Were users affected",
        prompt: "Which results, reports or models left the team while it was wrong?",
    },
    RetroPrompt {
        id: "retro-unnoticed",
        heading: "Why it went unnoticed",
        prompt: "What signal was missing or silenced?",
    },
    RetroPrompt {
        id: "retro-rule",
        heading: "Which rule would have caught it",
        prompt: "Name the sciguard rule (or the check that is missing from the catalog).",
    },
    RetroPrompt {
        id: "retro-standard",
        heading: "The standard to add",
        prompt: "Turn the lesson into a standard, for example \"enable SCI401 in CI\".",
    },
];

/// Where each named workflow usually fails first, for phase 1.
pub fn workflow_hint(workflow: &super::Workflow) -> Option<&'static str> {
    use super::Workflow;
    match workflow {
        Workflow::Checkout => Some("a flow serving users directly: inputs arrive from outside and every failure is visible"),
        Workflow::Ingestion => Some("where data enters: downloads, file loads and parsing, where a hang or a skipped file goes unnoticed"),
        Workflow::Reporting => Some("the job whose numbers leave the team: silent numerical problems end up in reports"),
        Workflow::Training => Some("training and checkpoint loading: unsafe loads and long jobs without a resume plan"),
        Workflow::Custom(_) => None,
    }
}
