//! The Server peak search: the highest target QPS whose target-percentile latency stays within
//! the bound, found by LoadGen's `FindPeakPerformance` procedure, step-wise ([`PeakSearch`]).
//!
//! LoadGen (`loadgen/loadgen.cc`, `FindPeakPerformanceMode`; `test_settings_internal.h`,
//! namespace `find_peak_performance`):
//! 1. run the user's `target_qps` (the lower bound); if it misses the bound, the search fails
//!    ("Initial lower bound does not satisfy performance constraints");
//! 2. widen: `qps * (1 + boundary_step_size)` (step 1 = doubling) until a rate misses the
//!    bound, giving `[lower, upper)`;
//! 3. bisect: run `lower + (upper - lower) / 2`, keep the half that contains the boundary,
//!    until `floor(lower * 10^d) + 1 >= floor(upper * 10^d)` with `d` =
//!    `decimals_of_precision` (LoadGen's default 1: 0.1 QPS);
//! 4. the peak is `lower`.
//!
//! Each probe is a full Server run with the base settings and its own `target_qps` (the same
//! seeds, so the arrival schedules are scaled copies of one another). As in LoadGen, a probe
//! "passes" on the latency bound alone (its performance constraint); its full validity
//! (duration, queries, early stopping) is recorded next to it. InferBench adds a probe limit
//! and stops at [`MAX_QPS`], where LoadGen would widen forever.
//! Every probe is kept, so the page can draw latency against offered QPS.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::clock::Clock;
use super::error::SettingsError;
use super::result::{RunResult, ScenarioMetric};
use super::runner::{Runner, Step, Stepwise};
use super::settings::{ScenarioSettings, TestMode, TestSettings, MAX_QPS};
use super::sut::SystemUnderTest;
use super::timing_check::ClockFacts;

/// How the search proceeds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PeakSearchSettings {
    /// Decimal places of QPS at which the bisection stops (LoadGen
    /// `server_find_peak_qps_decimals_of_precision`, default 1). At most 6.
    pub decimals_of_precision: u32,
    /// Widening factor minus one: each widening probe runs `qps * (1 + step)` (LoadGen
    /// `server_find_peak_qps_boundary_step_size`, default 1). Positive and at most 100.
    pub boundary_step_size: f64,
    /// The most probes to run (InferBench's safety stop). At least 1.
    pub max_probes: u32,
}

impl Default for PeakSearchSettings {
    /// LoadGen's defaults, and 40 probes (a search from 1 QPS to the limit with 0.1 QPS
    /// precision needs about 20 widenings and 20 bisections).
    fn default() -> Self {
        Self {
            decimals_of_precision: 1,
            boundary_step_size: 1.0,
            max_probes: 40,
        }
    }
}

/// Which stage of the search a probe belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProbeKind {
    /// The user's `target_qps`.
    LowerBound,
    /// A widening probe.
    Widen,
    /// A bisection probe.
    Bisect,
}

/// One Server run of the search.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// The stage.
    pub kind: ProbeKind,
    /// The offered rate, in queries per second.
    pub target_qps: f64,
    /// The percentile judged, in (0, 1).
    pub percentile: f64,
    /// Its latency, in ms (`None` if no query completed).
    pub percentile_latency_ms: Option<f64>,
    /// The bound, in ms.
    pub latency_bound_ms: f64,
    /// Whether the percentile latency is within the bound: what the search decides on.
    pub latency_bound_met: bool,
    /// Whether the whole run is VALID.
    pub valid: bool,
    /// Completed samples per second of the run.
    pub completed_samples_per_second: Option<f64>,
    /// Queries issued.
    pub query_count: u64,
}

impl Probe {
    /// The probe of a finished run (its `metric` and validity).
    pub(crate) fn of(kind: ProbeKind, result: &RunResult) -> Self {
        let (target_qps, bound, met, completed) = match result.metric {
            Some(ScenarioMetric::Server(m)) => (
                m.target_qps,
                m.latency_bound_ms,
                m.latency_bound_met,
                m.completed_samples_per_second,
            ),
            _ => match result.settings.scenario {
                ScenarioSettings::Server(s) => (s.target_qps, s.latency_bound_ms, false, None),
                _ => (0.0, 0.0, false, None),
            },
        };
        Self {
            kind,
            target_qps,
            percentile: result.settings.target_percentile,
            percentile_latency_ms: result.percentile_latency_ms(),
            latency_bound_ms: bound,
            latency_bound_met: met,
            valid: result.is_valid(),
            completed_samples_per_second: completed,
            query_count: result.query_count,
        }
    }
}

