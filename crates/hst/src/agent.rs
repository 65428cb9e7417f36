//! Agent mode: when an AI agent runs hst, no value may reach its context. On with
//! `HST_AGENT=1` (the user puts it in the agent's configuration), or when a known agent is
//! among hst's ancestor processes ([`KNOWN_AGENTS`]); an agent cannot turn it off, so
//! `HST_AGENT=0` does not override what the ancestors show.

/// Process names of coding agents, matched exactly (case ignored) against hst's ancestors.
pub const KNOWN_AGENTS: &[&str] = &[
    "claude",
    "claude-code",
    "codex",
    "aider",
    "cursor-agent",
    "gemini",
    "goose",
    "opencode",
    "amp",
    "cline",
    "crush",
    "qwen",
    "openhands",
    "copilot",
];

/// Why agent mode is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentMode {
    /// `HST_AGENT` is set to a true value.
    Variable,
    /// This ancestor is a known agent.
    Ancestor(String),
    /// `hst mcp`: a server for agents.
    Server,
}

/// Set by `hst mcp` for the whole process.
static FORCED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Agent mode for the rest of this process, whatever the environment says.
pub fn force_on() {
    FORCED.store(true, std::sync::atomic::Ordering::Relaxed);
}

impl AgentMode {
    /// For messages: "agent mode (HST_AGENT=1)" or "agent mode (run by claude)".
    pub fn describe(&self) -> String {
        match self {
            AgentMode::Variable => "agent mode (HST_AGENT is set)".to_string(),
            AgentMode::Ancestor(name) => format!("agent mode (run by {name})"),
            AgentMode::Server => "agent mode (hst mcp)".to_string(),
        }
    }
}

/// Whether hst runs for an agent, and why.
pub fn detect() -> Option<AgentMode> {
    if FORCED.load(std::sync::atomic::Ordering::Relaxed) {
        return Some(AgentMode::Server);
    }
    let set = std::env::var("HST_AGENT").is_ok_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        )
    });
    if set {
        return Some(AgentMode::Variable);
    }
    crate::audit::processes::chain()
        .into_iter()
        .skip(1)
        .find(|name| KNOWN_AGENTS.iter().any(|a| a.eq_ignore_ascii_case(name)))
        .map(AgentMode::Ancestor)
}
