//! An Offline query on several executors at once: the batches of one query shared by the
//! session's own system under test and a pool of helpers (`bench::pool`: threads natively, Web
//! Workers in a browser), so that a machine's every core serves the query, as LoadGen lets an
//! Offline SUT do.
//!
//! The query is the one [`Runner`](super::runner::Runner) would run alone: the same sample
//! count, the same batches, the same samples in each batch (batch `b` draws from its own seeded
//! stream, [`offline_batch_samples`]). Executors *claim* batches one at a time from a shared
//! counter (an atomic integer), so a faster or less loaded executor takes more of them, and each
//! records when it issued and completed its batches, in ns since the query was issued (t = 0).
//! An executor stops claiming when no batch is left, when the query is cancelled, or past the
//! run's maximum duration. The run's result is then built from every batch by the same code as
//! a one-executor run ([`OfflineQuery::finish`]): its throughput is all samples over the time
//! until the last batch completed, LoadGen's definition.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::clock::{Clock, TimerResolution};
use super::error::SettingsError;
use super::record::QueryRecord;
use super::result::{RawRun, RunResult, WarmupSummary};
use super::schedule::offline_batch_samples;
use super::settings::{ScenarioSettings, TestMode, TestSettings, MAX_QUERY_COUNT};
use super::stop_rule::planned_end;
use super::sut::SystemUnderTest;
use super::timing_check::Dither;
use super::validity::StopReason;

/// One Offline query, split into batches (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfflineQuery {
    settings: TestSettings,
    sample_count: usize,
    batch_size: u32,
    total: u64,
    /// What the session's clock check found (see [`crate::loadgen::timing_check`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dither: Option<Dither>,
    /// The most batches the query records ([`OfflineQuery::with_query_limit`]).
    #[serde(default = "max_query_count")]
    query_limit: u64,
    /// `total` was lowered to fit `query_limit` in batches.
    #[serde(default)]
    capped_by_query_limit: bool,
}

fn max_query_count() -> u64 {
    MAX_QUERY_COUNT
}

/// One batch as an executor measured it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchTiming {
    /// The batch's index in the query.
    pub batch: u64,
    /// When the executor issued it, in ns since the query was issued.
    pub issued_ns: u64,
    /// When it completed, in ns since the query was issued.
    pub completed_ns: u64,
}

/// Why executors stopped claiming batches, in the order the run's stop reason prefers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfflineStop {
    /// Every batch was claimed.
    Exhausted,
    /// An executor found the maximum duration passed.
    MaxDuration,
    /// The run was cancelled.
    Cancelled,
}

impl OfflineQuery {
    /// The Offline performance query of `settings` over `sample_count` samples.
    ///
    /// # Errors
    ///
    /// Any [`SettingsError`] of [`TestSettings::validate_for`].
    ///
    /// # Panics
    ///
    /// Panics if `settings` are not Offline performance settings (a bug in the caller).
    pub fn new(settings: TestSettings, sample_count: usize) -> Result<Self, SettingsError> {
        settings.validate_for(sample_count, None)?;
        let ScenarioSettings::Offline(offline) = settings.scenario else {
            panic!("an Offline query needs Offline settings");
        };
        assert_eq!(settings.mode, TestMode::Performance, "a performance query");
        Ok(Self {
            total: settings.offline_sample_count().unwrap_or(1),
            batch_size: offline.batch_size,
            sample_count,
            settings,
            dither: None,
            query_limit: MAX_QUERY_COUNT,
            capped_by_query_limit: false,
        })
    }

    /// Lowers the most batches the query records to `limit` (at least 1), as
    /// [`Runner::with_query_limit`](super::runner::Runner::with_query_limit) does for a run on
    /// one executor: a query that stops there is [`StopReason::QueryLimit`].
    pub fn with_query_limit(mut self, limit: u64) -> Self {
        let limit = limit.clamp(1, MAX_QUERY_COUNT);
        self.query_limit = limit;
        if self.batch_count() > limit {
            self.total = limit * u64::from(self.batch_size);
            self.capped_by_query_limit = true;
        }
        self
    }

    /// Records what the clock check found about the clock's dithering, as
    /// [`crate::loadgen::runner::Runner::with_clock_dither`] does for a run on one executor.
    pub fn with_clock_dither(mut self, dither: Dither) -> Self {
        self.dither = Some(dither);
        self
    }

    /// The settings.
    pub fn settings(&self) -> &TestSettings {
        &self.settings
    }

    /// Samples in the sample set the batches draw from.
    pub fn sample_count(&self) -> usize {
        self.sample_count
    }

