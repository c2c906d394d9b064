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

use super::settings::Scenario;
use super::timer_limited::TimerLimited;

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

    pub(crate) fn describe(self) -> &'static str {
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
    /// InferBench's query limit reached: [`MAX_QUERY_COUNT`](super::settings::MAX_QUERY_COUNT) in one run, or the run's share
    /// of a result's [`MAX_RESULT_QUERIES`](super::settings::MAX_RESULT_QUERIES).
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
