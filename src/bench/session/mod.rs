//! The benchmark as a step-wise state machine ([`BenchSession`]).
//!
//! A session runs its tasks in order: training, then for each variant (the baseline first)
//! accuracy mode, each planned scenario, and the peak-QPS search. [`BenchSession::step`]
//! does about `budget` of work and says what to do next, exactly like a load-generator
//! [`Runner`]: a browser worker yields between steps (to stream progress and to hear a
//! cancel), the CLI loops. Waiting for a Server arrival is the driver's job
//! ([`BenchStep::WaitUntil`]). With [`BenchSession::with_clock_check`], the clock is checked
//! after training and every timer-limited run is cross-checked ([`super::timer_checks`]).
//!
//! Here: the session's state and its step loop. Beside it, in this folder: `start.rs` (what
//! each task sets up), `end.rs` (what each task leaves in the result, and
//! [`BenchSession::finish`]), `progress.rs` (where a session stands); the Offline calibration
//! is `bench/calibration.rs`, the errors [`super::error`].

mod end;
mod progress;
mod start;

pub use progress::BenchProgress;

use std::time::Duration;

use super::ab::AbSut;
use super::error::BenchError;
use super::parallel::ParallelOffline;
use super::pool::OfflinePool;
use super::sut::ClassifierSut;
use crate::loadgen::clock::{Clock, TimerResolution};
use crate::loadgen::cross_check::CrossCheckRun;
use crate::loadgen::overhead::OverheadMeasurement;
use crate::loadgen::peak::PeakSearch;
use crate::loadgen::result::RunResult;
use crate::loadgen::runner::{Runner, Step, Stepwise};
use crate::loadgen::settings::MAX_RESULT_QUERIES;
use crate::loadgen::sut::SystemUnderTest;
use crate::loadgen::synthetic::{ServiceTimes, SpinSut};
use crate::loadgen::timing_check::{ClockCheck, ClockCheckRun};
use crate::model::dataset::embedded_digits;
use crate::model::split::{split_dataset, DataSplit};
use crate::model::synthetic::{synthetic_inputs, PerformanceSamples};
use crate::model::train::{TrainProgress, Trainer};
use crate::model::variant::build_with;
use crate::model::{Mlp, Variant};
use crate::plan::limits::TEST_FRACTION;
use crate::plan::{task_list, AbResult, BenchPlan, TaskKind};
use crate::results::{TrainingSummary, VariantResult};

/// What the driver should do after [`BenchSession::step`].
#[derive(Debug, Clone, PartialEq)]
pub enum BenchStep {
    /// Work was done: report progress, yield if needed, and step again.
    Progress(BenchProgress),
    /// Nothing to do before the clock reads this time: wait, then step again.
    WaitUntil(Duration),
    /// Every task is done (or the session was cancelled): call [`BenchSession::finish`].
    Finished,
}

enum State {
    /// Between tasks.
    Idle,
    Training {
        trainer: Box<Trainer>,
        started: Duration,
        /// The clock's reading after the last training step.
        last_at: Duration,
        last: Option<TrainProgress>,
    },
    Run {
        task: TaskKind,
        runner: Box<Runner>,
    },
    Peak {
        search: Box<PeakSearch>,
    },
    ClockCheck {
        check: Box<ClockCheckRun>,
    },
    /// A finished run's batch cross-check, before the run is stored.
    CrossCheck {
        result: Box<RunResult>,
        check: Box<CrossCheckRun>,
    },
    /// An Offline run served with the helpers of the session's [`OfflinePool`].
    Offline {
        run: Box<ParallelOffline>,
    },
    Done,
}

/// A whole benchmark, advanced step by step (see the module docs).
pub struct BenchSession {
    plan: BenchPlan,
    split: DataSplit,
    tasks: Vec<TaskKind>,
    /// Index of the task running, or of the next one when idle.
    task_index: usize,
    state: State,
    timer: Option<TimerResolution>,
    clock_check: Option<ClockCheck>,
    started: Option<Duration>,
    cancelled: bool,
    visibility_changes: u32,
    /// The most queries the result records ([`MAX_RESULT_QUERIES`] unless lowered).
    query_budget: u64,
    training: Option<TrainingSummary>,
    model: Option<Mlp>,
    /// The performance sample set: the test split's inputs, or synthetic rows.
    rows: Vec<f32>,
    /// Values per row of `rows` (the model's input width).
    width: usize,
    sut: Option<Sut>,
    /// The synthetic system of the current run, when the plan has one (it spins on the
    /// clock each step is given, so it is driven apart from `sut`).
    synthetic: Option<Synthetic>,
    overhead: Option<OverheadMeasurement>,
    variants: Vec<VariantResult>,
    ab: Option<AbResult>,
    pool: Option<Box<dyn OfflinePool>>,
}

