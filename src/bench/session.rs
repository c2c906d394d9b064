//! The benchmark as a step-wise state machine ([`BenchSession`]).
//!
//! A session runs its tasks in order: training, then for each variant (the baseline first)
//! accuracy mode, each planned scenario, and the peak-QPS search. [`BenchSession::step`]
//! does about `budget` of work and says what to do next, exactly like a load-generator
//! [`Runner`]: a browser worker yields between steps (to stream progress and to hear a
//! cancel), the CLI loops. Waiting for a Server arrival is the driver's job
//! ([`BenchStep::WaitUntil`]). With [`BenchSession::with_clock_check`], the clock is checked
//! after training and every timer-limited run is cross-checked ([`super::timer_checks`]).

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::ab::{AbResult, AbSut};
use super::parallel::ParallelOffline;
use super::plan::{
    BenchPlan, PlanError, OFFLINE_CALIBRATION_MARGIN, OFFLINE_CALIBRATION_MS,
    OFFLINE_CALIBRATION_WARMUP_BATCHES,
};
use super::pool::{OfflineJob, OfflinePool};
use super::sut::ClassifierSut;
use super::tasks::task_list;
pub use super::tasks::TaskKind;
use super::timer_checks::{cross_check_for, CheckKind, CheckProgress};
use crate::loadgen::clock::{Clock, TimerResolution};
use crate::loadgen::cross_check::CrossCheckRun;
use crate::loadgen::offline::OfflineQuery;
use crate::loadgen::overhead::OverheadMeasurement;
use crate::loadgen::peak::PeakSearch;
use crate::loadgen::result::RunResult;
use crate::loadgen::runner::{Progress, Runner, Step, Stepwise};
use crate::loadgen::settings::{
    OfflineSettings, Scenario, ScenarioSettings, TestMode, TestSettings, MAX_RESULT_QUERIES,
};
use crate::loadgen::sut::SystemUnderTest;
use crate::loadgen::synthetic::{ServiceTimes, SpinSut};
use crate::loadgen::timing_check::{ClockCheck, ClockCheckRun, ClockCheckSettings};
use crate::model::dataset::embedded_digits;
use crate::model::split::{split_dataset, DataSplit};
use crate::model::synthetic::{synthetic_inputs, PerformanceSamples};
use crate::model::train::{TrainError, TrainProgress, Trainer};
use crate::model::variant::build_with;
use crate::model::{DatasetError, Mlp, SplitError, Variant};
use crate::results::{
    BenchResult, Environment, ModelSummary, RunStatus, ScenarioRun, TrainingSummary, VariantResult,
    SCHEMA_NAME, SCHEMA_VERSION,
};

/// The share of the data set held out as the test split (the performance sample set).
pub const TEST_FRACTION: f64 = 0.2;

/// Samples in the built-in digits' test split (what the page validates a plan against without
/// loading the data, which only its worker holds; a native test checks it against the split).
pub const DIGITS_TEST_SAMPLES: usize = 359;

/// Samples per call in accuracy mode (it is not timed, so the largest efficient batch).
const ACCURACY_BATCH: u32 = 64;

/// Where a session stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchProgress {
    /// The current task.
    pub task: TaskKind,
    /// Its 0-based index in the plan.
    pub task_index: usize,
    /// Tasks in the plan.
    pub task_count: usize,
    /// The load generator's progress, during a run.
    pub run: Option<Progress>,
    /// Training's progress, during training.
    pub training: Option<TrainProgress>,
    /// A timer check's progress, during one.
    #[serde(default)]
    pub check: Option<CheckProgress>,
    /// Time since the session's first step, in ms.
    pub elapsed_ms: f64,
    /// Estimated share of the whole session done, in `0..=1`: every task counts the same,
    /// and the current one by its own progress.
    pub fraction_done: f64,
}

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

