//! VALID or INVALID, and why: [`Validity`], [`InvalidReason`] and the recommendation each
//! reason computes from the run's numbers.
//!
//! LoadGen (`loadgen/results.cc`, `LogSummary`) declares a run VALID iff the minimum duration,
//! the minimum query count, the performance constraints (Server: target-percentile latency
//! within the bound) and early stopping are all met, and prints a recommendation for each
//! failure. InferBench adds reasons of its own: a cancelled run, a page hidden during the run
//! (browsers throttle hidden pages), and the timer rule of [`super::timer_rule`] (a metric
//! within the tick's bound of 0, a timer-limited run on a clock that is not dithered, a timer
//! that never moved); a timer-limited run that is VALID carries its mark
//! ([`Validity::timer_limited`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::format::{count, fine_duration_ms};
use crate::stats::error::percentile_label;
use crate::stats::LATENCY_BOUND_TICKS;

use super::settings::{Scenario, MAX_QPS, MAX_QUERY_COUNT, MAX_RESULT_QUERIES};
use super::timer_limited::{TimerLimited, TIMER_LIMITED_TICKS};
use crate::stats::sample_size::MlperfSampleSize;

/// The verdict on a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validity {
    /// VALID (`true`) iff `reasons` is empty.
    pub valid: bool,
    /// LoadGen's four checks, as its summary prints them ("Min duration satisfied : Yes").
    pub checks: ValidityChecks,
    /// Every reason the run is INVALID, in LoadGen's order, then InferBench's own.
    pub reasons: Vec<InvalidReason>,
    /// Set when the run's median latency is below 20 ticks of the timer: its percentiles
    /// are known only to their tick bound. `None` otherwise, and in files written before
    /// the field existed.
    #[serde(default)]
    pub timer_limited: Option<TimerLimited>,
}

/// LoadGen's checks; `None` where a check does not apply (accuracy mode; the latency bound
/// outside Server; early stopping in Offline; any latency check of a run with no query).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidityChecks {
    /// "Min duration satisfied".
    pub min_duration_met: Option<bool>,
    /// "Min queries satisfied".
    pub min_queries_met: Option<bool>,
    /// "Performance constraints satisfied" (Server).
    pub latency_bound_met: Option<bool>,
    /// "Early stopping satisfied" (SingleStream, MultiStream, Server).
    pub early_stopping_met: Option<bool>,
}

/// Which time LoadGen compares with the minimum duration (`results.cc`, `MinDurationMet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DurationBasis {
    /// SingleStream, MultiStream: when the final query was issued.
    FinalQueryIssued,
    /// Server: when the final query was scheduled to arrive.
    FinalQueryScheduled,
    /// Offline: the largest latency (time until the last sample completed).
    MaxLatency,
}

impl DurationBasis {
    /// The basis LoadGen uses for `scenario`.
    pub fn of(scenario: Scenario) -> Self {
        match scenario {
            Scenario::SingleStream | Scenario::MultiStream => DurationBasis::FinalQueryIssued,
            Scenario::Server => DurationBasis::FinalQueryScheduled,
            Scenario::Offline => DurationBasis::MaxLatency,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            DurationBasis::FinalQueryIssued => "the final query was issued",
            DurationBasis::FinalQueryScheduled => "the final query was scheduled",
            DurationBasis::MaxLatency => "the last sample completed",
        }
    }
}

/// Why a measured run ended (LoadGen's "Ending naturally" / "Ending early" messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StopReason {
    /// SingleStream, MultiStream: both the minimum duration and the minimum query count met.
    MinimumsMet,
    /// Server: every query of the arrival schedule was issued.
    ScheduleExhausted,
    /// Offline and accuracy mode: every sample was processed.
    AllSamplesProcessed,
    /// `max_query_count` reached.
    MaxQueryCount,
    /// InferBench's query limit reached: [`MAX_QUERY_COUNT`] in one run, or the run's share
    /// of a result's [`MAX_RESULT_QUERIES`].
    QueryLimit,
    /// `max_duration_ms` exceeded.
    MaxDuration,
    /// Cancelled by the user (or the run was finished before it ended).
    Cancelled,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopReason::MinimumsMet => "minimum query count and duration met",
            StopReason::ScheduleExhausted => "every scheduled query issued",
            StopReason::AllSamplesProcessed => "every sample processed",
            StopReason::MaxQueryCount => "max_query_count reached",
            StopReason::QueryLimit => "InferBench's query limit reached",
            StopReason::MaxDuration => "max_duration_ms exceeded",
            StopReason::Cancelled => "cancelled",
        })
    }
}

