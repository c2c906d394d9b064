//! Every derived value of a result, rebuilt from its raw part ([`rederive`]): the one place
//! that turns what a run recorded into what a reader shows.
//!
//! - **Raw** (believed as recorded, checked for sense by [`validate_raw`]): the plan
//!   (settings and seeds), the environment, the model preset, each run's settings,
//!   sample-set size, timer resolution, warm-up, stop reason, visibility changes, the
//!   driver's pauses excused from a Server schedule and query records, the accuracy runs' correct counts, an A/B run's arms, a peak search's outcome
//!   and probes.
//! - **Derived** (rebuilt here, whatever the file says): each run's counts, times, LoadGen
//!   summary, scenario metric, early stopping, validity with its reasons and accuracy
//!   fraction ([`RunResult`]'s analysis), each scenario run's summary with its intervals, the
//!   model's description (from its preset, or from the plan's imported model file) and its
//!   sample set, the A/B comparison, and the peak search's
//!   probe at the peak (from its kept run), every probe's bound check and the search's peak
//!   and lowest failing rate.
//!
//! Headlines, energy estimates and comparisons are not stored: every reader computes them
//! from the rebuilt values. A peak search keeps the full run only at the peak; the other
//! probes keep their summaries, which are shown as recorded.

use super::read_error::ReadError;
use super::{BenchResult, Environment, ScenarioRun, VariantResult};
use crate::loadgen::clock::TimerResolution;
use crate::loadgen::peak::{PeakResult, Probe};
use crate::loadgen::result::{bound_ns, RawRun, RunResult};
use crate::loadgen::settings::{Scenario, TestMode, MAX_QUERY_COUNT, MAX_SAMPLE_COUNT};
use crate::loadgen::validity::StopReason;
use crate::plan::ab::AbResult;

/// `result` with every derived value rebuilt from its raw part (see the module docs).
/// Nothing is cloned: the query records move into the rebuilt runs.
///
/// Call [`validate_raw`] first: derivation assumes settings that validate.
pub fn rederive(mut result: BenchResult) -> BenchResult {
    let env = result.environment.clone();
    result.model.description = match &result.plan.model_file {
        Some(file) => file.description.clone(),
        None => result.model.preset.description(),
    };
    result.model.samples = result.plan.performance_samples();
    result.variants = std::mem::take(&mut result.variants)
        .into_iter()
        .map(|v| VariantResult {
            accuracy: v.accuracy.map(|r| derive_run(r, &env)),
            runs: v
                .runs
                .into_iter()
                .map(|r| {
                    // The cross-check's paired timings are raw: kept as recorded.
                    ScenarioRun::new(derive_run(r.run, &env)).with_cross_check(r.cross_check)
                })
                .collect(),
            peak: v.peak.map(|p| derive_peak(p, &env)),
            ..v
        })
        .collect();
    result.ab_test = result
        .ab_test
        .map(|ab| AbResult::analyse(ab.settings, derive_run(ab.run, &env), ab.arms));
    result
}

/// The coarsest timer a result may record, in ms: bounds derived from it (two ticks) stay
/// finite, and no browser or OS clock ticks more rarely.
pub const MAX_TIMER_RESOLUTION_MS: f64 = 1_000.0;

/// The run's analysis rebuilt from its raw part (settings, records, timer, warm-up, stop
/// reason, visibility changes, correct count), exactly as the runner analysed it.
pub fn derive_run(run: RunResult, env: &Environment) -> RunResult {
    // Raw: how many executors served the run (an Offline query on several cores).
    let executors = run.executors;
    // A run stopped by its query limit recorded exactly that many queries (Offline:
    // batches); the limit matters to nothing else (its INVALID reason's recommendation).
    let query_limit = if run.stop_reason == StopReason::QueryLimit {
        run.queries.len() as u64
    } else {
        MAX_QUERY_COUNT
    };
    let mut derived = RunResult::from_raw(RawRun {
        timer_resolution: run_timer(env, run.timer_resolution_ms),
        settings: run.settings,
        sample_set_size: run.sample_set_size,
        warmup: run.warmup,
        stop_reason: run.stop_reason,
        visibility_changes: run.visibility_changes,
        records: run.queries,
        correct: run.accuracy.map_or(0, |a| a.correct),
        dither: run.clock_dither,
        query_limit,
        // Raw: the driver's pauses excused from a Server schedule.
        schedule_paused_ns: ms_to_ns(run.schedule_paused_ms),
    });
    derived.executors = executors;
    derived
}

