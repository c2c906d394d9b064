//! What each [`InvalidReason`] says: what failed, with the run's numbers
//! ([`InvalidReason::explanation`]), and what to change ([`InvalidReason::recommendation`]);
//! its `Display` is both, in that order.

use std::fmt;

use super::settings::{Scenario, MAX_QPS, MAX_QUERY_COUNT, MAX_RESULT_QUERIES};
use super::timer_limited::TIMER_LIMITED_TICKS;
use super::validity::{DurationHint, InvalidReason, StopReason};
use crate::format::{count, fine_duration_ms};
use crate::stats::error::percentile_label;
use crate::stats::sample_size::MlperfSampleSize;
use crate::stats::LATENCY_BOUND_TICKS;

fn pct(p: f64) -> String {
    let s = format!("{:.1}", p * 100.0);
    format!("{s}th percentile")
}

impl InvalidReason {
    /// What failed, with the numbers (one sentence).
    pub fn explanation(&self) -> String {
        match self {
            Self::Cancelled { query_count } => {
                format!("The run was cancelled after {query_count} queries.")
            }
            Self::PageHidden { times } => format!(
                "The page was hidden during the run ({times} visibility change{}).",
                if *times == 1 { "" } else { "s" }
            ),
            Self::LatencyBoundExceeded {
                percentile,
                percentile_latency_ms,
                latency_bound_ms,
                target_qps,
            } => format!(
                "The {} latency is {percentile_latency_ms:.3} ms, above the {latency_bound_ms} ms \
                 bound, at a target of {target_qps} QPS.",
                pct(*percentile)
            ),
            Self::MinDurationNotMet {
                scenario,
                basis,
                measured_ms,
                min_duration_ms,
                stop_reason,
                ..
            } => format!(
                "{scenario}: {} at {:.3} s, before the minimum duration of {:.3} s \
                 (the run ended: {stop_reason}).",
                basis.describe(),
                measured_ms / 1e3,
                *min_duration_ms as f64 / 1e3
            ),
            Self::MinQueriesNotMet {
                scenario,
                issued,
                required,
                stop_reason,
                ..
            } => {
                let unit = if *scenario == Scenario::Offline {
                    "samples"
                } else {
                    "queries"
                };
                format!(
                    "{scenario}: {issued} {unit} issued, fewer than the minimum of {required} \
                     (the run ended: {stop_reason})."
                )
            }
            Self::EarlyStoppingTooFewQueries {
                percentile,
                query_count,
                min_query_count,
            } => format!(
                "Only processed {query_count} queries. Need to process at least \
                 {min_query_count} queries for early stopping (the {} estimate).",
                pct(*percentile)
            ),
            Self::EarlyStoppingNeedsMoreQueries {
                query_count,
                overlatency_count,
                more_queries_needed,
                ..
            } => format!(
                "Processed {query_count} queries, {overlatency_count} over the latency bound. \
                 Would need to run at least {more_queries_needed} more queries, with the run \
                 being successful if every additional query were under latency."
            ),
            Self::TimerBoundReachesZero {
                percentile,
                percentile_latency_ms,
                tick_ms,
                bound_ms,
            } => format!(
                "The {} latency reads {}, within its timer bound of ±{} ({LATENCY_BOUND_TICKS} \
                 ticks of {}) of 0: the timer cannot tell it from no time at all.",
                percentile_label(*percentile),
                if *percentile_latency_ms == 0.0 {
                    "0 (below one tick)".to_string()
                } else {
                    fine_duration_ms(*percentile_latency_ms)
                },
                fine_duration_ms(*bound_ms),
                fine_duration_ms(*tick_ms)
            ),
            Self::ClockNotDithered {
                p50_latency_ms,
                tick_ms,
            } => format!(
                "The median latency, {}, is {} ticks of the {} timer (timer-limited), and the \
                 clock check found this clock not dithered: means of its quantised latencies, \
                 and the comparisons built on them, may be biased by up to {}.",
                fine_duration_ms(*p50_latency_ms),
                crate::format::sig(p50_latency_ms / tick_ms, 2),
                fine_duration_ms(*tick_ms),
                fine_duration_ms(LATENCY_BOUND_TICKS * tick_ms)
            ),
            Self::TimerUnmeasurable { p50_latency_ms } => format!(
                "The timer never moved while its resolution was measured, so the median \
                 latency of {} cannot be trusted.",
                fine_duration_ms(*p50_latency_ms)
            ),
            Self::TimerTooCoarse {
                p50_latency_ms,
                timer_resolution_ms: Some(r),
                min_ratio,
            } => {
                let median = if *p50_latency_ms == 0.0 {
                    format!("below one timer tick ({})", fine_duration_ms(*r))
                } else {
                    fine_duration_ms(*p50_latency_ms)
                };
                format!(
                    "The median latency, {median}, is below {min_ratio} x the timer resolution of \
                     {} ({}), the rule of the InferBench that wrote this file.",
                    fine_duration_ms(*r),
                    fine_duration_ms(min_ratio * r)
                )
            }
            Self::TimerTooCoarse {
                p50_latency_ms,
                timer_resolution_ms: None,
                ..
            } => format!(
                "The timer never moved while its resolution was measured, so the median \
                 latency of {} cannot be trusted.",
                fine_duration_ms(*p50_latency_ms)
            ),
        }
    }

