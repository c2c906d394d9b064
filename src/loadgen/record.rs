//! What is kept of each query ([`QueryRecord`]) and LoadGen's latency summary of a run
//! ([`LatencySummary`]).
//!
//! Times are whole nanoseconds since the start of the measured run (after the warm-up), as
//! read from the run's [`Clock`](super::clock::Clock); derived durations are milliseconds
//! (`f64`). Percentiles use LoadGen's estimator `sorted[floor(n * p)]`, without interpolation
//! ([`crate::stats::percentile`]).

use serde::{Deserialize, Serialize};

use crate::stats::percentile::loadgen_percentile_index;

/// Nanoseconds to milliseconds.
pub(crate) fn ns_to_ms(ns: u64) -> f64 {
    ns as f64 / 1e6
}

/// One query of a measured run (one batch of the single query, in Offline).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueryRecord {
    /// When the query was due, in ns since the run's start: its Poisson arrival (Server), 0
    /// (Offline: everything is issued at t = 0), its issue time (SingleStream, MultiStream,
    /// and every scenario in accuracy mode).
    pub scheduled_ns: u64,
    /// When the system under test started on it, in ns since the run's start.
    pub issued_ns: u64,
    /// When it completed, in ns since the run's start.
    pub completed_ns: u64,
    /// Samples in the query (batch).
    pub samples: u32,
    /// Whether the record belongs to a Server run, which splits its latency into queueing
    /// and service ([`QueryRecord::queueing_ms`], [`QueryRecord::service_ms`]).
    pub server: bool,
}

impl QueryRecord {
    /// A record; `server` marks a Server run's, which has the queueing/service split.
    ///
    /// # Panics
    ///
    /// Panics unless `scheduled_ns <= completed_ns` and `issued_ns <= completed_ns` (the
    /// runner's clock is monotonic, so its records always satisfy this).
    pub fn new(
        scheduled_ns: u64,
        issued_ns: u64,
        completed_ns: u64,
        samples: u32,
        server: bool,
    ) -> Self {
        assert!(scheduled_ns <= completed_ns && issued_ns <= completed_ns);
        Self {
            scheduled_ns,
            issued_ns,
            completed_ns,
            samples,
            server,
        }
    }

    /// `completed - scheduled`, in ns.
    pub fn latency_ns(&self) -> u64 {
        self.completed_ns - self.scheduled_ns
    }

    /// `completed - scheduled`, in ms: LoadGen's latency. For Server it includes the time
    /// spent waiting for the SUT (no coordinated omission); for Offline it is the time from
    /// t = 0 to the batch's completion, the latency of each of its samples.
    pub fn latency_ms(&self) -> f64 {
        ns_to_ms(self.latency_ns())
    }

    /// Server only: `issued - scheduled`, in ms: lateness and queueing behind earlier
    /// queries. `None` for other scenarios.
    pub fn queueing_ms(&self) -> Option<f64> {
        self.server
            .then(|| ns_to_ms(self.issued_ns.saturating_sub(self.scheduled_ns)))
    }

    /// Server only: `completed - issued`, in ms: the SUT's own time for this query. `None`
    /// for other scenarios.
    pub fn service_ms(&self) -> Option<f64> {
        self.server
            .then(|| ns_to_ms(self.completed_ns - self.issued_ns))
    }
}

/// The percentiles LoadGen prints (`results.h`, `latency_percentiles`): 50, 90, 95, 97, 99,
/// 99.9.
pub const REPORTED_PERCENTILES: [f64; 6] = [0.50, 0.90, 0.95, 0.97, 0.99, 0.999];

