//! The native [`OfflinePool`]: helper threads, each with its own copy of the variant, sharing
//! an atomic batch counter with the session's executor (`bench::pool`, `loadgen::offline`).

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::bench::pool::{warm_up, OfflineJob, OfflinePool};
use crate::loadgen::clock::StdClock;
use crate::loadgen::offline::{execute, BatchTiming, OfflineStop};

/// What the threads of one run share.
#[derive(Debug, Default)]
struct Shared {
    /// The next batch to claim.
    next: AtomicU64,
    /// Batches in the query.
    batches: AtomicU64,
    stopped: AtomicBool,
    /// Helpers prepared and waiting.
    ready: AtomicU32,
    /// The query's origin on the shared clock, once started.
    origin: Mutex<Option<Duration>>,
    started: Condvar,
}

impl Shared {
    fn claim(&self) -> Option<u64> {
        if self.stopped.load(Ordering::Relaxed) {
            return None;
        }
        let batch = self.next.fetch_add(1, Ordering::Relaxed);
        (batch < self.batches.load(Ordering::Relaxed)).then_some(batch)
    }
}

/// Helper threads (see the module docs).
pub struct ThreadPool {
    helpers: u32,
    clock: StdClock,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<(Vec<BatchTiming>, OfflineStop)>>,
}

impl ThreadPool {
    /// A pool of `helpers` threads on `clock` (the session's clock: every thread reads the
    /// same monotonic time).
    pub fn new(helpers: u32, clock: StdClock) -> Self {
        Self {
            helpers,
            clock,
            shared: Arc::new(Shared::default()),
            threads: Vec::new(),
        }
    }
}

impl OfflinePool for ThreadPool {
    fn helpers(&self) -> u32 {
        self.helpers
    }

    fn prepare(&mut self, job: &OfflineJob) {
        let shared = Arc::new(Shared::default());
        shared
            .batches
            .store(job.query.batch_count(), Ordering::Relaxed);
        self.shared = Arc::clone(&shared);
        self.threads = (0..self.helpers)
            .map(|_| {
                let (job, shared, clock) = (job.clone(), Arc::clone(&shared), self.clock);
                std::thread::spawn(move || {
                    let mut sut = job.sut();
                    warm_up(&job.query, &clock, &mut sut, job.warmup_batches);
                    shared.ready.fetch_add(1, Ordering::Release);
                    let origin = {
                        let mut origin = shared.origin.lock().expect("no thread panics holding it");
                        while origin.is_none() && !shared.stopped.load(Ordering::Relaxed) {
                            origin = shared.started.wait(origin).expect("no poisoning");
                        }
                        *origin
                    };
                    let mut out = Vec::new();
                    let stop = match origin {
                        Some(origin) => execute(
                            &job.query,
                            &clock,
                            origin,
                            &mut sut,
                            &mut || shared.claim(),
                            &mut out,
                            Duration::MAX,
                        )
                        .unwrap_or(OfflineStop::Exhausted),
                        None => OfflineStop::Cancelled,
                    };
                    let stop = if shared.stopped.load(Ordering::Relaxed) {
                        OfflineStop::Cancelled
                    } else {
                        stop
                    };
                    (out, stop)
                })
            })
            .collect();
    }

    fn ready(&mut self) -> bool {
        self.shared.ready.load(Ordering::Acquire) >= self.helpers
    }

    fn start(&mut self, origin: Duration) {
        *self
            .shared
            .origin
            .lock()
            .expect("no thread panics holding it") = Some(origin);
        self.shared.started.notify_all();
    }

    fn claim(&mut self) -> Option<u64> {
        self.shared.claim()
    }

    fn claimed(&self) -> u64 {
        let batches = self.shared.batches.load(Ordering::Relaxed);
        self.shared.next.load(Ordering::Relaxed).min(batches)
    }

    fn stop(&mut self) {
        self.shared.stopped.store(true, Ordering::Relaxed);
        let _guard = self.shared.origin.lock();
        self.shared.started.notify_all();
    }

    fn collect(&mut self) -> Option<Vec<(Vec<BatchTiming>, OfflineStop)>> {
        if !self.threads.iter().all(JoinHandle::is_finished) {
            return None;
        }
        Some(
            std::mem::take(&mut self.threads)
                .into_iter()
                .map(|t| {
                    t.join()
                        .unwrap_or_else(|_| (Vec::new(), OfflineStop::Cancelled))
                })
                .collect(),
        )
    }
}
