//! What every command goes through before and after it runs: agent mode's refusals (no value
//! may reach an agent's context) and the audit record of what it handed out or wrote. `hst
//! run` and `hst env` record their own (their keys are known once the manifest is read, and
//! `run` becomes the program).

use crate::agent::AgentMode;
use crate::cli::args::{Command, RecipientsAction, RefsAction};

/// Why `command` is refused in agent mode, with what to use instead.
pub fn refused(command: &Command, mode: &AgentMode) -> Option<String> {
    let instead = "run the program that needs it with hst run --mask-output -- CMD (values \
                   reach only the program, and its output is masked), or ask the user";
    let what = match command {
        Command::Get(_) => "hst get would show a value to the agent",
        Command::Otp(_) => "hst otp would show a one-time code to the agent",
        Command::Env(_) => "hst env would print values for the agent",
        Command::Export(_) => "hst export would print values for the agent",
        Command::Decrypt(_) => "hst decrypt would write the values out in the clear",
        Command::Edit => "hst edit would open every value in an editor the agent drives",
        Command::Set(args) if args.copy => "hst set --copy would put a value on the clipboard",
        Command::Recipients(args)
            if matches!(
                args.action,
                Some(RecipientsAction::Add { .. } | RecipientsAction::Accept)
            ) =>
        {
            "adding or accepting a recipient would let a new key read every value"
        }
        Command::Run(args) if !args.mask_output => {
            return Some(format!(
                "{}: hst run needs --mask-output here, so the program's output cannot carry a \
                 value back to the agent",
                mode.describe()
            ));
        }
        _ => return None,
    };
    Some(format!("{}: {what}; {instead}", mode.describe()))
}

/// The audit record a command makes: its action and keys (`None`: records its own, or hands
/// nothing out).
pub fn event(command: &Command) -> Option<(&'static str, Vec<String>)> {
    let one = |k: &str| vec![k.to_string()];
    Some(match command {
        Command::Get(args) => {
            let key = args
                .key
                .clone()
                .or_else(|| args.key_opt.clone())
                .unwrap_or_default();
            (
                if args.clipboard.is_some() {
                    "copy"
                } else {
                    "get"
                },
                vec![key],
            )
        }
        Command::Otp(args) => (
            if args.clipboard.is_some() {
                "otp-copy"
            } else {
                "otp"
            },
            one(&args.key),
        ),
        Command::Set(args) => ("set", one(&args.key)),
        Command::Rm(args) => ("rm", one(&args.key)),
        Command::Mv(args) => ("mv", vec![args.from.clone(), args.to.clone()]),
        Command::Cp(args) => ("cp", vec![args.from.clone(), args.to.clone()]),
        Command::Edit => ("edit", one("*")),
        Command::Import(args) => ("import", one(&args.prefix)),
        Command::Export(args) => ("export", one(args.prefix.as_deref().unwrap_or("*"))),
        Command::Decrypt(_) => ("decrypt", one("*")),
        Command::Encrypt(_) => ("encrypt", one("*")),
        Command::Refs(args) if matches!(args.action, Some(RefsAction::Check)) => {
            ("refs-check", one("*"))
        }
        _ => return None,
    })
}
