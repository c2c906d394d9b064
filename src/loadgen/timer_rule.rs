//! InferBench's timer rule: when the tick makes a run's metric meaningless (INVALID), and
//! when it only limits its precision (VALID, marked [`TimerLimited`] with the bound).
//!
//! With a measured tick `r` (the bound on a latency is `2 r`, [`crate::stats::tick`]):
//! - a run whose median latency is below [`TIMER_LIMITED_TICKS`] ticks is **timer-limited**:
//!   its percentiles are known only to `± 2 r` (more than 10% of the median), which the
//!   statistics carry; it stays VALID, except that
//! - a SingleStream or MultiStream run whose target percentile (the metric: p90, p99) is
//!   within its bound of 0 (`<= 2 r`) is INVALID: the timer cannot tell that latency from
//!   none at all ([`InvalidReason::TimerBoundReachesZero`]);
//! - a timer-limited run on a clock the clock check found **not dithered** is INVALID: the
//!   means of its quantised latencies, and every comparison built on them, may be biased by
//!   up to the bound ([`InvalidReason::ClockNotDithered`]);
//! - a run whose timer never moved while it was measured is INVALID
//!   ([`InvalidReason::TimerUnmeasurable`]).
//!
//! Server's metric is a throughput judged against a latency bound of milliseconds: it does
//! not become meaningless near 0, so the first rule does not apply to it. Offline's metric
//! is a throughput over the whole run (its latencies run from t = 0): it is never
//! timer-limited, and only the last rule applies to it.

use super::clock::TimerResolution;
use super::record::LatencySummary;
use super::result::RunResult;
use super::settings::Scenario;
use super::timing_check::Dither;
use super::validity::InvalidReason;
use crate::stats::percentile::loadgen_percentile_index;
use crate::stats::{latency_bound_ms, tick_overlap, TickOverlap};

pub use super::timer_limited::{TimerLimited, TIMER_LIMITED_TICKS};

/// The timer's reasons for INVALID (in the order of the module docs) and the timer-limited
/// mark, for a performance run with latencies.
pub(crate) fn judge(
    scenario: Scenario,
    timer: Option<TimerResolution>,
    dither: Option<Dither>,
    latency: &LatencySummary,
    percentile: f64,
    percentile_latency_ms: f64,
) -> (Vec<InvalidReason>, Option<TimerLimited>) {
    let Some(timer) = timer else {
        return (Vec::new(), None);
    };
    let Some(tick_ms) = timer.resolution_ms else {
        return (
            vec![InvalidReason::TimerUnmeasurable {
                p50_latency_ms: latency.p50_ms,
            }],
            None,
        );
    };
    let bound_ms = latency_bound_ms(tick_ms);
    let limited = (scenario != Scenario::Offline && latency.p50_ms < TIMER_LIMITED_TICKS * tick_ms)
        .then_some(TimerLimited {
            tick_ms,
            median_latency_ms: latency.p50_ms,
            percentile,
            percentile_latency_ms,
            bound_ms,
        });
    let mut reasons = Vec::new();
    if matches!(scenario, Scenario::SingleStream | Scenario::MultiStream)
        && percentile_latency_ms <= bound_ms
    {
        reasons.push(InvalidReason::TimerBoundReachesZero {
            percentile,
            percentile_latency_ms,
            tick_ms,
            bound_ms,
        });
    }
    if limited.is_some() && dither == Some(Dither::NotDithered) {
        reasons.push(InvalidReason::ClockNotDithered {
            p50_latency_ms: latency.p50_ms,
            tick_ms,
        });
    }
    (reasons, limited)
}

/// Whether the timers could tell apart the target percentiles of a candidate run and a
/// baseline run (read with ticks `candidate_tick_ms` and `baseline_tick_ms`, falling back on
/// each run's own), recomputed from the recorded queries: stated when either run is timer-limited or the difference is within the
/// two bounds; `None` otherwise, for Offline (a throughput), or when a tick is unknown.
pub fn percentile_overlap(
    candidate: &RunResult,
    candidate_tick_ms: Option<f64>,
    baseline: &RunResult,
    baseline_tick_ms: Option<f64>,
) -> Option<TickOverlap> {
    let p = baseline.settings.target_percentile;
    let o = tick_overlap(
        p,
        recorded_percentile_ms(candidate, p)?,
        candidate.timer_resolution_ms.or(candidate_tick_ms),
        recorded_percentile_ms(baseline, p)?,
        baseline.timer_resolution_ms.or(baseline_tick_ms),
    )?;
    let limited =
        candidate.validity.timer_limited.is_some() || baseline.validity.timer_limited.is_some();
    (o.within || limited).then_some(o)
}

/// LoadGen's `percentile` of a latency scenario's recorded query latencies, in ms; `None`
/// for Offline or a run without queries.
fn recorded_percentile_ms(run: &RunResult, percentile: f64) -> Option<f64> {
    if run.scenario == Scenario::Offline || run.queries.is_empty() {
        return None;
    }
    let mut ns: Vec<u64> = run.queries.iter().map(|q| q.latency_ns()).collect();
    ns.sort_unstable();
    Some(ns[loadgen_percentile_index(ns.len(), percentile)] as f64 / 1e6)
}
