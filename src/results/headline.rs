//! The headline number of a run, with its confidence interval: what a summary card, a
//! comparison table and a report lead with.
//!
//! - SingleStream: the target-percentile (p90) query latency;
//! - MultiStream: the target-percentile (p99) query latency;
//! - Server: the target-percentile (p99) latency (from the scheduled arrival), which decides
//!   validity against the bound; the completed samples per second are reported beside it;
//! - Offline: samples per second (LoadGen's: samples / time until the last completes).
//!
//! For Offline, LoadGen's metric (samples / time until the last completes) is one number per
//! run, without an interval; the headline is the **batch service rate** `batch_size / mean
//! service time of the full batches`, the statistic comparisons are made on, with the
//! interval the Student-t interval of the mean service time implies (`1 / t` is monotone,
//! so the bounds invert). It excludes the gaps between batches (the worker yielding), which
//! [`OfflineRate::gap_fraction`] measures. With `E` executors serving batches at once (an
//! Offline run on several cores, `loadgen::offline`) the rate is `E x batch_size / mean`.
//!
//! Latency percentiles carry the distribution-free order-statistic interval
//! ([`percentile_ci()`](crate::stats::percentile_ci())), `None` when the run has too few
//! queries for one.

use serde::{Deserialize, Serialize};

use super::{analysis_sample_ms, ScenarioRun};
use crate::loadgen::result::{RunResult, ScenarioMetric};
use crate::stats::{
    latency_bound_ms, mean_ci, percentile_ci, ConfidenceInterval, DEFAULT_CONFIDENCE_LEVEL,
};

/// What the headline measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeadlineKind {
    /// A latency percentile, in ms (lower is better).
    LatencyPercentile,
    /// Offline's batch service rate, in samples per second (higher is better).
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
            (HeadlineKind::Throughput, _) => "batch service rate".into(),
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
        ScenarioMetric::Offline(_) => {
            let rate = offline_rate(&run.run, DEFAULT_CONFIDENCE_LEVEL).ok();
            Some(Headline {
                kind: HeadlineKind::Throughput,
                percentile: None,
                value: rate.map_or(f64::NAN, |r| r.samples_per_second),
                ci: rate.map(|r| r.ci),
            })
            .filter(|h| h.value.is_finite())
        }
    }
}

/// Offline's sustained rate `executors x batch_size / mean batch service time` (full batches
/// only) with the interval the Student-t interval of the mean service time implies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OfflineRate {
    /// Full batches used.
    pub batches: usize,
    /// The rate, in samples per second.
    pub samples_per_second: f64,
    /// Its interval, in samples per second.
    pub ci: ConfidenceInterval,
    /// Share of the executors' wall time not spent inside a batch (gaps between batches).
    pub gap_fraction: f64,
}

/// The batch service rate of an Offline run at `confidence_level`.
///
/// # Errors
///
/// Why there is none, as a sentence: not an Offline run, fewer than 2 full batches, or
/// batches too short for the timer (a mean within its tick bound, 2 ticks, of 0).
pub fn offline_rate(run: &RunResult, confidence_level: f64) -> Result<OfflineRate, String> {
    let Some(ScenarioMetric::Offline(m)) = run.metric else {
        return Err("the run has no Offline metric (no batch completed)".into());
    };
    let full: Vec<f64> = run
        .queries
        .iter()
        .filter(|q| q.samples == m.batch_size)
        .map(|q| (q.completed_ns - q.issued_ns) as f64 / 1e6)
        .collect();
    if full.len() < 2 {
        return Err(format!(
            "only {} full batch{} of {} samples: an interval needs at least 2",
            full.len(),
            if full.len() == 1 { "" } else { "es" },
            m.batch_size
        ));
    }
    let ci = mean_ci(&full, confidence_level).map_err(|e| e.to_string())?;
    let mean_ms = full.iter().sum::<f64>() / full.len() as f64;
    if !(ci.lower > 0.0 && mean_ms > 0.0) {
        return Err(
            "the batch service times are too short for the timer (the interval reaches 0 ms)"
                .into(),
        );
    }
    if let Some(tick) = run.timer_resolution_ms {
        if mean_ms <= latency_bound_ms(tick) {
            return Err(format!(
                "the mean batch service time, {}, is within its timer bound ({}, 2 ticks) of \
                 0, so the batches are not timed precisely enough",
                crate::format::fine_duration_ms(mean_ms),
                crate::format::fine_duration_ms(latency_bound_ms(tick))
            ));
        }
    }
    let executors = f64::from(run.executors.max(1));
    let per_second = |batch_ms: f64| executors * f64::from(m.batch_size) * 1e3 / batch_ms;
    let busy_ms: f64 = run
        .queries
        .iter()
        .map(|q| (q.completed_ns - q.issued_ns) as f64 / 1e6)
        .sum();
    Ok(OfflineRate {
        batches: full.len(),
        samples_per_second: per_second(mean_ms),
        ci: ConfidenceInterval {
            confidence_level: ci.confidence_level,
            lower: per_second(ci.upper),
            upper: per_second(ci.lower),
        },
        gap_fraction: if m.max_latency_ms > 0.0 {
            ((executors * m.max_latency_ms - busy_ms) / (executors * m.max_latency_ms)).max(0.0)
        } else {
            0.0
        },
    })
}

fn latency(run: &ScenarioRun, percentile: f64, value_ms: f64) -> Headline {
    // The run's summary already holds the interval of the six LoadGen percentiles at 95%:
    // computed once per run, not again (a sort of the whole run) per headline.
    let ci = match run.summary.as_ref().and_then(|s| s.percentile(percentile)) {
        Some(estimate)
            if run
                .summary
                .as_ref()
                .is_some_and(|s| s.mean_ci_ms.confidence_level == DEFAULT_CONFIDENCE_LEVEL) =>
        {
            estimate.ci.map(|p| p.interval)
        }
        _ => percentile_ci(
            &analysis_sample_ms(&run.run),
            percentile,
            DEFAULT_CONFIDENCE_LEVEL,
        )
        .ok()
        .map(|p| p.interval),
    };
    Headline {
        kind: HeadlineKind::LatencyPercentile,
        percentile: Some(percentile),
        value: value_ms,
        ci,
    }
}
