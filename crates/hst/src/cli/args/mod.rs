//! The command line, declared once for parsing, help and shell completions.

use std::ffi::OsString;

use clap::{Args, Parser, Subcommand};
use clap_complete::ArgValueCompleter;

use crate::clipboard::BackendSetting;
use home_secret_toml::edit::InputType;

mod refs;
mod sharing;
pub use refs::*;
pub use sharing::*;

const PATH_HELP: &str = "Path to the TOML secrets file (a name ending in .age is an age-encrypted \
     one). Defaults to $HST_PATH, else ~/home_secret.toml or ~/home_secret.toml.age";

pub(crate) const IDENTITY_HELP: &str = "The identity (an age key file or an SSH private key) \
     that opens an encrypted secrets file. Defaults to $HST_AGE_IDENTITY, else identity under \
     [age] in the config file, else ~/.config/age/key.txt, ~/.ssh/id_ed25519, ~/.ssh/id_rsa";

// Paths are `OsString` rather than `PathBuf` so that an empty `--path ''` is accepted and means
// `.`, as it does for pathlib.
#[derive(Debug, Parser)]
#[command(
    name = "hst",
    version,
    about = "Home Secret TOML - Local credential management CLI",
    // argparse accepts unambiguous prefixes of long options (`--pa`, `--q`, `--over`); so do we.
    infer_long_args = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Declared once for every command, before or after the subcommand (`hst --path F ls` and
    /// `hst ls --path F`).
    #[arg(long, global = true, value_name = "PATH", help = PATH_HELP, value_hint = clap::ValueHint::FilePath)]
    pub path: Option<OsString>,
    #[arg(long, global = true, value_name = "FILE", help = IDENTITY_HELP, value_hint = clap::ValueHint::FilePath)]
    pub identity: Option<OsString>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Get a secret value by key
    Get(GetArgs),
    /// List secrets with masked values
    Ls(LsArgs),
    /// Generate home_secret_enum.py file
    GenEnum(GenEnumArgs),
    /// Create a commented starter secrets file (mode 600); never overwrites
    Init(InitArgs),
    /// Set a value (or add a new key); only that value's bytes change in the file
    Set(SetArgs),
    /// Remove a key (comments above it stay); a whole table with --recursive. Asks first on a
    /// terminal
    Rm(RmArgs),
    /// Move or rename a key (any part of its path); a whole table with --recursive. Never
    /// overwrites
    Mv(MoveArgs),
    /// Copy a key to another path; a whole table with --recursive. Never overwrites
    Cp(MoveArgs),
    /// Edit the whole file in $VISUAL or $EDITOR (an encrypted file's text only on a RAM-backed
    /// filesystem); checked, and saved only over the file as it was when the editor opened
    Edit,
    /// Print (or copy with -c) the current one-time code of an otpauth://totp/ value
    Otp(OtpArgs),
    /// Run a program with the secrets the project's hst.toml names in its environment (never on
    /// its command line, never printed)
    Run(RunArgs),
    /// Print the manifest's variables for a shell or a file (eval "$(hst env)" in .envrc);
    /// refused on a terminal unless --force
    Env(EnvArgs),
    /// Add keys from a .env file, a pass store or a 1Password CSV export under --prefix (new
    /// keys only unless --overwrite; one write; values never printed)
    Import(ImportArgs),
    /// Write keys as dotenv or JSON to a pipe or file (refused on a terminal unless --force)
    Export(ExportArgs),
    /// What handed out which key, when, from which program (the audit log); `verify` checks it
    Audit(AuditArgs),
    /// A Model Context Protocol server on stdio for AI agents (always agent mode: no tool
    /// returns a value)
    Mcp,
    /// Let an agent's `hst run --mask-output` use these keys for a while (a person, on a
    /// terminal); `grant ls`, `grant revoke`
    Grant(GrantArgs),
    /// Trust this project's hst.toml for hst run (after showing the keys it reads); needed
    /// again after every change to it
    Allow(AllowArgs),
    /// Stop trusting a project's hst.toml
    Deny(AllowArgs),
    /// Find your own secrets (and their base64, hex, percent and escaped forms) in files or in
    /// what git has staged; exit 1 when found
    Scan(ScanArgs),
    /// The references to secrets kept by a backend (vault://, aws-sm://, op://, pass://):
    /// `ls` lists them, `check` resolves every one and reports the broken ones
    Refs(RefsArgs),
    /// The public keys an encrypted file is encrypted to, kept in FILE.recipients beside it:
    /// `ls`, `add NAME KEY`, `rm NAME` (both re-encrypt at once), `accept` (a changed list)
    Recipients(RecipientsArgs),
    /// The keys whose values a removed recipient could read and that have not changed since it
    /// was removed (from git history): what still needs rotating at its source
    Exposed {
        /// The removed recipient's name, as the recipients file had it
        name: String,
    },
    /// For git (diff.hst.textconv): print FILE (plain or age) with every value replaced by a
    /// keyed fingerprint, so git diff and git log -p show which keys changed, never a value
    GitTextconv {
        #[arg(value_hint = clap::ValueHint::FilePath)]
        file: OsString,
    },
    /// For git (merge.hst.driver): merge three versions of a secrets file key by key, in memory;
    /// a key changed differently on both sides stops the merge for `hst resolve`
    GitMerge {
        base: OsString,
        ours: OsString,
        theirs: OsString,
        /// The file's path in the repository (git's %P)
        name: OsString,
    },
    /// Finish a merge of the secrets file that stopped on conflicting keys: choose each key's
    /// value (--ours, --theirs, or --edit to type one); staged once every key has one
    Resolve(ResolveArgs),
    /// The secrets file on every machine through git: `hst sync` commits, pulls (merging key by
    /// key), checks the file opens, pushes; `init`, `clone URL`, `doctor`
    Sync(SyncArgs),
    /// Encrypt the plain secrets file with age into FILE.age (the plain file is left for you to
    /// remove)
    Encrypt(EncryptArgs),
    /// Decrypt an age-encrypted secrets file into a plain one, created with mode 600
    Decrypt(DecryptArgs),
    /// Print a shell completion script for hst and hst-tui that completes key paths too (e.g.
    /// `hst completions bash > ~/.local/share/bash-completion/completions/hst`)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct LsArgs {
    /// Only keys containing every term (space or comma separated; case and -/_ ignored)
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
    /// `text` (the Python tool's lines) or `json` (key, masked value, type and line of each; never
    /// a value)
    #[arg(long, value_enum, default_value_t = LsFormat::Text)]
    pub format: LsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LsFormat {
    Text,
    Json,
}

/// How `hst get` writes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GetFormat {
    /// The Python tool's bytes: a string as it is, anything else as Python's repr
    Python,
    /// A string as it is, anything else as its TOML literal (`true`, `2025-12-31`)
    Raw,
    /// The TOML literal, strings quoted (what follows `=` in the file)
    Toml,
    /// JSON (strings quoted, tables as objects)
    Json,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// Dot-separated path to the secret (e.g., github.accounts.personal.token)
    #[arg(add = ArgValueCompleter::new(super::complete::keys))]
    pub key: Option<String>,
    /// Alternative: specify key as --key option
    #[arg(long = "key", value_name = "KEY", add = ArgValueCompleter::new(super::complete::keys))]
    pub key_opt: Option<String>,
    /// Copy to clipboard instead of printing to stdout; --clipboard=auto|native|osc52 picks how
    #[arg(
        short = 'c',
        long,
        value_name = "BACKEND",
        num_args = 0..=1,
        require_equals = true,
        value_enum
    )]
    pub clipboard: Option<Option<BackendSetting>>,
    /// Seconds until the copied value is cleared from the clipboard (0 = never; default 45)
    #[arg(long, value_name = "SECONDS")]
    pub clipboard_timeout: Option<u64>,
    /// Don't print trailing newline
    #[arg(short = 'n', long)]
    pub no_newline: bool,
    /// python (default: the Python tool's output), raw, toml or json. `-c` copies raw text
    /// unless toml or json is asked for, never Python's repr
    #[arg(long, value_enum)]
    pub format: Option<GetFormat>,
    /// Print a reference (vault://…, aws-sm://…, op://…, pass://…) as written, without asking
    /// its backend
    #[arg(long)]
    pub no_resolve: bool,
}

