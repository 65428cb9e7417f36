//! Ranking a very large search off the UI thread. The screen shows the exact matches at once
//! (`members`), in a provisional order; their order by score follows when it is ready, unless
//! another keystroke made it moot first.
//!
//! At a million keys, scoring every match of a long text takes 50–100 ms (Smith-Waterman per
//! key); finding which keys match takes 5–15 ms. A keystroke must redraw within a frame or two.

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use home_secret_toml::file::SecretFile;

use super::filter::Filter;

/// The key texts of a file, each a slice of it: what a search ranks on every keystroke, made
/// once per file (a million keys took 10–18 ms to gather again for each keystroke).
type KeyTexts<'f> = Vec<&'f str>;

self_cell::self_cell!(
    /// The file shown and its keys' texts (shared with a ranking in progress).
    pub struct Loaded {
        owner: SecretFile,
        #[covariant]
        dependent: KeyTexts,
    }
);

impl Loaded {
    pub fn of(file: SecretFile) -> Self {
        Loaded::new(file, |file| {
            let mut keys = Vec::new();
            file.listed_keys_into(0..file.listed_len(), &mut keys);
            keys
        })
    }
}

/// Which search a ranking is for: the list takes the result only if it is still the one
/// waiting (`generation`), and keeps it for a backspace if the keys are the same (`epoch`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankFor {
    pub epoch: u64,
    pub generation: u64,
    pub range: Range<usize>,
    pub text: String,
}

/// Rank `candidates` (ascending key indices, every one a match) by `text`.
pub struct RankJob {
    pub what: RankFor,
    pub candidates: Arc<Vec<u32>>,
    pub keys: Arc<Loaded>,
}

impl std::fmt::Debug for RankJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RankJob")
            .field("what", &self.what)
            .field("candidates", &self.candidates.len())
            .finish_non_exhaustive()
    }
}

/// A search's matches in their order by score (for the search `what` says).
#[derive(Clone, PartialEq, Eq)]
pub struct Ranked {
    pub what: RankFor,
    pub rows: Vec<u32>,
}

impl std::fmt::Debug for Ranked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ranked")
            .field("what", &self.what)
            .field("rows", &self.rows.len())
            .finish()
    }
}

impl RankJob {
    /// The ranked rows, or `None` if `cancelled` said to stop.
    pub fn run(&self, cancelled: &dyn Fn() -> bool) -> Option<Ranked> {
        let keys = self.keys.borrow_dependent();
        let rows = Filter::new(&self.what.text).rank_among(keys, &self.candidates, cancelled)?;
        Some(Ranked {
            what: self.what.clone(),
            rows,
        })
    }
}

/// Runs rankings on a thread of their own, newest first: a newer job tells the older to stop.
pub struct Ranker {
    latest: Arc<AtomicU64>,
    sender: Sender<Option<Ranked>>,
    results: Receiver<Option<Ranked>>,
    running: usize,
}

impl Default for Ranker {
    fn default() -> Self {
        let (sender, results) = channel();
        Self {
            latest: Arc::new(AtomicU64::new(0)),
            sender,
            results,
            running: 0,
        }
    }
}

impl Ranker {
    /// Starts `job`; `None` if it started, else the ranking done here and now (no thread to
    /// be had).
    pub fn start(&mut self, job: RankJob) -> Option<Ranked> {
        let generation = job.what.generation;
        self.latest.store(generation, Ordering::SeqCst);
        let latest = Arc::clone(&self.latest);
        let sender = self.sender.clone();
        let job = Arc::new(job);
        let on_thread = Arc::clone(&job);
        let started = std::thread::Builder::new()
            .name("hst-rank".into())
            .spawn(move || {
                yield_to_the_screen();
                // Reports even when cancelled, or if the ranking panicked (on unwinding), so the
                // count of running jobs stays right and the loop stops looking.
                let mut report = Report {
                    sender,
                    ranked: None,
                };
                let cancelled = || latest.load(Ordering::SeqCst) != generation;
                report.ranked = on_thread.run(&cancelled);
            });
        if started.is_ok() {
            self.running += 1;
            None
        } else {
            job.run(&|| false)
        }
    }