/// Why a session could not start or go on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BenchError {
    /// The plan is invalid.
    Plan(PlanError),
    /// The embedded data set could not be read (a build problem).
    Data(DatasetError),
    /// The data could not be split.
    Split(SplitError),
    /// Training failed.
    Training(TrainError),
    /// The plan names a model file but no model was given, or the model given is not the
    /// one the plan names.
    ModelFile {
        /// The fingerprint the plan records, if any.
        planned: Option<String>,
        /// The fingerprint of the model given, if any.
        given: Option<String>,
    },
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BenchError::Plan(e) => write!(f, "{e}"),
            BenchError::Data(e) => write!(f, "the embedded digits data set is unreadable: {e}"),
            BenchError::Split(e) => write!(f, "the data set could not be split: {e}"),
            BenchError::Training(e) => write!(f, "training failed: {e}"),
            BenchError::ModelFile { planned, given } => match (planned, given) {
                (Some(p), None) => write!(
                    f,
                    "the plan benchmarks an imported model (fingerprint {p}) but its weights \
                     were not given: load the model file again"
                ),
                (None, Some(_)) => write!(
                    f,
                    "a model was given but the plan does not name a model file"
                ),
                (p, g) => write!(
                    f,
                    "the model given (fingerprint {}) is not the one the plan names ({}): load \
                     the model file again",
                    g.as_deref().unwrap_or("none"),
                    p.as_deref().unwrap_or("none")
                ),
            },
        }
    }
}

