//! The step-wise scenario runner: [`Runner::step`] does a bounded amount of work and says
//! what the driver should do next ([`Step`]).
//!
//! The runner never reads time except through the [`Clock`] it is given, never sleeps and never
//! spins: when the next Server arrival is in the future it returns [`Step::WaitUntil`] and the
//! driver decides how to wait (busy-wait natively, short yields in a browser worker, `set` a
//! [`ManualClock`](super::clock::ManualClock) in tests). Between steps the driver may yield,
//! deliver a cancel ([`Runner::cancel`]) or a visibility change
//! ([`Runner::visibility_changed`]). This is quinn-proto's `poll_timeout` discipline.
//!
//! Scenarios (LoadGen's, see `loadgen/issue_query_controller.cc`):
//! - **SingleStream**: one sample per query; the next query is issued when the previous one
//!   completes; latency = issue to completion.
//! - **MultiStream**: the same with `samples_per_query` samples in one call.
//! - **Server**: queries arrive on a pre-generated Poisson schedule. When the SUT is idle
//!   before the next arrival the runner waits for it; when behind, it starts the next query at
//!   once. Latency = completion minus *scheduled* arrival, so lateness and queueing count (no
//!   coordinated omission); both parts are recorded. The SUT takes one query at a time: this
//!   is a **single-server FIFO queue** (a browser worker is single-threaded), where LoadGen
//!   lets a multi-threaded SUT hold many queries at once.
//! - **Offline**: one query of all samples at t = 0, processed in batches of `batch_size`, one
//!   `process` call per batch; each sample completes with its batch. InferBench stops issuing
//!   batches past a non-zero `max_duration_ms` (a safety stop LoadGen does not have).
//! - **Accuracy mode**: every sample once, in a seeded shuffled order, in calls of the
//!   scenario's size (1, `samples_per_query` or `batch_size`), back to back, with no stop rule
//!   and no arrival schedule (nothing is judged on time); top-1 against the labels.
//!
//! The stop rule, the same for every scenario, is [`super::stop_rule`]. Here: the runner, its
//! warm-up and its step loop; beside it, in this folder: `work.rs` (each scenario's measured
//! work, and how every query is issued, timed and recorded), `progress.rs` (where a run
//! stands, and its ETA).

use std::time::Duration;

use super::clock::{Clock, TimerResolution};
use super::error::SettingsError;
use super::record::{ns_to_ms, QueryRecord};
use super::result::{RawRun, RunResult, WarmupSummary};
use super::schedule::{self, SampleStream};
use super::settings::{ScenarioSettings, TestMode, TestSettings, MAX_QUERY_COUNT};
use super::sut::SystemUnderTest;
use super::timing_check::{ClockFacts, Dither};
use super::validity::StopReason;

mod progress;
mod work;

pub use progress::{Phase, Progress, ProgressUnit};
use work::{Unit, Work};

/// What the driver should do after a [`Runner::step`].
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Work was done and the step's budget is spent: report progress, yield if needed, and
    /// call `step` again.
    Progress(Progress),
    /// Nothing to do before the clock reads this time (a reading of the driver's clock, not
    /// a delay): wait until then, then call `step` again. Calling earlier is harmless: the
    /// runner answers `WaitUntil` again.
    WaitUntil(Duration),
    /// The run is over: call [`Runner::finish`].
    Done,
}

/// A run that can be advanced step by step and then finished: [`Runner`] and
/// [`PeakSearch`](super::peak::PeakSearch). [`run_to_completion`](super::driver::run_to_completion)
/// drives either.
pub trait Stepwise {
    /// What [`Stepwise::finish`] returns.
    type Output;

    /// Does work for about `budget` of `clock` time (at least one unit of work unless the run
    /// must wait or is over) and says what to do next.
    fn step<C, S>(&mut self, clock: &C, sut: &mut S, budget: Duration) -> Step
    where
        C: Clock + ?Sized,
        S: SystemUnderTest + ?Sized;

    /// Ends the run at the next step, keeping the measurements (INVALID: cancelled).
    fn cancel(&mut self);

    /// Records that the page was hidden during the run (INVALID).
    fn visibility_changed(&mut self);

    /// The result; a run that has not ended is marked cancelled.
    fn finish(self) -> Self::Output;
}

