//! What a run's analysis holds beside its records: the warm-up, LoadGen's times, the
//! early-stopping estimates, each scenario's metric and accuracy mode's result (the types;
//! [`super::result::RunResult`] computes them, and re-exports them).

use serde::{Deserialize, Serialize};

use super::early_stopping::{self, MinPassingQueries, ServerCheck};
use super::record::{ns_to_ms, LatencySummary};

/// The warm-up, which is run but not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WarmupSummary {
    /// Warm-up queries run.
    pub query_count: u64,
    /// Latency of the very first query of the run (issue to completion), in ms: the first
    /// warm-up query, or the first measured query when there is no warm-up. It includes
    /// one-off costs (page faults, cold caches, lazy initialisation), hence reported alone.
    pub first_query_latency_ms: Option<f64>,
}

/// The times LoadGen compares with the minimum duration, in ms since the run's start.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RunTimes {
    /// When the final query was scheduled (Server's basis).
    pub final_query_scheduled_ms: f64,
    /// When the final query was issued (SingleStream's and MultiStream's basis).
    pub final_query_issued_ms: f64,
    /// When the last query completed (Offline's basis: its max latency).
    pub final_query_completed_ms: f64,
}

/// An early-stopping percentile estimate (SingleStream, MultiStream).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EarlyStoppingEstimate {
    /// The percentile estimated, in (0, 1).
    pub percentile: f64,
    /// Queries processed.
    pub query_count: u64,
    /// Queries needed for an estimate, `h(1) + 1`.
    pub min_query_count: u64,
    /// Highest latencies discarded (`t - 1`); `None` when there are too few queries.
    pub discarded: Option<u64>,
    /// The estimate, `sorted[q - t]`, in ms; `None` when there are too few queries.
    pub estimate_ms: Option<f64>,
}

impl EarlyStoppingEstimate {
    pub(crate) fn of_sorted(
        finder: &mut MinPassingQueries,
        percentile: f64,
        sorted_ns: &[u64],
    ) -> Self {
        let q = sorted_ns.len() as u64;
        match early_stopping::estimate_rank(finder, percentile, q) {
            Ok(rank) => Self {
                percentile,
                query_count: q,
                min_query_count: rank.min_query_count,
                discarded: Some(rank.discarded),
                estimate_ms: Some(ns_to_ms(sorted_ns[rank.index as usize])),
            },
            Err(few) => Self {
                percentile,
                query_count: q,
                min_query_count: few.min_query_count,
                discarded: None,
                estimate_ms: None,
            },
        }
    }
}

/// SingleStream's metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SingleStreamMetric {
    /// The target percentile, in (0, 1).
    pub percentile: f64,
    /// Its latency, in ms.
    pub percentile_latency_ms: f64,
    /// The early-stopping estimate of the target percentile (the official metric).
    pub early_stopping: EarlyStoppingEstimate,
    /// The early-stopping estimate of the 99th percentile (LoadGen reports it to infer
    /// MultiStream from SingleStream).
    pub early_stopping_p99: EarlyStoppingEstimate,
    /// `(n - 1) / final issue time`, in queries per second ("QPS w/ loadgen overhead").
    pub qps_with_loadgen_overhead: Option<f64>,
    /// `1 / mean latency`, in queries per second ("QPS w/o loadgen overhead").
    pub qps_without_loadgen_overhead: Option<f64>,
}

/// MultiStream's metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MultiStreamMetric {
    /// Samples per query.
    pub samples_per_query: u32,
    /// The target percentile, in (0, 1).
    pub percentile: f64,
    /// Its query latency, in ms.
    pub percentile_latency_ms: f64,
    /// The early-stopping estimate of the target percentile (the official metric).
    pub early_stopping: EarlyStoppingEstimate,
}

/// Server's metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ServerMetric {
    /// The offered rate, in queries per second.
    pub target_qps: f64,
    /// `(n - 1) / time of the last completion`, in samples per second ("Completed samples per
    /// second", the reported throughput).
    pub completed_samples_per_second: Option<f64>,
    /// `(n - 1) / final scheduled time`, in samples per second ("Scheduled samples per
    /// second").
    pub scheduled_samples_per_second: Option<f64>,
    /// The target percentile, in (0, 1).
    pub percentile: f64,
    /// Its latency (scheduled arrival to completion), in ms.
    pub percentile_latency_ms: f64,
    /// The bound, in ms.
    pub latency_bound_ms: f64,
    /// Whether `percentile_latency_ms <= latency_bound_ms` (compared in whole ns).
    pub latency_bound_met: bool,
    /// LoadGen's early-stopping check.
    pub early_stopping: ServerCheck,
    /// Summary of the queueing parts (scheduled to start), in ms.
    pub queueing: LatencySummary,
    /// Summary of the service parts (start to completion), in ms.
    pub service: LatencySummary,
}

/// Offline's metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OfflineMetric {
    /// `samples / max latency`, in samples per second ("Samples per second").
    pub samples_per_second: Option<f64>,
    /// Samples processed.
    pub sample_count: u64,
    /// Time until the last sample completed, in ms.
    pub max_latency_ms: f64,
    /// Samples per call.
    pub batch_size: u32,
    /// The expected rate that sized the query, in samples per second.
    pub expected_qps: f64,
}

/// The scenario's headline numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "scenario")]
pub enum ScenarioMetric {
    /// SingleStream.
    SingleStream(SingleStreamMetric),
    /// MultiStream.
    MultiStream(MultiStreamMetric),
    /// Server.
    Server(ServerMetric),
    /// Offline.
    Offline(OfflineMetric),
}

/// Accuracy mode's result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AccuracyResult {
    /// Samples whose predicted class equals the label.
    pub correct: u64,
    /// Samples processed (the whole set, unless cancelled).
    pub total: u64,
    /// `correct / total`, in [0, 1]; `None` if nothing was processed.
    pub top1: Option<f64>,
}