/// The timer the runner was given, from what the run recorded: its resolution when it has
/// one; otherwise the environment's timer if that one never moved (every run of the session
/// then got it, and recorded no resolution), else none.
fn run_timer(env: &Environment, recorded_ms: Option<f64>) -> Option<TimerResolution> {
    match recorded_ms {
        Some(ms) => Some(TimerResolution {
            resolution_ms: Some(ms),
            reads: env.timer.map_or(0, |t| t.reads),
            distinct_values: env.timer.map_or(0, |t| t.distinct_values),
        }),
        None => env.timer.filter(|t| t.resolution_ms.is_none()),
    }
}

/// The peak search with its kept run rebuilt, the probe of that run taken from it, every
/// probe's bound check redone from its percentile latency, and the peak and lowest failing
/// rate taken from the probes.
fn derive_peak(peak: PeakResult, env: &Environment) -> PeakResult {
    let peak_run = peak.peak_run.map(|r| derive_run(r, env));
    let mut probes = peak.probes;
    for p in &mut probes {
        p.latency_bound_met = p.percentile_latency_ms.is_some_and(|ms| {
            ms.is_finite() && ms >= 0.0 && ms_to_ns(ms) <= bound_ns(p.latency_bound_ms)
        });
    }
    let peak_qps = peak_run.as_ref().and_then(server_qps);
    if let (Some(run), Some(qps)) = (&peak_run, peak_qps) {
        if let Some(p) = probes.iter_mut().rev().find(|p| p.target_qps == qps) {
            *p = Probe::of(p.kind, run);
        }
    }
    let lowest_failing_qps = probes
        .iter()
        .filter(|p| !p.latency_bound_met)
        .map(|p| p.target_qps)
        .reduce(f64::min);
    PeakResult {
        peak_target_qps: peak_qps,
        lowest_failing_qps,
        probes,
        peak_run,
        ..peak
    }
}

fn ms_to_ns(ms: f64) -> u64 {
    (ms * 1e6).round() as u64
}

fn server_qps(run: &RunResult) -> Option<f64> {
    match run.settings.scenario {
        crate::loadgen::settings::ScenarioSettings::Server(s) => Some(s.target_qps),
        _ => None,
    }
}

/// Checks the raw part for what derivation relies on, and for what a hostile file could use
/// to make it take long: a plan InferBench would run, settings that validate, runs that
/// agree with their settings, and no more query records than a run states it holds.
///
/// # Errors
///
/// [`ReadError::Invalid`] naming the run and what is wrong.
pub fn validate_raw(result: &BenchResult) -> Result<(), ReadError> {
    let invalid = |message: String| Err(ReadError::Invalid { message });
    let label = &result.machine_label;
    if label.chars().any(char::is_control) {
        return invalid("the machine label holds control characters (line breaks, escapes)".into());
    }
    if let Err(e) = result.plan.validate(result.model.training.test_samples) {
        return invalid(format!("its plan is not one InferBench runs: {e}"));
    }
    if let Some(ms) = result.environment.timer.and_then(|t| t.resolution_ms) {
        if !(ms > 0.0 && ms <= MAX_TIMER_RESOLUTION_MS) {
            return invalid(format!(
                "its environment's timer resolution is {ms} ms (a clock ticks more often \
                 than every {MAX_TIMER_RESOLUTION_MS} ms)"
            ));
        }
    }
    if result.model.preset != result.plan.model {
        return invalid(format!(
            "the model preset {} is not the plan's ({})",
            result.model.preset, result.plan.model
        ));
    }
    for v in &result.variants {
        if let Some(acc) = &v.accuracy {
            validate_run(
                acc,
                &format!("the {} accuracy run", v.variant),
                TestMode::Accuracy,
            )?;
        }
        for r in &v.runs {
            validate_run(
                &r.run,
                &format!("the {} {} run", v.variant, r.run.settings.scenario()),
                TestMode::Performance,
            )?;
        }
        if let Some(p) = &v.peak {
            if p.probes.len() as u64 > u64::from(p.search.max_probes) {
                return invalid(format!(
                    "the {} peak search holds {} probes, more than its limit of {}",
                    v.variant,
                    crate::format::count(p.probes.len() as u64),
                    p.search.max_probes
                ));
            }
            if let Some(run) = &p.peak_run {
                validate_run(
                    run,
                    &format!("the {} peak run", v.variant),
                    TestMode::Performance,
                )?;
            }
        }
    }
    if let Some(ab) = &result.ab_test {
        validate_run(&ab.run, "the A/B run", TestMode::Performance)?;
        if ab.arms.len() > ab.run.queries.len() {
            return invalid(format!(
                "the A/B run assigns {} queries to its arms but recorded {}",
                crate::format::count(ab.arms.len() as u64),
                crate::format::count(ab.run.queries.len() as u64)
            ));
        }
    }
    Ok(())
}