/// A synthetic system's service times and name, for one run.
struct Synthetic {
    times: ServiceTimes,
    name: String,
}

impl Synthetic {
    fn spin<'a, C: Clock + ?Sized>(&'a mut self, clock: &'a C) -> SpinSut<'a, C> {
        SpinSut::new(clock, &mut self.times, &self.name)
    }
}

/// Runs `f` with the current run's system under test: the synthetic one spinning on
/// `clock`, or the model's.
fn with_sut<C: Clock + ?Sized, R>(
    synthetic: &mut Option<Synthetic>,
    sut: &mut Option<Sut>,
    clock: &C,
    f: impl FnOnce(&mut dyn SystemUnderTest) -> R,
) -> R {
    match (synthetic, sut) {
        (Some(s), _) => f(&mut s.spin(clock)),
        (None, Some(sut)) => f(sut),
        (None, None) => unreachable!("a run has its system under test"),
    }
}

/// The system under test of the current task: one variant, or two for A/B.
enum Sut {
    One(ClassifierSut),
    Ab(Box<AbSut>),
}

impl SystemUnderTest for Sut {
    fn process(&mut self, samples: &[usize], predictions: &mut [u8]) {
        match self {
            Sut::One(s) => s.process(samples, predictions),
            Sut::Ab(s) => s.process(samples, predictions),
        }
    }

    fn name(&self) -> &str {
        match self {
            Sut::One(s) => s.name(),
            Sut::Ab(s) => s.name(),
        }
    }
}

impl BenchSession {
    /// A session for `plan` on the embedded digits data set: trains the plan's preset, then
    /// runs every task.
    ///
    /// # Errors
    ///
    /// [`BenchError::Plan`] if the plan is invalid for the test split,
    /// [`BenchError::ModelFile`] if the plan names a model file (use
    /// [`BenchSession::with_model`]); data errors are build problems.
    pub fn new(plan: BenchPlan) -> Result<Self, BenchError> {
        if let Some(file) = &plan.model_file {
            return Err(BenchError::ModelFile {
                planned: Some(file.fingerprint.clone()),
                given: None,
            });
        }
        Self::start(plan, None)
    }

    /// A session that benchmarks `model` (an imported one, named by `plan.model_file`)
    /// instead of training: on the digits test split when the model takes the digits, else
    /// on the plan's synthetic samples ([`BenchPlan::performance_samples`]).
    ///
    /// # Errors
    ///
    /// [`BenchError::ModelFile`] unless the plan names a model file with `model`'s
    /// fingerprint; [`BenchError::Plan`] if the plan is invalid.
    pub fn with_model(plan: BenchPlan, model: Mlp) -> Result<Self, BenchError> {
        let planned = plan.model_file.as_ref().map(|f| f.fingerprint.clone());
        let given = model.fingerprint();
        if planned.as_deref() != Some(given.as_str()) {
            return Err(BenchError::ModelFile {
                planned,
                given: Some(given),
            });
        }
        Self::start(plan, Some(model))
    }

    fn start(plan: BenchPlan, model: Option<Mlp>) -> Result<Self, BenchError> {
        let data = embedded_digits().map_err(BenchError::Data)?;
        let split =
            split_dataset(&data, TEST_FRACTION, plan.split_seed).map_err(BenchError::Split)?;
        let (rows, width) = match plan.performance_samples() {
            PerformanceSamples::DigitsTestSplit => {
                (split.test.inputs().to_vec(), crate::model::INPUT_FEATURES)
            }
            PerformanceSamples::Synthetic {
                samples,
                width,
                seed,
            } => (synthetic_inputs(width, samples, seed), width),
        };
        plan.validate(rows.len() / width)
            .map_err(BenchError::Plan)?;
        // `model` is given exactly when the plan names a model file (checked above), so the
        // plan alone says whether there is training.
        let tasks = task_list(&plan, false);
        Ok(Self {
            plan,
            split,
            tasks,
            task_index: 0,
            state: State::Idle,
            timer: None,
            clock_check: None,
            started: None,
            cancelled: false,
            visibility_changes: 0,
            query_budget: MAX_RESULT_QUERIES,
            training: None,
            model,
            rows,
            width,
            sut: None,
            synthetic: None,
            overhead: None,
            variants: Vec::new(),
            ab: None,
            pool: None,
        })
    }