    /// A ranking that finished, if any (`Some(None)`: one that was cancelled).
    pub fn finished(&mut self) -> Option<Option<Ranked>> {
        let ranked = self.results.try_recv().ok()?;
        self.running = self.running.saturating_sub(1);
        Some(ranked)
    }

    /// Whether a ranking is on its way (the loop then looks for it often).
    pub fn busy(&self) -> bool {
        self.running > 0
    }
}

/// A ranking thread's answer, sent when the thread ends however it ends.
struct Report {
    sender: Sender<Option<Ranked>>,
    ranked: Option<Ranked>,
}

impl Drop for Report {
    fn drop(&mut self) {
        let _ = self.sender.send(self.ranked.take());
    }
}

/// Lowers this thread's priority, and that of the threads it starts (they inherit it): on two
/// cores, a keystroke typed while the previous text is being ranked gets its core at once.
/// Linux keeps a nice value per thread; elsewhere the whole program would slow, so nothing.
fn yield_to_the_screen() {
    #[cfg(target_os = "linux")]
    {
        // A failure leaves the priority as it was: ranking is only slower to give way.
        let _ = rustix::process::setpriority_process(None, 10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn loaded() -> Arc<Loaded> {
        let text: String = (0..200)
            .map(|i| format!("p{}.accounts.a{}.secrets.s{i} = \"fake\"\n", i % 7, i % 5))
            .collect();
        let file = SecretFile::from_text(std::path::Path::new("ranking.toml"), text)
            .unwrap_or_else(|e| panic!("{e}"));
        Arc::new(Loaded::of(file))
    }

    fn job(keys: &Arc<Loaded>, generation: u64, text: &str) -> RankJob {
        let all: Vec<&str> = keys.borrow_dependent().clone();
        let candidates: Vec<u32> = {
            let mut rows = Filter::new(text).rank_indices(&all);
            rows.sort_unstable();
            rows
        };
        RankJob {
            what: RankFor {
                epoch: 0,
                generation,
                range: 0..all.len(),
                text: text.to_string(),
            },
            candidates: Arc::new(candidates),
            keys: Arc::clone(keys),
        }
    }

    fn wait(ranker: &mut Ranker) -> Vec<Option<Ranked>> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut got = Vec::new();
        while ranker.busy() && Instant::now() < deadline {
            match ranker.finished() {
                Some(ranked) => got.push(ranked),
                None => std::thread::sleep(Duration::from_millis(1)),
            }
        }
        got
    }

    #[test]
    fn a_ranking_on_its_thread_gives_the_order_by_score_and_the_newest_wins() {
        let keys = loaded();
        let all: Vec<&str> = keys.borrow_dependent().clone();
        #[cfg(target_os = "linux")]
        let priority = rustix::process::getpriority_process(None).ok();
        let mut ranker = Ranker::default();
        assert!(ranker.start(job(&keys, 1, "p3")).is_none(), "on a thread");
        assert!(ranker.start(job(&keys, 2, "p3a1")).is_none());
        assert!(ranker.busy());
        let got = wait(&mut ranker);
        assert!(!ranker.busy(), "every job reported back");
        assert_eq!(got.len(), 2);
        let newest = got
            .iter()
            .flatten()
            .find(|r| r.what.generation == 2)
            .unwrap_or_else(|| panic!("the newest ranking came"));
        assert_eq!(newest.rows, Filter::new("p3a1").rank_indices(&all));
        assert!(!newest.rows.is_empty());
        // The older one either finished before it was told to stop, or stopped.
        for ranked in got.iter().flatten().filter(|r| r.what.generation == 1) {
            assert_eq!(ranked.rows, Filter::new("p3").rank_indices(&all));
        }
        #[cfg(target_os = "linux")]
        assert_eq!(
            rustix::process::getpriority_process(None).ok(),
            priority,
            "only the ranking thread yields"
        );
    }

    #[test]
    fn a_job_told_to_stop_gives_nothing() {
        let keys = loaded();
        assert!(job(&keys, 1, "p").run(&|| true).is_none());
        assert!(job(&keys, 1, "p").run(&|| false).is_some());
    }
}