/// How the search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeakOutcome {
    /// The bisection reached the precision: the peak is found.
    Found,
    /// The user's `target_qps` already misses the bound: lower it and search again.
    LowerBoundFails,
    /// Widening passed [`MAX_QPS`] (or a rate whose schedule would
    /// be too long) with every probe within the bound; the peak is the last passing rate.
    QpsLimitReached,
    /// `max_probes` probes were run; the peak is the best passing rate so far.
    ProbeLimitReached,
    /// Cancelled; the peak is the best passing rate so far.
    Cancelled,
}

/// The search's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeakResult {
    /// How the search ended.
    pub outcome: PeakOutcome,
    /// The highest rate that met the bound, in queries per second (`None` if none did).
    pub peak_target_qps: Option<f64>,
    /// The lowest rate that missed the bound, in queries per second (`None` if none did).
    pub lowest_failing_qps: Option<f64>,
    /// The search settings.
    pub search: PeakSearchSettings,
    /// Every probe, in the order run.
    pub probes: Vec<Probe>,
    /// The full run at `peak_target_qps`.
    pub peak_run: Option<RunResult>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Base,
    Widen { lower: f64 },
    Bisect { lower: f64, upper: f64 },
    Over(PeakOutcome),
}

/// The search, advanced by [`Stepwise::step`] like a [`Runner`]: each step advances the
/// current probe's run, starting the next probe when one ends.
#[derive(Debug)]
pub struct PeakSearch {
    base: TestSettings,
    sample_count: usize,
    search: PeakSearchSettings,
    clock: ClockFacts,
    state: State,
    current: Option<(ProbeKind, Runner)>,
    probes: Vec<Probe>,
    peak_run: Option<RunResult>,
    lowest_failing_qps: Option<f64>,
    cancelled: bool,
    pending_visibility_changes: u32,
}

impl PeakSearch {
    /// A search starting from the Server settings `base` (its `target_qps` is the lower bound)
    /// over `sample_count` samples.
    ///
    /// # Errors
    ///
    /// [`SettingsError::PeakSearchNeedsServer`] unless `base` is a Server performance run,
    /// [`SettingsError::InvalidPeakSearch`] for unusable search settings, and any error of
    /// [`TestSettings::validate_for`].
    pub fn new(
        base: TestSettings,
        sample_count: usize,
        search: PeakSearchSettings,
    ) -> Result<Self, SettingsError> {
        if !matches!(base.scenario, ScenarioSettings::Server(_)) {
            return Err(SettingsError::PeakSearchNeedsServer {
                scenario: base.scenario(),
            });
        }
        if base.mode != TestMode::Performance {
            return Err(SettingsError::InvalidPeakSearch {
                problem: "the search measures latency: use performance mode",
            });
        }
        if search.decimals_of_precision > 6 {
            return Err(SettingsError::InvalidPeakSearch {
                problem: "decimals_of_precision must be at most 6",
            });
        }
        let step = search.boundary_step_size;
        if !(step > 0.0 && step <= 100.0) {
            return Err(SettingsError::InvalidPeakSearch {
                problem: "boundary_step_size must be a positive number no larger than 100 \
                          (1 doubles the rate at each widening)",
            });
        }
        if search.max_probes == 0 {
            return Err(SettingsError::InvalidPeakSearch {
                problem: "max_probes must be at least 1",
            });
        }
        base.validate_for(sample_count, None)?;
        Ok(Self {
            base,
            sample_count,
            search,
            clock: ClockFacts::default(),
            state: State::Base,
            current: None,
            probes: Vec::new(),
            peak_run: None,
            lowest_failing_qps: None,
            cancelled: false,
            pending_visibility_changes: 0,
        })
    }

    /// Passes the clock's facts (the measured timer resolution, the clock check's dither
    /// verdict) to every probe (see [`Runner::with_clock_facts`]).
    pub fn with_clock_facts(mut self, clock: ClockFacts) -> Self {
        self.clock = clock;
        self
    }

    /// The probes finished so far.
    pub fn probes(&self) -> &[Probe] {
        &self.probes
    }

    /// The stage and offered rate of the probe being run, if any.
    pub fn current_probe(&self) -> Option<(ProbeKind, f64)> {
        self.current.as_ref().map(|(kind, runner)| {
            let qps = match runner.settings().scenario {
                ScenarioSettings::Server(s) => s.target_qps,
                _ => 0.0,
            };
            (*kind, qps)
        })
    }

    fn is_finished(&self, lower: f64, upper: f64) -> bool {
        // LoadGen's IsFinished: floor(l * 10^d) + 1 >= floor(u * 10^d).
        let scale = 10f64.powi(self.search.decimals_of_precision as i32);
        (lower * scale).floor() + 1.0 >= (upper * scale).floor()
    }

