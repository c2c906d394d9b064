//! Whether the timers could tell two runs' target percentiles apart ([`percentile_overlap`]):
//! recomputed from each run's recorded queries, for the comparisons of the report, the
//! machine comparison, the regression check and the page's verdict.

use super::result::RunResult;
use super::settings::Scenario;
use crate::stats::percentile::loadgen_percentile_index;
use crate::stats::{tick_overlap, TickOverlap};

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
