//! What each task of a session sets up when it starts: training, the clock check, accuracy
//! mode, a scenario run (its Offline calibration and parallel executors), the A/B run, the
//! peak search; and each run's share of the result's query budget.

use super::{with_sut, BenchSession, State, Sut, Synthetic};
use crate::bench::ab::AbSut;
use crate::bench::calibration::{calibrate_offline, within_query_limit};
use crate::bench::error::BenchError;
use crate::bench::parallel::ParallelOffline;
use crate::bench::pool::OfflineJob;
use crate::loadgen::clock::Clock;
use crate::loadgen::offline::OfflineQuery;
use crate::loadgen::peak::PeakSearch;
use crate::loadgen::runner::Runner;
use crate::loadgen::settings::{
    OfflineSettings, Scenario, ScenarioSettings, TestMode, TestSettings,
};
use crate::loadgen::synthetic::ServiceTimes;
use crate::loadgen::timing_check::{ClockCheckRun, ClockCheckSettings, ClockFacts};
use crate::model::train::Trainer;
use crate::model::Variant;
use crate::plan::TaskKind;
use crate::results::VariantResult;

/// Samples per call in accuracy mode (it is not timed, so the largest efficient batch).
const ACCURACY_BATCH: u32 = 64;

impl BenchSession {
    /// Starts the task at `task_index`.
    pub(super) fn start_task<C: Clock + ?Sized>(&mut self, clock: &C) -> Result<(), BenchError> {
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
                let search = PeakSearch::new(base, self.perf_samples(), search_settings)
                    .expect("the plan was validated")
                    .with_clock_facts(self.clock_facts());
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
    pub(super) fn query_share(&self) -> u64 {
        let runs_left = self.tasks[self.task_index..]
            .iter()
            .filter(|t| matches!(t, TaskKind::Scenario { .. } | TaskKind::AbTest { .. }))
            .count()
            .max(1) as u64;
        let left = self.query_budget.saturating_sub(self.queries_recorded());
        (left / runs_left).max(1)
    }

    pub(super) fn with_timer(&self, runner: Runner) -> Runner {
        runner.with_clock_facts(self.clock_facts())
    }

    /// What the session knows of its clock, for each run it starts.
    fn clock_facts(&self) -> ClockFacts {
        ClockFacts {
            resolution: self.timer,
            dither: self.clock_check.as_ref().map(|c| c.dither),
        }
    }

    /// The synthetic system for a run of `settings`, afresh (its log-normal draws are
    /// seeded with the run's `sample_index` seed), when the plan has one.
    pub(super) fn prepare_synthetic(&mut self, settings: &TestSettings) {
        if let Some(sut) = self.plan.synthetic_sut {
            self.synthetic = Some(Synthetic {
                times: ServiceTimes::new(sut, settings.seeds.sample_index),
                name: sut.to_string(),
            });
        }
    }

    /// Builds `variant`'s classifier (once) and opens its result; with a synthetic system,
    /// only opens the result (no model is built).
    pub(super) fn prepare_variant(&mut self, variant: Variant) {
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
}
