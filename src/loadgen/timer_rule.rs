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
use super::settings::Scenario;
use super::timing_check::Dither;
use super::validity::InvalidReason;
use crate::stats::latency_bound_ms;

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