/// LoadGen's summary of a set of latencies: count, min, max, mean and six percentiles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatencySummary {
    /// Number of latencies.
    pub count: u64,
    /// Smallest, in ms.
    pub min_ms: f64,
    /// Largest, in ms.
    pub max_ms: f64,
    /// Arithmetic mean, in ms.
    pub mean_ms: f64,
    /// 50th percentile (LoadGen's estimator), in ms.
    pub p50_ms: f64,
    /// 90th percentile, in ms.
    pub p90_ms: f64,
    /// 95th percentile, in ms.
    pub p95_ms: f64,
    /// 97th percentile, in ms.
    pub p97_ms: f64,
    /// 99th percentile, in ms.
    pub p99_ms: f64,
    /// 99.9th percentile, in ms.
    pub p999_ms: f64,
}

impl LatencySummary {
    /// The summary of latencies already sorted ascending, in ns; `None` if there are none.
    pub fn from_sorted_ns(sorted: &[u64]) -> Option<Self> {
        let n = sorted.len();
        if n == 0 {
            return None;
        }
        debug_assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
        let sum: u128 = sorted.iter().map(|&x| u128::from(x)).sum();
        let at = |p: f64| ns_to_ms(sorted[loadgen_percentile_index(n, p)]);
        Some(Self {
            count: n as u64,
            min_ms: ns_to_ms(sorted[0]),
            max_ms: ns_to_ms(sorted[n - 1]),
            mean_ms: sum as f64 / n as f64 / 1e6,
            p50_ms: at(0.50),
            p90_ms: at(0.90),
            p95_ms: at(0.95),
            p97_ms: at(0.97),
            p99_ms: at(0.99),
            p999_ms: at(0.999),
        })
    }
}

/// Compact, column-wise (de)serialisation of a run's query records, for result files:
///
/// ```json
/// {"scheduled_gap_ns": [...], "issue_delay_ns": [...], "latency_ns": [...],
///  "samples": 1, "server": false}
/// ```
///
/// - `scheduled_gap_ns`: each query's scheduled time minus the previous query's (the first:
///   since the run's start), so `scheduled_ns` is their running sum;
/// - `issue_delay_ns`: `issued_ns - scheduled_ns` per query; omitted (empty) when every
///   query was issued when it was scheduled (SingleStream, MultiStream);
/// - `latency_ns`: `completed_ns - scheduled_ns` per query;
/// - `samples`: one number when every query has the same sample count, else one per query;
/// - `server`: whether the records carry Server's queueing/service split.
///
/// Gaps and latencies are small numbers, so a file holds about 14 bytes per query. Only the
/// three times, the sample count and the Server flag are stored (the durations are derived
/// from them), so a file cannot contradict itself. Reading checks that the columns have equal lengths and
/// that no time is negative.
pub mod columnar {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::QueryRecord;

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Samples {
        Same(u32),
        Each(Vec<u32>),
    }

    #[derive(Serialize, Deserialize)]
    struct Columns {
        scheduled_gap_ns: Vec<i64>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        issue_delay_ns: Vec<i64>,
        latency_ns: Vec<u64>,
        samples: Samples,
        #[serde(default)]
        server: bool,
    }

    fn signed(a: u64, b: u64) -> i64 {
        // Times are nanoseconds of a run (at most days), far below i64::MAX.
        a as i64 - b as i64
    }

    /// Writes the records as columns.
    ///
    /// # Errors
    ///
    /// Whatever the serializer returns.
    pub fn serialize<S: Serializer>(
        records: &[QueryRecord],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut previous = 0;
        let scheduled_gap_ns = records
            .iter()
            .map(|r| {
                let gap = signed(r.scheduled_ns, previous);
                previous = r.scheduled_ns;
                gap
            })
            .collect();
        let issue_delay_ns = if records.iter().all(|r| r.issued_ns == r.scheduled_ns) {
            Vec::new()
        } else {
            records
                .iter()
                .map(|r| signed(r.issued_ns, r.scheduled_ns))
                .collect()
        };
        let samples = match records.first() {
            Some(first) if records.iter().all(|r| r.samples == first.samples) => {
                Samples::Same(first.samples)
            }
            None => Samples::Same(1),
            _ => Samples::Each(records.iter().map(|r| r.samples).collect()),
        };
        Columns {
            scheduled_gap_ns,
            issue_delay_ns,
            latency_ns: records.iter().map(QueryRecord::latency_ns).collect(),
            samples,
            server: records.iter().any(|r| r.server),
        }
        .serialize(serializer)
    }