impl std::error::Error for BenchError {}

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

    /// Starts the task at `task_index`.
    fn start_task<C: Clock + ?Sized>(&mut self, clock: &C) -> Result<(), BenchError> {
        let task = self.tasks[self.task_index];
        match task {
            TaskKind::Training => {
                let trainer = Trainer::new(
                    self.plan.model.layer_sizes(),
                    &self.split.train,
                    &self.plan.train,
                )
                .map_err(BenchError::Training)?;
                let now = clock.now();
                self.state = State::Training {
                    trainer: Box::new(trainer),
                    started: now,
                    last_at: now,
                    last: None,
                };
            }
            TaskKind::ClockCheck => {
                let tick_ms = self.timer.and_then(|t| t.resolution_ms);
                self.state = State::ClockCheck {
                    check: Box::new(ClockCheckRun::new(tick_ms, ClockCheckSettings::default())),
                };
            }
            TaskKind::Accuracy { variant } => {
                self.prepare_variant(variant);
                let settings = TestSettings {
                    scenario: ScenarioSettings::Offline(OfflineSettings {
                        batch_size: ACCURACY_BATCH,
                        expected_qps: 1.0,
                    }),
                    mode: TestMode::Accuracy,
                    target_percentile: 0.99,
                    warmup_query_count: 0,
                    min_duration_ms: 0,
                    max_duration_ms: 0,
                    min_query_count: 1,
                    max_query_count: 0,
                    seeds: self.plan.seeds,
                };
                let runner = Runner::with_labels(settings, self.split.test.labels().to_vec())
                    .expect("accuracy settings are valid for the test split");
                self.state = State::Run {
                    task,
                    runner: Box::new(self.with_timer(runner)),
                };
            }
            TaskKind::Scenario { variant, scenario } => {
                self.prepare_variant(variant);
                let mut settings = self
                    .plan
                    .scenarios
                    .iter()
                    .find(|s| s.scenario() == scenario)
                    .expect("scenario tasks come from the plan")
                    .clone();
                self.prepare_synthetic(&settings);
                let samples = self.perf_samples();
                // One executor for a synthetic system (see `offline_executors`).
                let executors = self.offline_executors();
                if self.plan.calibrate_offline {
                    if let ScenarioSettings::Offline(offline) = &mut settings.scenario {
                        let batch_size = offline.batch_size;
                        let measured = with_sut(&mut self.synthetic, &mut self.sut, clock, |sut| {
                            calibrate_offline(clock, sut, batch_size, samples)
                        });
                        // Every executor serves the query: sized for all of them (an
                        // executor that turns out slower only makes the query run longer).
                        offline.expected_qps = within_query_limit(
                            measured * f64::from(executors),
                            settings.min_duration_ms,
                        );
                        // The calibration drew service times: the run starts afresh.
                        self.prepare_synthetic(&settings);
                    }
                }
                if scenario == Scenario::Offline && executors > 1 {
                    let query = OfflineQuery::new(settings, samples)
                        .expect("the plan was validated for the test split")
                        .with_query_limit(self.query_share());
                    let query = match &self.clock_check {
                        Some(c) => query.with_clock_dither(c.dither),
                        None => query,
                    };
                    let warmup_batches =
                        u32::try_from(query.settings().warmup_query_count).unwrap_or(u32::MAX);
                    let job = OfflineJob {
                        query: query.clone(),
                        model: self.model.clone().expect("variants run after training"),
                        variant,
                        options: self.plan.variant_options,
                        rows: self.rows.clone(),
                        width: self.width,
                        warmup_batches,
                    };
                    let pool = self.pool.as_deref_mut().expect("executors > 1 need a pool");
                    pool.prepare(&job);
                    self.state = State::Offline {
                        run: Box::new(ParallelOffline::new(
                            query,
                            pool.helpers(),
                            warmup_batches,
                            self.timer,
                        )),
                    };
                    return Ok(());
                }
                let runner = Runner::new(settings, samples)
                    .expect("the plan was validated for the test split")
                    .with_query_limit(self.query_share());
                self.state = State::Run {
                    task,
                    runner: Box::new(self.with_timer(runner)),
                };
            }
            TaskKind::AbTest { .. } => {
                let ab = self.plan.ab_test.expect("A/B tasks come from the plan");
                self.sut = Some(Sut::Ab(Box::new(AbSut::new(
                    self.sut_of(ab.a),
                    self.sut_of(ab.b),
                    &ab,
                ))));
                let settings = self
                    .plan
                    .scenarios
                    .iter()
                    .find(|s| s.scenario() == ab.scenario)
                    .expect("the plan was validated: the A/B scenario is planned")
                    .clone();
                let runner = Runner::new(settings, self.perf_samples())
                    .expect("the plan was validated for the test split")
                    .with_query_limit(self.query_share());
                self.state = State::Run {
                    task,
                    runner: Box::new(self.with_timer(runner)),
                };
            }
            TaskKind::PeakSearch { variant } => {
                self.prepare_variant(variant);
                let base = self
                    .plan
                    .scenarios
                    .iter()
                    .find(|s| s.scenario() == Scenario::Server)
                    .expect("a peak search is planned only with Server")
                    .clone();
                let search_settings = self
                    .plan
                    .peak_search
                    .expect("peak tasks come from the plan");
                self.prepare_synthetic(&base);
                let mut search = PeakSearch::new(base, self.perf_samples(), search_settings)
                    .expect("the plan was validated");
                if let Some(t) = self.timer {
                    search = search.with_timer_resolution(t);
                }
                if let Some(c) = &self.clock_check {
                    search = search.with_clock_dither(c.dither);
                }
                self.state = State::Peak {
                    search: Box::new(search),
                };
            }
        }
        Ok(())
    }

    /// Queries (Offline: batches) recorded so far, in every kept run.
    pub fn queries_recorded(&self) -> u64 {
        crate::results::queries_recorded(&self.variants, self.ab.as_ref())
    }

    /// The query limit of the performance run starting now: its share of what is left of the
    /// result's [`MAX_RESULT_QUERIES`], the queries not yet recorded divided by the
    /// performance runs still to come (this one included), so that a run that needs few
    /// leaves more to the runs after it. Accuracy runs (a few batches each) count against
    /// the budget but get no share.
    fn query_share(&self) -> u64 {
        let runs_left = self.tasks[self.task_index..]
            .iter()
            .filter(|t| matches!(t, TaskKind::Scenario { .. } | TaskKind::AbTest { .. }))
            .count()
            .max(1) as u64;
        let left = self.query_budget.saturating_sub(self.queries_recorded());
        (left / runs_left).max(1)
    }

    fn with_timer(&self, runner: Runner) -> Runner {
        let runner = match self.timer {
            Some(t) => runner.with_timer_resolution(t),
            None => runner,
        };
        match &self.clock_check {
            Some(c) => runner.with_clock_dither(c.dither),
            None => runner,
        }
    }

    /// The synthetic system for a run of `settings`, afresh (its log-normal draws are
    /// seeded with the run's `sample_index` seed), when the plan has one.
    fn prepare_synthetic(&mut self, settings: &TestSettings) {
        if let Some(sut) = self.plan.synthetic_sut {
            self.synthetic = Some(Synthetic {
                times: ServiceTimes::new(sut, settings.seeds.sample_index),
                name: sut.to_string(),
            });
        }
    }

    /// Builds `variant`'s classifier (once) and opens its result; with a synthetic system,
    /// only opens the result (no model is built).
    fn prepare_variant(&mut self, variant: Variant) {
        if self.plan.synthetic_sut.is_some() {
            if self.variants.last().map(|v| v.variant) != Some(variant) {
                self.variants.push(VariantResult {
                    variant,
                    size_bytes: 0,
                    accuracy: None,
                    runs: Vec::new(),
                    peak: None,
                });
            }
            return;
        }
        if matches!(&self.sut, Some(Sut::One(s)) if s.variant() == variant) {
            return;
        }
        let sut = self.sut_of(variant);
        let size_bytes = sut.classifier_size_bytes() as u64;
        self.sut = Some(Sut::One(sut));
        self.variants.push(VariantResult {
            variant,
            size_bytes,
            accuracy: None,
            runs: Vec::new(),
            peak: None,
        });
    }

    fn end_training(&mut self) {
        let State::Training {
            trainer,
            started,
            last_at,
            last,
        } = std::mem::replace(&mut self.state, State::Idle)
        else {
            unreachable!("end_training is called in the training state");
        };
        self.training = Some(TrainingSummary {
            config: self.plan.train,
            train_samples: self.split.train.len(),
            test_samples: self.split.test.len(),
            steps_done: last.map_or(0, |p| p.steps_done),
            total_steps: trainer.total_steps(),
            final_loss: last.map(|p| p.loss),
            final_train_accuracy: last.map(|p| p.train_accuracy),
            duration_ms: last_at.saturating_sub(started).as_secs_f64() * 1e3,
        });
        self.model = Some(trainer.into_model());
    }

    fn end_run(&mut self) {
        let State::Run { task, runner } = std::mem::replace(&mut self.state, State::Idle) else {
            unreachable!("end_run is called in the run state");
        };
        let result = runner.finish();
        match task {
            TaskKind::AbTest { .. } => {
                let Some(Sut::Ab(sut)) = &self.sut else {
                    unreachable!("an A/B run has the A/B system under test");
                };
                let settings = self.plan.ab_test.expect("A/B tasks come from the plan");
                self.ab = Some(AbResult::new(settings, result, sut.arms()));
            }
            TaskKind::Accuracy { .. } => {
                let current = self
                    .variants
                    .last_mut()
                    .expect("a run belongs to an opened variant");
                current.accuracy = Some(result);
            }
            _ => {
                let checked = self.tasks.contains(&TaskKind::ClockCheck) && !self.cancelled;
                if let Some(check) =
                    cross_check_for(&result, self.test_samples()).filter(|_| checked)
                {
                    self.state = State::CrossCheck {
                        result: Box::new(result),
                        check: Box::new(check),
                    };
                    return;
                }
                self.store_run(ScenarioRun::new(result));
            }
        }
        self.task_index += 1;
    }

    fn end_offline(&mut self) {
        let State::Offline { run } = std::mem::replace(&mut self.state, State::Idle) else {
            unreachable!("end_offline is called in the Offline state");
        };
        self.store_run(ScenarioRun::new(run.finish()));
        self.task_index += 1;
    }

    fn store_run(&mut self, run: ScenarioRun) {
        let current = self
            .variants
            .last_mut()
            .expect("a run belongs to an opened variant");
        current.runs.push(run);
    }

    fn end_clock_check(&mut self) {
        let State::ClockCheck { check } = std::mem::replace(&mut self.state, State::Idle) else {
            unreachable!("end_clock_check is called in the clock-check state");
        };
        self.clock_check = Some(check.finish());
        self.task_index += 1;
    }

    fn end_cross_check(&mut self) {
        let State::CrossCheck { result, check } = std::mem::replace(&mut self.state, State::Idle)
        else {
            unreachable!("end_cross_check is called in the cross-check state");
        };
        self.store_run(ScenarioRun::new(*result).with_cross_check(check.finish()));
        self.task_index += 1;
    }

    fn end_peak(&mut self) {
        let State::Peak { search } = std::mem::replace(&mut self.state, State::Idle) else {
            unreachable!("end_peak is called in the peak state");
        };
        let current = self
            .variants
            .last_mut()
            .expect("a search belongs to an opened variant");
        current.peak = Some(search.finish());
        self.task_index += 1;
    }

    /// Where the session stands now, once it has started (`None` before the first step).
    ///
    /// [`BenchSession::step`] reports progress only when a step uses up its budget; a
    /// Server run that keeps waiting for arrivals ([`BenchStep::WaitUntil`]) never does, so
    /// a driver that shows progress asks here while it waits.
    pub fn progress_now<C: Clock + ?Sized>(&self, clock: &C) -> Option<BenchProgress> {
        self.started.map(|origin| self.progress(clock, origin))
    }

    fn progress<C: Clock + ?Sized>(&self, clock: &C, origin: Duration) -> BenchProgress {
        let elapsed = clock.now().saturating_sub(origin);
        let task_count = self.tasks.len();
        let index = self.task_index.min(task_count.saturating_sub(1));
        let check = |kind, fraction_done| {
            Some(CheckProgress {
                kind,
                fraction_done,
            })
        };
        let (run, training, within, check) = match &self.state {
            State::Training { last, .. } => (
                None,
                *last,
                last.map_or(0.0, |p| p.steps_done as f64 / p.total_steps.max(1) as f64),
                None,
            ),
            State::ClockCheck { check: c } => {
                let f = c.fraction_done();
                (None, None, f, check(CheckKind::Clock, f))
            }
            // The run is over: the cross-check is the task's last part.
            State::CrossCheck { check: c, .. } => {
                let f = c.fraction_done();
                (None, None, 1.0, check(CheckKind::CrossCheck, f))
            }
            State::Run { runner, .. } => {
                let p = runner.progress(clock);
                let f = fraction(&p);
                (Some(p), None, f, None)
            }
            State::Offline { run } => {
                let pool = self
                    .pool
                    .as_deref()
                    .expect("parallel Offline runs have a pool");
                let p = run.progress(clock.now(), pool);
                let f = fraction(&p);
                (Some(p), None, f, None)
            }
            State::Peak { search } => (
                None,
                None,
                search.probes().len() as f64
                    / f64::from(self.plan.peak_search.map_or(1, |s| s.max_probes.max(1))),
                None,
            ),
            _ => (None, None, 0.0, None),
        };
        BenchProgress {
            task: self.tasks[index],
            task_index: index,
            task_count,
            run,
            training,
            check,
            elapsed_ms: elapsed.as_secs_f64() * 1e3,
            fraction_done: ((index as f64 + within.clamp(0.0, 1.0)) / task_count.max(1) as f64)
                .clamp(0.0, 1.0),
        }
    }

    /// The result: everything measured so far. A session stopped before its end (cancelled,
    /// or finished early) is marked [`RunStatus::Cancelled`] and its interrupted run INVALID.
    pub fn finish(mut self, environment: Environment, created_utc: Option<String>) -> BenchResult {
        let completed = matches!(self.state, State::Done)
            && !self.cancelled
            && self.task_index >= self.tasks.len();
        if !completed {
            self.cancel();
        }
        match self.state {
            State::Training { .. } => self.end_training(),
            State::Run { .. } => self.end_run(),
            State::Offline { .. } => self.end_offline(),
            State::Peak { .. } => self.end_peak(),
            State::ClockCheck { .. } => self.end_clock_check(),
            State::CrossCheck { .. } => self.end_cross_check(),
            State::Idle | State::Done => {}
        }
        let imported = self.plan.model_file.is_some();
        let training = self.training.unwrap_or(TrainingSummary {
            config: self.plan.train,
            train_samples: if imported { 0 } else { self.split.train.len() },
            test_samples: self.rows.len() / self.width,
            steps_done: 0,
            total_steps: 0,
            final_loss: None,
            final_train_accuracy: None,
            duration_ms: 0.0,
        });
        let mut environment = environment;
        environment.visibility_changes =
            environment.visibility_changes.max(self.visibility_changes);
        environment.clock_check = environment.clock_check.or(self.clock_check);
        BenchResult {
            schema: SCHEMA_NAME.to_string(),
            schema_version: SCHEMA_VERSION,
            app_version: crate::APP_VERSION.to_string(),
            machine_label: self.plan.machine_label.trim().to_string(),
            created_utc,
            environment,
            model: ModelSummary {
                preset: self.plan.model,
                description: self.model.as_ref().map_or_else(
                    || self.plan.model.description(),
                    crate::model::Mlp::description,
                ),
                training,
                fingerprint: self.model.as_ref().map(crate::model::Mlp::fingerprint),
                samples: self.plan.performance_samples(),
            },
            variants: self.variants,
            ab_test: self.ab,
            loadgen_overhead: self.overhead,
            status: if completed {
                RunStatus::Completed
            } else {
                RunStatus::Cancelled
            },
            plan: self.plan,
        }
    }
}