    /// What to do about it, computed from the numbers (LoadGen's wording where it has one).
    pub fn recommendation(&self) -> String {
        match self {
            Self::Cancelled { .. } => "Its measurements are kept for inspection but are not a \
                                       result: run it to completion."
                .to_string(),
            Self::PageHidden { .. } => "Browsers throttle hidden pages and their workers: keep \
                                        the page visible during the run and run it again."
                .to_string(),
            Self::LatencyBoundExceeded {
                percentile_latency_ms,
                latency_bound_ms,
                ..
            } => format!(
                "Reduce target QPS to improve latency (the tail is {:.1}x the bound), or use the \
                 peak search to find the highest rate that meets it.",
                percentile_latency_ms / latency_bound_ms
            ),
            Self::MinDurationNotMet {
                hint,
                min_duration_ms,
                scenario,
                ..
            } => match hint {
                DurationHint::RaiseMaxQueryCount { at_least } if *at_least <= MAX_QUERY_COUNT => {
                    format!(
                        "The run stopped at max_query_count; at the measured pace it needs about \
                         {at_least} queries to last the minimum duration: raise max_query_count \
                         to at least {at_least}, or set it to 0 (no maximum)."
                    )
                }
                DurationHint::RaiseMaxQueryCount { at_least } => format!(
                    "The run stopped at max_query_count before the minimum duration: at the \
                     measured pace it would need about {} queries, more than the {} InferBench \
                     keeps in one run. Make each query longer (a larger model, a synthetic \
                     system's longer service time, or more samples per query), lower the target \
                     QPS (Server), or shorten min_duration_ms.",
                    count(*at_least),
                    count(MAX_QUERY_COUNT)
                ),
                DurationHint::QueryLimit { limit, at_least } => {
                    query_limit_recommendation(*scenario, *limit, *at_least)
                }
                DurationHint::RaiseExpectedQps { at_least } if *at_least <= MAX_QPS => format!(
                    "Increase expected QPS so the loadgen pre-generates a larger (coalesced) \
                     query: the system processed {at_least:.1} samples/s, so set \
                     scenario.expected_qps to at least {:.0}.",
                    at_least.ceil()
                ),
                DurationHint::RaiseExpectedQps { at_least } => format!(
                    "The system processed {at_least:.1} samples/s, more than expected_qps \
                     accepts ({MAX_QPS}): set scenario.expected_qps to {MAX_QPS} and \
                     min_query_count to at least {:.0} samples.",
                    (at_least * *min_duration_ms as f64 / 1e3 * 1.1).ceil()
                ),
                DurationHint::ReduceTargetQps => "The system fell behind the arrival schedule \
                     and max_duration_ms ended the run first: reduce target QPS, or raise \
                     max_duration_ms."
                    .to_string(),
                DurationHint::RunToCompletion => "Run it to completion.".to_string(),
                DurationHint::NoHint => "Let the run last longer: check max_duration_ms \
                     and max_query_count, or set them to 0 (no maximum)."
                    .to_string(),
            },
            Self::MinQueriesNotMet {
                scenario,
                issued,
                required,
                stop_reason,
                duration_needed_ms,
            } => {
                let unit = if *scenario == Scenario::Offline {
                    "samples"
                } else {
                    "queries"
                };
                let more = required.saturating_sub(*issued);
                let mut text = format!("The run would need at least {more} more {unit}.");
                match (stop_reason, duration_needed_ms) {
                    (StopReason::MaxDuration, Some(ms)) => text.push_str(&format!(
                        " It stopped at max_duration_ms; at the measured pace it needs about \
                         {:.1} s: raise max_duration_ms to at least {:.0}, or set it to 0.",
                        ms / 1e3,
                        ms.ceil()
                    )),
                    (StopReason::Cancelled, _) => text.push_str(" Run it to completion."),
                    (StopReason::QueryLimit, _) => text.push_str(&format!(
                        " It stopped at its share of the {} queries InferBench keeps in one \
                         result: lower min_query_count, or run fewer variants or scenarios in \
                         one result.",
                        count(MAX_RESULT_QUERIES)
                    )),
                    _ => {
                        text.push_str(" The test exited early, before enough queries were issued.")
                    }
                }
                text
            }
            Self::EarlyStoppingTooFewQueries {
                min_query_count, ..
            } => format!("Raise min_query_count to at least {min_query_count}."),
            Self::EarlyStoppingNeedsMoreQueries {
                query_count,
                more_queries_needed,
                ..
            } => format!(
                "Raise min_query_count to at least {}, or reduce target QPS so that fewer \
                 queries exceed the bound.",
                query_count.saturating_add(*more_queries_needed)
            ),
            Self::TimerBoundReachesZero {
                tick_ms, bound_ms, ..
            } => format!(
                "Make each query last longer: at least {} ({TIMER_LIMITED_TICKS} ticks) is no \
                 longer timer-limited. Use a larger model (for a synthetic system, a longer \
                 service time) or more samples per query, \
                 or a finer timer: a cross-origin isolated page (COOP/COEP headers), in a \
                 browser with a finer tick (Chromium's is 5 µs isolated, Firefox's 20 µs); the \
                 bound here is {}.",
                fine_duration_ms(TIMER_LIMITED_TICKS * tick_ms),
                fine_duration_ms(*bound_ms)
            ),
            Self::ClockNotDithered { tick_ms, .. } => format!(
                "Make each query last at least {} ({TIMER_LIMITED_TICKS} ticks), so that a bias \
                 of the readings is small beside it: a larger model (for a synthetic system, a \
                 longer service time), or more samples per query; or run in a browser whose clock is dithered (the clock check under \
                 Timing says which).",
                fine_duration_ms(TIMER_LIMITED_TICKS * tick_ms)
            ),
            Self::TimerUnmeasurable { .. } | Self::TimerTooCoarse { .. } => "Each latency is \
                 only known to within the timer's tick: use a larger model (for a synthetic \
                 system, a longer service time), or serve \
                 the page cross-origin isolated (COOP/COEP headers) for a finer timer."
                .to_string(),
        }
    }
}