    /// Reads columns back into records.
    ///
    /// # Errors
    ///
    /// Columns of different lengths, or a negative time.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<QueryRecord>, D::Error> {
        let c = Columns::deserialize(deserializer)?;
        let n = c.scheduled_gap_ns.len();
        let delays = !c.issue_delay_ns.is_empty();
        let samples_len = match &c.samples {
            Samples::Same(_) => n,
            Samples::Each(v) => v.len(),
        };
        if c.latency_ns.len() != n || samples_len != n || (delays && c.issue_delay_ns.len() != n) {
            return Err(D::Error::custom(format!(
                "query columns differ in length: scheduled_gap_ns {n}, latency_ns {}, issue_delay_ns {}, samples {samples_len}",
                c.latency_ns.len(),
                c.issue_delay_ns.len(),
            )));
        }
        let mut scheduled: i64 = 0;
        // Collected into an exact allocation: a `collect` of fallible items cannot know the
        // count and grows by doubling, up to twice the records' memory.
        let mut records = Vec::with_capacity(n);
        for i in 0..n {
            scheduled = scheduled.checked_add(c.scheduled_gap_ns[i]).unwrap_or(-1);
            let delay = if delays { c.issue_delay_ns[i] } else { 0 };
            let issued = scheduled.checked_add(delay).unwrap_or(-1);
            let s = u64::try_from(scheduled).map_err(|_| {
                D::Error::custom(format!(
                    "query {i} is scheduled at a negative time ({scheduled} ns)"
                ))
            })?;
            let is = u64::try_from(issued).map_err(|_| {
                D::Error::custom(format!(
                    "query {i} is issued at a negative time ({issued} ns)"
                ))
            })?;
            let done = s.checked_add(c.latency_ns[i]).ok_or_else(|| {
                D::Error::custom(format!("query {i}'s completion time overflows"))
            })?;
            if is > done {
                return Err(D::Error::custom(format!(
                    "query {i} completes ({done} ns) before it was issued ({is} ns)"
                )));
            }
            let count = match &c.samples {
                Samples::Same(k) => *k,
                Samples::Each(v) => v[i],
            };
            records.push(QueryRecord::new(s, is, done, count, c.server));
        }
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_uses_loadgen_percentiles() {
        let sorted: Vec<u64> = (1..=100).map(|i| i * 1_000_000).collect();
        let s = LatencySummary::from_sorted_ns(&sorted).unwrap();
        assert_eq!(s.count, 100);
        assert_eq!(s.min_ms, 1.0);
        assert_eq!(s.max_ms, 100.0);
        assert_eq!(s.mean_ms, 50.5);
        assert_eq!(s.p50_ms, 51.0);
        assert_eq!(s.p90_ms, 91.0);
        assert_eq!(s.p99_ms, 100.0);
        assert_eq!(s.p999_ms, 100.0);
        assert!(LatencySummary::from_sorted_ns(&[]).is_none());
    }

    #[test]
    fn a_record_takes_32_bytes() {
        // Long runs keep millions of records (up to MAX_QUERY_COUNT per run): 32 bytes each,
        // the durations computed when asked for rather than stored.
        assert_eq!(std::mem::size_of::<QueryRecord>(), 32);
    }

    #[test]
    fn server_record_splits_latency() {
        let r = QueryRecord::new(1_000_000, 3_000_000, 4_500_000, 1, true);
        assert_eq!(r.latency_ms(), 3.5);
        assert_eq!(r.queueing_ms(), Some(2.0));
        assert_eq!(r.service_ms(), Some(1.5));
        let r = QueryRecord::new(0, 0, 4_000, 1, false);
        assert_eq!(r.queueing_ms(), None);
    }
}