    /// Records the load generator's cost per query measured by the driver (see
    /// [`crate::loadgen::overhead`]); the result and its report carry it.
    pub fn with_loadgen_overhead(mut self, overhead: OverheadMeasurement) -> Self {
        self.overhead = Some(overhead);
        self
    }

    /// Samples the performance runs draw from (the test split, or its first
    /// `performance_sample_count_override`).
    fn perf_samples(&self) -> usize {
        self.plan.performance_sample_limit(self.test_samples())
    }

    /// Serves every Offline run with `pool`'s helpers beside the session's own system under
    /// test (one executor per core); without a pool, or with no helper in it, Offline runs
    /// on the session's executor alone.
    pub fn with_offline_pool(mut self, pool: Box<dyn OfflinePool>) -> Self {
        self.pool = (pool.helpers() > 0).then_some(pool);
        self
    }

    /// Executors that serve an Offline run: the session's own and its pool's helpers. A
    /// synthetic system under test runs Offline on the session's executor alone: the pool's
    /// helpers each build a variant from the model, and a synthetic system has no model
    /// (its service times are drawn from one seeded stream, which one executor consumes).
    pub fn offline_executors(&self) -> u32 {
        if self.plan.synthetic_sut.is_some() {
            return 1;
        }
        1 + self.pool.as_ref().map_or(0, |p| p.helpers())
    }

    /// Passes the measured timer resolution to every run (runs whose latencies are within
    /// 20 ticks are then INVALID: timer too coarse).
    pub fn with_timer_resolution(mut self, timer: TimerResolution) -> Self {
        self.timer = Some(timer);
        self
    }

    /// Lowers the most queries the result records from [`MAX_RESULT_QUERIES`] to `budget`
    /// (a smaller result, e.g. for a test of how the runs share it); a larger value is
    /// ignored.
    pub fn with_query_budget(mut self, budget: u64) -> Self {
        self.query_budget = budget.min(MAX_RESULT_QUERIES);
        self
    }

    /// Checks the clock after training, if any (a task of its own), and cross-checks each
    /// timer-limited run (see [`super::timer_checks`]); call before the first step.
    pub fn with_clock_check(mut self) -> Self {
        if !self.tasks.contains(&TaskKind::ClockCheck) {
            self.tasks = task_list(&self.plan, true);
        }
        self
    }

    /// What the clock check found, once it has run.
    pub fn clock_check(&self) -> Option<&ClockCheck> {
        self.clock_check.as_ref()
    }

    /// The plan.
    pub fn plan(&self) -> &BenchPlan {
        &self.plan
    }

    /// The tasks, in order.
    pub fn tasks(&self) -> &[TaskKind] {
        &self.tasks
    }

    /// Samples in the performance sample set (the test split, or the synthetic rows).
    pub fn test_samples(&self) -> usize {
        self.rows.len() / self.width
    }

    /// `variant` built from the model, serving the performance sample set.
    fn sut_of(&self, variant: Variant) -> ClassifierSut {
        let model = self.model.as_ref().expect("variants run after training");
        ClassifierSut::with_rows(
            build_with(variant, model, &self.plan.variant_options),
            self.width,
            self.rows.clone(),
        )
    }

    /// Stops at the next step, keeping what was measured; the result is marked cancelled
    /// and the interrupted run INVALID (cancelled).
    pub fn cancel(&mut self) {
        self.cancelled = true;
        match &mut self.state {
            State::Run { runner, .. } => runner.cancel(),
            State::Peak { search } => search.cancel(),
            State::Offline { run } => {
                if let Some(pool) = self.pool.as_deref_mut() {
                    run.cancel(pool);
                }
            }
            _ => {}
        }
    }

    /// Records that the page was hidden: the current run becomes INVALID.
    pub fn visibility_changed(&mut self) {
        self.visibility_changes += 1;
        match &mut self.state {
            State::Run { runner, .. } => runner.visibility_changed(),
            State::Peak { search } => search.visibility_changed(),
            State::Offline { run } => run.visibility_changed(),
            _ => {}
        }
    }

    /// Tells the running Server run (or peak-search probe) that the driver was away from
    /// `from` to `to`, clock readings ([`Runner::driver_paused`]): the time a query was due
    /// meanwhile is excused, not counted as queueing. Returns the time excused.
    pub fn driver_paused(&mut self, from: Duration, to: Duration) -> Duration {
        match &mut self.state {
            State::Run { runner, .. } => runner.driver_paused(from, to),
            State::Peak { search } => search.driver_paused(from, to),
            _ => Duration::ZERO,
        }
    }