#[derive(Debug, Args)]
pub struct OtpArgs {
    /// Dot-separated path of a value holding an otpauth://totp/ URI
    #[arg(add = ArgValueCompleter::new(super::complete::keys))]
    pub key: String,
    /// Copy the code instead of printing it; --clipboard=auto|native|osc52 picks how
    #[arg(
        short = 'c',
        long,
        value_name = "BACKEND",
        num_args = 0..=1,
        require_equals = true,
        value_enum
    )]
    pub clipboard: Option<Option<BackendSetting>>,
    /// Seconds until the copied code is cleared from the clipboard (0 = never; default 45)
    #[arg(long, value_name = "SECONDS")]
    pub clipboard_timeout: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// Dot-separated path of the key (or, with --recursive, of a table)
    #[arg(add = ArgValueCompleter::new(super::complete::keys))]
    pub key: String,
    /// Remove every key under a table
    #[arg(short, long)]
    pub recursive: bool,
    /// Do not ask (needed when not on a terminal)
    #[arg(short, long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The key (or, with --recursive, the table) to move or copy
    #[arg(add = ArgValueCompleter::new(super::complete::keys))]
    pub from: String,
    /// Its new path
    pub to: String,
    /// Every key under a table
    #[arg(short, long)]
    pub recursive: bool,
}