/// What would have let the run last the minimum duration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum DurationHint {
    /// The run stopped at `max_query_count`; at the measured pace it needs at least this many
    /// queries.
    RaiseMaxQueryCount {
        /// Queries needed to last the minimum duration.
        at_least: u64,
    },
    /// Offline's query was too small for the system's speed (LoadGen: "Increase expected QPS
    /// so the loadgen pre-generates a larger (coalesced) query").
    RaiseExpectedQps {
        /// The throughput measured, in samples per second: an `expected_qps` at least this
        /// large sizes the query to last 1.1 times the minimum duration.
        at_least: f64,
    },
    /// The run stopped at InferBench's query limit (its share of a result's budget) before
    /// its minimum duration.
    QueryLimit {
        /// The run's limit: the most queries (Offline: batches) it could record.
        limit: u64,
        /// Queries needed to last the minimum duration at the measured pace (Offline:
        /// samples).
        at_least: u64,
    },
    /// Server: the system fell behind the arrivals and `max_duration_ms` ended the run before
    /// the schedule reached the minimum duration.
    ReduceTargetQps,
    /// The run was cancelled.
    RunToCompletion,
    /// Nothing to suggest beyond the numbers.
    NoHint,
}

/// One reason a run is INVALID, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason")]
#[non_exhaustive]
pub enum InvalidReason {
    /// The run was cancelled; its measurements are kept.
    Cancelled {
        /// Queries completed before the cancel.
        query_count: u64,
    },
    /// The page was hidden (tab switched, window minimised) during the run.
    PageHidden {
        /// How many visibility changes the driver reported.
        times: u32,
    },
    /// Server: the target-percentile latency is above the bound (LoadGen's performance
    /// constraint).
    LatencyBoundExceeded {
        /// The percentile judged, in (0, 1).
        percentile: f64,
        /// Its latency, in ms.
        percentile_latency_ms: f64,
        /// The bound, in ms.
        latency_bound_ms: f64,
        /// The offered rate, in queries per second.
        target_qps: f64,
    },
    /// The run was shorter than the minimum duration, measured as LoadGen does.
    MinDurationNotMet {
        /// The scenario.
        scenario: Scenario,
        /// Which time was compared.
        basis: DurationBasis,
        /// That time, in ms since the run's start.
        measured_ms: f64,
        /// The minimum, in ms.
        min_duration_ms: u64,
        /// Why the run ended.
        stop_reason: StopReason,
        /// What would have helped.
        hint: DurationHint,
    },
    /// Too few queries (Offline: samples) were issued.
    MinQueriesNotMet {
        /// The scenario.
        scenario: Scenario,
        /// Queries issued (Offline: samples processed).
        issued: u64,
        /// The minimum (Offline: samples in its query).
        required: u64,
        /// Why the run ended.
        stop_reason: StopReason,
        /// If the run stopped at `max_duration_ms`: about how long it would need, in ms, at the
        /// measured pace.
        duration_needed_ms: Option<f64>,
    },
    /// SingleStream/MultiStream: too few queries for an early-stopping estimate.
    EarlyStoppingTooFewQueries {
        /// The percentile estimated.
        percentile: f64,
        /// Queries processed.
        query_count: u64,
        /// Queries needed, `h(1) + 1`.
        min_query_count: u64,
    },
    /// Server: too few queries for the number over the bound.
    EarlyStoppingNeedsMoreQueries {
        /// The percentile judged.
        percentile: f64,
        /// Queries processed.
        query_count: u64,
        /// Queries over the latency bound.
        overlatency_count: u64,
        /// Further queries needed, all under the bound.
        more_queries_needed: u64,
    },
    /// SingleStream, MultiStream: the target percentile is within its tick bound (2 ticks)
    /// of 0, so the timer cannot tell it from no time at all.
    TimerBoundReachesZero {
        /// The percentile, in (0, 1).
        percentile: f64,
        /// Its latency, in ms.
        percentile_latency_ms: f64,
        /// The timer's tick, in ms.
        tick_ms: f64,
        /// The bound, in ms (2 ticks).
        bound_ms: f64,
    },
    /// The run is timer-limited and the clock check found the clock not dithered: means of
    /// its quantised latencies may be biased.
    ClockNotDithered {
        /// The run's median latency, in ms.
        p50_latency_ms: f64,
        /// The timer's tick, in ms.
        tick_ms: f64,
    },
    /// The timer never moved while its resolution was measured.
    TimerUnmeasurable {
        /// The run's median latency, in ms.
        p50_latency_ms: f64,
    },
    /// Written by InferBench before the timer rule of [`super::timer_rule`]: the median was
    /// below `min_ratio` ticks. No longer produced; kept so that older files read.
    TimerTooCoarse {
        /// The run's median latency, in ms.
        p50_latency_ms: f64,
        /// The timer's measured resolution, in ms; `None` if the timer never moved while it
        /// was measured.
        timer_resolution_ms: Option<f64>,
        /// The ratio that rule required (20).
        min_ratio: f64,
    },
}