/// A scenario run, advanced by [`Runner::step`].
///
/// Build it with [`Runner::new`] (performance mode) or [`Runner::with_labels`] (accuracy mode,
/// or performance with labels at hand), optionally pass the measured timer resolution
/// ([`Runner::with_timer_resolution`]), drive it with `step` (or
/// [`run_to_completion`](super::driver::run_to_completion)), and call [`Runner::finish`].
#[derive(Debug)]
pub struct Runner {
    settings: TestSettings,
    sample_set_size: usize,
    labels: Option<Vec<u8>>,
    clock: ClockFacts,
    work: Work,
    warmup_samples: SampleStream,
    phase: Phase,
    warmup_target: u64,
    warmup_done: u64,
    warmup_total_ns: u64,
    first_query_latency_ns: Option<u64>,
    /// Clock reading when the current phase started.
    phase_start: Option<Duration>,
    records: Vec<QueryRecord>,
    service_total_ns: u64,
    correct: u64,
    cancelled: bool,
    visibility_changes: u32,
    stop_reason: Option<StopReason>,
    samples_buf: Vec<usize>,
    predictions_buf: Vec<u8>,
    /// The most queries (Offline: batches) this run records: [`MAX_QUERY_COUNT`], or less
    /// when the run shares a result's budget ([`Runner::with_query_limit`]).
    query_limit: u64,
    /// The driver's pauses excused from the Server schedule, in ns.
    paused_ns: u64,
}

fn ns_between(from: Duration, to: Duration) -> u64 {
    u64::try_from(to.saturating_sub(from).as_nanos()).unwrap_or(u64::MAX)
}

impl Runner {
    /// A run of `settings` over a sample set of `sample_count` samples (no labels).
    ///
    /// # Errors
    ///
    /// Any [`SettingsError`] of [`TestSettings::validate_for`]; accuracy mode needs
    /// [`Runner::with_labels`].
    pub fn new(settings: TestSettings, sample_count: usize) -> Result<Self, SettingsError> {
        settings.validate_for(sample_count, None)?;
        Ok(Self::build(settings, sample_count, None))
    }

    /// A run of `settings` over the samples whose labels are `labels` (one per sample, in
    /// sample-index order). Accuracy mode counts top-1 against them.
    ///
    /// # Errors
    ///
    /// Any [`SettingsError`] of [`TestSettings::validate_for`].
    pub fn with_labels(settings: TestSettings, labels: Vec<u8>) -> Result<Self, SettingsError> {
        settings.validate_for(labels.len(), Some(&labels))?;
        let n = labels.len();
        Ok(Self::build(settings, n, Some(labels)))
    }

    /// Records the timer resolution the driver measured (see
    /// [`measure_resolution`](super::clock::measure_resolution)); the timer rule
    /// ([`super::timer_rule`]) then applies to the run.
    pub fn with_timer_resolution(mut self, resolution: TimerResolution) -> Self {
        self.clock.resolution = Some(resolution);
        self
    }

    /// Records what the clock check found about the clock's dithering
    /// ([`ClockCheck`](super::timing_check::ClockCheck)): a timer-limited run on a clock
    /// found not dithered is INVALID.
    pub fn with_clock_dither(mut self, dither: Dither) -> Self {
        self.clock.dither = Some(dither);
        self
    }

    /// Records both clock facts at once (what a driver passes to each run it starts).
    pub fn with_clock_facts(mut self, clock: ClockFacts) -> Self {
        self.clock = clock;
        self
    }

