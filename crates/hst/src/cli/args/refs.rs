//! The arguments of `hst refs`: the references to backends in the secrets file.

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct RefsArgs {
    #[command(subcommand)]
    pub action: Option<RefsAction>,
}

#[derive(Debug, Subcommand)]
pub enum RefsAction {
    /// Every reference with its key and backend (nothing is fetched)
    Ls,
    /// Resolve every reference (in parallel; values are never printed) and list the broken
    /// ones with their backend's reason; exit 1 when any is broken (a CI gate that the file
    /// still points at real secrets)
    Check,
}