    /// Does about `budget` of work (at least one unit) and says what to do next.
    ///
    /// # Errors
    ///
    /// [`BenchError::Training`] if training fails (e.g. the loss diverges).
    pub fn step<C: Clock + ?Sized>(
        &mut self,
        clock: &C,
        budget: Duration,
    ) -> Result<BenchStep, BenchError> {
        let start = clock.now();
        let origin = *self.started.get_or_insert(start);
        let deadline = start + budget;
        loop {
            match &mut self.state {
                State::Done => return Ok(BenchStep::Finished),
                State::Idle => {
                    if self.cancelled || self.task_index >= self.tasks.len() {
                        self.state = State::Done;
                        self.sut = None;
                        self.synthetic = None;
                        return Ok(BenchStep::Finished);
                    }
                    self.start_task(clock)?;
                }
                State::Training {
                    trainer,
                    last_at,
                    last,
                    ..
                } => {
                    while let Some(p) = trainer.step().map_err(BenchError::Training)? {
                        *last = Some(p);
                        *last_at = clock.now();
                        if trainer.is_finished() || self.cancelled || *last_at >= deadline {
                            break;
                        }
                    }
                    if trainer.is_finished() || self.cancelled {
                        self.end_training();
                        if self.cancelled {
                            self.state = State::Done;
                            return Ok(BenchStep::Finished);
                        }
                        self.state = State::Idle;
                        self.task_index += 1;
                    }
                    if clock.now() >= deadline {
                        return Ok(BenchStep::Progress(self.progress(clock, origin)));
                    }
                }
                State::Run { runner, .. } => {
                    let remaining = deadline.saturating_sub(clock.now());
                    let step = with_sut(&mut self.synthetic, &mut self.sut, clock, |sut| {
                        runner.step(clock, sut, remaining)
                    });
                    match step {
                        Step::Progress(_) => {
                            return Ok(BenchStep::Progress(self.progress(clock, origin)))
                        }
                        Step::WaitUntil(t) => return Ok(BenchStep::WaitUntil(t)),
                        Step::Done => self.end_run(),
                    }
                    if clock.now() >= deadline {
                        return Ok(BenchStep::Progress(self.progress(clock, origin)));
                    }
                }
                State::ClockCheck { check } => {
                    let remaining = deadline.saturating_sub(clock.now());
                    if check.step(clock, remaining) || self.cancelled {
                        self.end_clock_check();
                    }
                    if clock.now() >= deadline {
                        return Ok(BenchStep::Progress(self.progress(clock, origin)));
                    }
                }
                State::CrossCheck { check, .. } => {
                    // The run's own system under test: its variant, or the synthetic system.
                    let remaining = deadline.saturating_sub(clock.now());
                    let done = with_sut(&mut self.synthetic, &mut self.sut, clock, |sut| {
                        check.step(clock, sut, remaining)
                    });
                    if done || self.cancelled {
                        self.end_cross_check();
                    }
                    if clock.now() >= deadline {
                        return Ok(BenchStep::Progress(self.progress(clock, origin)));
                    }
                }
                State::Offline { run } => {
                    let sut = self
                        .sut
                        .as_mut()
                        .expect("a run has its variant's system under test");
                    let pool = self
                        .pool
                        .as_deref_mut()
                        .expect("parallel Offline runs have a pool");
                    let remaining = deadline.saturating_sub(clock.now());
                    if run.step(clock, sut, pool, remaining) {
                        self.end_offline();
                    } else {
                        return Ok(BenchStep::Progress(self.progress(clock, origin)));
                    }
                    if clock.now() >= deadline {
                        return Ok(BenchStep::Progress(self.progress(clock, origin)));
                    }
                }
                State::Peak { search } => {
                    let remaining = deadline.saturating_sub(clock.now());
                    let step = with_sut(&mut self.synthetic, &mut self.sut, clock, |sut| {
                        search.step(clock, sut, remaining)
                    });
                    match step {
                        Step::Progress(_) => {
                            return Ok(BenchStep::Progress(self.progress(clock, origin)))
                        }
                        Step::WaitUntil(t) => return Ok(BenchStep::WaitUntil(t)),
                        Step::Done => self.end_peak(),
                    }
                    if clock.now() >= deadline {
                        return Ok(BenchStep::Progress(self.progress(clock, origin)));
                    }
                }
            }
        }
    }
}