#[derive(Debug, Args)]
pub struct GenEnumArgs {
    /// Output path (directory or .py file). Defaults to ./home_secret_enum.py
    #[arg(long, value_name = "OUTPUT")]
    pub output: Option<OsString>,
    /// Overwrite existing file
    #[arg(long)]
    pub overwrite: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {}

#[derive(Debug, Args)]
#[command(
    after_help = "Without --recipient and --passphrase the file is encrypted to your identity's \
    public key and the keys under [age] recipients in the config file. Later saves re-encrypt \
    it to those same keys, so list every machine's key there."
)]
pub struct EncryptArgs {
    /// Also encrypt to this age public key (age1…); repeatable
    #[arg(long, short = 'r', value_name = "KEY")]
    pub recipient: Vec<String>,
    /// Encrypt with a passphrase instead of keys (asked twice on the terminal)
    #[arg(long, short = 'p', conflicts_with = "recipient")]
    pub passphrase: bool,
    /// Write ASCII armor (text) instead of binary age
    #[arg(long, short = 'a')]
    pub armor: bool,
    /// Where to write the encrypted file (default: the secrets file's name + .age); never
    /// overwritten
    #[arg(long, short = 'o', value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub output: Option<OsString>,
}

#[derive(Debug, Args)]
pub struct DecryptArgs {
    /// Where to write the plain file (default: the name without .age; - for standard output);
    /// never overwritten
    #[arg(long, short = 'o', value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub output: Option<OsString>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Without VALUE and --stdin, hst set asks for the value on the terminal \
    (twice, without echo). That is the safe way: a VALUE on the command line can be seen by \
    other users of the machine (ps, /proc) and lands in your shell history."
)]
pub struct SetArgs {
    /// Dot-separated path to the secret
    #[arg(add = ArgValueCompleter::new(super::complete::keys))]
    pub key: String,
    /// The new value. Other users can see a command line (ps, /proc/PID/cmdline): leave it
    /// out to be asked for it, or use --stdin
    pub value: Option<String>,
    /// Read the value from standard input (one trailing newline is dropped)
    #[arg(long, conflicts_with = "value")]
    pub stdin: bool,
    /// Set a new random value from the operating system's generator: LEN letters and digits
    /// (default 32). It is never printed; add --copy to put it on the clipboard
    #[arg(
        long,
        value_name = "LEN",
        num_args = 0..=1,
        default_missing_value = "32",
        conflicts_with_all = ["value", "stdin"],
        value_parser = clap::value_parser!(u16).range(8..=4096)
    )]
    pub generate: Option<u16>,
    /// With --generate: copy the new value to the clipboard too (cleared after the timeout)
    #[arg(long, requires = "generate")]
    pub copy: bool,
    /// Accept an empty value from standard input or the prompt (refused by default: an empty
    /// read is more often a mistake than a wish)
    #[arg(long)]
    pub allow_empty: bool,
    /// How to read the value: string, int, float, bool, datetime or raw (a TOML value such as
    /// [1, 2] or { a = 1 }). Default: the type the key has now; string for a new key
    #[arg(long = "type", value_name = "TYPE", value_parser = input_type_parser())]
    pub kind: Option<InputType>,
    /// Write a reference to where the secret lives instead of the secret (vault://PATH#FIELD,
    /// aws-sm://ID#KEY, op://VAULT/ITEM/FIELD, pass://ENTRY, or NAME://… for a configured
    /// backend), once its backend has given a value for it
    #[arg(long = "ref", value_name = "URI", conflicts_with_all = ["value", "stdin", "generate", "kind"])]
    pub reference: Option<String>,
    /// With --ref: write the reference without asking its backend first
    #[arg(long, requires = "reference")]
    pub no_check: bool,
}