    fn build(settings: TestSettings, sample_count: usize, labels: Option<Vec<u8>>) -> Self {
        let seed = settings.seeds.sample_index;
        let samples = SampleStream::new(seed, schedule::PERFORMANCE_STREAM, sample_count);
        let work = match (settings.mode, settings.scenario) {
            (TestMode::Accuracy, _) => Work::Accuracy {
                order: schedule::accuracy_order(seed, sample_count),
                per_call: settings.samples_per_call(),
                next: 0,
            },
            (TestMode::Performance, ScenarioSettings::Server(s)) => {
                let arrivals_ns = schedule::server_arrivals_ns(
                    s.target_qps,
                    settings.min_duration_ms,
                    settings.min_query_count,
                    settings.max_query_count,
                    settings.seeds.schedule,
                );
                let capped = settings.max_query_count != 0
                    && arrivals_ns.len() as u64 == settings.max_query_count;
                Work::Server {
                    samples,
                    arrivals_ns,
                    next: 0,
                    capped_by_max_query_count: capped,
                    capped_by_query_limit: false,
                    shift_ns: 0,
                }
            }
            (TestMode::Performance, ScenarioSettings::Offline(o)) => Work::Offline {
                batch: o.batch_size,
                total: settings.offline_sample_count().unwrap_or(1),
                issued: 0,
                capped_by_query_limit: false,
            },
            (TestMode::Performance, _) => Work::Stream {
                samples,
                per_call: settings.samples_per_call(),
            },
        };
        let warmup_target = match settings.mode {
            TestMode::Performance => settings.warmup_query_count,
            TestMode::Accuracy => 0,
        };
        let per_call = settings.samples_per_call() as usize;
        Self {
            warmup_samples: SampleStream::new(seed, schedule::WARMUP_STREAM, sample_count),
            sample_set_size: sample_count,
            labels,
            clock: ClockFacts::default(),
            work,
            phase: Phase::WarmUp,
            warmup_target,
            warmup_done: 0,
            warmup_total_ns: 0,
            first_query_latency_ns: None,
            phase_start: None,
            records: Vec::new(),
            service_total_ns: 0,
            correct: 0,
            cancelled: false,
            visibility_changes: 0,
            stop_reason: None,
            samples_buf: vec![0; per_call],
            predictions_buf: vec![0; per_call],
            query_limit: MAX_QUERY_COUNT,
            paused_ns: 0,
            settings,
        }
    }

    /// Lowers the most queries the run records (Offline: batches) to `limit` (at least 1),
    /// InferBench's limit rather than the settings' `max_query_count`: a run that stops there
    /// before its minimum duration is INVALID with [`StopReason::QueryLimit`], and says why.
    /// A benchmark session gives each run its share of the result's budget
    /// ([`crate::results::MAX_RESULT_QUERIES`]).
    pub fn with_query_limit(mut self, limit: u64) -> Self {
        let limit = limit.clamp(1, MAX_QUERY_COUNT);
        self.query_limit = limit;
        match &mut self.work {
            Work::Server {
                arrivals_ns,
                capped_by_query_limit,
                capped_by_max_query_count,
                ..
            } if arrivals_ns.len() as u64 > limit => {
                arrivals_ns.truncate(limit as usize);
                *capped_by_query_limit = true;
                *capped_by_max_query_count = false;
            }
            Work::Offline {
                batch,
                total,
                capped_by_query_limit,
                ..
            } if total.div_ceil(u64::from(*batch)) > limit => {
                *total = limit * u64::from(*batch);
                *capped_by_query_limit = true;
            }
            _ => {}
        }
        self
    }

    /// The most queries (Offline: batches) the run records.
    pub fn query_limit(&self) -> u64 {
        self.query_limit
    }