    /// Samples of the query.
    pub fn total_samples(&self) -> u64 {
        self.total
    }

    /// Batches of the query (the last may be partial).
    pub fn batch_count(&self) -> u64 {
        self.total.div_ceil(u64::from(self.batch_size))
    }

    /// Samples in batch `batch`.
    pub fn batch_len(&self, batch: u64) -> usize {
        let start = batch * u64::from(self.batch_size);
        self.total
            .saturating_sub(start)
            .min(u64::from(self.batch_size)) as usize
    }

    /// The most samples in a batch.
    pub fn batch_size(&self) -> u32 {
        self.batch_size
    }

    /// Fills `out` (resized to the batch) with the sample indices of batch `batch`.
    pub fn fill_batch(&self, batch: u64, out: &mut Vec<usize>) {
        out.resize(self.batch_len(batch), 0);
        offline_batch_samples(
            self.settings.seeds.sample_index,
            self.sample_count,
            batch,
            out,
        );
    }

    /// The maximum duration in ns (none when 0).
    fn max_duration_ns(&self) -> Option<u64> {
        (self.settings.max_duration_ms > 0).then(|| self.settings.max_duration_ms * 1_000_000)
    }

    /// The run's result from the batches every executor ran (in any order), of which there
    /// were `executors`.
    pub fn finish(
        self,
        mut batches: Vec<BatchTiming>,
        executors: u32,
        stop: OfflineStop,
        warmup: WarmupSummary,
        timer_resolution: Option<TimerResolution>,
        visibility_changes: u32,
    ) -> RunResult {
        batches.sort_by_key(|b| (b.issued_ns, b.batch));
        let records = batches
            .iter()
            .map(|b| {
                let samples = u32::try_from(self.batch_len(b.batch)).expect("a batch fits u32");
                QueryRecord::new(
                    0,
                    b.issued_ns,
                    b.completed_ns.max(b.issued_ns),
                    samples,
                    false,
                )
            })
            .collect();
        let claimed_all = batches.len() as u64 == self.batch_count();
        let stop_reason = match stop {
            OfflineStop::Cancelled => StopReason::Cancelled,
            // The stop rule's end of planned work (the executors stop claiming batches
            // past the maximum duration).
            _ if claimed_all => planned_end(
                StopReason::AllSamplesProcessed,
                false,
                self.capped_by_query_limit,
            ),
            _ => StopReason::MaxDuration,
        };
        let mut result = RunResult::from_raw(RawRun {
            settings: self.settings,
            sample_set_size: self.sample_count,
            timer_resolution,
            warmup,
            stop_reason,
            visibility_changes,
            records,
            correct: 0,
            dither: self.dither,
            query_limit: self.query_limit,
            schedule_paused_ns: 0,
        });
        result.executors = executors;
        result
    }
}

/// Runs claimed batches of `query` on `sut` until `budget` has passed on `clock` (at least one
/// batch), appending their timings to `out`; `origin` is the clock reading at which the query
/// was issued. `claim` gives the next batch index, or `None` when there is none left for this
/// executor (the shared counter is past the end, or the run stops). Returns `Some(stop)` when
/// this executor is done, `None` when the budget ran out first.
pub fn execute<C, S>(
    query: &OfflineQuery,
    clock: &C,
    origin: Duration,
    sut: &mut S,
    claim: &mut dyn FnMut() -> Option<u64>,
    out: &mut Vec<BatchTiming>,
    budget: Duration,
) -> Option<OfflineStop>
where
    C: Clock + ?Sized,
    S: SystemUnderTest + ?Sized,
{
    let ns_since =
        |t: Duration| u64::try_from(t.saturating_sub(origin).as_nanos()).unwrap_or(u64::MAX);
    let started = clock.now();
    let mut samples = Vec::with_capacity(query.batch_size as usize);
    let mut predictions = vec![0u8; query.batch_size as usize];
    loop {
        if let Some(max) = query.max_duration_ns() {
            if ns_since(clock.now()) > max {
                return Some(OfflineStop::MaxDuration);
            }
        }
        let Some(batch) = claim() else {
            return Some(OfflineStop::Exhausted);
        };
        query.fill_batch(batch, &mut samples);
        let issued = clock.now();
        sut.process(&samples, &mut predictions[..samples.len()]);
        let completed = clock.now();
        out.push(BatchTiming {
            batch,
            issued_ns: ns_since(issued),
            completed_ns: ns_since(completed),
        });
        if completed.saturating_sub(started) >= budget {
            return None;
        }
    }
}