/// The Offline calibration: processes batches of `batch_size` test samples, first
/// [`OFFLINE_CALIBRATION_WARMUP_BATCHES`] as a warm-up, then for [`OFFLINE_CALIBRATION_MS`]
/// (at least 3 batches; nothing recorded), and returns the measured throughput times
/// [`OFFLINE_CALIBRATION_MARGIN`], in samples per second, rounded to 3 significant digits and
/// kept within the load generator's limits.
///
/// The margin makes the query comfortably long enough: a query sized from an
/// underestimate would end before the minimum duration (INVALID), one sized from an
/// overestimate only runs longer.
fn calibrate_offline<C: Clock + ?Sized, S: SystemUnderTest + ?Sized>(
    clock: &C,
    sut: &mut S,
    batch_size: u32,
    sample_count: usize,
) -> f64 {
    use crate::loadgen::settings::MAX_QPS;
    let batch: Vec<usize> = (0..batch_size as usize).map(|i| i % sample_count).collect();
    let mut predictions = vec![0u8; batch.len()];
    for _ in 0..OFFLINE_CALIBRATION_WARMUP_BATCHES {
        sut.process(&batch, &mut predictions);
    }
    let start = clock.now();
    let mut batches = 0u64;
    let mut elapsed;
    loop {
        sut.process(&batch, &mut predictions);
        batches += 1;
        elapsed = clock.now().saturating_sub(start);
        if batches >= 3 && elapsed >= Duration::from_millis(OFFLINE_CALIBRATION_MS) {
            break;
        }
        if batches >= 100 && elapsed.is_zero() {
            break; // a clock that does not move (scripted tests)
        }
    }
    let seconds = elapsed.as_secs_f64();
    if seconds <= 0.0 {
        return MAX_QPS;
    }
    let qps = OFFLINE_CALIBRATION_MARGIN * (batches * u64::from(batch_size)) as f64 / seconds;
    let rounded = {
        let magnitude = 10f64.powi(qps.log10().floor() as i32 - 2);
        (qps / magnitude).round() * magnitude
    };
    rounded.clamp(1.0, MAX_QPS)
}

