//! The stop rule, written once for every scenario: after each measured query (or Offline
//! batch), whether the run ends and why ([`stop_after`]).
//!
//! LoadGen's rule, checked after each issue: SingleStream and MultiStream end once
//! `min_query_count` queries were issued and the last was issued at or after
//! `min_duration_ms`; Server ends when its arrival schedule (which already covers both
//! minimums) is exhausted, Offline when its samples are; every scenario ends early when
//! `max_query_count` queries were issued or a query was issued after a non-zero
//! `max_duration_ms`. InferBench adds its query limit (a run records at most its share of a
//! result's queries: [`StopReason::QueryLimit`]), and checks an Offline batch's completion,
//! not its issue, against `max_duration_ms` (its safety stop; LoadGen has one query).
//! Accuracy mode runs every sample once, untimed.

use super::settings::TestSettings;
use super::validity::StopReason;

/// How a run's measured work is bounded: what the stop rule needs to know besides the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// SingleStream and MultiStream: open-ended; the minimums, `max_query_count` and the
    /// run's query limit end it.
    Open,
    /// Server (its schedule) and Offline (its samples): planned before the run; it ends when
    /// the plan is used up, for `end` (see [`planned_end`]).
    Planned {
        /// Nothing planned is left.
        used_up: bool,
        /// Why the plan is as long as it is.
        end: StopReason,
    },
    /// Accuracy mode: every sample once, with no time limit.
    Untimed {
        /// Every sample was processed.
        used_up: bool,
    },
}

/// What the stop rule knows after a measured query (or batch) completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterQuery {
    /// Queries (Offline: batches) recorded so far, this one included.
    pub queries: u64,
    /// When it was issued, in ns since the measured phase started.
    pub issued_ns: u64,
    /// The time held against `max_duration_ms`, in ns since the start: the issue, or (an
    /// Offline batch) the completion.
    pub timed_ns: u64,
}

/// Why a planned run (Server's schedule, Offline's samples) ends when its plan is used up:
/// `max_query_count` or the run's query limit if either cut the plan short, else `natural`
/// ([`StopReason::ScheduleExhausted`], [`StopReason::AllSamplesProcessed`]).
pub fn planned_end(
    natural: StopReason,
    cut_by_max_query_count: bool,
    cut_by_limit: bool,
) -> StopReason {
    if cut_by_max_query_count {
        StopReason::MaxQueryCount
    } else if cut_by_limit {
        StopReason::QueryLimit
    } else {
        natural
    }
}

/// Whether a run of `settings` whose query limit is `query_limit` ends after the query
/// `after`, and why (see the module docs); `None`: it goes on.
pub fn stop_after(
    settings: &TestSettings,
    query_limit: u64,
    extent: Extent,
    after: AfterQuery,
) -> Option<StopReason> {
    let q = after.queries;
    let by_count = match extent {
        Extent::Untimed { used_up } => return used_up.then_some(StopReason::AllSamplesProcessed),
        Extent::Planned { used_up, end } => used_up.then_some(end),
        Extent::Open => {
            let min_ns = settings.min_duration_ms.saturating_mul(1_000_000);
            let max_q = settings.max_query_count;
            if q >= settings.min_query_count && after.issued_ns >= min_ns {
                Some(StopReason::MinimumsMet)
            } else if max_q != 0 && q >= max_q {
                Some(StopReason::MaxQueryCount)
            } else if q >= query_limit {
                // Without a maximum, InferBench still stops at its limit, so that memory
                // stays bounded (the minimum duration is then unmet: INVALID).
                Some(StopReason::QueryLimit)
            } else {
                None
            }
        }
    };
    let max_ns = settings.max_duration_ms.saturating_mul(1_000_000);
    by_count.or_else(|| (max_ns != 0 && after.timed_ns > max_ns).then_some(StopReason::MaxDuration))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loadgen::settings::{Scenario, TestSettings};

    fn quick(scenario: Scenario) -> TestSettings {
        TestSettings::quick(scenario)
    }

    fn after(queries: u64, issued_ns: u64) -> AfterQuery {
        AfterQuery {
            queries,
            issued_ns,
            timed_ns: issued_ns,
        }
    }

    #[test]
    fn an_open_run_ends_when_both_minimums_are_met_and_at_its_limits() {
        let mut s = quick(Scenario::SingleStream);
        s.min_query_count = 10;
        s.min_duration_ms = 1;
        s.max_query_count = 0;
        s.max_duration_ms = 0;
        let rule = |q, ns, limit| stop_after(&s, limit, Extent::Open, after(q, ns));
        assert_eq!(rule(9, 2_000_000, 100), None);
        assert_eq!(rule(10, 999_999, 100), None);
        assert_eq!(rule(10, 1_000_000, 100), Some(StopReason::MinimumsMet));
        assert_eq!(rule(100, 5, 100), Some(StopReason::QueryLimit));
        s.max_query_count = 50;
        assert_eq!(
            stop_after(&s, 100, Extent::Open, after(50, 5)),
            Some(StopReason::MaxQueryCount)
        );
        s.max_duration_ms = 2;
        assert_eq!(
            stop_after(&s, 100, Extent::Open, after(5, 2_000_001)),
            Some(StopReason::MaxDuration)
        );
    }

    #[test]
    fn a_planned_run_ends_with_its_plan_for_the_reason_that_cut_it() {
        let mut s = quick(Scenario::Server);
        s.max_duration_ms = 1;
        let end = planned_end(StopReason::ScheduleExhausted, false, false);
        let planned = |used_up| Extent::Planned { used_up, end };
        assert_eq!(stop_after(&s, 1, planned(false), after(5, 10)), None);
        assert_eq!(
            stop_after(&s, 1, planned(true), after(5, 2_000_000)),
            Some(StopReason::ScheduleExhausted)
        );
        assert_eq!(
            stop_after(&s, 1, planned(false), after(5, 1_000_001)),
            Some(StopReason::MaxDuration)
        );
        assert_eq!(
            planned_end(StopReason::AllSamplesProcessed, true, true),
            StopReason::MaxQueryCount
        );
        assert_eq!(
            planned_end(StopReason::AllSamplesProcessed, false, true),
            StopReason::QueryLimit
        );
    }

    #[test]
    fn accuracy_mode_ends_with_its_samples_whatever_the_time() {
        let mut s = quick(Scenario::Offline);
        s.max_duration_ms = 1;
        let late = after(3, u64::MAX);
        assert_eq!(
            stop_after(&s, 1, Extent::Untimed { used_up: false }, late),
            None
        );
        assert_eq!(
            stop_after(&s, 1, Extent::Untimed { used_up: true }, late),
            Some(StopReason::AllSamplesProcessed)
        );
    }
}