/// `--type` takes the names of the core's one table (so completions list them).
fn input_type_parser() -> impl clap::builder::TypedValueParser<Value = InputType> {
    use clap::builder::TypedValueParser;
    let names: Vec<&'static str> = InputType::NAMES.iter().map(|(n, _)| *n).collect();
    clap::builder::PossibleValuesParser::new(names)
        .map(|name: String| InputType::parse_name(&name).unwrap_or(InputType::String))
}

#[derive(Debug, Args)]
#[command(
    after_help = "The manifest hst.toml maps variable names to key paths:\n\n  [env]\n  GITHUB_TOKEN = \"github.accounts.personal.users.dev.secrets.api_token.value\"\n  PGPORT       = { key = \"db.postgres_local.port\" }\n  LOG_LEVEL    = { default = \"info\" }\n  SENTRY_DSN   = { key = \"sentry.accounts.dev.dsn\", optional = true }\n\nIt is found from the current folder up to the repository root (.git, .hg, .svn), never above it."
)]
pub struct RunArgs {
    /// Add or override a variable without a manifest: NAME=KEY (a key path of the secrets file)
    #[arg(long = "env", value_name = "NAME=KEY", add = ArgValueCompleter::new(super::complete::env_pairs))]
    pub env: Vec<String>,
    /// The manifest to use instead of the nearest hst.toml (trusted: you named it)
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub manifest: Option<OsString>,
    /// Keep NAME's value from the environment when it is set there, over the key's (repeatable)
    #[arg(long, value_name = "NAME")]
    pub keep_env: Vec<String>,
    /// Print every variable, where its value comes from and what it is (masked); run nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Run the program through pipes that replace every injected secret (and its encoded
    /// forms) in its output with ***, for CI logs
    #[arg(long)]
    pub mask_output: bool,
    /// The program to run and its arguments, after `--`
    #[arg(
        last = true,
        value_name = "COMMAND",
        required_unless_present = "dry_run"
    )]
    pub command: Vec<OsString>,
}

