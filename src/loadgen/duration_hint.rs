//! What would have let an INVALID run last its minimum duration ([`DurationHint`]), from the
//! run's pace: more queries, a higher `expected_qps`, a lower target QPS, or a smaller share of
//! InferBench's query limit.

use super::record::QueryRecord;
use super::settings::{ScenarioSettings, TestSettings};
use super::validity::{DurationHint, StopReason};

/// `count` per second over `over_ns` nanoseconds (`None` over no time).
pub(crate) fn per_second(count: u64, over_ns: u64) -> Option<f64> {
    (over_ns > 0).then(|| count as f64 / (over_ns as f64 / 1e9))
}

/// What would have let a run that ended too early last the minimum duration.
pub(crate) fn duration_hint(
    settings: &TestSettings,
    stop_reason: StopReason,
    records: &[QueryRecord],
    sample_count: u64,
    final_completed_ns: u64,
    query_limit: u64,
) -> DurationHint {
    if stop_reason == StopReason::Cancelled {
        return DurationHint::RunToCompletion;
    }
    let min_duration_ns = settings.min_duration_ms as f64 * 1e6;
    // Queries needed to last the minimum duration at the pace so far: the time between
    // issues (or the mean latency for a single query); Offline: samples at the rate so far.
    let needed_at_pace = || -> Option<u64> {
        if let ScenarioSettings::Offline(_) = settings.scenario {
            return per_second(sample_count, final_completed_ns)
                .map(|rate| (rate * min_duration_ns / 1e9).ceil() as u64);
        }
        if let ScenarioSettings::Server(s) = settings.scenario {
            return Some((s.target_qps * min_duration_ns / 1e9).ceil() as u64 + 1);
        }
        let n = records.len() as u64;
        let last_issue = records.last().map_or(0, |r| r.issued_ns);
        let pace_ns = if n > 1 && last_issue > 0 {
            last_issue as f64 / (n - 1) as f64
        } else {
            records.first().map_or(0.0, |r| r.latency_ns() as f64)
        };
        (pace_ns > 0.0).then(|| (min_duration_ns / pace_ns).ceil() as u64 + 1)
    };
    match (settings.scenario, stop_reason) {
        (_, StopReason::QueryLimit) => match needed_at_pace() {
            Some(at_least) => DurationHint::QueryLimit {
                limit: query_limit,
                at_least,
            },
            None => DurationHint::NoHint,
        },
        (ScenarioSettings::Offline(_), _) => match per_second(sample_count, final_completed_ns) {
            Some(rate) => DurationHint::RaiseExpectedQps { at_least: rate },
            None => DurationHint::NoHint,
        },
        (ScenarioSettings::Server(_), StopReason::MaxDuration) => DurationHint::ReduceTargetQps,
        (_, StopReason::MaxQueryCount) => match needed_at_pace() {
            Some(at_least) => DurationHint::RaiseMaxQueryCount { at_least },
            None => DurationHint::NoHint,
        },
        _ => DurationHint::NoHint,
    }
}