/// Checks one run's raw part; `what` names it in messages ("the f32-naive Server run").
fn validate_run(run: &RunResult, what: &str, mode: TestMode) -> Result<(), ReadError> {
    let invalid = |message: String| Err(ReadError::Invalid { message });
    if let Err(e) = run.settings.validate() {
        return invalid(format!("{what} has settings InferBench would not run: {e}"));
    }
    if run.settings.mode != mode || run.mode != mode {
        return invalid(format!("{what} is not in {mode:?} mode"));
    }
    if run.scenario != run.settings.scenario() {
        return invalid(format!(
            "{what} is labelled {} but its settings are {}'s",
            run.scenario,
            run.settings.scenario()
        ));
    }
    if run.sample_set_size == 0 || run.sample_set_size > MAX_SAMPLE_COUNT {
        return invalid(format!(
            "{what} has a sample set of {} samples (1 to {} are possible)",
            run.sample_set_size,
            crate::format::count(MAX_SAMPLE_COUNT as u64)
        ));
    }
    let max_executors = if run.scenario == Scenario::Offline {
        crate::plan::limits::MAX_OFFLINE_WORKERS
    } else {
        1
    };
    if !(1..=max_executors).contains(&run.executors) {
        return invalid(format!(
            "{what} was served by {} executors (1 to {max_executors} are possible)",
            run.executors
        ));
    }
    if let Some(ms) = run.timer_resolution_ms {
        if !(ms > 0.0 && ms <= MAX_TIMER_RESOLUTION_MS) {
            return invalid(format!(
                "{what} has a timer resolution of {ms} ms (a clock ticks more often than \
                 every {MAX_TIMER_RESOLUTION_MS} ms)"
            ));
        }
    }
    if !(run.schedule_paused_ms.is_finite() && run.schedule_paused_ms >= 0.0) {
        return invalid(format!(
            "{what} has a schedule paused for {} ms",
            run.schedule_paused_ms
        ));
    }
    if let Some(ms) = run.warmup.first_query_latency_ms {
        if !(ms.is_finite() && ms >= 0.0) {
            return invalid(format!("{what} has a first-query latency of {ms} ms"));
        }
    }
    let records = run.queries.len() as u64;
    match run.settings.scenario() {
        Scenario::Offline => {
            let samples: u64 = run.queries.iter().map(|q| u64::from(q.samples)).sum();
            if samples > run.sample_count {
                return invalid(format!(
                    "{what} holds records of {} samples, more than the {} it states",
                    crate::format::count(samples),
                    crate::format::count(run.sample_count)
                ));
            }
        }
        _ if records > run.query_count => {
            return invalid(format!(
                "{what} holds {} query records, more than the {} queries it states",
                crate::format::count(records),
                crate::format::count(run.query_count)
            ));
        }
        _ => {}
    }
    Ok(())
}
