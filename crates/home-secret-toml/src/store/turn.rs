//! Waiting for the writers' lock: in line, for as long as the writers ahead keep finishing.
//!
//! A blocking `flock` queues the waiter in the kernel, which hands the lock on in roughly the
//! order the waiters arrived, so thirty `hst set` started at once on a large file all get their
//! turn instead of racing a poll loop. The wait has no fixed deadline: while the file keeps
//! changing or the lock keeps changing hands, the writers ahead are making progress. Only a
//! holder that keeps the lock for [`STALL`] with nothing changing (stopped, hung, or a script
//! holding `flock` by hand) ends the wait, with a message naming that process.

use std::fs::File;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::Stamp;

/// How long the lock may stay with one holder, with the file unchanged, before the holder is
/// taken to be stuck. A save of a million-key file takes a few seconds; a passphrase file's
/// save adds seconds of scrypt work on both ends.
pub(super) const STALL: Duration = Duration::from_secs(30);

/// How often a waiter looks at the file and the lock's holder.
const LOOK_EVERY: Duration = Duration::from_millis(100);

/// Who holds the lock, as far as the system says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Holder {
    pub pid: Option<u32>,
    pub name: Option<String>,
}

impl Holder {
    /// `pid 1234, hst` or `another process`.
    pub(super) fn describe(&self) -> String {
        match (self.pid, &self.name) {
            (Some(pid), Some(name)) => format!("pid {pid}, {name}"),
            (Some(pid), None) => format!("pid {pid}"),
            _ => "a process hst cannot name".to_string(),
        }
    }
}

/// Takes the exclusive lock on `lock` (the open lock file of `target`), waiting in line while
/// the writers ahead make progress; [`Waited::Stuck`] names a holder that does not.
pub(super) fn wait(lock: &File, target: &Path, stall: Duration) -> Result<(), Waited> {
    match lock.try_lock() {
        Ok(()) => return Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => {}
        Err(std::fs::TryLockError::Error(e)) => return Err(Waited::Io(e)),
    }
    // The same open file description (dup): a lock taken through it is ours. If we give up,
    // the thread's late lock is released when its copy and ours are both closed.
    let waiter = lock.try_clone().map_err(Waited::Io)?;
    let (done, granted) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(waiter.lock());
    });
    let lock_id = lock_id(lock);
    let mut seen = Progress::now(target, lock_id);
    let mut since = Instant::now();
    loop {
        match granted.recv_timeout(LOOK_EVERY) {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(e)) => return Err(Waited::Io(e)),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Waited::Io(std::io::Error::other("the lock wait ended")));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let now = Progress::now(target, lock_id);
        if now != seen {
            seen = now;
            since = Instant::now();
        } else if since.elapsed() >= stall {
            return Err(Waited::Stuck(seen.holder.unwrap_or(Holder {
                pid: None,
                name: None,
            })));
        }
    }
}

/// Device and inode of the open lock file, to find it in `/proc/locks`.
fn lock_id(lock: &File) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        lock.metadata().ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = lock;
        None
    }
}

/// Why the lock was not taken.
pub(super) enum Waited {
    Stuck(Holder),
    Io(std::io::Error),
}

/// What changes while the writers ahead make progress: the file (each save replaces it) and
/// the lock's holder.
#[derive(PartialEq, Eq)]
struct Progress {
    file: Option<Stamp>,
    holder: Option<Holder>,
}

impl Progress {
    fn now(target: &Path, lock_id: Option<(u64, u64)>) -> Self {
        Self {
            file: std::fs::metadata(target).ok().map(|m| Stamp::of(&m)),
            holder: lock_id.and_then(holder_of),
        }
    }
}

/// The process holding the `flock` on the file with this (device, inode), from `/proc/locks`
/// (Linux): lines such as `3: FLOCK  ADVISORY  WRITE 4242 00:2d:1314 0 EOF`; waiters' lines
/// have `->` after the number and are skipped.
#[cfg(target_os = "linux")]
fn holder_of((dev, ino): (u64, u64)) -> Option<Holder> {
    let table = std::fs::read_to_string("/proc/locks").ok()?;
    let wanted = format!(
        "{:02x}:{:02x}:{ino}",
        rustix::fs::major(dev),
        rustix::fs::minor(dev)
    );
    table.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(1) != Some(&"FLOCK") || fields.get(5) != Some(&wanted.as_str()) {
            return None;
        }
        let pid = fields.get(4)?.parse::<u32>().ok()?;
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .ok()
            .map(|n| n.trim().to_string());
        Some(Holder {
            pid: Some(pid),
            name,
        })
    })
}

#[cfg(not(target_os = "linux"))]
fn holder_of(_: (u64, u64)) -> Option<Holder> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock_file(dir: &Path) -> File {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(".f.lock"))
            .unwrap()
    }

    #[test]
    fn a_holder_that_changes_nothing_is_named_after_the_stall() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f");
        std::fs::write(&target, "a = 1\n").unwrap();
        let holder = lock_file(dir.path());
        holder.lock().unwrap();
        let waiter = lock_file(dir.path());
        let started = Instant::now();
        match wait(&waiter, &target, Duration::from_millis(300)) {
            Err(Waited::Stuck(who)) => {
                #[cfg(target_os = "linux")]
                assert_eq!(who.pid, Some(std::process::id()));
                let _ = who;
            }
            Err(Waited::Io(e)) => panic!("{e}"),
            Ok(()) => panic!("the lock was taken while held"),
        }
        assert!(started.elapsed() >= Duration::from_millis(300));
    }

    #[test]
    fn waiting_goes_on_while_the_file_keeps_changing_then_the_lock_is_ours() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f");
        std::fs::write(&target, "a = 0\n").unwrap();
        let holder = lock_file(dir.path());
        holder.lock().unwrap();
        let busy = target.clone();
        // The holder saves every 100 ms for 1.5 s (five stalls' worth), then lets go.
        let writer = std::thread::spawn(move || {
            for i in 0..15 {
                std::thread::sleep(Duration::from_millis(100));
                std::fs::write(&busy, format!("a = {i}\n")).unwrap();
            }
            drop(holder);
        });
        let waiter = lock_file(dir.path());
        assert!(wait(&waiter, &target, Duration::from_millis(300)).is_ok());
        writer.join().unwrap();
    }
}