impl fmt::Display for InvalidReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.explanation(), self.recommendation())
    }
}

/// What a run stopped at InferBench's query limit means, and how to meet the minimum
/// duration, with the numbers.
fn query_limit_recommendation(scenario: Scenario, limit: u64, at_least: u64) -> String {
    let (recorded, needed) = if scenario == Scenario::Offline {
        ("batches", "samples")
    } else {
        ("queries", "queries")
    };
    let p90 = MlperfSampleSize::of(0.9, 0.99).map_or(0, |s| s.queries_loadgen);
    let p99 = MlperfSampleSize::of(0.99, 0.99).map_or(0, |s| s.queries_loadgen);
    format!(
        "The run stopped at {} {recorded}, its share of the {} queries InferBench keeps in one \
         result ({} in one run), before the minimum duration: at the measured pace it would \
         need about {} {needed}. The limit keeps a result small enough to be saved, reloaded \
         and analysed in a browser (32 bytes per query in memory). What the run measured \
         stands: its percentiles and early stopping rest on those {} {recorded}, and MLPerf's \
         sample-size rule asks for {} queries at p90 and {} at p99 (99% confidence); only the \
         duration rule is not met. To meet it, make each query longer (a larger model preset, \
         or more samples per query), run fewer variants or scenarios in one result, or shorten \
         min_duration_ms.",
        count(limit),
        count(MAX_RESULT_QUERIES),
        count(MAX_QUERY_COUNT),
        count(at_least),
        count(limit),
        count(p90),
        count(p99),
    )
}