#[derive(Debug, Args)]
pub struct EnvArgs {
    /// sh (export lines for bash, zsh, dash: eval "$(hst env)"), fish, dotenv or json
    #[arg(long, value_enum, default_value_t = EnvFormat::Sh)]
    pub format: EnvFormat,
    /// Write the values even when stdout is a terminal
    #[arg(long)]
    pub force: bool,
    /// Add or override a variable: NAME=KEY
    #[arg(long = "env", value_name = "NAME=KEY", add = ArgValueCompleter::new(super::complete::env_pairs))]
    pub env: Vec<String>,
    /// The manifest to use instead of the nearest hst.toml
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub manifest: Option<OsString>,
    /// Keep NAME's value from the environment over the key's (repeatable)
    #[arg(long, value_name = "NAME")]
    pub keep_env: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EnvFormat {
    Sh,
    Fish,
    Dotenv,
    Json,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The .env or CSV file (for --from pass: the folder of the store to import, default all)
    #[arg(value_hint = clap::ValueHint::AnyPath)]
    pub source: Option<OsString>,
    /// Where the keys go (a dotted path, like apps.myproject)
    #[arg(long, value_name = "PATH")]
    pub prefix: String,
    /// What the source is (default: 1password for a .csv file, else dotenv)
    #[arg(long, value_enum)]
    pub from: Option<ImportFrom>,
    /// Replace keys that exist (by default they are kept and counted)
    #[arg(long)]
    pub overwrite: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFrom {
    /// A .env file (python-dotenv and dotenvx syntax)
    Dotenv,
    /// A pass store ($PASSWORD_STORE_DIR or ~/.password-store), decrypted with gpg
    Pass,
    /// A 1Password CSV export
    #[value(name = "1password")]
    Onepassword,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// dotenv (NAME='value', names from the key path) or json (dotted key → value)
    #[arg(long, value_enum, default_value_t = ExportFormat::Dotenv)]
    pub format: ExportFormat,
    /// Only the keys under this dotted path (names relative to it)
    #[arg(long, value_name = "PATH")]
    pub prefix: Option<String>,
    /// Write the values even when stdout is a terminal
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Dotenv,
    Json,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub action: Option<AuditAction>,
    /// Only records about this key (or the keys under it)
    #[arg(long, value_name = "KEY", add = ArgValueCompleter::new(super::complete::keys))]
    pub key: Option<String>,
    /// Only records since this long ago (30m, 2h, 7d) or this time (2026-12-03T10:00:00Z)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// text (one line per record) or json
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    pub format: AuditFormat,
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Check the HMAC chain: name the first record removed, moved or changed
    Verify,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct GrantArgs {
    #[command(subcommand)]
    pub action: Option<GrantAction>,
    /// The keys an agent's hst run --mask-output may inject
    #[arg(add = ArgValueCompleter::new(super::complete::keys))]
    pub keys: Vec<String>,
    /// How long (30m, 2h, 1d)
    #[arg(long = "for", value_name = "DURATION", default_value = "30m")]
    pub duration: String,
    /// The project folder it applies in (default: the current folder)
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub project: Option<OsString>,
}

#[derive(Debug, Subcommand)]
pub enum GrantAction {
    /// The grants in force
    Ls,
    /// Take grants back: these keys, or --all
    Revoke {
        keys: Vec<String>,
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Args)]
pub struct AllowArgs {
    /// The manifest (default: the nearest hst.toml)
    #[arg(value_hint = clap::ValueHint::FilePath)]
    pub manifest: Option<OsString>,
    /// Do not ask (needed when not on a terminal)
    #[arg(short, long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and folders to scan (default: the current folder); .gitignore and .ignore are
    /// honoured and .git is skipped, as ripgrep does
    #[arg(value_hint = clap::ValueHint::AnyPath)]
    pub paths: Vec<std::path::PathBuf>,
    /// Scan what git has staged (the index), not the working tree
    #[arg(long, conflicts_with = "paths")]
    pub staged: bool,
    /// Install `hst scan --staged` as this repository's pre-commit hook (an existing hook is
    /// kept and still runs)
    #[arg(long, conflicts_with_all = ["paths", "staged"])]
    pub install_hook: bool,
    /// Also look for the values that references (vault://…) point at: asks every backend
    #[arg(long)]
    pub resolve_refs: bool,
    /// Scan every blob reachable in the repository's history once (all refs, or RANGE like
    /// main..feature), reporting commit:path:line
    #[arg(long, value_name = "RANGE", num_args = 0..=1, default_missing_value = "", conflicts_with_all = ["paths", "staged", "install_hook"])]
    pub history: Option<String>,
    /// Skip paths matching GLOB (gitignore syntax; repeatable)
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Values shorter than this many characters are not searched (they would match by chance)
    #[arg(long, value_name = "N", default_value_t = crate::scan::DEFAULT_MIN_LENGTH)]
    pub min_length: usize,
    /// How findings are printed
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
}

/// `hst scan --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ScanFormat {
    /// `path:line:column: key.path (encoding) masked`
    Text,
    /// A JSON array of findings, for tools and CI
    Json,
}