/// `expected_qps`, lowered if needed so that the Offline query it sizes
/// (`1.1 x min duration x expected_qps` samples) stays within the load generator's
/// [`MAX_QUERY_COUNT`](crate::loadgen::settings::MAX_QUERY_COUNT): a very fast variant under
/// a long minimum duration then runs the largest query allowed, and is INVALID if that ends
/// before the minimum duration (said in its reasons), rather than asking for an impossible
/// run; and at most [`MAX_QPS`](crate::loadgen::settings::MAX_QPS), the settings' limit.
fn within_query_limit(expected_qps: f64, min_duration_ms: u64) -> f64 {
    use crate::loadgen::settings::{MAX_QPS, MAX_QUERY_COUNT};
    // Several executors of a fast model can be measured above the settings' rate limit.
    let expected_qps = expected_qps.min(MAX_QPS);
    let seconds = min_duration_ms as f64 / 1e3;
    if seconds <= 0.0 {
        return expected_qps;
    }
    // 0.999: stay strictly inside the limit whatever the rounding of the product.
    expected_qps.min(0.999 * MAX_QUERY_COUNT as f64 / (1.1 * seconds))
}

/// A run's progress as a fraction of its measured phase (warm-up counts as nothing done):
/// elapsed / (elapsed + ETA) when there is an ETA, else done / total.
fn fraction(p: &Progress) -> f64 {
    use crate::loadgen::runner::Phase;
    match p.phase {
        Phase::WarmUp => 0.0,
        Phase::Finished => 1.0,
        Phase::Measure => match p.eta_ms {
            Some(eta) if p.elapsed_ms + eta > 0.0 => p.elapsed_ms / (p.elapsed_ms + eta),
            _ if p.total > 0 => p.done as f64 / p.total as f64,
            _ => 0.0,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::model::{ModelPreset, VariantOptions};

    /// A clock that moves 1 ms at every reading.
    struct TickingClock(Cell<Duration>);

    impl Clock for TickingClock {
        fn now(&self) -> Duration {
            let t = self.0.get();
            self.0.set(t + Duration::from_millis(1));
            t
        }
    }

    #[test]
    fn calibrated_offline_queries_stay_within_the_query_limit() {
        use crate::loadgen::settings::{offline_sample_count, MAX_QUERY_COUNT};
        // MLPerf's 600 s at a calibrated 100,000 samples/s would ask for 66 million samples.
        let qps = within_query_limit(100_000.0, 600_000);
        assert!(offline_sample_count(24_576, 600_000, qps) <= MAX_QUERY_COUNT);
        assert!(qps > 15_000.0);
        // A short run keeps the measured rate.
        assert_eq!(within_query_limit(100_000.0, 1_000), 100_000.0);
        assert_eq!(within_query_limit(5.0, 0), 5.0);
        // Two executors of a very fast model: measured above the rate limit.
        assert_eq!(
            within_query_limit(2e6, 0),
            crate::loadgen::settings::MAX_QPS
        );
    }

    #[test]
    fn offline_calibration_measures_samples_per_second() {
        let data = embedded_digits().unwrap();
        let split = split_dataset(&data, TEST_FRACTION, 1).unwrap();
        let model = Mlp::initialised(ModelPreset::Tiny.layer_sizes(), 1).unwrap();
        let classifier = build_with(Variant::F32Naive, &model, &VariantOptions::default());
        let mut sut = ClassifierSut::new(classifier, split.test.clone());
        // One reading at the start, one after each batch: 200 batches of 64 in 200 ms, so
        // 64,000 samples/s measured, times the margin (the warm-up batches read no clock).
        let clock = TickingClock(Cell::new(Duration::ZERO));
        assert_eq!(
            calibrate_offline(&clock, &mut sut, 64, split.test.len()),
            64_000.0 * OFFLINE_CALIBRATION_MARGIN
        );
        // A clock that never moves gives the largest rate after 100 batches.
        let still = crate::loadgen::clock::ManualClock::new();
        assert_eq!(
            calibrate_offline(&still, &mut sut, 64, split.test.len()),
            crate::loadgen::settings::MAX_QPS
        );
    }
}
