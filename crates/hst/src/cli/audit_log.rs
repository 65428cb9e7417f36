//! `hst audit [--key K] [--since T] [--format json]`: what touched which key, when, from which
//! program; `hst audit verify`: the HMAC chain checked, the first bad record named.

use std::io::{IsTerminal, Write};

use super::Failure;
use crate::audit;
use crate::cli::args::{AuditAction, AuditArgs, AuditFormat};

pub fn run(args: &AuditArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let log = audit::log_path()
        .ok_or_else(|| Failure::Message("no state folder for the audit log".to_string()))?;
    if matches!(args.action, Some(AuditAction::Verify)) {
        return match audit::verify(&log) {
            Ok(n) => {
                writeln!(out, "{}: {n} records, chain intact.", log.display())?;
                Ok(())
            }
            Err(why) => Err(Failure::Message(format!("{}: {why}", log.display()))),
        };
    }
    let since = args
        .since
        .as_deref()
        .map(|s| audit::clock::since(s, home_secret_toml::otp::now_unix()))
        .transpose()
        .map_err(Failure::Message)?;
    let records: Vec<audit::Record> = audit::read_all(&log)
        .map_err(Failure::Message)?
        .into_iter()
        .filter(|r| since.as_deref().is_none_or(|s| r.time.as_str() >= s))
        .filter(|r| {
            args.key.as_deref().is_none_or(|k| {
                r.keys
                    .iter()
                    .any(|have| have == k || have.starts_with(&format!("{k}.")))
            })
        })
        .collect();
    if args.format == AuditFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &records).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let terminal = std::io::stdout().is_terminal();
    for r in &records {
        let line = format!(
            "{}  {:<8} {:<28} {}  [{}]  {}",
            r.time,
            r.action,
            r.keys.join(","),
            r.outcome,
            r.programs.join(" < "),
            r.cwd
        );
        writeln!(out, "{}", crate::terminal_text::for_output(&line, terminal))?;
    }
    Ok(())
}