    /// The settings being run.
    pub fn settings(&self) -> &TestSettings {
        &self.settings
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The queries recorded so far.
    pub fn records(&self) -> &[QueryRecord] {
        &self.records
    }

    /// The Server arrival schedule (ns since the run's start), if this is a Server
    /// performance run.
    pub fn arrivals_ns(&self) -> Option<&[u64]> {
        match &self.work {
            Work::Server { arrivals_ns, .. } => Some(arrivals_ns),
            _ => None,
        }
    }

    /// Ends the run at the next step, keeping the measurements (INVALID: cancelled). Has no
    /// effect on a run that has already ended.
    pub fn cancel(&mut self) {
        if self.phase != Phase::Finished {
            self.cancelled = true;
        }
    }

    /// Records that the page was hidden during the run (INVALID: page hidden).
    pub fn visibility_changed(&mut self) {
        self.visibility_changes = self.visibility_changes.saturating_add(1);
    }

    /// Tells the run that its driver was away from `from` to `to` (readings of the run's
    /// clock): a browser worker yielding to its event loop, to send progress and hear a
    /// cancel. In a Server run's measured phase, the part of that time during which a query
    /// was due would count as that query's queueing (and every query's behind it), though
    /// the system under test was idle: it is excused instead, by shifting every arrival not
    /// yet issued later by it, as if the run had paused. Returns the time excused (zero
    /// in other scenarios and phases, and when no query was due before `to`). The run
    /// records the total ([`RunResult::schedule_paused_ms`](super::result::RunResult)).
    pub fn driver_paused(&mut self, from: Duration, to: Duration) -> Duration {
        let (Phase::Measure, Some(start)) = (self.phase, self.phase_start) else {
            return Duration::ZERO;
        };
        let Work::Server {
            arrivals_ns,
            next,
            shift_ns,
            ..
        } = &mut self.work
        else {
            return Duration::ZERO;
        };
        let Some(&arrival_ns) = arrivals_ns.get(*next) else {
            return Duration::ZERO;
        };
        let due = start + Duration::from_nanos(arrival_ns + *shift_ns);
        let excused = to.saturating_sub(due.max(from));
        let excused_ns = u64::try_from(excused.as_nanos()).unwrap_or(u64::MAX);
        *shift_ns = shift_ns.saturating_add(excused_ns);
        self.paused_ns = self.paused_ns.saturating_add(excused_ns);
        excused
    }

    /// Does work for about `budget` of clock time and says what to do next.
    ///
    /// A step runs at least one query (or batch) unless the run must wait or is over, then
    /// keeps going while less than `budget` has passed on `clock`. `budget` zero means exactly
    /// one unit of work per step.
    pub fn step<C, S>(&mut self, clock: &C, sut: &mut S, budget: Duration) -> Step
    where
        C: Clock + ?Sized,
        S: SystemUnderTest + ?Sized,
    {
        if self.phase == Phase::Finished {
            return Step::Done;
        }
        if self.cancelled {
            self.end(StopReason::Cancelled);
            return Step::Done;
        }
        let step_start = clock.now();
        loop {
            let now = match self.phase {
                Phase::WarmUp => {
                    if self.warmup_done >= self.warmup_target {
                        self.phase = Phase::Measure;
                        self.phase_start = Some(clock.now());
                        continue;
                    }
                    if self.phase_start.is_none() {
                        self.phase_start = Some(clock.now());
                    }
                    self.warmup_query(clock, sut)
                }
                Phase::Measure => match self.measure_unit(clock, sut) {
                    Unit::Ran(now) => now,
                    Unit::Wait(deadline) => return Step::WaitUntil(deadline),
                    Unit::Stop(reason) => {
                        self.end(reason);
                        return Step::Done;
                    }
                },
                Phase::Finished => return Step::Done,
            };
            if now.saturating_sub(step_start) >= budget {
                return Step::Progress(self.progress_at(now));
            }
        }
    }

    fn end(&mut self, reason: StopReason) {
        self.phase = Phase::Finished;
        self.stop_reason = Some(reason);
    }

    /// Runs one warm-up query; returns the clock's reading at its completion.
    fn warmup_query<C, S>(&mut self, clock: &C, sut: &mut S) -> Duration
    where
        C: Clock + ?Sized,
        S: SystemUnderTest + ?Sized,
    {
        let n = self.settings.samples_per_call() as usize;
        let samples = &mut self.samples_buf[..n];
        self.warmup_samples.fill(samples);
        let issued = clock.now();
        sut.process(samples, &mut self.predictions_buf[..n]);
        let completed = clock.now();
        let took = ns_between(issued, completed);
        self.first_query_latency_ns.get_or_insert(took);
        self.warmup_total_ns = self.warmup_total_ns.saturating_add(took);
        self.warmup_done += 1;
        completed
    }

    /// Ends the run and analyses it. A run that has not ended is marked cancelled (its
    /// measurements are kept; INVALID).
    pub fn finish(self) -> RunResult {
        let stop_reason = self.stop_reason.unwrap_or(StopReason::Cancelled);
        RunResult::from_raw(RawRun {
            sample_set_size: self.sample_set_size,
            timer_resolution: self.clock.resolution,
            dither: self.clock.dither,
            warmup: WarmupSummary {
                query_count: self.warmup_done,
                first_query_latency_ms: self.first_query_latency_ns.map(ns_to_ms),
            },
            stop_reason,
            visibility_changes: self.visibility_changes,
            records: self.records,
            correct: self.correct,
            query_limit: self.query_limit,
            schedule_paused_ns: self.paused_ns,
            settings: self.settings,
        })
    }
}

impl Stepwise for Runner {
    type Output = RunResult;

    fn step<C, S>(&mut self, clock: &C, sut: &mut S, budget: Duration) -> Step
    where
        C: Clock + ?Sized,
        S: SystemUnderTest + ?Sized,
    {
        Runner::step(self, clock, sut, budget)
    }

    fn cancel(&mut self) {
        Runner::cancel(self);
    }

    fn visibility_changed(&mut self) {
        Runner::visibility_changed(self);
    }

    fn finish(self) -> RunResult {
        Runner::finish(self)
    }
}