    /// Starts the next probe, or ends the search.
    fn start_next(&mut self) {
        let (kind, qps) = match self.state {
            State::Over(_) => return,
            State::Base => match self.base.scenario {
                ScenarioSettings::Server(s) => (ProbeKind::LowerBound, s.target_qps),
                _ => unreachable!("checked in new"),
            },
            State::Widen { lower } => (
                ProbeKind::Widen,
                lower * (1.0 + self.search.boundary_step_size),
            ),
            State::Bisect { lower, upper } => {
                if self.is_finished(lower, upper) {
                    self.state = State::Over(PeakOutcome::Found);
                    return;
                }
                (ProbeKind::Bisect, lower + (upper - lower) / 2.0)
            }
        };
        if self.probes.len() as u64 >= u64::from(self.search.max_probes) {
            self.state = State::Over(PeakOutcome::ProbeLimitReached);
            return;
        }
        let mut settings = self.base.clone();
        if let ScenarioSettings::Server(s) = &mut settings.scenario {
            s.target_qps = qps;
        }
        if qps > MAX_QPS {
            self.state = State::Over(PeakOutcome::QpsLimitReached);
            return;
        }
        match Runner::new(settings, self.sample_count) {
            Ok(runner) => {
                let mut runner = runner.with_clock_facts(self.clock);
                for _ in 0..std::mem::take(&mut self.pending_visibility_changes) {
                    runner.visibility_changed();
                }
                self.current = Some((kind, runner));
            }
            // Only a rate too high for the limits can fail here (the base validated).
            Err(_) => self.state = State::Over(PeakOutcome::QpsLimitReached),
        }
    }

    /// Records a finished probe and moves the search on.
    fn conclude(&mut self, kind: ProbeKind, result: RunResult) {
        let probe = Probe::of(kind, &result);
        let qps = probe.target_qps;
        let met = probe.latency_bound_met;
        self.probes.push(probe);
        if met {
            self.peak_run = Some(result);
        } else {
            self.lowest_failing_qps = Some(self.lowest_failing_qps.map_or(qps, |f| f.min(qps)));
        }
        self.state = match (self.state, met) {
            (State::Base, true) => State::Widen { lower: qps },
            (State::Base, false) => State::Over(PeakOutcome::LowerBoundFails),
            (State::Widen { .. }, true) => State::Widen { lower: qps },
            (State::Widen { lower }, false) => State::Bisect { lower, upper: qps },
            (State::Bisect { upper, .. }, true) => State::Bisect { lower: qps, upper },
            (State::Bisect { lower, .. }, false) => State::Bisect { lower, upper: qps },
            (over @ State::Over(_), _) => over,
        };
    }
}

impl Stepwise for PeakSearch {
    type Output = PeakResult;

    fn step<C, S>(&mut self, clock: &C, sut: &mut S, budget: Duration) -> Step
    where
        C: Clock + ?Sized,
        S: SystemUnderTest + ?Sized,
    {
        if self.cancelled {
            // A probe cut short is not a measurement of its rate: drop it.
            self.current = None;
            self.state = State::Over(PeakOutcome::Cancelled);
        }
        if self.current.is_none() {
            self.start_next();
        }
        let Some((kind, runner)) = self.current.as_mut() else {
            return Step::Done;
        };
        match runner.step(clock, sut, budget) {
            Step::Done => {
                let kind = *kind;
                let (_, runner) = self.current.take().expect("a probe is running");
                let progress = runner.progress(clock);
                self.conclude(kind, runner.finish());
                if matches!(self.state, State::Over(_)) {
                    Step::Done
                } else {
                    Step::Progress(progress)
                }
            }
            other => other,
        }
    }

    fn cancel(&mut self) {
        if !matches!(self.state, State::Over(_)) {
            self.cancelled = true;
        }
    }

    fn visibility_changed(&mut self) {
        match self.current.as_mut() {
            Some((_, runner)) => runner.visibility_changed(),
            None => self.pending_visibility_changes += 1,
        }
    }

    fn finish(self) -> PeakResult {
        let outcome = match self.state {
            State::Over(outcome) => outcome,
            _ => PeakOutcome::Cancelled,
        };
        PeakResult {
            outcome,
            peak_target_qps: self
                .peak_run
                .as_ref()
                .and_then(|r| match r.settings.scenario {
                    ScenarioSettings::Server(s) => Some(s.target_qps),
                    _ => None,
                }),
            lowest_failing_qps: self.lowest_failing_qps,
            search: self.search,
            probes: self.probes,
            peak_run: self.peak_run,
        }
    }
}

impl PeakSearch {
    /// [`Runner::driver_paused`] for the probe running now.
    pub fn driver_paused(&mut self, from: Duration, to: Duration) -> Duration {
        self.current
            .as_mut()
            .map_or(Duration::ZERO, |(_, runner)| runner.driver_paused(from, to))
    }
}
