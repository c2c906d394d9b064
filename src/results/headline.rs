//! The headline number of a run, with its confidence interval: what a summary card, a
//! comparison table and a report lead with.
//!
//! - SingleStream: the target-percentile (p90) query latency;
//! - MultiStream: the target-percentile (p99) query latency;
//! - Server: the target-percentile (p99) latency (from the scheduled arrival), which decides
//!   validity against the bound; the completed samples per second are reported beside it;
//! - Offline: samples per second (LoadGen's: samples / time until the last completes).
//!
//! Intervals (95%): for a latency percentile, the distribution-free order-statistic interval
//! ([`percentile_ci()`](crate::stats::percentile_ci())), `None` when the run has too few queries for one; for
//! Offline throughput, the Student-t interval of the mean time per sample over the batches,
//! inverted (`1 / t` is monotone, so the interval of `1 / mean` has the inverted bounds).

use serde::{Deserialize, Serialize};

use super::{analysis_sample_ms, ScenarioRun};
use crate::loadgen::result::ScenarioMetric;
use crate::stats::{mean_ci, percentile_ci, ConfidenceInterval, DEFAULT_CONFIDENCE_LEVEL};

/// What the headline measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeadlineKind {
    /// A latency percentile, in ms (lower is better).
    LatencyPercentile,
    /// A throughput, in samples per second (higher is better).
    Throughput,
}

/// A run's headline number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    /// What it measures.
    pub kind: HeadlineKind,
    /// The percentile (for latency headlines), in (0, 1).
    pub percentile: Option<f64>,
    /// The value: ms for latencies, samples per second for throughput.
    pub value: f64,
    /// Its 95% confidence interval, when one can be computed.
    pub ci: Option<ConfidenceInterval>,
}

impl Headline {
    /// A short label: "p90 latency" or "throughput".
    pub fn label(&self) -> String {
        match (self.kind, self.percentile) {
            (HeadlineKind::LatencyPercentile, Some(p)) => {
                format!("{} latency", crate::stats::error::percentile_label(p))
            }
            (HeadlineKind::LatencyPercentile, None) => "latency".into(),
            (HeadlineKind::Throughput, _) => "throughput".into(),
        }
    }

    /// The unit of `value`: "ms" or "samples/s".
    pub fn unit(&self) -> &'static str {
        match self.kind {
            HeadlineKind::LatencyPercentile => "ms",
            HeadlineKind::Throughput => "samples/s",
        }
    }

    /// Whether a lower value is better.
    pub fn lower_is_better(&self) -> bool {
        self.kind == HeadlineKind::LatencyPercentile
    }
}

/// The headline of a performance run; `None` for a run without queries.
pub fn headline(run: &ScenarioRun) -> Option<Headline> {
    let metric = run.run.metric?;
    match metric {
        ScenarioMetric::SingleStream(m) => {
            Some(latency(run, m.percentile, m.percentile_latency_ms))
        }
        ScenarioMetric::MultiStream(m) => Some(latency(run, m.percentile, m.percentile_latency_ms)),
        ScenarioMetric::Server(m) => Some(latency(run, m.percentile, m.percentile_latency_ms)),
        ScenarioMetric::Offline(m) => {
            let value = m.samples_per_second?;
            let per_sample_ms: Vec<f64> = run
                .run
                .queries
                .iter()
                .filter(|q| q.samples > 0)
                .map(|q| (q.completed_ns - q.issued_ns) as f64 / 1e6 / f64::from(q.samples))
                .collect();
            let ci = mean_ci(&per_sample_ms, DEFAULT_CONFIDENCE_LEVEL)
                .ok()
                .filter(|ci| ci.lower > 0.0)
                .map(|ci| ConfidenceInterval {
                    confidence_level: ci.confidence_level,
                    lower: 1e3 / ci.upper,
                    upper: 1e3 / ci.lower,
                });
            Some(Headline {
                kind: HeadlineKind::Throughput,
                percentile: None,
                value,
                ci,
            })
        }
    }
}

fn latency(run: &ScenarioRun, percentile: f64, value_ms: f64) -> Headline {
    let ci = percentile_ci(
        &analysis_sample_ms(&run.run),
        percentile,
        DEFAULT_CONFIDENCE_LEVEL,
    )
    .ok()
    .map(|p| p.interval);
    Headline {
        kind: HeadlineKind::LatencyPercentile,
        percentile: Some(percentile),
        value: value_ms,
        ci,
    }
}
