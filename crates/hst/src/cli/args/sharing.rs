//! The arguments of the commands that share the file: its recipients, git's merge and
//! `hst sync`.

use std::ffi::OsString;

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct RecipientsArgs {
    #[command(subcommand)]
    pub action: Option<RecipientsAction>,
}

#[derive(Debug, Subcommand)]
pub enum RecipientsAction {
    /// The recipients, their kinds and fingerprints, and whether this machine accepted the list
    Ls,
    /// Add a public key (age1…, ssh-ed25519 …, ssh-rsa …, or a .pub file) named NAME, and
    /// re-encrypt the file to the new list at once
    Add {
        /// A name people recognise: laptop-a, ci, alice@work (letters, digits, .-_@+)
        name: String,
        /// The public key, or the path of a file holding it (~/.ssh/id_ed25519.pub)
        key: String,
    },
    /// Remove a recipient and re-encrypt at once; lists the keys it could read (rotate them)
    Rm { name: String },
    /// Accept the recipients file as it is now (after a pull changed it), so saves encrypt to it
    Accept,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("side").args(["ours", "theirs", "edit"]))]
pub struct ResolveArgs {
    /// A conflicting key (without one: finish the merge with the choices made so far)
    pub key: Option<String>,
    /// Keep this side's value (the branch you are on; in a rebase, the upstream)
    #[arg(long)]
    pub ours: bool,
    /// Take the other side's value
    #[arg(long)]
    pub theirs: bool,
    /// Type the value on the terminal (not echoed)
    #[arg(long)]
    pub edit: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub action: Option<SyncAction>,
    /// Accept the recipients the other machines added (shown when a sync stops on them)
    #[arg(long)]
    pub accept_recipients: bool,
}

#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Keep the secrets file in git: a repository around it (not your whole home folder),
    /// .gitattributes for hst's diff and merge, this clone's config, a recipients file
    Init {
        /// A remote to push to (a private repository, a bare repository over SSH)
        #[arg(long, value_name = "URL")]
        remote: Option<String>,
    },
    /// Clone a secrets repository, set up hst's diff and merge, and check the file opens here
    /// (else print the public key to add)
    Clone {
        url: String,
        #[arg(value_hint = clap::ValueHint::DirPath)]
        dir: Option<OsString>,
    },
    /// What would make syncing go wrong here: missing driver config, identities, recipients
    Doctor,
}
