//! An Offline run served by the session's own system under test and an [`OfflinePool`]'s
//! helpers ([`ParallelOffline`]), step by step like any other run (see `loadgen::offline`).
//!
//! Phases: the session's executor runs the warm-up batches while the helpers prepare theirs;
//! once every helper is ready the query is issued (t = 0) and everyone claims batches from the
//! shared counter; when the session's executor finds none left it waits for the helpers'
//! reports, and the run's result is built from every batch.

use std::time::Duration;

use super::pool::{warm_up, OfflinePool};
use crate::loadgen::clock::{Clock, TimerResolution};
use crate::loadgen::offline::{execute, BatchTiming, OfflineQuery, OfflineStop};
use crate::loadgen::record::ns_to_ms;
use crate::loadgen::result::{RunResult, WarmupSummary};
use crate::loadgen::runner::{Phase, Progress, ProgressUnit};
use crate::loadgen::settings::TestMode;
use crate::loadgen::sut::SystemUnderTest;

/// Where a parallel Offline run stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stage {
    /// The session's executor warms up; the helpers prepare.
    WarmUp,
    /// Waiting for every helper to be ready.
    AwaitHelpers,
    /// The query is issued at `origin`; the session's executor claims batches.
    Run { origin: Duration },
    /// The session's executor is done; waiting for the helpers' reports.
    Collect,
    /// Every report is in.
    Done,
}

/// A parallel Offline run (see the module docs).
#[derive(Debug)]
pub(crate) struct ParallelOffline {
    query: OfflineQuery,
    stage: Stage,
    executors: u32,
    warmup_batches: u32,
    first_latency: Option<Duration>,
    timer: Option<TimerResolution>,
    started: Option<Duration>,
    own: Vec<BatchTiming>,
    stops: Vec<OfflineStop>,
    helpers: Vec<BatchTiming>,
    cancelled: bool,
    visibility_changes: u32,
}

impl ParallelOffline {
    /// A run of `query` with `helpers` helpers beside the session's executor, which first
    /// runs `warmup_batches` warm-up batches.
    pub(crate) fn new(
        query: OfflineQuery,
        helpers: u32,
        warmup_batches: u32,
        timer: Option<TimerResolution>,
    ) -> Self {
        Self {
            query,
            stage: Stage::WarmUp,
            executors: helpers + 1,
            warmup_batches,
            first_latency: None,
            timer,
            started: None,
            own: Vec::new(),
            stops: Vec::new(),
            helpers: Vec::new(),
            cancelled: false,
            visibility_changes: 0,
        }
    }

    /// Ends the run at the next step, keeping what was measured (INVALID: cancelled).
    pub(crate) fn cancel(&mut self, pool: &mut dyn OfflinePool) {
        self.cancelled = true;
        pool.stop();
    }

    /// Records that the page was hidden during the run (INVALID: page hidden).
    pub(crate) fn visibility_changed(&mut self) {
        self.visibility_changes = self.visibility_changes.saturating_add(1);
    }

    /// Does about `budget` of work; returns whether the run is over (call
    /// [`ParallelOffline::finish`]).
    pub(crate) fn step<C, S>(
        &mut self,
        clock: &C,
        sut: &mut S,
        pool: &mut dyn OfflinePool,
        budget: Duration,
    ) -> bool
    where
        C: Clock + ?Sized,
        S: SystemUnderTest + ?Sized,
    {
        self.started.get_or_insert(clock.now());
        loop {
            match self.stage {
                Stage::WarmUp => {
                    self.first_latency = warm_up(&self.query, clock, sut, self.warmup_batches);
                    self.stage = Stage::AwaitHelpers;
                }
                Stage::AwaitHelpers => {
                    if self.cancelled {
                        self.stage = Stage::Collect;
                    } else if pool.ready() {
                        let origin = clock.now();
                        pool.start(origin);
                        self.started = Some(origin);
                        self.stage = Stage::Run { origin };
                    } else {
                        return false;
                    }
                }
                Stage::Run { origin } => {
                    let stop = if self.cancelled {
                        Some(OfflineStop::Cancelled)
                    } else {
                        execute(
                            &self.query,
                            clock,
                            origin,
                            sut,
                            &mut || pool.claim(),
                            &mut self.own,
                            budget,
                        )
                    };
                    match stop {
                        Some(stop) => {
                            self.stops.push(stop);
                            self.stage = Stage::Collect;
                        }
                        None => return false,
                    }
                }
                Stage::Collect => match pool.collect() {
                    Some(reports) => {
                        for (batches, stop) in reports {
                            self.helpers.extend(batches);
                            self.stops.push(stop);
                        }
                        self.stage = Stage::Done;
                    }
                    None => return false,
                },
                Stage::Done => return true,
            }
        }
    }

    /// Where the run stands at clock reading `now`, counting the batches claimed so far.
    pub(crate) fn progress(&self, now: Duration, pool: &dyn OfflinePool) -> Progress {
        let total = self.query.total_samples();
        let elapsed = now.saturating_sub(self.started.unwrap_or(now));
        let (phase, done) = match self.stage {
            Stage::WarmUp | Stage::AwaitHelpers => (Phase::WarmUp, 0),
            Stage::Run { .. } | Stage::Collect => (
                Phase::Measure,
                (pool.claimed() * u64::from(self.query.batch_size())).min(total),
            ),
            Stage::Done => (Phase::Finished, total),
        };
        let elapsed_ms = elapsed.as_secs_f64() * 1e3;
        Progress {
            scenario: self.query.settings().scenario(),
            mode: TestMode::Performance,
            phase,
            done,
            total,
            unit: ProgressUnit::Samples,
            elapsed_ms,
            eta_ms: (done > 0 && phase == Phase::Measure)
                .then(|| elapsed_ms * (total - done) as f64 / done as f64),
        }
    }

    /// The run's result from every executor's batches.
    pub(crate) fn finish(self) -> RunResult {
        let stop = if self.cancelled {
            OfflineStop::Cancelled
        } else if self.stops.contains(&OfflineStop::MaxDuration) {
            OfflineStop::MaxDuration
        } else {
            OfflineStop::Exhausted
        };
        let warmup = WarmupSummary {
            query_count: u64::from(self.warmup_batches),
            first_query_latency_ms: self
                .first_latency
                .map(|d| ns_to_ms(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))),
        };
        let mut batches = self.own;
        batches.extend(self.helpers);
        self.query.finish(
            batches,
            self.executors,
            stop,
            warmup,
            self.timer,
            self.visibility_changes,
        )
    }
}
