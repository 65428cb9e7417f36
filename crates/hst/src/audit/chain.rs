//! The log's records and their HMAC chain. Each line is a JSON record whose `mac` is
//! HMAC-SHA256(key, previous mac + "\n" + the record without its mac): removing, reordering or
//! editing a record breaks every mac from there on, and `seq` numbers say which went missing.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::Event;

/// One record, as a line of the log. Field order is the canonical form the mac covers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    pub seq: u64,
    pub time: String,
    pub action: String,
    pub keys: Vec<String>,
    pub file: Option<String>,
    pub cwd: String,
    pub pid: u32,
    /// This process and its ancestors, nearest first.
    pub programs: Vec<String>,
    pub outcome: String,
    #[serde(default)]
    pub mac: String,
}

impl Record {
    fn body(&self) -> Result<String, String> {
        let mut body = self.clone();
        body.mac = String::new();
        serde_json::to_string(&body).map_err(|e| e.to_string())
    }

    fn mac_after(&self, key: &[u8], previous: &str) -> Result<String, String> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|e| e.to_string())?;
        mac.update(previous.as_bytes());
        mac.update(b"\n");
        mac.update(self.body()?.as_bytes());
        Ok(hex(&mac.finalize().into_bytes()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends one record for `event` under an exclusive lock on the log.
pub fn append(log: &Path, event: &Event<'_>) -> Result<(), String> {
    let folder = log.parent().unwrap_or(Path::new("."));
    create_private_dir(folder)?;
    let key = key(&folder.join("audit.key"))?;
    let mut file = open_private(log, true)?;
    let failed = |e: std::io::Error| e.to_string();
    #[cfg(unix)]
    rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
        .map_err(|e| e.to_string())?;
    let last = last_record(&mut file)?;
    let (seq, previous) = last.map_or((1, String::new()), |r| (r.seq + 1, r.mac));
    let mut record = Record {
        seq,
        time: super::clock::format(home_secret_toml::otp::now_unix()),
        action: event.action.to_string(),
        keys: event.keys.clone(),
        file: event.file.map(home_secret_toml::path::display),
        cwd: std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default(),
        pid: std::process::id(),
        programs: super::processes::chain(),
        outcome: event.outcome.clone(),
        mac: String::new(),
    };
    record.mac = record.mac_after(&key, &previous)?;
    let mut line = serde_json::to_string(&record).map_err(|e| e.to_string())?;
    line.push('\n');
    // One write of a whole line while the lock is held: no other record interleaves.
    file.seek(SeekFrom::End(0)).map_err(failed)?;
    file.write_all(line.as_bytes()).map_err(failed)?;
    file.sync_data().map_err(failed)?;
    Ok(())
}

/// Every record of the log (none when there is no log yet).
pub fn read_all(log: &Path) -> Result<Vec<Record>, String> {
    let text = match std::fs::read_to_string(log) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", log.display())),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|_| format!("line {} is not a record", i + 1))
        })
        .collect()
}

/// Checks the whole chain; the number of records, or the first bad one.
pub fn verify(log: &Path) -> Result<usize, String> {
    let folder = log.parent().unwrap_or(Path::new("."));
    let key_file = folder.join("audit.key");
    let key = read_key(&key_file)?.ok_or_else(|| format!("{}: no key", key_file.display()))?;
    let records = read_all(log)?;
    let mut previous = String::new();
    for (i, record) in records.iter().enumerate() {
        let line = i + 1;
        let want_seq = u64::try_from(line).unwrap_or(u64::MAX);
        if record.seq != want_seq {
            return Err(format!(
                "line {line}: record {} where record {want_seq} belongs (one was removed or \
                 moved)",
                record.seq
            ));
        }
        if record.mac != record.mac_after(&key, &previous)? {
            return Err(format!(
                "line {line}: record {} was changed (its mac does not match)",
                record.seq
            ));
        }
        previous.clone_from(&record.mac);
    }
    Ok(records.len())
}

/// The last complete record of the log (read from its end).
fn last_record(file: &mut File) -> Result<Option<Record>, String> {
    let failed = |e: std::io::Error| e.to_string();
    let len = file.seek(SeekFrom::End(0)).map_err(failed)?;
    let mut back = 4096u64;
    loop {
        let start = len.saturating_sub(back);
        file.seek(SeekFrom::Start(start)).map_err(failed)?;
        let mut tail = Vec::new();
        file.read_to_end(&mut tail).map_err(failed)?;
        let text = String::from_utf8_lossy(&tail);
        let trimmed = text.trim_end_matches('\n');
        match trimmed.rfind('\n') {
            Some(at) => return parse_last(&trimmed[at + 1..]),
            None if start == 0 => return parse_last(trimmed),
            None => back = back.saturating_mul(4),
        }
    }
}

fn parse_last(line: &str) -> Result<Option<Record>, String> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str(line)
        .map(Some)
        .map_err(|_| "its last line is not a record (hst audit verify says more)".to_string())
}

/// The chain's key: made once (32 random bytes, hex, 0600), by whichever process comes first.
pub(super) fn key(path: &Path) -> Result<Vec<u8>, String> {
    if let Some(key) = read_key(path)? {
        return Ok(key);
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
    match open_private(path, false) {
        Ok(mut file) => {
            file.write_all(hex(&bytes).as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| e.to_string())?;
            Ok(hex(&bytes).into_bytes())
        }
        // Another process made it first: use theirs.
        Err(_) => read_key(path)?.ok_or_else(|| format!("{}: cannot be read", path.display())),
    }
}

fn read_key(path: &Path) -> Result<Option<Vec<u8>>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) if text.trim().len() == 64 => Ok(Some(text.trim().as_bytes().to_vec())),
        // Being written by another process this instant.
        Ok(_) => {
            std::thread::sleep(std::time::Duration::from_millis(50));
            Ok(std::fs::read_to_string(path)
                .ok()
                .filter(|t| t.trim().len() == 64)
                .map(|t| t.trim().as_bytes().to_vec()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The log (appending, made if absent) or the key (made, never replaced), mode 0600.
fn open_private(path: &Path, append: bool) -> Result<File, String> {
    let mut options = OpenOptions::new();
    if append {
        options.read(true).append(true).create(true);
    } else {
        options.write(true).create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn create_private_dir(folder: &Path) -> Result<(), String> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(folder)
        .map_err(|e| format!("{}: {e}", folder.display()))
}
