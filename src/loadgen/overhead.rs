//! The load generator's own cost per query, measured with the null system under test
//! ([`measure_overhead`]): a SingleStream run whose system returns at once, so that
//! everything the run takes is the load generator's (drawing the sample, reading the clock,
//! calling the system, recording the query, checking the stop rule and the step budget).
//!
//! Two figures, as LoadGen's summary has them for SingleStream:
//! - **per query**: the time between two issues (two clock readings, the draw, the call,
//!   the record, the checks), (final issue - first issue) / (n - 1)
//!   (LoadGen's "QPS w/ loadgen overhead", (n - 1) / final issue time, is nearly its
//!   inverse: it also counts the time to the first issue);
//! - **overhead**: that time minus the mean latency (issue to completion, LoadGen's "QPS w/o
//!   loadgen overhead" is its inverse): what the generator spends between one query's
//!   completion and the next one's issue. LoadGen's Python bindings measure about 4 µs here
//!   (86k against 134k queries per second on the development machine).
//!
//! The figures are means over many queries, so a coarse timer (a browser's 5 or 100 µs tick)
//! bounds them to within a tick / (n - 1) for the time between issues; the mean latency of
//! a null query is far below a tick and is only as good as the timer's dithering.

use serde::{Deserialize, Serialize};

use super::clock::Clock;
use super::driver::run_to_completion;
use super::result::ScenarioMetric;
use super::runner::Runner;
use super::settings::{ScenarioSettings, Seeds, TestMode, TestSettings};
use super::synthetic::{ServiceTimes, SpinSut, SyntheticSut};

/// Queries of the overhead measurement: about 0.1 s natively, well above a browser tick.
pub const OVERHEAD_QUERIES: u64 = 100_000;

/// The load generator's cost per query on this machine (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OverheadMeasurement {
    /// Queries run.
    pub queries: u64,
    /// Mean time between two issues, in ns: (final issue - first issue) / (n - 1).
    pub per_query_ns: f64,
    /// Mean latency of a null query (issue to completion: the call and the clock reads
    /// around it), in ns.
    pub mean_latency_ns: f64,
    /// `per_query_ns - mean_latency_ns`, in ns: LoadGen's overhead, from its "QPS w/" and
    /// "QPS w/o loadgen overhead".
    pub overhead_ns: f64,
    /// LoadGen's "QPS w/ loadgen overhead", queries per second.
    pub qps_with_overhead: Option<f64>,
    /// LoadGen's "QPS w/o loadgen overhead", queries per second (`None` when every latency
    /// read 0: a timer coarser than the null query).
    pub qps_without_overhead: Option<f64>,
}

/// Runs `queries` null SingleStream queries on `clock` and measures the load generator's
/// cost per query.
///
/// # Panics
///
/// Panics if `queries` is below 2 or above
/// [`MAX_QUERY_COUNT`](super::settings::MAX_QUERY_COUNT).
pub fn measure_overhead<C: Clock + ?Sized>(clock: &C, queries: u64) -> OverheadMeasurement {
    assert!(queries >= 2, "the time between issues needs two queries");
    let settings = TestSettings {
        scenario: ScenarioSettings::SingleStream,
        mode: TestMode::Performance,
        target_percentile: 0.9,
        warmup_query_count: 0,
        min_duration_ms: 0,
        max_duration_ms: 0,
        min_query_count: queries,
        max_query_count: queries,
        seeds: Seeds::all(0),
    };
    let runner = Runner::new(settings, 1).expect("valid overhead settings");
    let mut times = ServiceTimes::new(SyntheticSut::Null, 0);
    let mut sut = SpinSut::new(clock, &mut times, "null");
    let result = run_to_completion(runner, clock, &mut sut, |_| {
        unreachable!("SingleStream never waits")
    });
    let n = result.queries.len() as u64;
    let first_issue_ns = result.queries.first().map_or(0, |q| q.issued_ns);
    let final_issue_ns = result.queries.last().map_or(0, |q| q.issued_ns);
    let per_query_ns = (final_issue_ns - first_issue_ns) as f64 / (n.max(2) - 1) as f64;
    let mean_latency_ns = result.latency.map_or(0.0, |l| l.mean_ms * 1e6);
    let (with, without) = match result.metric {
        Some(ScenarioMetric::SingleStream(m)) => {
            (m.qps_with_loadgen_overhead, m.qps_without_loadgen_overhead)
        }
        _ => (None, None),
    };
    OverheadMeasurement {
        queries: n,
        per_query_ns,
        mean_latency_ns,
        overhead_ns: per_query_ns - mean_latency_ns,
        qps_with_overhead: with,
        qps_without_overhead: without,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loadgen::clock::ManualClock;
    use std::cell::Cell;
    use std::time::Duration;

    /// A clock that moves 10 ns at every reading.
    struct Ticking(Cell<u64>);

    impl Clock for Ticking {
        fn now(&self) -> Duration {
            let t = self.0.get();
            self.0.set(t + 10);
            Duration::from_nanos(t)
        }
    }

    #[test]
    fn the_figures_follow_from_the_clock_readings() {
        // Each query reads the clock twice (issue, completion; the step budget reuses the
        // completion): 20 ns between issues, 10 ns from issue to completion, 10 ns between
        // one query's completion and the next one's issue.
        let m = measure_overhead(&Ticking(Cell::new(0)), 1_000);
        assert_eq!(m.queries, 1_000);
        assert_eq!(m.per_query_ns, 20.0);
        assert_eq!(m.mean_latency_ns, 10.0);
        assert_eq!(m.overhead_ns, 10.0);
        // A clock that never moves: nothing measurable, and no division by zero.
        let m = measure_overhead(&ManualClock::new(), 10);
        assert_eq!(m.per_query_ns, 0.0);
        assert_eq!(m.qps_without_overhead, None);
    }
}