fn pct(p: f64) -> String {
    let s = format!("{:.1}", p * 100.0);
    format!("{s}th percentile")
}

impl InvalidReason {
    /// Whether this is one of the timer's reasons (the current rule's, or an older file's).
    pub fn is_timer(&self) -> bool {
        matches!(
            self,
            Self::TimerBoundReachesZero { .. }
                | Self::ClockNotDithered { .. }
                | Self::TimerUnmeasurable { .. }
                | Self::TimerTooCoarse { .. }
        )
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_that_needs_more_queries_than_the_limit_is_told_what_else_to_change() {
        let stopped = |at_least| InvalidReason::MinDurationNotMet {
            scenario: Scenario::SingleStream,
            basis: DurationBasis::FinalQueryIssued,
            measured_ms: 350_000.0,
            min_duration_ms: 600_000,
            stop_reason: StopReason::MaxQueryCount,
            hint: DurationHint::RaiseMaxQueryCount { at_least },
        };
        let within = stopped(2_000_000).recommendation();
        assert!(
            within.contains("raise max_query_count to at least 2000000"),
            "{within}"
        );
        let beyond = stopped(17_142_858).recommendation();
        assert!(!beyond.contains("raise max_query_count"), "{beyond}");
        assert!(
            beyond.contains("about 17,142,858 queries, more than the 10,000,000"),
            "{beyond}"
        );
        assert!(beyond.contains("a larger model,"), "{beyond}");
    }

    #[test]
    fn a_run_stopped_at_its_share_of_the_result_says_what_it_means() {
        // A 600 s SingleStream run of a 20 us variant in a result of four runs.
        let r = InvalidReason::MinDurationNotMet {
            scenario: Scenario::SingleStream,
            basis: DurationBasis::FinalQueryIssued,
            measured_ms: 50_000.0,
            min_duration_ms: 600_000,
            stop_reason: StopReason::QueryLimit,
            hint: DurationHint::QueryLimit {
                limit: 2_500_000,
                at_least: 30_000_000,
            },
        };
        let text = r.recommendation();
        for part in [
            "stopped at 2,500,000 queries, its share of the 10,000,000 queries InferBench keeps in one result",
            "it would need about 30,000,000 queries",
            "24,576 queries at p90 and 270,336 at p99",
            "only the duration rule is not met",
            "run fewer variants or scenarios in one result",
        ] {
            assert!(text.contains(part), "{part:?} not in {text}");
        }
    }

    #[test]
    fn messages_carry_the_numbers() {
        let r = InvalidReason::EarlyStoppingNeedsMoreQueries {
            percentile: 0.99,
            query_count: 500,
            overlatency_count: 1,
            more_queries_needed: 162,
        };
        assert!(r.explanation().contains("500 queries, 1 over"));
        assert!(r.explanation().contains("at least 162 more queries"));
        assert!(r.recommendation().contains("at least 662"));
        let t = InvalidReason::TimerTooCoarse {
            p50_latency_ms: 0.5,
            timer_resolution_ms: Some(0.1),
            min_ratio: 20.0,
        };
        assert_eq!(
            t.explanation(),
            "The median latency, 500.0 µs, is below 20 x the timer resolution of 100.0 µs \
             (2.000 ms), the rule of the InferBench that wrote this file."
        );
        let zero = InvalidReason::TimerBoundReachesZero {
            percentile: 0.9,
            percentile_latency_ms: 0.0,
            tick_ms: 0.02,
            bound_ms: 0.04,
        };
        assert_eq!(
            zero.explanation(),
            "The p90 latency reads 0 (below one tick), within its timer bound of ±40.00 µs \
             (2 ticks of 20.00 µs) of 0: the timer cannot tell it from no time at all."
        );
        assert!(zero
            .recommendation()
            .contains("at least 400.0 µs (20 ticks)"));
        let biased = InvalidReason::ClockNotDithered {
            p50_latency_ms: 0.04,
            tick_ms: 0.005,
        };
        assert!(biased
            .explanation()
            .contains("is 8.0 ticks of the 5.000 µs timer"));
        assert!(biased.explanation().contains("biased by up to 10.00 µs"));
    }
}
